"""People, organisations and places named in an article, as full canonical names.

Capitalised word sequences are found in each paragraph and classified in order: a curated gazetteer
(places, named sites, well-known organisations), organisation suffix/prefix words ("… Association",
"Bank of …"), job titles that announce a person but are not part of the name ("Industry Minister
Mélanie Joly"), and otherwise a short run of name-like words is a person. A later surname-only mention
("Joly added") resolves to the full name seen in the article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from generator.extract.classify import Found, classify
from generator.extract.gazetteer import GIVEN_NAME_PLACES, PLACE_ALIASES, PRONOUNS, PROVINCES_STATES, SPEECH_VERBS
from generator.extract.lexicon import (
    ABBREV_END,
    CALENDAR,
    CONNECTORS,
    NON_NAME,
    NORMALISED_ROLES,
    ORG_INDEX,
    ORG_SUFFIX,
    PLACE_INDEX,
    PLACE_PREPOSITIONS,
    SURNAME_PARTICLES,
    canonical_place,
    is_cap,
    is_generic,
    is_possessive,
    join_tokens,
    lookup_place,
    name_like,
    norm_key,
    person_tokens,
    titled,
)
from generator.extract.sequences import Seq, find_sequences, is_french

__all__ = ["Entities", "Mention", "canonical_place", "find_entities"]


@dataclass(frozen=True)
class Mention:
    unit: int  # index of the text unit (paragraph) it occurs in
    start: int  # character offset in that unit
    person: str


@dataclass
class Entities:
    people: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)

    def resolve(self, name: str) -> str | None:
        """The canonical person for a full name or a surname-only mention, if known."""
        cleaned = _strip_roles(name.strip().strip(",.").replace("'s", "").replace("’s", ""))
        if not cleaned:
            return None
        for person in self.people:
            if norm_key(person) == norm_key(cleaned):
                return person
        last = norm_key(cleaned.split()[-1])
        matches = [p for p in self.people if norm_key(p.split()[-1]) == last]
        return matches[-1] if matches else None


def _strip_roles(name: str) -> str:
    words = name.split()
    while words and (norm_key(words[0]).rstrip(".") in NORMALISED_ROLES or norm_key(words[0]) in PLACE_ALIASES
                     or norm_key(words[0]) in PLACE_INDEX):
        words = words[1:]
    return " ".join(words)


def find_entities(units: Sequence[str], exclude_people: Sequence[str] = (),
                  known_places: Sequence[str] = ()) -> Entities:
    """Entities in ``units`` (title, deck, captions, paragraphs — in reading order); ``known_places`` are
    places learned from the article itself (its dateline) that the gazetteer may not list."""
    extra = frozenset(norm_key(p) for p in known_places)
    lowercase_words = {w.lower() for u in units for w in re.findall(r"\b[a-z][\w’'-]*\b", u)}
    french = is_french(units)
    openers = _FUNCTION_WORDS | _FRENCH_ARTICLES if french else _FUNCTION_WORDS
    # a lone unknown name after "near" is a town; after "in" it may be anything ("in Brookfield", a company)
    place_words = _FRENCH_PREPOSITIONS if french else {"near", "outside"}
    found: list[Found] = []
    for seq in find_sequences(units, french):
        tokens = list(seq.tokens)
        if tokens and tokens[0] in _LIST_HEADINGS:
            tokens = tokens[1:]  # "More Business News", "Latest Headlines": a heading that names nothing
            if all(t.lower() in NON_NAME for t in tokens):
                continue
        # "Since Canada …", "Two of Canada's …", "When the Bank of Canada …": a function word or a number
        # that opens a sentence never opens a name, whatever follows
        while seq.sentence_initial and len(tokens) > 1 and tokens[0].lower() in openers:
            tokens = tokens[1:]
            while tokens and tokens[0] in CONNECTORS and tokens[0] not in SURNAME_PARTICLES:
                tokens = tokens[1:]
        # a common word that starts a sentence is not part of a name ("Speaking", "Readouts")
        if seq.sentence_initial and len(tokens) > 1 and tokens[-1].rstrip(".").lower() not in ORG_SUFFIX \
                and tokens[0].lower() not in SURNAME_PARTICLES and (
                tokens[0].lower() in lowercase_words or tokens[0].lower() in NON_NAME) and \
                tokens[0].lower().rstrip(".") not in NORMALISED_ROLES and not lookup_place(tokens[:1]) and \
                norm_key(join_tokens(tokens)) not in ORG_INDEX and not lookup_place(tokens):
            tokens = tokens[1:]
        descriptor = re.search(r"(?i)-(area|based|born|bound|style|made|owned|headquartered)$", tokens[0]) \
            if tokens else None
        if descriptor:
            # "Kenora-area First Nation": a descriptor, then a generic phrase that names nothing;
            # "Sudbury-based Norcrest Nickel": what is based somewhere is a company (the town is adjectival)
            tokens = tokens[1:]
            if all(t.lower().rstrip(".") in NON_NAME | ORG_SUFFIX for t in tokens):
                continue
            if descriptor[1].lower() in ("based", "headquartered") and tokens and all(is_cap(t) for t in tokens) \
                    and not lookup_place(tokens):
                found.append(Found("org", join_tokens(tokens), seq))
                continue
        if tokens and tokens[0] in CONNECTORS and not (len(tokens) == 2 and tokens[0] in SURNAME_PARTICLES):
            tokens = tokens[1:]
        while tokens and (tokens[-1].lower() in CALENDAR or tokens[-1] in CONNECTORS):
            tokens = tokens[:-1]
        # "Eugene, Ore.": a name followed by a state or province is a place
        if tokens and seq.after[:1] == [","] and len(seq.after) > 1 and len(tokens) <= 3 \
                and all(is_cap(t) for t in tokens) and not lookup_place(tokens):
            region = PLACE_INDEX.get(norm_key(seq.after[1])) or PLACE_INDEX.get(norm_key(seq.after[1] + "."))
            if region in PROVINCES_STATES or region in {"Quebec", "Washington"}:
                found.append(Found("place", titled(join_tokens(tokens)), seq))
                continue
        if seq.prep in PLACE_PREPOSITIONS | {"at"} and seq.after[:1] and seq.after[0] in _SITE_NOUNS \
                and all(is_cap(t) for t in tokens) and not lookup_place(tokens) \
                and norm_key(join_tokens(tokens)) not in ORG_INDEX:
            found.append(Found("place", join_tokens(tokens), seq))  # "at the Berlaymont building"
            continue
        if len(tokens) == 1 and seq.before in place_words and not seq.sentence_initial \
                and (not seq.after or not is_cap(seq.after[0])) and name_like(tokens[0]) \
                and not is_possessive(tokens[0]) and tokens[0].lower() not in lowercase_words \
                and tokens[0] not in GIVEN_NAME_PLACES and not any(
                    f.kind == "person" and norm_key(f.name.split()[-1]) == norm_key(tokens[0]) for f in found):
            found.append(Found("place", tokens[0], seq))  # "near Ames", "in Balfour": a town the list lacks
            continue
        if len(tokens) >= 2 and seq.before in PLACE_PREPOSITIONS and person_tokens(tokens) \
                and not (seq.after[:1] and seq.after[0] in ("'s", "’s")) and not is_possessive(tokens[-1]) \
                and not any(norm_key(join_tokens(tokens)) == norm_key(f.name) for f in found if f.kind == "person"):
            found.append(Found("place", join_tokens(tokens), seq))  # "a dealership in Moose Jaw"
            continue
        found.extend(classify(tokens, seq, lowercase_words, extra))

    found = _team_names(_list_places(units, found, lowercase_words, extra))
    ents = Entities()
    excluded = {norm_key(n) for n in exclude_people}
    for f in found:
        if f.kind == "person" and norm_key(f.name) not in excluded and f.name not in ents.people:
            # a longer form of a known name replaces nothing; a shorter one is resolved below
            ents.people.append(f.name)
    surnames: list[str] = []
    for f in found:
        if f.kind == "person":
            ents.mentions.append(Mention(f.seq.unit, f.seq.start, f.name))
        elif f.kind == "surname":
            person = ents.resolve(f.name)
            if person:
                ents.mentions.append(Mention(f.seq.unit, f.seq.start, person))
            elif _speaks(f.seq) and norm_key(f.name) not in excluded and f.name.lower() not in PRONOUNS:
                surnames.append(f.name)
        elif f.kind == "org" and norm_key(f.name) not in {norm_key(o) for o in ents.organizations}:
            ents.organizations.append(f.name)
        elif f.kind == "place" and norm_key(f.name) not in {norm_key(p) for p in ents.places}:
            ents.places.append(f.name)
    for name in surnames:
        if name not in ents.people:
            ents.people.append(name)
    for f in found:
        if f.kind == "surname" and f.name in ents.people:
            ents.mentions.append(Mention(f.seq.unit, f.seq.start, f.name))
    ents.mentions.sort(key=lambda m: (m.unit, m.start))
    return ents


_LIST_WORD = r"[A-ZÀ-Ý][\wÀ-ÿ'’.\-]*"
_LIST_NAME = rf"{_LIST_WORD}(?:[ \u00a0](?:(?:of|de|du|la) )?{_LIST_WORD}){{0,3}}"
_LIST = re.compile(rf"(?<![\wÀ-ÿ–\-]){_LIST_NAME}(?:,\s+{_LIST_NAME})*,?\s+(?:and|or)\s+{_LIST_NAME}(?![–\-])"
                   rf"|(?<![\wÀ-ÿ–\-]){_LIST_NAME}(?:,\s+{_LIST_NAME}){{2,}}(?![–\-])")
_COMPOUND = re.compile(r"(?<![\wÀ-ÿ])([A-ZÀ-Ý][\wÀ-ÿ'’\-]*)–([A-ZÀ-Ý][\wÀ-ÿ'’\-]*)")
_LEAD_WORDS = {"in", "on", "at", "for", "from", "with", "by", "as", "but", "and", "or", "if", "when", "while",
               "after", "before", "since", "during", "under", "over", "both", "between", "like", "including",
               "near", "outside", "to", "of", "across", "through", "around", "also", "then"}


def _list_places(units: Sequence[str], found: list[Found], lowercase_words: set[str],
                 extra: frozenset[str]) -> list[Found]:
    """Unknown names listed with known places are places too ("Thompson, Flin Flon and The Pas"); a place
    word listed among people is a surname ("Ford, Legault and Houston")."""
    place_keys = {norm_key(f.name) for f in found if f.kind == "place"} | extra
    org_keys = {norm_key(f.name) for f in found if f.kind == "org"}
    people = [f.name for f in found if f.kind == "person"]
    person_keys = {norm_key(p) for p in people}
    surname_keys = {norm_key(p.split()[-1]) for p in people}
    given_keys = {norm_key(p.split()[0]) for p in people if len(p.split()) > 1}

    def person(name: str) -> bool:
        k = norm_key(name)
        return k in person_keys or (len(name.split()) == 1 and k in surname_keys | given_keys)

    def known(name: str) -> str | None:
        if name in GIVEN_NAME_PLACES and person(name):
            return None
        return lookup_place(name.split()) or (name if norm_key(name) in place_keys else None)

    def unknown_ok(name: str, initial: bool) -> bool:
        words = name.split()
        if not 1 <= len(words) <= 3 or is_possessive(words[-1]) or person(name) or norm_key(name) in ORG_INDEX \
                or norm_key(name) in org_keys or words[-1].lower().rstrip(".") in ORG_SUFFIX:
            return False
        if initial and words[0].lower() in lowercase_words:
            return False
        for i, w in enumerate(words):
            low = w.lower().rstrip(".").replace("’", "'")
            if w in ("of", "de", "du", "la"):
                continue
            if (low in NON_NAME and not (i == 0 and w == "The" and len(words) > 1)) or low in CALENDAR \
                    or low in NORMALISED_ROLES or is_generic(w) or w.isupper() or any(c.isdigit() for c in w):
                return False
        return True

    added: list[Found] = []
    drop: list[tuple[int, int, int, str]] = []  # unit, span and key of a place word listed among people
    for u, text in enumerate(units):
        for m in _COMPOUND.finditer(text):
            a, b = m.group(1), m.group(2)
            if bool(known(a)) != bool(known(b)) and unknown_ok(b if known(a) else a, False) \
                    and norm_key(m.group()) not in place_keys:
                place_keys.add(norm_key(m.group()))
                added.append(Found("place", m.group(), Seq([m.group()], u, m.start(), False, "", [])))
        for m in _LIST.finditer(text):
            tail = text[m.end():].lstrip().lower()
            if any(tail.startswith(v + " ") or tail.startswith(v + ".") for v in SPEECH_VERBS):
                continue  # "Smith and Jones said": a list of speakers
            members: list[tuple[str, int, bool]] = []
            for pm in re.finditer(_LIST_NAME, m.group()):
                name, start = pm.group(), m.start() + pm.start()
                words = name.split()
                while len(words) > 1 and words[0].lower() in _LEAD_WORDS:
                    start += len(words[0]) + 1
                    words = words[1:]
                name = " ".join(words)
                if name.endswith(".") and not known(name) and not ABBREV_END.match(words[-1]):
                    name = name[:-1]
                before = text[:start].rstrip()
                initial = not before or before[-1] in ".!?:“\"—"
                members.append((name, start, initial))
            if len(members) < 2:
                continue
            if sum(person(n) for n, _, _ in members) >= 2:
                drop.extend((u, m.start(), m.end(), norm_key(n)) for n, _, _ in members
                            if n in GIVEN_NAME_PLACES and person(n))
                continue
            if not any(known(n) for n, _, _ in members):
                continue
            for name, start, initial in members:
                if known(name) or not unknown_ok(name, initial):
                    continue
                place_keys.add(norm_key(name))
                added.append(Found("place", name, Seq(name.split(), u, start, initial, "", [])))
    if drop:
        found = [f for f in found if not (f.kind == "place" and any(
            f.seq.unit == u and a <= f.seq.start < b and norm_key(f.name) == k for u, a, b, k in drop))]
    # a name now known as a place is not also a surname
    added_keys = {norm_key(f.name) for f in added}
    found = [f for f in found if not (f.kind == "surname" and norm_key(f.name) in added_keys)]
    return sorted([*found, *added], key=lambda f: (f.seq.unit, f.seq.start))


_FUNCTION_WORDS = {"since", "when", "after", "before", "while", "if", "as", "because", "although", "though", "but",
                   "and", "or", "so", "yet", "in", "on", "at", "for", "from", "with", "by", "during", "under",
                   "over", "despite", "until", "unless", "once", "where", "how", "why", "what", "whether", "one",
                   "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "both", "all", "some",
                   "many", "most", "several", "few", "every", "each", "no", "none", "among", "amid", "without",
                   "like", "unlike", "about", "against", "between", "through", "throughout", "then", "there",
                   "here", "this", "that", "these", "those", "it", "its", "our", "their", "his", "her", "my", "your",
                   "selon", "les", "des", "pour", "dans", "avec", "chez", "depuis", "lorsque", "quand", "mais",
                   "aux", "au", "une", "un", "ces", "cette", "ce", "leur", "leurs", "son", "sa", "ses"}
_LIST_HEADINGS = {"More", "Latest", "Trending", "Breaking", "Related", "Featured", "Recommended", "Popular"}
_FRENCH_ARTICLES = {"la", "le", "les", "l", "un", "une"}
_FRENCH_PREPOSITIONS = {"à", "au", "aux", "de", "du", "des", "en", "vers", "pour", "près"}
_SITE_NOUNS = {"building", "tower", "arena", "stadium", "plaza", "square", "terminal", "pier", "wharf"}


def _team_names(found: list[Found]) -> list[Found]:
    """"Red Sox" once "the Boston Red Sox" is known: a team or company named after its home, cited without it,
    is that organisation, not a person or a surname."""
    short: dict[str, str] = {}
    for f in found:
        if f.kind != "org":
            continue
        words = f.name.split()
        for k in range(min(3, len(words) - 1), 0, -1):
            if lookup_place(words[:k]):
                short.setdefault(norm_key(" ".join(words[k:])), f.name)
                break
    if not short:
        return found
    return [Found("org", short[norm_key(f.name)], f.seq) if f.kind in ("person", "surname", "org")
            and norm_key(f.name) in short else f for f in found]


def _speaks(seq: Seq) -> bool:
    after = " ".join(seq.after).lower()
    return any(after.startswith(v) for v in SPEECH_VERBS) or seq.before in ("said", "says", "according")
