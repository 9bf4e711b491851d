"""One ``digest serve`` session: the first build, the rebuild loop, and a clean stop on Ctrl-C or SIGTERM.

Serve asks Build for every build (the ingest included) and never writes a file itself. A watchdog event
records a change; the rebuild thread waits for a short quiet period (debounce), rebuilds under the write
side of the gate, then publishes a new epoch (pages reload) or the problems (pages show an overlay).
A failed rebuild keeps the last good site, and a crash in a rebuild never stops the server.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

from generator.build import Builder, BuildOptions, BuildReport, IngestRequest
from generator.config import Config, load_config
from generator.errors import DigestError, Location, Problem
from generator.serve.gate import ReadWriteGate
from generator.serve.httpd import IDLE_TIMEOUT, KEEPALIVE, DevHTTPServer
from generator.serve.livereload import LiveState
from generator.watch import DEBOUNCE, ChangeSet, SourceWatcher

logger = logging.getLogger(__name__)

# Seconds without a rebuild before the search index (Pagefind, seconds on a big site) is brought up to
# date: rebuilds stay fast, and the search page catches up once edits pause.
SEARCH_DELAY = 1.5


def _summary(problems: Sequence[Problem]) -> str:
    first = str(problems[0]) if problems else "unknown error"
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return first + more


class DevServer:
    """One ``digest serve`` session: ``start()`` builds and serves, ``stop()`` shuts everything down.

    ``rebuild()`` is what the watcher thread runs after each debounced batch of changes; tests may call it directly.
    """

    def __init__(self, config: Config, *, host: str = "127.0.0.1", port: int = 8000, poll: bool = False,
                 offline: bool = False, now: datetime | None = None,
                 echo: Callable[[str], None] = lambda s: None,
                 warn: Callable[[Sequence[Problem]], None] = lambda p: None,
                 config_path: Path | None = None, watch: bool = True, debounce: float = DEBOUNCE,
                 keepalive: float = KEEPALIVE, idle_timeout: float = IDLE_TIMEOUT) -> None:
        self.config = config
        self.config_path = (config_path or config.root / "config.yaml").resolve()
        self.host, self.port, self.poll, self.offline, self.now = host, port, poll, offline, now
        self.echo, self.warn = echo, warn
        self.builder = Builder(config, BuildOptions(defer_search=True))
        self.building = threading.Lock()  # a rebuild and a deferred search index never run at once
        self._search_timer: threading.Timer | None = None
        self.gate = ReadWriteGate()
        self.live = LiveState()
        self.stop_event = threading.Event()
        self.config_broken = False
        self.watcher = SourceWatcher(config.root, self.config_path, poll=poll, debounce=debounce) if watch else None
        self.httpd = DevHTTPServer((host, port), config.output_dir, self.gate, self.live,
                                   idle_timeout=idle_timeout, keepalive=keepalive)
        self._threads: list[threading.Thread] = []
        self._warnings: set[Problem] = set()

    @property
    def url(self) -> str:
        address = self.httpd.server_address
        host = address[0] if isinstance(address[0], str) else address[0].decode()
        port = address[1]
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}/"

    def _clock(self) -> datetime:
        return self.now or datetime.now(tz=UTC).replace(microsecond=0)

    def start(self) -> str:
        """Ingest (fetching feeds unless offline), start watching, build once, serve; return the URL."""
        http = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.2},
                                name="digest-http", daemon=True)
        http.start()
        self._threads.append(http)
        with self.gate.write():  # requests that arrive early wait for the first build
            problems: list[Problem] = []
            if self.watcher is not None:
                self.watcher.start()  # before the build, so edits made during it are not lost
            try:
                with self.building:
                    report = self.builder.build(ingest=IngestRequest(self._clock(), offline=self.offline))
                problems += report.problems
                self._search_later(report)
            except DigestError as exc:
                problems += exc.problems
            errors = [p for p in problems if p.severity == "error"]
            self.live.publish(reload=False, problems=errors)
        self._report_warnings(problems)
        if errors:
            self.warn(errors)
            self.echo(f"Build failed: {_summary(errors)}")
        if self.watcher is not None:
            loop = threading.Thread(target=self._rebuild_loop, name="digest-rebuild", daemon=True)
            loop.start()
            self._threads.append(loop)
        self.echo(f"Serving {self.url}")
        return self.url

    def _rebuild_loop(self) -> None:
        assert self.watcher is not None
        while not self.stop_event.is_set():
            changes = self.watcher.wait(self.stop_event)
            if changes is None or self.stop_event.is_set():
                return
            try:
                self.rebuild(changes)
            except Exception:  # a bug must not kill the dev server; the next change tries again
                logger.exception("rebuild crashed")

    def rebuild(self, changes: ChangeSet) -> BuildReport | None:
        """Rebuild after ``changes``; publish a reload or the problems; print the outcome line."""
        config_changed = self.config_path in changes.paths or self.config_broken
        content = self.config.content_dir.resolve()
        articles = self.config.articles_dir.resolve()
        # New inbox files or local feed files are ingested; never the network after the start.
        ingest = any(p.is_relative_to(content) and not p.is_relative_to(articles) for p in changes.paths)
        problems: list[Problem] = []
        report: BuildReport | None = None
        with self.gate.write():
            had_errors = bool(self.live.snapshot().problems)
            try:
                if config_changed:
                    self._reload_config()
                with self.building:
                    report = self.builder.build(None if config_changed else changes.paths,
                                                ingest=IngestRequest(self._clock(), offline=True) if ingest else None)
                problems += report.problems
                self._search_later(report)
            except DigestError as exc:
                problems += exc.problems
            except Exception as exc:
                logger.exception("rebuild failed unexpectedly")
                problems.append(Problem(Location("digest"), f"internal error: {exc!r}",
                                        "this is a bug in digest; the traceback is in the log"))
            errors = [p for p in problems if p.severity == "error"]
            changed = report is not None and bool(report.written or report.removed)
            self.live.publish(reload=changed or (had_errors and not errors), problems=errors)
        elapsed_ms = (time.monotonic() - changes.first_event) * 1000 if changes.first_event else 0.0
        self._report_warnings(problems)
        if errors or report is None or report.failed:
            self.warn(errors)
            self.echo(f"Rebuild failed: {_summary(errors)}")
        else:
            count = len(report.written) + len(report.removed)
            self.echo(f"Rebuilt {count} files in {elapsed_ms:.0f} ms")
        return report

    def _reload_config(self) -> None:
        """A changed (or still broken) config file: load it again and start over with a new Builder."""
        self.config_broken = True
        config = load_config(self.config_path)  # ConfigError: shown like a build error
        self.config_broken = False
        if config != self.config:
            self.config = config
            self.builder = Builder(config, BuildOptions(defer_search=True))

    def _search_later(self, report: BuildReport) -> None:
        """Index for search once no rebuild has come for ``SEARCH_DELAY`` seconds (each rebuild restarts
        the wait). Serve never holds a page request for it: the index's files are swapped in one by one."""
        if report.search is None or not report.search.pending:
            return
        if self._search_timer is not None:
            self._search_timer.cancel()
        self._search_timer = threading.Timer(SEARCH_DELAY, self._refresh_search)
        self._search_timer.daemon = True
        self._search_timer.start()

    def _refresh_search(self) -> None:
        if self.stop_event.is_set():
            return
        try:
            with self.building:
                outcome = self.builder.refresh_search()
        except Exception:  # the dev server keeps serving; the next rebuild tries again
            logger.exception("search index failed")
            return
        if outcome is not None and outcome.problems:
            self.warn(outcome.problems)
        elif outcome is not None and outcome.ran:
            logger.info("search index updated in %.0f ms", outcome.seconds * 1000)

    def _report_warnings(self, problems: Sequence[Problem]) -> None:
        """Warn about each warning once, until a build no longer reports it."""
        warnings = [p for p in problems if p.severity != "error"]
        new = [p for p in warnings if p not in self._warnings]
        self._warnings = set(warnings)
        if new:
            self.warn(new)

    def stop(self) -> None:
        """Stop watching, finish a rebuild in progress, close every connection and the socket."""
        self.stop_event.set()
        if self._search_timer is not None:
            self._search_timer.cancel()
        if self.watcher is not None:
            self.watcher.stop()
        self.httpd.stopping.set()
        self.live.close()
        if self._threads:  # shutdown() waits for serve_forever, so only when it was started
            self.httpd.shutdown()
        self.httpd.close_connections()
        for thread in self._threads:
            thread.join(timeout=10)
        self.httpd.server_close()

    def wait(self) -> None:
        while not self.stop_event.wait(0.5):
            pass


def serve(config: Config, *, host: str = "127.0.0.1", port: int = 8000, poll: bool = False,
          offline: bool = False, now: datetime | None = None,
          echo: Callable[[str], None] = lambda s: None,
          warn: Callable[[Sequence[Problem]], None] = lambda p: None,
          config_path: Path | None = None) -> int:
    """Run ``digest serve`` until Ctrl-C or SIGTERM; 0 on a clean stop, 1 if the port cannot be used."""
    try:
        server = DevServer(config, host=host, port=port, poll=poll, offline=offline, now=now, echo=echo,
                           warn=warn, config_path=config_path)
    except OSError as exc:
        warn([Problem(Location(f"{host}:{port}"), f"cannot listen: {exc.strerror or exc}",
                      "is another server running? pass --port to pick another port")])
        return 1
    previous: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        # SIGINT too: a command started in the background by a non-interactive shell (`digest serve &` in a
        # script, a CI job) inherits SIGINT ignored, and then Ctrl-C's signal would never stop it.
        previous = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        server.start()
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
