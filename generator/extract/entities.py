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
    PRONOUNS,
    PROVINCES_STATES,
    ROLE_WORDS,
    SITES,
    SPEECH_VERBS,
)

_TOKEN = re.compile(
    r"(?:[A-Z]\.){2,}|(?:Mr|Mrs|Ms|Dr|St|Ste|Jr|Sr|Inc|Corp|Ltd|Co|Sen|Rep|Gov|Lt|Gen|Col|Sgt|Capt|Prof|Hon|Rev|Mt|Ft)\."
    r"|[\wÀ-ÖØ-öø-ÿ]+(?:['’\-][\wÀ-ÖØ-öø-ÿ]+)*['’]?|[^\s\w]")
_CONNECTORS = {"of", "and", "&", "de", "du", "la", "von", "van", "der", "for", "the", "des", "da", "di"}
_CALENDAR = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
             "february", "march", "april", "may", "june", "july", "august", "september", "october",
             "november", "december", "jan.", "feb.", "aug.", "sept.", "oct.", "nov.", "dec."}
_PREPOSITIONS = {"to", "of", "for", "in", "from", "at", "with", "on", "by", "toward", "towards"}
_SENTENCE_END = {".", "!", "?", "“", "\"", ":", "—", "–", "(", "‘"}
_ABBREV_END = re.compile(
    r"^(?:[A-Z]\.){2,}$|^(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Sen|Rep|Gov|Lt|Gen|Col|Sgt|Capt|Prof|Hon|Rev)\.$")
_NORMALISED_ROLES = {w.lower().rstrip(".").replace("’", "'") for w in ROLE_WORDS}
_NON_NAME = {w.lower().rstrip(".") for w in NON_NAME_WORDS}
_GENERIC = {w.lower() for w in GENERIC_NOUNS}
_ORG_SUFFIX = {w.rstrip(".").lower() for w in ORG_SUFFIXES}
_ORG_PREFIX = {w.lower() for w in ORG_PREFIXES}
_PLACE_PREPOSITIONS = {"in", "near", "outside"}
_PLACE_PREFIXES = {"Place", "Rue", "Mount", "Lake", "Fort", "Port", "Parc", "Île", "Pointe", "Cape", "Cap"}
_PLACE_SUFFIX = {w.rstrip(".").lower() for w in PLACE_SUFFIXES}


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip().lower()


# The gazetteers are sets: when two spellings share a key (Queen's / Queen’s Park), a sorted walk decides
# which one names the entity, the same on every run (set order changes with PYTHONHASHSEED). The
# reverse order lets the plain-apostrophe spelling, written last, win.
_PLACE_INDEX: dict[str, str] = {_key(p): p for p in sorted(PLACES, reverse=True)}
_PLACE_INDEX.update({_key(a): c for a, c in PLACE_ALIASES.items()})
for _p in ("Québec", "Montréal"):
    _PLACE_INDEX[_key(_p)] = PLACE_ALIASES.get(_p, _p)
_SITE_INDEX = {_key(s): s.replace("'", "’") if "’" not in s else s for s in sorted(SITES, reverse=True)}
_ORG_INDEX = {_key(o): o for o in sorted(KNOWN_ORGS | ORG_OR_PLACE, reverse=True)}


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
            if _key(person) == _key(cleaned):
                return person
        last = _key(cleaned.split()[-1])
        matches = [p for p in self.people if _key(p.split()[-1]) == last]
        return matches[-1] if matches else None


def _strip_roles(name: str) -> str:
    words = name.split()
    while words and (_key(words[0]).rstrip(".") in _NORMALISED_ROLES or _key(words[0]) in PLACE_ALIASES
                     or _key(words[0]) in _PLACE_INDEX):
        words = words[1:]
    return " ".join(words)


@dataclass
class _Seq:
    tokens: list[str]
    unit: int
    start: int
    sentence_initial: bool
    before: str  # the lower-case word just before, if any
    after: list[str]  # up to three following tokens


