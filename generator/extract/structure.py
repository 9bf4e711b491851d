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
from generator.extract.furniture import (
    BIO,
    BREADCRUMB,
    BYLINE,
    CUT,
    GLUED_CRUMB,
    INLINE_SEE_ALSO,
    KICKER_LABEL,
    LABELLED,
    LIST_ITEM,
    MASTHEAD,
    NAV,
    RELATIVE,
    SECTION_LINKS,
    SPECIAL_TO,
    TAGS,
    TAIL,
    TERMINAL,
    URL,
    VIDEO,
    dateline_of,
    is_byline,
    is_menu,
    is_noise,
    is_pointer,
    is_timestamp,
    strip_dateline,
)

# ``is_noise``, ``is_pointer``, ``is_timestamp`` and ``strip_dateline`` are part of this module's interface
# (the HTML path and the record assembly call them through it).
__all__ = ["Layout", "dateline_of", "is_byline", "is_noise", "is_pointer", "is_timestamp", "layout_from_blocks",
           "parse_layout", "split_blocks", "strip_dateline"]



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
    site_name: str | None = None  # the site's name above its navigation ("The Daily Compass")
    hosts: tuple[str, ...] = ()  # web hosts of the page's own address and e-mail addresses, in order


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
        joinable = (wrapped and current and len(current[-1]) >= 40 and not LIST_ITEM.match(line)
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
        if 40 <= len(a) <= 100 and b and not TERMINAL.search(a) and b[:1].islower():
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




# ----------------------------------------------------------------------------- layout

def parse_layout(text: str, markdown: bool = False) -> Layout:
    blocks = split_blocks(text, markdown=markdown)
    return layout_from_blocks(blocks)


def _is_paragraph(line: str) -> bool:
    words = len(line.split())
    return words >= 16 or (words >= 8 and bool(TERMINAL.search(line)) and "." in line[:-1] + line[-1])


def _is_caption_text(line: str) -> bool:
    """A caption printed without a full stop (BBC-style), as opposed to a body paragraph."""
    return 3 <= len(line.split()) <= 40 and not TERMINAL.search(line) and not is_timestamp(line)


def _is_desk_line(line: str) -> bool:
    """"Montreal", "in Québec", "Ottawa Bureau": where the reporter files from, under the byline."""
    return bool(re.fullmatch(r"(?:in\s+)?[A-ZÀ-Ý][\w.'’À-ÿ-]*(?:\s+[A-ZÀ-Ý][\w.'’À-ÿ-]*){0,2}", line.strip()))


def _byline_ahead(line: str, nxt: str) -> bool:
    """A name alone on a line is a byline when a role, an outlet, a desk or a date line follows it."""
    line = re.sub(r"\s+in\s+[A-ZÀ-Ý][\w.'’À-ÿ-]*(?:\s+[A-ZÀ-Ý][\w.'’À-ÿ-]*)?$", "", line)  # "Name in Vancouver"
    if not credits.looks_like_name(line) or len(line.split()) > 4 or TERMINAL.search(line):
        return False
    if re.search(r"(?i)\b(?:news|politics|business|world|sports?|local|opinion|canada|live|video)\b", line):
        return False
    return bool(credits.is_role_line(nxt) or credits.normalise_outlet(nxt) or is_timestamp(nxt)
                or re.match(r"^in\s+[A-ZÀ-Ý]", nxt) or RELATIVE.match(nxt) or SPECIAL_TO.match(nxt))


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
    header_pos: list[int] = []  # block index of each header line: runs of short lines are menus
    menu_pos: set[int] = set()
    video_titles: set[str] = set()
    outlets: list[str] = []
    body: list[str] = []
    tail_outlets: list[str] = []  # "More from Meridian": the publisher, named only below the story
    in_body = False
    cut = False
    skipping = False  # inside a "Most read" list printed between the headline and the story
    after_byline = False  # the line before was a byline or a role line: a desk city may follow
    skip_index = -1
    skip_until = -1
    for index, block in enumerate(blocks):
        line = block.strip()
        if not line or index == skip_index or index < skip_until:
            continue
        nxt = blocks[index + 1].strip() if index + 1 < len(blocks) else ""
        was_after_byline, after_byline = after_byline, False
        if cut:
            if credits.is_footer(line):
                footers.append(line)  # a copyright or credit line below the related links
            continue
        video = VIDEO.match(line)
        if video:
            video_titles.add(_norm(video["title"]))  # the player's title comes back as its caption
            continue
        if _norm(line) in video_titles:
            continue
        if in_body and CUT.match(line):
            if LABELLED.match(nxt):
                continue  # "UP NEXT" over "Team: …" lines: a heading inside the story
            resume = _story_resumes(blocks, index)
            if resume is not None:
                skip_until = resume  # "Read also:" and one linked headline inside the story: skip just those
                continue
        if in_body and (CUT.match(line) or TAIL.match(line) or SECTION_LINKS.match(line)) and len(body) >= 2:
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
        if is_menu(line):
            menu_pos.add(index)
        if is_noise(line):
            continue
        if KICKER_LABEL.match(line):
            if not in_body:
                header_text.append(line)
                header_pos.append(index)
            continue
        special = SPECIAL_TO.match(line)
        if special and not in_body:
            outlets.append(credits.normalise_outlet(special["outlet"]) or special["outlet"])
            after_byline = True
            continue
        if CUT.match(line):
            if in_body:
                cut = True
            elif header_text or title_hint:
                skipping = True
            continue
        if skipping and not in_body:
            if not _is_paragraph(line) or is_byline(line):
                continue
            skipping = False
        if in_body and INLINE_SEE_ALSO.match(line) and len(line.split()) <= 30:
            continue
        if TAGS.match(line):
            tags.extend(t.strip() for t in re.split(r"[,|·•]", line.split(":", 1)[-1]) if t.strip())
            continue
        if credits.is_footer(line):
            footers.append(line)
            continue
        if in_body and BIO.match(line) and len(line.split()) <= 60:
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
                header_pos.pop()
            else:
                captions.append(caption)
            continue
        if credits.is_bare_credit(line):
            continue
        if is_timestamp(line):
            date_lines.append(line)
            by = re.search(r"\bby\s+(?P<who>[A-ZÀ-Ý][^|·•]{2,60})$", line)  # "Posted on June 12, 2025 by Jane Doe"
            if by and not in_body and credits.split_names(by["who"]):
                bylines.append("By " + by["who"].strip())
            continue
        masthead = MASTHEAD.match(line)
        if not in_body and masthead and dates.bare_date_line(masthead["date"]):
            date_lines.append(masthead["date"])
            continue
        top = not in_body and all(_is_kicker(h) for h in header_text)  # nothing but a site name above
        if top and BREADCRUMB.match(line) and not is_timestamp(line):
            crumbs.append(re.split(r"\s*(?:/|>|›|»|\|)\s*", line)[-1].strip())
            menu_pos.add(index)
            continue
        glued = GLUED_CRUMB.match(line)
        if top and glued and len(glued["title"].split()) >= 5:
            parts = [c.strip() for c in re.split(r"\s+[/>›»]\s+", glued["crumbs"]) if c.strip()]
            if len(parts) >= 2 or NAV.match(parts[0]):
                crumbs.append(parts[-1])
                header_text.append(glued["title"].strip())
                header_pos.append(index)
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
        if in_body and is_byline(line) and BYLINE.match(line):
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
                header_pos.append(index)
            continue
        body.append(line)
    if body and re.fullmatch(r"\(.*\)\.?", body[-1]) and len(body[-1].split()) <= 30 and len(body) > 1:
        footers.append(body.pop())  # "(Notes copied from …)": an editor's note on where the text came from
    links: list[str] = []
    while len(body) > 3 and all(_is_topic_link(b) for b in body[-2:]):
        links.insert(0, body.pop())  # "Trade", "Steel", "European Union": topic links left under the story
    if links and _is_topic_link(body[-1]):
        links.insert(0, body.pop())
    tags.extend(links)
    authors = [n for b in bylines for n in credits.parse_byline(b)[0]]
    while len(body) > 1 and any(re.match(rf"{re.escape(n)}\s+(?:is|was|has|writes|covers|teaches)\b", body[-1])
                                for n in authors):
        footers.append(body.pop())  # "Name is a former economist …": the author's bio under the story

    hosts = _hosts(blocks)
    site_name = _site_name(header_text, header_pos, menu_pos, hosts)
    if site_name is not None:
        del header_text[0], header_pos[0]
        site_name = credits.fix_caps(site_name)
    title, section, deck, extra = _read_header(header_text, title_hint, header_pos)
    if not title_hint:
        title, site = _split_site_suffix(title, hosts)
        if site:
            outlets.append(site)
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
                  outlets=tuple(dict.fromkeys(outlets)), tail_outlets=tuple(tail_outlets), site_name=site_name,
                  hosts=tuple(hosts))


