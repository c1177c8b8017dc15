"""A saved session as plain text: what the History tab shows in its detail and copies.

Each set is a block, each rep a line with its lowering count; a live change is marked on the
rep it took effect from ("← 4 s from here"), so a change at rep 3 is seen at rep 3. Planned and
lowering is given as done and as planned (the plan as set up, before live changes); the other
phases as done.

Tempo accuracy (a set in tap mode): each rep also shows the lowering the lifter tapped beside
the planned one ("4.2 s of 5 s: fast"), or "missing tap" (never guessed); the set and the
session say how many tapped reps were on tempo (within ``ON_TEMPO_TOLERANCE`` of the planned
lowering, as ``SessionSummary`` counts them). A negative-only set is marked, and its reps
show the reset in place of the lift; the reset is not time under tension.
"""

from __future__ import annotations

from enum import Enum

from tempo_coach.core.exercise import Side
from tempo_coach.core.records import (
    ON_TEMPO_TOLERANCE,
    RepRecord,
    SessionRecord,
    SessionSummary,
    SetRecord,
    tap_error,
)
from tempo_coach.core.tempo import Phase

_REP_PHASES = (
    Phase.ECCENTRIC,
    Phase.PAUSE_AFTER_ECCENTRIC,
    Phase.CONCENTRIC,
    Phase.PAUSE_AFTER_CONCENTRIC,
)
# A negative-only set: a reset where the lift was.
_NEGATIVE_PHASES = (
    Phase.ECCENTRIC,
    Phase.PAUSE_AFTER_ECCENTRIC,
    Phase.RESET,
    Phase.PAUSE_AFTER_CONCENTRIC,
)
_HEADINGS = ("lower", "planned", "hold", "lift", "pause")
_NEGATIVE_HEADINGS = ("lower", "planned", "hold", "reset", "pause")
NEGATIVE_ONLY = "negative-only"


def seconds(ms: int) -> str:
    """ "3 s", "2.5 s"."""
    value = ms / 1000
    return f"{value:g} s" if value == round(value, 1) else f"{value:.2f} s"


def duration(ms: int) -> str:
    """ "45 s", "2 min 05 s"."""
    total = round(ms / 1000)
    if total < 60:
        return f"{total} s"
    return f"{total // 60} min {total % 60:02d} s"


def eccentric_ms(record: SessionRecord) -> int:
    """Lowering time under tension: the lowering of every complete rep."""
    return sum(r.actual(Phase.ECCENTRIC) for s in record.sets for r in s.reps if r.complete)


def load_text(load: float | None, unit: str) -> str:
    return "no load" if load is None else f"{load + 0.0:g} {unit}"  # -0.0 + 0.0 is 0.0: not "-0"


def _cells(rep: RepRecord, phases: tuple[Phase, ...] = _REP_PHASES) -> list[str]:
    """Lowering done, lowering planned, then hold, lift (or reset) and pause done ("-" for
    none)."""
    cells = []
    for phase in phases:
        times = [p for p in rep.phases if p.phase is phase]
        cells.append(seconds(sum(p.actual_ms for p in times)) if times else "-")
        if phase is Phase.ECCENTRIC:
            cells.append(seconds(sum(p.planned_ms for p in times)) if times else "-")
    return cells


def _side_text(side: Side | None) -> str:
    return {Side.LEFT: "left", Side.RIGHT: "right"}.get(side, "") if side else ""


class Tap(str, Enum):
    """How a tapped lowering compares with the planned one."""

    ON_TEMPO = "on tempo"
    FAST = "fast"
    SLOW = "slow"
    MISSING = "missing tap"


def tap_verdict(rep: RepRecord) -> Tap:
    """On tempo within ``ON_TEMPO_TOLERANCE``, as ``SessionSummary`` counts it."""
    error = tap_error(rep)
    if error is None:
        return Tap.MISSING
    if error < -ON_TEMPO_TOLERANCE:
        return Tap.FAST
    if error > ON_TEMPO_TOLERANCE:
        return Tap.SLOW
    return Tap.ON_TEMPO


def tap_text(rep: RepRecord) -> str:
    """ "4.2 s of 5 s: fast", "5.1 s of 5 s: on tempo", "missing tap"; judged against the
    count cued for that lowering (``tap_error``), with the session's plan beside it when a
    live change made them differ ("5.1 s of 5 s (planned 4 s): on tempo")."""
    verdict = tap_verdict(rep)
    if verdict is Tap.MISSING or rep.lowering_tapped_ms is None:
        return Tap.MISSING.value
    tapped = seconds(rep.lowering_tapped_ms)  # not rounded: the verdict is on this value
    planned = rep.lowering_planned_ms
    cued = rep.lowering_cued_ms  # the count in force (a live change moves it)
    also = f" (planned {seconds(planned)})" if cued != planned else ""
    return f"{tapped} of {seconds(cued)}{also}: {verdict.value}"


def percent(part: int, whole: int) -> str:
    """ "88 %" (whole numbers; "0 %" of nothing)."""
    return f"{round(100 * part / whole) if whole else 0} %"


