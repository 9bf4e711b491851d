"""The dev server's HTTP side: connections, keep-alive and timeouts, the Host check, and routing.

Every request is either the live-reload event stream or a file of ``site/``. Files are picked under
the read side of the gate, so a rebuild in progress (the write side) holds them back until it is done.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator.serve.gate import ReadWriteGate
from generator.serve.livereload import EVENTS_PATH, LiveState, inject, live_snippet, requested_epoch, stream_events
from generator.serve.static import Response, file_response

logger = logging.getLogger(__name__)

KEEPALIVE = 15.0  # seconds between ``:keepalive`` comments on an idle event stream
IDLE_TIMEOUT = 20.0  # a connection that sends nothing (or stops reading) for this long is dropped


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
        with self.server.gate.read():
            snap = self.server.live.snapshot()
            response = file_response(self.server.site_dir, split.path, lambda html: inject(html, live_snippet(snap)))
        self._send(response, head)

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
        live = self.server.live
        snap = live.snapshot()
        client_epoch = requested_epoch(query, snap.epoch)
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")  # no Content-Length: the stream ends with the connection
        self.end_headers()
        self.close_connection = True
        if head:
            return
        with contextlib.suppress(OSError):  # the tab went away
            stream_events(live, snap, client_epoch, self.wfile.write, keepalive=self.server.keepalive,
                          stopping=self.server.stopping)


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
