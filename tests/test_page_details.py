"""Small things a newcomer met: the summary shown once on an article page, and warnings that name the file."""

from __future__ import annotations

from pathlib import Path

import lxml.html
from conftest import article, run_digest

from generator.plan.summary import summary_repeats_lead

LEAD = "Divers began repairing the east pier on Monday, four months late."


def test_summary_repeating_the_opening_is_recognised() -> None:
    body = f"{LEAD} The ferry uses the west wharf.\n\nA second paragraph."
    assert summary_repeats_lead(LEAD, body)  # its first sentence
    assert summary_repeats_lead(LEAD + " The ferry uses the west wharf.", body)  # the whole paragraph
    assert summary_repeats_lead("Divers began repairing the east pier…", body)  # cut short
    assert summary_repeats_lead(LEAD, f"HALIFAX (CP) — {LEAD}")  # after a wire dateline
    assert summary_repeats_lead("Divers began *repairing* the “east” pier on Monday, four months late.",
                                "Divers began repairing the \"east\" pier on Monday, four months late.\n\nMore.")
    assert not summary_repeats_lead("Pier work is running four months late.", body)  # its own words
    assert not summary_repeats_lead("Divers began", body.replace("began", "begin"))
    assert not summary_repeats_lead(None, body) and not summary_repeats_lead(LEAD, "")
    assert not summary_repeats_lead("Divers began repairing", body)  # neither a sentence nor marked as cut


def test_article_page_shows_a_repeated_summary_once(tmp_project) -> None:
    root = tmp_project({
        "content/articles/same.md": article("Pier", "2025-06-05T10:00:00Z", f"{LEAD}\n\nMore text.", summary=LEAD),
        "content/articles/own.md": article("Wharf", "2025-06-04T10:00:00Z", f"{LEAD}\n\nMore text.",
                                          summary="Repairs to the pier are running late."),
    })
    run_digest(root, "build", "--offline", check=True)
    same = lxml.html.parse(str(root / "site/articles/same/index.html")).getroot()
    own = lxml.html.parse(str(root / "site/articles/own/index.html")).getroot()
    assert not same.xpath("//p[@class='story__dek']")
    assert same.xpath("//div[contains(@class, 'story__body')]/p")[0].text_content() == LEAD
    assert own.xpath("//p[@class='story__dek']/text()") == ["Repairs to the pier are running late."]
    # the summary still describes the page and leads its feed entry
    assert same.xpath("//meta[@name='description']/@content") == [LEAD]


def test_example_site_repeats_no_summary(example_site: Path) -> None:
    for page in (example_site / "site/articles").glob("*/index.html"):
        doc = lxml.html.parse(str(page)).getroot()
        dek = doc.xpath("//p[@class='story__dek']")
        first = doc.xpath("//div[contains(@class, 'story__body')]/p[1]")
        if dek and first:
            assert dek[0].text_content().rstrip("…").strip() not in first[0].text_content(), page


def test_undefined_topic_warning_names_the_file(tmp_project) -> None:
    root = tmp_project({"content/articles/a.md": article("A", "2025-06-05T10:00:00Z", "Text.", topics=["Curling"]),
                        "content/articles/b.md": article("B", "2025-06-04T10:00:00Z", "Text.", topics=["Sports"])})
    result = run_digest(root, "build", "--offline")
    assert result.returncode == 0
    assert ("warning: content/articles/a.md: topic 'Curling' is used in front matter but not defined in "
            "config.yaml; add it under `topics:` in config.yaml, or correct the name here") in result.stderr
    assert "b.md" not in result.stderr
    assert (root / "site/topics/curling/index.html").is_file()  # the page is made anyway
