#!/usr/bin/env python3
"""How often each ``review:`` reason fires on a folder of inputs (default: ``tests/fixtures/articles``).

    scripts/review_rates.py [DIR …] [-v]

Each ``.txt`` / ``.html`` / ``.md`` file is extracted and judged as ingest would (``ingest.flags``), without
writing anything. Prints, per folder, how many inputs would be held and for which reasons; ``-v`` lists each
held input with its outlet and section and how they were found. On the labelled fixtures every hold of an
article whose gold fields are right is a false hold: that count is what the README's "Review and limits"
table reports.
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.errors import ContentError
from generator.extract import extract_bytes
from generator.ingest.flags import review_reasons, safe_links

SUFFIXES = (".txt", ".html", ".htm", ".md")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dirs", nargs="*", default=["tests/fixtures/articles"])
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    for folder in map(Path, args.dirs):
        files = sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES)
        counts: collections.Counter[str] = collections.Counter()
        held = errors = 0
        for path in files:
            try:
                record = extract_bytes(path.read_bytes(), path.name)
            except ContentError as exc:
                errors += 1
                if args.verbose:
                    print(f"  {path.name}: refused: {exc.problems[0].message}")
                continue
            record, unsafe = safe_links(record)
            reasons = review_reasons(record, dropped_link=unsafe)
            counts.update(reasons)
            held += bool(reasons)
            if reasons and args.verbose:
                ev = record.evidence
                print(f"  {path.name}: {', '.join(reasons)} (source {record.source!r} from {ev.get('source', '-')}, "
                      f"section {record.section!r} from {ev.get('section', '-')}, {record.word_count} words)")
        rates = ", ".join(f"{reason} {n}" for reason, n in sorted(counts.items())) or "none"
        print(f"{folder}: {len(files)} inputs, {held} held ({rates}), {errors} refused")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
