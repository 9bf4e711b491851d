from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from generator.errors import ContentError
from generator.extract import record_to_json
from generator.frontmatter import KEY_ORDER, dump_front_matter, is_machine_owned, parse_front_matter, stamp_written
from generator.model import (
    EXTRACTED_KEYS,
    FRONT_MATTER_KEYS,
    KEY_FIELDS,
    Image,
    Origin,
    Quote,
    Record,
    SourceRef,
    front_matter,
    reading_time,
)
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


def test_docs_list_every_key_of_the_schema() -> None:
    """docs/front-matter.md's table is the schema's: every key, its type and its doc line, in order."""
    expected = [f"| `{f.name}` | {f.metadata['type']} | {f.metadata['doc']} |" for f in KEY_FIELDS]
    doc = (Path(__file__).parent.parent / "docs" / "front-matter.md").read_text(encoding="utf-8")
    table = doc.split("<!-- keys:", 1)[1].split("<!-- /keys -->", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert rows == expected, "docs/front-matter.md is out of step with model.Record; its table should be:\n" + \
        "\n".join(expected)


def test_every_schema_field_has_a_doc_line() -> None:
    for cls in (Record, Image, Quote, SourceRef, Origin):
        for f in dataclasses.fields(cls):
            if "kind" in f.metadata or cls is not Record:
                assert f.metadata.get("doc"), f"{cls.__name__}.{f.name} has no doc line"


def test_key_order_and_extract_keys_come_from_the_schema() -> None:
    assert KEY_ORDER == FRONT_MATTER_KEYS == tuple(f.name for f in KEY_FIELDS)
    assert FRONT_MATTER_KEYS[:3] == ("title", "slug", "date") and FRONT_MATTER_KEYS[-1] == "draft"
    record = Record(title="T", body="B", date=datetime(2025, 6, 5, tzinfo=UTC), topics=("Trade War",))
    data = record_to_json(record)
    assert list(data) == ["title", "section", "date", *[k for k in EXTRACTED_KEYS if k not in
                                                         ("title", "section", "date")], "body"]
    assert data["date"] == "2025-06-05T00:00:00+00:00" and data["topics"] == ["Trade War"]


def test_unknown_keys_survive_a_round_trip_through_the_schema() -> None:
    text = ("---\ntitle: Calm seas\ndate: 2025-06-05T04:00:00-04:00\nmood: calm\n"
            "rating: {stars: 4, of: 5}\nimage: {url: https://x.example/a.jpg, alt: A harbour}\ntags: [Sea]\n"
            "---\n\nBody text.\n")
    article = parse_article(text.encode(), "content/articles/calm.md", TZ)
    assert article.extra == {"mood": "calm", "rating": {"stars": 4, "of": 5}}
    written = dump_front_matter(front_matter(article), article.body)
    again = parse_article(written.encode(), "content/articles/calm.md", TZ)
    assert again.extra == article.extra and list(again.extra) == ["mood", "rating"]
    assert again.image == article.image and again.image is not None and again.image.alt == "A harbour"
    assert (again.title, again.date, again.tags, again.body) == (article.title, article.date, article.tags,
                                                                 article.body)
    assert "topics" not in front_matter(article)  # absent stays absent: the topic rules still decide
    assert written.index("mood:") > written.index("draft:")  # unknown keys follow the schema's keys


def test_one_reading_time_rule() -> None:
    assert [reading_time(n) for n in (0, 1, 230, 231, 460, 461)] == [1, 1, 1, 2, 2, 3]
