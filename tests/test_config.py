from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

from generator.config import Config, FeedSource, MatchRule, TopicConfig, load_config, parse_config
from generator.errors import ConfigError

ROOT = Path(__file__).resolve().parent.parent


def problems(text: str, root: Path) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_config(text, root)
    assert info.value.exit_code == 2
    return [str(p) for p in info.value.problems]


def test_valid_config_is_typed(tmp_path: Path) -> None:
    cfg = parse_config(
        """
site: {title: X, url: "https://x.org", language: fr-CA, timezone: Europe/Paris}
topics:
  - name: Trade War
    match: {any: [tariff*], people: [Doug Ford], min_hits: 2}
  - Montréal
feeds:
  - {name: A, url: "https://a.example/rss", topics: [Trade War], limit: 5}
  - {name: B, path: feeds/b.xml}
feed: {items: 10, full_content: false}
""",
        tmp_path,
    )
    assert cfg.site.url == "https://x.org/"
    assert [t.slug for t in cfg.topics] == ["trade-war", "montreal"]
    assert cfg.topics[0].match is not None and cfg.topics[0].match.min_hits == 2
    assert cfg.topics[1].match is None
    assert cfg.feeds[0].limit == 5 and cfg.feeds[1].path == "feeds/b.xml"
    assert cfg.feed.items == 10 and cfg.feed.full_content is False


def test_every_problem_reported_at_once_with_line_and_hint(tmp_path: Path) -> None:
    text = """site:
  title: X
  langage: en
  url: htp:/x
topics:
  - name: A
    match: {min_hits: zero}
feeds:
  - {name: f, url: "ftp://example.org/x"}
  - {name: g}
unknown_top: 1
"""
    with pytest.raises(ConfigError) as info:
        parse_config(text, tmp_path)
    lines = [str(p) for p in info.value.problems]
    assert "config.yaml:3: site.langage: unknown key; did you mean `language`?" in lines
    assert any(line.startswith("config.yaml:4: site.url: expected an http(s) URL") for line in lines)
    assert any(line.startswith("config.yaml:7: topics[0].match.min_hits: expected int") for line in lines)
    assert any(line.startswith("config.yaml:9: feeds[0].url") and "only http" in line for line in lines)
    assert any(line.startswith("config.yaml:10: feeds[1]: needs exactly one of") for line in lines)
    assert any(line.startswith("config.yaml:11: unknown_top: unknown key") for line in lines)
    assert len(lines) == 6


