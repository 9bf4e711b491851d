"""Live reload: what open pages should show, the script that shows it, and the event stream that tells it.

An epoch is bumped whenever the site on disk changed, and open pages then reload; the problems of a
failed rebuild are pushed to them as an overlay (as Zola does) and embedded in newly loaded pages
until a rebuild succeeds. ``livereload.js`` is injected into served HTML only (before ``</body>``),
never written to ``site/``. It is a template with two placeholders, ``__DIGEST_STATE__`` (the epoch and
problems) and ``__DIGEST_EVENTS__`` (the stream's URL up to the epoch), each replaced in one pass by
JSON that is safe inside an inline ``<script>``.
"""

from __future__ import annotations

import functools
import json
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib.parse import parse_qs

from generator.errors import Problem

EVENTS_PATH = "/__digest/events"

_PLACEHOLDER = re.compile(r"__DIGEST_(STATE|EVENTS)__")


@dataclass(frozen=True)
class LiveSnapshot:
    version: int  # bumped on every change of epoch or problems
    epoch: int  # bumped when the site on disk changed: pages reload
    problems: tuple[Problem, ...]  # errors of the last (re)build, shown as an overlay
    closed: bool = False


class LiveState:
    """The epoch and the current problems; event streams wait here for the next change."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        # Start from the clock so tabs left open across a server restart reload on reconnect.
        self._snap = LiveSnapshot(version=0, epoch=time.time_ns() // 1_000_000, problems=())

    def snapshot(self) -> LiveSnapshot:
        with self._cond:
            return self._snap

    def publish(self, *, reload: bool, problems: Sequence[Problem]) -> LiveSnapshot:
        with self._cond:
            old = self._snap
            problems = tuple(problems)
            if not reload and problems == old.problems:
                return old
            self._snap = LiveSnapshot(old.version + 1, old.epoch + 1 if reload else old.epoch, problems)
            self._cond.notify_all()
            return self._snap

    def close(self) -> None:
        with self._cond:
            old = self._snap
            self._snap = LiveSnapshot(old.version + 1, old.epoch, old.problems, closed=True)
            self._cond.notify_all()

    def wait_change(self, version: int, timeout: float) -> LiveSnapshot:
        with self._cond:
            self._cond.wait_for(lambda: self._snap.version != version, timeout)
            return self._snap


def problem_json(problem: Problem) -> dict[str, Any]:
    return {"path": problem.location.path, "line": problem.location.line, "message": problem.message,
            "hint": problem.hint, "severity": problem.severity, "text": str(problem)}


def script_json(value: Any) -> str:
    """JSON that is safe inside an inline <script> element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


@functools.cache
def _script_template() -> str:
    text = resources.files("generator.serve").joinpath("livereload.js").read_text(encoding="utf-8")
    if sorted(_PLACEHOLDER.findall(text)) != ["EVENTS", "STATE"]:
        raise RuntimeError("livereload.js must hold __DIGEST_STATE__ and __DIGEST_EVENTS__ once each")
    return text


def live_snippet(snap: LiveSnapshot) -> bytes:
    """The ``<script>`` element for a served page, carrying the current epoch and problems."""
    values = {"STATE": script_json({"epoch": snap.epoch, "problems": [problem_json(p) for p in snap.problems]}),
              "EVENTS": script_json(EVENTS_PATH + "?epoch=")}  # the page appends its epoch
    # One pass: text substituted for a placeholder (a problem message, say) is never scanned again.
    script = _PLACEHOLDER.sub(lambda m: values[m.group(1)], _script_template())
    return f'<script data-digest-live="">{script}</script>'.encode()


def inject(html: bytes, snippet: bytes) -> bytes:
    """Insert ``snippet`` before the last ``</body>`` (or append it when there is none)."""
    at = html.lower().rfind(b"</body>")
    return html + snippet if at < 0 else html[:at] + snippet + html[at:]


# -- the event stream -------------------------------------------------------------------------------


def requested_epoch(query: str, default: int) -> int:
    """The epoch a page was loaded at, from the stream's ``?epoch=`` query."""
    try:
        return int(parse_qs(query).get("epoch", [""])[0])
    except ValueError:
        return default


def stream_events(live: LiveState, snap: LiveSnapshot, client_epoch: int, write: Callable[[bytes], object], *,
                  keepalive: float, stopping: threading.Event) -> None:
    """Feed one Server-Sent-Events stream: ``reload`` when the site changed, ``problems`` for the overlay.

    Returns after a reload event or once the server stops; a client that went away raises ``OSError``.
    """
    write(b"retry: 1000\n\n")
    sent: tuple[Problem, ...] | None = None  # a (re)connecting tab gets the current problems first
    while not snap.closed and not stopping.is_set():
        if snap.epoch != client_epoch:
            write(_event("reload", json.dumps({"epoch": snap.epoch})))
            return
        if snap.problems != sent:
            write(_event("problems", json.dumps({"epoch": snap.epoch,
                                                 "problems": [problem_json(p) for p in snap.problems]})))
            sent = snap.problems
        new = live.wait_change(snap.version, keepalive)
        if new.version == snap.version:
            write(b":keepalive\n\n")  # a dead client makes this fail (or time out)
        snap = new


def _event(name: str, data: str) -> bytes:
    return f"event: {name}\ndata: {data}\n\n".encode()
