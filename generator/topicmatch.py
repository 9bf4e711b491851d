"""Topic match rules as compiled regexes, shared by extraction (ingest) and taxonomy (build).

A rule counts whole-word, case- and accent-insensitive occurrences of its words, people and
organisations: twice in the title, once in the body, once in a summary the body does not contain.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from generator.config import MatchRule, TopicConfig


def fold(text: str) -> str:
    """Lower-case and strip accents so ``Mélanie`` matches ``melanie``; length may change."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _term_pattern(term: str) -> str:
    term = fold(term.strip())
    wildcard = term.endswith("*")
    words = [re.escape(w) for w in re.split(r"[\s\-]+", term.rstrip("*").strip()) if w]
    if not words:
        return ""
    body = r"[\s\-]+".join(words)
    return rf"(?<!\w){body}\w*" if wildcard else rf"(?<!\w){body}(?!\w)"


@lru_cache(maxsize=512)
def compile_rule(rule: MatchRule) -> re.Pattern[str] | None:
    parts = [p for p in (_term_pattern(t) for t in (*rule.any, *rule.people, *rule.organizations)) if p]
    if not parts:
        return None
    return re.compile("|".join(f"(?:{p})" for p in parts))


def count_hits(rule: MatchRule, title: str, body: str, summary: str | None = None) -> int:
    pattern = compile_rule(rule)
    if pattern is None:
        return 0
    folded_body = fold(body)
    hits = 2 * len(pattern.findall(fold(title))) + len(pattern.findall(folded_body))
    if summary:
        folded_summary = fold(summary)
        if folded_summary.strip() and folded_summary.strip() not in folded_body:
            hits += len(pattern.findall(folded_summary))
    return hits


@dataclass(frozen=True)
class TopicText:
    title: str
    body: str
    summary: str | None = None


def match_topics(topics: Sequence[TopicConfig], text: TopicText) -> tuple[str, ...]:
    """Names of the topics (in config order) whose rules the text satisfies."""
    found = []
    for topic in topics:
        if topic.match is None:
            continue
        if count_hits(topic.match, text.title, text.body, text.summary) >= topic.match.min_hits:
            found.append(topic.name)
    return tuple(found)
