"""The default theme in a real browser (Debian's Chromium through Playwright; never ``playwright install``).

At a 375 px phone viewport no page scrolls sideways (long words, URLs and tables wrap or scroll inside
their own box); axe-core finds no serious or critical violation in light or dark mode; and the browser
never requests anything from a host other than the local test server.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest_theme import REPO, axe_script, build_example, build_project, missing_tool, serve

pytestmark = pytest.mark.browser

SCHEMES = ("light", "dark")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    site = build_example(tmp_path_factory.mktemp("browser-example"))
    with serve(site) as base:
        yield base, site


def _edge_project(root: Path) -> Path:
    # Reuse the stress-test article of test_theme (wide table, long words and URLs, footnotes).
    try:
        from test_theme import EDGE_CONFIG, EDGE_FEATURE, _filler
    except ImportError:
        from tests.test_theme import EDGE_CONFIG, EDGE_FEATURE, _filler  # type: ignore[no-redef]
    (root / "config.yaml").write_text(EDGE_CONFIG, encoding="utf-8")
    articles = root / "content" / "articles"
    articles.mkdir(parents=True)
    (articles / "edge-feature.md").write_text(EDGE_FEATURE, encoding="utf-8")
    for n in range(1, 10):
        (articles / f"filler-{n}.md").write_text(_filler(n), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def served_edge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    site = build_project(_edge_project(tmp_path_factory.mktemp("browser-edge")))
    with serve(site) as base:
        yield base, site


def _article_with_table(site: Path) -> str:
    for page in sorted((site / "articles").glob("*/index.html")):
        if b"<table" in page.read_bytes():
            return page.parent.relative_to(site).as_posix() + "/"
    pytest.fail("the example project has no article with a table (the phone-width test needs one)")


def _topic_page(site: Path) -> str:
    pages = sorted((site / "topics").glob("*/index.html"), key=lambda p: -p.stat().st_size)
    assert pages, "no topic pages"
    return pages[0].parent.relative_to(site).as_posix() + "/"


def _sample_paths(site: Path) -> list[str]:
    paths = ["", _article_with_table(site), _topic_page(site), "topics/", "people/", "archive/", "404.html",
             "search/?q=tariffs"]
    for kind in ("people", "tags", "archive"):
        found = sorted(p for p in (site / kind).rglob("index.html") if p.parent != site / kind)
        if found:
            paths.append(found[0].parent.relative_to(site).as_posix() + "/")
    return paths


class _Visit:
    """A page context that records every request and fails on any that leaves 127.0.0.1."""

    def __init__(self, browser: object, base: str, scheme: str, width: int = 375, height: int = 812) -> None:
        self.context = browser.new_context(  # type: ignore[attr-defined]
            viewport={"width": width, "height": height}, color_scheme=scheme, java_script_enabled=True)
        self.page = self.context.new_page()
        self.base = base
        self.foreign: list[str] = []
        self.failed: list[str] = []
        self.page.on("request", self._on_request)
        self.page.on("requestfailed", lambda r: self.failed.append(r.url))

    def _on_request(self, request: object) -> None:
        url = request.url  # type: ignore[attr-defined]
        parts = urlsplit(url)
        if parts.scheme in ("data", "about", "blob"):
            return
        if parts.hostname != "127.0.0.1":
            self.foreign.append(url)

    def goto(self, path: str) -> None:
        response = self.page.goto(self.base + path, wait_until="load")
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
        self.page.emulate_media(color_scheme=(self.page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
                                and "dark") or "light")

    def close(self) -> None:
        self.context.close()


def _no_horizontal_scroll(visit: _Visit, path: str) -> list[str]:
    visit.goto(path)
    width = visit.page.evaluate("document.documentElement.scrollWidth")
    if width <= 375:
        return []
    culprits = visit.page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > 376)
        .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + e.className)""")
    return [f"{path or 'index'}: scrollWidth {width} > 375 (widest: {culprits})"]


def test_phone_width_has_no_horizontal_scroll(browser: object, served: tuple[str, Path]) -> None:
    base, site = served
    visit = _Visit(browser, base, "light")
    try:
        problems = [p for path in _sample_paths(site) for p in _no_horizontal_scroll(visit, path)]
    finally:
        visit.close()
    assert not problems, "\n".join(problems)
    assert not visit.foreign, f"requests to other hosts: {visit.foreign}"