# Every message the loader can give, byte for byte (`config.yaml:LINE: key.path: message; hint`).
MESSAGES = [
    ("x", "1: expected a mapping, got str 'x'"),
    ("[1]", "1: expected a mapping, got a list"),
    ("sites: {}", "1: sites: unknown key; did you mean `site`?"),
    ("colour: red",
     "1: colour: unknown key; allowed: digests, entities, feed, feeds, fetch, images, limits, per_page, search, "
     "search_index_pages, site, stories, topics, websub"),
    ("search_index_pages: 50", "1: search_index_pages: must be at least 100"),
    ("per_page: 5\nper_page: 6", "2: per_page: duplicate key"),
    ("site: {title: a, title: b}", "1: site.title: duplicate key"),
    ("site: null", "1: site: expected a mapping, got null"),
    ("site: [a]", "1: site: expected a mapping, got a list"),
    ("site: {titel: X}", "1: site.titel: unknown key; did you mean `title`?"),
    ("site: {title: true}", "1: site.title: expected str, got bool 'true'"),
    ("site: {title: 2025-01-01}", "1: site.title: expected str, got timestamp '2025-01-01'"),
    ("site: {description: [a]}", "1: site.description: expected str, got a list"),
    ("site:\n  author:\n", "2: site.author: expected str, got null"),
    ("site: {url: 'htp:/x'}", "1: site.url: expected an http(s) URL, got 'htp:/x'; e.g. https://example.org/"),
    ("site: {url: 5}", "1: site.url: expected an http(s) URL, got '5'; e.g. https://example.org/"),
    ("site: {language: en_US}", "1: site.language: not a language tag: 'en_US'; e.g. en, en-CA, fr"),
    ("site: {timezone: Mars/Base}",
     "1: site.timezone: unknown time zone 'Mars/Base'; use an IANA name such as America/Toronto or UTC"),
    ("site: {timezone: ''}", "1: site.timezone: unknown time zone ''; use an IANA name such as America/Toronto or UTC"),
    ("topics: {a: 1}", "1: topics: expected a list, got a mapping; each item: {name: …}"),
    ("topics:\n", "1: topics: expected a list, got null; each item: {name: …}"),
    ("topics: [null]", "1: topics[0]: expected a mapping, got null"),
    ("topics: [[a]]", "1: topics[0]: expected a mapping, got a list"),
    ("topics:\n  - name: A\n  - description: x\n", "3: topics[1]: missing `name`"),
    ("topics: [{name: A, nme: B}]", "1: topics[0].nme: unknown key; did you mean `name`?"),
    ("topics: [{name: [A]}]", "1: topics[0].name: expected str, got a list"),
    ("topics: [{name: A, slug: [a]}]", "1: topics[0].slug: expected str, got a list"),
    ("topics: [{name: A, description: {a: 1}}]", "1: topics[0].description: expected str, got a mapping"),
    ("topics:\n  - Trade War\n  - name: Other\n    slug: trade-war\n",
     "3: topics[1].name: topic slug `trade-war` already used by topics[0]; give one of them a distinct `slug`"),
    ("topics: [{name: A, match: null}]", "1: topics[0].match: expected a mapping, got null"),
    ("topics: [{name: A, match: {anyy: [x]}}]", "1: topics[0].match.anyy: unknown key; did you mean `any`?"),
    ("topics: [{name: A, match: {min_hits: 0}}]", "1: topics[0].match.min_hits: must be at least 1"),
    ("topics: [{name: A, match: {min_hits: true}}]", "1: topics[0].match.min_hits: expected int, got bool 'true'"),
    ("topics: [{name: A, match: {any: tariff}}]",
     "1: topics[0].match.any: expected a list of strings, got str 'tariff'; write `[a, b]`"),
    ("topics: [{name: A, match: {people: [[x]]}}]", "1: topics[0].match.people[0]: expected str, got a list"),
    ("topics: [{name: A, match: {organizations: {a: b}}}]",
     "1: topics[0].match.organizations: expected a list of strings, got a mapping; write `[a, b]`"),
    ("feeds: {a: 1}", "1: feeds: expected a list, got a mapping; each item: {name: …, url: …}"),
    ("feeds: 5", "1: feeds: expected a list, got int '5'; each item: {name: …, url: …}"),
    ("feeds: [x]", "1: feeds[0]: expected a mapping, got str 'x'"),
    ("feeds: [null]", "1: feeds[0]: expected a mapping, got null"),
    ("feeds:\n  - url: https://a.example/rss\n",
     "2: feeds[0]: missing `name`; every feed needs a name (the outlet shown on the site)"),
    ("feeds:\n  - {name: A, path: a.xml}\n  - {name: A, path: b.xml}\n", "3: feeds[1].name: duplicate feed name 'A'"),
    ("feeds: [{name: [A], path: a.xml}]", "1: feeds[0].name: expected str, got a list"),
    ("feeds: [{name: A, url: 'ftp://example.org/x'}]",
     "1: feeds[0].url: expected an http(s) URL, got 'ftp://example.org/x'; "
     "only http:// and https:// feeds are fetched; use `path:` for a local file"),
    ("feeds: [{name: A, path: [a]}]", "1: feeds[0].path: expected str, got a list"),
    ("feeds: [{name: A, url: 'https://a.example/', path: a.xml}]", "1: feeds[0]: needs exactly one of `url` or `path`"),
    ("feeds: [{name: A}]", "1: feeds[0]: needs exactly one of `url` or `path`"),
    ("feeds: [{name: A, path: a.xml, limit: 0}]", "1: feeds[0].limit: must be at least 1"),
    ("feeds: [{name: A, path: a.xml, limit: x}]", "1: feeds[0].limit: expected int, got str 'x'"),
    ("feeds: [{name: A, path: a.xml, limt: 3}]", "1: feeds[0].limt: unknown key; did you mean `limit`?"),
    ("feeds: [{name: A, path: a.xml, topics: x}]",
     "1: feeds[0].topics: expected a list of strings, got str 'x'; write `[a, b]`"),
    ("feeds: [{name: A, path: a.xml, include: [[1]]}]", "1: feeds[0].include[0]: expected str, got a list"),
    ("feeds: [{name: A, path: a.xml, exclude: {a: b}}]",
     "1: feeds[0].exclude: expected a list of strings, got a mapping; write `[a, b]`"),
    ("feed: null", "1: feed: expected a mapping, got null"),
    ("feed: {item: 3}", "1: feed.item: unknown key; did you mean `items`?"),
    ("feed: {items: 0}", "1: feed.items: must be at least 1"),
    ("feed: {items: x}", "1: feed.items: expected int, got str 'x'"),
    ("feed: {full_content: 1}", "1: feed.full_content: expected bool, got int '1'"),
    ("per_page: -1", "1: per_page: must be at least 1"),
    ("per_page: x", "1: per_page: expected int, got str 'x'"),
    ("per_page: true", "1: per_page: expected int, got bool 'true'"),
    ("per_page: 2.5", "1: per_page: expected int, got float '2.5'"),
    ("images: hot", "1: images: expected `link` or `hotlink`, got 'hot'"),
    ("images: 5", "1: images: expected `link` or `hotlink`, got '5'"),
    ("images: [link]", "1: images: expected str, got a list"),
    ("fetch: 5", "1: fetch: expected a mapping, got int '5'"),
    ("fetch: {retries: 3}", "1: fetch.retries: unknown key; allowed: concurrency, timeout"),
    ("fetch: {timout: 3}", "1: fetch.timout: unknown key; did you mean `timeout`?"),
    ("fetch: {timeout: x}", "1: fetch.timeout: expected float, got str 'x'"),
    ("fetch: {concurrency: 1.5}", "1: fetch.concurrency: expected int, got float '1.5'"),
]


