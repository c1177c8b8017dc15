"""``history/index.json``: one summary per session, so the History tab opens without reps.

The index holds nothing that is not in the month files: for each month file, the size and
modification time (``mtime_ns``) of the version it describes and the ``SessionSummary`` of
each of its sessions. ``Store.open`` uses a month's summaries only while the file still has
that size and time; any other month is decoded as it always was. So a missing, damaged,
foreign or stale index costs time, never data, and is simply rewritten.

The summaries are stored by column, not by row: ten years are 6,000 sessions, and checking
and building them column by column (``set(map(type, column))`` runs in C) takes a fraction of
what a row at a time does. Exercise names and tempos repeat, so they are kept once in a
table and referred to by number. See docs/STORE.md for the format and an example.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

from tempo_coach.core.summary import LoadUnit, SessionSummary
from tempo_coach.store.checked import (
    COUNT_MAX,
    MS_MAX,
    RPE_RANGE,
    SORENESS_RANGE,
    TEXT_MAX,
)
from tempo_coach.store.documents import MAX_FILE_BYTES, parse_json
from tempo_coach.store.entries import open_regular
from tempo_coach.store.migrations import SCHEMA_VERSION

INDEX_KIND = "history-index"

Stamp = tuple[int, int]  # (size, mtime_ns) of a month file

# Every field of SessionSummary, in order; the columns hold them (exercise_id and
# exercise_name together as "exercise", a number into the "exercises" table; tempo_used as
# "tempo", a number into the "tempos" table).
FIELDS = (
    "session_id",
    "exercise_id",
    "exercise_name",
    "started_at",
    "finished",
    "rpe",
    "note",
    "sets",
    "reps_done",
    "reps_planned",
    "time_under_tension_ms",
    "tempo_used",
    "top_load",
    "load_unit",
    "live_changes",
    "ended_early",
    "tempo_planned",
    "eccentric_ms",
    "negative_only_sets",
    "taps",
    "taps_on_tempo",
    "taps_fast",
    "taps_missing",
    "soreness",
    "set_reps",
    "set_ended_early",
    "set_tempos",
    "set_loads",
    "set_load_units",
)
# The fields that hold one value per set. Sessions repeat them (the same sets of the same reps
# and tempo, week after week; the same load for a few weeks), so they are kept once each in
# two tables: "set_rows", [reps, ended_early, tempos, units] (four lists, one value per set;
# tempos as numbers into "tempos"), and "load_rows", the loads (one list, one value per set).
# A session's "set_rows" and "set_load_rows" columns are numbers into them (ten years: 479 and
# 451 rows for 6,261 sessions). Every table is checked a whole column at a time, in C.
PER_SET = ("set_reps", "set_ended_early", "set_tempos", "set_loads", "set_load_units")
# The file's columns: FIELDS with exercise_id and exercise_name as one "exercise" number,
# tempo_used as a "tempo" number (both into tables of their own) and the PER_SET fields as
# one "set_rows" number.
COLUMNS = (
    *(
        {"exercise_id": "exercise", "tempo_used": "tempo"}.get(name, name)
        for name in FIELDS
        if name != "exercise_name" and name not in PER_SET
    ),
    "set_rows",
    "set_load_rows",
)
# The layout of the columns and tables within this schema_version: an index of another
# layout (written by an older or newer Tempo Coach of the same store format) is not used,
# and is rewritten, as any index that does not match.
LAYOUT = 2
_UNITS = {"kg": LoadUnit.KG, "lb": LoadUnit.LB}
_UNIT_TEXTS = {unit: text for text, unit in _UNITS.items()}
_TOTAL_MAX = COUNT_MAX * COUNT_MAX  # reps of all the sets of one session
_RPE_VALUES = {None, *range(RPE_RANGE[0], RPE_RANGE[1] + 1)}
_SORENESS_VALUES = {None, *range(SORENESS_RANGE[0], SORENESS_RANGE[1] + 1)}


class IndexNewer(Exception):
    """The index was written by a newer Tempo Coach: ignored, and never rewritten."""


# A named tuple, not a dataclass: Python generates a dataclass's methods at every start
# (about 0.5 ms each), and every store opening imports this module.
class Index(NamedTuple):
    """What the index file held: per month, the stamp it describes and its summaries."""

    months: dict[str, tuple[Stamp, list[SessionSummary]]]
    mtime_ns: int  # of the index file itself


# -- writing -----------------------------------------------------------------------------------


def _numbered(keys: Iterable[Any]) -> dict[Any, int]:
    """Each distinct key, numbered in the order first seen (dict.fromkeys runs in C)."""
    return {key: number for number, key in enumerate(dict.fromkeys(keys))}


def encode_index(months: Iterable[tuple[str, Stamp, list[SessionSummary]]]) -> dict[str, Any]:
    """The index document for these months (in the given order). Made a column at a time in
    C where it can be: the summaries are tuples, ``zip(*summaries)`` turns them into
    columns, and each table is numbered once and looked up with ``map`` (the field-by-field
    loop it replaced took ~25 ms for ten years, at every ``close()`` after a save)."""
    entries: dict[str, list[int]] = {}
    every: list[SessionSummary] = []
    for name, (size, mtime_ns), summaries in months:
        entries[name] = [size, mtime_ns, len(summaries)]
        every.extend(summaries)
    field = (
        dict(zip(FIELDS, zip(*every, strict=True), strict=True))
        if every
        else dict.fromkeys(FIELDS, ())
    )
    pairs = list(zip(field["exercise_id"], field["exercise_name"], strict=True))
    exercises = _numbered(pairs)
    # The per-set fields, each distinct combination once (the tempos as numbers, below).
    per_set = list(
        zip(
            field["set_reps"],
            field["set_ended_early"],
            field["set_tempos"],
            field["set_load_units"],
            strict=True,
        )
    )
    set_rows = _numbered(per_set)
    tempos = _numbered(
        chain(field["tempo_used"], field["tempo_planned"], *(row[2] for row in set_rows))
    )
    # Equal loads share a row, but 0.0 == -0.0: a row with a zero is told apart by its text
    # too, so that each summary reads back exactly as it was.
    load_keys = [
        loads if 0.0 not in loads else (loads, repr(loads)) for loads in field["set_loads"]
    ]
    load_rows = _numbered(load_keys)
    columns: dict[str, list[Any]] = {
        "exercise": list(map(exercises.__getitem__, pairs)),
        "tempo": list(map(tempos.__getitem__, field["tempo_used"])),
        "tempo_planned": list(map(tempos.__getitem__, field["tempo_planned"])),
        "load_unit": list(map(_UNIT_TEXTS.__getitem__, field["load_unit"])),
        "set_rows": list(map(set_rows.__getitem__, per_set)),
        "set_load_rows": list(map(load_rows.__getitem__, load_keys)),
    }
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": INDEX_KIND,
        "layout": LAYOUT,
        "months": entries,
        "exercises": [list(pair) for pair in exercises],
        "tempos": list(tempos),
        "set_rows": [
            [
                list(reps),
                list(early),
                list(map(tempos.__getitem__, set_tempos)),
                list(map(_UNIT_TEXTS.__getitem__, units)),
            ]
            for reps, early, set_tempos, units in set_rows
        ],
        # A key with its text is (loads, text); a plain key is the loads themselves.
        "load_rows": [
            list(key[0] if len(key) == 2 and type(key[1]) is str else key) for key in load_rows
        ],
        "columns": {
            name: columns[name] if name in columns else list(field[name]) for name in COLUMNS
        },
    }


# -- reading -----------------------------------------------------------------------------------


def _column(columns: dict[str, Any], name: str, count: int, types: set[type]) -> list[Any]:
    column = columns.get(name)
    if type(column) is not list or len(column) != count:
        raise ValueError(f"the index column {name!r} is missing or of the wrong length")
    if not set(map(type, column)) <= types:
        raise ValueError(f"the index column {name!r} holds a value of the wrong type")
    return column


def _numbers(
    columns: dict[str, Any], name: str, count: int, high: int, *, none: bool = False
) -> list[Any]:
    column = _column(columns, name, count, {int, type(None)} if none else {int})
    present = [x for x in column if x is not None] if none else column
    if present and (min(present) < 0 or max(present) > high):
        raise ValueError(f"the index column {name!r} holds a number out of range")
    return column


def _table(value: Any, name: str) -> list[Any]:
    if type(value) is not list:
        raise ValueError(f"the index has no {name} table")
    return value


def _references(columns: dict[str, Any], name: str, count: int, table: list[Any]) -> list[Any]:
    column = _numbers(columns, name, count, len(table) - 1)
    return list(map(table.__getitem__, column))


def _loads(column: list[Any], name: str) -> list[Any]:
    present = [x for x in column if x is not None]
    # Any finite load >= 0, as the month files accept (see codec._FINITE).
    if present and (min(present) < 0 or not all(map(math.isfinite, present))):
        raise ValueError(f"the index column {name!r} holds a number out of range")
    if int in set(map(type, column)):
        return [None if x is None else float(x) for x in column]
    return column


def _rows(value: Any, name: str, width: int) -> list[Any]:
    """A table of rows of ``width`` lists each (``width`` 0: each row is itself the list)."""
    table = _table(value, name)
    # Whole columns at a time, in C (set(map(...))), like the columns themselves.
    if not set(map(type, table)) <= {list}:
        raise ValueError(f"an index {name} entry is not a list")
    if width and not (set(map(len, table)) <= {width} and set(map(type, _flat(table))) <= {list}):
        raise ValueError(f"an index {name} entry is not {width} lists")
    return table


def _flat(lists: Iterable[list[Any]]) -> list[Any]:
    return list(chain.from_iterable(lists))


def _set_rows(value: Any, tempos: list[Any]) -> list[tuple[tuple[Any, ...], ...]]:
    """The "set_rows" table, checked: (reps, ended_early, tempos, units) tuples."""
    table = _rows(value, "set_rows", 4)
    lists = [list(map(itemgetter(i), table)) for i in range(4)]
    lengths = list(map(len, lists[0]))
    if any(list(map(len, column)) != lengths for column in lists[1:]):
        raise ValueError("an index set row's lists differ in length")
    reps, early, tempo, units = map(_flat, lists)
    if not (
        set(map(type, reps)) <= {int}
        and (not reps or (min(reps) >= 0 and max(reps) <= COUNT_MAX))
        and set(map(type, early)) <= {bool}
        and set(map(type, tempo)) <= {int}
        and (not tempo or (min(tempo) >= 0 and max(tempo) < len(tempos)))
        and set(map(type, units)) <= {str}
        and set(units) <= _UNITS.keys()
    ):
        raise ValueError("an index set row holds a value of the wrong type or out of range")
    return [
        (
            tuple(reps),
            tuple(early),
            tuple(map(tempos.__getitem__, tempo)),
            tuple(map(_UNITS.__getitem__, units)),
        )
        for reps, early, tempo, units in table
    ]


def _per_set(
    document: dict[str, Any], columns: dict[str, Any], sets: list[int], tempos: list[Any]
) -> list[list[Any]]:
    """The PER_SET fields of every session (five columns of tuples, in FIELDS order)."""
    chosen = _references(
        columns, "set_rows", len(sets), _set_rows(document.get("set_rows"), tempos)
    )
    if [len(row[0]) for row in chosen] != sets:
        raise ValueError("an index set row does not have the session's number of sets")
    load_rows = _rows(document.get("load_rows"), "load_rows", 0)
    if not set(map(type, flat := _flat(load_rows))) <= {float, int, type(None)}:
        raise ValueError("the index's load rows hold a value of the wrong type")
    _loads(flat, "load_rows")
    if int in set(map(type, flat)):
        load_rows = [_loads(row, "load_rows") for row in load_rows]
    loads = _references(columns, "set_load_rows", len(sets), [tuple(row) for row in load_rows])
    if list(map(len, loads)) != sets:
        raise ValueError("an index load row does not have the session's number of sets")
    if not chosen:
        return [[], [], [], [], []]
    reps, early, tempo, units = (list(values) for values in zip(*chosen, strict=True))
    return [reps, early, tempo, loads, units]


def decode_index(document: Any, mtime_ns: int) -> Index:
    """The months and summaries of an index document; raises ValueError (or IndexNewer)
    when anything in it is not exactly what ``encode_index`` writes."""
    if type(document) is not dict or document.get("kind") != INDEX_KIND:
        raise ValueError("the file is not a history index")
    version = document.get("schema_version")
    if type(version) is not int:
        raise ValueError("the index has no schema_version")
    if version > SCHEMA_VERSION:
        raise IndexNewer
    if version != SCHEMA_VERSION:
        raise ValueError("an index of an older format")  # derived data: rebuilt, not migrated
    layout = document.get("layout")
    if type(layout) is not int or layout != LAYOUT:
        raise ValueError("an index of another layout")
    entries = document.get("months")
    columns = document.get("columns")
    if type(entries) is not dict or type(columns) is not dict:
        raise ValueError("the index has no months or no columns")
    for entry in entries.values():
        if not (
            type(entry) is list
            and len(entry) == 3
            and all(type(x) is int and x >= 0 for x in entry)
        ):
            raise ValueError("an index month is not [size, mtime_ns, count]")
    count = sum(entry[2] for entry in entries.values())

    exercises = _table(document.get("exercises"), "exercises")
    if not all(
        type(pair) is list and len(pair) == 2 and type(pair[0]) is str and type(pair[1]) is str
        for pair in exercises
    ):
        raise ValueError("the index's exercises are not [id, name] pairs")
    tempos = _table(document.get("tempos"), "tempos")
    if not set(map(type, tempos)) <= {str}:
        raise ValueError("the index's tempos are not texts")

    session_ids = _column(columns, "session_id", count, {str})
    exercise_ids = _references(columns, "exercise", count, [pair[0] for pair in exercises])
    # The same column, checked above, into the names.
    exercise_names = list(map([pair[1] for pair in exercises].__getitem__, columns["exercise"]))
    started = _column(columns, "started_at", count, {str})
    finished = _column(columns, "finished", count, {bool})
    rpe = _column(columns, "rpe", count, {int, type(None)})
    if not set(rpe) <= _RPE_VALUES:  # a set of a column is built in C: cheap
        raise ValueError("the index column 'rpe' holds a number out of range")
    notes = _column(columns, "note", count, {str})
    if notes and max(map(len, notes)) > TEXT_MAX:
        raise ValueError("the index column 'note' holds a text that is too long")
    sets = _numbers(columns, "sets", count, COUNT_MAX)
    reps_done = _numbers(columns, "reps_done", count, _TOTAL_MAX)
    reps_planned = _numbers(columns, "reps_planned", count, _TOTAL_MAX)
    tension = _numbers(columns, "time_under_tension_ms", count, MS_MAX * COUNT_MAX)
    tempo = _references(columns, "tempo", count, tempos)
    loads = _loads(_column(columns, "top_load", count, {float, int, type(None)}), "top_load")
    units_text = _column(columns, "load_unit", count, {str})
    if not set(units_text) <= _UNITS.keys():
        raise ValueError("the index column 'load_unit' holds an unknown unit")
    units = [_UNITS[u] for u in units_text]
    changes = _numbers(columns, "live_changes", count, _TOTAL_MAX)
    early = _column(columns, "ended_early", count, {bool})
    tempo_planned = _references(columns, "tempo_planned", count, tempos)
    eccentric = _numbers(columns, "eccentric_ms", count, MS_MAX * COUNT_MAX)
    negative_only = _numbers(columns, "negative_only_sets", count, COUNT_MAX)
    taps = _numbers(columns, "taps", count, _TOTAL_MAX)
    on_tempo = _numbers(columns, "taps_on_tempo", count, _TOTAL_MAX)
    fast = _numbers(columns, "taps_fast", count, _TOTAL_MAX)
    missing = _numbers(columns, "taps_missing", count, _TOTAL_MAX)
    soreness = _column(columns, "soreness", count, {int, type(None)})
    if not set(soreness) <= _SORENESS_VALUES:
        raise ValueError("the index column 'soreness' holds a number out of range")
    per_set = _per_set(document, columns, sets, tempos)

    summaries = SessionSummary.many(  # FIELDS is the summary's order
        session_ids,
        exercise_ids,
        exercise_names,
        started,
        finished,
        rpe,
        notes,
        sets,
        reps_done,
        reps_planned,
        tension,
        tempo,
        loads,
        units,
        changes,
        early,
        tempo_planned,
        eccentric,
        negative_only,
        taps,
        on_tempo,
        fast,
        missing,
        soreness,
        *per_set,
    )
    months: dict[str, tuple[Stamp, list[SessionSummary]]] = {}
    first = 0
    for name, (size, mtime_ns_of_month, number) in entries.items():
        if type(name) is str:
            months[name] = ((size, mtime_ns_of_month), summaries[first : first + number])
        first += number
    return Index(months, mtime_ns)


def read_index(path: Path) -> Index:
    """Read and check the index file. Raises OSError (``NotAFile`` when it is a link, a
    pipe, a device or a folder), ValueError, OverflowError (a whole number too large for
    a float), RecursionError or IndexNewer when it cannot be used (the caller then decodes
    every month)."""
    with open_regular(path) as handle:  # never a link, a pipe or a device (NotAFile)
        status = os.fstat(handle.fileno())
        if status.st_size > MAX_FILE_BYTES:
            raise ValueError("the index is too large")
        data = handle.read(MAX_FILE_BYTES + 1)
    return decode_index(parse_json(data), status.st_mtime_ns)
