"""``digest retag``: re-apply the topic rules of ``config.yaml`` to the article files ingest still owns.

A file a human has edited (its text no longer matches ``origin.written``) or wrote by hand (no
``origin``) keeps its ``topics:`` exactly as written: there, the front matter is the truth.
"""

from __future__ import annotations

from pathlib import Path

from generator.config import Config
from generator.errors import ContentError, Location, Problem
from generator.frontmatter import dump_owned_article, is_machine_owned, parse_front_matter
from generator.sources.articles import iter_article_paths
from generator.topicmatch import TopicText, match_topics
from generator.write import write_file_atomic


def retag(config: Config) -> tuple[list[str], list[Problem]]:
    """Rewrite ``topics:`` of ingest-owned articles whose rules now give another list; (changed, problems)."""
    hints = {feed.name: feed.topics for feed in config.feeds}
    changed: list[str] = []
    problems: list[Problem] = []
    for path in iter_article_paths(config.articles_dir):
        display = path.relative_to(config.root).as_posix()
        try:
            text = path.read_text(encoding="utf-8")
            if not is_machine_owned(text):
                continue
            data, body = parse_front_matter(text, display)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(Location(display), f"cannot read: {exc}"))
            continue
        summary = data.get("summary") if isinstance(data.get("summary"), str) else None
        topics = list(match_topics(config.topics, TopicText(str(data.get("title") or ""), body, summary)))
        raw_origin = data.get("origin")
        origin: dict[str, object] = raw_origin if isinstance(raw_origin, dict) else {}
        for hint in hints.get(str(origin.get("feed") or ""), ()):
            if hint not in topics:
                topics.append(hint)
        if list(data.get("topics") or []) == topics:
            continue
        data["topics"] = topics
        data["origin"] = {**origin, "written": ""}
        if write_file_atomic(Path(path), dump_owned_article(data, body), fsync=True):
            changed.append(display)
    return changed, problems
