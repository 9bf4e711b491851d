"""The plan memo (generator/plan/memo.py, listings.py): a long-lived Builder re-plans only the sections that
show a changed article, and after every kind of edit its site equals a cold build's, byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import article

from generator.build import Builder, BuildOptions
from generator.config import load_config

CONFIG = """\
site: {title: Quay Digest, url: https://quay.test/, description: Harbour news, language: en, timezone: America/Halifax}
topics:
  - name: Harbour
    match: {any: [harbour, ferry, ferries, pier*], min_hits: 2}
  - name: Food
    match: {any: [bakery, bread, sourdough, market*], min_hits: 2}
  - name: Arts
per_page: 2
feed: {items: 3}
entities: {min_articles: 2}
search: false
"""

STRIKE = ("Harbour workers walked off the job on Monday after talks over a new contract collapsed late on Sunday, "
          "leaving ferries idle and freight stacked on the piers of Port Alder.")
BAKERY = ("The bakery on Quay Street won the regional bread prize for its sourdough on Saturday, beating forty "
          "entries from bakeries along the coast at the autumn market.")
MURAL = "A new mural covers the north wall of the net loft, painted over three weeks by students of the art school."


def story(i: int, **changes: object) -> str:
    """Article ``i`` of the project: three stories told by several outlets, and articles of their own."""
    lead, topic = [(STRIKE, None), (BAKERY, None), (MURAL, ["Arts"]), (f"Note {i} on the tide tables.", None)][i % 4]
    front: dict[str, object] = {
        "source": ["Coast Wire", "Harbour Times", "Quay Crier"][i % 3],
        "tags": [f"t{i % 3}"] + (["ferries"] if i % 4 == 0 else []),
        "people": ["Anna Lee"] if i % 2 else ["Omar Haddad", "Anna Lee"],
        "organizations": ["Port Authority"] if i % 3 else [],
        "places": ["Port Alder"] if i % 2 else [],
        "quotes": [{"speaker": "Anna Lee", "text": f"We will see about item {i}."}] if i % 5 == 0 else [],
        "summary": f"Summary {i}.",
    }
    if topic:
        front["topics"] = topic
    title = str(changes.pop("title", f"Item {i}: {lead.split(',')[0][:40]}"))
    day = 2 + (i * 3) % 40  # spread over two months and several ISO weeks
    date = str(changes.pop("date", f"2025-{9 + day // 30:02d}-{1 + day % 30:02d}T{8 + i % 9:02d}:00:00Z"))
    body = str(changes.pop("body", f"{lead}\n\nDetail {i}: the council met again."))
    front.update(changes)
    return article(title, date, body, **front)


def site_files(root: Path) -> dict[str, bytes]:
    site = root / "site"
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def cold_site(root: Path, cold: Path) -> dict[str, bytes]:
    shutil.rmtree(cold, ignore_errors=True)
    for part in ("content", "templates"):
        if (root / part).is_dir():
            shutil.copytree(root / part, cold / part)
    shutil.copy(root / "config.yaml", cold / "config.yaml")
    Builder(load_config(cold / "config.yaml"), BuildOptions(workers=1)).build()
    return site_files(cold)


def assert_same_site(root: Path, cold: Path, step: str) -> None:
    mine, theirs = site_files(root), cold_site(root, cold)
    differing = sorted(p for p in mine.keys() | theirs.keys() if mine.get(p) != theirs.get(p))
    assert not differing, f"{step}: differs from a cold build in {differing[:8]}"


@pytest.fixture
def project(tmp_project) -> Path:
    return tmp_project({f"content/articles/a{i:02d}.md": story(i) for i in range(26)}, config=CONFIG)


def test_every_kind_of_edit_matches_a_cold_build(project: Path, tmp_path: Path) -> None:
    arts = project / "content/articles"
    builder = Builder(load_config(project / "config.yaml"), BuildOptions(workers=1))
    assert builder.build().exit_code() == 0
    edits: list[tuple[str, str, str | None]] = [
        ("body edit", "a05", story(5, body=f"{STRIKE}\n\nA correction: the talks resume on Friday.")),
        ("body edit of a story's first version", "a00", story(0, body=f"{STRIKE}\n\nUpdated at noon.")),
        ("a longer text: its summary is the story's now", "a08", story(8, body=f"{STRIKE}\n\n" + "More detail. " * 40)),
        ("title edit", "a07", story(7, title="Item 7, retitled")),
        ("summary edit", "a09", story(9, summary="A new summary for nine.")),
        ("date moves it across pages, months and weeks", "a11", story(11, date="2025-09-01T06:00:00Z")),
        ("date moves it to the top of the site", "a13", story(13, date="2025-12-24T06:00:00Z")),
        ("topic change", "a03", story(3, topics=["Arts", "Food"])),
        ("joins a story", "a15", story(15, body=f"{BAKERY}\n\nThe judges spoke.")),
        ("leaves a story", "a04", story(4, body="A quiet note about the weather at sea.")),
        ("tags and people", "a06", story(6, tags=["brand-new"], people=["Ines Duarte"])),
        ("quote text, shown on every page of the person", "a10",
         story(10, quotes=[{"speaker": "Anna Lee", "text": "We will see, she said again."}])),
        ("an organization reaches its page", "a01", story(1, organizations=["Ferry Guild"])),
        ("another one joins it", "a02", story(2, organizations=["Ferry Guild"])),
        ("new article", "a40", story(40)),
        ("new article at the top", "a41", story(41, date="2025-12-30T06:00:00Z")),
        ("delete", "a08", None),
        ("delete a story member", "a12", None),
        ("draft", "a14", story(14, draft=True)),
        ("back from draft", "a14", story(14)),
        ("pinned to a story", "a17", story(17, story="harbour-strike")),
        ("a second pin names the story", "a18", story(18, story="harbour-strike")),
    ]
    for step, name, text in edits:
        path = arts / f"{name}.md"
        if text is None:
            path.unlink()
        else:
            path.write_text(text, encoding="utf-8")
        report = builder.build([path])
        assert report.exit_code() == 0, (step, report.problems)
        assert_same_site(project, tmp_path / "cold", step)

    (project / "content/aliases.yaml").write_text("Anna Lee: [A. Lee]\n", encoding="utf-8")
    (arts / "a19.md").write_text(story(19, people=["A. Lee"]), encoding="utf-8")
    builder.build([project / "content/aliases.yaml", arts / "a19.md"])
    assert_same_site(project, tmp_path / "cold", "alias file")


def test_the_live_plan_equals_a_fresh_plan_job_for_job(project: Path) -> None:
    """After body edits (planned in place), every job's fingerprint is the one a new process would plan: a
    next `digest build` renders nothing again."""
    arts = project / "content/articles"
    builder = Builder(load_config(project / "config.yaml"), BuildOptions(workers=1))
    builder.build()
    for i in (0, 1, 4, 5, 8, 9, 12, 21):
        (arts / f"a{i:02d}.md").write_text(story(i, body=f"{STRIKE}\n\nEdit {i}: a figure corrected."),
                                           encoding="utf-8")
        builder.build([arts / f"a{i:02d}.md"])
    fresh = Builder(load_config(project / "config.yaml"), BuildOptions(workers=1))
    report = fresh.build()
    assert report.rendered == 0, "a new process found fingerprints to render again"
    assert builder.state.plan is not None and fresh.state.plan is not None
    live = {path: job.digest for path, job in builder.state.plan.jobs.items()}
    assert live == {path: job.digest for path, job in fresh.state.plan.jobs.items()}


def test_a_body_edit_replans_only_what_shows_the_article(project: Path) -> None:
    """The memo at work: a body edit plans a few jobs again (the others are last build's, as they were)."""
    arts = project / "content/articles"
    builder = Builder(load_config(project / "config.yaml"), BuildOptions(workers=1))
    builder.build()
    assert builder.state.plan is not None
    before = {id(j) for j in builder.state.plan.jobs.values()}
    (arts / "a03.md").write_text(story(3, body="Note 3 on the tide tables, corrected."), encoding="utf-8")
    report = builder.build([arts / "a03.md"])
    jobs = list(builder.state.plan.jobs.values())
    new = [j.path for j in jobs if id(j) not in before]
    assert "articles/a03/index.html" in new
    assert len(new) < len(jobs) / 4, new
    assert "articles/a03/index.html" in report.written and len(report.written) < 12, report.written


def test_a_reused_job_renders_its_file_again_as_a_cold_build_would(project: Path, tmp_path: Path) -> None:
    """Jobs kept from earlier builds (their planner long gone) render right when their file is missing."""
    arts = project / "content/articles"
    builder = Builder(load_config(project / "config.yaml"), BuildOptions(workers=1))
    builder.build()
    for i in (5, 9, 21):
        (arts / f"a{i:02d}.md").write_text(story(i, body=f"Edit {i}: a new paragraph."), encoding="utf-8")
        builder.build([arts / f"a{i:02d}.md"])
    site = project / "site"
    gone = ["articles/a02/index.html", "topics/arts/index.html", "tags/t1/feed.json", "archive/2025/09/index.html",
            "people/anna-lee/page/2/index.html", "digests/index.html", "sitemap.xml", "feeds.opml", "404.html",
            "organizations/port-authority/index.html"]
    gone += [p for p in ("stories/a00/index.html",) if (site / p).exists()]
    gone += sorted(p.relative_to(site).as_posix() for p in site.glob("digests/*/email.txt"))[:1]
    for rel in gone:
        (site / rel).unlink()
    builder.state.outputs = None  # as a new process would: look at site/
    report = builder.build([])
    assert set(gone) <= set(report.written)
    assert_same_site(project, tmp_path / "cold", "files deleted from site/")


def test_a_template_edit_in_a_long_lived_builder_matches_a_cold_build(project: Path, tmp_path: Path) -> None:
    from generator.render import DEFAULT_TEMPLATES

    builder = Builder(load_config(project / "config.yaml"), BuildOptions(workers=1))
    builder.build()
    (project / "templates").mkdir()
    text = (DEFAULT_TEMPLATES / "article.html").read_text(encoding="utf-8")
    (project / "templates/article.html").write_text(text.replace("</article>", "<!-- edited --></article>", 1),
                                                     encoding="utf-8")
    report = builder.build([project / "templates/article.html"])
    assert len([p for p in report.written if p.startswith("articles/")]) == 26
    assert_same_site(project, tmp_path / "cold", "template edit")


def test_a_deferred_search_index_is_known_behind_after_an_edit_and_not_before(tmp_project) -> None:
    """`digest serve` defers the search index: a rebuild that changes no article page gives the last answer
    without hashing every page again; one that changes an article page finds the index behind."""
    root = tmp_project({f"content/articles/a{i}.md": story(i) for i in range(4)},
                       config=CONFIG.replace("search: false", "search: true"))
    builder = Builder(load_config(root / "config.yaml"), BuildOptions(workers=1, defer_search=True))
    first = builder.build()
    assert first.search is not None and first.search.pending
    refreshed = builder.refresh_search()
    assert refreshed is not None and refreshed.ran
    quiet = builder.build([root / "content/aliases.yaml"])  # no such file: nothing changes
    assert quiet.search is not None and not quiet.search.pending and not quiet.rendered
    path = root / "content/articles/a1.md"
    path.write_text(story(1, body="A new paragraph about the quay."), encoding="utf-8")
    edited = builder.build([path])
    assert edited.search is not None and edited.search.pending
    still = builder.build([root / "content/aliases.yaml"])
    assert still.search is not None and still.search.pending, "behind until refreshed, even with nothing new"
    refreshed = builder.refresh_search()
    assert refreshed is not None and refreshed.ran
    after = builder.build([root / "content/aliases.yaml"])
    assert after.search is not None and not after.search.pending


def test_after_a_failed_render_the_next_build_matches_a_cold_build(project: Path, tmp_path: Path) -> None:
    """A render error writes nothing; the plan made for it is not taken for written by the next build."""
    from generator.render import DEFAULT_TEMPLATES

    (project / "templates").mkdir()
    text = (DEFAULT_TEMPLATES / "article.html").read_text(encoding="utf-8")
    (project / "templates/article.html").write_text(
        text.replace("</article>", "{% if article.extra.get('boom') %}{{ article.extra.boom.nothing }}"
                                   "{% endif %}</article>", 1), encoding="utf-8")
    arts = project / "content/articles"
    builder = Builder(load_config(project / "config.yaml"), BuildOptions(workers=1))
    assert builder.build().exit_code() == 0
    (arts / "a06.md").write_text(story(6, title="Item 6, retitled", boom=1), encoding="utf-8")
    failed = builder.build([arts / "a06.md"])
    assert failed.failed and not failed.written
    (arts / "a06.md").write_text(story(6, title="Item 6, retitled"), encoding="utf-8")
    (arts / "a09.md").write_text(story(9, body="Another paragraph, and another."), encoding="utf-8")
    assert builder.build([arts / "a06.md", arts / "a09.md"]).exit_code() == 0
    assert_same_site(project, tmp_path / "cold", "a failed render, then the fix")


def test_a_new_process_takes_up_the_stored_text_facts(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Planning's text facts (word counts, "summary repeats the lead") are stored with the cache: a build in
    a new process computes them only for the files it parses, and plans the same site as with none stored."""
    import generator.plan.summary as summary

    config = load_config(project / "config.yaml")
    assert Builder(config, BuildOptions(workers=1)).build(once=True).exit_code() == 0
    (project / "content/articles/a05.md").write_text(story(5, body=f"{STRIKE}\n\nA correction."), encoding="utf-8")
    computed: list[str] = []
    real = summary.text_facts
    monkeypatch.setattr(summary, "text_facts", lambda a: computed.append(a.slug) or real(a))
    monkeypatch.setattr(summary, "_FACTS", {})  # a new process knows none
    assert Builder(config, BuildOptions(workers=1)).build(once=True).exit_code() == 0
    assert computed == []  # the edited file's facts came from its parse, the other 25 from the cache
    with_memo = site_files(project)

    monkeypatch.setattr(summary, "_FACTS", {})
    shutil.rmtree(project / "site")
    assert Builder(config, BuildOptions(workers=1, clean=True)).build(once=True).exit_code() == 0
    assert site_files(project) == with_memo
