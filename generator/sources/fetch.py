"""HTTP(S) fetching of feeds: bounded in time, size and redirects; conditional GET.

Network faults are normal here. Each fetch has a TOTAL deadline (a watchdog shuts the socket down
when it passes, so a server trickling a byte a second cannot hold a worker past it), at most
``MAX_REDIRECTS`` hops, at most ``MAX_RAW_BYTES`` read off the wire and ``MAX_DECODED_BYTES`` after
gzip/deflate (stream-decompressed with ``max_length``, so a gzip bomb costs bounded memory). Only
``http`` and ``https`` are ever fetched, including redirect targets. Faults become a ``FetchResult``
with ``error`` set; nothing here raises for a bad server, and nothing here touches the state.

Why the standard library and not requests/httpx: we need our own redirect loop (to refuse non-HTTP
targets and report permanent moves), our own streaming decompression cap and a total deadline; with a
library we would still write all three, on top of a dependency.
"""

from __future__ import annotations

import contextlib
import http.client
import logging
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

log = logging.getLogger(__name__)

USER_AGENT = "digest/0.1 (+https://github.com/digest-news/digest; feed reader)"
MAX_REDIRECTS = 5
MAX_RAW_BYTES = 5 * 1024 * 1024
MAX_DECODED_BYTES = 10 * 1024 * 1024
_CHUNK = 64 * 1024
_REDIRECTS = {301, 302, 303, 307, 308}
_PERMANENT = {301, 308}
ACCEPT = ("application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml, "
          "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5")


@dataclass(frozen=True)
class Validators:
    """What the server said last time, sent back for a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class FetchResult:
    """The outcome of fetching one feed; ``body`` is None on 304, on error, and when skipped."""

    feed: str
    location: str  # the URL or local path from config
    status: int | None = None  # the final HTTP status; None for a local file or a network failure
    body: bytes | None = None
    content_type: str | None = None
    final_url: str | None = None  # after redirects: the base for relative links
    validators: Validators = field(default_factory=Validators)
    permanent_redirect: str | None = None  # update config.yaml to this URL
    error: str | None = None
    elapsed: float = 0.0
    skipped: bool = False  # an http feed while offline

    @property
    def not_modified(self) -> bool:
        return self.status == 304 and self.error is None

    @property
    def is_http(self) -> bool:
        return not self.skipped and self.location.lower().startswith(("http://", "https://"))


class FetchFailure(Exception):
    """Internal: one reason a fetch failed, with the status when the server answered."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class _Limits:
    timeout: float
    max_raw: int
    max_decoded: int
    max_redirects: int
    accept: str = ACCEPT


def fetch_url(
    name: str,
    url: str,
    validators: Validators | None = None,
    *,
    timeout: float = 20.0,
    max_raw: int = MAX_RAW_BYTES,
    max_decoded: int = MAX_DECODED_BYTES,
    max_redirects: int = MAX_REDIRECTS,
    user_agent: str = USER_AGENT,
    accept: str = ACCEPT,
) -> FetchResult:
    """GET ``url`` within ``timeout`` seconds in total, following up to ``max_redirects`` redirects
    (``accept``: feed types by default; an article page asks for HTML)."""
    validators = validators or Validators()
    limits = _Limits(timeout, max_raw, max_decoded, max_redirects, accept)
    started = time.monotonic()
    deadline = started + timeout
    current = url
    permanent: str | None = None
    all_permanent = True
    status: int | None = None
    try:
        for hop in range(max_redirects + 1):
            _check_scheme(current, redirected=hop > 0)
            status, headers, body = _request(current, validators, deadline, limits, user_agent)
            if status in _REDIRECTS:
                location = headers.get("location")
                if not location:
                    raise FetchFailure(f"HTTP {status} redirect without a Location header", status)
                target = urljoin(current, location.strip())
                all_permanent = all_permanent and status in _PERMANENT
                if all_permanent:
                    permanent = target
                current = target
                continue
            if status == 304:
                return FetchResult(
                    name, url, status=304, final_url=current, permanent_redirect=permanent,
                    validators=_validators(headers, validators), elapsed=time.monotonic() - started)
            if status >= 400:
                reason = headers.get(":reason", "")
                raise FetchFailure(f"HTTP {status} {reason}".rstrip(), status)
            if status != 200:
                raise FetchFailure(f"unexpected HTTP status {status}", status)
            return FetchResult(
                name, url, status=200, body=body, content_type=headers.get("content-type"),
                final_url=current, permanent_redirect=permanent,
                validators=_validators(headers, Validators()), elapsed=time.monotonic() - started)
        raise FetchFailure(f"too many redirects (more than {max_redirects})", status)
    except FetchFailure as exc:
        return FetchResult(name, url, status=exc.status, error=str(exc), permanent_redirect=permanent,
                           elapsed=time.monotonic() - started)


