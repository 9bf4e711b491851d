"""Weekly digests: ``digests/<YYYY>-W<ww>/`` (ISO weeks in ``site.timezone``) list the week's stories by
topic; each is also an email (``email.html``: one self-contained file, inline CSS, absolute links;
``email.txt``: the plain-text part) and an entry of ``digests/feed.xml`` and ``digests/atom.xml``.

A story belongs to the week of each of its articles; within a week it is one entry (one card), under
its first topic (config order), or "Other news" when it has none.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from generator.model import Article
from generator.plan.views import Alternate, FeedEntry, Job

if TYPE_CHECKING:
    from generator.plan import SitePlanner

FEED_WEEKS = 20  # digests in the digest feeds
Week = tuple[int, int]  # ISO (year, week)


@dataclass(frozen=True)
class _Dated:
    """What the feed templates read of an entry's ``article``: its date."""

    date: datetime

    @property
    def iso_date(self) -> str:
        return self.date.isoformat()


@dataclass(frozen=True)
class DigestItem:
    title: str
    path: str  # relative to the site root
    url: str  # absolute
    date: datetime
    summary: str
    outlets: tuple[str, ...]


@dataclass(frozen=True)
class DigestSection:
    name: str
    slug: str
    items: tuple[DigestItem, ...]


@dataclass(frozen=True)
class Digest:
    slug: str  # 2025-W38
    year: int
    week: int
    start: date  # Monday
    end: date  # Sunday
    path: str
    url: str
    sections: tuple[DigestSection, ...]
    updated: datetime  # the newest article of the week

    @property
    def count(self) -> int:
        return sum(len(s.items) for s in self.sections)

    @property
    def title(self) -> str:
        return f"Week {self.week}, {self.year}: {self.start:%B} {self.start.day} – {self.end:%B} {self.end.day}"


def week_of(value: datetime, tz: Any) -> tuple[int, int]:
    iso = value.astimezone(tz).isocalendar()
    return iso[0], iso[1]


class DigestFacts(NamedTuple):
    """One week's digest as planned: kept while the week's articles are the same and none changed."""

    articles: tuple[Article, ...]
    slugs: frozenset[str]
    digest: Digest
    sig: str


