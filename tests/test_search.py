"""Static full-text search: Pagefind indexes the article pages after the write step, only when they changed,
with the same bytes every time; the search page finds an article by a word of its body in headless
Chromium, from a sub-path, with no request leaving the site; ``search: false`` turns it all off."""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import lxml.html
import pytest
from conftest import BASE_CONFIG, FIXED_CLOCK, article, run_digest
from conftest_theme import axe_script, missing_tool, serve

from generator.build import Builder, BuildOptions
from generator.config import load_config

ARTICLES = {
    "content/articles/ramp.md": article(
        "Crane sets the ferry ramp", "2025-06-05T10:00:00-04:00",
        "The harbour crane lowered the new ramp onto its hinges. Welders from Tarrant Fabrication worked "
        "through the night on the counterweight.", source="Harbour Herald", topics=["Sports"]),
    "content/articles/council.md": article(
        "Council debates steel tariffs", "2025-06-04T10:00:00-04:00",
        "Councillors argued over tariffs and the trade war. The bakery on Quay Street closed early.",
        source="Town Crier"),
}


def _bundle(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((site / "pagefind").rglob("*")) if p.is_file()}


def test_index_is_built_once_per_change_and_deterministic(tmp_project) -> None:
    root = tmp_project(ARTICLES)
    first = run_digest(root, "build", "--offline", "-v", check=True, env=FIXED_CLOCK)
    assert re.search(r"search: indexed in \d+ ms, site/pagefind/ holds \d+ files, \d+ KB", first.stdout)
    assert re.search(r"timings: .*, search \d+ ms", first.stdout)
    site = root / "site"
    bundle = _bundle(site)
    assert "pagefind/pagefind-entry.json" in bundle and "pagefind/pagefind.js" in bundle
    assert not any("-ui." in name for name in bundle)  # Pagefind's own UIs are not published
    mtimes = {p: (site / p).stat().st_mtime_ns for p in bundle}

    again = run_digest(root, "build", "--offline", "-v", check=True, env=FIXED_CLOCK)
    assert "search: indexed" not in again.stdout and "(0 files written, 0 removed)" in again.stdout
    assert {p: (site / p).stat().st_mtime_ns for p in bundle} == mtimes  # not even rewritten

    # the same site indexed from scratch: the same bytes (Pagefind's filter order is made stable)
    for _ in range(2):
        shutil.rmtree(site / "pagefind")
        run_digest(root, "build", "--offline", check=True, env=FIXED_CLOCK)
        assert _bundle(site) == bundle
    shutil.rmtree(root / "site")
    shutil.rmtree(root / ".digest")
    run_digest(root, "build", "--offline", check=True, env=FIXED_CLOCK)
    assert _bundle(site) == bundle

    # an edited article is indexed again; stale index files go
    (root / "content/articles/ramp.md").write_text(ARTICLES["content/articles/ramp.md"].replace(
        "counterweight", "gangway"), encoding="utf-8")
    edited = run_digest(root, "build", "--offline", "-v", check=True, env=FIXED_CLOCK)
    assert "search: indexed" in edited.stdout
    now = _bundle(site)
    assert now != bundle and set(now) == {p for p in now if (site / p).is_file()}
    assert len([p for p in now if p.endswith(".pf_meta")]) == 1


def test_search_false_turns_it_off(tmp_project) -> None:
    root = tmp_project(ARTICLES)
    run_digest(root, "build", "--offline", check=True, env=FIXED_CLOCK)
    assert (root / "site/pagefind").is_dir() and (root / "site/search/index.html").is_file()
    home = lxml.html.parse(str(root / "site/index.html")).getroot()
    box = home.xpath("//form[@role='search']")[0]
    assert box.get("action") == "search/" and box.xpath(".//label[@for='site-search-q']/text()") == ["Search articles"]

    (root / "config.yaml").write_text(BASE_CONFIG + "search: false\n", encoding="utf-8")
    built = run_digest(root, "build", "--offline", "-v", check=True, env=FIXED_CLOCK)
    assert "search" not in built.stdout.split("timings:")[1]
    assert not (root / "site/pagefind").exists() and not (root / "site/search").exists()
    for page in (root / "site").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "site-search" not in text and "data-pagefind" not in text, page


