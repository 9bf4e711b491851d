"""``config.yaml`` → a validated, typed ``Config``, its schema declared once.

Each field below carries, beside its Python type and default, how YAML sets it and one doc line
(``option(…)``, read by ``config_schema``) — MkDocs' ``config/defaults.py`` as frozen dataclasses. The
loader, the unknown-key check with its "did you mean", the defaults and ``docs/config.md``
(``config_reference()``, written by ``scripts/update-config-docs``) all come from that declaration.
Every problem is reported at once with its key path and line (``config.yaml:12: feeds[2].url: …; hint``),
section by section in the order below; unknown keys are errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from generator.config_schema import STRINGS, Check, Items, Reader, layout, option, reference_rows
from generator.errors import ConfigError, Location, Problem
from generator.slug import slugify

_Loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader]
try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _Loader = yaml.SafeLoader


def _strip(value: str) -> str:
    return value.strip()


def _with_slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def _is_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


_URL = re.compile(r"^https?://[^\s/]+", re.I)
_LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_AT_LEAST_1 = Check("≥ 1", lambda n: n >= 1, "must be at least 1")
_AT_LEAST_100 = Check("≥ 100", lambda n: n >= 100, "must be at least 100")
_SITE_URL = Check("http(s) URL", _URL.match, "expected an http(s) URL, got {!r}", "e.g. https://example.org/")
_FEED_URL = Check("http(s) URL", _URL.match, "expected an http(s) URL, got {!r}",
                  "only http:// and https:// feeds are fetched; use `path:` for a local file")
_LANGUAGE = Check("BCP 47 tag", _LANG.match, "not a language tag: {!r}", "e.g. en, en-CA, fr")
_ZONE = Check("IANA zone", _is_zone, "unknown time zone {!r}", "use an IANA name such as America/Toronto or UTC")
_IMAGES = Check("`link` or `hotlink`", ("link", "hotlink").__contains__, "expected `link` or `hotlink`, got {!r}")

_SIZE = re.compile(r"^(\d+(?:\.\d+)?)\s*(bytes?|b|kb|k|kib|mb|m|mib)?$", re.I)
_UNITS = {"": 1, "b": 1, "byte": 1, "bytes": 1, "k": 1024, "kb": 1024, "kib": 1024, "m": 1024 ** 2, "mb": 1024 ** 2,
          "mib": 1024 ** 2}


def parse_size(text: str) -> int | None:
    """``"2 MB"`` → 2097152, ``"500 KB"``, ``"1200"`` (bytes); None when it is not a size of at least 1 byte.
    KB and MB count 1,024."""
    m = _SIZE.match(text.strip())
    if m is None:
        return None
    size = int(float(m[1]) * _UNITS[(m[2] or "").lower()])
    return size if size >= 1 else None


def format_size(size: int) -> str:
    """2097152 → "2 MB", 512000 → "500 KB", 5500000 → "5.2 MB": for messages naming a limit."""
    for unit, factor in (("MB", 1024 ** 2), ("KB", 1024)):
        if size >= factor:
            value = size / factor
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{size} bytes"


_SIZE_CHECK = Check("a size such as `2 MB`, `500 KB` or bytes", lambda v: parse_size(v) is not None,
                    "not a size: {!r}", "write e.g. `2 MB`, `500 KB` or a number of bytes")


@dataclass(frozen=True)
class MatchRule:
    """How the build decides that an article belongs to a topic (DESIGN.md "Topics")."""

    any: tuple[str, ...] = field(default=(), metadata=option(
        "words or phrases: whole words, case- and accent-insensitive, `*` = any ending (`tariff*`)", STRINGS))
    people: tuple[str, ...] = field(default=(), metadata=option("people whose names count as hits", STRINGS))
    organizations: tuple[str, ...] = field(default=(), metadata=option(
        "organizations whose names count as hits", STRINGS))
    min_hits: int = field(default=1, metadata=option(
        "hits an article needs to join: each in the title counts twice, in the body once", int, _AT_LEAST_1))


@dataclass(frozen=True)
class TopicConfig:
    """A story the site follows: its page, its feeds, and the rule that places articles in it."""

    name: str = field(metadata=option("the topic's name as shown on the site", str))
    slug: str = field(metadata=option("its URL name under `topics/`", str, default_doc="the slug of `name`"))
    description: str = field(default="", metadata=option("one line for the topic page and its feeds", str))
    match: MatchRule | None = field(default=None, metadata=option(
        "rules that place articles without a `topics:` list; without it the topic collects only articles "
        "that list it", MatchRule))


@dataclass(frozen=True)
class FeedSource:
    """An outlet's feed to follow: ``url`` over HTTP(S), or ``path`` to a local file."""

    name: str = field(metadata=option("the outlet, as shown on the site; unique", str))
    url: str | None = field(default=None, metadata=option(
        "the feed over HTTP(S); give `url` or `path`, not both", str, _FEED_URL))
    path: str | None = field(default=None, metadata=option("a local feed file, relative to the project folder", str))
    topics: tuple[str, ...] = field(default=(), metadata=option(
        "topics always added to this feed's articles", STRINGS))
    include: tuple[str, ...] = field(default=(), metadata=option(
        "keep only entries mentioning one of these", STRINGS))
    exclude: tuple[str, ...] = field(default=(), metadata=option("drop entries mentioning one of these", STRINGS))
    limit: int | None = field(default=None, metadata=option(
        "at most this many newest entries per fetch", int, _AT_LEAST_1, default_doc="all"))
    full_text: bool = field(default=False, metadata=option(
        "for a feed that gives only summaries: fetch each entry's linked page and take its article text "
        "(the summary stays when the page cannot be fetched or read)", bool))


