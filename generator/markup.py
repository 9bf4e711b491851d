"""Markdown → HTML: CommonMark plus tables, footnotes, strikethrough and typography, with markdown-it.

Two renderers: hand-written articles may carry raw HTML; anything with an ``origin`` (feeds, inbox)
is untrusted and renders with HTML disabled. Third-party images become links unless hotlinking is on.

markdown-it-py, configured below, is the reference. markdown-it-pyrs (the Rust port by the same
maintainers) renders most news Markdown to the same bytes twelve times sooner (seven with the routing), so
a document goes to it unless it holds something on which the two were measured to differ (the checks in
``_rust_renders_alike``: code spans, raw HTML and autolinks, images, footnotes, quote marks outside words,
odd whitespace, some emphasis, one-column tables, lazy lines, internationalised host names, deep nesting,
hundreds of link definitions). ``tests/test_markup.py`` compares the two on thousands of generated documents and on
every shipped ``.md`` file. Without a markdown-it-pyrs wheel for the interpreter, markdown-it-py renders
everything: the same bytes, slower, and one logged warning per process.

Smart quotes cost both libraries time proportional to (quote marks × length) of a paragraph: a 1 MB
paragraph of ``it's`` takes a minute in markdown-it-py, 14 s in markdown-it-pyrs. A document over
``QUOTE_WORK_LIMIT`` by that measure (never a real article: it takes a 100 KB paragraph with 40 000 quote
marks) renders with straight quotes instead, in well under a second; every other character is as always.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from functools import lru_cache
from html import escape
from typing import Any
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.common.entities import entities
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.footnote import footnote_plugin

try:
    from markdown_it_pyrs import MarkdownIt as RustMarkdownIt

    HAVE_RUST = True
except ImportError:  # no wheel for this interpreter (see pyproject.toml): markdown-it-py does it all
    HAVE_RUST = False

ENGINE = "markdown-it-pyrs + markdown-it-py" if HAVE_RUST else "markdown-it-py"
FALLBACK_NOTICE = (
    "markdown-it-pyrs is not installed for this Python: Markdown renders with markdown-it-py alone "
    "(the same HTML, slower)"
)
_log = logging.getLogger(__name__)
_noticed = False

# What markdown-it-pyrs 0.4 renders differently from markdown-it-py 4.3, or fails on, as found by comparing
# the two on millions of generated documents; tests/test_markup.py holds one for each check. The checks run
# on every document, so each starts with a substring test (C speed) and scans only where it may apply.
_PY_ONLY = "`<\t\x0b\x0c\x1c\x1d\x1e\x1f"
# "`": smart quotes and replacements applied inside code spans; a code span in a link label panics.
# "<": raw HTML blocks end without a newline in markdown-it-py; autolink text gets smart quotes there.
# "\t": tab stops in nested blocks, not worth the risk. The rest: whitespace to Python's str.strip, text to Rust.
_PY_ONLY_PAIRS = (  # (a rarer character of the pair, the pair): the first is found much faster
    ("!", "!["),  # alt text (smart quotes, escapes); third-party images become links unless hotlinking
    ("^", "[^"), ("^", "^["),  # footnotes: other markup, other ids for a note referenced twice; a panic
    ("~", "~~"),  # strikethrough beside emphasis pairs differently; a tilde fence left open ends differently
    ("(", "()"),  # an empty link title: title="" to markdown-it-pyrs only
    ("&", "&#"),  # a character reference for whitespace in a link destination (see _SPACE_ENTITY)
)
# Whitespace to Python (str.isspace, re's \s) or to Rust (char::is_whitespace) beyond ASCII: markdown-it-py
# strips it around paragraphs, headings, cells, list items and link destinations, markdown-it-pyrs keeps it.
_ODD_SPACES = "\x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200B)))
_SPACE_ENTITY = re.compile("&(?:" + "|".join(sorted(n for n, c in entities.items() if c.isspace())) + ");")
# A straight quote outside a word. markdown-it-pyrs keeps one stack of open quotes for the whole document
# ("the '90s" pairs with "the players' union" two paragraphs on), looks for neighbours across table cells
# and headings, and counts symbols such as € as letters. A quote between two letters or digits is an
# apostrophe (or a plain ") to both, whatever else the document holds.
_LOOSE_QUOTE = re.compile(r"""['"](?:(?![^\W_])|(?<![^\W_]['"]))""")
# Line patterns, searched in "\n" + text. A line opening with 16 or more block-container characters: maybe
# nested past markdown-it-py's limit of 20 levels, where the two part (markdown-it-pyrs, which has no limit,
# overflows its stack at ~10 000 levels).
_DEEP_LINE = re.compile(r"\n[ >*+\-.)0-9]{16}")
# A table delimiter row with ":" but no "|", or a one-column one with "|", or a line with "|" over a line
# of dashes: the two disagree on which of these are tables (or setext headings).
_COLON_ROW = re.compile(r"\n[ >]*(?::-+:?|-+:)[ ]*(?=\n|$)")
_PIPE_ROW = re.compile(
    r"\n[ >]*(?:\|[ ]*:?-+:?[ ]*\|?|:?-+:?[ ]*\|)[ ]*(?=\n|$)"  # one column
    r"|\n[^\n|]*\|[^\n]*\n[ >]*-+[ ]*(?=\n|$)"  # dashes under a line with "|"
)
# A link definition whose destination ends in a backslash (text to markdown-it-pyrs at the end of the
# document), or one in a block quote (which then renders empty, see _empty_quote).
_ODD_DEFINITION = re.compile(r"\n(?=[^\n]*\]:)[^\n]*\\ *(?=\n|$)|>[ ]*\[[^\]\n]*\]:")
_MAX_DEFINITIONS = 500  # link reference definitions cost markdown-it-pyrs quadratic time
# "](" ending a line: markdown-it-pyrs falls back to a reference link there, markdown-it-py does not.
_OPEN_DESTINATION = re.compile(r"\]\( *(?=\n|$)")
# A non-ASCII host name: markdown-it-py writes it in punycode, markdown-it-pyrs percent-encodes it.
_IDN_HOST = re.compile(r"//[^\s/]*[^\x00-\x7f]")
_MAILTO = re.compile(r"\][(:]\s*(?i:mailto):")  # a link destination (inline or defined) in a mail scheme
# A list item that may not interrupt a paragraph (an empty one, or one numbered other than 1): in the lazy
# lines after a quoted line, or after a table row, markdown-it-py starts a list, markdown-it-pyrs goes on with
# the paragraph or table. The same for a line with "|" there (a table to markdown-it-py).
_ITEM_LINE = re.compile(r"[ >]*(?:\d{1,9}[.)](?:[ ]|$)|[-+*][ ]*$)")
_QUOTED_LINE = re.compile(r" {0,3}>")
# An empty block quote is "<blockquote></blockquote>" to markdown-it-py, two lines to markdown-it-pyrs. A line
# of only ">" is harmless right after a quoted line of text (a quote in several paragraphs); others are not.
_QUOTE_ONLY_LINE = re.compile(r"\n[ >\-+*.)0-9]*>[ ]*(?=\n|$)")
_QUOTE_TEXT_LINE = re.compile(r" {0,3}> *[^\s>]")
_QUOTE_BLANK_LINE = re.compile(r" {0,3}> *")
# Two "[" with no "]" between them (an escaped "]" closes nothing); then _deep_brackets counts.
_NESTED_BRACKET = re.compile(r"\[(?:[^\[\]\\]|\\[\s\S])*\[")
_MAX_BRACKET_DEPTH = 15  # links nest past markdown-it-py's limit of 20 levels too; markdown-it-pyrs has none
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")

