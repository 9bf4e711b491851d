"""The site as a list of output jobs: every page and feed, with what it shows and a fingerprint.

Planning is cheap (no rendering) and linear in the corpus. Each ``Job`` carries the inputs that decide
its bytes (the articles it lists, their content hashes, its page number…), so a build renders only the
jobs whose fingerprint changed: an edited article re-renders exactly the pages and feeds it appears in,
including after a title, date or topic change or a delete.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any, NamedTuple, TypeVar
from urllib.parse import urljoin, urlsplit

from markupsafe import Markup

from generator import __version__
from generator.config import Config
from generator.links import http_url
from generator.model import Article, Quote, review_text
from generator.plan.digests import DigestPlanner
from generator.plan.entities import EntityPlanner
from generator.plan.jsonfeed import FeedImage, feed_image, json_feed
from generator.plan.opml import OPML_PATH, opml_outlines
from generator.plan.stories import Card, StoryPlanner
from generator.plan.summary import summary_repeats_lead
from generator.plan.topics import topic_extra
from generator.slug import slugify
from generator.taxonomy import Group, SiteIndex

GENERATOR = f"digest {__version__}"
T = TypeVar("T")


def month_label(value: datetime) -> str:
    return f"{value.strftime('%B')} {value.year}"


# ---------------------------------------------------------------- view objects

@dataclass(frozen=True)
class TopicLink:
    name: str
    slug: str
    path: str
    count: int = 0
    description: str = ""


@dataclass(frozen=True)
class FeedLink:
    title: str
    href: str
    type: str


@dataclass(frozen=True)
class Pagination:
    current: int
    total: int
    prev_path: str | None
    next_path: str | None


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    label: str
    path: str
    count: int = 0


_ARTICLE_FIELDS = tuple(f.name for f in fields(Article))


class ArticleView:
    """An ``Article`` as templates see it: every field, plus links and the rendered body.

    Fields are copied onto the instance (not delegated through ``__getattr__``): templates read them
    millions of times on a big site, and a plain attribute is the fastest lookup Jinja can do.
    """

    def __init__(self, article: Article, topics: tuple[TopicLink, ...], archive_path: str,
                 html: Callable[[Article], str], link_only_images: bool) -> None:
        self.__dict__.update(zip(_ARTICLE_FIELDS, (getattr(article, n) for n in _ARTICLE_FIELDS), strict=True))
        self._article = article
        self._html = html
        self.topics = topics
        self.path = f"articles/{article.slug}/"
        self.archive_path = archive_path
        self.iso_date = article.date.isoformat() if article.date else ""
        # "Saved on …": the date says when the input was saved, not when it was published.
        self.date_saved = article.date is not None and not article.date_is_publication
        self.review_text = review_text(article.review)  # why it is held (shown only in a --drafts build)
        # Links from input reach the page only as absolute http(s) URLs (links.http_url).
        self.url = http_url(article.url)
        self.sources = tuple(s if s.url is None or http_url(s.url) == s.url else replace(s, url=http_url(s.url))
                             for s in article.sources)
        image = article.image
        if image is not None and image.url is not None and http_url(image.url) != image.url:
            image = replace(image, url=http_url(image.url))
            image = image if any((image.url, image.caption, image.credit)) else None
        self.image = image
        self.image_link_only = bool(link_only_images and image and image.url)
        self.summary_repeats_lead = summary_repeats_lead(article.summary, article.body)  # then shown once

    @property
    def html(self) -> Markup:
        return Markup(self._html(self._article))


@dataclass(frozen=True)
class FeedRow:
    """One followed feed on the sources page: its last known status and what the site holds from it.

    Only what follows from the inputs (the feed's own bytes, the articles): no fetch times or counters,
    so two builds of the same inputs give the same page.
    """

    name: str
    location: str  # url or path
    fetched: bool  # False: never fetched or read yet
    ok: bool
    status: int | None  # the last HTTP status
    last_error: str | None
    permanent_redirect: str | None
    stories: int = 0  # articles of the site that came from this feed
    newest: datetime | None = None  # the newest of them


class ViewMemo(NamedTuple):
    """An article's view, reused while the article object and its topic links stay the same."""

    article: Article
    topics: tuple[TopicLink, ...]
    view: ArticleView
    signature: str


@dataclass(frozen=True)
class FeedEntry:
    article: ArticleView
    link: str
    guid: str
    title: str
    summary: str
    content_html: str
    updated: datetime
    author_names: tuple[str, ...]
    categories: tuple[str, ...]
    image: FeedImage | None = None  # the lead photo's original address (RSS media:content, Atom enclosure)


@dataclass
class Job:
    """One output file: its template, a context factory, and a fingerprint of its inputs."""

    path: str
    template: str
    context: Callable[[], dict[str, Any]]
    inputs: list[str] = field(default_factory=list)

    def fingerprint(self, template_fp: str, global_fp: str) -> str:
        text = "\0".join((self.template, template_fp, global_fp, *self.inputs))
        return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()


# ---------------------------------------------------------------- planning

_URL_ATTR = re.compile(r'(\s(?:href|src)=")([^"]*)(")')


def absolutize(html: str, base: str) -> str:
    """Make every ``href``/``src`` absolute against ``base`` (feeds need absolute URLs everywhere)."""

    def fix(match: re.Match[str]) -> str:
        url = match.group(2)
        if url.startswith("#"):
            return match.group(0).replace(url, base + url)
        if urlsplit(url).scheme:
            return match.group(0)
        return f"{match.group(1)}{urljoin(base, url)}{match.group(3)}"

    return _URL_ATTR.sub(fix, html)


def _neighbour(articles: Sequence[Article], i: int) -> str:
    """What an article page shows of its newer/older neighbour: title and link."""
    if 0 <= i < len(articles):
        return f"{articles[i].slug}\0{articles[i].title}"
    return ""


def _root_for(path: str) -> str:
    return "../" * path.count("/")


def _paginate(items: Sequence[T], per_page: int) -> list[Sequence[T]]:
    if not items:
        return [()]
    return [items[i:i + per_page] for i in range(0, len(items), per_page)]


def _page_path(base: str, n: int) -> str:
    return base if n == 1 else f"{base}page/{n}/"


class SitePlanner:
    """Builds the job list for a whole site; cheap (no rendering), linear in the corpus."""

    def __init__(self, config: Config, index: SiteIndex, html: Callable[[Article], str],
                 view_cache: dict[str, ViewMemo] | None = None) -> None:
        """``view_cache`` (kept by a long-lived Builder) reuses the views of unchanged articles."""
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
        self.views: dict[str, ArticleView] = {}
        self.sig: dict[str, str] = {}
        self._entries: dict[str, FeedEntry] = {}  # one article is an entry of several feeds, RSS and Atom
        self.published_feeds: list[tuple[str, str]] = []  # (title, folder) of each feed.xml, for feeds.opml
        cache = view_cache if view_cache is not None else {}
        link_only = config.images == "link"
        for a in index.articles:
            topics = tuple(self.topic_links[t.slug] for t in index.article_topics.get(a.slug, ()))
            hit = cache.get(a.slug)
            if hit is not None and hit.article is a and hit.topics == topics:
                self.views[a.slug], self.sig[a.slug] = hit.view, hit.signature
                continue
            local = a.date.astimezone(self.tz) if a.date else None
            view = ArticleView(a, topics, f"archive/{local.year:04d}/{local.month:02d}/" if local else "", html,
                               link_only)
            sig = f"{a.slug}:{a.content_hash}:{','.join(t.slug for t in topics)}"
            self.views[a.slug], self.sig[a.slug] = view, sig
            cache[a.slug] = ViewMemo(a, topics, view, sig)
        if view_cache is not None and len(cache) > len(self.views):
            for slug in [s for s in cache if s not in self.views]:
                del cache[slug]
        self.stories = StoryPlanner(self)
        self.entities = EntityPlanner(self)
        self.digests = DigestPlanner(self)

    def feed_articles(self) -> list[Article]:
        """Articles shown in at least one feed: their bodies are worth keeping in the cache."""
        n = self.config.feed.items
        seen: dict[str, Article] = {a.slug: a for a in self.index.articles[:n]}
        for members in self.index.topic_articles.values():
            seen.update((a.slug, a) for a in members[:n])
        for group in self.index.tags:
            seen.update((a.slug, a) for a in group.articles[:n])
        return list(seen.values())

    @property
    def global_fingerprint(self) -> str:
        nav = ",".join(t.slug for t in self.nav_topics)
        return hashlib.sha256(f"{GENERATOR}\0{self.config!r}\0{nav}".encode()).hexdigest()

    # -- helpers
    def _common(self, page_dir: str, alternates: Sequence[tuple[str, str]] = ()) -> dict[str, Any]:
        root = _root_for(page_dir)
        feeds = [FeedLink(f"{self.config.site.title} (RSS)", root + "feed.xml", "application/rss+xml"),
                 FeedLink(f"{self.config.site.title} (Atom)", root + "atom.xml", "application/atom+xml")]
        feeds.append(FeedLink(f"{self.config.site.title} (JSON Feed)", root + "feed.json", "application/feed+json"))
        json_dirs = {d for _, d in self.published_feeds}  # complete by render time: contexts run after planning
        for title, feed_dir in alternates:
            feeds.append(FeedLink(f"{title} (RSS)", root + feed_dir + "feed.xml", "application/rss+xml"))
            feeds.append(FeedLink(f"{title} (Atom)", root + feed_dir + "atom.xml", "application/atom+xml"))
            if feed_dir in json_dirs:
                feeds.append(FeedLink(f"{title} (JSON Feed)", root + feed_dir + "feed.json", "application/feed+json"))
        return {
            "root": root,
            "page_path": page_dir,
            "canonical": self.base + page_dir,
            "alternates": feeds,
            "nav_topics": self.nav_topics,
            "url": lambda p="": root + p,
        }

    def _views(self, articles: Sequence[Article]) -> list[ArticleView]:
        return [self.views[a.slug] for a in articles]

    def _listing(self, base: str, template: str, articles: Sequence[Article], extra: dict[str, Any],
                 per_page: int, alternates: Sequence[tuple[str, str]] = (), key: str = "") -> Iterator[Job]:
        pages = _paginate(self.stories.cards(articles), per_page)  # one card per story
        total = len(pages)
        for n, chunk in enumerate(pages, start=1):
            page_dir = _page_path(base, n)
            pagination = Pagination(n, total, _page_path(base, n - 1) if n > 1 else None,
                                    _page_path(base, n + 1) if n < total else None)

            def context(chunk: Sequence[Card] = chunk, page_dir: str = page_dir,
                        pagination: Pagination = pagination) -> dict[str, Any]:
                ctx = self._common(page_dir, alternates)
                ctx.update(extra, articles=[c.view for c in chunk], pagination=pagination)
                return ctx

            yield Job(page_dir + "index.html", template, context,
                      [key, f"{n}/{total}", *(c.sig for c in chunk)])

    def _feeds(self, base: str, title: str, subtitle: str, articles: Sequence[Article], key: str,
               per_story: bool = False, made: tuple[Callable[[], list[FeedEntry]], Sequence[str]] | None = None,
               ) -> Iterator[Job]:
        """``per_story``: one entry per story (a topic's feeds), its first version, updated as others join.
        ``made``: entries not made of articles (the weekly digests) and the fingerprint of what they show."""
        undated = 0  # held articles without a date (a --drafts build) sort first; a feed entry needs a date
        while undated < len(articles) and articles[undated].date is None:
            undated += 1
        items = articles[undated: undated + self.config.feed.items]
        rows = self.stories.feed_items(articles[undated:])[:self.config.feed.items] if per_story else \
            [(a, self.sig[a.slug], a.date) for a in items]
        full = self.config.feed.full_content
        hub = self.config.websub.hub
        if made is None:  # the digests' feeds are listed in feeds.opml by _subscribe_and_search_jobs
            self.published_feeds.append((title, base))
        for template, name in (("rss.xml", "feed.xml"), ("atom.xml", "atom.xml"), ("feed.json", "feed.json")):
            def context(template: str = template, name: str = name) -> dict[str, Any]:
                entries = made[0]() if made else [self.stories.entry(a, when) for a, _, when in rows]
                updated = entries[0].updated if entries else datetime(2000, 1, 1, tzinfo=self.tz)
                author = self.config.site.author or self.config.site.title
                if template == "feed.json":
                    return {"feed": json_feed(title=title, home_page_url=self.base + base,
                                              feed_url=self.base + base + name, description=subtitle,
                                              language=self.config.site.language, author=author, hub=hub,
                                              items=entries)}
                return {
                    "feed": {
                        "title": title, "subtitle": subtitle, "link": self.base + base,
                        "self_url": self.base + base + name, "id": self.base + base + name,
                        "updated": updated, "language": self.config.site.language,
                        "author": author, "hub": hub,
                    },
                    "entries": entries,
                }

            yield Job(base + name, template, context, [key, str(full), str(hub), *made[1]] if made else
                      [key, str(full), str(hub), str(len(rows)), *(sig for _, sig, _ in rows)])

    def _entry(self, article: Article) -> FeedEntry:
        entry = self._entries.get(article.slug)
        if entry is None:
            entry = self._entries[article.slug] = self._make_entry(article)
        return entry

    def _make_entry(self, article: Article) -> FeedEntry:
        full = self.config.feed.full_content
        view = self.views[article.slug]
        link = self.base + view.path
        summary = article.summary or ""
        content = absolutize(self.html(article), link) if full else ""
        if len(content) > self.config.limits.feed_entry:
            content = ""  # the summary alone: no entry of the site's feeds grows past the limit
        names = article.authors or ((article.source,) if article.source else ())
        cats = tuple(t.name for t in view.topics) + article.tags
        assert article.date is not None  # _feeds leaves undated articles out
        image = view.image
        media = feed_image(image.url, image.alt, image.caption) if image is not None else None
        return FeedEntry(view, link, link, article.title, summary, content, article.date, names, cats, media)

    # -- the site
    def jobs(self) -> Iterator[Job]:
        idx, cfg = self.index, self.config
        per_page = cfg.per_page
        arts = idx.articles
        yield from self._listing("", "index.html", arts, {}, per_page, key="home")
        yield from self._feeds("", cfg.site.title, cfg.site.description, arts, "site")

        for i, a in enumerate(arts):
            newer = self.views[arts[i - 1].slug] if i > 0 else None
            older = self.views[arts[i + 1].slug] if i + 1 < len(arts) else None
            page_dir = f"articles/{a.slug}/"

            def context(a: Article = a, page_dir: str = page_dir, newer: ArticleView | None = newer,
                        older: ArticleView | None = older) -> dict[str, Any]:
                ctx = self._common(page_dir)
                ctx.update(article=self.views[a.slug], newer=newer, older=older, story=self.stories.story_of(a),
                           names=self.entities.links(a))
                return ctx

            yield Job(page_dir + "index.html", "article.html", context,
                      [self.sig[a.slug], _neighbour(arts, i - 1), _neighbour(arts, i + 1), self.stories.sig_of(a),
                       repr(self.entities.links(a))])

        topic_links = []
        for topic in idx.topics:
            members = idx.topic_articles.get(topic.slug, ())
            if not members and not topic.defined:
                continue
            link = self.topic_links[topic.slug]
            topic_links.append(link)
            base = f"topics/{topic.slug}/"
            extra, told = topic_extra(self, members)
            yield from self._listing(base, "topic.html", members, {"topic": topic, **extra}, per_page,
                                     [(topic.name, base)], key=f"topic:{topic!r}:{told}")
            yield from self._feeds(base, f"{topic.name} — {cfg.site.title}", topic.description
                                   or f"{topic.name} coverage from {cfg.site.title}", members, f"topic:{topic!r}",
                                   per_story=True)
        yield self.index_job("topics/", "topics.html", "topics", topic_links)

        tag_links = []
        for group in idx.tags:
            base = f"tags/{group.slug}/"
            tag = {"name": group.name, "slug": group.slug}
            tag_links.append(TopicLink(group.name, group.slug, base, len(group.articles)))
            yield from self._listing(base, "tag.html", group.articles, {"tag": tag}, per_page,
                                     [(f"#{group.name}", base)], key=f"tag:{group.name}")
            yield from self._feeds(base, f"{group.name} — {cfg.site.title}",
                                   f"Articles tagged {group.name}", group.articles, f"tag:{group.name}")
        yield self.index_job("tags/", "tags.html", "tags", tag_links)

        people_links = []
        for group in idx.people:
            base = f"people/{group.slug}/"
            person = {"name": group.name, "slug": group.slug}
            people_links.append(TopicLink(group.name, group.slug, base, len(group.articles)))
            quotes = self._quotes_by(group)
            yield from self._listing(base, "person.html", group.articles, {"person": person, "quotes": quotes},
                                     per_page, key=f"person:{group.name}:{len(quotes)}")
        yield self.index_job("people/", "people.html", "people", people_links)
        yield from self.entities.jobs()
        yield from self.stories.jobs()
        if cfg.digests:
            yield from self.digests.jobs()

        months = []
        for group in idx.months:
            year, month = (int(x) for x in group.slug.split("/"))
            label = month_label(datetime(year, month, 1))
            m = Month(year, month, label, f"archive/{group.slug}/", len(group.articles))
            months.append(m)
            yield from self._listing(m.path, "archive.html", group.articles, {"month": m}, per_page,
                                     key=f"month:{m!r}")
        yield self.index_job("archive/", "archives.html", "months", months)

        yield Job("404.html", "404.html", self._not_found, ["404"])
        yield Job("robots.txt", "robots.txt", dict, ["robots"])
        yield self._sitemap(topic_links, tag_links, people_links, months)
        yield from self._subscribe_and_search_jobs()

    def _subscribe_and_search_jobs(self) -> Iterator[Job]:
        """``feeds.opml`` (every feed made above) and, unless ``search: false``, the search page."""
        feeds = list(self.published_feeds)
        if self.config.digests:  # the weekly digests' feeds are made by plan/digests.py, not _feeds
            feeds.append((f"{self.config.site.title} — weekly digest", "digests/"))
        top, folders = opml_outlines(self.base, feeds)
        newest = self.index.articles[0].date if self.index.articles else None
        yield Job(OPML_PATH, "feeds.opml", lambda: {"outlines": top, "folders": folders, "updated": newest},
                  [repr(top), repr(folders), str(newest)])
        if self.config.search:  # the page only; its filters come from the index (site/pagefind/)
            yield self.index_job("search/", "search.html", "results", [])

    def _quotes_by(self, group: Group) -> list[tuple[ArticleView, Quote]]:
        return [(self.views[a.slug], q) for a in group.articles for q in a.quotes
                if q.speaker and slugify(q.speaker) == group.slug]

    def index_job(self, page_dir: str, template: str, name: str, items: Sequence[Any]) -> Job:
        def context() -> dict[str, Any]:
            ctx = self._common(page_dir)
            ctx[name] = list(items)
            return ctx

        return Job(page_dir + "index.html", template, context, [repr(i) for i in items])

    def sources_job(self, rows: Sequence[FeedRow]) -> Job:
        """The sources page: each feed with its status, its number of stories and the newest one's date."""
        counts: dict[str, int] = {}
        newest: dict[str, datetime] = {}
        for a in self.index.articles:  # newest first: the first article seen of a feed is its newest
            names = {s.name for s in a.sources}
            if a.origin is not None and a.origin.feed:
                names.add(a.origin.feed)
            for name in names:
                counts[name] = counts.get(name, 0) + 1
                if a.date is not None:
                    newest.setdefault(name, a.date)
        full = [replace(r, stories=counts.get(r.name, 0), newest=newest.get(r.name)) for r in rows]
        return self.index_job("sources/", "sources.html", "sources", full)

    def _not_found(self) -> dict[str, Any]:
        """404.html is served for any missing path, at any depth: its links are relative to a ``<base>``,
        the path of ``site.url`` (where the site is published), so they resolve the same everywhere."""
        ctx = self._common("")
        ctx.update(page_path="404.html", canonical=self.base + "404.html", base_href=urlsplit(self.base).path or "/")
        return ctx

    def _sitemap(self, topics: Sequence[TopicLink], tags: Sequence[TopicLink], people: Sequence[TopicLink],
                 months: Sequence[Month]) -> Job:
        """Every page with its last change; the job's inputs are exactly these strings, so editing an
        article's text (not its date or slug) leaves the sitemap alone."""
        idx = self.index
        urls: list[tuple[str, str | None]] = [(self.base, self.views[idx.articles[0].slug].iso_date or None
                                               if idx.articles else None)]
        urls += [(self.base + v.path, v.iso_date or None) for v in (self.views[a.slug] for a in idx.articles)]
        for link in topics:
            arts = idx.topic_articles.get(link.slug, ())
            urls.append((self.base + link.path, self.views[arts[0].slug].iso_date or None if arts else None))
        for groups, prefix in ((idx.tags, "tags/"), (idx.people, "people/")):
            urls += [(f"{self.base}{prefix}{g.slug}/", self.views[g.articles[0].slug].iso_date or None)
                     for g in groups]
        urls += [(self.base + m.path, None) for m in months]
        urls += self.entities.sitemap_urls() + self.stories.sitemap_urls()
        urls += self.digests.sitemap_urls() if self.config.digests else []
        return Job("sitemap.xml", "sitemap.xml", lambda: {"urls": urls}, [f"{u}\0{d or ''}" for u, d in urls])
