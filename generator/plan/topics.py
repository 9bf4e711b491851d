"""What a topic page tells beside its cards: a dated timeline of its stories, the people and organizations
most present in it (with their latest quote), and what is new this week.

"This week" is the seven days up to the newest article of the whole site, never the wall clock, so two
builds of the same articles give the same page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from generator.model import Article, Quote, Topic
from generator.slug import slugify

if TYPE_CHECKING:
    from generator.plan import SitePlanner

TIMELINE = 12  # stories on the timeline
KEY_ENTITIES = 6  # people and organizations shown
NEW_DAYS = 7


@dataclass(frozen=True)
class TimelineEntry:
    day: datetime
    title: str
    path: str
    outlets: int
    new: bool  # within the last NEW_DAYS days of the site


@dataclass(frozen=True)
class KeyEntity:
    name: str
    path: str | None
    kind: str  # "person" | "organization"
    articles: int
    quote: Quote | None
    quote_path: str | None  # the article the quote is from


@dataclass(frozen=True)
class TopicStory:
    timeline: tuple[TimelineEntry, ...]
    key_people: tuple[KeyEntity, ...]
    new_this_week: int  # stories with an article in the last NEW_DAYS days


def topic_story(planner: SitePlanner, members: Sequence[Article], site_newest: datetime | None) -> TopicStory:
    """The topic's timeline and key names, from its articles in site order (newest first); ``site_newest``:
    the date of the site's newest article."""
    since = site_newest - timedelta(days=NEW_DAYS) if site_newest is not None else None
    timeline: list[TimelineEntry] = []
    new = 0
    for card in planner.cards(members):
        view = card.view
        if view.date is None:
            continue
        is_new = since is not None and view.date > since
        new += is_new
        if len(timeline) < TIMELINE:
            outlets = getattr(view, "outlets", 1)
            timeline.append(TimelineEntry(view.date, view.title, view.path, outlets, is_new))
    ent = planner.entities
    counts: Counter[tuple[str, str]] = Counter()
    names: dict[tuple[str, str], str] = {}
    latest_quote: dict[str, tuple[Quote, str]] = {}
    for a in members:
        seen = set()
        for kind, attr in (("person", "people"), ("organization", "organizations")):
            for name in getattr(a, attr):
                canonical = ent.aliases.name(name)
                k = (kind, slugify(canonical))
                if k not in seen:
                    seen.add(k)
                    counts[k] += 1
                    names.setdefault(k, canonical)
        for q in a.quotes:
            if q.speaker:
                latest_quote.setdefault(slugify(ent.aliases.name(q.speaker)), (q, f"articles/{a.slug}/"))
    ranked = sorted((k for k, n in counts.items() if n >= 2), key=lambda k: (-counts[k], names[k]))[:KEY_ENTITIES]
    key_people = []
    for kind, slug in ranked:
        quote = latest_quote.get(slug) if kind == "person" else None
        folder = "people" if kind == "person" else "organizations"
        key_people.append(KeyEntity(names[(kind, slug)], ent.path(folder, names[(kind, slug)]), kind,
                                    counts[(kind, slug)], quote[0] if quote else None, quote[1] if quote else None))
    return TopicStory(tuple(timeline), tuple(key_people), new)


def topic_extra(planner: SitePlanner, topic: Topic, members: Sequence[Article],
                site_newest: datetime | None) -> tuple[dict[str, Any], str]:
    """(template context, fingerprint text) of a topic page: the topic and its story panels."""
    story = topic_story(planner, members, site_newest)
    return {"topic": topic, "topic_story": story}, repr(story)
