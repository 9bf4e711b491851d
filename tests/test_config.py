from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import load_config, parse_config
from generator.errors import ConfigError


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


def test_yaml_syntax_error_has_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config("site:\n  title: [unclosed\n", tmp_path)
    assert str(info.value.problems[0]).startswith("config.yaml:")
    assert "invalid YAML" in str(info.value)


def test_duplicate_topic_slugs_rejected(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="already used"):
        parse_config("topics: [{name: Trade War}, {name: trade-war}]", tmp_path)


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no config file"):
        load_config(tmp_path / "config.yaml")


def test_shipped_example_config_loads() -> None:
    cfg = load_config(Path(__file__).resolve().parent.parent / "config.yaml")
    names = {t.name for t in cfg.topics}
    assert {"Trade War", "Steel and Aluminum", "Canada-US Relations", "Sports", "Wildfires",
            "Interest Rates"} <= names
