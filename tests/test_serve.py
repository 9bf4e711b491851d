"""``digest serve`` without a browser: files, safety, live reload over SSE, the gate, errors, load, watching."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import BASE_CONFIG, article, wait_for

from generator.build import Builder, BuildReport, IngestRequest
from generator.config import load_config
from generator.errors import Location, Problem
from generator.serve import (
    DevServer,
    LiveSnapshot,
    content_type,
    inject,
    live_snippet,
    serve,
)
from generator.watch import ChangeSet, SourceWatcher, is_editor_junk

NOW = datetime(2025, 6, 1, tzinfo=UTC)
FIRST = article("Tariffs bite in Windsor", "2025-05-01T10:00:00-04:00", "The first version of the story.",
                topics=["Trade War"])
SECOND = article("Blue Jays win", "2025-05-02T10:00:00-04:00", "A sports story.", topics=["Sports"])
SLUG = "first"  # the file name


@dataclass
class Session:
    server: DevServer
    root: Path
    lines: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def port(self) -> int:
        return int(self.server.httpd.server_address[1])

    def conn(self, timeout: float = 5) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def get(self, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
        conn = self.conn()
        try:
            conn.request(method, path)
            resp = conn.getresponse()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
        finally:
            conn.close()

    def touch(self, rel: str, text: str) -> ChangeSet:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return ChangeSet({path.resolve()}, time.monotonic())


@pytest.fixture
def start(tmp_project: Callable[..., Path]) -> Iterator[Callable[..., Session]]:
    sessions: list[Session] = []

    def make(files: dict[str, str] | None = None, config: str = BASE_CONFIG, **kwargs: object) -> Session:
        root = tmp_project({"content/articles/first.md": FIRST, "content/articles/second.md": SECOND,
                            **(files or {})}, config=config)
        session = Session(server=None, root=root)  # type: ignore[arg-type]
        options: dict[str, object] = {"watch": False, "offline": True, "keepalive": 0.2, "idle_timeout": 2.0,
                                      **kwargs}
        session.server = DevServer(load_config(root / "config.yaml"), port=0, now=NOW,
                                   echo=session.lines.append, warn=session.problems.extend,
                                   **options)  # type: ignore[arg-type]
        sessions.append(session)
        session.server.start()
        return session

    yield make
    for s in sessions:
        s.server.stop()


def _epoch(page: bytes) -> int:
    found = re.search(rb'"epoch":(\d+)', page)
    assert found, "no live-reload state in the served page"
    return int(found.group(1))


class EventStream:
    """A minimal SSE client on a raw socket."""

    def __init__(self, port: int, epoch: int | None = None, timeout: float = 5) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        query = f"?epoch={epoch}" if epoch is not None else ""
        self.sock.sendall(f"GET /__digest/events{query} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
        self.file = self.sock.makefile("rb")
        status = self.file.readline()
        assert b" 200 " in status, status
        headers = {}
        while (line := self.file.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            headers[name.strip().lower()] = value.strip()
        assert headers["content-type"].startswith("text/event-stream")

    def next_event(self) -> tuple[str, str]:
        """The next ``(event, data)``; comments come back as ``(":", text)``."""
        name, data = "message", ""
        while True:
            line = self.file.readline()
            if not line:
                return "eof", ""
            text = line.decode().rstrip("\r\n")
            if text.startswith(":"):
                return ":", text
            if text.startswith("event:"):
                name = text[6:].strip()
            elif text.startswith("data:"):
                data += text[5:].strip()
            elif text == "" and data:
                return name, data

    def wait_for(self, wanted: str) -> str:
        while True:
            name, data = self.next_event()
            if name == wanted:
                return data
            assert name != "eof", f"stream ended before a {wanted!r} event"

    def wait_for_problems(self) -> list[dict[str, object]]:
        """The next non-empty ``problems`` event (a stream starts with the current, often empty, list)."""
        while True:
            problems: list[dict[str, object]] = json.loads(self.wait_for("problems"))["problems"]
            if problems:
                return problems

    def close(self) -> None:
        self.file.close()
        self.sock.close()


# -- files, types, injection -----------------------------------------------------------------------

def test_serves_site_with_content_types_and_no_store(start: Callable[..., Session]) -> None:
    s = start()
    assert s.lines == [f"Serving http://127.0.0.1:{s.port}/"]
    expected = {
        "/": "text/html; charset=utf-8",
        f"/articles/{SLUG}/": "text/html; charset=utf-8",
        "/feed.xml": "application/rss+xml",
        "/atom.xml": "application/atom+xml",
        "/topics/trade-war/feed.xml": "application/rss+xml",
        "/sitemap.xml": "application/xml",
        "/static/style.css": "text/css",
        "/static/favicon.svg": "image/svg+xml",
        "/robots.txt": "text/plain",
    }
    for path, ctype in expected.items():
        status, headers, body = s.get(path)
        assert status == 200, path
        assert headers["content-type"].startswith(ctype), (path, headers["content-type"])
        assert int(headers["content-length"]) == len(body)
        assert headers["cache-control"] == "no-store"
    status, headers, body = s.get("/", method="HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) > 0


def test_live_script_only_in_served_html_never_on_disk(start: Callable[..., Session]) -> None:
    s = start()
    _, _, page = s.get(f"/articles/{SLUG}/")
    assert page.count(b"data-digest-live") == 1
    assert page.index(b"data-digest-live") < page.rindex(b"</body>")
    for path in ("/feed.xml", "/static/style.css", "/sitemap.xml"):
        assert b"digest-live" not in s.get(path)[2]
    for file in (s.root / "site").rglob("*"):
        if file.is_file():
            assert b"__digest" not in file.read_bytes(), file


def test_inject_before_last_body_close() -> None:
    assert inject(b"<p></body></BODY>x", b"S") == b"<p></body>S</BODY>x"
    assert inject(b"<p>no body", b"S") == b"<p>no bodyS"
    snap = LiveSnapshot(1, 7, (Problem(Location("a.md", 3), "</script><b>"),))
    snippet = live_snippet(snap)
    assert snippet.count(b"</script>") == 1  # the problem text cannot close the script early
    assert b'"epoch":7' in snippet
    assert b'new EventSource("/__digest/events?epoch=" + state.epoch)' in snippet


def test_live_script_placeholders_are_filled_once() -> None:
    """Text from a problem that looks like a placeholder of livereload.js stays as it is."""
    snap = LiveSnapshot(1, 7, (Problem(Location("a.md"), "__DIGEST_EVENTS__ and __DIGEST_STATE__"),))
    snippet = live_snippet(snap).decode()
    found = re.search(r"var state = (\{.*\});\n", snippet)
    assert found
    assert json.loads(found.group(1))["problems"][0]["message"] == "__DIGEST_EVENTS__ and __DIGEST_STATE__"
    assert "__DIGEST_" not in snippet.replace(found.group(1), "")


@pytest.mark.parametrize(("name", "ctype"), [
    ("feed.xml", "application/rss+xml"), ("atom.xml", "application/atom+xml"), ("sitemap.xml", "application/xml"),
    ("index.html", "text/html; charset=utf-8"), ("x.css", "text/css"), ("x.svg", "image/svg+xml"),
    ("x.unknown", "application/octet-stream"),
])
def test_content_type(name: str, ctype: str) -> None:
    assert content_type(name).startswith(ctype)


def test_directories_redirect_then_serve_index_and_never_list(start: Callable[..., Session]) -> None:
    s = start()
    status, headers, _ = s.get(f"/articles/{SLUG}")
    assert status == 301 and headers["location"] == f"/articles/{SLUG}/"
    assert s.get(f"/articles/{SLUG}/")[0] == 200
    (s.root / "site" / "empty").mkdir()
    status, _, body = s.get("/empty/")
    assert status == 404 and b"data-digest-live" in body
    status, headers, _ = s.get("//evil.example")
    assert status == 404


def test_unknown_path_serves_404_page(start: Callable[..., Session]) -> None:
    s = start()
    status, headers, body = s.get("/no/such/page/")
    assert status == 404
    assert body.startswith((s.root / "site" / "404.html").read_bytes()[:200])
    assert headers["content-type"] == "text/html; charset=utf-8"


@pytest.mark.parametrize("path", [
    "/../config.yaml", "/%2e%2e/config.yaml", "/%2E%2E/%2e%2e/config.yaml", "/articles/..%2f..%2fconfig.yaml",
    "/static/../../config.yaml", "/..%5cconfig.yaml", "/%00", "/index.html%00.css", "/outside/secret.txt",
    "/secret-link.txt", "/%252e%252e/config.yaml", "/.digest-tmp-x", "/%ff%fe",
])
def test_path_traversal_is_refused(start: Callable[..., Session], path: str) -> None:
    s = start()
    (s.root / "outside").mkdir()
    (s.root / "outside" / "secret.txt").write_text("TOPSECRET", encoding="utf-8")
    (s.root / "config.yaml").write_text(BASE_CONFIG + "# TOPSECRET\n", encoding="utf-8")
    (s.root / "site" / "outside").symlink_to(s.root / "outside")
    (s.root / "site" / "secret-link.txt").symlink_to(s.root / "outside" / "secret.txt")
    (s.root / "site" / ".digest-tmp-x").write_text("TOPSECRET", encoding="utf-8")
    with socket.create_connection(("127.0.0.1", s.port), timeout=5) as sock:  # raw: nothing normalises the path
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1])
    assert status in (400, 404), data[:200]
    assert b"TOPSECRET" not in data


def test_binds_loopback_by_default(tmp_project: Callable[..., Path]) -> None:
    root = tmp_project({"content/articles/first.md": FIRST})
    server = DevServer(load_config(root / "config.yaml"), port=0, watch=False)
    try:
        assert server.httpd.server_address[0] == "127.0.0.1"
    finally:
        server.httpd.server_close()


def test_port_in_use_is_an_error_not_a_traceback(tmp_project: Callable[..., Path]) -> None:
    root = tmp_project({"content/articles/first.md": FIRST})
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        problems: list[Problem] = []
        code = serve(load_config(root / "config.yaml"), port=busy.getsockname()[1], offline=True,
                     warn=problems.extend)
    assert code == 1 and "cannot listen" in problems[0].message


# -- live reload -----------------------------------------------------------------------------------

def test_sse_reload_event_only_after_the_rebuild_is_visible(start: Callable[..., Session]) -> None:
    s = start()
    page_path = f"/articles/{SLUG}/"
    stream = EventStream(s.port, _epoch(s.get(page_path)[2]))
    try:
        changes = s.touch("content/articles/first.md", FIRST.replace("first version", "second version"))
        seen: list[bytes] = []

        def on_reload() -> None:
            stream.wait_for("reload")
            seen.append(s.get(page_path)[2])  # what a reloading tab would get

        waiter = threading.Thread(target=on_reload)
        waiter.start()
        s.server.rebuild(changes)
        waiter.join(5)
        assert seen and b"second version" in seen[0]
        assert re.fullmatch(r"Rebuilt \d+ files in \d+ ms", s.lines[-1]), s.lines
    finally:
        stream.close()


def test_stale_tab_reloads_at_once_and_idle_stream_keeps_alive(start: Callable[..., Session]) -> None:
    s = start()
    epoch = _epoch(s.get("/")[2])
    stale = EventStream(s.port, epoch - 1)
    assert json.loads(stale.wait_for("reload"))["epoch"] == epoch
    stale.close()
    fresh = EventStream(s.port, epoch)
    assert json.loads(fresh.wait_for("problems"))["problems"] == []  # the current state first
    fresh.wait_for(":")  # then keepalive comments (every 0.2 s here)
    fresh.close()


def test_requests_during_a_rebuild_wait_for_it(start: Callable[..., Session]) -> None:
    s = start()
    page_path = f"/articles/{SLUG}/"
    real_build = s.server.builder.build
    building = threading.Event()

    def slow_build(changed: Collection[Path] | None = None, ingest: IngestRequest | None = None) -> BuildReport:
        building.set()
        time.sleep(0.5)  # the build's own duration, during which the request below arrives
        return real_build(changed, ingest)

    s.server.builder.build = slow_build  # type: ignore[method-assign]
    changes = s.touch("content/articles/first.md", FIRST.replace("first version", "rebuilt version"))
    done: list[float] = []

    def run_rebuild() -> None:
        s.server.rebuild(changes)
        done.append(time.monotonic())

    rebuild = threading.Thread(target=run_rebuild)
    rebuild.start()
    assert building.wait(5)
    status, _, body = s.get(page_path)
    answered = time.monotonic()
    rebuild.join(5)
    assert status == 200 and b"rebuilt version" in body
    assert done and answered >= done[0] - 0.05


def test_broken_front_matter_overlay_then_recovery(start: Callable[..., Session]) -> None:
    s = start()
    page_path = f"/articles/{SLUG}/"
    stream = EventStream(s.port, _epoch(s.get(page_path)[2]))
    try:
        broken = "---\ntitle: Tariffs bite in Windsor\ndate: [2025\n---\n\nBroken.\n"
        s.server.rebuild(s.touch("content/articles/first.md", broken))
        problem = stream.wait_for_problems()[0]
        assert problem["path"] == "content/articles/first.md" and problem["line"]
        assert s.lines[-1].startswith("Rebuild failed: content/articles/first.md:")
        assert any(p.location.path == "content/articles/first.md" for p in s.problems)
        _, _, page = s.get(page_path)
        assert b"first version" in page  # the last good page
        assert b"content/articles/first.md" in page  # rendered into newly loaded pages too
        again = EventStream(s.port, _epoch(page))  # a tab that reconnects (e.g. shown again) gets them too
        assert again.wait_for_problems()[0]["path"] == "content/articles/first.md"
        again.close()
        s.server.rebuild(s.touch("content/articles/first.md", FIRST.replace("first version", "fixed version")))
        stream.wait_for("reload")
        _, _, page = s.get(page_path)
        assert b"fixed version" in page and b'"problems":[]' in page
        assert s.lines[-1].startswith("Rebuilt ")
    finally:
        stream.close()


def test_fixing_an_error_with_identical_bytes_still_clears_the_overlay(start: Callable[..., Session]) -> None:
    s = start()
    s.server.rebuild(s.touch("content/articles/first.md", "---\ntitle: [x\n---\n"))
    epoch = s.server.live.snapshot().epoch
    s.server.rebuild(s.touch("content/articles/first.md", FIRST))  # the site is unchanged by the fix
    snap = s.server.live.snapshot()
    assert snap.problems == () and snap.epoch == epoch + 1


def test_config_error_is_shown_and_fixing_it_rebuilds(start: Callable[..., Session]) -> None:
    s = start()
    s.server.rebuild(s.touch("config.yaml", BASE_CONFIG + "bogus_key: 1\n"))
    problems = s.server.live.snapshot().problems
    assert problems and problems[0].location.path == "config.yaml"
    assert s.lines[-1].startswith("Rebuild failed: config.yaml")
    # While the config is broken, other edits keep showing the config error.
    s.server.rebuild(s.touch("content/articles/second.md", SECOND))
    assert s.server.live.snapshot().problems[0].location.path == "config.yaml"
    fixed = BASE_CONFIG.replace("Test Digest", "Renamed Digest")
    s.server.rebuild(s.touch("config.yaml", fixed))
    assert s.server.live.snapshot().problems == ()
    assert b"Renamed Digest" in s.get("/")[2]


def test_broken_template_keeps_the_last_good_site(start: Callable[..., Session]) -> None:
    s = start()
    before = (s.root / "site" / "index.html").read_bytes()
    s.server.rebuild(s.touch("templates/index.html", "{% if %}\n"))
    problems = s.server.live.snapshot().problems
    assert problems and "index.html" in problems[0].location.path
    assert (s.root / "site" / "index.html").read_bytes() == before
    assert s.get("/")[0] == 200
    assert s.lines[-1].startswith("Rebuild failed:")


# -- ingest through Build --------------------------------------------------------------------------

# States its date: an undated input would be held for review and get no page.
INBOX_NOTE = ("Tariff talk drags on in Windsor\n\nPublished June 2, 2025\n\n"
              "WINDSOR — Federal officials argued over tariffs again on Monday, "
              "and the tariff schedule for imported machinery stayed exactly as it was after a long afternoon of "
              "meetings with industry groups.\n\nNothing else happened at the meeting, according to people who "
              "were in the room for it.\n")


def test_only_the_first_build_may_use_the_network(start: Callable[..., Session],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Serve asks Build to ingest: online at the start, offline after a change under content/, else not."""
    asked: list[IngestRequest | None] = []
    real_build = Builder.build

    def spy(self: Builder, changed: Collection[Path] | None = None,
            ingest: IngestRequest | None = None) -> BuildReport:
        asked.append(ingest)
        return real_build(self, changed, ingest=ingest)

    monkeypatch.setattr(Builder, "build", spy)
    s = start(offline=False)
    assert asked == [IngestRequest(NOW, offline=False)]
    report = s.server.rebuild(s.touch("content/inbox/note.txt", INBOX_NOTE))
    assert asked[-1] == IngestRequest(NOW, offline=True)
    assert report is not None and len(report.ingested) == 1, s.problems
    slug = Path(report.ingested[0]).stem
    status, _, page = s.get(f"/articles/{slug}/")
    assert status == 200 and b"Nothing else happened at the meeting" in page
    assert re.fullmatch(r"Rebuilt \d+ files in \d+ ms", s.lines[-1]), s.lines
    s.server.rebuild(s.touch("content/articles/second.md", SECOND.replace("sports", "baseball")))
    assert asked[-1] is None