@dataclass(frozen=True)
class SiteConfig:
    """What every page and feed says about the site."""

    title: str = field(default="News Digest", metadata=option(
        "site name shown in the masthead and feeds", str, _strip))
    url: str = field(default="http://localhost:8000/", metadata=option(
        "absolute base URL (a `/` is added at the end), used only in feeds, sitemap and canonical links",
        str, _strip, _SITE_URL, _with_slash))
    description: str = field(default="", metadata=option("one line for feeds and the home page", str, _strip))
    language: str = field(default="en", metadata=option(
        "language tag, e.g. `en` or `fr-CA`, for `<html lang>` and feeds", str, _strip, _LANGUAGE))
    timezone: str = field(default="UTC", metadata=option(
        "IANA zone for date-only values, archives and displayed dates", str, _strip, _ZONE))
    author: str = field(default="", metadata=option("default feed author", str, _strip))


@dataclass(frozen=True)
class FeedOutput:
    """The RSS and Atom feeds the site publishes (not the ones it follows: ``FeedSource``)."""

    items: int = field(default=50, metadata=option("newest articles in each generated feed", int, _AT_LEAST_1))
    full_content: bool = field(default=True, metadata=option(
        "the full article in feed entries; `false`: the summary only", bool))


@dataclass(frozen=True)
class Limits:
    """How much one input may hold. Over a limit is an error naming the input and the limit, the input is
    kept (an inbox file moves to ``content/inbox/rejected/``) and nothing from it is published."""

    raw_file: int = field(default=2 * 1024 ** 2, metadata=option(
        "largest inbox file (KB and MB count 1,024 bytes)", str, _SIZE_CHECK, parse_size, default_doc="`2 MB`"))
    article_body: int = field(default=200_000, metadata=option(
        "longest article body, in characters (a long news feature has 40,000)", int, _AT_LEAST_1))
    feed_entry: int = field(default=500 * 1024, metadata=option(
        "largest entry of a followed feed (title, summary and content); also the most one entry of the site's "
        "own feeds may carry (a longer article is given as its summary there)", str, _SIZE_CHECK, parse_size,
        default_doc="`500 KB`"))


@dataclass(frozen=True)
class WebSub:
    """Push for the site's own feeds: a WebSub hub that feed readers subscribe to instead of polling."""

    hub: str | None = field(default=None, metadata=option(
        "the hub's address: every RSS and Atom feed names it (`<atom:link rel=\"hub\">`) and JSON feeds list it "
        "in `hubs`; `digest ping` tells it which feeds changed", str, _strip, _SITE_URL))


