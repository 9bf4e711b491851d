"""Story clustering's index of the articles (Taxonomy, pure): their terms as integer ids, document
frequencies, the rare-term postings that propose pairs, the similarity edges, near-duplicates and pins
(``storylinks`` chooses which pairs are compared and makes the edges).

Articles are numbered (a number is reused once its article is gone) and kept column by column in
compact arrays, so the index costs a few hundred bytes an article and pickles as a few large objects
(Build keeps it in the render cache for the next process). What is derived from the columns alone
(which articles hold a term, the postings, the time line, the pins) is not stored but made again by
``prepare`` before the first change a new process makes.

Exactness: every structure here is a function of the articles' features and the current document
frequencies, whatever order the edits came in; ``stories`` relies on it to redo only what an edit reaches.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from itertools import chain, repeat
from operator import mul, truediv
from typing import Any

from generator.model import Article
from generator.slug import slugify
from generator.taxonomy.storytext import SKETCH_BINS, StoryText, resemblance, story_text

DAY = 86400.0
BANDS, ROWS = 16, 4  # LSH over the 64 sketch bins: a pair at resemblance 0.5 becomes a candidate with p ≈ 0.65
assert BANDS * ROWS == SKETCH_BINS
BAND_BYTES = ROWS * 8  # a band of a sketch: ROWS uint64 bins
NEAR_DUPLICATE_DAYS = 7.0  # a wire copy may run days after the original; months later it is a new story
RARE_BITS = 3.0  # a term is indexed for candidates when its IDF is at least this (df ≤ N/7)
TITLE_WEIGHT, LEAD_WEIGHT = 0.5, 0.85  # title; title, lead and entities (each block normalised first)
BATCH = 32  # more articles than this are put on the time line and in the postings at once, then sorted
SCAN_CHANGES = 64  # near-duplicates of up to this many changed articles are found by scanning their week
BUCKET = 1 << 32  # a posting key: day bucket * BUCKET + plain term id (a day bucket: a window long)
_TF = [0.0] + [1 + math.log(n) for n in range(1, 256)]  # 1 + log(count), the term frequency weight


def quantise_idf(df: int, nq: int) -> float:
    """IDF in half-bit steps over N rounded up to a power of two: an edit moves few weights."""
    return round(2 * math.log2(1 + nq / df)) / 2 if df else 0.0


def site_size(n: int) -> int:
    return max(64, 1 << max(0, n - 1).bit_length())


class Features:
    """One article's features as the index keeps them (terms as ids into the index's vocabulary)."""

    __slots__ = ("counts", "heads", "pin", "sketch", "tids", "when")

    def __init__(self, when: float, pin: str | None, tids: array[int], counts: array[int], heads: int,
                 sketch: bytes) -> None:
        self.when, self.pin, self.tids, self.counts, self.heads, self.sketch = when, pin, tids, counts, heads, sketch


class StoryIndex:
    """The articles' features, document frequencies, postings, edges, near-duplicates and pins."""

    def __init__(self) -> None:
        # Articles, by number: a gone article's slot holds None (its slug) until reused.
        self.ids: dict[str, int] = {}
        self.slug: list[str | None] = []
        self.hash: list[str] = []  # the file's content hash ("" for articles made in memory)
        self.article: list[Article | None] = []  # the object last seen (never stored)
        self.when: list[float] = []
        self.pin: list[str | None] = []
        self.tids: list[array[int]] = []  # term ids, in the terms' sorted order (title terms last)
        self.heads = array("I")  # how many of them are title terms
        self.counts: list[array[int]] = []
        self.sketch: list[bytes] = []
        self.free: list[int] = []
        # The vocabulary: tagged terms ("t:x", "l:x", "e:x") and their plain terms ("x", "e:x").
        self.vocab: dict[str, int] = {}
        self.plain = array("I")  # term id → plain term id
        self.title = bytearray()  # term id → 1 for a title term
        self.plains: dict[str, int] = {}
        self.df: list[int] = []  # plain id → document frequency (a title word counts for title and lead)
        self.idf: list[float] = []  # plain id → quantise_idf(df, nq)
        self.term_idf: list[float] = []  # term id → its plain term's IDF
        self.terms_of: dict[int, list[int]] | None = {}  # plain id → its term ids (None: not made yet)
        self.rare_plains: set[int] = set()  # plain ids whose IDF is at least RARE_BITS
        self.nq = 0
        # The graph, by article number.
        self.nbrs: list[array[int]] = []  # similar articles
        self.sims: list[array[float]] = []  # and their similarities
        self.dups: dict[int, set[int]] = {}
        self.rare: dict[int, list[int]] = {}  # article → its posting keys (day bucket, rare plain term)
        # Derived from the above, not stored: made by ``prepare`` before a loaded index changes.
        self.ready = True
        self.postings: dict[int, list[int]] = {}  # posting key → articles, in time order
        self.timeline: list[tuple[float, str, int]] = []  # (when, slug, number), sorted
        self.pinned: dict[str, set[int]] = {}  # pin value → articles that give it
        self.holders: dict[int, set[int]] = {}  # plain id → articles holding it, for the plains asked about

    def __getstate__(self) -> dict[str, object]:
        """The stored form: the columns, the per-article arrays joined into one array each."""
        state = dict(self.__dict__)
        for name in ("ids", "article", "postings", "timeline", "pinned", "holders", "terms_of", "term_idf"):
            del state[name]
        rare = self.rare
        state["rare"] = (array("I", rare), array("q", [k for keys in rare.values() for k in keys]),
                         array("I", map(len, rare.values())))
        for name in ("tids", "counts", "nbrs", "sims"):
            column: list[array[Any]] = getattr(self, name)
            code = column[0].typecode if column else "I"
            if name == "counts" and all(max(c, default=0) < 256 for c in column):
                code = "B"
            elif name == "tids" and len(self.vocab) <= 1 << 16:
                code = "H"
            joined = array(code)
            for part in column:
                joined.extend(part) if part.typecode == code else joined.extend(array(code, part))
            state[name] = (joined, array("I", map(len, column)))
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        for name in ("tids", "counts", "nbrs", "sims"):
            joined: array[Any]
            lengths: array[int]
            joined, lengths = getattr(self, name)
            column, at = [], 0
            for n in lengths:
                column.append(joined[at:at + n])
                at += n
            setattr(self, name, column)
        self.ids = {s: i for i, s in enumerate(self.slug) if s is not None}
        numbers: array[int]
        keys: array[int]
        numbers, keys, lengths = state["rare"]  # type: ignore[misc]
        self.rare, at = {}, 0
        for i, n in zip(numbers, lengths, strict=True):
            self.rare[i] = keys[at:at + n].tolist()
            at += n
        self.term_idf = list(map(self.idf.__getitem__, self.plain))
        self.terms_of = None
        self.article = [None] * len(self.slug)
        self.ready = False
        self.postings, self.timeline, self.pinned, self.holders = {}, [], {}, {}

    # ------------------------------------------------------------------ articles
    def live(self) -> Iterator[int]:
        return (i for i, s in enumerate(self.slug) if s is not None)

    def same_file(self, i: int, article: Article) -> bool:
        """Is ``article`` what number ``i`` was made from (the same object, or a file of the same bytes: the
        features are a function of the file's text)?"""
        return self.article[i] is article or (article.content_hash != "" and self.hash[i] == article.content_hash)

    def features(self, article: Article, text: StoryText | None, aliases: dict[str, str]) -> Features:
        """``text``: ``story_text(article)`` when the read step made it already."""
        if text is None:
            text = story_text(article)
        names = Counter("e:" + aliases.get(n, n) for n in text.names)
        words = text.terms.split()
        terms = sorted(names) + words  # "e:" < "l:" < "t:": the terms' sorted order
        found = list(map(self.vocab.get, terms))
        ids: list[int] = [i if i is not None else self._new_term(t) for t, i in zip(terms, found, strict=True)] \
            if None in found else found  # type: ignore[assignment]  # no None in it
        tids = array("I", ids)
        counted = array("I", map(names.__getitem__, terms[:len(names)]))
        if len(text.counts) == len(words):
            counted.extend(text.counts)
        else:
            counted.frombytes(text.counts)
        when = article.date.timestamp() if article.date is not None else 0.0
        pin = slugify(article.story) if article.story else None
        return Features(when, pin, tids, counted, len(terms) - bisect_left(terms, "t:"), text.sketch)

    def _new_term(self, term: str) -> int:
        i = self.vocab[term] = len(self.vocab)
        plain = term if term.startswith("e:") else term[2:]
        p = self.plains.get(plain)
        if p is None:
            p = self.plains[plain] = len(self.plains)
            self.df.append(0)
            self.idf.append(0.0)
        self.plain.append(p)
        self.title.append(term.startswith("t:"))
        self.term_idf.append(self.idf[p])
        if self.terms_of is not None:
            self.terms_of.setdefault(p, []).append(i)
        return i

    def same_features(self, i: int, f: Features) -> bool:
        return (self.when[i] == f.when and self.pin[i] == f.pin and self.tids[i] == f.tids
                and self.counts[i] == f.counts and self.sketch[i] == f.sketch)

    def set_features(self, i: int, article: Article, f: Features) -> None:
        self.article[i], self.hash[i] = article, article.content_hash
        self.when[i], self.pin[i], self.tids[i], self.counts[i] = f.when, f.pin, f.tids, f.counts
        self.heads[i], self.sketch[i] = f.heads, f.sketch

    def add(self, slug: str, article: Article) -> int:
        """A number for a new article (its features set by ``set_features``)."""
        if self.free:
            i = self.free.pop()
            self.slug[i], self.article[i] = slug, article
        else:
            i = len(self.slug)
            self.slug.append(slug)
            self.article.append(article)
            self.hash.append("")
            self.when.append(0.0)
            self.pin.append(None)
            self.tids.append(array("I"))
            self.counts.append(array("I"))
            self.heads.append(0)
            self.sketch.append(b"")
            self.nbrs.append(array("I"))
            self.sims.append(array("d"))
        self.ids[slug] = i
        return i

    def drop(self, i: int) -> None:
        """Forget number ``i`` (its terms, postings, edges and near-duplicates already taken out)."""
        slug = self.slug[i]
        assert slug is not None
        del self.ids[slug]
        for p in self.plains_of(i) & self.holders.keys():
            self.holders[p].discard(i)
        self.slug[i] = self.article[i] = self.pin[i] = None
        self.hash[i] = ""
        self.tids[i], self.counts[i], self.sketch[i], self.heads[i] = array("I"), array("I"), b"", 0
        self.free.append(i)

    def has_pins(self) -> bool:
        return any(p is not None for p in self.pin)

    def order(self, i: int) -> tuple[float, str]:
        return (self.when[i], self.slug[i] or "")

    # ------------------------------------------------------------------ derived structures
    def prepare(self) -> None:
        """Make what is derived from the stored columns (after loading), before any change."""
        if self.ready:
            return
        self.ready = True
        self.postings, self.pinned = {}, {}
        self.timeline = sorted((self.when[i], s, i) for i, s in enumerate(self.slug) if s is not None)
        for i, keys in self.rare.items():
            self._append(i, keys)
        self._sort_postings(self.postings)
        for i in self.live():
            self.pin_in(i)

    def plains_of(self, i: int) -> set[int]:
        return set(map(self.plain.__getitem__, self.tids[i]))

    def count_terms(self, numbers: Iterable[int], sign: int, touched: dict[int, int]) -> None:
        """Count the articles' terms in (+1) or out (-1) of the document frequencies (and the holders, when
        kept); ``touched``: plain id → its document frequency before this update."""
        numbers = list(numbers)
        plain, df = self.plain, self.df
        counted = Counter(map(plain.__getitem__, chain.from_iterable(map(self.tids.__getitem__, numbers))))
        if self.holders:
            for i in numbers:
                for p in self.plains_of(i) & self.holders.keys():
                    if sign > 0:
                        self.holders[p].add(i)
                    else:
                        self.holders[p].discard(i)
        for p, n in counted.items():
            if p not in touched:
                touched[p] = df[p]
            df[p] += sign * n

    def holding(self, plains: Iterable[int]) -> set[int]:
        """The live articles holding any of ``plains``: from the holder sets of the plains asked about
        before (kept up to date), the others found by looking at every article once."""
        plains = set(plains)
        missing = plains - self.holders.keys()
        if missing:
            found: dict[int, set[int]] = {p: set() for p in missing}
            tids = {t for p in missing for t in self.terms(p)}
            for i in self.live():
                if not tids.isdisjoint(self.tids[i]):
                    for p in self.plains_of(i) & missing:
                        found[p].add(i)
            self.holders.update(found)
        out: set[int] = set()
        for p in plains:
            out |= self.holders[p]
        return out

    def terms(self, p: int) -> list[int]:
        """The term ids of plain term ``p`` (its title and lead terms, or its entity term)."""
        if self.terms_of is None:
            self.terms_of = {}
            for t, q in enumerate(self.plain):
                self.terms_of.setdefault(q, []).append(t)
        return self.terms_of.get(p, [])

    def set_idf(self, plains: Iterable[int]) -> list[int]:
        """Quantised IDF of ``plains`` at the current document frequencies; the plains whose step moved."""
        moved = []
        df, idf, nq, rare = self.df, self.idf, self.nq, self.rare_plains
        for p in plains:
            q = quantise_idf(df[p], nq)
            if q != idf[p]:
                idf[p] = q
                moved.append(p)
                if q >= RARE_BITS:
                    rare.add(p)
                else:
                    rare.discard(p)
        if len(moved) > len(self.term_idf) // 64:
            self.term_idf = list(map(idf.__getitem__, self.plain))
        else:
            for p in moved:
                for t in self.terms(p):
                    self.term_idf[t] = idf[p]
        return moved

    def pin_in(self, i: int) -> None:
        pin = self.pin[i]
        if pin is not None:
            self.pinned.setdefault(pin, set()).add(i)

    def pin_out(self, i: int) -> None:
        pin = self.pin[i]
        if pin is not None:
            self.pinned[pin].discard(i)
            if not self.pinned[pin]:
                del self.pinned[pin]

    def place(self, numbers: Collection[int]) -> None:
        """Put the articles on the time line (many at once: added and sorted once)."""
        entries = [(self.when[i], self.slug[i] or "", i) for i in numbers]
        if len(entries) > BATCH:
            self.timeline.extend(entries)
            self.timeline.sort()
        else:
            for entry in entries:
                insort(self.timeline, entry)

    def unplace(self, i: int) -> None:
        entry = (self.when[i], self.slug[i] or "", i)
        k = bisect_left(self.timeline, entry)
        if k < len(self.timeline) and self.timeline[k] == entry:
            del self.timeline[k]

    # ------------------------------------------------------------------ vectors and postings
    def vector(self, i: int) -> tuple[list[int], list[float]]:
        """TF-IDF over the title block and the lead block (entities with the lead), each normalised, then
        weighted and normalised as a whole: (terms, weights), the terms in their sorted order in each block,
        so two vectors list the terms they share in the same order."""
        tids, counts = self.tids[i], self.counts[i]
        try:
            tf = map(_TF.__getitem__, counts)
            weights = list(map(mul, tf, map(self.term_idf.__getitem__, tids)))
        except IndexError:
            weights = [(1 + math.log(n)) * self.term_idf[t] for t, n in zip(tids, counts, strict=True)]
        split = len(tids) - self.heads[i]
        terms: list[int] = []
        values: list[float] = []
        for block, weight in ((slice(split, None), TITLE_WEIGHT), (slice(None, split), LEAD_WEIGHT)):
            part = weights[block]
            norm = math.sqrt(sum(map(mul, part, part)))
            if norm:
                terms.extend(tids[block])
                values.extend(map(mul, part, repeat(weight / norm)))
        total = math.sqrt(sum(map(mul, values, values)))
        return (terms, list(map(truediv, values, repeat(total)))) if total else ([], [])

    def index(self, numbers: Collection[int], window: float) -> None:
        """Post the articles under their rare terms (at the current IDF) in their day buckets."""
        rare, when, pin, plain = self.rare_plains, self.when, self.pin, self.plain.__getitem__
        batch = len(numbers) > BATCH
        posted: set[int] = set()
        for i in numbers:
            if pin[i] == "none":
                continue
            bucket = int(when[i] // window) * BUCKET
            keys = [bucket + p for p in rare.intersection(map(plain, self.tids[i]))]
            self.rare[i] = keys
            if batch:
                self._append(i, keys)
                posted.update(keys)
            else:
                self._post(i, keys)
        self._sort_postings(posted)

    def _post(self, i: int, keys: list[int]) -> None:
        """Add number ``i`` to the postings of ``keys``, each kept in time order."""
        postings, key = self.postings, self.when.__getitem__
        for k in keys:
            got = postings.get(k)
            if got is None:
                postings[k] = [i]
            else:
                insort(got, i, key=key)

    def _append(self, i: int, keys: list[int]) -> None:
        """Add number ``i`` at the end of the postings of ``keys`` (``_sort_postings`` then puts them in order)."""
        postings = self.postings
        for k in keys:
            got = postings.get(k)
            if got is None:
                postings[k] = [i]
            else:
                got.append(i)

    def _sort_postings(self, keys: Iterable[int]) -> None:
        """Put the postings of ``keys`` in time order (``storylinks.candidates`` takes a window as a slice)."""
        postings, key = self.postings, self.when.__getitem__
        for k in keys:
            postings[k].sort(key=key)

    def unindex(self, i: int) -> None:
        """Take number ``i`` out of the postings and the graph's edges."""
        for k in self.rare.pop(i, ()):
            got = self.postings[k]
            got.remove(i)
            if not got:
                del self.postings[k]
        nbrs, sims = self.nbrs, self.sims
        for o in nbrs[i]:
            at = nbrs[o].index(i)
            del nbrs[o][at]
            del sims[o][at]
        nbrs[i], sims[i] = array("I"), array("d")

    # ------------------------------------------------------------------ near-duplicates
    def undup(self, i: int) -> None:
        for o in self.dups.pop(i, ()):
            self.dups[o].discard(i)
            if not self.dups[o]:
                del self.dups[o]

    def _sketched(self, i: int) -> bool:
        return bool(self.sketch[i]) and self.pin[i] != "none"

    def find_duplicates(self, changed: set[int], threshold: float) -> None:
        """Near-duplicate pairs with a changed article: a band of their sketches alike, at most
        NEAR_DUPLICATE_DAYS apart, and a resemblance of at least ``threshold``."""
        changed = {i for i in changed if self._sketched(i)}
        if not changed:
            return
        pairs = self._scan_pairs(changed) if len(changed) <= SCAN_CHANGES else self._band_pairs(changed)
        sketch = self.sketch
        for i, o in pairs:
            if resemblance(sketch[i], sketch[o]) >= threshold:
                self.dups.setdefault(i, set()).add(o)
                self.dups.setdefault(o, set()).add(i)

    def _scan_pairs(self, changed: set[int]) -> Iterator[tuple[int, int]]:
        """Each changed article against the articles of its fortnight (few changes: a rebuild)."""
        limit = NEAR_DUPLICATE_DAYS * DAY
        timeline, when, sketch = self.timeline, self.when, self.sketch
        done: set[int] = set()
        for i in sorted(changed):
            mine = sketch[i]
            bands = [mine[b:b + BAND_BYTES] for b in range(0, len(mine), BAND_BYTES)]
            k = bisect_left(timeline, (when[i] - limit,))
            while k < len(timeline) and timeline[k][0] <= when[i] + limit:
                o = timeline[k][2]
                k += 1
                if o == i or o in done or not self._sketched(o) or abs(when[o] - when[i]) > limit:
                    continue
                theirs = sketch[o]
                if any(theirs[b * BAND_BYTES:(b + 1) * BAND_BYTES] == band for b, band in enumerate(bands)):
                    yield i, o
            done.add(i)

    def _band_pairs(self, changed: set[int]) -> Iterator[tuple[int, int]]:
        """LSH over the whole time line, keeping only the last NEAR_DUPLICATE_DAYS in the band tables."""
        limit = NEAR_DUPLICATE_DAYS * DAY
        when, sketch = self.when, self.sketch
        tables: list[dict[bytes, list[int]]] = [{} for _ in range(BANDS)]
        recent: list[int] = []  # in the tables, oldest first
        first = 0
        for at, _, i in self.timeline:
            if not self._sketched(i):
                continue
            while first < len(recent) and at - when[recent[first]] > limit:
                old = recent[first]
                first += 1
                theirs = sketch[old]
                for b in range(BANDS):
                    key = theirs[b * BAND_BYTES:(b + 1) * BAND_BYTES]
                    got = tables[b][key]
                    got.remove(old)
                    if not got:
                        del tables[b][key]
            mine = sketch[i]
            candidates: set[int] = set()
            for b in range(BANDS):
                key = mine[b * BAND_BYTES:(b + 1) * BAND_BYTES]
                same = tables[b].get(key)
                if same is None:
                    tables[b][key] = [i]
                else:
                    candidates.update(same)
                    same.append(i)
            recent.append(i)
            new = i in changed
            for o in candidates:
                if new or o in changed:
                    yield i, o

    # ------------------------------------------------------------------ units: near-duplicates and pins
    def unit_links(self, i: int) -> set[int]:
        """The articles one unit with number ``i``: its near-duplicates, the articles it names or that name
        it, and those naming what it names."""
        out = set(self.dups.get(i, ()))
        slug, pin = self.slug[i], self.pin[i]
        if slug in self.pinned:
            out |= self.pinned[slug]
        if pin is not None:
            named = self.ids.get(pin)
            if named is not None:
                out.add(named)
            if pin != "none":
                out |= self.pinned.get(pin, set())
        out.discard(i)
        return out

    def has_unit_links(self, i: int) -> bool:
        return i in self.dups or self.pin[i] is not None or self.slug[i] in self.pinned

    def unit(self, i: int) -> list[int]:
        """Number ``i``'s unit, in (date, slug) order."""
        if not self.has_unit_links(i):
            return [i]
        seen = {i}
        todo = [i]
        while todo:
            for o in self.unit_links(todo.pop()):
                if o not in seen:
                    seen.add(o)
                    todo.append(o)
        return sorted(seen, key=self.order)
