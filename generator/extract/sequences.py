"""Runs of capitalised words in a text: the candidates that ``classify`` turns into people, places and
organisations.

A run keeps the connectors that belong inside names ("Bank of Canada", "Lake of the Woods",
"Anne-Sophie de la Durantaye"), a union local's number, French institutional names with their
lower-case words ("Office québécois de la langue française"), and stops at a possessive. Each run
remembers whether it opens a sentence and the words around it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from generator.extract.gazetteer import GIVEN_NAME_PLACES
from generator.extract.lexicon import (
    ABBREV_END,
    CONNECTORS,
    KNOWN_PREFIXES,
    NON_NAME,
    ORG_SUFFIX,
    PLACE_INDEX,
    PLACE_PREFIXES,
    SURNAME_PARTICLES,
    is_cap,
    join_tokens,
    norm_key,
)

_TOKEN = re.compile(
    r"(?:[A-Z]\.){2,}|(?:Mr|Mrs|Ms|Dr|St|Ste|Jr|Sr|Inc|Corp|Ltd|Co|Sen|Rep|Gov|Lt|Gen|Col|Sgt|Capt|Prof|Hon|Rev|Mt|Ft)\."
    r"|[\wÀ-ÖØ-öø-ÿ]+(?:['’\-][\wÀ-ÖØ-öø-ÿ]+)*['’]?|[^\s\w]")
_ARTICLES = {"The", "A", "An", "La", "Le", "Les", "L", "Une", "Un"}
_SENTENCE_END = {".", "!", "?", "“", "\"", ":", "—", "–", "(", "‘", "«"}
_PARTICLE_PAIRS = {("de", "la"), ("van", "der"), ("von", "der"), ("van", "den"), ("de", "los"), ("de", "las"),
                   ("de", "le"), ("van", "de")}
FRENCH_HEADS = {"Conseil", "Office", "Société", "Ministère", "Régie", "Caisse", "Syndicat", "Fédération",
                "Coopérative", "Compagnie", "Groupe", "Municipalité", "Sûreté", "Autorité", "Direction", "Fonds",
                "Confédération", "Université", "Institut", "Commission", "Banque", "Centre", "Collège", "Cégep",
                "Musée", "Mouvement", "Regroupement", "Ordre", "Agence", "Bureau", "Secrétariat", "Tribunal",
                "Cour", "Gazette", "Parti", "Union", "Association", "Alliance", "Fondation", "Chambre", "Comité",
                "Réseau", "Front", "Assemblée", "Centrale", "Hôpital", "École", "Orchestre", "Théâtre"}
_FRENCH_PARTICLES = {"du", "de", "des", "la", "le", "les", "d", "l", "et", "en", "pour", "sur", "au", "aux"}
ENGLISH_STOP = {"will", "was", "were", "is", "are", "has", "have", "had", "said", "says", "and", "but", "the", "to",
                "in", "on", "for", "of", "a", "an", "which", "that", "with", "at", "by", "as", "less", "more",
                "would", "could", "can", "its", "their", "also", "not", "who", "announced", "told", "added",
                "next", "last", "this", "after", "before", "since", "when", "where", "or", "be", "been", "it"}


def _french_word(token: str) -> bool:
    low = token.lower()
    return token[:1].islower() and (low in _FRENCH_PARTICLES or bool(re.search(r"[à-ÿ]", low))
                                    or bool(re.match(r"^[dl]['’]", low)))


@dataclass
class Seq:
    tokens: list[str]
    unit: int
    start: int
    sentence_initial: bool
    before: str  # the lower-case word just before, if any
    after: list[str]  # up to three following tokens
    prep: str = ""  # the lower-case word before, looking past one "the" ("at the Pomeroy Sport Centre" → "at")


def is_french(units: Sequence[str]) -> bool:
    """Text written in French: its common small words outnumber the English ones."""
    words = re.findall(r"[a-zàâçéèêëîïôûù]+", " ".join(units[:8]).lower())
    french = sum(1 for w in words if w in _FRENCH_COMMON)
    return french >= 8 and french > 2 * sum(1 for w in words if w in _ENGLISH_COMMON)


_FRENCH_COMMON = {"le", "la", "les", "des", "du", "une", "et", "est", "dans", "pour", "qui", "que", "sur", "avec",
                  "pas", "plus", "au", "aux", "ont", "sont", "mais", "cette", "ses", "leur"}
_ENGLISH_COMMON = {"the", "and", "of", "to", "is", "in", "that", "for", "with", "was", "are", "on", "said", "has"}


def _tokens(text: str, french: bool = False) -> list[tuple[str, int]]:
    if french:  # "l'Europe", "d'Ottawa": the elided article is not part of the name (same length, offsets hold)
        text = re.sub(r"\b(?:[ldjnscLDJNSC]|[qQ]u)['’](?=[A-ZÀ-Ýa-zà-ÿ])", lambda m: m[0][:-1] + " ", text)
    # "Canada-U.S." and "U.S.-Mexico" are two places; "Marie-Philip" is one name
    text = re.sub(r"(?<=[A-Za-z.])-(?=(?:[A-Z]\.){2,})", " - ", text)
    text = re.sub(r"(?<=\.)-(?=[A-Z])", " - ", text)
    text = re.sub(r"\b([A-Z][a-z]+)-(?=([A-Z][a-z]+))",
                  lambda m: m[1] + " - " if norm_key(m[1]) in PLACE_INDEX and m[1] not in GIVEN_NAME_PLACES
                  and norm_key(m[2]) in PLACE_INDEX else m[0], text)  # "Ottawa-Gatineau"; "Cleveland-Cliffs" is one
    return [(m.group(), m.start()) for m in _TOKEN.finditer(text)]


def _prep(toks: list[tuple[str, int]], i: int) -> str:
    k = i - 2 if i >= 2 and toks[i - 1][0] == "the" else i - 1
    return toks[k][0].lower() if k >= 0 and toks[k][0][:1].islower() else ""


def find_sequences(units: Sequence[str], french: bool = False) -> list[Seq]:
    out: list[Seq] = []
    for u, text in enumerate(units):
        toks = _tokens(text, french)
        i = 0
        while i < len(toks):
            tok, pos = toks[i]
            if not is_cap(tok):
                i += 1
                continue
            prev = toks[i - 1][0] if i else ""
            initial = i == 0 or (prev in _SENTENCE_END and not ABBREV_END.match(toks[i - 2][0] if i >= 2 else "")) \
                or (prev in {"“", "\"", "‘"} and (i < 2 or toks[i - 2][0] in _SENTENCE_END | {","}))
            if prev == "." and i >= 2 and ABBREV_END.match(toks[i - 2][0]):
                initial = False
            if tok in _ARTICLES and i + 1 < len(toks) and toks[i + 1][0] in FRENCH_HEADS:
                i += 1  # "The Conseil du patronat …": the English article is not part of the French name
                continue
            j = i
            seq = [tok]
            # "de Gaulle": a lower-case particle before a lone surname belongs to it (in French it is "of")
            if not french and i >= 1 and prev in SURNAME_PARTICLES and (
                    i < 2 or not is_cap(toks[i - 2][0]) or toks[i - 2][0].lower().rstrip(".") in NON_NAME) \
                    and norm_key(tok) not in PLACE_INDEX and not (i + 1 < len(toks) and is_cap(toks[i + 1][0])):
                seq = [prev, tok]
                pos = toks[i - 1][1]
            j += 1
            if tok in FRENCH_HEADS and j < len(toks) and _french_word(toks[j][0]):
                # "Office québécois de la langue française", "Conseil du patronat du Québec"
                k = j
                while k < len(toks) and re.match(r"\w", toks[k][0]) and toks[k][0].lower() not in ENGLISH_STOP:
                    k += 1
                name = [t for t, _ in toks[i:k]]
                while len(name) > 1 and not is_cap(name[-1]) and (
                        name[-1].lower() in _FRENCH_PARTICLES or not re.search(r"[À-ÿ]", name[-1])):
                    name.pop()
                if len(name) >= 2:
                    j = i + len(name)
                    before = prev.lower() if prev[:1].islower() else ""
                    after = [toks[x][0] for x in range(j, min(j + 4, len(toks)))]
                    out.append(Seq(name, u, pos, initial, before, after, _prep(toks, i)))
                    i = j
                    continue
            while j < len(toks):
                t = toks[j][0]
                if is_cap(t):
                    if french and t in FRENCH_HEADS and j + 1 < len(toks) and _french_word(toks[j + 1][0]):
                        break  # "Selon la Fédération des …": the institution starts its own name
                    if re.search(r"['’]s$", seq[-1]) and not KNOWN_PREFIXES.get(norm_key(join_tokens([*seq, t]))) \
                            and t.lower().rstrip(".") not in ORG_SUFFIX \
                            and (len(seq) == 1 or norm_key(t) in PLACE_INDEX):
                        break  # "Stelco's Hamilton operations": a possessive ends the name
                    seq.append(t)
                    j += 1
                    continue
                if t.isdigit() and seq[-1] in ("Local", "Highway", "Route", "Hwy", "Interstate", "Lodge"):
                    seq.append(t)  # "United Steelworkers Local 1005", "Highway 17"
                    j += 1
                    continue
                joins = t.lower() in CONNECTORS and (t.islower() or t == "&")
                if joins and j + 1 < len(toks) and is_cap(toks[j + 1][0]):
                    seq.append(t)
                    j += 1
                    continue
                if joins and j + 2 < len(toks) and is_cap(toks[j + 2][0]) and (
                        (t, toks[j + 1][0]) in _PARTICLE_PAIRS
                        or ((t, toks[j + 1][0]) == ("of", "the") and seq[0] in PLACE_PREFIXES | {"Isle", "Gulf"})):
                    seq.extend([t, toks[j + 1][0]])  # "Lake of the Woods", "Anne-Sophie de la Durantaye"
                    j += 2
                    continue
                if t == "," and seq[-1] == "Washington" and j + 1 < len(toks) and toks[j + 1][0] == "D.C.":
                    seq[-1] = "Washington,"
                    j += 1
                    continue
                break
            before = prev.lower() if prev[:1].islower() else ""
            after = [toks[k][0] for k in range(j, min(j + 4, len(toks)))]
            out.append(Seq(seq, u, pos, initial, before, after, _prep(toks, i)))
            i = j
    return out