@pytest.mark.parametrize(("text", "expected"), MESSAGES, ids=[m[1][3:40] for m in MESSAGES])
def test_each_message_is_exact(tmp_path: Path, text: str, expected: str) -> None:
    assert problems(text, tmp_path) == ["config.yaml:" + expected]


def test_several_problems_in_one_section_all_reported(tmp_path: Path) -> None:
    text = """site: {title: true, url: 5, description: [a], language: '12', timezone: Mars/Base, author: null}
feeds: [{name: A, url: 'https://a.example/', path: p}, {name: A, path: p, limit: 0}, {name: B, url: 'file:///x'}]
feed: {items: 0, full_content: 1}
"""
    assert sorted(problems(text, tmp_path)) == sorted([
        "config.yaml:1: site.title: expected str, got bool 'true'",
        "config.yaml:1: site.url: expected an http(s) URL, got '5'; e.g. https://example.org/",
        "config.yaml:1: site.description: expected str, got a list",
        "config.yaml:1: site.language: not a language tag: '12'; e.g. en, en-CA, fr",
        "config.yaml:1: site.timezone: unknown time zone 'Mars/Base'; use an IANA name such as America/Toronto or UTC",
        "config.yaml:1: site.author: expected str, got null",
        "config.yaml:2: feeds[0]: needs exactly one of `url` or `path`",
        "config.yaml:2: feeds[1].name: duplicate feed name 'A'",
        "config.yaml:2: feeds[1].limit: must be at least 1",
        "config.yaml:2: feeds[2].url: expected an http(s) URL, got 'file:///x'; "
        "only http:// and https:// feeds are fetched; use `path:` for a local file",
        "config.yaml:3: feed.items: must be at least 1",
        "config.yaml:3: feed.full_content: expected bool, got int '1'",
    ])


def test_problems_come_section_by_section(tmp_path: Path) -> None:
    text = """fetch: {timeout: x}
images: hot
per_page: x
feed: {items: x}
feeds: [{name: A}]
topics: [null]
site: {title: [x]}
colour: red
"""
    keys = [line.split(": ")[1] for line in problems(text, tmp_path)]
    assert keys == ["colour", "site.title", "topics[0]", "feeds[0]", "feed.items", "per_page", "images",
                    "fetch.timeout"]


def test_unreadable_values_are_problems_not_crashes(tmp_path: Path) -> None:
    # An unknown tag, or a mapping with a list for a key, used to escape as a PyYAML traceback.
    assert problems("site: {title: !foo x}", tmp_path) == ["config.yaml:1: site.title: expected str, got !foo 'x'"]
    assert problems("site: {title: {[a]: 1}}", tmp_path) == ["config.yaml:1: site.title: expected str, got a mapping"]


