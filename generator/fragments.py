"""``{% cache key, … %}…{% endcache %}``: render a template fragment once per key within a build.
``{% keep key, … %}…{% endkeep %}``: the same, kept from build to build for as long as the templates are.

The masthead of ten thousand article pages is the same few hundred bytes each time; a theme wraps
such fragments in ``cache`` with every variable they depend on in the key, and they render once.
The Builder clears the cache at the start of every build, so nothing outlives the data it came from.
``keep`` is for a fragment whose key is everything it shows (a feed entry: ``FeedEntry`` is a frozen
value): one article is an entry of a dozen feeds, and a `serve` rebuild that touches a feed renders only
its new entry. At most ``KEEP_LIMIT`` fragments are kept (then it starts again empty).
(The extension follows the fragment-cache example of Jinja's own documentation, with one change: a
fragment found is one look-up; only a miss makes the body a caller, a macro of its own, and renders it.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.parser import Parser

KEEP_LIMIT = 20_000


class FragmentCache(Extension):
    tags = frozenset({"cache", "keep"})  # type: ignore[assignment]  # Jinja types it as a mutable set

    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        environment.extend(fragment_cache={}, kept_fragments={})

    def parse(self, parser: Parser) -> list[nodes.Node]:
        token = next(parser.stream)
        lineno = token.lineno
        key = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            key.append(parser.parse_expression())
        body = parser.parse_statements((f"name:end{token.value}",), drop_needle=True)
        kept = token.value == "keep"
        # found = <the fragment kept under key, or None>; a miss renders the body as a caller (a macro of
        # its own) and keeps it. A hit is one dictionary look-up: no caller is made.
        found = parser.free_identifier(lineno)
        look = self.call_method("_kept_get" if kept else "_cached_get", [nodes.Tuple(key, "load")], lineno=lineno)
        make = self.call_method("_kept" if kept else "_cached", [nodes.Tuple(key, "load")], lineno=lineno)
        return [
            nodes.Assign(found, look, lineno=lineno),
            nodes.If(nodes.Compare(found, [nodes.Operand("eq", nodes.Const(None))], lineno=lineno),
                     [nodes.CallBlock(make, [], [], body, lineno=lineno)], [], [nodes.Output([found], lineno=lineno)],
                     lineno=lineno),
        ]

    def _kept_get(self, key: tuple[Any, ...]) -> str | None:
        kept: dict[tuple[Any, ...], str] = self.environment.kept_fragments  # type: ignore[attr-defined]
        return kept.get(key)

    def _cached_get(self, key: tuple[Any, ...]) -> str | None:
        cache: dict[tuple[Any, ...], str] = self.environment.fragment_cache  # type: ignore[attr-defined]
        return cache.get(key)

    def _kept(self, key: tuple[Any, ...], caller: Callable[[], str]) -> str:
        kept: dict[tuple[Any, ...], str] = self.environment.kept_fragments  # type: ignore[attr-defined]
        value = kept.get(key)
        if value is None:
            if len(kept) >= KEEP_LIMIT:
                kept.clear()
            value = kept[key] = caller()
        return value

    def _cached(self, key: tuple[Any, ...], caller: Callable[[], str]) -> str:
        cache: dict[tuple[Any, ...], str] = self.environment.fragment_cache  # type: ignore[attr-defined]  # set by extend()
        value = cache.get(key)
        if value is None:
            value = cache[key] = caller()
        return value
