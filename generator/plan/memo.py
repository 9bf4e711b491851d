"""The live plan: what planning keeps from one build to the next (``BuildState.plan``), so that a
one-article edit re-plans the parts of the site that show that article, not all of it.

The site is planned in **sections** (the home page with the site's feeds, one topic with its feeds, one
month, one story, one article page…). A section's jobs are reused as they are when its ``key`` is equal
(what it lists: its member articles, neighbours, the site-wide facts it shows) and none of the articles
it shows has **changed**: a new record, other topics, a story that gained or lost a member or changed
its view. Planning decides ``changed`` first, from per-article and per-story memos kept by object
identity (an unchanged article keeps its record, its view and its card from build to build).

The memo is updated in place, and ``jobs`` (every output of the site) with it: a big site's plan holds
tens of thousands of objects, and copying it costs more than planning what an edit changed. Every job's
fingerprint depends on the templates and the site-wide fingerprint (``stamp``): when either changes, a
new memo starts empty. A memo is never needed for correctness: an empty one plans the same site, only
slower; a memo left half-updated (planning failed) is dropped by the Builder.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from generator.model import Article, Topic
from generator.plan.views import ArticleView, Card, FeedEntry, Job


class Facts(NamedTuple):
    """What planning takes from one article alone, kept while its record and its topics stay the same."""

    article: Article
    topics: tuple[Topic, ...]
    view: ArticleView
    sig: str  # what its cards show (every page but its own and the feeds): slug, all but its text, topics
    entry: str  # what its own page and its feed entries show: the card's, and its text
    card: Card
    week: tuple[int, int] | None  # the ISO week of its digest
    sitemap: tuple[str, str | None]  # (url, last change) of its page


@dataclass
class Section:
    """The jobs of one part of the site, with what decides them: equal keys and unchanged articles give
    jobs of equal inputs (so the live plan's fingerprints are a fresh plan's)."""

    key: object  # compared with ==: the member articles (by identity, then value), neighbours, site-wide facts
    shows: frozenset[str]  # slugs of the articles whose views the jobs show
    jobs: list[Job]


@dataclass
class PlanMemo:
    stamp: object = None  # (site-wide fingerprint, template fingerprints) the digests below were taken with
    jobs: dict[str, Job] = field(default_factory=dict)  # every output of the site, by path
    facts: dict[str, Facts] = field(default_factory=dict)  # by article slug, in site order
    order: tuple[str, ...] = ()  # article slugs in site order
    position: dict[str, int] | None = None  # slug -> its place in ``order`` (made when first needed)
    articles: tuple[Article, ...] = ()  # the index's articles, in that order
    article_topics: object = None  # the index's topics of each article (the same dict while the index is reused)
    stories: dict[str, Any] = field(default_factory=dict)  # story slug -> plan.stories.StoryFacts
    story_key: object = None  # what every story view depends on beyond its members
    story_list: tuple[Any, ...] = ()  # the index's stories (taxonomy.Story), by slug
    digests: dict[tuple[int, int], Any] = field(default_factory=dict)  # ISO week -> plan.digests.DigestFacts
    digests_key: object = None  # the topics (order, names) the digests were made with
    sections: dict[str, Section] = field(default_factory=dict)
    pages: dict[str, tuple[str, str, Job]] = field(default_factory=dict)  # article slug -> (newer, older, its page)
    pages_key: object = None  # the name links' epoch the pages were made with
    names: dict[str, tuple[Article, Any, str]] = field(default_factory=dict)  # slug -> (record, name links, repr)
    names_key: object = None  # the entity pages and aliases the name links were made with
    entries: dict[str, tuple[ArticleView, FeedEntry]] = field(default_factory=dict)  # feed entries by slug
    sitemap: dict[str, Any] = field(default_factory=dict)  # the sitemap's big parts, kept while unchanged
    feed_heads: tuple[list[tuple[Article, ...]], list[Article]] | None = None  # the feeds' first articles
    epochs: dict[str, int] = field(default_factory=dict)  # name -> a number bumped whenever its key changes
    keys: dict[str, object] = field(default_factory=dict)

    def epoch(self, name: str, key: object) -> int:
        """A number that stays the same while ``key`` does (cheap to put in many sections' keys)."""
        if self.keys.get(name, self) != key:
            self.keys[name] = key
            self.epochs[name] = self.epochs.get(name, 0) + 1
        return self.epochs[name]


def digested(jobs: Iterable[Job], old: Iterable[Job], template_fps: dict[str, str], global_fp: str) -> list[Job]:
    """``jobs`` with their fingerprints: taken over from ``old`` jobs of the same path and inputs."""
    previous = {j.path: j for j in old}
    result = []
    for job in jobs:
        before = previous.get(job.path)
        if before is not None and before.inputs == job.inputs:
            job.digest = before.digest
        else:
            job.digest = job.fingerprint(template_fps.get(job.template, ""), global_fp)
        result.append(job)
    return result
