"""Direct quotations and who said them.

Handles the usual news forms: ``“…,” Joly added.``, ``said Joly``, ``Ford said: “…”``,
``“…” she told reporters.`` (the pronoun is the person last named in that paragraph or the one before),
``In an email, U.S. embassy official said, “…”`` (an unnamed speaker is kept as written), statements,
split quotes and quote-only follow-up paragraphs. One- or two-word scare quotes are not quotations.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from generator.extract.entities import Entities
from generator.extract.gazetteer import PRONOUNS, SPEECH_VERBS
from generator.model import Quote

_VERBS = "|".join(sorted((re.escape(v) for v in SPEECH_VERBS), key=len, reverse=True))
_SPAN = re.compile(r"“(?P<a>[^“”]+)(?:”|$)|\"(?P<b>[^\"]+)(?:\"|$)|«\s*(?P<c>[^«»]+?)\s*(?:»|$)", re.M)
_AFTER_VERB_FIRST = re.compile(rf"^\s*,?\s*(?:{_VERBS})\s+(?P<subj>[^,;:“”\"]{{2,90}})", re.I)
_AFTER_SUBJ_FIRST = re.compile(
    rf"^\s*,?\s*(?P<subj>[^,;:“”\"]{{2,90}}?)\s+(?:\w+ly\s+)?(?:{_VERBS})\b", re.I)
_BEFORE = re.compile(
    rf"(?P<subj>[^,;:“”\"]{{2,120}}?)\s+(?:\w+ly\s+)?(?:{_VERBS})\b(?P<tail>[^“”\"]{{0,80}}?)[,:]?\s*$", re.I)
# "“…,” Jane Roe, president of the association, said"; "“…,” according to Jane Roe, a fire officer"
_AFTER_APPOSITIVE = re.compile(
    rf"^\s*,?\s*(?P<subj>[A-ZÀ-Ý][^,;:“”\"]{{2,60}}?),\s+[^;:“”\"]{{2,140}}?,\s+(?:\w+ly\s+)?(?:{_VERBS})\b")
_AFTER_ACCORDING = re.compile(r"^\s*,?\s*according\s+to\s+(?P<subj>[^,;:“”\"]{2,90})", re.I)
_ACCORDING = re.compile(r"according to\s+(?P<subj>[^,“”\"]{2,90}),\s*$", re.I)
_ARTICLE = re.compile(r"^(?:a|an|the|and|but|so|then|as|le|la|les|l['’]|un|une)\s*", re.I)
# "« … », a-t-elle déclaré", "affirme-t-il", "dit-elle": French inversion, the subject is a pronoun
_AFTER_INVERTED = re.compile(r"^\s*,?\s*(?:a-t-|[a-zàâçéèêëîïôûù]+-(?:t-)?)(?P<subj>il|elle)\b", re.I)
# ", affirme le président de la coopérative, Réjean Boivin": the name in apposition after the title
_APPOSED_NAME = re.compile(r"^\s*,\s*(?P<name>[A-ZÀ-Ý][\w'’-]*(?:\s+(?:(?:de|du|van|von|der|la|le)\s+)?"
                           r"[A-ZÀ-Ý][\w'’-]*){1,3})")


def find_quotes(paragraphs: Sequence[str], ents: Entities) -> list[Quote]:
    quotes: list[Quote] = []
    last_speaker: str | None = None
    prev_para_speaker: str | None = None
    for index, para in enumerate(paragraphs):
        para_speaker: str | None = None
        for m in _SPAN.finditer(para):
            text = (m["a"] or m["b"] or m["c"] or "").strip()
            start, end = m.start(), m.end()
            if not _is_quotation(para, start, text):
                continue
            speaker = _speaker_after(para[end:], ents, index, start, last_speaker, paragraphs)
            if speaker is None:
                speaker = _speaker_before(para[:start], ents, index, start, last_speaker, paragraphs)
            if speaker is None and para_speaker:
                speaker = para_speaker
            if speaker is None and start <= 1 and prev_para_speaker:
                speaker = prev_para_speaker
            if speaker is None:
                continue
            quotes.append(Quote(speaker=speaker, text=text.rstrip(",").strip()))
            para_speaker = last_speaker = speaker
        prev_para_speaker = para_speaker
    return quotes


def _is_quotation(para: str, start: int, text: str) -> bool:
    words = text.split()
    if len(words) < 3:
        return False
    before = para[:start].rstrip()
    mid_sentence = bool(before) and before[-1].isalnum()
    return not (mid_sentence and len(words) < 8 and not re.search(r"[.!?,…—-]$", text))


def _speaker_after(after: str, ents: Entities, unit: int, pos: int, last: str | None,
                   paras: Sequence[str]) -> str | None:
    clause = re.split(r"(?<=[a-z0-9)][.!?])(?<!\bMr\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bMrs\.)(?<!\bSt\.)\s|“|\"|«",
                      after, maxsplit=1)[0]
    if not clause.strip() or not re.match(r"^\s*[,\w]", clause):
        return None
    m = _AFTER_INVERTED.match(clause)
    if m:
        return _resolve(m["subj"], ents, unit, pos, last, paras)
    m = _AFTER_VERB_FIRST.match(clause)
    if m and not re.match(r"(?i)(?:that|it|in|on|at|to|of)\b", m["subj"].strip()):
        speaker = _resolve(m["subj"], ents, unit, pos, last, paras)
        named = _APPOSED_NAME.match(clause[m.end():])
        if speaker not in ents.people and named and ents.resolve(named["name"]):
            return ents.resolve(named["name"])
        return speaker
    m = _AFTER_SUBJ_FIRST.match(clause)
    if m:
        return _resolve(m["subj"], ents, unit, pos, last, paras)
    m = _AFTER_APPOSITIVE.match(clause) or _AFTER_ACCORDING.match(clause)
    if m:
        return _resolve(m["subj"], ents, unit, pos, last, paras)
    return None


def _speaker_before(before: str, ents: Entities, unit: int, pos: int, last: str | None,
                    paras: Sequence[str]) -> str | None:
    sentence = re.split(r"(?<=[.!?”\"])\s+(?=[A-Z“\"])", before)[-1]
    if not re.search(r"[,:]\s*$", sentence) and not re.search(r"\b(?:said|says|added|wrote)\s*$", sentence):
        return None
    m = _ACCORDING.search(sentence)
    if m:
        return _resolve(m["subj"], ents, unit, pos, last, paras)
    m = _BEFORE.search(sentence)
    if not m:
        return None
    subj = m["subj"].split(",")[-1]
    return _resolve(subj, ents, unit, pos, last, paras)


def _resolve(subject: str, ents: Entities, unit: int, pos: int, last: str | None,
             paras: Sequence[str]) -> str | None:
    subj = subject.strip()
    subj = re.sub(r"^(?:and|but|so|then|as|while)\s+", "", subj, flags=re.I)
    subj = re.split(r"\s+(?:who|which|that|in an?|on|at|during|after|when)\s+", subj)[0].strip()
    if not subj:
        return None
    if subj.lower() in PRONOUNS or subj.lower() in ("it",):
        return _antecedent(ents, unit, pos, paras) or last
    if subj.lower() in ("i", "we", "you", "one"):
        return None
    names = re.findall(r"[A-ZÀ-Ý][\w.'’À-ÿ-]*(?:\s+(?:[A-ZÀ-Ý][\w.'’À-ÿ-]*|de|van|von|der|la|le))*", subj)
    for name in reversed(names):
        person = ents.resolve(name)
        if person:
            return person
    if names and subj.split()[0][:1].isupper() and len(subj.split()) <= 3 and all(
            w[:1].isupper() for w in subj.split()) and subj in ents.people:
        return subj
    descriptor = _ARTICLE.sub("", subj).strip()
    if not descriptor or len(descriptor.split()) > 9 or descriptor[:1].isdigit():
        return None
    lowered = descriptor.lower()
    if not re.search(r"(?i)official|spokes|minister|president|premier|source|statement|ministry|office|"
                     r"department|embassy|company|agency|government|police|union|association|aide|"
                     r"analyst|economist|expert|officer|leader|chair|ceo|director|representative|"
                     r"secretary|mayor|manager|owner|resident|witness|worker|critic|lawyer|judge|"
                     r"board|council|commission|party|campaign|team|coach|player|group|bank|firm",
                     lowered):
        return None
    if not re.match(r"(?i)(?:a|an|one|another|some|two|three|several)\s", subj):
        return _title_holder(descriptor, ents, unit, paras) or descriptor
    return descriptor


def _title_holder(descriptor: str, ents: Entities, unit: int, paras: Sequence[str]) -> str | None:
    """"Canada's finance minister" → the person this paragraph (or the one before) names with that title
    ("Finance Minister François-Philippe Champagne"); None when nobody there carries it."""
    words = re.findall(r"[a-zà-ÿ]+", descriptor.lower())
    if not words or words[-1] not in _TITLES:
        return None
    qualifiers = [w for w in words[:-1] if w in _TITLE_QUALIFIERS]
    for back in (0, 1):
        if unit - back < 0:
            break
        text = paras[unit - back] if unit - back < len(paras) else ""
        for m in ents.mentions:
            if m.unit != unit - back:
                continue
            name_at = text.find(m.person.split()[0], m.start)  # the title may open the mention itself
            window = set(re.findall(r"[a-zà-ÿ]+", text[max(0, m.start - 60):max(name_at, m.start)].lower()))
            if words[-1] in window and all(q in window for q in qualifiers):
                return m.person
    return None


_TITLES = {"minister", "premier", "president", "mayor", "governor", "chief", "ceo", "chair", "chairman",
           "chairwoman", "leader", "coach", "manager", "commissioner", "ambassador", "secretary", "senator",
           "director", "spokesperson", "spokesman", "spokeswoman", "councillor", "treasurer", "chancellor"}
_TITLE_QUALIFIERS = {"finance", "trade", "industry", "foreign", "health", "defence", "defense", "energy",
                     "transport", "justice", "environment", "agriculture", "labour", "labor", "housing",
                     "immigration", "prime", "deputy", "vice", "executive", "head", "fire", "police", "economy"}


def _antecedent(ents: Entities, unit: int, pos: int, paras: Sequence[str]) -> str | None:
    same = [m for m in ents.mentions if m.unit == unit and m.start < pos]
    if same:
        return same[-1].person
    for back in (1, 2):
        prev = [m for m in ents.mentions if m.unit == unit - back]
        if prev:
            # the subject of the paragraph's last sentence that names someone: in "Margaret Sousa, who has
            # shopped at Vella's since 1971, said …" a following "she" is Sousa, not the later Vella
            text = paras[unit - back] if unit - back < len(paras) else ""
            starts = [0, *(e.end() for e in _SENTENCE_BREAK.finditer(text))]
            begin = max(s for s in starts if s <= prev[-1].start)
            return next(m.person for m in prev if m.start >= begin)
    return None


_SENTENCE_BREAK = re.compile(r"(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bSt)[.!?][”\"’]?\s+(?=[A-Z“\"])")
