"""The only module that writes files: atomically, and only when the bytes change.

Each file goes to a temp file and is swapped in with ``os.replace``, so a reader (browser, web server,
rsync) sees the old bytes or the new ones, never a partial file. A build's changed outputs are staged
in a hidden spool folder beside ``site/`` (one per build), so a build killed midway leaves no temp file
inside ``site/`` — only that folder, which the next build removes. Content files (ingest) get their
temp file beside them, one at a time.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import NamedTuple

TMP_PREFIX = ".digest-tmp-"


def write_file_atomic(path: Path, data: bytes, *, fsync: bool = False) -> bool:
    """Replace ``path`` with ``data`` unless it already holds exactly those bytes; True if written."""
    tmp = stage_file(path, data, fsync=fsync)
    if tmp is None:
        return False
    os.replace(tmp, path)
    return True


def write_new_file(path: Path, data: bytes) -> bool:
    """Create ``path`` atomically only if it does not exist (never clobbers a human's file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        try:
            os.link(tmp, path)  # fails if path exists: no race with a concurrent writer
        except FileExistsError:
            return False
        return True
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def move_aside(path: Path, folder: Path) -> Path:
    """Move ``path`` into ``folder`` (made if missing) without replacing anything there: ``x.txt`` becomes
    ``x-2.txt`` when ``x.txt`` is taken. Returns where it went. Nothing is copied or deleted."""
    folder.mkdir(parents=True, exist_ok=True)
    stem, suffix = os.path.splitext(path.name)
    n = 1
    while True:
        dest = folder / (path.name if n == 1 else f"{stem}-{n}{suffix}")
        n += 1
        try:
            os.link(path, dest)  # fails if dest exists: never clobbers an earlier rejected file
        except FileExistsError:
            continue
        except OSError:  # a file system without hard links
            if dest.exists():
                continue
            os.rename(path, dest)
            return dest
        os.unlink(path)
        return dest


def safe_output_path(root: Path, rel: str) -> Path:
    """Join ``rel`` under ``root``, refusing anything that would land outside it."""
    if not rel or rel.startswith(("/", "\\")) or "\\" in rel or any(p in ("..", "") for p in rel.split("/")):
        raise ValueError(f"unsafe output path {rel!r}")
    return root / rel


def remove_outputs(root: Path, rels: Iterable[str]) -> list[str]:
    """Delete outputs that no longer exist in the site, then prune emptied directories."""
    removed = []
    for rel in sorted(rels):
        path = safe_output_path(root, rel)
        try:
            path.unlink()
            removed.append(rel)
        except FileNotFoundError:
            continue
        parent = path.parent
        while parent != root:
            try:
                parent.rmdir()
            except OSError:
                break
            parent = parent.parent
    return removed


def existing_outputs(root: Path) -> set[str]:
    """Every file under ``root`` (relative, ``/``-separated), sweeping stray temp files."""
    found: set[str] = set()
    if not root.is_dir():
        return found
    top = os.fspath(root)
    for dirpath, _dirs, files in os.walk(top):  # strings, not paths: a big site has tens of thousands
        prefix = dirpath[len(top) + 1:].replace(os.sep, "/")
        prefix = prefix + "/" if prefix else ""
        for name in files:
            if name.startswith(TMP_PREFIX):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(dirpath, name))
                continue
            found.add(prefix + name)
    return found


def replace_folder(src: Path, out: Path, rel: str, *, last: Iterable[str] = (),
                   overrides: Mapping[str, bytes | None] | None = None,
                   keep: Callable[[str], bool] | None = None) -> tuple[list[str], list[str]]:
    """Make ``out/rel`` hold exactly the files of ``src`` (a spool folder on the same file system, whose
    files are moved), with ``overrides`` (name → the bytes to publish instead, or None: leave the file
    out): each changed file is swapped in atomically, those named in ``last`` after all others (an index
    that names the rest), then the files no longer there are removed, but those ``keep(name)`` claims
    (another owner's, inside this folder). Returns (written, removed) as output paths (``rel/…``)."""
    target = out / rel
    changes = dict(overrides or {})
    found = {p.relative_to(src).as_posix() for p in src.rglob("*") if p.is_file()}
    names = sorted((found | {n for n, data in changes.items() if data is not None})
                   - {n for n, data in changes.items() if data is None})
    final = set(last)
    written = []
    for name in [n for n in names if n not in final] + [n for n in names if n in final]:
        dest = safe_output_path(target, name)
        data = changes.get(name)
        if data is not None:
            tmp = stage_file(dest, data)
            if tmp is None:
                continue
            os.replace(tmp, dest)
        else:
            source = src / name
            try:
                if dest.stat().st_size == source.stat().st_size and dest.read_bytes() == source.read_bytes():
                    continue
            except FileNotFoundError:
                dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, dest)
        written.append(f"{rel}/{name}")
    names_kept = set(names)
    stale = [f"{rel}/{name}" for name in (p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file())
             if name not in names_kept and not (keep is not None and keep(name))]
    return written, remove_outputs(out, stale)


