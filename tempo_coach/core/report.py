"""A saved session as plain text: what the History tab shows in its detail and copies.

Each set is a block, each rep a line with its lowering count; a live change is marked on the
rep it took effect from ("← 4 s from here"), so a change at rep 3 is seen at rep 3. Planned and
lowering is given as done and as planned (the plan as set up, before live changes); the other
phases as done.
"""

from __future__ import annotations

from tempo_coach.core.exercise import Side
from tempo_coach.core.records import RepRecord, SessionRecord, SetRecord
from tempo_coach.core.tempo import Phase

_REP_PHASES = (
    Phase.ECCENTRIC,
    Phase.PAUSE_AFTER_ECCENTRIC,
    Phase.CONCENTRIC,
    Phase.PAUSE_AFTER_CONCENTRIC,
)
_HEADINGS = ("lower", "planned", "hold", "lift", "pause")


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
    return "no load" if load is None else f"{load:g} {unit}"


def _cells(rep: RepRecord) -> list[str]:
    """Lowering done, lowering planned, then hold, lift and pause done ("-" for none)."""
    cells = []
    for phase in _REP_PHASES:
        times = [p for p in rep.phases if p.phase is phase]
        cells.append(seconds(sum(p.actual_ms for p in times)) if times else "-")
        if phase is Phase.ECCENTRIC:
            cells.append(seconds(sum(p.planned_ms for p in times)) if times else "-")
    return cells


def _side_text(side: Side | None) -> str:
    return {Side.LEFT: "left", Side.RIGHT: "right"}.get(side, "") if side else ""


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
    lines = [head, ("  rep  side   " + "  ".join(f"{h:<9}" for h in _HEADINGS)).rstrip()]
    changes = {c.rep: c for c in s.live_changes}
    for rep in s.reps:
        cells = "  ".join(f"{cell:<9}" for cell in _cells(rep))
        line = f"  {rep.rep:>3}  {_side_text(rep.side):<5}  {cells}".rstrip()
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
    return lines


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
        lines.append(plan)
    lines.append(
        f"Done: {len(record.sets)} sets, {reps} reps, time under tension "
        f"{duration(record.time_under_tension_ms)} (lowering {duration(eccentric_ms(record))})"
    )
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