def _tokens(text: str) -> list[tuple[str, int]]:
    # "Canada-U.S." and "U.S.-Mexico" are two places; "Marie-Philip" is one name
    text = re.sub(r"(?<=[A-Za-z.])-(?=(?:[A-Z]\.){2,})", " - ", text)
    text = re.sub(r"(?<=\.)-(?=[A-Z])", " - ", text)
    text = re.sub(r"\b([A-Z][a-z]+)-(?=([A-Z][a-z]+))",
                  lambda m: m[1] + " - " if _key(m[1]) in _PLACE_INDEX and m[1] not in GIVEN_NAME_PLACES else m[0],
                  text)
    return [(m.group(), m.start()) for m in _TOKEN.finditer(text)]


def _is_cap(token: str) -> bool:
    return token[:1].isupper() and token[:1].isalpha()


def _sequences(units: Sequence[str]) -> list[_Seq]:
    out: list[_Seq] = []
    for u, text in enumerate(units):
        toks = _tokens(text)
        i = 0
        while i < len(toks):
            tok, pos = toks[i]
            if not _is_cap(tok):
                i += 1
                continue
            prev = toks[i - 1][0] if i else ""
            initial = i == 0 or (prev in _SENTENCE_END and not _ABBREV_END.match(toks[i - 2][0] if i >= 2 else "")) \
                or (prev in {"“", "\"", "‘"} and (i < 2 or toks[i - 2][0] in _SENTENCE_END | {","}))
            if prev == "." and i >= 2 and _ABBREV_END.match(toks[i - 2][0]):
                initial = False
            if tok in ("The", "A", "An") and i + 1 < len(toks) and toks[i + 1][0] in _FRENCH_HEADS:
                i += 1  # "The Conseil du patronat …": the English article is not part of the French name
                continue
            j = i
            seq = [tok]
            # "de Gaulle": a lower-case particle before a lone surname belongs to it
            if i >= 1 and prev in _SURNAME_PARTICLES and (
                    i < 2 or not _is_cap(toks[i - 2][0]) or toks[i - 2][0].lower().rstrip(".") in _NON_NAME) \
                    and _key(tok) not in _PLACE_INDEX and not (i + 1 < len(toks) and _is_cap(toks[i + 1][0])):
                seq = [prev, tok]
                pos = toks[i - 1][1]
            j += 1
            if tok in _FRENCH_HEADS and j < len(toks) and _french_word(toks[j][0]):
                # "Office québécois de la langue française", "Conseil du patronat du Québec"
                k = j
                while k < len(toks) and re.match(r"\w", toks[k][0]) and toks[k][0].lower() not in _ENGLISH_STOP:
                    k += 1
                name = [t for t, _ in toks[i:k]]
                while len(name) > 1 and not _is_cap(name[-1]) and (
                        name[-1].lower() in _FRENCH_PARTICLES or not re.search(r"[À-ÿ]", name[-1])):
                    name.pop()
                if len(name) >= 2:
                    j = i + len(name)
                    before = prev.lower() if prev[:1].islower() else ""
                    after = [toks[x][0] for x in range(j, min(j + 4, len(toks)))]
                    out.append(_Seq(name, u, pos, initial, before, after))
                    i = j
                    continue
            while j < len(toks):
                t = toks[j][0]
                if _is_cap(t):
                    if re.search(r"['’]s$", seq[-1]) and not _KNOWN_PREFIXES.get(_key(_join([*seq, t]))) \
                            and t.lower().rstrip(".") not in _ORG_SUFFIX and (len(seq) == 1 or _key(t) in _PLACE_INDEX):
                        break  # "Stelco's Hamilton operations": a possessive ends the name
                    seq.append(t)
                    j += 1
                    continue
                if t.isdigit() and seq[-1] in ("Local", "Highway", "Route", "Hwy", "Interstate", "Lodge"):
                    seq.append(t)  # "United Steelworkers Local 1005", "Highway 17"
                    j += 1
                    continue
                joins = t.lower() in _CONNECTORS and (t.islower() or t == "&")
                if joins and j + 1 < len(toks) and _is_cap(toks[j + 1][0]):
                    seq.append(t)
                    j += 1
                    continue
                if joins and j + 2 < len(toks) and _is_cap(toks[j + 2][0]) and (
                        (t, toks[j + 1][0]) in _PARTICLE_PAIRS
                        or ((t, toks[j + 1][0]) == ("of", "the") and seq[0] in _PLACE_PREFIXES | {"Isle", "Gulf"})):
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
            out.append(_Seq(seq, u, pos, initial, before, after))
            i = j
    return out


