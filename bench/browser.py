#!/usr/bin/env python3
"""Save → new text in an open browser tab: `digest serve` end to end, measured in headless Chromium.

    .venv/bin/python bench/browser.py                  # 10,000 articles, 10 edits of the newest article
    .venv/bin/python bench/browser.py 1000 --edits 20 --spread

Starts `digest serve --port 0 --offline` on the bench project (bench/project.py: the harness's corpus
with bench/harness-config.yaml), opens an article page in Debian's Chromium through Playwright (never
`playwright install`; CHROMIUM overrides /usr/bin/chromium), then per edit: appends a sentence no page
holds yet to that article's file (`>>`-style, in place), and measures from just before the write to

  - the sentence being in the page's DOM: the live-reload script reloads the page, and a check on every
    animation frame (`page.wait_for_function`, which carries on across the reload) sees the new text;
    the reloaded page's own navigation timing splits that into "reload started" and "DOM parsed";
  - the `Rebuilt N files in M ms` line arriving from the server (and M, digest's own time from the
    first file-system event).

One warm-up edit is not counted. By default every edit goes to the newest article (on the home page and
in every feed: the most pages to redo); --spread edits a different article each time, spread over the
corpus, reloading the tab on it first. After the series the server is stopped and its site/ is
byte-compared with a clean build of the same inputs: the stale-file count. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from project import Served, append, articles_by_date, clean_build, default_work, project, stale_files

# As tests/conftest_theme.py launches it.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
# Runs in every document the tab loads, before its own scripts: from the first parsed node on, each
# batch of DOM changes is checked for the sentence saved in sessionStorage (which outlives the reload);
# the first time it is there is kept in epoch ms (the clock time.time() reads).
WATCH_TEXT = """
(() => {
  const check = () => {
    const s = sessionStorage.getItem("bench-sentence");
    if (s && window.__benchSeenFor !== s && document.documentElement &&
        document.documentElement.textContent.includes(s)) {
      window.__benchSeen = performance.timeOrigin + performance.now();
      window.__benchSeenFor = s;
    }
  };
  new MutationObserver(check).observe(document, {childList: true, subtree: true, characterData: true});
  check();
})();
"""
ARM = "s => { sessionStorage.setItem('bench-sentence', s); }"
SEEN = "s => window.__benchSeenFor === s"
# The document's navigation start (epoch ms) and its first contentful paint, relative to that.
TIMES = ("() => [performance.timeOrigin, window.__benchSeen, "
         "(performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime]")
PAINTED = "() => performance.getEntriesByName('first-contentful-paint').length > 0"


def edit_series(served: Served, browser: Any, targets: list[Path], edits: int) -> list[dict[str, Any]]:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page = browser.new_page()
    page.add_init_script(WATCH_TEXT)
    results = []
    for k in range(edits + 1):  # the first edit warms up
        target = targets[k % len(targets)]
        url = f"{served.base}articles/{target.stem}/"
        if page.url != url:
            page.goto(url)
        page.wait_for_load_state("load")
        time.sleep(0.5)  # the page's event stream is open; the watcher is idle
        sentence = f"Bench edit {k} {time.time_ns()}: the committee corrected the figure."
        page.evaluate(ARM, sentence)
        epoch_ms = time.time() * 1000
        start = append(target, f"\n{sentence}\n")
        page.wait_for_function(SEEN, arg=sentence, timeout=60_000)
        arrived, count, own_ms = served.rebuilt()
        with contextlib.suppress(PlaywrightTimeout):  # no paint entry: the row is left out
            page.wait_for_function(PAINTED, timeout=5_000)
        origin, seen, painted = page.evaluate(TIMES)
        result = {"visible": seen - epoch_ms, "reload": origin - epoch_ms,
                  "painted": None if painted is None else origin + painted - epoch_ms,
                  "rebuilt": (arrived - start) * 1000, "own": own_ms, "files": count}
        if k:
            results.append(result)
        print(f"  edit {k}{'' if k else ' (warm-up)'}: " + ", ".join(
            f"{key} {value:.0f}" for key, value in result.items() if value is not None), file=sys.stderr, flush=True)
    page.close()
    return results


def row(label: str, values: list[float]) -> str:
    """A table row: median, min and max in ms."""
    return (f"| {label} | {statistics.median(values):.0f} | {min(values):.0f} | {max(values):.0f} |")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("n", nargs="?", type=int, default=10_000, help="articles (default 10000)")
    ap.add_argument("--edits", type=int, default=10, help="counted edits, after one warm-up (default 10)")
    ap.add_argument("--spread", action="store_true", help="a different article per edit (default: the newest)")
    ap.add_argument("--work", type=Path, default=default_work(), help="where the corpus and project are made")
    ap.add_argument("--corpus", type=Path, help="an existing corpus folder (with articles/) of N articles")
    ap.add_argument("--no-stale", action="store_true", help="skip the stale-file check (a cold build)")
    args = ap.parse_args(argv)
    executable = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise SystemExit("playwright is missing: .venv/bin/pip install -e '.[test]' (never `playwright install`; "
                         "Chromium comes from apt-get install chromium)") from None

    args.work.mkdir(parents=True, exist_ok=True)
    root = project(args.n, args.work, args.corpus)
    ordered = articles_by_date(root)
    targets = ordered[:: max(1, len(ordered) // (args.edits + 1))][: args.edits + 1] if args.spread else ordered[:1]
    originals = {path: path.read_text(encoding="utf-8") for path in targets}
    stale = None
    try:
        print(f"digest serve in {root} (the first build may take a while)", file=sys.stderr, flush=True)
        with Served(root) as served, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            try:
                results = edit_series(served, browser, targets, args.edits)
            finally:
                browser.close()
        if not args.no_stale:
            clean = args.work / f"digest-{args.n}-clean"
            differ, compared = stale_files(root / "site", clean_build(root, clean))
            shutil.rmtree(clean)
            stale = f"{len(differ)} of {compared:,}" + (f" ({', '.join(differ[:5])})" if differ else "")
    finally:
        for path, text in originals.items():
            path.write_text(text, encoding="utf-8")

    which = "a different article each" if args.spread else "the newest article"
    print(f"`digest serve` at {args.n:,} articles, {len(results)} edits of {which} (+1 warm-up), "
          f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; headless Chromium")
    print("\n| save → | median ms | min | max |\n|---|---:|---:|---:|")
    print(row("digest's own rebuild time (from the first file event)", [r["own"] for r in results]))
    print(row("`Rebuilt …` line from the server", [r["rebuilt"] for r in results]))
    print(row("the open tab starts reloading (navigation start)", [r["reload"] for r in results]))
    print(row("**new text in the tab's DOM**", [r["visible"] for r in results]))
    painted = [r["painted"] for r in results if r["painted"] is not None]
    if painted:
        print(row("the reloaded page's first contentful paint", painted))
    print(f"\nFiles written per rebuild: median {statistics.median(r['files'] for r in results):.0f}. "
          f"Stale files after the series (a clean build of the same inputs, byte-compared): {stale or 'not checked'}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
