"""Articles → the site's indexes: topics, tags, people, organizations, places, stories, monthly archives.

Pure functions over ``Article`` records; everything is sorted by (date desc, slug), the site's one order.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, timedelta
from functools import lru_cache

from generator.config import Config, TopicConfig
from generator.errors import Location, Problem
from generator.model import Article, Topic
from generator.slug import free_slug, slugify
from generator.taxonomy.entities import NO_ALIASES, Aliases, Group, entity_slugs, group_names, people_pairs
from generator.taxonomy.stories import Stories, Story, StoryMemo, StorySettings, find_stories
from generator.topicmatch import TopicText, match_topics

__all__ = ["NO_ALIASES", "Aliases", "Group", "SiteIndex", "Stories", "Story", "StoryMemo", "build_index",
           "stories_of"]

NO_STORIES = Stories((), {})


@dataclass(frozen=True)
class SiteIndex:
    articles: tuple[Article, ...]  # site order: newest first, then slug
    topics: tuple[Topic, ...]  # config order, then undefined ones by name
    topic_articles: dict[str, tuple[Article, ...]]  # topic slug → articles
    article_topics: dict[str, tuple[Topic, ...]]  # article slug → its topics
    tags: tuple[Group, ...]
    people: tuple[Group, ...]
    months: tuple[Group, ...]  # slug "YYYY/MM", newest first
    undefined_topics: tuple[str, ...] = field(default=())
    organizations: tuple[Group, ...] = field(default=())  # named in at least `entities.min_articles` articles
    places: tuple[Group, ...] = field(default=())
    stories: Stories = field(default=NO_STORIES)  # stories of 2+ articles
    aliases: Aliases = field(default=NO_ALIASES)  # the alias file's names, for linking names to pages


def sort_key(article: Article) -> tuple[float, str]:
    """Newest first; an undated article (only ever a held one, in a ``--drafts`` build) comes first."""
    return (-article.date.timestamp() if article.date is not None else -math.inf, article.slug)


def is_left_out(article: Article, drafts: bool) -> bool:
    """Drafts and articles held for review stay out of the site unless ``--drafts``."""
    return not drafts and (article.draft or article.held)


def held_articles(articles: Iterable[Article]) -> list[Article]:
    """The articles waiting for review (``review:`` not empty), by file."""
    return sorted([a for a in articles if a.review], key=lambda a: a.path)  # ``held``, without 10k property calls


def undefined_topic_problems(index: SiteIndex) -> list[Problem]:
    """A warning per article file for each topic it lists that config.yaml does not define (the topic still
    gets its page, named as written): the file is where a misspelling is fixed."""
    if not index.undefined_topics:
        return []
    return [Problem(Location(a.path), f"topic {t.name!r} is used in front matter but not defined in config.yaml",
                    "add it under `topics:` in config.yaml, or correct the name here", severity="warning")
            for a in index.articles for t in index.article_topics.get(a.slug, ()) if not t.defined]


def dedupe_slugs(articles: Iterable[Article]) -> list[Article]:
    """Two files wanting one slug: the first by path keeps it, the others get -2, -3 (the result is then in
    path order; with no slug wanted twice, it is ``articles`` as given)."""
    from dataclasses import replace

    articles = list(articles)
    if len({a.slug for a in articles}) == len(articles):
        return articles  # (the order is the caller's: build_index sorts)
    taken: set[str] = set()
    result = []
    for article in sorted(articles, key=lambda a: a.path):
        slug = free_slug(article.slug, taken.__contains__)
        taken.add(slug)
        result.append(article if slug == article.slug else replace(article, slug=slug))
    return result


def assign_topics(article: Article, rules: Sequence[TopicConfig]) -> tuple[str, ...]:
    """Front matter is the truth when present; otherwise the rules decide."""
    if article.topics is not None:
        return article.topics
    return _rule_topics(tuple(rules), article.title, article.body, article.summary)


@lru_cache(maxsize=65536)
def _rule_topics(rules: tuple[TopicConfig, ...], title: str, body: str, summary: str | None) -> tuple[str, ...]:
    """Memoised: a rebuild re-matches only articles whose text changed."""
    return match_topics(rules, TopicText(title, body, summary))


def build_index(articles: Iterable[Article], config: Config, *, drafts: bool = False,
                aliases: Aliases = NO_ALIASES, story_memo: StoryMemo | None = None) -> SiteIndex:
    """``story_memo`` (kept by a long-lived Builder) makes story clustering redo only what changed."""
    kept = [a for a in dedupe_slugs(articles) if not is_left_out(a, drafts)]
    kept.sort(key=sort_key)
    tz = config.tz

    defined = {t.slug: Topic(name=t.name, slug=t.slug, description=t.description) for t in config.topics}
    by_name = {t.name.casefold(): t.slug for t in config.topics}
    undefined: dict[str, Topic] = {}
    named: dict[str, Topic] = {}  # each name as written → its topic
    topic_members: dict[str, list[Article]] = defaultdict(list)
    article_topics: dict[str, tuple[Topic, ...]] = {}
    for article in kept:
        found: list[Topic] = []
        for name in assign_topics(article, config.topics):
            topic = named.get(name)
            if topic is None:
                slug = by_name.get(name.casefold()) or slugify(name)
                topic = named[name] = defined.get(slug) or undefined.setdefault(
                    slug, Topic(name=name, slug=slug, defined=False))
            if all(t is not topic for t in found):  # one object per slug
                found.append(topic)
                topic_members[topic.slug].append(article)
        article_topics[article.slug] = tuple(found)

    topics = tuple(defined.values()) + tuple(sorted(undefined.values(), key=lambda t: t.slug))
    months = defaultdict(list)
    for article in kept:
        if article.date is None:
            continue  # no month to file it under
        local = article.date.astimezone(tz)
        months[f"{local.year:04d}/{local.month:02d}"].append(article)
    month_groups = tuple(
        Group(name=slug, slug=slug, articles=tuple(arts))
        for slug, arts in sorted(months.items(), reverse=True)
    )
    position = {a.slug: i for i, a in enumerate(kept)}
    return SiteIndex(
        articles=tuple(kept),
        topics=topics,
        topic_articles={slug: tuple(arts) for slug, arts in topic_members.items()},
        article_topics=article_topics,
        tags=group_names(((t, a) for a in kept for t in a.tags), position),
        people=group_names(people_pairs(kept), position, aliases, config.entities.people_min_articles),
        months=month_groups,
        undefined_topics=tuple(t.name for t in undefined.values()),
        organizations=group_names(((o, a) for a in kept for o in a.organizations), position, aliases,
                                  config.entities.min_articles),
        places=group_names(((p, a) for a in kept for p in a.places), position, aliases, config.entities.min_articles),
        stories=stories_of(kept, config, aliases, story_memo),
        aliases=aliases,
    )


def stories_of(articles: Sequence[Article], config: Config, aliases: Aliases,
               memo: StoryMemo | None) -> Stories:
    settings = StorySettings(config.stories.window_days, config.stories.join, config.stories.near_duplicate)
    return find_stories(articles, settings, aliases.slugs(), memo)


def structure_key(article: Article, config: Config) -> tuple[object, ...]:
    """Everything of an article that decides where ``build_index`` puts it: equal keys, equal places."""
    return (article.path, article.slug, article.draft, article.held, article.date,
            assign_topics(article, config.topics),
            article.tags, article.people, tuple(q.speaker for q in article.quotes),
            article.organizations, article.places)


def replace_articles(index: SiteIndex, new: dict[int, Article], stories: Stories) -> SiteIndex | None:
    """``index`` with articles swapped for new versions of equal ``structure_key`` (``new``: id of the
    old record → the new one), or None when an old record is not in the index as itself (a renamed slug).
    ``stories``: the stories of the new articles (``stories_of``: an edit of the text may move one).

    The watch-mode rebuild of one edited article: one pass of identity checks over the articles, and new
    member tuples only for the groups an old record can be in (equal keys, equal places).
    """
    at = [k for k, a in enumerate(index.articles) if id(a) in new]
    if len(at) != len(new):
        return None
    olds = [index.articles[k] for k in at]
    articles = list(index.articles)
    for k in at:
        articles[k] = new[id(articles[k])]

    def swap(articles: tuple[Article, ...]) -> tuple[Article, ...]:
        return tuple([new.get(id(a), a) for a in articles])

    def swapped(groups: tuple[Group, ...], slugs: set[str]) -> tuple[Group, ...]:
        return tuple(Group(g.name, g.slug, swap(g.articles)) if g.slug in slugs else g for g in groups)

    topics = {t.slug for a in olds for t in index.article_topics.get(a.slug, ())}
    aliases = index.aliases

    def entities(kind: str) -> set[str]:
        return {s for a in olds for s in entity_slugs(a, kind, aliases)}
    return SiteIndex(
        articles=tuple(articles),
        topics=index.topics,
        topic_articles={slug: swap(arts) if slug in topics else arts for slug, arts in index.topic_articles.items()},
        article_topics=index.article_topics,
        tags=swapped(index.tags, {slugify(t) for a in olds for t in a.tags}),
        people=swapped(index.people, entities("people")),
        months=swapped(index.months, {m for a in olds for m in _months_near(a)}),
        undefined_topics=index.undefined_topics,
        organizations=swapped(index.organizations, entities("organizations")),
        places=swapped(index.places, entities("places")),
        stories=stories,
        aliases=aliases,
    )


def _months_near(article: Article) -> set[str]:
    """The month folders (``YYYY/MM``) an article can be filed under in any time zone (UTC-12 to UTC+14)."""
    if article.date is None:
        return set()
    utc = article.date.astimezone(UTC)
    return {f"{d.year:04d}/{d.month:02d}" for d in (utc - timedelta(hours=12), utc + timedelta(hours=14))}