_PARTICLE_PAIRS = {("de", "la"), ("van", "der"), ("von", "der"), ("van", "den"), ("de", "los"), ("de", "las"),
                   ("de", "le"), ("van", "de")}
_SURNAME_PARTICLES = {"de", "van", "von", "der", "da", "di", "du", "del", "della", "ter", "den", "dos", "das"}
_FRENCH_HEADS = {"Conseil", "Office", "Société", "Ministère", "Régie", "Caisse", "Syndicat", "Fédération",
                 "Confédération", "Université", "Institut", "Commission", "Banque", "Centre", "Collège", "Cégep",
                 "Musée", "Mouvement", "Regroupement", "Ordre", "Agence", "Bureau", "Secrétariat", "Tribunal",
                 "Cour", "Gazette", "Parti", "Union", "Association", "Alliance", "Fondation", "Chambre", "Comité",
                 "Réseau", "Front", "Assemblée", "Centrale", "Hôpital", "École", "Orchestre", "Théâtre"}
_FRENCH_PARTICLES = {"du", "de", "des", "la", "le", "les", "d", "l", "et", "en", "pour", "sur", "au", "aux"}
_ENGLISH_STOP = {"will", "was", "were", "is", "are", "has", "have", "had", "said", "says", "and", "but", "the", "to",
                 "in", "on", "for", "of", "a", "an", "which", "that", "with", "at", "by", "as", "less", "more",
                 "would", "could", "can", "its", "their", "also", "not", "who", "announced", "told", "added",
                 "next", "last", "this", "after", "before", "since", "when", "where", "or", "be", "been", "it"}


def _french_word(token: str) -> bool:
    low = token.lower()
    return token[:1].islower() and (low in _FRENCH_PARTICLES or bool(re.search(r"[à-ÿ]", low))
                                    or bool(re.match(r"^[dl]['’]", low)))


def _prefixes(names: Sequence[str]) -> dict[str, bool]:
    out: dict[str, bool] = {}
    for name in names:
        words = name.split()
        for n in range(2, len(words) + 1):
            out[_key(" ".join(words[:n]))] = True
    return out


_KNOWN_PREFIXES = _prefixes([*_PLACE_INDEX.values(), *_SITE_INDEX.values(), *_ORG_INDEX.values(), *SITES])


def _join(tokens: Sequence[str]) -> str:
    return " ".join(tokens).replace("Washington, D.C.", "Washington, D.C.")


def _place(tokens: Sequence[str]) -> str | None:
    return _PLACE_INDEX.get(_key(_join(tokens))) or _SITE_INDEX.get(_key(_join(tokens)))


def _plural_role(token: str) -> bool:
    """"Governors", "Premiers", "Officials": a plural title or group noun, never part of a name."""
    low = token.lower().replace("’", "'")
    if low in _GENERIC and low.endswith("s"):
        return True
    return len(low) > 3 and low.endswith("s") and not low.endswith("ss") and (
        low[:-1] in _NORMALISED_ROLES or low[:-1] in _GENERIC
        or (low.endswith("ies") and low[:-3] + "y" in _NORMALISED_ROLES))


def _generic(token: str) -> bool:
    """A common noun that stands for a person or party but names nobody ("Economists", "Company")."""
    low = token.lower().rstrip(".").replace("’", "'")
    return low in _GENERIC or _plural_role(token) or (len(low) > 5 and low.endswith("ists"))


