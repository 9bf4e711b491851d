"""Feed entries → article files: front matter, dedup, updates, human edits, state, health."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from feedserver import FeedServer

import generator.ingest.feeds as feedingest
from generator.cli import health_table
from generator.config import Config, FeedSource, MatchRule, TopicConfig
from generator.frontmatter import is_machine_owned, parse_front_matter
from generator.ingest.feeds import feeds_health, fetch_to_state, ingest_feeds, state_path
from generator.sources.feedstate import FeedState

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
NOW = datetime(2025, 6, 6, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=3)
TOPICS = (TopicConfig("Trade War", "trade-war", match=MatchRule(any=("tariff*", "trade war", "retaliat*"))),
          TopicConfig("Steel", "steel"))

ENTRY = """<item><title>{title}</title><link>{link}</link>{guid}{date}
<description><![CDATA[{body}]]></description></item>"""


def rss(*items: str, title: str = "Test feed") -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>https://feed.example/</link><description>d</description>{''.join(items)}</channel></rss>"
            ).encode()


def item(title: str, link: str, body: str, guid: str | None = None, date: str | None = None) -> str:
    return ENTRY.format(title=title, link=link, body=body,
                        guid=f"<guid>{guid}</guid>" if guid else "",
                        date=f"<pubDate>{date}</pubDate>" if date else "")


def project(tmp_path: Path, *feeds: FeedSource, files: dict[str, bytes] | None = None) -> Config:
    for rel, data in (files or {}).items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(data)
    (tmp_path / "content" / "articles").mkdir(parents=True, exist_ok=True)
    return Config(root=tmp_path, feeds=feeds, topics=TOPICS, fetch_timeout=2.0, fetch_concurrency=4)


def articles(config: Config) -> dict[str, tuple[dict[str, Any], str, str]]:
    out = {}
    for path in sorted(config.articles_dir.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        data, body = parse_front_matter(text, path.name)
        out[path.stem] = (data, body, text)
    return out


@pytest.fixture
def parse_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = feedingest.parse_feed

    def counting(data: bytes, **kw: Any) -> Any:
        calls.append(kw.get("base_url") or "")
        return real(data, **kw)

    monkeypatch.setattr(feedingest, "parse_feed", counting)
    return calls


def test_entries_become_articles(tmp_path: Path) -> None:
    config = project(tmp_path, FeedSource("Maple Wire", path="feeds/rss20.xml", topics=("Steel",)),
                     files={"feeds/rss20.xml": (FEEDS / "rss20.xml").read_bytes()})
    report = ingest_feeds(config, NOW, offline=True)
    assert report.problems == []
    assert report.new_items == 2
    assert sorted(report.written) == [
        "content/articles/ottawa-answers-new-u-s-tariffs-with-counter-tariffs-on-steel.md",
        "content/articles/premiers-meet-in-toronto.md"]
    found = articles(config)
    data, body, text = found["ottawa-answers-new-u-s-tariffs-with-counter-tariffs-on-steel"]
    assert data["title"] == "Ottawa answers new U.S. tariffs with counter-tariffs on steel"
    assert data["date"] == datetime.fromisoformat("2025-06-05T08:30:00-04:00")
    assert data["date_source"] == "feed"
    assert data["source"] == "Maple Wire"
    assert data["url"] == "https://maplewire.example/politics/2025/06/counter-tariffs"  # no utm_ tracking
    assert data["authors"] == ["Jane Roe"]
    assert data["tags"] == ["Trade", "Steel"]
    assert data["summary"] == "Canada announced retaliation on Thursday."
    assert data["topics"] == ["Trade War", "Steel"]  # the rule, then the feed's hint
    assert "Chrystia Freeland" in data["people"]
    assert "Ottawa" in data["places"]
    assert data["origin"]["feed"] == "Maple Wire"
    assert data["origin"]["guid"] == "tag:maplewire.example,2025:counter-tariffs"
    assert is_machine_owned(text)
    assert data["sources"] == [{"name": "Maple Wire", "url": data["url"]}]
    assert "[Read the explainer](https://maplewire.example/politics/tariff-explainer)" in body
    for bad in ("<script", "onclick", "javascript:", "iframe", "pixel.gif", "feedburner"):
        assert bad not in text
    undated, _, _ = found["premiers-meet-in-toronto"]
    # No date of its own: none is invented (it used to get the ingest time); the article is held for review.
    assert undated["date"] is None and undated["date_source"] is None and undated["review"] == ["date"]
    assert undated["origin"]["guid"].startswith("sha256:")


def test_every_format_ingests(tmp_path: Path) -> None:
    names = ["rss10.rdf", "rss091.xml", "atom10.xml", "atom03.xml", "feed.json", "latin1-declared-utf8.xml"]
    config = project(tmp_path, *(FeedSource(n, path=f"feeds/{n}") for n in names),
                     files={f"feeds/{n}": (FEEDS / n).read_bytes() for n in names})
    report = ingest_feeds(config, NOW, offline=True)
    assert report.problems == []
    titles = {d["title"] for d, _, _ in articles(config).values()}
    assert {"Lumber duties raised again", "Simple item", "Border talks resume", "Legacy entry",
            "Dairy quotas on the table", "Plain text item", "Montréal et Québec répliquent"} <= titles


def test_unchanged_local_feed_is_not_parsed_again(tmp_path: Path, parse_calls: list[str]) -> None:
    config = project(tmp_path, FeedSource("Maple", path="f.xml"), files={"f.xml": (FEEDS / "rss20.xml").read_bytes()})
    ingest_feeds(config, NOW, offline=True)
    assert len(parse_calls) == 1
    again = ingest_feeds(config, LATER, offline=True)
    assert len(parse_calls) == 1 and again.written == [] and again.not_modified == 0


def test_broken_feeds_warn_and_the_rest_goes_on(tmp_path: Path) -> None:
    config = project(tmp_path, FeedSource("Page", path="page.html"), FeedSource("Gone", path="nope.xml"),
                     FeedSource("Cut", path="cut.xml"), FeedSource("Good", path="good.xml"),
                     FeedSource("Web", url="http://127.0.0.1:9/feed.xml"),
                     files={"page.html": (FEEDS / "not-a-feed.html").read_bytes(),
                            "cut.xml": (FEEDS / "truncated.xml").read_bytes(),
                            "good.xml": (FEEDS / "rss10.rdf").read_bytes()})
    report = ingest_feeds(config, NOW, offline=True)
    messages = {p.location.path: str(p) for p in report.problems}
    assert all(p.severity == "warning" for p in report.problems)
    assert "not a feed" in messages["feed Page"]
    assert "cannot read" in messages["feed Gone"]
    assert "malformed" in messages["feed Cut"]
    assert "feed Web" not in messages  # offline: not fetched, not an error
    assert report.new_items == 2  # the truncated feed's readable entry and the good one


def test_dedup_across_feeds_lists_every_outlet(tmp_path: Path) -> None:
    story = "<p>Steel tariffs doubled on Monday, officials said.</p>"
    a = rss(item("Steel tariffs doubled", "https://a.example/steel?utm_source=rss", story, guid="a-1"))
    b = rss(item("Steel tariffs doubled!", "http://www.a.example/steel/", "<p>Syndicated copy.</p>", guid="b-9"))
    c = rss(item("Steel  Tariffs Doubled", "https://c.example/other-url", story, guid="c-3"))
    config = project(tmp_path, FeedSource("A", path="a.xml"), FeedSource("B", path="b.xml"),
                     FeedSource("C", path="c.xml"), files={"a.xml": a, "b.xml": b, "c.xml": c})
    report = ingest_feeds(config, NOW, offline=True)
    found = articles(config)
    assert list(found) == ["steel-tariffs-doubled"]
    data, _, text = found["steel-tariffs-doubled"]
    assert [s["name"] for s in data["sources"]] == ["A", "B", "C"]
    assert data["origin"]["feed"] == "A" and data["origin"]["guid"] == "a-1"  # the first origin is kept
    assert is_machine_owned(text)
    assert report.new_items == 1 and report.merged == 2


def test_same_uri_guid_in_two_feeds_is_one_article(tmp_path: Path) -> None:
    guid = "tag:wire.example,2025:42"
    a = rss(item("Wire story", "https://a.example/1", "<p>Text A.</p>", guid=guid))
    b = rss(item("Wire story (updated headline)", "https://b.example/2", "<p>Text B.</p>", guid=guid))
    # A bare number is a feed-local id: the same "7" in two feeds is two stories.
    a2 = rss(item("Story seven", "https://a.example/7", "<p>Seven.</p>", guid="7"))
    b2 = rss(item("Other seven", "https://b.example/7", "<p>Different.</p>", guid="7"))
    config = project(tmp_path, FeedSource("A", path="a.xml"), FeedSource("B", path="b.xml"),
                     FeedSource("A2", path="a2.xml"), FeedSource("B2", path="b2.xml"),
                     files={"a.xml": a, "b.xml": b, "a2.xml": a2, "b2.xml": b2})
    ingest_feeds(config, NOW, offline=True)
    assert sorted(articles(config)) == ["other-seven", "story-seven", "wire-story"]
    assert [s["name"] for s in articles(config)["wire-story"][0]["sources"]] == ["A", "B"]


def test_dedup_survives_a_lost_state_directory(tmp_path: Path) -> None:
    import shutil

    config = project(tmp_path, FeedSource("Maple", path="f.xml"), files={"f.xml": (FEEDS / "rss20.xml").read_bytes()})
    ingest_feeds(config, NOW, offline=True)
    shutil.rmtree(config.state_dir)
    report = ingest_feeds(config, LATER, offline=True)
    assert report.new_items == 0 and report.written == []
    assert len(articles(config)) == 2


def test_update_rewrites_unless_a_human_edited(tmp_path: Path) -> None:
    v1 = rss(item("Budget vote", "https://x.example/budget", "<p>First version.</p>", guid="tag:x,1"),
             item("Undated story", "https://x.example/undated", "<p>Old text.</p>", guid="tag:x,2"))
    config = project(tmp_path, FeedSource("X", path="x.xml"), files={"x.xml": v1})
    ingest_feeds(config, NOW, offline=True)
    v2 = v1.replace(b"First version.", b"Second version, with corrections.").replace(b"Old text.", b"New text.")
    (tmp_path / "x.xml").write_bytes(v2)
    report = ingest_feeds(config, LATER, offline=True)
    assert report.updated == 2 and report.new_items == 0
    found = articles(config)
    assert "Second version, with corrections." in found["budget-vote"][1]
    assert is_machine_owned(found["budget-vote"][2])
    undated = found["undated-story"][0]  # still no date of its own: still held, no invented date
    assert undated["date"] is None and undated["review"] == ["date"] and "New text." in found["undated-story"][1]

    # A human edits the article; the next update leaves it alone.
    path = config.articles_dir / "budget-vote.md"
    edited = path.read_text(encoding="utf-8").replace("Second version", "Edited by hand")
    path.write_text(edited, encoding="utf-8")
    (tmp_path / "x.xml").write_bytes(v2.replace(b"with corrections", b"third time"))
    report = ingest_feeds(config, LATER + timedelta(hours=1), offline=True)
    assert path.read_text(encoding="utf-8") == edited
    assert "content/articles/budget-vote.md" not in report.written


def test_human_edited_article_is_not_merged_into(tmp_path: Path) -> None:
    a = rss(item("Port strike ends", "https://a.example/port", "<p>Strike over.</p>", guid="a"))
    config = project(tmp_path, FeedSource("A", path="a.xml"), FeedSource("B", path="b.xml"), files={"a.xml": a})
    ingest_feeds(config, NOW, offline=True)
    path = config.articles_dir / "port-strike-ends.md"
    edited = path.read_text(encoding="utf-8") + "\nA note from the editor.\n"
    path.write_text(edited, encoding="utf-8")
    (tmp_path / "b.xml").write_bytes(rss(item("Port strike ends", "https://a.example/port", "<p>Copy.</p>", guid="b")))
    report = ingest_feeds(config, LATER, offline=True)
    assert path.read_text(encoding="utf-8") == edited
    assert report.new_items == 0 and report.written == []


def test_slug_collision_with_a_different_article(tmp_path: Path) -> None:
    a = rss(item("Weather", "https://a.example/w", "<p>Rain.</p>", guid="a"),
            item("Weather", "https://a.example/w2", "<p>Snow, different story.</p>", guid="b"))
    config = project(tmp_path, FeedSource("A", path="a.xml"), files={
        "a.xml": a, "content/articles/weather.md": b"---\ntitle: Weather\ndate: 2025-01-01\n---\n\nHand-written.\n"})
    ingest_feeds(config, NOW, offline=True)
    assert sorted(articles(config)) == ["weather", "weather-2", "weather-3"]
    assert (config.articles_dir / "weather.md").read_text(encoding="utf-8").endswith("Hand-written.\n")


def test_include_exclude_and_limit(tmp_path: Path) -> None:
    items = [item(f"Story {i} about {topic}", f"https://a.example/{i}", f"<p>{topic} news.</p>", guid=f"g{i}",
                  date=f"Thu, 0{i} Jun 2025 08:00:00 GMT") for i, topic in
             [(1, "tariffs"), (2, "hockey"), (3, "tariff talks"), (4, "tariff hockey"), (5, "tariffs again")]]
    config = project(tmp_path, FeedSource("A", path="a.xml", include=("tariff*",), exclude=("hockey",), limit=2),
                     files={"a.xml": rss(*items)})
    ingest_feeds(config, NOW, offline=True)
    assert sorted(articles(config)) == ["story-3-about-tariff-talks", "story-5-about-tariffs-again"]


def test_fetch_then_offline_build(tmp_path: Path, feed_server: FeedServer) -> None:
    url = feed_server.route("/rss", (FEEDS / "rss10.rdf").read_bytes(), etag='"e"')
    config = project(tmp_path, FeedSource("R", url=url))
    fetched = fetch_to_state(config, NOW)
    assert fetched.fetched == 1 and articles(config) == {}
    report = ingest_feeds(config, LATER, offline=True)  # `digest build --offline` after `digest fetch`
    assert report.new_items == 1 and len(feed_server.requests) == 1


def test_unusable_body_forgets_validators(tmp_path: Path, feed_server: FeedServer) -> None:
    url = feed_server.route("/rss", (FEEDS / "not-a-feed.html").read_bytes(), etag='"e"')
    config = project(tmp_path, FeedSource("R", url=url))
    ingest_feeds(config, NOW, offline=False)
    feed_server.route("/rss", (FEEDS / "rss10.rdf").read_bytes(), etag='"e"')
    report = ingest_feeds(config, LATER, offline=False)
    assert "if-none-match" not in feed_server.requests[-1].headers
    assert report.new_items == 1


def test_killed_run_loses_nothing_and_doubles_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = project(tmp_path, FeedSource("Maple", path="f.xml"), files={"f.xml": (FEEDS / "rss20.xml").read_bytes()})

    def killed(*args: Any, **kw: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(FeedState, "finish_ingest", killed)
    with pytest.raises(KeyboardInterrupt):
        ingest_feeds(config, NOW, offline=True)
    assert len(articles(config)) == 2  # files written, their transaction rolled back
    monkeypatch.undo()
    with FeedState(state_path(config)) as state:
        assert state.pending("Maple") is not None  # the body waits for the next run
    report = ingest_feeds(config, LATER, offline=True)
    assert report.new_items == 0 and report.written == []
    assert len(articles(config)) == 2
    with FeedState(state_path(config)) as state:
        assert state.pending("Maple") is None


def test_state_survives_reopening(tmp_path: Path) -> None:
    config = project(tmp_path, FeedSource("Maple", path="f.xml"), FeedSource("Never", path="none.xml"),
                     files={"f.xml": (FEEDS / "rss20.xml").read_bytes()})
    ingest_feeds(config, NOW, offline=True)
    with FeedState(state_path(config)) as state:
        row = state.item("Maple", "tag:maplewire.example,2025:counter-tariffs")
        assert row is not None and row.slug == "ottawa-answers-new-u-s-tariffs-with-counter-tariffs-on-steel"
        assert row.first_seen == NOW
        assert [status for _, status, _ in state.history("Never")] == [None]
        assert state._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    rows = feeds_health(config)
    maple, never = rows
    assert (maple.name, maple.location, maple.items, maple.new_items, maple.error_count) == (
        "Maple", "f.xml", 2, 2, 0)
    assert maple.last_success == NOW and maple.ok
    assert never.error_count == 1 and never.last_error is not None and "cannot read" in never.last_error
    lines = health_table(rows)
    assert lines[0].split()[:3] == ["feed", "status", "last"]
    assert any(line.startswith("Never") and "failing" in line for line in lines)


# -- over HTTP ------------------------------------------------------------------------------------


def test_http_feed_conditional_get_costs_no_parsing(tmp_path: Path, feed_server: FeedServer,
                                                     parse_calls: list[str]) -> None:
    url = feed_server.route("/rss", (FEEDS / "rss20.xml").read_bytes(), etag='"abc"',
                            last_modified="Thu, 05 Jun 2025 12:00:00 GMT",
                            headers={"Content-Type": "application/rss+xml"})
    config = project(tmp_path, FeedSource("Maple", url=url))
    first = ingest_feeds(config, NOW, offline=False)
    assert first.new_items == 2 and len(parse_calls) == 1
    second = ingest_feeds(config, LATER, offline=False)
    sent = feed_server.requests[-1].headers
    assert sent["if-none-match"] == '"abc"' and sent["if-modified-since"] == "Thu, 05 Jun 2025 12:00:00 GMT"
    assert second.not_modified == 1 and second.written == [] and len(parse_calls) == 1
    (row,) = feeds_health(config)
    assert row.not_modified_rate == 0.5 and row.last_status == 304
    offline = ingest_feeds(config, LATER, offline=True)
    assert len(feed_server.requests) == 2 and offline.written == []


def test_http_redirect_and_errors_are_reported(tmp_path: Path, feed_server: FeedServer) -> None:
    feed_server.route("/new", (FEEDS / "rss10.rdf").read_bytes())
    moved, down = feed_server.redirect("/old", "/new", 301), feed_server.route("/down", status=500)
    config = project(tmp_path, FeedSource("Moved", url=moved), FeedSource("Down", url=down))
    report = ingest_feeds(config, NOW, offline=False)
    messages = [str(p) for p in report.problems]
    assert any("feed Moved: moved permanently to " + feed_server.url("/new") in m for m in messages)
    assert any(m.startswith("feed Down:") and "HTTP 500" in m for m in messages)
    assert report.new_items == 1
    health = {r.name: r for r in feeds_health(config)}
    assert health["Moved"].permanent_redirect == feed_server.url("/new")
    assert health["Down"].last_status == 500 and health["Down"].error_count == 1


def test_file_url_in_config_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_bytes((FEEDS / "rss20.xml").read_bytes())
    config = project(tmp_path, FeedSource("Sneaky", url=secret.as_uri()))
    report = ingest_feeds(config, NOW, offline=False)
    assert report.new_items == 0
    assert any("refused" in str(p) for p in report.problems)


def test_sources_page_shows_status_and_stories(tmp_path: Path) -> None:
    """The built sources page: every configured feed, its status, how many stories came from it and the
    newest one's date; a feed never fetched says so."""
    from generator.build import build_site

    config = project(tmp_path, FeedSource("Maple", path="f.xml"), FeedSource("Never", url="https://n.example/"),
                     files={"f.xml": (FEEDS / "rss20.xml").read_bytes()})
    ingest_feeds(config, NOW, offline=True)
    report = build_site(config)
    assert not report.errors, report.errors
    html = (config.output_dir / "sources" / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", html, re.S)
    assert len(rows) == 2
    maple, never = rows
    stories = sum(1 for data, _, _ in articles(config).values()
                  if (data.get("origin") or {}).get("feed") == "Maple" and not data.get("review"))  # held: unpublished
    assert stories > 0 and f"<td>{stories}</td>" in maple and "OK" in maple and "<time datetime=" in maple
    assert "f.xml" not in maple and "local file" in maple  # a `path:` feed's path is the editor's business
    assert "Never fetched" in never and "<td>0</td>" in never and "https://n.example/" in never


def test_title_containing_written_colon(tmp_path: Path) -> None:
    a = rss(item("Letter written: a reply to the minister", "https://a.example/l", "<p>Text.</p>", guid="a"))
    config = project(tmp_path, FeedSource("A", path="a.xml"), files={"a.xml": a})
    ingest_feeds(config, NOW, offline=True)
    (data, _, _), = articles(config).values()
    assert data["title"] == "Letter written: a reply to the minister"
