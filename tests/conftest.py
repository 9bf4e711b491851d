"""Shared fixtures: small projects written from dedented strings, a CLI runner, the loopback feed server
and the browser."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from feedserver import FeedServer

REPO = Path(__file__).resolve().parent.parent
FIXED_CLOCK = {"SOURCE_DATE_EPOCH": "1763640000"}  # 2025-11-20: feed health and undated inputs

BASE_CONFIG = """\
site: {title: Test Digest, url: https://digest.test/, description: A test site, language: en, timezone: America/Toronto}
topics:
  - name: Trade War
    description: Tariffs and retaliation.
    match: {any: [tariff*, trade war, retaliat*], min_hits: 2}
  - name: Sports
per_page: 2
"""


def article(title: str, date: str, body: str = "Body text.", **front: object) -> str:
    import yaml

    data = {"title": title, "date": date, **front}
    head = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return f"---\n{head}---\n\n{textwrap.dedent(body).strip()}\n"


@pytest.fixture
def tmp_project(tmp_path: Path) -> Callable[..., Path]:
    """``tmp_project({"content/articles/a.md": "..."}, config=...)`` → project root."""

    def make(files: dict[str, str] | None = None, config: str = BASE_CONFIG) -> Path:
        root = tmp_path / "project"
        root.mkdir(exist_ok=True)
        (root / "config.yaml").write_text(textwrap.dedent(config), encoding="utf-8")
        (root / "content" / "articles").mkdir(parents=True, exist_ok=True)
        for rel, text in (files or {}).items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return root

    return make


def run_digest(root: Path, *args: str, check: bool = False, env: dict[str, str] | None = None,
               timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the real CLI in ``root``, as a user would."""
    import os

    full_env = {**os.environ, **(env or {})}
    result = subprocess.run([sys.executable, "-m", "generator", *args], cwd=root, capture_output=True,
                            text=True, env=full_env, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"digest {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped example project, copied and built once per session."""
    import shutil

    root = tmp_path_factory.mktemp("example")
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "config.yaml", root / "config.yaml")
    run_digest(root, "build", "--offline", check=True, env=FIXED_CLOCK)
    return root


def wait_for(predicate: Callable[[], object], timeout: float = 5.0, interval: float = 0.02) -> bool:
    """Poll ``predicate`` until it is true or ``timeout`` seconds have passed; its last truth value."""
    import time

    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() >= deadline:
            return bool(predicate())
        time.sleep(interval)
    return True


@pytest.fixture(scope="session")
def _loopback_feeds() -> Iterator[FeedServer]:
    server = FeedServer()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def feed_server(_loopback_feeds: FeedServer) -> FeedServer:
    """The session's loopback feed server (tests/feedserver.py), with no routes and no requests yet."""
    _loopback_feeds.reset()
    return _loopback_feeds


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session (Debian's, through Playwright); skips, or fails in CI, if absent."""
    from conftest_theme import launch_chromium

    with launch_chromium() as launched:
        yield launched
