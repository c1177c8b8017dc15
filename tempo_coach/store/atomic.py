"""The one way the store puts bytes on disk: atomic, durable replacement of a whole file.

``atomic_write`` writes a temporary file in the same folder, flushes and fsyncs it, keeps the
previous version as ``NAME.bak`` (a hard link, so no extra bytes are written), replaces the
file with ``os.replace`` and fsyncs the folder. After a kill at any instant the file is either
the old version or the new one, never a mix. On any error the temporary is removed and the
old file is untouched. Temporaries left by a killed process are removed by
``remove_stale_temporaries`` when the next writer opens the folder.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

TMP_MARK = ".tmp-"
BACKUP_SUFFIX = ".bak"


def temporary_name(path: Path) -> Path:
    """A fresh temporary next to ``path``: ``.NAME.tmp-<pid>-<random>`` (hidden on Unix)."""
    return path.with_name(f".{path.name}{TMP_MARK}{os.getpid()}-{os.urandom(4).hex()}")


def is_temporary(name: str) -> bool:
    return name.startswith(".") and TMP_MARK in name


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + BACKUP_SUFFIX)


def fsync_folder(folder: Path) -> None:
    """Make a rename or unlink in ``folder`` durable. Folders cannot be opened on Windows,
    where NTFS journals the rename itself, so there it is skipped."""
    if os.name == "nt":  # pragma: no cover - not run on the Linux CI
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _keep_backup(path: Path) -> None:
    """Point ``NAME.bak`` at the current version of ``path`` before it is replaced.

    A hard link shares the old file's bytes, which are never modified in place (every write
    replaces the whole file), so the backup costs one link. Where links are not supported
    (FAT, some network shares) the backup is skipped rather than copying megabytes.
    """
    if not path.exists():
        return
    link = temporary_name(backup_path(path))
    try:
        os.link(path, link)
    except OSError:
        return
    try:
        os.replace(link, backup_path(path))
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(link)


def atomic_write(path: Path, data: bytes, *, keep_backup: bool = True) -> os.stat_result:
    """Replace ``path`` with ``data`` durably; on any error, ``path`` is left as it was.

    Returns the new file's status (size, mtime) as it was when written: taken from the open
    file, so no later change by anyone else can slip in between (the history index relies on
    it). Raises OSError (ENOSPC, EACCES, ...) after removing the temporary.
    """
    tmp = temporary_name(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
    try:
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
            status = os.fstat(fd)
        finally:
            os.close(fd)
        if keep_backup:
            _keep_backup(path)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_folder(path.parent)
    return status


def remove_file(path: Path) -> None:
    """Delete ``path`` (if present) durably."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        return
    fsync_folder(path.parent)


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Delete temporaries a killed writer left in ``folder``. Only the lock holder calls
    this: another instance's write in progress would otherwise lose its temporary."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if is_temporary(entry.name) and entry.is_file(follow_symlinks=False):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed
