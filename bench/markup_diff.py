#!/usr/bin/env python3
"""Check generator.markup against markdown-it-py on real files, and time both.

    .venv/bin/python bench/markup_diff.py content tests                      # directories: every *.md below
    .venv/bin/python bench/markup_diff.py '/tmp/mdcorpus/content/articles/*.md'

Front matter (between ``---`` lines) is stripped first. Prints how many bodies go to markdown-it-pyrs and
how many to markdown-it-py, how many render differently from markdown-it-py alone (must be 0; the first
few are shown as unified diffs) under each ``allow_html``/``hotlink`` setting, and the time to render every
body with markdown-it-py alone and with ``render_markdown`` (routing included).
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import glob
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator import markup
from generator.errors import ContentError
from generator.frontmatter import split_front_matter


def body_of(path: Path) -> str:
    """The Markdown after the YAML front matter (the whole text if there is none)."""
    text = path.read_text(encoding="utf-8")
    with contextlib.suppress(ContentError):
        text = split_front_matter(text, str(path))[1]
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


def best(fn: Callable[[], object], repeat: int) -> float:
    """The fastest of ``repeat`` runs (less noise than a mean)."""
    times = []
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("paths", nargs="+", help=".md files, directories or glob patterns")
    parser.add_argument("--show", type=int, default=3, help="unified diffs to print (default 3)")
    parser.add_argument("--repeat", type=int, default=3, help="timing runs; the best is reported (default 3)")
    args = parser.parse_args(argv)

    bodies = [(path, body_of(path)) for path in collect(args.paths)]
    if not bodies:
        print("no .md files found", file=sys.stderr)
        return 2
    print(f"engine: {markup.ENGINE}")
    rust = sum(markup.HAVE_RUST and markup._rust_renders_alike(body) for _path, body in bodies)
    print(f"documents: {len(bodies)}: {rust} to markdown-it-pyrs, {len(bodies) - rust} to markdown-it-py")

    differ = 0
    for path, body in bodies:
        for allow_html in (True, False):
            for hotlink in (True, False):
                reference = str(markup._renderer(allow_html, hotlink).render(body))
                html = markup.render_markdown(body, allow_html=allow_html, hotlink=hotlink)
                if html != reference:
                    differ += 1
                    if differ <= args.show:
                        print(f"--- {path} (allow_html={allow_html}, hotlink={hotlink})")
                        sys.stdout.writelines(
                            difflib.unified_diff(
                                reference.splitlines(keepends=True), html.splitlines(keepends=True),
                                "markdown-it-py", "render_markdown",
                            )
                        )
    print(f"different: {differ} (documents × 4 settings)")

    texts = [body for _path, body in bodies]
    reference_time = best(lambda: [markup._renderer(True, False).render(t) for t in texts], args.repeat)
    routed_time = best(lambda: [markup.render_markdown(t, allow_html=True) for t in texts], args.repeat)
    print(f"markdown-it-py alone:  {reference_time:8.3f} s")
    print(f"render_markdown:       {routed_time:8.3f} s  ({reference_time / max(routed_time, 1e-9):.1f}x)")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
