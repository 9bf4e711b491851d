"""A saved page's main text: trafilatura's, never less.

trafilatura finds the article in the page (settings below, chosen by measurement on saved pages). Its lines
then go through the same layout parser as pasted text, which knows bylines, timestamps, captions, credit
footers and furniture lines. The parser also decides by *position* (what comes before the first paragraph is
header, what follows a "Related" heading is not story); on a page trafilatura has already cut to its main
text those decisions cost article text, so ``keep_main_text`` puts back every line the parser dropped for
its position alone. Lines it recognised for what they are (furniture, credits, captions) stay out.

When trafilatura finds nothing, or much less than the page's own JSON-LD ``articleBody``, the declared
body is used; failing both, the page's paragraphs.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import lxml.html
import trafilatura
from lxml import etree

from generator.extract import credits, structure
from generator.extract.structure import Layout

# trafilatura's own defaults, spelled out so an upgrade that changes a default does not change our output
# silently. Measured on saved pages (precision / recall of expected snippets): favor_precision loses recall
# (0.93 vs 0.96) for little precision, include_tables=False loses recall, deduplicate loses precision.
_SETTINGS: dict[str, Any] = {
    "output_format": "txt", "include_comments": False, "include_tables": True, "include_images": False,
    "include_links": False, "include_formatting": False, "with_metadata": False, "deduplicate": False,
    "favor_precision": False, "favor_recall": False, "fast": False,
}
# A declared body this many times longer than what trafilatura found means trafilatura picked the wrong part
# (a caption, a teaser). Below that, trafilatura's text wins: it keeps the paragraphs, headings and lists that
# a declared body, often one run-on string, has lost.
_DECLARED_RATIO = 2.0
_MIN_DECLARED_WORDS = 40
# Furniture prompts ("Sign up for our newsletter") are short; a longer line that says "sign up to" is text.
_MAX_PROMPT_WORDS = 20


def main_text(html: str) -> list[str]:
    """trafilatura's main text of ``html`` as lines (list bullets removed); ``[]`` when it finds none."""
    try:
        text = trafilatura.extract(html, **_SETTINGS)
    except (etree.ParserError, ValueError, TypeError):
        return []
    return _lines(text or "")


def declared_lines(text: str | None) -> list[str]:
    """JSON-LD ``articleBody`` (plain text or HTML) as lines."""
    if not text or not text.strip():
        return []
    if re.search(r"<(?:p|br|div|h\d|li)\b", text, re.I):
        try:
            frag = lxml.html.fragment_fromstring(text, create_parent="div")
        except (etree.ParserError, ValueError):
            return _lines(text)
        for br in frag.iter("br"):
            br.tail = "\n" + (br.tail or "")
        for el in frag.iter("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote"):
            el.tail = "\n" + (el.tail or "")
            el.text = "\n" + (el.text or "")
        text = frag.text_content()
    if "\n" not in text.strip():
        # one run-on string: publishers often leave two spaces where a paragraph ended
        text = re.sub(r"(?<=[.!?”\"’])\s{2,}(?=[A-Z“\"‘])", "\n", text)
    return _lines(text)


def paragraph_lines(tree: Any) -> list[str]:
    """The last resort: the page's ``<p>`` texts (inside ``<article>`` when there is one), or the lines of
    a page that is no markup at all (plain text saved with an ``.html`` name)."""
    paragraphs = tree.xpath("//article//p") or tree.xpath("//p")
    if paragraphs:
        return [t for t in (re.sub(r"\s+", " ", p.text_content() or "").strip() for p in paragraphs) if t]
    body = tree.find("body")
    if body is not None and len(body) == 0:
        return _lines(body.text or "")
    return []


def choose_lines(main: list[str], declared: list[str], fallback: list[str]) -> list[str]:
    """trafilatura's lines, unless the declared body is much longer, or is the same text with its paragraph
    breaks (trafilatura falls back to ``articleBody`` itself, as one run-on line); the page's paragraphs
    when both are empty."""
    main_words, declared_words = _words(main), _words(declared)
    if declared_words >= _MIN_DECLARED_WORDS and declared_words >= _DECLARED_RATIO * main_words:
        return declared
    if main and len(declared) > len(main) and declared_words >= main_words * 0.9:
        inside = _shingles(declared)
        mine = _shingles(main)
        if mine and len(mine & inside) >= 0.9 * len(mine):
            return declared
    return main or declared or fallback


@dataclass(frozen=True)
class Marked:
    """Texts the page marks up as what they are, which confirm what the layout parser guesses from shape."""

    captions: tuple[str, ...] = ()  # <figcaption>, caption classes, microdata captions (normalised)
    stamps: frozenset[str] = frozenset()  # a <time> and the short label around it ("UPDATE: 4:05 p.m.")
    decks: frozenset[str] = frozenset()  # standfirst elements (class "dek", "standfirst", "subtitle"…)
    headings: frozenset[str] = frozenset()  # <h2>…<h6>: subheadings of the article, never its deck


