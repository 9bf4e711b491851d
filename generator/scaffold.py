"""``digest init`` and ``digest new``: the starting files a person then edits."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from generator.config import Config
from generator.errors import DigestError, Location, Problem
from generator.frontmatter import dump_front_matter
from generator.slug import slugify
from generator.write import write_new_file

CONFIG_TEMPLATE = """\
# digest configuration: https://github.com/ (see README "Config reference")
site:
  title: My News Digest
  url: https://example.org/
  description: The stories I follow, collected in one place.
  language: en
  timezone: UTC

topics:
  - name: Trade War
    description: Tariffs and retaliation.
    match: {any: [tariff*, trade war, retaliat*], min_hits: 2}

# feeds:
#   - {name: Example outlet, url: https://example.org/rss.xml}

feed: {items: 50, full_content: true}
"""


def init_project(target: Path) -> list[Path]:
    created = []
    for rel, text in (("config.yaml", CONFIG_TEMPLATE), ("content/inbox/.keep", ""),
                      ("content/articles/.keep", "")):
        path = target / rel
        if write_new_file(path, text.encode("utf-8")):
            created.append(path)
    return created


def new_article(config: Config, title: str, now: datetime) -> Path:
    slug = slugify(title)
    path = config.articles_dir / f"{slug}.md"
    front = {"title": title, "slug": slug, "date": now.astimezone(config.tz).replace(microsecond=0),
             "source": None, "authors": [], "tags": [], "summary": None, "draft": True}
    text = dump_front_matter(front, "Write the story here.")
    if not write_new_file(path, text.encode("utf-8")):
        raise DigestError(Problem(Location(str(path.relative_to(config.root))), "already exists",
                                  "pick another title or edit that file"))
    return path