# -- load and resources ----------------------------------------------------------------------------

def _fds() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_no_file_descriptor_leak(start: Callable[..., Session]) -> None:
    s = start()
    paths = ["/", f"/articles/{SLUG}/", "/feed.xml", "/nope", f"/articles/{SLUG}", "/static/style.css"]
    for _ in range(3):  # warm up lazily opened things (the 404 page, thread pools)
        for p in paths:
            s.get(p)
    before = _fds()
    for _ in range(30):
        for p in paths:
            s.get(p)
        conn = s.conn()
        for p in paths:  # keep-alive: many requests on one connection
            conn.request("GET", p)
            conn.getresponse().read()
        conn.close()
        EventStream(s.port).close()
    assert wait_for(lambda: _fds() <= before + 2, timeout=3)


def test_idle_half_open_connection_blocks_nobody_and_is_dropped(start: Callable[..., Session]) -> None:
    s = start(idle_timeout=1.0)
    idle = socket.create_connection(("127.0.0.1", s.port), timeout=5)
    idle.sendall(b"GET / HTTP/1.1\r\nHost: loc")  # and never finishes
    t0 = time.monotonic()
    for _ in range(5):
        assert s.get("/")[0] == 200
    assert time.monotonic() - t0 < 1.0
    assert idle.recv(1024) == b""  # the server hung up after its idle timeout
    assert time.monotonic() - t0 < 4
    idle.close()