def _check_scheme(url: str, *, redirected: bool) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        what = "redirect to" if redirected else "URL"
        raise FetchFailure(f"refused {what} {url!r}: only http and https are fetched")


def _validators(headers: dict[str, str], previous: Validators) -> Validators:
    return Validators(etag=headers.get("etag") or previous.etag,
                      last_modified=headers.get("last-modified") or previous.last_modified)


def _request(
    url: str, validators: Validators, deadline: float, limits: _Limits, user_agent: str,
    form: bytes | None = None,
) -> tuple[int, dict[str, str], bytes | None]:
    """One GET (or a POST of the url-encoded ``form``); returns (status, lower-cased headers, decoded body
    for a 200)."""
    parts = urlsplit(url)
    if not parts.hostname:
        raise FetchFailure(f"not a fetchable URL: {url!r}")
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchFailure(f"timed out after {limits.timeout:g} s")
    conn: http.client.HTTPConnection
    if parts.scheme.lower() == "https":
        conn = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=remaining,
                                           context=ssl.create_default_context())
    else:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=remaining)
    expired = threading.Event()

    def watchdog() -> None:
        # The total deadline: unblock whatever recv() the worker is stuck in.
        expired.set()
        sock = conn.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    timer = threading.Timer(remaining, watchdog)
    timer.daemon = True
    timer.start()
    try:
        conn.connect()
        if expired.is_set() or conn.sock is None:  # the deadline passed while connecting
            raise TimeoutError
        conn.sock.settimeout(max(0.001, deadline - time.monotonic()))
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        request_headers = {"User-Agent": user_agent, "Accept": limits.accept, "Accept-Encoding": "gzip, deflate"}
        if validators.etag:
            request_headers["If-None-Match"] = validators.etag
        if validators.last_modified:
            request_headers["If-Modified-Since"] = validators.last_modified
        if form is not None:
            request_headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request("GET" if form is None else "POST", path, body=form, headers=request_headers)
        response = conn.getresponse()
        headers = {k.lower(): v for k, v in response.getheaders()}
        headers[":reason"] = response.reason or ""
        if response.status != 200:
            return response.status, headers, None
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > limits.max_raw:
            raise FetchFailure(f"too large: {int(length)} bytes (limit {limits.max_raw})", 200)
        body = _read_body(response, headers.get("content-encoding", "").lower(), deadline, limits,
                          conn.sock)
        return 200, headers, body
    except FetchFailure:
        raise
    except (OSError, http.client.HTTPException, ValueError) as exc:
        if expired.is_set() or time.monotonic() >= deadline:
            raise FetchFailure(f"timed out after {limits.timeout:g} s") from None
        raise FetchFailure(_describe(exc)) from None
    finally:
        timer.cancel()
        conn.close()


def _read_body(
    response: http.client.HTTPResponse, encoding: str, deadline: float, limits: _Limits,
    sock: socket.socket | None,
) -> bytes:
    """Read the body in small reads, checking the deadline and both caps after each one."""
    inflater = None
    if encoding in ("gzip", "x-gzip", "deflate"):
        inflater = zlib.decompressobj(32 + zlib.MAX_WBITS)  # auto-detects gzip and zlib headers
    raw = 0
    out: list[bytes] = []
    decoded = 0
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchFailure(f"timed out after {limits.timeout:g} s", 200)
        if sock is not None:
            sock.settimeout(remaining)
        chunk = response.read1(_CHUNK)
        if not chunk:
            break
        raw += len(chunk)
        if raw > limits.max_raw:
            raise FetchFailure(f"too large: more than {limits.max_raw} bytes", 200)
        if inflater is not None:
            try:
                # max_length bounds the output of this one call: a bomb stops at the cap + 1 byte.
                chunk = inflater.decompress(chunk, limits.max_decoded - decoded + 1)
            except zlib.error as exc:
                raise FetchFailure(f"bad {encoding} body: {exc}", 200) from None
        decoded += len(chunk)
        if decoded > limits.max_decoded:
            raise FetchFailure(f"too large: more than {limits.max_decoded} bytes decompressed", 200)
        out.append(chunk)
    if time.monotonic() >= deadline:
        raise FetchFailure(f"timed out after {limits.timeout:g} s", 200)
    if response.length:  # the connection closed before Content-Length bytes arrived
        raise FetchFailure(f"truncated body: {response.length} bytes missing", 200)
    if inflater is not None and not inflater.eof:
        raise FetchFailure(f"truncated {encoding} body", 200)
    return b"".join(out)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ssl.SSLError | ssl.CertificateError):
        return f"TLS error: {exc}"
    if isinstance(exc, socket.gaierror):
        return f"cannot resolve host: {exc.strerror or exc}"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, TimeoutError | socket.timeout):
        return "timed out"
    if isinstance(exc, http.client.IncompleteRead):
        return "truncated body"
    if isinstance(exc, http.client.RemoteDisconnected):
        return "server closed the connection without answering"
    text = str(exc) or type(exc).__name__
    return f"network error: {text}"


