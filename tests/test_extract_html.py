"""Saved HTML pages: the body is trafilatura's main text or more, never "no article text found".

Each page below is a small page of a kind that once lost its body (written for these tests, in our own
words): a layout or taxonomy class that a furniture filter read as a sidebar, tag list, paywall or ad;
a body inside <noscript> or a <figure>; a story only in JSON-LD; wiki markers that looked binary; and
lines the layout parser dropped for their position (a subheading above the first paragraph, text after a
"See also" heading, a paragraph above a credit line, a sentence starting "By the time").
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import trafilatura

from generator.cli import main
from generator.extract import extract_bytes
from generator.extract.html_body import choose_lines, declared_lines

PARAGRAPHS = (
    "Crews on the Tallgrass ferry resumed sailings on Thursday morning after a two-day stoppage caused by "
    "a cracked rudder bearing, the provincial transportation department said.",
    "The ferry carries about 1,400 vehicles a day between the mainland and Merrow Island, and the outage "
    "left hundreds of commuters taking a 90-minute detour over the causeway.",
    "\u201cWe had the part flown in overnight and the shipyard crew worked straight through,\u201d said "
    "operations manager Delphine Okafor-Reyes. \u201cWe are sorry for the trouble it caused.\u201d",
    "Island residents said the stoppage showed how much the community depends on a single vessel, and "
    "renewed calls for a second ferry that the province promised in its last budget.",
    "The department said a review of the bearing failure would be finished by the end of the month and "
    "its findings would be posted online.",
)
HEADLINE = "Tallgrass ferry back in service after rudder repair"


def _page(body: str, *, head: str = "", wrap: tuple[str, str] = ("<article>", "</article>")) -> str:
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{HEADLINE} | Island Post"
            f"</title><meta property=\"og:site_name\" content=\"Island Post\">{head}</head><body>"
            "<nav class=\"menu\"><a href=\"/\">Home</a> <a href=\"/news\">News</a> <a href=\"/contact\">Contact</a>"
            f"</nav>{wrap[0]}<h1>{HEADLINE}</h1><p class=\"byline\">By Anneliese Marchand</p>{body}{wrap[1]}"
            "<div class=\"site-info\"><p>The Island Post has covered Merrow Island since 1921.</p></div>"
            "<footer><p>\u00a9 2025 Island Post. All rights reserved.</p></footer></body></html>")


def _paragraphs(items: tuple[str, ...] = PARAGRAPHS) -> str:
    return "".join(f"<p>{p}</p>" for p in items)


def _extract(tmp_path: Path, html: str | bytes, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    path = tmp_path / "page.html"
    if isinstance(html, str):
        path.write_text(html, encoding="utf-8")
    else:
        path.write_bytes(html)
    assert main(["extract", str(path), "--json"]) == 0
    out: dict[str, object] = json.loads(capsys.readouterr().out)
    return out


def _assert_whole_story(out: dict[str, object]) -> None:
    body = str(out["body"])
    for paragraph in PARAGRAPHS:
        assert paragraph in body
    assert out["title"] == HEADLINE
    assert "Contact" not in body.split("\n\n") and "All rights reserved" not in body


@pytest.mark.parametrize("wrap", [
    ('<div class="site-inner"><div class="content-sidebar-wrap"><main>', "</main></div></div>"),
    ('<div class="site-content__layout site-content__layout--has-sidebar"><article>', "</article></div>"),
    ('<div class="post-88 post type-post status-publish tag-ferries tag-island category-news">', "</div>"),
    ('<section class="content-area category-local tag-island"><div class="entry">', "</div></section>"),
    ('<div class="ArticlePage-content paywall"><article>', "</article></div>"),
    ('<div class="comp sc-ad-container right-rail article-content">', "</div>"),
    ('<div class="article-content sticky-sidebar-relative">', "</div>"),
], ids=["sidebar-wrap", "has-sidebar", "tag-classes", "category-classes", "paywall", "ad-container",
        "sticky-sidebar"])
def test_article_inside_a_furniture_sounding_class(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                   wrap: tuple[str, str]) -> None:
    """Layout and taxonomy classes contain furniture words; the article inside them is still the article."""
    out = _extract(tmp_path, _page(_paragraphs(), wrap=wrap), capsys)
    _assert_whole_story(out)
    assert out["authors"] == ["Anneliese Marchand"]


def test_body_inside_noscript(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A script-rendered blog keeps its post text in <noscript> for readers without JavaScript."""
    body = f'<div class="post-body"><script>render()</script><noscript>{_paragraphs()}</noscript></div>'
    _assert_whole_story(_extract(tmp_path, _page(body), capsys))


