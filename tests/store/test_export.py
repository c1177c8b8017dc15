"""The CSV export (store/export.py) and Store.export_csv: the pinned columns, one row per set,
formula-safe text, numbers as numbers, and an atomic file."""

from __future__ import annotations

import csv
import errno
import io
import os
from dataclasses import replace
from pathlib import Path

import pytest

from tempo_coach.core.exercise import Side
from tempo_coach.store import Store, StoreError
from tempo_coach.store.export import CSV_COLUMNS, safe_text, write_csv
from tests.store.conftest import make_session

PINNED_HEADER = (
    "date,session_id,exercise_id,exercise,set,side,tempo_planned,tempo_used,reps_planned,"
    "reps_done,ended_early,load,load_unit,time_under_tension_s,rpe,note,finished,"
    "planned_tempo,planned_reps,planned_sets,planned_rest_s,planned_count_in_s,"
    "planned_side_mode,set_type,lowering_tapped_s,taps,taps_on_tempo,taps_missing"
)


def csv_text(records: list) -> str:  # type: ignore[type-arg]
    stream = io.StringIO()
    write_csv(records, stream)
    return stream.getvalue()


def test_the_columns_are_the_documented_ones_in_order() -> None:
    """docs/HISTORY.md and README.md list these; other programs read them by name and
    position, so a new column goes at the end and none is renamed or moved."""
    assert csv_text([]) == PINNED_HEADER + "\n"
    assert list(CSV_COLUMNS) == PINNED_HEADER.split(",")
    # planned and done side by side, as a spreadsheet compares them
    assert CSV_COLUMNS.index("tempo_used") == CSV_COLUMNS.index("tempo_planned") + 1
    assert CSV_COLUMNS.index("reps_done") == CSV_COLUMNS.index("reps_planned") + 1


def test_one_row_per_set_with_numbers_as_numbers() -> None:
    session = make_session("a", "2026-03-01T10:00:00+01:00", sets=2, load=62.5)
    heavy_side = replace(session.sets[1], side=Side.LEFT, ended_early=True)
    session = replace(session, sets=(session.sets[0], heavy_side))
    lines = csv_text([session]).splitlines()
    assert lines[1] == (
        "2026-03-01T10:00:00+01:00,a,barbell-squat,Eccentric barbell squat,1,,3-1-1-0,"
        "3-1-1-0,3,3,no,62.5,kg,15,7,felt strong,yes,3-1-1-0,3,2,120,,,normal,,,,"
    )
    assert lines[2].split(",")[4:12] == ["2", "left", "3-1-1-0", "4-1-1-0", "3", "3", "yes", "62.5"]
    assert lines[2].split(",")[13] == "18"  # 3 reps x (4 + 1 + 1 + 0) s


def test_the_set_type_and_the_tapped_lowering_of_each_rep() -> None:
    """#14: a negative-only set says so; a set in tap mode gives each complete rep's tapped
    lowering (an empty place: a missing tap, never guessed) and the counts (±20 %)."""
    session = make_session("a", "2026-03-01T10:00:00+01:00", sets=2, reps=3)
    first, second = session.sets  # lowerings planned 3 s
    taps = (3100, None, 2000)  # on tempo, missing, fast
    tapped = replace(
        first,
        tap_mode=True,
        reps=tuple(replace(r, lowering_tapped_ms=t) for r, t in zip(first.reps, taps, strict=True)),
    )
    session = replace(session, sets=(tapped, replace(second, negative_only=True)))
    rows = list(csv.DictReader(io.StringIO(csv_text([session]))))
    coaching = ("set_type", "lowering_tapped_s", "taps", "taps_on_tempo", "taps_missing")
    assert [tuple(row[c] for c in coaching) for row in rows] == [
        ("normal", "3.1;;2", "2", "1", "1"),
        ("negative-only", "", "", "", ""),
    ]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+2", "'+1+2"),
        ("-5 kg next time", "'-5 kg next time"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\ncmd"),  # a line break in a cell is written as LF
        ("knee fine = good", "knee fine = good"),  # only the first character counts
        ("5-3 felt easy", "5-3 felt easy"),
        ("", ""),
    ],
)
def test_a_text_a_spreadsheet_would_run_is_made_safe(text: str, written: str) -> None:
    assert safe_text(text) == written.replace("\n", "\r")
    session = replace(make_session("a"), note=text)
    row = next(csv.DictReader(io.StringIO(csv_text([session]))))
    assert row["note"] == written
    assert row["load"] == "60" and row["rpe"] == "7"  # numbers never get a quote


