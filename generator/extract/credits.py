"""Who made the story: outlet, byline authors, contributors, and photo credits.

Credit lines are page furniture, not article text: "With files from CTV News’ A and B",
"X contributed to this report", "(Reporting by X; Editing by Y)", "THE CANADIAN PRESS/Name",
"(AP Photo/Name)", "Reuters/Name". This module recognises them so ``structure`` can keep them out
of the body, and turns them into names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.extract.gazetteer import (
    GIVEN_NAME_PLACES,
    OUTLETS,
    PLACE_ALIASES,
    PLACES,
    WIRE_DATELINE_TAGS,
    WIRE_SERVICES,
)

_NAME_WORD = r"[A-ZÀ-Ý][\w.'’À-ÿ-]*"
_NAME = rf"{_NAME_WORD}(?:\s+(?:(?:de|van|von|der|da|di|du|la|le|bin|al)\s+)?{_NAME_WORD}){{0,3}}"

_AGENCIES = (r"The Canadian Press|Canadian Press|AP|Associated Press|Reuters|AFP|Bloomberg|Getty Images|"
             r"AFP via Getty Images|Bloomberg via Getty Images|Getty|Postmedia|Postmedia News|CBC|"
             r"Radio-Canada|CTV News|Global News|Toronto Star|[A-Z][\w.&’' -]{1,40} via AP|Pool|File|"
             r"The Associated Press|EPA|EPA-EFE|Shutterstock|Handout|Supplied|[A-Z][a-z]+ [A-Z][a-z]+ Press")
_CREDIT_PATTERNS = [
    # "…in April.Credit...Name for The New York Times": a credit glued to its caption by the page copy
    re.compile(r"(?:(?<=[.!?”\"])|\s)Credit(?:\.{2,}|…|:)\s*(?P<credit>[^()]{2,90}?)\.?\s*$"),
    # "Photo courtesy Manitoba Wildfire Service", "(Courtesy of Jane Roe)"
    re.compile(r"(?:^|\s|\()(?P<credit>(?:(?:Photo|Image)\s+)?[Cc]ourtesy(?:\s+of)?\s+[A-Z][^()]{1,80}?)"
               r"\)?\.?\s*$"),
    # THE CANADIAN PRESS/Adrian Wyld, CP PHOTO/Name
    re.compile(r"\(?(?P<credit>(?:THE CANADIAN PRESS|CP PHOTO|CP)\s*/\s*" + _NAME + r")\)?\.?\s*$"),
    # (AP Photo/Evan Vucci), (Reuters Photo/…)
    re.compile(r"\((?P<credit>(?:AP|AFP|CP|Reuters|Bloomberg|Getty|Pool|File)?\s*Photos?\s*/\s*[^()]{2,80})\)\.?\s*$",
               re.I),
    # REUTERS/Name, Reuters/Name/File Photo
    re.compile(r"\(?(?P<credit>(?:REUTERS|Reuters|AFP|EPA|EPA-EFE)\s*/\s*" + _NAME
               + r"(?:\s*/\s*File(?: Photo)?)?)\)?\.?\s*$"),
    # Photo by Name /Paper, Photo: Name/CBC, Image credit: …
    re.compile(r"\(?(?P<credit>(?:Photo|Photograph|Image|Picture|Credit|Photo credit|Image credit)s?"
               r"\s*(?:by|:)\s*[^()]{2,90}?)\)?\.?\s*$", re.I),
    # Name/The Canadian Press, (Name/Getty Images), Name/The Canadian Press via AP
    re.compile(r"\(?(?P<credit>" + _NAME + r"\s*/\s*(?:" + _AGENCIES + r")(?:\s+via\s+[A-Z][\w ]+)?)\)?\.?\s*$"),
    # Name/The Globe and Mail, Name/Toronto Star file photo: a person, a slash, a short capitalised outlet
    re.compile(r"\(?(?P<credit>" + _NAME_WORD + r"(?:\s+(?:(?:de|van|von|der|da|di|du|la|le)\s+)?" + _NAME_WORD
               + r"){1,3}/(?:The\s+)?[A-Z][\w.&'’-]*(?:\s+(?:and|of|&|[A-Z][\w.&'’-]*)){0,5}"
               r"(?:\s+(?:file\s+)?(?:photo|image)s?)?)\)?\.?\s*$"),
    # bare agency credits at the end of a caption
    re.compile(r"\(?(?P<credit>(?:Getty Images|AFP via Getty Images|File photo|File Photo|Handout|Supplied|"
               r"Submitted|Shutterstock))\)?\.?\s*$"),
]

# A line that is nothing but a picture agency: the credit printed above or below a caption (BBC-style).
_BARE_AGENCY = re.compile(
    r"^\(?(?:Getty Images|(?:AFP|Bloomberg|Reuters|AP|EPA|Anadolu|NurPhoto|SOPA Images|Pool)(?: via Getty Images)?|"
    r"Reuters|AFP|EPA|EPA-EFE|AP|PA Media|PA|Alamy|Shutterstock|Bloomberg|Handout|Supplied|Submitted|"
    r"[A-Z][\w.&'’-]*(?: [A-Z][\w.&'’-]*){0,3}/(?:Getty Images|Reuters|AFP|EPA|AP|Alamy|PA Media))\)?\.?$")

# Credit lines that close a story: contributors, wire notes, copyright.
FOOTER_PATTERNS = [
    re.compile(r"^\(?\s*with\s+(?:files|reporting|assistance)\s+from\b", re.I),
    re.compile(r"^to\s+contact\s+the\s+(?:reporters?|editors?|authors?|writers?)\b", re.I),
    re.compile(r"^[^\s@]+(?:\s+[^\s@]+){0,12}\s+(?:at\s+)?[\w.+-]+@[\w-]+\.[\w.]+\W*$"),  # "Name in City at x@y.com"
    re.compile(r"^\(?(?:this|the)\s+(?:text|article|story)\s+(?:is\s+a\s+translation|was\s+translated|"
               r"has\s+been\s+translated)\b", re.I),
    re.compile(r"\bcontributed\s+(?:to\s+)?(?:this|the)\s+(?:report|story|article)\b", re.I),
    re.compile(r"\b(?:writers?|correspondents?|reporters?)\b[^.]{0,120}\bcontributed\b", re.I),
    re.compile(r"^\(?\s*(?:additional\s+)?reporting\s+by\b", re.I),
    re.compile(r"^\(?\s*(?:writing|editing|compiled|edited)\s+by\b", re.I),
    re.compile(r"^\(?\s*with\s+inputs?\s+from\b", re.I),
    re.compile(r"\bthis\s+(?:report|story|article)\s+by\s+.{2,60}?\s+was\s+first\s+published\b", re.I),
    re.compile(r"^(?:©|\(c\)|copyright\b)", re.I),
    re.compile(r"\ball\s+rights\s+reserved\b", re.I),
    re.compile(r"^\(?(?:this|the)\s+(?:story|article)\s+(?:has\s+been|was)\s+(?:published|edited|updated)\s+from\b",
               re.I),
    re.compile(r"^\(?\s*only\s+the\s+headline\b.*\bedited\s+by\b", re.I),
    re.compile(r"^\(?\s*(?:additional\s+)?reporting\s+(?:was\s+)?contributed\s+by\b", re.I),
    re.compile(r"^\(?(?:this|the)\s+(?:story|article|report)\s+(?:was|is|has\s+been)\s+(?:adapted|translated)\b",
               re.I),
    re.compile(r"^(?:a\s+version\s+of\s+)?this\s+(?:article|story)\s+appear(?:s|ed)\s+in\s+print\b", re.I),
    re.compile(r"^SOURCE\s+[A-Z]"),  # newswire release: "SOURCE Company Inc."
    re.compile(r"^[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3}\s+reported\s+from\s+[A-Z]"),  # "X reported from Windsor"
    re.compile(r"^for\s+(?:further|more)\s+information\s*:", re.I),
    # "Jane Doe in Ottawa contributed reporting.", "Ann Lee and Raj Patel contributed to this report."
    re.compile(r"^[A-ZÀ-Ý][\w.'’-]+(?:\s+[A-ZÀ-Ý][\w.'’-]+){1,3}(?:\s+in\s+[A-Z][\w.]+(?:,?\s+[A-Z][\w.]+)*)?"
               r"(?:(?:,|\s+and)\s+[A-ZÀ-Ý][\w.'’-]+(?:\s+[A-ZÀ-Ý][\w.'’-]+){1,3}"
               r"(?:\s+in\s+[A-Z][\w.]+(?:,?\s+[A-Z][\w.]+)*)?)*\s+contributed"
               r"(?:\s+(?:reporting|to\s+this\s+(?:report|story|article)))?\.?\s*$"),
    re.compile(r"^\(?(?:this|the)\s+(?:article|story|report)\s+(?:was|has\s+been)\s+(?:amended|corrected|updated)\s+"
               r"(?:on|to)\b", re.I),
    re.compile(r"^(?:avec\s+(?:des\s+)?(?:informations|renseignements)\s+d[eu']|avec\s+(?:la\s+)?presse\s+canadienne\b|"
               r"avec\s+l['’]agence\b)", re.I),
    re.compile(r"\btous\s+droits\s+réservés\b", re.I),
    re.compile(r"^[\w .&'’-]{2,60}\s+is\s+published\s+by\s+(?:the\s+)?[A-Z]", re.I),
]
# "— Sam Ostrowski, The Canadian Press": a reporter's sign-off under wire copy.
_SIGN_OFF = re.compile(r"^[—–-]+\s*(?P<names>[A-ZÀ-Ý][^,]{2,80}?),\s*"
                       r"(?P<outlet>(?:The\s+)?[A-Z][\w.&'’ -]{1,50}?)\.?\s*$")


_CREDIT_WORD = re.compile(r"(?i)photo|image|picture|credit|getty|file|handout|supplied|submitted|shutterstock")


@dataclass(frozen=True)
class Caption:
    text: str
    credit: str | None


def split_caption(line: str) -> Caption | None:
    """A photo caption with its credit, or None when the line carries no photo credit."""
    stripped = line.strip()
    if len(stripped.split()) > 90:
        return None
    for pattern in _CREDIT_PATTERNS:
        m = pattern.search(stripped)
        if not m:
            continue
        credit = m["credit"].strip().rstrip(".").strip()
        text = stripped[: m.start()].strip().rstrip("(").strip()
        # a sentence that merely ends with a name is not a caption: require a credit separator
        if "/" not in credit and not _CREDIT_WORD.match(credit) and not re.search(
                r"(?i)^courtesy|\bfor\s+(?:the\s+)?[A-Z]", credit):
            continue
        if pattern is _CREDIT_PATTERNS[0] and not re.search(r"\bfor\s+|/", credit) and not looks_like_name(credit):
            continue
        return Caption(text=text, credit=credit)
    return None


def is_bare_credit(line: str) -> bool:
    """A line holding only a picture credit ("Getty Images", "Reuters", "Jane Roe/AFP")."""
    return bool(_BARE_AGENCY.match(line.strip()))


def copyright_line(line: str) -> bool:
    return bool(re.match(r"(?i)^\s*(?:©|\(c\)|copyright\b)", line))


def is_footer(line: str) -> bool:
    if _sign_off(line):
        return True
    line = re.sub(r"^[\s—–-]+", "", line)
    return len(line.split()) <= 60 and any(p.search(line) for p in FOOTER_PATTERNS)


def _sign_off(line: str) -> tuple[list[str], str] | None:
    m = _SIGN_OFF.match(line.strip())
    if not m:
        return None
    outlet = normalise_outlet(m["outlet"]) or (m["outlet"] if outlet_shaped(m["outlet"]) else None)
    names = split_names(m["names"])
    return (names, outlet) if outlet and names else None


def photographer(credit: str | None) -> str | None:
    """The person named in a photo credit ("THE CANADIAN PRESS/Adrian Wyld" → "Adrian Wyld")."""
    if not credit:
        return None
    parts = [p.strip() for p in re.split(r"/", re.sub(r"(?i)^(?:photo|image|picture|credit)s?\s*(?:by|:)\s*", "",
                                                         credit))]
    for part in parts:
        part = re.sub(r"(?i)\b(?:AP|CP|AFP|Reuters)?\s*Photo\b", "", part).strip()
        if part and normalise_outlet(part) is None and looks_like_name(part):
            return fix_caps(part)
    return None


def looks_like_name(text: str) -> bool:
    words = text.split()
    if not 2 <= len(words) <= 5:
        return False
    lowers = {"de", "van", "von", "der", "da", "di", "du", "la", "le", "bin", "al"}
    return all(w[0].isupper() or w in lowers for w in words) and not any(ch.isdigit() for ch in text)


def fix_caps(name: str) -> str:
    """"JANE O'NEIL-SMITH" → "Jane O'Neil-Smith"; mixed-case names are kept as written."""
    if not name.isupper():
        return name

    def cap(word: str) -> str:
        parts = re.split(r"([-'’])", word.lower())
        out = "".join(p[:1].upper() + p[1:] if i % 2 == 0 else p for i, p in enumerate(parts))
        return re.sub(r"^Mc(\w)", lambda m: "Mc" + m[1].upper(), out)

    return " ".join(cap(w) for w in name.split())


def normalise_outlet(text: str) -> str | None:
    key = re.sub(r"\s+", " ", text.strip().strip(".,;:()").lower())
    key = re.sub(r"^by\s+", "", key)
    return OUTLETS.get(key)


def split_names(text: str) -> list[str]:
    """Person names from "A, B and C" (organisations and non-names are dropped)."""
    text = re.sub(r"\s+in\s+[A-Z][\w.]*(?:,?\s+[A-Z][\w.]*)*", "", text)  # "… in Ottawa"
    names = []
    for part in re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*|;", text):
        part = part.strip().strip(".()").strip()
        part = re.sub(r"^(?:by|and)\s+", "", part, flags=re.I)
        if not part or normalise_outlet(part) or not looks_like_name(part):
            continue
        names.append(fix_caps(part))
    return names


@dataclass(frozen=True)
class Credits:
    authors: tuple[str, ...] = ()
    contributors: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()  # outlets named in bylines and credit lines, in order
    wire: str | None = None  # a wire service whose copy this is
    copyright: str | None = None
    provided: str | None = None  # "© Provided by The Prairie Ledger": the paper a portal syndicates
    sharing: tuple[str, ...] = ()  # "With files from Reuters": outlets whose material was used, not the source


_BYLINE = re.compile(r"^(?:by|written by|story by|words by|reporting by|par)\s*:?\s+(?P<rest>.+)$", re.I)
# "Name in Vancouver and agencies", "Staff and agencies": the agencies are no author.
_AGENCIES_TAIL = re.compile(r"(?i)\s*(?:,|\band\b|&|\bwith\b)\s*(?:the\s+)?(?:wire\s+)?(?:agencies|wire services)\W*$")


def parse_byline(line: str) -> tuple[list[str], list[str]]:
    """(names, outlets) from a byline such as "By Jane Doe and John Roe, The Canadian Press"."""
    names: list[str] = []
    outlets: list[str] = []
    for part in re.split(r"\s*[·|•]\s*|\s+-\s+|\s+—\s+|\s{2,}|\t", line.strip()):
        m = _BYLINE.match(part)
        chunk = _AGENCIES_TAIL.sub("", m["rest"] if m else part)
        if re.search(r"\d", chunk) or re.match(r"(?i)(?:posted|published|updated|last updated)\b", chunk):
            continue
        outlet = normalise_outlet(chunk)
        if outlet:
            outlets.append(outlet)
            continue
        if re.match(r"(?i)(?:photography|photographs|photos|illustrations?|images?|video)\s+by\b", chunk):
            continue  # "PHOTOGRAPHY BY NAME": the photographer, not an author
        pieces = [p.strip() for p in re.split(r",\s*", chunk) if p.strip()]
        for piece in pieces:
            if piece != pieces[0] and outlet_shaped(piece):
                outlets.append(piece)  # "By Name, The Harbour Herald": an outlet the gazetteer does not list
                continue
            piece, trailing = _split_trailing_outlet(piece)
            if trailing:
                outlets.append(trailing)
            outlet = normalise_outlet(piece)
            role = split_role(piece)
            if outlet:
                outlets.append(outlet)
            elif role:
                names.extend(split_names(role[0]))
            elif re.search(r"(?i)\b(?:staff|desk|team|wire|agencies|bureau)\b", piece):
                continue
            else:
                names.extend(split_names(piece))
    return names, outlets


_OUTLET_WORDS = re.compile(
    r"(?i)\b(?:news|times|post|herald|gazette|tribune|star|sun|telegraph|guardian|chronicle|globe|observer|"
    r"courier|examiner|review|journal|sentinel|press|record|standard|daily|weekly|magazine|reporter|leader|"
    r"free press|mail|citizen|independent|dispatch|bulletin|ledger|enterprise|advocate|register|monitor)$")


def outlet_shaped(piece: str) -> bool:
    """"The Harbour Herald", "Valley Sentinel": a capitalised title ending in a newspaper word."""
    words = piece.split()
    return 2 <= len(words) <= 6 and all(w[0].isupper() or w in ("of", "and", "&") for w in words) \
        and (words[0] == "The" or bool(_OUTLET_WORDS.search(piece))) and not any(c.isdigit() for c in piece)


def _split_trailing_outlet(piece: str) -> tuple[str, str | None]:
    """"Sean Whitaker Global News" → ("Sean Whitaker", "Global News"); "Luis Ferreira Northern Ridge News" →
    ("Luis Ferreira", "Northern Ridge News"): a name, then a title ending in a newspaper word."""
    low = piece.lower()
    for key in _OUTLETS_LONGEST_FIRST:
        if low.endswith(" " + key) and len(key) > 3:
            head = piece[: len(piece) - len(key)].strip()
            if looks_like_name(re.split(r"\s*(?:&|,|\band\b)\s*", head)[-1]):
                return head, OUTLETS[key]
    words = piece.split()
    for n in range(min(4, len(words) - 2), 1, -1):
        head, tail = " ".join(words[:-n]), " ".join(words[-n:])
        if outlet_shaped(tail) and _OUTLET_WORDS.search(tail) and not is_role_line(tail) \
                and looks_like_name(re.split(r"\s*(?:&|,|\band\b)\s*", head)[-1]):
            return head, tail
    return piece, None


_OUTLETS_LONGEST_FIRST = sorted(OUTLETS, key=len, reverse=True)


_ROLE_HEAD = (r"(?:reporter|correspondent|writer|columnist|editor|bureau(?:\s+chief)?|contributor|journalist|"
              r"producer|photographer|critic|analyst)s?")
_ROLE_LINE = re.compile(rf"(?i)^(?:[A-Z][\w.'’&-]*\s+){{0,4}}{_ROLE_HEAD}$")
_DESK_WORDS = {"business", "staff", "senior", "political", "politics", "sports", "city", "national", "parliamentary",
               "chief", "health", "climate", "science", "technology", "tech", "arts", "foreign", "world", "news",
               "investigative", "digital", "local", "data", "legal", "justice", "education", "economics"}
_PARTICLES = {"de", "van", "von", "der", "da", "di", "du", "la", "le", "del", "della", "bin", "al", "st.", "ste."}


def is_role_line(line: str) -> bool:
    """A journalist's role printed under the name: "Climate reporter", "Queen's Park Bureau"."""
    line = line.strip()
    return len(line.split()) <= 5 and bool(_ROLE_LINE.match(line))


