"""The bad-file matrix, shared by the store tests and the CLI tests: how each damage looks."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

from tempo_coach.store.documents import MAX_FILE_BYTES


def _truncated(good: bytes, path: Path) -> None:
    path.write_bytes(good[: len(good) // 2])


def _empty(good: bytes, path: Path) -> None:
    path.write_bytes(b"")


def _garbage(good: bytes, path: Path) -> None:
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR not a history file \xff\xfe")


def _wrong_types(good: bytes, path: Path) -> None:
    document = json.loads(good)
    document["sessions"] = {"session": "not a list"}
    path.write_text(json.dumps(document), encoding="utf-8")


def _nul_block(good: bytes, path: Path) -> None:
    # What a power cut can leave: the size was updated, the data block was not.
    path.write_bytes(good[:100] + b"\x00" * 4096 + good[100:])


def _deeply_nested(good: bytes, path: Path) -> None:
    path.write_bytes(b'{"schema_version": 2, "kind": "history", "sessions": ' + b"[" * 200_000)


def _huge(good: bytes, path: Path) -> None:
    # A sparse file: huge on paper, instant to make.
    with open(path, "wb") as handle:
        handle.write(good)
        handle.truncate(MAX_FILE_BYTES + 1)


def _not_allowed_number(good: bytes, path: Path) -> None:
    path.write_bytes(good.replace(b'"rpe":7', b'"rpe":NaN', 1))


def _number_out_of_range(good: bytes, path: Path) -> None:
    path.write_bytes(good.replace(b'"rpe":7', b'"rpe":1e999', 1))


DAMAGE: dict[str, Callable[[bytes, Path], None]] = {
    "truncated": _truncated,
    "empty": _empty,
    "garbage": _garbage,
    "wrong types": _wrong_types,
    "NUL block": _nul_block,
    "deeply nested": _deeply_nested,
    "huge": _huge,
    "NaN": _not_allowed_number,
    "number out of range": _number_out_of_range,
}


def file_bytes(path: Path) -> bytes:
    """The file's bytes; a sparse huge file is compared by size and head only."""
    if path.stat().st_size > MAX_FILE_BYTES:
        with open(path, "rb") as handle:
            return b"huge:" + str(os.fstat(handle.fileno()).st_size).encode() + handle.read(4096)
    return path.read_bytes()
