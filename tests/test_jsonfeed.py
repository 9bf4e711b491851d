"""JSON Feed 1.1 beside every RSS/Atom feed, and what all three carry: images, WebSub hubs, autodiscovery.

``jsonfeed_problems`` is a checker written from the JSON Feed 1.1 spec (https://jsonfeed.org/version/1.1):
required fields and their types, RFC 3339 dates, absolute URLs, unique item ids; and the site's own rule
that a JSON item's id is the GUID of the same entry in the sibling RSS feed and the id of the Atom entry.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import lxml.etree as ET
import lxml.html
from conftest import BASE_CONFIG, FIXED_CLOCK, article, run_digest

ATOM = "{http://www.w3.org/2005/Atom}"
MEDIA = "{http://search.yahoo.com/mrss/}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
FEED_KEYS = {"version", "title", "home_page_url", "feed_url", "description", "user_comment", "next_url", "icon",
             "favicon", "authors", "author", "language", "expired", "hubs", "items"}
ITEM_KEYS = {"id", "url", "external_url", "title", "content_html", "content_text", "summary", "image",
             "banner_image", "date_published", "date_modified", "authors", "author", "tags", "language",
             "attachments"}


def _absolute(url: object) -> bool:
    parts = urlsplit(url) if isinstance(url, str) else None
    return bool(parts and parts.scheme in ("http", "https") and parts.netloc)


def _authors(value: object, where: str) -> list[str]:
    if not isinstance(value, list) or not value:
        return [f"{where}: authors must be a non-empty array"]
    return [f"{where}: an author needs a name, url or avatar" for a in value if not isinstance(a, dict)
            or not any(isinstance(a.get(k), str) and a[k] for k in ("name", "url", "avatar"))]


def jsonfeed_problems(data: object, where: str) -> list[str]:
    """Everything in ``data`` that breaks JSON Feed 1.1 (as this site uses it: no extensions)."""
    if not isinstance(data, dict):
        return [f"{where}: the top level must be an object"]
    problems = [f"{where}: unknown top-level key {k!r}" for k in data if k not in FEED_KEYS and not k.startswith("_")]
    if data.get("version") != "https://jsonfeed.org/version/1.1":
        problems.append(f"{where}: version must be https://jsonfeed.org/version/1.1")
    if not isinstance(data.get("title"), str) or not data["title"]:
        problems.append(f"{where}: title is required text")
    for key in ("home_page_url", "feed_url"):
        if not _absolute(data.get(key)):
            problems.append(f"{where}: {key} must be an absolute http(s) URL")
    for key in ("description", "language"):
        if key in data and not isinstance(data[key], str):
            problems.append(f"{where}: {key} must be text")
    if "authors" in data:
        problems += _authors(data["authors"], where)
    for hub in data.get("hubs", []):
        if not (isinstance(hub, dict) and isinstance(hub.get("type"), str) and _absolute(hub.get("url"))):
            problems.append(f"{where}: a hub needs a type and an absolute url")
    items = data.get("items")
    if not isinstance(items, list):
        return [*problems, f"{where}: items is a required array"]
    ids = [i.get("id") for i in items if isinstance(i, dict)]
    if len(set(ids)) != len(ids):
        problems.append(f"{where}: item ids are not unique")
    for n, item in enumerate(items, 1):
        at = f"{where}: item {n}"
        if not isinstance(item, dict):
            problems.append(f"{at}: must be an object")
            continue
        problems += [f"{at}: unknown key {k!r}" for k in item if k not in ITEM_KEYS and not k.startswith("_")]
        if not isinstance(item.get("id"), str) or not item["id"]:
            problems.append(f"{at}: id is required text")
        if not any(isinstance(item.get(k), str) for k in ("content_html", "content_text")):
            problems.append(f"{at}: needs content_html or content_text")
        for key in ("url", "image"):
            if key in item and not _absolute(item[key]):
                problems.append(f"{at}: {key} must be an absolute http(s) URL")
        for key in ("title", "summary", "content_html", "content_text"):
            if key in item and not isinstance(item[key], str):
                problems.append(f"{at}: {key} must be text")
        for key in ("date_published", "date_modified"):
            if key in item and not (isinstance(item[key], str) and RFC3339.match(item[key])):
                problems.append(f"{at}: {key} {item.get(key)!r} is not RFC 3339")
        if "authors" in item:
            problems += _authors(item["authors"], at)
        if "tags" in item and not (isinstance(item["tags"], list) and all(isinstance(t, str) for t in item["tags"])):
            problems.append(f"{at}: tags must be an array of text")
        for url in re.findall(r'(?:href|src)="([^"]*)"', item.get("content_html", "")):
            if not (_absolute(url) or url.startswith("mailto:")):
                problems.append(f"{at}: relative URL {url!r} in content_html")
    return problems


def _rss_guids(path: Path) -> list[str]:
    return [g.text or "" for g in ET.parse(str(path)).getroot().iter("guid")]


def _atom_ids(path: Path) -> list[str]:
    return [e.findtext(f"{ATOM}id") or "" for e in ET.parse(str(path)).getroot().iter(f"{ATOM}entry")]


def test_every_json_feed_of_the_example_site_is_valid(example_site: Path) -> None:
    site = example_site / "site"
    rss_feeds = sorted(site.rglob("feed.xml"))
    assert len(rss_feeds) > 10
    problems: list[str] = []
    items = 0
    for rss in rss_feeds:
        rel = rss.parent.relative_to(site).as_posix()
        json_path = rss.with_name("feed.json")
        assert json_path.is_file(), f"no feed.json beside {rss}"
        data = json.loads(json_path.read_text(encoding="utf-8"))
        problems += jsonfeed_problems(data, f"{rel}/feed.json")
        ids = [i["id"] for i in data["items"]]
        assert ids == _rss_guids(rss) == _atom_ids(rss.with_name("atom.xml")), f"{rel}: ids differ between formats"
        assert data["feed_url"] == "https://digest.example.org/" + (f"{rel}/" if rel != "." else "") + "feed.json"
        items += len(ids)
    assert not problems, "\n".join(problems[:30])
    assert items > 50
    home = json.loads((site / "feed.json").read_text(encoding="utf-8"))
    assert home["language"] == "en" and home["items"][0]["content_html"].startswith("<")
    assert "hubs" not in home  # no hub configured


def test_the_checker_catches_broken_feeds() -> None:
    good = {"version": "https://jsonfeed.org/version/1.1", "title": "T", "home_page_url": "https://x.org/",
            "feed_url": "https://x.org/feed.json", "items": [
                {"id": "a", "content_html": "<p>x</p>", "date_published": "2025-06-05T10:00:00-04:00"}]}
    assert jsonfeed_problems(good, "f") == []
    bad = json.loads(json.dumps(good))
    bad["feed_url"] = "/feed.json"
    bad["items"].append({"id": "a", "content_html": '<a href="../x/">x</a>', "date_published": "2025-06-05 10:00"})
    found = jsonfeed_problems(bad, "f")
    assert "f: feed_url must be an absolute http(s) URL" in found
    assert "f: item ids are not unique" in found
    assert "f: item 2: date_published '2025-06-05 10:00' is not RFC 3339" in found
    assert "f: item 2: relative URL '../x/' in content_html" in found
    assert jsonfeed_problems({**good, "items": [{"id": "b"}]}, "f") == ["f: item 1: needs content_html or content_text"]


IMAGE_ARTICLE = article(
    "Harbour crane lifts the new ferry ramp", "2025-06-05T10:00:00-04:00",
    "The crane lifted the ramp into place on Thursday. Tariffs on steel raised its cost. Trade war talk.",
    summary="A crane set the new ferry ramp in place.", tags=["harbour"],
    image={"url": "https://photos.example.net/ramp.jpg?w=800", "caption": "The ramp going in", "credit": "A. Photo"})
PLAIN_ARTICLE = article("Council meets", "2025-06-04T10:00:00-04:00", "Nothing about ports.")


def test_hub_self_links_and_images_in_every_format(tmp_project) -> None:
    config = BASE_CONFIG + "websub: {hub: https://hub.example.net/}\nimages: link\n"
    root = tmp_project({"content/articles/ramp.md": IMAGE_ARTICLE, "content/articles/council.md": PLAIN_ARTICLE},
                       config=config)
    run_digest(root, "build", "--offline", check=True, env=FIXED_CLOCK)
    site = root / "site"
    image = "https://photos.example.net/ramp.jpg?w=800"
    for rss_path in site.rglob("feed.xml"):
        channel = ET.parse(str(rss_path)).getroot().find("channel")
        links = {link.get("rel"): link.get("href") for link in channel.findall(f"{ATOM}link")}
        assert links == {"self": "https://digest.test/" + rss_path.relative_to(site).as_posix(),
                         "hub": "https://hub.example.net/"}, rss_path
        atom = ET.parse(str(rss_path.with_name("atom.xml"))).getroot()
        atom_links = {link.get("rel"): link.get("href") for link in atom.findall(f"{ATOM}link")}
        assert atom_links["hub"] == "https://hub.example.net/" and atom_links["self"].endswith("/atom.xml")
        data = json.loads(rss_path.with_name("feed.json").read_text(encoding="utf-8"))
        assert data["hubs"] == [{"type": "WebSub", "url": "https://hub.example.net/"}]
        assert not jsonfeed_problems(data, str(rss_path))

    channel = ET.parse(str(site / "feed.xml")).getroot().find("channel")
    ramp, council = channel.findall("item")
    content = ramp.find(f"{MEDIA}content")
    assert content is not None and content.get("url") == image and content.get("medium") == "image"
    assert content.get("type") == "image/jpeg" and content.findtext(f"{MEDIA}title") == "The ramp going in"
    assert ramp.find(f"{MEDIA}thumbnail").get("url") == image
    assert ramp.find("enclosure") is None  # RSS requires a length, and digest never downloads images
    assert council.find(f"{MEDIA}content") is None and council.find(f"{MEDIA}thumbnail") is None
    entry = ET.parse(str(site / "atom.xml")).getroot().find(f"{ATOM}entry")
    enclosure = [link for link in entry.findall(f"{ATOM}link") if link.get("rel") == "enclosure"]
    assert [(e.get("href"), e.get("type")) for e in enclosure] == [(image, "image/jpeg")]
    items = json.loads((site / "feed.json").read_text(encoding="utf-8"))["items"]
    assert items[0]["image"] == image and "image" not in items[1]
    # the site itself still only links to the photo (`images: link`)
    page = (site / "articles/ramp/index.html").read_text(encoding="utf-8")
    assert f'href="{image.replace("&", "&amp;")}"' in page and "<img" not in page


def test_summary_only_feeds_and_autodiscovery(tmp_project) -> None:
    config = BASE_CONFIG + "feed: {full_content: false}\n"
    root = tmp_project({"content/articles/ramp.md": IMAGE_ARTICLE, "content/articles/council.md": PLAIN_ARTICLE},
                       config=config)
    run_digest(root, "build", "--offline", check=True, env=FIXED_CLOCK)
    site = root / "site"
    items = json.loads((site / "feed.json").read_text(encoding="utf-8"))["items"]
    assert "content_html" not in items[0] and items[0]["content_text"] == items[0]["summary"]
    assert items[0]["summary"] == "A crane set the new ferry ramp in place."
    assert items[1]["content_text"] == "Council meets"  # no summary: the title stands in
    assert not jsonfeed_problems(json.loads((site / "feed.json").read_text(encoding="utf-8")), "feed.json")
    # every page advertises the site's JSON feed; a topic page its own too
    doc = lxml.html.parse(str(site / "topics/trade-war/index.html")).getroot()
    found = doc.xpath("//link[@rel='alternate' and @type='application/feed+json']/@href")
    assert found == ["../../feed.json", "../../topics/trade-war/feed.json"]
    for href in found:
        assert (site / "topics/trade-war" / href).resolve().is_file()
