"""fragments.py: ``{% cache %}`` renders its body once per key in a build, ``{% keep %}`` from build to
build; either shows what the body would have shown, escaped the same, wherever it stands."""

from __future__ import annotations

from typing import Any

import jinja2
import pytest

from generator import fragments
from generator.fragments import FragmentCache
from generator.templating import PageEnvironment

TEMPLATES = {
    "_m.html": ("{% macro card(a) %}{% cache 'card', a, root %}<p>{{ count(a) }}{{ root }}{{ a }}</p>"
                "{% endcache %}{% endmacro %}"),
    "base.html": ("{% import '_m.html' as m with context %}{% cache 'head', root %}<h>{{ count('head') }}</h>"
                  "{% endcache %}{% block main %}{% endblock %}"),
    "page.html": """{% extends "base.html" %}{% import '_m.html' as m with context %}{% block main %}
{%- for a in items %}{{ m.card(a) }}{% cache 'row', a %}[{{ a }}|{{ loop.index }}]{% endcache %}{% endfor %}
{%- keep 'kept', items|length %}<k>{{ count('kept') }}</k>{% endkeep %}
{%- cache 'empty', root %}{% endcache %}|{% endblock %}""",
}


@pytest.fixture(params=[jinja2.Environment, PageEnvironment])
def env(request: pytest.FixtureRequest) -> jinja2.Environment:
    environment: jinja2.Environment = request.param(
        loader=jinja2.DictLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined,
        extensions=[FragmentCache])
    return environment


def _render(env: jinja2.Environment, calls: list[Any], **context: Any) -> str:
    def count(what: Any) -> str:
        calls.append(what)
        return ""

    return env.get_template("page.html").render(count=count, **context)


def test_a_fragment_renders_once_per_key_and_shows_what_its_body_does(env: jinja2.Environment) -> None:
    calls: list[Any] = []
    first = _render(env, calls, items=["<a>", "b", "<a>"], root="../")
    assert first == ("<h></h><p>../&lt;a&gt;</p>[&lt;a&gt;|1]<p>../b</p>[b|2]<p>../&lt;a&gt;</p>[&lt;a&gt;|1]"
                     "<k></k>|")
    assert calls == ["head", "<a>", "b", "kept"]
    calls.clear()
    assert _render(env, calls, items=["<a>", "b", "<a>"], root="../") == first
    assert calls == []
    deeper = _render(env, calls, items=["b"], root="../../")
    assert deeper == "<h></h><p>../../b</p>[b|2]<k></k>|", "a fragment keyed without the loop shows its first"
    assert calls == ["head", "b", "kept"]


def test_kept_fragments_outlive_a_build_and_are_bounded(env: jinja2.Environment,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []
    _render(env, calls, items=["a"], root="")
    env.fragment_cache.clear()  # type: ignore[attr-defined]  # a new build
    calls.clear()
    _render(env, calls, items=["a"], root="")
    assert calls == ["head", "a"], "the kept fragment is not rendered again"
    monkeypatch.setattr(fragments, "KEEP_LIMIT", 2)
    for n in range(2, 6):
        _render(env, calls, items=["a"] * n, root="")
    assert len(env.kept_fragments) <= 2  # type: ignore[attr-defined]