def test_many_requests_and_event_streams_at_once(start: Callable[..., Session]) -> None:
    s = start()
    epoch = _epoch(s.get("/")[2])
    streams = [EventStream(s.port, epoch) for _ in range(40)]
    try:
        paths = ["/", f"/articles/{SLUG}/", "/feed.xml", "/static/style.css", "/missing"]
        t0 = time.monotonic()
        with ThreadPoolExecutor(32) as pool:
            statuses = list(pool.map(lambda i: s.get(paths[i % len(paths)])[0], range(400)))
        assert statuses.count(404) == 80 and statuses.count(200) == 320
        assert time.monotonic() - t0 < 15
        s.server.rebuild(s.touch("content/articles/second.md", SECOND.replace("sports", "baseball")))
        for stream in streams:
            stream.wait_for("reload")
    finally:
        for stream in streams:
            stream.close()


# -- watching --------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["a.md.swp", ".a.md.swx", "a.md~", "#a.md#", ".#a.md", "4913", "a.md.tmp",
                                  "a.md___jb_tmp___", "a.md___jb_old___", ".digest-tmp-abc"])
def test_editor_junk_is_ignored(name: str) -> None:
    assert is_editor_junk(name)


def test_real_files_are_not_junk() -> None:
    assert not is_editor_junk("a.md") and not is_editor_junk("article.html")