class DigestPlanner:
    def __init__(self, planner: SitePlanner) -> None:
        self.planner = p = planner
        key = tuple((t.slug, t.name) for t in p.index.topics)
        old: dict[Week, DigestFacts] = p.memo.digests if p.memo.digests_key == key else {}
        weeks = self._same_weeks(old) if old and p.aligned else None
        if weeks is None:
            grouped: dict[Week, list[Article]] = defaultdict(list)
            for f in p.facts.values():  # site order: newest first
                if f.week is not None:
                    grouped[f.week].append(f.article)
            weeks = grouped
        facts: dict[Week, DigestFacts] = {}
        for week in sorted(weeks, reverse=True) if p.config.digests else ():
            articles = tuple(weeks[week])
            hit = old.get(week)
            if hit is not None and p.changed.isdisjoint(hit.slugs) and hit.articles == articles:
                facts[week] = hit
            else:
                facts[week] = DigestFacts(articles, frozenset(a.slug for a in articles),
                                          self._digest(week, articles), self._sig(articles))
        p.memo.digests, p.memo.digests_key = facts, key
        self.digests = [f.digest for f in facts.values()]
        self.sigs = {f.digest.slug: f.sig for f in facts.values()}

    def _same_weeks(self, old: dict[Week, DigestFacts]) -> Mapping[Week, Sequence[Article]] | None:
        """The weeks' articles when no changed article moved to another week (the site's order is the same):
        last build's, with the new records of the weeks that show a changed article."""
        p = self.planner
        for slug in p.changed:
            now, before = p.facts.get(slug), p.last(slug)
            if now is None or before is None or now.week != before.week:
                return None
        return {week: hit.articles if p.changed.isdisjoint(hit.slugs)
                else tuple(p.facts[a.slug].article for a in hit.articles) for week, hit in old.items()}

    def _sig(self, articles: Sequence[Article]) -> str:
        return ",".join(c.sig for c in self.planner.stories.cards(articles))

    def _digest(self, key: tuple[int, int], articles: Sequence[Article]) -> Digest:
        p = self.planner
        year, week = key
        start = date.fromisocalendar(year, week, 1)
        order = {t.slug: i for i, t in enumerate(p.index.topics)}
        sections: dict[str, list[DigestItem]] = defaultdict(list)
        names = {t.slug: t.name for t in p.index.topics}
        for card in p.stories.cards(articles):
            view = card.view
            topics = sorted(view.topics, key=lambda t: order.get(t.slug, len(order)))
            slug = topics[0].slug if topics else ""
            outlets = tuple(getattr(view, "outlet_names", ())) or ((view.source,) if view.source else ())
            sections[slug].append(DigestItem(view.title, view.path, p.base + view.path, view.date,
                                             view.summary or "", outlets))
        ordered = sorted(sections, key=lambda s: (s == "", order.get(s, len(order)), s))
        slug = f"{year:04d}-W{week:02d}"
        newest = max(a.date for a in articles if a.date is not None)
        return Digest(slug, year, week, start, start + timedelta(days=6), f"digests/{slug}/",
                      f"{p.base}digests/{slug}/",
                      tuple(DigestSection(names.get(s, "Other news"), s or "other", tuple(sections[s]))
                            for s in ordered), newest)

    def plan(self) -> None:
        p = self.planner
        frame = p.frame
        alternates = [Alternate("Weekly digest", "digests/", json=False)]
        for i, d in enumerate(self.digests):
            newer = self.digests[i - 1] if i > 0 else None
            older = self.digests[i + 1] if i + 1 < len(self.digests) else None

            def make(d: Digest = d, newer: Digest | None = newer, older: Digest | None = older) -> Iterator[Job]:
                inputs = [d.slug, self.sigs[d.slug], newer.slug if newer else "", older.slug if older else ""]
                yield Job(d.path + "index.html", "digest.html",
                          frame.page(d.path, alternates, digest=d, newer=newer, older=older), inputs)
                email = {"digest": d, "base": p.base}
                for template, name in (("digest_email.html", "email.html"), ("digest.txt", "email.txt")):
                    yield Job(d.path + name, template, email.copy, inputs[:2])

            p.section(d.path, (d, self.sigs[d.slug], newer.slug if newer else "", older.slug if older else ""), tuple,
                      make)

        digests = self.digests
        p.section("digests/", tuple(digests), tuple, lambda: (Job(
            "digests/index.html", "digests.html", frame.page("digests/", alternates, digests=digests),
            [f"{d.slug}:{d.count}" for d in digests]),))
        recent = digests[:FEED_WEEKS]
        config = p.config

        def entries() -> list[FeedEntry]:
            return [digest_entry(d, config.site.author or config.site.title) for d in recent]

        title = config.site.title
        p.section("digests/feeds", (tuple(recent), [self.sigs[d.slug] for d in recent]), tuple, lambda: p.feeds.jobs(
            "digests/", f"{title} — weekly digest", f"The week's stories from {title}, by topic.", (), "digests",
            made=(entries, [self.sigs[d.slug] for d in recent])))

    def sitemap_urls(self) -> list[tuple[str, str | None]]:
        return [(d.url, d.updated.isoformat()) for d in self.digests]


def digest_entry(d: Digest, author: str) -> FeedEntry:
    """A digest as an entry of the digests' feeds: plain text, a table of contents (the page, and
    email.html, are the digest itself)."""
    text = " ".join(f"{sec.name}: " + "; ".join(f"{i.title} ({', '.join(i.outlets)})" for i in sec.items) + "."
                    for sec in d.sections)
    return FeedEntry(_Dated(d.updated), d.url, d.url, d.title,  # type: ignore[arg-type]  # feeds read .date only
                     text, "", d.updated, (author,), tuple(s.name for s in d.sections))
