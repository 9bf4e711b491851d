from __future__ import annotations

from conftest import article, run_digest


def test_check_passes_on_a_good_project_and_names_problems(tmp_project) -> None:
    root = tmp_project({"content/articles/a.md": article("A", "2025-06-05T10:00:00Z", "Text with tariffs.",
                                                         topics=["Curling"])})
    assert run_digest(root, "build", "--offline").returncode == 0
    ok = run_digest(root, "check")
    assert ok.returncode == 0, ok.stderr
    # a warning only, naming the file that lists the topic
    assert ("warning: content/articles/a.md: topic 'Curling' is used in front matter but not defined in "
            "config.yaml; add it under `topics:` in config.yaml, or correct the name here") in ok.stderr

    # A theme override that breaks the feed rules and an internal link.
    (root / "templates").mkdir()
    rss = (root / "site/feed.xml").read_text(encoding="utf-8")
    (root / "site/feed.xml").write_text(rss.replace("<guid", "<notguid").replace("</guid>", "</notguid>"))
    (root / "site/articles/a/index.html").write_text('<a href="../missing/">x</a>', encoding="utf-8")
    (root / "content/articles/b.md").write_text("---\ntitle: B\ndate: [\n---\n", encoding="utf-8")
    bad = run_digest(root, "check")
    assert bad.returncode == 1
    assert "site/feed.xml: item 1 has no <guid>" in bad.stderr
    assert "site/articles/a/index.html:1: broken link '../missing/'" in bad.stderr
    assert "content/articles/b.md:4: invalid front matter" in bad.stderr