def _name_like(token: str) -> bool:
    if token.lower() in NAME_PARTICLES:
        return True
    low = token.lower().rstrip(".").replace("’", "'")
    if not _is_cap(token) or any(c.isdigit() for c in token) or low in _NON_NAME or low in _NORMALISED_ROLES \
            or _generic(token):
        return False
    if token.isupper() and len(token) > 1 and not re.fullmatch(r"[A-Z]\.", token):
        return False
    return token in GIVEN_NAME_PLACES or not (_key(token) in _PLACE_INDEX and len(token) > 2)


def _person_tokens(tokens: Sequence[str]) -> bool:
    core = [t for t in tokens if t.lower() not in NAME_PARTICLES]
    return (2 <= len(core) <= 4 and all(_name_like(t) for t in tokens) and _is_cap(tokens[0])
            and _is_cap(tokens[-1]))


@dataclass
class _Found:
    kind: str  # person | surname | org | place
    name: str
    seq: _Seq


def _titled(name: str) -> str:
    """"HUNTSVILLE" → "Huntsville" (a capitalised box-score or dateline town), other names as written."""
    return " ".join(w.capitalize() for w in name.split()) if name.isupper() else name


def _split_on(tokens: Sequence[str], word: str) -> list[list[str]]:
    parts: list[list[str]] = [[]]
    for t in tokens:
        if t == word:
            parts.append([])
        else:
            parts[-1].append(t)
    return parts


