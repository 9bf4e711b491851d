"""``feeds.opml``: every feed the site publishes, importable in one step; linked where readers look for it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import lxml.etree as ET
import lxml.html
from conftest_theme import missing_tool


def _outlines(site: Path) -> list[ET._Element]:
    root = ET.parse(str(site / "feeds.opml")).getroot()
    assert root.tag == "opml" and root.get("version") == "2.0"
    return root.findall(".//outline[@xmlUrl]")


def test_feeds_opml_lists_every_feed(example_site: Path) -> None:
    site = example_site / "site"
    base = "https://digest.example.org/"
    outlines = _outlines(site)
    listed = [o.get("xmlUrl") for o in outlines]
    published = sorted(base + p.relative_to(site).as_posix() for p in site.rglob("feed.xml"))
    assert sorted(listed) == published and len(listed) == len(set(listed))
    assert listed[0] == base + "feed.xml"  # the whole site first
    for o in outlines:
        assert o.get("type") == "rss" and o.get("text") and o.get("title") == o.get("text")
        assert o.get("htmlUrl") == o.get("xmlUrl").removesuffix("feed.xml")
        assert (site / o.get("htmlUrl")[len(base):] / "index.html").is_file()
    folders = [f.get("text") for f in ET.parse(str(site / "feeds.opml")).getroot().findall("body/outline[@text]")
               if f.get("xmlUrl") is None]
    assert folders == ["Topics", "Tags", "Weekly digests"]
    topics = [o.get("text") for o in ET.parse(str(site / "feeds.opml")).getroot().findall(
        "body/outline[@text='Topics']/outline")]
    assert topics[0] == "Trade War — Trade War Digest"


def test_topics_page_and_subscribe_link_lead_to_it(example_site: Path) -> None:
    site = example_site / "site"
    topics = lxml.html.parse(str(site / "topics/index.html")).getroot()
    assert topics.xpath("//section[@id='subscribe']//a[@href='../feeds.opml']")
    for page in ("index.html", "articles/blue-jays-clinch-al-east/index.html", "topics/trade-war/index.html"):
        doc = lxml.html.parse(str(site / page)).getroot()
        subscribe = doc.xpath("//header//a[normalize-space()='Subscribe']/@href")
        assert len(subscribe) == 1 and subscribe[0].endswith("topics/#subscribe"), page
        target = (site / page).parent / subscribe[0].split("#")[0] / "index.html"
        assert target.resolve() == (site / "topics/index.html").resolve()
    follow = lxml.html.parse(str(site / "topics/trade-war/index.html")).getroot()
    links = follow.xpath("//p[@class='subscribe']/a/@href")
    assert links == ["../../topics/trade-war/feed.xml", "../../topics/trade-war/atom.xml",
                     "../../topics/trade-war/feed.json", "../../feeds.opml"]


def test_newsboat_imports_it(example_site: Path, tmp_path: Path) -> None:
    newsboat = shutil.which("newsboat")
    if newsboat is None:
        missing_tool("newsboat not found (apt-get install newsboat)")
    urls = tmp_path / "urls"
    result = subprocess.run([newsboat, "-u", str(urls), "-i", str(example_site / "site/feeds.opml")],
                            capture_output=True, text=True, timeout=60, env={"HOME": str(tmp_path), "PATH": "/usr/bin"},
                            check=False)
    assert result.returncode == 0, result.stderr
    imported = [line.split()[0] for line in urls.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert sorted(imported) == sorted(o.get("xmlUrl") for o in _outlines(example_site / "site"))
    assert '"Topics"' in urls.read_text(encoding="utf-8")  # folders become newsboat tags
