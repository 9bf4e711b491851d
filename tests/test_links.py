"""links.http_url: only absolute http(s) URLs with a host come out, whatever tricks the input plays."""

from __future__ import annotations

import pytest

from generator.links import http_url, link_scheme


@pytest.mark.parametrize(("value", "base", "expected"), [
    ("https://gazette.example/a", None, "https://gazette.example/a"),
    ("HTTP://GAZETTE.EXAMPLE/A", None, "HTTP://GAZETTE.EXAMPLE/A"),
    ("  https://gazette.example/a \n", None, "https://gazette.example/a"),
    ("/story/1", "https://gazette.example/feed.xml", "https://gazette.example/story/1"),
    ("//cdn.example/p.jpg", "https://gazette.example/", "https://cdn.example/p.jpg"),
    ("javascript:alert(1)", None, None),
    ("JavaScript:alert(1)", "https://gazette.example/", None),
    ("java\tscript:alert(1)", None, None),
    ("java\nscript:alert(1)", "https://gazette.example/", None),
    ("\x01javascript:alert(1)", None, None),
    ("vbscript:msgbox(1)", None, None),
    ("data:text/html,<script>alert(1)</script>", None, None),
    ("data:image/gif;base64,R0lGOD", "https://gazette.example/", None),
    ("file:///etc/passwd", None, None),
    ("ftp://gazette.example/x", None, None),
    ("mailto:desk@gazette.example", None, None),
    ("/story/1", None, None),  # relative, with nothing to resolve it against
    ("//cdn.example/p.jpg", None, None),
    ("/story/1", "javascript:x/", None),  # a base that is not http(s) resolves nothing
    ("https:/no-host", None, None),
    ("https://[::1", None, None),  # not a URL at all
    ("", None, None),
    (None, None, None),
    (42, None, None),
])
def test_http_url(value: object, base: str | None, expected: str | None) -> None:
    assert http_url(value, base) == expected


def test_link_scheme_is_what_a_browser_sees() -> None:
    assert link_scheme("java\tscript:alert(1)") == "javascript"
    assert link_scheme(" DATA:image/png,x") == "data"
    assert link_scheme("/relative") == "" and link_scheme("story.html") == ""
