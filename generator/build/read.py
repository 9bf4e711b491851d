"""The read step: article files → ``Article`` records, parsing only what changed since the last build.

A broken file keeps its last good parse (and so its output) and reports its problems. Parsing, the
Markdown body and the cache record of each file are made together in the executor's workers: the
costly part of a cold build. In a cold build each article's output folder is made as its parse comes
back, while the workers go on parsing (ten thousand folders in one directory cost seconds on ext4, and
one process must make them: two making siblings contend for the directory's lock).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple
from zoneinfo import ZoneInfo

from generator.build.bodies import body_key
from generator.build.state import BuildState
from generator.cache import KnownArticle, decode_article, encode_article
from generator.config import Config
from generator.errors import ContentError, Location, Problem
from generator.executor import fork_map
from generator.model import Article
from generator.render import body_html
from generator.sources.articles import is_article_name, read_article, scan_articles
from generator.taxonomy import is_left_out, structure_key
from generator.write import FolderMaker

PARALLEL_PARSE = 300  # files to parse before forking pays off

Progress = Callable[[str, int, int], None]


class Parsed(NamedTuple):
    """One article file after parsing: ``article`` is None (and ``problems`` say why) when it is broken."""

    display: str
    stamp: str | None
    article: Article | None
    html: str | None  # the rendered body
    problems: list[Problem]
    blob: bytes | None  # the article as the cache stores it (cache.encode_article)


@dataclass(frozen=True)
class ReadResult:
    """The articles of this build and what the cache must learn about them."""

    articles: dict[str, KnownArticle]  # every readable article file, by project-relative path
    fresh: dict[str, tuple[str, bytes]]  # path -> (stamp, cache record) parsed in this build
    gone: list[str]  # paths the cache knows that no longer exist
    swaps: dict[int, Article] | None  # id(old) -> new, when no article can have moved in the index
    bodies: dict[str, str]  # body key -> HTML rendered while parsing
    parsed: int
    problems: list[Problem]
    premade: frozenset[str]  # article folders a cold build made while parsing


@dataclass(frozen=True)
class ParseSettings:
    root: Path
    tz: ZoneInfo
    hotlink: bool


def file_stamp(path: Path) -> str | None:
    """What tells a changed file from an unchanged one: ``mtime_ns:size``, as ``scan_articles`` gives."""
    try:
        st = path.stat()
    except OSError:
        return None
    return f"{st.st_mtime_ns}:{st.st_size}"


def parse_slice(settings: ParseSettings, paths: Sequence[Path]) -> list[Parsed]:
    """Parse files, render their bodies and encode the cache records (what travels back is the record)."""
    results: list[Parsed] = []
    for path in paths:
        display = path.relative_to(settings.root).as_posix()
        stamp = file_stamp(path)
        try:
            article = read_article(path, display, settings.tz)
        except ContentError as exc:
            results.append(Parsed(display, stamp, None, None, exc.problems, None))
            continue
        results.append(Parsed(display, stamp, None, body_html(article, settings.hotlink), [],
                              encode_article(article)))
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
                  staging: Path | None, progress: Progress | None) -> ReadResult:
    """Articles as they are now: ``known`` ones whose file stamp is unchanged, the rest parsed."""
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

    premade: set[str] = set()
    maker = FolderMaker(staging / "articles", create=True) if staging is not None else None
    results: list[Parsed] = []

    def taken(part: list[Parsed], done: int) -> None:
        for raw in part:
            parsed = raw._replace(article=decode_article(raw.blob)) if raw.blob is not None else raw
            results.append(parsed)
            article = parsed.article
            if maker is not None and article is not None and not is_left_out(article, drafts) \
                    and article.slug not in premade:
                premade.add(article.slug)
                maker.add(article.slug)
        if progress is not None and len(misses) >= PARALLEL_PARSE:
            progress("reading", done, len(misses))

    settings = ParseSettings(config.root, config.tz, config.images == "hotlink")
    try:
        fork_map(lambda paths: parse_slice(settings, paths), misses, workers=workers,
                 parallel_from=PARALLEL_PARSE, min_slice=25, taken=taken)
    finally:
        if maker is not None:
            maker.close()
    return _merge(config, known, current, results, len(misses), frozenset(premade))


def _merge(config: Config, known: dict[str, KnownArticle], current: dict[str, KnownArticle],
           results: list[Parsed], parsed: int, premade: frozenset[str]) -> ReadResult:
    hotlink = config.images == "hotlink"
    fresh: dict[str, tuple[str, bytes]] = {}
    bodies: dict[str, str] = {}
    problems: list[Problem] = []
    swaps: dict[int, Article] | None = {}
    for result in results:
        display, stamp, article, html, file_problems, blob = result
        if article is None or blob is None:
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
        if stamp is not None:
            fresh[display] = (stamp, blob)
        if html is not None:
            bodies[body_key(article, hotlink)] = html
    same_files = len(current) == len(known) and all(display in known for display in current)
    return ReadResult(current, fresh, [p for p in known if p not in current], swaps if same_files else None,
                      bodies, parsed, problems, premade)


def refuse_oversize(config: Config, articles: Sequence[Article]) -> tuple[list[Article], list[Problem]]:
    """Articles within ``limits.article_body``, and an error for each one over it (left out of the site).

    Checked on every build, not when parsing, so a changed limit applies to cached articles too."""
    limit = config.limits.article_body
    kept: list[Article] = []
    problems: list[Problem] = []
    for article in articles:
        if len(article.body) <= limit:
            kept.append(article)
            continue
        problems.append(Problem(Location(article.path), f"the article body is {len(article.body):,} characters, "
                                f"over the limit of {limit:,} (limits.article_body); it is not published",
                                "split or trim it, or raise `limits.article_body` in config.yaml"))
    return kept, problems
