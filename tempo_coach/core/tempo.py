"""Tempo notation: the four phases of a repetition, eccentric first.

Coaches write ``4-1-1-0``: lower for 4 s, hold 1 s at the bottom of the lowering, lift in
1 s, no pause before the next rep. ``X`` for the lifting phase means "explosive"; it still
takes real time, so it is given ``explosive_seconds`` (a preference, 1 s by default).
Durations are kept as whole milliseconds so that sums never drift.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from enum import Enum


class Phase(str, Enum):
    """Every phase a session can be in. The value is the name used in JSON and the store."""

    COUNT_IN = "count_in"
    ECCENTRIC = "eccentric"
    PAUSE_AFTER_ECCENTRIC = "pause_after_eccentric"
    CONCENTRIC = "concentric"
    PAUSE_AFTER_CONCENTRIC = "pause_after_concentric"
    REST = "rest"
    # In a negative-only set the lift is replaced by a reset (a partner, a jump, a step):
    # cued like the lift, timed by the tempo's lifting count, not time under tension.
    RESET = "reset"

    @property
    def is_rep_phase(self) -> bool:
        return self in REP_PHASES or self is Phase.RESET

    @property
    def under_tension(self) -> bool:
        """Whether this phase counts as time under tension (every rep phase but a reset)."""
        return self in REP_PHASES


REP_PHASES: tuple[Phase, ...] = (
    Phase.ECCENTRIC,
    Phase.PAUSE_AFTER_ECCENTRIC,
    Phase.CONCENTRIC,
    Phase.PAUSE_AFTER_CONCENTRIC,
)

# Allowed ranges in milliseconds, per phase: (minimum, maximum).
ECCENTRIC_RANGE_MS = (1_000, 30_000)
PAUSE_RANGE_MS = (0, 30_000)
CONCENTRIC_RANGE_MS = (500, 30_000)
EXPLOSIVE_RANGE_MS = (300, 3_000)
DEFAULT_EXPLOSIVE_MS = 1_000

PHASE_WORDS: dict[Phase, str] = {
    Phase.COUNT_IN: "count-in",
    Phase.ECCENTRIC: "lowering phase",
    Phase.PAUSE_AFTER_ECCENTRIC: "pause after the lowering",
    Phase.CONCENTRIC: "lifting phase",
    Phase.PAUSE_AFTER_CONCENTRIC: "pause after the lifting",
    Phase.REST: "rest",
}


_RANGES: dict[Phase, tuple[int, int]] = {
    Phase.ECCENTRIC: ECCENTRIC_RANGE_MS,
    Phase.PAUSE_AFTER_ECCENTRIC: PAUSE_RANGE_MS,
    Phase.CONCENTRIC: CONCENTRIC_RANGE_MS,
    Phase.PAUSE_AFTER_CONCENTRIC: PAUSE_RANGE_MS,
}


class TempoError(ValueError):
    """A tempo that cannot be used; the message names the problem and the allowed range."""


def _seconds_text(ms: int) -> str:
    """1000 -> '1', 2500 -> '2.5', 1250 -> '1.25'."""
    text = f"{ms / 1000:.3f}".rstrip("0").rstrip(".")
    return text or "0"


MAX_SECONDS = 1_000_000  # far beyond any range here; keeps the conversion exact and finite


def seconds_to_ms(seconds: float) -> int:
    """Convert seconds to whole milliseconds, refusing NaN, infinities and absurd sizes
    (the callers' range checks then give the precise message)."""
    if not math.isfinite(seconds) or abs(seconds) > MAX_SECONDS:
        raise TempoError(
            f"a duration must be a number of seconds up to {MAX_SECONDS:,}, got {seconds!r}"
        )
    return round(seconds * 1000)


def _check_range(phase: Phase, ms: int, bounds: tuple[int, int], shown: str = "") -> None:
    low, high = bounds
    if not low <= ms <= high:
        raise TempoError(
            f"the {PHASE_WORDS[phase]} must last {_seconds_text(low)} to "
            f"{_seconds_text(high)} seconds, got {shown or _seconds_text(ms)}"
        )


@dataclass(frozen=True)
class Tempo:
    """The four phase durations of one repetition, in notation order (eccentric first)."""

    eccentric_ms: int
    pause_after_eccentric_ms: int
    concentric_ms: int
    pause_after_concentric_ms: int
    explosive: bool = False

    def __post_init__(self) -> None:
        _check_range(Phase.ECCENTRIC, self.eccentric_ms, ECCENTRIC_RANGE_MS)
        _check_range(Phase.PAUSE_AFTER_ECCENTRIC, self.pause_after_eccentric_ms, PAUSE_RANGE_MS)
        concentric_range = EXPLOSIVE_RANGE_MS if self.explosive else CONCENTRIC_RANGE_MS
        _check_range(Phase.CONCENTRIC, self.concentric_ms, concentric_range)
        _check_range(Phase.PAUSE_AFTER_CONCENTRIC, self.pause_after_concentric_ms, PAUSE_RANGE_MS)

    @classmethod
    def from_seconds(
        cls,
        eccentric: float,
        pause_after_eccentric: float,
        concentric: float,
        pause_after_concentric: float,
        *,
        explosive: bool = False,
    ) -> Tempo:
        return cls(
            seconds_to_ms(eccentric),
            seconds_to_ms(pause_after_eccentric),
            seconds_to_ms(concentric),
            seconds_to_ms(pause_after_concentric),
            explosive,
        )

    def duration_ms(self, phase: Phase) -> int:
        """The duration of one rep phase."""
        return {
            Phase.ECCENTRIC: self.eccentric_ms,
            Phase.PAUSE_AFTER_ECCENTRIC: self.pause_after_eccentric_ms,
            Phase.CONCENTRIC: self.concentric_ms,
            Phase.PAUSE_AFTER_CONCENTRIC: self.pause_after_concentric_ms,
            Phase.RESET: self.concentric_ms,  # a negative-only set's reset takes the lift's
        }[phase]

    @property
    def rep_ms(self) -> int:
        """The length of one whole repetition."""
        return (
            self.eccentric_ms
            + self.pause_after_eccentric_ms
            + self.concentric_ms
            + self.pause_after_concentric_ms
        )

    def with_eccentric_ms(self, eccentric_ms: int) -> Tempo:
        return Tempo(
            eccentric_ms,
            self.pause_after_eccentric_ms,
            self.concentric_ms,
            self.pause_after_concentric_ms,
            self.explosive,
        )

    def with_explosive_ms(self, explosive_ms: int) -> Tempo:
        """The same tempo with a new real duration for an explosive ``X`` lift."""
        if not self.explosive:
            return self
        return Tempo(
            self.eccentric_ms,
            self.pause_after_eccentric_ms,
            explosive_ms,
            self.pause_after_concentric_ms,
            True,
        )

    def notation(self, *, compact: bool = False) -> str:
        """Format as ``4-1-1-0`` (or ``4110`` when every part is one digit and compact)."""
        parts = [
            _seconds_text(self.eccentric_ms),
            _seconds_text(self.pause_after_eccentric_ms),
            "X" if self.explosive else _seconds_text(self.concentric_ms),
            _seconds_text(self.pause_after_concentric_ms),
        ]
        if compact and all(len(p) == 1 for p in parts):
            return "".join(parts)
        return "-".join(parts)

    def __str__(self) -> str:
        return self.notation()


_PART = r"\s*([^-/:\s]+)\s*"
_SEPARATED = re.compile("^" + "[-/:]".join([_PART] * 4) + "$")
_NUMBER = re.compile(r"^[0-9]+(\.[0-9]+)?$")
# Dashes people paste from articles and word processors, read as the plain hyphen.
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))


