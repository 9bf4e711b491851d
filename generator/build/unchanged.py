"""The no-change fast path of a one-off build (``digest build``): nothing read changed, so nothing is done.

site/ is a function of what a build reads (DESIGN.md: an incremental build equals a clean one): the
article files, the alias file, config.yaml, the templates and the theme's static files, the feed state
the sources page shows, and the ``--drafts`` flag. A one-off build computes a key over all of these
without reading an article (a scan of the folder's names and ``mtime:size`` stamps, as the read step
tells a changed file) and, once it has completed, stores it in the render cache with its report. The
next one-off build with the same key, when every output the last build planned is still in site/ (a
deleted page is made again), gives that report again instead of reading, indexing, planning and
rendering. Every other build forgets the stored key before it changes site/, so a stored key always
describes site/ as it is. Not noticed, as in any incremental build: a file in site/ edited by hand, and
files added to site/ by hand (a full build removes them).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator import __version__
from generator.build.report import BuildReport, Held
from generator.config import Config
from generator.errors import Problem
from generator.plan import FeedRow
from generator.render import templates_stamp
from generator.sources.aliases import ALIASES_FILE
from generator.sources.articles import scan_articles

LAST_BUILD = "last-build"  # the render cache's memo of the last completed one-off build


@dataclass(frozen=True)
class LastBuild:
    """What a completed one-off build read (its key) and what it reported (ingest aside)."""

    key: str
    articles: int
    topics: int
    feeds: int
    outputs: int
    problems: tuple[Problem, ...]
    held: tuple[Held, ...]

    @classmethod
    def of(cls, key: str, report: BuildReport, problems: Sequence[Problem]) -> LastBuild:
        return cls(key, report.articles, report.topics, report.feeds, report.outputs, tuple(problems),
                   tuple(report.held))

    def report_to(self, report: BuildReport) -> None:
        """Give this build's report again (nothing parsed, rendered, written or removed this time)."""
        report.articles, report.topics, report.feeds, report.outputs = (self.articles, self.topics, self.feeds,
                                                                        self.outputs)
        report.problems += self.problems
        report.held = list(self.held)


def site_key(config: Config, *, drafts: bool, feed_rows: Sequence[FeedRow] | None) -> str:
    """A hash of everything a build reads, without parsing any of it."""
    h = hashlib.blake2b(digest_size=20)

    def add(text: str) -> None:
        h.update(text.encode("utf-8", "surrogatepass") + b"\0")

    add(__version__)
    add(repr(config))
    add(f"drafts={drafts}")
    add(repr(templates_stamp(config)))
    add(repr(feed_rows))
    try:
        h.update((config.content_dir / ALIASES_FILE).read_bytes())
    except FileNotFoundError:
        add("no aliases")
    for name, stamp in scan_articles(config.articles_dir):
        add(f"{name}\0{stamp}")
    return h.hexdigest()


def outputs_in_place(out: Path, paths: Iterable[str]) -> bool:
    """Whether every one of ``paths`` (relative to ``out``) is still there."""
    root = str(out)
    return all(os.path.exists(os.path.join(root, p)) for p in paths)
