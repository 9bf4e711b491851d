from __future__ import annotations

from generator.slug import free_slug, slugify


def test_examples_from_design() -> None:
    assert slugify("Trade War") == "trade-war"
    assert slugify("Montréal") == "montreal"
    assert slugify("Canada-US Relations") == "canada-us-relations"
    assert slugify("Oil and Gas") == "oil-and-gas"
    assert slugify("  Steel & Aluminum!! ") == "steel-aluminum"


def test_other_scripts_transliterated_and_empty_names_hashed() -> None:
    assert slugify("Москва") == "moskva"
    assert slugify("北京") != ""
    empty = slugify("!!!")
    assert empty.startswith("n-") and empty == slugify("!!!")


def test_slugs_never_escape() -> None:
    for hostile in ["../../etc/passwd", "a/b", "..", "/abs", "a\\b", "\x00x"]:
        slug = slugify(hostile)
        assert "/" not in slug and ".." not in slug and "\\" not in slug and slug


def test_collisions_get_numbered_in_stable_order() -> None:
    taken: set[str] = set()
    for name in sorted(["Trade War", "trade war", "Trade-War"]):
        taken.add(free_slug(slugify(name), taken.__contains__))
    assert taken == {"trade-war", "trade-war-2", "trade-war-3"}
    assert free_slug("trade-war", {"trade-war", "trade-war-2"}.__contains__) == "trade-war-3"
