from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from generator.errors import ContentError
from generator.frontmatter import dump_front_matter, is_machine_owned, parse_front_matter, stamp_written
from generator.sources.articles import parse_article

TZ = ZoneInfo("America/Toronto")


def test_round_trip_keeps_offset_and_unknown_keys() -> None:
    when = datetime(2025, 6, 5, 4, 0, tzinfo=timezone(timedelta(hours=-4)))
    text = dump_front_matter({"title": "A: colon", "date": when, "mood": "calm"}, "Body.")
    data, body = parse_front_matter(text, "a.md")
    assert data["date"] == when and data["date"].utcoffset() == timedelta(hours=-4)
    assert body.strip() == "Body."
    article = parse_article(text.encode(), "content/articles/a.md", TZ)
    assert article.extra == {"mood": "calm"} and article.title == "A: colon"
    assert "date: 2025-06-05T04:00:00-04:00" in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("---\ntitle: x\ndate: [2025\n---\nbody", "a.md:3: invalid front matter"),
        ("title: x\n", "a.md:1: no front matter"),
        ("---\ntitle: x\ndate: 2025-01-01\n", "a.md:1: front matter is not closed"),
        ("---\n- a\n- b\n---\n", "a.md:2: front matter must be a mapping"),
        ("---\ndate: 2025-01-01\n---\n", "a.md:2: missing `title`"),
        ("---\ntitle: x\n---\n", "a.md:2: missing `date`"),
        ("---\ntitle: x\ndate: yesterday\n---\n", "a.md:3: date: not a date"),
        ("---\ntitle: x\ndate: 2025-01-01\ntags: {a: 1}\n---\n", "a.md:4: tags: expected a list"),
        ("---\ntitle: x\ndate: 2025-01-01\ndraft: maybe\n---\n", "a.md:4: draft: expected true or false"),
    ],
)
def test_errors_name_file_and_line(text: str, expected: str) -> None:
    with pytest.raises(ContentError) as info:
        parse_article(text.encode(), "a.md", TZ)
    assert str(info.value.problems[0]).startswith(expected)


def test_date_only_is_midnight_in_site_timezone() -> None:
    article = parse_article(b"---\ntitle: x\ndate: 2025-01-15\n---\n", "a.md", TZ)
    assert article.date == datetime(2025, 1, 15, tzinfo=TZ)


def test_invalid_utf8_reported_with_line() -> None:
    with pytest.raises(ContentError, match=r"a.md:3: not valid UTF-8"):
        parse_article(b"---\ntitle: x\ndate: 2025-01-01 \xff\n---\n", "a.md", TZ)


def test_written_hash_detects_human_edits() -> None:
    text = dump_front_matter({"title": "x", "date": "2025-01-01",
                              "origin": {"file": "inbox/a.txt", "sha256": "0" * 64, "written": ""}}, "Body")
    stamped = stamp_written(text)
    assert is_machine_owned(stamped)
    assert not is_machine_owned(stamped.replace("Body", "Body, edited"))
    assert not is_machine_owned(text)  # never stamped: treat as human-owned


def test_written_inside_title_or_guid_is_not_the_stamp() -> None:
    text = dump_front_matter({"title": "Letter written: a reply", "date": "2025-01-01",
                              "origin": {"feed": "F", "guid": "x, written: y", "written": ""}}, "Body")
    stamped = stamp_written(text)
    assert "title: 'Letter written: a reply'" in stamped
    assert "guid: 'x, written: y'" in stamped
    assert is_machine_owned(stamped)