def _classify(tokens: list[str], seq: _Seq, lowercase_words: set[str],
              extra: frozenset[str] = frozenset()) -> list[_Found]:
    if not tokens:
        return []
    text = _join(tokens)
    # a possessive on the last word ("Trump’s", "CTV News’") is not part of the name
    if not _place(tokens) and _key(text) not in _ORG_INDEX:
        last = re.sub(r"['’]s?$", "", tokens[-1])
        if last != tokens[-1]:
            tokens = [*tokens[:-1], last]
            text = _join(tokens)
    place = _place(tokens) or (_titled(text) if _key(text) in extra else None)
    if place:
        return [_Found("place", place, seq)]
    if _key(text) in _ORG_INDEX:
        return [_Found("org", _ORG_INDEX[_key(text)], seq)]
    if tokens[0] in ("The", "A", "An") and len(tokens) > 1:
        return _classify(tokens[1:], seq, lowercase_words, extra)
    if tokens[0] in _FRENCH_HEADS and len(tokens) >= 2:
        return [_Found("org", text, seq)]  # "Université Laval", "Parti Québécois", "Office québécois de …"
    if tokens[0] in ("Highway", "Route", "Hwy", "Interstate") and len(tokens) == 2 and tokens[1].isdigit():
        return [_Found("place", text, seq)]
    if len(tokens) >= 3 and tokens[-2] == "Local" and tokens[-1].isdigit():
        return [_Found("org", text, seq)]  # a union local
    if len(tokens) == 2 and tokens[0] in _SURNAME_PARTICLES and _name_like(tokens[1]):
        return [_Found("person", text, seq)]  # "de Gaulle"
    low_last = tokens[-1].rstrip(".").lower()
    if "and" in tokens:
        parts = _split_on(tokens, "and")
        if len(parts) >= 2 and all(len(p) >= 2 and (p[-1].rstrip(".").lower() in _ORG_SUFFIX
                                                      or _key(_join(p)) in _ORG_INDEX) for p in parts):
            # "Business Development Bank of Canada and Export Development Canada": two organisations
            return [f for p in parts for f in _classify(p, seq, lowercase_words, extra)]
    places_joined = "and" in tokens and all(_place([t]) for t in tokens if t != "and")
    if len(tokens) >= 2 and not places_joined and (
            low_last in _ORG_SUFFIX or (tokens[0].lower() in _ORG_PREFIX and "of" in tokens)):
        # "Ontario Premier Doug Ford" never ends in a suffix; "Prime Minister’s Office" does
        return [_Found("org", text, seq)]
    if "of" in tokens[1:-1]:
        head = tokens[tokens.index("of") - 1].rstrip(".").lower()
        if head in _ORG_SUFFIX or head.rstrip("s") in _ORG_SUFFIX or head in _ORG_PREFIX:
            return [_Found("org", text, seq)]
    if len(tokens) >= 2 and low_last.endswith("workers"):
        return [_Found("org", text, seq)]  # "United Steelworkers", "Canadian Autoworkers"
    if len(tokens) >= 2 and tokens[0] in _PLACE_PREFIXES:
        return [_Found("place", text, seq)]  # "Place Bell", "Mount Royal", "Lake Louise"
    if len(tokens) >= 3 and low_last in ("centre", "center"):
        return [_Found("org", text, seq)]  # "Canadian Interagency Forest Fire Centre"; "Bell Centre" is a site
    if len(tokens) >= 2 and low_last in _PLACE_SUFFIX and not _person_tokens(tokens):
        return [_Found("place", text, seq)]
    # "and" joins only inside organisation names
    if ("and" in tokens or "&" in tokens) and (
            low_last not in _ORG_SUFFIX or any(_place([t]) for t in tokens if t not in ("and", "&"))):
        out: list[_Found] = []
        part: list[str] = []
        for t in [*tokens, "and"]:
            if t in ("and", "&"):
                out.extend(_classify(part, seq, lowercase_words, extra))
                part = []
            else:
                part.append(t)
        return out
    # "Governors Christopher Waller": a leading plural title is not part of the name
    if len(tokens) >= 3 and _plural_role(tokens[0]) and _key(text) not in _ORG_INDEX:
        return _classify(tokens[1:], seq, lowercase_words, extra)
    # job titles: the name follows the last role word
    role_idx = [i for i, t in enumerate(tokens) if t.lower().rstrip(".").replace("’", "'") in _NORMALISED_ROLES]
    if role_idx:
        last_role = role_idx[-1]
        name = tokens[last_role + 1:]
        prefix = [t for t in tokens[: role_idx[0]] if t.lower() not in ("of", "for", "the")]
        found: list[_Found] = []
        if prefix:
            found.extend(_classify(prefix, seq, lowercase_words, extra))
        if name:
            if len(name) == 1:
                if _name_like(name[0]):
                    found.append(_Found("surname", name[0], seq))
            elif _person_tokens(name):
                found.append(_Found("person", _join(name), seq))
            else:
                found.extend(_classify(name, seq, lowercase_words, extra))
        return found
    # "to Canada Pete Hoekstra": a place, then a name
    for k in range(1, min(4, len(tokens))):
        lead = _place(tokens[:k])
        if lead and _person_tokens(tokens[k:]):
            return [_Found("place", lead, seq), _Found("person", _join(tokens[k:]), seq)]
        if lead and _place(tokens[k:]):
            return [_Found("place", lead, seq), _Found("place", _place(tokens[k:]) or "", seq)]  # "U.S. Midwest"
    if len(tokens) >= 2 and re.fullmatch(r"[A-Z]{2,5}", tokens[0]) and not _place(tokens[:1]) \
            and all(_is_cap(t) for t in tokens[1:]):
        return [_Found("org", text, seq)]  # "BMO Capital Markets": an acronym never starts a person's name
    # "Toronto Maple Leafs", "Manitoba Hydro", "Canada Post": a place name, then not a person
    given_name = tokens[0] in GIVEN_NAME_PLACES and _person_tokens(tokens)
    town = _place(tokens[:1]) or _key(tokens[0]) in extra
    if 2 <= len(tokens) <= 4 and town and all(_is_cap(t) for t in tokens[1:]) \
            and not _place(tokens[1:2]) and not given_name:
        return [_Found("org", text, seq)]
    if len(tokens) == 1 and _key(tokens[0]) in extra:
        return [_Found("place", _titled(tokens[0]), seq)]
    if len(tokens) == 1:
        tok = tokens[0]
        if tok.isupper() and len(tok) >= 2:
            return []
        if seq.sentence_initial and tok.lower() in lowercase_words:
            return []
        if _name_like(tok):
            return [_Found("surname", tok, seq)]
        return []
    if _person_tokens(tokens):
        return [_Found("person", text, seq)]
    return []


