"""The read step: article files → ``Article`` records, parsing only what changed since the last build.

A broken file keeps its last good parse (and so its output) and reports its problems. Parsing, the
Markdown body and the cache record of each file are made together in the executor's workers: the
costly part of a cold build. In a cold build each article's output folder is made as its parse comes
back, while the workers go on parsing (ten thousand folders in one directory cost seconds on ext4, and
one process must make them: two making siblings contend for the directory's lock).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

from generator.build.state import BuildState
from generator.cache import KnownArticle, decode_article, encode_article
from generator.config import Config
from generator.errors import ContentError, Location, Problem
from generator.executor import fork_map
from generator.model import Article
from generator.plan.summary import TextFacts, text_facts
from generator.sources.articles import is_article_name, parse_article, read_article_file, scan_articles
from generator.taxonomy import structure_key
from generator.taxonomy.storytext import StoryText, story_text

PARALLEL_PARSE = 300  # files to parse before forking pays off

Progress = Callable[[str, int, int], None]
Keep = Callable[[Sequence[tuple[str, str, bytes]]], None]


class Parsed(NamedTuple):
    """One article file after parsing: ``article`` is None (and ``problems`` say why) when it is broken."""

    display: str
    stamp: str | None
    article: Article | None
    problems: list[Problem]
    blob: bytes | None  # the article as the cache stores it (cache.encode_article)
    story: StoryText | None = None  # what story clustering reads of it, made here in parallel
    facts: TextFacts | None = None  # what planning reads of its text, made here in parallel


@dataclass(frozen=True)
class ReadResult:
    """The articles of this build and what the cache must learn about them."""

    articles: dict[str, KnownArticle]  # every readable article file, by project-relative path
    gone: list[str]  # paths the cache knows that no longer exist
    swaps: dict[int, Article] | None  # id(old) -> new, when no article can have moved in the index
    parsed: int
    problems: list[Problem]
    story_texts: dict[str, StoryText] = field(default_factory=dict)  # content hash -> text, parsed this build
    text_facts: dict[str, TextFacts] = field(default_factory=dict)  # content hash -> facts, parsed this build


@dataclass(frozen=True)
class ParseSettings:
    root: Path
    tz: ZoneInfo
    hotlink: bool


def file_stamp(path: Path | str) -> str | None:
    """What tells a changed file from an unchanged one: ``mtime_ns:size``, as ``scan_articles`` gives."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return f"{st.st_mtime_ns}:{st.st_size}"


def parse_slice(settings: ParseSettings, paths: Sequence[Path]) -> list[Parsed]:
    """Parse files and encode the cache records (what travels back is the record). Bodies are rendered
    where they are shown, by the render workers: the parent never holds the HTML of every article."""
    results: list[Parsed] = []
    root = os.fspath(settings.root) + "/"
    for path in paths:
        name = os.fspath(path)  # str operations: pathlib's cost a few microseconds a file
        display = name[len(root):] if name.startswith(root) else path.relative_to(settings.root).as_posix()
        stamp: str | None = None
        try:
            raw, stamp = read_article_file(name, display)
            article = parse_article(raw, display, settings.tz)
        except ContentError as exc:
            results.append(Parsed(display, stamp or file_stamp(name), None, exc.problems, None))
            continue
        results.append(Parsed(display, stamp, None, [], encode_article(article), story_text(article),
                              text_facts(article)))
    return results


def changed_names(config: Config, changed: Collection[Path] | None, state: BuildState) -> list[str] | None:
    """Article file names among ``changed``, or None when every file must be looked at."""
    if changed is None or state.articles is None:
        return None
    folder = config.articles_dir.resolve()
    names = []
    for path in changed:
        resolved = path.resolve()
        if resolved.parent != folder:
            if folder.is_relative_to(resolved) or resolved.is_relative_to(folder):
                return None  # a folder itself moved or was replaced: look at everything
            continue
        if is_article_name(resolved.name):
            names.append(resolved.name)
    return sorted(set(names))


