"""Reading and writing one versioned JSON file, and what happens when it cannot be read.

Every file is ``{"schema_version": N, "kind": "...", ...}`` in UTF-8. Reading checks size,
encoding, JSON syntax (no NaN or Infinity, no runaway nesting), the kind and the version, then
upgrades old versions and decodes. A file that fails any of this is copied aside as
``NAME.corrupt-<UTC time>`` (its bytes kept exactly), the backup ``NAME.bak`` is tried, and
a sentence says what happened and where the copy is. A file from a newer version is
reported as such and never rewritten.

Nothing that is not a regular file is ever opened (``store/entries.py``): a symbolic link,
a named pipe, a device or a folder where a file should be is reported like a damaged file,
and moved aside as it is (``NAME.corrupt-<UTC time>`` is then that link, pipe or folder,
the link still pointing where it did) instead of copied, so that nothing is read or written
through it and the name is free for the next save. So is a file over ``MAX_FILE_BYTES``:
moving keeps its bytes without writing them again.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, Generic, TypeVar

from tempo_coach.store.atomic import backup_path, fsync_folder, temporary_name
from tempo_coach.store.entries import NotAFile, open_regular
from tempo_coach.store.migrations import SCHEMA_VERSION, MigrationError, migrate

T = TypeVar("T")

# Far above anything real (ten years of history is a few MB spread over many files); a file
# this large is damage, and reading it would stall the app.
MAX_FILE_BYTES = 64 * 1024 * 1024


class Outcome(str, Enum):
    MISSING = "missing"
    OK = "ok"
    NEWER = "newer"  # written by a newer Tempo Coach: read as far as possible, never written
    DAMAGED = "damaged"  # unreadable or partly readable: copied aside


@dataclass(frozen=True)
class Decoded(Generic[T]):
    """What a decoder got out of a document; ``damage`` lists parts it had to drop."""

    value: T
    damage: tuple[str, ...] = ()


@dataclass
class ReadResult(Generic[T]):
    outcome: Outcome
    value: T | None = None
    version: int | None = None  # the file's format, when it could be read that far
    problems: list[str] = field(default_factory=list)
    corrupt_copy: Path | None = None
    from_backup: bool = False
    backup_value: T | None = None  # set when a partial value and a good backup both exist


def _reject_constant(name: str) -> Any:
    raise ValueError(f"the number {name} is not allowed")


def parse_json(data: bytes) -> Any:
    """Parse UTF-8 JSON strictly. Raises ValueError (including for NaN and Infinity) or
    RecursionError (runaway nesting)."""
    if not data or data.isspace():
        raise ValueError("the file is empty")
    if b"\x00" in data:
        raise ValueError("the file contains NUL bytes (a block was lost, e.g. in a power cut)")
    text = data.decode("utf-8")  # UnicodeDecodeError is a ValueError
    # A number too large for a float (1e999) parses as infinity; the decoders' range checks
    # refuse it, so it is not checked here (a callback per number costs 25 ms on ten years).
    return json.loads(text, parse_constant=_reject_constant)


def dump_json(document: dict[str, Any]) -> bytes:
    """Compact UTF-8 JSON; NaN or Infinity raise ValueError instead of being written."""
    return json.dumps(document, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode(
        "utf-8"
    )


def _read_checked(path: Path, kind: str) -> tuple[dict[str, Any], int]:
    """The raw document and its version; raises ValueError/RecursionError/OSError."""
    with open_regular(path) as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > MAX_FILE_BYTES:
            raise ValueError(f"the file is {size / 2**20:.0f} MB, more than a store file can be")
        data = handle.read(MAX_FILE_BYTES + 1)
    document = parse_json(data)
    if not isinstance(document, dict):
        raise ValueError("the file does not hold a JSON object")
    version = document.get("schema_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValueError(f"the file has no valid schema_version (got {version!r})")
    if document.get("kind") != kind:
        raise ValueError(f"the file is not a {kind} file (kind {document.get('kind')!r})")
    return document, version


def corrupt_name(path: Path) -> Path:
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    candidate = path.with_name(f"{path.name}.corrupt-{stamp}")
    number = 2
    while os.path.lexists(candidate):
        candidate = path.with_name(f"{path.name}.corrupt-{stamp}-{number}")
        number += 1
    return candidate


_CHUNK = 1 << 20


def _same_bytes(a: Path, b: Path) -> bool:
    """Whether two regular files hold the same bytes (False for anything else, which is
    never opened)."""
    try:
        with open_regular(a) as first, open_regular(b) as second:
            if os.fstat(first.fileno()).st_size != os.fstat(second.fileno()).st_size:
                return False
            while True:
                chunk = first.read(_CHUNK)
                if chunk != second.read(_CHUNK):
                    return False
                if not chunk:
                    return True
    except OSError:
        return False


def _copy_status(fd: int, path: Path, status: os.stat_result) -> None:
    """Give the copy the original's permissions and times (as ``shutil.copy2`` did)."""
    mode = stat.S_IMODE(status.st_mode)
    times = (status.st_atime_ns, status.st_mtime_ns)
    if os.utime in os.supports_fd:
        os.fchmod(fd, mode)
        os.utime(fd, ns=times)
    else:  # pragma: no cover - Windows
        os.chmod(path, mode)
        os.utime(path, ns=times)


