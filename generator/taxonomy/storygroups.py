"""Stories of the indexed articles: units (near-duplicates, pins) assigned one by one in (date, slug)
order, each to the story it is most similar to on average, or to a new story (Taxonomy, pure).

A unit's choice depends only on the edges of its articles to articles already assigned, which are at
most a window away, and on the stories those are in. So an edit redoes the assignment only around what
it touched: from the first unit each touched article can change (a span's start) until every unit of a
whole window after the last article it touched, and after the last assignment that came out
differently, has come out as before. From there on every choice has the inputs it had, up to the next
span. A cold build is one span over every article.
"""

from __future__ import annotations

from bisect import bisect_left, insort

from generator.taxonomy.storyindex import StoryIndex

SPAN_WINDOWS = 3  # an article joins a story only within this many windows of the story's first article
BEST_SHARE = 0.5  # a unit's score for a story: this share of its best similarity, the rest the average


Span = tuple[tuple[float, str], float]  # (first (date, slug) an edit can change, the last time it touched)


def assign(ix: StoryIndex, old_key: dict[str, str], old_groups: dict[str, tuple[str, ...]], spans: list[Span],
           window: float, join: float) -> dict[int, str]:
    """Story keys (the slug of the story's first article) of the articles whose unit is assigned again;
    every other article keeps its key in ``old_key``."""
    timeline, when, slug = ix.timeline, ix.when, ix.slug
    new_key: dict[int, str] = {}
    done: set[int] = set()  # units assigned again, or passed over as they were
    roots: dict[int, tuple[float, str]] = {}  # number → (date, slug) of its unit's first article
    times: dict[str, list[float]] = {}  # story key → the times of its articles assigned so far, sorted
    moved: dict[str, list[int]] = {}  # story key → the articles this sweep put in it
    cold = not old_key  # nothing was assigned before: only this sweep's choices count
    here: tuple[float, str] = (float("-inf"), "")  # the unit being assigned

    def root(i: int) -> tuple[float, str]:
        if not ix.has_unit_links(i):
            return (when[i], slug[i] or "")
        got = roots.get(i)
        if got is None:
            got = roots[i] = ix.order(ix.unit(i)[0])
        return got

    def key_of(i: int) -> str | None:
        got = new_key.get(i)
        if got is not None:
            return got
        return old_key.get(slug[i] or "") if root(i) < here else None  # assigned as it was, or not yet

    def times_of(key: str) -> list[float]:
        got = times.get(key)
        if got is None:  # its articles assigned as they were so far, and by this sweep
            got = [when[i] for m in old_groups.get(key, ()) if (i := ix.ids.get(m)) is not None
                   and i not in new_key and root(i) < here]
            got.extend(when[x] for x in moved.get(key, ()))
            got.sort()
            times[key] = got
        return got

    def story_order(key: str) -> tuple[float, str]:
        return (when[ix.ids[key]], key)

    spans = sorted(spans)
    span = 0
    until = float("-inf")
    k = bisect_left(timeline, spans[0][0]) if spans else len(timeline)
    while k < len(timeline):
        at, name, i = timeline[k]
        while span < len(spans) and spans[span][0] <= (at, name):
            until = max(until, spans[span][1])
            span += 1
        if i in done:
            k += 1
            continue
        if at - window > until:  # every choice since a window back came out as before
            if span == len(spans):
                break
            # Up to the next span, every unit is assigned as it was (one begun before and reaching
            # into the span is passed over there: its first article comes before).
            k = max(k, bisect_left(timeline, spans[span][0]))
            times.clear()
            continue
        k += 1
        unit = ix.unit(i)
        here = (at, name)
        if unit[0] != i:  # a unit whose first article comes before: assigned as it was
            done.update(unit)
            continue
        sums: dict[str, float] = {}
        tops: dict[str, float] = {}
        for x in unit:
            for m, sim in zip(ix.nbrs[x], ix.sims[x], strict=True):
                key = new_key.get(m) if cold else key_of(m)
                if key is not None:
                    sums[key] = sums.get(key, 0.0) + sim
                    if sim > tops.get(key, 0.0):
                        tops[key] = sim
        best, best_score = "", join
        for key in sorted(sums, key=story_order):  # in the order the stories were begun
            got = times_of(key)
            if at - got[0] > SPAN_WINDOWS * window:
                continue  # one event's coverage: a story stops growing, so a topic's stories never chain
            near = len(got) - bisect_left(got, at - window)
            if not near:
                continue
            score = (1 - BEST_SHARE) * sums[key] / (near * len(unit)) + BEST_SHARE * tops[key]
            if score >= best_score and (not best or score > best_score):
                best, best_score = key, score
        if not best:
            best = name
            times[best] = []
        got = times[best]
        moved.setdefault(best, []).extend(unit)
        for x in unit:
            new_key[x] = best
            insort(got, when[x])
            if old_key.get(slug[x] or "") != best:
                until = max(until, when[x])
        done.update(unit)
    return new_key

