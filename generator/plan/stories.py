"""Story pages (``stories/<slug>/``), one card per story in listings, and one feed entry per story.

A story of two or more articles (``taxonomy.stories``) gets a page listing every version with its outlet,
date and link; each member's article page links to it ("Also reported by …"). In a listing the story
takes one card, at the place of its newest member there, headlined by its first version and counting
its outlets. Topic feeds carry the story's first version once, updated when another outlet joins.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import compress
from operator import is_not
from typing import TYPE_CHECKING, NamedTuple

from generator.model import Article, Quote
from generator.plan.memo import digested
from generator.plan.summary import facts_of
from generator.plan.views import ArticleView, Card, Job, TopicLink
from generator.slug import slugify
from generator.taxonomy import Story

if TYPE_CHECKING:
    from generator.plan import SitePlanner


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


def body_words(article: Article) -> int:
    return facts_of(article).words


def outlet_of(article: Article) -> str:
    return article.source or (article.sources[0].name if article.sources else "") or "Unknown outlet"


class StoryFacts(NamedTuple):
    """One story as planned: kept while its members are the same records and none of them changed."""

    articles: tuple[Article, ...]
    slugs: tuple[str, ...]
    view: StoryView
    sig: str  # what its card, its members' pages and digests show: members' (but their text), the summary's
    entry: str  # its entry in topic feeds: the first version, text and all
    card: Card
    job: Job


class StoryPlanner:
    """Story views, cards and pages for one ``SitePlanner``; a story is planned again only when one of
    its members changed (or the people pages and topic order its view shows)."""

    def __init__(self, planner: SitePlanner) -> None:
        self.planner = p = planner
        self.stories = p.index.stories
        people = frozenset(g.slug for g in p.index.people)
        key = (people, tuple(t.slug for t in p.index.topics))
        memo, stories = p.memo, self.stories.stories
        old, reusable = memo.stories, memo.story_key == key
        positions: Iterable[int] = range(len(stories))
        facts: dict[str, StoryFacts] = {}
        if reusable and p.aligned and len(stories) == len(memo.story_list):
            # Only new records changed: a story that is last build's own object has the same members.
            differ = list(compress(positions, map(is_not, stories, memo.story_list)))
            if all(stories[i].slug == memo.story_list[i].slug for i in differ):
                positions, facts = differ, old  # updated in place
        self.remade: list[int] | None = []  # where stories were planned again (None: made or undone too)
        touched: set[str] = set()  # their members, old and new
        for i in positions:
            story = stories[i]
            hit = old.get(story.slug)
            if reusable and hit is not None and p.changed.isdisjoint(hit.slugs) and hit.articles == story.articles:
                facts[story.slug] = hit
                continue
            facts[story.slug] = made = self._facts(story, people, hit)
            if self.remade is not None:
                self.remade.append(i)
            touched.update(made.slugs, hit.slugs if hit is not None else ())
            p.track([hit.job] if hit is not None else [], [made.job])
        if facts is not old:
            for slug, gone in old.items():
                if slug not in facts:
                    self.remade = None
                    touched.update(gone.slugs)
                    p.dropped.append(gone.job)
        if facts is not old and list(facts) != list(old):
            self.remade = None
        p.changed |= touched
        self.facts = memo.stories = facts
        memo.story_key, memo.story_list = key, stories

    def _facts(self, story: Story, people: frozenset[str], old: StoryFacts | None) -> StoryFacts:
        p = self.planner
        complete = max(story.articles, key=body_words)  # whose summary the story shows (ties: the first version)
        view = self._view(story, people, complete)
        sig = f"story:{story.slug}:{','.join(p.facts[a.slug].sig for a in story.articles)}:{complete.slug}"
        job = Job(view.path + "index.html", "story.html", p.frame.page(view.path, story=view),
                  [sig, repr(view.people), repr(view.topics)])
        digested([job], [old.job] if old is not None else (), p.template_fps, p.global_fingerprint)
        return StoryFacts(story.articles, tuple(a.slug for a in story.articles), view, sig,
                          f"{sig}:{story.first.content_hash}", Card(view, sig, story.slug), job)

    def _view(self, story: Story, people_pages: frozenset[str], complete: Article) -> StoryView:
        p = self.planner
        members = tuple(p.facts[a.slug].view for a in story.articles)
        outlets = tuple(dict.fromkeys(outlet_of(a) for a in story.articles))
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
            quotes=tuple((p.facts[a.slug].view, q) for a in story.articles for q in a.quotes),
            section=story.first.section)

    def story_of(self, article: Article) -> StoryView | None:
        story = self.stories.story_of.get(article.slug)
        return self.facts[story.slug].view if story is not None else None

    def sig_of(self, article: Article) -> str:
        story = self.stories.story_of.get(article.slug)
        return self.facts[story.slug].sig if story is not None else ""

    def cards(self, articles: Sequence[Article]) -> list[Card]:
        """One card per story (at its first member in ``articles``: the newest, in site order)."""
        facts = self.planner.facts
        story_of = self.stories.story_of
        if not story_of:
            return [facts[a.slug].card for a in articles]
        seen: set[str] = set()
        cards = []
        for a in articles:
            story = story_of.get(a.slug)
            if story is None:
                cards.append(facts[a.slug].card)
            elif story.slug not in seen:
                seen.add(story.slug)
                cards.append(self.facts[story.slug].card)
        return cards

    def feed_items(self, articles: Sequence[Article], limit: int) -> list[tuple[ArticleView, str, datetime | None]]:
        """A topic feed's first ``limit`` entries: (article, fingerprint, updated). A story is one entry,
        its first version, dated by its newest member in the feed's order."""
        story_of = self.stories.story_of
        facts = self.planner.facts
        items: list[tuple[ArticleView, str, datetime | None]] = []
        seen: set[str] = set()
        for a in articles:
            if len(items) == limit:
                break
            story = story_of.get(a.slug)
            if story is None:
                items.append((facts[a.slug].view, facts[a.slug].entry, a.date))
            elif story.slug not in seen:
                seen.add(story.slug)
                items.append((facts[story.first.slug].view, self.facts[story.slug].entry, a.date))
        return items

    def sitemap_urls(self) -> list[tuple[str, str | None]]:
        """(url, last change) of every story page (a new list when one changed: last build's sitemap key
        holds the old one)."""
        kept, base = self.planner.memo.sitemap, self.planner.base
        urls: list[tuple[str, str | None]] | None = kept.get("stories")
        if urls is None or self.remade is None:
            urls = [(base + f.view.path, f.view.iso_date or None) for f in self.facts.values()]
        elif self.remade:
            urls = list(urls)
            for i in self.remade:
                view = self.facts[self.stories.stories[i].slug].view
                urls[i] = (base + view.path, view.iso_date or None)
        kept["stories"] = urls
        return urls
