"""Who made the story: outlet, byline authors, contributors, and photo credits.

Credit lines are page furniture, not article text: "With files from CTV News’ A and B",
"X contributed to this report", "(Reporting by X; Editing by Y)", "THE CANADIAN PRESS/Name",
"(AP Photo/Name)", "Reuters/Name". This module recognises them so ``structure`` can keep them out
of the body, and turns them into names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.extract.gazetteer import OUTLETS, WIRE_DATELINE_TAGS, WIRE_SERVICES

_NAME_WORD = r"[A-ZÀ-Ý][\w.'’À-ÿ-]*"
_NAME = rf"{_NAME_WORD}(?:\s+(?:(?:de|van|von|der|da|di|du|la|le|bin|al)\s+)?{_NAME_WORD}){{0,3}}"

_AGENCIES = (r"The Canadian Press|Canadian Press|AP|Associated Press|Reuters|AFP|Bloomberg|Getty Images|"
             r"AFP via Getty Images|Bloomberg via Getty Images|Getty|Postmedia|Postmedia News|CBC|"
             r"Radio-Canada|CTV News|Global News|Toronto Star|[A-Z][\w.&’' -]{1,40} via AP|Pool|File|"
             r"The Associated Press|EPA|EPA-EFE|Shutterstock|Handout|Supplied|[A-Z][a-z]+ [A-Z][a-z]+ Press")
_CREDIT_PATTERNS = [
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
    # bare agency credits at the end of a caption
    re.compile(r"\(?(?P<credit>(?:Getty Images|AFP via Getty Images|File photo|File Photo|Handout|Supplied|"
               r"Submitted|Shutterstock))\)?\.?\s*$"),
]

# Credit lines that close a story: contributors, wire notes, copyright.
FOOTER_PATTERNS = [
    re.compile(r"^\(?\s*with\s+(?:files|reporting)\s+from\b", re.I),
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
]


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
        if "/" not in credit and not _CREDIT_WORD.match(credit):
            continue
        return Caption(text=text, credit=credit)
    return None


def is_footer(line: str) -> bool:
    line = re.sub(r"^[\s—–-]+", "", line)
    return any(p.search(line) for p in FOOTER_PATTERNS) and len(line.split()) <= 60


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


_BYLINE = re.compile(r"^(?:by|written by|story by|words by|reporting by)\s*:?\s+(?P<rest>.+)$", re.I)


def parse_byline(line: str) -> tuple[list[str], list[str]]:
    """(names, outlets) from a byline such as "By Jane Doe and John Roe, The Canadian Press"."""
    names: list[str] = []
    outlets: list[str] = []
    for part in re.split(r"\s*[·|•]\s*|\s+-\s+|\s+—\s+|\s{2,}|\t", line.strip()):
        m = _BYLINE.match(part)
        chunk = m["rest"] if m else part
        if re.search(r"\d", chunk) or re.match(r"(?i)(?:posted|published|updated|last updated)\b", chunk):
            continue
        outlet = normalise_outlet(chunk)
        if outlet:
            outlets.append(outlet)
            continue
        pieces = [p.strip() for p in re.split(r",\s*", chunk) if p.strip()]
        for piece in pieces:
            outlet = normalise_outlet(piece)
            if outlet:
                outlets.append(outlet)
            elif re.search(r"(?i)\b(?:staff|desk|team|wire|agencies|bureau)\b", piece):
                continue
            else:
                names.extend(split_names(piece))
    return names, outlets


def parse_footer(line: str) -> Credits:
    """Names and outlets in one closing credit line."""
    contributors: list[str] = []
    outlets: list[str] = []
    wire = None
    copyright_owner = None
    line = re.sub(r"^[\s—–-]+", "", line)
    m = re.search(r"(?i)with\s+(?:files|reporting)\s+from\s+(?P<rest>.+)", line)
    if m:
        rest = m["rest"].strip().rstrip(".)")
        for chunk in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+(?=[A-Z][\w.]*(?:\s+[A-Z][\w.]*)*[’']s?\s)", rest):
            own = re.match(r"(?P<org>[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*){0,4})[’']s?\s+(?P<names>.+)", chunk)
            if own and normalise_outlet(own["org"]):
                outlets.append(normalise_outlet(own["org"]) or own["org"])
                contributors.extend(split_names(own["names"]))
            elif normalise_outlet(chunk):
                outlets.append(normalise_outlet(chunk) or chunk)
            else:
                contributors.extend(split_names(chunk))
    m = re.search(r"(?P<names>.+?)\s+contributed\b", line)
    if m and not re.match(r"(?i)with\s", line):
        who = re.sub(r"(?i)^.*?\b(?:writers?|correspondents?|reporters?|journalists?)\s+", "", m["names"])
        who = re.sub(r"^(?:[A-Z][\w.]*\s+)*(?:News|Press|Reuters)[’']s?\s+", "", who)
        contributors.extend(split_names(who))
    m = re.search(r"(?i)(?:additional\s+)?reporting\s+by\s+(?P<names>[^;)]+)", line)
    if m:
        contributors.extend(split_names(re.sub(r"\s+in\s+[A-Z].*$", "", m["names"])))
    m = re.search(r"(?i)this\s+(?:report|story|article)\s+by\s+(?P<org>.+?)\s+was\s+first\s+published", line)
    if m:
        outlet = normalise_outlet(m["org"]) or m["org"].strip()
        outlets.append(outlet)
        wire = outlet
    m = re.search(r"(?i)(?:©|\(c\)|copyright)\s*(?:\d{4}\s*)?(?:-\s*\d{4}\s*)?(?P<owner>[A-Z][^,.;]+)", line)
    if m:
        owner = m["owner"].strip()
        copyright_owner = normalise_outlet(owner) or owner
    return Credits(contributors=tuple(contributors), outlets=tuple(outlets), wire=wire,
                   copyright=copyright_owner)


_WIRE_TAG = re.compile(r"^[A-ZÀ-Ý][A-ZÀ-Ý .,'’-]{1,60}\((?P<tag>[A-Za-z]{2,10})\)\s*[—–-]")


def wire_from_dateline(paragraph: str) -> str | None:
    """"WASHINGTON (AP) — …" → "Associated Press"."""
    m = _WIRE_TAG.match(paragraph)
    if m:
        return WIRE_DATELINE_TAGS.get(m["tag"]) or WIRE_DATELINE_TAGS.get(m["tag"].upper())
    return None


def is_wire(outlet: str) -> bool:
    return outlet in WIRE_SERVICES
