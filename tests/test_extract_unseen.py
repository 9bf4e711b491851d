"""General rules added after scoring ten unseen article shapes (Guardian, NYT, WaPo, CBC/Radio-Canada,
a local paper, a newswire release, a magazine long read, a forum copy-paste, microdata and AMP pages)."""

from __future__ import annotations

from textwrap import dedent

from generator.extract import extract_text
from generator.extract.credits import is_footer, parse_byline, parse_footer, split_caption, staff_photo_outlet
from generator.extract.structure import is_noise

PARA = ("The provincial government said on Tuesday that it would extend its support program for another six "
        "months, citing continuing uncertainty over trade.")
PARA2 = ("Officials said more than 1,200 companies had applied so far, and that the program would be reviewed "
         "before the end of the year.")


def _text(*lines: str) -> str:
    return "\n\n".join(lines) + "\n"


def test_comment_section_ends_the_story() -> None:
    rec = extract_text(_text("Headline about the support program", PARA, PARA2, "412 comments", "Sort by: Best",
                             "u/someone · 5 hr. ago",
                             "Doug Ford will hate this, and Hamilton mills are at 60 per cent."))
    assert "Hamilton" not in rec.body and "Doug Ford" not in rec.people


def test_press_release_tail_and_issuer() -> None:
    rec = extract_text(_text("Acme Steel to invest in its mill", "News provided by", "Acme Steel Inc.",
                             "Jun 10, 2025, 07:00 ET", PARA, PARA2, "About Acme Steel Inc.",
                             "Acme Steel is an integrated producer headquartered in Hamilton, Ontario, with "
                             "two mills and 3,000 employees.", "SOURCE Acme Steel Inc.",
                             "For further information: Media: Jo Roe, 905-555-0101"))
    assert rec.source == "Acme Steel Inc."
    assert "integrated producer" not in rec.body
    assert is_footer("SOURCE Acme Steel Inc.")
    assert parse_footer("SOURCE Acme Steel Inc.").outlets == ("Acme Steel Inc.",)


def test_trending_list_after_story_is_cut() -> None:
    rec = extract_text(_text("Headline about the support program", PARA, PARA2, "Trending",
                             "1. Cranberry Portage couple marks 70 years of marriage"))
    assert "Cranberry" not in rec.body


def test_copyright_line_with_policy_links_names_the_outlet() -> None:
    line = "© 2025 The Northern Sentinel. All rights reserved. | Privacy Policy | Terms of Use"
    assert not is_noise(line)
    rec = extract_text(_text("Headline about the support program", PARA, PARA2, line))
    assert rec.source == "The Northern Sentinel"


def test_forum_and_relative_age_furniture() -> None:
    assert is_noise("6 hr. ago") and is_noise("r/CanadaPolitics") and is_noise("u/gritty_lathe · 5 hr. ago")
    assert is_noise("Subscribe for $1/week") and is_noise("Today’s Paper")


def test_byline_outlet_piece_and_photography_credit() -> None:
    assert parse_byline("By Anika Desrosiers, The Harbour Herald") == (["Anika Desrosiers"], ["The Harbour Herald"])
    assert parse_byline("PHOTOGRAPHY BY TEODOR MARIN-KELLY") == ([], [])


def test_contributed_reporting_and_print_edition_footers() -> None:
    line = "Reporting was contributed by Hanna Lindqvist in Ottawa."
    assert is_footer(line) and parse_footer(line).contributors == ("Hanna Lindqvist",)
    assert is_footer("A version of this article appears in print on June 6, 2025, Section B, Page 1")
    assert is_footer("This story was adapted from a report by Radio-Canada.")
    assert is_footer("Corinne Vasquez reported from Windsor, Ontario, and Tobias Elmgren from Washington.")


def test_glued_credit_and_courtesy_captions() -> None:
    cap = split_caption("A worker at a parts plant in Windsor, in April.Credit...Nadim Estrada for The Daily Bugle")
    assert cap is not None and cap.credit == "Nadim Estrada for The Daily Bugle"
    assert staff_photo_outlet(cap.credit) == "The Daily Bugle"
    cap = split_caption("A water bomber over the fire on Monday. Photo courtesy Manitoba Wildfire Service")
    assert cap is not None and cap.credit == "Photo courtesy Manitoba Wildfire Service"


def test_first_published_beats_last_modified_and_name_in_city_byline() -> None:
    rec = extract_text(dedent("""\
        Canada

        Sawmills cut shifts as duties double

        Leyla Brandt in Vancouver
        Fri 6 Jun 2025 01.05 BST
        First published on Thu 5 Jun 2025 22.40 BST

        """) + _text(PARA, PARA2))
    assert rec.date is not None and rec.date.date().isoformat() == "2025-06-05"
    assert rec.authors == ("Leyla Brandt",)


def test_more_from_names_the_publisher() -> None:
    rec = extract_text(_text("Headline about the support program", PARA, PARA2, "More from Meridian",
                             "The town that bet everything on a battery plant"))
    assert rec.source == "Meridian"


def test_summary_drops_the_wire_dateline() -> None:
    from generator.extract import extract_text

    text = ("Steel talks resume in Washington\n\n"
            "WASHINGTON (AP) — Trade officials from both countries met again on Tuesday to discuss the tariffs on "
            "steel and aluminum that have disrupted supply chains across the continent.\n\n"
            "The talks are expected to last two days.")
    record = extract_text(text)
    assert record.summary is not None and record.summary.startswith("Trade officials from both countries")
    assert record.body.startswith("WASHINGTON (AP) —")  # the body keeps it
