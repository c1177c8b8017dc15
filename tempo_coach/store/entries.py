"""What is at a store path, and opening it for reading only when it is a regular file.

Nothing in the data folder is followed or opened unless it is a plain file: a symbolic link
could point anywhere (run as root on a shared folder, at any file of the system), a named
pipe (FIFO) blocks whoever opens it for reading until a writer comes, and a device can be
endless (``/dev/zero``) or have effects when opened (a tape, a terminal). So the type is
checked first (``lstat``), the file is opened with ``O_NOFOLLOW | O_NONBLOCK``, and the open
file is checked again (``fstat``) before a byte is read: whatever is swapped in between the
check and the open is refused too. What is not a regular file raises ``NotAFile``, an
``OSError``, so every caller that already copes with an unreadable file copes with it.

The data folder itself may be a link (the user or the platform chose that path); what is
inside it is never followed.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)  # not on Windows, where links need privileges
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_FLAGS |= getattr(os, "O_BINARY", 0)


class NotAFile(OSError):
    """A store path holds something other than a regular file; it was not opened.
    ``what`` says what it is, for a sentence: "a symbolic link (to /etc/passwd)"."""

    def __init__(self, path: Path, what: str) -> None:
        super().__init__(errno.EINVAL, f"it is {what}, not a file", str(path))
        self.what = what


def kind_of(status: os.stat_result, path: Path | None = None) -> str | None:
    """None for a regular file; otherwise what the entry is, as words for the user."""
    mode = status.st_mode
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        target = "?"
        if path is not None:
            with contextlib.suppress(OSError):
                target = os.readlink(path)
        return f"a symbolic link (to {target})"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_regular(path: Path) -> os.stat_result:
    """The ``lstat`` of ``path`` when it is a regular file; raises NotAFile (or
    FileNotFoundError, or another OSError) otherwise. Never opens anything."""
    status = os.lstat(path)
    what = kind_of(status, path)
    if what is not None:
        raise NotAFile(path, what)
    return status


def open_regular(path: Path, *, follow_symlinks: bool = False) -> BinaryIO:
    """Open ``path`` for reading (binary) if, and only if, it is a regular file.

    ``follow_symlinks`` is for a file the user chose outside the store (a backup to import):
    a link the user made there is followed, but a pipe or a device is still refused."""
    status = os.stat(path) if follow_symlinks else os.lstat(path)
    what = kind_of(status, path)
    if what is not None:
        raise NotAFile(path, what)
    try:
        fd = os.open(path, _FLAGS if follow_symlinks else _FLAGS | _NO_FOLLOW)
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.EMLINK):  # made a link after the check
            raise NotAFile(path, "a symbolic link") from None
        raise
    try:
        opened = os.fstat(fd)
        what = kind_of(opened)
        if what is not None:  # swapped after the check
            raise NotAFile(path, what)
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")
