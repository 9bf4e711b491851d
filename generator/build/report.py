"""What a build is asked to do and what it reports back: options, the ingest request, the report."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from generator.build.search import SearchOutcome
from generator.errors import Problem


@dataclass(frozen=True)
class IngestRequest:
    """What the ingest step of a build should do: new inbox files and feeds (or only ``files``)."""

    now: datetime  # the clock for undated inputs (a parameter, never read deep inside)
    offline: bool = False  # True: no network; local ``path:`` feeds are still read
    files: tuple[Path, ...] | None = None  # only these raw files (``digest ingest FILE``); None: inbox + feeds


@dataclass(frozen=True)
class BuildOptions:
    drafts: bool = False  # include articles with ``draft: true``
    clean: bool = False  # drop the render cache first (the first build of a Builder only)
    workers: int | None = None  # None: os.cpu_count(), capped at 4
    defer_search: bool = False  # leave the search index to ``Builder.refresh_search`` (``digest serve``)


@dataclass(frozen=True)
class Held:
    """An article file held for review, and why (its ``review:`` reasons)."""

    path: str  # project-relative
    reasons: tuple[str, ...]


@dataclass
class BuildReport:
    """What one build did; the CLI and the dev server print it, the build never does."""

    articles: int = 0  # published articles
    topics: int = 0  # topics with at least one article
    feeds: int = 0  # the site's and the topics' feeds, RSS and Atom (tag feeds come on top)
    outputs: int = 0  # output files planned
    ingested: list[str] = field(default_factory=list)  # article files the ingest step wrote
    written: list[str] = field(default_factory=list)  # output files whose bytes changed
    removed: list[str] = field(default_factory=list)  # stale output files deleted
    rendered: int = 0  # outputs rendered (changed inputs)
    parsed: int = 0  # article files parsed (not taken from the cache)
    problems: list[Problem] = field(default_factory=list)  # held articles are warnings here too
    held: list[Held] = field(default_factory=list)  # articles left out until a human reviews them, by file
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # step name -> seconds
    failed: bool = False  # the render itself failed: nothing was written
    search: SearchOutcome | None = None  # the search step (None: `search: false`, or the render failed)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def exit_code(self, strict: bool = False) -> int:
        if self.failed or self.errors or (strict and self.warnings):
            return 1
        return 0


class StepClock:
    """Times the steps of one build, in the order they ran."""

    def __init__(self) -> None:
        self.start = self.mark = time.perf_counter()
        self.timings: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = round(now - self.mark, 4)
        self.mark = now

    def total(self) -> float:
        return round(time.perf_counter() - self.start, 3)
