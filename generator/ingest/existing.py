"""What ``content/articles/`` already holds, as ingest needs to know it: one index, read from the files.

The article files are the truth (``.digest/`` may be gone, a run may have been killed before its
commit, a human may have filed the story already), so this index reads them, lazily and in two
depths: the front-matter *head* of every file for the inbox's questions (which raw files, by sha256
or by name, became which article), and the whole file, parsed, for the feeds' (which GUID, link or
title+body is already an article).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from generator.frontmatter import is_machine_owned
from generator.ingest.keys import fingerprint, global_guid, link_key
from generator.sources.articles import (
    iter_article_paths,
    read_article_text,
    read_front_matter_file,
    read_front_matter_head,
    read_owned_front_matter,
)

_ORIGIN_SHA = re.compile(r"\bsha256:[ ]*['\"]?([0-9a-f]{64})")
_ORIGIN_FILE = re.compile(r"\bfile:[ ]*['\"]?(inbox/[^,'\"}\n]+)")


class ExistingArticles:
    """Existing articles by inbox origin (sha256, file), by feed origin (feed, GUID) and by story keys
    (a global GUID, a normalised link, a fingerprint of title and body)."""

    def __init__(self, articles_dir: Path) -> None:
        self.dir = articles_dir
        self._inbox: tuple[dict[str, Path], dict[str, Path]] | None = None
        self._feeds: tuple[dict[tuple[str, str], str], dict[str, str]] | None = None

    def path(self, slug: str) -> Path:
        return self.dir / f"{slug}.md"

    def taken(self, slug: str) -> bool:
        """Is this slug's file already there? (The one collision rule: ``slug.free_slug``.)"""
        return self.path(slug).exists()

    # -- inbox origins ----------------------------------------------------------------------------

    def _inbox_origins(self) -> tuple[dict[str, Path], dict[str, Path]]:
        if self._inbox is None:
            by_sha: dict[str, Path] = {}
            by_file: dict[str, Path] = {}
            for path in iter_article_paths(self.dir):
                try:
                    head = read_front_matter_head(path)
                except OSError:
                    continue
                if "origin" not in head:
                    continue
                sha, file = _ORIGIN_SHA.search(head), _ORIGIN_FILE.search(head)
                if sha:
                    by_sha[sha.group(1)] = path
                if file:
                    by_file[file.group(1).strip()] = path
            self._inbox = by_sha, by_file
        return self._inbox

    def by_sha256(self, sha: str) -> Path | None:
        """The article made from an input with these bytes."""
        return self._inbox_origins()[0].get(sha)

    def by_inbox_file(self, origin_file: str) -> Path | None:
        """The article made from an earlier version of this inbox file (``inbox/NAME``)."""
        return self._inbox_origins()[1].get(origin_file)

    def add_inbox(self, path: Path, sha: str, origin_file: str) -> None:
        by_sha, by_file = self._inbox_origins()
        by_sha[sha] = path
        by_file[origin_file] = path

    # -- feed origins and story keys -------------------------------------------------------------

    def _feed_keys(self) -> tuple[dict[tuple[str, str], str], dict[str, str]]:
        if self._feeds is None:
            self._feeds = {}, {}
            for path in iter_article_paths(self.dir):
                parsed = read_front_matter_file(path, path.name)
                if parsed is not None:
                    self._learn(path.stem, *parsed)
        return self._feeds

    def _learn(self, slug: str, data: dict[str, Any], body: str) -> None:
        origins, _ = self._feeds or ({}, {})
        origin = data.get("origin") if isinstance(data.get("origin"), dict) else {}
        assert isinstance(origin, dict)
        feed, guid = origin.get("feed"), origin.get("guid")
        if isinstance(feed, str) and isinstance(guid, str):
            origins.setdefault((feed, guid), slug)
        title = str(data.get("title") or "")
        url = data.get("url") if isinstance(data.get("url"), str) else None
        self._remember(slug, guid if isinstance(guid, str) and global_guid(guid) else None,
                       link_key(url), fingerprint(title, body) if title else None)
        for src in data.get("sources") or []:
            if isinstance(src, dict) and isinstance(src.get("url"), str):
                self._remember(slug, None, link_key(src["url"]), None)

    def _remember(self, slug: str, guid: str | None, link: str | None, print_: str | None) -> None:
        keys = self._feed_keys()[1]
        for prefix, value in (("g:", guid), ("l:", link), ("f:", print_)):
            if value:
                keys.setdefault(prefix + value, slug)

    def find_story(self, feed: str, guid: str, guid_key: str | None, link: str | None,
                   print_: str | None) -> str | None:
        """The slug of the article this entry (or its story, seen in another feed) already became."""
        origins, keys = self._feed_keys()
        if (feed, guid) in origins:
            return origins[(feed, guid)]
        for prefix, value in (("g:", guid_key), ("l:", link), ("f:", print_)):
            if value and prefix + value in keys:
                return keys[prefix + value]
        return None

    def add_story(self, slug: str, feed: str, guid: str, guid_key: str | None, link: str | None,
                  print_: str | None) -> None:
        self._feed_keys()[0].setdefault((feed, guid), slug)
        self._remember(slug, guid_key, link, print_)

    def is_feed_origin(self, slug: str, feed: str, guid: str) -> bool:
        """Only the entry an article was made from may rewrite it (a mirror's update must not)."""
        parsed = read_front_matter_file(self.path(slug), slug)
        origin = parsed[0].get("origin") if parsed else None
        return isinstance(origin, dict) and origin.get("feed") == feed and origin.get("guid") == guid

    # -- ownership --------------------------------------------------------------------------------

    @staticmethod
    def machine_owned(path: Path) -> bool:
        """Ingest wrote this file and no human has changed it since (read only when it matters)."""
        text = read_article_text(path)
        return text is not None and is_machine_owned(text)

    @staticmethod
    def owned_front_matter(path: Path, display: str) -> tuple[dict[str, Any], str] | None:
        """Front matter and body of a file ingest may rewrite; None when a human owns it (or it is broken)."""
        return read_owned_front_matter(path, display)
