"""history/index.json: the History tab's summaries without decoding every rep, and never at
the cost of a month file (stale, damaged, foreign or newer indexes; a kill between a month's
write and the index's; read-only stores)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tempo_coach.core.records import SessionRecord, SessionSummary
from tempo_coach.store import Store
from tempo_coach.store import files as files_module
from tempo_coach.store import history as history_module
from tempo_coach.store.migrations import SCHEMA_VERSION
from tests.store.conftest import make_coached_session, make_session
from tests.store.test_codec import SETTINGS, session_records

ROOT = Path(__file__).resolve().parents[2]

MARCH = make_session("march", "2026-03-01T10:00:00+01:00")
MARCH_2 = make_session("march-2", "2026-03-08T10:00:00+01:00", sets=3)
APRIL = make_session("april", "2026-04-02T10:00:00+02:00", exercise_id="cable-row")


def exact(store: Store) -> list[SessionSummary]:
    """The summaries as the contract defines them: of the full records."""
    return [SessionSummary.of(r) for r in store.history()]


def index_of(folder: Path) -> Path:
    return folder / "history" / "index.json"


def saved(folder: Path, *records: SessionRecord) -> None:
    """Save these sessions and close (which writes the index)."""
    with Store.open(folder) as store:
        for record in records:
            store.save_session(record)


def age_index(folder: Path) -> None:
    """Make the month files clearly older than the index, as they are a moment after a
    save on a real machine (file times are coarse; see Store._trusted)."""
    for path in (folder / "history").glob("*.json"):
        if path.name != "index.json":
            status = path.stat()
            os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns - 10**9))
    saved(folder)  # nothing new: the months are decoded again and the index rewritten


@pytest.fixture
def decoded_months(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The month files the store decodes (every read of a history file)."""
    months: list[str] = []
    real = files_module.read_document

    def counting(path: Path, kind: str, *args: Any, **kwargs: Any) -> Any:
        if kind == "history":
            months.append(path.stem)
        return real(path, kind, *args, **kwargs)

    monkeypatch.setattr(files_module, "read_document", counting)
    return months


def test_the_index_is_written_at_close_and_used_at_open(
    store_dir: Path, decoded_months: list[str]
) -> None:
    with Store.open(store_dir) as store:
        store.save_session(MARCH)
        store.save_session(APRIL)
        assert not index_of(store_dir).exists()  # a save writes only its month
    document = json.loads(index_of(store_dir).read_bytes())
    assert (document["schema_version"], document["kind"]) == (SCHEMA_VERSION, "history-index")
    assert list(document["months"]) == ["2026-03", "2026-04"]
    age_index(store_dir)
    decoded_months.clear()
    with Store.open(store_dir) as store:
        assert store.summaries() == [SessionSummary.of(MARCH), SessionSummary.of(APRIL)]
        assert decoded_months == []  # nothing decoded to list them
        assert store.history() == [MARCH, APRIL]
        assert store.summaries() == exact(store)
        assert store.problems == []


def test_last_used_and_session_decode_only_the_month_they_need(
    store_dir: Path, decoded_months: list[str]
) -> None:
    saved(store_dir, MARCH, MARCH_2, APRIL)
    age_index(store_dir)
    decoded_months.clear()
    with Store.open(store_dir) as store:
        used = store.last_used("barbell-squat")
        assert used is not None and used.sets == 3  # march-2, the later squat session
        assert decoded_months == ["2026-03"]
        assert store.session("april") == APRIL
        assert store.session("nobody") is None
        assert decoded_months == ["2026-03", "2026-04"]


def test_a_month_changed_behind_the_index_is_decoded(store_dir: Path) -> None:
    saved(store_dir, MARCH, APRIL)
    age_index(store_dir)
    march = store_dir / "history" / "2026-03.json"
    before = march.stat()
    # Same size, other content (rpe 7 -> 8), a later modification time.
    changed = march.read_bytes().replace(b'"rpe":7', b'"rpe":8', 1)
    assert len(changed) == before.st_size
    march.write_bytes(changed)
    os.utime(march, ns=(before.st_atime_ns, before.st_mtime_ns + 10**9))
    with Store.open(store_dir) as store:
        assert [s.rpe for s in store.summaries()] == [8, 7]
        assert store.summaries() == exact(store)
        assert store.problems == []


