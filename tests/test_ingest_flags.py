"""ingest.flags: the review reasons an extracted record earns, and the links it may keep."""

from __future__ import annotations

from datetime import datetime

import pytest

from generator.extract import extract_text
from generator.ingest.flags import MAX_WORDS, MIN_WORDS, review_reasons, safe_links
from generator.model import Image, Record

WHEN = datetime(2025, 3, 3, 9, 0)


def record(**fields: object) -> Record:
    base: dict[str, object] = {"title": "Quay bakery adds a shift", "date": WHEN, "word_count": 300,
                               "evidence": {"title": "header"}}
    return Record(**{**base, **fields})  # type: ignore[arg-type]


@pytest.mark.parametrize(("fields", "reasons"), [
    ({}, ()),
    ({"date": None}, ("date",)),
    ({"evidence": {"title": "first-paragraph"}}, ("title",)),
    ({"title": ""}, ("title",)),
    ({"word_count": MIN_WORDS - 1}, ("text",)),
    ({"word_count": MIN_WORDS}, ()),
    ({"word_count": MAX_WORDS + 1}, ("length",)),
    ({"source": "The Times", "evidence": {"source": "photo-credit"}}, ("source",)),
    ({"source": "Meridian", "evidence": {"source": "more-from"}}, ("source",)),
    ({"source": "The Times", "evidence": {"source": "byline"}}, ()),
    ({"section": "CONTACT", "evidence": {"section": "text"}}, ("section",)),
    ({"section": "Listen Live", "evidence": {"section": "text"}}, ("section",)),
    ({"section": "Contact", "evidence": {"section": "page-meta"}}, ()),  # the page says so itself
    ({"section": "Business", "evidence": {"section": "text"}}, ()),
    ({"date": None, "word_count": 12}, ("date", "text")),
])
def test_reasons(fields: dict[str, object], reasons: tuple[str, ...]) -> None:
    assert review_reasons(record(**fields)) == reasons


def test_a_dropped_unsafe_link_is_a_reason() -> None:
    assert review_reasons(record(), dropped_link=True) == ("url",)


def test_safe_links_keeps_http_and_says_when_a_human_should_look() -> None:
    ok = record(url="https://gazette.example/a", image=Image(url="/img/a.jpg", caption="The quay"))
    safe, unsafe = safe_links(ok)
    assert safe.url == "https://gazette.example/a" and safe.image == Image(url="https://gazette.example/img/a.jpg",
                                                                           caption="The quay")
    assert not unsafe
    hostile, unsafe = safe_links(record(url="javascript:alert(1)", image=Image(url="javascript:alert(2)")))
    assert hostile.url is None and hostile.image == Image() and unsafe
    # a lazy-loading placeholder image or a relative link with no page URL: dropped, nothing to review
    placeholder, unsafe = safe_links(record(url="/", image=Image(url="data:image/gif;base64,R0lGOD", caption="c")))
    assert placeholder.url is None and placeholder.image == Image(caption="c") and not unsafe


def test_a_paste_without_a_headline_is_flagged() -> None:
    """Copied without its headline, the text's first sentence is taken as the title: held, not published."""
    text = ("The council met on Tuesday and, after a long evening of debate about the harbour, decided to wait "
            "another month before it votes on the new dock.\n"
            "Residents asked for more time to read the engineering report before the vote, and councillors "
            "agreed that ninety pages needed more than a day.\n"
            "The dock would replace a wooden pier that has been closed to vehicles since a storm damaged it two "
            "winters ago, and ferry operators want it built before the summer.\n")
    extracted = extract_text(text)
    assert extracted.title.startswith("The council met") and extracted.evidence.get("title") == "first-paragraph"
    assert review_reasons(extracted) == ("date", "title")
    headline = extract_text("Council delays vote on the new dock until the engineering report is read in full\n"
                            "Published March 3, 2025\n" + text)
    assert headline.evidence.get("title") == "header" and "title" not in review_reasons(headline)