_SHARE = Check("0–1", lambda v: 0 <= v <= 1, "must be between 0 and 1")
_POSITIVE = Check("> 0", lambda v: v > 0, "must be more than 0")


@dataclass(frozen=True)
class StoriesConfig:
    """How articles that tell the same news (other outlets' versions, wire copies) become one story."""

    window_days: float = field(default=3.0, metadata=option(
        "articles further apart than this many days are never one story (copies of one text: up to 7 days)", float,
        _POSITIVE))
    join: float = field(default=0.19, metadata=option(
        "how similar (0–1: title, opening text and names) an article must be to a story to join it; higher "
        "makes smaller stories", float, _SHARE))
    near_duplicate: float = field(default=0.5, metadata=option(
        "share of the opening word triples two articles must have in common to be copies of one text (0–1)",
        float, _SHARE))


@dataclass(frozen=True)
class EntitiesConfig:
    """Pages for the people, organizations and places the articles name (names merged by `content/aliases.yaml`)."""

    min_articles: int = field(default=2, metadata=option(
        "organizations and places get a page when named in at least this many articles", int, _AT_LEAST_1))
    people_min_articles: int = field(default=1, metadata=option(
        "people get a page when named in at least this many articles", int, _AT_LEAST_1))


# The fields a list item's ``build`` reads last, after those its cross-field rules need first.
_TOPIC_REST = tuple(k for k in layout(TopicConfig) if k not in ("name", "slug"))
_FEED_REST = tuple(k for k in layout(FeedSource) if k not in ("name", "url", "path", "limit"))


def _topic(r: Reader, key: str, node: yaml.Node, found: dict[str, yaml.Node], index: int,
           claimed: dict[str, int]) -> TopicConfig | None:
    """One ``topics:`` item. Its slug (the name's unless given) must be unique, so name and slug are read
    first; an item whose name is empty is left out unread."""
    if "name" not in found:
        if isinstance(node, yaml.MappingNode):
            r.fail(node, key, "missing `name`")
        return None
    tree = layout(TopicConfig)
    name = r.fields(tree, found, key, ("name",)).get("name")
    if not name:
        return None
    slug = slugify(r.fields(tree, found, key, ("slug",)).get("slug") or name)
    if slug in claimed:
        r.fail(found["name"], f"{key}.name", f"topic slug `{slug}` already used by topics[{claimed[slug]}]",
               "give one of them a distinct `slug`")
    claimed[slug] = index
    rest = r.fields(tree, found, key, _TOPIC_REST)
    return TopicConfig(name=name.strip(), slug=slug, description=rest.get("description", "").strip(),
                       match=rest.get("match"))


def _feed(r: Reader, key: str, node: yaml.Node, found: dict[str, yaml.Node], index: int,
          claimed: dict[str, int]) -> FeedSource | None:
    """One ``feeds:`` item: a unique name and exactly one of ``url`` or ``path``. An item with nothing
    known in it adds nothing; one whose name is empty is left out, its lists unread."""
    if not found:
        return None
    tree = layout(FeedSource)
    values = r.fields(tree, found, key, ("name",))
    name = values.get("name")
    if "name" not in found:
        r.fail(node, key, "missing `name`", "every feed needs a name (the outlet shown on the site)")
    if name in claimed:
        r.fail(found["name"], f"{key}.name", f"duplicate feed name {name!r}")
    if name:
        claimed[name] = index
    values |= r.fields(tree, found, key, ("url", "path"))
    if ("url" in found) == ("path" in found):
        r.fail(node, key, "needs exactly one of `url` or `path`")
    values |= r.fields(tree, found, key, ("limit",))
    if not name:
        return None
    values |= r.fields(tree, found, key, _FEED_REST)
    return FeedSource(**{**values, "name": name.strip()})