def test_a_month_changed_within_the_clock_tick_of_the_index_is_decoded(
    store_dir: Path,
) -> None:
    """File times are coarse: a month rewritten (same size) in the same tick as the index
    keeps its time. Then its time is not older than the index, so it is not trusted."""
    saved(store_dir, MARCH, APRIL)
    march = store_dir / "history" / "2026-03.json"
    before = march.stat()
    march.write_bytes(march.read_bytes().replace(b'"rpe":7', b'"rpe":9', 1))
    os.utime(march, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.utime(index_of(store_dir), ns=(before.st_atime_ns, before.st_mtime_ns))
    with Store.open(store_dir) as store:
        assert [s.rpe for s in store.summaries()] == [9, 7]


def test_a_month_added_and_a_month_removed_behind_the_index(
    store_dir: Path, tmp_path: Path
) -> None:
    saved(store_dir, MARCH, APRIL)
    elsewhere = tmp_path / "elsewhere"
    may = make_session("may", "2026-05-03T10:00:00+02:00")
    saved(elsewhere, may)
    (elsewhere / "history" / "2026-05.json").rename(store_dir / "history" / "2026-05.json")
    (store_dir / "history" / "2026-04.json").unlink()
    (store_dir / "history" / "2026-04.json.bak").unlink(missing_ok=True)
    with Store.open(store_dir) as store:
        assert [s.session_id for s in store.summaries()] == ["march", "may"]
        assert store.summaries() == exact(store)
    document = json.loads(index_of(store_dir).read_bytes())
    assert list(document["months"]) == ["2026-03", "2026-05"]  # rewritten at close


def _garbage(path: Path) -> None:
    path.write_bytes(b"\x00\xff not an index")


def _truncated(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:-40])


def _wrong_kind(path: Path) -> None:
    path.write_text(json.dumps({"schema_version": SCHEMA_VERSION, "kind": "history"}))


def _wrong_types(path: Path) -> None:
    document = json.loads(path.read_bytes())
    document["columns"]["reps_done"] = ["many"] * len(document["columns"]["reps_done"])
    path.write_text(json.dumps(document))


def _lies(path: Path) -> None:
    """Well formed but pointing past its tables."""
    document = json.loads(path.read_bytes())
    document["columns"]["exercise"] = [99] * len(document["columns"]["exercise"])
    path.write_text(json.dumps(document))


def _older(path: Path) -> None:
    document = json.loads(path.read_bytes())
    document["schema_version"] = 1
    path.write_text(json.dumps(document))


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _nul_block(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[:50] + b"\x00" * 4096 + data[50:])


def _deeply_nested(path: Path) -> None:
    path.write_bytes(b'{"schema_version": 2, "kind": "history-index", "months": ' + b"[" * 200_000)


def _column_set(name: str, value: Any) -> Any:
    def damage(path: Path) -> None:
        document = json.loads(path.read_bytes())
        document["columns"][name] = [value] * len(document["columns"][name])
        path.write_text(json.dumps(document))

    return damage


def _table_set(name: str, value: Any) -> Any:
    """Every session's row of ``name`` made 0, and the table replaced by ``value``."""

    def damage(path: Path) -> None:
        document = json.loads(path.read_bytes())
        document[name] = value
        document["columns"][name] = [0] * len(document["columns"][name])
        path.write_text(json.dumps(document))

    return damage


def _load_rows(change: Any) -> Any:
    """Every row of the "load_rows" table replaced by ``change(row)``."""

    def damage(path: Path) -> None:
        document = json.loads(path.read_bytes())
        document["load_rows"] = [change(row) for row in document["load_rows"]]
        path.write_text(json.dumps(document))

    return damage


def _layout_of(key: str, value: Any) -> Any:
    """The document's ``key`` set to ``value`` (None: removed)."""

    def damage(path: Path) -> None:
        document = json.loads(path.read_bytes())
        if value is None:
            del document[key]
        else:
            document[key] = value
        path.write_text(json.dumps(document))

    return damage


def _format_3(path: Path) -> None:
    """An index as format 3 wrote it: without the coaching columns."""
    document = json.loads(path.read_bytes())
    document["schema_version"] = 3
    for name in ("negative_only_sets", "taps", "taps_on_tempo", "taps_fast", "taps_missing"):
        del document["columns"][name]
    del document["columns"]["soreness"]
    path.write_text(json.dumps(document))


