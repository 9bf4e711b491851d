"""How templates run: Jinja's environment, with some of its inner paths made cheaper for a site of ten
thousand pages. The bytes out are the same (tests/test_templating.py renders with both; the golden site).

A page of the default theme runs a few hundred of Jinja's small steps, and some cost more than the
template's own work:

- ``{{ value }}`` goes through MarkupSafe's ``escape``, which (since MarkupSafe 3) is Python that wraps every
  result in a new ``Markup``. Output needs only the escaped text: compiled templates get ``escape_output``
  (MarkupSafe's own C escaping, no wrapper; a Markup passes through as it is).
- ``Context.call`` (each ``url(…)``, each macro call) asks the callable, and its ``__call__``, whether it
  wants the context passed in. Functions and methods say so by an attribute (``pass_context``), macros
  never; only other callables take Jinja's whole path.
- ``{% import "_macros.html" as m with context %}`` runs the macro file again for every page (a dozen macro
  objects). Where everything the file reads of the page (Jinja's own analysis: ``url``, ``root``,
  ``alternates``) is the same, so is the module: all the article pages share one.
- ``self.page_title()`` looks for an attribute, fails, then finds the block by ``[]``: ``self`` here has
  the attribute, and calling a block skips the ``pass_context`` look too.
- A module imported with context and the page's context refer to each other: each page left ~150 objects
  that only the cyclic garbage collector frees, and a build pauses it (build/builder.py), so they piled up
  and slowed every later page. A render clears the contexts it made when it ends.

The theme does its part (base.html imports the macros only when the page has not). Templates are cached in
a plain dict (a few dozen, and ``auto_reload`` is off), and the autoescape choice per template is remembered.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Mapping, MutableMapping
from types import BuiltinFunctionType, CodeType, FunctionType, MethodType
from typing import Any

import jinja2
import markupsafe
from jinja2 import meta
from jinja2.environment import TemplateModule
from jinja2.runtime import BlockReference, Context, Macro, TemplateReference
from jinja2.utils import internalcode, missing
from markupsafe import Markup

# MarkupSafe 3: the C function behind its Python escape(). MarkupSafe 2's escape() is C already: kept.
FAST_ESCAPE = hasattr(markupsafe, "_escape_inner")
_escape_inner: Callable[[str], str] = getattr(markupsafe, "_escape_inner", markupsafe.escape)

IMPORTED_LIMIT = 64  # modules kept (then it starts again empty): one per depth and kind of page is plenty

_str_new = str.__new__
_PLAIN_CALLABLES = (FunctionType, MethodType, BuiltinFunctionType)


def escape_output(value: Any) -> str:
    """What ``{{ value }}`` writes with autoescape on: MarkupSafe's ``escape(value)``, as text."""
    if type(value) is str:
        return _escape_inner(value)
    if type(value) is Markup:
        return value
    if hasattr(value, "__html__"):
        return _str_new(Markup, value.__html__())
    return _escape_inner(str(value))


