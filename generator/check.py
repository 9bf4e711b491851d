"""``digest check``: config, front matter, internal links and generated feeds, all problems at once."""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urlsplit

from generator.config import Config
from generator.errors import ContentError, Location, Problem
from generator.sources.articles import iter_article_paths, read_article
from generator.taxonomy import build_index

_LINK = re.compile(r'\s(?:href|src)="([^"]*)"')


def check_project(config: Config) -> list[Problem]:
    problems: list[Problem] = []
    articles = []
    for path in iter_article_paths(config.articles_dir):
        display = path.relative_to(config.root).as_posix()
        try:
            articles.append(read_article(path, display, config.tz))
        except ContentError as exc:
            problems.extend(exc.problems)
    index = build_index(articles, config, drafts=True)
    for name in index.undefined_topics:
        problems.append(Problem(Location("config.yaml"), f"topic {name!r} is used in front matter but not "
                                "defined", "add it under `topics:`", severity="warning"))
    if config.output_dir.is_dir():
        problems += check_links(config.output_dir)
        problems += check_feeds(config.output_dir)
    return problems


def check_links(site: Path) -> list[Problem]:
    problems = []
    for dirpath, _dirs, files in os.walk(site):
        for name in files:
            if not name.endswith(".html") or name == "404.html":
                continue
            page = Path(dirpath) / name
            text = page.read_text(encoding="utf-8", errors="replace")
            for match in _LINK.finditer(text):
                url = match.group(1)
                parts = urlsplit(url)
                if parts.scheme or parts.netloc or not parts.path or url.startswith(("#", "mailto:")):
                    continue
                target = (page.parent / unquote(parts.path)).resolve()
                if target.is_dir():
                    target = target / "index.html"
                if not target.exists():
                    line = text.count("\n", 0, match.start()) + 1
                    problems.append(Problem(Location(page.relative_to(site.parent).as_posix(), line),
                                            f"broken link {url!r}"))
    return problems


def check_feeds(site: Path) -> list[Problem]:
    problems = []
    for feed in sorted(site.rglob("*.xml")):
        try:
            ET.parse(feed)
        except ET.ParseError as exc:
            problems.append(Problem(Location(feed.relative_to(site.parent).as_posix(), exc.position[0]),
                                    f"feed is not well-formed XML: {exc}"))
    return problems
