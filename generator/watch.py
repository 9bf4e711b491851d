"""Watching a project's sources with watchdog: which paths count, and batching editor saves.

Editors save by writing in place, by writing a temp file and renaming it over the original (vim,
Sublime, JetBrains, helix) or by deleting and recreating; every one of those counts as a change,
while swap, backup and temp files never do. ``serve`` owns the debounce and the rebuild.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from generator.build import TMP_PREFIX

logger = logging.getLogger(__name__)

DEBOUNCE = 0.025  # seconds of quiet after the last change before rebuilding (an editor's save takes a few ms)
MAX_DEBOUNCE = 1.0  # a steady stream of events (a big git checkout) still rebuilds this often
POLL_INTERVAL = 0.5  # --poll: seconds between file-system scans

IGNORED_DIRS = frozenset({"site", ".digest", ".git", ".hg", ".svn", "__pycache__", "node_modules", ".venv"})


def is_editor_junk(name: str) -> bool:
    """Swap, backup and temp files that editors (and our own writer) create while saving."""
    return (
        name.endswith((".swp", ".swo", ".swx", "~", ".tmp", ".bak", "___jb_tmp___", "___jb_old___"))
        or name.startswith((".#", TMP_PREFIX, ".~lock."))
        or (name.startswith("#") and name.endswith("#"))
        or name == "4913"  # vim probes whether it may create files in the directory
        or name in (".DS_Store", "Thumbs.db")
    )


def is_source(path: Path, root: Path, config_file: Path) -> bool:
    """True when ``path`` is a watched input: under content/ or templates/, or the config file."""
    if path == config_file:
        return True
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return False
    if len(parts) < 2 or parts[0] not in ("content", "templates"):
        return False
    return not any(p in IGNORED_DIRS for p in parts[1:-1]) and not is_editor_junk(parts[-1])


@dataclass
class ChangeSet:
    paths: set[Path] = field(default_factory=set)
    first_event: float = 0.0  # time.monotonic() of the first event of this batch


class SourceWatcher(FileSystemEventHandler):
    """Collect changes under content/, templates/ and to the config file; ``wait()`` debounces them.

    Creates, moves and deletes count as changes (both ends of a move), so editors that save by
    writing a temp file and renaming it over the original (vim, Sublime, JetBrains, helix) work.
    """

    def __init__(self, root: Path, config_file: Path, *, poll: bool = False, debounce: float = DEBOUNCE) -> None:
        super().__init__()
        self.root = root.resolve()
        self.config_file = config_file.resolve()
        self.debounce = debounce
        self.observer: Any = PollingObserver(timeout=POLL_INTERVAL) if poll else Observer()
        self._cond = threading.Condition()
        self._pending = ChangeSet()
        self._last_event = 0.0
        self._trees: dict[Path, Any] = {}  # content/, templates/ → their watchdog watch

    # watchdog calls this from its own thread for every event
    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory and event.event_type == "modified":
            return  # the entries inside report their own changes
        paths = [_fs_path(event.src_path)]
        if event.dest_path:
            paths.append(_fs_path(event.dest_path))
        relevant = [p for p in paths if is_source(p, self.root, self.config_file)]
        if event.is_directory:
            # content/ or templates/ itself removed, renamed or (re)created (a git checkout, a restore):
            # follow it, and rebuild.
            trees = [p for p in paths if p.parent == self.root and p.name in ("content", "templates")]
            relevant.extend(trees)
            if event.event_type in ("deleted", "moved") and paths[0] in trees:
                self._unschedule_tree(paths[0])
            if event.event_type in ("created", "moved") and paths[-1] in trees:
                self._schedule_tree(paths[-1])
        if not relevant:
            return
        logger.debug("change: %s %s", event.event_type, relevant)
        self.notify(relevant)

    def notify(self, paths: Sequence[Path]) -> None:
        now = time.monotonic()
        with self._cond:
            if not self._pending.paths:
                self._pending.first_event = now
            self._pending.paths.update(paths)
            self._last_event = now
            self._cond.notify_all()

    def wait(self, stop: threading.Event, poll: float = 0.25) -> ChangeSet | None:
        """Block until a batch of changes has been quiet for ``debounce`` seconds; None once stopped."""
        with self._cond:
            while not self._pending.paths:
                if stop.is_set():
                    return None
                self._cond.wait(poll)
            while not stop.is_set():
                now = time.monotonic()
                quiet_until = self._last_event + self.debounce
                give_up = self._pending.first_event + MAX_DEBOUNCE
                if now >= quiet_until or now >= give_up:
                    break
                self._cond.wait(min(quiet_until, give_up) - now)
            batch, self._pending = self._pending, ChangeSet()
            return batch

    def wake(self) -> None:
        with self._cond:
            self._cond.notify_all()

    def _schedule_tree(self, path: Path) -> None:
        if path in self._trees or not path.is_dir():
            return
        try:
            self._trees[path] = self.observer.schedule(self, str(path), recursive=True)
        except OSError as exc:  # e.g. the inotify watch limit is reached
            logger.warning("cannot watch %s: %s", path, exc)

    def _unschedule_tree(self, path: Path) -> None:
        watch = self._trees.pop(path, None)
        if watch is not None:
            with contextlib.suppress(KeyError, OSError):
                self.observer.unschedule(watch)

    def start(self) -> None:
        # The root itself non-recursively (config file; content/ or templates/ appearing later),
        # then the two source trees: never site/ or .digest/, which the build itself writes.
        self.observer.schedule(self, str(self.root), recursive=False)
        if self.config_file.parent != self.root and self.config_file.parent.is_dir():
            self.observer.schedule(self, str(self.config_file.parent), recursive=False)
        for name in ("content", "templates"):
            self._schedule_tree(self.root / name)
        self.observer.daemon = True
        self.observer.start()

    def stop(self) -> None:
        self.observer.stop()
        self.wake()
        if self.observer.is_alive():
            self.observer.join(timeout=5)


def _fs_path(value: str | bytes) -> Path:
    return Path(os.fsdecode(value))


