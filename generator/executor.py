"""A parallel map over forked worker processes: the one place that forks. It knows no stage.

Build hands it a function of a *slice* of items and the items themselves. The workers are forked, so
they inherit the items (and whatever the function closes over: a parsed site, a render plan) instead
of receiving them pickled; only slice bounds go out and only the function's results come back.
``gc.freeze`` before forking keeps the workers' garbage collector from touching, and so copying, the
parent's pages. Small inputs run in-process: forking costs more than it saves.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import multiprocessing.pool
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class _Task(Generic[T, R]):
    fn: Callable[[Sequence[T]], R]
    items: Sequence[T]


# The task of the map in progress. Forked workers inherit it; nothing else reads it. One map runs at
# a time per process (builds hold the build lock), and it is cleared when the map ends.
_current: _Task[Any, Any] | None = None


def _run_slice(bounds: tuple[int, int]) -> Any:
    assert _current is not None, "a worker ran without a task"
    return _current.fn(_current.items[bounds[0]:bounds[1]])


def pool_size(requested: int | None) -> int:
    """Workers to use: as asked, else one per core, capped at 4."""
    return requested or min(4, os.cpu_count() or 1)


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def slices(n: int, workers: int, minimum: int) -> list[tuple[int, int]]:
    """Many small slices: the last one a worker takes is what the others may wait for at the end."""
    size = max(minimum, n // (workers * 32) or 1)
    return [(i, min(i + size, n)) for i in range(0, n, size)]


@contextlib.contextmanager
def _fork_pool(workers: int) -> Iterator[multiprocessing.pool.Pool]:
    # No collection first: a build pauses the collector and frees little (42 objects before a 10k render,
    # 0.3 s of the parent's time); what is frozen with the rest is collected after ``unfreeze``.
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(workers, initializer=_start_worker) as pool:
            yield pool
    finally:
        gc.unfreeze()


def fork_map(fn: Callable[[Sequence[T]], R], items: Sequence[T], *, workers: int, parallel_from: int,
             min_slice: int, taken: Callable[[R, int], None] | None = None) -> list[R]:
    """``fn`` over slices of ``items``, in order; one result per slice.

    In-process (one slice) below ``parallel_from`` items, with one worker, or where fork is missing.
    ``taken(result, items_done)`` runs in the parent as each slice comes back, while the workers go on.
    """
    global _current
    parallel = workers > 1 and len(items) >= parallel_from and can_fork()
    if not parallel:
        result = fn(items)
        if taken is not None:
            taken(result, len(items))
        return [result]
    _current = _Task(fn, items)
    results: list[R] = []
    try:
        bounds = slices(len(items), workers, min_slice)
        with _fork_pool(workers) as pool:
            for (_start, end), result in zip(bounds, pool.imap(_run_slice, bounds), strict=True):
                results.append(result)
                if taken is not None:
                    taken(result, end)
        return results
    finally:
        _current = None


class Background:
    """``fn(item)`` for each item, in a forked process beside the parent's own work, until ``stop``.

    For work that is mostly system calls (making folders and files a render will fill): it runs on the
    other core while the parent computes, without waiting for the GIL as a thread would after every
    call. The child inherits the items (nothing is sent), ignores errors, and is killed by ``stop``:
    whatever it had not done yet is simply not done, so ``fn`` must leave nothing half-made that
    matters. Without fork (or with nothing to do) it does nothing.
    """

    def __init__(self, fn: Callable[[T], object], items: Sequence[T]) -> None:
        self.pid = 0
        if not items or not can_fork():
            return
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the child: no cleanup handlers, no flushing of the parent's buffers
            try:
                _die_with_parent()
                for item in items:
                    if os.getppid() != parent:  # the parent was killed: nobody will stop us, or want this
                        break
                    with contextlib.suppress(Exception):
                        fn(item)
            finally:
                os._exit(0)
        self.pid = pid

    def stop(self) -> None:
        """Kill the child where it is and reap it (idempotent)."""
        if self.pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.pid = 0


def _start_worker() -> None:
    gc.enable()
    _die_with_parent()  # a worker of a killed build must not go on writing into its spool folder


def _die_with_parent() -> None:
    """Linux: have the kernel kill this process when its parent dies (a ``kill -9`` of a build must not
    leave a child making files in a folder the next build is sweeping)."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


_TRAMPOLINE = """import os, sys
try:
    import ctypes
    ctypes.CDLL(None).prctl(1, 9)
except Exception:
    pass
if os.getppid() != int(sys.argv[1]):
    sys.exit(1)
os.execv(sys.argv[2], sys.argv[2:])
"""


def dying_with_parent(argv: Sequence[str]) -> list[str]:
    """``argv`` as a command that the kernel kills when this process dies (Linux; elsewhere it just runs):
    a ``kill -9`` of a build must not leave Pagefind writing into a spool folder the next build sweeps.
    A Python trampoline asks for PR_SET_PDEATHSIG and execs (the flag survives exec), then checks its parent
    is still this process; unlike ``preexec_fn``, it is safe while other threads run (``digest serve``)."""
    return [sys.executable, "-I", "-S", "-c", _TRAMPOLINE, str(os.getpid()), *argv]
