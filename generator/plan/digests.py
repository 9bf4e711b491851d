"""Weekly digests: ``digests/<YYYY>-W<ww>/`` (ISO weeks in ``site.timezone``) list the week's stories by
topic; each is also an email (``email.html``: one self-contained file, inline CSS, absolute links;
``email.txt``: the plain-text part) and an entry of ``digests/feed.xml`` and ``digests/atom.xml``.

A story belongs to the week of each of its articles; within a week it is one entry (one card), under
its first topic (config order), or "Other news" when it has none.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from generator.model import Article

if TYPE_CHECKING:
    from generator.plan import FeedEntry, Job, SitePlanner

FEED_WEEKS = 20  # digests in the digest feeds


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


class DigestPlanner:
    def __init__(self, planner: SitePlanner) -> None:
        self.planner = planner
        weeks: dict[tuple[int, int], list[Article]] = defaultdict(list)
        for a in planner.index.articles:  # site order: newest first
            if a.date is not None:
                weeks[week_of(a.date, planner.tz)].append(a)
        self.weeks = weeks
        self.digests = [self._digest(key, weeks[key]) for key in sorted(weeks, reverse=True)]
        self.sigs = {d.slug: self._sig(weeks[(d.year, d.week)]) for d in self.digests}

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

    def jobs(self) -> Iterator[Job]:
        from generator.plan import Job

        p = self.planner
        for i, d in enumerate(self.digests):
            newer = self.digests[i - 1] if i > 0 else None
            older = self.digests[i + 1] if i + 1 < len(self.digests) else None
            inputs = [d.slug, self.sigs[d.slug], newer.slug if newer else "", older.slug if older else ""]

            def context(d: Digest = d, newer: Digest | None = newer, older: Digest | None = older,
                        page_dir: str = d.path) -> dict[str, Any]:
                ctx = p._common(page_dir, [("Weekly digest", "digests/")])
                ctx.update(digest=d, newer=newer, older=older)
                return ctx

            yield Job(d.path + "index.html", "digest.html", context, inputs)
            def email(d: Digest = d) -> dict[str, Any]:
                return {"digest": d, "base": p.base}

            for template, name in (("digest_email.html", "email.html"), ("digest.txt", "email.txt")):
                yield Job(d.path + name, template, email, inputs[:2])

        def index() -> dict[str, Any]:
            ctx = p._common("digests/", [("Weekly digest", "digests/")])
            ctx.update(digests=self.digests)
            return ctx

        yield Job("digests/index.html", "digests.html", index,
                  [f"{d.slug}:{d.count}" for d in self.digests])
        recent = self.digests[:FEED_WEEKS]

        def entries() -> list[FeedEntry]:
            return [self._entry(d) for d in recent]

        yield from p._feeds("digests/", f"{p.config.site.title} — weekly digest",
                            f"The week's stories from {p.config.site.title}, by topic.", (), "digests",
                            made=(entries, [self.sigs[d.slug] for d in recent]))

    def _entry(self, d: Digest) -> FeedEntry:
        from generator.plan import FeedEntry

        p = self.planner
        # Plain text: the entry is a table of contents, and the page (and email.html) the digest itself.
        text = " ".join(f"{sec.name}: " + "; ".join(f"{i.title} ({', '.join(i.outlets)})" for i in sec.items) + "."
                        for sec in d.sections)
        author = p.config.site.author or p.config.site.title
        return FeedEntry(_Dated(d.updated), d.url, d.url, d.title,  # type: ignore[arg-type]  # feeds read .date only
                         text, "", d.updated, (author,), tuple(s.name for s in d.sections))

    def sitemap_urls(self) -> list[tuple[str, str | None]]:
        return [(d.url, d.updated.isoformat()) for d in self.digests]
