"""The ``search`` step: Pagefind indexes the article pages of ``site/`` into ``site/pagefind/``.

Pagefind is a program (the ``pagefind-bin`` package ships it; nothing is downloaded at build time) run
over the written site after the write step. It writes its bundle into a spool folder beside ``site/``;
``write.replace_folder`` then swaps the bundle's files in one by one, the entry file last, and removes
the old ones, so a reader never meets a half-written index. It runs only when an indexed page may have
changed: the step's stamp is a hash of every article page's fingerprint (which decides its bytes) and
Pagefind's version, kept in the render cache; an unchanged stamp with the bundle in place skips it.
``digest serve`` defers it (``BuildOptions.defer_search``) and asks for it once edits have paused.

Pagefind holds every page it indexes in memory (~0.3 GB per 1,000 article pages; 100,000 pages did not fit
in 17 GB). A site of more than ``search_index_pages`` article pages is indexed in parts: each page belongs
to one of a power-of-two number of parts by a hash of its path, each part is a bundle of its own (the
first in ``site/pagefind/``, the others in ``site/pagefind/part-N/``, listed in ``parts.json``) that the
search page merges (Pagefind's ``mergeIndex``), and each part has its own stamp, so a change re-indexes
only its part. Two parts are indexed at once. The number of parts changes only when the site doubles.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import subprocess
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from generator.build.pagefind_bytes import canonical_bundle
from generator.errors import Location, Problem
from generator.executor import dying_with_parent
from generator.write import link_files, make_folder, new_spool_dir, remove_tree, replace_folder

BUNDLE = "pagefind"  # site/pagefind/
ENTRY = "pagefind-entry.json"  # names the index files: swapped in last
PAGES = "articles/*/index.html"  # what is indexed: article pages (they mark their body data-pagefind-body)
# Pagefind's own search interfaces: the theme has its own (static/search.js, a labelled form), so
# these ~420 KB are not published.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
PARTS = "parts.json"  # in site/pagefind/: the other parts' folders, for the search page to merge
PART = "part-"  # site/pagefind/part-N/: part N's bundle (N ≥ 1)
AT_ONCE = 2  # parts indexed at the same time
STAMP_KEY = "search-stamp"
TIMEOUT = 1800.0  # seconds; 10,000 articles take well under a minute


@dataclass
class SearchOutcome:
    """What the search step did in one build."""

    ran: bool = False  # Pagefind indexed the site in this build
    pending: bool = False  # pages changed but indexing was deferred (``digest serve``)
    seconds: float = 0.0
    files: int = 0  # files of site/pagefind/
    size: int = 0  # their bytes
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    parts: int = 0  # indexes the search page merges
    indexed: int = 0  # of them, made in this build


def pagefind_executable() -> Path | None:
    """The Pagefind binary of the ``pagefind-bin`` package, or None when it is not installed."""
    try:
        import pagefind_bin
    except ImportError:
        return None
    try:
        return Path(pagefind_bin.get_executable())
    except (FileNotFoundError, OSError):
        return None


@functools.cache
def pagefind_version() -> str:
    try:
        return importlib.metadata.version("pagefind-bin")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def part_count(pages: int, per_part: int) -> int:
    """How many parts ``pages`` article pages are indexed in: one up to ``per_part``, else the power of two
    that keeps each part under ``per_part`` on average (every page moves only when the count doubles)."""
    count = 1
    while pages > count * per_part:
        count *= 2
    return count


def part_of(path: str, parts: int) -> int:
    """The part an article page (``articles/<slug>/index.html``) belongs to: a hash of its path."""
    if parts == 1:
        return 0
    return int.from_bytes(hashlib.blake2b(path.encode(), digest_size=8).digest(), "big") % parts


def part_folder(part: int) -> str:
    """Part ``part``'s bundle, as an output path."""
    return BUNDLE if part == 0 else f"{BUNDLE}/{PART}{part}"


def search_stamp(fingerprints: Mapping[str, str], version: str, per_part: int) -> str:
    """What decides the index, one hash per part (space-separated; ``-`` for a part with no page): the
    fingerprint of each of the part's article pages, Pagefind's version, the glob, the number of parts."""
    pages = sorted(p for p in fingerprints if p.startswith("articles/") and p.endswith("/index.html"))
    parts = part_count(len(pages), per_part)
    hashes = [hashlib.blake2b(f"{version}\0{PAGES}\0{part}/{parts}".encode(), digest_size=20) for part in range(parts)]
    used = [False] * parts
    for path in pages:
        part = part_of(path, parts)
        hashes[part].update(f"\0{path}\0{fingerprints[path]}".encode())
        used[part] = True
    return " ".join(h.hexdigest() if full else "-" for h, full in zip(hashes, used, strict=True))


def stale_parts(stamp: str, previous: str | None, out: Path) -> list[int]:
    """The parts whose stamp changed since ``previous``, or whose bundle is not in ``out``; and the first
    when a part became empty or stopped being so (its bundle lists the others)."""
    now, then = stamp.split(), (previous or "").split()
    stale = [part for part in range(len(now))
             if len(then) != len(now) or then[part] != now[part]
             or (now[part] != "-" and not (out / part_folder(part) / ENTRY).is_file())]
    if stale and stale[0] != 0 and [p == "-" for p in now] != [p == "-" for p in then]:
        stale.insert(0, 0)
    return stale


