"""Whether an article's summary only repeats its opening paragraph, so the page shows it once.

Ingest often takes the summary from the first real paragraph; shown as a standfirst above a body that
opens with the same words, the reader meets them twice. The comparison is on plain words (Markdown
marks, quote styles, spacing and case aside), after a wire dateline (``OTTAWA (Reuters) —``); a summary
that is the paragraph's first sentences (or its start, cut with ``…``) repeats it too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from generator.model import Article

_DATELINE = re.compile(r"^[A-ZÀ-Ý][A-ZÀ-Ý .,'’-]{1,60}(?:\([^)]{1,30}\))?\s*[—–-]+\s+")
_MARKS = re.compile(r"[*_`#>\[\]]|\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_NON_WORD = re.compile(r"[^\w]+")
_GLANCE = 12  # characters of summary and paragraph compared before either is read whole


def _plain(text: str) -> str:
    return _NON_WORD.sub(" ", _MARKS.sub("", text)).strip().casefold()


def _words(text: str) -> str:
    return _plain(_LINK.sub(r"\1", text))


def _leading_words(text: str, start: int) -> str | None:
    """``_words`` of ``text`` up to its first space at or after ``start``, or None when there is none or a
    ``[`` comes before it (a link may cross it). When not empty, ``_words(text)`` is that, or that, a space
    and more: no link starts before the cut, each mark goes on its own, casefolding is character by
    character, and the space ends a word (tests/test_summary.py checks it on generated text)."""
    cut = text.find(" ", start)
    if cut == -1 or text.find("[", 0, cut) != -1:
        return None
    return _plain(text[:cut])


def _repeats(opening: str, said: str, prefix_ok: bool) -> bool:
    """``_words(opening) == said``, or with ``prefix_ok`` starts with ``said`` and a space; reading no more of
    a long opening than the comparison needs."""
    start = len(said)  # ``_words`` keeps at most that many characters of as many (casefolding may add some)
    while (head := _leading_words(opening, start)) is not None:
        if len(head) > len(said):
            return prefix_ok and head.startswith(said + " ")
        if not said.startswith(head):
            return False
        if head == said and prefix_ok:
            return True
        start = 2 * start + 16
    whole = _words(opening)
    return whole == said or (prefix_ok and whole.startswith(said + " "))


def _first_paragraph(body: str) -> str:
    start = 0
    while start < len(body):  # block by block: a long body is not split whole for its first paragraph
        end = body.find("\n\n", start)
        if end == -1:
            end = len(body)
        block = body[start:end].strip()
        if block and not block.startswith(("#", "|", "```", "<", "![", "- ", "* ", "1. ")):
            return " ".join(block.split())
        start = end + 2
    return ""


def summary_repeats_lead(summary: str | None, body: str) -> bool:
    if not summary:
        return False
    lead = _first_paragraph(body)
    if not lead:
        return False
    text = summary.rstrip().rstrip("….")
    undated = _DATELINE.sub("", lead)
    openings = (undated, lead) if undated != lead else (lead,)  # (the same words need no second look)
    # Most summaries are not the paragraph: their first words tell, before either is read whole.
    said_head = _leading_words(text, _GLANCE)
    if said_head:
        heads = [_leading_words(opening, _GLANCE) for opening in openings]
        if all(head and head[:len(said_head)] != said_head[:len(head)] for head in heads):
            return False
    said = _words(text)
    if not said:
        return False
    # A prefix repeats the paragraph when it is whole sentences, or was visibly cut short.
    prefix_ok = summary.rstrip().endswith(("…", "...", ".", "!", "?", ".”", ".\"", "?”", "!”"))
    return any(_repeats(opening, said, prefix_ok) for opening in openings)


class TextFacts(NamedTuple):
    """What planning reads of an article's text: a function of its file alone, so Build has the read step's
    workers make it (``text_facts``) and hands it over (``learn_text_facts``) before planning."""

    words: int  # words in the body: which version of a story is the most complete
    summary_repeats_lead: bool


def text_facts(article: Article) -> TextFacts:
    return TextFacts(len(article.body.split()), summary_repeats_lead(article.summary, article.body))


# By the file's content hash: asked on every plan of an article made again, and of every member of a story
# (splitting ten thousand bodies again for a one-article rebuild cost half a second).
_FACTS: dict[str, TextFacts] = {}


def learn_text_facts(facts: Mapping[str, TextFacts]) -> None:
    _FACTS.update(facts)


def stored_facts(articles: Iterable[Article]) -> tuple[list[str], list[int], bytes]:
    """The known text facts of ``articles``, compact for the cache (hashes, word counts, repeats flags), so
    that the next process need not split every body again (``learn_stored_facts``)."""
    known = [(a.content_hash, _FACTS[a.content_hash]) for a in articles if a.content_hash in _FACTS]
    return [h for h, _ in known], [f.words for _, f in known], bytes(f.summary_repeats_lead for _, f in known)


def learn_stored_facts(stored: object) -> int:
    """Take up what ``stored_facts`` gave a last process (anything else is ignored); how many."""
    if not (isinstance(stored, tuple) and len(stored) == 3):
        return 0
    hashes, words, repeats = stored
    if not (isinstance(hashes, list) and isinstance(words, list) and isinstance(repeats, bytes)
            and len(hashes) == len(words) == len(repeats)):
        return 0
    _FACTS.update(zip(hashes, map(TextFacts, words, map(bool, repeats)), strict=True))
    return len(hashes)


def facts_of(article: Article) -> TextFacts:
    if not article.content_hash:
        return text_facts(article)
    known = _FACTS.get(article.content_hash)
    if known is None:
        known = _FACTS[article.content_hash] = text_facts(article)
    return known
