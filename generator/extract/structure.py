"""Raw article text → its layout: kicker, title, deck, bylines, timestamps, captions, body, footers.

Text copied from a news page is a run of lines: page furniture ("ADVERTISEMENT", empty "Updated" and
"Published" labels, share buttons), a short kicker above the headline, the headline, a caption with its
photo credit, the article, then credit footers and "Read more" lists. Each line is classified on its own
shape; the header is everything before the first real paragraph.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from generator.extract import credits, dates
from generator.extract.credits import Caption

_AD = re.compile(
    r"^(?:advertisement|advertisement\s*\d+|ad|ads|sponsored(?: content)?|story continues below(?: advertisement)?|"
    r"article continues below(?: advertisement)?|continue reading below|skip (?:ad|advertisement)|close ad|"
    r"remove ads?|report (?:an )?ad|paid (?:post|content)|promoted(?: content)?|partner content)\W*$", re.I)
_EMPTY_LABEL = re.compile(
    r"^(?:updated|published|posted|last updated|print|email|e-mail|comments?|listen|listen to (?:this )?article|"
    r"\d+\s*min(?:ute)?s?(?: read| listen)?|font size|close|menu|search|home|skip to (?:main )?content|"
    r"sections?|log ?in|sign ?in|sign up|register|subscribe|subscribe now|play|pause|audio|watch|video|"
    r"photos?|gallery|open in app|follow|following|copy|copy link|link copied|save|saved|bookmark|"
    r"text size|a a a|aa|more|back to top|top|next|previous|loading\.*|image|caption|expand|collapse|"
    r"toggle caption|hide caption|view comments?|\d+ comments?|join the conversation|"
    r"opens? in (?:a )?new (?:window|tab)|to top|advertisement feature|breaking|live|exclusive|"
    r"trending|explainer|analysis|opinion|news|for subscribers|subscribers only|subscriber content|save for later|"
    r"save (?:this )?(?:article|story)|create (?:a )?free account|open this photo in gallery|view (?:the )?gallery|"
    r"translate|gift (?:this )?article|share (?:this )?article|listen to this story|join the conversation|"
    r"accept(?: all)?(?: cookies)?|reject all|manage (?:choices|preferences|cookies|settings)|"
    r"cookie settings|i agree|got it|dismiss|today[’']s paper|join|open|reply|reuse this content|"
    r"add to (?:your )?saved (?:stories|articles)|comment on this (?:story|article)|see all|view all)\W*$", re.I)
# Reader-forum furniture: "r/Subreddit", "u/name · 5 hr. ago", "Posted by u/name".
_FORUM = re.compile(r"^(?:posted by\s+)?[ru]/[\w-]+(?:\s*[·•|]\s*.{0,30})?$", re.I)
_SOCIAL = r"(?:facebook|twitter|x|linkedin|email|e-mail|whatsapp|reddit|pinterest|telegram|bluesky|threads|" \
          r"flipboard|messenger|sms|print|copy link|link|share|tumblr|mastodon)"
_SHARE = re.compile(
    rf"^(?:share(?: this)?(?: article| story| page| on)?\s*:?\s*)?(?:{_SOCIAL}(?:\s*[|·,/•]?\s*|\s+))*{_SOCIAL}?\W*$",
    re.I)
_SHARE_PHRASE = re.compile(r"^(?:share (?:this|on)|click to share|share via|tap to share)\b", re.I)
_PROMPT = re.compile(
    r"(?:sign up (?:for|to)|subscribe (?:to (?:our|the)|for \$)|newsletter|by signing up|we use cookies|"
    r"cookie (?:policy|settings)|"
    r"accept (?:all )?cookies|privacy policy|terms of (?:use|service)|create (?:an|a free) account|"
    r"already (?:a subscriber|have an account)|download (?:our|the) app|follow us on|enable javascript|"
    r"your browser|get (?:the latest|breaking news)|delivered to your inbox|unlock (?:this|unlimited)|"
    r"to continue reading|log in to|sign in to|report (?:an )?error|report a typo|editorial standards|"
    r"our journalism|support (?:our|independent) journalism|notifications?|get alerts|story continues|"
    r"journalistic standards|code of conduct|use cookies|uses cookies|please log in|log in to|"
    r"read (?:this|the) (?:article|story) in)", re.I)
_CUT = re.compile(
    r"^(?:read more|read also|also read|also see|see also|more stories|more from [\w .&’']{1,40}|related|"
    r"related (?:stories|articles|content|coverage|links|reading|news|topics)|trending(?: now| stories)?|"
    r"you may also like|you might also like|recommended(?: for you| reading| stories)?|most read|most popular|"
    r"popular (?:now|stories)|top stories|latest (?:news|stories)|editor'?s picks|what to read next|"
    r"more on this(?: story| topic)?|also watch|watch more|don'?t miss|more coverage|in case you missed it|"
    r"more in [\w .]{1,30}|further reading|up next|what'?s next|featured (?:stories|videos?)|"
    r"latest videos?|more videos?|trending videos?|most read from [\w .]{1,40}|more on this story|"
    r"related (?:stories|articles|topics|internet links)|"
    r"most (?:read|popular|viewed|shared)(?: (?:stories|articles|now))?|"
    r"explore more(?: on these topics)?|more posts you may like|also from this source|organi[sz]ation profile|"
    r"popular [\w ]{1,25} (?:articles|stories)|trending(?: in [\w .]{1,30})?|see more on)"
    r"\s*:?\s*$", re.I)
# Where the article ends and reader comments or press-release furniture begin: everything after is not story.
_TAIL = re.compile(
    r"^(?:(?i:\d[\d,.]*k?\s+comments?|comments?|sort by\s*:.*|view all comments|show comments|"
    r"see more on\s*:.*|forward[- ]looking (?:information|statements?)|(?:cautionary|legal) (?:note|notice))|"
    r"(?i:about)\s+(?:the\s+)?[A-Z][\w.&’'-]*(?:\s+[\w.&’'-]+){0,6})\s*$")
_INLINE_SEE_ALSO = re.compile(r"^(?:read more|read also|also read|also see|see also|watch|related|more|"
                              r"must read|recommended|click here|read the full story)\s*[:|>»-]\s*\S", re.I)
_TAGS = re.compile(r"^(?:tags?|topics?|filed under|categories|category|keywords|more about)\s*[:|]", re.I)
_RELATIVE = re.compile(
    r"^(?:(?:(?:this\s+)?(?:article|story)\s+was\s+)?(?:updated|published|posted)\s*:?\s*)?"
    r"(?:\d+\s*(?:s|m|h|d|w|sec|secs|min|mins|hr|hrs|minutes?|hours?|days?|"
    r"weeks?|months?)\.?\s+ago|\d+[smhdw]|just now|yesterday|today|moments ago)\W*$", re.I)
_BIO = re.compile(
    r"^[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3}\s+(?:is|was)\s+(?:a|an|the)\s+[^.]{0,80}\b(?:reporter|correspondent|"
    r"writer|journalist|editor|columnist|producer|contributor|bureau chief|intern)\b", re.I)
_BYLINE = re.compile(r"^(?:by|written by|story by|words by)\s*:?\s+[A-ZÀ-Ý]", re.I)
_DESK = re.compile(r"(?i)^[\w.&' -]{0,40}\b(?:news desk|staff|digital staff|web desk|wire services|agencies)$")
_DATELINE = re.compile(
    r"^(?P<place>[A-ZÀ-Ý][A-ZÀ-Ý.'’-]+(?:[ ,]+[A-ZÀ-Ý][A-ZÀ-Ýa-z.'’-]+){0,4})\s*(?:\((?P<tag>[A-Za-z]{2,10})\)\s*)?"
    r"(?:[—–]|--?|:)\s*")
_CRUMB = r"[\w&'’.-]+(?: [\w&'’.-]+){0,3}"
_BREADCRUMB = re.compile(rf"^(?:{_CRUMB}\s*(?:/|>|›|»|\|)\s*){{1,5}}{_CRUMB}$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•·▪►]|\d{1,2}[.)])\s+")
_TERMINAL = re.compile(r"[.!?…\"”’)\]:]$")


@dataclass(frozen=True)
class Layout:
    title: str
    paragraphs: tuple[str, ...]
    section: str | None = None
    deck: str | None = None
    bylines: tuple[str, ...] = ()
    date_lines: tuple[str, ...] = ()
    captions: tuple[Caption, ...] = ()
    footers: tuple[str, ...] = ()
    dateline: str | None = None
    wire_tag: str | None = None
    tags: tuple[str, ...] = field(default=())
    outlets: tuple[str, ...] = ()  # outlet names standing alone on a header line ("BBC News", "The Canadian Press")
    tail_outlets: tuple[str, ...] = ()  # outlets named only by "More from …" below the story


# ----------------------------------------------------------------------------- blocks

def split_blocks(text: str, markdown: bool = False) -> list[str]:
    """Lines → blocks. Scraped text has one paragraph per line; hard-wrapped text and Markdown join
    the lines of a blank-line separated paragraph."""
    raw_lines = [ln.rstrip() for ln in text.split("\n")]
    wrapped = markdown or _looks_wrapped(raw_lines)
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            blocks.append(" ".join(current))
            current.clear()

    for raw in raw_lines:
        line = raw.strip()
        if markdown:
            line = _strip_markdown(line)
        if not line:
            flush()
            continue
        joinable = (wrapped and current and len(current[-1]) >= 40 and not _LIST_ITEM.match(line)
                    and not (markdown and raw.lstrip().startswith("#")))
        if joinable:
            current.append(line)
        else:
            flush()
            current.append(line)
        if markdown and raw.lstrip().startswith("#"):
            flush()
    flush()
    return [re.sub(r"\s+", " ", b).strip() for b in blocks if b.strip()]


def _looks_wrapped(lines: list[str]) -> bool:
    """Hard-wrapped text: many consecutive long lines that stop mid-sentence."""
    breaks = 0
    for a, b in itertools.pairwise(lines):
        a, b = a.strip(), b.strip()
        if 40 <= len(a) <= 100 and b and not _TERMINAL.search(a) and b[:1].islower():
            breaks += 1
    return breaks >= 2


def _strip_markdown(line: str) -> str:
    line = re.sub(r"^#{1,6}\s+", "", line)
    line = re.sub(r"^>\s?", "", line)
    line = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", line)
    line = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", line)
    line = re.sub(r"(\*\*|__)(.+?)\1", r"\2", line)
    line = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?!\w)", r"\1", line)
    if re.fullmatch(r"[-*_]{3,}", line.strip()):
        return ""
    return line


# ----------------------------------------------------------------------------- line kinds

def is_noise(line: str) -> bool:
    """Furniture that is dropped wherever it appears."""
    words = len(line.split())
    if _AD.match(line) or _EMPTY_LABEL.match(line) or _RELATIVE.match(line) or _FORUM.match(line):
        return True
    if credits.copyright_line(line):
        return False  # "© 2025 Paper. All rights reserved. | Privacy Policy": a footer naming the outlet
    if words <= 8 and (_SHARE.match(line) or _SHARE_PHRASE.match(line)):
        return True
    return words <= 30 and bool(_PROMPT.search(line)) and not _looks_like_quote(line)


def _looks_like_quote(line: str) -> bool:
    return bool(re.search(r"[“\"]", line))


def is_timestamp(line: str) -> bool:
    if len(line.split()) > 16:
        return False
    date, _ = dates.labelled_date(line)
    if date is not None and re.match(r"(?i)^\W*(?:published|posted|updated|last updated|first published|"
                                     r"modified|released|date)", line):
        return True
    return dates.bare_date_line(line)


def is_byline(line: str) -> bool:
    if len(line.split()) > 18:
        return False
    if _BYLINE.match(line):
        return True
    if _DESK.match(line.strip()):
        return True
    parts = [p.strip() for p in re.split(r"\s*[·|•]\s*", line) if p.strip()]
    return len(parts) >= 2 and any(credits.normalise_outlet(p) for p in parts) and any(
        credits.looks_like_name(re.sub(r"(?i)^by\s+", "", p)) for p in parts)


def dateline_of(paragraph: str) -> tuple[str | None, str | None]:
    """("OTTAWA", "AP") for "OTTAWA (AP) — …"; places are upper-case or end in a wire tag."""
    m = _DATELINE.match(paragraph)
    if not m:
        return None, None
    place = m["place"].strip(" ,")
    letters = re.sub(r"[^A-Za-zÀ-ÿ]", "", place.split(",")[0])
    if not letters or (not letters.isupper() and not m["tag"]) or len(place) > 45:
        return None, None
    if len(paragraph) - m.end() < 20:
        return None, None
    return place, m["tag"]


def strip_dateline(paragraph: str) -> str:
    """The lead without its "OTTAWA (AP) —" dateline: a summary reads as a sentence, not a wire slug."""
    place, _tag = dateline_of(paragraph)
    if place is None:
        return paragraph
    m = _DATELINE.match(paragraph)
    rest = paragraph[m.end():].lstrip(" —–-:") if m else paragraph
    return rest[:1].upper() + rest[1:] if rest else paragraph


# ----------------------------------------------------------------------------- layout

def parse_layout(text: str, markdown: bool = False) -> Layout:
    blocks = split_blocks(text, markdown=markdown)
    return layout_from_blocks(blocks)


def _is_paragraph(line: str) -> bool:
    words = len(line.split())
    return words >= 16 or (words >= 8 and bool(_TERMINAL.search(line)) and "." in line[:-1] + line[-1])


def _is_caption_text(line: str) -> bool:
    """A caption printed without a full stop (BBC-style), as opposed to a body paragraph."""
    return 3 <= len(line.split()) <= 40 and not _TERMINAL.search(line) and not is_timestamp(line)


def _is_desk_line(line: str) -> bool:
    """"Montreal", "in Québec", "Ottawa Bureau": where the reporter files from, under the byline."""
    return bool(re.fullmatch(r"(?:in\s+)?[A-ZÀ-Ý][\w.'’À-ÿ-]*(?:\s+[A-ZÀ-Ý][\w.'’À-ÿ-]*){0,2}", line.strip()))


def _byline_ahead(line: str, nxt: str) -> bool:
    """A name alone on a line is a byline when a role, an outlet, a desk or a date line follows it."""
    line = re.sub(r"\s+in\s+[A-ZÀ-Ý][\w.'’À-ÿ-]*(?:\s+[A-ZÀ-Ý][\w.'’À-ÿ-]*)?$", "", line)  # "Name in Vancouver"
    if not credits.looks_like_name(line) or len(line.split()) > 4 or _TERMINAL.search(line):
        return False
    if re.search(r"(?i)\b(?:news|politics|business|world|sports?|local|opinion|canada|live|video)\b", line):
        return False
    return bool(credits.is_role_line(nxt) or credits.normalise_outlet(nxt) or is_timestamp(nxt)
                or re.match(r"^in\s+[A-ZÀ-Ý]", nxt) or _RELATIVE.match(nxt))


def _deck_before_credits(blocks: list[str], index: int, header: list[str], title_hint: str | None) -> bool:
    """A standfirst printed above the byline and timestamp looks like a paragraph but is header text."""
    if sum(1 for h in header if not _is_kicker(h)) + (1 if title_hint else 0) != 1:
        return False
    for j in range(index + 1, min(index + 7, len(blocks))):
        b = blocks[j].strip()
        if not b or is_noise(b):
            continue
        nxt = blocks[j + 1].strip() if j + 1 < len(blocks) else ""
        if is_timestamp(b) or is_byline(b) or credits.split_role(b) or _byline_ahead(b, nxt):
            return True
        if _is_paragraph(b):
            return False
    return False


def layout_from_blocks(blocks: list[str], title_hint: str | None = None) -> Layout:
    bylines: list[str] = []
    date_lines: list[str] = []
    captions: list[Caption] = []
    footers: list[str] = []
    tags: list[str] = []
    crumbs: list[str] = []
    header_text: list[str] = []
    outlets: list[str] = []
    body: list[str] = []
    tail_outlets: list[str] = []  # "More from Meridian": the publisher, named only below the story
    in_body = False
    cut = False
    skipping = False  # inside a "Most read" list printed between the headline and the story
    after_byline = False  # the line before was a byline or a role line: a desk city may follow
    skip_index = -1
    for index, block in enumerate(blocks):
        line = block.strip()
        if not line or index == skip_index:
            continue
        nxt = blocks[index + 1].strip() if index + 1 < len(blocks) else ""
        was_after_byline, after_byline = after_byline, False
        if cut:
            if credits.is_footer(line):
                footers.append(line)  # a copyright or credit line below the related links
            continue
        if in_body and (_CUT.match(line) or _TAIL.match(line)) and len(body) >= 2:
            cut = True
            more = re.match(r"(?i)more from\s+(?P<name>.+?)\s*:?$", line)
            if more and more["name"][:1].isupper() and len(more["name"].split()) <= 4:
                tail_outlets.append(credits.normalise_outlet(more["name"]) or more["name"])
            continue
        if not in_body and re.fullmatch(r"(?i)(?:news\s+)?(?:provided|distributed|issued)\s+by:?", line) and nxt \
                and len(nxt.split()) <= 8:
            outlets.append(credits.normalise_outlet(nxt) or nxt)  # newswire: "News provided by / Company Inc."
            skip_index = index + 1
            continue
        if is_noise(line):
            continue
        if _CUT.match(line):
            if in_body:
                cut = True
            elif header_text or title_hint:
                skipping = True
            continue
        if skipping and not in_body:
            if not _is_paragraph(line) or is_byline(line):
                continue
            skipping = False
        if in_body and _INLINE_SEE_ALSO.match(line) and len(line.split()) <= 30:
            continue
        if _TAGS.match(line):
            tags.extend(t.strip() for t in re.split(r"[,|·•]", line.split(":", 1)[-1]) if t.strip())
            continue
        if credits.is_footer(line):
            footers.append(line)
            continue
        if in_body and _BIO.match(line) and len(line.split()) <= 60:
            footers.append(line)
            continue
        if not in_body and credits.normalise_outlet(line):
            outlets.append(credits.normalise_outlet(line) or line)
            after_byline = was_after_byline
            continue
        if credits.is_bare_credit(line) and nxt and _is_caption_text(nxt) and not credits.split_caption(nxt):
            captions.append(Caption(nxt, line.strip("()")))  # credit printed above its caption
            skip_index = index + 1
            continue
        caption = credits.split_caption(line)
        if caption is not None:
            if not caption.text and captions and captions[-1].credit is None:
                captions[-1] = Caption(captions[-1].text, caption.credit)
            elif not caption.text and in_body and body and blocks[index - 1].strip() == body[-1] \
                    and len(body[-1].split()) <= 50:
                # a photo caption followed by its credit line, read as a paragraph until now
                captions.append(Caption(body.pop(), caption.credit))
                in_body = bool(body)
            elif not caption.text and not in_body and header_text and not _is_paragraph(header_text[-1]) \
                    and header_text[-1] != (title_hint or ""):
                # a caption line followed by a credit-only line
                captions.append(Caption(header_text.pop(), caption.credit))
            else:
                captions.append(caption)
            continue
        if credits.is_bare_credit(line):
            continue
        if is_timestamp(line):
            date_lines.append(line)
            continue
        if not in_body and not header_text and _BREADCRUMB.match(line) and not is_timestamp(line):
            crumbs.append(re.split(r"\s*(?:/|>|›|»|\|)\s*", line)[-1].strip())
            continue
        if not in_body and credits.is_role_line(line) and (was_after_byline or bylines) \
                and not credits.split_role(line):
            after_byline = True
            continue
        if not in_body and (is_byline(line) or credits.split_role(line)
                            or ((header_text or title_hint) and _byline_ahead(line, nxt))):
            bylines.append(line)
            after_byline = True
            continue
        if not in_body and credits.is_role_line(line) and (was_after_byline or bylines):
            after_byline = True
            continue
        if not in_body and was_after_byline and _is_desk_line(line) and not _is_paragraph(line):
            continue
        if in_body and is_byline(line) and _BYLINE.match(line):
            bylines.append(line)
            continue
        if in_body and line.isupper() and len(line.split()) <= 4 and not re.search(r"\d", line):
            continue  # "REPORT AN ERROR", "ABOUT THE STAR": capitalised page links
        if not in_body:
            if _is_paragraph(line) and (any(not _is_kicker(h) for h in header_text) or len(header_text) >= 2
                                        or title_hint) \
                    and line != title_hint and not _deck_before_credits(blocks, index, header_text, title_hint):
                in_body = True
                body.append(line)
            else:
                header_text.append(line)
            continue
        body.append(line)
    if body and re.fullmatch(r"\(.*\)\.?", body[-1]) and len(body[-1].split()) <= 30 and len(body) > 1:
        footers.append(body.pop())  # "(Notes copied from …)": an editor's note on where the text came from

    title, section, deck, extra = _read_header(header_text, title_hint)
    if section is None and crumbs and crumbs[-1].lower() not in ("home", "news"):
        section = crumbs[-1]
    body = extra + body
    deck_found = deck
    if deck_found is None and not title_hint and body and len(body) > 1 and header_text == [title]:
        deck_found = None
    if not title and body:
        first = body[0]
        title = first if len(first.split()) <= 20 else " ".join(first.split()[:12]) + "…"
        if len(first.split()) <= 20:
            body = body[1:]
    dateline = wire = None
    if body:
        dateline, wire = dateline_of(body[0])
    if body and dateline is None and len(body) > 2 and deck_found is None and len(body[0].split()) <= 40:
        dateline, wire = dateline_of(body[1])
        if dateline:
            deck_found, body = body[0], body[1:]  # the story starts at its dateline; the line above is the deck
    return Layout(title=title, paragraphs=tuple(body), section=section, deck=deck_found,
                  bylines=tuple(bylines), date_lines=tuple(date_lines), captions=tuple(captions),
                  footers=tuple(footers), dateline=dateline, wire_tag=wire, tags=tuple(tags),
                  outlets=tuple(dict.fromkeys(outlets)), tail_outlets=tuple(tail_outlets))


def _is_kicker(line: str) -> bool:
    words = line.split()
    return 1 <= len(words) <= 4 and not _TERMINAL.search(line) and not re.search(r"\d{3,}", line)


def _read_header(lines: list[str], title_hint: str | None) -> tuple[str, str | None, str | None, list[str]]:
    """(title, section, deck, leftover body lines) from the header lines before the first paragraph."""
    lines = [ln for ln in lines if not credits.normalise_outlet(ln)]
    section = None
    if title_hint:
        norm_hint = _norm(title_hint)
        idx = next((i for i, ln in enumerate(lines) if _norm(ln) == norm_hint), None)
        before = lines[:idx] if idx is not None else lines
        after = lines[idx + 1:] if idx is not None else []
        kickers = [ln for ln in before if _is_kicker(ln)]
        if kickers:
            section = kickers[-1]
        deck = after[0] if after and len(after[0].split()) >= 6 else None
        leftovers = after[1:] if deck else after
        return title_hint, section, deck, [ln for ln in leftovers if not _is_kicker(ln)]
    if not lines:
        return "", None, None, []
    idx = next((i for i, ln in enumerate(lines) if not _is_kicker(ln)), len(lines) - 1)
    title = lines[idx]
    if idx >= 1 and _is_kicker(lines[idx - 1]) and not (
            idx >= 3 and all(len(ln.split()) == 1 for ln in lines[idx - 3:idx])):
        section = lines[idx - 1]  # three one-word lines in a row above the headline are a menu, not a kicker
    rest = lines[idx + 1:]
    deck = rest[0] if rest and len(rest[0].split()) >= 6 else None
    leftovers = rest[1:] if deck else rest
    return title, section, deck, [ln for ln in leftovers if len(ln.split()) >= 4]


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()
