#!/usr/bin/env python3
"""Plain-text extraction speed: articles per second on one core, over the labelled text fixtures.

    .venv/bin/python bench/extract_speed.py                 # ~1000 extractions, prints articles/s
    .venv/bin/python bench/extract_speed.py --total 3000 --min 200

Every ``*.txt`` under ``tests/fixtures/articles`` and ``tests/fixtures/heldout`` is read once, then the
list is repeated until about ``--total`` extractions have run in this one process (one core, the
example project's topics, as ``digest ingest`` does). A warm-up pass first builds the module-level
indexes and regex caches, so the figure is the steady state. ``--min`` makes the exit status 1 when the
rate is below it, for CI.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.config import load_config  # noqa: E402
from generator.extract import extract_text  # noqa: E402

FIXTURE_DIRS = (ROOT / "tests" / "fixtures" / "articles", ROOT / "tests" / "fixtures" / "heldout")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--total", type=int, default=1000, help="extractions to time (default 1000)")
    parser.add_argument("--min", type=float, default=None, help="exit 1 below this many articles/s")
    args = parser.parse_args(argv)

    texts = [p.read_text(encoding="utf-8") for d in FIXTURE_DIRS if d.is_dir() for p in sorted(d.glob("*.txt"))]
    if not texts:
        print("no .txt fixtures found", file=sys.stderr)
        return 1
    topics = load_config(ROOT / "config.yaml").topics
    for text in texts:  # warm-up: gazetteer indexes, compiled patterns
        extract_text(text, topics)
    rounds = max(1, round(args.total / len(texts)))
    chars = sum(len(t) for t in texts) * rounds
    start = time.process_time()
    for _ in range(rounds):
        for text in texts:
            extract_text(text, topics)
    seconds = time.process_time() - start
    count = rounds * len(texts)
    rate = count / seconds if seconds else float("inf")
    print(f"{count} extractions of {len(texts)} text fixtures ({chars / count / 1000:.1f} kB each) "
          f"in {seconds:.2f} s CPU: {rate:.0f} articles/s")
    return 1 if args.min is not None and rate < args.min else 0


if __name__ == "__main__":
    sys.exit(main())
