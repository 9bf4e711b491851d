"""How a declared schema is read from YAML: the vocabulary of ``config.py`` and the reader that walks it.

A section is a frozen dataclass; each field that YAML sets carries an ``Option`` in its metadata (built
with ``option()``): the kind of value, the steps that normalise and check it, and one doc line — MkDocs'
``config_options`` + ``base.Config.validate`` in dataclass form. ``Reader`` walks the composed node tree
along that declaration, so every problem keeps its line, and collects every problem instead of stopping
at the first: a section's fields in declaration order, each field's type and then its checks. Rules that
span fields or list items live in the list's ``build``. ``reference_rows`` lists the same declaration for
``docs/config.md``.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import MISSING, Field, dataclass, fields, is_dataclass
from functools import cache
from typing import Any, NamedTuple

import yaml

from generator.errors import Location, Problem


@dataclass(frozen=True)
class Check:
    """A rule on a value of the right type; ``doc`` is its note in the type column of docs/config.md."""

    doc: str
    ok: Callable[[Any], object]  # truthy: the value passes
    message: str  # formatted with the value: ``"not a language tag: {!r}"``
    hint: str = ""


class Strings:
    """The kind "list of strings" (``[a, b]``): items stripped, empty ones dropped; null means none."""


STRINGS = Strings()

# (reader, key path, the item's node, its known keys' nodes, its index, what earlier items claimed) → record
Build = Callable[["Reader", str, yaml.Node, dict[str, yaml.Node], int, dict[str, int]], Any]


@dataclass(frozen=True)
class Items:
    """The kind "list of mappings read as ``cls``". ``build`` makes one item's record (``None``: left out)
    and owns the rules that span fields or items, such as unique names."""

    cls: type
    hint: str  # shown when the value is not a list
    build: Build
    shorthand: str = ""  # a plain scalar item stands for ``{shorthand: item}``
    null_is_empty: bool = False


Kind = type | Strings | Items  # str, int, float, bool, a section dataclass, STRINGS, Items(…)
Step = Check | Callable[[Any], Any]  # a Check, or a function that normalises the value


@dataclass(frozen=True)
class Option:
    """A field's schema entry, in ``Field.metadata["option"]``."""

    doc: str
    kind: Kind
    steps: tuple[Step, ...] = ()  # applied in order to a value of the right type
    key: str = ""  # the YAML path when it is not the attribute name, e.g. ``fetch.timeout``
    blank: bool = False  # 0 or "" means the default
    default_doc: str = ""  # the default as docs/config.md shows it, when it is not a plain value


def option(doc: str, kind: Kind, *steps: Step, key: str = "", blank: bool = False,
           default_doc: str = "") -> dict[str, Option]:
    """A field's ``metadata=``: how YAML sets it and its one doc line."""
    return {"option": Option(doc, kind, steps, key, blank, default_doc)}


class Slot(NamedTuple):
    """One field in a layout, with what reading it needs worked out once."""

    attr: str
    option: Option
    read: str  # "scalar", "strings", "items" or "section"
    default: Any  # what a blank value stands for (``Option.blank``)


# A section's YAML keys → Slot, or → a nested layout for a dotted key's first part (``fetch``).
Layout = dict[str, Any]


@cache
def layout(cls: type) -> Layout:
    tree: Layout = {}
    for f in fields(cls):
        opt = f.metadata.get("option")
        if opt is None:
            continue
        *parents, last = (opt.key or f.name).split(".")
        node = tree
        for parent in parents:
            node = node.setdefault(parent, {})
        read = ("strings" if isinstance(opt.kind, Strings) else "items" if isinstance(opt.kind, Items)
                else "section" if _section(opt.kind) else "scalar")
        node[last] = Slot(f.name, opt, read, _default(f))
    return tree


def _section(kind: object) -> bool:
    return isinstance(kind, type) and is_dataclass(kind)


def _default(f: Field[Any]) -> Any:
    if f.default is not MISSING:
        return f.default
    return f.default_factory() if f.default_factory is not MISSING else None


_STR_TAG = "tag:yaml.org,2002:str"


