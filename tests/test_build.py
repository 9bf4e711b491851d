"""End to end: the real CLI on real files, then the generated HTML and feeds parsed and checked."""

from __future__ import annotations

import filecmp
import os
import re
import shutil
import stat
from pathlib import Path

import feedparser
from conftest import FIXED_CLOCK, REPO, article, run_digest

TRADE = "Tariffs again. The trade war widened as tariff rates rose."


def build(root: Path, *args: str) -> str:
    result = run_digest(root, "build", "--offline", *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def site_files(root: Path) -> dict[str, bytes]:
    site = root / "site"
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_build_writes_the_whole_layout(tmp_project) -> None:
    root = tmp_project({
        "content/articles/a.md": article("Tariff fight grows", "2025-06-05T04:00:00-04:00", TRADE,
                                         tags=["Ontario"], people=["Doug Ford"]),
        "content/articles/b.md": article("Leafs win", "2025-06-06", "A hockey game.", topics=["Sports"]),
        "content/articles/c.md": article("Quiet day", "2025-05-01T10:00:00Z", "Nothing happened."),
    })
    out = build(root)
    assert re.match(r"Built 3 articles, 2 topics, \d+ feeds in [\d.]+ s", out)
    files = site_files(root)
    for rel in ["index.html", "page/2/index.html", "articles/a/index.html",
                "topics/trade-war/index.html", "topics/trade-war/feed.xml", "topics/trade-war/atom.xml",
                "topics/sports/index.html", "tags/ontario/index.html", "tags/ontario/feed.xml",
                "people/doug-ford/index.html", "archive/2025/06/index.html", "archive/2025/05/index.html",
                "feed.xml", "atom.xml", "sitemap.xml", "robots.txt", "404.html", "topics/index.html"]:
        assert rel in files, rel
    # without a `slug` key the file stem is the slug, so editing a title never breaks links
    trade = files["topics/trade-war/index.html"].decode()
    assert "Tariff fight grows" in trade and "Leafs win" not in trade and "Quiet day" not in trade
    assert "Leafs win" in files["topics/sports/index.html"].decode()
    assert not any(".digest-tmp-" in rel for rel in files)
    # site/ gets the mode any new folder gets (not a staging folder's 0700): a web server can read it
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE((root / "site").stat().st_mode) == 0o777 & ~umask


def test_front_matter_topics_are_the_truth(tmp_project) -> None:
    root = tmp_project({
        "content/articles/a.md": article("Tariff tariff", "2025-06-05", TRADE, topics=[]),
        "content/articles/b.md": article("Calm", "2025-06-04", "No trade words.", topics=["Trade War", "Curling"]),
    })
    build(root)
    page = (root / "site/topics/trade-war/index.html").read_text()
    assert "Calm" in page and "Tariff tariff" not in page
    # a topic named in front matter but absent from config still gets its page
    assert "Calm" in (root / "site/topics/curling/index.html").read_text()


def test_feeds_are_valid_absolute_and_deterministic(tmp_project) -> None:
    files = {f"content/articles/a{i:02d}.md": article(
        f"Tariff story {i}", f"2025-06-{i + 1:02d}T09:00:00-04:00",
        f"{TRADE}\n\n![chart](chart.png) and [a link](../other/) number {i}", slug=f"story-{i}",
        story="none")  # one text twelve times: kept apart, or they would be one story (one topic-feed entry)
        for i in range(12)}
    root = tmp_project(files, config="""\
site: {title: T, url: https://digest.test/sub/, language: en-CA}
topics: [{name: Trade War, match: {any: [tariff*], min_hits: 2}}]
feed: {items: 5}
""")
    build(root)
    rss = feedparser.parse((root / "site/feed.xml").read_bytes())
    atom = feedparser.parse((root / "site/topics/trade-war/atom.xml").read_bytes())
    for feed in (rss, atom):
        assert feed.bozo == 0, feed.get("bozo_exception")
        assert len(feed.entries) == 5
        assert feed.entries[0].link == "https://digest.test/sub/articles/story-11/"
    assert rss.version == "rss20" and atom.version == "atom10"
    raw = (root / "site/feed.xml").read_text()
    assert "<lastBuildDate>Thu, 12 Jun 2025 09:00:00 -0400</lastBuildDate>" in raw
    assert 'isPermaLink="true">https://digest.test/sub/articles/story-11/</guid>' in raw
    content = atom.entries[0].content[0].value
    assert 'src="https://digest.test/sub/articles/story-11/chart.png"' in content
    assert 'href="https://digest.test/sub/articles/other/"' in content
    assert not re.search(r'(href|src)="(?!https?://|mailto:)', content)
    assert 'xml:lang="en-CA"' in (root / "site/atom.xml").read_text()


def test_autodiscovery_and_relative_links_on_every_page(example_site: Path) -> None:
    site = example_site / "site"
    pages = [p for p in site.rglob("*.html") if p.name not in ("404.html", "email.html")]  # email: absolute links
    assert len(pages) > 30
    for page in pages:
        html = page.read_text()
        assert 'rel="alternate" type="application/rss+xml"' in html, page
        assert 'rel="alternate" type="application/atom+xml"' in html, page
        for href in re.findall(r'href="([^"]+)"', html):
            if href.startswith(("http://", "https://", "mailto:", "#")):
                continue
            target = (page.parent / href.split("#")[0]).resolve()
            if target.is_dir():
                target /= "index.html"
            assert target.exists(), f"{page.relative_to(site)} links to missing {href}"


def test_output_is_byte_for_byte_deterministic(tmp_path: Path, example_site: Path) -> None:
    other = tmp_path / "again"
    shutil.copytree(example_site / "content", other / "content")
    shutil.copy(example_site / "config.yaml", other / "config.yaml")
    result = run_digest(other, "build", "--offline", env=FIXED_CLOCK)
    assert result.returncode == 0, result.stderr
    cmp = filecmp.dircmp(example_site / "site", other / "site")

    def same(c: filecmp.dircmp[str]) -> bool:
        _, mismatch, errors = filecmp.cmpfiles(c.left, c.right, c.common_files, shallow=False)
        return not (c.left_only or c.right_only or mismatch or errors) and all(
            same(sub) for sub in c.subdirs.values())

    assert same(cmp)


def test_builds_with_feeds_are_deterministic(tmp_path: Path) -> None:
    """The example follows a local feed, read on every build: a later build at another wall-clock time,
    with the feed state changed by the first, gives the same bytes (no fetch times on any page)."""
    root = tmp_path / "feeds"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copy(REPO / "config.yaml", root / "config.yaml")
    assert run_digest(root, "build", "--offline", env=FIXED_CLOCK).returncode == 0
    first = site_files(root)
    later = {"SOURCE_DATE_EPOCH": str(int(FIXED_CLOCK["SOURCE_DATE_EPOCH"]) + 86_400 * 40)}
    result = run_digest(root, "build", "--offline", env=later)
    assert result.returncode == 0, result.stderr
    assert site_files(root) == first
    assert "0 files written" in result.stdout
    sources = (root / "site/sources/index.html").read_text(encoding="utf-8")
    assert "Stories" in sources and "Newest story" in sources
    # a `path:` feed is a file on the editor's machine: the page says so without publishing the path
    assert "maple-wire.xml" not in sources and "content/feeds" not in sources and "local file" in sources


def test_broken_front_matter_keeps_last_good_output(tmp_project) -> None:
    good = article("Good one", "2025-06-05", "Fine.")
    root = tmp_project({"content/articles/good.md": good,
                        "content/articles/other.md": article("Other", "2025-06-01", "Also fine.")})
    build(root)
    page = root / "site/articles/good/index.html"
    assert "Fine." in page.read_text()
    (root / "content/articles/good.md").write_text("---\ntitle: Good one\ndate: [2025\n---\nNew text.\n")
    (root / "content/articles/new.md").write_text("---\ntitle: New: broken: yes\ndate: 2025-06-02\n---\nx\n")
    result = run_digest(root, "build", "--offline")
    assert result.returncode == 1
    assert "content/articles/good.md:3: invalid front matter" in result.stderr
    assert "content/articles/new.md:2: invalid front matter" in result.stderr
    assert "Fine." in page.read_text()  # last good output kept
    assert (root / "site/articles/other/index.html").exists()  # the rest still builds
    assert not (root / "site/articles/new").exists()  # never good: left out


def test_render_error_writes_nothing(tmp_project) -> None:
    root = tmp_project({"content/articles/a.md": article("A", "2025-06-05", "Text.")})
    build(root)
    before = site_files(root)
    (root / "content/articles/b.md").write_text(article("B", "2025-06-06", "More."))
    (root / "templates").mkdir()
    (root / "templates/article.html").write_text('{% extends "base.html" %}\n{% block main %}\n'
                                                 "{{ article.no_such_field }}\n{% endblock %}\n")
    result = run_digest(root, "build", "--offline")
    assert result.returncode == 1
    assert re.search(r"templates/article.html:3: undefined in template", result.stderr), result.stderr
    assert site_files(root) == before
    # a cold build that fails leaves neither site/ nor its staging folder; one that succeeds, no staging folder
    shutil.rmtree(root / "site")
    assert run_digest(root, "build", "--offline").returncode == 1
    assert not (root / "site").exists() and not list(root.glob(".site*"))
    (root / "templates/article.html").unlink()
    build(root)
    assert (root / "site/articles/b/index.html").is_file() and not list(root.glob(".site*"))


def test_template_override_by_file(tmp_project) -> None:
    root = tmp_project({"content/articles/a.md": article("A", "2025-06-05", "Text.")})
    (root / "templates").mkdir()
    (root / "templates/robots.txt").write_text("User-agent: *\nDisallow: /private/\n")
    build(root)
    assert "Disallow: /private/" in (root / "site/robots.txt").read_text()
    assert (root / "site/index.html").exists()  # the rest comes from the default theme


def test_raw_html_only_in_hand_written_articles(tmp_project) -> None:
    root = tmp_project({
        "content/articles/hand.md": article("Hand", "2025-06-05", '<aside class="note">Editor note</aside>'),
        "content/articles/fed.md": article("Fed", "2025-06-04", '<script>alert(1)</script> <b onclick="x()">b</b>',
                                           origin={"feed": "X", "guid": "1"}),
    })
    build(root)
    assert '<aside class="note">Editor note</aside>' in (root / "site/articles/hand/index.html").read_text()
    fed = (root / "site/articles/fed/index.html").read_text()
    assert "<script>alert(1)</script>" not in fed and "&lt;script&gt;" in fed
    assert "onclick" not in fed.replace("&lt;b onclick", "")


def test_hostile_slugs_stay_inside_site(tmp_project) -> None:
    root = tmp_project({"content/articles/x.md": article("X", "2025-06-05", "Text.", slug="../../escape",
                                                         tags=["../../etc"], people=["../ Evil Person"])})
    build(root)
    assert not (root / "escape").exists() and not (root.parent / "escape").exists()
    assert (root / "site/articles/escape/index.html").exists()


def test_stale_outputs_removed_and_temp_files_swept(tmp_project) -> None:
    root = tmp_project({"content/articles/a.md": article("A", "2025-06-05", "Text.", tags=["gone"]),
                        "content/articles/b.md": article("B", "2025-06-06", "Text.")})
    build(root)
    assert (root / "site/tags/gone/index.html").exists()
    (root / "content/articles/a.md").unlink()
    (root / "site/articles/b/.digest-tmp-crash").write_text("partial")
    build(root)
    assert not (root / "site/tags/gone").exists()
    assert not (root / "site/articles/a").exists()
    assert not (root / "site/articles/b/.digest-tmp-crash").exists()


def test_warm_and_incremental_builds_match_a_cold_build(tmp_project, tmp_path: Path) -> None:
    files = {f"content/articles/a{i}.md": article(
        f"Story {i}", f"2025-0{1 + i % 5}-1{i % 9}T10:00:00Z", "Tariffs and a trade war." if i % 2 else "Calm.",
        topics=["Trade War"] if i % 3 == 0 else ["Sports"], tags=[f"t{i % 4}"], people=["Anne Example"])
        for i in range(14)}
    root = tmp_project(files)
    build(root)
    assert "0 files written" in build(root)  # warm: nothing re-written

    arts = root / "content/articles"
    (arts / "a3.md").write_text(article("Story 3 renamed", "2024-12-31T23:30:00Z", "Moved.", topics=["Sports"]))
    (arts / "a4.md").unlink()
    (arts / "a5.md").write_text(article("Story 5", "2025-03-13T10:00:00Z", "Now trade.", topics=["Trade War"],
                                        tags=["brand-new"]))
    build(root)

    cold = tmp_path / "cold"
    shutil.copytree(root / "content", cold / "content")
    shutil.copy(root / "config.yaml", cold / "config.yaml")
    build(cold)
    assert site_files(root) == site_files(cold)


def test_a_new_process_takes_up_the_stored_story_memo_and_matches_a_cold_build(tmp_project, tmp_path: Path) -> None:
    """The story clustering's state is kept in the render cache: the next process starts from it (a no-change
    build re-clusters nothing), and an edit that moves an article between stories still equals a cold build."""
    from generator.build import Builder
    from generator.config import load_config

    lead = ("Harbour workers walked off the job on Monday after talks over a new contract collapsed late on "
            "Sunday, leaving ferries idle and freight stacked on the piers of Port Alder.")
    files = {f"content/articles/{name}.md": article(title, f"2025-06-0{day}T10:00:00Z", f"{lead}\n\n{extra}",
                                                   source=outlet)
             for name, title, day, extra, outlet in (
                 ("a", "Port Alder harbour workers strike after talks fail", 2, "The union spoke.", "Coast Wire"),
                 ("b", "Harbour strike idles Port Alder ferries", 2, "Ferries stopped.", "Harbour Times"),
                 ("c", "Bakery wins regional bread prize", 3, "Sourdough won.", "Coast Wire"))}
    root = tmp_project(files)
    first = Builder(load_config(root / "config.yaml"))
    first.build()
    assert first.state.stories.groups and not first.state.stories.dirty, "stored after the build"

    again = Builder(load_config(root / "config.yaml"))
    again.build()
    assert again.state.stories.key is not None and not again.state.stories.dirty, "taken up, nothing re-clustered"

    moved = article("Bakery prize goes to a sourdough loaf", "2025-06-03T11:00:00Z", "Sourdough won again.",
                    source="Harbour Times")
    (root / "content/articles/b.md").write_text(moved, encoding="utf-8")
    Builder(load_config(root / "config.yaml")).build()
    cold = tmp_path / "cold"
    shutil.copytree(root / "content", cold / "content")
    shutil.copy(root / "config.yaml", cold / "config.yaml")
    build(cold)
    assert site_files(root) == site_files(cold)


def test_clean_flag_and_exit_code_on_config_error(tmp_project) -> None:
    root = tmp_project({"content/articles/a.md": article("A", "2025-06-05", "Text.")})
    build(root, "--clean")
    (root / "config.yaml").write_text("site: {titel: x}\n")
    result = run_digest(root, "build", "--offline")
    assert result.returncode == 2
    assert "config.yaml:1: site.titel: unknown key; did you mean `title`?" in result.stderr
    assert "Traceback" not in result.stderr


def test_version_and_module_entry_point(tmp_path: Path) -> None:
    result = run_digest(tmp_path, "--version")
    assert result.stdout.startswith("digest ")
    assert os.path.basename(result.args[0]).startswith("python")


def test_builder_with_watcher_paths_matches_a_cold_build(tmp_project, tmp_path: Path) -> None:
    """What `digest serve` does: a long-lived Builder told which paths changed."""
    from generator.build import Builder
    from generator.config import load_config

    files = {f"content/articles/a{i}.md": article(f"Story {i}", f"2025-0{1 + i % 5}-1{i % 9}T10:00:00Z",
                                                  "Tariffs and a trade war." if i % 2 else "Calm.",
                                                  tags=[f"t{i % 3}"]) for i in range(8)}
    root = tmp_project(files)
    arts = root / "content/articles"
    builder = Builder(load_config(root / "config.yaml"))
    assert builder.build().exit_code() == 0

    (arts / "a1.md").write_text(article("Story 1 retitled", "2025-07-01T10:00:00Z", "Now about sports.",
                                        topics=["Sports"]))
    assert builder.build([arts / "a1.md"]).written
    os.replace(arts / "a2.md", arts / "renamed.md")  # an editor or a human renaming the file
    builder.build([arts / "a2.md", arts / "renamed.md"])
    (arts / "a3.md").unlink()
    builder.build([arts / "a3.md"])
    (arts / "new.md").write_text(article("Brand new", "2025-08-01T10:00:00Z", "Fresh tariff news, tariffs."))
    builder.build([arts / "new.md"])

    cold = tmp_path / "cold"
    shutil.copytree(root / "content", cold / "content")
    shutil.copy(root / "config.yaml", cold / "config.yaml")
    build(cold)
    assert site_files(root) == site_files(cold)


def test_watch_edits_that_keep_or_move_an_articles_place_match_a_cold_build(tmp_project, tmp_path: Path) -> None:
    """A long-lived Builder reuses its index when an edit cannot move the article (body, title, summary) and
    rebuilds it when it can (date, topics, tags, people, draft): after every step the site equals a cold build."""
    from generator.build import Builder
    from generator.config import load_config

    def story(i: int, **changes: object) -> str:
        front: dict[str, object] = {"tags": [f"t{i % 3}"], "people": ["Anna Lee"] if i % 2 else [],
                                    "summary": f"Summary {i}."}
        title = str(changes.pop("title", f"Story {i}"))
        date = str(changes.pop("date", f"2025-0{1 + i % 5}-1{i % 9}T10:00:00Z"))
        body = str(changes.pop("body", "Tariffs and a trade war." if i % 2 else "Calm."))
        front.update(changes)
        return article(title, date, body, **front)

    root = tmp_project({f"content/articles/a{i}.md": story(i) for i in range(9)})
    arts = root / "content/articles"
    builder = Builder(load_config(root / "config.yaml"))
    assert builder.build().exit_code() == 0
    cold = tmp_path / "cold"
    steps: list[tuple[dict[str, object], bool]] = [
        ({"body": "Still calm, and quiet."}, True),
        ({"title": "Story 4, retitled"}, True),
        ({"title": "Story 4, retitled", "summary": "A new summary."}, True),
        ({"body": "A new paragraph about the tariff war, and tariffs."}, False),  # the topic rules now match
        ({"date": "2025-09-01T10:00:00Z"}, False),
        ({"topics": ["Sports"]}, False),
        ({"tags": ["brand-new-tag"]}, False),
        ({"people": ["Omar Haddad"]}, False),
        ({"draft": True}, False),
        ({}, False),
    ]
    for changes, reusable in steps:
        (arts / "a4.md").write_text(story(4, **changes), encoding="utf-8")
        report = builder.build([arts / "a4.md"])
        assert report.exit_code() == 0
        assert builder.state.index is not None and builder.state.index.reused == reusable, changes
        shutil.rmtree(cold, ignore_errors=True)
        shutil.copytree(root / "content", cold / "content")
        shutil.copy(root / "config.yaml", cold / "config.yaml")
        build(cold)
        assert site_files(root) == site_files(cold), changes


def test_kill_9_mid_build_is_repaired_by_the_next_build(tmp_path: Path) -> None:
    """A build killed at any moment leaves no partial file in site/, and the next build repairs it."""
    import signal
    import subprocess
    import sys
    import time

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from corpus import write_project

    root = tmp_path / "big"
    write_project(400, root)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    for delay in (0.4, 0.9):  # during the cold build, then during a rebuild of a changed corpus
        proc = subprocess.Popen([sys.executable, "-m", "generator", "build", "--offline"], cwd=root, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        site = root / "site"
        if site.exists():  # whatever is there is whole files: no temp file is ever visible under its name
            assert not [p for p in site.rglob("*") if p.name.startswith(".digest-tmp-")], \
                "staged outputs wait outside site/, so a kill leaves no temp file inside it"
            for path in site.rglob("*.html"):
                text = path.read_text(encoding="utf-8")
                assert text.rstrip().endswith("</html>"), path
        for md_file in sorted((root / "content/articles").glob("*.md"))[:5]:
            md_file.write_text(md_file.read_text(encoding="utf-8") + "\nA later correction.\n", encoding="utf-8")

    build(root)
    assert not list(root.glob(".site-*")), "staging folders of the killed builds are swept"
    assert not [p for p in (root / "site").rglob("*") if p.name.startswith(".digest-tmp-")]
    cold = tmp_path / "cold"
    shutil.copytree(root / "content", cold / "content")
    shutil.copy(root / "config.yaml", cold / "config.yaml")
    build(cold)
    assert site_files(root) == site_files(cold)


def test_parallel_cold_build_matches_a_single_process_build(tmp_path: Path) -> None:
    """Forked parse and render (article folders made while parsing, listing folders made by the render
    workers as needed, records encoded in the workers) give the same site as one process, folder for folder."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from corpus import write_project

    from generator.build import BuildOptions, build_site
    from generator.config import load_config

    one, two = tmp_path / "one", tmp_path / "two"
    write_project(450, one)
    folder = one / "content/articles"
    first = sorted(folder.glob("*.md"))[0]
    text = first.read_text(encoding="utf-8")
    # a clash (same slug as the first file: it gets -2) and a draft (no page, so no folder)
    (folder / "zz-clash.md").write_text(text.replace("---\n", f"---\nslug: {first.stem}\n", 1), encoding="utf-8")
    (folder / "zz-draft.md").write_text(text.replace("---\n", "---\ndraft: true\n", 1), encoding="utf-8")
    shutil.copytree(one, two)
    for root, workers in ((one, 1), (two, 2)):
        report = build_site(load_config(root / "config.yaml"), BuildOptions(workers=workers))
        assert not report.errors and report.articles == 451
    assert site_files(one) == site_files(two)
    folders = {p.relative_to(two / "site").as_posix() for p in (two / "site").rglob("*") if p.is_dir()}
    assert folders == {p.relative_to(one / "site").as_posix() for p in (one / "site").rglob("*") if p.is_dir()}
    assert all(any(p.iterdir()) for p in (two / "site/articles").iterdir()), "no empty article folder"
    # the pages made ahead of the render (empty until rendered) are all filled, or gone with their folder
    assert all(p.stat().st_size > 0 for p in (two / "site").rglob("*") if p.is_file())
    assert not (two / "site/articles/zz-draft").exists()
    assert (two / f"site/articles/{first.stem}-2/index.html").exists()
    # the cache the workers encoded serves a warm build: nothing re-parsed, nothing written
    warm = build_site(load_config(two / "config.yaml"), BuildOptions(workers=2))
    assert warm.parsed == 0 and warm.written == []


def test_a_long_lived_builder_follows_holds_and_the_body_limit_as_articles_change(tmp_project) -> None:
    """The publishable and held lists are updated in place when a rebuild only swaps articles for new
    versions: holding, releasing, going over ``limits.article_body`` and back each show at once."""
    from generator.build import Builder
    from generator.config import load_config

    root = tmp_project({f"content/articles/{n}.md": article(f"Story {n}", f"2025-06-0{i + 1}", "Short text.")
                        for i, n in enumerate("abc")},
                       config="site: {title: T, url: 'https://example.org/'}\nlimits: {article_body: 200}\n")
    builder = Builder(load_config(root / "config.yaml"))
    page = root / "site/articles/b/index.html"
    path = root / "content/articles/b.md"

    def save(text: str) -> list[str]:
        path.write_text(text, encoding="utf-8")
        report = builder.build([path])
        return [p.message for p in report.problems if p.severity == "error"]

    builder.build()
    assert page.exists()
    assert save(article("Story b", "2025-06-02", "Short text.", review=["date"])) == []
    assert not page.exists() and [h.path for h in builder.build([path]).held] == ["content/articles/b.md"]
    save(article("Story b", "2025-06-02", "Short text.", review=["date", "source"]))  # still held: swapped in place
    assert [h.reasons for h in builder.build([path]).held] == [("date", "source")]
    assert save(article("Story b", "2025-06-02", "Short text again.")) == [] and page.exists()
    assert builder.build([path]).held == []
    errors = save(article("Story b", "2025-06-02", "Long text. " * 40))
    assert errors and "over the limit of 200" in errors[0] and not page.exists()
    assert save(article("Story b", "2025-06-02", "Short once more.")) == [] and page.exists()
    assert "Short once more." in page.read_text(encoding="utf-8")