@pytest.fixture
def watcher(tmp_path: Path) -> Iterator[SourceWatcher]:
    (tmp_path / "content" / "articles").mkdir(parents=True)
    (tmp_path / "content" / "articles" / "a.md").write_text("one", encoding="utf-8")
    (tmp_path / "config.yaml").write_text("site: {}\n", encoding="utf-8")
    (tmp_path / "site").mkdir()
    w = SourceWatcher(tmp_path, tmp_path / "config.yaml")
    w.start()  # watchdog sets up its watches (and the polling snapshot) before start() returns
    yield w
    w.stop()


def test_polling_watcher_sees_rename_saves(tmp_path: Path) -> None:
    target = tmp_path / "content" / "articles" / "a.md"
    target.parent.mkdir(parents=True)
    target.write_text("one", encoding="utf-8")
    w = SourceWatcher(tmp_path, tmp_path / "config.yaml", poll=True)
    w.start()
    try:
        tmp = target.with_name("a.md.tmp")
        tmp.write_text("two, longer", encoding="utf-8")
        os.replace(tmp, target)
        batch = _wait(w, 5)
        assert batch is not None and target in batch.paths
    finally:
        w.stop()


def _wait(w: SourceWatcher, timeout: float) -> ChangeSet | None:
    stop = threading.Event()
    threading.Timer(timeout, stop.set).start()
    return w.wait(stop, poll=0.05)


