"""General rules learned from outlet shapes we had not seen: asserted on real fields of the labelled fixtures."""

from __future__ import annotations

from pathlib import Path

from generator.config import MatchRule, TopicConfig
from generator.extract import extract_text
from generator.extract.credits import copyright_holder, is_role_line, parse_byline, split_role
from generator.extract.dates import bare_date_line, parse_date
from generator.extract.entities import find_entities
from generator.ingest import extract_file
from generator.model import Record

FIXTURES = Path(__file__).parent / "fixtures" / "articles"
TOPICS = (TopicConfig("Wildfires", "wildfires", match=MatchRule(any=("wildfire*", "evacuat*"), min_hits=2)),)


def _rec(name: str) -> Record:
    return extract_file(FIXTURES / name, TOPICS)


def test_byline_with_glued_role_and_second_author_line() -> None:
    rec = _rec("star-style-hamilton-steel-permits.txt")
    assert rec.authors == ("Marcus Delacroix", "Aisha Brennan-Moyo")
    assert split_role("By Marcus Delacroix Staff Reporter") == ("Marcus Delacroix", "Staff Reporter")
    assert split_role("Quebec Business Reporter") is None  # a role line, not a name
    assert is_role_line("Climate reporter") and is_role_line("Parliamentary Bureau")
    assert parse_byline("By Sean Whitaker Global News") == (["Sean Whitaker"], ["Global News"])


def test_glued_date_and_relative_update_line() -> None:
    assert bare_date_line("Fri., June 6, 2025timer3 min read")
    assert parse_date("Fri., June 6, 2025timer3 min read") is not None
    rec = _rec("star-style-hamilton-steel-permits.txt")
    assert rec.date is not None and rec.date.date().isoformat() == "2025-06-06"
    assert "updated 2 hrs ago" not in rec.body and "REPORT AN ERROR" not in rec.body


def test_name_then_role_line_and_desk_city_are_byline() -> None:
    rec = _rec("globe-style-aluminum-europe-shift.txt")
    assert rec.authors == ("Nadine Kowalczyk",)
    assert rec.summary is not None and rec.summary.startswith("Producers say European buyers")  # the deck
    assert rec.body.startswith("Aluminum producers in Quebec")
    assert rec.source == "The Globe and Mail"  # from "© Copyright 2025 The Globe and Mail Inc."
    assert rec.image is not None and rec.image.credit == "Renaud Ostiguy/The Globe and Mail"
    assert rec.image.caption is not None and rec.image.caption.startswith("Aluminum ingots")
    for furniture in ("Save for later", "Create Free Account", "Quebec Business Reporter", "Subscribe"):
        assert furniture not in rec.body


def test_copyright_holders() -> None:
    assert copyright_holder("Copyright owned or licensed by Toronto Star Newspapers Limited. All rights "
                            "reserved.") == "Toronto Star"
    assert copyright_holder("©2025 Bloomberg L.P.") == "Bloomberg"
    assert copyright_holder("© Copyright 2025 The Globe and Mail Inc. All rights reserved.") == "The Globe and Mail"


def test_credit_printed_above_caption_and_menu_is_not_a_section() -> None:
    rec = _rec("bbc-style-smoke-europe.txt")
    assert rec.section is None
    assert rec.source == "BBC News"
    assert rec.authors == ("Ifeoma Castellanos",)
    assert rec.image is not None and rec.image.credit == "Getty Images"
    assert rec.image.caption == "Smoke from fires in Manitoba and Saskatchewan turned the sky orange over Winnipeg " \
                                "last week"
    assert "Firefighters near Flin Flon" not in rec.body and "Related topics" not in rec.body
    assert "Alasdair Penhaligon" in rec.people  # "Prof" without a full stop
    assert "University of Edinburgh" in rec.organizations


