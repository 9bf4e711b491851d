"""``feeds.opml``: every feed the site publishes, so a reader subscribes to all of them in one import.

One outline per published feed (its RSS ``feed.xml``: the one format every reader takes), the site's own
first, then one folder per kind (topics, tags, …) in the order the site lists them. Feed readers turn
a folder into a category (newsboat: a tag).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

OPML_PATH = "feeds.opml"
_FOLDERS = {"topics": "Topics", "tags": "Tags", "digests": "Weekly digests"}


@dataclass(frozen=True)
class Outline:
    text: str
    xml_url: str  # the feed, absolute
    html_url: str  # the page it follows, absolute


@dataclass(frozen=True)
class Folder:
    text: str
    outlines: tuple[Outline, ...]


def opml_outlines(base: str, feeds: Sequence[tuple[str, str]]) -> tuple[tuple[Outline, ...], tuple[Folder, ...]]:
    """``feeds``: (title, folder of its feed.xml relative to the site) in the order the site made them →
    (the outlines at the top level, the folders)."""
    top: list[Outline] = []
    folders: dict[str, list[Outline]] = {}
    for title, feed_dir in feeds:
        outline = Outline(title, f"{base}{feed_dir}feed.xml", base + feed_dir)
        kind = feed_dir.split("/", 1)[0]
        if not kind:
            top.append(outline)
        else:
            folders.setdefault(kind, []).append(outline)
    return tuple(top), tuple(Folder(_FOLDERS.get(kind, kind.capitalize()), tuple(items))
                             for kind, items in folders.items())
