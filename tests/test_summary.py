"""Whether a summary repeats the opening paragraph (plan/summary.py): the shortcuts it takes (a glance at the
first words, reading a long paragraph only as far as the summary goes) give what the plain definition gives."""

from __future__ import annotations

import random
import re

from generator.model import Article
from generator.plan.summary import TextFacts, _first_paragraph, _leading_words, _words, summary_repeats_lead, text_facts

_DATELINE = re.compile(r"^[A-ZÀ-Ý][A-ZÀ-Ý .,'’-]{1,60}(?:\([^)]{1,30}\))?\s*[—–-]+\s+")
_MARKS = re.compile(r"[*_`#>\[\]]|\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_NON_WORD = re.compile(r"[^\w]+")


def _plain_words(text: str) -> str:
    return _NON_WORD.sub(" ", _MARKS.sub("", _LINK.sub(r"\1", text))).strip().casefold()


def _plain_repeats(summary: str | None, body: str) -> bool:
    """The rule as first written: both texts read whole, the summary compared with each opening."""
    if not summary:
        return False
    lead = _first_paragraph(body)
    if not lead:
        return False
    text = summary.rstrip()
    said = _plain_words(text.rstrip("…."))
    if not said:
        return False
    prefix_ok = text.endswith(("…", "...", ".", "!", "?", ".”", ".\"", "?”", "!”"))
    openings = (_DATELINE.sub("", lead), lead)
    return any(o == said or (prefix_ok and o.startswith(said + " ")) for o in map(_plain_words, openings))


# Pieces where a shortcut would go wrong: datelines, Markdown marks and links (one across the place a
# paragraph is cut), letters whose casefolding is longer (ß, ﬁ, İ) or differs from lower() (Σ), accents
# written apart, sentence ends and ellipses, brackets that open no link, and paragraph breaks.
_PIECES = ["OTTAWA", "(Reuters)", "—", "–", "-", "QUÉBEC CITY", "(CP)", "Tariffs", "rose", "2.5%", "4,000", "**bold**",
           "_it_", "`code`", "[the port](http://x.example/a b)", "[a", "b]", "(c)", "]", "[", "ß", "STRASSE", "straße",
           "İ", "i̇", "ﬁ", "fi", "Σ", "σ", "x\u0301", "é", "…", "...", ".", "!", "?", "”", "\"", "the", "The", "THE",
           "#", ">", "’", "'", "\n", "\n\n", "  ", "ÀB", "É.", "li", "[li](u)", "*", "_", "a", "pier", "east"]


def _cases(count: int) -> list[tuple[str | None, str]]:
    rng = random.Random(3)
    cases: list[tuple[str | None, str]] = []
    for _ in range(count):
        lead = " ".join(rng.choices(_PIECES, k=rng.randint(0, 40)))
        kind = rng.randint(0, 3)
        if kind == 0:  # the paragraph itself
            summary = lead
        elif kind == 1:  # its start, cut anywhere, maybe marked as cut
            summary = lead[:rng.randint(0, len(lead))] + rng.choice(["", "…", ".", "...", " ", "!"])
        elif kind == 2:  # other words
            summary = " ".join(rng.choices(_PIECES, k=rng.randint(0, 12)))
        else:  # its words from a few in
            words = lead.split(" ")
            summary = " ".join(words[rng.randint(0, 3):rng.randint(0, len(words))]) + rng.choice(["", ".", "…"])
        if rng.random() < 0.3:
            summary = summary.upper() if rng.random() < 0.5 else summary.casefold()
        body = (rng.choice(["", "# Head\n\n", "- item\n\n", "![i](x)\n\n"]) + lead +
                rng.choice(["", "\n\nMore text here.", "\n\n"]))
        if rng.random() < 0.1:  # a long paragraph: the summary is a small part of it
            body = body.replace("\n\n", " " + " ".join(rng.choices(_PIECES, k=400)) + "\n\n", 1)
        cases.append((summary or rng.choice([None, ""]), body))
    return cases


def test_summary_repeats_lead_is_its_plain_definition() -> None:
    repeats = 0
    for summary, body in _cases(30_000):
        expected = _plain_repeats(summary, body)
        assert summary_repeats_lead(summary, body) == expected, (summary, body)
        repeats += expected
    assert repeats > 5_000  # both answers were tested many times


def test_leading_words_are_the_start_of_the_words() -> None:
    rng = random.Random(5)
    seen = 0
    for _ in range(20_000):
        text = " ".join(rng.choices(_PIECES, k=rng.randint(0, 30)))
        head = _leading_words(text, rng.randint(0, 40))
        assert _words(text) == _plain_words(text)
        if head:
            seen += 1
            whole = _words(text)
            assert whole == head or whole.startswith(head + " "), (text, head)
    assert seen > 5_000


def test_text_facts_count_every_word() -> None:
    a = Article(path="content/articles/a.md", slug="a", title="A", date=None, review=("date",),
                body="One two\tthree\n\nfour\u00a0five\u2028six  seven.", summary="One two…")
    assert text_facts(a) == TextFacts(7, True)
