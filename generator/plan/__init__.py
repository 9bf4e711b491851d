"""The site as a list of output jobs: every page and feed, with what it shows and a fingerprint.

Planning is cheap (no rendering) and linear in the corpus. Each ``Job`` carries the inputs that decide
its bytes (the articles it lists, their content hashes, its page number…), so a build renders only the
jobs whose fingerprint changed: an edited article re-renders exactly the pages and feeds it appears in,
including after a title, date or topic change or a delete. With a ``PlanMemo`` from the last build
(``plan/memo.py``) only the sections that show a changed article are planned again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from functools import partial
from itertools import compress
from operator import is_not
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from generator.config import Config
from generator.model import Article
from generator.plan.digests import DigestPlanner, week_of
from generator.plan.entities import EntityPlanner
from generator.plan.feeds import FeedMaker
from generator.plan.listings import Extra, FeedSpec, ListingPlanner
from generator.plan.memo import Facts, PlanMemo, Section, digested
from generator.plan.opml import OPML_PATH, opml_outlines
from generator.plan.stories import StoryPlanner
from generator.plan.topics import topic_extra
from generator.plan.views import (
    GENERATOR,
    Alternate,
    ArticleView,
    Card,
    FeedRow,
    Frame,
    Job,
    Month,
    TopicLink,
    month_label,
    shown_hash,
)
from generator.slug import slugify
from generator.taxonomy import Group, SiteIndex

# Raised when the code (not a template) changes the bytes of an output, so that sites built before are
# rendered again instead of keeping the old bytes where nothing else changed. 2: feed.json compact.
OUTPUT_REVISION = 2

__all__ = ["GENERATOR", "TEMPLATES", "FeedRow", "Job", "PlanMemo", "Planned", "SitePlanner", "month_label"]

# Every template a job may name (their fingerprints are taken together, before planning).
TEMPLATES = ("404.html", "archive.html", "archives.html", "article.html", "atom.xml", "digest.html",
             "digest.txt", "digest_email.html", "digests.html", "entities.html", "entity.html", "feed.json",
             "feeds.opml", "index.html", "people.html", "person.html", "robots.txt", "rss.xml", "search.html",
             "sitemap.xml", "sources.html", "story.html", "tag.html", "tags.html", "topic.html", "topics.html")


def not_found_page(frame: Frame) -> Callable[[], dict[str, Any]]:
    """404.html is served for any missing path, at any depth: its links are relative to a ``<base>``,
    the path of ``site.url`` (where the site is published), so they resolve the same everywhere."""

    def context() -> dict[str, Any]:
        ctx = frame.common("")
        ctx.update(page_path="404.html", canonical=frame.base + "404.html", base_href=urlsplit(frame.base).path or "/")
        return ctx

    return context


class Planned(NamedTuple):
    """What one build's planning did to the memo's ``jobs`` (every output of the site)."""

    fresh: list[Job]  # the jobs planned in this build (the others are earlier builds', as they were)
    gone: set[str]  # the outputs the last plan had and this one has not
    whole: bool  # the memo started empty: every job is fresh (and ``gone`` is not known)


def _neighbour(articles: Sequence[Article], i: int) -> str:
    """What an article page shows of its newer/older neighbour: title and link."""
    if 0 <= i < len(articles):
        return f"{articles[i].slug}\0{articles[i].title}"
    return ""


class SitePlanner:
    """Plans the whole site into its memo (the live plan, ``plan/memo.py``): cheap (no rendering), linear
    in the corpus for a new memo, and in what changed for last build's."""

    def __init__(self, config: Config, index: SiteIndex, html: Callable[[Article], str],
                 memo: PlanMemo | None = None, template_fps: Mapping[str, str] | None = None) -> None:
        self.config = config
        self.index = index
        self.html = html
        self.base = config.site.url
        self.tz = config.tz
        counts = {t.slug: len(index.topic_articles.get(t.slug, ())) for t in index.topics}
        self.topic_links = {
            t.slug: TopicLink(t.name, t.slug, f"topics/{t.slug}/", counts[t.slug], t.description)
            for t in index.topics
        }
        self.nav_topics = [self.topic_links[t.slug] for t in index.topics if t.defined and counts[t.slug]]
        nav = ",".join(t.slug for t in self.nav_topics)
        stamp_text = f"{GENERATOR}\0{OUTPUT_REVISION}\0{config!r}\0{nav}"
        self.global_fingerprint = hashlib.sha256(stamp_text.encode()).hexdigest()
        self.template_fps = dict(template_fps or {})
        stamp = (self.global_fingerprint, self.template_fps)
        self.whole = memo is None or memo.stamp != stamp
        self.memo = PlanMemo(stamp) if self.whole or memo is None else memo
        self.frame = Frame(config, tuple(self.nav_topics))
        self.feeds = FeedMaker(self.frame, html, self.memo.entries)
        self.published_feeds: list[tuple[str, str]] = []  # (title, folder) of each feed.xml, for feeds.opml
        self.changed: set[str] = set()  # slugs whose view, card or story changed since the memo's build
        self.fresh: list[Job] = []  # jobs made in this build
        self.dropped: list[Job] = []  # jobs of the memo that this build's replaced or left out
        self.visited: set[str] = set()  # the sections of this build
        # An article's own links to its topics carry no count (the topics page shows counts; an article
        # page's fingerprint does not follow them).
        self.view_links = {slug: replace(link, count=0) for slug, link in self.topic_links.items()}
        self._facts()
        self.stories = StoryPlanner(self)
        self.entities = EntityPlanner(self)
        self.digests = DigestPlanner(self)

    def _facts(self) -> None:
        """Each article's view, fingerprint and card, made again only for a new record or other topics.

        ``aligned``: the same slugs in the same order as last time and the index's topics unchanged, so
        only records that are not last build's own are new (found by identity, at C speed, without
        looking into the ten thousand records of a big site)."""
        arts, memo = self.index.articles, self.memo
        self.aligned = False
        if self.index.article_topics is memo.article_topics and len(arts) == len(memo.articles):
            differ = list(compress(range(len(arts)), map(is_not, arts, memo.articles)))
            self.aligned = all(arts[i].slug == memo.order[i] for i in differ)
        self.order_before = memo.order
        if self.aligned:
            self.before = {arts[i].slug: memo.facts[arts[i].slug] for i in differ}  # their last facts
            for i in differ:
                memo.facts[arts[i].slug] = self._fact(arts[i])
            self.changed.update(self.before)
        else:
            self.before = memo.facts
            facts: dict[str, Facts] = {}
            for a in arts:
                hit = self.before.get(a.slug)
                if hit is not None and hit.article is a and hit.topics == self.index.article_topics.get(a.slug, ()):
                    facts[a.slug] = hit
                else:
                    facts[a.slug] = self._fact(a)
                    self.changed.add(a.slug)
            gone = self.before.keys() - facts.keys()
            self.changed.update(gone)
            for slug in gone:  # what the memo keeps by slug, of articles that are no more
                memo.entries.pop(slug, None)
                memo.names.pop(slug, None)
            memo.facts, memo.order = facts, tuple(facts)
            if memo.order != self.order_before:
                memo.position = None
        memo.articles, memo.article_topics = arts, self.index.article_topics
        self.facts = memo.facts

    def _fact(self, a: Article) -> Facts:
        topics = self.index.article_topics.get(a.slug, ())
        local = a.date.astimezone(self.tz) if a.date else None
        view = ArticleView(a, tuple(self.view_links[t.slug] for t in topics),
                           f"archive/{local.year:04d}/{local.month:02d}/" if local else "", self.html,
                           self.config.images == "link")
        sig = f"{a.slug}:{shown_hash(a)}:{','.join(t.slug for t in topics)}"
        return Facts(a, topics, view, sig, f"{sig}:{a.content_hash}", Card(view, sig),
                     week_of(a.date, self.tz) if a.date else None, (self.base + view.path, view.iso_date or None))

    def last(self, slug: str) -> Facts | None:
        """The article's facts as the memo's build had them (None: it is new)."""
        return self.before.get(slug, self.facts.get(slug)) if slug in self.changed else self.facts.get(slug)

    def feed_articles(self) -> list[Article]:
        """Articles shown in at least one feed: their bodies are worth keeping in the cache (the same list
        as last build's while the feeds' heads are the same records)."""
        n = self.config.feed.items
        heads = [self.index.articles[:n], *(m[:n] for m in self.index.topic_articles.values()),
                 *(g.articles[:n] for g in self.index.tags)]
        kept = self.memo.feed_heads
        if kept is not None and kept[0] == heads:
            return kept[1]
        seen: dict[str, Article] = {}
        for head in heads:
            seen.update((a.slug, a) for a in head)
        self.memo.feed_heads = (heads, list(seen.values()))
        return self.memo.feed_heads[1]

    # -- sections
    def track(self, old: Sequence[Job], new: Sequence[Job]) -> None:
        """A part of the plan replaced: ``new`` jobs (some may be ``old`` ones, kept) for ``old``."""
        if old:
            kept = set(map(id, new))
            self.dropped += [j for j in old if id(j) not in kept]
            kept = set(map(id, old))
            self.fresh += [j for j in new if id(j) not in kept]
        else:
            self.fresh += new

    def section(self, name: str, key: object, shows: Callable[[], Iterable[str]],
                make: Callable[[], Iterable[Job]]) -> list[Job]:
        """The jobs of one section: last build's when its key is equal and nothing it shows changed."""
        self.visited.add(name)
        old = self.memo.sections.get(name)
        if old is not None and self.changed.isdisjoint(old.shows) and old.key == key:
            return old.jobs
        jobs = digested(make(), old.jobs if old is not None else (), self.template_fps, self.global_fingerprint)
        self.memo.sections[name] = Section(key, frozenset(shows()), jobs)
        self.track(old.jobs if old is not None else (), jobs)
        return jobs

    def cards(self, articles: Sequence[Article]) -> list[Card]:
        """One card per story (at its first member in ``articles``: the newest, in site order)."""
        return self.stories.cards(articles)

    def listing(self, base: str, template: str, articles: Sequence[Article], extra: Extra,
                alternates: Sequence[Alternate] = (), key: str = "", site_wide: object = None,
                feeds: FeedSpec | None = None) -> None:
        """A paginated listing of cards, and its feeds (plan/listings.py); ``extra``: the page's own context,
        or a function giving it and its fingerprint (called only when the listing is planned again)."""
        if feeds is not None:
            self.published_feeds.append((feeds[0], base))
        name = base or "home"
        self.visited.add(name)
        ListingPlanner(self, base, template, articles, extra, alternates, key, feeds).plan(name, (articles, key,
                                                                                                  site_wide))

    # -- the site
    def plan(self, feed_rows: Sequence[FeedRow] | None = None) -> Planned:
        """Plan every output into the memo; ``feed_rows``: the sources page's (when feeds are configured)."""
        idx, cfg = self.index, self.config
        arts = idx.articles
        site_title = cfg.site.title
        self.listing("", "index.html", arts, {}, key="home", feeds=(site_title, cfg.site.description, "site", False))
        self.article_pages()

        topic_links = []
        site_newest = next((a.date for a in arts if a.date is not None), None)
        for topic in idx.topics:
            members = idx.topic_articles.get(topic.slug, ())
            if not members and not topic.defined:
                continue
            topic_links.append(self.topic_links[topic.slug])
            base = f"topics/{topic.slug}/"
            self.listing(base, "topic.html", members, partial(topic_extra, self, topic, members, site_newest),
                         [Alternate(topic.name, base)], key=f"topic:{topic!r}:",
                         site_wide=(site_newest, self.entities.epoch),
                         feeds=(f"{topic.name} — {site_title}",
                                topic.description or f"{topic.name} coverage from {site_title}", f"topic:{topic!r}",
                                True))
        self.index_job("topics/", "topics.html", "topics", topic_links)

        tag_links = []
        for group in idx.tags:
            base = f"tags/{group.slug}/"
            tag_links.append(TopicLink(group.name, group.slug, base, len(group.articles)))
            self.listing(base, "tag.html", group.articles, {"tag": {"name": group.name, "slug": group.slug}},
                         [Alternate(f"#{group.name}", base)], key=f"tag:{group.name}",
                         feeds=(f"{group.name} — {site_title}", f"Articles tagged {group.name}", f"tag:{group.name}",
                                False))
        self.index_job("tags/", "tags.html", "tags", tag_links)

        people_links = []
        for group in idx.people:
            base = f"people/{group.slug}/"
            people_links.append(TopicLink(group.name, group.slug, base, len(group.articles)))
            self.listing(base, "person.html", group.articles, partial(self._person, group),
                         key=f"person:{group.name}:")
        self.index_job("people/", "people.html", "people", people_links)
        self.entities.plan()
        if cfg.digests:
            self.digests.plan()  # (the story pages are planned with the stories' views)

        months = []
        for group in idx.months:
            year, month = (int(x) for x in group.slug.split("/"))
            m = Month(year, month, month_label(datetime(year, month, 1)), f"archive/{group.slug}/", len(group.articles))
            months.append(m)
            self.listing(m.path, "archive.html", group.articles, {"month": m}, key=f"month:{m!r}")
        self.index_job("archive/", "archives.html", "months", months)

        self._single(Job("404.html", "404.html", not_found_page(self.frame), ["404"]))
        self._single(Job("robots.txt", "robots.txt", dict, ["robots"]))
        self._sitemap(topic_links, months)
        self._subscribe_and_search()
        if feed_rows is not None:
            self._sources(feed_rows)
        return self._done()

    def _done(self) -> Planned:
        """Sections not planned in this build are gone; the memo's ``jobs`` take this build's."""
        memo = self.memo
        for name in memo.sections.keys() - self.visited:
            self.track(memo.sections.pop(name).jobs, ())
        fresh = self.fresh
        gone = {j.path for j in self.dropped} - {j.path for j in fresh}
        for path in gone:
            memo.jobs.pop(path, None)
        memo.jobs.update((j.path, j) for j in fresh)
        return Planned(fresh, gone, self.whole)

    def _person(self, group: Group) -> tuple[dict[str, Any], str]:
        """A person's page shows their quotes, each with its article's title, outlet and date, on every page."""
        said = [(a, q) for a in group.articles for q in a.quotes if q.speaker and slugify(q.speaker) == group.slug]
        quotes = [(self.facts[a.slug].view, q) for a, q in said]
        told = repr([(a.slug, a.title, a.source, a.date, a.date_source, q) for a, q in said])
        return {"person": {"name": group.name, "slug": group.slug}, "quotes": quotes}, told

    def article_pages(self) -> None:
        """One page per article, with its newer and older neighbours: only the pages of changed articles
        and of their neighbours are planned again while the site's order stays the same."""
        arts, memo, changed = self.index.articles, self.memo, self.changed
        old, reusable = memo.pages, memo.pages_key == self.entities.epoch  # (the name links they show)
        memo.pages_key = self.entities.epoch
        if reusable and old and memo.order == self.order_before:
            if memo.position is None:
                memo.position = {slug: i for i, slug in enumerate(memo.order)}
            position = memo.position
            dirty = {j for slug in changed if (i := position.get(slug)) is not None for j in (i - 1, i, i + 1)}
            for i in sorted(dirty):
                if 0 <= i < len(arts):
                    self._article_page(arts, i, old, old.get(arts[i].slug))
            return
        memo.pages = {}
        for i, a in enumerate(arts):
            hit = old.get(a.slug)
            newer = arts[i - 1].slug if i > 0 else ""
            older = arts[i + 1].slug if i + 1 < len(arts) else ""
            if reusable and hit is not None and hit[0] == newer and hit[1] == older and a.slug not in changed \
                    and newer not in changed and older not in changed:
                memo.pages[a.slug] = hit
            else:
                self._article_page(arts, i, memo.pages, hit)
        self.dropped += [hit[2] for slug, hit in old.items() if slug not in memo.pages]

    def _article_page(self, arts: Sequence[Article], i: int, pages: dict[str, tuple[str, str, Job]],
                      old: tuple[str, str, Job] | None) -> None:
        a = arts[i]
        newer = arts[i - 1] if i > 0 else None
        older = arts[i + 1] if i + 1 < len(arts) else None
        page_dir = f"articles/{a.slug}/"
        links, told = self.entities.links(a)
        context = self.frame.page(page_dir, article=self.facts[a.slug].view,
                                  newer=self.facts[newer.slug].view if newer else None,
                                  older=self.facts[older.slug].view if older else None,
                                  story=self.stories.story_of(a), names=links)
        job = Job(page_dir + "index.html", "article.html", context, [
            self.facts[a.slug].entry, _neighbour(arts, i - 1), _neighbour(arts, i + 1), self.stories.sig_of(a), told])
        digested([job], [old[2]] if old else (), self.template_fps, self.global_fingerprint)
        pages[a.slug] = (newer.slug if newer else "", older.slug if older else "", job)
        self.track([old[2]] if old else [], [job])

    def _single(self, job: Job) -> None:
        """A job of its own section, keyed by its inputs."""
        self.section(job.path, tuple(job.inputs), tuple, lambda: (job,))

    def _subscribe_and_search(self) -> None:
        """``feeds.opml`` (every feed made above) and, unless ``search: false``, the search page."""
        feeds = list(self.published_feeds)
        if self.config.digests:  # the weekly digests' feeds are made by plan/digests.py, not listing_feeds
            feeds.append((f"{self.config.site.title} — weekly digest", "digests/"))
        top, folders = opml_outlines(self.base, feeds)
        newest = self.index.articles[0].date if self.index.articles else None
        opml = {"outlines": top, "folders": folders, "updated": newest}
        self._single(Job(OPML_PATH, "feeds.opml", opml.copy, [repr(top), repr(folders), str(newest)]))
        if self.config.search:  # the page only; its filters come from the index (site/pagefind/)
            self.index_job("search/", "search.html", "results", [])

    def index_job(self, page_dir: str, template: str, name: str, items: Sequence[Any],
                  key: object = None) -> None:
        """A page listing ``items`` (topics, tags, months…): planned again when they are not all equal
        (``key``, when given, stands for them)."""
        listed = list(items)

        def make() -> Iterator[Job]:
            yield Job(page_dir + "index.html", template, self.frame.page(page_dir, **{name: listed}),
                      [repr(i) for i in listed])

        self.section(page_dir, tuple(listed) if key is None else key, tuple, make)

    def _sources(self, rows: Sequence[FeedRow]) -> None:
        """The sources page: each feed with its status, its number of stories and the newest one's date."""
        arts = self.index.articles
        old = self.memo.sections.get("sources/")
        if old is not None and old.key == (tuple(rows), arts):  # the same feeds' rows, the same articles
            self.visited.add("sources/")
            return
        counts: dict[str, int] = {}
        newest: dict[str, datetime] = {}
        for a in arts:  # newest first: the first article seen of a feed is its newest
            names = {s.name for s in a.sources}
            if a.origin is not None and a.origin.feed:
                names.add(a.origin.feed)
            for name in names:
                counts[name] = counts.get(name, 0) + 1
                if a.date is not None:
                    newest.setdefault(name, a.date)
        full = [replace(r, stories=counts.get(r.name, 0), newest=newest.get(r.name)) for r in rows]
        self.index_job("sources/", "sources.html", "sources", full, key=(tuple(rows), arts))

    def _sitemap(self, topics: Sequence[TopicLink], months: Sequence[Month]) -> None:
        """Every page with its last change; the job's inputs are exactly these strings, so editing an
        article's text (not its date or slug) leaves the sitemap alone."""
        idx, facts, kept = self.index, self.facts, self.memo.sitemap
        pages = kept.get("articles")
        if pages is None or not self.aligned or any(self.before[s].sitemap != facts[s].sitemap for s in self.before):
            pages = kept["articles"] = [f.sitemap for f in facts.values()]
        stories = self.stories.sitemap_urls()
        home = (self.base, facts[idx.articles[0].slug].sitemap[1] if idx.articles else None)
        lists: list[tuple[str, str | None]] = []
        for link in topics:
            arts = idx.topic_articles.get(link.slug, ())
            lists.append((self.base + link.path, facts[arts[0].slug].sitemap[1] if arts else None))
        for groups, prefix in ((idx.tags, "tags/"), (idx.people, "people/")):
            lists += [(f"{self.base}{prefix}{g.slug}/", facts[g.articles[0].slug].sitemap[1]) for g in groups]
        lists += [(self.base + m.path, None) for m in months]
        lists += self.entities.sitemap_urls()
        digests = self.digests.sitemap_urls() if self.config.digests else []

        def make() -> Iterator[Job]:
            urls = [home, *pages, *lists, *stories, *digests]
            yield Job("sitemap.xml", "sitemap.xml", lambda: {"urls": urls}, [f"{u}\0{d or ''}" for u, d in urls])

        self.section("sitemap.xml", (home, pages, lists, stories, digests), tuple, make)
