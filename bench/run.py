#!/usr/bin/env python3
"""Time `digest` alone at several sizes: cold build, nothing changed, one article changed, `serve` rebuild.

    .venv/bin/python bench/run.py 1000 10000 100000           # one Markdown table, cost per article
    .venv/bin/python bench/run.py 1000 10000 --search          # + Pagefind: index time and size
    .venv/bin/python bench/run.py 100000 --stages cold --runs 1

The project at each N is the harness's corpus (bench/peers/make_corpus.py, seed 42) with
bench/harness-config.yaml, made once under WORK (default /tmp/digest-own-bench; ~8 KB of Markdown per
article, twice: the corpus and the project). Every build is a new process, timed with wait4 (wall, CPU
of the process and its workers, the largest single peak RSS) while /proc is sampled for the peak PSS of
the whole process tree. Medians over --runs (default 3; 1 above 10,000 articles). Stages:

  cold      site/ and every cache removed first
  nochange  the same build again, caches warm
  incr      the newest article gets a paragraph appended, then a build in a new process
  serve     `digest serve`: append to the newest article, wait for `Rebuilt N files in M ms`
            (--edits times after one warm-up): save → line arrived, and digest's own M
  stale     a clean build of the same inputs in WORK/digest-N-clean, byte-compared with site/
  search    (--search) a build with `search: true`: digest's own Pagefind step time, site/pagefind/ size
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from project import (
    DIGEST,
    ENV,
    REPO,
    Served,
    TreeMemory,
    append,
    articles_by_date,
    clean_build,
    default_work,
    project,
    stale_files,
)

STAGES = ("cold", "nochange", "incr", "serve", "stale", "search")


def run_once(cmd: list[str], cwd: Path) -> dict[str, Any]:
    """One process: wall and CPU seconds, largest peak RSS (wait4), peak tree PSS/RSS (sampled), stdout."""
    env = {**ENV, "XDG_CACHE_HOME": str(cwd / ".bench-xdg-cache")}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err)
        memory = TreeMemory(proc.pid)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        memory.stop()
        out.seek(0)
        err.seek(0)
        if code := os.waitstatus_to_exitcode(status):
            raise SystemExit(f"{' '.join(cmd)} failed ({code}) in {cwd}:\n{err.read().decode()[-3000:]}")
        return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss": usage.ru_maxrss / 1024,
                "tree_pss": memory.pss_mb, "tree_rss": memory.rss_mb, "stdout": out.read().decode()}


def measure(cmd: list[str], cwd: Path, runs: int, prepare: Any = None) -> dict[str, float]:
    """Medians of wall and CPU over RUNS processes; the largest of each memory peak."""
    results = []
    for _ in range(runs):
        if prepare:
            prepare()
        results.append(run_once(cmd, cwd))
    return {"wall": statistics.median(r["wall"] for r in results),
            "cpu": statistics.median(r["cpu"] for r in results),
            **{k: max(r[k] for r in results) for k in ("rss", "tree_pss", "tree_rss")}}


def clean(root: Path) -> None:
    for name in ("site", ".digest", ".bench-xdg-cache"):
        shutil.rmtree(root / name, ignore_errors=True)


def serve_rebuilds(root: Path, article: Path, edits: int) -> dict[str, float]:
    """Median save → `Rebuilt` line (wall ms), digest's own ms and files written, over EDITS edits."""
    walls, selfs, files = [], [], []
    with Served(root) as served:
        for k in range(edits + 1):  # the first edit warms up
            time.sleep(0.5)
            start = append(article, f"\nServe edit {k}: an earlier version of this article misstated a figure.\n")
            arrived, count, own_ms = served.rebuilt()
            if k:
                walls.append((arrived - start) * 1000)
                selfs.append(own_ms)
                files.append(count)
    return {"wall_ms": statistics.median(walls), "self_ms": statistics.median(selfs),
            "files": statistics.median(files)}


