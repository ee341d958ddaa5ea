"""Walk input folders: every entry found, each with what it is, and printable names.

``walk(root)`` is iterative (an explicit stack, not recursion), so folders nested thousands
deep are read like any other; there is no depth cap. A path longer than the system allows
(``PATH_MAX``, 4,096 bytes on Linux) is reported for its folder, like an unreadable folder.
Symbolic links are followed, but a folder reached twice (a link loop) is entered once.

File names are kept as ``str`` with Python's surrogate escapes (a name that is not UTF-8 still
opens); ``printable(path)`` is the form shown to people and written to ``run.json``: bytes that
are not UTF-8 as ``\\xNN``, control and direction-override characters escaped, so a file name
can never drive the terminal (``\\x1b[2J``) or break the JSON file.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["Entry", "walk", "printable", "special_kind"]

# C0/C1 controls, bidi embeddings/overrides/isolates, line/paragraph separators.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\u200e\u200f]")


@dataclass(frozen=True)
class Entry:
    """One thing found in a folder.

    ``kind`` is ``file`` (a regular file, possibly through a link), ``special`` (FIFO,
    socket, device, dangling link: never opened) or ``folder_error`` (a folder that could not
    be listed). ``reason`` says why for the last two.
    """

    path: str
    kind: str
    reason: str | None = None


def printable(path: object) -> str:
    """``path`` as text safe for a terminal and for JSON (see the module docstring)."""
    s = os.fspath(path) if isinstance(path, os.PathLike) else path
    if isinstance(s, bytes):
        s = s.decode("utf-8", "backslashreplace")
    s = str(s)
    if any("\udc80" <= c <= "\udcff" for c in s):
        s = s.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    # Any lone surrogate left (not from a file name) cannot be written as UTF-8 either.
    s = s.encode("utf-8", "backslashreplace").decode("utf-8")
    return _UNPRINTABLE.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), s)


def special_kind(path: str) -> str | None:
    """Why ``path`` is not a regular file to read, or None when it is one."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            return "dangling symbolic link (its target does not exist)"
        return "no such file"
    except OSError as exc:
        if os.path.islink(path):
            return f"symbolic link that cannot be followed ({exc.strerror or exc})"
        return f"cannot stat: {exc.strerror or exc}"
    mode = st.st_mode
    if stat.S_ISREG(mode):
        return None
    for test, what in (
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISDIR, "a folder"),
    ):
        if test(mode):
            return f"not a regular file: {what}"
    return "not a regular file"


def _is_output_dir(path: str) -> bool:
    # geomap's own outputs (mentions.csv has a text column) must not be read back as articles.
    return os.path.isfile(os.path.join(path, "run.json")) and os.path.isfile(os.path.join(path, "incidents.csv"))


def _list(folder: str) -> tuple[list[str], list[str]]:
    """Sorted (subfolders, other names) of ``folder``, hidden names left out."""
    dirs: list[str] = []
    others: list[str] = []
    with os.scandir(folder) as it:
        for entry in it:
            if entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()  # follows links
            except OSError:
                is_dir = False
            (dirs if is_dir else others).append(entry.name)
    return sorted(dirs), sorted(others)


def walk(root: str | os.PathLike, skip: set[str] | None = None) -> Iterator[Entry]:
    """Every non-hidden entry under ``root``, folders depth-first in name order.

    Parameters
    ----------
    root : path
    skip : set of str, optional
        Folders not to enter (the run's output folder).

    Yields
    ------
    Entry
        Files of a folder (sorted by name) before those of its subfolders, as ``os.walk``.
    """
    root = os.fspath(root)
    # Folders are told apart by (device, inode): cheaper than realpath at every level.
    seen: set[tuple[int, int]] = set()
    for path in skip or ():
        try:
            st = os.stat(path)
            seen.add((st.st_dev, st.st_ino))
        except OSError:
            continue
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            st = os.stat(folder)
            if (st.st_dev, st.st_ino) in seen or (folder != root and _is_output_dir(folder)):
                continue
            seen.add((st.st_dev, st.st_ino))
            dirs, others = _list(folder)
        except OSError as exc:
            yield Entry(folder, "folder_error", f"cannot read folder: {exc.strerror or exc}")
            continue
        for name in others:
            full = os.path.join(folder, name)
            reason = special_kind(full)
            yield Entry(full, "special" if reason else "file", reason)
        stack.extend(os.path.join(folder, d) for d in reversed(dirs))
