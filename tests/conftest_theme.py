"""Helpers shared by the theme tests (not a conftest: imported explicitly by test_theme / test_pages_browser).

Builds the example project (``content/`` + ``config.yaml`` of this repo) in a temporary directory with the
real CLI, serves a built site over loopback, and finds the optional tools (Nu checker, Chromium, axe-core).
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
NPM_MODULES = REPO / ".cache" / "npm" / "node_modules"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def build_project(project: Path) -> Path:
    """Run ``python -m generator build --offline`` in ``project``; return its ``site/``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    env.setdefault("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01: never the wall clock
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--offline"],
        cwd=project, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert proc.returncode == 0, f"build failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    site = project / "site"
    assert (site / "index.html").is_file(), "build wrote no site/index.html"
    return site


def build_example(dest: Path) -> Path:
    """Copy the example project (content + config) to ``dest`` and build it."""
    shutil.copytree(REPO / "content", dest / "content")
    shutil.copy2(REPO / "config.yaml", dest / "config.yaml")
    return build_project(dest)


def example_config() -> dict[str, Any]:
    return yaml.safe_load((REPO / "config.yaml").read_text(encoding="utf-8"))


def front_matter(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    match = re.match(r"^---\s*\n(.*?)\n---\s*(?:\n|$)", text, re.S)
    assert match, f"{path}: no front matter"
    data = yaml.safe_load(match.group(1)) or {}
    assert isinstance(data, dict)
    return data


def html_pages(site: Path) -> list[Path]:
    # A weekly digest's email.html is an email body (inline CSS, absolute links, no site chrome), not a page.
    return sorted(p for p in site.rglob("*.html") if p.is_file() and p.name != "email.html")


def vnu_jar() -> Path | None:
    env = os.environ.get("VNU_JAR")
    if env:
        return Path(env)
    jar = NPM_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
    return jar if jar.is_file() else None


def axe_script() -> Path | None:
    path = NPM_MODULES / "axe-core" / "axe.min.js"
    return path if path.is_file() else None


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def missing_tool(reason: str) -> None:
    """Skip locally when an optional tool is absent; in CI the tool is part of the contract: fail."""
    if IN_CI:
        pytest.fail(f"{reason} (required when CI is set)")
    pytest.skip(reason)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (random port) in a thread; yield the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


@contextmanager
def launch_chromium() -> Iterator[Any]:
    """Debian's chromium driven by Playwright (never `playwright install`); skip or fail if absent."""
    executable = chromium_path()
    if not executable:
        missing_tool("Chromium not found (set CHROMIUM or apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_tool("playwright is not installed in this environment")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