def find_entities(units: Sequence[str], exclude_people: Sequence[str] = (),
                  known_places: Sequence[str] = ()) -> Entities:
    """Entities in ``units`` (title, deck, captions, paragraphs — in reading order); ``known_places`` are
    places learned from the article itself (its dateline) that the gazetteer may not list."""
    extra = frozenset(_key(p) for p in known_places)
    lowercase_words = {w.lower() for u in units for w in re.findall(r"\b[a-z][\w’'-]*\b", u)}
    found: list[_Found] = []
    for seq in _sequences(units):
        tokens = list(seq.tokens)
        # a common word that starts a sentence is not part of a name ("Speaking", "Readouts")
        if seq.sentence_initial and len(tokens) > 1 and tokens[-1].rstrip(".").lower() not in _ORG_SUFFIX and (
                tokens[0].lower() in lowercase_words or tokens[0].lower() in _NON_NAME) and \
                tokens[0].lower().rstrip(".") not in _NORMALISED_ROLES and not _place(tokens[:1]) and \
                _key(_join(tokens)) not in _ORG_INDEX and not _place(tokens):
            tokens = tokens[1:]
        if tokens and re.search(r"(?i)-(?:area|based|born|bound|style|made|owned)$", tokens[0]):
            # "Kenora-area First Nation": a descriptor, then a generic phrase that names nothing
            tokens = tokens[1:]
            if all(t.lower().rstrip(".") in _NON_NAME | _ORG_SUFFIX for t in tokens):
                continue
        if tokens and tokens[0] in _CONNECTORS and not (len(tokens) == 2 and tokens[0] in _SURNAME_PARTICLES):
            tokens = tokens[1:]
        while tokens and (tokens[-1].lower() in _CALENDAR or tokens[-1] in _CONNECTORS):
            tokens = tokens[:-1]
        # "Eugene, Ore.": a name followed by a state or province is a place
        if tokens and seq.after[:1] == [","] and len(seq.after) > 1 and len(tokens) <= 3 \
                and all(_is_cap(t) for t in tokens) and not _place(tokens):
            region = _PLACE_INDEX.get(_key(seq.after[1])) or _PLACE_INDEX.get(_key(seq.after[1] + "."))
            if region in PROVINCES_STATES or region in {"Quebec", "Washington"}:
                found.append(_Found("place", _titled(_join(tokens)), seq))
                continue
        if len(tokens) >= 2 and seq.before in _PLACE_PREPOSITIONS and _person_tokens(tokens) \
                and not (seq.after[:1] and seq.after[0] in ("'s", "’s")) and not _possessive(tokens[-1]) \
                and not any(_key(_join(tokens)) == _key(f.name) for f in found if f.kind == "person"):
            found.append(_Found("place", _join(tokens), seq))  # "a dealership in Moose Jaw"
            continue
        found.extend(_classify(tokens, seq, lowercase_words, extra))

    found = _list_places(units, found, lowercase_words, extra)
    ents = Entities()
    excluded = {_key(n) for n in exclude_people}
    for f in found:
        if f.kind == "person" and _key(f.name) not in excluded and f.name not in ents.people:
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
            elif _speaks(f.seq) and _key(f.name) not in excluded and f.name.lower() not in PRONOUNS:
                surnames.append(f.name)
        elif f.kind == "org" and _key(f.name) not in {_key(o) for o in ents.organizations}:
            ents.organizations.append(f.name)
        elif f.kind == "place" and _key(f.name) not in {_key(p) for p in ents.places}:
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


