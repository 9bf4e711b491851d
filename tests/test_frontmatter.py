from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from generator.errors import ContentError
from generator.extract import record_to_json
from generator.frontmatter import (
    KEY_ORDER,
    FrontMatterLoader,
    dump_front_matter,
    is_machine_owned,
    parse_front_matter,
    stamp_written,
)
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
        ("---\ntitle: x\ndate: 2025-13-45\n---\n", "a.md:3: invalid front matter: not a date: 2025-13-45"),
        ("---\ntitle: x\ndate: 2025-01-01\nseen: 2025-01-01T10:00:00+99:00\n---\n", "a.md:4: invalid front matter"),
    ],
)
def test_errors_name_file_and_line(text: str, expected: str) -> None:
    with pytest.raises(ContentError) as info:
        parse_article(text.encode(), "a.md", TZ)
    assert str(info.value.problems[0]).startswith(expected)


# Documents that exercise the safe loader's general machinery: every kind of scalar, tags, anchors and
# aliases, merges, recursion, odd keys, duplicate keys, errors (with their marks).
_ODD_YAML = [
    "title: A\ndate: 2025-06-05T04:00:00.123456-04:00\nb: 2025-06-05 04:00:00 +02\nc: 2025-6-5t4:00:00z\nd: 2025-06-05",
    "a: 0x1F\nb: 1_0\nc: 0o17\nd: 017\ne: 0b101\nf: 1:20:30\ng: -0\nh: +12\ni: 123456789012345678901234567890",
    "a: .inf\nb: -.Inf\nc: 1e3\nd: 1.0e+3\ne: 190:20:30.15\nf: 1_000.5\ng: .5",
    "a: no\nb: yes\nc: On\nd: OFF\ne: y\nf: True\ng: ~\nh: null\ni:\nj: NULL\nk: ''",
    "title: &t Harbour\nsummary: *t\npeople: &p [Ann Lee, Bo Chan]\nplaces: *p\nx: {a: *p}\ny: &m {k: v}\nz: *m",
    "base: &b {a: 1, b: 2}\nx:\n  <<: *b\n  c: 3\ny:\n  <<: [*b, {d: 4}]\n  a: 9\nz: {<<: {q: r}, =: v}",
    "a: !!binary aGVsbG8=\nb: !!set {a, b}\nc: !!omap [a: 1, b: 2]\nd: !!pairs [a: 1, a: 2]",
    "a: !!str 2025\nb: !!int '12'\nc: !!float '1'\nd: !!bool 'yes'\ne: !!null ''\nf: !!timestamp 2001-12-14",
    "1: one\n2025-01-01: d\ntrue: t\n~: n\n1.5: f\n[a]: 1",
    "title: A\ntitle: B\ntags: [x, x, 'y', \"z\", 3, [q], {k: v}, ~]",
    "a: &a [*a]\nb: &b {k: *b}\nc: &c [x, *c]",
    "a: {[a]: 1}",
    "a: !!python/tuple [1, 2]",
    "a: !foo bar",
    "a: !!map {a: 1}\nb: !!seq [1]\nc: !!str [1]",
    "title: >\n  Folded\n  title\nsummary: |-\n  Lit\n   eral\n",
    "title: \"Caf\\u00e9 \\x41\"\nsummary: 'It''s naïve'",
    "title: x\ndate: [2025", "title: 'unclosed\ndate: 2025", "title: a: b", "x: *nope", "x: @foo", "- a\n- b",
    "just text", "", "# nothing", "{title: x, tags: [a, b]}", "a: 1\n---\nb: 2",
]


def _load(text: str, loader: Any) -> tuple[str, str]:
    try:
        return "ok", repr(yaml.load(text, Loader=loader))  # repr: types count (1, 1.0, True), and recursion
    except yaml.YAMLError as exc:
        return type(exc).__name__, str(exc)


def test_the_front_matter_loader_loads_what_the_safe_loader_loads() -> None:
    for text in _ODD_YAML:
        assert _load(text, FrontMatterLoader) == _load(text, yaml.CSafeLoader), text
    data = yaml.load("a: &x [p, q]\nb: *x\nc: &s str\nd: *s\n", Loader=FrontMatterLoader)
    assert data["a"] is data["b"] and data == {"a": ["p", "q"], "b": ["p", "q"], "c": "str", "d": "str"}


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