def test_a_site_with_nothing_published_builds_without_an_index(tmp_project) -> None:
    root = tmp_project({"content/articles/d.md": article("Draft", "2025-06-05T10:00:00Z", "Text.", draft=True)})
    built = run_digest(root, "build", "--offline", env=FIXED_CLOCK)
    assert built.returncode == 0, built.stderr  # Pagefind refuses an empty site: nothing to index, no error
    assert not (root / "site/pagefind").exists() and (root / "site/search/index.html").is_file()
    (root / "content/articles/a.md").write_text(ARTICLES["content/articles/ramp.md"], encoding="utf-8")
    run_digest(root, "build", "--offline", check=True, env=FIXED_CLOCK)
    assert (root / "site/pagefind/pagefind-entry.json").is_file()
    (root / "content/articles/a.md").unlink()
    run_digest(root, "build", "--offline", check=True, env=FIXED_CLOCK)
    assert not (root / "site/pagefind").exists()  # the last article went: so did its index


def test_serve_defers_the_index_until_edits_pause(tmp_project) -> None:
    root = tmp_project(ARTICLES)
    config = load_config(root / "config.yaml")
    builder = Builder(config, BuildOptions(defer_search=True))
    report = builder.build()
    assert report.search is not None and report.search.pending and not report.search.ran
    assert not (root / "site/pagefind").exists()
    outcome = builder.refresh_search()
    assert outcome is not None and outcome.ran and (root / "site/pagefind/pagefind-entry.json").is_file()
    report = builder.build()  # nothing changed: nothing pending
    assert report.search is not None and not report.search.pending and not report.search.ran


# ---------------------------------------------------------------- in the browser

@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The example site, built, served under a sub-path (/news/) as it would be on a shared host."""
    from conftest import REPO

    root = tmp_path_factory.mktemp("search")
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "config.yaml", root / "config.yaml")
    run_digest(root, "build", "--offline", check=True, env=FIXED_CLOCK)
    host = tmp_path_factory.mktemp("host")
    shutil.copytree(root / "site", host / "news")
    with serve(host) as base:
        yield base + "news/", host / "news"


class _Page:
    def __init__(self, browser: object, scheme: str = "light", width: int = 1280) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": 900},  # type: ignore[attr-defined]
                                           color_scheme=scheme)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))

    def off_host(self) -> list[str]:
        return [u for u in self.requests if urlsplit(u).scheme not in ("data", "blob", "about")
                and urlsplit(u).hostname != "127.0.0.1"]

    def results(self) -> list[str]:
        self.page.wait_for_function("document.getElementById('search-status').textContent.includes('found')")
        return self.page.eval_on_selector_all("#search-results h2 a", "els => els.map(e => e.getAttribute('href'))")


def test_a_body_word_finds_its_article(browser: object, served: tuple[str, Path]) -> None:
    base, site = served
    word = "Dufferin"  # in the body of one article only (not its title or summary)
    holders = [p for p in site.glob("articles/*/index.html") if word in p.read_text(encoding="utf-8")]
    assert len(holders) == 1, holders
    slug = holders[0].parent.name
    visit = _Page(browser)
    try:
        # the masthead box of an article page, three levels down, submits to the search page
        visit.page.goto(base + f"articles/{slug}/")
        visit.page.fill("#site-search-q", word.lower())
        visit.page.click(".site-search__button")
        assert visit.results() == [f"/news/articles/{slug}/"]
        assert visit.page.url == base + f"search/?q={word.lower()}"
        visit.page.click("#search-results h2 a")
        visit.page.wait_for_url(base + f"articles/{slug}/")

        # filters by topic and outlet narrow a common word
        visit.page.goto(base + "search/?q=tariffs")
        every = visit.results()
        assert len(every) > 5
        topics = visit.page.eval_on_selector_all("#search-topic option", "els => els.map(e => e.value)")
        assert "Trade War" in topics and "Wildfires" in topics
        visit.page.goto(base + "search/?q=tariffs&outlet=" + quote("The Canadian Press") + "&topic=" + quote(
            "Steel and Aluminum"))
        narrowed = visit.results()
        assert 0 < len(narrowed) < len(every)
        for href in narrowed:
            doc = lxml.html.parse(str(site / href.removeprefix("/news/") / "index.html")).getroot()
            assert doc.xpath("//article//data[@data-pagefind-filter='outlet[value]']/@value") == ["The Canadian Press"]
            assert "Steel and Aluminum" in doc.xpath("//article//data[@data-pagefind-filter='topic[value]']/@value")
        assert visit.page.input_value("#search-outlet") == "The Canadian Press"
    finally:
        visit.context.close()
    assert visit.requests and not visit.off_host(), visit.off_host()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_page_is_accessible_on_a_phone(browser: object, served: tuple[str, Path], scheme: str) -> None:
    script = axe_script()
    if script is None:
        missing_tool("axe-core not found (npm install --ignore-scripts --prefix .cache/npm axe-core)")
    base, _site = served
    visit = _Page(browser, scheme, width=375)
    try:
        visit.page.goto(base + "search/?q=wildfire")
        assert visit.results()
        assert visit.page.evaluate("document.documentElement.scrollWidth") <= 375
        assert visit.page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
        visit.page.add_script_tag(content=script.read_text(encoding="utf-8"))
        violations = visit.page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
            .violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))""")
        assert not violations, violations
    finally:
        visit.context.close()
    assert not visit.off_host(), visit.off_host()


