"""``limits:`` in config.yaml: sizes as people write them, defaults a news site needs, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import format_size, parse_config, parse_size
from generator.errors import ConfigError


def test_defaults() -> None:
    limits = parse_config("", Path("/tmp")).limits
    assert (limits.raw_file, limits.article_body, limits.feed_entry) == (2 * 1024 ** 2, 200_000, 500 * 1024)


@pytest.mark.parametrize(("text", "size"), [
    ("2 MB", 2 * 1024 ** 2), ("2MB", 2 * 1024 ** 2), ("500 KB", 512_000), ("1.5 mb", 1_572_864), ("1200", 1200),
    ("1200 bytes", 1200), ("0", None), ("lots", None), ("-1 KB", None), ("2 GB", None),
])
def test_parse_size(text: str, size: int | None) -> None:
    assert parse_size(text) == size


def test_format_size() -> None:
    assert [format_size(n) for n in (2 * 1024 ** 2, 512_000, 5_500_000, 900)] == [
        "2 MB", "500 KB", "5.2 MB", "900 bytes"]


def test_limits_are_read_and_checked() -> None:
    limits = parse_config("limits: {raw_file: 3 MB, article_body: 5000, feed_entry: 1024}\n", Path("/tmp")).limits
    assert (limits.raw_file, limits.article_body, limits.feed_entry) == (3 * 1024 ** 2, 5000, 1024)
    with pytest.raises(ConfigError) as info:
        parse_config("limits:\n  raw_file: huge\n  article_body: 0\n  raw_fil: 5\n", Path("/tmp"))
    assert [str(p) for p in info.value.problems] == [
        "config.yaml:4: limits.raw_fil: unknown key; did you mean `raw_file`?",
        "config.yaml:2: limits.raw_file: not a size: 'huge'; write e.g. `2 MB`, `500 KB` or a number of bytes",
        "config.yaml:3: limits.article_body: must be at least 1",
    ]