def bundle_files(out: Path) -> set[str]:
    """The files of ``site/pagefind/`` as output paths (``pagefind/…``)."""
    folder = out / BUNDLE
    if not folder.is_dir():
        return set()
    return {p.relative_to(out).as_posix() for p in folder.rglob("*") if p.is_file()}


def run_pagefind(out: Path, executable: Path, stamp: str, previous: str | None) -> SearchOutcome:
    """Run Pagefind over the article pages of ``out`` for each part that changed (see the module's note),
    each into a spool folder, and swap the bundles into ``out/pagefind/``."""
    started = time.perf_counter()
    parts = len(stamp.split())
    todo = stale_parts(stamp, previous, out)
    spool = new_spool_dir(out)
    written: list[str] = []
    removed: list[str] = []
    try:
        pages = sorted(p.parent.name for p in (out / "articles").glob("*/index.html"))
        if not pages:
            # No article published yet: Pagefind refuses an empty site, and there is nothing to find.
            written, removed = replace_folder(spool, out, BUNDLE)
            return SearchOutcome(ran=True, seconds=round(time.perf_counter() - started, 3), removed=removed)
        members: list[list[str]] = [[] for _ in range(parts)]
        for slug in pages:
            members[part_of(f"articles/{slug}/index.html", parts)].append(slug)
        if not members[0]:  # the first bundle holds Pagefind's script: with ≥ 50 pages a part, never empty
            return SearchOutcome(problems=[_failed("the first of its parts has no page; raise "
                                                   "`search_index_pages` in config.yaml")])
        with ThreadPoolExecutor(min(AT_ONCE, len(todo)) or 1) as pool:
            failures = [f for f in pool.map(lambda part: _index_part(out, executable, spool, part, members[part],
                                                                     parts), todo) if f is not None]
        if failures:
            return SearchOutcome(problems=[_failed(failures[0])])
        for part in todo:  # the parts first, the first bundle (which lists them) last
            if part == 0:
                continue
            bundle = spool / f"out-{part}"
            make_folder(spool, bundle.name)  # a part with no page: its folder goes
            done = replace_folder(bundle, out, part_folder(part), last=(ENTRY,),
                                  overrides=_overrides(bundle) if members[part] else {})
            written += done[0]
            removed += done[1]
        if 0 in todo:  # the part count changes only with every part, so the listing only with the first
            first = spool / "out-0"
            overrides = _overrides(first)
            overrides[PARTS] = json.dumps({"parts": [f"{PART}{part}/" for part in range(1, parts) if members[part]]}
                                          ).encode()
            done = replace_folder(first, out, BUNDLE, last=(PARTS, ENTRY), overrides=overrides,
                                  keep=lambda name: _part_number(name) in range(1, parts))
            written += done[0]
            removed += done[1]
    finally:
        remove_tree(spool)
    files = [p for p in (out / BUNDLE).rglob("*") if p.is_file()]
    return SearchOutcome(ran=True, seconds=round(time.perf_counter() - started, 3), files=len(files),
                         size=sum(p.stat().st_size for p in files), written=written, removed=removed,
                         parts=parts, indexed=len(todo))


def _index_part(out: Path, executable: Path, spool: Path, part: int, slugs: Sequence[str], parts: int) -> str | None:
    """Pagefind over one part's article pages into ``spool/out-PART``; None, or what went wrong."""
    if not slugs:
        return None
    site = out
    if parts > 1:  # the part's pages, linked (not copied) into a site of their own, at the same paths
        site = spool / f"site-{part}"
        link_files(out, site, (f"articles/{slug}/index.html" for slug in slugs))
    bundle = spool / f"out-{part}"
    try:
        result = subprocess.run(
            dying_with_parent([str(executable), "--site", str(site), "--output-path", str(bundle),
                               "--glob", PAGES, "--silent"]),
            capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"could not run Pagefind: {exc}"
    if result.returncode != 0 or not (bundle / ENTRY).is_file():
        said = (result.stderr or result.stdout).strip().splitlines()
        return f"Pagefind failed (exit {result.returncode})" + (f": {said[-1]}" if said else "")
    return None


def _overrides(bundle: Path) -> dict[str, bytes | None]:
    """What the bundle publishes instead of Pagefind's files: no UIs, filters in a stable order."""
    overrides: dict[str, bytes | None] = {name: None for name in UNUSED}
    overrides.update(canonical_bundle(bundle, ENTRY))
    return overrides


def _part_number(name: str) -> int:
    """N for a name under ``part-N/`` of the first bundle, else 0."""
    head = name.split("/", 1)[0]
    number = head.removeprefix(PART)
    return int(number) if "/" in name and head != number and number.isdigit() else 0


def _failed(message: str) -> Problem:
    return Problem(Location("site/pagefind/"), f"search index not built: {message}",
                   "the rest of the site was written; set `search: false` in config.yaml to build without search")


def missing_pagefind() -> Problem:
    return Problem(Location("site/pagefind/"), "search index not built: Pagefind is not installed",
                   "`pip install pagefind-bin` (digest depends on it), or set `search: false` in config.yaml")
