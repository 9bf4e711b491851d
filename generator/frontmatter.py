"""Split a Markdown file into YAML front matter and body, and write one back.

Errors point at the file line (``path:line: problem; hint``), offset past the opening ``---``,
in the spirit of Zola's ``split.rs``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import yaml

from generator.errors import ContentError, Location, Problem
from generator.model import FRONT_MATTER_KEYS

_SafeLoader: type[yaml.SafeLoader] | type[yaml.CSafeLoader]
try:
    _SafeLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _SafeLoader = yaml.SafeLoader

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
# No path resolvers are ever added to FrontMatterLoader, so a node's tag is a function of the node alone:
# of a plain scalar's text, of the kind of anything else.
_PLAIN_TAGS: dict[str, str] = {}
_PLAIN_TAGS_MAX = 50_000
_KIND_TAGS: dict[type[yaml.Node], str] = {}


_RESOLVER = yaml.resolver.Resolver()  # the safe loaders' resolver (they add none of their own)
assert None not in _RESOLVER.yaml_implicit_resolvers  # (it would be tried on every scalar)
_RESOLVED_FIRST = frozenset(_RESOLVER.yaml_implicit_resolvers)  # first characters of text that is not a str


def _plain_tag(value: str) -> str:
    """The tag of a plain scalar: str, or the type its text spells (a number, a date, true, null…)."""
    if value[:1] not in _RESOLVED_FIRST:
        return _STR
    tag = _PLAIN_TAGS.get(value)
    if tag is None:
        if len(_PLAIN_TAGS) >= _PLAIN_TAGS_MAX:
            _PLAIN_TAGS.clear()
        tag = _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
        _PLAIN_TAGS[value] = tag
    return tag


class FrontMatterLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """PyYAML's safe loader, minus work front matter never needs; it loads what the safe loader loads.

    A cold build loads ten thousand front matters, mostly text keys, text values and lists of text, and
    the safe loader spends most of its time in general machinery for those: the tag of each plain scalar
    found again with regular expressions, a constructor looked up, a generator made for every list and
    mapping (for recursive documents). Here a text node is its value, a list of text nodes and a mapping
    with text keys (so no ``<<`` merge, nothing unhashable) are built at once, and a scalar's tag is
    remembered; everything else (dates, numbers, anchors, merges, errors and their marks) is the safe
    loader's own code. tests/test_frontmatter.py loads odd documents both ways and compares.
    """

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode and implicit[0]:
            return _plain_tag(value)
        tag = _KIND_TAGS.get(kind)
        if tag is None:
            tag = _KIND_TAGS[kind] = super().resolve(kind, value, implicit)
        return tag

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass  # it only tracks the path for path resolvers

    def ascend_resolver(self) -> None:
        pass

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node.tag == _STR and node.__class__ is yaml.ScalarNode:
            return node.value
        if node.tag == _SEQ and node.__class__ is yaml.SequenceNode and all(
                child.tag == _STR and child.__class__ is yaml.ScalarNode for child in node.value):
            if node not in self.constructed_objects:  # an alias of it is the same list, as in the safe loader
                self.constructed_objects[node] = [child.value for child in node.value]
            return self.constructed_objects[node]
        return super().construct_object(node, deep)

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[Any, Any]:
        if node.__class__ is yaml.MappingNode and all(
                key.tag == _STR and key.__class__ is yaml.ScalarNode for key, _ in node.value):
            return {key.value: self.construct_object(value, deep=deep) for key, value in node.value}
        return super().construct_mapping(node, deep)  # type: ignore[no-any-return]

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:  # 2025-13-45 has a date's shape: the safe loader lets datetime's error escape
            raise _NotADate(None, None, f"not a date: {node.value} ({exc})", node.start_mark) from None


class _NotADate(yaml.constructor.ConstructorError):
    pass


FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", FrontMatterLoader.construct_yaml_timestamp)


_OPEN = re.compile(r"\A\ufeff?---[ \t]*\r?\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.M)

KEY_ORDER = FRONT_MATTER_KEYS  # the canonical order ingest writes (``model.Record``); unknown keys follow


def split_front_matter(text: str, path: str) -> tuple[str, str, int]:
    """Return ``(yaml_text, body, first_yaml_line)``; raise ``ContentError`` when it is not closed."""
    opening = _OPEN.match(text)
    if not opening:
        raise ContentError(Problem(Location(path, 1), "no front matter",
                                   "start the file with a line `---`, the YAML keys, then `---`"))
    close = _CLOSE.search(text, opening.end())
    if not close:
        raise ContentError(Problem(Location(path, 1), "front matter is not closed",
                                   "did you forget the closing `---` line?"))
    yaml_text = text[opening.end():close.start()]
    body = text[close.end():].lstrip("\r\n")
    return yaml_text, body, 2


# Front matter is mostly one ``key: value`` a line, the value a plain or quoted scalar or a one-line list of
# them. Such a document is read here without the YAML machinery (in a third of its time); anything else, or
# anything about which there is the least doubt, is left to it. What this reads, it reads as YAML does:
# tests/test_frontmatter.py loads generated documents both ways and compares.
_ENTRY = re.compile(r"([A-Za-z_][A-Za-z0-9_]{0,62}): +(.*[^ ]) *")  # a key at the margin, its value on its line
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")  # a plain scalar starting with one is not (only) plain
_DOUBLE = re.compile(r'"([^"\\]*+(?:\\["\\][^"\\]*+)*+)"')  # with no escape but \" and \\ (and those undone)
_ESCAPED = re.compile(r'\\(["\\])')
_SINGLE = re.compile(r"'([^']*)'")  # without a doubled quote: likewise
# An item of a one-line flow list and what follows it: a quoted scalar, or a plain one that holds none of the
# characters that end or change a plain scalar in a flow (nor ``#``, ``:``, ``?``, which sometimes do).
_ITEM = re.compile(r""" *(?:"([^"\\]*)"|'([^']*)'|([^-?:,\[\]{}#&*!|>'"%@` ][^,\[\]{}#:?]*?)) *(,|\Z)""")
_ISO_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d")
_CONSTRUCTOR = yaml.constructor.SafeConstructor()  # for a plain scalar's non-text value (its methods are pure)


def _plain_value(text: str) -> Any:
    if _ISO_STAMP.fullmatch(text):  # (a timestamp to the resolver, and no number)
        return datetime.fromisoformat(text)  # the datetime and fixed zone YAML makes, faster
    tag = _plain_tag(text)
    if tag == _STR:
        return text
    return _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, yaml.ScalarNode(tag, text))


def _flow_list(text: str) -> list[str] | None:
    inner, items, at = text[1:-1], [], 0
    if not inner.strip(" "):
        return []
    while True:
        item = _ITEM.match(inner, at)
        if item is None:
            return None
        double, single, plain, comma = item.groups()
        if plain is not None and _plain_tag(plain) != _STR:
            return None
        items.append(double if double is not None else single if single is not None else plain)
        at = item.end()
        if not comma:
            return items
        if at == len(inner):
            return None  # a trailing comma: YAML takes it, but leave that to YAML


def _simple_load(text: str) -> dict[str, Any] | None:
    """The front matter as YAML reads it, when it is the simple kind; else None."""
    data: dict[str, Any] = {}
    for line in text.split("\n"):
        if not line:
            continue
        entry = _ENTRY.fullmatch(line)
        # Printable: no tab, carriage return, other line break, byte-order mark or control character.
        if entry is None or not line.isprintable():
            return None
        key, value = entry.groups()
        if _plain_tag(key) != _STR:
            return None
        first = value[0]
        if first == '"' or first == "'":
            quoted = (_DOUBLE if first == '"' else _SINGLE).fullmatch(value)
            if quoted is None:
                return None
            written = quoted.group(1)
            data[key] = _ESCAPED.sub(r"\1", written) if first == '"' and "\\" in written else written
        elif first == "[":
            items = _flow_list(value) if value[-1] == "]" else None
            if items is None:
                return None
            data[key] = items
        elif first in _INDICATORS or ": " in value or " #" in value or value[-1] == ":":
            return None
        else:
            try:
                data[key] = _plain_value(value)
            except Exception:  # not what its text spells (2025-13-45): YAML says what is wrong
                return None
    return data


def parse_front_matter(text: str, path: str) -> tuple[dict[str, Any], str]:
    yaml_text, body, first = split_front_matter(text, path)
    simple = _simple_load(yaml_text)
    if simple is not None:
        return simple, body
    try:
        data = yaml.load(yaml_text, Loader=FrontMatterLoader)
    except yaml.YAMLError as exc:
        # The context mark points at what was open (a bracket, a quote) rather than at the end of input.
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = first + mark.line if mark else first
        problem = getattr(exc, "problem", None) or "invalid YAML"
        context = getattr(exc, "context", None)
        message = f"invalid front matter: {problem}" + (f" ({context})" if context else "")
        hint = ("use a real date, e.g. 2025-06-05T09:30:00-04:00" if isinstance(exc, _NotADate) else
                "quote values that contain `: ` or start with `[`, `{`, `*`, `&`")
        raise ContentError(Problem(Location(path, line), message, hint)) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ContentError(Problem(Location(path, first), "front matter must be a mapping of keys",
                                   "write `title: …` lines between the `---` markers"))
    return data, body


def key_line(text: str, key: str) -> int | None:
    """Line number of a top-level front-matter key, for error messages about its value."""
    match = re.search(rf"^{re.escape(key)}\s*:", text, re.M)
    return text.count("\n", 0, match.start()) + 1 if match else None


class _FrontMatterDumper(yaml.SafeDumper):
    """Writes datetimes as plain ISO 8601 (``2025-06-05T04:00:00-04:00``), which YAML reads back."""


def _represent_datetime(dumper: yaml.SafeDumper, value: datetime) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


class _Block(dict[str, Any]):
    """The top level is always block style; short lists and small maps inside may be flow."""


def _represent_block(dumper: yaml.SafeDumper, value: _Block) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=False)


_FrontMatterDumper.add_representer(datetime, _represent_datetime)
_FrontMatterDumper.add_representer(_Block, _represent_block)


def _plain(value: Any) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def dump_front_matter(data: Mapping[str, Any], body: str) -> str:
    """Serialise front matter in canonical order; stable bytes for the same record."""
    ordered = {k: data[k] for k in KEY_ORDER if k in data}
    ordered.update({k: v for k, v in data.items() if k not in ordered})
    text = yaml.dump(_Block(_plain(ordered)), Dumper=_FrontMatterDumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=None, width=100)
    return f"---\n{text}---\n\n{body.strip()}\n"


_WRITTEN = re.compile(r"(?<![\w-])written:[ ]*('[^'\n]*'|\"[^\"\n]*\"|[0-9a-fA-F]*)")
_ORIGIN = re.compile(r"^origin:.*(?:\n[ \t]+.*)*", re.M)


def _written_span(text: str) -> tuple[int, int, str] | None:
    """Where ``origin.written``'s value sits: the last ``written:`` inside the ``origin:`` entry.

    Searching only there (and taking the last match, as ingest writes it last) keeps a title or a
    guid that happens to contain ``written:`` from being mistaken for it.
    """
    origin = _ORIGIN.search(text)
    if origin is None:
        return None
    found = None
    for match in _WRITTEN.finditer(text, origin.start(), origin.end()):
        found = match
    if found is None:
        return None
    return found.start(), found.end(), found.group(1).strip("'\"")


def written_hash(text: str) -> str:
    """sha256 of the file's text with the ``written:`` value left empty (DESIGN.md "Human edits")."""
    span = _written_span(text)
    blanked = text if span is None else text[:span[0]] + "written: ''" + text[span[1]:]
    return hashlib.sha256(blanked.encode("utf-8")).hexdigest()


def stamp_written(text: str) -> str:
    """Fill ``origin.written`` so a later human edit is detectable."""
    span = _written_span(text)
    if span is None:
        return text
    return text[:span[0]] + f"written: {written_hash(text)}" + text[span[1]:]


def dump_owned_article(data: Mapping[str, Any], body: str) -> bytes:
    """An article file written by ingest: front matter + body, with ``origin.written`` stamped."""
    return stamp_written(dump_front_matter(data, body)).encode("utf-8")


def is_machine_owned(text: str) -> bool:
    """True when ingest wrote this file and no human has changed it since."""
    span = _written_span(text)
    return span is not None and len(span[2]) == 64 and written_hash(text) == span[2]