def test_rename_saves_trigger_a_change(watcher: SourceWatcher) -> None:
    folder = watcher.root / "content" / "articles"
    target = folder / "a.md"
    # vim (backupcopy=no): rename the original away, write anew, delete the backup.
    (folder / "4913").write_text("", encoding="utf-8")
    (folder / "4913").unlink()
    os.rename(target, folder / "a.md~")
    target.write_text("two", encoding="utf-8")
    (folder / "a.md~").unlink()
    batch = _wait(watcher, 3)
    assert batch is not None and batch.paths == {target}
    # JetBrains / Sublime / helix: write a temp file, rename it over the original.
    tmp = folder / "a.md___jb_tmp___"
    tmp.write_text("three", encoding="utf-8")
    os.replace(tmp, target)
    batch = _wait(watcher, 3)
    assert batch is not None and target in batch.paths
    (watcher.root / "config.yaml").write_text("site: {title: x}\n", encoding="utf-8")
    batch = _wait(watcher, 3)
    assert batch is not None and batch.paths == {watcher.root / "config.yaml"}


def test_swap_files_and_site_writes_do_not_trigger(watcher: SourceWatcher) -> None:
    folder = watcher.root / "content" / "articles"
    (folder / ".a.md.swp").write_text("swap", encoding="utf-8")
    (folder / "#a.md#").write_text("emacs", encoding="utf-8")
    (watcher.root / "site" / "index.html").write_text("out", encoding="utf-8")
    (watcher.root / "notes.txt").write_text("not a source", encoding="utf-8")
    assert _wait(watcher, 0.6) is None


