"""scripts/score_extract.py: the matching rules on tiny gold/prediction pairs, then the real fixtures.

The small cases are there so a scorer that always says 1.0 fails: each one pairs a right and a wrong
prediction and checks that only the wrong one loses points.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "scripts" / "score_extract.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_extract", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["score_extract"] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


se = _load()


@pytest.mark.parametrize(("a", "b"), [
    ("U.S.", "US"),
    ("Canada-U.S. relations", "Canada US Relations"),
    ("Mélanie Joly", "Melanie Joly"),
    ("Søren Økland", "Soren Okland"),
    ("“Not going to blink”", '"not going to blink"'),
    ("Trump’s tariffs", "Trump tariffs"),
    ("Steel & Aluminum", "steel and aluminum"),
    ("The Canadian Press", "Canadian Press"),
    ("News Desk | Montreal", "news desk montreal"),
    ("REUTERS/Blair Gable", "Reuters Blair Gable"),
])
def test_normalisation_equates_variants(a: str, b: str) -> None:
    assert se.norm(a) == se.norm(b)


@pytest.mark.parametrize(("a", "b"), [("Joly", "Jolly"), ("Ontario", "Ottawa"), ("Them", "The")])
def test_normalisation_keeps_different_words_apart(a: str, b: str) -> None:
    assert se.norm(a) != se.norm(b)


def test_honorific_dropped_for_names_only() -> None:
    assert se.norm_name("Mr. Mark Carney") == se.norm_name("Mark Carney")
    assert se.norm_name("Dr. Theresa Tam") == "theresa tam"
    assert se.norm_name("Prime Minister Mark Carney") != se.norm_name("Mark Carney")  # other titles stay


def test_alternatives_are_honoured() -> None:
    gold = "Associated Press|AP"
    assert se.score_choice(gold, "AP").score == 1
    assert se.score_choice(gold, "the associated press").score == 1
    assert se.score_choice(gold, "Reuters").score == 0
    assert se.score_choice(gold, None).score == 0


def test_null_and_list_gold_for_section() -> None:
    assert se.score_choice(None, None).score == 1
    assert se.score_choice(None, "Politics").score == 0
    assert se.score_choice(["News", None], "").score == 1
    assert se.score_choice(["News", None], "news").score == 1
    assert se.score_choice(["News", None], "Sports").score == 0


def test_date_keeps_the_local_day() -> None:
    assert se.score_date("2025-06-18", "2025-06-18T21:42:00-05:00").score == 1
    assert se.score_date("2025-06-18", "2025-06-19T02:42:00+00:00").score == 0  # converted to UTC: wrong day
    assert se.score_date(None, None).score == 1
    assert se.score_date(None, "2025-06-18").score == 0
    assert se.score_date(["2025-06-18", "2025-06-19"], "2025-06-19T08:00:00").score == 1


def test_set_f1_with_optional_items_and_alternatives() -> None:
    gold, optional = ["Federal Reserve|Fed", "Bank of Canada"], ["White House"]
    perfect = se.score_set(gold, optional, ["Fed", "Bank of Canada", "White House"])
    assert (perfect.score, perfect.precision, perfect.recall) == (1, 1, 1)
    half = se.score_set(gold, optional, ["Fed"])
    assert half.recall == 0.5 and half.precision == 1
    spurious = se.score_set(gold, optional, ["Fed", "Bank of Canada", "Treasury"])
    assert spurious.precision == pytest.approx(2 / 3) and spurious.recall == 1
    assert spurious.note == "missing=[] extra=['Treasury']"


def test_set_f1_edge_cases() -> None:
    assert se.score_set([], [], []).score == 1
    assert se.score_set([], [], ["Ottawa"]).score == 0
    assert se.score_set(["Ottawa"], [], []).score == 0
    # The same entity twice (two of its alternatives) is one hit, not a false positive.
    assert se.score_set(["Federal Reserve|Fed"], [], ["Federal Reserve", "Fed"]).score == 1


def test_topics_outside_the_fixed_set_are_not_scored() -> None:
    gold = {"topics": ["Trade War"], "topics_optional": ["Canada-US Relations"]}
    assert se.score_topics(gold, ["Trade War", "Canada-US Relations", "Local Politics"]).score == 1
    assert se.score_topics(gold, ["Trade War", "Sports"]).score < 1


QUOTE_GOLD = {
    "quotes": [
        {"speaker": "Mélanie Joly|Joly", "text_start": "We are not going to blink"},
        {"speaker": "Derek Olsen|Olsen", "text_start": "Orders are being cancelled as we"},
    ],
    "quotes_optional": [{"speaker": "Mélanie Joly", "text_start": "every right"}],
}


def test_quotes_need_text_and_speaker() -> None:
    right = [{"speaker": "Melanie Joly", "text": "We’re — no: “We are not going to blink,” full stop."},
             {"speaker": "Olsen", "text": "Orders are being cancelled as we speak."}]
    score, text_hits, total = se.score_quotes(QUOTE_GOLD, right)
    assert score.score == 1 and (text_hits, total) == (2, 2)

    wrong_speaker = [right[0], {"speaker": "Mélanie Joly", "text": "Orders are being cancelled as we speak."}]
    score, text_hits, _ = se.score_quotes(QUOTE_GOLD, wrong_speaker)
    assert score.score == pytest.approx(0.5)  # P = 1/2, R = 1/2
    assert text_hits == 2  # the text was found; only the speaker was wrong


def test_optional_quotes_are_ignored_but_unknown_ones_cost_precision() -> None:
    base = [{"speaker": "Joly", "text": "We are not going to blink"},
            {"speaker": "Derek Olsen", "text": "Orders are being cancelled as we speak"}]
    with_optional = [*base, {"speaker": "Someone", "text": "every right"}]
    assert se.score_quotes(QUOTE_GOLD, with_optional)[0].score == 1
    with_invented = [*base, {"speaker": "Joly", "text": "Something nobody labelled"}]
    assert se.score_quotes(QUOTE_GOLD, with_invented)[0].precision == pytest.approx(2 / 3)


def test_boilerplate_leaks() -> None:
    declared = ["Story continues below advertisement", "Share", "Steel industry braces for doubled U.S. tariff"]
    clean = se.body_lines("OTTAWA — Share prices fell.\n\nThe minister spoke.")
    assert se.score_boilerplate(declared, clean)[0].score == 1  # "Share" inside a sentence is fine

    lone_share = se.body_lines("The minister spoke.\nShare\nMore text.")
    score, leaked = se.score_boilerplate(declared, lone_share)
    assert leaked == ["Share"] and score.score == pytest.approx(2 / 3)

    inline = se.body_lines(["First.", "Related: Steel industry braces for doubled U.S. tariff — read more"])
    assert se.score_boilerplate(declared, inline)[1] == ["Steel industry braces for doubled U.S. tariff"]

    assert se.score_boilerplate(declared, [])[0].score == 0  # an empty body cannot pass


def test_body_first_and_last_are_presence_tests() -> None:
    lines = se.body_lines("WASHINGTON (AP) — The Federal Reserve kept its key rate.\n\n• Lists are body too.")
    assert se.score_presence("The Federal Reserve kept its key", lines).score == 1
    assert se.score_presence("Lists are body too.", lines).score == 1
    assert se.score_presence("The Bank of Canada held", lines).score == 0
    assert se.score_presence("The Federal Reserve", []).score == 0


def _fixture_dir(tmp_path: Path) -> Path:
    (tmp_path / "a.txt").write_text("HEADLINE\n\nBody.\n", encoding="utf-8")
    gold = {"title": "Headline", "section": None, "date": None, "source": "Example News", "authors": [],
            "contributors": [], "image_credit": None, "people": [], "organizations": [], "places": [],
            "quotes": [], "topics": [], "boilerplate": [], "body_first": "Body.", "body_last": "Body."}
    (tmp_path / "a.gold.yaml").write_text(json.dumps(gold), encoding="utf-8")  # JSON is valid YAML
    (tmp_path / "unlabelled.txt").write_text("ignored\n", encoding="utf-8")
    return tmp_path


def test_a_perfect_command_scores_one_and_a_failing_one_zero(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    folder = _fixture_dir(tmp_path)
    perfect = json.dumps({"title": "HEADLINE", "source": "Example News", "body": ["Body."]})
    cmd = f"{sys.executable} -c 'import sys; print(sys.argv[1])' '{perfect}' # {{file}}"
    assert se.main(["--dir", str(folder), "--cmd", cmd, "--min", "1"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "overall F1 1.00"

    assert se.main(["--dir", str(folder), "--cmd", "exit 3 # {file}", "--min", "0.5"]) == 1
    out = capsys.readouterr().out
    assert "ERROR" in out and out.splitlines()[-1] == "overall F1 0.00"


def test_the_project_fixtures_score_at_least_095() -> None:
    results = se.score_directory(se.DEFAULT_DIR, se.in_process_extractor(REPO / "config.yaml"))
    assert len(results) >= 12, [r.name for r in results]
    assert not [r.name for r in results if r.error]
    summary = se.summarise(results)
    assert summary.overall >= 0.95, {r.name: round(r.mean, 3) for r in results if r.mean < 1}


HELDOUT = REPO / "tests" / "fixtures" / "heldout"


def test_the_held_back_fixtures_score_at_least_090() -> None:
    """The held-back articles are scored, never tuned on: the rules were written without looking at what
    they miss there, so this number is the honest estimate for unseen text (0.93 when the set was made;
    the floor sits a little under it). Do not fix a failure here by adding a rule for one of these files:
    write a new fixture of the same shape under tests/fixtures/articles and make that one pass."""
    results = se.score_directory(HELDOUT, se.in_process_extractor(REPO / "config.yaml"))
    assert len(results) >= 7, [r.name for r in results]
    assert not [r.name for r in results if r.error]
    assert se.summarise(results).overall >= 0.90
