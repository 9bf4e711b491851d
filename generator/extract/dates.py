"""Publication dates the input states, with their time zone.

Only labelled or page-furniture dates count: "Published on: Jun 06, 2025 01:31 AM IST",
"Posted: Jun 05, 2025 4:00 AM EDT", a wire footer "first published June 5, 2025", a bare timestamp line
in the header, or ISO values from HTML metadata. A date inside a photo caption or the narrative is when
something happened, not when the story was published, and is never used.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}

# Fixed offsets, in minutes. Generic North American zones (ET, PT…) follow daylight time.
ZONE_OFFSETS = {
    "UTC": 0, "GMT": 0, "Z": 0, "BST": 60, "CET": 60, "CEST": 120, "EET": 120, "EEST": 180,
    "IST": 330, "PKT": 300, "JST": 540, "KST": 540, "AEST": 600, "AEDT": 660, "SGT": 480, "HKT": 480,
    "EDT": -240, "EST": -300, "CDT": -300, "CST": -360, "MDT": -360, "MST": -420, "PDT": -420,
    "PST": -480, "ADT": -180, "AST": -240, "NDT": -150, "NST": -210, "AKDT": -480, "AKST": -540,
}
GENERIC_ZONES = {
    "ET": "America/New_York", "CT": "America/Chicago", "MT": "America/Denver", "PT": "America/Los_Angeles",
    "AT": "America/Halifax", "NT": "America/St_Johns",
}

_MONTH = (r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?|janvier|février|fevrier|mars|avril|mai|"
          r"juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre)\.?")
# French month names: their first three letters are ambiguous (juin / juillet) or accented.
FRENCH_MONTHS = {"janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
                 "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
                 "décembre": 12, "decembre": 12}
_TIME = (r"(?:(?:\s*(?:at|,|-|–|\||·))?\s*(?P<hour>\d{1,2})(?::(?P<min>\d{2}))?\s*"
         r"(?P<ampm>[ap]\.?\s?m\.?)?(?:\s*\(?(?P<zone>[A-Z]{1,4})\)?(?![a-z]))?)?")
_MDY = re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})" + _TIME, re.I)
_DMY = re.compile(r"(?P<day>\d{1,2})(?:er)?\s+" + _MONTH + r",?\s+(?P<year>\d{4})" + _TIME, re.I)
_ISO = re.compile(
    r"(?P<year>\d{4})-(?P<m>\d{2})-(?P<day>\d{2})(?:[T ](?P<hour>\d{2}):(?P<min>\d{2})(?::(?P<sec>\d{2}))?"
    r"(?:\.\d+)?(?P<off>Z|[+-]\d{2}:?\d{2})?)?")

# A label that says the date that follows is the publication date.
PUBLISHED_LABEL = re.compile(
    r"\b(?:published(?:\s+on)?|posted(?:\s+on)?|first\s+published(?:\s+on)?|released|date(?:d)?|"
    r"publié(?:\s+le)?)\b\s*:?\s*", re.I)
UPDATED_LABEL = re.compile(r"\b(?:updated|last\s+updated|modified|mis\s+à\s+jour(?:\s+le)?|mise\s+à\s+jour)\b\s*:?\s*",
                           re.I)


def parse_date(text: str) -> datetime | None:
    """The first date in ``text`` (with its time and zone if stated), or None."""
    m = _ISO.search(text)
    if m:
        return _from_iso(m)
    found = [x for x in (_MDY.search(text), _DMY.search(text)) if x]
    if not found:
        return None
    m = min(found, key=lambda x: x.start())
    try:
        month = FRENCH_MONTHS.get(m["mon"].lower()) or MONTHS[m["mon"].lower()[:3]]
        base = datetime(int(m["year"]), month, int(m["day"]))
    except (ValueError, KeyError):
        return None
    if m["hour"] is None or (m["ampm"] is None and m["min"] is None):
        return base
    hour, minute = int(m["hour"]), int(m["min"] or 0)
    ampm = (m["ampm"] or "").lower().replace(".", "").replace(" ", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return base
    local = base.replace(hour=hour, minute=minute)
    zone = (m["zone"] or "").upper()
    if zone in ZONE_OFFSETS:
        return local.replace(tzinfo=timezone(timedelta(minutes=ZONE_OFFSETS[zone])))
    if zone in GENERIC_ZONES:
        aware = local.replace(tzinfo=ZoneInfo(GENERIC_ZONES[zone]))
        offset = aware.utcoffset() or timedelta(0)
        return local.replace(tzinfo=timezone(offset))
    return local


def _from_iso(m: re.Match[str]) -> datetime | None:
    try:
        base = datetime(int(m["year"]), int(m["m"]), int(m["day"]))
    except ValueError:
        return None
    if m["hour"] is None:
        return base
    try:
        value = base.replace(hour=int(m["hour"]), minute=int(m["min"]), second=int(m["sec"] or 0))
    except ValueError:
        return base
    off = m["off"]
    if off:
        if off == "Z":
            return value.replace(tzinfo=UTC)
        sign = -1 if off[0] == "-" else 1
        digits = off[1:].replace(":", "")
        minutes = int(digits[:2]) * 60 + int(digits[2:])
        return value.replace(tzinfo=timezone(sign * timedelta(minutes=minutes)))
    return value


def labelled_date(line: str) -> tuple[datetime | None, bool]:
    """(date, is_update) for a furniture line such as "Published: …" or "Updated …"; else (None, False)."""
    pub = PUBLISHED_LABEL.search(line)
    upd = UPDATED_LABEL.search(line)
    if pub and (not upd or pub.start() < upd.start()):
        segment = line[pub.end():]
        if upd and upd.start() > pub.start():
            segment = line[pub.end():upd.start()]
        return parse_date(segment), False
    if upd:
        return parse_date(line[upd.end():]), True
    return None, False


_BARE_DATE_LINE = re.compile(
    r"^\W*(?:(?:(?:mon|tues?|wed|wednes|thu|thur|thurs|fri|sat|satur|sun)(?:day)?|lundi|mardi|mercredi|jeudi|"
    r"vendredi|samedi|dimanche)\.?,?\s+)?"
    r"(?:" + _MONTH + r"\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    r"|\d{1,2}(?:er)?\s+" + _MONTH.replace("?P<mon>", "?:") + r",?\s+\d{4}|\d{4}-\d{2}-\d{2})[\w\s:.,()|·–-]{0,30}$",
    re.I)


def unglue(line: str) -> str:
    """Copied widgets glue words to a date: "Fri., June 6, 2025timer3 min read" → "… 2025 timer3 min read"."""
    return re.sub(r"(?<=\d{4})(?=[A-Za-z])", " ", line)


def bare_date_line(line: str) -> bool:
    """A header line holding only a timestamp ("June 5, 2025 4:00 AM EDT", "Fri., June 6, 2025timer3 min read")."""
    pattern = _BARE_DATE_LINE.pattern.replace("(?P<mon>", "(?:", 1)
    line = unglue(line)
    return bool(re.match(pattern, line.strip(), re.I)) and len(line) < 70


FIRST_PUBLISHED = re.compile(r"\bfirst\s+published\s+(?:on\s+)?(?P<rest>.+)", re.I)