def read_articles(config: Config, state: BuildState, known: dict[str, KnownArticle],
                  changed: Collection[Path] | None, *, drafts: bool, workers: int,
                  progress: Progress | None, keep: Keep) -> ReadResult:
    """Articles as they are now: ``known`` ones whose file stamp is unchanged, the rest parsed.

    ``keep(rows)`` stores each slice's cache records (path, stamp, blob) as it comes back."""
    current: dict[str, KnownArticle] = {}
    misses: list[Path] = []
    prefix = config.articles_dir.relative_to(config.root).as_posix() + "/"
    names = changed_names(config, changed, state)
    if names is not None:
        current = dict(known)
        listing = []
        for name in names:
            stamp = file_stamp(config.articles_dir / name)
            if stamp is None:
                current.pop(prefix + name, None)  # deleted, or renamed away
                continue
            listing.append((name, stamp))
    else:
        listing = scan_articles(config.articles_dir)
    for name, stamp in listing:
        display = prefix + name
        hit = known.get(display)
        if hit is not None and hit.stamp == stamp:
            current[display] = hit
        else:
            misses.append(config.articles_dir / name)

    results: list[Parsed] = []

    def taken(part: list[Parsed], done: int) -> None:
        records = []
        for raw in part:
            if raw.blob is None:
                results.append(raw)
                continue
            results.append(raw._replace(article=decode_article(raw.blob), blob=None))
            if raw.stamp is not None:
                records.append((raw.display, raw.stamp, raw.blob))
        keep(records)
        if progress is not None and len(misses) >= PARALLEL_PARSE:
            progress("reading", done, len(misses))

    settings = ParseSettings(config.root, config.tz, config.images == "hotlink")
    fork_map(lambda paths: parse_slice(settings, paths), misses, workers=workers,
             parallel_from=PARALLEL_PARSE, min_slice=25, taken=taken)
    return _merge(config, known, current, results, len(misses))


def _merge(config: Config, known: dict[str, KnownArticle], current: dict[str, KnownArticle],
           results: list[Parsed], parsed: int) -> ReadResult:
    problems: list[Problem] = []
    swaps: dict[int, Article] | None = {}
    texts: dict[str, StoryText] = {}
    facts: dict[str, TextFacts] = {}
    for result in results:
        display, stamp, article, file_problems, _blob, story, fact = result
        if article is None:
            problems.extend(file_problems)
            if display in known:
                current[display] = known[display]  # last good version
            continue
        old = known.get(display)
        if swaps is not None:
            if old is None or structure_key(old.article, config) != structure_key(article, config):
                swaps = None
            else:
                swaps[id(old.article)] = article
        current[display] = KnownArticle(stamp or "", article)
        if story is not None and article.content_hash:
            texts[article.content_hash] = story
        if fact is not None and article.content_hash:
            facts[article.content_hash] = fact
    same_files = len(current) == len(known) and all(display in known for display in current)
    return ReadResult(current, [p for p in known if p not in current], swaps if same_files else None,
                      parsed, problems, texts, facts)


def refuse_oversize(config: Config, articles: Sequence[Article]) -> tuple[list[Article], list[Problem]]:
    """Articles within ``limits.article_body``, and an error for each one over it (left out of the site).

    Checked on every build, not when parsing, so a changed limit applies to cached articles too."""
    limit = config.limits.article_body
    over = [a for a in articles if len(a.body) > limit]  # one pass at C speed: a rebuild runs it every time
    if not over:
        return list(articles), []
    kept = [a for a in articles if len(a.body) <= limit]
    problems: list[Problem] = []
    for article in over:
        problems.append(Problem(Location(article.path), f"the article body is {len(article.body):,} characters, "
                                f"over the limit of {limit:,} (limits.article_body); it is not published",
                                "split or trim it, or raise `limits.article_body` in config.yaml"))
    return kept, problems
