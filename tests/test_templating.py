"""templating.py: the environment pages render with gives what a plain Jinja environment gives, byte for
byte, while it escapes, calls and imports more cheaply; and what a page made is let go when it ends.

The differential tests render the same templates in both and compare; the theme tests build real projects
with the CLI (the masthead's fragment key, a page that imports no macros, a page with macros of its own).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import lxml.html
import pytest
from conftest import article, run_digest
from markupsafe import Markup

from generator.templating import IMPORTED_LIMIT, PageEnvironment, escape_output

MACROS = """\
{% macro link(path, text) %}<a href="{{ url(path) }}">{{ text }}</a>{% endmacro %}
{% macro boxed(x) %}[{{ x }}:{{ caller() }}]{% endmacro %}
{% macro feeds() %}{% for f in alternates %}{{ f }};{% endfor %}{% endmacro %}
{% macro anything(a, b=2) %}{{ a }}/{{ b }}/{{ varargs|length }}/{{ kwargs|dictsort }}{% endmacro %}
"""

PAGES = {
    "_m.html": MACROS,
    "_included.html": "{{ secret }}",
    "_m_includes.html": "{% macro inner() %}{% include '_included.html' %}{% endmacro %}",
    "base.html": ("{% import '_m.html' as m with context %}<title>{% block title %}{% endblock %}</title>"
                  "{% block main %}{% endblock %}|{{ self.title()|trim }}|{% block _under %}u{% endblock %}"
                  "{{ self._under() }}|{{ self.nope is defined }}|{{ self['main'] is defined }}"),
    "page.html": """{% extends "base.html" %}
{% import "_m.html" as m with context %}
{% block title %} {{ title }} {% endblock %}
{% block main %}
{{ m.link('a/', text) }} {{ m.link('b/', safe) }} {{ number }} {{ nothing }} {{ html_object }}
{% call m.boxed(1) %}<b>{{ text }}</b>{% endcall %} {{ m.feeds() }}
{{ m.anything(1) }} {{ m.anything(1, 3, 4, k=5) }}
{% set block %}{{ text }}<i>{{ safe }}</i>{% endset %}{{ block }} {{ block|e }} {{ text|e }} {{ safe|e }}
{{ text ~ safe }} {{ (text ~ safe)|safe }} {{ text|safe }} {{ [text, safe]|join(', ') }}
{% filter upper %}{{ text }}{% endfilter %} {% autoescape false %}{{ text }}{% endautoescape %}
{{ with_context() }} {{ with_env() }} {{ with_eval() }} {{ callable_object(2) }} {{ stops() is defined }}
{% for x in [1, 2] %}{{ loop_context() }}{% endfor %} {{ method('x') }} {{ builtin(';') }}
{%- set ns = namespace(v=1) %}{{ ns.v }} {{ cycler('a', 'b').next() }}
{% endblock %}
""",
}


class HtmlObject:
    def __html__(self) -> str:
        return "<em>already html</em>"


class CallableObject:
    @jinja2.pass_context
    def __call__(self, context: Any, n: int) -> str:
        return f"{context['title']}*{n}<"


class Holder:
    def method(self, value: str) -> str:
        return value + "&"


def _stops() -> str:
    raise StopIteration


def _context(**more: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "T<&>\"'", "text": "<script>alert('x')</script> & \"q\"", "safe": Markup("<b>bold</b>"),
        "number": 3, "nothing": None, "html_object": HtmlObject(), "url": lambda p="": "../" + p,
        "alternates": ["f1<", "f2"],
        "with_context": jinja2.pass_context(lambda c: f"ctx:{c['number']}<"),
        "with_env": jinja2.pass_environment(lambda e: f"env:{e.trim_blocks}"),
        "with_eval": jinja2.pass_eval_context(lambda e: f"autoescape:{e.autoescape}"),
        "callable_object": CallableObject(), "stops": _stops,
        "loop_context": jinja2.pass_context(lambda c: f"[{c.get('x')}]"),
        "method": Holder().method, "builtin": "a;b".split,
    }
    data.update(more)
    return data


def _environments(pages: dict[str, str]) -> tuple[jinja2.Environment, PageEnvironment]:
    options: dict[str, Any] = {"loader": jinja2.DictLoader(pages), "undefined": jinja2.StrictUndefined,
                               "trim_blocks": True, "lstrip_blocks": True,
                               "autoescape": jinja2.select_autoescape(["html"])}
    return jinja2.Environment(**options), PageEnvironment(**options)


def test_a_page_renders_as_with_plain_jinja() -> None:
    plain, fast = _environments(PAGES)
    expected = plain.get_template("page.html").render(_context())
    assert "&lt;script&gt;" in expected and "<b>bold</b>" in expected and "<em>already html</em>" in expected
    assert fast.get_template("page.html").render(_context()) == expected
    assert fast.get_template("page.html").render(_context()) == expected  # and with its import kept


def test_undefined_fails_the_same_way() -> None:
    plain, fast = _environments({"u.html": "{{ missing_name }}", "a.html": "{{ text.nope }}"})
    for name in ("u.html", "a.html"):
        with pytest.raises(jinja2.UndefinedError) as want:
            plain.get_template(name).render(text="x")
        with pytest.raises(jinja2.UndefinedError) as got:
            fast.get_template(name).render(text="x")
        assert str(got.value) == str(want.value)


def test_escape_output_is_markupsafe_escape() -> None:
    from markupsafe import escape

    for value in ["", "plain", "<&>\"'", "é—€", Markup("<b>&amp;</b>"), 0, 3.5, None, True, HtmlObject(),
                  ["<a>"], Markup("")]:
        assert escape_output(value) == escape(value), value


def test_one_module_serves_every_page_that_shows_it_the_same() -> None:
    _, env = _environments(PAGES)
    page = env.get_template("page.html")
    shared_url = _context()["url"]
    page.render(_context(url=shared_url))
    page.render(_context(url=shared_url, text="another page"))
    assert len(env.imported) == 1, "the same url, alternates and root: the same module"
    deeper = _context()["url"]
    assert deeper is not shared_url
    for _ in range(2):
        page.render(_context(url=shared_url, alternates=["f3"]))
        other = page.render(_context(url=deeper))
    assert len(env.imported) == 3, "other feeds or another url: a module of their own"
    assert 'href="../a/"' in other and "f3;" not in other


def test_a_template_that_could_see_everything_is_not_kept() -> None:
    _, env = _environments(PAGES | {"p.html": "{% import '_m_includes.html' as m with context %}{{ m.inner() }}"})
    page = env.get_template("p.html")
    assert page.render(secret="one") == "one"
    assert page.render(secret="two") == "two"
    assert not env.imported


def test_a_value_without_a_hash_is_not_kept() -> None:
    _, env = _environments({"_m.html": "{% macro f() %}{{ d.k }}{% endmacro %}",
                            "p.html": "{% import '_m.html' as m with context %}{{ m.f() }}"})
    page = env.get_template("p.html")
    assert page.render(d={"k": 1}) + page.render(d={"k": 2}) == "12"
    assert not env.imported


def test_kept_modules_are_bounded() -> None:
    _, env = _environments(PAGES)
    page = env.get_template("page.html")
    for i in range(IMPORTED_LIMIT + 5):
        for _ in range(2):
            out = page.render(_context(alternates=[f"feed{i}"]))
            assert f"feed{i};" in out
    assert 0 < len(env.imported) <= IMPORTED_LIMIT


def test_nothing_a_page_made_is_left_for_the_cyclic_collector() -> None:
    _, env = _environments(PAGES)
    page = env.get_template("page.html")
    page.render(_context(alternates=["first"]))  # compiled, its module kept
    gc.collect()
    paused = gc.isenabled()
    gc.disable()
    try:
        for i in range(20):
            page.render(_context(alternates=[f"x{i % 2}"], url=lambda p="": p))  # some kept, most not
        found = gc.collect()
    finally:
        if paused:
            gc.enable()
    assert found == 0, f"{found} objects in reference cycles after 20 pages"


# ---------------------------------------------------------------- the default theme, built with the CLI

CONFIG = """\
site: {title: Test Digest, url: https://digest.test/, description: A test site, language: en, timezone: America/Toronto}
topics:
  - name: Front Page
  - name: Page
per_page: 1
"""


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Two topics whose paths hold ``page/`` (``topics/front-page/``, ``topics/page/``), two pages each."""
    root = tmp_path_factory.mktemp("paged")
    (root / "config.yaml").write_text(CONFIG, encoding="utf-8")
    articles = root / "content" / "articles"
    articles.mkdir(parents=True)
    stories = [(["Front Page"], "front page", "Harbour ferry resumes winter crossings",
                "The ferry between the two islands runs again after the ice cleared from the channel."),
               (["Front Page", "Page"], None, "Library extends its evening hours",
                "Readers can now borrow books until nine on weekdays, the branch manager said."),
               (["Page"], "PAGE", "Orchard growers report an early bloom",
                "Warm weeks in March brought the apple blossoms out nearly a month ahead of usual.")]
    for i, (topics, section, title, body) in enumerate(stories):
        front: dict[str, object] = {"topics": topics, "source": f"Wire {i}", "authors": ["A. Writer"]}
        if section:
            front["section"] = section
        (articles / f"a{i}.md").write_text(article(title, f"2025-06-0{i + 1}T10:00:00-04:00", body, **front),
                                           encoding="utf-8")
    run_digest(root, "build", "--offline", check=True)
    yield root / "site"


def _nav(page: Path) -> dict[str, str]:
    """href → aria-current of the links of the section bar."""
    doc = lxml.html.fromstring(page.read_bytes())
    return {a.get("href"): a.get("aria-current") or "" for a in doc.xpath("//nav[@class='sections']//a")}


@pytest.mark.parametrize("slug", ["front-page", "page"])
def test_the_masthead_marks_a_topic_and_its_later_pages(paged_site: Path, slug: str) -> None:
    first = _nav(paged_site / "topics" / slug / "index.html")
    later = _nav(paged_site / "topics" / slug / "page" / "2" / "index.html")
    assert first[f"../../topics/{slug}/"] == "page", first
    assert later[f"../../../../topics/{slug}/"] == "true", later
    others = [h for h, v in first.items() if v and not h.endswith(f"/{slug}/")]
    assert not others, f"topics/{slug}/ marks {others} as well"


def test_an_article_page_marks_no_topic_and_links_its_section(paged_site: Path) -> None:
    nav = _nav(paged_site / "articles" / "a0" / "index.html")
    assert not any(nav.values()), nav
    doc = lxml.html.fromstring((paged_site / "articles" / "a2" / "index.html").read_bytes())
    assert doc.xpath("//p[@class='kicker']/a/@href") == ["../../topics/page/"]


def _build_with_theme(tmp_path: Path, templates: dict[str, str]) -> Path:
    root = tmp_path / "project"
    (root / "content" / "articles").mkdir(parents=True)
    (root / "config.yaml").write_text(CONFIG, encoding="utf-8")
    (root / "content" / "articles" / "a.md").write_text(
        article("A story", "2025-06-01T10:00:00-04:00", "Body text here.", topics=["Page"]), encoding="utf-8")
    for name, text in templates.items():
        (root / "templates" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "templates" / name).write_text(text, encoding="utf-8")
    run_digest(root, "build", "--offline", check=True)
    return root / "site"


def test_a_page_that_imports_no_macros_still_finds_them(tmp_path: Path) -> None:
    site = _build_with_theme(tmp_path, {"topic.html": (
        '{% extends "base.html" %}{% block main %}'
        '{% if articles %}<p id="when">{{ m.when(articles[0]) }}</p>{% endif %}{% endblock %}')})
    doc = lxml.html.fromstring((site / "topics" / "page" / "index.html").read_bytes())
    assert doc.xpath("string(//p[@id='when']/time)") == "June 1, 2025"


def test_a_page_with_macros_of_its_own_named_m_keeps_the_masthead(tmp_path: Path) -> None:
    site = _build_with_theme(tmp_path, {"_mine.html": "{% macro hello() %}hi{% endmacro %}", "topic.html": (
        '{% extends "base.html" %}{% import "_mine.html" as m %}'
        '{% block main %}<p id="mine">{{ m.hello() }}</p>{% endblock %}')})
    doc = lxml.html.fromstring((site / "topics" / "page" / "index.html").read_bytes())
    assert doc.xpath("string(//p[@id='mine'])") == "hi"
    assert doc.xpath("//p[@class='brand__title']/a/@href") == ["../../"]
