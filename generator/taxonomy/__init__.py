"""Articles → the site's indexes: topics, tags, people, monthly archives, in one linear pass.

Pure functions over ``Article`` records; everything is sorted by (date desc, slug), the site's one order.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from generator.config import Config, TopicConfig
from generator.model import Article, Topic
from generator.slug import free_slug, slugify
from generator.topicmatch import TopicText, match_topics


@dataclass(frozen=True)
class Group:
    """A tag, a person or a month: a named, slugged list of articles in site order."""

    name: str
    slug: str
    articles: tuple[Article, ...]


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


def sort_key(article: Article) -> tuple[float, str]:
    """Newest first; an undated article (only ever a held one, in a ``--drafts`` build) comes first."""
    return (-article.date.timestamp() if article.date is not None else -math.inf, article.slug)


def is_left_out(article: Article, drafts: bool) -> bool:
    """Drafts and articles held for review stay out of the site unless ``--drafts``."""
    return not drafts and (article.draft or article.held)


def held_articles(articles: Iterable[Article]) -> list[Article]:
    """The articles waiting for review (``review:`` not empty), by file."""
    return sorted((a for a in articles if a.held), key=lambda a: a.path)


def dedupe_slugs(articles: Iterable[Article]) -> list[Article]:
    """Two files wanting one slug: the first by path keeps it, the others get -2, -3."""
    from dataclasses import replace

    taken: set[str] = set()
    result = []
    for article in sorted(articles, key=lambda a: a.path):
        slug = free_slug(article.slug, taken.__contains__)
        taken.add(slug)
        result.append(article if slug == article.slug else replace(article, slug=slug))
    return result


def _groups(pairs: Iterable[tuple[str, Article]], order: Sequence[Article]) -> tuple[Group, ...]:
    """Group by slug (``Ontario`` and ``ontario`` are one page), named by the most used spelling."""
    position = {a.slug: i for i, a in enumerate(order)}
    members: dict[str, dict[str, Article]] = defaultdict(dict)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for name, article in pairs:
        slug = slugify(name)
        members[slug][article.slug] = article
        spellings[slug][name] += 1
    groups = []
    for slug in sorted(members):
        name = sorted(spellings[slug].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        arts = sorted(members[slug].values(), key=lambda a: position[a.slug])
        groups.append(Group(name=name, slug=slug, articles=tuple(arts)))
    return tuple(groups)


def assign_topics(article: Article, rules: Sequence[TopicConfig]) -> tuple[str, ...]:
    """Front matter is the truth when present; otherwise the rules decide."""
    if article.topics is not None:
        return article.topics
    return _rule_topics(tuple(rules), article.title, article.body, article.summary)


@lru_cache(maxsize=65536)
def _rule_topics(rules: tuple[TopicConfig, ...], title: str, body: str, summary: str | None) -> tuple[str, ...]:
    """Memoised: a rebuild re-matches only articles whose text changed."""
    return match_topics(rules, TopicText(title, body, summary))


def build_index(articles: Iterable[Article], config: Config, *, drafts: bool = False) -> SiteIndex:
    kept = [a for a in dedupe_slugs(articles) if not is_left_out(a, drafts)]
    kept.sort(key=sort_key)
    tz = config.tz

    defined = {t.slug: Topic(name=t.name, slug=t.slug, description=t.description) for t in config.topics}
    by_name = {t.name.casefold(): t.slug for t in config.topics}
    undefined: dict[str, Topic] = {}
    topic_members: dict[str, list[Article]] = defaultdict(list)
    article_topics: dict[str, tuple[Topic, ...]] = {}
    for article in kept:
        found: list[Topic] = []
        for name in assign_topics(article, config.topics):
            slug = by_name.get(name.casefold()) or slugify(name)
            topic = defined.get(slug) or undefined.setdefault(
                slug, Topic(name=name, slug=slug, defined=False))
            if topic not in found:
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
    return SiteIndex(
        articles=tuple(kept),
        topics=topics,
        topic_articles={slug: tuple(arts) for slug, arts in topic_members.items()},
        article_topics=article_topics,
        tags=_groups(((t, a) for a in kept for t in a.tags), kept),
        people=_groups(((p, a) for a in kept for p in (*a.people, *(q.speaker for q in a.quotes if q.speaker))
                        if _is_named_person(p)), kept),
        months=month_groups,
        undefined_topics=tuple(t.name for t in undefined.values()),
    )


def structure_key(article: Article, config: Config) -> tuple[object, ...]:
    """Everything of an article that decides where ``build_index`` puts it: equal keys, equal places."""
    return (article.path, article.slug, article.draft, article.held, article.date,
            assign_topics(article, config.topics),
            article.tags, article.people, tuple(q.speaker for q in article.quotes))


def replace_articles(index: SiteIndex, new: dict[int, Article]) -> SiteIndex | None:
    """``index`` with articles swapped for new versions of equal ``structure_key`` (``new``: id of the
    old record → the new one), or None when an old record is not in the index as itself (a renamed slug).

    The watch-mode rebuild of one edited article: a linear pass of identity checks instead of sorting
    and grouping the whole site again.
    """
    def swap(articles: tuple[Article, ...]) -> tuple[Article, ...]:
        return tuple([new.get(id(a), a) for a in articles])

    articles = swap(index.articles)
    if sum(1 for a in index.articles if id(a) in new) != len(new):
        return None
    return SiteIndex(
        articles=articles,
        topics=index.topics,
        topic_articles={slug: swap(arts) for slug, arts in index.topic_articles.items()},
        article_topics=index.article_topics,
        tags=tuple(Group(g.name, g.slug, swap(g.articles)) for g in index.tags),
        people=tuple(Group(g.name, g.slug, swap(g.articles)) for g in index.people),
        months=tuple(Group(g.name, g.slug, swap(g.articles)) for g in index.months),
        undefined_topics=index.undefined_topics,
    )


def _is_named_person(name: str) -> bool:
    """Unnamed speakers (``U.S. embassy official``) keep their quote but get no people page."""
    words = name.split()
    return len(words) >= 2 and all(w[:1].isupper() for w in words if w.isalpha() and len(w) > 3)
