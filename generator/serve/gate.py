"""The gate between page requests and rebuilds: many readers or one writer.

A rebuild holds the write side; a request holds the read side while it picks its file, so a response
is never a half-built page and never older than one already served.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator


class ReadWriteGate:
    """Many readers or one writer; a waiting writer holds back new readers so rebuilds never starve."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writer = False
        self._writers_waiting = 0

    @contextlib.contextmanager
    def read(self) -> Iterator[None]:
        with self._cond:
            while self._writer or self._writers_waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if not self._readers:
                    self._cond.notify_all()

    @contextlib.contextmanager
    def write(self) -> Iterator[None]:
        with self._cond:
            self._writers_waiting += 1
            try:
                while self._writer or self._readers:
                    self._cond.wait()
            finally:
                self._writers_waiting -= 1
            self._writer = True
        try:
            yield
        finally:
            with self._cond:
                self._writer = False
                self._cond.notify_all()