def _list_places(units: Sequence[str], found: list[_Found], lowercase_words: set[str],
                 extra: frozenset[str]) -> list[_Found]:
    """Unknown names listed with known places are places too ("Thompson, Flin Flon and The Pas"); a place
    word listed among people is a surname ("Ford, Legault and Houston")."""
    place_keys = {_key(f.name) for f in found if f.kind == "place"} | extra
    org_keys = {_key(f.name) for f in found if f.kind == "org"}
    people = [f.name for f in found if f.kind == "person"]
    person_keys = {_key(p) for p in people}
    surname_keys = {_key(p.split()[-1]) for p in people}
    given_keys = {_key(p.split()[0]) for p in people if len(p.split()) > 1}

    def person(name: str) -> bool:
        k = _key(name)
        return k in person_keys or (len(name.split()) == 1 and k in surname_keys | given_keys)

    def known(name: str) -> str | None:
        if name in GIVEN_NAME_PLACES and person(name):
            return None
        return _place(name.split()) or (name if _key(name) in place_keys else None)

    def unknown_ok(name: str, initial: bool) -> bool:
        words = name.split()
        if not 1 <= len(words) <= 3 or _possessive(words[-1]) or person(name) or _key(name) in _ORG_INDEX \
                or _key(name) in org_keys or words[-1].lower().rstrip(".") in _ORG_SUFFIX:
            return False
        if initial and words[0].lower() in lowercase_words:
            return False
        for i, w in enumerate(words):
            low = w.lower().rstrip(".").replace("’", "'")
            if w in ("of", "de", "du", "la"):
                continue
            if (low in _NON_NAME and not (i == 0 and w == "The" and len(words) > 1)) or low in _CALENDAR \
                    or low in _NORMALISED_ROLES or _generic(w) or w.isupper() or any(c.isdigit() for c in w):
                return False
        return True

    added: list[_Found] = []
    drop: list[tuple[int, int, int, str]] = []  # unit, span and key of a place word listed among people
    for u, text in enumerate(units):
        for m in _COMPOUND.finditer(text):
            a, b = m.group(1), m.group(2)
            if bool(known(a)) != bool(known(b)) and unknown_ok(b if known(a) else a, False) \
                    and _key(m.group()) not in place_keys:
                place_keys.add(_key(m.group()))
                added.append(_Found("place", m.group(), _Seq([m.group()], u, m.start(), False, "", [])))
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
                if name.endswith(".") and not known(name) and not _ABBREV_END.match(words[-1]):
                    name = name[:-1]
                before = text[:start].rstrip()
                initial = not before or before[-1] in ".!?:“\"—"
                members.append((name, start, initial))
            if len(members) < 2:
                continue
            if sum(person(n) for n, _, _ in members) >= 2:
                drop.extend((u, m.start(), m.end(), _key(n)) for n, _, _ in members
                            if n in GIVEN_NAME_PLACES and person(n))
                continue
            if not any(known(n) for n, _, _ in members):
                continue
            for name, start, initial in members:
                if known(name) or not unknown_ok(name, initial):
                    continue
                place_keys.add(_key(name))
                added.append(_Found("place", name, _Seq(name.split(), u, start, initial, "", [])))
    if drop:
        found = [f for f in found if not (f.kind == "place" and any(
            f.seq.unit == u and a <= f.seq.start < b and _key(f.name) == k for u, a, b, k in drop))]
    # a name now known as a place is not also a surname
    added_keys = {_key(f.name) for f in added}
    found = [f for f in found if not (f.kind == "surname" and _key(f.name) in added_keys)]
    return sorted([*found, *added], key=lambda f: (f.seq.unit, f.seq.start))


def _possessive(token: str) -> bool:
    return bool(re.search(r"['’]s?$", token))


def _speaks(seq: _Seq) -> bool:
    after = " ".join(seq.after).lower()
    return any(after.startswith(v) for v in SPEECH_VERBS) or seq.before in ("said", "says", "according")


def canonical_place(name: str) -> str | None:
    """"OTTAWA" → "Ottawa", "U.S." → "United States"; None when the gazetteer does not know it."""
    return _PLACE_INDEX.get(_key(name))
