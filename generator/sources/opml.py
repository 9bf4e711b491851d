"""OPML subscription lists → new ``feeds:`` entries in ``config.yaml``, edited as text.

Re-dumping the YAML would lose the user's comments and key order, so the new entries are appended to
the existing ``feeds:`` block (or a block is added at the end) line by line. URLs already configured
are skipped. The caller reads and writes the file; this module only computes the new text.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import yaml


class OpmlError(ValueError):
    """The OPML file or the config text cannot be used; the message says why."""


@dataclass(frozen=True)
class Subscription:
    name: str
    url: str


def read_opml(data: bytes) -> list[Subscription]:
    """Every outline with an http(s) ``xmlUrl``, in document order (nested folders flattened)."""
    if b"<!ENTITY" in data.upper():
        raise OpmlError("OPML with entity declarations refused (possible XML bomb)")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise OpmlError(f"not valid OPML/XML: {exc}") from None
    if root.tag.rsplit("}", 1)[-1].lower() != "opml":
        raise OpmlError(f"not an OPML document (root element <{root.tag}>)")
    found: list[Subscription] = []
    for outline in root.iter():
        if outline.tag.rsplit("}", 1)[-1] != "outline":
            continue
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if urlsplit(url).scheme.lower() not in ("http", "https") or not urlsplit(url).netloc:
            continue
        name = (outline.get("title") or outline.get("text") or "").strip() or urlsplit(url).netloc
        found.append(Subscription(re.sub(r"\s+", " ", name), url))
    return found


def _url_key(url: str) -> str:
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    return f"{host}{parts.path.rstrip('/')}{'?' + parts.query if parts.query else ''}"


def _existing(config_text: str) -> tuple[list[dict[str, Any]], Any]:
    try:
        data = yaml.safe_load(config_text) if config_text.strip() else {}
    except yaml.YAMLError as exc:
        raise OpmlError(f"config.yaml is not valid YAML: {exc}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise OpmlError("config.yaml must be a mapping of keys")
    feeds = data.get("feeds")
    if feeds is not None and not isinstance(feeds, list):
        raise OpmlError("config.yaml: `feeds` must be a list")
    return [f for f in feeds or [] if isinstance(f, dict)], feeds


def _quote(value: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar, escapes and all.
    return json.dumps(value, ensure_ascii=False)


_FEEDS_KEY = re.compile(r"^feeds[ \t]*:(?P<rest>[^\r\n]*)$", re.M)


def import_opml(config_text: str, opml_bytes: bytes) -> tuple[str, int]:
    """Return ``(new_config_text, number_of_feeds_added)``; comments and order are kept."""
    subscriptions = read_opml(opml_bytes)
    feeds, raw_feeds = _existing(config_text)
    known = {_url_key(str(f["url"])) for f in feeds if f.get("url")}
    names = {str(f.get("name")) for f in feeds}
    new: list[Subscription] = []
    for sub in subscriptions:
        key = _url_key(sub.url)
        if key in known:
            continue
        known.add(key)
        name, n = sub.name, 1
        while name in names:
            n += 1
            name = f"{sub.name} ({n})"
        names.add(name)
        new.append(Subscription(name, sub.url))
    if not new:
        return config_text, 0
    crlf = "\r\n" in config_text
    text = _insert(config_text.replace("\r\n", "\n"), new, "\n", has_items=bool(raw_feeds))
    if crlf:
        text = text.replace("\n", "\r\n")
    after, _ = _existing(text)
    if len(after) != len(feeds) + len(new):  # never hand back a config we broke
        raise OpmlError("could not add the feeds to config.yaml safely; add them by hand")
    return text, len(new)


def _entry(sub: Subscription, indent: str) -> str:
    return f"{indent}- {{name: {_quote(sub.name)}, url: {_quote(sub.url)}}}"


def _insert(text: str, new: list[Subscription], newline: str, *, has_items: bool) -> str:
    match = _FEEDS_KEY.search(text)
    if match is None:
        lines = [_entry(s, "  ") for s in new]
        sep = "" if not text or text.endswith(("\n", "\r")) else newline
        return text + sep + newline.join(["feeds:", *lines]) + newline
    rest = match.group("rest")
    value = rest.split("#", 1)[0].strip()
    if value in ("[]", "~", "null", "Null", "NULL") or (not value and not has_items):
        if not value:
            # `feeds:` with nothing under it (maybe comments): append right after the key line.
            indent = "  "
            block_end = match.end()
        else:
            comment = rest[rest.index("#"):] if "#" in rest else ""
            head = "feeds:" + (f"  {comment}" if comment else "")
            text = text[: match.start()] + head + text[match.end():]
            block_end = match.start() + len(head)
            indent = "  "
        lines = [_entry(s, indent) for s in new]
        return text[:block_end] + newline + newline.join(lines) + text[block_end:]
    if value.startswith("["):
        if not value.endswith("]"):
            raise OpmlError("`feeds:` is a multi-line flow list; rewrite it as a block list (`- …` lines)")
        close = match.start("rest") + rest.rindex("]")
        added = ", ".join(f"{{name: {_quote(s.name)}, url: {_quote(s.url)}}}" for s in new)
        return text[:close] + ", " + added + text[close:]
    if value:
        raise OpmlError("`feeds:` has an unexpected value; it should be a list")
    # A block list: find its last line, and the indentation of its items.
    lines = text[match.end():].split("\n")
    offset = match.end()
    last_end = match.end()
    item_indent: str | None = None
    for i, line in enumerate(lines):
        if i == 0:
            offset += len(line) + 1
            continue
        stripped = line.strip()
        line_start = offset
        offset += len(line) + 1
        if not stripped or stripped.startswith("#"):
            continue
        if not line[0].isspace() and not line.startswith("-"):
            break  # the next top-level key
        if item_indent is None and stripped.startswith("-"):
            item_indent = line[: len(line) - len(line.lstrip())]
        last_end = line_start + len(line)
    entries = [_entry(s, "  " if item_indent is None else item_indent) for s in new]
    return text[:last_end] + newline + newline.join(entries) + text[last_end:]