def test_table_inside_figure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = "".join(f"<tr><td>{day}</td><td>{n} sailings</td></tr>"
                   for day, n in (("Monday", 14), ("Tuesday", 0), ("Wednesday", 0), ("Thursday", 11)))
    body = _paragraphs(PARAGRAPHS[:3]) + f'<figure class="comparison-table"><table>{rows}</table></figure>' \
        + _paragraphs(PARAGRAPHS[3:])
    out = _extract(tmp_path, _page(body), capsys)
    _assert_whole_story(out)
    assert "Wednesday" in str(out["body"]) and "11 sailings" in str(out["body"])


def test_story_only_in_json_ld(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The visible page has a photo and an empty container; the story is in JSON-LD articleBody."""
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": HEADLINE,
          "datePublished": "2025-05-15T09:00:00-03:00", "articleBody": "\n\n".join(PARAGRAPHS)}
    head = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    body = ('<figure><img src="/f.jpg" alt=""><figcaption>The ferry at its dock on Wednesday. Photo: Island Post'
            '</figcaption></figure><div id="story"></div>')
    out = _extract(tmp_path, _page(body, head=head), capsys)
    _assert_whole_story(out)
    assert str(out["body"]).count("\n\n") == len(PARAGRAPHS) - 1  # paragraph breaks kept
    assert out["date"] == "2025-05-15T09:00:00-03:00"


def test_run_on_json_ld_body_is_split_where_paragraphs_ended() -> None:
    text = "  ".join(PARAGRAPHS)
    assert declared_lines(text) == list(PARAGRAPHS)
    assert declared_lines("<p>" + "</p><p>".join(PARAGRAPHS) + "</p>") == list(PARAGRAPHS)


def test_declared_body_wins_only_when_much_longer_or_better_broken() -> None:
    main_lines = ["A caption of ten words that trafilatura took for the story."]
    assert choose_lines(main_lines, list(PARAGRAPHS), []) == list(PARAGRAPHS)
    whole = [" ".join(PARAGRAPHS)]
    assert choose_lines(whole, list(PARAGRAPHS), []) == list(PARAGRAPHS)  # same words, real paragraphs
    assert choose_lines(list(PARAGRAPHS), PARAGRAPHS[:2], []) == list(PARAGRAPHS)  # a teaser never wins
    assert choose_lines([], [], ["fallback"]) == ["fallback"]


def test_wiki_markers_are_not_binary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """MediaWiki leaves DEL characters in attributes; the page is text, not a binary file."""
    marker = "\x7f'\"`UNIQ--ref-0000002A-QINU`\"'\x7f"
    figures = "".join(f'<img src="/i{i}.png" data-caption="{marker}">' for i in range(6))
    out = _extract(tmp_path, _page(figures + _paragraphs()).encode("utf-8"), capsys)
    _assert_whole_story(out)


def test_lines_dropped_for_their_position_come_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = ("<h2>A bearing gives way</h2>" + _paragraphs(PARAGRAPHS[:2])
            + "<p>By the time the repair crew arrived on Tuesday night, the ferry had been tied up for six hours "
              "and the last cars had turned back.</p>"
            + "<p>Ridership on the crossing has doubled in ten years, according to figures the department "
              "released in the spring, while the ferry itself is older than most of its crew.</p>"
            + "<p>(Credit: Island Post graphics / Island Post)</p>"
            + _paragraphs(PARAGRAPHS[2:3]) + "<h3>See also</h3>" + _paragraphs(PARAGRAPHS[3:]))
    out = _extract(tmp_path, _page(body), capsys)
    _assert_whole_story(out)
    paragraphs = str(out["body"]).split("\n\n")
    assert paragraphs[0] == "A bearing gives way"  # a subheading below the headline is story...
    assert out["section"] is None  # ...not the section
    assert any(p.startswith("By the time the repair crew arrived") for p in paragraphs)  # not a byline
    assert any(p.startswith("Ridership on the crossing has doubled") for p in paragraphs)  # not a caption
    assert "(Credit: Island Post graphics / Island Post)" not in paragraphs and "See also" not in paragraphs


def test_furniture_lines_in_the_main_text_stay_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = (_paragraphs(PARAGRAPHS[:2]) + "<p>Sign up for the Island Post morning newsletter.</p>"
            + "<p>Read more: Causeway tolls to rise in the fall</p>" + _paragraphs(PARAGRAPHS[2:])
            + "<p>Tags: ferries, Merrow Island, transportation</p>")
    out = _extract(tmp_path, _page(body), capsys)
    _assert_whole_story(out)
    body_text = str(out["body"])
    assert "newsletter" not in body_text and "Read more" not in body_text and "Tags:" not in body_text


def test_a_page_about_furniture_words_keeps_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """On a privacy policy page, "privacy policy" is the subject, not a footer link."""
    lines = ("This privacy policy explains what the Island Post collects when you read our stories online.",
             "We keep the email address you give us for our newsletter and nothing else about you.",
             "If you have questions about this privacy policy, you can write to the editor at any time.",
             "We do not sell the information we collect to advertisers or to anyone else, and we delete it "
             "when you unsubscribe.")
    html = ("<html><head><title>Privacy policy</title></head><body><article><h1>Privacy policy</h1>"
            + "".join(f"<p>{ln}</p>" for ln in lines) + "</article></body></html>")
    body = str(_extract(tmp_path, html, capsys)["body"])
    for line in lines:
        assert line in body


def test_never_less_than_trafilatura_on_the_fixture_pages() -> None:
    """Every sentence-long line trafilatura finds on a saved fixture page is in the body, unless it is the
    headline or the deck (kept as title and summary) or a line the gold file lists as boilerplate."""
    fixtures = sorted((Path(__file__).parent / "fixtures" / "articles").glob("*.html"))
    assert len(fixtures) >= 10
    for path in fixtures:
        html = path.read_text(encoding="utf-8")
        gold = path.with_suffix(".gold.yaml").read_text(encoding="utf-8")
        rec = extract_bytes(html.encode("utf-8"), path.name)
        body = " ".join(rec.body.split())  # paragraph breaks may differ (a run-on articleBody is split)
        for line in (trafilatura.extract(html, include_comments=False) or "").split("\n"):
            line = line.strip().removeprefix("- ")
            if len(line.split()) >= 8 and line not in body and line not in (rec.title, rec.summary):
                assert f'"{line}"' in gold, f"{path.name}: lost {line!r}"


def test_only_a_caption_still_gives_a_body(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """When all trafilatura finds looks like a caption, that text beats "no article text found"."""
    html = ("<html><head><title>Ridge fire</title></head><body><article><h1>Ridge fire</h1><figure>"
            "<img src='/a.jpg'><figcaption>Smoke rises over the ridge above the town on Tuesday evening as "
            "crews work the northern flank. Photo: Island Post</figcaption></figure></article></body></html>")
    out = _extract(tmp_path, html, capsys)
    assert "Smoke rises over the ridge" in str(out["body"])


def test_installed_command_on_a_saved_page(tmp_path: Path) -> None:
    """The same through the real command line, in a fresh interpreter."""
    path = tmp_path / "saved.html"
    path.write_text(_page(_paragraphs(), wrap=('<div class="content-sidebar-wrap"><article class="tag-news">',
                                               "</article></div>")), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "generator", "extract", str(path), "--json"],
                            capture_output=True, text=True, check=True)
    _assert_whole_story(json.loads(result.stdout))
