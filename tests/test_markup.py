"""generator.markup against markdown-it-py alone, the reference it must match byte for byte.

``render_markdown`` sends a document to markdown-it-pyrs unless it holds something on which the two differ,
and to markdown-it-py otherwise. Here: an example of every such thing (each must differ in markdown-it-pyrs,
so a rule nobody needs shows up, and go to markdown-it-py), documents that must go to markdown-it-pyrs,
thousands of generated news-like and odd documents and every shipped ``.md`` file (each identical to the
reference under every ``allow_html``/``hotlink`` setting), hostile inputs (bounded time), and the fallback
without markdown-it-pyrs.
"""

from __future__ import annotations

import contextlib
import logging
import platform
import random
import sys
import time
from pathlib import Path

import pytest

from generator import markup
from generator.errors import ContentError
from generator.frontmatter import split_front_matter
from generator.markup import _renderer, _rust_renderer, _rust_renders_alike, render_markdown

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = [(allow_html, hotlink) for allow_html in (True, False) for hotlink in (True, False)]


def reference(text: str, allow_html: bool, hotlink: bool) -> str:
    """markdown-it-py alone, configured as ``render_markdown`` configures it."""
    return str(_renderer(allow_html, hotlink).render(text))


def assert_as_reference(text: str, settings: list[tuple[bool, bool]] = SETTINGS) -> None:
    for allow_html, hotlink in settings:
        expected = reference(text, allow_html, hotlink)
        assert render_markdown(text, allow_html=allow_html, hotlink=hotlink) == expected, (text, allow_html, hotlink)


def test_markdown_it_pyrs_is_installed_where_pyproject_pins_it() -> None:
    """pyproject.toml asks for it on CPython before 3.13 (where its wheels are): without it this suite would
    compare markdown-it-py with itself."""
    if sys.version_info < (3, 13) and platform.python_implementation() == "CPython":
        assert markup.HAVE_RUST, "markdown-it-pyrs is a pinned dependency: pip install -e ."
        assert markup.ENGINE == "markdown-it-pyrs + markdown-it-py"


# ---------------------------------------------------------------------------------------------------------
# Each routing rule, with a document on which markdown-it-pyrs 0.4 differs from markdown-it-py 4.3.

DIFFERING = {
    "code span: typography inside": "`it's (c) -- \"q\"`",
    "autolink: no smart quotes": '<https://example.com/"q">',
    "raw HTML block at the end": "<div>\nit's\n</div>",
    "image alt text": "![it's \"x\"](/a.png)",
    "third-party image": "![chart](https://example.com/chart.png)",
    "footnote markup": "Text[^1]\n\n[^1]: Note.",
    "footnote referenced twice": "x[^1] y[^1]\n\n[^1]: n",
    "inline footnote": "x^[a note]",
    "strikethrough beside emphasis": "~~_y**~~*r**",
    "open tilde fence": "~~~\nb",
    "empty link title": "[x](/a ())",
    "numeric reference for a space in a destination": "[x](&#160;)",
    "named reference for a space in a destination": "[x](&nbsp;)",
    "tab in a quote": ">\t",
    "form feed": "\x0cx",
    "information separator": "a--\x1c",
    "quote left open in an earlier paragraph": "the '90s\n\nthe players' union",
    "double quote left open": 'a\n"b\n\nc" d',
    "quote beside a symbol": '€"x"',
    "quote beside a line separator": "a \u2028'c'",
    "no-break space stripped": '\xa0"a"',
    "no-break space in a heading": "# \xa0x\xa0",
    "emphasis beside a symbol": "a*€x*",
    "international host name": "[a](https://bücher.example/p)",
    "international mail host": "[a](mailto:a@bücher.example)",
    "emphasis run inside a word": "a**a\na*.** *a*",
    "emphasis run between punctuation": "**a*.*.***.*.",
    "underscore run between punctuation": ".__.\na_.___._",
    "star and underscore runs mixed": "*a_a_*_a_",
    "deep block quotes": "> " * 20 + "x",
    "deep lists": "\n".join("  " * i + "- x" for i in range(10)),
    "deep brackets": "[a " * 21 + "x" + "](u)" * 21,
    "one-column table with a colon": "a\n:--",
    "one-column table with pipes": "a\n|-|",
    "pipe over dashes": "| a\n--",
    "definition ending in a backslash": "[a]: /u\\",
    "definition in a quote": "> [a]: /b",
    "destination left open": "[a]: /u\n\n[a](",
    "backslash line end in a destination": "[](\\\n)",
    "lazy item after a quote": "> a\n25. b",
    "lazy empty item in a nested quote": ">>x\n>1. ",
    "item after a table": "| a | b |\n|---|---|\n| c | d |\n2. x",
    "lazy table after a quote": "> a\nb | c\n--|--",
    "empty quote": ">",
    "empty quote in a list in a quote": ">- >",
}


