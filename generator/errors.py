"""The error tree: every user-facing problem carries where it happened and what to do.

Only ``cli`` prints these; anything that is not a ``DigestError`` is a bug and keeps its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    path: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True)
class Problem:
    """One reportable problem: ``path:line: message; hint``."""

    location: Location
    message: str
    hint: str = ""
    severity: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}"
        return f"{text}; {self.hint}" if self.hint else text


class DigestError(Exception):
    """A problem the user can fix; ``exit_code`` is what the CLI returns."""

    exit_code = 1

    def __init__(self, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(Location("digest"), problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class ConfigError(DigestError):
    exit_code = 2


class ContentError(DigestError):
    """A content file (front matter, raw input) that cannot be used."""


class TemplateError(DigestError):
    """A template that fails to load or render: nothing is written."""