def _durable_copy(path: Path, target: Path) -> None:
    """Copy ``path`` to ``target`` byte for byte (and its times), durably. Copied under a
    temporary name in ``path``'s folder first, so that a kill mid-copy leaves no half copy
    that looks like the real thing (the temporary is removed at the next start)."""
    import shutil  # only here: it imports bz2, lzma and zlib (2 ms at every start)

    tmp = path.parent / temporary_name(target).name
    try:
        # Opened as a regular file only (store/entries.py), so never through a link and
        # never a pipe, which would block (shutil.copy2 follows links).
        with open_regular(path) as source:
            status = os.fstat(source.fileno())
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0))
            with os.fdopen(fd, "wb") as copy:
                shutil.copyfileobj(source, copy, _CHUNK)
                copy.flush()
                _copy_status(copy.fileno(), tmp, status)
                os.fsync(copy.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):
        fsync_folder(target.parent)
        if target.parent != path.parent:
            fsync_folder(path.parent)


def moved_not_copied(path: Path) -> bool:
    """Whether ``set_aside`` moves what is at ``path`` rather than copying it: anything but a
    regular file (never opened), and a file larger than a store file can be (copying
    gigabytes of damage could fill the disk, and comparing them at every start with the
    copy already made would stall it)."""
    try:
        status = os.lstat(path)
    except OSError:
        return False
    return not stat.S_ISREG(status.st_mode) or status.st_size > MAX_FILE_BYTES


def set_aside(path: Path) -> Path:
    """Copy ``path`` to ``NAME.corrupt-<time>``, byte for byte, and return the copy. If an
    identical copy is already there (the file was reported before), reuse it.

    What ``moved_not_copied`` names (a link, a pipe, a device, a folder, a huge file) is
    moved to that name instead, as it is (a link keeps pointing where it did), which frees
    the name for the next save. Raises OSError (FileNotFoundError when nothing is there)."""
    os.lstat(path)  # FileNotFoundError when nothing is there
    if moved_not_copied(path):
        target = corrupt_name(path)
        os.rename(path, target)
        with contextlib.suppress(OSError):
            fsync_folder(path.parent)
        return target
    for existing in sorted(path.parent.glob(path.name + ".corrupt-*")):
        if _same_bytes(existing, path):
            return existing
    target = corrupt_name(path)
    _durable_copy(path, target)
    return target


def migration_folder(parent: Path, version: int, date: str, number: int = 1) -> Path:
    """``before-format-<version>-<date>`` in ``parent`` (``-2``, ``-3``... after the first)."""
    name = f"before-format-{version}-{date}"
    return parent / (name if number == 1 else f"{name}-{number}")


def keep_before_migration(path: Path, version: int, date: str) -> Path:
    """Copy ``path``, a file of an older format about to be rewritten in format ``version``,
    into ``before-format-<version>-<date>/`` beside it, byte for byte, and return the copy.

    An existing copy is never overwritten: one with the same bytes is reused; otherwise the
    next folder of that day (``...-2``, ``-3``) holds the new one; so does a name that is
    not a folder of its own (a link to one is never written through). Raises OSError (the
    file is then left as it is, and so must be the caller's write)."""
    number = 1
    while True:
        folder = migration_folder(path.parent, version, date, number)
        target = folder / path.name
        if os.path.lexists(folder) and not stat.S_ISDIR(os.lstat(folder).st_mode):
            number += 1
            continue
        if not os.path.lexists(target):
            break
        if _same_bytes(target, path):
            return target
        number += 1
    target.parent.mkdir(exist_ok=True)
    _durable_copy(path, target)
    return target


