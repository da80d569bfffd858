"""What a landing folder holds: every entry, classified before anything is opened.

The ingest stage accounts for every entry it finds (files in = articles + duplicates + quarantined),
so nothing may be skipped silently, and it must never read outside the landing root or block on a
special file. Each entry is one of:

- ``file``: a regular file, or a symbolic link to one inside the landing root: it is read;
- ``hidden``: a name starting with ``.`` (editor swap files, partial uploads, ``.git``): recorded,
  never read, a hidden folder is one entry and is not descended into;
- ``symlink_outside``: a link leading out of the landing root (``/etc/passwd``, ``/proc/self/...``):
  recorded, never followed;
- ``broken_symlink``: a link to nothing;
- ``special_file``: a FIFO, socket or device, or a link to a folder: recorded, never opened.

Names can hold any bytes. :func:`display` turns a path into text that stores and prints safely:
undecodable bytes become ``\\xNN`` escapes, so two different names never collide.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

KINDS = ("file", "hidden", "symlink_outside", "broken_symlink", "special_file")


@dataclass(frozen=True)
class Entry:
    """One thing found in a landing folder."""

    path: Path  # where it was found (the link itself, for a symbolic link)
    name: str  # relative to the ingest root, printable (see :func:`display`)
    kind: str  # one of KINDS
    target: Path | None = None  # the regular file to read (a link's target), for kind "file"
    detail: str = ""


def display(text: str) -> str:
    """A file name as valid text: bytes that are not UTF-8 become ``\\xNN`` (lossless, no surrogates)."""
    return os.fsencode(text).decode("utf-8", "backslashreplace")


def _within(path: str, roots: tuple[str, ...]) -> bool:
    return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


def _file_type(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR,
                       "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a folder")):
        if test(mode):
            return name
    return "not a regular file"


def classify(path: Path, name: str, roots: tuple[str, ...]) -> Entry:
    """The kind of one non-folder entry, from ``lstat``/``stat`` only: nothing is opened."""
    if Path(name).name.startswith("."):
        return Entry(path, name, "hidden", detail="hidden entry (name starts with '.'): not read")
    st = os.lstat(path)
    if stat.S_ISREG(st.st_mode):
        return Entry(path, name, "file", target=path)
    if not stat.S_ISLNK(st.st_mode):
        return Entry(path, name, "special_file", detail=f"{_file_type(st.st_mode)}: not opened")
    link = display(os.readlink(path))
    real = os.path.realpath(path)
    if not os.path.lexists(real) or not os.path.exists(path):
        return Entry(path, name, "broken_symlink", detail=f"symbolic link to {link!r}, which does not exist")
    if not _within(real, roots):
        return Entry(path, name, "symlink_outside",
                     detail=f"symbolic link to {link!r}, outside the landing root: not followed")
    mode = os.stat(path).st_mode
    if stat.S_ISREG(mode):
        return Entry(path, name, "file", target=Path(real))
    return Entry(path, name, "special_file", detail=f"symbolic link to {_file_type(mode)}: not followed")


def entries(path: Path, root: Path) -> list[Entry]:
    """Every entry under ``path`` (a folder, walked without following links, or one file), by name.

    ``root`` is the folder names are relative to; links may lead anywhere inside it (or inside
    ``path``, when that is a linked folder) and nowhere else.
    """
    path, root = Path(path), Path(root)
    roots = tuple(sorted({os.path.realpath(root), os.path.realpath(path)}))
    if not path.is_dir() or path.name.startswith(".") and path != root:
        return [classify(path, _name(path, root), roots)]
    found: list[Entry] = []
    stack = [path]
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as it:
            for de in it:
                p = Path(de.path)
                if de.is_dir(follow_symlinks=False) and not de.name.startswith("."):
                    stack.append(p)
                elif de.is_dir(follow_symlinks=False):
                    found.append(Entry(p, _name(p, root), "hidden", detail="hidden folder: not read"))
                else:
                    found.append(classify(p, _name(p, root), roots))
    return sorted(found, key=lambda e: [os.fsencode(part) for part in e.path.relative_to(path).parts])


def _name(path: Path, root: Path) -> str:
    try:
        rel = path.relative_to(root).as_posix()
    except ValueError:
        rel = path.name
    return display(rel)