def adherence_text(on_tempo: int, taps: int, fast: int, missing: int) -> str:
    """ "7 of 8 tapped reps on tempo (88 %), 1 fast; 1 tap missing"."""
    if taps == 0:
        text = "no tap recorded"
    else:
        text = f"{on_tempo} of {taps} tapped reps on tempo ({percent(on_tempo, taps)})"
        slow = taps - on_tempo - fast
        parts = [f"{n} {word}" for n, word in ((fast, "fast"), (slow, "slow")) if n]
        if parts:
            text += ", " + ", ".join(parts)
    if missing:
        text += f"; {missing} tap{'s' * (missing != 1)} missing"
    return text


def set_adherence(s: SetRecord) -> str | None:
    """The set's tempo accuracy in a sentence, None for a set not in tap mode."""
    return _set_adherence(s) if s.tap_mode else None


def _set_adherence(s: SetRecord) -> str:
    counted = [r for r in s.reps if r.complete]
    verdicts = [tap_verdict(r) for r in counted]
    return adherence_text(
        verdicts.count(Tap.ON_TEMPO),
        len(verdicts) - verdicts.count(Tap.MISSING),
        verdicts.count(Tap.FAST),
        verdicts.count(Tap.MISSING),
    )


def set_lines(s: SetRecord) -> list[str]:
    tempo = s.tempo_planned
    if s.tempo_used != s.tempo_planned:
        tempo += f" → {s.tempo_used}"
    head = (
        f"Set {s.set_number}: {s.reps_done} of {s.reps_planned} reps · "
        f"{load_text(s.load, s.load_unit.value)} · tempo {tempo} · "
        f"time under tension {duration(s.time_under_tension_ms)}"
    )
    if s.side is not None:
        head += f" · {_side_text(s.side)} side"
    if s.ended_early:
        head += " · ended early"
    if s.negative_only:
        head += f" · {NEGATIVE_ONLY}"
    headings = _NEGATIVE_HEADINGS if s.negative_only else _HEADINGS
    phases = _NEGATIVE_PHASES if s.negative_only else _REP_PHASES
    heading = "  rep  side   " + "  ".join(f"{h:<9}" for h in headings)
    if s.tap_mode:
        heading += "  tapped"
    lines = [head, heading.rstrip()]
    changes = {c.rep: c for c in s.live_changes}
    for rep in s.reps:
        cells = "  ".join(f"{cell:<9}" for cell in _cells(rep, phases))
        line = f"  {rep.rep:>3}  {_side_text(rep.side):<5}  {cells}"
        if s.tap_mode:
            line += f"  {tap_text(rep)}"
        line = line.rstrip()
        if not rep.complete:
            line += "  (cut short, not counted)"
        change = changes.get(rep.rep)
        if change is not None:
            line += f"  ← {seconds(change.to_ms)} from here (was {seconds(change.from_ms)})"
        lines.append(line)
    for rep_number, change in sorted(changes.items()):
        if all(r.rep != rep_number for r in s.reps):
            lines.append(
                f"  (lowering {seconds(change.from_ms)} → {seconds(change.to_ms)} from rep "
                f"{rep_number}, not reached)"
            )
    if s.negative_only:
        lines.append(
            "  Negative-only: a reset in place of each lift, cued but not time under tension."
        )
    if s.tap_mode:
        lines.append(f"  Tempo: {_set_adherence(s)} (on tempo: within {tolerance_text()}).")
    return lines


def tolerance_text() -> str:
    return f"±{round(ON_TEMPO_TOLERANCE * 100)} % of the lowering count"


def session_adherence(summary: SessionSummary) -> str | None:
    """The session's tempo accuracy in a sentence, None without a set in tap mode."""
    if summary.taps == 0 and summary.taps_missing == 0:
        return None
    return adherence_text(
        summary.taps_on_tempo, summary.taps, summary.taps_fast, summary.taps_missing
    )


def session_text(record: SessionRecord) -> str:
    """The whole session, for the detail view and the clipboard."""
    reps = sum(s.reps_done for s in record.sets)
    when = record.started_at[:16].replace("T", " ") if record.started_at else "undated"
    lines = [f"{record.exercise_name}, {when}"]
    planned = record.planned
    if planned is not None:
        plan = f"Planned: {planned.tempo}, {planned.sets} × {planned.reps} reps"
        if planned.rest_ms is not None:
            plan += f", rest {seconds(planned.rest_ms)}"
        if planned.count_in_ms is not None:
            plan += f", count-in {seconds(planned.count_in_ms)}"
        if planned.negative_only:
            plan += f", {NEGATIVE_ONLY}"
        if planned.tap_mode:
            plan += ", tapping the end of each lowering"
        lines.append(plan)
    negative = sum(1 for s in record.sets if s.negative_only)
    sets = f"{len(record.sets)} sets" + (f" ({negative} {NEGATIVE_ONLY})" if negative else "")
    lines.append(
        f"Done: {sets}, {reps} reps, time under tension "
        f"{duration(record.time_under_tension_ms)} (lowering {duration(eccentric_ms(record))})"
    )
    adherence = session_adherence(SessionSummary.of(record))
    if adherence is not None:
        lines.append(f"Tempo: {adherence} (on tempo: within {tolerance_text()})")
    if record.soreness is not None:
        lines.append(f"Soreness at the start: {record.soreness} of 10")
    if record.rpe is not None:
        lines.append(f"RPE {record.rpe}")
    if record.note:
        lines.append(f"Note: {record.note}")
    if not record.finished:
        lines.append("Not finished (kept from an interrupted session)")
    for s in record.sets:
        lines.append("")
        lines.extend(set_lines(s))
    return "\n".join(lines) + "\n"
