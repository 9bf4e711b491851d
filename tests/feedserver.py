"""The one loopback HTTP server of the feed tests: routes registered per test, every request logged.

A route is a canned answer (status, headers, body) plus the faults fetching must survive: a delay before
answering, a body trickled byte by byte, a hang until the test ends, a declared length the body does not
have, a raw byte stream instead of an HTTP response. Routes with an ``etag`` or ``last_modified`` answer
conditional GETs with 304 (If-None-Match first, then If-Modified-Since, as RFC 9110 orders them).
"""

from __future__ import annotations

import gzip
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, NamedTuple

AUTO = -1  # content_length: the length of the body as sent


class Request(NamedTuple):
    """One request as the server saw it: path, lower-cased headers, the status it answered."""

    path: str
    headers: dict[str, str]
    status: int


@dataclass(frozen=True)
class Route:
    """One canned answer and the fault it plays; registered with `FeedServer.route`."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    gzip: bool = False  # compress the body, say so in Content-Encoding
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0  # seconds before the status line
    trickle: float | None = None  # seconds between the bytes of the body
    repeat: int = 1  # the body is sent this many times (large bodies without holding them)
    content_length: int | None = AUTO  # None: no header, the connection closes after the body
    close: bool = False  # "Connection: close" after this answer
    raw: bool = False  # the body is the whole answer, status line and headers included
    hang: bool = False  # accept and never answer (until the server resets or stops)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: FeedServer

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients hanging up on bombs, trickles and hangs are the point of these tests


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # quiet test output
        pass

    def do_GET(self) -> None:
        owner = self.server.owner
        stop = owner.stop
        headers = {k.lower(): v for k, v in self.headers.items()}
        route = owner.routes.get(self.path, Route(404))
        status = 304 if _fresh(route, headers) else route.status
        owner.requests.append(Request(self.path, headers, status))
        if route.delay:
            time.sleep(route.delay)
        if route.hang:
            stop.wait(30)
            return
        if route.raw:
            self._write(route.body, route.trickle, stop)
            self.close_connection = True
            return
        body = gzip.compress(route.body) if route.gzip else route.body
        self.send_response(status)
        if route.gzip:
            self.send_header("Content-Encoding", "gzip")
        for name, value in route.headers.items():
            self.send_header(name, value)
        if route.etag:
            self.send_header("ETag", route.etag)
        if route.last_modified:
            self.send_header("Last-Modified", route.last_modified)
        if status == 304:
            self.end_headers()
            return
        length = len(body) * route.repeat if route.content_length == AUTO else route.content_length
        if length is not None:
            self.send_header("Content-Length", str(length))
        if route.close or length is None:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        for _ in range(route.repeat):
            if not self._write(body, route.trickle, stop):
                return

    def _write(self, data: bytes, trickle: float | None, stop: threading.Event) -> bool:
        """Send ``data`` (byte by byte when trickling); False once the client is gone or the test ended."""
        try:
            if trickle is None:
                self.wfile.write(data)
                return True
            for byte in data:
                if stop.is_set():
                    return False
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(trickle)
        except OSError:
            return False
        return True


def _fresh(route: Route, headers: dict[str, str]) -> bool:
    if route.status != 200:
        return False
    if "if-none-match" in headers:
        return route.etag is not None and headers["if-none-match"] == route.etag
    return route.last_modified is not None and headers.get("if-modified-since") == route.last_modified


class FeedServer:
    """A ThreadingHTTPServer on 127.0.0.1 (random port) serving the routes a test registers."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self.stop = threading.Event()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self.base = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, body: bytes = b"", status: int = 200, **fields: Any) -> str:
        """Answer GET ``path`` with ``body`` (``fields``: the rest of `Route`); its absolute URL."""
        self.routes[path] = Route(status=status, body=body, **fields)
        return self.url(path)

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        return self.route(path, status=status, headers={"Location": location})

    def headers_for(self, path: str) -> list[dict[str, str]]:
        return [r.headers for r in self.requests if r.path == path]

    def reset(self) -> None:
        """Forget routes and requests; release handlers still hanging or trickling for an earlier test."""
        stop, self.stop = self.stop, threading.Event()
        stop.set()
        self.routes.clear()
        self.requests.clear()

    def close(self) -> None:
        self.stop.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


def closed_port() -> int:
    """A port nothing listens on: bound, then released (connections are refused at once)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port
