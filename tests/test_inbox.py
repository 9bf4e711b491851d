"""An inbox that remembers, and limits on input: real CLI runs on small projects.

A deleted article stays deleted until its inbox file changes (or ``digest ingest --force``); a file that
cannot become an article is reported once and kept under ``content/inbox/rejected/``; the notice about a
human-edited article is given once per change of the inbox file; over a limit, nothing is published.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path

from conftest import BASE_CONFIG, FIXED_CLOCK, article, run_digest
from test_review import DATED, DATED_SLUG

ARTICLE = f"content/articles/{DATED_SLUG}.md"


def lines_about(stderr: str, needle: str) -> list[str]:
    return [line for line in stderr.splitlines() if needle in line]


def test_a_deleted_article_stays_deleted_until_its_inbox_file_changes(tmp_project: Callable[..., Path]) -> None:
    root = tmp_project({"content/inbox/bakery.txt": DATED})
    run_digest(root, "build", check=True, env=FIXED_CLOCK)
    made = root / ARTICLE
    assert made.is_file()

    made.unlink()  # not wanted
    for _ in range(2):
        again = run_digest(root, "build", check=True, env=FIXED_CLOCK)
        assert not made.exists() and "bakery" not in again.stderr
    assert not (root / "site" / "articles" / DATED_SLUG).exists()

    forced = run_digest(root, "ingest", "--force", "content/inbox/bakery.txt", check=True, env=FIXED_CLOCK)
    assert forced.stdout.strip() == f"wrote {ARTICLE}" and made.is_file()
    assert run_digest(root, "ingest", "--force").returncode == 2  # --force names the files it means

    made.unlink()
    run_digest(root, "build", check=True, env=FIXED_CLOCK)
    assert not made.exists()
    inbox = root / "content" / "inbox" / "bakery.txt"
    inbox.write_text(DATED + "The baker said the new loaves would be on the first ferry by six o'clock.\n",
                     encoding="utf-8")
    run_digest(root, "build", check=True, env=FIXED_CLOCK)
    assert made.is_file() and "first ferry by six" in made.read_text(encoding="utf-8")


def test_unusable_inbox_files_are_reported_once_and_kept_aside(tmp_project: Callable[..., Path]) -> None:
    root = tmp_project({"content/inbox/bakery.txt": DATED})
    inbox = root / "content" / "inbox"
    (inbox / "scan.txt").write_bytes(b"%PDF-1.7\n\x00\x01\x02\x03 stream" * 40)
    (inbox / "empty.md").write_bytes(b"")
    (inbox / "notes.txt").write_bytes(codecs.BOM_UTF8 + b"Caf\xe9 notes from the quay\n")
    words = b"Tariff talk on the quay went on all afternoon and nobody agreed on anything at all.\n"
    (inbox / "dump.txt").write_bytes(words * (5 * 1024 * 1024 // len(words) + 1))  # 5 MB of text

    first = run_digest(root, "build", env=FIXED_CLOCK)
    assert first.returncode == 1
    expected = {
        "scan.txt": "binary data",
        "empty.md": "empty file",
        "notes.txt": "not valid UTF-8",
        "dump.txt": "file is 5.0 MB, over the limit of 2 MB (limits.raw_file)",
    }
    rejected = root / "content" / "inbox" / "rejected"
    for name, reason in expected.items():
        [line] = lines_about(first.stderr, f"content/inbox/{name}")
        assert line.startswith(f"error: content/inbox/{name}") and reason in line, line
        assert line.endswith(f"moved to content/inbox/rejected/{name}"), line
        assert (rejected / name).is_file() and not (inbox / name).exists()
        assert reason in (rejected / f"{name}.reason.txt").read_text(encoding="utf-8")
    assert (rejected / "dump.txt").stat().st_size > 5 * 1024 * 1024  # kept, byte for byte
    assert sorted(p.name for p in inbox.iterdir()) == ["bakery.txt", "rejected"]

    site = root / "site"
    assert [p.name for p in (site / "articles").iterdir()] == [DATED_SLUG]
    assert max(p.stat().st_size for p in site.rglob("*.xml")) < 20_000  # no feed grew with the refused text

    second = run_digest(root, "build", env=FIXED_CLOCK)
    assert second.returncode == 0 and "content/inbox" not in second.stderr, second.stderr


def test_over_the_body_limit_nothing_is_published(tmp_project: Callable[..., Path]) -> None:
    long_body = "The quay committee read out every line of the harbour bylaw, one clause at a time. " * 12
    root = tmp_project({
        "content/inbox/long.txt": DATED + long_body + "\n",
        "content/articles/long-by-hand.md": article("The whole bylaw", "2025-03-01", long_body),
        "content/articles/short.md": article("Short note", "2025-03-02", "A short note."),
    }, config=BASE_CONFIG + "limits: {article_body: 600}\n")
    result = run_digest(root, "build", env=FIXED_CLOCK)
    assert result.returncode == 1
    [inbox_line] = lines_about(result.stderr, "content/inbox/long.txt")
    assert "over the limit of 600 (limits.article_body)" in inbox_line and "rejected/long.txt" in inbox_line
    [hand_line] = lines_about(result.stderr, "content/articles/long-by-hand.md")
    assert "over the limit of 600 (limits.article_body); it is not published" in hand_line
    assert sorted(p.name for p in (root / "site" / "articles").iterdir()) == ["short"]
    assert (root / "content" / "articles" / "long-by-hand.md").is_file()  # the input is kept


def test_the_human_edits_notice_is_given_once_per_change_of_the_inbox_file(
        tmp_project: Callable[..., Path]) -> None:
    root = tmp_project({"content/inbox/bakery.txt": DATED})
    run_digest(root, "build", check=True, env=FIXED_CLOCK)
    made = root / ARTICLE
    made.write_text(made.read_text(encoding="utf-8") + "\nAn editor's note added by hand.\n", encoding="utf-8")
    inbox = root / "content" / "inbox" / "bakery.txt"
    notice = f"{ARTICLE} has human edits"

    for version in ("Version two of the text.", "Version three of the text."):
        inbox.write_text(DATED + version + "\n", encoding="utf-8")
        said = run_digest(root, "build", check=True, env=FIXED_CLOCK)
        assert len(lines_about(said.stderr, notice)) == 1, said.stderr
        quiet = run_digest(root, "build", check=True, env=FIXED_CLOCK)
        assert lines_about(quiet.stderr, notice) == [], quiet.stderr
    assert "An editor's note added by hand." in made.read_text(encoding="utf-8")  # never rewritten
