"""Bodies rendered ahead (build/bodies.py ``BodiesAhead``): what the render workers read is whole, or not there."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from generator.build.bodies import BodiesAhead, BodyRenderer, body_key
from generator.model import Article
from generator.render import body_html


def _article(i: int, body: str) -> Article:
    return Article(path=f"content/articles/a{i}.md", slug=f"a{i}", title=f"A{i}", body=body,
                   date=datetime(2025, 6, 1 + i, tzinfo=UTC), content_hash=f"h{i}")


class _NoCache:
    def get(self, key: str) -> None:
        return None


def test_a_body_made_in_a_forked_maker_is_read_whole_and_only_once_complete(tmp_path: Path) -> None:
    articles = [_article(0, "Plain *text* with “quotes”."), _article(1, "Ünïcode & <b>tags</b>\n\n- a\n- b"),
                _article(2, "Never made.")]
    ahead = BodiesAhead(articles, hotlink=False, folder=tmp_path)
    pid = os.fork()
    if pid == 0:  # as executor.Background does: the maker is a forked process sharing the mapping
        ahead.make(1)
        ahead.make(0)
        os._exit(0)
    os.waitpid(pid, 0)
    for a in articles[:2]:
        assert ahead.get(body_key(a, False)) == body_html(a, False)
    assert ahead.get(body_key(articles[2], False)) is None
    assert ahead.get(body_key(articles[0], True)) is None  # another image setting is another body
    # The render workers' renderer takes a body from there, and renders what is missing itself.
    renderer = BodyRenderer(False, {}, _NoCache())  # type: ignore[arg-type]
    renderer.ahead = ahead
    assert renderer(articles[2]) == body_html(articles[2], False)
    assert renderer(articles[1]) == body_html(articles[1], False)
    ahead.close()


def test_a_body_cut_short_by_a_kill_is_not_there(tmp_path: Path) -> None:
    """The length is stored last: bytes written without it (a maker killed mid-body) are never read."""
    article = _article(0, "Some words here.")
    ahead = BodiesAhead([article], hotlink=False, folder=tmp_path)
    os.pwrite(ahead._fd, b"<p>So", 0)  # the maker died here
    ahead._index[0] = 0
    assert ahead.get(body_key(article, False)) is None
    ahead.make(0)
    assert ahead.get(body_key(article, False)) == body_html(article, False)
    ahead.close()


def test_bodies_past_the_limit_are_left_to_the_render_and_leave_no_file(tmp_path: Path) -> None:
    small, big = _article(0, "x"), _article(1, "word " * 2000)
    ahead = BodiesAhead([small, big], hotlink=False, folder=tmp_path)
    ahead.make(1)
    ahead.make(0)
    assert ahead.get(body_key(big, False)) is not None and ahead.get(body_key(small, False)) is not None
    tight = BodiesAhead([big, small], hotlink=False, folder=tmp_path, limit=64)
    tight.make(0)
    assert tight.get(body_key(big, False)) is None  # too big for what is left: not made
    tight.make(1)
    assert tight.get(body_key(small, False)) == body_html(small, False)
    ahead.close()
    tight.close()
    assert not list(tmp_path.iterdir())  # the file has no name: nothing to clean up
