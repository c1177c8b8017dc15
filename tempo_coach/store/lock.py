"""The single-writer lock: ``tempo-coach.lock`` in the data folder, held with an OS lock.

``fcntl.flock`` (``msvcrt.locking`` on Windows) belongs to the open file: the operating
system drops it when the process ends, however it ends, so a lock left by a crash or a kill
is never in the way. The file holds the holder's process id so that a second instance can
say who is running; the id is information only, the OS lock is what counts.

The lock file is the one file every user of the store opens for writing, even a command that
only reads (``tempo-coach history``), so it is opened without following a link
(``O_NOFOLLOW``) and only when it is a regular file with no other name: anything else there
(a symbolic link, a named pipe, a device, a folder, a hard link to another file) is left
exactly as it is, and ``acquire`` says so (``Refused``); the store then opens read-only.
Run as root on a shared folder, a link there would otherwise truncate any file of the system.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from pathlib import Path
from typing import NamedTuple

from tempo_coach.store.entries import kind_of

LOCK_NAME = "tempo-coach.lock"


# A named tuple, not a dataclass: Python generates a dataclass's methods at every start
# (about 0.5 ms each), and every store opening imports this module.
class Busy(NamedTuple):
    """Another process holds the lock; ``pid`` is what it wrote (None if unreadable)."""

    pid: int | None


class Refused(NamedTuple):
    """What is at ``path`` is not a lock file Tempo Coach may open; it was left alone.
    ``what`` says what it is: "a symbolic link (to /etc/passwd)", "a named pipe (FIFO)"."""

    path: Path
    what: str

    @property
    def reason(self) -> str:
        """A sentence for ``read_only_reason``."""
        return (
            f"the lock file {self.path} is {self.what}, not a file Tempo Coach made; it was "
            "left as it is, so this Tempo Coach shows your data but saves nothing (remove it "
            "and start Tempo Coach again to save)"
        )


class FolderLock:
    """An acquired lock. ``release()`` (or process exit) frees it."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        with contextlib.suppress(OSError):
            _unlock(fd)
        os.close(fd)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


_OPEN_FLAGS = (
    os.O_RDWR
    | os.O_CREAT
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


def _refusal(path: Path, status: os.stat_result) -> Refused | None:
    what = kind_of(status, path)
    if what is None and status.st_nlink > 1:
        # A hard link to another file: writing the pid would truncate that file.
        what = f"a file with {status.st_nlink} names (hard links)"
    return None if what is None else Refused(path, what)


def _read_pid(fd: int) -> int | None:
    """The pid the holder wrote, read from the descriptor already checked (never the path
    again: it could have been swapped for a pipe meanwhile)."""
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        return int(os.read(fd, 32).decode("ascii", errors="replace").split()[0])
    except (OSError, ValueError, IndexError):
        return None


def acquire(folder: Path) -> FolderLock | Busy | Refused:
    """Take the lock in ``folder`` without waiting, say who holds it, or say why the file
    there may not be used. Raises OSError when the lock file cannot be created or opened
    (a read-only folder)."""
    path = folder / LOCK_NAME
    try:
        refused = _refusal(path, os.lstat(path))
    except FileNotFoundError:
        refused = None
    if refused is not None:
        return refused
    try:
        fd = os.open(path, _OPEN_FLAGS, 0o644)
    except OSError as error:
        # Something was put there after the check: a link (ELOOP; EMLINK on FreeBSD) or a folder.
        if error.errno in (errno.ELOOP, errno.EMLINK):
            return Refused(path, "a symbolic link")
        if error.errno == errno.EISDIR:
            return Refused(path, "a folder")
        raise
    try:
        refused = _refusal(path, os.fstat(fd))
        if refused is not None:
            os.close(fd)
            return refused
        if not _try_lock(fd):
            pid = _read_pid(fd)
            os.close(fd)
            return Busy(pid)
    except BaseException:
        with contextlib.suppress(OSError):
            os.close(fd)
        raise
    try:
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
    except OSError:
        pass  # the pid is information only (so not fsynced either); the OS lock is held
    return FolderLock(path, fd)
