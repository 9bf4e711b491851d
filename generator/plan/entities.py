"""Organization and place pages (``organizations/<slug>/``, ``places/<slug>/``) beside people's, and the
links from an article's names to whichever of these pages exist (aliases merged, so "BoC" links to the
Bank of Canada's page)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from generator.model import Article
from generator.slug import slugify
from generator.taxonomy import Group

if TYPE_CHECKING:
    from generator.plan import Job, SitePlanner

KINDS = (("organizations", "Organizations", "organization"), ("places", "Places", "place"))

NameLink = tuple[str, str | None]  # (name as the article gives it, path of its page or None)


class EntityPlanner:
    def __init__(self, planner: SitePlanner) -> None:
        self.planner = planner
        index = planner.index
        self.aliases = index.aliases
        self.pages: dict[str, set[str]] = {
            "people": {g.slug for g in index.people},
            "organizations": {g.slug for g in index.organizations},
            "places": {g.slug for g in index.places},
        }

    def path(self, kind: str, name: str) -> str | None:
        slug = slugify(self.aliases.name(name))
        return f"{kind}/{slug}/" if slug in self.pages[kind] else None

    def links(self, article: Article) -> dict[str, Any]:
        """The article's people, organizations and places, each with its page when it has one, and the
        pages of its quotes' speakers (``speakers``: name → path)."""
        links: dict[str, Any] = {kind: tuple((n, self.path(kind, n)) for n in getattr(article, kind))
                                 for kind in ("people", "organizations", "places")}
        links["speakers"] = {q.speaker: path for q in article.quotes
                             if q.speaker and (path := self.path("people", q.speaker))}
        return links

    def jobs(self) -> Iterator[Job]:
        p = self.planner
        for kind, label, singular in KINDS:
            groups: tuple[Group, ...] = getattr(p.index, kind)
            links = []
            for group in groups:
                base = f"{kind}/{group.slug}/"
                entity = {"name": group.name, "slug": group.slug, "kind": kind, "label": label,
                          "singular": singular}
                links.append((group.name, base, len(group.articles)))
                yield from p._listing(base, "entity.html", group.articles, {"entity": entity},
                                      p.config.per_page, key=f"{kind}:{group.name}")
            yield self._index_job(kind, label, links)

    def _index_job(self, kind: str, label: str, links: list[tuple[str, str, int]]) -> Job:
        from generator.plan import Job

        p = self.planner
        page_dir = f"{kind}/"

        def context() -> dict[str, Any]:
            ctx = p._common(page_dir)
            ctx.update(entities=links, label=label, kind=kind, min_articles=p.config.entities.min_articles)
            return ctx

        return Job(page_dir + "index.html", "entities.html", context,
                   [label, str(p.config.entities.min_articles), *map(repr, links)])

    def sitemap_urls(self) -> list[tuple[str, str | None]]:
        p = self.planner
        urls: list[tuple[str, str | None]] = []
        for kind, _, _ in KINDS:
            groups: tuple[Group, ...] = getattr(p.index, kind)
            urls += [(f"{p.base}{kind}/{g.slug}/", p.views[g.articles[0].slug].iso_date or None) for g in groups]
        return urls