@pytest.mark.parametrize("name", DIFFERING)
def test_each_rule_routes_a_document_markdown_it_pyrs_renders_differently(name: str) -> None:
    text = DIFFERING[name]
    assert not _rust_renders_alike(text)
    hotlink = name != "third-party image"
    try:
        rust = _rust_renderer(True).render(text)
    except BaseException as exc:  # a Rust panic
        assert type(exc).__name__ == "PanicException"
    else:
        assert rust != reference(text, allow_html=True, hotlink=hotlink), "this rule is no longer needed"
    assert_as_reference(text)


def test_panics_and_stack_overflows_stay_out_of_markdown_it_pyrs() -> None:
    """A code span in a link label panics in markdown-it-pyrs; ~10 000 nested quotes overflow its stack."""
    with pytest.raises(BaseException) as caught:
        _rust_renderer(True).render("[`")
    assert type(caught.value).__name__ == "PanicException"
    assert render_markdown("[`", allow_html=False) == reference("[`", False, False)
    deep = "> " * 50_000 + "x"
    assert not _rust_renders_alike(deep)
    assert render_markdown(deep, allow_html=False) == reference(deep, False, False)


def test_a_panic_falls_back_to_markdown_it_py(monkeypatch: pytest.MonkeyPatch) -> None:
    class PanicException(BaseException):  # pyo3's name, which render_markdown looks for
        pass

    class Panicking:
        def render(self, text: str) -> str:
            raise PanicException("index out of bounds")

    monkeypatch.setattr(markup, "_rust_renderer", lambda smartquotes: Panicking())
    assert render_markdown("Plain *text*.", allow_html=True) == "<p>Plain <em>text</em>.</p>\n"


NEWS = [
    "Canada's *steel* mills -- and **Hamilton's** -- wait... (c) 2025 --- it's “quoted”, ‘too’.",
    "# Tariffs double\n\nOttawa's reply came *late*.\n\n## What's next\n\n- one\n- two\n\n1. first\n2. second",
    "> “We will respond,” said the minister.\n>\n> “And soon.”\n\nAfter the quote.",
    "| Province | Rate |\n|---|--:|\n| Ontario | 25 % |\n| Québec | 10 % |",
    "[Bank of Canada](https://www.bankofcanada.ca/rates/) held at 2.75 per cent; snake_case *stays*.",
    "Zoë Okafor — François Legault — Mélanie Joly: “Ça suffit.”\n\n***\n\nEnd.",
    "Setext heading\n===\n\nText with a hard  \nbreak and a [ref][r].\n\n[r]: https://example.com/a_(b)",
]


@pytest.mark.parametrize("text", NEWS)
def test_ordinary_news_markdown_goes_to_markdown_it_pyrs(text: str) -> None:
    assert _rust_renders_alike(text)
    assert_as_reference(text)


# ---------------------------------------------------------------------------------------------------------
# Generated documents: news-like, and odd ones that probe the routing rules.

WORDS = [
    "tariff", "steel", "border", "minister", "Canada", "Québec", "Zoë", "Müller", "李明", "Иван", "Σοφία",
    "İstanbul", "Straße", "naïve", "a", "I", "x", "1", "25", "3.5", "2024", "10%", "$60", "U.S.", "e.g.",
    "co-op", "O'Brien", "Canada's", "don't", "it's", "l'État", "5'10", "Jean-Éric", "snake_case", "x_y",
]
CURLY = ["“", "”", "‘", "’", "–", "—", "…", "«", "»", "„", "·", "•", "′"]
SYMBOLS = ["€", "£", "©", "°", "±", "×", "™", "😀", "→", "½"]
TYPOGRAPHY = ["--", "---", "...", "....", "(c)", "(TM)", "(r)", "+-", "?....", "!!!!", "????", ",,", "a--b"]
STRAIGHT = ['"quoted"', "'single'", "'90s", "players'", '12"', "rock 'n' roll", "'tis", '"', "'"]
PUNCT = ["a*b", "a_b_", ".", ",", ";", ":", "?", "!", "(", ")", "&", "AT&T", "#", "+", "%", "/", "|", "\\|",
         "\\*", "\\_", "\\[", "\\\\", "&amp;", "&copy;", "&#8217;", "&nbsp;", "&bogus;", "*", "**", "_", "~", "[",
         "]", "]:"]
