"""``digest serve``: build, serve ``site/``, watch the sources, rebuild on change, reload open pages.

Modelled on MkDocs' livereload: a watchdog event records a change; the rebuild thread waits for a
short quiet period (debounce), rebuilds under the write side of a readers–writer gate, bumps an
epoch and wakes every Server-Sent-Events stream, whose pages then reload. Page requests hold the
read side while they pick their file, so a response is never a half-built page and never older
than one already served. A failed rebuild keeps the last good site and pushes its problems to
every open page as an overlay (as Zola does); the problems are also embedded in newly loaded pages
until a rebuild succeeds, which reloads them.

The live-reload script is injected into served HTML only (before ``</body>``); nothing extra is
written to ``site/``. Everything here is the standard library plus watchdog.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import socket
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

from generator.build import Builder, BuildOptions, BuildReport
from generator.config import Config, load_config
from generator.errors import DigestError, Location, Problem
from generator.pipeline import ingest_all
from generator.watch import DEBOUNCE, ChangeSet, SourceWatcher
from generator.write import TMP_PREFIX

logger = logging.getLogger(__name__)

EVENTS_PATH = "/__digest/events"
KEEPALIVE = 15.0  # seconds between ``:keepalive`` comments on an idle event stream
IDLE_TIMEOUT = 20.0  # a connection that sends nothing (or stops reading) for this long is dropped
INLINE_LIMIT = 4 << 20  # files up to this size are read into memory under the read lock


# -- the gate between requests and rebuilds ---------------------------------------------------------


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


# -- what open pages should show --------------------------------------------------------------------


@dataclass(frozen=True)
class LiveSnapshot:
    version: int  # bumped on every change of epoch or problems
    epoch: int  # bumped when the site on disk changed: pages reload
    problems: tuple[Problem, ...]  # errors of the last (re)build, shown as an overlay
    closed: bool = False


class LiveState:
    """The epoch and the current problems; event streams wait here for the next change."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        # Start from the clock so tabs left open across a server restart reload on reconnect.
        self._snap = LiveSnapshot(version=0, epoch=time.time_ns() // 1_000_000, problems=())

    def snapshot(self) -> LiveSnapshot:
        with self._cond:
            return self._snap

    def publish(self, *, reload: bool, problems: Sequence[Problem]) -> LiveSnapshot:
        with self._cond:
            old = self._snap
            problems = tuple(problems)
            if not reload and problems == old.problems:
                return old
            self._snap = LiveSnapshot(old.version + 1, old.epoch + 1 if reload else old.epoch, problems)
            self._cond.notify_all()
            return self._snap

    def close(self) -> None:
        with self._cond:
            old = self._snap
            self._snap = LiveSnapshot(old.version + 1, old.epoch, old.problems, closed=True)
            self._cond.notify_all()

    def wait_change(self, version: int, timeout: float) -> LiveSnapshot:
        with self._cond:
            self._cond.wait_for(lambda: self._snap.version != version, timeout)
            return self._snap


def problem_json(problem: Problem) -> dict[str, Any]:
    return {"path": problem.location.path, "line": problem.location.line, "message": problem.message,
            "hint": problem.hint, "severity": problem.severity, "text": str(problem)}


def _script_json(value: Any) -> str:
    """JSON that is safe inside an inline <script> element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


LIVE_SCRIPT = """\
(function () {
  "use strict";
  var state = %(state)s;
  var OVERLAY = "__digest-overlay";
  function show(problems) {
    var old = document.getElementById(OVERLAY);
    if (old) old.remove();
    if (!problems || !problems.length) return;
    var box = document.createElement("div");
    box.id = OVERLAY;
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2rem;" +
      "background:rgba(20,20,20,.94);color:#f3f3f3;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,monospace;";
    var h = document.createElement("h2");
    h.textContent = "digest: the last rebuild failed — showing the last good version of the site";
    h.style.cssText = "color:#ff8a80;font-size:1.1rem;margin:0 0 1rem;";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "×";
    close.setAttribute("aria-label", "Hide this message");
    close.style.cssText = "position:absolute;top:1rem;right:1rem;font:inherit;font-size:1.5rem;line-height:1;" +
      "background:none;color:inherit;border:0;cursor:pointer;";
    close.addEventListener("click", function () { box.remove(); });
    box.appendChild(close);
    box.appendChild(h);
    problems.forEach(function (p) {
      var item = document.createElement("div");
      item.style.cssText = "margin:0 0 1rem;padding:.75rem 1rem;border-left:4px solid #ff5252;background:#2b2b2b;";
      var where = document.createElement("div");
      where.className = "__digest-location";
      where.style.cssText = "color:#ffd180;font-weight:bold;";
      where.textContent = p.path + (p.line ? ":" + p.line : "");
      var msg = document.createElement("div");
      msg.textContent = p.message;
      item.appendChild(where);
      item.appendChild(msg);
      if (p.hint) {
        var hint = document.createElement("div");
        hint.style.cssText = "color:#b0bec5;";
        hint.textContent = "hint: " + p.hint;
        item.appendChild(hint);
      }
      box.appendChild(item);
    });
    var note = document.createElement("p");
    note.textContent = "Fix the file and save: this page reloads by itself.";
    note.style.cssText = "color:#b0bec5;margin:0;";
    box.appendChild(note);
    (document.body || document.documentElement).appendChild(box);
  }
  var source = null;
  function connect() {
    if (source || !window.EventSource) return;
    source = new EventSource("%(events)s?epoch=" + state.epoch);
    source.addEventListener("reload", function () { disconnect(); location.reload(); });
    source.addEventListener("problems", function (e) { show(JSON.parse(e.data).problems); });
  }
  function disconnect() {
    if (source) source.close();
    source = null;
  }
  // Browsers allow about six HTTP/1.1 connections per host: hidden tabs let go of their stream and
  // reconnect when shown again (reloading at once if the site changed meanwhile), so a dozen open
  // tabs never starve page loads.
  function onVisibility() {
    if (document.visibilityState === "hidden") disconnect();
    else connect();
  }
  function start() {
    show(state.problems);
    document.addEventListener("visibilitychange", onVisibility);
    window.addEventListener("pagehide", disconnect);
    window.addEventListener("pageshow", function (e) { if (e.persisted) connect(); });
    onVisibility();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
"""


def live_snippet(snap: LiveSnapshot) -> bytes:
    state = {"epoch": snap.epoch, "problems": [problem_json(p) for p in snap.problems]}
    script = LIVE_SCRIPT % {"state": _script_json(state), "events": EVENTS_PATH}
    return f'<script data-digest-live="">{script}</script>'.encode()


def inject(html: bytes, snippet: bytes) -> bytes:
    """Insert ``snippet`` before the last ``</body>`` (or append it when there is none)."""
    at = html.lower().rfind(b"</body>")
    return html + snippet if at < 0 else html[:at] + snippet + html[at:]


# -- files and their types --------------------------------------------------------------------------

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".pdf": "application/pdf",
}
FEED_TYPES = {"feed.xml": "application/rss+xml; charset=utf-8", "atom.xml": "application/atom+xml; charset=utf-8"}


def content_type(name: str) -> str:
    if name in FEED_TYPES:
        return FEED_TYPES[name]
    return CONTENT_TYPES.get(os.path.splitext(name)[1].lower(), "application/octet-stream")


@dataclass(frozen=True)
class Redirect:
    location: str


class BadRequest(ValueError):
    pass


def resolve_url_path(site: Path, url_path: str) -> Path | Redirect | None:
    """Map a URL path to a regular file inside ``site`` (a directory → its index.html), else None.

    Refuses ``..`` (also percent-encoded), NUL bytes, backslashes, our temp files and anything
    whose real path — after following symlinks — lies outside ``site``. No directory listings.
    """
    if "\x00" in url_path or not url_path.startswith("/"):
        raise BadRequest(url_path)
    try:
        decoded = unquote(url_path, errors="strict")
    except UnicodeDecodeError:
        raise BadRequest(url_path) from None
    if "\x00" in decoded:
        raise BadRequest(url_path)
    parts = decoded.split("/")
    if "\\" in decoded or any(p == ".." for p in parts):
        return None
    segments = [p for p in parts if p not in ("", ".")]
    if any(p.startswith(TMP_PREFIX) for p in segments):
        return None
    base = os.path.realpath(site)
    real = os.path.realpath(os.path.join(base, *segments))
    if not _inside(real, base):
        return None
    if os.path.isdir(real):
        if not decoded.endswith("/"):
            # Relative links only work from the directory URL; build the target from clean segments
            # so "//host" can never become an off-site redirect.
            return Redirect("/" + "".join(quote(s) + "/" for s in segments))
        real = os.path.realpath(os.path.join(real, "index.html"))
        if not _inside(real, base):
            return None
    try:
        if not stat.S_ISREG(os.stat(real).st_mode):
            return None
    except OSError:
        return None
    return Path(real)


def _inside(path: str, base: str) -> bool:
    return path == base or path.startswith(base.rstrip(os.sep) + os.sep)


NOT_FOUND_FALLBACK = b"<!doctype html><html><head><title>Not found</title></head><body><h1>Not found</h1></body></html>"


# -- HTTP -------------------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    content_type: str = "text/html; charset=utf-8"
    body: bytes = b""
    stream: Any = None  # an open binary file, for large files
    length: int = 0
    headers: dict[str, str] = field(default_factory=dict)


class DevRequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive; every response carries Content-Length
    server_version = "digest-serve"
    sys_version = ""

    def version_string(self) -> str:
        return self.server_version
    server: DevHTTPServer

    def setup(self) -> None:
        super().setup()
        # Per connection: an idle keep-alive or half-sent request, or a client that stops reading,
        # frees its thread after this long.
        self.connection.settimeout(self.server.idle_timeout)
        # Headers and body go out as separate writes; without this, Nagle's algorithm and the
        # client's delayed ACK stall every keep-alive response by ~40 ms.
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:  # the stdlib's signature
        logger.debug("%s - %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        self._handle(head=False)

    def do_HEAD(self) -> None:
        self._handle(head=True)

    def _handle(self, head: bool) -> None:
        if not self.server.host_allowed(self.headers.get("Host")):
            # A page on another site reaching us through DNS rebinding names its own host here.
            self._send(Response(HTTPStatus.MISDIRECTED_REQUEST, "text/plain; charset=utf-8",
                                b"this server answers only to localhost\n"), head)
            return
        split = urlsplit(self.path)
        if split.path == EVENTS_PATH:
            self._events(split.query, head)
            return
        response = self._file_response(split.path)
        self._send(response, head)

    def _file_response(self, url_path: str) -> Response:
        site = self.server.site_dir
        with self.server.gate.read():
            snap = self.server.live.snapshot()
            try:
                target = resolve_url_path(site, url_path)
            except BadRequest:
                return Response(HTTPStatus.BAD_REQUEST, "text/plain; charset=utf-8", b"bad request\n")
            if isinstance(target, Redirect):
                return Response(HTTPStatus.MOVED_PERMANENTLY, "text/plain; charset=utf-8",
                                b"moved\n", headers={"Location": target.location})
            status = HTTPStatus.OK
            if target is None:
                status = HTTPStatus.NOT_FOUND
                found = resolve_url_path(site, "/404.html")
                target = found if isinstance(found, Path) else None
            if target is None:
                return Response(status, body=inject(NOT_FOUND_FALLBACK, live_snippet(snap)))
            ctype = content_type(target.name)
            handle = open(target, "rb")  # noqa: SIM115 - handed over to _send, which closes it
            try:
                size = os.fstat(handle.fileno()).st_size
                if ctype.startswith("text/html") or size <= INLINE_LIMIT:
                    body = handle.read()
                    handle.close()
                    if ctype.startswith("text/html"):
                        body = inject(body, live_snippet(snap))
                    return Response(status, ctype, body)
                return Response(status, ctype, stream=handle, length=size)
            except BaseException:
                handle.close()
                raise

    def _send(self, response: Response, head: bool) -> None:
        try:
            length = response.length if response.stream is not None else len(response.body)
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(length))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.end_headers()
            if head:
                return
            if response.stream is None:
                self.wfile.write(response.body)
            else:
                while chunk := response.stream.read(1 << 16):
                    self.wfile.write(chunk)
        finally:
            if response.stream is not None:
                response.stream.close()

    def _events(self, query: str, head: bool) -> None:
        """A Server-Sent-Events stream: ``reload`` when the site changed, ``problems`` for the overlay."""
        live = self.server.live
        snap = live.snapshot()
        try:
            client_epoch = int(parse_qs(query).get("epoch", [""])[0])
        except ValueError:
            client_epoch = snap.epoch
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")  # no Content-Length: the stream ends with the connection
        self.end_headers()
        self.close_connection = True
        if head:
            return
        try:
            self._event(None, "retry: 1000\n")
            sent: tuple[Problem, ...] | None = None  # a (re)connecting tab gets the current problems first
            while not snap.closed and not self.server.stopping.is_set():
                if snap.epoch != client_epoch:
                    self._event("reload", json.dumps({"epoch": snap.epoch}))
                    return
                if snap.problems != sent:
                    self._event("problems", json.dumps({"epoch": snap.epoch,
                                                        "problems": [problem_json(p) for p in snap.problems]}))
                    sent = snap.problems
                new = live.wait_change(snap.version, self.server.keepalive)
                if new.version == snap.version:
                    self.wfile.write(b":keepalive\n\n")  # a dead client makes this fail (or time out)
                snap = new
        except OSError:
            return  # the tab went away

    def _event(self, name: str | None, data: str) -> None:
        if name is None:
            self.wfile.write(data.encode() + b"\n")
        else:
            self.wfile.write(f"event: {name}\ndata: {data}\n\n".encode())


class DevHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # bursts of connections (a page and its assets, many tabs) queue, not drop

    def __init__(self, address: tuple[str, int], site_dir: Path, gate: ReadWriteGate, live: LiveState, *,
                 idle_timeout: float = IDLE_TIMEOUT, keepalive: float = KEEPALIVE) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.site_dir = site_dir
        self.gate = gate
        self.live = live
        self.idle_timeout = idle_timeout
        self.keepalive = keepalive
        self.stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._conn_lock = threading.Lock()
        super().__init__(address, DevRequestHandler)

    def host_allowed(self, host: str | None) -> bool:
        """On a loopback address, only requests for a loopback host name are served."""
        bound = self.server_address[0]
        if bound not in ("127.0.0.1", "::1", "localhost") or not host:
            return True  # --host says the server is meant to be reached under other names
        name = host.rsplit("]", 1)[0].lstrip("[") if host.startswith("[") else host.rsplit(":", 1)[0]
        return name in ("localhost", "127.0.0.1", "::1") or name.endswith(".localhost")

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._conn_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._conn_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            logger.debug("connection from %s dropped: %s", client_address, exc)
        else:
            logger.error("error while serving %s", client_address, exc_info=True)

    def close_connections(self) -> None:
        """Wake every thread still reading from or streaming to a client so it can finish."""
        with self._conn_lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)


# -- the session ------------------------------------------------------------------------------------


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
        self.builder = Builder(config, BuildOptions())
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
                problems += ingest_all(self.config, self._clock(), offline=self.offline)
                report = self.builder.build()
                problems += report.problems
            except DigestError as exc:
                problems += exc.problems
            errors = [p for p in problems if p.severity == "error"]
            self.live.publish(reload=False, problems=errors)
        self._report_warnings(problems, initial=True)
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
        ingest = any(p.is_relative_to(content) and not p.is_relative_to(articles) for p in changes.paths)
        problems: list[Problem] = []
        report: BuildReport | None = None
        with self.gate.write():
            had_errors = bool(self.live.snapshot().problems)
            try:
                if config_changed:
                    self._reload_config()
                if ingest:  # new inbox files or local feed files; never the network after the start
                    problems += ingest_all(self.config, self._clock(), offline=True)
                # After an ingest, its new article files are not in this batch: look at everything.
                report = self.builder.build(None if ingest or config_changed else changes.paths)
                problems += report.problems
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
            self.builder = Builder(config, BuildOptions())

    def _report_warnings(self, problems: Sequence[Problem], initial: bool = False) -> None:
        warnings = [p for p in problems if p.severity != "error"]
        new = [p for p in warnings if p not in self._warnings]
        self._warnings = set(warnings)
        if new:
            self.warn(new)

    def stop(self) -> None:
        """Stop watching, finish a rebuild in progress, close every connection and the socket."""
        self.stop_event.set()
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
    previous: Any = None
    in_main = threading.current_thread() is threading.main_thread()
    if in_main:
        previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.start()
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        if in_main:
            signal.signal(signal.SIGTERM, previous)
    return 0


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
