"""Raw bytes of an input file → text, or a ``ContentError`` that says why not.

Saved pages and copied text arrive in whatever encoding the browser or editor chose: UTF-8 (with or
without a BOM), UTF-16 with a BOM, or a Windows code page. Binary files and empty files are refused.
Pure: the caller reads the bytes; ``name`` is only what error messages call the input.
"""

from __future__ import annotations

import codecs
import re

from generator.errors import ContentError, Location, Problem

MAX_BYTES = 20 * 1024 * 1024
# C0 controls other than tab, newline, vertical tab and form feed, and the replacement character.
_CONTROL = re.compile("[\x00-\x08\x0d-\x1f\ufffd]")


def _fail(name: str, message: str, hint: str = "", line: int | None = None) -> ContentError:
    return ContentError(Problem(Location(name, line), message, hint))


def too_large(name: str, size: int) -> ContentError:
    """The refusal of an input over ``MAX_BYTES`` (also raised by readers that check the size first)."""
    return _fail(name, f"file is too large ({size} bytes, limit {MAX_BYTES})", "split it or remove embedded data", 1)


def decode_bytes(data: bytes, name: str) -> str:
    """Decode ``data``; the text is returned with normalised newlines."""
    if len(data) > MAX_BYTES:
        raise too_large(name, len(data))
    if data.startswith(codecs.BOM_UTF8):
        text = _strict(data[len(codecs.BOM_UTF8):], "utf-8", name)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _strict(data, "utf-16", name)
    else:
        nul = data.find(b"\x00")
        if nul != -1:
            line = data.count(b"\n", 0, nul) + 1
            raise _fail(name, "binary data (NUL byte), not a text or HTML file",
                        "save the page as HTML or copy its text into a .txt file", line)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = _control_line(text)
    if bad is not None:
        raise _fail(name, "binary data (control characters), not a text or HTML file",
                    "save the page as HTML or copy its text into a .txt file", bad)
    if not text.strip():
        raise _fail(name, "empty file: no text to extract", "add the article text", 1)
    return text


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1 if encoding == "utf-8" else None
        raise _fail(name, f"not valid {encoding.upper()} despite its byte-order mark",
                    "re-save the file as UTF-8", line) from None


def _control_line(text: str) -> int | None:
    """Line of the first run of control characters typical of binary data (text has almost none).

    DEL is not counted: saved wiki pages carry it as a marker inside attributes (MediaWiki's strip markers)."""
    for controls, m in enumerate(_CONTROL.finditer(text), start=1):
        if controls >= 8 or m.group() == "\x00":
            return text.count("\n", 0, m.start()) + 1
    return None