QUOTE_WORK_LIMIT = 4_000_000_000  # Σ over blank-line-separated chunks of quote marks × chunk length
_CHUNK = re.compile(r"\n[ \t]*\n")


def render_markdown(text: str, *, allow_html: bool, hotlink: bool = False) -> str:
    """HTML for ``text``, byte for byte what markdown-it-py renders (bar the quote-work limit above)."""
    if "\r" in text:  # as markdown-it-py does first, for the line-based checks below
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    quotes = _quote_work(text) <= QUOTE_WORK_LIMIT
    if not HAVE_RUST:
        _notice_once()
    elif _rust_renders_alike(text):
        try:
            return str(_rust_renderer(quotes).render(text))
        except BaseException as exc:  # a Rust panic arrives as pyo3's PanicException, a BaseException
            if type(exc).__name__ != "PanicException":
                raise
            _log.debug("markdown-it-pyrs panicked; markdown-it-py renders the document", exc_info=True)
    return str(_renderer(allow_html, hotlink, quotes).render(text))


def _rust_renders_alike(text: str) -> bool:
    """Whether markdown-it-pyrs renders ``text`` exactly as markdown-it-py does (measured, conservative)."""
    for char in _PY_ONLY:
        if char in text:
            return False
    for char, pair in _PY_ONLY_PAIRS:
        if char in text and pair in text:
            return False
    if ("'" in text or '"' in text) and _LOOSE_QUOTE.search(text):
        return False
    if not text.isascii():
        for c in _ODD_SPACES:
            if c in text:
                return False
        if "//" in text and _IDN_HOST.search(text):
            return False
        if "]" in text and _MAILTO.search(text):
            return False  # maybe a non-ASCII host after "mailto:" (see _IDN_HOST)
    if ("*" in text or "_" in text) and _odd_emphasis(text):
        return False
    lines = "\n" + text
    if _DEEP_LINE.search(lines) or ("-" in text and ":" in text and _COLON_ROW.search(lines)):
        return False
    if "|" in text and "-" in text and _PIPE_ROW.search(lines):
        return False
    if "](" in text and ("\\\n" in text or _OPEN_DESTINATION.search(text)):
        return False  # for "\\\n": a backslash ending a line in a link destination is kept by markdown-it-pyrs
    if "&" in text and _SPACE_ENTITY.search(text):
        return False
    if "]:" in text and (text.count("]:") > _MAX_DEFINITIONS or _ODD_DEFINITION.search(lines)):
        return False
    if ">" in text and _empty_quote(lines):
        return False
    if ("|" in text or ">" in text) and _lazy_block(text):
        return False
    return text.count("[") <= _MAX_BRACKET_DEPTH or not _NESTED_BRACKET.search(text) or not _deep_brackets(text)