DAMAGED_INDEX = {
    "soreness out of range": _column_set("soreness", 11),
    "soreness not a number": _column_set("soreness", "3"),
    "taps negative": _column_set("taps", -1),
    "taps_missing a float": _column_set("taps_missing", 1.5),
    "negative_only_sets a bool": _column_set("negative_only_sets", True),
    "coaching column missing": _column_set("taps_fast", None),
    "format 3": _format_3,
    "set row out of the table": _column_set("set_rows", 99),
    "set rows not a table": _table_set("set_rows", {"a": 1}),
    "set row of the wrong length": _table_set("set_rows", [[[5], [False], [0]]]),
    "set row with a negative count": _table_set(
        "set_rows", [[[-5, 5], [False, False], [0, 0], ["kg", "kg"]]]
    ),
    "set row with an unknown unit": _table_set(
        "set_rows", [[[5, 5], [False, False], [0, 0], ["kg", "st"]]]
    ),
    "set row with a tempo out of range": _table_set(
        "set_rows", [[[5, 5], [False, False], [0, 99], ["kg", "kg"]]]
    ),
    "a set load below 0": _load_rows(lambda row: [-1.0] * len(row)),
    "a set load as text": _load_rows(lambda row: ["60"] * len(row)),
    "a set load infinite": _load_rows(lambda row: [1e999] * len(row)),
    "a load row one set short": _load_rows(lambda row: row[:-1]),
    "a load row not a list": _load_rows(lambda row: {"a": 1}),
    "load rows not a table": _layout_of("load_rows", {"a": 1}),
    "no load rows": _layout_of("load_rows", None),
    "load row out of the table": _column_set("set_load_rows", 99),
    "load row a float": _column_set("set_load_rows", 0.0),
    "a load too large for a float": _load_rows(lambda row: [10**400] * len(row)),
    "a top load too large for a float": _column_set("top_load", 10**400),
    "layout as a float": _layout_of("layout", 2.0),
    "no layout (before load rows)": _layout_of("layout", None),
    "another layout": _layout_of("layout", 3),
    "set row lists of unequal length": _table_set(
        "set_rows", [[[5, 5], [False], [0, 0], ["kg", "kg"]]]
    ),
    "empty": _empty,
    "NUL block": _nul_block,
    "deeply nested": _deeply_nested,
    "garbage": _garbage,
    "truncated": _truncated,
    "wrong kind": _wrong_kind,
    "wrong types": _wrong_types,
    "references out of range": _lies,
    "older format": _older,
}


@pytest.mark.parametrize("damage", list(DAMAGED_INDEX))
def test_a_damaged_index_is_ignored_and_rebuilt_quietly(damage: str, store_dir: Path) -> None:
    saved(store_dir, MARCH, APRIL)
    DAMAGED_INDEX[damage](index_of(store_dir))
    damaged = index_of(store_dir).read_bytes()
    with Store.open(store_dir) as store:
        assert store.problems == []  # derived data: nothing was lost, nothing to report
        assert not store.read_only
        assert store.summaries() == [SessionSummary.of(MARCH), SessionSummary.of(APRIL)]
    assert list((store_dir / "history").glob("index.json.corrupt-*")) == []
    rewritten = index_of(store_dir).read_bytes()
    assert rewritten != damaged  # not used: rebuilt from the months
    document = json.loads(rewritten)
    assert document["kind"] == "history-index"
    assert list(document["months"]) == ["2026-03", "2026-04"]
    from tempo_coach.store.index import decode_index

    assert decode_index(document, 0).months["2026-04"][1] == [SessionSummary.of(APRIL)]


def test_an_index_from_a_newer_version_is_ignored_and_not_rewritten(store_dir: Path) -> None:
    saved(store_dir, MARCH)
    path = index_of(store_dir)
    path.write_text(
        json.dumps({"schema_version": SCHEMA_VERSION + 1, "kind": "history-index", "x": 1})
    )
    newer = path.read_bytes()
    with Store.open(store_dir) as store:
        assert not store.read_only  # only the index is newer; the months are ours
        assert store.problems == []
        store.save_session(APRIL)
        assert store.summaries() == [SessionSummary.of(MARCH), SessionSummary.of(APRIL)]
    assert path.read_bytes() == newer


