"""Feed parsing (every format, broken inputs) and sanitizing of untrusted entry HTML."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from generator.sources.feedparse import parse_feed, stable_guid
from generator.sources.sanitize import entry_markdown, html_to_text, safe_url, sanitize_html

FEEDS = Path(__file__).parent / "fixtures" / "feeds"


def parse(name: str, **kw: str) -> object:
    return parse_feed((FEEDS / name).read_bytes(), **kw)


@pytest.mark.parametrize(("name", "kind", "title"), [
    ("rss20.xml", "rss20", "Ottawa answers new U.S. tariffs with counter-tariffs on steel"),
    ("rss10.rdf", "rss10", "Lumber duties raised again"),
    ("rss091.xml", "rss091u", "Simple item"),
    ("atom10.xml", "atom10", "Border talks <em>resume</em>"),
    ("atom03.xml", "atom03", "Legacy entry"),
    ("feed.json", "json11", "Dairy quotas on the table"),
])
def test_every_format_parses(name: str, kind: str, title: str) -> None:
    feed = parse_feed((FEEDS / name).read_bytes())
    assert feed.error is None and feed.warning is None
    assert feed.kind == kind
    assert feed.entries[0].title == title
    assert feed.entries[0].guid


def test_rss20_fields() -> None:
    feed = parse_feed((FEEDS / "rss20.xml").read_bytes())
    first, second = feed.entries
    assert first.guid == "tag:maplewire.example,2025:counter-tariffs"
    assert first.published == datetime(2025, 6, 5, 8, 30, tzinfo=timezone(timedelta(hours=-4)))
    assert first.published.utcoffset() == timedelta(hours=-4)  # the stated offset is kept
    assert first.authors == ("Jane Roe",)
    assert first.categories == ("Trade", "Steel")
    assert "counter-tariffs" in first.content_html
    # No guid: a stable id from link + title, the same on every parse.
    assert not second.has_guid
    assert second.guid == stable_guid(second.link, second.title)
    assert second.published is None


def test_atom_relative_links_resolve_against_xml_base() -> None:
    entry = parse_feed((FEEDS / "atom10.xml").read_bytes()).entries[0]
    md = entry_markdown(entry.content_html, entry.link)
    assert "[details](https://atom.example/news/details)" in md
    assert "![Chart](https://atom.example/news/charts/1.png)" in md


def test_json_feed() -> None:
    feed = parse_feed((FEEDS / "feed.json").read_bytes())
    first, second = feed.entries
    assert first.link == "https://json.example/posts/1"  # relative url resolved
    assert first.published is not None and first.published.utcoffset() == timedelta(hours=-7)
    assert first.authors == ("Ledger Staff",)  # the feed's authors when the item has none
    assert first.categories == ("Dairy", "Trade")
    assert second.authors == ("Kim Park",)
    assert "<p>Second &lt;paragraph&gt;.</p>" in second.content_html  # content_text escaped


def test_wrongly_encoded_feed_is_read() -> None:
    feed = parse_feed((FEEDS / "latin1-declared-utf8.xml").read_bytes())
    assert feed.error is None
    assert feed.entries[0].title == "Montréal et Québec répliquent"


@pytest.mark.parametrize(("name", "reason"), [
    ("not-a-feed.html", "not a feed"),
    ("malformed.xml", "malformed feed"),
])
def test_broken_feeds_are_errors_not_exceptions(name: str, reason: str) -> None:
    feed = parse_feed((FEEDS / name).read_bytes())
    assert feed.entries == ()
    assert feed.error is not None and reason in feed.error


def test_truncated_feed_warns_and_keeps_what_it_read() -> None:
    feed = parse_feed((FEEDS / "truncated.xml").read_bytes())
    assert feed.error is None
    assert feed.warning is not None and "malformed" in feed.warning
    assert [e.guid for e in feed.entries] == ["tag:maplewire.example,2025:counter-tariffs"]


@pytest.mark.parametrize("data", [b"", b"   ", b"{not json", b'{"version": "1"}', b"\x00\x01\x02garbage",
                                  b"[1, 2]"])
def test_garbage_never_raises(data: bytes) -> None:
    assert parse_feed(data).error


def test_strings_are_refused() -> None:
    with pytest.raises(TypeError):
        parse_feed("https://example.org/feed.xml")  # type: ignore[arg-type]


def test_hostile_html_is_neutralised() -> None:
    entry = parse_feed((FEEDS / "rss20.xml").read_bytes()).entries[0]
    # feedparser has its own sanitizer; test ours on the raw HTML too.
    raw = (FEEDS / "rss20.xml").read_text(encoding="utf-8").split("<![CDATA[")[1].split("]]>")[0]
    for html in (raw, entry.content_html):
        safe = sanitize_html(html, entry.link)
        lowered = safe.lower()
        for bad in ("<script", "onclick", "onerror", "javascript:", "data:", "<iframe", "style=", "pixel.gif",
                    "feedburner", "document.cookie"):
            assert bad not in lowered, bad
        md = entry_markdown(html, entry.link)
        assert "[Read the explainer](https://maplewire.example/politics/tariff-explainer)" in md
        assert "![A steel mill in Hamilton](https://maplewire.example/img/steel.jpg)" in md
        assert "Styled text stays as text." in md
        assert "click me" in md and "](javascript" not in md
        assert "<" not in md.replace("&lt;", "")


@pytest.mark.parametrize(("value", "expected"), [
    ("https://x.example/a b", "https://x.example/a%20b"),
    ("/rel", "https://base.example/rel"),
    ("  JavaScript:alert(1)", None),
    ("jav\tascript:alert(1)", None),
    ("data:image/png;base64,AAA", None),
    ("vbscript:x", None),
    ("file:///etc/passwd", None),
    ("mailto:desk@example.org", "mailto:desk@example.org"),
    ("https://x.example/(paren)", "https://x.example/%28paren%29"),
])
def test_safe_url(value: str, expected: str | None) -> None:
    assert safe_url(value, "https://base.example/story") == expected


def test_html_to_text() -> None:
    assert html_to_text("<p>a &amp; b</p><ul><li>one</li><li>two</li></ul><script>x</script>") == "a & b one two"


def test_parse_dates_keep_offset_and_default_utc() -> None:
    from generator.sources.feedparse import parse_date

    assert parse_date("Thu, 05 Jun 2025 08:30:00 GMT") == datetime(2025, 6, 5, 8, 30, tzinfo=UTC)
    assert parse_date("2025-06-05T08:30:00Z") == datetime(2025, 6, 5, 8, 30, tzinfo=UTC)
    assert parse_date("2025-06-05T08:30:00") == datetime(2025, 6, 5, 8, 30, tzinfo=UTC)
    assert parse_date("yesterday") is None
