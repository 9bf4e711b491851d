"""OPML import edits config.yaml as text: comments and order survive, known URLs are skipped."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

from generator.config import parse_config
from generator.sources.opml import OpmlError, import_opml, read_opml

OPML = (Path(__file__).parent / "fixtures" / "feeds" / "subscriptions.opml").read_bytes()


def test_read_opml_flattens_folders_and_keeps_only_http() -> None:
    subs = read_opml(OPML)
    assert [(s.name, s.url) for s in subs] == [
        ("Maple Wire: Politics", "https://maplewire.example/politics/rss"),
        ("Already there", "https://ALREADY.example/feed/"),
        ("Atom & Co", "https://atom.example/news/atom.xml"),
    ]


def test_appends_to_existing_block_keeping_comments(tmp_path: Path) -> None:
    config = textwrap.dedent("""\
        # My digest — hand-written comments must survive
        site: {title: T, url: https://t.example/}   # the site
        feeds:
          # the outlets we follow
          - {name: Existing, url: "https://already.example/feed"}
          - name: Local
            path: content/feeds/sample.xml   # offline

        # topics come after the feeds
        topics:
          - name: Trade War
        """)
    text, added = import_opml(config, OPML)
    assert added == 2
    assert text.startswith(config.split("\n# topics")[0])  # everything before the insertion is unchanged
    assert "# the outlets we follow" in text and "# offline" in text and "# topics come after" in text
    lines = text.splitlines()
    assert lines.index("# topics come after the feeds") > lines.index(
        '  - {name: "Atom & Co", url: "https://atom.example/news/atom.xml"}')
    cfg = parse_config(text, tmp_path)  # still a valid config, with the same order
    assert [f.name for f in cfg.feeds] == ["Existing", "Local", "Maple Wire: Politics", "Atom & Co"]
    assert [t.name for t in cfg.topics] == ["Trade War"]


@pytest.mark.parametrize("config", [
    "site: {title: T}\n",
    "site: {title: T}",  # no final newline
    "",
    "feeds:\ntopics: []\n",
    "feeds: []   # none yet\ntopics: []\n",
    "feeds: [{name: A, url: 'https://a.example/'}]\n",
    "feeds:\n- name: A\n  url: https://a.example/\ntopics: []\n",
    "site: {title: T}\r\nfeeds:\r\n  - {name: A, url: https://a.example/}\r\n",
])
def test_every_shape_of_feeds_key(config: str, tmp_path: Path) -> None:
    text, added = import_opml(config, OPML)
    assert added == 3
    data = yaml.safe_load(text)
    urls = [f["url"] for f in data["feeds"]]
    assert urls[-3:] == ["https://maplewire.example/politics/rss", "https://ALREADY.example/feed/",
                         "https://atom.example/news/atom.xml"]
    parse_config(text, tmp_path)
    if "\r\n" in config:
        assert "\n" not in text.replace("\r\n", "")


def test_second_import_adds_nothing() -> None:
    text, added = import_opml("feeds:\n", OPML)
    again, added_again = import_opml(text, OPML)
    assert added == 3 and added_again == 0 and again == text


def test_name_clash_gets_a_suffix(tmp_path: Path) -> None:
    text, _ = import_opml('feeds:\n  - {name: "Atom & Co", url: "https://other.example/"}\n', OPML)
    names = [f.name for f in parse_config(text, tmp_path).feeds]
    assert names[-1] == "Atom & Co (2)"


@pytest.mark.parametrize("bad", [b"not xml", b"<html/>",
                                 b'<!DOCTYPE x [<!ENTITY a "aaaa">]><opml><body/></opml>'])
def test_bad_opml(bad: bytes) -> None:
    with pytest.raises(OpmlError):
        import_opml("feeds:\n", bad)
