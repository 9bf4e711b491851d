"""The ``search`` step: Pagefind indexes the article pages of ``site/`` into ``site/pagefind/``.

Pagefind is a program (the ``pagefind-bin`` package ships it; nothing is downloaded at build time) run
over the written site after the write step. It writes its bundle into a spool folder beside ``site/``;
``write.replace_folder`` then swaps the bundle's files in one by one, the entry file last, and removes
the old ones, so a reader never meets a half-written index. It runs only when an indexed page may have
changed: the step's stamp is a hash of every article page's fingerprint (which decides its bytes) and
Pagefind's version, kept in the render cache; an unchanged stamp with the bundle in place skips it.
``digest serve`` defers it (``BuildOptions.defer_search``) and asks for it once edits have paused.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator.build.pagefind_bytes import canonical_bundle
from generator.errors import Location, Problem
from generator.executor import dying_with_parent
from generator.write import new_spool_dir, remove_tree, replace_folder

BUNDLE = "pagefind"  # site/pagefind/
ENTRY = "pagefind-entry.json"  # names the index files: swapped in last
PAGES = "articles/*/index.html"  # what is indexed: article pages (they mark their body data-pagefind-body)
# Pagefind's own search interfaces: the theme has its own (static/search.js, a labelled form), so
# these ~420 KB are not published.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
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


def search_stamp(fingerprints: Mapping[str, str], version: str) -> str:
    """One hash of what decides the index: each article page's fingerprint, Pagefind's version, the glob."""
    h = hashlib.blake2b(f"{version}\0{PAGES}".encode(), digest_size=20)
    for path in sorted(p for p in fingerprints if p.startswith("articles/") and p.endswith("/index.html")):
        h.update(f"\0{path}\0{fingerprints[path]}".encode())
    return h.hexdigest()


def bundle_files(out: Path) -> set[str]:
    """The files of ``site/pagefind/`` as output paths (``pagefind/…``)."""
    folder = out / BUNDLE
    if not folder.is_dir():
        return set()
    return {p.relative_to(out).as_posix() for p in folder.rglob("*") if p.is_file()}


def run_pagefind(out: Path, executable: Path) -> SearchOutcome:
    """Run Pagefind over ``out`` into a spool folder and swap the bundle into ``out/pagefind/``."""
    started = time.perf_counter()
    spool = new_spool_dir(out)
    bundle = spool / BUNDLE
    try:
        if next((out / "articles").glob("*/index.html"), None) is None:
            # No article published yet: Pagefind refuses an empty site, and there is nothing to find.
            written, removed = replace_folder(spool, out, BUNDLE)
            return SearchOutcome(ran=True, seconds=round(time.perf_counter() - started, 3), removed=removed)
        try:
            result = subprocess.run(
                dying_with_parent([str(executable), "--site", str(out), "--output-path", str(bundle),
                                   "--glob", PAGES, "--silent"]),
                capture_output=True, text=True, timeout=TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return SearchOutcome(problems=[_failed(f"could not run Pagefind: {exc}")])
        if result.returncode != 0 or not (bundle / ENTRY).is_file():
            said = (result.stderr or result.stdout).strip().splitlines()
            return SearchOutcome(problems=[_failed(f"Pagefind failed (exit {result.returncode})"
                                                   + (f": {said[-1]}" if said else ""))])
        overrides: dict[str, bytes | None] = {name: None for name in UNUSED}
        overrides.update(canonical_bundle(bundle, ENTRY))
        written, removed = replace_folder(bundle, out, BUNDLE, last=(ENTRY,), overrides=overrides)
    finally:
        remove_tree(spool)
    files = [p for p in (out / BUNDLE).rglob("*") if p.is_file()]
    return SearchOutcome(ran=True, seconds=round(time.perf_counter() - started, 3), files=len(files),
                         size=sum(p.stat().st_size for p in files), written=written, removed=removed)


def _failed(message: str) -> Problem:
    return Problem(Location("site/pagefind/"), f"search index not built: {message}",
                   "the rest of the site was written; set `search: false` in config.yaml to build without search")


def missing_pagefind() -> Problem:
    return Problem(Location("site/pagefind/"), "search index not built: Pagefind is not installed",
                   "`pip install pagefind-bin` (digest depends on it), or set `search: false` in config.yaml")
