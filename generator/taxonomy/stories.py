"""Stories: one piece of news told by several outlets, found among the articles (Taxonomy, pure).

Two passes, in the manner of Miranda et al., "Multilingual clustering of streaming news" (EMNLP 2018):

1. **Near-duplicates** (wire copies, light rewrites): articles whose opening word 3-shingles have a
   Jaccard resemblance of at least ``near_duplicate`` are one unit. Candidates come from LSH on the
   one-permutation MinHash sketches of ``storytext`` (16 bands of 4 bins), then the sketches decide.
2. **Same event**: each article is a TF-IDF vector over its title terms (weighted most), lead terms and
   entities; two articles within ``window_days`` of each other that share a rare term are compared
   (cosine, fading a little with the time between them). Units are then assigned **in a fixed order**
   (date, then slug): each joins the story it is most similar to on average (over the story's articles
   within the window) when that is at least ``join``, or starts a new story.

A story's slug is its first article's slug (a human-named story: its name), so it does not change when
a later article joins. Front matter overrides: ``story: none`` keeps an article out; ``story: X`` joins
the story of article X (X a story or article slug), or groups all articles naming X.

Exactness and speed: the result is a function of the articles alone (a watch-mode rebuild equals a cold
build), and ``StoryMemo`` keeps what a long-lived build needs to redo only what an edit touches. IDF
comes from the whole site's document frequencies, quantised (half-bit steps, N rounded up to a power of
two), so one article's edit changes the weights, and so the similarities, of the few articles sharing a
term whose step moved; stories are regrouped only in the connected parts of the similarity graph that an
edit reaches.
"""

from __future__ import annotations

import math
from bisect import bisect_left, insort
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from generator.model import Article
from generator.slug import free_slug
from generator.taxonomy.storytext import SKETCH_BINS, StoryFeatures, resemblance, story_features

DAY = 86400.0
BANDS, ROWS = 16, 4  # LSH over the 64 sketch bins: a pair at resemblance 0.5 becomes a candidate with p ≈ 0.65
assert BANDS * ROWS == SKETCH_BINS
NEAR_DUPLICATE_DAYS = 7.0  # a wire copy may run days after the original; months later it is a new story
RARE_BITS = 3.0  # a term is indexed for candidates when its IDF is at least this (df ≤ N/7)
FIELD_WEIGHTS = {"t": 0.5, "l": 0.85}  # title; title, lead and entities (each block normalised first)
ENTITY_BLOCK = "l"  # entities weigh in with the words of the lead: one shared name alone is not a story
MIN_SHARED = 3  # terms two articles must share (title, lead, names) to be compared at all
SPAN_WINDOWS = 3  # an article joins a story only within this many windows of the story's first article
TIME_FADE = 0.4  # similarity loses up to this share at the far edge of the window
BEST_SHARE = 0.5  # a unit's score for a story: this share of its best similarity, the rest the average
EDGE_FLOOR = 0.7  # similarities under this share of `join` count as none (keeps the graph sparse)


@dataclass(frozen=True)
class StorySettings:
    window_days: float = 3.0
    join: float = 0.19
    near_duplicate: float = 0.5


@dataclass(frozen=True)
class Story:
    """Two or more articles telling one piece of news; ``articles`` first version first (date, slug)."""

    slug: str
    articles: tuple[Article, ...]

    @property
    def first(self) -> Article:
        return self.articles[0]

    @property
    def newest(self) -> Article:
        return max(self.articles, key=lambda a: (a.date.timestamp() if a.date else 0.0, a.slug))


@dataclass(frozen=True)
class Stories:
    stories: tuple[Story, ...]  # stories of 2+ articles, by slug
    story_of: dict[str, Story]  # article slug → its story (only articles in a story of 2+)
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)  # every story key → member slugs


def _quantise_idf(df: int, nq: int) -> float:
    return round(2 * math.log2(1 + nq / df)) / 2 if df else 0.0


def _nq(n: int) -> int:
    return max(64, 1 << max(0, n - 1).bit_length())


def _plain(term: str) -> str:
    """Title and lead share a document frequency; an entity has its own."""
    return term if term.startswith("e:") else term[2:]


@dataclass(frozen=True)
class _Seen:
    """An article as a stored memo remembers it: the same file bytes at the same path give the same features."""

    content_hash: str
    path: str