def split_role(text: str) -> tuple[str, str] | None:
    """("Marcus Delacroix", "Staff Reporter") for "Marcus Delacroix Staff Reporter"; None if no role."""
    words = re.sub(r"(?i)^by\s+", "", text.strip()).split()
    if len(words) < 3 or (not re.fullmatch(rf"(?i){_ROLE_HEAD}", words[-1]) and not (
            len(words) >= 4 and re.fullmatch(r"(?i)bureau", words[-2]) and re.fullmatch(r"(?i)chief", words[-1]))):
        return None
    n = 2
    while n < len(words) - 1 and (words[n - 1].lower() in _PARTICLES or re.fullmatch(r"[A-Z]\.", words[n - 1])):
        n += 1
    name, role = " ".join(words[:n]), " ".join(words[n:])
    if not looks_like_name(name) or not _ROLE_LINE.match(role) or any(
            (w in PLACES or w in PLACE_ALIASES or w.lower() in _DESK_WORDS) and w not in GIVEN_NAME_PLACES
            for w in name.split()):
        return None
    return name, role


def parse_footer(line: str) -> Credits:
    """Names and outlets in one closing credit line."""
    contributors: list[str] = []
    outlets: list[str] = []
    sharing: list[str] = []
    wire = None
    copyright_owner = None
    sign_off = _sign_off(line)
    if sign_off:
        return Credits(contributors=tuple(sign_off[0]), outlets=(sign_off[1],))
    line = re.sub(r"^[\s—–-]+", "", line)
    m = re.search(r"(?i)(?:with\s+(?:files|reporting|assistance)\s+from|avec\s+(?:des\s+)?(?:informations|"
                  r"renseignements)\s+(?:de|du|des|d['’]))\s*(?P<rest>.+)", line)
    if m:
        rest = m["rest"].strip().rstrip(".)")
        for chunk in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+(?=[A-Z][\w.]*(?:\s+[A-Z][\w.]*)*[’']s?\s)", rest):
            own = re.match(r"(?P<org>[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*){0,4})[’']s?\s+(?P<names>.+)", chunk)
            if own and normalise_outlet(own["org"]):
                # "CTV News’ Stephanie Ha": the outlet's own reporters, so most likely the outlet itself
                outlets.append(normalise_outlet(own["org"]) or own["org"])
                contributors.extend(split_names(own["names"]))
            elif normalise_outlet(chunk):
                sharing.append(normalise_outlet(chunk) or chunk)
            else:
                contributors.extend(split_names(chunk))
    m = re.search(r"(?P<names>.+?)\s+contributed\b", line)
    if m and not re.match(r"(?i)with\s|(?:additional\s+)?reporting\s", line):
        who = re.sub(r"(?i)^.*?\b(?:writers?|correspondents?|reporters?|journalists?)\s+", "", m["names"])
        who = re.sub(r"^(?:[A-Z][\w.]*\s+)*(?:News|Press|Reuters)[’']s?\s+", "", who)
        contributors.extend(split_names(who))
    m = re.search(r"(?i)(?:additional\s+)?reporting\s+(?:was\s+contributed\s+)?by\s+(?P<names>[^;)]+)", line)
    if m:
        contributors.extend(split_names(m["names"]))
    m = re.search(r"(?i)this\s+(?:report|story|article)\s+by\s+(?P<org>.+?)\s+was\s+first\s+published", line)
    if m:
        outlet = normalise_outlet(m["org"]) or m["org"].strip()
        outlets.append(outlet)
        wire = outlet
    m = re.match(r"SOURCE\s+(?P<org>[A-Z].{1,80}?)\s*$", line)
    if m:
        outlets.append(normalise_outlet(m["org"]) or m["org"])
    copyright_owner = copyright_holder(line)
    provided = None
    m = re.match(r"(?i)^(?:©|\(c\)|copyright)?\s*(?:content\s+)?(?:provided|supplied|syndicated)\s+by:?\s+"
                 r"(?P<org>[^.|·•;]{2,60}?)\.?\s*$", line)
    if m:
        provided = normalise_outlet(m["org"]) or m["org"].strip()
        copyright_owner = None
    m = re.match(r"(?i)^.{2,60}?\s+is\s+published\s+by\s+(?P<org>(?:the\s+)?[A-Z][^.|;]{1,60}?)\.?\s*$", line)
    if m:
        outlets.append(normalise_outlet(m["org"]) or m["org"].strip())
    return Credits(contributors=tuple(contributors), outlets=tuple(outlets), wire=wire,
                   copyright=copyright_owner, provided=provided, sharing=tuple(sharing))


_CORPORATE = re.compile(r"(?i)[\s,]+(?:newspapers?|media|publishing|group|holdings|digital)?\s*"
                        r"(?:inc|ltd|limited|llc|l\.?p|plc|corp|corporation|co|company|gmbh|s\.?a)\.?$")


def copyright_holder(line: str) -> str | None:
    """"© Copyright 2025 The Globe and Mail Inc. All rights reserved." → "The Globe and Mail"."""
    m = re.search(r"(?i)(?:©|\(c\)|copyright)(?:\s*(?:©|copyright|\d{4}(?:\s*[-–]\s*\d{4})?|owned\s+or\s+licensed\s+by|"
                  r"owned\s+by|by))*\s*(?P<owner>[A-Za-z][^;|]*)", line)
    if not m:
        return None
    owner = re.split(r"(?i)\.\s+(?=all\s+rights|tous\s+droits|[A-Z])|,\s*(?:all\s+rights|tous\s+droits)|"
                     r"\s+(?:all\s+rights|tous\s+droits)|,?\s+an?\s+(?:division|subsidiary|unit|member|part)\s+of\b|"
                     r",\s+(?:owned|operated|published)\s+by\b", m["owner"])[0]
    owner = re.sub(r"[\s,]+(?:19|20)\d{2}$", "", owner.strip().rstrip(".").strip())
    for _ in range(2):
        owner = _CORPORATE.sub("", owner).strip()
    if not owner or len(owner.split()) > 8:
        return None
    if normalise_outlet(owner):
        return normalise_outlet(owner)
    m = _OUTLET_INSIDE.search(owner)
    return OUTLETS[m[0].lower()] if m else owner


# Any outlet name longer than four letters inside a longer string, longest first ("… Globe and Mail Inc.").
_OUTLET_INSIDE = re.compile(r"(?i)\b(?:" + "|".join(re.escape(k) for k in sorted(OUTLETS, key=len, reverse=True)
                                                  if len(k) > 4) + r")\b")


_WIRE_TAG = re.compile(r"^[A-ZÀ-Ý][A-ZÀ-Ý .,'’-]{1,60}\((?P<tag>[A-Za-z]{2,10})\)\s*[—–-]")


_BARE_WIRE_TAG = re.compile(r"^\((?P<tag>[A-Za-z]{2,10})\)\s*(?:--?|[—–])")


def wire_from_dateline(paragraph: str) -> str | None:
    """"WASHINGTON (AP) — …" → "Associated Press"."""
    m = _WIRE_TAG.match(paragraph) or _BARE_WIRE_TAG.match(paragraph)
    if m:
        return WIRE_DATELINE_TAGS.get(m["tag"]) or WIRE_DATELINE_TAGS.get(m["tag"].upper())
    return None


def staff_photo_outlet(credit: str | None) -> str | None:
    """"Nadim Estrada for The New York Times" → "The New York Times": a staff photo names the publisher."""
    credit = credit or ""
    m = re.search(r"\bfor\s+(?P<outlet>(?:The\s+)?[A-Z][\w.&’'-]*(?:\s+[A-Z][\w.&’'-]*){0,4})\s*$", credit or "")
    if m and looks_like_name(credit[: m.start()].strip().split("...")[-1]):
        return normalise_outlet(m["outlet"]) or m["outlet"]
    return None


def is_wire(outlet: str) -> bool:
    return outlet in WIRE_SERVICES
