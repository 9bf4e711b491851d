"""What story clustering reads of an article: terms of its title and lead, its entities, and a MinHash
sketch of its opening words (Taxonomy, pure).

``story_features`` is the one place that looks at article text; it is memoised by the article object, so
a long-lived build (``digest serve``) extracts the features of an edited article only.

The sketch is a one-permutation MinHash (Li, Owen & Zhang, NIPS 2012, densified as in Shrivastava & Li,
ICML 2014): each word 3-shingle is hashed once and the smallest hash of each of ``SKETCH_BINS`` bins is
kept, so the fraction of equal bins of two sketches estimates the Jaccard similarity of the two shingle
sets, and bands of bins are LSH keys. It needs one hash per shingle where a k-permutation MinHash
(datasketch's) needs k; see ``bench/stories.py`` for the measurement that chose it.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from generator.model import Article
from generator.slug import slugify

SKETCH_BINS = 64
SKETCH_WORDS = 200  # opening words of the body that the sketch covers: wire copies share their opening
LEAD_WORDS = 60  # opening words of the body that count as the lead (with the summary)
_MASK = (1 << 61) - 1
_EMPTY = _MASK  # an empty bin before densification

_WORD = re.compile(r"\d+(?:[.,]\d+)*%?|\w+(?:['’]\w+)*")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"[#*_>`|]+")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")  # accents

# Words that say nothing about which event an article reports (English and French news prose).
_STOP_TEXT = """
a about above after again against ago all almost also although am among an and another any are around as at back
be because been before being below between both but by can could did do does doing done down during each either
else even ever every few first for from further get gets got had has have having he her here hers herself him
himself his how however i if in into is it its itself just last least less like made make makes many may me
might more most much must my near nearly need new next no nor not now of off on once one only or other our ours
out over own per put rather said same say says see seen she should since so some still such take than that the
their them then there these they this those though three through thus to too two under until up upon us very was
we were what when where whether which while who whom whose why will with within without would year years yet you
your week weeks day days today yesterday tomorrow monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december news told tell according
reported report reports statement statements spokesperson spokesman spokeswoman added adds asked says stated
announced announce announces official officials people time times percent cent mr mrs ms dr le la les un une des
du de et en au aux ce ces cette est sont pour par sur dans avec qui que qu il elle ils elles nous vous leur
leurs son sa ses mais ou plus pas ne se été être avoir fait selon lors
"""
STOPWORDS = frozenset(_STOP_TEXT.split())


@dataclass(frozen=True)
class StoryFeatures:
    """An article as story clustering sees it. ``terms`` are field-tagged: ``t:`` title, ``l:`` lead,
    ``e:`` an entity (person, organization, place or speaker, aliases merged)."""

    slug: str
    when: float  # POSIX seconds
    terms: tuple[tuple[str, int], ...]  # (tagged term, count), sorted
    sketch: tuple[int, ...]  # SKETCH_BINS minima, or () when the text is too short to compare
    pin: str | None  # front-matter `story:` ("none", a story or article slug, or a name), casefolded slug


def _fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold()))


def _stem(word: str) -> str:
    """A light English plural strip: tariffs → tariff, rates → rate, cities → city."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """Folded words and numbers of ``text``, Markdown links reduced to their text."""
    return _WORD.findall(_fold(_MARKUP.sub(" ", _LINK.sub(r"\1", text))))


def content_terms(tokens: Iterable[str]) -> list[str]:
    out = []
    for w in tokens:
        w = w.replace("’", "'").split("'")[0] if "'" in w or "’" in w else w
        if w in STOPWORDS or len(w) < 2 or (len(w) < 3 and not w[:1].isdigit()):
            continue  # a lone digit (a score, "Game 3") says little; 2.5, 50 and 4,000 say much
        out.append(_stem(w))
    return out


def sketch(tokens: list[str]) -> tuple[int, ...]:
    """One-permutation MinHash of the word 3-shingles of ``tokens`` (empty when under 8 words)."""
    if len(tokens) < 8:
        return ()
    ids = [zlib.crc32(t.encode("utf-8")) for t in tokens]
    bins = [_EMPTY] * SKETCH_BINS
    for i in range(len(ids) - 2):
        # A 61-bit mix of three 32-bit word hashes (multiply-shift with odd constants).
        h = ((ids[i] * 0x9E3779B97F4A7C15) ^ (ids[i + 1] * 0xC2B2AE3D27D4EB4F) ^ (ids[i + 2] * 0x165667B19E3779F9))
        h = ((h ^ (h >> 29)) * 0xBF58476D1CE4E5B9) & _MASK
        b = h % SKETCH_BINS
        v = h // SKETCH_BINS
        if v < bins[b]:
            bins[b] = v
    # Densify: an empty bin borrows the value of the next full bin to its right, offset by the distance,
    # so that two sketches agree on it exactly when they agree on the bin it borrowed from.
    for b in range(SKETCH_BINS):
        if bins[b] == _EMPTY:
            for d in range(1, SKETCH_BINS):
                v = bins[(b + d) % SKETCH_BINS]
                if v != _EMPTY:
                    bins[b] = v + d * (_MASK // SKETCH_BINS)
                    break
    return tuple(bins)


def resemblance(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two sketches."""
    if not a or not b:
        return 0.0
    return sum(1 for x, y in zip(a, b, strict=True) if x == y) / SKETCH_BINS


def entity_key(name: str, aliases: dict[str, str]) -> str:
    """The slug an entity is known by, after aliases (``BoC`` → ``bank-of-canada``)."""
    slug = slugify(name)
    return aliases.get(slug, slug)


def story_features(article: Article, aliases: dict[str, str]) -> StoryFeatures:
    """``aliases``: entity slug → the canonical entity's slug."""
    body_words = words(article.body[:SKETCH_WORDS * 9])  # ~9 characters a word, links included
    title = content_terms(words(article.title))
    lead_words = body_words[:LEAD_WORDS]
    if article.summary:
        lead_words = words(article.summary) + lead_words
    lead = content_terms(lead_words)
    names = {*article.people, *article.organizations, *article.places, *(q.speaker for q in article.quotes)}
    # The title counts twice: on its own, and as part of the text an outlet opens with (one outlet's
    # headline words are often another's first sentence).
    counts = Counter(["t:" + w for w in title] + ["l:" + w for w in title] + ["l:" + w for w in lead])
    for name in names:
        if name:
            counts["e:" + entity_key(name, aliases)] += 1
    shingled = body_words[:SKETCH_WORDS] if len(body_words) >= 20 else words(article.title) + body_words
    when = article.date.timestamp() if article.date is not None else 0.0
    pin = article.story
    return StoryFeatures(article.slug, when, tuple(sorted(counts.items())), sketch(shingled),
                         slugify(pin) if pin else None)