def search_index(root: Path) -> dict[str, float]:
    """One warm build with `search: true`: digest's own search-step time and what site/pagefind/ holds."""
    config = root / "config.yaml"
    original = config.read_text(encoding="utf-8")
    if "search: false" not in original:
        raise SystemExit(f"{config}: expected `search: false` (bench/harness-config.yaml)")
    config.write_text(original.replace("search: false", "search: true", 1), encoding="utf-8")
    try:
        result = run_once([*DIGEST, "build", "--offline", "-v"], root)
    finally:
        config.write_text(original, encoding="utf-8")
    found = next((line for line in result["stdout"].splitlines() if line.startswith("search: indexed in ")), None)
    if found is None:
        raise SystemExit(f"no `search: indexed in` line from digest build -v:\n{result['stdout']}")
    index = root / "site" / "pagefind"
    sizes = [p.stat().st_size for p in index.rglob("*") if p.is_file()]
    return {"seconds": float(found.split()[3]) / 1000, "files": len(sizes), "mb": sum(sizes) / 1e6,
            "rss": result["rss"]}


def bench(n: int, work: Path, stages: list[str], runs: int, edits: int, corpus_dir: Path | None) -> dict[str, Any]:
    root = project(n, work, corpus_dir)
    newest = articles_by_date(root)[0]
    original = newest.read_text(encoding="utf-8")
    build = [*DIGEST, "build", "--offline"]
    row: dict[str, Any] = {"n": n}
    counter = iter(range(10**6))

    def touch() -> None:
        append(newest, f"\nCorrection {next(counter)}: an earlier version misstated a figure.\n")

    try:
        if "cold" in stages:
            row["cold"] = measure(build, root, runs, lambda: (newest.write_text(original, encoding="utf-8"),
                                                              clean(root)))
            sizes = [p.stat().st_size for p in (root / "site").rglob("*") if p.is_file()]
            row["site"] = (len(sizes), sum(sizes) / 1e6)
            print(f"  {n:,} cold: {row['cold']['wall']:.2f} s", file=sys.stderr, flush=True)
        if "nochange" in stages or "incr" in stages:
            run_once(build, root)  # the caches are warm and site/ matches the inputs
        if "nochange" in stages:
            row["nochange"] = measure(build, root, runs)
        if "incr" in stages:
            row["incr"] = measure(build, root, runs, touch)
        if "serve" in stages:
            row["serve"] = serve_rebuilds(root, newest, edits)
        if "stale" in stages:
            if not (root / "site").is_dir():
                run_once(build, root)
            differ, compared = stale_files(root / "site", clean_build(root, work / f"digest-{n}-clean"))
            shutil.rmtree(work / f"digest-{n}-clean")
            row["stale"] = (len(differ), compared, differ[:5])
        if "search" in stages:
            row["search"] = search_index(root)
    finally:
        newest.write_text(original, encoding="utf-8")
    return row


def fmt(value: float | None, spec: str) -> str:
    return "–" if value is None else format(value, spec)


