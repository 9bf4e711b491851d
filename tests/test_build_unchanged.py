"""The no-change fast path of `digest build` (generator/build/unchanged.py): a build that finds nothing
changed since the last one does nothing and reports the same; any change at all, or an output missing
from site/, gives a full build whose site equals a cold build's."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXED_CLOCK, article, run_digest

from generator.build import Builder
from generator.config import load_config

CONFIG = """\
site: {title: Quay Digest, url: https://quay.test/, description: Harbour news, language: en, timezone: America/Halifax}
topics:
  - name: Harbour
    match: {any: [harbour, ferry, ferries, pier*], min_hits: 2}
per_page: 2
search: false
"""
LEAD = ("Harbour workers walked off the job on Monday after talks over a new contract collapsed, leaving "
        "ferries idle at the piers of Port Alder.")


def build(root: Path, *args: str) -> str:
    result = run_digest(root, "build", "--offline", "-v", *args, env=FIXED_CLOCK)
    assert result.returncode == 0, result.stderr
    return result.stdout


def skipped(stdout: str) -> bool:
    """The build took the fast path: its only steps were ingest and the check."""
    steps = re.search(r"timings: (.*)", stdout)
    assert steps is not None, stdout
    return [s.split()[0] for s in steps.group(1).split(", ")] == ["ingest", "unchanged"]


def site_files(root: Path) -> dict[str, bytes]:
    site = root / "site"
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def assert_same_as_cold(root: Path, cold: Path) -> None:
    shutil.rmtree(cold, ignore_errors=True)
    for part in ("content", "templates"):
        if (root / part).is_dir():
            shutil.copytree(root / part, cold / part)
    shutil.copy(root / "config.yaml", cold / "config.yaml")
    build(cold)
    assert site_files(root) == site_files(cold)


@pytest.fixture
def project(tmp_project) -> Path:
    files = {f"content/articles/a{i}.md": article(f"Item {i}", f"2025-09-{1 + i:02d}T10:00:00Z",
                                                  f"{LEAD}\n\nDetail {i}." if i % 2 else f"Calm day {i}.",
                                                  source=["Coast Wire", "Quay Crier"][i % 2], tags=[f"t{i % 3}"])
             for i in range(7)}
    root = tmp_project(files, config=CONFIG)
    first = build(root)
    assert not skipped(first)
    return root


def test_a_build_with_nothing_changed_does_nothing_and_reports_the_same(project: Path) -> None:
    first_line = build(project, "--clean").splitlines()[0]
    before = {p: (project / "site" / p).stat().st_mtime_ns for p in site_files(project)}
    again = build(project)
    assert skipped(again)
    assert again.splitlines()[0].split(" in ")[0] == first_line.split(" in ")[0]  # articles, topics, feeds
    assert "(0 files written, 0 removed)" in again
    assert {p: (project / "site" / p).stat().st_mtime_ns for p in site_files(project)} == before


@pytest.mark.parametrize("change", ["deleted page", "deleted feed", "template", "config", "article", "new article",
                                    "deleted article", "aliases", "drafts flag"])
def test_any_change_builds_again_and_equals_a_cold_build(project: Path, tmp_path: Path, change: str) -> None:
    from generator.render import DEFAULT_TEMPLATES

    arts, site, args = project / "content/articles", project / "site", []
    if change == "deleted page":
        (site / "articles/a3/index.html").unlink()
    elif change == "deleted feed":
        (site / "tags/t1/feed.json").unlink()
    elif change == "template":
        (project / "templates").mkdir()
        text = (DEFAULT_TEMPLATES / "article.html").read_text(encoding="utf-8")
        (project / "templates/article.html").write_text(text.replace("</article>", "<!-- ours --></article>", 1),
                                                         encoding="utf-8")
    elif change == "config":
        (project / "config.yaml").write_text(CONFIG.replace("per_page: 2", "per_page: 3"), encoding="utf-8")
    elif change == "article":
        (arts / "a2.md").write_text(article("Item 2, retitled", "2025-09-03T10:00:00Z", "Calm again."),
                                    encoding="utf-8")
    elif change == "new article":
        (arts / "b.md").write_text(article("Brand new", "2025-09-20T10:00:00Z", LEAD), encoding="utf-8")
    elif change == "deleted article":
        (arts / "a5.md").unlink()
    elif change == "aliases":
        (arts / "a4.md").write_text(article("Item 4", "2025-09-05T10:00:00Z", "Calm.", people=["A. Lee", "Ann Lee"]),
                                    encoding="utf-8")
        build(project)
        (project / "content/aliases.yaml").write_text("Ann Lee: [A. Lee]\n", encoding="utf-8")
    elif change == "drafts flag":
        (arts / "d.md").write_text(article("A draft", "2025-09-21T10:00:00Z", "Not yet.", draft=True),
                                   encoding="utf-8")
        build(project)
        args = ["--drafts"]
    out = build(project, *args)
    assert not skipped(out), change
    if change in ("deleted page", "deleted feed"):
        assert "(1 files written, 0 removed)" in out
    if change == "deleted article":
        assert not (site / "articles/a5").exists()
    if change != "drafts flag":
        assert_same_as_cold(project, tmp_path / "cold")
    assert skipped(build(project, *args)), "and the next build finds nothing changed"


def test_a_touched_file_is_looked_at_and_nothing_is_written(project: Path) -> None:
    path = project / "content/articles/a1.md"
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    out = build(project)
    assert not skipped(out) and "(0 files written, 0 removed)" in out


def test_problems_are_reported_again_with_the_same_exit_code(project: Path) -> None:
    (project / "content/articles/broken.md").write_text("---\ntitle: [unclosed\n---\nText.\n", encoding="utf-8")
    (project / "content/articles/held.md").write_text(article("Held", "2025-09-22T10:00:00Z", "Text.",
                                                              review=["check the source"]), encoding="utf-8")
    first = run_digest(project, "build", "--offline", "-v", env=FIXED_CLOCK)
    again = run_digest(project, "build", "--offline", "-v", env=FIXED_CLOCK)
    assert skipped(again.stdout)
    assert again.returncode == first.returncode == 1
    assert again.stderr == first.stderr and "broken.md" in again.stderr and "held for review" in again.stderr
    strict = run_digest(project, "build", "--offline", "--strict", env=FIXED_CLOCK)
    assert strict.returncode == 1


def test_a_build_by_another_builder_forgets_the_stored_key(project: Path) -> None:
    """`digest serve` (a long-lived Builder) changes site/ without storing a key: the one stored before no
    longer describes site/, even when the files come back as they were (a restore that keeps mtimes)."""
    path = project / "content/articles/a2.md"
    text, stat = path.read_bytes(), path.stat()
    path.write_text(article("Item 2, for a while", "2025-09-03T10:00:00Z", "Changed."), encoding="utf-8")
    Builder(load_config(project / "config.yaml")).build([path])
    assert "for a while" in (project / "site/articles/a2/index.html").read_text(encoding="utf-8")
    path.write_bytes(text)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    out = build(project)
    assert not skipped(out)
    assert "for a while" not in (project / "site/articles/a2/index.html").read_text(encoding="utf-8")
