"""What story clustering reads of an article: terms of its title and lead, its entities, and a MinHash
sketch of its opening words (Taxonomy, pure).

``story_text`` is the one place that looks at article text. Its result is a function of the article's
file alone (no aliases, no other article), so Build computes it where the file is parsed, in the read
step's workers, and hands it to ``StoryMemo.learn``; ``stories`` applies the aliases.

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
from array import array
from collections import Counter
from dataclasses import dataclass
from itertools import chain
from operator import eq

from generator.model import Article
from generator.slug import slugify

SKETCH_BINS = 64
SKETCH_WORDS = 200  # opening words of the body that the sketch covers: wire copies share their opening
LEAD_WORDS = 60  # opening words of the body that count as the lead (with the summary)
_MASK = (1 << 61) - 1
_EMPTY = _MASK  # an empty bin before densification
_BIN_STEP = _MASK // SKETCH_BINS
_BIN_BITS = SKETCH_BINS.bit_length() - 1
_BIN_MASK = SKETCH_BINS - 1

# Possessive (never give back): every part after the first is optional, so a match is the same either way,
# and the engine keeps no backtracking state.
_WORD = re.compile(r"\d++(?:[.,]\d+)*+%?|\w++(?:['’]\w+)*+")
_LINK = re.compile(r"(?:!\[|\[)([^\]]*)\]\([^)]*\)")  # ``!?\[``, spelt so the engine skips to a bracket
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
class StoryText:
    """An article's text as story clustering reads it, before aliases: a function of the file's bytes.

    Compact, because parse workers send one per article to the parent and the memo keeps its parts."""

    terms: str  # field-tagged terms, sorted, space-separated: ``t:`` a word of the title, ``l:`` a word of the
    #             title, summary or opening words
    counts: bytes  # how often each occurs: a byte each, or native uint32s when one is over 255
    names: tuple[str, ...]  # slugs of the entities named (people, organizations, places, speakers), sorted
    sketch: bytes  # SKETCH_BINS minima as machine uint64s (only compared for equality); b"": too short a text

    def __reduce__(self) -> tuple[type[StoryText], tuple[str, bytes, tuple[str, ...], bytes]]:
        # Pickled as its four values (half the cost of a dataclass's default: its class and a dict of fields).
        return StoryText, (self.terms, self.counts, self.names, self.sketch)


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


_MEMO_MAX = 200_000  # words a memo keeps before it starts again: a process meets the same few thousand
_CHUNK_MAX = 40  # longer runs of non-space characters (links, run-on text) are not remembered


class _Chunks(dict[str, tuple[str, ...]]):
    """A run of non-space characters → its words, filled on first sight: the same few thousand runs
    ("tariffs", "said.", "Québec,") make most of every text."""

    def __missing__(self, chunk: str) -> tuple[str, ...]:
        found = tuple(_WORD.findall(_fold(chunk)))
        if len(chunk) <= _CHUNK_MAX:
            if len(self) >= _MEMO_MAX:
                self.clear()
            self[chunk] = found
        return found


_CHUNKS = _Chunks()


def words(text: str) -> list[str]:
    """Folded words and numbers of ``text``, Markdown links reduced to their text."""
    if "](" in text:  # every link has one: most short texts have none
        text = _LINK.sub(r"\1", text)
    # Markup marks become spaces: of them only ``_`` is a word character; the others already end a word,
    # and no word pattern reads them, so leaving them changes no word (tests/test_storytext.py).
    # The words of the text are those of its runs of non-space characters, one after the other: no word
    # reads a space, and folding is character by character (NFKD reorders only accents that follow a
    # letter, never across a space, and turns no space into a word character), so each run is folded and
    # matched once per process, not once per text.
    return list(chain.from_iterable(map(_CHUNKS.__getitem__, text.replace("_", " ").split())))


def _term(word: str) -> str:
    """A word's term, or "" for a word that says nothing of the event."""
    w = word.replace("’", "'").split("'")[0] if "'" in word or "’" in word else word
    if w in STOPWORDS or len(w) < 2 or (len(w) < 3 and not w[:1].isdigit()):
        return ""  # a lone digit (a score, "Game 3") says little; 2.5, 50 and 4,000 say much
    return _stem(w)


class _Terms(dict[str, str]):
    """word → its term ("" for none), filled on first sight: words recur from article to article."""

    def __missing__(self, word: str) -> str:
        if len(self) >= _MEMO_MAX:
            self.clear()
        term = self[word] = _term(word)
        return term


_TERMS = _Terms()


def content_terms(tokens: list[str]) -> list[str]:
    return list(filter(None, map(_TERMS.__getitem__, tokens)))


# The sketch's arithmetic is done for all the shingles at once, on one integer holding a 128-bit lane per
# word (little-endian): a multiplication, shift or mask of that integer is one C call for every lane, where
# a loop over shingles costs several interpreted operations each. No lane spills into the next: a word's
# crc32 is under 2**32 and each _MIX under 2**64, so a lane's mix is under 2**96; the multiply-shift then
# keeps only 61 bits (below 2**122 before the mask), and the bits a right shift moves in from the next lane
# land above bit 61 of the lane, where the mask drops them.
_MIX = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9)  # odd constants, one per shingle word
_FINAL = 0xBF58476D1CE4E5B9
_LANE = 16  # bytes
_LANE_BITS = _LANE * 8