_EMAIL_HOST = re.compile(r"[\w.+-]+@(?P<host>[\w-]+(?:\.[\w-]+)*\.[a-z]{2,})", re.I)


def _split_site_suffix(title: str, hosts: list[str]) -> tuple[str, str | None]:
    """"Ottawa names envoy | Maple Times" → ("Ottawa names envoy", "Maple Times"): a page title copied with
    the site's name after a bar or dash."""
    m = re.match(r"^(?P<head>.{15,}?)\s+(?:\||–|—|-|::)\s+(?P<site>[^|–—]{2,40})$", title)
    if not m:
        return title, None
    site = m["site"].strip()
    known = credits.normalise_outlet(site)
    if known or credits.outlet_shaped(site) or any(_squash(site) == _squash(h.split(".")[0]) for h in hosts):
        return m["head"].strip(), known or site
    return title, None


def _hosts(blocks: list[str]) -> list[str]:
    """"baystreetledger.com" from the page address on a line of its own or from a newsroom e-mail address."""
    found: list[str] = []
    for block in blocks:
        line = block.strip()
        m = URL.match(line)
        hosts = [m["host"]] if m else [e["host"] for e in _EMAIL_HOST.finditer(line)] if "@" in line else []
        for host in hosts:
            host = re.sub(r"^(?:www\d?|m|amp)\.", "", host.lower())
            if host not in found:
                found.append(host)
    return found


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _site_name(lines: list[str], positions: list[int], menus: set[int], hosts: list[str]) -> str | None:
    """The first header line when it names the site: its letters spell the page's host, or it stands
    above a navigation menu (a "A | B | C" line, or a run of three or more short lines)."""
    if not lines or credits.normalise_outlet(lines[0]) or NAV.match(lines[0]) or KICKER_LABEL.match(lines[0]):
        return None
    first, words = lines[0], lines[0].split()
    if not 1 <= len(words) <= 5 or TERMINAL.search(first) or re.search(r"\d", first) or re.search(
            r"(?i)\b(?:subscri|sign|log|print|edition|account|app|menu|search|skip|download)\w*", first):
        return None
    if any(_squash(first) == _squash(h.split(".")[0]) for h in hosts):
        return first
    pos = positions[0]
    if len(lines) >= 2 and any(pos < m <= pos + 2 for m in menus):
        return first  # a name right above a "A | B | C" menu or a breadcrumb
    distinctive = len(words) >= 2 or first.isupper() or bool(re.search(r"[a-z][A-Z]", first))
    if not distinctive or len(lines) < 2:
        return None
    run = 0
    for line, at in zip(lines[1:], positions[1:], strict=True):
        if at > pos + 3 + run or not _is_kicker(line):
            break
        run += 1
    return first if run >= 3 else None