# ---------------------------------------------------------------- a site indexed in parts

PARTS_CONFIG = BASE_CONFIG + "search_index_pages: 100\n"


def _word(i: int) -> str:
    """A made-up word only article ``i`` holds (letters only: Pagefind splits words at digits)."""
    letters = ""
    for _ in range(4):
        i, r = divmod(i, 26)
        letters += "abcdefghijklmnopqrstuvwxyz"[r]
    return f"zelk{letters}"


def _parts_project(root: Path, n: int = 250) -> Path:
    """``n`` short articles with no word in common but the site's own (so that none is a version of another)."""
    (root / "content" / "articles").mkdir(parents=True)
    (root / "config.yaml").write_text(PARTS_CONFIG, encoding="utf-8")
    for i in range(n):
        words = " ".join(_word(1000 + 8 * i + k) for k in range(8))
        (root / "content" / "articles" / f"notice-{i:03d}.md").write_text(article(
            f"Notice {_word(5000 + i)} {_word(9000 + i)}", f"2025-05-{1 + i % 28:02d}T09:00:00-04:00",
            f"Reference {_word(i)}: {words}.", source="Harbour Herald" if i % 2 else "Town Crier",
            topics=["Sports"] if i % 3 == 0 else []), encoding="utf-8")
    return root


def _parts(site: Path) -> list[str]:
    import json

    return json.loads((site / "pagefind" / "parts.json").read_text(encoding="utf-8"))["parts"]


def test_a_large_site_is_indexed_in_parts_and_a_change_remakes_one(tmp_path: Path) -> None:
    from generator.build.search import part_of

    root = _parts_project(tmp_path / "parts")
    first = run_digest(root, "build", "--offline", "-v", check=True, env=FIXED_CLOCK)
    assert "(4 of its 4 parts made)" in first.stdout  # 250 pages, at most 100 a part on average: 4 parts
    site = root / "site"
    assert _parts(site) == ["part-1/", "part-2/", "part-3/"]
    for folder in ["pagefind", *(f"pagefind/{p}" for p in _parts(site))]:
        assert (site / folder / "pagefind-entry.json").is_file()
        assert not any((site / folder).glob("pagefind-ui.*"))
    bundle = _bundle(site)

    # one article's text changes: only its part is indexed again; the other parts are not even rewritten
    slug = "notice-007"
    part = part_of(f"articles/{slug}/index.html", 4)
    path = root / "content" / "articles" / f"{slug}.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nA correction: the dredging starts a week later.\n",
                    encoding="utf-8")
    mtimes = {p: (site / p).stat().st_mtime_ns for p in bundle}
    again = run_digest(root, "build", "--offline", "-v", check=True, env=FIXED_CLOCK)
    assert "(1 of its 4 parts made)" in again.stdout
    folder = "pagefind/" if part == 0 else f"pagefind/part-{part}/"
    changed = {p for p in bundle if (site / p).exists() and (site / p).stat().st_mtime_ns != mtimes[p]}
    changed |= set(_bundle(site)) ^ set(bundle)
    assert changed and all(p.startswith(folder) and (part != 0 or not p.startswith("pagefind/part-"))
                           for p in changed), changed

    # the same pages indexed from scratch give the same bytes
    edited = _bundle(site)
    shutil.rmtree(site / "pagefind")
    run_digest(root, "build", "--offline", check=True, env=FIXED_CLOCK)
    assert _bundle(site) == edited