def test_the_months_stay_the_truth_against_an_index_that_lies(store_dir: Path) -> None:
    """An index that claims a month is empty, with the month file's real stamp."""
    saved(store_dir, MARCH, APRIL)
    age_index(store_dir)
    document = json.loads(index_of(store_dir).read_bytes())
    # April's rows removed (and its count set to 0) but its size and time kept: a lying
    # index. The stamp matches, so this is trusted: the one case the design accepts,
    # because only this store writes the index. Documented in docs/STORE.md.
    size, mtime_ns, count = document["months"]["2026-04"]
    for column in document["columns"].values():
        del column[len(column) - count :]
    document["months"]["2026-04"] = [size, mtime_ns, 0]
    index_of(store_dir).write_text(json.dumps(document))
    with Store.open(store_dir) as store:
        assert [s.session_id for s in store.summaries()] == ["march"]
        # ... but the full history is read from the months themselves, and reading a month
        # corrects its summaries.
        assert [s.session_id for s in store.history()] == ["march", "april"]
        assert store.summaries() == exact(store)
    with Store.open(store_dir) as store:
        assert [s.session_id for s in store.summaries()] == ["march", "april"]


def test_a_read_only_store_never_writes_the_index(store: Store, store_dir: Path) -> None:
    store.save_session(MARCH)
    with Store.open(store_dir) as second:
        assert second.read_only
        assert second.summaries() == [SessionSummary.of(MARCH)]
    assert not index_of(store_dir).exists()


def test_a_month_from_a_newer_version_keeps_the_store_read_only_at_every_open(
    store_dir: Path,
) -> None:
    saved(store_dir, MARCH, APRIL)
    march = store_dir / "history" / "2026-03.json"
    document = json.loads(march.read_bytes())
    document["schema_version"] = SCHEMA_VERSION + 1
    march.write_text(json.dumps(document), encoding="utf-8")
    index_before = index_of(store_dir).read_bytes()
    for _ in range(2):
        with Store.open(store_dir) as store:
            assert store.read_only and "newer" in (store.read_only_reason or "")
            assert [s.session_id for s in store.summaries()] == ["march", "april"]
    assert index_of(store_dir).read_bytes() == index_before


