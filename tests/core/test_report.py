"""core/report.py: a saved session as text, with tempo accuracy and negative-only sets."""

from __future__ import annotations

from dataclasses import replace

from tempo_coach.core.records import (
    PhaseTime,
    PlannedSession,
    RepRecord,
    SessionRecord,
    SetRecord,
)
from tempo_coach.core.report import (
    Tap,
    adherence_text,
    session_text,
    set_lines,
    tap_text,
    tap_verdict,
)
from tempo_coach.core.tempo import Phase


def rep(
    number: int,
    tapped: int | None = None,
    *,
    lowering: int = 5000,
    lift: Phase = Phase.CONCENTRIC,
    complete: bool = True,
) -> RepRecord:
    return RepRecord(
        1,
        number,
        None,
        (
            PhaseTime(Phase.ECCENTRIC, lowering, lowering),
            PhaseTime(Phase.PAUSE_AFTER_ECCENTRIC, 1000, 1000),
            PhaseTime(lift, 1000, 1000),
        ),
        complete,
        lowering_tapped_ms=tapped,
    )


def a_set(*reps: RepRecord, tap_mode: bool = False, negative_only: bool = False) -> SetRecord:
    return SetRecord(
        "barbell-squat",
        "Eccentric barbell squat",
        1,
        "2026-11-20T18:00:00+01:00",
        "5-1-1-0",
        "5-1-1-0",
        len(reps),
        reps,
        load=60.0,
        tap_mode=tap_mode,
        negative_only=negative_only,
    )


def a_session(*sets: SetRecord, **kw: object) -> SessionRecord:
    numbered = tuple(replace(s, set_number=i) for i, s in enumerate(sets, 1))
    return SessionRecord(
        "s1",
        "barbell-squat",
        "Eccentric barbell squat",
        "2026-11-20T18:00:00+01:00",
        numbered,
        **kw,  # type: ignore[arg-type]
    )


def test_a_tap_is_judged_within_twenty_percent_of_the_planned_lowering() -> None:
    assert tap_verdict(rep(1, 4000)) is Tap.ON_TEMPO  # -20 %: the edge is on tempo
    assert tap_verdict(rep(1, 3999)) is Tap.FAST
    assert tap_verdict(rep(1, 6000)) is Tap.ON_TEMPO  # +20 %
    assert tap_verdict(rep(1, 6001)) is Tap.SLOW
    assert tap_verdict(rep(1, None)) is Tap.MISSING
    assert tap_text(rep(1, 4200, lowering=6000)) == "4.2 s of 6 s: fast"
    assert tap_text(rep(1, 5100)) == "5.1 s of 5 s: on tempo"
    assert tap_text(rep(1, 3950)) == "3.95 s of 5 s: fast", "the value judged, not rounded"
    assert tap_text(rep(1, None)) == "missing tap"
    changed = replace(
        rep(1, 5100, lowering=4000),
        phases=(PhaseTime(Phase.ECCENTRIC, 4000, 5000), *rep(1).phases[1:]),
    )
    assert tap_text(changed) == "5.1 s of 5 s (planned 4 s): on tempo", "judged on the count cued"


def test_adherence_counts_missing_taps_apart() -> None:
    assert adherence_text(7, 8, 1, 1) == "7 of 8 tapped reps on tempo (88 %), 1 fast; 1 tap missing"
    assert adherence_text(2, 4, 1, 0) == "2 of 4 tapped reps on tempo (50 %), 1 fast, 1 slow"
    assert adherence_text(0, 0, 0, 3) == "no tap recorded; 3 taps missing"


def test_each_rep_of_a_tap_mode_set_shows_its_tap_and_the_set_its_adherence() -> None:
    s = a_set(
        rep(1, 5100),
        rep(2, 3500),
        rep(3, None),
        rep(4, 6500),
        rep(5, 2000, complete=False),
        tap_mode=True,
    )
    lines = set_lines(s)
    assert lines[1].endswith("tapped")
    assert lines[2].endswith("5.1 s of 5 s: on tempo")
    assert lines[3].endswith("3.5 s of 5 s: fast")
    assert lines[4].endswith("missing tap"), "a missing tap is shown as missing, not guessed"
    assert lines[5].endswith("6.5 s of 5 s: slow")
    assert lines[6].endswith("2 s of 5 s: fast  (cut short, not counted)")
    assert lines[-1] == (
        "  Tempo: 1 of 3 tapped reps on tempo (33 %), 1 fast, 1 slow; 1 tap missing "
        "(on tempo: within ±20 % of the lowering count)."
    ), "the rep cut short is not counted"


def test_a_set_without_tap_mode_shows_no_tap_column() -> None:
    lines = set_lines(a_set(rep(1), rep(2)))
    assert "tapped" not in lines[1] and "missing" not in "\n".join(lines)
    assert not any(line.startswith("  Tempo:") for line in lines)


def test_a_negative_only_set_shows_the_reset_and_leaves_it_out_of_tension() -> None:
    s = a_set(rep(1, lift=Phase.RESET), rep(2, lift=Phase.RESET), negative_only=True)
    lines = set_lines(s)
    # 2 reps of 5 s lowering + 1 s hold; the 1 s resets are not time under tension
    assert lines[0].endswith("time under tension 12 s · negative-only")
    assert lines[1].split() == ["rep", "side", "lower", "planned", "hold", "reset", "pause"]
    assert lines[2].split() == ["1", "5", "s", "5", "s", "1", "s", "1", "s", "-"]
    assert "Negative-only: a reset in place of each lift" in lines[-1]


def test_the_session_text_gives_adherence_negative_sets_and_the_plan() -> None:
    record = a_session(
        a_set(rep(1, 5000), rep(2, None), tap_mode=True),
        a_set(rep(1, 4000), rep(2, 3000), tap_mode=True),
        a_set(rep(1, lift=Phase.RESET), negative_only=True),
        planned=PlannedSession("5-1-1-0", 2, 3, negative_only=False, tap_mode=True),
        soreness=4,
    )
    text = session_text(record)
    assert "Planned: 5-1-1-0, 3 × 2 reps, tapping the end of each lowering" in text
    assert "Done: 3 sets (1 negative-only), 5 reps, time under tension 34 s" in text
    assert (
        "Tempo: 2 of 3 tapped reps on tempo (67 %), 1 fast; 1 tap missing "
        "(on tempo: within ±20 % of the lowering count)"
    ) in text.splitlines()
    assert "Soreness at the start: 4 of 10" in text


def test_a_session_without_taps_says_nothing_of_tempo_accuracy() -> None:
    text = session_text(a_session(a_set(rep(1), rep(2))))
    assert "Tempo:" not in text and "tap" not in text and "negative" not in text
