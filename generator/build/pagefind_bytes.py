"""Pagefind's filter indexes, made deterministic: the same site gives the same ``site/pagefind/`` bytes.

Pagefind (1.5) writes each filter's values, and the meta index's list of filters, in hash-map order, which
changes from run to run (upstream issue 638: only the fragments were made stable). Those files are gzip'd
CBOR behind a ``pagefind_dcd`` signature, named by a hash of their content, and named in turn by the meta
index, which ``pagefind-entry.json`` names. ``canonical_bundle`` reads them, sorts what has no order of
its own (filter values and their page numbers, the filters), and returns the new bytes and names, from the
meta index down to the entry; the search step hands them to Write with the rest of the bundle. A file it
does not understand is left exactly as Pagefind wrote it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import struct
from pathlib import Path
from typing import Any

SIGNATURE = b"pagefind_dcd"


class _Undecodable(ValueError):
    pass


# ---------------------------------------------------------------- CBOR, the subset Pagefind writes

def _decode(data: bytes, pos: int) -> tuple[Any, int]:
    head = data[pos]
    major, info = head >> 5, head & 31
    pos += 1
    if major == 7:
        if info in (20, 21, 22):
            return (False, True, None)[info - 20], pos
        if info == 27:
            return struct.unpack(">d", data[pos:pos + 8])[0], pos + 8
        raise _Undecodable(f"CBOR simple value {info}")
    if info < 24:
        arg = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        arg, pos = int.from_bytes(data[pos:pos + size], "big"), pos + size
    else:
        raise _Undecodable("indefinite-length CBOR")
    if major == 0:
        return arg, pos
    if major == 1:
        return -1 - arg, pos
    if major in (2, 3):
        raw = data[pos:pos + arg]
        return (bytes(raw) if major == 2 else raw.decode("utf-8")), pos + arg
    if major == 4:
        items = []
        for _ in range(arg):
            item, pos = _decode(data, pos)
            items.append(item)
        return items, pos
    raise _Undecodable(f"CBOR major type {major}")


def _head(major: int, arg: int) -> bytes:
    if arg < 24:
        return bytes([major << 5 | arg])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if arg < 1 << (8 * size):
            return bytes([major << 5 | info]) + arg.to_bytes(size, "big")
    raise ValueError("integer too large for CBOR")


def _encode(value: Any) -> bytes:
    if value is None or isinstance(value, bool):
        return bytes([0xF6 if value is None else 0xF5 if value else 0xF4])
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, float):
        return b"\xfb" + struct.pack(">d", value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(_encode(v) for v in value)
    raise TypeError(type(value))


def read_index(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise _Undecodable("no pagefind signature")
    value, end = _decode(data, len(SIGNATURE))
    if end != len(data):
        raise _Undecodable("trailing bytes")
    return value


def index_bytes(value: Any) -> bytes:
    """Gzip'd with no timestamp: the same value gives the same bytes."""
    return gzip.compress(SIGNATURE + _encode(value), compresslevel=9, mtime=0)


# ---------------------------------------------------------------- the bundle

def canonical_bundle(bundle: Path, entry_name: str) -> dict[str, bytes | None]:
    """The bundle's files to change, by name within it: new bytes, or None for a file to leave out
    (one renamed). Empty when Pagefind's layout is not the one this understands."""
    try:
        return _canonical(bundle, entry_name)
    except (_Undecodable, OSError, EOFError, ValueError, KeyError, TypeError, IndexError, gzip.BadGzipFile):
        return {}


def _canonical(bundle: Path, entry_name: str) -> dict[str, bytes | None]:
    entry = json.loads((bundle / entry_name).read_text(encoding="utf-8"))
    changes: dict[str, bytes | None] = {}
    for language, info in sorted(entry["languages"].items()):
        old_meta = f"pagefind.{info['hash']}.pf_meta"
        meta = read_index(bundle / old_meta)
        filters = meta[3]
        renamed = []
        for name, old_hash in filters:
            old_file = f"filter/{old_hash}.pf_filter"
            values = read_index(bundle / old_file)
            values[1] = sorted(([value, sorted(pages)] for value, pages in values[1]), key=lambda v: v[0])
            data = index_bytes(values)
            new_hash = f"{language}_{hashlib.sha256(data).hexdigest()[:7]}"
            changes[old_file] = None
            changes[f"filter/{new_hash}.pf_filter"] = data
            renamed.append([name, new_hash])
        meta[3] = sorted(renamed, key=lambda f: f[0])
        data = index_bytes(meta)
        meta_hash = f"{language}_{hashlib.sha256(data).hexdigest()[:10]}"
        changes[old_meta] = None
        changes[f"pagefind.{meta_hash}.pf_meta"] = data
        info["hash"] = meta_hash
    changes[entry_name] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return changes