def test_bloomberg_wire_furniture() -> None:
    rec = _rec("bloomberg-style-steel-credit-lines.txt")
    assert rec.source == "Bloomberg"
    assert rec.contributors == ("Priyanka Venkataraman",)  # "--With assistance from"
    assert {"Business Development Bank of Canada", "Export Development Canada", "BMO Capital Markets"} \
        <= set(rec.organizations)
    assert not any("Tariff Doubles" in o or "Seek" in p for o in rec.organizations for p in rec.people)
    for furniture in ("Most Read from Bloomberg", "Fed's Favorite", "To contact", "bloomberg.net"):
        assert furniture not in rec.body
    assert ("Marguerite Holloway", "We have weeks") in {(q.speaker, q.text[:13]) for q in rec.quotes}


def test_french_names_particles_and_guillemets() -> None:
    rec = _rec("devoir-style-french-labels.txt")
    assert rec.source == "Le Devoir"
    assert rec.authors == ("Marie-Ève de Courval",)
    assert {"Anne-Sophie de la Durantaye", "de Gaulle", "Louis-Philippe Saint-Onge"} <= set(rec.people)
    assert {"Conseil du patronat du Québec", "Office québécois de la langue française", "Université Laval",
            "Parti Québécois"} <= set(rec.organizations)
    speakers = {q.speaker for q in rec.quotes}
    assert {"Jean-François Roberge", "Louis-Philippe Saint-Onge"} <= speakers  # « … » and "Mr. X said"
    assert "translation of an article" not in rec.body


def test_allcaps_dateline_town_is_a_place_and_names_its_team() -> None:
    rec = _rec("sports-recap-junior-overtime.txt")
    assert {"Huntsville", "Ontario"} <= set(rec.places)
    assert [p.lower() for p in rec.places].count("huntsville") == 1 and "HUNTSVILLE" not in rec.places
    assert "Huntsville Northmen" in rec.organizations and "Huntsville Northmen" not in rec.people
    assert rec.source == "The Canadian Press"  # an outlet line under the byline


def test_opengraph_page_with_author_span() -> None:
    rec = _rec("og-only-kenora-fire-evacuation.html")
    assert rec.authors == ("Oksana Whitebird",)
    assert rec.summary is not None and rec.summary.startswith("About 600 residents are being flown")  # the deck
    assert rec.body.startswith("KENORA, Ont. — About 600 residents of Shoal Narrows")
    assert {"Kenora", "Ontario", "Lake of the Woods", "Highway 17"} <= set(rec.places)
    assert "Kenora" not in rec.people and "Canadian Forces" in rec.organizations
    assert ("Graham Petrakis-Lowe", "Crews are") in {(q.speaker, q.text[:9]) for q in rec.quotes}
    assert rec.topics == ("Wildfires",)


def test_organisation_author_desk_and_consent_banner() -> None:
    rec = _rec("jsonld-org-author-rate-hold.html")
    assert rec.source == "Prairie Dispatch" and rec.authors == ()
    assert "use cookies" not in rec.body and "Most read" not in rec.body
    assert "Moose Jaw" in rec.places and "Moose Jaw" not in rec.people
    assert ("Paul Desjarlais-Whitford", "Nobody") in {(q.speaker, q.text[:6]) for q in rec.quotes}


def test_entity_rules_in_isolation() -> None:
    ents = find_entities(["Workers at Stelco's Hamilton operations joined United Steelworkers Local 1005 "
                          "in the U.S. Midwest."])
    assert "Stelco" in ents.organizations and "United Steelworkers Local 1005" in ents.organizations
    assert {"Hamilton", "United States", "Midwest"} <= set(ents.places)
    assert not ents.people


def test_trailing_parenthesised_note_is_not_body() -> None:
    rec = extract_text("Council approves budget\n\nThe city council voted on Tuesday to approve a larger budget "
                       "for the harbour bridge after a long debate.\n\nThe vote was 9-2 and work starts in May "
                       "according to the city engineer.\n\n(Notes from the council livestream.)\n")
    assert "Notes from the council" not in rec.body
