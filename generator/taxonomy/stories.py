"""Stories: one piece of news told by several outlets, found among the articles (Taxonomy, pure).

Two passes, in the manner of Miranda et al., "Multilingual clustering of streaming news" (EMNLP 2018):

1. **Near-duplicates** (wire copies, light rewrites): articles whose opening word 3-shingles have a
   Jaccard resemblance of at least ``near_duplicate`` are one unit. Candidates come from LSH on the
   one-permutation MinHash sketches of ``storytext`` (16 bands of 4 bins), then the sketches decide.
2. **Same event**: each article is a TF-IDF vector over its title terms (weighted most), lead terms and
   entities; two articles within ``window_days`` of each other that share a rare term are compared
   (cosine, fading a little with the time between them; where many do, an article is compared with a
   bounded number of them: ``storylinks``). Units are then assigned **in a fixed order**
   (date, then slug): each joins the story it is most similar to on average (over the story's articles
   within the window) when that is at least ``join``, or starts a new story.

A story's slug is its first article's slug (a human-named story: its name), so it does not change when
a later article joins. Front matter overrides: ``story: none`` keeps an article out; ``story: X`` joins
the story of article X (X a story or article slug), or groups all articles naming X.

Exactness and speed: the result is a function of the articles alone (a watch-mode rebuild equals a cold
build), and ``StoryMemo`` keeps what a long-lived build needs to redo only what an edit touches. IDF
comes from the whole site's document frequencies, quantised (half-bit steps, N rounded up to a power of
two), so one article's edit changes the weights, and so the similarities, of the few articles sharing a
term whose step moved; units are assigned again only from the first one an edit can change until the
assignments come out as before (``storygroups``). The index (``storyindex``) keeps terms as integer ids
in compact arrays, so the memo is small to keep in memory and quick to store for the next process.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from generator.model import Article
from generator.slug import free_slug
from generator.taxonomy.storygroups import Span, assign
from generator.taxonomy.storyindex import DAY, Features, StoryIndex, site_size
from generator.taxonomy.storylinks import EDGE_FLOOR, Choice, choices, chosen, link
from generator.taxonomy.storytext import StoryText

MEMO_VERSION = 3  # what StoryMemo pickles; another version is not read (3: edges of the closed-article rule)


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


class StoryMemo:
    """Everything clustering knows between two builds; an empty memo gives the same stories, only slower.

    Build keeps it in the render cache: what it pickles is the index's arrays and the groups (articles
    are recognised again by their file's content hash), about 13 MB at 10,000 articles."""

    def __init__(self) -> None:
        self.key: object = None
        self.index = StoryIndex()
        self.story_key: dict[str, str] = {}  # slug → key of its story (the first member's slug)
        self.groups: dict[str, tuple[str, ...]] = {}  # story key → members in order
        self.made: dict[str, Story] = {}  # story key → the Story last made of it (2+ articles)
        self.story_of: dict[str, Story] = {}  # article slug → its story, as last made
        self.result: Stories | None = None  # what the last update gave
        self.texts: dict[str, StoryText] = {}  # content hash → its text, as the read step made it
        self.dirty = False  # changed since it was last stored (Build keeps it in the render cache)

    def __getstate__(self) -> dict[str, object]:
        return {"version": MEMO_VERSION, "key": self.key, "index": self.index, "groups": self.groups}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__init__()  # type: ignore[misc]
        if state.get("version") == MEMO_VERSION:  # another version's memo: start empty (same stories, slower)
            index, groups = state["index"], state["groups"]
            assert isinstance(index, StoryIndex) and isinstance(groups, dict)
            self.key, self.index, self.groups = state["key"], index, groups
            self.story_key = {s: k for k, members in self.groups.items() for s in members}

    def learn(self, texts: Mapping[str, StoryText]) -> None:
        """Texts of articles parsed elsewhere (the read step's workers), by the file's content hash."""
        self.texts.update(texts)

    # ------------------------------------------------------------------ the update
    def update(self, articles: Sequence[Article], settings: StorySettings, aliases: dict[str, str]) -> Stories:
        key = (settings, tuple(sorted(aliases.items())))
        if key != self.key:
            texts = self.texts
            self.__init__()  # type: ignore[misc]
            self.key, self.texts = key, texts
        ix = self.index
        ids, seen, same_file = ix.ids, ix.article, ix.same_file
        fresh: list[Article] = []
        swapped: list[str] = []  # articles seen before as another object of the same file
        known = 0
        for a in articles:
            i = ids.get(a.slug)
            if i is not None:
                known += 1
                if seen[i] is a:
                    continue
                if same_file(i, a):
                    seen[i] = a
                    swapped.append(a.slug)
                    continue
            fresh.append(a)
        removed: list[str] = []
        if known < len(ids):
            current = {a.slug for a in articles}
            removed = [s for s in ids if s not in current]
        texts = self.texts
        changed: dict[str, tuple[Article, Features]] = {}
        for a in fresh:
            f = ix.features(a, texts.pop(a.content_hash, None) if a.content_hash else None, aliases)
            i = ids.get(a.slug)
            if i is not None and ix.same_features(i, f):
                seen[i], ix.hash[i] = a, a.content_hash
                swapped.append(a.slug)
            else:
                changed[a.slug] = (a, f)
        texts.clear()
        refresh = {self.story_key[s] for s in swapped if s in self.story_key}
        if removed or changed:
            self.dirty = True
            refresh |= self._change(removed, changed, settings, settings.window_days * DAY)
        return self._stories(refresh)

    def _change(self, removed: list[str], changed: dict[str, tuple[Article, Features]], settings: StorySettings,
                window: float) -> set[str]:
        """Take the changes into the index and assign again what they reach; the story keys touched."""
        ix = self.index
        ix.prepare()
        old = [ix.ids[s] for s in (*removed, *changed) if s in ix.ids]
        old_when = {ix.slug[i] or "": ix.when[i] for i in old}
        affected: set[int] = set(old)
        for i in old:
            affected |= ix.unit_links(i)
        touched: dict[int, int] = {}
        ix.count_terms(old, -1, touched)
        for i in old:
            ix.undup(i)
            ix.pin_out(i)
            ix.unplace(i)
        new: list[int] = []
        for s, (a, f) in changed.items():
            known = ix.ids.get(s)
            i = ix.add(s, a) if known is None else known
            ix.set_features(i, a, f)
            ix.pin_in(i)
            new.append(i)
        ix.place(new)
        ix.count_terms(new, +1, touched)
        gone = [ix.ids[s] for s in removed]

        # Document frequencies; the articles whose weights move with them.
        nq = site_size(len(ix.ids) - len(gone))
        dirty = set(new)
        if nq != ix.nq:
            ix.nq = nq
            ix.set_idf(range(len(ix.df)))
            dirty = set(ix.live()) - set(gone)
        else:
            dirty |= ix.holding(ix.set_idf(touched)) - set(gone)
        # The articles near an edit whose choice of what to compare with it changes are linked again too.
        whole = len(dirty) + len(gone) >= len(ix.ids)  # every article linked again: nothing to add
        before: dict[int, Choice] = {}
        if not whole:  # (as they were: at the old dates)
            now = {i: ix.when[i] for i in old}
            for i in old:
                ix.when[i] = old_when[ix.slug[i] or ""]
            before = choices(ix, (*gone, *dirty), window, dirty | set(gone))
            for i, at in now.items():
                ix.when[i] = at
        for i in (*gone, *dirty):
            affected.update(ix.nbrs[i])
            ix.unindex(i)
        gone_slugs = {}
        for i in gone:
            gone_slugs[i] = ix.slug[i] or ""
            ix.drop(i)
        affected |= dirty
        ix.index(sorted(dirty), window)
        if not whole:
            after = choices(ix, dirty, window, dirty)
            crowded = {i for i in before.keys() | after.keys()
                       if (before[i] if i in before else chosen(ix, i, window, dirty)[1])
                       != (after[i] if i in after else chosen(ix, i, window)[1])}
            for i in crowded:
                affected.update(ix.nbrs[i])
                ix.unindex(i)
            ix.index(sorted(crowded), window)
            affected |= crowded
            dirty |= crowded
        link(ix, dirty, window, EDGE_FLOOR * settings.join)
        ix.find_duplicates(set(new), settings.near_duplicate)
        for i in dirty:
            affected.update(ix.nbrs[i])
        for i in new:
            affected |= ix.unit_links(i)

        # Where the assignment may change: from the earliest story an affected article was in, or the
        # earliest unit it is in now, to the latest time it had or has.
        old_key = self.story_key
        spans: list[Span] = []
        for i in affected:
            s = gone_slugs.get(i) or ix.slug[i] or ""
            firsts, lasts = [], []
            k = old_key.get(s)
            if k is not None:
                kw = old_when.get(k)
                if kw is None:
                    j = ix.ids.get(k)
                    kw = ix.when[j] if j is not None else float("-inf")  # (never: a key is a live article)
                firsts.append((kw, k))
                lasts.append(old_when.get(s, ix.when[i]))
            if i not in gone_slugs:
                firsts.append(ix.order(ix.unit(i)[0]))
                lasts.append(ix.when[i])
            if firsts:
                spans.append((min(firsts), max(lasts)))
        new_key = assign(ix, old_key, self.groups, spans, window, settings.join)

        # The groups of every story that lost or gained an article.
        keys = {old_key[s] for s in removed if s in old_key}
        replayed: dict[str, str] = {}
        for i, k in new_key.items():
            s = ix.slug[i] or ""
            replayed[s] = k
            keys.add(k)
            if s in old_key:
                keys.add(old_key[s])
        for s in removed:
            old_key.pop(s, None)
        members: dict[str, list[str]] = {k: [] for k in keys}
        for k in keys:
            for m in self.groups.pop(k, ()):
                if m not in replayed and old_key.get(m) == k:
                    members[k].append(m)
        for s, k in replayed.items():
            members[k].append(s)
            old_key[s] = k
        order, ids = ix.order, ix.ids
        for k, ms in members.items():
            if ms:
                self.groups[k] = tuple(sorted(ms, key=lambda m: order(ids[m])))
        return keys

    # ------------------------------------------------------------------ the result
    def _stories(self, refresh: set[str]) -> Stories:
        """The stories, made again only for the keys in ``refresh`` (all of them after loading)."""
        if self.result is not None and not refresh:
            return self.result
        ix = self.index
        ids, seen = ix.ids, ix.article
        made = self.made
        if self.result is None:
            made.clear()
            refresh = set(self.groups)
        before = {k: made.pop(k) for k in refresh if k in made}
        for k in refresh:
            members = self.groups.get(k, ())
            if len(members) >= 2:
                made[k] = Story(k, tuple(seen[ids[s]] for s in members))  # type: ignore[misc]
        if ix.has_pins():
            named = _name_stories(made, ix)
            self.story_of = {a.slug: st for st in named.values() for a in st.articles}
        else:
            named = made
            story_of = self.story_of if self.result is not None else {}
            for story in before.values():
                for a in story.articles:
                    if story_of.get(a.slug) is story:
                        del story_of[a.slug]
            for k in refresh:
                if k in made:
                    for a in made[k].articles:
                        story_of[a.slug] = made[k]
            self.story_of = story_of
        self.result = Stories(tuple(sorted(named.values(), key=lambda st: st.slug)), dict(self.story_of), self.groups)
        return self.result


def _name_stories(made: dict[str, Story], ix: StoryIndex) -> dict[str, Story]:
    """A story named by a human (``story: Some name`` naming no article) takes that name's slug; the
    others keep their first article's. A name wanted twice gets -2, -3 in order of the stories' keys."""
    renamed: dict[str, Story] = {}
    taken = set(made)
    pins = ix.has_pins()
    for k in sorted(made):
        story = made[k]
        if pins:
            labels = sorted({p for a in story.articles if (p := ix.pin[ix.ids[a.slug]]) and p != "none"
                             and p not in ix.ids})
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