def marked_texts(tree: Any) -> Marked:
    """The captions, timestamps and standfirsts a parsed page marks up."""
    captions = tree.xpath('//figcaption | //*[@itemprop="caption"] | //*[contains(@class,"caption")] | '
                          '//*[contains(@class,"Caption")]')
    stamps: set[str] = set()
    for time in tree.xpath("//time"):
        own = time.text_content() or ""
        stamps.add(_norm(own))
        parent = time.getparent()
        around = parent.text_content() or "" if parent is not None else ""
        if len(around.split()) <= 10:
            stamps.add(_norm(around))
            label = around.replace(own, " ").strip()
            if re.fullmatch(r"[A-Za-z]+(?: [A-Za-z]+){0,2}\s*:?", label):  # "UPDATE:", "Last updated"
                stamps.add(_norm(label))
    decks: set[str] = set()  # not the description meta: pages often repeat their first paragraph there
    for el in tree.xpath('//*[contains(@class,"dek") or contains(@class,"standfirst") or '
                         'contains(@class,"subtitle") or contains(@class,"subheadline") or '
                         'contains(@class,"sub-headline") or contains(@class,"deck")]'):
        text = _norm(el.text_content() or "")
        if len(text.split()) <= 60:
            decks.add(text)
    headings = {_norm(h.text_content() or "") for h in tree.xpath("//h2 | //h3 | //h4 | //h5 | //h6")}
    return Marked(captions=tuple(c for c in (_norm(el.text_content() or "") for el in captions) if len(c) >= 12),
                  stamps=frozenset(stamps - {""}), decks=frozenset(decks - {""}),
                  headings=frozenset(headings - {""}))


def keep_main_text(layout: Layout, lines: Sequence[str], title: str | None, marked: Marked = Marked()) -> Layout:
    """``layout`` with every line of ``lines`` the parser dropped only for its position put back, in order.

    A line the parser read as a photo caption stays out only when the page prints it as one (a paragraph
    above a credit line is still a paragraph); a line that is word for word one of the page's caption
    elements stays out wherever it stands. A short line the parser took for the kicker is a kicker only
    above the headline; below it, it is a subheading of the article and goes back into the body (and is not
    the section). A standfirst the page marks up is the deck, not the first paragraph.
    """
    kept = set(layout.paragraphs)
    page = _Page(layout, lines, title, marked)
    body = [ln for ln in (ln.strip() for ln in lines) if ln and ln != page.deck
            and _norm(ln) not in page.printed_captions and (ln in kept or not page.furniture(ln))]
    if not body:
        # All of it looked like furniture. A caption or a credit line that reads as a sentence still beats
        # "no article text"; a menu word does not.
        body = [ln for ln in (ln.strip() for ln in lines)
                if len(ln.split()) >= 6 and page.furniture(ln) not in ("header", "noise", "pointer")]
    if not body:
        return layout
    section = layout.section if layout.section is None or _norm(layout.section) not in map(_norm, body) else None
    return dataclasses.replace(layout, paragraphs=tuple(body), section=section, deck=page.deck)


class _Page:
    """What the layout parser recognised among a page's lines, and the page facts that confirm it."""

    def __init__(self, layout: Layout, lines: Sequence[str], title: str | None, marked: Marked) -> None:
        norms = [_norm(ln) for ln in lines]
        titles = {_norm(t) for t in (title, layout.title) if t}
        title_at = next((i for i, n in enumerate(norms) if n in titles), None)
        top = [ln for ln in lines[:4] if _norm(ln) not in titles]
        deck = layout.deck if layout.deck and _norm(layout.deck) not in marked.headings else None
        self.deck = deck or next((ln for ln in top[:2] if _norm(ln) in marked.decks), None)
        self.header = titles | {_norm(self.deck or "")}
        if layout.section and title_at is not None and _norm(layout.section) in norms[:title_at]:
            self.header.add(_norm(layout.section))  # a kicker above the headline
        self.header.discard("")
        self.credits = {_norm(x) for x in (*layout.date_lines, *layout.footers)} | marked.stamps
        # "By the time we arrived, …" starts like a byline; a byline goes on with a name, not a lower-case word
        self.bylines = {_norm(b) for b in layout.bylines if not re.match(r"(?i:by)\s+[a-z]", b)}
        self.captions = {_norm(c.text) for c in layout.captions
                         if c.text and any(_norm(c.text) in pc or pc in _norm(c.text) for pc in marked.captions)}
        self.printed_captions = set(marked.captions)  # the page's own caption elements, word for word
        # A page about a privacy policy or a newsletter is made of furniture words: trust them there.
        self.prompt_words = not (title and structure.is_noise(title))

    def furniture(self, line: str) -> str | None:
        """Why ``line`` is not article text ("byline", "caption", …), or ``None`` when it is."""
        n = _norm(line)
        for reason, known in (("header", self.header), ("credit", self.credits), ("byline", self.bylines),
                              ("caption", self.captions)):
            if n in known:
                return reason
        if structure.is_timestamp(line):
            return "timestamp"
        if structure.is_pointer(line):
            return "pointer"
        if credits.is_footer(line) or credits.is_bare_credit(line):
            return "credit"
        caption = credits.split_caption(line)
        if caption is not None and (not caption.text or _norm(caption.text) in self.captions):
            return "caption"
        if structure.is_noise(line):
            # long lines are dropped by phrase ("sign up to", "privacy policy"): article text can say that too
            return "noise" if self.prompt_words and len(line.split()) <= _MAX_PROMPT_WORDS else None
        return "outlet" if credits.normalise_outlet(line) else None


def _lines(text: str) -> list[str]:
    out = []
    for raw in text.split("\n"):
        line = re.sub(r"\s+", " ", raw).strip()
        if line.startswith(("- ", "• ")):
            line = line[2:].strip()
        if line:
            out.append(line)
    return out


def _shingles(lines: Sequence[str]) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", " ".join(lines).lower())
    return {tuple(words[i:i + 5]) for i in range(len(words) - 4)}


def _words(lines: Sequence[str]) -> int:
    return sum(len(ln.split()) for ln in lines)


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()