# Pieces of front-matter lines for the simple reader's test: keys YAML reads as other things than text,
# plain scalars that are numbers, dates, booleans or nulls, quotes and escapes, flow lists with odd items,
# the marks that end or change a plain scalar (``: ``, `` #``, a trailing ``:``), indicators, spaces at the
# ends, tabs, carriage returns, no-break spaces, line separators and byte-order marks.
_KEYS = ["title", "summary", "on", "yes", "null", "y", "True", "_x", "a1", "2025", "k-ey", "<<", "key ", " key"]
_SEPARATORS = [": ", ":  ", ":", ": \t", "\t: "]
_ATOMS = ["Harbour", "port city", "O'Brien", "l’usine", "Zoë", "李明", "2025", "-5", "1_0", "0x1F", "1:20", "3.5",
          ".inf", "~", "null", "true", "no", "On", "2025-06-05", "2025-06-05T09:30:00-04:00",
          "2025-06-05T09:30:00+00:00", "2025-06-05T09:30:00Z", "2025-06-05 09:30:00", "2025-13-45T09:30:00-04:00",
          "2025-06-05T09:30:00+99:00", "2025-06-05T09:30:00.5-04:00", '"quoted"', '"say \\"hi\\""',
          '"back\\\\slash"', '"tab\\t"', '"caf\\u00e9"', '"a # b"', '"x: y"', "'single'", "'it''s'", "'a \" b'",
          "[]", "[ ]", "[a, b]", "[a,b]", "[ a , b ]", '["x, y", z]', "['p', \"q\"]", "[a, b,]", "[a, , b]",
          "[1, a]", "[yes]", "[a: b]", "[a #b]", "[a?]", "[[a]]", "[{a: 1}]", "[-a]", "[a-b]", "[O'Brien]",
          "[a", "a]", "{a: b}", "a: b", "a #b", "a#b", "a:", "a:b", "http://x.example/a?b=c#d", "- a", "-a", "?a",
          "!tag x", "&anchor x", "*alias", "|", ">", "%x", "@x", "`x`", "#c", "x ", " x", "a\u00a0", "\u00a0a",
          "a\u2028b", "a\u0085b", "\ufeffa", "a\rb", "a\x01b", "a\tb", "", " ", "x\\y", "é\u0301", "=", "<<", "[=]"]


def _front_matter_cases(count: int) -> list[str]:
    import random

    rng = random.Random(8)
    cases = []
    for _ in range(count):
        lines = []
        odd = rng.choice((0.02, 0.1, 0.3))  # how often a piece is an odd one
        for _ in range(rng.randint(1, 5)):
            value = " ".join(rng.choice(_ATOMS) if rng.random() < odd else rng.choice(_ATOMS[:45])
                             for _ in range(rng.choice((1, 1, 1, 2, 3))))
            key = rng.choice(_KEYS) if rng.random() < odd else rng.choice(_KEYS[:2])
            separator = rng.choice(_SEPARATORS) if rng.random() < odd else ": "
            lines.append(key + separator + value + rng.choice(("", "", " ", "  ")))
            if rng.random() < 0.05:
                lines.append(rng.choice(["", "  more", "- item", "# comment", "  - x", "..."]))
        cases.append("\n".join(lines) + "\n")
    return cases


def test_simple_front_matter_reads_as_yaml_does() -> None:
    from generator.frontmatter import _simple_load

    simple = 0
    cases = _front_matter_cases(20_000)
    cases += ['title: "A \\"quoted\\" title"\ndate: 2025-06-05T09:30:00-04:00\ntopics: ["Trade War", Steel]\n',
              "title: Plain: no\n", "title: a\n\nsummary: b\n", "title: a\r\n", "TITLE: x\ntitle: y\ntitle: z\n"]
    for text in cases:
        got = _simple_load(text)
        if got is None:
            continue
        simple += 1
        assert ("ok", repr(got)) == _load(text, FrontMatterLoader), text
        assert [type(v) for v in got.values()] == [type(v) for v in yaml.load(text, Loader=FrontMatterLoader).values()]
    assert simple > 2_000  # the simple reader took a good share, so the comparison meant something