def test_phone_width_stress_article(browser: object, served_edge: tuple[str, Path]) -> None:
    base, _site = served_edge
    visit = _Visit(browser, base, "dark")
    try:
        problems = [p for path in ("", "articles/edge-feature/", "topics/trade-war/", "page/2/")
                    for p in _no_horizontal_scroll(visit, path)]
        # the wide table scrolls inside its own box rather than being clipped or squashed
        visit.goto("articles/edge-feature/")
        scroll = visit.page.evaluate("""() => {
            const t = document.querySelector('main table');
            const box = t.closest('.table-wrap') || t;
            return {overflowX: getComputedStyle(box).overflowX, right: box.getBoundingClientRect().right};
        }""")
    finally:
        visit.close()
    assert not problems, "\n".join(problems)
    assert scroll["overflowX"] in ("auto", "scroll"), scroll
    assert scroll["right"] <= 375, scroll
    assert not visit.foreign, f"requests to other hosts: {visit.foreign}"


def _axe(visit: _Visit, script: str, path: str) -> list[str]:
    visit.goto(path)
    visit.page.add_script_tag(content=script)
    result = visit.page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n =>
                n.target.join(' ') + ' ' + (n.failureSummary || '').split('\\n').slice(1, 2).join(''))}));
    }""")
    return [f"{path or 'index'}: [{v['impact']}] {v['id']}: {v['help']} — {v['nodes']}"
            for v in result if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", [375, 1280])
def test_axe_finds_no_serious_violations(browser: object, served: tuple[str, Path], served_edge: tuple[str, Path],
                                         scheme: str, width: int) -> None:
    script_path = axe_script()
    if script_path is None:
        missing_tool("axe-core not found (npm install --ignore-scripts --prefix .cache/npm axe-core)")
    script = script_path.read_text(encoding="utf-8")
    problems: list[str] = []
    foreign: list[str] = []
    for (base, site), paths in ((served, None), (served_edge, ["", "articles/edge-feature/", "page/2/"])):
        visit = _Visit(browser, base, scheme, width=width)
        try:
            dark = None
            for path in paths or _sample_paths(site):
                problems += _axe(visit, script, path)
                dark = visit.page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
            assert dark == (scheme == "dark"), f"colour scheme emulation failed: dark={dark}"
        finally:
            visit.close()
        foreign += visit.foreign
    assert not problems, "\n".join(problems)
    assert not foreign, f"requests to other hosts: {foreign}"


def test_home_lead_story_leaves_no_blank_column(browser: object, served: tuple[str, Path]) -> None:
    """At 1280 px the lead story spans two columns beside the next story; its cell ends with its text (it
    used to span two rows beside two stories, leaving ~260 px blank under it)."""
    base, _site = served
    visit = _Visit(browser, base, "light", width=1280)
    try:
        visit.goto("")
        gap = visit.page.evaluate("""() => {
            const lead = document.querySelector('.card--lead');
            const padding = parseFloat(getComputedStyle(lead).paddingBottom);
            return lead.getBoundingClientRect().bottom - lead.lastElementChild.getBoundingClientRect().bottom - padding;
        }""")
    finally:
        visit.close()
    assert gap < 40, f"{gap:.0f} px blank under the lead story"


def test_dark_mode_changes_the_palette(browser: object, served: tuple[str, Path]) -> None:
    base, _site = served
    colours = {}
    for scheme in SCHEMES:
        visit = _Visit(browser, base, scheme, width=1280)
        try:
            visit.goto("")
            colours[scheme] = visit.page.evaluate(
                "[getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]")
        finally:
            visit.close()
    assert colours["light"] != colours["dark"], colours


def test_skip_link_is_first_and_visible_on_focus(browser: object, served: tuple[str, Path]) -> None:
    base, _site = served
    visit = _Visit(browser, base, "light", width=1280)
    try:
        visit.goto("")
        visit.page.keyboard.press("Tab")
        focused = visit.page.evaluate("""() => { const a = document.activeElement; const r = a.getBoundingClientRect();
            return {href: a.getAttribute('href'), top: r.top, height: r.height,
                    outline: getComputedStyle(a).outlineStyle}; }""")
        assert focused["href"] == "#main"
        assert focused["top"] >= 0 and focused["height"] > 0, f"skip link not visible when focused: {focused}"
        visit.page.keyboard.press("Enter")
        assert visit.page.evaluate("document.activeElement.id") == "main" or visit.page.url.endswith("#main")
        visit.page.keyboard.press("Tab")
        outline = visit.page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline not in ("none", ""), "focused links have a visible outline"
    finally:
        visit.close()
    assert REPO.is_dir()
