"""The schema version of every store file, and the ordered steps that upgrade old files.

All files share one version number. ``STEPS[kind][n]`` turns a version ``n`` document of that
kind into a version ``n + 1`` one; a kind that did not change between two versions simply has
its number raised. Migrations work on plain JSON values, so they never depend on today's
record classes. They run in memory when a file is read; the file itself is rewritten only
when something is saved into it, and ``files.Files`` first copies it to
``before-format-N-DATE/`` beside it. Add a step (and a fixture in tests/store/fixtures/,
written by the previous version's own store) whenever the format changes, and describe the
new version in docs/STORE.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SCHEMA_VERSION = 4

Document = dict[str, Any]
Step = Callable[[Document], Document]


# -- 1 -> 2: reps become compact strings, live changes lists, defaults are left out ----------
# Format 1 spelled every rep as an object with four phase objects; ten years of it took
# seconds to load. The phase codes below are frozen copies: this step must keep reading
# format 1 files even if the record classes change later.
_PHASE_CODES_V2 = {
    "count_in": "i",
    "eccentric": "e",
    "pause_after_eccentric": "h",
    "concentric": "c",
    "pause_after_concentric": "p",
    "rest": "r",
}
_SIDE_CODES_V2 = {None: "", "left": "L", "right": "R"}


def _rep_1_to_2(rep: dict[str, Any], set_number: Any) -> str:
    prefix = "" if rep["set_number"] == set_number else f"{rep['set_number']}."
    side = _SIDE_CODES_V2[rep["side"]]
    mark = "" if rep["complete"] else "!"
    phases = []
    for phase in rep["phases"]:
        text = f"{_PHASE_CODES_V2[phase['phase']]}{int(phase['planned_ms'])}"
        if phase["actual_ms"] != phase["planned_ms"]:
            text += f"/{int(phase['actual_ms'])}"
        phases.append(text)
    return f"{prefix}{int(rep['rep'])}{side}{mark}:{','.join(phases)}"


def _set_1_to_2(old: dict[str, Any], session: dict[str, Any]) -> list[Any]:
    """A format 1 set object becomes a format 2 row (one token per rep: no runs needed)."""
    row: list[Any] = [
        old["set_number"],
        old["started_at"],
        old["tempo_planned"],
        old["tempo_used"],
        old["reps_planned"],
        " ".join(_rep_1_to_2(r, old["set_number"]) for r in old["reps"]),
        old.get("load"),
    ]
    more: dict[str, Any] = {}
    changes = old.get("live_changes") or []
    if changes:
        more["live_changes"] = [
            [c["set_number"], c["rep"], c["at_ms"], c["from_ms"], c["to_ms"]] for c in changes
        ]
    if old.get("load_unit", "kg") != "kg":
        more["load_unit"] = old["load_unit"]
    if old.get("side") is not None:
        more["side"] = old["side"]
    if old.get("ended_early", False) is not False:
        more["ended_early"] = old["ended_early"]
    for key in ("exercise_id", "exercise_name"):
        if key in old and old[key] != session.get(key):
            more[key] = old[key]
    if more:
        row.append(more)
    return row


def _session_1_to_2(old: Any) -> Any:
    """One session; a session too damaged to convert is passed on unchanged, so that the
    loader drops (and reports) that session alone instead of the whole month."""
    try:
        new = dict(old)
        new["sets"] = [_set_1_to_2(s, old) for s in old["sets"]]
    except (KeyError, TypeError, AttributeError, ValueError, IndexError):
        return old
    return new


def _history_1_to_2(document: Document) -> Document:
    return {**document, "sessions": [_session_1_to_2(s) for s in document["sessions"]]}


def _checkpoint_1_to_2(document: Document) -> Document:
    return {**document, "session": _session_1_to_2(document["session"])}


# -- 2 -> 3: the plan leaves ``extra`` for a typed ``planned`` row ----------------------------
# Format 2's window kept the plan as texts in a session's ``extra``: "sets_planned",
# "rest_s", "count_in_s" (whole seconds) and "tempo_planned". Format 3 keeps it as
# ``"planned": [tempo, reps, sets, rest_ms, count_in_ms, side_mode]`` (null: not known).
# The limits are frozen copies of format 3's (codec), so that what this step writes always
# decodes: a value outside them is left in ``extra`` instead, where nothing is lost.
_COUNT_MAX_V3 = 10_000
_PLANNED_SETS_MAX_V3 = _COUNT_MAX_V3 * _COUNT_MAX_V3
_SECONDS_MAX_V3 = 24 * 3600  # 24 h in ms is format 3's limit for a duration


def _whole_text(text: Any, high: int) -> int | None:
    """The number a format 2 window wrote with ``str(int)``; None for anything else."""
    if type(text) is not str or not (text.isascii() and text.isdigit()) or len(text) > 12:
        return None
    number = int(text)
    return number if number <= high else None


def _session_2_to_3(old: Any) -> Any:
    """One session: the plan moves from ``extra`` into ``planned``.

    tempo: extra's "tempo_planned", else the first set's planned tempo; reps: the first set's
    planned reps (format 2 never recorded them apart); sets: extra's "sets_planned", else the
    number of sets; rest and count-in: extra's seconds, else unknown; side mode: unknown.
    Without a tempo and reps (a session without sets) there is no plan, and ``extra`` stays
    as it was. Texts that are not a plan's, or not a number where one is due, stay in
    ``extra``. A damaged session is passed on unchanged, so the loader drops it alone.
    """
    try:
        if type(old) is not dict or "planned" in old:
            return old
        extra = old.get("extra") or {}
        sets = old["sets"]
        if type(extra) is not dict or type(sets) is not list:
            return old
        first = sets[0] if sets else None
        tempo = extra.get("tempo_planned")
        if type(tempo) is not str:
            tempo = first[2] if type(first) is list and len(first) >= 7 else None
        reps = first[4] if type(first) is list and len(first) >= 7 else None
        if type(tempo) is not str or type(reps) is not int or not 0 <= reps <= _COUNT_MAX_V3:
            return old
        sets_planned = _whole_text(extra.get("sets_planned"), _PLANNED_SETS_MAX_V3)
        rest_s = _whole_text(extra.get("rest_s"), _SECONDS_MAX_V3)
        count_in_s = _whole_text(extra.get("count_in_s"), _SECONDS_MAX_V3)
        used = {
            "sets_planned": sets_planned,
            "rest_s": rest_s,
            "count_in_s": count_in_s,
            "tempo_planned": tempo if type(extra.get("tempo_planned")) is str else None,
        }
        left = {key: text for key, text in extra.items() if used.get(key) is None}
        new = {key: value for key, value in old.items() if key not in ("extra", "sets")}
        new["planned"] = [
            tempo,
            reps,
            len(sets) if sets_planned is None else sets_planned,
            None if rest_s is None else rest_s * 1000,
            None if count_in_s is None else count_in_s * 1000,
            None,
        ]
        if left:
            new["extra"] = left
        new["sets"] = sets
    except (KeyError, TypeError, AttributeError, ValueError, IndexError):
        return old
    return new


def _history_2_to_3(document: Document) -> Document:
    return {**document, "sessions": [_session_2_to_3(s) for s in document["sessions"]]}


def _checkpoint_2_to_3(document: Document) -> Document:
    return {**document, "session": _session_2_to_3(document["session"])}


# -- 3 -> 4: coaching data (issue 14) -----------------------------------------------------------
# Format 4 adds fields that all have a default meaning "not recorded" and are left out when
# they hold it (a session's "soreness", a set's "tap_mode"/"negative_only", the plan row's
# last two values, a rep's "@TAPPED" and the reset phase "s"), so a format 3 month or
# checkpoint is already a valid format 4 one: only its number is raised. A custom exercise
# gains an explicit empty "muscles" list (format 4 requires the field: an exercise that names
# no muscle says so). A damaged exercise is passed on unchanged, so the loader drops it alone.


def _exercise_3_to_4(old: Any) -> Any:
    if type(old) is not dict or "muscles" in old:
        return old
    return {**old, "muscles": []}


def _exercises_3_to_4(document: Document) -> Document:
    exercises = document.get("exercises")
    if type(exercises) is not list:
        return document  # damaged: the loader reports it as it would in format 3
    return {**document, "exercises": [_exercise_3_to_4(e) for e in exercises]}


STEPS: dict[str, dict[int, Step]] = {
    "preferences": {},
    "exercises": {3: _exercises_3_to_4},
    "history": {1: _history_1_to_2, 2: _history_2_to_3},
    "checkpoint": {1: _checkpoint_1_to_2, 2: _checkpoint_2_to_3},
}


class MigrationError(ValueError):
    """An old document that cannot be upgraded (it is damaged)."""


def migrate(kind: str, document: Document) -> Document:
    """Upgrade ``document`` (already checked to be a dict with an int version no newer than
    SCHEMA_VERSION) to SCHEMA_VERSION, one step at a time."""
    version = document["schema_version"]
    steps = STEPS[kind]
    while version < SCHEMA_VERSION:
        step = steps.get(version)
        if step is not None:
            try:
                document = step(document)
            except (KeyError, TypeError, AttributeError, IndexError) as error:
                raise MigrationError(
                    f"cannot upgrade it from format {version}: {error!r}"
                ) from None
        version += 1
        document = {**document, "schema_version": version}
    return document
