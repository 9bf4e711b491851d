#!/usr/bin/env python3
"""Time `digest build` (cold, warm no-change, one article changed) and `digest serve` rebuilds.

    .venv/bin/python bench/run.py 1000 10000        # prints a Markdown table

Each number is the median of RUNS runs (default 3) in a fresh process, measured with wait4:
wall seconds, CPU seconds (user+sys, children included) and peak RSS of the largest process
(main or one worker), plus the sum of peak RSS over the main process and its workers.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from corpus import write_project  # noqa: E402

DIGEST = [sys.executable, "-m", "generator"]
RUNS = int(os.environ.get("RUNS", "3"))


def measure(cmd: list[str], cwd: Path, prepare: Callable[[], None] | None = None) -> dict[str, float]:
    """Median wall and CPU, and the largest peak RSS, over RUNS fresh processes (wait4 rusage)."""
    walls, cpus, peaks = [], [], []
    for _ in range(RUNS):
        if prepare:
            prepare()
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                env={**os.environ, "PYTHONPATH": str(HERE.parent)})
        _pid, status, usage = os.wait4(proc.pid, 0)
        walls.append(time.perf_counter() - start)
        cpus.append(usage.ru_utime + usage.ru_stime)
        peaks.append(usage.ru_maxrss / 1024)  # KiB on Linux; the largest of the process and its workers
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            raise SystemExit(f"{' '.join(cmd)} failed ({code}): {proc.stderr.read() if proc.stderr else ''}")
    return {"wall": statistics.median(walls), "cpu": statistics.median(cpus), "rss": max(peaks)}


def watch_rebuild(root: Path, article: Path) -> float | None:
    """Start `digest serve`, append to one article, return the reported `Rebuilt … in N ms`."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([*DIGEST, "serve", "--offline", "--port", str(port)], cwd=root,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "PYTHONPATH": str(HERE.parent)})
    try:
        assert proc.stdout is not None
        deadline = time.time() + 300
        for line in proc.stdout:
            if re.search(r"(serving|listening).*http://", line, re.I):
                break
            if time.time() > deadline:
                return None
        times = []
        for k in range(3):
            time.sleep(0.5)
            with article.open("a", encoding="utf-8") as f:
                f.write(f"\nWatch edit {k}.\n")
            for line in proc.stdout:
                m = re.search(r"rebuilt\b.*?\bin ([0-9.]+) ?ms", line, re.I)
                if m:
                    times.append(float(m.group(1)))
                    break
        return statistics.median(times) if times else None
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def bench(n: int, work: Path) -> list[str]:
    root = work / f"digest-{n}"
    write_project(n, root)
    articles = sorted((root / "content" / "articles").glob("*.md"))
    newest = articles[-1]
    original = newest.read_text(encoding="utf-8")

    def clean() -> None:
        newest.write_text(original, encoding="utf-8")
        shutil.rmtree(root / "site", ignore_errors=True)
        shutil.rmtree(root / ".digest", ignore_errors=True)

    rows = []
    cold = measure([*DIGEST, "build", "--offline"], root, clean)
    rows.append(("cold build", cold))
    subprocess.run([*DIGEST, "build", "--offline"], cwd=root, capture_output=True,
                   env={**os.environ, "PYTHONPATH": str(HERE.parent)})
    rows.append(("warm, nothing changed", measure([*DIGEST, "build", "--offline"], root)))
    counter = iter(range(1000))

    def touch() -> None:
        with newest.open("a", encoding="utf-8") as f:
            f.write(f"\nCorrection {next(counter)}: an earlier version misstated a figure.\n")

    rows.append(("one article changed", measure([*DIGEST, "build", "--offline"], root, touch)))
    watch = watch_rebuild(root, newest)
    newest.write_text(original, encoding="utf-8")
    lines = [f"| {n} | {name} | {m['wall']:.2f} | {m['cpu']:.2f} | {m['rss']:.0f} |" for name, m in rows]
    lines.append(f"| {n} | serve: save → `Rebuilt` | {watch / 1000 if watch else float('nan'):.3f} | – | – |")
    return lines


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [1000]
    work = Path(os.environ.get("WORK", "/tmp/digest-own-bench"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"digest benchmark, {os.cpu_count()} cores, median of {RUNS} runs")
    print("| N | stage | wall s | CPU s | peak RSS MB |")
    print("|---:|---|---:|---:|---:|")
    for n in sizes:
        for line in bench(n, work):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
