"""The labelled story sets of ``tests/fixtures/stories/`` as articles, and B-cubed scoring."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import yaml

from generator.model import Article

HERE = Path(__file__).parent / "fixtures" / "stories"


def load_set(name: str) -> tuple[list[Article], dict[str, str]]:
    """(articles, gold story label by article slug) of ``tests/fixtures/stories/NAME.yaml``."""
    items = yaml.safe_load((HERE / f"{name}.yaml").read_text(encoding="utf-8"))["articles"]
    by_slug = {item["slug"]: item for item in items}
    articles, gold = [], {}
    for item in items:
        body = item.get("body")
        if body is None:  # a wire copy: the same text, its last sentence trimmed, the same names found in it
            original = by_slug[item["copy_of"]]
            body = original["body"].rsplit(". ", 1)[0] + "."
            item = {**{k: original[k] for k in ("people", "organizations", "places") if k in original}, **item}
        date = item["date"] if isinstance(item["date"], datetime) else datetime.fromisoformat(item["date"])
        articles.append(Article(
            path=f"content/articles/{item['slug']}.md", slug=item["slug"], title=str(item["title"]), date=date,
            source=item.get("source"), body=body, people=tuple(item.get("people", ())),
            organizations=tuple(item.get("organizations", ())), places=tuple(item.get("places", ())),
            story=item.get("pin")))
        gold[item["slug"]] = item["story"]
    return articles, gold


def bcubed(found: Iterable[Iterable[str]], gold: dict[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of ``found`` (groups of slugs covering every article) against
    ``gold`` (slug → label) (Bagga & Baldwin 1998; Amigó et al. 2009)."""
    cluster_of = {s: frozenset(group) for group in map(list, found) for s in group}
    gold_of: dict[str, set[str]] = {}
    for s, label in gold.items():
        gold_of.setdefault(label, set()).add(s)
    precision = recall = 0.0
    for s, label in gold.items():
        mine, truth = cluster_of.get(s, frozenset({s})), gold_of[label]
        both = len(mine & truth)
        precision += both / len(mine)
        recall += both / len(truth)
    n = len(gold)
    p, r = precision / n, recall / n
    return p, r, 2 * p * r / (p + r) if p + r else 0.0