def test_every_text_column_is_made_safe() -> None:
    evil = "=1+1"
    session = make_session(evil, evil, exercise_id=evil, exercise_name=evil)
    session = replace(
        session,
        note=evil,
        sets=tuple(
            replace(s, tempo_planned=evil, tempo_used=evil, started_at="") for s in session.sets
        ),
        planned=replace(session.planned, tempo=evil),  # type: ignore[arg-type]
    )
    rows = list(csv.reader(io.StringIO(csv_text([session]))))
    assert rows[1][:4] == ["'=1+1"] * 4  # date (the session's start), id, exercise id and name
    for row in rows:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)


def test_store_export_csv_writes_the_same_rows_to_a_file(store: Store, tmp_path: Path) -> None:
    sessions = [
        make_session("a", "2026-03-01T10:00:00+01:00"),
        make_session("b", "2026-04-01T10:00:00+02:00", sets=1),
        make_session("c", "2026-05-01T10:00:00+02:00"),
    ]
    for session in reversed(sessions):
        store.save_session(session)
    target = tmp_path / "sets.csv"
    store.export_csv(target)
    assert target.read_bytes() == csv_text(sessions).encode("utf-8")  # oldest first
    store.export_csv(target, session_ids=["c", "a"])
    assert target.read_bytes() == csv_text([sessions[0], sessions[2]]).encode("utf-8")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_an_unknown_session_id_writes_nothing(store: Store, tmp_path: Path) -> None:
    store.save_session(make_session("a"))
    with pytest.raises(StoreError, match="no saved session 'gone'"):
        store.export_csv(tmp_path / "sets.csv", session_ids=["a", "gone"])
    assert not (tmp_path / "sets.csv").exists()


def test_a_failed_export_leaves_the_file_there_unchanged(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save_session(make_session("a"))
    target = tmp_path / "sets.csv"
    target.write_bytes(b"the previous export")

    def disk_full(*args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(StoreError, match="The CSV export was not written: No space left"):
        store.export_csv(target)
    assert target.read_bytes() == b"the previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "sets.csv"]


def test_a_read_only_store_exports_what_it_shows(store: Store, store_dir: Path) -> None:
    store.save_session(make_session("a"))
    with Store.open(store_dir) as second:
        assert second.read_only
        second.export_csv(store_dir.parent / "sets.csv")
    assert (store_dir.parent / "sets.csv").read_text("utf-8").count("\n") == 3


def test_an_unavailable_store_exports_nothing(tmp_path: Path) -> None:
    store = Store.unavailable("the disk is gone", tmp_path / "data")
    with pytest.raises(StoreError, match="The CSV export was not written: the disk is gone"):
        store.export_csv(tmp_path / "sets.csv")
    assert list(tmp_path.iterdir()) == []


def test_line_breaks_in_a_note_stay_inside_its_cell() -> None:
    """The csv module does not quote a bare CR (with LF rows), and many readers end the row
    there: every line break in a cell is written as LF, which is quoted."""
    session = replace(make_session("a", sets=1), note="knee ok\r\nback ok\rhip ok\nall good")
    rows = list(csv.DictReader(io.StringIO(csv_text([session]), newline="")))
    assert len(rows) == 1
    assert rows[0]["note"] == "knee ok\nback ok\nhip ok\nall good"
    assert rows[0]["finished"] == "yes"
