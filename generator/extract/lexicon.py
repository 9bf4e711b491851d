"""The word lists and lookups every entity rule shares: gazetteer indexes by normalised key, and
what a single capitalised token can be (part of a name, a role, a generic noun, a place).

Built once at import from ``gazetteer``; pure functions of their arguments after that.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from generator.extract.gazetteer import (
    GENERIC_NOUNS,
    GIVEN_NAME_PLACES,
    KNOWN_ORGS,
    NAME_PARTICLES,
    NON_NAME_WORDS,
    ORG_OR_PLACE,
    ORG_PREFIXES,
    ORG_SUFFIXES,
    PLACE_ALIASES,
    PLACE_SUFFIXES,
    PLACES,
    ROLE_WORDS,
    SITES,
)

CONNECTORS = {"of", "and", "&", "de", "du", "la", "von", "van", "der", "for", "the", "des", "da", "di"}
CALENDAR = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
            "february", "march", "april", "may", "june", "july", "august", "september", "october",
            "november", "december", "jan.", "feb.", "aug.", "sept.", "oct.", "nov.", "dec."}
ABBREV_END = re.compile(
    r"^(?:[A-Z]\.){2,}$|^(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Sen|Rep|Gov|Lt|Gen|Col|Sgt|Capt|Prof|Hon|Rev)\.$")
NORMALISED_ROLES = {w.lower().rstrip(".").replace("’", "'") for w in ROLE_WORDS}
NON_NAME = {w.lower().rstrip(".") for w in NON_NAME_WORDS}
GENERIC = {w.lower() for w in GENERIC_NOUNS}
ORG_SUFFIX = {w.rstrip(".").lower() for w in ORG_SUFFIXES}
ORG_PREFIX = {w.lower() for w in ORG_PREFIXES}
PLACE_PREPOSITIONS = {"in", "near", "outside"}
PLACE_PREFIXES = {"Place", "Rue", "Mount", "Lake", "Fort", "Port", "Parc", "Île", "Pointe", "Cape", "Cap"}
PLACE_SUFFIX = {w.rstrip(".").lower() for w in PLACE_SUFFIXES}


def norm_key(text: str) -> str:
    """The lookup key of a name: case, curly apostrophes and spacing do not matter."""
    key = _KEYS.get(text)
    if key is None:
        key = " ".join(text.replace("’", "'").split()).lower()
        if len(_KEYS) < 200_000:  # names repeat across articles; the cap bounds a long-running process
            _KEYS[text] = key
    return key


_KEYS: dict[str, str] = {}


# The gazetteers are sets: when two spellings share a key (Queen's / Queen’s Park), a sorted walk decides
# which one names the entity, the same on every run (set order changes with PYTHONHASHSEED). The
# reverse order lets the plain-apostrophe spelling, written last, win.
PLACE_INDEX: dict[str, str] = {norm_key(p): p for p in sorted(PLACES, reverse=True)}
PLACE_INDEX.update({norm_key(a): c for a, c in PLACE_ALIASES.items()})
for _p in ("Québec", "Montréal"):
    PLACE_INDEX[norm_key(_p)] = PLACE_ALIASES.get(_p, _p)
SITE_INDEX = {norm_key(s): s.replace("'", "’") if "’" not in s else s for s in sorted(SITES, reverse=True)}
ORG_INDEX = {norm_key(o): o for o in sorted(KNOWN_ORGS | ORG_OR_PLACE, reverse=True)}

SURNAME_PARTICLES = {"de", "van", "von", "der", "da", "di", "du", "del", "della", "ter", "den", "dos", "das"}


def _prefixes(names: Sequence[str]) -> dict[str, bool]:
    out: dict[str, bool] = {}
    for name in names:
        words = name.split()
        for n in range(2, len(words) + 1):
            out[norm_key(" ".join(words[:n]))] = True
    return out


KNOWN_PREFIXES = _prefixes([*PLACE_INDEX.values(), *SITE_INDEX.values(), *ORG_INDEX.values(), *SITES])


def is_cap(token: str) -> bool:
    return token[:1].isupper() and token[:1].isalpha()


def join_tokens(tokens: Sequence[str]) -> str:
    return " ".join(tokens).replace("Washington, D.C.", "Washington, D.C.")


def lookup_place(tokens: Sequence[str]) -> str | None:
    return PLACE_INDEX.get(norm_key(join_tokens(tokens))) or SITE_INDEX.get(norm_key(join_tokens(tokens)))


def plural_role(token: str) -> bool:
    """"Governors", "Premiers", "Officials": a plural title or group noun, never part of a name."""
    low = token.lower().replace("’", "'")
    if low in GENERIC and low.endswith("s"):
        return True
    return len(low) > 3 and low.endswith("s") and not low.endswith("ss") and (
        low[:-1] in NORMALISED_ROLES or low[:-1] in GENERIC
        or (low.endswith("ies") and low[:-3] + "y" in NORMALISED_ROLES))


def is_generic(token: str) -> bool:
    """A common noun that stands for a person or party but names nobody ("Economists", "Company")."""
    low = token.lower().rstrip(".").replace("’", "'")
    return low in GENERIC or plural_role(token) or (len(low) > 5 and low.endswith("ists"))


def name_like(token: str) -> bool:
    if token.lower() in NAME_PARTICLES:
        return True
    low = token.lower().rstrip(".").replace("’", "'")
    if not is_cap(token) or any(c.isdigit() for c in token) or low in NON_NAME or low in NORMALISED_ROLES \
            or is_generic(token):
        return False
    if token.isupper() and len(token) > 1 and not re.fullmatch(r"[A-Z]\.", token):
        return False
    return token in GIVEN_NAME_PLACES or not (norm_key(token) in PLACE_INDEX and len(token) > 2)


def person_tokens(tokens: Sequence[str]) -> bool:
    core = [t for t in tokens if t.lower() not in NAME_PARTICLES]
    return (2 <= len(core) <= 4 and all(name_like(t) for t in tokens) and is_cap(tokens[0])
            and is_cap(tokens[-1]))


def titled(name: str) -> str:
    """"HUNTSVILLE" → "Huntsville" (a capitalised box-score or dateline town), other names as written."""
    return " ".join(w.capitalize() for w in name.split()) if name.isupper() else name


def is_possessive(token: str) -> bool:
    return bool(re.search(r"['’]s?$", token))


def canonical_place(name: str) -> str | None:
    """"OTTAWA" → "Ottawa", "U.S." → "United States"; None when the gazetteer does not know it."""
    return PLACE_INDEX.get(norm_key(name))
