"""One run of capitalised words → what it names: a place, an organisation, a person or a lone surname.

Tried in order: the gazetteer (places, sites, known organisations); organisation suffix and prefix
words ("… Association", "Bank of …"); named-site shapes ("Place Bell", "… Bridge"); job titles that
announce a person but are not part of the name ("Industry Minister Mélanie Joly"); a place followed by
a name; and otherwise a short run of name-like words is a person.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from generator.extract.gazetteer import DEMONYMS, GIVEN_NAME_PLACES, NAME_PARTICLES
from generator.extract.lexicon import (
    NORMALISED_ROLES,
    ORG_INDEX,
    ORG_PREFIX,
    ORG_SUFFIX,
    PLACE_PREFIXES,
    PLACE_SUFFIX,
    SURNAME_PARTICLES,
    is_cap,
    join_tokens,
    lookup_place,
    name_like,
    norm_key,
    person_tokens,
    plural_role,
    titled,
)
from generator.extract.sequences import FRENCH_HEADS, Seq


@dataclass
class Found:
    kind: str  # person | surname | org | place
    name: str
    seq: Seq


_UI_WORDS = {"to", "more", "your", "our", "for", "free", "now", "here", "click", "read", "sign", "log", "subscribe",
             "unlock", "continue", "create", "account", "articles", "this", "with", "you", "get", "access", "or"}
_VENUE_PREPOSITIONS = {"at", "in", "inside", "outside", "near", "from", "into"}
# Role words that name a portfolio rather than a person's title: at the end of a run they end a body's name.
_PORTFOLIOS = {"health", "finance", "trade", "energy", "transport", "justice", "environment", "agriculture",
               "housing", "immigration", "innovation", "defence", "defense", "fisheries", "heritage", "labour",
               "labor", "commerce", "development", "affairs", "safety", "resources", "preparedness"}


def _role(token: str) -> bool:
    return token.lower().rstrip(".").replace("’", "'") in NORMALISED_ROLES


def _split_on(tokens: Sequence[str], word: str) -> list[list[str]]:
    parts: list[list[str]] = [[]]
    for t in tokens:
        if t == word:
            parts.append([])
        else:
            parts[-1].append(t)
    return parts


def classify(tokens: list[str], seq: Seq, lowercase_words: set[str],
              extra: frozenset[str] = frozenset()) -> list[Found]:
    if not tokens:
        return []
    text = join_tokens(tokens)
    # a possessive on the last word ("Trump’s", "CTV News’") is not part of the name
    if not lookup_place(tokens) and norm_key(text) not in ORG_INDEX:
        last = re.sub(r"['’]s?$", "", tokens[-1])
        if last != tokens[-1]:
            tokens = [*tokens[:-1], last]
            text = join_tokens(tokens)
    place = lookup_place(tokens) or (titled(text) if norm_key(text) in extra else None)
    if place:
        return [Found("place", place, seq)]
    if norm_key(text) in ORG_INDEX:
        return [Found("org", ORG_INDEX[norm_key(text)], seq)]
    # "Jets' Anders Halvorsen", "EU's von der Leyen": a possessive that introduces a name is not part of it
    for i, tok in enumerate(tokens[:-1]):
        rest = tokens[i + 1:]
        if not re.search(r"['’]s?$", tok) or rest[-1].rstrip(".").lower() in ORG_SUFFIX or not (
                person_tokens(rest) or rest[0] in NAME_PARTICLES or (len(rest) == 1 and name_like(rest[0]))):
            continue
        owner = [*tokens[:i], re.sub(r"['’]s?$", "", tok)]
        named = [Found("person", join_tokens(rest), seq)] if person_tokens(rest) \
            else [Found("surname", rest[0], seq)] if len(rest) == 1 else classify(rest, seq, lowercase_words, extra)
        return [*classify(owner, seq, lowercase_words, extra), *named]
    if len(tokens) >= 2 and all(t.isupper() for t in tokens) and any(t.lower() in _UI_WORDS for t in tokens):
        return []  # "TO UNLOCK MORE ARTICLES": a capitalised button, not a name
    if tokens[0] in ("The", "A", "An") and len(tokens) > 1:
        return classify(tokens[1:], seq, lowercase_words, extra)
    if tokens[0] in FRENCH_HEADS and len(tokens) >= 2:
        return [Found("org", text, seq)]  # "Université Laval", "Parti Québécois", "Office québécois de …"
    if tokens[0] in ("Highway", "Route", "Hwy", "Interstate") and len(tokens) == 2 and tokens[1].isdigit():
        return [Found("place", text, seq)]
    if len(tokens) >= 3 and tokens[-2] == "Local" and tokens[-1].isdigit():
        return [Found("org", text, seq)]  # a union local
    if len(tokens) == 2 and tokens[0] in SURNAME_PARTICLES and name_like(tokens[1]):
        return [Found("person", text, seq)]  # "de Gaulle"
    if len(tokens) >= 3 and all(t.lower() in NAME_PARTICLES for t in tokens[:-1]) and name_like(tokens[-1]):
        return [Found("surname" if is_cap(tokens[0]) else "person", text, seq)]  # "von der Leyen"
    if len(tokens) >= 2 and tokens[0].lower() in DEMONYMS and norm_key(join_tokens(tokens[1:])) in ORG_INDEX:
        return [Found("org", text, seq)]  # "Canadian Red Cross"
    low_last = tokens[-1].rstrip(".").lower()
    # "Bank of Canada Governor Tiff Macklem": an organisation, a title, then the person who holds it
    titled_at = next((i for i in range(1, len(tokens) - 2) if _role(tokens[i]) and not _role(tokens[i - 1])
                      and person_tokens(tokens[max(j for j in range(i, len(tokens)) if _role(tokens[j])) + 1:])),
                     None)
    if titled_at is not None and (low_last not in ORG_SUFFIX) and "and" not in tokens:
        holder = tokens[max(j for j in range(titled_at, len(tokens)) if _role(tokens[j])) + 1:]
        return [*classify(tokens[:titled_at], seq, lowercase_words, extra), Found("person", join_tokens(holder), seq)]
    if "of" in tokens and _role(tokens[0]) and all(_role(t) or t == "and" for t in tokens[:tokens.index("of")]):
        return classify(tokens[tokens.index("of") + 1:], seq, lowercase_words, extra)  # "President and CEO of X"
    if "and" in tokens:
        parts = _split_on(tokens, "and")
        if len(parts) >= 2 and all(len(p) >= 2 and (p[-1].rstrip(".").lower() in ORG_SUFFIX
                                                      or norm_key(join_tokens(p)) in ORG_INDEX) for p in parts):
            # "Business Development Bank of Canada and Export Development Canada": two organisations
            return [f for p in parts for f in classify(p, seq, lowercase_words, extra)]
        if len(parts) >= 2 and all(parts):
            # "Cleveland-Cliffs and Toronto-Dominion Bank": two names of their own; "Bank of Canada Governor
            # Tiff Macklem and …": a person inside. "Fisheries and Oceans Canada" stays one name.
            each = [classify(p, seq, lowercase_words, extra) for p in parts]
            if all(len(r) == 1 and r[0].kind == "org" for r in each) \
                    or any(f.kind == "person" for r in each for f in r):
                return [f for r in each for f in r]
    places_joined = "and" in tokens and all(lookup_place([t]) for t in tokens if t != "and")
    if len(tokens) >= 2 and not places_joined and (
            low_last in ORG_SUFFIX or (tokens[0].lower() in ORG_PREFIX and "of" in tokens)):
        # "Ontario Premier Doug Ford" never ends in a suffix; "Prime Minister’s Office" does
        return [Found("org", text, seq)]
    if "of" in tokens[1:-1]:
        head = tokens[tokens.index("of") - 1].rstrip(".").lower()
        if head in ORG_SUFFIX or head.rstrip("s") in ORG_SUFFIX or head in ORG_PREFIX:
            return [Found("org", text, seq)]
    if len(tokens) >= 2 and low_last.endswith("workers"):
        return [Found("org", text, seq)]  # "United Steelworkers", "Canadian Autoworkers"
    if len(tokens) >= 2 and tokens[0] in PLACE_PREFIXES:
        return [Found("place", text, seq)]  # "Place Bell", "Mount Royal", "Lake Louise"
    if len(tokens) >= 3 and low_last in ("centre", "center"):
        # "Canadian Interagency Forest Fire Centre" is an agency; "at Canada Life Centre", a venue
        return [Found("place" if seq.prep in _VENUE_PREPOSITIONS else "org", text, seq)]
    if len(tokens) >= 2 and low_last in PLACE_SUFFIX and not person_tokens(tokens) and "and" not in tokens:
        return [Found("place", text, seq)]
    # "and" joins only inside organisation names
    if ("and" in tokens or "&" in tokens) and (
            low_last not in ORG_SUFFIX or any(lookup_place([t]) for t in tokens if t not in ("and", "&"))):
        out: list[Found] = []
        part: list[str] = []
        for t in [*tokens, "and"]:
            if t in ("and", "&"):
                out.extend(classify(part, seq, lowercase_words, extra))
                part = []
            else:
                part.append(t)
        return out
    # "Governors Christopher Waller": a leading plural title is not part of the name
    if len(tokens) >= 3 and plural_role(tokens[0]) and norm_key(text) not in ORG_INDEX:
        return classify(tokens[1:], seq, lowercase_words, extra)
    # job titles: the name follows the last role word
    role_idx = [i for i, t in enumerate(tokens) if t.lower().rstrip(".").replace("’", "'") in NORMALISED_ROLES]
    if role_idx and role_idx[-1] == len(tokens) - 1 and len(tokens) >= 2 and tokens[-1].lower() in _PORTFOLIOS:
        return [Found("org", text, seq)]  # "Vancouver Coastal Health": a portfolio word that ends a name
    if role_idx:
        last_role = role_idx[-1]
        name = tokens[last_role + 1:]
        prefix = [t for t in tokens[: role_idx[0]] if t.lower() not in ("of", "for", "the")]
        found: list[Found] = []
        if prefix:
            found.extend(classify(prefix, seq, lowercase_words, extra))
        if name:
            if len(name) == 1:
                if name_like(name[0]):
                    found.append(Found("surname", name[0], seq))
            elif person_tokens(name):
                found.append(Found("person", join_tokens(name), seq))
            else:
                found.extend(classify(name, seq, lowercase_words, extra))
        return found
    # "the Boston Red Sox", "the St. Louis Blues": a place, then capitalised words after "the" are a team or a
    # company, never a person
    for k in range(min(3, len(tokens) - 1), 0, -1):
        if seq.before == "the" and lookup_place(tokens[:k]) and all(is_cap(t) for t in tokens[k:]) \
                and not lookup_place(tokens[k:]):
            return [Found("org", text, seq)]
    # "to Canada Pete Hoekstra": a place, then a name
    for k in range(1, min(4, len(tokens))):
        lead = lookup_place(tokens[:k])
        if lead and person_tokens(tokens[k:]):
            return [Found("place", lead, seq), Found("person", join_tokens(tokens[k:]), seq)]
        if lead and lookup_place(tokens[k:]):
            return [Found("place", lead, seq), Found("place", lookup_place(tokens[k:]) or "", seq)]  # "U.S. Midwest"
    if len(tokens) >= 2 and re.fullmatch(r"[A-Z]{2,5}", tokens[0]) and not lookup_place(tokens[:1]) \
            and all(is_cap(t) for t in tokens[1:]):
        return [Found("org", text, seq)]  # "BMO Capital Markets": an acronym never starts a person's name
    # "Toronto Maple Leafs", "Manitoba Hydro", "Canada Post": a place name, then not a person
    given_name = tokens[0] in GIVEN_NAME_PLACES and person_tokens(tokens)
    town = lookup_place(tokens[:1]) or norm_key(tokens[0]) in extra
    if 2 <= len(tokens) <= 4 and town and all(is_cap(t) for t in tokens[1:]) \
            and not lookup_place(tokens[1:2]) and not given_name:
        return [Found("org", text, seq)]
    if len(tokens) == 1 and norm_key(tokens[0]) in extra:
        return [Found("place", titled(tokens[0]), seq)]
    if 2 <= len(tokens) <= 5 and lookup_place(tokens[:2]) and all(is_cap(t) for t in tokens[2:]) \
            and len(tokens) > 2 and not lookup_place(tokens[2:3]):
        return [Found("org", text, seq)]  # "St. Louis Blues", "New York Yankees"
    if len(tokens) == 1:
        tok = tokens[0]
        if tok.isupper() and len(tok) >= 2:
            return []
        halves = tok.split("-")
        if len(halves) == 2 and lookup_place(halves[:1]) and halves[0] not in GIVEN_NAME_PLACES \
                and halves[1][:1].isupper() and not lookup_place(halves[1:]):
            return [Found("org", tok, seq)]  # "Cleveland-Cliffs": a company named after a place
        if seq.sentence_initial and tok.lower() in lowercase_words:
            return []
        if name_like(tok):
            return [Found("surname", tok, seq)]
        return []
    if person_tokens(tokens):
        return [Found("person", text, seq)]
    return []
