"""WebSub publishing against a loopback hub: one ping per changed feed, none when nothing changed, failures
reported without failing the build and sent again next time."""

from __future__ import annotations

import textwrap
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl

import pytest
from conftest import BASE_CONFIG, FIXED_CLOCK, article, run_digest, wait_for


class Hub:
    """A loopback WebSub hub: records each publish ping; ``status`` and ``delay`` play a failing hub."""

    def __init__(self) -> None:
        self.pings: list[dict[str, str]] = []
        self.status = 202
        self.delay = 0.0
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode("ascii")
                fields = dict(parse_qsl(body))
                fields["content-type"] = self.headers.get("Content-Type", "")
                hub.pings.append(fields)
                time.sleep(hub.delay)
                self.send_response(hub.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hub"

    def take(self) -> list[str]:
        """The feed URLs pinged since the last call."""
        urls = [p["hub.url"] for p in self.pings]
        assert all(p["hub.mode"] == "publish" and p["content-type"] == "application/x-www-form-urlencoded"
                   for p in self.pings)
        self.pings = []
        return urls

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hub() -> Iterator[Hub]:
    server = Hub()
    try:
        yield server
    finally:
        server.close()


ARTICLES = {
    "content/articles/a.md": article("Steel tariffs rise", "2025-06-05T10:00:00-04:00", "Tariffs and a trade war.",
                                     tags=["steel"]),
    "content/articles/b.md": article("Hockey final", "2025-06-04T10:00:00-04:00", "A game.", topics=["Sports"]),
}


def _feeds(site: Path) -> list[str]:
    return sorted("https://digest.test/" + p.relative_to(site).as_posix()
                  for name in ("feed.xml", "atom.xml", "feed.json") for p in site.rglob(name))


def test_ping_tells_the_hub_about_changed_feeds_only(tmp_project, hub: Hub) -> None:
    root = tmp_project(ARTICLES, config=BASE_CONFIG + f"websub: {{hub: {hub.url}}}\n")
    run_digest(root, "build", "--offline", check=True, env=FIXED_CLOCK)
    all_feeds = _feeds(root / "site")
    assert len(all_feeds) == 15  # site, Trade War, Sports, #steel, weekly digests × RSS, Atom, JSON

    first = run_digest(root, "ping", check=True, env=FIXED_CLOCK)
    assert sorted(hub.take()) == all_feeds  # the first ping: every feed, once
    assert f"Pinged {hub.url}: 15 changed feeds accepted, 0 failed, 0 unchanged" in first.stdout

    again = run_digest(root, "ping", check=True, env=FIXED_CLOCK)
    assert hub.take() == [] and "0 changed feeds accepted, 0 failed, 15 unchanged" in again.stdout
    run_digest(root, "build", "--offline", "--ping", check=True, env=FIXED_CLOCK)
    assert hub.take() == []  # a build that changed nothing pings nothing

    # Edit the hockey article: the site's, the Sports and the weekly digests' feeds change; Trade War, #steel do not.
    (root / "content/articles/b.md").write_text(
        article("Hockey final goes to overtime", "2025-06-04T10:00:00-04:00", "A game.", topics=["Sports"]))
    built = run_digest(root, "build", "--offline", "--ping", check=True, env=FIXED_CLOCK)
    pinged = sorted(hub.take())
    assert pinged == sorted(f"https://digest.test/{d}{n}" for d in ("", "digests/", "topics/sports/")
                            for n in ("feed.xml", "atom.xml", "feed.json")), pinged
    assert "9 changed feeds accepted" in built.stdout


def test_a_failing_hub_is_a_warning_and_is_asked_again(tmp_project, hub: Hub) -> None:
    # A generous deadline while every ping must reach the hub (a loaded machine may be slow to accept),
    # then 1 s to show the network limits cut a slow hub.
    config = BASE_CONFIG + f"websub: {{hub: {hub.url}}}\n"
    root = tmp_project(ARTICLES, config=config + "fetch: {timeout: 20}\n")
    hub.status = 503
    built = run_digest(root, "build", "--offline", "--ping", env=FIXED_CLOCK)
    assert built.returncode == 0, built.stderr  # the site is built; the hub's trouble is a warning
    assert (root / "site/index.html").is_file()
    assert f"warning: {hub.url}: WebSub ping for https://digest.test/feed.xml failed: HTTP 503" in built.stderr
    assert "0 changed feeds accepted, 15 failed" in built.stdout
    assert len(hub.take()) == 15
    assert run_digest(root, "build", "--offline", "--ping", "--strict", env=FIXED_CLOCK).returncode == 1
    assert len(hub.take()) == 15  # nothing was remembered: every feed is sent again

    (root / "config.yaml").write_text(textwrap.dedent(config) + "fetch: {timeout: 1}\n", encoding="utf-8")
    hub.status, hub.delay = 202, 3.0  # slower than fetch.timeout: the network limits of feed fetching apply
    started = time.monotonic()
    slow = run_digest(root, "ping", env=FIXED_CLOCK)
    assert slow.returncode == 1 and "timed out after 1 s" in slow.stderr
    assert time.monotonic() - started < 9  # 15 pings, 8 at a time, each cut at 1 s
    hub.delay = 0.0
    (root / "config.yaml").write_text(textwrap.dedent(config) + "fetch: {timeout: 20}\n", encoding="utf-8")
    wait_for(lambda: len(hub.pings) >= 15, timeout=10)  # the slow pings the client gave up on still arrive
    hub.take()
    assert run_digest(root, "ping", env=FIXED_CLOCK).returncode == 0
    assert len(hub.take()) == 15


def test_ping_without_a_hub_or_a_site(tmp_project) -> None:
    root = tmp_project(ARTICLES)
    result = run_digest(root, "ping")
    assert result.returncode == 1
    assert ("error: config.yaml: no WebSub hub configured; add `websub: {hub: https://…}` to config.yaml"
            in result.stderr)
    root = tmp_project(ARTICLES, config=BASE_CONFIG + "websub: {hub: http://127.0.0.1:9/hub}\n")
    result = run_digest(root, "ping")
    assert result.returncode == 1 and "the site is not built; run `digest build` first" in result.stderr
    # no hub: no hub links in any feed
    run_digest(root, "build", "--offline", check=True)
    assert 'rel="hub"' in (root / "site/feed.xml").read_text(encoding="utf-8")
    root = tmp_project(ARTICLES)
    run_digest(root, "build", "--offline", check=True)
    assert 'rel="hub"' not in (root / "site/feed.xml").read_text(encoding="utf-8")
