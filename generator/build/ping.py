"""WebSub publishing: tell the hub (``websub.hub``) which of the site's feeds changed since it was last told.

Run after a build (``digest build --ping``) or alone (``digest ping``). Each feed file in ``site/`` (RSS,
Atom and JSON Feed) is compared with what the hub last accepted (``sources.pingstate``); the hub gets one
``hub.mode=publish`` POST per changed feed, at most ``fetch.concurrency`` at once, each bounded like a
feed fetch (``sources.fetch.post_form``). A failed ping is a warning naming the feed, not remembered, so
the next ping sends it again; it never fails the build.
"""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from generator.config import Config
from generator.errors import Location, Problem
from generator.sources.fetch import post_form
from generator.sources.pingstate import PingState

FEED_FILES = ("feed.xml", "atom.xml", "feed.json")


@dataclass
class PingReport:
    hub: str | None
    accepted: list[str] = field(default_factory=list)  # feed URLs the hub accepted a ping for
    unchanged: int = 0  # feeds whose bytes the hub already knows
    problems: list[Problem] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return len(self.problems)


def published_feeds(site: Path) -> list[str]:
    """Every feed file of the built site, as paths relative to it, in a stable order."""
    found = []
    for dirpath, dirs, files in os.walk(site):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d != "pagefind"]
        found += [(Path(dirpath) / name).relative_to(site).as_posix() for name in files if name in FEED_FILES]
    return sorted(found)


def ping_hub(config: Config) -> PingReport:
    hub = config.websub.hub
    if not hub:
        return PingReport(None, problems=[Problem(Location("config.yaml"), "no WebSub hub configured",
                                                  "add `websub: {hub: https://…}` to config.yaml")])
    site = config.output_dir
    if not site.is_dir():
        return PingReport(hub, problems=[Problem(Location(str(site)), "the site is not built",
                                                 "run `digest build` first, or `digest build --ping`")])
    feeds = {config.site.url + rel: hashlib.sha256((site / rel).read_bytes()).hexdigest()
             for rel in published_feeds(site)}
    with PingState(config.state_dir / "state.sqlite") as state:
        known = state.pinged(hub)
        changed = [url for url, sha in feeds.items() if known.get(url) != sha]
        report = PingReport(hub, unchanged=len(feeds) - len(changed))
        if changed:
            fields = [[("hub.mode", "publish"), ("hub.url", url)] for url in changed]
            with ThreadPoolExecutor(max_workers=max(1, min(config.fetch_concurrency, len(changed))),
                                    thread_name_prefix="digest-ping") as pool:
                results = list(pool.map(lambda f: post_form(hub, f, timeout=config.fetch_timeout), fields))
            for url, result in zip(changed, results, strict=True):
                if result.error is None:
                    report.accepted.append(url)
                else:
                    report.problems.append(Problem(
                        Location(hub), f"WebSub ping for {url} failed: {result.error}",
                        "the site is built; the next `digest ping` tells the hub again", severity="warning"))
            state.remember(hub, {url: feeds[url] for url in report.accepted})
    return report
