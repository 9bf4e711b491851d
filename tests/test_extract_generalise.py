"""General rules for pasted text from shapes the fixtures did not have: portal wrappers, publisher furniture,
outlets named only in a copyright line, an address or a site name, navigation menus, end-of-story credits,
organisation and person shapes, and quotes attributed by title. Each case is a few invented lines."""

from __future__ import annotations

from generator.extract import extract_text
from generator.extract.credits import copyright_holder, is_footer, parse_byline, parse_footer
from generator.extract.entities import find_entities
from generator.extract.structure import is_noise, parse_layout

STORY = ("The regional council voted on Tuesday to extend the pilot program for another year after a report "
         "found that ridership had doubled since the spring.")
MORE = ("Councillors said the program would cost about $2 million more than planned, and staff will report "
        "back in the fall with options to cut that figure.")


def _text(*lines: str) -> str:
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- header: title, section, site

def test_app_banner_and_site_name_are_not_the_title_and_provided_by_names_the_source() -> None:
    rec = extract_text(_text("Get all your news in one place. Download the Dailyloop app", "Dailyloop",
                             "Home / News / Local", "Transit pilot extended for a year as ridership doubles",
                             "© Provided by The Riverside Packet", STORY, MORE, "Continue reading", "More for you",
                             "Privacy dashboard", "© 2025 Dailyloop"))
    assert rec.title == "Transit pilot extended for a year as ridership doubles"
    assert rec.source == "The Riverside Packet"
    assert rec.section == "Local"
    assert rec.evidence["source"] == "provided"
    assert "Continue reading" not in rec.body and "Privacy dashboard" not in rec.body


def test_navigation_menu_is_not_a_section_but_a_kicker_after_it_is() -> None:
    menu = ("Home", "News", "Sports", "Contests", "Events", "Contact")
    rec = extract_text(_text("Lakeview Now", *menu, "Transit pilot extended for a year", STORY, MORE))
    assert rec.section is None
    assert rec.source == "Lakeview Now"  # the name above the menu is the site's
    rec = extract_text(_text("Menu", "Weather", "Contests", "Contact", "Search", "Transit",
                             "Transit pilot extended for a year", STORY, MORE))
    assert rec.section == "Transit"  # "Search" ends the menu; the kicker stands apart from it


def test_one_line_menu_and_upper_case_masthead() -> None:
    rec = extract_text(_text("THE HARBOUR LAMP", "News | Opinion | Sport | Culture", "Canada",
                             "Transit pilot extended for a year", STORY, MORE))
    assert (rec.title, rec.section, rec.source) == ("Transit pilot extended for a year", "Canada", "The Harbour Lamp")


def test_breadcrumb_glued_to_the_headline() -> None:
    rec = extract_text(_text("Home / World News / Transit pilot extended for a year as ridership doubles", STORY, MORE))
    assert rec.title == "Transit pilot extended for a year as ridership doubles"
    assert rec.section == "World News"


def test_dated_newsletter_masthead_gives_the_date_not_the_title() -> None:
    rec = extract_text(_text("View in browser", "THE EVENING LOOP | Tuesday, June 10, 2025",
                             "Transit wins, rates wait, and smoke returns", "Good evening. " + STORY, MORE,
                             "You are receiving this email because you subscribed to The Evening Loop.",
                             "Unsubscribe | Update preferences | Privacy policy"))
    assert rec.title == "Transit wins, rates wait, and smoke returns"
    assert rec.date is not None and rec.date.isoformat()[:10] == "2025-06-10"
    assert rec.section is None
    assert "receiving this email" not in rec.body


def test_opinion_label_is_the_section_and_special_to_names_the_outlet() -> None:
    rec = extract_text(_text("Opinion", "The pilot should stay, and here is why", "Dana Whitlock",
                             "Special to The Lakeside Review", "Published June 4, 2025", STORY, MORE,
                             "Dana Whitlock is a former transit planner who teaches at a college.",
                             "The views expressed in this column are the author's own."))
    assert rec.section == "Opinion"
    assert rec.source == "The Lakeside Review"
    assert rec.authors == ("Dana Whitlock",)
    assert "former transit planner" not in rec.body and "views expressed" not in rec.body


def test_site_suffix_after_a_bar_is_cut_from_the_title_and_names_the_outlet() -> None:
    rec = extract_text(_text("Transit pilot extended for a year | Valley Courier", STORY, MORE))
    assert (rec.title, rec.source) == ("Transit pilot extended for a year", "Valley Courier")


# ----------------------------------------------------------------------------- outlet from weak places