ODD = ["\xa0", "\u2009", "\u2028", "\x0b", "\x0c", "\t", "\x1f", "\x85", "\ufeff", "\u200b", "\x00", "\r\n", "\r"]
URLS = [
    "https://example.com", "https://www.example.com/a/b", "http://news.example.org/p?q=1&r=2", "/relative",
    "https://example.com/a_(b)", "https://EXAMPLE.com/x", "https://example.com/ü", "mailto:a@b.c", "#frag",
    "javascript:alert(1)", "https://example.com/%7E", "https://bücher.example/p", "//cdn.example.com/x",
    "<https://ex.com/a b>", "https://ex.com/a\\)b", "https://ex.com/'q'",
]
TITLES = ['"A title"', "'single'", "(paren)", '"it\'s -- (c)"', "()"]
HTML = ["<b>bold</b>", "<br>", "<!-- c -->", '<a href="https://x.org">x</a>', '<img src="https://x.org/i.png">',
        "< notatag>", "<https://auto.example/x>", "<div>\nx\n</div>", "<script>alert(1)</script>", "<p>p</p>"]


class Documents:
    """Random Markdown. ``odd`` scales the rare constructs that send a document to markdown-it-py."""

    def __init__(self, rng: random.Random, odd: float) -> None:
        self.rng = rng
        self.odd = odd
        self.stars = rng.random() < 0.8  # emphasis with "*" (as markdownify writes it), else with "_"

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def rare(self, p: float) -> bool:
        return self.rng.random() < p * self.odd

    def word(self) -> str:
        r = self.rng
        word = r.choice(WORDS)
        if self.chance(0.08):
            word = r.choice(CURLY) + word if self.chance(0.5) else word + r.choice(CURLY)
        if self.rare(0.1):
            word = r.choice(SYMBOLS) + word if self.chance(0.5) else word + r.choice(SYMBOLS)
        return word

    def piece(self, depth: int) -> str:
        r = self.rng
        roll = r.random()
        if roll < 0.45 or depth > 2:
            return self.word()
        if roll < 0.55:
            return r.choice(TYPOGRAPHY)
        if roll < 0.6:
            return r.choice(PUNCT) if self.rare(0.5) else self.word() + r.choice(".,;:!?")
        if roll < 0.72:
            mark = r.choice(["*", "**", "*", "**", "***"] if self.stars else ["_", "__"])
            if self.rare(0.3):
                mark = r.choice(["*", "**", "_", "__", "~~", "***"])
            close = mark if not self.rare(0.2) else r.choice(["*", "**", "_", ""])
            inner = " ".join(r.choice(WORDS) for _ in range(r.randint(1, 3)))
            if self.rare(1):
                inner = self.phrase(depth + 1)
            return mark + inner + close
        if roll < 0.77:
            opening, closing = r.choice(["“”", "‘’", "«»"])
            return opening + self.phrase(depth + 1) + closing
        if roll < 0.86:
            url = r.choice(URLS[:6]) if not self.rare(0.5) else r.choice(URLS)
            title = "" if not self.chance(0.15) else " " + r.choice(TITLES[2:] if self.odd else ["(paren)"])
            text = self.phrase(depth + 1)
            kind = r.random()
            if kind < 0.7:
                return f"[{text}]({url}{title})"
            return f"[{text}][r{r.randint(1, 3)}]" if kind < 0.85 else f"[{text}]"
        if self.rare(0.35):
            return r.choice(STRAIGHT)
        if self.rare(0.08):
            return f"![{self.phrase(depth + 1)}]({r.choice(URLS)})"
        if self.rare(0.08):
            return r.choice(HTML)
        if self.rare(0.06):
            return f"[^{r.choice(['1', '2', 'n'])}]" if self.chance(0.8) else f"^[{self.phrase(depth + 1)}]"
        if self.rare(0.06):
            return "`" + self.phrase(depth + 1) + "`"
        if self.rare(0.08):
            return r.choice(ODD)
        return self.word()

    def phrase(self, depth: int = 0) -> str:
        out = self.piece(depth)
        for _ in range(self.rng.randint(0, 5)):
            gap = self.rng.choice([" "] * 14 + ["\n", "  \n"]) if not self.rare(0.2) else self.rng.choice(["", "\\\n"])
            out += gap + self.piece(depth)
        return out

    def line(self) -> str:
        return self.phrase().replace("\n", " ")

    def table(self) -> str:
        r = self.rng
        n = r.randint(1, 4)
        head = "| " + " | ".join(self.line().replace("|", "\\|") for _ in range(n)) + " |"
        delimiter = "|" + "|".join(r.choice(["---", ":--", "--:", ":-:"]) for _ in range(n)) + "|"
        if self.rare(0.2):
            delimiter = r.choice(["-", ":--", "|-|", "--|--|--", "---"])
        rows = ["| " + " | ".join(self.line().replace("|", "\\|") for _ in range(n)) + " |" for _ in range(3)]
        return "\n".join([head, delimiter, *rows[: r.randint(0, 3)]])

    def items(self, depth: int) -> str:
        r = self.rng
        ordered = self.chance(0.4)
        start = 1 if not self.rare(0.3) else r.choice([0, 2, 10])
        lines = []
        for n in range(r.randint(1, 4)):
            marker = f"{start + n}{r.choice('.)') if self.rare(0.2) else '.'}" if ordered else r.choice("-*+")
            body = self.line()
            if depth < 2 and self.chance(0.15):
                body += "\n" + "\n".join(" " * (len(marker) + 1) + s for s in self.block(depth + 1).split("\n"))
            elif self.chance(0.1):
                body += "\n\n" + " " * (len(marker) + 1) + self.line()
            lines.append(f"{marker} {body}")
        return ("\n" if self.chance(0.8) else "\n\n").join(lines)

    def block(self, depth: int = 0) -> str:
        r = self.rng
        roll = r.random()
        if roll < 0.35:
            return self.phrase()
        if roll < 0.45:
            return "#" * r.choice([1, 2, 3]) + " " + self.line()
        if roll < 0.6:
            return self.items(depth)
        if roll < 0.72:
            inner = self.block(depth + 1) if depth < 2 and self.chance(0.3) else self.phrase()
            lines = ["> " + s for s in inner.split("\n")]
            if self.chance(0.3):
                lines += [">", "> " + self.line()]
            if self.rare(0.2):
                lines.append(r.choice([self.line(), "2. x", "-", ">", "> [r1]: /u"]))
            return "\n".join(lines)
        if roll < 0.8:
            return self.table()
        if roll < 0.84:
            return r.choice(["---", "***", "* * *", "Setext\n===", "Setext *x*\n---"])
        if roll < 0.88:
            url = r.choice(URLS[:6]) if not self.rare(0.5) else r.choice(URLS)
            return f"[r{r.randint(1, 3)}]: {url}" + r.choice(["", " (Title)", ' "Title"' * (self.odd > 0)])
        if self.rare(0.3):
            return r.choice(["```\ncode 'x' --\n```", "~~~\ncode\n~~~", "    indented -- 'x'", "```\nopen"])
        if self.rare(0.3):
            return f"[^{r.choice(['1', '2', 'n'])}]: " + self.phrase()
        return self.phrase()

    def document(self) -> str:
        blocks = [self.block() for _ in range(self.rng.randint(1, 5))]
        text = blocks[0]
        for block in blocks[1:]:
            text += self.rng.choice(["\n\n"] * 8 + ["\n", "\n\n\n", "\n \n"]) + block
        return text + ("\n" if self.chance(0.6) else "")


