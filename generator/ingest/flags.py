"""What ingest cannot establish, said in the article's front matter: its ``review:`` reasons.

An article is held for review (left out like a draft, named by every build and by ``digest review``)
when a reader would otherwise be told a guess as a fact. The reasons, and the evidence each rests on
(how often each fires on ``tests/fixtures/articles`` is in the README's "Review" section):

- ``date``: the input states no publication date (ingest never invents one; ``date`` stays empty);
- ``title``: no headline was found, so the story's opening words stand in for it;
- ``text``: fewer than ``MIN_WORDS`` words of article text (a teaser, a paywall stub, a page of links);
- ``length``: over ``MAX_WORDS`` words, far longer than any news story (a book, a whole site's text);
- ``source``: the outlet is inferred from an incidental mention — a photo credit ("… for The Times"), a
  "More from …" line, a web address in the text — not from a credit of the story itself;
- ``section``: the label above the headline is site furniture ("CONTACT", "Listen Live");
- ``url``: a link with a scheme other than http(s) (``javascript:``, ``file:``…) was dropped.

Links are made safe here (``links.http_url``): an article keeps no other kind of URL. A relative link
with nothing to resolve it against, or a ``data:`` placeholder image of a lazy-loading page, is dropped
without holding the article: nothing about it needs a human.
"""

from __future__ import annotations

import re
from dataclasses import replace

from generator.links import http_url, link_scheme
from generator.model import Record

MIN_WORDS = 40
MAX_WORDS = 12_000
WEAK_SOURCES = ("photo-credit", "more-from", "address")  # extract's ``evidence["source"]``
# A "kicker" that is really a navigation item or a player button copied with the page.
_FURNITURE = re.compile(
    r"^(?:contact(?: us)?|about(?: us)?|home(?:page)?|menu|main menu|search|log ?in|sign ?in|sign up|register|"
    r"subscribe|newsletters?|account|my account|profile|help|faq|careers|jobs|advertise|shop|store|donate|"
    r"privacy(?: policy)?|terms(?: of (?:use|service))?|cookies?|site ?map|skip to (?:main )?content|"
    r"all sections|sections|more|close|back|next|previous|share|print|e-?mail|rss|follow us|apps?|"
    r"e-?edition|epaper|today'?s paper|classifieds|obituaries|contests|weather|traffic|"
    r"view (?:in|this email in) (?:your )?browser|view online|read online|"
    r"(?:listen|watch)(?: now| live)?|live(?: tv| radio| stream)?|on air|podcasts?|photos?|galleries|gallery|"
    r"videos?)\W*$", re.I)


def safe_links(record: Record) -> tuple[Record, bool]:
    """The record with only http(s) links (``url``, the image's), and whether a dropped one needs a human
    (it had a scheme other than http(s); a ``data:`` image is a lazy-loading placeholder)."""
    url = http_url(record.url) if record.url else None
    unsafe = record.url is not None and url is None and link_scheme(record.url) != ""
    image = record.image
    if image is not None and image.url:
        image_url = http_url(image.url, url)
        if image_url is None:
            unsafe = unsafe or link_scheme(image.url) not in ("", "data")
        if image_url != image.url:
            image = replace(image, url=image_url)
    if url == record.url and image is record.image:
        return record, unsafe
    return replace(record, url=url, image=image), unsafe


def review_reasons(record: Record, *, dropped_link: bool = False) -> tuple[str, ...]:
    """Why an article made from ``record`` (an extraction of an inbox file) needs a human first."""
    evidence = record.evidence
    reasons = []
    if record.date is None:
        reasons.append("date")
    if not record.title or evidence.get("title") == "first-paragraph":
        reasons.append("title")
    if record.word_count < MIN_WORDS:
        reasons.append("text")
    elif record.word_count > MAX_WORDS:
        reasons.append("length")
    if record.source and evidence.get("source") in WEAK_SOURCES:
        reasons.append("source")
    if record.section and evidence.get("section") != "page-meta" and _FURNITURE.match(record.section.strip()):
        reasons.append("section")
    if dropped_link:
        reasons.append("url")
    return tuple(reasons)