class Reader:
    """Reads composed YAML nodes along a schema; ``problems`` collects every problem with its line."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        # Turns one composed node into its Python value (no re-serialising, no second parse).
        self._construct = yaml.constructor.SafeConstructor().construct_object

    def fail(self, node: yaml.Node, key: str, message: str, hint: str = "") -> None:
        line = node.start_mark.line + 1
        where = f"{key}: " if key else ""
        self.problems.append(Problem(Location(self.path, line), where + message, hint))

    def section(self, cls: type, node: yaml.Node, key: str = "") -> dict[str, Any]:
        """``node`` read as ``cls``: the fields it sets, checked, by attribute name."""
        tree = layout(cls)
        return self.fields(tree, self.mapping(node, key, tree), key)

    def mapping(self, node: yaml.Node, key: str, allowed: Layout) -> dict[str, yaml.Node]:
        """The known keys' value nodes; an unknown key is a problem with a "did you mean"."""
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, key, f"expected a mapping, got {kind_of(node)}")
            return {}
        out: dict[str, yaml.Node] = {}
        for knode, vnode in node.value:
            name = knode.value if isinstance(knode, yaml.ScalarNode) else str(knode)
            if name not in allowed:
                close = difflib.get_close_matches(name, list(allowed), n=1, cutoff=0.6)
                hint = f"did you mean `{close[0]}`?" if close else "allowed: " + ", ".join(sorted(allowed))
                self.fail(knode, _join(key, name), "unknown key", hint)
                continue
            if name in out:
                self.fail(knode, _join(key, name), "duplicate key")
            out[name] = vnode
        return out

    def fields(self, tree: Layout, found: dict[str, yaml.Node], key: str,
               names: Iterable[str] | None = None) -> dict[str, Any]:
        """The fields set in ``found`` (those of ``names``, in that order; default: all, in declaration
        order), read and checked, by attribute name."""
        values: dict[str, Any] = {}
        for name in tree if names is None else names:
            node = found.get(name)
            if node is None:
                continue
            where = f"{key}.{name}" if key else name
            spec = tree[name]
            if isinstance(spec, dict):
                values.update(self.fields(spec, self.mapping(node, where, spec), where))
                continue
            value = self.value(spec, node, where)
            if value is not None:
                values[spec.attr] = value
        return values

    def value(self, slot: Slot, node: yaml.Node, key: str) -> Any:
        """One field's value, or ``None`` after reporting why it cannot be used."""
        kind = slot.option.kind
        if slot.read == "strings":
            return self.strings(node, key)
        if slot.read == "items":
            assert isinstance(kind, Items)
            return self.items(kind, node, key)
        assert isinstance(kind, type)
        if slot.read == "section":
            return kind(**self.section(kind, node, key))
        value = self.scalar(node, key, kind)
        if value is None:
            return None
        if slot.option.blank and not value:
            value = slot.default
        for step in slot.option.steps:
            if not isinstance(step, Check):
                value = step(value)
            elif not step.ok(value):
                self.fail(node, key, step.message.format(value), step.hint)
                return None
        return value

    def scalar(self, node: yaml.Node, key: str, kind: type) -> Any:
        """A str, int, float or bool; an int or float is taken as text where text is expected."""
        if kind is str and node.tag == _STR_TAG and isinstance(node, yaml.ScalarNode):
            return node.value  # what the constructor would return, the common case made cheap
        value: Any = None
        if isinstance(node, yaml.ScalarNode):  # a list or mapping is never a scalar kind: no need to build it
            try:
                value = self._construct(node, deep=True)
            except yaml.constructor.ConstructorError:  # an unknown tag such as `!foo`
                value = None
        if kind is str and isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.fail(node, key, f"expected {kind.__name__}, got {kind_of(node)}")
            return None
        return value

    def strings(self, node: yaml.Node, key: str) -> tuple[str, ...]:
        if is_null(node):
            return ()
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, key, f"expected a list of strings, got {kind_of(node)}", "write `[a, b]`")
            return ()
        result = []
        for i, item in enumerate(node.value):
            value = self.scalar(item, f"{key}[{i}]", str)
            if value is not None and value.strip():
                result.append(value.strip())
        return tuple(result)

    def items(self, spec: Items, node: yaml.Node, key: str) -> tuple[Any, ...]:
        if spec.null_is_empty and is_null(node):
            return ()
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, key, f"expected a list, got {kind_of(node)}", spec.hint)
            return ()
        tree = layout(spec.cls)
        claimed: dict[str, int] = {}
        out = []
        for i, item in enumerate(node.value):
            where = f"{key}[{i}]"
            found: dict[str, yaml.Node]
            if spec.shorthand and isinstance(item, yaml.ScalarNode) and not is_null(item):
                found = {spec.shorthand: item}
            else:
                found = self.mapping(item, where, tree)
            record = spec.build(self, where, item, found, i, claimed)
            if record is not None:
                out.append(record)
        return tuple(out)


def is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")


def kind_of(node: yaml.Node) -> str:
    """What a node holds, for "expected X, got …": ``a list``, ``null``, ``str 'x'``."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag.endswith(":null"):
        return "null"
    return f"{node.tag.rsplit(':', 1)[-1]} {node.value!r}"


def _join(prefix: str, key: str) -> str:
    return f"{prefix}.{key}" if prefix else key


# --- the reference ---------------------------------------------------------------------------------------

_TYPE_NAMES = {str: "text", int: "integer", float: "number", bool: "`true` / `false`"}


def reference_rows(cls: type, prefix: str = "") -> Iterator[tuple[str, str, str, str]]:
    """(key path, type, default, doc line) of every field YAML sets, nested ones after their section;
    the items of a list are ``key[].field``."""
    for f in fields(cls):
        opt = f.metadata.get("option")
        if opt is None:
            continue
        path = _join(prefix, opt.key or f.name)
        yield path, _type_doc(opt), _default_doc(f, opt), _doc_line(opt)
        if isinstance(opt.kind, Items):
            yield from reference_rows(opt.kind.cls, path + "[]")
        elif _section(opt.kind):
            assert isinstance(opt.kind, type)
            yield from reference_rows(opt.kind, path)


def _type_doc(opt: Option) -> str:
    kind = opt.kind
    if isinstance(kind, Strings):
        return "list of text"
    if isinstance(kind, Items):
        return "list" + (f"; an item may be just its `{kind.shorthand}`" if kind.shorthand else "")
    if _section(kind):
        return "mapping"
    return ", ".join([_TYPE_NAMES[kind], *(step.doc for step in opt.steps if isinstance(step, Check))])


def _default_doc(f: Field[Any], opt: Option) -> str:
    if opt.default_doc:
        return opt.default_doc
    if f.default is MISSING:
        return "required" if f.default_factory is MISSING else ""
    value = f.default
    if value is None:
        return "none"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, tuple):
        return "`[]`"
    if isinstance(value, float):
        return f"`{value:g}`"
    return f"`{value}`" if value != "" else '`""`'


def _doc_line(opt: Option) -> str:
    if not opt.blank:
        return opt.doc
    return opt.doc + ("; empty means the default" if opt.kind is str else "; `0` means the default")