def test_yaml_syntax_error_has_line(tmp_path: Path) -> None:
    assert problems("site:\n  title: [unclosed\n", tmp_path) == [
        "config.yaml:2: invalid YAML: `[` list opened here is never closed; "
        "close it on this line (or the line it was meant to end on)"
    ]
    # a mistake in the middle of the file is still reported where the parser met it
    assert problems("site:\n  title: [a, b\n  url: x\nper_page: 2\n", tmp_path) == [
        "config.yaml:3: invalid YAML: did not find expected ',' or ']'; check indentation and quoting"
    ]


def test_unclosed_quote_is_reported_at_its_line(tmp_path: Path) -> None:
    text = 'site:\n  title: "Trade War\n  url: https://x.org/\ntopics:\n  - name: A\n'
    assert problems(text, tmp_path) == [
        "config.yaml:2: invalid YAML: quoted value opened here is never closed; "
        "close it on this line (or the line it was meant to end on)"
    ]
    assert problems("site: {title: 'x}\nper_page: 3\n", tmp_path)[0].startswith("config.yaml:1: invalid YAML: quoted")


def test_duplicate_topic_slugs_rejected(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="already used"):
        parse_config("topics: [{name: Trade War}, {name: trade-war}]", tmp_path)


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "config.yaml")
    assert str(info.value) == f"{tmp_path / 'config.yaml'}: no config file; run `digest init` or pass -c PATH"
    assert info.value.exit_code == 2


def test_unreadable_config_file(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_bytes(b"site:\n  title: \xff\n")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "config.yaml")
    assert str(info.value) == (f"{tmp_path / 'config.yaml'}: cannot read: "
                               "'utf-8' codec can't decode byte 0xff in position 15: invalid start byte")
    (tmp_path / "dir.yaml").mkdir()
    with pytest.raises(ConfigError, match=r"dir.yaml: cannot read: \[Errno 21\] Is a directory"):
        load_config(tmp_path / "dir.yaml")


