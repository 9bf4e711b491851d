from __future__ import annotations

from generator.config import MatchRule, TopicConfig
from generator.topicmatch import TopicText, count_hits, match_topics

RULE = MatchRule(any=("tariff*", "trade war"), people=("Doug Ford",), min_hits=2)


def test_wildcards_whole_words_accents_and_case() -> None:
    assert count_hits(RULE, "", "Tariffs rose. A TARIFF fell. Notariff counts not.") == 2
    assert count_hits(MatchRule(any=("Québec",)), "", "quebec and QUÉBEC") == 2
    assert count_hits(RULE, "", "the trade-war and the trade\nwar") == 2


def test_title_counts_twice_and_summary_outside_body_counts() -> None:
    assert count_hits(RULE, "Tariff talk", "nothing") == 2
    assert count_hits(RULE, "", "nothing", summary="Doug Ford on tariffs") == 2
    assert count_hits(RULE, "", "Doug Ford on tariffs", summary="Doug Ford on tariffs") == 2


def test_min_hits_and_topics_without_rules() -> None:
    topics = [TopicConfig("Trade War", "trade-war", match=RULE), TopicConfig("Sports", "sports")]
    assert match_topics(topics, TopicText("Hockey", "a tariff")) == ()
    assert match_topics(topics, TopicText("Tariff news", "more")) == ("Trade War",)
