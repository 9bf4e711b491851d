"""``digest review``: the articles held for review, oldest first — what waits for a human before it is
published (an article whose front matter has a non-empty ``review:`` list; DESIGN.md "Review").

An article waits from the moment its file was last written (ingest wrote it, or a human saved it
without clearing every reason), so its age is the file's: the one time every held file has, whether it
came from the inbox, a feed or a hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from generator.config import Config
from generator.errors import ContentError, Problem
from generator.model import review_text
from generator.sources.articles import iter_article_paths, read_article


@dataclass(frozen=True)
class Waiting:
    """One held article, as ``digest review`` lists it."""

    path: str  # project-relative
    reasons: tuple[str, ...]
    title: str
    source: str | None
    since: datetime  # when the file was last written

    def age(self, now: datetime) -> float:
        """Days waited by ``now`` (never negative)."""
        return max(0.0, (now - self.since).total_seconds() / 86400)

    def as_json(self, now: datetime) -> dict[str, Any]:
        return {"file": self.path, "reasons": list(self.reasons), "why": review_text(self.reasons),
                "title": self.title, "source": self.source, "since": self.since.isoformat(),
                "age_days": round(self.age(now), 1)}


def waiting_articles(config: Config) -> tuple[list[Waiting], list[Problem]]:
    """Every held article, oldest first (then by file), and the problems of files that cannot be read."""
    found: list[Waiting] = []
    problems: list[Problem] = []
    for path in iter_article_paths(config.articles_dir):
        display = path.relative_to(config.root).as_posix()
        try:
            article = read_article(path, display, config.tz)
            since = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC).replace(microsecond=0)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        except OSError:
            continue  # deleted meanwhile
        if article.held:
            found.append(Waiting(display, article.review, article.title, article.source, since))
    found.sort(key=lambda w: (w.since, w.path))
    return found, problems


def age_text(days: float) -> str:
    """0.02 → "under an hour", 0.5 → "12 hours", 3.2 → "3 days"."""
    hours = days * 24
    if hours < 1:
        return "under an hour"
    if hours < 48:
        return f"{hours:.0f} hour{'s' if round(hours) != 1 else ''}"
    return f"{days:.0f} days"
