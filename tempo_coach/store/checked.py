"""The limits of the file format, and the small checked readers every decoder uses.

Decoding is strict: a missing field, a wrong type or a number outside what the format allows
raises ``CodecError`` (a ValueError) naming the field, so a damaged file is reported instead
of half-loaded. The codec (records, exercises), the rep grammar (``reps``) and the history
index all check against these same limits.
"""

from __future__ import annotations

import sys
from enum import Enum
from typing import Any, TypeVar

# What the format allows. Generous, but finite: a value outside is damage, not data.
MS_MAX = 24 * 3600 * 1000
COUNT_MAX = 10_000
TEXT_MAX = 10_000
RPE_RANGE = (1, 10)
SORENESS_RANGE = (0, 10)  # format 4: the check-in at the start of a session
# Loads have no upper limit when read: any finite number >= 0 is kept, so that no session an
# older format accepted (format 2 allowed up to 100,000) is ever dropped. Saving refuses more
# than core.records.LOAD_MAX (codec.encode_for_saving). ``0.0 <= x <= FINITE_MAX`` is false
# for infinity (a 1e999 in a file parses as infinity) and for NaN.
FINITE_MAX = sys.float_info.max

E = TypeVar("E", bound=Enum)


class CodecError(ValueError):
    """A JSON value that is not a valid record; the message names the field."""


def object_of(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise CodecError(f"{what}: expected an object, got {type(value).__name__}")
    return value


def list_of(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise CodecError(f"{what}: expected a list, got {type(value).__name__}")
    return value


def required(obj: dict[str, Any], key: str, what: str) -> Any:
    try:
        return obj[key]
    except KeyError:
        raise CodecError(f"{what}: missing {key!r}") from None


def whole(value: Any, what: str, low: int = 0, high: int = MS_MAX) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise CodecError(f"{what}: expected a whole number, got {value!r}")
    if not low <= value <= high:
        raise CodecError(f"{what}: must be {low} to {high}, got {value}")
    return value


def text(value: Any, what: str, limit: int | None = TEXT_MAX) -> str:
    if not isinstance(value, str):
        raise CodecError(f"{what}: expected text, got {type(value).__name__}")
    if limit is not None and len(value) > limit:
        raise CodecError(f"{what}: longer than {limit} characters")
    return value


def flag(value: Any, what: str) -> bool:
    if not isinstance(value, bool):
        raise CodecError(f"{what}: expected true or false, got {value!r}")
    return value


def member(enum: type[E], value: Any, what: str) -> E:
    try:
        return enum(value)
    except (ValueError, TypeError):
        raise CodecError(f"{what}: unknown value {value!r}") from None


def load(value: Any, what: str) -> float | None:
    """A load as read: None (body weight) or any finite number >= 0 (see FINITE_MAX)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CodecError(f"{what}: expected a number, got {value!r}")
    if not 0 <= value <= FINITE_MAX:
        raise CodecError(f"{what}: must be a finite number of at least 0, got {value!r}")
    return float(value)
