"""``config.yaml`` → a validated, typed ``Config``.

Every problem is collected with its key path and line (``config.yaml:12: feeds[2].url: …; hint``)
and reported at once; unknown keys are errors, as in MkDocs' schema validation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from generator.errors import ConfigError, Location, Problem
from generator.slug import slugify

_Loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader]
try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _Loader = yaml.SafeLoader


@dataclass(frozen=True)
class MatchRule:
    """How the build decides that an article belongs to a topic (DESIGN.md "Topics")."""

    any: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    min_hits: int = 1


@dataclass(frozen=True)
class TopicConfig:
    name: str
    slug: str
    description: str = ""
    match: MatchRule | None = None


@dataclass(frozen=True)
class FeedSource:
    """An outlet's feed to follow: ``url`` over HTTP(S), or ``path`` to a local file."""

    name: str
    url: str | None = None
    path: str | None = None
    topics: tuple[str, ...] = ()  # hints: always added to this feed's articles
    include: tuple[str, ...] = ()  # keep only entries mentioning one of these
    exclude: tuple[str, ...] = ()  # drop entries mentioning one of these
    limit: int | None = None  # at most this many newest entries per fetch


@dataclass(frozen=True)
class SiteConfig:
    title: str = "News Digest"
    url: str = "http://localhost:8000/"
    description: str = ""
    language: str = "en"
    timezone: str = "UTC"
    author: str = ""


@dataclass(frozen=True)
class FeedOutput:
    items: int = 50
    full_content: bool = True


@dataclass(frozen=True)
class Config:
    root: Path
    site: SiteConfig = field(default_factory=SiteConfig)
    topics: tuple[TopicConfig, ...] = ()
    feeds: tuple[FeedSource, ...] = ()
    feed: FeedOutput = field(default_factory=FeedOutput)
    per_page: int = 20
    images: str = "link"  # "link": no hotlinking of third-party images; "hotlink" opts in
    fetch_timeout: float = 20.0
    fetch_concurrency: int = 8

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def articles_dir(self) -> Path:
        return self.root / "content" / "articles"

    @property
    def inbox_dir(self) -> Path:
        return self.root / "content" / "inbox"

    @property
    def output_dir(self) -> Path:
        return self.root / "site"

    @property
    def state_dir(self) -> Path:
        return self.root / ".digest"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.site.timezone)


# Turns one composed node into its Python value (no re-serialising, no second parse).
_CONSTRUCTOR = yaml.constructor.SafeConstructor()

_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_URL = re.compile(r"^https?://[^\s/]+", re.I)