class PageContext(Context):
    @internalcode
    def call(__self, __obj: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:  # Jinja's own signature
        """``Context.call``, without its look for ``pass_context`` where there can be none."""
        kind = type(__obj)
        if kind is Macro or kind is BlockReference or (kind in _PLAIN_CALLABLES
                                                        and not hasattr(__obj, "jinja_pass_arg")):
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:
                return __self.environment.undefined("value was undefined because a callable raised a"
                                                    " StopIteration exception")
        return Context.call(__self, __obj, *args, **kwargs)


class PageTemplateReference(TemplateReference):
    """``self`` in a template: ``self.title`` finds the block without a failed attribute lookup first."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # its own attributes (and a block named so is still found by Jinja's [])
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


class PageTemplate(jinja2.Template):
    _read: tuple[str, ...] | None

    @classmethod
    def from_code(cls, environment: jinja2.Environment, code: CodeType, globals: MutableMapping[str, Any],
                  uptodate: Callable[[], bool] | None = None) -> jinja2.Template:
        template = super().from_code(environment, code, globals, uptodate)
        if FAST_ESCAPE:
            # The compiled module's namespace: its functions look the name up there when they run.
            template.root_render_func.__globals__["escape"] = escape_output
        template.root_render_func.__globals__["TemplateReference"] = PageTemplateReference
        return template

    def render(self, *args: Any, **kwargs: Any) -> str:
        """``Template.render``; then the contexts it made let go of what they hold (the module's doc)."""
        environment = self.environment
        assert isinstance(environment, PageEnvironment)
        outer = environment.made_contexts
        made: list[Context] = [] if outer is None else outer  # a render inside a render: let go at the end
        environment.made_contexts = made
        only = args[0] if len(args) == 1 and not kwargs and type(args[0]) is dict else None
        context = self.new_context(only if only is not None else dict(*args, **kwargs))  # (it copies them)
        made.append(context)
        try:
            return environment.concat(self.root_render_func(context))
        except Exception:
            environment.handle_exception()
        finally:
            if outer is None:
                environment.made_contexts = None
                for each in made:
                    each.vars.clear()

    def make_module(self, vars: dict[str, Any] | None = None, shared: bool = False,
                    locals: Mapping[str, Any] | None = None) -> TemplateModule:
        environment = self.environment
        if not (shared and vars is not None and isinstance(environment, PageEnvironment)):
            return super().make_module(vars, shared, locals)
        # An import "with context": kept when pages that see the same have imported it before.
        key = self._import_key(vars, locals)
        if key is not None:
            kept = environment.imported.get(key)
            if kept is not None:
                return kept
        context = self.new_context(vars, shared, locals)
        module = TemplateModule(self, context)
        if key is not None and environment.seen_before(key):
            environment.imported[key] = module
        elif environment.made_contexts is not None:  # made for this render only
            environment.made_contexts.append(context)
        return module

    def _import_key(self, vars: Mapping[str, Any], locals: Mapping[str, Any] | None) -> tuple[Any, ...] | None:
        """What this template, imported with the importer's context, can see of it: the value of every name
        it reads (the importer's locals first, as ``new_context`` takes them), or None when that is not known."""
        names = self._names_read()
        if names is None:
            return None
        key: list[Any] = [self]
        for name in names:
            value = locals.get(name, missing) if locals else missing
            if value is missing:
                value = vars.get(name, missing)
            kind = type(value)  # 1 and True, or Markup and str, show differently
            if kind is list:  # alternates: a new list for each page
                value = tuple(value)
            key.append((kind, value))
        found = tuple(key)
        try:
            hash(found)
        except TypeError:  # a dict or the like: what it holds could differ between pages
            return None
        return found

    def _names_read(self) -> tuple[str, ...] | None:
        """The context names the template reads, or None when it could read others: it includes or imports
        a template, which sees the whole context."""
        if not hasattr(self, "_read"):
            read: tuple[str, ...] | None = None
            environment, loader = self.environment, self.environment.loader
            if loader is not None and self.name is not None:
                try:
                    tree = environment.parse(loader.get_source(environment, self.name)[0])
                except (jinja2.TemplateError, OSError):
                    tree = None
                if tree is not None and not list(meta.find_referenced_templates(tree)):
                    read = tuple(sorted(meta.find_undeclared_variables(tree)))
            self._read = read
        return self._read


class PageEnvironment(jinja2.Environment):
    """A ``jinja2.Environment`` that renders with ``PageContext`` and ``PageTemplate``."""

    context_class = PageContext
    template_class = PageTemplate

    def __init__(self, **options: Any) -> None:
        autoescape = options.get("autoescape", False)
        if callable(autoescape):  # asked again for every page and every import
            options["autoescape"] = functools.cache(autoescape)
        options.setdefault("cache_size", -1)  # a dict: no eviction bookkeeping on every get_template
        super().__init__(**options)
        self._local = threading.local()
        # Modules imported with context, by what they see of the importer's context. A module is kept the
        # second time its key comes (a topic's or a tag's pages, with feeds of their own, come once).
        self.imported: dict[tuple[Any, ...], TemplateModule] = {}
        self._seen: set[tuple[Any, ...]] = set()

    def seen_before(self, key: tuple[Any, ...]) -> bool:
        """Whether ``key`` came before (since the memory of keys last started again)."""
        if key in self._seen:
            if len(self.imported) >= IMPORTED_LIMIT:  # the modules let go are collected with the garbage
                self.imported.clear()
            return True
        if len(self._seen) >= 16 * IMPORTED_LIMIT:
            self._seen.clear()
        self._seen.add(key)
        return False

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """A template's globals as one dict, not Jinja's ``ChainMap`` over the environment's: every new
        context copies them, and a ChainMap copies slowly. The environment's globals are all set before a
        template loads (``make_environment``)."""
        return {**self.globals, **d} if d else dict(self.globals)

    @property
    def made_contexts(self) -> list[Context] | None:
        """The contexts the render in progress (in this thread) has made, or None outside a render."""
        made: list[Context] | None = getattr(self._local, "made", None)
        return made

    @made_contexts.setter
    def made_contexts(self, made: list[Context] | None) -> None:
        self._local.made = made
