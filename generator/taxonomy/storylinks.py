"""Which indexed articles story clustering compares, and their similarity edges (Taxonomy, pure).

Candidates: the articles within the window sharing rare terms with one (``candidates``, from the index's
postings). Comparing every candidate would cost an article more as a site grows denser (ten times the
articles a day, ten times the candidates), so the work an article brings is bounded:

- it chooses at most MAX_COMPARED candidates (``chosen``: most rare terms shared, then nearest in time,
  then date and slug); one with at most that many chooses them all;
- a pair is compared if one chose the other, unless the other is *closed*: it has more than
  OPEN_CANDIDATES candidates, and is then compared only with those it chose. So no article is compared
  more than OPEN_CANDIDATES times, however many others choose it.

On the 10,000-article bench corpus no article is closed, so this is every pair that either chose; on the
100,000-article one (ten times as dense) nearly every article is, and a pair is compared when both chose
each other. Every choice is a function of the articles (candidates, counts, dates, slugs), whatever order
the edits came in; an edit links again the articles near it whose choice it changes (``stories``).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, deque
from collections.abc import Callable, Collection, Iterable
from heapq import heappop, heappush
from itertools import chain, compress, islice, repeat
from operator import eq, ge, itemgetter, lt, mul, sub

from generator.taxonomy.storyindex import BUCKET, StoryIndex

MIN_SHARED = 3  # terms two articles must share (title, lead, names) to be compared at all
TIME_FADE = 0.4  # similarity loses up to this share at the far edge of the window
EDGE_FLOOR = 0.7  # similarities under this share of `join` count as none (keeps the graph sparse)
MAX_COMPARED = 48  # an article chooses at most this many candidates to compare with
OPEN_CANDIDATES = 2 * MAX_COMPARED  # an article with more is closed: compared only with those it chose

Choice = tuple[set[int] | None, bool]  # the candidates an article chose (None: all), whether it is closed
Comparable = tuple[list[int], list[float], Callable[[list[float]], tuple[float, ...]]]  # see ``comparable``


def candidates(ix: StoryIndex, i: int, window: float) -> dict[int, int]:
    """The articles within ``window`` of number ``i`` sharing rare terms with it: how many (symmetric).

    A posting is in time order, so the part of a neighbouring day bucket within the window is a slice
    (every article of the same bucket is within it)."""
    postings, at, key = ix.postings, ix.when[i], ix.when.__getitem__
    lo, hi = at - window, at + window
    parts: list[list[int]] = []
    for k in ix.rare.get(i, ()):
        got = postings.get(k)
        if got is not None:
            parts.append(got)
        got = postings.get(k - BUCKET)
        if got is not None:
            parts.append(got[bisect_left(got, lo, key=key):])
        got = postings.get(k + BUCKET)
        if got is not None:
            parts.append(got[:bisect_right(got, hi, key=key)])
    found = Counter(chain.from_iterable(parts))
    found.pop(i, None)
    return found


def chosen(ix: StoryIndex, i: int, window: float, skip: Collection[int] = ()) -> tuple[dict[int, int], Choice]:
    """Number ``i``'s candidates (but ``skip``) and its choice: when there are more than MAX_COMPARED, the
    ones it compares itself with (most shared rare terms first, then nearest in time, then (date, slug);
    None: all), and whether it is closed (more than OPEN_CANDIDATES). Set operations at C speed."""
    found = candidates(ix, i, window)
    if skip:
        for o in found.keys() & skip:
            del found[o]
    if len(found) <= MAX_COMPARED:
        return found, (None, False)
    counts = found.values()
    cut = sorted(counts)[-MAX_COMPARED]  # the fewest shared of one chosen
    out = set(compress(found, map(lt, repeat(cut), counts)))
    tied = list(compress(found, map(eq, counts, repeat(cut))))
    need = MAX_COMPARED - len(out)
    if need < len(tied):  # the nearest in time, then (date, slug)
        when = ix.when.__getitem__
        gaps = list(map(abs, map(sub, map(when, tied), repeat(ix.when[i]))))
        ordered = sorted(gaps)
        if ordered[need - 1] < ordered[need]:  # no tie at the cut (the usual case): the gap decides
            tied = list(compress(tied, map(ge, repeat(ordered[need - 1]), gaps)))
        else:
            near = sorted(zip(gaps, map(when, tied), map(ix.slug.__getitem__, tied), tied))  # noqa: B905
            tied = list(map(itemgetter(3), near[:need]))
    out.update(tied)
    return found, (out, len(found) > OPEN_CANDIDATES)


def choices(ix: StoryIndex, numbers: Iterable[int], window: float, skip: set[int]) -> dict[int, Choice]:
    """The choices of the candidates of ``numbers`` (not in ``skip``): an edit may change them."""
    near = {o for i in numbers for o in candidates(ix, i, window)} - skip
    return {o: chosen(ix, o, window)[1] for o in near}


def comparable(ix: StoryIndex, i: int) -> Comparable | None:
    """Number ``i``'s vector as ``link`` compares it: (terms, weights, a getter of a list at its terms).
    None: too few terms to share MIN_SHARED with any other."""
    terms, values = ix.vector(i)
    if 0.0 in values:  # (never: a term's weight is over 0, and ``link`` reads a weight as a term held)
        terms, values = [t for t, v in zip(terms, values, strict=True) if v], list(filter(None, values))
    return (terms, values, itemgetter(*terms)) if len(terms) >= MIN_SHARED else None


def link(ix: StoryIndex, dirty: Iterable[int], window: float, floor: float) -> None:
    """Edges of the ``dirty`` articles (indexed, out of the graph), each pair compared once.

    In time order, keeping the vectors and choices of the articles within a window of the current one
    only. The current article's weights are spread over a list indexed by term, so a dot product is one
    gather of that list at the other's terms and one sum, at C speed; both vectors list the terms they
    share in the same order, so a pair's similarity does not depend on which of the two is current."""
    when, nbrs, sims, pin = ix.when, ix.nbrs, ix.sims, ix.pin
    done: set[int] = set()
    vectors: dict[int, Comparable | None] = {}
    picks: dict[int, tuple[dict[int, int], Choice]] = {}
    held: list[tuple[float, int]] = []  # (time, number) of what ``vectors`` and ``picks`` hold
    spread = [0.0] * len(ix.vocab)  # the current article's weights by term, 0.0 elsewhere
    for i in sorted(dirty, key=ix.order):
        if pin[i] == "none":
            continue
        at = when[i]
        while held and held[0][0] < at - window:
            o = heappop(held)[1]
            vectors.pop(o, None)
            picks.pop(o, None)
        found, (mine_picked, closed) = picks.pop(i) if i in picks else chosen(ix, i, window)
        mine = vectors.pop(i) if i in vectors else comparable(ix, i)
        done.add(i)
        if mine is None:
            continue
        todo = (mine_picked if closed else found.keys()) - done  # type: ignore[operator]  # closed: a set
        for o in todo.difference(picks):  # (the dict, not its keys: this looks up each of todo)
            picks[o] = chosen(ix, o, window)
            heappush(held, (when[o], o))
        # Not compared: the ones that did not choose this one and are closed, or that it did not choose either.
        todo -= {o for o in todo if (choice := picks[o][1])[0] is not None and i not in choice[0]
                 and (choice[1] or (mine_picked is not None and o not in mine_picked))}
        terms, values, _ = mine
        deque(map(spread.__setitem__, terms, values), 0)
        add_nbr, add_sim = nbrs[i].append, sims[i].append
        for o in todo:
            if o in vectors:
                theirs = vectors[o]
            else:
                theirs = vectors[o] = comparable(ix, o)
                heappush(held, (when[o], o))
            if theirs is None:
                continue
            gathered = theirs[2](spread)  # this one's weights at their terms: 0.0 where it has none
            sim = sum(map(mul, gathered, theirs[1])) * (1 - TIME_FADE * abs(when[o] - at) / window)
            # Two near-empty texts ("Body text.") are not one story: they must share MIN_SHARED terms.
            if sim >= floor and next(islice(filter(None, gathered), MIN_SHARED - 1, None), None) is not None:
                add_nbr(o)
                add_sim(sim)
                nbrs[o].append(i)
                sims[o].append(sim)
        deque(map(spread.__setitem__, terms, repeat(0.0)), 0)
