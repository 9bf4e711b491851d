"""What the bench scripts share: the bench project, `digest serve` under test, memory and stale-file checks.

The project is the harness's: its corpus (`peers/make_corpus.py`, seed 42) turned into a digest project
the way its digest adapter does it (`peers/adapters/digest/convert.py` with `harness-config.yaml`), so
`run.py` and `browser.py` build exactly what `peers.sh` builds beside Hugo and Pelican. Standard library
only; the generated files live under WORK (default /tmp/digest-own-bench), never in the repository.
"""

from __future__ import annotations

import filecmp
import hashlib
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path
from types import TracebackType

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
PEERS = BENCH / "peers"
CONFIG = BENCH / "harness-config.yaml"
SEED = "42"
DIGEST = [sys.executable, "-m", "generator"]
ENV = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}


def default_work() -> Path:
    return Path(os.environ.get("WORK", "/tmp/digest-own-bench"))


def corpus(n: int, work: Path) -> Path:
    """WORK/corpus-N (its articles/ folder), generated once: a stamp records N and the seed."""
    out = work / f"corpus-{n}"
    stamp = out / ".bench-corpus"
    if stamp.is_file() and stamp.read_text() == f"{n} {SEED}\n":
        return out
    print(f"generating {n:,} articles in {out}", file=sys.stderr, flush=True)
    subprocess.run([sys.executable, str(PEERS / "make_corpus.py"), str(n), str(out), "--seed", SEED], check=True)
    stamp.write_text(f"{n} {SEED}\n")
    return out


def project(n: int, work: Path, corpus_dir: Path | None = None, config: Path = CONFIG) -> Path:
    """WORK/digest-N: the corpus converted to a digest project; made again only when its inputs changed.

    ``corpus_dir`` reuses an existing corpus of exactly N articles (e.g. one run_peers.sh made).
    """
    source = corpus_dir or corpus(n, work)
    count = sum(1 for name in os.listdir(source / "articles") if name.endswith(".md"))
    if count != n:
        raise SystemExit(f"{source}: {count} articles, expected {n}")
    root = work / f"digest-{n}"
    key = f"{source.resolve()} {hashlib.sha256(config.read_bytes()).hexdigest()}\n"
    stamp = root / ".bench-project"
    if stamp.is_file() and stamp.read_text() == key:
        return root
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    subprocess.run([sys.executable, str(PEERS / "adapters" / "digest" / "convert.py"), str(source / "articles"),
                    str(root), str(config)], check=True)
    stamp.write_text(key)
    return root


def articles_by_date(root: Path) -> list[Path]:
    """The project's article files, newest first (by the `date:` line, as run_peers.sh picks its edit)."""
    dated = []
    for path in (root / "content" / "articles").glob("*.md"):
        with path.open(encoding="utf-8") as f:
            for line in f:
                if line.startswith("date: "):
                    dated.append((datetime.fromisoformat(line[6:].strip()), path.name, path))
                    break
    dated.sort(reverse=True)
    return [path for _when, _name, path in dated]


def clean_build(root: Path, dest: Path) -> Path:
    """A cold build of ROOT's inputs in DEST (content hard-linked: nothing is copied); returns DEST/site."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    shutil.copytree(root / "content", dest / "content", copy_function=os.link)
    shutil.copy2(root / "config.yaml", dest / "config.yaml")
    subprocess.run([*DIGEST, "build", "--offline"], cwd=dest, env=ENV, check=True, capture_output=True)
    return dest / "site"


def stale_files(served: Path, clean: Path) -> tuple[list[str], int]:
    """Files that differ between two site trees (missing on either side or other bytes), and how many compared."""

    def files(top: Path) -> set[str]:
        return {os.path.relpath(os.path.join(d, f), top) for d, _dirs, fs in os.walk(top) for f in fs}

    a, b = files(served), files(clean)
    differ = (a ^ b) | {f for f in a & b if not filecmp.cmp(served / f, clean / f, shallow=False)}
    return sorted(differ), len(b)


def append(path: Path, text: str) -> float:
    """Append TEXT in place (as `>>` does); returns the perf_counter time just before the file was opened."""
    start = time.perf_counter()
    with path.open("a", encoding="utf-8") as f:
        f.write(text)
    return start


class TreeMemory:
    """Peak summed RSS and PSS of a process and all its descendants, sampled from /proc every INTERVAL s.

    wait4's ru_maxrss is the largest single process; this is the whole tree at once. RSS counts pages
    that workers share copy-on-write with the parent once per process, PSS divides them among the sharers.
    """

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.pid, self.interval = pid, interval
        self.rss_mb = self.pss_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            try:
                stat = Path(f"/proc/{name}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])
            children.setdefault(ppid, []).append(int(name))
        tree, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo += children.get(pid, [])
        return tree

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            rss = pss = 0
            for pid in self._tree():
                try:
                    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
                except OSError:
                    continue
                rss += int(m.group(1)) if (m := re.search(r"^Rss:\s+(\d+)", rollup, re.M)) else 0
                pss += int(m.group(1)) if (m := re.search(r"^Pss:\s+(\d+)", rollup, re.M)) else 0
            self.rss_mb = max(self.rss_mb, rss / 1024)
            self.pss_mb = max(self.pss_mb, pss / 1024)

    def stop(self) -> TreeMemory:
        self._stop.set()
        self._thread.join()
        return self


class Served:
    """`digest serve --port 0 --offline` in ROOT, its output lines queued with the perf_counter time each arrived.

    Use as a context manager: entering waits for `Serving http://…` (the first build), leaving sends
    SIGINT as Ctrl+C would and waits for the server to exit.
    """

    def __init__(self, root: Path, start_timeout: float = 1800) -> None:
        self.root, self.start_timeout = root, start_timeout
        self.base = ""
        self.lines: queue.Queue[tuple[float, str]] = queue.Queue()
        self.proc: subprocess.Popen[str] | None = None
        self._pump_thread = threading.Thread(target=self._pump, daemon=True)

    def __enter__(self) -> Served:
        self.proc = subprocess.Popen([*DIGEST, "serve", "--port", "0", "--offline"], cwd=self.root, env=ENV,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self._pump_thread.start()
        _t, found = self.wait_line(r"Serving (http://\S+/)", self.start_timeout)
        self.base = found.group(1)
        return self

    def _pump(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put((time.perf_counter(), line.rstrip("\n")))

    def wait_line(self, pattern: str, timeout: float = 60) -> tuple[float, re.Match[str]]:
        """The next output line matching PATTERN and when it arrived; earlier lines are dropped."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                when, line = self.lines.get(timeout=0.1)
            except queue.Empty:
                if self.proc is not None and self.proc.poll() is not None:
                    raise SystemExit(f"digest serve exited ({self.proc.returncode}) waiting for {pattern!r}") from None
                continue
            if line.startswith(("Rebuild failed", "Build failed", "error:")):
                raise SystemExit(f"digest serve: {line}")
            if found := re.search(pattern, line):
                return when, found
        raise SystemExit(f"digest serve printed no line matching {pattern!r} within {timeout:.0f} s")

    def rebuilt(self, timeout: float = 120) -> tuple[float, int, float]:
        """Wait for `Rebuilt N files in M ms`: (arrival time, N, M)."""
        when, found = self.wait_line(r"^Rebuilt (\d+) files in ([0-9.]+) ms", timeout)
        return when, int(found.group(1)), float(found.group(2))

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._pump_thread.join(10)
        if self.proc.stdout:
            self.proc.stdout.close()