def test_problem_lines_name_the_file(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text("per_page: x\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"^site\.yaml:1: per_page: expected int, got str 'x'$"):
        load_config(tmp_path / "site.yaml")


def test_defaults(tmp_path: Path) -> None:
    for text in ("", "# nothing\n", "{}"):
        cfg = parse_config(text, tmp_path)
        assert cfg == Config(root=tmp_path)
    assert (cfg.site.title, cfg.site.url, cfg.site.description) == ("News Digest", "http://localhost:8000/", "")
    assert (cfg.site.language, cfg.site.timezone, cfg.site.author) == ("en", "UTC", "")
    assert (cfg.topics, cfg.feeds, cfg.feed.items, cfg.feed.full_content) == ((), (), 50, True)
    assert (cfg.per_page, cfg.images, cfg.fetch_timeout, cfg.fetch_concurrency) == (20, "link", 20.0, 8)
    assert str(cfg.tz) == "UTC"
    assert cfg.output_dir == tmp_path / "site" and cfg.articles_dir == tmp_path / "content" / "articles"
    assert cfg.inbox_dir == tmp_path / "content" / "inbox" and cfg.state_dir == tmp_path / ".digest"
    assert cfg.content_dir == tmp_path / "content"


def test_values_are_normalised(tmp_path: Path) -> None:
    cfg = parse_config(
        """
site: {title: 2025, description: 1.5, url: " https://x.org/a ", author: " Ed "}
topics:
  - 5
  - {name: " Spaced ", description: " d ", match: {any: [" a ", "", 7], min_hits: 3}}
feeds:
  - {name: " A ", url: "https://a.example/rss", include: [x], exclude: [y]}
  - {}
feed: {full_content: no}
images: hotlink
fetch: {timeout: 5, concurrency: 2}
""",
        tmp_path,
    )
    assert (cfg.site.title, cfg.site.description, cfg.site.url, cfg.site.author) == (
        "2025", "1.5", "https://x.org/a/", "Ed")
    assert cfg.topics == (
        TopicConfig(name="5", slug="5"),
        TopicConfig(name="Spaced", slug="spaced", description="d", match=MatchRule(any=("a", "7"), min_hits=3)),
    )
    assert cfg.feeds == (FeedSource(name="A", url="https://a.example/rss", include=("x",), exclude=("y",)),)
    assert cfg.feed.full_content is False and cfg.images == "hotlink"
    assert (cfg.fetch_timeout, cfg.fetch_concurrency) == (5.0, 2)
    assert isinstance(cfg.fetch_timeout, float)


def test_quirks_kept_from_the_hand_written_loader(tmp_path: Path) -> None:
    # Zero or empty falls back to the default for these four keys; `feeds:` may be empty, `topics:` may not.
    cfg = parse_config("per_page: 0\nimages: ''\nfetch: {timeout: 0, concurrency: 0}\nfeeds:\n", tmp_path)
    assert (cfg.per_page, cfg.images, cfg.fetch_timeout, cfg.fetch_concurrency, cfg.feeds) == (20, "link", 20.0, 8, ())
    # A feed or topic with an empty name is left out without a word.
    cfg = parse_config("feeds: [{name: '', path: a.xml}]\ntopics: [{name: ''}]", tmp_path)
    assert (cfg.feeds, cfg.topics) == ((), ())


def test_config_is_hashable_comparable_and_picklable(tmp_path: Path) -> None:
    a = load_config(ROOT / "config.yaml")
    b = load_config(ROOT / "config.yaml")
    assert a == b and hash(a) == hash(b) and a is not b
    assert pickle.loads(pickle.dumps(a)) == a
    assert parse_config("per_page: 5", ROOT) != parse_config("per_page: 6", ROOT)


def test_shipped_example_config_loads() -> None:
    cfg = load_config(ROOT / "config.yaml")
    names = {t.name for t in cfg.topics}
    assert {"Trade War", "Steel and Aluminum", "Canada-US Relations", "Sports", "Wildfires",
            "Interest Rates"} <= names


def _readme_block() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"## Config reference\n\n```yaml\n(.*?)```", readme, re.S)
    assert found, "README.md lost its `## Config reference` yaml block"
    return found.group(1)


def test_readme_config_block_is_a_valid_config(tmp_path: Path) -> None:
    parse_config(_readme_block(), tmp_path)


@pytest.mark.parametrize(("text", "allowed"), [
    ("zzzz: 1", "digests, entities, feed, feeds, fetch, images, limits, per_page, search, search_index_pages, site, "
                "stories, topics, websub"),
    ("site: {zzzz: 1}", "author, description, language, timezone, title, url"),
    ("topics: [{name: A, zzzz: 1}]", "description, match, name, slug"),
    ("topics: [{name: A, match: {zzzz: 1}}]", "any, min_hits, organizations, people"),
    ("feeds: [{name: A, path: a, zzzz: 1}]", "exclude, full_text, include, limit, name, path, topics, url"),
    ("feed: {zzzz: 1}", "full_content, items"),
    ("fetch: {zzzz: 1}", "concurrency, timeout"),
])
def test_unknown_key_lists_the_declared_keys(tmp_path: Path, text: str, allowed: str) -> None:
    [line] = problems(text, tmp_path)
    assert line.endswith(": unknown key; allowed: " + allowed)


def test_docs_config_md_is_current() -> None:
    from generator.config import config_reference

    current = (ROOT / "docs" / "config.md").read_text(encoding="utf-8")
    assert current == config_reference(), "docs/config.md is stale: run scripts/update-config-docs"


def test_every_declared_key_is_documented() -> None:
    from generator.config_schema import reference_rows

    docs = (ROOT / "docs" / "config.md").read_text(encoding="utf-8")
    readme = _readme_block()
    rows = list(reference_rows(Config))
    assert len(rows) == 48  # 31 + limits (raw_file, article_body, feed_entry) + websub, websub.hub, search
    #                        + stories (window_days, join, near_duplicate), entities (2 keys), digests
    #                        + feeds[].full_text, search_index_pages
    for path, _kind, _default, doc in rows:
        assert doc.strip() and "\n" not in doc, f"{path}: needs a one-line doc"
        key = path.rsplit(".", 1)[-1].removesuffix("[]")
        assert f"`{path}`" in docs or re.search(rf"\b{key}:", readme), f"{path}: not in docs/config.md nor README"