def test_generated_documents_render_as_markdown_it_py_renders_them() -> None:
    """Every document under every setting that can matter: allow_html only where there is a "<", hotlink
    only where there is an image; markdown-it-pyrs is checked under two settings regardless."""
    rng = random.Random(20251120)
    total, to_rust = 2000, 0
    for _ in range(total):
        text = Documents(rng, rng.choice([0.0, 0.0, 0.0, 0.3, 1.0, 2.0])).document()
        if _rust_renders_alike(text):
            to_rust += 1
            assert_as_reference(text, [(True, False), (False, True)])
        else:
            assert_as_reference(text, SETTINGS if "<" in text or "![" in text else [rng.choice(SETTINGS)])
    assert 0.3 * total <= to_rust <= 0.8 * total, f"{to_rust} of {total} documents went to markdown-it-pyrs"


SOUPS = [  # token alphabets that found most of the rules above, in strings of 3 to 25 tokens
    ["a", " ", "*", "**", "***", "_", "__", ".", ",", "\n", "a_a", "x*", "*x", "(", ")", "[", "]", "](u)"],
    ["a", " ", ">", "> ", "- ", "1. ", "2. ", "1) ", "+", "*", "\n", "\n\n", "  ", "    ", "#", "---", "===",
     "\\", "[a]: /u", "[a]", "|", "| b |", "|---|", "--|--", ":--"],
    ["a", " ", "[", "]", "(", ")", "](", "<", ">", '"', "'", "\\", "/u", "http://x.com", "%20", "ü", "?", "#",
     "&", "&amp;", "&nbsp;", "&#123;", "!", "*", "_", " (t)", "\n", "mailto:a@b", "//bü", "\xa0"],
    ["Québec", "李明", "Σοφία", "ß", " ", "*", "**", "_", "--", "—", "…", "“", "”", "’", "€", "©", "😀",
     "it's", "5'10", "'", '"', "\n", "  \n", "\\\n", "(c)", "...", "\t", "\r\n", "\u2028", "~~"],
]


