"""Places in coordinated lists, and people precision (generic nouns, plural titles, possessives)."""

from __future__ import annotations

from generator.extract.entities import find_entities


def test_unknown_names_listed_with_known_places_are_places() -> None:
    ents = find_entities(["Buses carried evacuees from Dauphin, Brandon and The Hollows on Tuesday."])
    assert {"Dauphin", "Brandon", "The Hollows"} <= set(ents.places)
    ents = find_entities(["Sawmills in Burns Lake, Kamloops and Vanderhoof have cut shifts."])
    assert {"Burns Lake", "Kamloops", "Vanderhoof"} <= set(ents.places)
    assert not ents.people


def test_en_dash_compound_with_a_known_place_is_one_place() -> None:
    ents = find_entities(["Smelters in the Saguenay–Lac-Saint-Jean region are bracing for cuts."])
    assert "Saguenay–Lac-Saint-Jean" in ents.places


def test_list_without_a_known_place_stays_unknown() -> None:
    ents = find_entities(["Mills in Quarryville, Lindendale and Pocksworth have closed."])
    assert not ents.places


def test_person_lists_do_not_become_places() -> None:
    ents = find_entities(["Premiers Doug Ford, François Legault and Tim Houston met in Winnipeg.",
                          "Ford, Legault and Houston agreed to meet again."])
    assert set(ents.places) == {"Winnipeg"}
    assert ents.people == ["Doug Ford", "François Legault", "Tim Houston"]


def test_place_word_as_surname_only_dropped_inside_the_person_list() -> None:
    ents = find_entities(["Tim Houston and Doug Ford spoke. Ford and Houston agreed.",
                          "Flights to Houston, Texas resumed."])
    assert "Houston" in ents.places


def test_speaker_lists_are_not_places() -> None:
    ents = find_entities(["In Toronto, Abernathy and Quillfeather said talks stalled."])
    assert ents.places == ["Toronto"]


def test_generic_and_plural_nouns_are_never_people() -> None:
    ents = find_entities(["Economists said the cut was likely.", "Officials said roads were closed.",
                          "Residents said the smoke was thick.", "The Company said sales rose.",
                          "Analysts said it was a surprise."])
    assert ents.people == []


def test_leading_plural_title_is_stripped() -> None:
    ents = find_entities(["Governors Christopher Waller and Michelle Bowman dissented.",
                          "Ministers Anita Anand and Dominic LeBlanc arrived."])
    assert ents.people == ["Christopher Waller", "Michelle Bowman", "Anita Anand", "Dominic LeBlanc"]


def test_possessive_never_makes_a_place() -> None:
    ents = find_entities(["The lights in Wanda Przybylski's bakery come on at dawn, Przybylski said."])
    assert ents.places == []
    assert ents.people == ["Wanda Przybylski"]