class _Checker:
    """Walks the composed YAML node tree so every value keeps its line number."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def fail(self, node: yaml.Node | None, key: str, message: str, hint: str = "") -> None:
        line = node.start_mark.line + 1 if node is not None else None
        where = f"{key}: " if key else ""
        self.problems.append(Problem(Location(self.path, line), where + message, hint))

    def mapping(
        self, node: yaml.Node, key: str, allowed: dict[str, str]
    ) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, key, f"expected a mapping, got {_kind(node)}")
            return {}
        out: dict[str, yaml.Node] = {}
        for knode, vnode in node.value:
            name = knode.value if isinstance(knode, yaml.ScalarNode) else str(knode)
            if name not in allowed:
                close = _closest(name, list(allowed))
                hint = f"did you mean `{close}`?" if close else "allowed: " + ", ".join(sorted(allowed))
                self.fail(knode, _join(key, name), "unknown key", hint)
                continue
            if name in out:
                self.fail(knode, _join(key, name), "duplicate key")
            out[name] = vnode
        return out

    def scalar(self, node: yaml.Node, key: str, kind: type, conv: Callable[[Any], Any] | None = None) -> Any:
        value = _CONSTRUCTOR.construct_object(node, deep=True) if node is not None else None
        if kind is str and isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.fail(node, key, f"expected {kind.__name__}, got {_kind(node)}")
            return None
        return conv(value) if conv else value

    def strings(self, node: yaml.Node, key: str) -> tuple[str, ...]:
        if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):
            return ()
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, key, f"expected a list of strings, got {_kind(node)}", "write `[a, b]`")
            return ()
        result = []
        for i, item in enumerate(node.value):
            value = self.scalar(item, f"{key}[{i}]", str)
            if value is not None and value.strip():
                result.append(value.strip())
        return tuple(result)


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


def _kind(node: yaml.Node | None) -> str:
    if node is None:
        return "nothing"
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag.endswith(":null"):
        return "null"
    return f"{node.tag.rsplit(':', 1)[-1]} {node.value!r}"


def _closest(name: str, options: list[str]) -> str | None:
    import difflib

    found = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
    return found[0] if found else None


SITE_KEYS = {
    "title": "site name shown in the header and feeds",
    "url": "absolute base URL, used only in feeds, sitemap and canonical links",
    "description": "one line for feeds and the home page",
    "language": "BCP 47 language tag, e.g. en or fr-CA",
    "timezone": "IANA zone for date-only values, archives and displayed dates",
    "author": "default feed author",
}
TOP_KEYS = {
    "site": "", "topics": "", "feeds": "", "feed": "", "per_page": "", "images": "",
    "fetch": "",
}
TOPIC_KEYS = {"name": "", "slug": "", "description": "", "match": ""}
MATCH_KEYS = {"any": "", "people": "", "organizations": "", "min_hits": ""}
FEED_KEYS = {"name": "", "url": "", "path": "", "topics": "", "include": "", "exclude": "", "limit": ""}
FEED_OUT_KEYS = {"items": "", "full_content": ""}
FETCH_KEYS = {"timeout": "", "concurrency": ""}


def load_config(path: Path) -> Config:
    """Read and validate ``config.yaml``; raise ``ConfigError`` listing every problem."""
    display = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            Problem(Location(str(path)), "no config file", "run `digest init` or pass -c PATH")
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(Problem(Location(str(path)), f"cannot read: {exc}")) from None
    return parse_config(text, path.parent.resolve(), display)


def parse_config(text: str, root: Path, display: str = "config.yaml") -> Config:
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(
            Problem(Location(display, line), f"invalid YAML: {problem}", "check indentation and quoting")
        ) from None
    c = _Checker(display)
    if node is None:
        return Config(root=root)
    top = c.mapping(node, "", TOP_KEYS)

    site = SiteConfig()
    if "site" in top:
        s = c.mapping(top["site"], "site", SITE_KEYS)
        values: dict[str, Any] = {}
        for k in SITE_KEYS:
            if k in s:
                v = c.scalar(s[k], f"site.{k}", str)
                if v is not None:
                    values[k] = v.strip()
        if "url" in values:
            if not _URL.match(values["url"]):
                c.fail(s["url"], "site.url", f"expected an http(s) URL, got {values['url']!r}",
                       "e.g. https://example.org/")
            elif not values["url"].endswith("/"):
                values["url"] += "/"
        if "language" in values and not _LANG.match(values["language"]):
            c.fail(s["language"], "site.language", f"not a language tag: {values['language']!r}",
                   "e.g. en, en-CA, fr")
        if "timezone" in values:
            try:
                ZoneInfo(values["timezone"])
            except (ZoneInfoNotFoundError, ValueError):
                c.fail(s["timezone"], "site.timezone", f"unknown time zone {values['timezone']!r}",
                       "use an IANA name such as America/Toronto or UTC")
        site = SiteConfig(**values)

    topics: list[TopicConfig] = []
    if "topics" in top:
        tnode = top["topics"]
        if not isinstance(tnode, yaml.SequenceNode):
            c.fail(tnode, "topics", f"expected a list, got {_kind(tnode)}", "each item: {name: …}")
        else:
            seen: dict[str, int] = {}
            for i, item in enumerate(tnode.value):
                key = f"topics[{i}]"
                if isinstance(item, yaml.ScalarNode) and not item.tag.endswith(":null"):
                    t: dict[str, yaml.Node] = {"name": item}
                else:
                    t = c.mapping(item, key, TOPIC_KEYS)
                if "name" not in t:
                    if isinstance(item, yaml.MappingNode):
                        c.fail(item, key, "missing `name`")
                    continue
                name = c.scalar(t["name"], f"{key}.name", str)
                if not name:
                    continue
                slug = c.scalar(t["slug"], f"{key}.slug", str) if "slug" in t else None
                slug = slugify(slug or name)
                if slug in seen:
                    c.fail(t["name"], f"{key}.name", f"topic slug `{slug}` already used by topics[{seen[slug]}]",
                           "give one of them a distinct `slug`")
                seen[slug] = i
                desc = c.scalar(t["description"], f"{key}.description", str) if "description" in t else ""
                match = None
                if "match" in t:
                    m = c.mapping(t["match"], f"{key}.match", MATCH_KEYS)
                    min_hits = c.scalar(m["min_hits"], f"{key}.match.min_hits", int) if "min_hits" in m else 1
                    if min_hits is not None and min_hits < 1:
                        c.fail(m["min_hits"], f"{key}.match.min_hits", "must be at least 1")
                    match = MatchRule(
                        any=c.strings(m["any"], f"{key}.match.any") if "any" in m else (),
                        people=c.strings(m["people"], f"{key}.match.people") if "people" in m else (),
                        organizations=c.strings(m["organizations"], f"{key}.match.organizations")
                        if "organizations" in m else (),
                        min_hits=min_hits or 1,
                    )
                topics.append(TopicConfig(name=name.strip(), slug=slug, description=(desc or "").strip(),
                                          match=match))

    feeds: list[FeedSource] = []
    if "feeds" in top and not (isinstance(top["feeds"], yaml.ScalarNode) and top["feeds"].tag.endswith(":null")):
        fnode = top["feeds"]
        if not isinstance(fnode, yaml.SequenceNode):
            c.fail(fnode, "feeds", f"expected a list, got {_kind(fnode)}", "each item: {name: …, url: …}")
        else:
            names: set[str] = set()
            for i, item in enumerate(fnode.value):
                key = f"feeds[{i}]"
                f = c.mapping(item, key, FEED_KEYS)
                if not f:
                    continue
                name = c.scalar(f["name"], f"{key}.name", str) if "name" in f else None
                if "name" not in f:
                    c.fail(item, key, "missing `name`", "every feed needs a name (the outlet shown on the site)")
                if name in names:
                    c.fail(f["name"], f"{key}.name", f"duplicate feed name {name!r}")
                if name:
                    names.add(name)
                url = c.scalar(f["url"], f"{key}.url", str) if "url" in f else None
                fpath = c.scalar(f["path"], f"{key}.path", str) if "path" in f else None
                if url is not None and not _URL.match(url):
                    c.fail(f["url"], f"{key}.url", f"expected an http(s) URL, got {url!r}",
                           "only http:// and https:// feeds are fetched; use `path:` for a local file")
                    url = None
                if ("url" in f) == ("path" in f):
                    c.fail(item, key, "needs exactly one of `url` or `path`")
                limit = c.scalar(f["limit"], f"{key}.limit", int) if "limit" in f else None
                if limit is not None and limit < 1:
                    c.fail(f["limit"], f"{key}.limit", "must be at least 1")
                if name:
                    feeds.append(FeedSource(
                        name=name.strip(), url=url, path=fpath,
                        topics=c.strings(f["topics"], f"{key}.topics") if "topics" in f else (),
                        include=c.strings(f["include"], f"{key}.include") if "include" in f else (),
                        exclude=c.strings(f["exclude"], f"{key}.exclude") if "exclude" in f else (),
                        limit=limit,
                    ))

    feed_out = FeedOutput()
    if "feed" in top:
        fo = c.mapping(top["feed"], "feed", FEED_OUT_KEYS)
        items = c.scalar(fo["items"], "feed.items", int) if "items" in fo else 50
        if items is not None and items < 1:
            c.fail(fo["items"], "feed.items", "must be at least 1")
        full = c.scalar(fo["full_content"], "feed.full_content", bool) if "full_content" in fo else True
        feed_out = FeedOutput(items=items or 50, full_content=True if full is None else full)

    per_page = 20
    if "per_page" in top:
        per_page = c.scalar(top["per_page"], "per_page", int) or 20
        if per_page < 1:
            c.fail(top["per_page"], "per_page", "must be at least 1")
            per_page = 20
    images = "link"
    if "images" in top:
        images = c.scalar(top["images"], "images", str) or "link"
        if images not in ("link", "hotlink"):
            c.fail(top["images"], "images", f"expected `link` or `hotlink`, got {images!r}")
            images = "link"
    timeout, concurrency = 20.0, 8
    if "fetch" in top:
        fe = c.mapping(top["fetch"], "fetch", FETCH_KEYS)
        if "timeout" in fe:
            timeout = c.scalar(fe["timeout"], "fetch.timeout", float) or 20.0
        if "concurrency" in fe:
            concurrency = c.scalar(fe["concurrency"], "fetch.concurrency", int) or 8

    if c.problems:
        raise ConfigError(c.problems)
    return Config(root=root, site=site, topics=tuple(topics), feeds=tuple(feeds), feed=feed_out,
                  per_page=per_page, images=images, fetch_timeout=timeout, fetch_concurrency=concurrency)