def test_token_soup_renders_as_markdown_it_py_renders_it() -> None:
    rng = random.Random(7)
    to_rust = 0
    for _ in range(6000):
        tokens = rng.choice(SOUPS)
        text = "".join(rng.choice(tokens) for _ in range(rng.randint(3, 25)))
        to_rust += _rust_renders_alike(text)
        assert_as_reference(text, [rng.choice(SETTINGS)])
    assert to_rust > 1000


def test_every_shipped_markdown_file_renders_as_markdown_it_py_renders_it() -> None:
    """The example content, the docs and the test fixtures, under every setting."""
    files = sorted(p for folder in ("content", "docs", "tests") for p in (ROOT / folder).rglob("*.md"))
    assert len(files) > 20
    to_rust = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        with contextlib.suppress(ContentError):  # no front matter: the whole file is Markdown
            text = split_front_matter(text, str(path))[1]
        to_rust += _rust_renders_alike(text)
        assert_as_reference(text)
    assert to_rust >= len(files) // 3


# ---------------------------------------------------------------------------------------------------------
# Hostile input: smart quotes cost both libraries (quote marks × paragraph length); the rest is linear.


@pytest.mark.parametrize("unit", ["it's ", "'", '"', "\"a\" '90s ", "Zoë's "])
def test_a_megabyte_paragraph_of_quotes_renders_in_seconds(unit: str) -> None:
    text = unit * (1_000_000 // len(unit))
    assert markup._quote_work(text) > markup.QUOTE_WORK_LIMIT
    started = time.perf_counter()
    html = render_markdown(text, allow_html=False)
    assert time.perf_counter() - started < 3
    assert "’" not in html and "“" not in html  # over the limit: straight quotes, as documented


def test_quote_work_is_measured_per_paragraph() -> None:
    """A long article of ordinary paragraphs stays far under the limit, and keeps its smart quotes."""
    paragraph = "\"We'll see,\" she said of the '90s-era rules. " * 20
    text = "\n\n".join([paragraph] * 500)  # ~0.5 MB
    assert markup._quote_work(text) <= markup.QUOTE_WORK_LIMIT
    assert "“We’ll see,”" in render_markdown(text, allow_html=False)


def test_a_megabyte_of_nesting_renders_without_crashing() -> None:
    """markdown-it-pyrs would overflow its stack on these; markdown-it-py stops at 20 levels."""
    for unit in ("> ", "1. ", "+ ", "> - ", "- > "):
        text = unit * (1_000_000 // len(unit))
        assert not _rust_renders_alike(text)
        started = time.perf_counter()
        render_markdown(text, allow_html=False)
        assert time.perf_counter() - started < 3, unit


# ---------------------------------------------------------------------------------------------------------
# Without markdown-it-pyrs.


def test_without_markdown_it_pyrs_markdown_it_py_renders_all_and_says_so_once(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(markup, "HAVE_RUST", False)
    monkeypatch.setattr(markup, "_noticed", False)
    with caplog.at_level(logging.WARNING, logger="generator.markup"):
        for text in NEWS:
            assert render_markdown(text, allow_html=True) == reference(text, True, False)
    assert [r.getMessage() for r in caplog.records] == [markup.FALLBACK_NOTICE]
