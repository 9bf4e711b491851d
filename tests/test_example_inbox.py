"""The shipped example inbox and feed re-ingest to exactly the articles the repository ships.

Every article in content/articles/ with an ``origin`` in its front matter was written by ``digest ingest``;
if the extractor or the writer changes, these tests say so and the example must be re-ingested (and the
change reviewed) rather than drifting silently. They also check the "fresh clone changes no tracked file"
rule: building a copy of the example project leaves content/ byte-for-byte as it was.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import yaml
from conftest import run_digest

REPO = Path(__file__).resolve().parent.parent
NOW = "2025-11-20T12:00:00Z"


def _front_matter(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), path
    head = text[4:text.index("\n---\n", 4)]
    data = yaml.safe_load(head)
    assert isinstance(data, dict), path
    return data


def _ingested_articles() -> dict[str, bytes]:
    """The repository's articles that came from the inbox or a feed (they carry ``origin``)."""
    found = {}
    for path in sorted((REPO / "content" / "articles").glob("*.md")):
        if "origin" in _front_matter(path):
            found[path.name] = path.read_bytes()
    return found


def _digests(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder``, keyed by relative path."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _inbox_project(tmp_path: Path) -> Path:
    """config.yaml, content/inbox/ and content/feeds/ of the example, and no content/articles/."""
    root = tmp_path / "project"
    (root / "content").mkdir(parents=True)
    shutil.copy(REPO / "config.yaml", root / "config.yaml")
    for name in ("inbox", "feeds"):
        shutil.copytree(REPO / "content" / name, root / "content" / name)
    return root


def _clean_env() -> dict[str, str]:
    """No inherited SOURCE_DATE_EPOCH: ``--now`` (or the inputs' own dates) must be all that matters."""
    return {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}


def test_reingesting_the_inbox_gives_exactly_the_shipped_articles(tmp_path: Path) -> None:
    expected = _ingested_articles()
    assert len(expected) >= 4, "the example should ship ingested articles"
    root = _inbox_project(tmp_path)
    inbox_before = _digests(root / "content" / "inbox")

    run_digest(root, "ingest", "--now", NOW, check=True, env=_clean_env())

    produced = {p.name: p.read_bytes() for p in sorted((root / "content" / "articles").glob("*.md"))}
    assert sorted(produced) == sorted(expected)
    differing = [name for name in expected if produced[name] != expected[name]]
    assert not differing, f"re-ingest differs from content/articles/ for {differing}: re-run `digest ingest`"
    assert _digests(root / "content" / "inbox") == inbox_before, "ingest must never modify the inbox"


def test_a_second_ingest_writes_nothing(tmp_path: Path) -> None:
    root = _inbox_project(tmp_path)
    run_digest(root, "ingest", "--now", NOW, check=True, env=_clean_env())
    before = _digests(root / "content")

    again = run_digest(root, "ingest", "--now", NOW, check=True, env=_clean_env())

    assert "wrote" not in again.stdout, again.stdout
    assert _digests(root / "content") == before


def test_building_a_fresh_copy_changes_no_content_file(tmp_path: Path) -> None:
    root = tmp_path / "clone"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "config.yaml", root / "config.yaml")
    before = _digests(root / "content")

    run_digest(root, "build", "--offline", check=True, env=_clean_env())

    after = _digests(root / "content")
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert not changed, f"a fresh build changed tracked content: {changed}"