class StoryMemo:
    """Everything clustering knows between two builds; an empty memo gives the same stories, only slower."""

    def __init__(self) -> None:
        self.key: object = None
        self.seen: dict[str, tuple[Article | _Seen, StoryFeatures]] = {}  # slug → the article last seen, its features
        self.feats: dict[str, StoryFeatures] = {}
        self.df: Counter[str] = Counter()
        self.nq = 0
        self.term_slugs: dict[str, set[str]] = defaultdict(set)
        self.vec: dict[str, dict[str, float]] = {}
        self.rare: dict[str, tuple[tuple[str, int], ...]] = {}  # slug → its (rare term, day bucket) keys
        self.postings: dict[tuple[str, int], set[str]] = defaultdict(set)
        self.edges: dict[str, dict[str, float]] = defaultdict(dict)
        self.bands: dict[tuple[int, tuple[int, ...]], set[str]] = defaultdict(set)
        self.dups: dict[str, set[str]] = defaultdict(set)
        self.pinned: dict[str, set[str]] = defaultdict(set)  # pin value → slugs that give it
        self.story_key: dict[str, str] = {}  # slug → key of its story (the first member's slug)
        self.groups: dict[str, tuple[str, ...]] = {}  # story key → members in order
        self.made: dict[str, Story] = {}  # story key → the Story last made of it
        self.dirty = False  # changed since it was last stored (Build keeps it in the render cache)

    def __getstate__(self) -> dict[str, object]:
        """What the render cache keeps: everything but the article objects (the cache has those), which are
        recognised again by their file's content hash and path."""
        state = dict(self.__dict__)
        state["seen"] = {s: (_Seen(a.content_hash, a.path), f) for s, (a, f) in self.seen.items() if a.content_hash}
        state["made"] = {}
        state["dirty"] = False
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)

    # ------------------------------------------------------------------ the update
    def update(self, articles: Sequence[Article], settings: StorySettings, aliases: dict[str, str]) -> Stories:
        key = (settings, tuple(sorted(aliases.items())))
        if key != self.key:
            self.__init__()  # type: ignore[misc]
            self.key = key
        window = settings.window_days * DAY
        current: dict[str, StoryFeatures] = {}
        by_slug: dict[str, Article] = {}
        for a in articles:
            hit = self.seen.get(a.slug)
            same = hit is not None and (hit[0] is a or (a.content_hash != "" and hit[0].content_hash == a.content_hash
                                                        and hit[0].path == a.path))
            f = hit[1] if hit is not None and same else story_features(a, aliases)
            current[a.slug] = f
            by_slug[a.slug] = a
        self.seen = {s: (by_slug[s], f) for s, f in current.items()}
        old = self.feats
        removed = [s for s in old if s not in current]
        changed = sorted(s for s, f in current.items() if old.get(s) != f)
        if not removed and not changed:
            return self._stories(by_slug)
        self.dirty = True

        # Document frequencies; the articles whose weights move with them.
        touched: dict[str, int] = {}
        for s in (*removed, *changed):
            if s in old:
                for t, _ in old[s].terms:
                    p = _plain(t)
                    touched.setdefault(p, self.df[p])
                    self.df[p] -= 1
                    self.term_slugs[p].discard(s)
        for s in changed:
            for t, _ in current[s].terms:
                p = _plain(t)
                touched.setdefault(p, self.df[p])
                self.df[p] += 1
                self.term_slugs[p].add(s)
        nq = _nq(len(current))
        dirty = set(changed)
        if nq != self.nq:
            self.nq = nq
            dirty = set(current)
        else:
            for p, before in touched.items():
                if _quantise_idf(before, nq) != _quantise_idf(self.df[p], nq):
                    dirty |= self.term_slugs[p]
        for p in touched:
            if self.df[p] <= 0:
                del self.df[p]
                self.term_slugs.pop(p, None)

        # Seeds of the regrouping: everything whose edges, duplicates or pins change.
        seeds: set[str] = set(dirty) | set(removed)
        for s in (*removed, *dirty):
            seeds.update(self.edges.get(s, ()))
            seeds.update(self.dups.get(s, ()))
        for s in (*removed, *changed):
            was_f, now_f = old.get(s), current.get(s)
            pins = {s, was_f.pin if was_f else None, now_f.pin if now_f else None}
            for pin in sorted(p for p in pins if p is not None and p != "none"):
                seeds.update(self.pinned.get(pin, ()))
                seeds.add(pin)

        for s in (*removed, *dirty):
            self._unindex(s)
        for s in (*removed, *changed):
            was = old.get(s)
            self._unsketch(s, was)
            if was is not None and was.pin is not None:
                self.pinned[was.pin].discard(s)
        for s in removed:
            k = self.story_key.pop(s, None)
            if k is not None:
                self.groups.pop(k, None)
                self.made.pop(k, None)
        self.feats = current
        for s in sorted(dirty):
            self._index(s, window)
        for s in sorted(dirty):
            self._link(s, window, settings)
        for s in changed:
            f = current[s]
            if f.pin is not None:
                self.pinned[f.pin].add(s)
            if f.pin != "none":
                self._sketch_in(s, settings)

        self._regroup({s for s in seeds if s in current}, settings)
        return self._stories(by_slug)

    # ------------------------------------------------------------------ vectors, candidates, edges
    def _unindex(self, s: str) -> None:
        for k in self.rare.pop(s, ()):
            self.postings[k].discard(s)
            if not self.postings[k]:
                del self.postings[k]
        for other in self.edges.pop(s, {}):
            self.edges[other].pop(s, None)
        self.vec.pop(s, None)

    def _index(self, s: str, window: float) -> None:
        f = self.feats[s]
        if f.pin == "none":
            return
        blocks: dict[str, dict[str, float]] = {"t": {}, "l": {}}
        rare = set()
        for t, n in f.terms:
            p = _plain(t)
            idf = _quantise_idf(self.df[p], self.nq)
            blocks[ENTITY_BLOCK if t[0] == "e" else t[0]][t] = (1 + math.log(n)) * idf
            if idf >= RARE_BITS:
                rare.add(p)
        vec: dict[str, float] = {}
        for name, block in blocks.items():
            norm = math.sqrt(sum(w * w for w in block.values()))
            if norm:
                scale = FIELD_WEIGHTS[name] / norm
                vec.update((t, w * scale) for t, w in block.items())
        total = math.sqrt(sum(w * w for w in vec.values()))
        self.vec[s] = {t: w / total for t, w in vec.items()} if total else {}
        bucket = int(f.when // window)
        keys = tuple((p, bucket) for p in sorted(rare))
        self.rare[s] = keys
        for k in keys:
            self.postings[k].add(s)

    def _link(self, s: str, window: float, settings: StorySettings) -> None:
        f = self.feats[s]
        if f.pin == "none":
            return
        mine = self.vec[s]
        floor = EDGE_FLOOR * settings.join
        candidates: set[str] = set()
        for p, bucket in self.rare[s]:
            for b in (bucket - 1, bucket, bucket + 1):
                candidates |= self.postings.get((p, b), set())
        candidates.discard(s)
        for o in candidates:
            if o in self.edges[s]:
                continue
            gap = abs(self.feats[o].when - f.when)
            if gap > window:
                continue
            theirs = self.vec[o]
            small, large = (mine, theirs) if len(mine) <= len(theirs) else (theirs, mine)
            shared = small.keys() & large.keys()
            if len(shared) < MIN_SHARED:
                continue  # two near-empty texts ("Body text.") are not one story
            dot = sum(small[t] * large[t] for t in shared)
            sim = dot * (1 - TIME_FADE * gap / window)
            if sim >= floor:
                self.edges[s][o] = sim
                self.edges[o][s] = sim

    # ------------------------------------------------------------------ near-duplicates
    def _unsketch(self, s: str, f: StoryFeatures | None) -> None:
        if f is not None and f.sketch:
            for b in range(BANDS):
                k = (b, f.sketch[b * ROWS:(b + 1) * ROWS])
                self.bands[k].discard(s)
                if not self.bands[k]:
                    del self.bands[k]
        for other in self.dups.pop(s, set()):
            self.dups[other].discard(s)

    def _sketch_in(self, s: str, settings: StorySettings) -> None:
        f = self.feats[s]
        if not f.sketch:
            return
        candidates: set[str] = set()
        for b in range(BANDS):
            k = (b, f.sketch[b * ROWS:(b + 1) * ROWS])
            candidates |= self.bands[k]
            self.bands[k].add(s)
        for o in candidates:
            g = self.feats[o]
            if abs(g.when - f.when) <= NEAR_DUPLICATE_DAYS * DAY \
                    and resemblance(f.sketch, g.sketch) >= settings.near_duplicate:
                self.dups[s].add(o)
                self.dups[o].add(s)

    # ------------------------------------------------------------------ grouping
    def _pin_partners(self, s: str) -> set[str]:
        f = self.feats[s]
        out = set(self.pinned.get(s, ()))  # articles that name this one
        if f.pin is not None and f.pin != "none":
            out |= self.pinned[f.pin]
            if f.pin in self.feats and self.feats[f.pin].pin != "none":
                out.add(f.pin)
        out.discard(s)
        return out

    def _regroup(self, seeds: set[str], settings: StorySettings) -> None:
        """Group the connected parts of the graph that hold a seed again, from scratch."""
        part: set[str] = set()
        todo = sorted(seeds)
        while todo:
            s = todo.pop()
            if s in part:
                continue
            part.add(s)
            for o in (*self.edges.get(s, ()), *self.dups.get(s, ()), *self._pin_partners(s)):
                if o not in part:
                    todo.append(o)
        for s in part:
            k = self.story_key.pop(s, None)
            if k is not None:
                self.groups.pop(k, None)
                self.made.pop(k, None)
        for members in group_part(sorted(part), self.feats, self.edges, self.dups, self._pin_partners,
                                  settings):
            k = members[0]
            self.groups[k] = members
            for s in members:
                self.story_key[s] = k

    # ------------------------------------------------------------------ the result
    def _stories(self, by_slug: dict[str, Article]) -> Stories:
        made: dict[str, Story] = {}
        for k, members in self.groups.items():
            if len(members) < 2:
                continue
            old = self.made.get(k)
            if old is not None and all(a is by_slug.get(a.slug) for a in old.articles):
                made[k] = old
            else:
                made[k] = Story(k, tuple(by_slug[s] for s in members))
        self.made = made
        named = _name_stories(made, self.feats)
        stories = tuple(sorted(named.values(), key=lambda st: st.slug))
        story_of = {a.slug: st for st in stories for a in st.articles}
        return Stories(stories, story_of, self.groups)


def group_part(part: Sequence[str], feats: dict[str, StoryFeatures], edges: dict[str, dict[str, float]],
               dups: dict[str, set[str]], pin_partners: Callable[[str], set[str]],
               settings: StorySettings) -> list[tuple[str, ...]]:
    """Stories of one connected part, assigned unit by unit in (date, slug) order."""
    parent = {s: s for s in part}

    def find(s: str) -> str:
        while parent[s] != s:
            parent[s] = parent[parent[s]]
            s = parent[s]
        return s

    def order(s: str) -> tuple[float, str]:
        return (feats[s].when, s)

    for s in part:
        for o in (*dups.get(s, ()), *pin_partners(s)):
            if o in parent:
                a, b = find(s), find(o)
                if a != b:
                    parent[max(a, b, key=order)] = min(a, b, key=order)
    units: dict[str, list[str]] = defaultdict(list)
    for s in sorted(part, key=order):
        units[find(s)].append(s)
    window = settings.window_days * DAY
    story_of: dict[str, int] = {}
    stories: list[list[str]] = []
    times: list[list[float]] = []  # each story's member times, sorted
    for root in sorted(units, key=order):
        unit = units[root]
        start = feats[unit[0]].when
        sums: dict[int, float] = defaultdict(float)
        tops: dict[int, float] = defaultdict(float)
        for x in unit:
            for m, sim in edges.get(x, {}).items():
                i = story_of.get(m)
                if i is not None:
                    sums[i] += sim
                    tops[i] = max(tops[i], sim)
        best, best_score = -1, settings.join
        for i in sorted(sums):
            if start - times[i][0] > SPAN_WINDOWS * window:
                continue  # one event's coverage: a story stops growing, so a topic's stories never chain
            near = len(times[i]) - bisect_left(times[i], start - window)
            if not near:
                continue
            score = (1 - BEST_SHARE) * sums[i] / (near * len(unit)) + BEST_SHARE * tops[i]
            if score >= best_score and (best < 0 or score > best_score):
                best, best_score = i, score
        if best < 0:
            best = len(stories)
            stories.append([])
            times.append([])
        stories[best].extend(unit)
        for x in unit:
            story_of[x] = best
            insort(times[best], feats[x].when)
    return [tuple(sorted(members, key=order)) for members in stories]


def _name_stories(made: dict[str, Story], feats: dict[str, StoryFeatures]) -> dict[str, Story]:
    """A story named by a human (``story: Some name`` naming no article) takes that name's slug; the
    others keep their first article's. A name wanted twice gets -2, -3 in order of the stories' keys."""
    renamed: dict[str, Story] = {}
    taken = set(made)
    for k in sorted(made):
        story = made[k]
        labels = sorted({f.pin for a in story.articles if (f := feats[a.slug]).pin and f.pin != "none"
                         and f.pin not in feats})
        if labels and labels[0] != k:
            slug = free_slug(labels[0], lambda x: x in taken)
            taken.add(slug)
            story = Story(slug, story.articles)
        renamed[k] = story
    return renamed


def find_stories(articles: Iterable[Article], settings: StorySettings, aliases: dict[str, str] | None = None,
                 memo: StoryMemo | None = None) -> Stories:
    """The stories among ``articles`` (published ones, unique slugs).

    ``aliases``: entity slug → the canonical entity's slug (``entities.alias_slugs``)."""
    return (memo or StoryMemo()).update(list(articles), settings, aliases or {})