class _Lanes(dict[str, bytes]):
    """word → its crc32 as a little-endian lane, filled on first sight."""

    def __missing__(self, word: str) -> bytes:
        if len(self) >= _MEMO_MAX:
            self.clear()
        lane = self[word] = zlib.crc32(word.encode("utf-8")).to_bytes(_LANE, "little")
        return lane


_LANES = _Lanes()
_MASKS: dict[int, tuple[int, int, int]] = {}  # lanes → (61-bit, bin, value) masks over that many lanes


def _masks(lanes: int) -> tuple[int, int, int]:
    masks = _MASKS.get(lanes)
    if masks is None:
        def repeated(mask: int) -> int:
            return int.from_bytes(mask.to_bytes(_LANE, "little") * lanes, "little")
        masks = _MASKS[lanes] = (repeated(_MASK), repeated(_BIN_MASK), repeated(_MASK >> _BIN_BITS))
    return masks


def sketch(tokens: list[str]) -> bytes:
    """One-permutation MinHash of the word 3-shingles of ``tokens`` (empty when under 8 words).

    Shingle i hashes to ``m(crc(t[i])*_MIX[0] ^ crc(t[i+1])*_MIX[1] ^ crc(t[i+2])*_MIX[2])`` where
    ``m(x) = ((x ^ (x >> 29)) * _FINAL) mod 2**61`` (a multiply-shift finaliser); its low bits pick the bin.
    """
    n = len(tokens)
    if n < 8:
        return b""
    words = int.from_bytes(b"".join(map(_LANES.__getitem__, tokens)), "little")
    # Lane i of x: the mix of shingle i (the last two lanes hold partial shingles and are not read).
    x = (words * _MIX[0]) ^ ((words >> _LANE_BITS) * _MIX[1]) ^ ((words >> 2 * _LANE_BITS) * _MIX[2])
    low61, bin_mask, value_mask = _masks(n)
    h = (((x ^ (x >> 29)) & low61) * (_FINAL & _MASK)) & low61
    shingles = 2 * (n - 2)  # 64-bit halves of the lanes that hold shingles
    bins_of = array("Q", (h & bin_mask).to_bytes(n * _LANE, "little"))[:shingles:2].tolist()
    values = array("Q", ((h >> _BIN_BITS) & value_mask).to_bytes(n * _LANE, "little"))[:shingles:2].tolist()
    bins = [_EMPTY] * SKETCH_BINS
    for b, v in zip(bins_of, values, strict=True):
        if v < bins[b]:
            bins[b] = v
    # Densify: an empty bin borrows the value of the next full bin to its right, offset by the distance,
    # so that two sketches agree on it exactly when they agree on the bin it borrowed from.
    if _EMPTY in bins:
        for b in range(SKETCH_BINS):
            if bins[b] == _EMPTY:
                for d in range(1, SKETCH_BINS):
                    v = bins[(b + d) % SKETCH_BINS]
                    if v != _EMPTY:
                        bins[b] = v + d * _BIN_STEP
                        break
    return array("Q", bins).tobytes()


def resemblance(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two sketches."""
    if not a or not b:
        return 0.0
    same: int = sum(map(eq, memoryview(a).cast("Q"), memoryview(b).cast("Q")))
    return same / SKETCH_BINS


def _tag(tag: str, terms: list[str]) -> list[str]:
    """``tag`` before each of ``terms``, as one string (one join, not a string per term)."""
    return [tag + (" " + tag).join(terms)] if terms else []


def story_text(article: Article) -> StoryText:
    """What clustering reads of ``article``: pure, and the same for the same file bytes."""
    body_words = words(article.body[:SKETCH_WORDS * 9])  # ~9 characters a word, links included
    title_words = words(article.title)
    title = content_terms(title_words)
    lead_words = body_words[:LEAD_WORDS]
    if article.summary:
        lead_words = words(article.summary) + lead_words
    # The title counts twice: on its own, and as part of the text an outlet opens with (one outlet's
    # headline words are often another's first sentence).
    lead = content_terms(lead_words)
    in_title, in_lead = Counter(title), Counter(title + lead)
    # Tagged terms in sorted order: every ``l:`` one before every ``t:`` one, and by term within each.
    lead_keys, title_keys = sorted(in_lead), sorted(in_title)
    tagged = " ".join([*_tag("l:", lead_keys), *_tag("t:", title_keys)])
    times = [*map(in_lead.__getitem__, lead_keys), *map(in_title.__getitem__, title_keys)]
    names = {*article.people, *article.organizations, *article.places, *(q.speaker for q in article.quotes)}
    shingled = body_words[:SKETCH_WORDS] if len(body_words) >= 20 else title_words + body_words
    return StoryText(tagged, bytes(times) if max(times, default=0) < 256 else array("I", times).tobytes(),
                     tuple(sorted(slugify(n) for n in names if n)), sketch(shingled))