@dataclass(frozen=True)
class Config:
    """The whole ``config.yaml``, plus where the project's folders are."""

    root: Path  # the project folder (the config file's); not read from YAML
    site: SiteConfig = field(default_factory=SiteConfig, metadata=option("the site as a whole", SiteConfig))
    topics: tuple[TopicConfig, ...] = field(default=(), metadata=option(
        "the stories the site follows, in menu order", Items(
            TopicConfig, "each item: {name: …}", _topic, shorthand="name")))
    feeds: tuple[FeedSource, ...] = field(default=(), metadata=option(
        "outlets to follow", Items(FeedSource, "each item: {name: …, url: …}", _feed, null_is_empty=True)))
    feed: FeedOutput = field(default_factory=FeedOutput, metadata=option(
        "the site's generated RSS and Atom feeds", FeedOutput))
    per_page: int = field(default=20, metadata=option("articles per listing page", int, _AT_LEAST_1, blank=True))
    images: str = field(default="link", metadata=option(
        "third-party images: `link` (no requests to third parties) or `hotlink`", str, _IMAGES, blank=True))
    fetch_timeout: float = field(default=20.0, metadata=option(
        "seconds one feed download may take in all", float, key="fetch.timeout", blank=True))
    fetch_concurrency: int = field(default=8, metadata=option(
        "feeds fetched at once", int, key="fetch.concurrency", blank=True))
    limits: Limits = field(default_factory=Limits, metadata=option(
        "how much one input may hold (below); over a limit, nothing from that input is published", Limits))
    websub: WebSub = field(default_factory=WebSub, metadata=option(
        "WebSub (push) for the site's feeds; without `hub`, none", WebSub))
    stories: StoriesConfig = field(default_factory=StoriesConfig, metadata=option(
        "grouping articles about the same news into stories", StoriesConfig))
    entities: EntitiesConfig = field(default_factory=EntitiesConfig, metadata=option(
        "people, organization and place pages", EntitiesConfig))
    digests: bool = field(default=True, metadata=option(
        "weekly digests under `digests/` (ISO weeks in `site.timezone`), with a feed and an email version", bool))
    search: bool = field(default=True, metadata=option(
        "full-text search: a `search/` page and a search box, indexed by Pagefind into `site/pagefind/`", bool))
    search_index_pages: int = field(default=10_000, metadata=option(
        "most article pages one Pagefind index holds: a larger site is split into several (each article's by its "
        "address), which the search page merges, and a change re-indexes only its part. Pagefind needs ~0.3 GB "
        "of memory per 1,000 pages, two indexes are made at once", int, _AT_LEAST_100))

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
        raise ConfigError(_yaml_problem(exc, display, text)) from None
    if node is None:
        return Config(root=root)
    reader = Reader(display)
    values = reader.section(Config, node)
    if reader.problems:
        raise ConfigError(reader.problems)
    return Config(root=root, **values)


_OPENERS = {"quoted scalar": "quoted value", "flow sequence": "`[` list", "flow mapping": "`{` mapping"}


def _yaml_problem(exc: yaml.YAMLError, display: str, text: str) -> Problem:
    """A YAML syntax error at the line a human should look at. A quote or bracket never closed makes the
    parser fail at the end of the file; the line where it was opened (``context_mark``) is the one."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context, opened = getattr(exc, "context", None) or "", getattr(exc, "context_mark", None)
    at_end = mark is not None and not text[mark.index:].strip()
    what = next((name for key, name in _OPENERS.items() if key in context), None)
    if opened is not None and what and ("end of stream" in problem or at_end):
        return Problem(Location(display, opened.line + 1), f"invalid YAML: {what} opened here is never closed",
                       "close it on this line (or the line it was meant to end on)")
    line = mark.line + 1 if mark else None
    return Problem(Location(display, line), f"invalid YAML: {problem}", "check indentation and quoting")


def config_reference() -> str:
    """docs/config.md: every key the loader accepts, from the declaration above."""
    lines = [
        "# config.yaml reference",
        "",
        "<!-- Generated from generator/config.py by scripts/update-config-docs; do not edit by hand. -->",
        "",
        "Every key `digest` reads from `config.yaml`. Any other key is an error; every problem is reported at",
        "once with its line. `topics[]` and `feeds[]` are the keys of each item of those lists. The README's",
        "\"Config reference\" shows them in an example.",
        "",
        "| key | type | default | meaning |",
        "|---|---|---|---|",
    ]
    lines += [f"| `{path}` | {kind} | {default} | {doc} |" for path, kind, default, doc in reference_rows(Config)]
    return "\n".join(lines) + "\n"
