"""Organization and place pages (``organizations/<slug>/``, ``places/<slug>/``) beside people's, and the
links from an article's names to whichever of these pages exist (aliases merged, so "BoC" links to the
Bank of Canada's page)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from generator.model import Article
from generator.plan.views import Job
from generator.slug import slugify
from generator.taxonomy import Group

if TYPE_CHECKING:
    from generator.plan import SitePlanner

KINDS = (("organizations", "Organizations", "organization"), ("places", "Places", "place"))

class EntityPlanner:
    def __init__(self, planner: SitePlanner) -> None:
        self.planner = p = planner
        index = p.index
        self.aliases = index.aliases
        self.pages: dict[str, set[str]] = {
            "people": {g.slug for g in index.people},
            "organizations": {g.slug for g in index.organizations},
            "places": {g.slug for g in index.places},
        }
        # The name links of every article page, and the key people of topic pages, depend on these.
        self.epoch = p.memo.epoch("entities", (self.pages, self.aliases))
        if p.memo.names_key != self.epoch:
            p.memo.names, p.memo.names_key = {}, self.epoch
        self._links = p.memo.names

    def path(self, kind: str, name: str) -> str | None:
        slug = slugify(self.aliases.name(name))
        return f"{kind}/{slug}/" if slug in self.pages[kind] else None

    def links(self, article: Article) -> tuple[dict[str, Any], str]:
        """The article's people, organizations and places, each with its page when it has one, and the
        pages of its quotes' speakers (``speakers``: name → path); and their fingerprint."""
        hit = self._links.get(article.slug)
        if hit is not None and hit[0] is article:
            return hit[1], hit[2]
        links: dict[str, Any] = {kind: tuple((n, self.path(kind, n)) for n in getattr(article, kind))
                                 for kind in ("people", "organizations", "places")}
        links["speakers"] = {q.speaker: path for q in article.quotes
                             if q.speaker and (path := self.path("people", q.speaker))}
        told = repr(links)
        self._links[article.slug] = (article, links, told)
        return links, told

    def plan(self) -> None:
        p = self.planner
        for kind, label, singular in KINDS:
            groups: tuple[Group, ...] = getattr(p.index, kind)
            links = []
            for group in groups:
                base = f"{kind}/{group.slug}/"
                entity = {"name": group.name, "slug": group.slug, "kind": kind, "label": label,
                          "singular": singular}
                links.append((group.name, base, len(group.articles)))
                p.listing(base, "entity.html", group.articles, {"entity": entity}, key=f"{kind}:{group.name}")
            self._index_job(kind, label, links)

    def _index_job(self, kind: str, label: str, links: list[tuple[str, str, int]]) -> None:
        p = self.planner
        page_dir = f"{kind}/"
        minimum = p.config.entities.min_articles

        def make() -> Iterator[Job]:
            yield Job(page_dir + "index.html", "entities.html",
                      p.frame.page(page_dir, entities=links, label=label, kind=kind, min_articles=minimum),
                      [label, str(minimum), *map(repr, links)])

        p.section(page_dir, tuple(links), tuple, make)

    def sitemap_urls(self) -> list[tuple[str, str | None]]:
        p = self.planner
        facts = p.facts
        urls: list[tuple[str, str | None]] = []
        for kind, _, _ in KINDS:
            groups: tuple[Group, ...] = getattr(p.index, kind)
            urls += [(f"{p.base}{kind}/{g.slug}/", facts[g.articles[0].slug].sitemap[1]) for g in groups]
        return urls
