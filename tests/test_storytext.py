"""What story clustering reads of an article (taxonomy/storytext.py): the fast ways it computes words and
tagged term counts give what their plain definitions give, on odd text as well as on prose."""

from __future__ import annotations

import random
import re
import unicodedata
from array import array
from collections import Counter
from datetime import UTC, datetime

from generator.model import Article, Quote
from generator.taxonomy.storytext import LEAD_WORDS, content_terms, story_text, words

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"[#*_>`|]+")
_WORD = re.compile(r"\d+(?:[.,]\d+)*%?|\w+(?:['’]\w+)*")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _plain_words(text: str) -> list[str]:
    """``words`` as first written: links to their text, markup to spaces, folded, then the word pattern."""
    text = _MARKUP.sub(" ", _LINK.sub(r"\1", text))
    folded = _COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold()))
    return _WORD.findall(folded)


# Characters where a shortcut would go wrong: markup marks (``_`` is a word character), the marks the word
# pattern reads (. , % ' ’), link brackets, letters whose folding adds or drops characters (ß, ﬁ, ™, ½, ²,
# İ, a combining accent, final sigma), digits of other scripts, whitespace of every kind (words are read
# run by run between spaces), accents after a space, and marks that fold to a space and an accent (¨ ´).
_ALPHABET = [*"ab Z9 0._,%'’#*_>`|![]()-:\n\t", "é", "e\u0301", "ß", "ﬁ", "™", "½", "²", "İ", "Σ", "ς", "٣", "李",
             "Ǆ", "\u00a0", "ℌ", "ŉ", "①", "x\u0327\u0301", "\x1c", "\x85", "\u1680", "\u2009", "\u2028", "\u3000",
             "\u0301", "\u0345", "\u05b0", "¨", "´", "ﬀ", "ᾳ", "㎏"]


def test_words_are_their_plain_definition() -> None:
    cases = ["Tariffs rose 2.5% on 4,000 cars; l’usine d'Alma ferme.", "see [the port](https://x.example/p) now",
             "x![alt text](i.png)y", "snake_case and __bold__ *it* `code` > quote | cell # head",
             "[unclosed link](", "a [b](c) [d](e) ![f](g)", "Apple™ ½ x² ﬁnance İstanbul ΣΑΣ straße", "", "_"]
    rng = random.Random(11)
    cases += ["".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 60))) for _ in range(3000)]
    solid = [c for c in _ALPHABET if not c.isspace()]
    cases += ["".join(rng.choice(solid) for _ in range(rng.randint(30, 90))) for _ in range(300)]  # long runs
    for text in cases + cases:  # the second time, from what the first remembered
        assert words(text) == _plain_words(text), text


def _plain_counts(title: str, lead: list[str]) -> tuple[str, bytes]:
    title_terms = content_terms(words(title))
    lead_terms = content_terms(lead)
    counts = Counter(["t:" + w for w in title_terms] + ["l:" + w for w in title_terms] +
                     ["l:" + w for w in lead_terms])
    tagged = sorted(counts)
    times = [counts[t] for t in tagged]
    return " ".join(tagged), bytes(times) if max(times, default=0) < 256 else array("I", times).tobytes()


def test_tagged_term_counts_are_their_plain_definition() -> None:
    rng = random.Random(4)
    vocab = ["tariff", "tariffs", "steel", "port", "québec", "2,400", "l'usine", "the", "a", "ferry", "cities",
             "Zoë", "x", "9", "ports"]
    texts = [("", ""), ("The", "the a"), ("Steel", "steel " * 300), ("Port port PORT", "")]
    texts += [(" ".join(rng.choices(vocab, k=rng.randint(0, 9))), " ".join(rng.choices(vocab, k=rng.randint(0, 90))))
              for _ in range(300)]
    for title, text in texts:
        summary, body = text[: len(text) // 3], text[len(text) // 3:]
        a = Article(path="content/articles/a.md", slug="a", title=title, summary=summary or None, body=body,
                    date=datetime(2025, 6, 5, tzinfo=UTC), people=("Zoë Müller",),
                    quotes=(Quote(speaker="Ann Lee", text="Yes."),))
        got = story_text(a)
        lead = (words(summary) if summary else []) + words(body)[:LEAD_WORDS]
        assert (got.terms, got.counts) == _plain_counts(title, lead), (title, text)
        assert got.names == ("ann-lee", "zoe-muller")
