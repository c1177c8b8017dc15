"""The single-writer lock: ``tempo-coach.lock`` in the data folder, held with an OS lock.

``fcntl.flock`` (``msvcrt.locking`` on Windows) belongs to the open file: the operating
system drops it when the process ends, however it ends, so a lock left by a crash or a kill
is never in the way. The file holds the holder's process id so that a second instance can
say who is running; the id is information only, the OS lock is what counts.
"""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path

LOCK_NAME = "tempo-coach.lock"


@dataclass(frozen=True)
class Busy:
    """Another process holds the lock; ``pid`` is what it wrote (None if unreadable)."""

    pid: int | None


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


def read_pid(path: Path) -> int | None:
    try:
        text = path.read_text(encoding="ascii", errors="replace")[:32]
        return int(text.split()[0])
    except (OSError, ValueError, IndexError):
        return None


def acquire(folder: Path) -> FolderLock | Busy:
    """Take the lock in ``folder`` without waiting, or say who holds it."""
    path = folder / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    if not _try_lock(fd):
        os.close(fd)
        return Busy(read_pid(path))
    try:
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
    except OSError:
        pass  # the pid is information only (so not fsynced either); the OS lock is held
    return FolderLock(path, fd)