def test_copyright_line_without_corporate_tail_or_year() -> None:
    assert copyright_holder("© 2025 The Lakeshore Echo, a division of Northway Media Inc.") == "The Lakeshore Echo"
    assert copyright_holder("© Le Courrier du Nord 2025. Tous droits réservés.") == "Le Courrier du Nord"
    assert copyright_holder("Copyright © 2025 Ridge News, a division of Ridgeline Broadcasting") == "Ridge News"


def test_page_address_and_newsroom_email_name_the_site() -> None:
    rec = extract_text(_text("Transit pilot extended for a year", STORY, MORE,
                             "https://www.harbourlamp.ca/local/transit-pilot-extended"))
    assert rec.source == "harbourlamp.ca" and rec.evidence["source"] == "address"
    assert "harbourlamp" not in rec.body
    rec = extract_text(_text("Harbour Lamp", "Home", "News", "Sports", "Transit pilot extended for a year", STORY,
                             MORE, "Got a news tip? Email news@harbourlamp.ca"))
    assert rec.source == "Harbour Lamp"


def test_with_files_from_a_wire_is_not_the_source() -> None:
    rec = extract_text(_text("Transit pilot extended for a year", STORY, MORE, "With files from Reuters",
                             "https://www.harbourlamp.ca/local/transit"))
    assert rec.source == "harbourlamp.ca"
    assert parse_footer("With files from CTV News’ Ana Ruiz").outlets == ("CTV News",)  # the outlet's own staff


# ----------------------------------------------------------------------------- bylines and credits

def test_bylines_with_outlet_suffixes_and_agencies() -> None:
    assert parse_byline("Leyla Cho in Vancouver and agencies") == (["Leyla Cho"], [])
    assert parse_byline("By Stacey Ngata & Luis Ferreira Northern Ridge News") == (
        ["Stacey Ngata", "Luis Ferreira"], ["Northern Ridge News"])
    assert parse_byline("Par Geneviève Roy")[0] == ["Geneviève Roy"]
    rec = extract_text(_text("Transit pilot extended for a year", "Maria Ostapenko, The Canadian Press",
                             "Posted June 3, 2025 5:20 pm", STORY, MORE))
    assert (rec.authors, rec.source) == (("Maria Ostapenko",), "The Canadian Press")
    rec = extract_text(_text("Transit pilot extended for a year", "Posted on June 12, 2025 by Jane Doe", STORY, MORE))
    assert rec.authors == ("Jane Doe",)


def test_end_of_story_contributors() -> None:
    rec = extract_text(_text("Transit pilot extended for a year", STORY, MORE, "— Sam Ostrowski, The Canadian Press",
                             "Ann Lee and Raj Patel in Ottawa contributed to this report."))
    assert set(rec.contributors) == {"Sam Ostrowski", "Ann Lee", "Raj Patel"}
    assert "Ostrowski" not in rec.body and "contributed" not in rec.body
    assert not is_footer("Prime Minister Carney contributed $5 million to the fund.")


# ----------------------------------------------------------------------------- furniture in the body

def test_publisher_furniture_inside_the_story_is_dropped() -> None:
    furniture = ["Article content", "This advertisement has not loaded yet, but your article continues below.",
                 "UPDATE: 7:33 a.m.", "Click to play video: 'Pilot extended'", "2:14", "Pilot extended",
                 "Send this page to someone via email", "AP Transit: https://example.org/hub/transit",
                 "You can save this article by registering for free here. Or sign-in if you have an account."]
    rec = extract_text(_text("Transit pilot extended for a year", STORY, *furniture, MORE))
    assert rec.body == STORY + "\n\n" + MORE
    assert all(is_noise(line) for line in furniture if not line.startswith(("Click", "Pilot")))


def test_inline_pointer_and_its_headline_skip_but_a_closing_list_cuts() -> None:
    rec = extract_text(_text("Transit pilot extended for a year", STORY, "Read also:", "Buses get new routes",
                             MORE, STORY.replace("Tuesday", "Monday")))
    assert "Buses get new routes" not in rec.body and MORE in rec.body
    rec = extract_text(_text("Transit pilot extended for a year", STORY, MORE, "More Business News",
                             "Copper slides as demand cools", "World News"))
    assert rec.body == STORY + "\n\n" + MORE
    assert not {"More Business News", "Business News", "World News"} & set(rec.organizations)


def test_up_next_block_of_wire_sports_copy_stays() -> None:
    rec = extract_text(_text("Jays win in 11 innings on a two-out single", STORY, MORE, "UP NEXT",
                             "Jays: Open a four-game series in Baltimore on Monday night."))
    assert rec.body.endswith("Open a four-game series in Baltimore on Monday night.")


def test_topic_links_left_under_the_story_are_tags() -> None:
    layout = parse_layout(_text("Transit pilot extended", STORY, MORE, STORY, "Transit", "City Hall", "Budgets"))
    assert layout.paragraphs[-1] == STORY and layout.tags[-3:] == ("Transit", "City Hall", "Budgets")


