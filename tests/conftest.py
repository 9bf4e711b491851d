"""Shared fixtures: small projects written from dedented strings, and a CLI runner."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

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
