"""Raw inputs of ingest: which files wait in ``content/inbox/``, and the bytes of one raw file.

Reading is all this module does; what the bytes say is extraction's business (``generator.extract``).
"""

from __future__ import annotations

import os
from pathlib import Path

INBOX_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
REJECTED_DIR = "rejected"  # content/inbox/rejected/: inputs ingest could not use, each beside NAME.reason.txt


class InputTooLarge(Exception):
    """A raw file over the size limit, refused before it is read into memory."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"{size} bytes, limit {limit}")
        self.size, self.limit = size, limit


def _is_inbox_name(name: str) -> bool:
    """Hidden files and editor backups or locks (``.x``, ``~x``, ``#x#``) are not inputs."""
    return not name.startswith((".", "~", "#"))


def inbox_files(inbox_dir: Path) -> list[Path]:
    """Every raw file of a supported type directly in the inbox, by name."""
    try:
        names = sorted(os.listdir(inbox_dir))
    except FileNotFoundError:
        return []
    return [inbox_dir / n for n in names
            if n.lower().endswith(INBOX_SUFFIXES) and _is_inbox_name(n) and (inbox_dir / n).is_file()]


def has_inbox_files(inbox_dir: Path) -> bool:
    """Cheap test before ingest loads the extractors: is anything but hidden files (and the folder of
    rejected files) in the inbox?"""
    try:
        return any(not name.startswith(".") and name != REJECTED_DIR for name in os.listdir(inbox_dir))
    except OSError:
        return False


def read_raw(path: Path, limit: int | None = None) -> bytes:
    """The bytes of one raw file; ``InputTooLarge`` (checked before reading) over ``limit``, else ``OSError``."""
    if limit is not None:
        size = path.stat().st_size
        if size > limit:
            raise InputTooLarge(size, limit)
    return path.read_bytes()
