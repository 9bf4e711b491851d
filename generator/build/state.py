"""``BuildState``: everything a Builder remembers from one build to the next (``digest serve``).

A new Builder starts empty and fills what it needs from the cache under ``.digest/``; a long-lived
one keeps it in memory, so a one-article save re-reads one file and re-renders what depends on it.
Nothing here is required for correctness: an empty state gives the same output, only slower.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import jinja2

from generator.build.bodies import BodyRenderer
from generator.cache import KnownArticle
from generator.model import Article
from generator.plan import PlanMemo
from generator.taxonomy import NO_ALIASES, Aliases, SiteIndex, StoryMemo

TemplatesStamp = tuple[tuple[str, int, int], ...]


@dataclass
class Templates:
    """The Jinja environment of the current templates, and their fingerprints by template set."""

    stamp: TemplatesStamp  # (name, mtime_ns, size) of every template file
    env: jinja2.Environment
    fingerprints: dict[str, str] | None = None  # by template name (plan.TEMPLATES)


@dataclass
class IndexMemo:
    drafts: bool
    index: SiteIndex
    reused: bool = False  # this build swapped articles into last build's index instead of building one
    aliases: Aliases = NO_ALIASES  # the alias file this index was made with


@dataclass
class Vetted:
    """Last build's publishable articles (within ``limits.article_body``) and the held ones, kept so that a
    rebuild that only swapped some articles for their new versions updates them in place: a pass over
    every article object costs ~1 µs each (their memory is cold), ten milliseconds of a save at 10,000."""

    limit: int
    articles: list[Article]
    position: dict[int, int]  # id(article) -> index in ``articles`` (the objects are kept alive there)
    held: list[Article]  # by path


@dataclass
class BuildState:
    articles: dict[str, KnownArticle] | None = None  # by project-relative path; None: ask the cache
    vetted: Vetted | None = None
    bodies: dict[str, str] = field(default_factory=dict)  # rendered Markdown, by body key
    body_renderer: BodyRenderer | None = None
    fingerprints: dict[str, str] | None = None  # output path -> fingerprint of its inputs; None: ask the cache
    outputs: set[str] | None = None  # files in site/ after the last build; None: scan site/
    templates: Templates | None = None
    index: IndexMemo | None = None
    plan: PlanMemo | None = None  # the live plan (plan/memo.py)
    plan_pending: bool = False  # the last plan was not rendered and written (its build failed)
    stories: StoryMemo = field(default_factory=StoryMemo)  # story clustering's vectors, edges and groups
    stories_stored: bool = False  # this Builder has put the memo in the cache once (see Builder._keep)
    facts_stored: bool = False  # likewise the text facts (plan/summary.py), after taking up the stored ones
    search_stamp: str | None = None  # what the search index in site/pagefind/ was made from; None: ask the cache
    search_pending: bool | None = None  # the last look found the index behind the pages; None: not looked yet
    search_files: set[str] | None = None  # the files of site/pagefind/; None: look
