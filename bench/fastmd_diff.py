#!/usr/bin/env python3
"""Check the Markdown fast path against markdown-it-py on real files, and time both.

    .venv/bin/python bench/fastmd_diff.py content tests                      # directories: every *.md below
    .venv/bin/python bench/fastmd_diff.py '/tmp/digest-bench/corpus-10000/articles/*.md'

Front matter (between ``---`` lines) is stripped first. Prints how many bodies the fast path accepted, how
many of those render differently from markdown-it-py (must be 0; the first few are shown as unified diffs,
under either ``allow_html`` setting), and the time of both renderers on the accepted bodies.
"""

from __future__ import annotations

import argparse
import difflib
import glob
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.errors import ContentError
from generator.fastmd import render_fast
from generator.frontmatter import split_front_matter
from generator.markup import _renderer


def render_markdown(text: str, *, allow_html: bool) -> str:
    """markdown-it-py itself, as ``generator.markup`` configures it (its ``render_markdown`` tries us first)."""
    return str(_renderer(allow_html, False).render(text))

def body_of(text: str) -> str:
    """The Markdown after the YAML front matter (the whole text if there is none)."""
    try:
        return split_front_matter(text, "")[1]
    except ContentError:
        return text


def collect(args: list[str]) -> list[Path]:
    """Files named, every ``*.md`` under directories named, and glob patterns the shell left unexpanded."""
    paths: list[Path] = []
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            paths.extend(sorted(path.rglob("*.md")))
        elif path.exists():
            paths.append(path)
        else:
            paths.extend(Path(p) for p in sorted(glob.glob(arg, recursive=True)))
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("paths", nargs="+", help=".md files, directories or glob patterns")
    parser.add_argument("--show", type=int, default=3, help="unified diffs to print (default 3)")
    parser.add_argument("--repeat", type=int, default=3, help="timing runs; the best is reported (default 3)")
    args = parser.parse_args(argv)

    paths = collect(args.paths)
    bodies = [(path, body_of(path.read_text(encoding="utf-8"))) for path in paths]
    if not bodies:
        print("no .md files found", file=sys.stderr)
        return 2

    accepted: list[tuple[Path, str, str]] = []
    for path, body in bodies:
        fast = render_fast(body)
        if fast is not None:
            accepted.append((path, body, fast))

    differ = 0
    for path, body, fast in accepted:
        for allow_html in (True, False):
            reference = render_markdown(body, allow_html=allow_html)
            if fast != reference:
                differ += 1
                if differ <= args.show:
                    print(f"--- {path} (allow_html={allow_html})")
                    sys.stdout.writelines(
                        difflib.unified_diff(
                            reference.splitlines(keepends=True), fast.splitlines(keepends=True),
                            "markdown-it-py", "fastmd",
                        )
                    )
                break

    texts = [body for _path, body, _fast in accepted]
    all_texts = [body for _path, body in bodies]

    def best(fn: Callable[[], object]) -> float:
        """The fastest of ``--repeat`` runs (less noise than a mean)."""
        times = []
        for _ in range(max(1, args.repeat)):
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
        return min(times)

    fast_all = best(lambda: [render_fast(t) for t in all_texts])
    fast_acc = best(lambda: [render_fast(t) for t in texts])
    mdit_acc = best(lambda: [render_markdown(t, allow_html=True) for t in texts])

    total = len(bodies)
    print(f"documents:  {total}")
    print(f"accepted:   {len(accepted)} ({100 * len(accepted) / total:.1f}%)")
    print(f"different:  {differ}")
    print(f"fast path on accepted:       {fast_acc:8.3f} s")
    print(f"markdown-it-py on accepted:  {mdit_acc:8.3f} s")
    if fast_acc > 0:
        print(f"speed-up on accepted:        {mdit_acc / fast_acc:8.1f}x")
    print(f"fast path on all (gate cost included): {fast_all:.3f} s")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
