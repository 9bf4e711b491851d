"""``{% cache key, … %}…{% endcache %}``: render a template fragment once per key within a build.

The masthead of ten thousand article pages is the same few hundred bytes each time; a theme wraps
such fragments in ``cache`` with every variable they depend on in the key, and they render once.
The Builder clears the cache at the start of every build, so nothing outlives the data it came from.
(The extension follows the fragment-cache example of Jinja's own documentation.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.parser import Parser


class FragmentCache(Extension):
    tags = frozenset({"cache"})  # type: ignore[assignment]  # Jinja types it as a mutable set; ours is shared

    def __init__(self, environment: Any) -> None:
        super().__init__(environment)
        environment.extend(fragment_cache={})

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        key = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            key.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        call = self.call_method("_cached", [nodes.Tuple(key, "load")])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _cached(self, key: tuple[Any, ...], caller: Callable[[], str]) -> str:
        cache: dict[tuple[Any, ...], str] = self.environment.fragment_cache  # type: ignore[attr-defined]  # set by extend()
        value = cache.get(key)
        if value is None:
            value = cache[key] = caller()
        return value