def _why(error: BaseException) -> str:
    if isinstance(error, RecursionError):
        return "it is nested too deeply to be a Tempo Coach file"
    if isinstance(error, UnicodeDecodeError):
        return "it is not UTF-8 text"
    if isinstance(error, json.JSONDecodeError):
        return f"it is not valid JSON ({error.msg} at line {error.lineno})"
    if isinstance(error, NotAFile):
        return f"it is {error.what}, not a file, so it was not opened"
    if isinstance(error, OSError):
        return f"it could not be read ({error.strerror or error})"
    return str(error)


def read_document(
    path: Path,
    kind: str,
    decode: Callable[[dict[str, Any]], Decoded[T]],
    *,
    writable: bool,
    label: str,
) -> ReadResult[T]:
    """Read, upgrade and decode one file, falling back to its backup when it is damaged.

    ``label`` names the file for people ("your preferences"). Never raises for bad content.
    When ``writable`` is false (another instance is the writer) nothing is copied aside.
    """
    version: int | None = None
    try:
        document, version = _read_checked(path, kind)
        if version > SCHEMA_VERSION:
            return _read_newer(document, version, decode, path, label)
        decoded = decode(migrate(kind, document))
        if not decoded.damage:
            return ReadResult(Outcome.OK, decoded.value, version)
        reason = "; ".join(decoded.damage[:3])
        partial: Decoded[T] | None = decoded
    except FileNotFoundError:
        return ReadResult(Outcome.MISSING)
    except (ValueError, RecursionError, OSError, MigrationError) as error:
        reason = _why(error)
        partial = None
    result = _recover(path, kind, decode, reason, partial, writable=writable, label=label)
    result.version = version  # the damaged file's, when it could be read that far
    return result


def _read_newer(
    document: dict[str, Any],
    version: int,
    decode: Callable[[dict[str, Any]], Decoded[T]],
    path: Path,
    label: str,
) -> ReadResult[T]:
    message = (
        f"{label} ({path}) was written by a newer Tempo Coach (format {version}; this one "
        f"knows up to {SCHEMA_VERSION}), so nothing will be saved: update Tempo Coach"
    )
    try:
        decoded = decode(document)
        value: T | None = decoded.value
        if decoded.damage:
            message += "; this version cannot show all of it"
    except (ValueError, RecursionError, KeyError, TypeError):
        value = None
        message += "; this version cannot show its contents"
    return ReadResult(Outcome.NEWER, value, version, [message])


def _recover(
    path: Path,
    kind: str,
    decode: Callable[[dict[str, Any]], Decoded[T]],
    reason: str,
    partial: Decoded[T] | None,
    *,
    writable: bool,
    label: str,
) -> ReadResult[T]:
    result: ReadResult[T] = ReadResult(Outcome.DAMAGED)
    special = moved_not_copied(path)
    where = f"It is left as it is at {path}" if special else f"It is still at {path}"
    if writable:
        try:
            result.corrupt_copy = set_aside(path)
            where = (
                f"It was moved, as it is, to {result.corrupt_copy}"
                if special
                else f"Its bytes are kept in {result.corrupt_copy}"
            )
        except OSError as error:
            where = (
                f"It could not be {'moved' if special else 'copied'} aside "
                f"({error.strerror or error}); it is still at {path}"
            )
    backup = backup_path(path)
    backup_value: T | None = None
    if backup.exists():
        try:
            document, version = _read_checked(backup, kind)
            if version <= SCHEMA_VERSION:
                decoded = decode(migrate(kind, document))
                if not decoded.damage:
                    backup_value = decoded.value
        except (ValueError, RecursionError, OSError, MigrationError):
            backup_value = None
    if partial is not None:
        result.value = partial.value
        using = "the readable part is used"
        if backup_value is not None:
            using += f" together with the last good copy ({backup.name})"
    elif backup_value is not None:
        result.value = backup_value
        result.from_backup = True
        using = f"the last good copy ({backup}) is used instead"
    else:
        using = "there is no good copy to fall back on, so it starts empty"
    result.problems.append(f"{label} could not be read: {reason}. {where}; {using}.")
    if partial is not None and backup_value is not None:
        result.backup_value = backup_value  # the caller merges; the partial value is primary
    return result
