#!/usr/bin/env python3
"""What story clustering costs on a generated corpus: cold, one article edited (newest, middle), memory,
and the near-duplicate sketch against datasketch's MinHash when datasketch is installed.

    .venv/bin/python bench/stories.py 10000          # writes the corpus under /tmp if missing
"""

from __future__ import annotations

import dataclasses
import importlib.util
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from corpus import write_project  # noqa: E402

from generator.config import load_config  # noqa: E402
from generator.sources.articles import read_article  # noqa: E402
from generator.taxonomy.stories import StoryMemo, StorySettings, find_stories  # noqa: E402
from generator.taxonomy.storytext import SKETCH_WORDS, sketch, words  # noqa: E402


def main(n: int) -> None:
    root = Path(f"/tmp/digest-stories-bench-{n}")
    write_project(n, root)
    config = load_config(root / "config.yaml")
    paths = sorted(config.articles_dir.glob("*.md"))
    articles = [read_article(p, p.name, config.tz) for p in paths]
    settings = StorySettings()

    tracemalloc.start()
    memo = StoryMemo()
    start = time.perf_counter()
    found = find_stories(articles, settings, memo=memo)
    cold = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{n} articles: {len(found.stories)} stories of 2+; cold clustering {cold:.2f} s, "
          f"peak traced memory {peak / 2**20:.0f} MB")

    for label, i in (("newest", -1), ("middle", n // 2)):
        times = []
        for k in range(3):
            edited = dataclasses.replace(articles[i], body=articles[i].body + f"\n\nCorrection {k}.\n",
                                         title=articles[i].title + f" update {k}",
                                         content_hash="")  # another file's bytes (the memo goes by the hash)
            batch = [*articles[:i % n], edited, *articles[i % n + 1:]]
            start = time.perf_counter()
            find_stories(batch, settings, memo=memo)
            times.append(time.perf_counter() - start)
        find_stories(articles, settings, memo=memo)
        print(f"  one article retitled ({label}): {sorted(times)[1] * 1000:.1f} ms (median of 3)")

    texts = [words(a.body[:4000])[:SKETCH_WORDS] for a in articles]
    start = time.perf_counter()
    for t in texts:
        sketch(t)
    print(f"  one-permutation sketch, {n} articles: {time.perf_counter() - start:.2f} s")
    if importlib.util.find_spec("datasketch") is not None:
        code = "import time; t = time.perf_counter(); import datasketch; print(time.perf_counter() - t)"
        took = float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout)
        from datasketch import MinHash

        start = time.perf_counter()
        for t in texts:
            m = MinHash(num_perm=64, seed=1)
            m.update_batch([" ".join(t[i:i + 3]).encode() for i in range(len(t) - 2)])
        print(f"  datasketch MinHash(64), {n} articles: {time.perf_counter() - start:.2f} s, "
              f"import datasketch {took:.2f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10000)