class Staged(NamedTuple):
    """A temp file waiting to become the output ``rel``."""

    tmp: str
    rel: str


def stage_file(path: Path, data: bytes, *, fsync: bool = False, spool: Path | None = None) -> str | None:
    """Write ``data`` to a temp file (in ``spool``, else beside ``path``) unless ``path`` already holds
    those bytes.

    The build stages every changed output first and swaps them in with ``commit_staged`` only when
    the whole render succeeded, so a render error writes nothing.
    """
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return None
    except (FileNotFoundError, NotADirectoryError):
        pass
    if spool is None:
        path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, dir=spool or path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if fsync:  # content files: a crash must not leave an empty article behind
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def commit_staged(out: Path, staged: Iterable[Staged]) -> None:
    for tmp, rel in staged:
        os.replace(tmp, safe_output_path(out, rel))


def discard_staged(staged: Iterable[Staged]) -> None:
    for tmp, _rel in staged:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


# ---------------------------------------------------------------- cold builds: a fresh site swapped in

STAGING_NEW = "-new-"
STAGING_OLD = "-old-"
SPOOL = "-spool-"
_RENAME_EXCHANGE = 2


def new_staging_dir(out: Path) -> Path:
    """A folder that a cold build fills before swapping it in as ``site/``: a randomly named folder inside a
    hidden sibling of ``site/`` (the holder, removed with it; ``sweep_staging`` removes a killed build's).

    Where it lies on disk matters on ext4 without a journal: looking for a free inode, it skips every inode
    freed in the last minute (five, before they reach the disk), one by one, from the start of a block group.
    Right after ``rm -rf site`` (tens of thousands of inodes), making each file of a new site in the groups
    the old one held cost 0.3–0.7 ms of system time; in other groups ~0.03 ms (bench/README.md). The holder
    is marked the top of a folder hierarchy (``chattr +T``), so the file system places each folder made in it
    in a block group of its choosing: the emptiest by its count of folders, which right after a delete is the
    group the old site held. So of a few such places the first that proves clean is kept: a few empty files
    made in it get consecutive inode numbers (where freed ones are skipped, the numbers jump, 16 apart: one
    inode-table block each), quickly. A place already tried counts as taken, so the next try lands elsewhere.
    Elsewhere the flag is refused and ignored, and the first place is kept."""
    out.parent.mkdir(parents=True, exist_ok=True)
    holder = tempfile.mkdtemp(prefix=f".{out.name}{STAGING_NEW}", dir=out.parent)
    if not _mark_top_folder(holder):
        return Path(_new_place(holder))
    tried: list[tuple[bool, float, str]] = []
    for _ in range(_PLACES):
        place = _new_place(holder)
        consecutive, cost = _probe(place)
        tried.append((not consecutive, cost, place))
        if consecutive and cost <= _CHEAP:
            break
    best = min(tried)[2]
    for *_, place in tried:
        if place != best:
            os.rmdir(place)
    return Path(best)


_PLACES = 6  # places tried at most
_PROBES = 16  # empty files made (and removed) to try a place
_CHEAP = _PROBES * 40e-6  # seconds: clean, ~10 µs a file; beside freed inodes, ~25 at first, ~300+ later


def _new_place(holder: str) -> str:
    """A new, randomly named folder in ``holder``, with the mode any new folder gets (it becomes ``site/``:
    ``mkdtemp``'s 0700 would keep a web server running as another user out)."""
    while True:
        place = os.path.join(holder, secrets.token_hex(6))
        with contextlib.suppress(FileExistsError):
            os.mkdir(place)
            return place


def _probe(folder: str) -> tuple[bool, float]:
    """Make a few empty files in ``folder`` (removed again): whether their inode numbers follow one another,
    and the seconds it took."""
    names = [os.path.join(folder, f".probe-{i}") for i in range(_PROBES)]
    numbers = []
    start = time.perf_counter()
    for name in names:
        fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        numbers.append(os.fstat(fd).st_ino)
        os.close(fd)
    cost = time.perf_counter() - start
    for name in names:
        os.unlink(name)
    return numbers == list(range(numbers[0], numbers[0] + len(numbers))), cost


_FS_IOC_GETFLAGS, _FS_IOC_SETFLAGS, _FS_TOPDIR_FL = 0x80086601, 0x40086602, 0x00020000  # linux/fs.h


