"""``{% cache key, … %}…{% endcache %}``: render a template fragment once per key within a build.
``{% keep key, … %}…{% endkeep %}``: the same, kept from build to build for as long as the templates are.

The masthead of ten thousand article pages is the same few hundred bytes each time; a theme wraps
such fragments in ``cache`` with every variable they depend on in the key, and they render once.
The Builder clears the cache at the start of every build, so nothing outlives the data it came from.
``keep`` is for a fragment whose key is everything it shows (a feed entry: ``FeedEntry`` is a frozen
value): one article is an entry of a dozen feeds, and a `serve` rebuild that touches a feed renders only
its new entry. At most ``KEEP_LIMIT`` fragments are kept (then it starts again empty).
(The extension follows the fragment-cache example of Jinja's own documentation.)
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

    def parse(self, parser: Parser) -> nodes.Node:
        token = next(parser.stream)
        key = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            key.append(parser.parse_expression())
        body = parser.parse_statements((f"name:end{token.value}",), drop_needle=True)
        method = "_kept" if token.value == "keep" else "_cached"
        call = self.call_method(method, [nodes.Tuple(key, "load")])
        return nodes.CallBlock(call, [], [], body).set_lineno(token.lineno)

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
