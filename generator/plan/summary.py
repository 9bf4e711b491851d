"""Whether an article's summary only repeats its opening paragraph, so the page shows it once.

Ingest often takes the summary from the first real paragraph; shown as a standfirst above a body that
opens with the same words, the reader meets them twice. The comparison is on plain words (Markdown
marks, quote styles, spacing and case aside), after a wire dateline (``OTTAWA (Reuters) —``); a summary
that is the paragraph's first sentences (or its start, cut with ``…``) repeats it too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple

from generator.model import Article

_DATELINE = re.compile(r"^[A-ZÀ-Ý][A-ZÀ-Ý .,'’-]{1,60}(?:\([^)]{1,30}\))?\s*[—–-]+\s+")
_MARKS = re.compile(r"[*_`#>\[\]]|\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_NON_WORD = re.compile(r"[^\w]+")


def _words(text: str) -> str:
    text = _LINK.sub(r"\1", text)
    text = _MARKS.sub("", text)
    return _NON_WORD.sub(" ", text).strip().casefold()


def _first_paragraph(body: str) -> str:
    start = 0
    while start < len(body):  # block by block: a long body is not split whole for its first paragraph
        end = body.find("\n\n", start)
        if end == -1:
            end = len(body)
        block = body[start:end].strip()
        if block and not block.startswith(("#", "|", "```", "<", "![", "- ", "* ", "1. ")):
            return " ".join(block.split())
        start = end + 2
    return ""


def summary_repeats_lead(summary: str | None, body: str) -> bool:
    if not summary:
        return False
    lead = _first_paragraph(body)
    if not lead:
        return False
    text = summary.rstrip()
    said = _words(text.rstrip("…."))
    if not said:
        return False
    # A prefix repeats the paragraph when it is whole sentences, or was visibly cut short.
    prefix_ok = text.endswith(("…", "...", ".", "!", "?", ".”", ".\"", "?”", "!”"))
    undated = _DATELINE.sub("", lead)
    openings = (undated, lead) if undated != lead else (lead,)  # (the same words need no second look)
    return any(opening == said or (prefix_ok and opening.startswith(said + " "))
               for opening in map(_words, openings))


class TextFacts(NamedTuple):
    """What planning reads of an article's text: a function of its file alone, so Build has the read step's
    workers make it (``text_facts``) and hands it over (``learn_text_facts``) before planning."""

    words: int  # words in the body: which version of a story is the most complete
    summary_repeats_lead: bool


def text_facts(article: Article) -> TextFacts:
    return TextFacts(len(article.body.split()), summary_repeats_lead(article.summary, article.body))


# By the file's content hash: asked on every plan of an article made again, and of every member of a story
# (splitting ten thousand bodies again for a one-article rebuild cost half a second).
_FACTS: dict[str, TextFacts] = {}


def learn_text_facts(facts: Mapping[str, TextFacts]) -> None:
    _FACTS.update(facts)


def facts_of(article: Article) -> TextFacts:
    if not article.content_hash:
        return text_facts(article)
    known = _FACTS.get(article.content_hash)
    if known is None:
        known = _FACTS[article.content_hash] = text_facts(article)
    return known
