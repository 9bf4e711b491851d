"""What templates see: view objects, the page frame every page shares, and ``Job`` (one output file).

A job's context is made from plain data and the ``Frame`` of its build, never from the planner that
made it: a long-lived Builder reuses the jobs of an unchanged part of the site in a later build, and a
reused job (say, one whose file was deleted) must render just as it would have when it was planned.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any, NamedTuple
from urllib.parse import urljoin, urlsplit

from markupsafe import Markup

from generator import __version__
from generator.config import Config
from generator.links import http_url
from generator.model import Article, review_text
from generator.plan.jsonfeed import FeedImage
from generator.plan.summary import facts_of

GENERATOR = f"digest {__version__}"


def month_label(value: datetime) -> str:
    return f"{value.strftime('%B')} {value.year}"


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


class Alternate(NamedTuple):
    """A page's own feeds (beside the site's), offered for autodiscovery."""

    title: str
    folder: str  # the feeds' folder, from the site root
    json: bool = True  # a feed.json beside feed.xml and atom.xml


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
_SHOWN_FIELDS = tuple(n for n in _ARTICLE_FIELDS if n not in ("body", "content_hash", "evidence"))


def shown_hash(article: Article) -> str:
    """A stable hash of what any page but the article's own, and any feed, may show of it: every field but
    its text. (Templates show ``html`` only on the article's page and in feeds, docs/templates.md.)"""
    shown = repr([getattr(article, name) for name in _SHOWN_FIELDS])
    return hashlib.blake2b(shown.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


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
        # The topic its section names (the kicker links to it), found here once rather than by each page.
        section = article.section.lower() if article.section else ""
        self.section_topic = next((t for t in topics if t.name.lower() == section), None) if section else None
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
        self.summary_repeats_lead = facts_of(article).summary_repeats_lead  # then shown once

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


class Card(NamedTuple):
    """One entry of a listing: an article or a story, and the fingerprint of what its card shows."""

    view: Any  # ArticleView | StoryView
    sig: str
    story: str | None = None  # the story's slug: a listing shows a story once


@dataclass
class Job:
    """One output file: its template, a context factory, and a fingerprint of its inputs."""

    path: str
    template: str
    context: Callable[[], dict[str, Any]]
    inputs: list[str] = field(default_factory=list)
    digest: str = ""  # the fingerprint, once the planner has taken it

    def fingerprint(self, template_fp: str, global_fp: str) -> str:
        text = "\0".join((self.template, template_fp, global_fp, *self.inputs))
        return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()


def root_for(path: str) -> str:
    return "../" * path.count("/")


@dataclass(frozen=True)
class Frame:
    """What every page shows around its own content: the site's links, its feeds and the topic menu."""

    config: Config
    nav_topics: tuple[TopicLink, ...]
    # One ``url`` function per depth: pages at one depth pass the same one, so a macro module imported
    # "with context" can serve them all (templating.py).
    _urls: dict[str, Callable[..., str]] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def base(self) -> str:
        return self.config.site.url

    def url(self, root: str) -> Callable[..., str]:
        """``url(path)`` of the pages at ``root``: ``root + path``."""
        url = self._urls.get(root)
        if url is None:
            url = self._urls[root] = lambda p="": root + p
        return url

    def common(self, page_dir: str, alternates: Sequence[Alternate] = ()) -> dict[str, Any]:
        root = root_for(page_dir)
        title = self.config.site.title
        feeds = [FeedLink(f"{title} (RSS)", root + "feed.xml", "application/rss+xml"),
                 FeedLink(f"{title} (Atom)", root + "atom.xml", "application/atom+xml"),
                 FeedLink(f"{title} (JSON Feed)", root + "feed.json", "application/feed+json")]
        for alt in alternates:
            feeds.append(FeedLink(f"{alt.title} (RSS)", root + alt.folder + "feed.xml", "application/rss+xml"))
            feeds.append(FeedLink(f"{alt.title} (Atom)", root + alt.folder + "atom.xml", "application/atom+xml"))
            if alt.json:
                feeds.append(FeedLink(f"{alt.title} (JSON Feed)", root + alt.folder + "feed.json",
                                      "application/feed+json"))
        return {
            "root": root,
            "page_path": page_dir,
            "canonical": self.base + page_dir,
            "alternates": feeds,
            "nav_topics": list(self.nav_topics),
            "url": self.url(root),
        }

    def page(self, page_dir: str, alternates: Sequence[Alternate] = (), **data: Any) -> Callable[[], dict[str, Any]]:
        """The context factory of a page: the frame's part, then the page's own ``data``."""

        def context() -> dict[str, Any]:
            ctx = self.common(page_dir, alternates)
            ctx.update(data)
            return ctx

        return context


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