def test_a_part_that_empties_remakes_the_listing_too(tmp_path: Path) -> None:
    from generator.build.search import part_count, stale_parts

    assert [part_count(n, 100) for n in (1, 100, 101, 200, 201, 401, 10_000)] == [1, 1, 2, 2, 4, 8, 128]
    assert stale_parts("a b c d", "a b c d", tmp_path) == [0, 1, 2, 3]  # no bundle on disk yet
    for part in range(4):
        entry = tmp_path / ("pagefind" if part == 0 else f"pagefind/part-{part}") / "pagefind-entry.json"
        entry.parent.mkdir(parents=True, exist_ok=True)
        entry.write_text("{}", encoding="utf-8")
    assert stale_parts("a b c d", "a b c d", tmp_path) == []
    assert stale_parts("a B c d", "a b c d", tmp_path) == [1]  # only the part that changed
    assert stale_parts("a - c d", "a b c d", tmp_path) == [0, 1]  # and the first, whose listing changes
    assert stale_parts("a b c d e f g h", "a b c d", tmp_path) == list(range(8))  # every page moves


def test_fewer_pages_make_fewer_parts_and_the_others_go(tmp_path: Path) -> None:
    root = _parts_project(tmp_path / "shrink", n=250)
    run_digest(root, "build", "--offline", check=True, env=FIXED_CLOCK)
    assert len(_parts(root / "site")) == 3
    for path in sorted((root / "content" / "articles").glob("*.md"))[150:]:
        path.unlink()  # 150 left: two parts
    shrunk = run_digest(root, "build", "--offline", "-v", check=True, env=FIXED_CLOCK)
    assert "(2 of its 2 parts made)" in shrunk.stdout
    assert _parts(root / "site") == ["part-1/"]
    assert sorted(p.name for p in (root / "site" / "pagefind").glob("part-*")) == ["part-1"]


@pytest.fixture(scope="module")
def served_parts(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = _parts_project(tmp_path_factory.mktemp("parts"))
    run_digest(root, "build", "--offline", check=True, env=FIXED_CLOCK)
    host = tmp_path_factory.mktemp("parts-host")
    shutil.copytree(root / "site", host / "news")
    with serve(host) as base:
        yield base + "news/", host / "news"


def test_the_search_page_finds_articles_in_every_part(browser: object, served_parts: tuple[str, Path]) -> None:
    from generator.build.search import part_of

    base, _site = served_parts
    by_part: dict[int, int] = {}
    for i in range(250):
        by_part.setdefault(part_of(f"articles/notice-{i:03d}/index.html", 4), i)
    assert sorted(by_part) == [0, 1, 2, 3]
    visit = _Page(browser)
    try:
        for i in by_part.values():
            visit.page.goto(base + f"search/?q={_word(i)}")
            assert visit.results() == [f"/news/articles/notice-{i:03d}/"], i
        # filters count over every part: the topic filter narrows a word all articles hold
        visit.page.goto(base + "search/?q=reference&topic=Sports")
        visit.page.wait_for_function("document.getElementById('search-status').textContent.includes('found')")
        assert visit.page.inner_text("#search-status").startswith("84 articles found")  # i % 3 == 0 of 250
    finally:
        visit.context.close()
    assert not visit.off_host(), visit.off_host()
