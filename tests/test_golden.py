"""The whole built site of a small project, byte for byte, against the committed tests/golden/site/.

Like Pelican's ``tests/output/basic``: any change to templates, Markdown rendering, feeds or slugs
shows up here as a diff of real output. When the change is intended, ``scripts/update-golden``
rebuilds the expected site and the diff is reviewed in the commit.
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

from conftest import FIXED_CLOCK, run_digest

GOLDEN = Path(__file__).parent / "golden"
HINT = "run scripts/update-golden if the change is intended"
DIFF_LINES = 60


# The search index is Pagefind's output (binary, pinned with pagefind-bin): not committed, so the golden
# diff stays reviewable. test_search.py checks that it is there, deterministic and searchable.
NOT_COMPARED = "pagefind/"


def files_under(root: Path) -> dict[str, Path]:
    return {rel: p for p in sorted(root.rglob("*"))
            if p.is_file() and not (rel := p.relative_to(root).as_posix()).startswith(NOT_COMPARED)}


def build_golden_project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(GOLDEN / "project", root, ignore=shutil.ignore_patterns("site", ".digest"))
    run_digest(root, "build", "--offline", check=True, env=FIXED_CLOCK)
    return root / "site"


def first_difference(expected: Path, actual: Path, rel: str) -> str:
    """A unified diff of one file (text), or a note on where the bytes part (binary)."""
    old, new = expected.read_bytes(), actual.read_bytes()
    try:
        old_lines = old.decode("utf-8").splitlines(keepends=True)
        new_lines = new.decode("utf-8").splitlines(keepends=True)
    except UnicodeDecodeError:
        at = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), min(len(old), len(new)))
        return f"binary files differ at byte {at} ({len(old)} vs {len(new)} bytes)\n"
    diff = list(difflib.unified_diff(old_lines, new_lines, f"golden/site/{rel}", f"built/site/{rel}"))
    if not diff:  # only line endings or a missing final newline differ
        return f"{rel}: same lines, different bytes (line endings?)\n"
    shown = "".join(diff[:DIFF_LINES])
    if len(diff) > DIFF_LINES:
        shown += f"... ({len(diff) - DIFF_LINES} more diff lines)\n"
    return shown


def test_golden_site_matches_byte_for_byte(tmp_path: Path) -> None:
    expected = files_under(GOLDEN / "site")
    assert expected, f"tests/golden/site is empty; {HINT}"
    built = build_golden_project(tmp_path)
    assert (built / NOT_COMPARED / "pagefind-entry.json").is_file(), "the golden build made no search index"
    actual = files_under(built)

    missing, extra = sorted(expected.keys() - actual.keys()), sorted(actual.keys() - expected.keys())
    assert not missing and not extra, (
        f"the built file set differs from tests/golden/site:\n"
        f"  not built any more: {missing}\n  new: {extra}\n{HINT}"
    )
    changed = [rel for rel in expected if expected[rel].read_bytes() != actual[rel].read_bytes()]
    assert not changed, (
        f"{len(changed)} file(s) differ from tests/golden/site: {changed[:10]}\n"
        f"{first_difference(expected[changed[0]], actual[changed[0]], changed[0])}{HINT}"
    )


def test_golden_project_covers_what_it_claims() -> None:
    """Guard the fixture itself, so a future edit cannot quietly drop a case the golden diff relies on."""
    site = GOLDEN / "site"
    raw = (site / "articles/harbour-notice-raw-html/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;" in raw and "<script>alert" not in raw  # origin → raw HTML rendered as text
    assert "<table>" in (site / "articles/ferry-timetable-winter/index.html").read_text(encoding="utf-8")
    assert 'class="footnote-ref"' in (site / "articles/bakery-sourdough-footnote/index.html").read_text(
        encoding="utf-8")
    # no `topics:` in front matter: the match rules placed these two
    assert "pier-repairs-begin" in (site / "topics/harbour-works/index.html").read_text(encoding="utf-8") + (
        site / "topics/harbour-works/page/2/index.html").read_text(encoding="utf-8")
    assert "bakery-sourdough-footnote" in (site / "topics/food/index.html").read_text(encoding="utf-8")
    assert (site / "people/sigrun-thorsdottir/index.html").is_file()
    assert (site / "page/3/index.html").is_file()  # six articles, two per page
    assert (site / "feed.xml").read_text(encoding="utf-8").count("<item>") == 3