def test_source_tree_replaced_wholesale_is_followed(watcher: SourceWatcher) -> None:
    content = watcher.root / "content"
    os.rename(content, watcher.root / "content.old")  # e.g. a checkout or restore swapping the tree
    (content / "articles").mkdir(parents=True)
    (content / "articles" / "a.md").write_text("new tree", encoding="utf-8")
    assert _wait(watcher, 3) is not None
    # The new tree is watched once the watcher has noticed the swap; on a loaded machine that can
    # take a moment, so edit until an edit inside the new tree is seen (or give up after ~5 s).
    for attempt in range(10):
        (content / "articles" / "a.md").write_text(f"edited in the new tree {attempt}", encoding="utf-8")
        batch = _wait(watcher, 0.5)
        if batch is not None and content / "articles" / "a.md" in batch.paths:
            break
    else:
        raise AssertionError("edits inside the replaced content/ tree were never seen")


def test_watcher_debounces_a_burst_into_one_batch(watcher: SourceWatcher) -> None:
    folder = watcher.root / "content" / "articles"
    for n in range(5):
        (folder / f"b{n}.md").write_text("x", encoding="utf-8")
        time.sleep(0.01)
    batch = _wait(watcher, 3)
    assert batch is not None and len(batch.paths) == 5


def test_watched_edit_rebuilds_and_reports(start: Callable[..., Session]) -> None:
    s = start(watch=True)
    page_path = f"/articles/{SLUG}/"
    stream = EventStream(s.port, _epoch(s.get(page_path)[2]))
    try:
        target = s.root / "content" / "articles" / "first.md"
        tmp = target.with_name("first.md.tmp")
        tmp.write_text(FIRST.replace("first version", "watched version"), encoding="utf-8")
        os.replace(tmp, target)
        stream.wait_for("reload")
        assert b"watched version" in s.get(page_path)[2]
        assert re.fullmatch(r"Rebuilt \d+ files in \d+ ms", s.lines[-1]), s.lines
    finally:
        stream.close()


