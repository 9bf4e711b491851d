"""The wheel carries the default theme, so an installed digest builds a folder with only config + content."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_builds_a_project_without_templates(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                             "-w", str(wheels), str(REPO)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    (wheel,) = wheels.glob("digest-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"generator/templates/base.html", "generator/templates/rss.xml",
            "generator/templates/static/style.css", "generator/serve/livereload.js"} <= names

    installed = tmp_path / "installed"
    zipfile.ZipFile(wheel).extractall(installed)
    project = tmp_path / "project"
    shutil.copytree(REPO / "content", project / "content")
    shutil.copy(REPO / "config.yaml", project / "config.yaml")
    env = {**os.environ, "PYTHONPATH": str(installed)}
    build = subprocess.run([sys.executable, "-c", "import generator, sys; print(generator.__file__); "
                            "from generator.cli import main; sys.exit(main(['build', '--offline']))"],
                           cwd=project, capture_output=True, text=True, env=env, timeout=300)
    assert build.returncode == 0, build.stderr
    assert build.stdout.splitlines()[0].startswith(str(installed))  # the wheel's code, not the checkout
    assert (project / "site/topics/trade-war/index.html").exists()
    assert (project / "site/static/style.css").read_bytes() == (REPO / "templates/static/style.css").read_bytes()