def _shown(text: str) -> str:
    """Quote user input in a message, shortened if it is long."""
    return repr(text if len(text) <= 24 else text[:20] + "...")


def parse_tempo(text: str, *, explosive_ms: int = DEFAULT_EXPLOSIVE_MS) -> Tempo:
    """Parse ``4-1-1-0``, ``4110``, ``31X0`` or ``2.5-0-1-0`` (also ``4/1/1/0``, ``4:1:1:0``).

    ``X`` (or ``x``) is accepted for the lifting phase only, and gets ``explosive_ms``.
    Raises TempoError with a message a lifter can act on.
    """
    if not isinstance(text, str):
        raise TempoError(f"a tempo must be text such as 4-1-1-0, got {text!r}")
    # Full-width and other compatibility digits become ASCII; every dash becomes "-".
    raw = unicodedata.normalize("NFKC", text).translate(_DASHES).strip()
    if not raw:
        raise TempoError("the tempo is empty: write four numbers such as 4-1-1-0")
    match = _SEPARATED.match(raw)
    if match:
        parts = list(match.groups())
    elif re.fullmatch(r"[0-9xX]{4}", raw, re.ASCII):
        parts = list(raw)
    else:
        raise TempoError(
            f"{_shown(raw)} is not a tempo: write four numbers, lowering first, "
            "such as 4-1-1-0, 4110 or 31X0"
        )
    phases = REP_PHASES
    values: list[int] = []
    explosive = False
    for phase, part in zip(phases, parts, strict=True):
        if part in ("x", "X"):
            if phase is not Phase.CONCENTRIC:
                raise TempoError(
                    f"X (explosive) is only allowed for the lifting phase, "
                    f"not for the {PHASE_WORDS[phase]}"
                )
            explosive = True
            values.append(explosive_ms)
            continue
        if not _NUMBER.match(part):
            raise TempoError(
                f"the {PHASE_WORDS[phase]} must be a number of seconds, got {_shown(part)}"
            )
        if float(part) > MAX_SECONDS:  # too big to convert: name the range all the same
            _check_range(phase, MAX_SECONDS * 1000, _RANGES[phase], shown=_shown(part))
        values.append(seconds_to_ms(float(part)))
    return Tempo(values[0], values[1], values[2], values[3], explosive)
