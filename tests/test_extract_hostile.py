"""Inputs extraction must refuse cleanly: a ContentError naming path:line, never a traceback."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from generator.errors import ContentError
from generator.extract.decode import MAX_BYTES
from generator.ingest import extract_file

ARTICLE = ("Politics\n\nCouncil debates transit fares\n\nCity council debated a proposal on Tuesday to freeze "
           "transit fares for another year, with a vote expected next month after a public consultation.\n")


def _error(path: Path) -> str:
    with pytest.raises(ContentError) as info:
        extract_file(path)
    return str(info.value)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert _error(path).startswith(f"{path}:1: empty file")


def test_whitespace_only(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text("\n \n\t\n", encoding="utf-8")
    assert "empty file" in _error(path)


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"line one\nline two\n\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    message = _error(path)
    assert message.startswith(f"{path}:5: binary data")


def test_binary_without_nul(tmp_path: Path) -> None:
    path = tmp_path / "junk.html"
    path.write_bytes(b"<p>hi</p>\n" + bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16]) * 20)
    assert f"{path}:2: binary data" in _error(path)


def test_huge_file(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.seek(MAX_BYTES + 10)
        fh.write(b"x")
    assert _error(path).startswith(f"{path}:1: file is too large")


def test_missing_file(tmp_path: Path) -> None:
    assert "cannot read" in _error(tmp_path / "nope.txt")


def test_unsupported_suffix(tmp_path: Path) -> None:
    path = tmp_path / "story.pdf"
    path.write_bytes(b"%PDF-1.7")
    assert "unsupported file type" in _error(path)


def test_no_article_text(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text("<html><body><nav>Home</nav><script>var x = 1;</script></body></html>", encoding="utf-8")
    assert f"{path}:1: no article text" in _error(path)


def test_invalid_utf16_after_bom(tmp_path: Path) -> None:
    path = tmp_path / "bad16.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + b"\x00\xd8\x41")  # lone surrogate, odd length
    assert "not valid UTF-16" in _error(path)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_encodings(tmp_path: Path, encoding: str) -> None:
    text = ARTICLE.replace("City council", "Montréal’s city council")
    path = tmp_path / f"article-{encoding}.txt"
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    rec = extract_file(path)
    assert rec.title == "Council debates transit fares"
    assert rec.body.startswith("Montréal’s city council debated")
    assert "\r" not in rec.body


def test_invalid_utf8_falls_back_to_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    path.write_bytes(ARTICLE.encode("utf-8") + "Caf\u00e9 owners said “no”.\n".encode("cp1252"))
    rec = extract_file(path)
    assert "Café owners" in rec.body


def test_html_that_is_not_html(tmp_path: Path) -> None:
    path = tmp_path / "plain.html"
    path.write_text(ARTICLE, encoding="utf-8")
    rec = extract_file(path)
    assert "transit fares" in rec.body


def test_extraction_itself_reads_no_file(tmp_path: Path) -> None:
    """Extract is pure: bytes and a display name in; the name is only what errors call the input."""
    from generator.extract import extract_bytes

    name = str(tmp_path / "never-written.txt")
    rec = extract_bytes(ARTICLE.encode("utf-8"), name)
    assert rec.title == "Council debates transit fares"
    with pytest.raises(ContentError, match=r"^inbox/x\.txt:1: empty file"):
        extract_bytes(b"\n", "inbox/x.txt")
    with pytest.raises(ContentError, match=r"^story\.pdf: unsupported file type"):
        extract_bytes(b"%PDF", "story.pdf")
    assert not (tmp_path / "never-written.txt").exists()