def table(rows: list[dict[str, Any]]) -> list[str]:
    lines = ["| articles | cold s (CPU s) | cold ms/article | peak RSS MB: largest process / tree PSS "
             "| nothing changed s (ms/article) | one changed s | serve: save → `Rebuilt` ms (digest's own) "
             "| stale files | site/ files (MB) |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        n, cold, warm, incr, serve = r["n"], r.get("cold"), r.get("nochange"), r.get("incr"), r.get("serve")
        stale, site = r.get("stale"), r.get("site")
        lines.append(
            f"| {n:,} | {fmt(cold and cold['wall'], '.2f')} ({fmt(cold and cold['cpu'], '.1f')}) "
            f"| {fmt(cold and cold['wall'] * 1000 / n, '.2f')} "
            f"| {fmt(cold and cold['rss'], '.0f')} / {fmt(cold and cold['tree_pss'], '.0f')} "
            f"| {fmt(warm and warm['wall'], '.2f')} ({fmt(warm and warm['wall'] * 1000 / n, '.3f')}) "
            f"| {fmt(incr and incr['wall'], '.2f')} "
            f"| {fmt(serve and serve['wall_ms'], '.0f')} ({fmt(serve and serve['self_ms'], '.0f')}) "
            f"| {'–' if stale is None else f'{stale[0]} of {stale[1]:,}'} "
            f"| {fmt(site and site[0], ',')} ({fmt(site and site[1], '.0f')}) |")
    return lines


def growth(rows: list[dict[str, Any]]) -> list[str]:
    """Cost per article from one size to the next (the issue's bar: ≤ 1.5× from 10,000 to 100,000)."""
    out = []
    for stage, label in (("cold", "cold build"), ("nochange", "nothing changed")):
        sized = [(r["n"], r[stage]["wall"] / r["n"]) for r in rows if stage in r]
        steps = [f"{a:,} → {b:,}: ×{cb / ca:.2f}" for (a, ca), (b, cb) in itertools.pairwise(sized)]
        if steps:
            out.append(f"- cost per article, {label}: " + "; ".join(steps))
    return out


def search_table(rows: list[dict[str, Any]]) -> list[str]:
    found = [r for r in rows if "search" in r]
    if not found:
        return []
    lines = ["", "| articles | search step s | site/pagefind/ files | MB | peak RSS MB |", "|---:|---:|---:|---:|---:|"]
    lines += [f"| {r['n']:,} | {r['search']['seconds']:.1f} | {r['search']['files']:,} | {r['search']['mb']:.1f} "
              f"| {r['search']['rss']:.0f} |" for r in found]
    return lines


def header(runs_note: str, serve_note: str) -> str:
    try:
        commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
        commit += " + uncommitted changes" if dirty else ""
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown commit"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"digest alone, {date.today()}, {commit}; {os.cpu_count()} cores, load {load}; {runs_note}{serve_note}; "
            "corpus: bench/peers/make_corpus.py (seed 42) with bench/harness-config.yaml")


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("sizes", nargs="*", type=int, default=[1000], help="numbers of articles (default 1000)")
    ap.add_argument("--stages", default="cold nochange incr serve",
                    help=f"space- or comma-separated, of: {' '.join(STAGES)}")
    ap.add_argument("--search", action="store_true", help="also the search stage (Pagefind)")
    ap.add_argument("--runs", type=int, default=int(os.environ["RUNS"]) if os.environ.get("RUNS") else None,
                    help="processes per measurement (default 3; 1 above 10,000 articles)")
    ap.add_argument("--edits", type=int, default=5, help="serve edits, after one warm-up (default 5)")
    ap.add_argument("--work", type=Path, default=default_work(), help="where corpora and projects are made")
    ap.add_argument("--corpus", type=Path, help="an existing corpus folder (with articles/) for a single size")
    args = ap.parse_args(argv)
    stages = args.stages.replace(",", " ").split() + (["search"] if args.search else [])
    if unknown := set(stages) - set(STAGES):
        ap.error(f"unknown stage(s): {' '.join(sorted(unknown))}")
    if args.corpus and len(args.sizes) != 1:
        ap.error("--corpus goes with one size")
    args.work.mkdir(parents=True, exist_ok=True)
    runs_note = (f"median of {args.runs} runs" if args.runs and args.runs > 1 else "1 run" if args.runs
                 else "median of 3 runs (1 above 10,000 articles)")
    serve_note = f"; serve: median of {args.edits} edits of the newest article" if "serve" in stages else ""
    rows = []
    for n in args.sizes:
        runs = args.runs or (3 if n <= 10_000 else 1)
        rows.append(bench(n, args.work, stages, runs, args.edits, args.corpus))
        print(f"  {n:,} done", file=sys.stderr, flush=True)
    notes = growth(rows)
    print(header(runs_note, serve_note), "", *table(rows), *(["", *notes] if notes else []), *search_table(rows),
          sep="\n")
    for r in rows:
        if r.get("stale") and r["stale"][0]:
            print(f"\nstale at {r['n']:,}: {', '.join(r['stale'][2])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
