from __future__ import annotations

from pathlib import Path

from conftest import run_digest

CONFIG = """\
site: {title: T, url: https://t.example/}
topics:
  - {name: Trade War, match: {any: [tariff*], min_hits: 2}}
  - {name: Wildfires, match: {any: [wildfire*], min_hits: 1}}
"""


def test_retag_updates_only_files_ingest_still_owns(tmp_project) -> None:
    root = tmp_project({
        "content/inbox/a.txt": "Tariff talk drags on in Ottawa\n\nOTTAWA — Federal officials argued over tariffs "
                               "again on Monday, and the tariff schedule for imported machinery stayed exactly as "
                               "it was after a long afternoon of meetings with industry groups.\n\nA small "
                               "wildfire burned near the border crossing but was contained by the evening, local "
                               "crews said in a short statement.\n",
        "content/inbox/b.txt": "Another tariff fight over steel\n\nOTTAWA — The tariff fight went on this week, "
                               "with tariffs on imported steel at the centre of a long debate between provincial "
                               "ministers and the federal cabinet over how to respond.\n\nNothing else happened "
                               "at the meeting, according to people who were in the room for it.\n",
    }, config=CONFIG)
    assert run_digest(root, "ingest", "--now", "2025-06-01T12:00:00Z").returncode == 0
    articles = sorted((root / "content/articles").glob("*.md"))
    assert len(articles) == 2
    edited = next(a for a in articles if "Nothing else happened" in a.read_text(encoding="utf-8"))
    owned = next(a for a in articles if a != edited)
    edited.write_text(edited.read_text(encoding="utf-8").replace("Nothing else happened", "Edited by hand"),
                      encoding="utf-8")
    before_edited = edited.read_text(encoding="utf-8")

    # The rules change: wildfires now need two hits, and a new topic appears.
    (root / "config.yaml").write_text(CONFIG.replace("min_hits: 1", "min_hits: 2")
                                      + "  - {name: Ottawa, match: {any: [ottawa]}}\n", encoding="utf-8")
    result = run_digest(root, "retag")
    assert result.returncode == 0, result.stderr
    text = owned.read_text(encoding="utf-8")
    assert "topics: [Trade War, Ottawa]" in text  # Wildfires dropped (one hit), Ottawa added
    assert edited.read_text(encoding="utf-8") == before_edited  # human-edited: never rewritten
    assert "1 articles retagged" in result.stdout

    from generator.frontmatter import is_machine_owned

    assert is_machine_owned(text)  # still ingest-owned after the rewrite
    assert run_digest(root, "retag").stdout.strip().endswith("0 articles retagged")
    assert Path(root / "content/inbox/a.txt").exists()