def test_a_failed_index_write_between_month_and_index_is_harmless(
    store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a kill between the month's write and the index's leaves: the month is new, the
    index describes its previous version."""
    saved(store_dir, MARCH, APRIL)
    age_index(store_dir)
    old_index = index_of(store_dir).read_bytes()
    real_write = files_module.atomic_write

    def no_index(path: Path, data: bytes, **kwargs: Any) -> os.stat_result:
        if path.name == "index.json":
            raise OSError(28, "No space left on device")
        return real_write(path, data, **kwargs)

    monkeypatch.setattr(files_module, "atomic_write", no_index)
    with Store.open(store_dir) as store:
        store.save_session(MARCH_2)
        store.save_session(replace(APRIL, rpe=3))
    assert index_of(store_dir).read_bytes() == old_index  # the write failed, quietly
    monkeypatch.setattr(files_module, "atomic_write", real_write)
    with Store.open(store_dir) as store:
        assert store.problems == []
        assert [s.session_id for s in store.summaries()] == ["march", "march-2", "april"]
        assert store.summaries()[-1].rpe == 3
        assert store.summaries() == exact(store)


KILLED = """
import os, sys
from pathlib import Path
from tempo_coach.store import Store
from tests.store.conftest import make_coached_session, make_session
store = Store.open(Path(sys.argv[1]))
store.save_session(make_session("killed", "2026-04-20T10:00:00+02:00", sets=4))
os._exit(0)  # no close(): the month is saved, the index is not
"""


def test_a_process_that_dies_after_saving_leaves_a_stale_but_harmless_index(
    store_dir: Path,
) -> None:
    saved(store_dir, MARCH, APRIL)
    age_index(store_dir)
    subprocess.run(
        [sys.executable, "-c", KILLED, str(store_dir)],
        check=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    with Store.open(store_dir) as store:
        assert [s.session_id for s in store.summaries()] == ["march", "april", "killed"]
        assert store.summaries()[-1].sets == 4
        assert store.summaries() == exact(store)


def test_the_index_is_written_at_open_when_many_months_had_to_be_decoded(
    store_dir: Path,
) -> None:
    months = history_module.INDEX_AT_OPEN_AFTER_MONTHS + 1
    records = [make_session(f"m{m}", f"2025-{m:02d}-03T10:00:00+01:00") for m in range(1, 13)]
    with Store.open(store_dir) as store:
        store.save_sessions(records[:months])
    index_of(store_dir).unlink()
    with Store.open(store_dir) as store:
        assert index_of(store_dir).exists()  # before close
        assert len(store.summaries()) == months
    index_of(store_dir).unlink()
    (store_dir / "history" / "2025-01.json").unlink()  # now only INDEX_AT_OPEN... months
    with Store.open(store_dir) as store:
        assert not index_of(store_dir).exists()  # a few months wait for close()
    assert index_of(store_dir).exists()


# -- the contract, for generated histories -----------------------------------------------------

DATES = [
    "2025-12-31T23:00:00+01:00",
    "2026-01-02T07:30:00+01:00",
    "2026-01-02T07:30:00+01:00",  # two sessions at the same minute: the order must hold
    "2026-02-10T18:00:00+01:00",
    "not a date",
]


@st.composite
def histories(draw: st.DrawFn) -> list[SessionRecord]:
    records = draw(st.lists(session_records(), max_size=6))
    return [
        replace(r, session_id=f"{number}-{r.session_id}", started_at=draw(st.sampled_from(DATES)))
        for number, r in enumerate(records)
    ]


@settings(SETTINGS, max_examples=40)
@given(first=histories(), later=histories())
def test_summaries_always_equal_the_summaries_of_the_full_records(
    first: list[SessionRecord], later: list[SessionRecord]
) -> None:
    later = [replace(r, session_id=f"later-{r.session_id}") for r in later]
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "data"
        with Store.open(folder) as store:
            store.save_sessions(first)
            assert store.summaries() == exact(store)
        with Store.open(folder) as store:  # from the index
            assert store.summaries() == exact(store)
            for record in later:
                store.save_session(record)
            summaries = store.summaries()
            assert summaries == exact(store)
        with Store.open(folder) as store:  # from the index, some months stale or racy
            assert store.summaries() == summaries
            assert [s.session_id for s in summaries] == [r.session_id for r in store.history()]


def test_summaries_from_the_index_are_real_frozen_summaries(store_dir: Path) -> None:
    """They are built from the columns in FIELDS order: that order must be the summary's,
    or fields would be swapped."""
    from tempo_coach.store import index

    assert SessionSummary._fields == index.FIELDS
    saved(store_dir, MARCH)
    age_index(store_dir)
    with Store.open(store_dir) as store:
        [summary] = store.summaries()
        assert store._history._months["2026-03"].records is None  # from the index, not decoded
    made = SessionSummary.of(MARCH)
    assert type(summary) is SessionSummary
    assert summary == made and hash(summary) == hash(made)
    assert summary._asdict() == made._asdict()
    with pytest.raises(AttributeError):
        summary.sets = 9  # type: ignore[misc]


def test_a_load_above_todays_limit_read_from_an_old_month_stays_in_the_index(
    store_dir: Path,
) -> None:
    """Reading keeps any finite load (format 2 allowed up to 100,000); so must the index,
    or such a month would be decoded again at every start."""
    heavy = make_session("heavy", "2026-03-01T10:00:00+01:00", load=100.0)
    saved(store_dir, heavy, APRIL)
    march = store_dir / "history" / "2026-03.json"
    march.write_bytes(march.read_bytes().replace(b"100.0", b"5000.0"))
    saved(store_dir)  # decodes the changed month, writes the index
    age_index(store_dir)
    with Store.open(store_dir) as store:
        assert store._history._months["2026-03"].records is None  # from the index
        assert store.summaries()[0].top_load == 5000.0
        assert store.summaries() == exact(store)
        assert store.problems == []


def test_the_coaching_fields_come_from_the_index(store_dir: Path) -> None:
    coached = make_coached_session("coached", "2026-03-20T18:00:00+01:00")
    saved(store_dir, MARCH, coached)
    age_index(store_dir)
    columns = json.loads(index_of(store_dir).read_bytes())["columns"]
    assert columns["soreness"] == [None, 3]
    assert [columns["taps"], columns["taps_on_tempo"], columns["taps_fast"]] == [
        [0, 4],
        [0, 2],
        [0, 1],
    ]
    assert (columns["taps_missing"], columns["negative_only_sets"]) == ([0, 1], [0, 1])
    with Store.open(store_dir) as store:
        summaries = store.summaries()
        assert store._history._months["2026-03"].records is None  # from the index
    assert summaries == [SessionSummary.of(MARCH), SessionSummary.of(coached)]


def test_a_layout_2_index_is_not_a_layout_1_index(store_dir: Path) -> None:
    """Layout 1 (before issue 15) read every set's load from a column "set_loads". Layout 2
    keeps positions into "load_rows" under another name, so that a Tempo Coach of layout 1
    finds no "set_loads" and rebuilds the index, instead of reading the positions 0, 1, 2
    as loads when there happen to be as many sessions as sets."""
    saved(store_dir, MARCH, APRIL)
    document = json.loads(index_of(store_dir).read_bytes())
    assert document["layout"] == 2
    assert "set_loads" not in document["columns"]
    assert len(document["columns"]["set_load_rows"]) == len(document["columns"]["sets"])


def test_zero_and_minus_zero_loads_each_read_back_as_they_were(store_dir: Path) -> None:
    """Equal load rows are kept once, but 0.0 == -0.0: the index must not give a session
    the other's sign (a table would then print "-0 kg" for a load of 0)."""
    import math

    minus = make_session("minus", "2026-03-10T10:00:00+01:00", load=-0.0)
    plus = make_session("plus", "2026-03-01T10:00:00+01:00", load=0.0)
    saved(store_dir, minus, plus)
    age_index(store_dir)
    with Store.open(store_dir) as store:
        by_id = {s.session_id: s for s in store.summaries()}
        assert store._history._months["2026-03"].records is None  # from the index
    signs = {i: {math.copysign(1.0, x) for x in s.set_loads} for i, s in by_id.items()}
    assert signs == {"minus": {-1.0}, "plus": {1.0}}
    top = by_id["minus"].top_load
    assert top is not None and math.copysign(1.0, top) == -1.0
    # Exactly SessionSummary.of, sign and all (repr tells -0.0 from 0.0; == does not).
    assert repr(by_id["minus"]) == repr(SessionSummary.of(minus))
    assert repr(by_id["plus"]) == repr(SessionSummary.of(plus))


def test_the_index_reads_back_exactly_what_it_was_given() -> None:
    """encode_index then decode_index, by repr (which tells -0.0 from 0.0 and 1 from 1.0):
    no months, a month without sessions, a session without sets, body weight, zeros of
    both signs, pounds, and sessions that share their set rows and load rows."""
    from tempo_coach.store.index import decode_index, encode_index

    assert decode_index(encode_index([]), 0).months == {}
    no_sets = replace(make_session("none", "2026-05-01T10:00:00+02:00"), sets=())
    sessions = [
        make_session("a", "2026-05-02T10:00:00+02:00", load=None),
        make_session("b", "2026-05-03T10:00:00+02:00", load=-0.0),
        make_session("c", "2026-05-04T10:00:00+02:00", load=0.0),
        make_session("d", "2026-05-05T10:00:00+02:00", load=0.0),
        make_session("e", "2026-05-06T10:00:00+02:00", load=135.0, sets=3),
        make_coached_session("f", "2026-05-07T10:00:00+02:00"),
        no_sets,
    ]
    summaries = [SessionSummary.of(s) for s in sessions]
    months = [("2026-04", (0, 1), []), ("2026-05", (10, 2), summaries)]
    document = json.loads(json.dumps(encode_index(months)))  # through the file's JSON
    read = decode_index(document, 3).months
    assert list(read) == ["2026-04", "2026-05"]
    assert read["2026-04"] == ((0, 1), [])
    assert read["2026-05"][0] == (10, 2)
    assert [repr(s) for s in read["2026-05"][1]] == [repr(s) for s in summaries]
    rows = [repr(row) for row in document["load_rows"]]
    assert rows.count("[-0.0, -0.0]") == 1 and rows.count("[0.0, 0.0]") == 1  # c and d share
    assert len(rows) == len(set(rows)) and "[]" in rows