def _story_resumes(blocks: list[str], index: int) -> int | None:
    """Where the story goes on after a pointer heading at ``index`` ("À lire aussi :", "Related:") followed
    by one or two linked headlines: a long paragraph within the next three blocks, else None (the pointer
    opens the page's lists, and the story has ended)."""
    for j in range(index + 1, min(index + 4, len(blocks))):
        block = blocks[j].strip()
        if len(block.split()) >= 25 and TERMINAL.search(block) and j > index + 1:
            rest = [b for b in blocks[j + 1:] if b.strip()]
            return j if rest and _is_paragraph(rest[0]) else None
        if len(block.split()) > 16 or (TERMINAL.search(block) and not block.endswith(":")):
            return None
    return None


def _is_topic_link(line: str) -> bool:
    words = line.split()
    return 1 <= len(words) <= 3 and all(w[:1].isupper() for w in words if len(w) > 3) \
        and not TERMINAL.search(line) and not re.search(r"\d", line)


def _is_kicker(line: str) -> bool:
    words = line.split()
    return 1 <= len(words) <= 4 and not TERMINAL.search(line) and not re.search(r"\d{3,}", line)


def _menu_run(lines: list[str], positions: list[int], end: int) -> int:
    """How many short lines stand back to back (no other block between them) up to ``lines[end]``."""
    run, k = 0, end
    while k >= 0 and _is_kicker(lines[k]) and (k == end or positions[k] + 1 == positions[k + 1]):
        run += 1
        k -= 1
    return run


def _read_header(lines: list[str], title_hint: str | None,
                 positions: list[int] | None = None) -> tuple[str, str | None, str | None, list[str]]:
    """(title, section, deck, leftover body lines) from the header lines before the first paragraph."""
    positions = positions if positions is not None and len(positions) == len(lines) else list(range(len(lines)))
    keep = [i for i, ln in enumerate(lines) if not credits.normalise_outlet(ln)]
    lines, positions = [lines[i] for i in keep], [positions[i] for i in keep]
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
    if idx >= 1 and _is_kicker(lines[idx - 1]) and not NAV.match(lines[idx - 1]) \
            and _menu_run(lines, positions, idx - 1) < 3:
        section = lines[idx - 1]  # three short lines back to back above the headline are a menu, not a kicker
    rest = lines[idx + 1:]
    deck = rest[0] if rest and len(rest[0].split()) >= 6 else None
    leftovers = rest[1:] if deck else rest
    return title, section, deck, [ln for ln in leftovers if len(ln.split()) >= 4]


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()
