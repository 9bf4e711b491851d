#!/usr/bin/env python3
"""Write a deterministic digest project of N generated news articles (standard library only).

Article i depends only on (seed, i), so N=1000 is a prefix of N=10000. The text is synthetic
filler built from our own word lists: realistic in shape (front matter, headings, links, lists,
quotes, non-ASCII names), meaningless in content.

    python3 bench/corpus.py 10000 /tmp/digest-bench-10000
"""

from __future__ import annotations

import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

TOPICS = [
    "Trade War", "Steel and Aluminum", "Canada-US Relations", "Sports", "Wildfires", "Interest Rates",
    "Housing", "Energy", "Health Care", "Immigration", "Elections", "Transit", "Agriculture", "Defence",
    "Technology", "Climate", "Labour", "Education", "Arts", "Courts",
]
OUTLETS = ["Maple Wire", "Harbour Times", "Prairie Ledger", "Northern Post", "Capital Record", "Coast Daily"]
PEOPLE = ["Mélanie Joly", "Doug Ford", "Mark Carney", "François Legault", "Anita Singh", "Owen Beardy",
          "Chloé Tremblay", "Marcus Delaney", "Priya Nandakumar", "Zoë Okafor", "Tomás Ruiz", "Ingrid Solberg"]
WORDS = ["tariff", "steel", "border", "market", "trade", "minister", "council", "province", "federal",
         "budget", "shipment", "mill", "port", "rail", "harbour", "wage", "rate", "forecast", "plant", "union",
         "export", "import", "deal", "talks", "season", "crews", "smoke", "evacuation", "lender", "mortgage",
         "inflation", "growth", "jobs", "report", "hearing", "vote"]


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def paragraph(rng: random.Random) -> str:
    parts = [sentence(rng, rng.randint(8, 18)) for _ in range(rng.randint(2, 4))]
    if rng.random() < 0.3:
        parts.append(f"[More from the {rng.choice(OUTLETS)}](https://example.org/{rng.randint(1, 9999)}/).")
    if rng.random() < 0.3:
        parts.insert(1, f"*{rng.choice(WORDS)}* and **{rng.choice(WORDS)}**.")
    return " ".join(parts)


def article(seed: int, i: int) -> tuple[str, str]:
    rng = random.Random(seed * 1_000_003 + i)
    base = datetime(2024, 1, 1, 6, 0, tzinfo=timezone(timedelta(hours=-5)))
    when = base + timedelta(minutes=37 * i + rng.randint(0, 30))
    title = sentence(rng, rng.randint(5, 10)).rstrip(".")
    slug = f"a{i:05d}-" + "-".join(title.lower().split()[:4])
    topics = sorted(set(rng.sample(TOPICS, rng.randint(1, 3))))
    speaker = rng.choice(PEOPLE)
    body = [paragraph(rng)]
    for _ in range(rng.randint(3, 7)):
        roll = rng.random()
        if roll < 0.15:
            body.append(f"## {sentence(rng, 4).rstrip('.')}")
        elif roll < 0.25:
            body.append("\n".join(f"- {sentence(rng, 6)}" for _ in range(3)))
        elif roll < 0.35:
            body.append(f"> “{sentence(rng, 12)}” said {speaker}.")
        body.append(paragraph(rng))
    front = "\n".join([
        "---",
        f'title: "{title}"',
        f"date: {when.isoformat()}",
        f"topics: [{', '.join(topics)}]",
        f"tags: [{rng.choice(WORDS)}]",
        f"source: {rng.choice(OUTLETS)}",
        f"people: [{speaker}]",
        f'summary: "{sentence(rng, 20)}"',
        "---",
    ])
    return slug, front + "\n\n" + "\n\n".join(body) + "\n"


CONFIG = """\
site: {{title: Bench Digest, url: https://bench.example.org/, description: Generated corpus, language: en}}
feed: {{items: 50, full_content: true}}
topics:
{topics}
"""


def write_project(n: int, root: Path, seed: int = 1) -> None:
    articles = root / "content" / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        slug, text = article(seed, i)
        path = articles / f"{slug}.md"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    topics = "\n".join(f"  - {{name: {t}, description: Coverage of {t.lower()}.}}" for t in TOPICS)
    (root / "config.yaml").write_text(CONFIG.format(topics=topics), encoding="utf-8")


if __name__ == "__main__":
    write_project(int(sys.argv[1]), Path(sys.argv[2]))
