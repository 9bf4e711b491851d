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
# digest configuration. Every key is listed in docs/config.md; an unknown key is an error with a hint.

site:
  title: My News Digest                 # shown in the masthead and the feeds
  url: https://example.org/             # where the site will live; used only in feeds, sitemap, canonical links
  description: The stories I follow, collected in one place.
  language: en                          # en, fr, en-CA, …
  timezone: UTC                         # e.g. America/Toronto: date-only values, archives, displayed dates

# The stories you follow. An article joins a topic when its words match `match:` (ingest writes the
# topics into the article's front matter, where you can correct them). A topic without `match:`
# collects only the articles that list it.
topics:
  - name: Trade War
    description: Tariffs and retaliation.
    match: {any: [tariff*, trade war, retaliat*], min_hits: 2}   # * = any ending; title hits count twice

# Outlets to follow: each new entry becomes an article (fetched by `digest build` unless --offline).
# feeds:
#   - {name: Example outlet, url: https://example.org/rss.xml}
#   - {name: A saved feed, path: content/feeds/saved.xml}

feed: {items: 50, full_content: true}   # the site's own feeds: newest entries, full text or summary only

# How much one input may hold (these are the defaults). Over a limit, nothing from that input is
# published: an inbox file moves to content/inbox/rejected/ with a note saying why.
# limits:
#   raw_file: 2 MB          # a file dropped in content/inbox/
#   article_body: 200000    # characters of article text
#   feed_entry: 500 KB      # one entry of a followed feed

# Push: name a WebSub hub and `digest ping` (or `digest build --ping`) tells it which feeds changed.
# websub: {hub: https://hub.example.net/}

# Full-text search (a search/ page and box, indexed by Pagefind into site/pagefind/); false turns it off.
# search: true
"""

GITIGNORE = """\
# digest: the built site and the local state (render cache, feed state, inbox memory) are never committed
site/
.digest/
"""


def init_project(target: Path) -> list[Path]:
    """A new project in ``target``: a commented ``config.yaml``, ``.gitignore`` and the content folders.
    Files that already exist are left as they are."""
    created = []
    for rel, text in (("config.yaml", CONFIG_TEMPLATE), (".gitignore", GITIGNORE), ("content/inbox/.keep", ""),
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
