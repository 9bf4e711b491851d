"""A listing's feeds (``feed.xml`` RSS, ``atom.xml``, ``feed.json``) and the entries they are made of.

One article is an entry of several feeds (the site's, its topics', RSS, Atom and JSON alike), and its
entry (with the absolutized body) is the costly part of a feed: entries are kept by article view, from
build to build, and made when a feed is rendered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from generator.model import Article
from generator.plan.jsonfeed import feed_image, json_feed
from generator.plan.views import ArticleView, FeedEntry, Frame, Job, absolutize

FeedRow = tuple[ArticleView, str, datetime | None]  # (the entry's article, its fingerprint, when it was updated)
FEEDS = (("rss.xml", "feed.xml"), ("atom.xml", "atom.xml"), ("feed.json", "feed.json"))


class FeedMaker:
    def __init__(self, frame: Frame, html: Callable[[Article], str],
                 entries: dict[str, tuple[ArticleView, FeedEntry]]) -> None:
        """``entries``: slug → (view, entry), shared with the memo; an entry is kept while its view is."""
        self.frame = frame
        self.html = html
        self.entries = entries

    def entry(self, view: ArticleView, updated: datetime | None) -> FeedEntry:
        """The article's entry; ``updated`` (a story's entry is updated as other outlets join it)."""
        slug = view._article.slug
        hit = self.entries.get(slug)
        if hit is not None and hit[0] is view:
            entry = hit[1]
        else:
            entry = self._make(view)
            self.entries[slug] = (view, entry)
        if updated is None or updated == entry.updated:
            return entry
        return replace(entry, updated=updated)

    def _make(self, view: ArticleView) -> FeedEntry:
        config = self.frame.config
        article: Article = view._article
        link = self.frame.base + view.path
        summary = article.summary or ""
        content = absolutize(self.html(article), link) if config.feed.full_content else ""
        if len(content) > config.limits.feed_entry:
            content = ""  # the summary alone: no entry of the site's feeds grows past the limit
        names = article.authors or ((article.source,) if article.source else ())
        cats = tuple(t.name for t in view.topics) + article.tags
        assert article.date is not None  # feeds leave undated articles out
        image = view.image
        media = feed_image(image.url, image.alt, image.caption) if image is not None else None
        return FeedEntry(view, link, link, article.title, summary, content, article.date, names, cats, media)

    def jobs(self, base: str, title: str, subtitle: str, rows: Sequence[FeedRow], key: str,
             made: tuple[Callable[[], list[FeedEntry]], Sequence[str]] | None = None) -> Iterator[Job]:
        """The three feeds of ``base``. ``made``: entries not made of articles (the weekly digests) and the
        fingerprint of what they show."""
        config = self.frame.config
        full, hub = config.feed.full_content, config.websub.hub
        for template, name in FEEDS:
            def context(template: str = template, name: str = name) -> dict[str, Any]:
                entries = made[0]() if made else [self.entry(view, when) for view, _, when in rows]
                return self._context(template, base + name, base, title, subtitle, entries)

            yield Job(base + name, template, context, [key, str(full), str(hub), *made[1]] if made else
                      [key, str(full), str(hub), str(len(rows)), *(sig for _, sig, _ in rows)])

    def _context(self, template: str, path: str, base: str, title: str, subtitle: str,
                 entries: list[FeedEntry]) -> dict[str, Any]:
        config = self.frame.config
        site, absolute = config.site, self.frame.base
        updated = entries[0].updated if entries else datetime(2000, 1, 1, tzinfo=config.tz)
        author = site.author or site.title
        hub = config.websub.hub
        if template == "feed.json":
            return {"feed": json_feed(title=title, home_page_url=absolute + base, feed_url=absolute + path,
                                      description=subtitle, language=site.language, author=author, hub=hub,
                                      items=entries)}
        return {
            "feed": {
                "title": title, "subtitle": subtitle, "link": absolute + base,
                "self_url": absolute + path, "id": absolute + path,
                "updated": updated, "language": site.language,
                "author": author, "hub": hub,
            },
            "entries": entries,
        }
