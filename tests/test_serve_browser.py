"""``digest serve`` end to end in headless Chromium: edits show up by themselves, errors overlay the page.

Runs the real command (``python -m generator serve --port 0 --offline``) in a temporary project and
drives Debian's Chromium through Playwright (never ``playwright install``).
"""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import article

pytestmark = pytest.mark.browser

BODY = "The {} version of the story about tariffs."


def _first(version: str) -> str:
    return article("Tariffs bite in Windsor", "2025-05-01T10:00:00-04:00", BODY.format(version),
                   topics=["Trade War"])


@dataclass
class Served:
    base: str
    root: Path
    proc: subprocess.Popen[str]
    lines: queue.Queue[str]

    def wait_line(self, pattern: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                continue
            if re.search(pattern, line):
                return line
        raise AssertionError(f"no line matching {pattern!r} within {timeout} s")


@pytest.fixture
def served(tmp_project: Callable[..., Path]) -> Iterator[Served]:
    root = tmp_project({
        "content/articles/first.md": _first("first"),
        "content/articles/second.md": article("Blue Jays win", "2025-05-02T10:00:00-04:00", "A sports story.",
                                              topics=["Sports"]),
    })
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--port", "0", "--offline"], cwd=root,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line.rstrip("\n"))

    threading.Thread(target=pump, daemon=True).start()
    try:
        server = Served("", root, proc, lines)
        found = re.search(r"Serving (http://127\.0\.0\.1:\d+/)", server.wait_line(r"^Serving ", 60))
        assert found
        server.base = found.group(1)
        yield server
        proc.send_signal(signal.SIGINT)
        assert proc.wait(10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stdout:
            proc.stdout.close()


def _save(path: Path, text: str) -> None:
    """Save the way most editors do: write a temp file, rename it over the original."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def test_edit_reloads_the_page_and_errors_overlay_it(browser: Any, served: Served) -> None:
    page = browser.new_page()
    page.goto(served.base + "articles/first/")
    page.get_by_text(BODY.format("first")).wait_for(timeout=5000)
    page.evaluate("window.__notReloaded = true")
    source = served.root / "content" / "articles" / "first.md"

    t0 = time.monotonic()
    _save(source, _first("second"))
    page.get_by_text(BODY.format("second")).wait_for(timeout=10000)
    visible_ms = (time.monotonic() - t0) * 1000
    served.wait_line(r"^Rebuilt \d+ files in \d+ ms$", 5)
    assert page.evaluate("window.__notReloaded === undefined")  # the page reloaded itself
    print(f"save → text visible: {visible_ms:.0f} ms")

    _save(source, "---\ntitle: Tariffs bite in Windsor\ndate: [2025-05-01\n---\n\nBroken.\n")
    overlay = page.locator("#__digest-overlay")
    overlay.wait_for(state="visible", timeout=10000)
    location = overlay.locator(".__digest-location").first.inner_text()
    assert re.fullmatch(r"content/articles/first\.md:\d+", location), location
    served.wait_line(r"^Rebuild failed: content/articles/first\.md:\d+", 5)
    assert page.get_by_text(BODY.format("second")).count() == 1  # the last good page stays underneath

    other = browser.new_page()  # a page opened while the error persists shows it as well
    other.goto(served.base)
    other.locator("#__digest-overlay").wait_for(state="visible", timeout=5000)
    other.close()

    _save(source, _first("third"))
    page.get_by_text(BODY.format("third")).wait_for(timeout=10000)
    assert page.locator("#__digest-overlay").count() == 0
    page.close()
