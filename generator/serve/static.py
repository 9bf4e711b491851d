"""Serving ``site/`` as files: URL → file, content types, and the response for a file request.

Only regular files inside ``site/`` are served: ``..`` (also percent-encoded), NUL bytes, backslashes,
the build's temp files and symlinks whose target lies outside are refused; directories are never listed.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from generator.build import TMP_PREFIX

INLINE_LIMIT = 4 << 20  # files up to this size are read into memory under the read lock

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

NOT_FOUND_FALLBACK = b"<!doctype html><html><head><title>Not found</title></head><body><h1>Not found</h1></body></html>"


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


@dataclass
class Response:
    status: int
    content_type: str = "text/html; charset=utf-8"
    body: bytes = b""
    stream: Any = None  # an open binary file, for large files; whoever sends the response closes it
    length: int = 0
    headers: dict[str, str] = field(default_factory=dict)


def file_response(site: Path, url_path: str, decorate_html: Callable[[bytes], bytes]) -> Response:
    """The response for ``url_path``: the file, a redirect, 400, or 404 with the site's 404 page.

    HTML (also the 404 page) passes through ``decorate_html``, which adds the live-reload script.
    """
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
        return Response(status, body=decorate_html(NOT_FOUND_FALLBACK))
    ctype = content_type(target.name)
    handle = open(target, "rb")  # noqa: SIM115 - handed over with the response, whose sender closes it
    try:
        size = os.fstat(handle.fileno()).st_size
        if ctype.startswith("text/html") or size <= INLINE_LIMIT:
            body = handle.read()
            handle.close()
            if ctype.startswith("text/html"):
                body = decorate_html(body)
            return Response(status, ctype, body)
        return Response(status, ctype, stream=handle, length=size)
    except BaseException:
        handle.close()
        raise