def _odd_emphasis(text: str) -> bool:
    """Whether ``*``/``_`` runs may pair differently in markdown-it-pyrs. Once a run fails to pair, it pairs
    later runs differently when some run can both open and close (inside a word, or between two punctuation
    marks; an underscore inside a word can do neither) or when "*" runs mix with "_" runs outside words. And
    markdown-it-py counts symbols (€, ©, emoji) as punctuation for the flanking rules, markdown-it-pyrs
    only punctuation: a run beside a non-ASCII character other than a letter or digit is out too."""
    stars = loose_underscores = False
    end = len(text)
    for mark in "*_":
        start = text.find(mark)
        while start != -1:
            stop = start + 1
            while stop < end and text[stop] == mark:
                stop += 1
            before = text[start - 1] if start else " "
            after = text[stop] if stop < end else " "
            if not (before.isascii() and after.isascii()) and (_sign(before) or _sign(after)):
                return True
            inside_word = before.isalnum() and after.isalnum()
            if (inside_word and mark == "*") or (before in _ASCII_PUNCTUATION and after in _ASCII_PUNCTUATION):
                return True
            stars = stars or mark == "*"
            loose_underscores = loose_underscores or (mark == "_" and not inside_word)
            start = text.find(mark, stop)
    return stars and loose_underscores


