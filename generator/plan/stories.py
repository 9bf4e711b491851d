"""Story pages (``stories/<slug>/``), one card per story in listings, and one feed entry per story.

A story of two or more articles (``taxonomy.stories``) gets a page listing every version with its outlet,
date and link; each member's article page links to it ("Also reported by …"). In a listing the story
takes one card, at the place of its newest member there, headlined by its first version and counting
its outlets. Topic feeds carry the story's first version once, updated when another outlet joins.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from generator.model import Article, Quote
from generator.slug import slugify
from generator.taxonomy import Story

if TYPE_CHECKING:
    from generator.plan import ArticleView, FeedEntry, Job, SitePlanner, TopicLink


@dataclass(frozen=True)
class StoryView:
    """A story as templates see it; its card fields match an ``ArticleView``'s (the card macro shows both)."""

    slug: str
    path: str
    title: str  # the first version's headline
    summary: str | None  # from the most complete version
    date: datetime | None  # the newest member's
    iso_date: str
    members: tuple[ArticleView, ...]  # first version first
    outlets: int  # distinct outlets among the members
    outlet_names: tuple[str, ...]
    topics: tuple[TopicLink, ...]
    people: tuple[tuple[str, str | None], ...]  # (name, path of their page or None)
    quotes: tuple[tuple[ArticleView, Quote], ...]
    section: str | None = None
    source: None = None
    reading_time: int = 0
    date_saved: bool = False
    review: tuple[str, ...] = ()
    draft: bool = False
    review_text: str = ""

    @property
    def first(self) -> ArticleView:
        return self.members[0]

    def others(self, slug: str) -> tuple[ArticleView, ...]:
        """The members other than article ``slug`` ("Also reported by")."""
        return tuple(m for m in self.members if m.path != f"articles/{slug}/")


class Card(NamedTuple):
    """One entry of a listing: an article or a story, and the fingerprint of what its card shows."""

    view: Any  # ArticleView | StoryView
    sig: str


# Word counts of article bodies by content hash: which version of a story is the most complete is asked on
# every plan, and splitting ten thousand bodies again each time cost half a second of a one-article rebuild.
_WORDS: dict[str, int] = {}


def body_words(article: Article) -> int:
    if not article.content_hash:
        return len(article.body.split())
    n = _WORDS.get(article.content_hash)
    if n is None:
        n = _WORDS[article.content_hash] = len(article.body.split())
    return n


def outlet_of(article: Article) -> str:
    return article.source or (article.sources[0].name if article.sources else "") or "Unknown outlet"


class StoryPlanner:
    """Story views and jobs for one ``SitePlanner``."""

    def __init__(self, planner: SitePlanner) -> None:
        self.planner = planner
        self.stories = planner.index.stories
        self.views: dict[str, StoryView] = {}
        self.sigs: dict[str, str] = {}
        people = {g.slug for g in planner.index.people}
        for story in self.stories.stories:
            self.views[story.slug] = self._view(story, people)
            self.sigs[story.slug] = "story:" + story.slug + ":" + ",".join(
                planner.sig[a.slug] for a in story.articles)

    def _view(self, story: Story, people_pages: set[str]) -> StoryView:
        p = self.planner
        members = tuple(p.views[a.slug] for a in story.articles)
        outlets = tuple(dict.fromkeys(outlet_of(a) for a in story.articles))
        complete = max(story.articles, key=body_words)  # ties: the first version
        topics: dict[str, TopicLink] = {}
        for m in members:
            for t in m.topics:
                topics.setdefault(t.slug, t)
        order = {t.slug: i for i, t in enumerate(p.index.topics)}
        names: dict[str, str] = {}
        for a in story.articles:
            for name in (*a.people, *(q.speaker for q in a.quotes if q.speaker)):
                names.setdefault(slugify(name), name)
        newest = story.newest
        return StoryView(
            slug=story.slug, path=f"stories/{story.slug}/", title=story.first.title,
            summary=complete.summary or story.first.summary, date=newest.date,
            iso_date=newest.date.isoformat() if newest.date else "", members=members, outlets=len(outlets),
            outlet_names=outlets, topics=tuple(sorted(topics.values(), key=lambda t: order.get(t.slug, 0))),
            people=tuple((n, f"people/{s}/" if s in people_pages else None) for s, n in names.items()),
            quotes=tuple((p.views[a.slug], q) for a in story.articles for q in a.quotes),
            section=story.first.section)

    def story_of(self, article: Article) -> StoryView | None:
        story = self.stories.story_of.get(article.slug)
        return self.views[story.slug] if story is not None else None

    def sig_of(self, article: Article) -> str:
        story = self.stories.story_of.get(article.slug)
        return self.sigs[story.slug] if story is not None else ""

    def cards(self, articles: Sequence[Article]) -> list[Card]:
        """One card per story (at its first member in ``articles``: the newest, in site order)."""
        p = self.planner
        story_of = self.stories.story_of
        if not story_of:
            return [Card(p.views[a.slug], p.sig[a.slug]) for a in articles]
        seen: set[str] = set()
        cards = []
        for a in articles:
            story = story_of.get(a.slug)
            if story is None:
                cards.append(Card(p.views[a.slug], p.sig[a.slug]))
            elif story.slug not in seen:
                seen.add(story.slug)
                cards.append(Card(self.views[story.slug], self.sigs[story.slug]))
        return cards

    def feed_items(self, articles: Sequence[Article]) -> list[tuple[Article, str, datetime | None]]:
        """A topic feed's entries: (article, fingerprint, updated). A story is one entry, its first
        version, dated by its newest member in the feed's order."""
        story_of = self.stories.story_of
        p = self.planner
        items: list[tuple[Article, str, datetime | None]] = []
        seen: set[str] = set()
        for a in articles:
            story = story_of.get(a.slug)
            if story is None:
                items.append((a, p.sig[a.slug], a.date))
            elif story.slug not in seen:
                seen.add(story.slug)
                items.append((story.first, self.sigs[story.slug], a.date))
        return items

    def entry(self, article: Article, updated: datetime | None) -> FeedEntry:
        entry = self.planner._entry(article)
        if updated is None or updated == entry.updated:
            return entry
        return replace(entry, updated=updated)

    def jobs(self) -> Iterator[Job]:
        from generator.plan import Job

        p = self.planner
        for story in self.stories.stories:
            view = self.views[story.slug]
            page_dir = view.path

            def context(view: StoryView = view, page_dir: str = page_dir) -> dict[str, Any]:
                ctx = p._common(page_dir)
                ctx.update(story=view)
                return ctx

            yield Job(page_dir + "index.html", "story.html", context,
                      [self.sigs[story.slug], repr(view.people), repr(view.topics)])

    def sitemap_urls(self) -> list[tuple[str, str | None]]:
        base = self.planner.base
        return [(base + v.path, v.iso_date or None) for v in self.views.values()]
