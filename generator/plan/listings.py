"""Listings: paginated cards (one per article, or per story) with a page's own panels, and their feeds.

A listing is one section of the plan memo, with what it takes to patch it: where each member's card is.
When a member changed but the listing's **layout** did not (the same members in the same order, each in
the same story as before), only the changed cards are made again and only the pages holding them are
planned again; the page's own panels (a topic's timeline and key people, a person's quotes) are kept
when the changed members differ from their last version in the body alone. Otherwise (a member came,
went or moved; a story was made or undone) the whole listing is planned again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import compress
from operator import attrgetter, is_not
from typing import TYPE_CHECKING, Any

from generator.model import Article
from generator.plan.memo import Section, digested
from generator.plan.views import Alternate, Card, Job, Pagination

if TYPE_CHECKING:
    from generator.plan import SitePlanner

Extra = dict[str, Any] | Callable[[], tuple[dict[str, Any], str]]  # a page's own context (and its fingerprint)
FeedSpec = tuple[str, str, str, bool]  # title, subtitle, key, one entry per story
_slug = attrgetter("slug")


@dataclass
class Listing(Section):
    """A listing as last planned (``jobs``: its pages, then its feeds)."""

    at: dict[str, int] | None = None  # member slug -> index of its card
    cards: list[Card] | None = None
    context: dict[str, Any] | None = None  # the page's own context
    told: str = ""  # its fingerprint
    pages: int = 0


def page_path(base: str, n: int) -> str:
    return base if n == 1 else f"{base}page/{n}/"


def same_but_body(old: Article, new: Article) -> bool:
    """Whether two versions of an article differ in their text alone (what listings' panels never show)."""
    return replace(old, body=new.body, content_hash=new.content_hash, word_count=new.word_count,
                   reading_time=new.reading_time) == new


def _face(card: Card) -> tuple[object, ...]:
    view = card.view
    return view.title, view.date, view.path, getattr(view, "outlets", 1)


class ListingPlanner:
    """Plans one listing for a ``SitePlanner``, from its memo when it can."""

    def __init__(self, planner: SitePlanner, base: str, template: str, articles: Sequence[Article], extra: Extra,
                 alternates: Sequence[Alternate], key: str, feeds: FeedSpec | None) -> None:
        self.p = planner
        self.base, self.template, self.articles, self.extra = base, template, articles, extra
        self.alternates, self.key, self.feeds = alternates, key, feeds
        self.per_page = planner.config.per_page

    def plan(self, name: str, key: tuple[object, ...]) -> None:
        """Plan the listing into the memo; ``key``: (its members, then whatever else decides its pages)."""
        p = self.p
        old = p.memo.sections.get(name)
        if not isinstance(old, Listing):
            old = None
        touched = p.changed & old.shows if old is not None else set()
        if old is not None and not touched and old.key == key:
            return
        if old is not None and isinstance(old.key, tuple) and old.key[1:] == key[1:] \
                and self._same_layout(old, old.key[0], touched):
            listing = self._patch(old, touched)
        else:
            listing = self._make(old, tuple(map(_slug, self.articles)))
        listing.key = key
        p.memo.sections[name] = listing
        p.track(old.jobs if old is not None else [], listing.jobs)

    def _same_layout(self, old: Listing, members: Sequence[Article], touched: set[str]) -> bool:
        """Whether the cards are where they were: the same members in the same order (only new records
        of the same slugs, found by identity: no member is looked into), each in the same story as before."""
        articles = self.articles
        if len(articles) != len(members):
            return False
        for i in compress(range(len(articles)), map(is_not, articles, members)):
            if articles[i].slug != members[i].slug:
                return False
        assert old.at is not None and old.cards is not None
        story_of = self.p.index.stories.story_of
        for slug in touched:
            story = story_of.get(slug)
            if old.cards[old.at[slug]].story != (story.slug if story is not None else None):
                return False
        return True

    def _card(self, slug: str) -> Card:
        story = self.p.index.stories.story_of.get(slug)
        return self.p.stories.facts[story.slug].card if story is not None else self.p.facts[slug].card

    def _patch(self, old: Listing, touched: set[str]) -> Listing:
        """``old`` with the changed members' cards made again, and the pages that hold them."""
        assert old.at is not None and old.cards is not None and old.context is not None
        p = self.p
        cards = list(old.cards)
        dirty: set[int] = set()
        panels_kept = True
        for slug in touched:
            i = old.at[slug]
            card = cards[i] = self._card(slug)
            dirty.add(i // self.per_page + 1)
            before = p.last(slug)
            if before is None or not same_but_body(before.article, p.facts[slug].article) \
                    or _face(old.cards[i]) != _face(card):
                panels_kept = False
        context, told = (old.context, old.told) if panels_kept else self._extra()
        pages = old.jobs[:old.pages]
        numbers = sorted(dirty) if told == old.told else range(1, old.pages + 1)
        fresh = digested([self._page(cards, n, old.pages, context, told) for n in numbers], pages,
                         p.template_fps, p.global_fingerprint)
        for n, job in zip(numbers, fresh, strict=True):
            pages[n - 1] = job
        reach = self._undated() + p.config.feed.items  # the feeds show no card from here on
        if all(old.at[slug] >= reach for slug in touched):
            return Listing(None, old.shows, pages + old.jobs[old.pages:], old.at, cards, context, told, old.pages)
        return self._listing(old, old.shows, old.at, cards, context, told, pages)

    def _make(self, old: Listing | None, slugs: tuple[str, ...]) -> Listing:
        cards = self.p.cards(self.articles)
        at: dict[str, int] = {}
        index = {(c.story is not None, c.story or c.view.slug): i for i, c in enumerate(cards)}
        story_of = self.p.index.stories.story_of
        for slug in slugs:
            story = story_of.get(slug)
            at[slug] = index[(True, story.slug) if story is not None else (False, slug)]
        context, told = self._extra()
        total = max(1, -(-len(cards) // self.per_page))
        pages = digested([self._page(cards, n, total, context, told) for n in range(1, total + 1)],
                         old.jobs if old is not None else (), self.p.template_fps, self.p.global_fingerprint)
        return self._listing(old, frozenset(slugs), at, cards, context, told, pages)

    def _listing(self, old: Listing | None, shows: frozenset[str], at: dict[str, int], cards: list[Card],
                 context: dict[str, Any], told: str, pages: list[Job]) -> Listing:
        feeds = digested(self._feeds(), old.jobs[old.pages:] if old is not None else (), self.p.template_fps,
                         self.p.global_fingerprint)
        return Listing(None, shows, pages + feeds, at, cards, context, told, len(pages))

    def _undated(self) -> int:
        """Held articles without a date (a --drafts build) sort first; a feed entry needs a date."""
        undated, articles = 0, self.articles
        while undated < len(articles) and articles[undated].date is None:
            undated += 1
        return undated

    def _extra(self) -> tuple[dict[str, Any], str]:
        return (self.extra, "") if isinstance(self.extra, dict) else self.extra()

    def _page(self, cards: list[Card], n: int, total: int, context: dict[str, Any], told: str) -> Job:
        base, per_page = self.base, self.per_page
        chunk = cards[(n - 1) * per_page: n * per_page]
        page_dir = page_path(base, n)
        pagination = Pagination(n, total, page_path(base, n - 1) if n > 1 else None,
                                page_path(base, n + 1) if n < total else None)
        page = self.p.frame.page(page_dir, self.alternates, **context, articles=[c.view for c in chunk],
                                 pagination=pagination)
        return Job(page_dir + "index.html", self.template, page, [self.key + told, f"{n}/{total}",
                                                                   *(c.sig for c in chunk)])

    def _feeds(self) -> Iterator[Job]:
        """RSS, Atom and JSON feeds of the listing; a topic's carry one entry per story."""
        if self.feeds is None:
            return iter(())
        title, subtitle, key, per_story = self.feeds
        p, articles = self.p, self.articles
        undated = self._undated()
        items = p.config.feed.items
        if per_story:
            rows = p.stories.feed_items(articles[undated:], items)
        else:
            rows = [(f.view, f.entry, a.date) for a in articles[undated: undated + items] if (f := p.facts[a.slug])]
        return p.feeds.jobs(self.base, title, subtitle, rows, key)