def post_form(url: str, fields: Sequence[tuple[str, str]], *, timeout: float = 20.0,
              user_agent: str = USER_AGENT) -> FetchResult:
    """POST ``fields`` url-encoded to ``url`` (a WebSub hub), with the limits of a feed fetch: one total
    deadline, http(s) only, a capped response. A redirect is not followed (a POST must not silently
    become another request): it is a failure naming the new address. Any 2xx is success."""
    started = time.monotonic()
    limits = _Limits(timeout, MAX_RAW_BYTES, MAX_DECODED_BYTES, 0)
    try:
        _check_scheme(url, redirected=False)
        status, headers, _body = _request(url, Validators(), started + timeout, limits, user_agent,
                                          form=urlencode(fields).encode("ascii"))
        if status in _REDIRECTS:
            raise FetchFailure(f"HTTP {status}: the hub moved to {headers.get('location', '?')}", status)
        if not 200 <= status < 300:
            reason = headers.get(":reason", "")
            raise FetchFailure(f"HTTP {status} {reason}".rstrip(), status)
        return FetchResult(url, url, status=status, final_url=url, elapsed=time.monotonic() - started)
    except FetchFailure as exc:
        return FetchResult(url, url, status=exc.status, error=str(exc), elapsed=time.monotonic() - started)


def read_local(name: str, path: str, root: Path, *, max_bytes: int = MAX_RAW_BYTES) -> FetchResult:
    """A ``path:`` feed, relative to the project root; read even offline, capped like a download."""
    started = time.monotonic()
    full = (root / path) if not Path(path).is_absolute() else Path(path)
    try:
        with full.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        return FetchResult(name, path, error=f"cannot read {path}: {exc.strerror or exc}",
                           elapsed=time.monotonic() - started)
    if len(data) > max_bytes:
        return FetchResult(name, path, error=f"too large: more than {max_bytes} bytes",
                           elapsed=time.monotonic() - started)
    return FetchResult(name, path, body=data, final_url=None, elapsed=time.monotonic() - started)


@dataclass(frozen=True)
class FetchJob:
    """One feed to fetch: its name, ``url`` or ``path``, and last validators."""

    name: str
    url: str | None = None
    path: str | None = None
    validators: Validators = field(default_factory=Validators)


def fetch_all(
    jobs: Sequence[FetchJob],
    root: Path,
    *,
    offline: bool,
    timeout: float,
    concurrency: int,
    max_raw: int = MAX_RAW_BYTES,
    max_decoded: int = MAX_DECODED_BYTES,
) -> list[FetchResult]:
    """Fetch every job, at most ``concurrency`` at a time; results in the order of ``jobs``.

    Each worker is bounded by its own deadline, so one dead server delays no other feed beyond the
    pool's width. Local ``path:`` feeds are read in the calling thread, offline or not.
    """
    results: dict[int, FetchResult] = {}
    remote: list[tuple[int, FetchJob]] = []
    for i, job in enumerate(jobs):
        if job.path is not None:
            results[i] = read_local(job.name, job.path, root, max_bytes=max_raw)
        elif job.url is None:
            results[i] = FetchResult(job.name, "", error="neither url nor path")
        elif offline:
            results[i] = FetchResult(job.name, job.url, skipped=True)
        else:
            remote.append((i, job))
    if remote:
        with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(remote))),
                                thread_name_prefix="digest-fetch") as pool:
            futures = {
                i: pool.submit(fetch_url, job.name, job.url or "", job.validators, timeout=timeout,
                               max_raw=max_raw, max_decoded=max_decoded)
                for i, job in remote
            }
            for i, future in futures.items():
                results[i] = future.result()
    for result in results.values():
        if result.error:
            log.info("feed %s: %s", result.feed, result.error)
    return [results[i] for i in range(len(jobs))]