# -- the command -----------------------------------------------------------------------------------

@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_cli_serves_and_stops_cleanly_on_signals(tmp_project: Callable[..., Path], sig: signal.Signals) -> None:
    root = tmp_project({"content/articles/first.md": FIRST})
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--port", "0", "--offline"], cwd=root,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        found = re.fullmatch(r"Serving http://127\.0\.0\.1:(\d+)/\n", line)
        assert found, line + (proc.stderr.read() if proc.stderr else "")
        conn = http.client.HTTPConnection("127.0.0.1", int(found.group(1)), timeout=5)
        conn.request("GET", "/")
        assert conn.getresponse().status == 200
        conn.close()
        proc.send_signal(sig)
        assert proc.wait(10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for pipe in (proc.stdout, proc.stderr):
            if pipe:
                pipe.close()


def test_loopback_server_refuses_other_host_names(start: Callable[..., Session]) -> None:
    """DNS rebinding: a foreign page resolving its own name to 127.0.0.1 must not read the site."""
    s = start()
    for host, expected in ((f"127.0.0.1:{s.port}", 200), (f"localhost:{s.port}", 200),
                           ("preview.localhost", 200), ("evil.example", 421), (f"evil.example:{s.port}", 421)):
        conn = s.conn()
        conn.putrequest("GET", "/", skip_host=True)
        conn.putheader("Host", host)
        conn.endheaders()
        response = conn.getresponse()
        response.read()
        conn.close()
        assert response.status == expected, host
