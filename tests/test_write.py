"""write.py's file primitives on a real file system."""

from __future__ import annotations

from pathlib import Path

from generator.write import make_page_placeholder, write_fresh_file


def test_a_page_fills_its_placeholder(tmp_path: Path) -> None:
    folder = tmp_path / "articles" / "a"
    (tmp_path / "articles").mkdir()
    make_page_placeholder(folder)
    assert (folder / "index.html").read_bytes() == b""
    write_fresh_file(folder / "index.html", b"<!doctype html><title>a</title>")
    assert (folder / "index.html").read_bytes() == b"<!doctype html><title>a</title>"


def test_a_longer_file_is_cut_to_what_was_written(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_bytes(b"x" * 5000)
    write_fresh_file(path, b"short")
    assert path.read_bytes() == b"short"
    write_fresh_file(path, b"")
    assert path.read_bytes() == b""


def test_a_missing_folder_is_made(tmp_path: Path) -> None:
    path = tmp_path / "topics" / "trade-war" / "page" / "2" / "index.html"
    data = bytes(range(256)) * 300  # larger than one write may take in some systems
    write_fresh_file(path, data)
    assert path.read_bytes() == data
