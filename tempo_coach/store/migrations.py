"""The schema version of every store file, and the ordered steps that upgrade old files.

All files share one version number. ``STEPS[kind][n]`` turns a version ``n`` document of that
kind into a version ``n + 1`` one; a kind that did not change between two versions simply has
its number raised. Migrations work on plain JSON values, so they never depend on today's
record classes. Add a step (and a fixture in tests/store/fixtures/) whenever the format
changes, and describe the new version in docs/STORE.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

SCHEMA_VERSION = 2

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


STEPS: dict[str, dict[int, Step]] = {
    "preferences": {},
    "exercises": {},
    "history": {1: _history_1_to_2},
    "checkpoint": {1: _checkpoint_1_to_2},
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
