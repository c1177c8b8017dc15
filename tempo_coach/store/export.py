"""The history as CSV, one row per set: the one writer of it (the command line's
``history --format csv`` and the window's ``Store.export_csv``).

Other programs read these columns by name and by position, so ``CSV_COLUMNS`` only ever grows
at the end; a pinned test (tests/store/test_export.py) and docs/HISTORY.md list them. A text
cell that a spreadsheet would run as a formula (one starting with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return: OWASP's "CSV injection") gets a leading ``'``; numbers are
written as numbers, never quoted or marked. Rows end with LF, and so does a line break inside
a cell (CR and CRLF become LF: a bare CR is not quoted by the csv module).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, Protocol

from tempo_coach.core.records import (
    ON_TEMPO_TOLERANCE,
    PlannedSession,
    SessionRecord,
    SetRecord,
    tap_error,
)

#: The session's plan, as ``planned_*`` columns (the same on every row of a session).
PLANNED_FIELDS = ("tempo", "reps", "sets", "rest_s", "count_in_s", "side_mode")

CSV_COLUMNS = (
    "date",
    "session_id",
    "exercise_id",
    "exercise",
    "set",
    "side",
    "tempo_planned",
    "tempo_used",
    "reps_planned",
    "reps_done",
    "ended_early",
    "load",
    "load_unit",
    "time_under_tension_s",
    "rpe",
    "note",
    "finished",
    # The session's plan, the same on every row of a session; empty where not recorded.
    *(f"planned_{name}" for name in PLANNED_FIELDS),
    # Coaching (format 4): the set's type, and for a set in tap mode the tapped lowering of
    # each complete rep in order ("5.1;4.9;;5": an empty place is a missing tap) and how many
    # were on tempo (within ±20 % of the lowering count); empty when not in tap mode.
    "set_type",
    "lowering_tapped_s",
    "taps",
    "taps_on_tempo",
    "taps_missing",
)

SET_TYPES = {False: "normal", True: "negative-only"}

# What a spreadsheet (Excel, LibreOffice, Google Sheets) may take as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class TextStream(Protocol):
    def write(self, text: str, /) -> Any: ...


def safe_text(text: str) -> str:
    """A text cell a spreadsheet shows as text: ``'`` before one that could start a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _number(value: float) -> str:
    """``60``, ``62.5``: the shortest form, never quoted or marked (it is a number)."""
    return f"{value:g}"


def _seconds(ms: int | None) -> int | float | None:
    """Milliseconds as seconds: a whole number when whole (``90``), else ``2.5``."""
    if ms is None:
        return None
    return ms // 1000 if ms % 1000 == 0 else ms / 1000


def planned_values(planned: PlannedSession | None) -> dict[str, Any] | None:
    """The session's plan named as ``PLANNED_FIELDS``, in seconds (None: not recorded)."""
    if planned is None:
        return None
    return {
        "tempo": planned.tempo,
        "reps": planned.reps,
        "sets": planned.sets,
        "rest_s": _seconds(planned.rest_ms),
        "count_in_s": _seconds(planned.count_in_ms),
        "side_mode": None if planned.side_mode is None else planned.side_mode.value,
    }


def _text(value: str | None) -> str:
    """A text cell: made safe, and its line breaks written as LF. The csv module quotes a
    cell holding the line terminator (LF) but not one holding a bare CR, which many readers
    take as the end of the row."""
    if value is None:
        return ""
    return safe_text(value).replace("\r\n", "\n").replace("\r", "\n")


def rows(session: SessionRecord) -> Iterable[tuple[str | int, ...]]:
    """The session's rows, one per set, in ``CSV_COLUMNS`` order: texts made safe, numbers
    as numbers (the csv module writes neither quoted unless it must)."""
    planned = planned_values(session.planned) or {}
    plan_cells = [
        _text(value) if isinstance(value, str) or value is None else _number(value)
        for value in (planned.get(name) for name in PLANNED_FIELDS)
    ]
    for s in session.sets:
        yield (
            _text(s.started_at or session.started_at),
            _text(session.session_id),
            _text(s.exercise_id),
            _text(s.exercise_name),
            s.set_number,
            _text(None if s.side is None else s.side.value),
            _text(s.tempo_planned),
            _text(s.tempo_used),
            s.reps_planned,
            s.reps_done,
            "yes" if s.ended_early else "no",
            "" if s.load is None else _number(s.load),
            s.load_unit.value,
            _number(s.time_under_tension_ms / 1000),
            "" if session.rpe is None else session.rpe,
            _text(session.note),
            "yes" if session.finished else "no",
            *plan_cells,
            SET_TYPES[s.negative_only],
            *_tap_cells(s),
        )


def _tap_cells(s: SetRecord) -> tuple[str | int, ...]:
    """``lowering_tapped_s``, ``taps``, ``taps_on_tempo``, ``taps_missing`` of a set (empty
    when not in tap mode). Counted as ``SessionSummary`` counts them: complete reps only."""
    if not s.tap_mode:
        return ("", "", "", "")
    reps = [r for r in s.reps if r.complete]
    tapped = [
        "" if r.lowering_tapped_ms is None else _number(r.lowering_tapped_ms / 1000) for r in reps
    ]
    errors = [e for r in reps if (e := tap_error(r)) is not None]
    on_tempo = sum(1 for e in errors if abs(e) <= ON_TEMPO_TOLERANCE)
    return (";".join(tapped), len(errors), on_tempo, len(reps) - len(errors))


def write_csv(records: Iterable[SessionRecord], stream: TextStream) -> None:
    """The header, then one row per set of each session, in the order given."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for session in records:
        writer.writerows(rows(session))