def _mark_top_folder(path: str) -> bool:
    """Set ext4's "top of directory hierarchy" flag on ``path``; whether it is set."""
    try:
        import fcntl
        import struct

        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        try:
            flags = struct.unpack("i", fcntl.ioctl(fd, _FS_IOC_GETFLAGS, b"\0\0\0\0"))[0]
            fcntl.ioctl(fd, _FS_IOC_SETFLAGS, struct.pack("i", flags | _FS_TOPDIR_FL))
            return bool(struct.unpack("i", fcntl.ioctl(fd, _FS_IOC_GETFLAGS, b"\0\0\0\0"))[0] & _FS_TOPDIR_FL)
        finally:
            os.close(fd)
    except (OSError, ImportError):
        return False


def remove_staging(staging: Path) -> None:
    """Remove what is left of a staging folder (a build that failed before its swap), holder and all."""
    remove_tree(staging.parent if STAGING_NEW in staging.parent.name else staging)


def new_spool_dir(out: Path) -> Path:
    """A hidden sibling of ``site/`` (same file system, so ``os.replace`` works) for staged outputs."""
    out.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{out.name}{SPOOL}", dir=out.parent))


def make_folders(out: Path, rels: Iterable[str]) -> None:
    """Create the output folders of ``rels`` up front, in one process.

    Workers creating sibling folders at once contend for the parent directory's lock: on ext4 that
    made a 10,000-article cold build's folder creation nearly three times slower than doing it here.
    """
    folders: set[str] = set()
    for rel in rels:
        folder = os.path.dirname(rel)
        while folder and folder not in folders:
            folders.add(folder)
            folder = os.path.dirname(folder)
    for folder in sorted(folders):  # parents come before children
        safe_output_path(out, folder).mkdir(parents=True, exist_ok=True)


def make_folder(out: Path, rel: str) -> Path:
    """``out/rel`` as a folder (made if missing), checked to stay inside ``out``."""
    folder = safe_output_path(out, rel)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


PLACEHOLDER = "index.html"


def make_page_placeholder(folder: Path) -> None:
    """Make ``folder`` and an empty ``index.html`` in it, ahead of the render that fills it.

    On a file system that just freed many inodes (a cold build right after ``rm -rf site``), making a
    file costs far more than writing it; done ahead, beside the parent's work, it leaves the render
    workers only the writing. Never truncates: a page already written stays as it is."""
    with contextlib.suppress(FileExistsError):
        os.mkdir(folder)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(folder / PLACEHOLDER, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))


def remove_page_placeholders(parent: Path, names: Iterable[str]) -> None:
    """Remove ``parent/NAME`` where it holds only an empty placeholder (a name that got no page)."""
    for name in names:
        folder = parent / name
        with contextlib.suppress(OSError):
            if (folder / PLACEHOLDER).stat().st_size == 0:
                os.unlink(folder / PLACEHOLDER)
        with contextlib.suppress(OSError):
            os.rmdir(folder)


def write_fresh_file(path: Path, data: bytes) -> None:
    """Write into a staging folder nobody reads yet: no temp file needed, the swap is the atomic step.
    The folder is made on first need (a cold build makes article folders while parsing).

    No ``O_TRUNC``: what is there is an empty placeholder (``make_page_placeholder``), and truncating a file
    on ext4 marks it for writeback at ``close`` (its "replace by truncate" safeguard), which tripled the
    system time of writing a page. A longer file, never expected, is cut to ``data`` after the write."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o666)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        if os.lseek(fd, 0, os.SEEK_END) != len(data):
            os.ftruncate(fd, len(data))
    finally:
        os.close(fd)


def link_files(src: Path, dest: Path, rels: Iterable[str]) -> None:
    """Hard links ``dest/REL`` to ``src/REL`` for each of ``rels`` (folders made as needed): the same files
    seen from a second tree, for a program that reads a whole folder (Pagefind indexing part of a site)."""
    for rel in rels:
        target = safe_output_path(dest, rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(safe_output_path(src, rel), target)


def copy_fresh_file(src: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def swap_in(staging: Path, out: Path) -> None:
    """Make ``staging`` the new ``out`` in one atomic step where the OS allows (site/ stays a real folder)."""
    if not out.exists():
        os.rename(staging, out)
    elif _exchange(staging, out):
        remove_tree(staging)  # staging now holds the old site
    else:
        old = out.with_name(f".{out.name}{STAGING_OLD}{os.getpid()}")
        os.rename(out, old)
        os.rename(staging, out)
        remove_tree(old)
    if STAGING_NEW in staging.parent.name:  # the holder new_staging_dir made, now empty
        with contextlib.suppress(OSError):
            os.rmdir(staging.parent)


def sweep_staging(out: Path) -> None:
    """Remove the staging and spool folders of a build that was killed before it could swap them in."""
    try:
        names = os.listdir(out.parent)
    except OSError:
        return
    for name in names:
        if name.startswith((f".{out.name}{STAGING_NEW}", f".{out.name}{STAGING_OLD}", f".{out.name}{SPOOL}")):
            remove_tree(out.parent / name)


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
