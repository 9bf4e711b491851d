"""Publish only what is known: articles held for review, ``digest review``, ``digest check`` and "saved on".

Real CLI runs on small projects, as a newcomer following the README would make them. The articles are
written for these tests.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import yaml
from conftest import FIXED_CLOCK, article, run_digest

UNDATED = "\n".join([
    "City Hall",
    "Harbour council delays vote on new ferry dock",
    "By Wren Talbot",
    "The harbour council put off its vote on a new ferry dock on Tuesday night after residents asked for more "
    "time to read the engineering report.",
    "Councillors said the report, which runs to ninety pages, arrived only a day before the meeting, and several "
    "of them had not finished it.",
    "Mayor Ada Quill said the vote would come back at the next regular meeting, once the public had a chance to "
    "comment.",
    "The dock would replace a wooden pier that has been closed to vehicles since a storm damaged it two winters ago.",
]) + "\n"

DATED = "\n".join([
    "Business",
    "Bakery on Quay Street adds a night shift",
    "By Tomas Reyes",
    "Published March 3, 2025",
    "The bakery on Quay Street will start baking through the night next month so that its bread reaches the "
    "morning ferry.",
    "The owner said four bakers would be hired for the new shift, and the shop would keep its usual hours for "
    "customers.",
    "Ferry passengers have bought most of the bakery's rolls since the crossing added an early sailing last spring.",
]) + "\n"

HELD = "content/articles/harbour-council-delays-vote-on-new-ferry-dock.md"
HELD_SLUG = "harbour-council-delays-vote-on-new-ferry-dock"
HELD_TITLE = "Harbour council delays vote on new ferry dock"
DATED_SLUG = "bakery-on-quay-street-adds-a-night-shift"


def front(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text[4:text.index("\n---\n", 4)])
    assert isinstance(data, dict)
    return data


def held_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "held for review" in line]


def test_the_readme_walkthrough_holds_an_undated_article_until_a_human_dates_it(tmp_path: Path) -> None:
    # digest init: a commented config, a .gitignore for the output and the local state, the content folders
    init = run_digest(tmp_path, "init", "my-digest", check=True)
    root = tmp_path / "my-digest"
    assert "created" in init.stdout and "digest build" in init.stdout
    assert {"site/", ".digest/"} <= set((root / ".gitignore").read_text(encoding="utf-8").splitlines())
    config = (root / "config.yaml").read_text(encoding="utf-8")
    assert config.count("\n#") >= 5 and "limits:" in config and "raw_file: 2 MB" in config

    # drop files in the inbox, build
    (root / "content" / "inbox" / "ferry-dock.txt").write_text(UNDATED, encoding="utf-8")
    (root / "content" / "inbox" / "bakery.txt").write_text(DATED, encoding="utf-8")
    built = run_digest(root, "build", env=FIXED_CLOCK)
    assert built.returncode == 0, built.stderr
    assert held_lines(built.stderr) == [f"warning: {HELD}: held for review: no date"]
    data = front(root / HELD)
    assert data["date"] is None and data["review"] == ["date"] and data["date_source"] is None  # nothing invented

    site = root / "site"
    assert not (site / "articles" / HELD_SLUG).exists()
    assert (site / "articles" / DATED_SLUG / "index.html").is_file()
    assert [p.relative_to(site / "archive").as_posix() for p in sorted((site / "archive").glob("*/*"))] == ["2025/03"]
    for path in [*site.rglob("*.xml"), *site.rglob("*.html")]:
        text = path.read_text(encoding="utf-8")
        assert HELD_TITLE not in text and HELD_SLUG not in text, f"the held article leaks into {path}"

    # digest review: what waits, oldest first; --json for scripts
    listed = run_digest(root, "review", check=True)
    assert HELD in listed.stdout and "no date" in listed.stdout and HELD_TITLE in listed.stdout
    [item] = json.loads(run_digest(root, "review", "--json", check=True).stdout)
    assert item["file"] == HELD and item["reasons"] == ["date"] and item["title"] == HELD_TITLE
    assert item["age_days"] >= 0 and "since" in item and "source" in item
    checked = run_digest(root, "check")
    assert checked.returncode == 0 and f"warning: {HELD}: held for review: no date" in checked.stderr

    # every build names it again; a --drafts preview shows it, marked, without a date it does not have
    assert held_lines(run_digest(root, "build", env=FIXED_CLOCK).stderr) == [
        f"warning: {HELD}: held for review: no date"]
    run_digest(root, "build", "--drafts", check=True, env=FIXED_CLOCK)
    page = (site / "articles" / HELD_SLUG / "index.html").read_text(encoding="utf-8")
    assert "Held for review" in page and "no date" in page and "No date yet" in page and "<time" not in page
    assert "Held for review" in (site / "index.html").read_text(encoding="utf-8")
    assert HELD_TITLE not in (site / "feed.xml").read_text(encoding="utf-8")  # a feed entry needs a date

    # the human sets the date and removes the reason: published
    path = root / HELD
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("date: null", "date: 2025-03-04T18:00:00-05:00").replace("review: [date]\n", ""),
                    encoding="utf-8")
    fixed = run_digest(root, "build", env=FIXED_CLOCK)
    assert fixed.returncode == 0 and held_lines(fixed.stderr) == [], fixed.stderr
    page = (site / "articles" / HELD_SLUG / "index.html").read_text(encoding="utf-8")
    assert '<time datetime="2025-03-04T18:00:00-05:00">' in page and "Held for review" not in page
    assert "Saved on" not in page
    assert HELD_TITLE in (site / "archive" / "2025" / "03" / "index.html").read_text(encoding="utf-8")
    assert HELD_TITLE in (site / "feed.xml").read_text(encoding="utf-8")
    assert run_digest(root, "review", check=True).stdout.startswith("Nothing is held for review.")


def test_a_hand_written_article_may_wait_without_a_date_but_not_be_published_without_one(
        tmp_project: Callable[..., Path]) -> None:
    root = tmp_project({
        "content/articles/waits.md":
            "---\ntitle: Waits for a date\ndate:\nreview: [date, photo credit]\n---\n\nText.\n",
        "content/articles/broken.md": "---\ntitle: No date at all\n---\n\nText.\n",
    })
    result = run_digest(root, "build")
    assert result.returncode == 1
    assert "content/articles/broken.md:2: missing `date`" in result.stderr and "review: [date]" in result.stderr
    # a reason ingest does not know is shown as written
    assert held_lines(result.stderr) == ["warning: content/articles/waits.md: held for review: no date; photo credit"]


def test_a_date_that_only_says_when_ingest_saved_it_is_shown_as_saved_on(tmp_project: Callable[..., Path]) -> None:
    root = tmp_project({
        "content/articles/old-ingest.md": article("Tide tables printed again", "2025-02-01T10:00:00-05:00",
                                                  date_source="ingested", origin={"file": "inbox/tides.txt"}),
        "content/articles/stated.md": article("Harbour ice breaks up", "2025-02-02T10:00:00-05:00",
                                              date_source="stated"),
    })
    run_digest(root, "build", check=True)
    page = (root / "site" / "articles" / "old-ingest" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'Saved on <time datetime="2025-02-01T10:00:00-05:00">February 1, 2025</time>', page)
    assert "article:published_time" not in page
    stated = (root / "site" / "articles" / "stated" / "index.html").read_text(encoding="utf-8")
    assert "Saved on" not in stated and "article:published_time" in stated
    assert "Saved on" in (root / "site" / "index.html").read_text(encoding="utf-8")

    checked = run_digest(root, "check")
    [warning] = [line for line in checked.stderr.splitlines() if "date_source" in line]
    assert warning.startswith("warning: content/articles/old-ingest.md:4: date_source: ingested")