# ----------------------------------------------------------------------------- organisations and people

def test_organisation_shapes() -> None:
    ents = find_entities([
        "Since Canada imposed counter-tariffs, Sudbury-based Norcrest Nickel and Cleveland-Cliffs have raised prices.",
        "Two of Canada's largest grocers, Fairmead Grocers and the Windsor-Essex Parts Consortium, agreed.",
        "The Canadian Red Cross and Vancouver Coastal Health opened a centre at the Pomeroy Sport Centre.",
        "TO UNLOCK MORE ARTICLES, CREATE A FREE ACCOUNT"])
    assert {"Norcrest Nickel", "Cleveland-Cliffs", "Fairmead Grocers", "Windsor-Essex Parts Consortium",
            "Canadian Red Cross", "Vancouver Coastal Health"} <= set(ents.organizations)
    assert not {"Since Canada", "Two of Canada"} & set(ents.organizations)
    assert {"Canada", "Pomeroy Sport Centre"} <= set(ents.places)
    assert "Cleveland" not in ents.places and not ents.people


def test_a_person_fused_to_an_organisation_and_a_title_is_split() -> None:
    ents = find_entities(["Bank of Canada Governor Tiff Macklem and the Bank of Canada's Ruth Okafor spoke."])
    assert ents.people == ["Tiff Macklem", "Ruth Okafor"]
    assert ents.organizations == ["Bank of Canada"]


def test_possessive_prefixes_and_team_nicknames() -> None:
    ents = find_entities([
        "Jets' Anders Halvorsen made 41 saves as the Winnipeg Jets beat the St. Louis Blues.",
        "Blues' Dmitri Vasko scored, and Red Sox's Wyatt Penrose homered as the Boston Red Sox won.",
        "EU's von der Leyen met Champagne. Von der Leyen said talks would continue."])
    assert {"Anders Halvorsen", "Dmitri Vasko", "Wyatt Penrose"} <= set(ents.people)
    assert not [p for p in ents.people if "'" in p or p in ("Red Sox", "der Leyen")]
    assert {"Winnipeg Jets", "St. Louis Blues", "Boston Red Sox"} <= set(ents.organizations)
    assert "Red Sox" not in ents.organizations  # the nickname is the same team


# ----------------------------------------------------------------------------- quotes

def test_quote_speaker_given_by_title_is_the_named_holder() -> None:
    rec = extract_text(_text(
        "Ottawa and Brussels agree to speed up steel talks",
        "Finance Minister Ana Ribeiro met European Commission President Luc Marchal in Brussels on Tuesday. "
        "\u201cEurope is a partner that keeps its word,\u201d Canada's finance minister said after the meeting.",
        MORE))
    assert [(q.speaker, q.text[:6]) for q in rec.quotes] == [("Ana Ribeiro", "Europe")]


def test_pronoun_follows_the_subject_of_the_last_sentence_not_a_later_possessive() -> None:
    rec = extract_text(_text(
        "Bakery closes after 61 years",
        "Owner Domenic Vella said the business could not absorb the latest jump in costs this spring.",
        "Margaret Sousa, who has bought bread at Vella's since 1971, said she would miss the street.",
        "\u201cIt's the end of something,\u201d she said."))
    assert [q.speaker for q in rec.quotes] == ["Margaret Sousa"]


# ----------------------------------------------------------------------------- French labels

def test_french_page_labels_dates_and_quotes() -> None:
    rec = extract_text(_text(
        "Passer au contenu", "Économie", "Les bleuetières misent sur l'Europe", "Par Geneviève Roy",
        "Publié le 12 juin 2025 à 6 h 00", "Partager", "Publicité",
        "Les producteurs de bleuets de la région se tournent vers l'Europe pour vendre leur récolte, alors que "
        "les droits de douane américains rendent le marché des États-Unis moins rentable.",
        "« On ne peut plus mettre tous nos œufs dans le même panier », affirme le président de la coopérative, "
        "Réjean Boivin.",
        "La députée de Roberval, Nathalie Côté, a salué l'entente. « C'est une bonne nouvelle pour la région », "
        "a-t-elle déclaré.",
        "Avec des informations de La Presse Canadienne", "© Le Courrier du Nord 2025. Tous droits réservés."))
    assert (rec.section, rec.source, rec.authors) == ("Économie", "Le Courrier du Nord", ("Geneviève Roy",))
    assert rec.date is not None and rec.date.isoformat()[:10] == "2025-06-12"
    assert [q.speaker for q in rec.quotes] == ["Réjean Boivin", "Nathalie Côté"]
    assert {"Europe", "United States", "Roberval"} <= set(rec.places)
    assert not rec.contributors and "Publicité" not in rec.body