def _sign(char: str) -> bool:
    """A non-ASCII character other than a letter or digit."""
    return not char.isascii() and not char.isalnum()


def _lazy_block(text: str) -> bool:
    """Whether a line after a quoted line or a table row, in the same paragraph, may start a block of its
    own to markdown-it-py only (see ``_ITEM_LINE``)."""
    quoted = piped = False
    for line in text.split("\n"):
        if not line.strip(" "):
            quoted = piped = False
            continue
        if (quoted or piped) and _ITEM_LINE.match(line):
            return True
        if quoted and "|" in line and not _QUOTED_LINE.match(line):
            return True
        quoted = quoted or ">" in line
        piped = piped or "|" in line
    return False


def _empty_quote(lines: str) -> bool:
    """Whether a line of only ">" in ``"\\n" + text`` may open or be a block quote of its own."""
    if not _QUOTE_ONLY_LINE.search(lines):
        return False
    previous = ""
    for line in lines[1:].split("\n"):
        if _QUOTE_ONLY_LINE.fullmatch("\n" + line) and not (
            _QUOTE_BLANK_LINE.fullmatch(line) and _QUOTE_TEXT_LINE.match(previous)
        ):
            return True
        previous = line
    return False


def _deep_brackets(text: str) -> bool:
    """Whether ``[`` may nest deeper than ``_MAX_BRACKET_DEPTH`` (every ``[`` opens; an escaped ``]``
    closes nothing)."""
    depth = 0
    for match in re.finditer(r"\[|(?<!\\)\]", text):
        depth = depth + 1 if match.group() == "[" else max(depth - 1, 0)
        if depth > _MAX_BRACKET_DEPTH:
            return True
    return False


def _quote_work(text: str) -> int:
    """An upper bound of the smart-quote work on ``text``: quote marks × length, per paragraph."""
    if len(text) * (text.count("'") + text.count('"')) <= QUOTE_WORK_LIMIT:
        return 0  # the common case, without splitting
    return sum(len(chunk) * (chunk.count("'") + chunk.count('"')) for chunk in _CHUNK.split(text))


def _notice_once() -> None:
    global _noticed
    if not _noticed:
        _noticed = True
        _log.warning(FALLBACK_NOTICE)


def _image_as_link(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    alt = self.renderInlineAsText(token.children or [], options, env) or "image"
    if urlsplit(src).scheme in ("http", "https"):
        return f'<a class="image-link" href="{escape(src)}">{escape(alt)} (image)</a>'
    return self.image(tokens, idx, options, env)


@lru_cache(maxsize=8)
def _renderer(allow_html: bool, hotlink: bool, smartquotes: bool = True) -> MarkdownIt:
    """markdown-it-py as the site renders with it: the reference."""
    md = MarkdownIt("commonmark", {"html": allow_html, "typographer": True})
    md.enable(["table", "strikethrough", "replacements", "smartquotes"])
    if not smartquotes:
        md.disable("smartquotes")
    md.use(footnote_plugin)
    if not hotlink:
        md.add_render_rule("image", _image_as_link)
    return md


# markdown-it-pyrs's CommonMark rules, without raw HTML (the documents it gets hold no "<").
_RUST_RULES: list[Any] = [
    "blockquote", "code", "fence", "heading", "hr", "lheading", "list", "paragraph", "reference",
    "autolink", "backticks", "emphasis", "entity", "escape", "image", "link", "newline",
    "table", "strikethrough", "footnote", "replacements",
]


@lru_cache(maxsize=2)
def _rust_renderer(smartquotes: bool) -> RustMarkdownIt:
    md = RustMarkdownIt("zero")
    md.enable_many([*_RUST_RULES, "smartquotes"] if smartquotes else _RUST_RULES)
    return md

