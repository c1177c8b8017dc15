"""The store-fault matrix through the real window (issue 12).

Each case fills a folder as tests/store/fault_matrix.py does (preferences, custom exercises,
two months, a session kept for later, the index; every file with a ``.bak``), makes one file
bad (the same 13 faults), and starts the real window on it in a child process
(tests/ui/window_kills.py, ``--mode fault``): the lifter saves the session kept for later
that the window offers (that save goes into the month ``history/2026-03.json``), trains one
set of one rep, accepts "Session done" and closes (closing saves the window's size into the
preferences). A case **survives** when:

- the child ends by itself within ``DEADLINE_S`` (no hang) with exit status 0 and no
  traceback on stderr;
- a line the window showed (its banner, the status bar) names the bad file, as the store's
  problems do (the index's content is rebuilt without a word);
- what was at the file's name is still there or kept aside exactly (``fault_matrix.kept``:
  same bytes, same link target, same folder, still a pipe or a device), the file outside the
  folder a link pointed at is unchanged, and a second instance changed nothing at all;
- the set was saved (the window said "Saved:" and it is in the history) or the window said
  it was not ("Not saved: ...", or read-only: "this session will not be saved"), or it said
  why it did not start (the kept session could not be saved: said in the banner);
- nothing readable was lost: every session of the good files (and the kept one, in the
  history or still kept), the preferences' values and the custom exercises are there.

*Lost* counts cases where something that had been kept (bytes, a session) was not.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.store.fault_matrix import (
    INDEX_REBUILT,
    PREFERENCES,
    UNPRIVILEGED,
    Case,
    _remove,
    applicable,
    arm,
    entry,
    kept,
)

DEADLINE_S = 30.0  # a case takes about 1.5 s; more means the window hung


@dataclass
class WindowResult:
    case: str
    survived: bool = True
    lost: bool = False
    skipped: str = ""
    notes: list[str] = field(default_factory=list)
    shown: str = ""  # what the window printed

    @property
    def why(self) -> str:
        return "; ".join(self.notes)

    def fail(self, note: str, *, lost: bool = False) -> None:
        self.survived = False
        self.lost = self.lost or lost
        self.notes.append(note)


def _skip_reason(case: Case) -> str | None:
    why = applicable(case)
    if why is None:
        return None
    if "unprivileged" in why and os.geteuid() == 0:
        return None  # the window runs as nobody (below)
    return why


def run_case(work: Path, target: str, fault: str, variant: str = "writer") -> WindowResult:
    """One case in ``work`` (made, then removed)."""
    from tests.ui.window_kills import child_env, run_window

    case = Case(target, fault, variant)
    result = WindowResult(case.name)
    if (why := _skip_reason(case)) is not None:
        result.skipped = why
        return result
    as_nobody = fault == "no permission" and os.geteuid() == 0
    work.mkdir(parents=True)
    # As nobody, who owns the folder: root reads any file.
    folder, outside, path, holder, before, outside_before, everything_before = arm(
        work, case, UNPRIVILEGED if as_nobody else None
    )
    env = child_env()
    home = work / "home"
    home.mkdir()
    for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR"):
        env.pop(name, None)
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / "config"))
    more: list[str] = []
    if as_nobody:
        os.chown(home, UNPRIVILEGED, UNPRIVILEGED)
        more = ["--as-user", str(UNPRIVILEGED)]
    try:
        try:
            done = run_window(
                folder,
                "--mode",
                "fault",
                "--sets",
                "1",
                "--reps",
                "1",
                "--speed",
                "40",
                *more,
                timeout_s=DEADLINE_S,
                env=env,
            )
        except subprocess.TimeoutExpired as expired:
            result.fail(f"hang: the window did not end within {DEADLINE_S:g} s")
            out = expired.stdout
            result.shown = out.decode(errors="replace") if isinstance(out, bytes) else out or ""
            return result
        finally:
            if holder is not None:
                holder.release()
        result.shown = done.stdout
        if variant == "second instance":  # before the checks below open the store as writer
            after = {str(p): entry(p) for p in folder.rglob("*") if p.name != "history"}
            if after != everything_before:
                changed = sorted(
                    name
                    for name in set(after) | set(everything_before)
                    if after.get(name) != everything_before.get(name)
                )
                result.fail(f"a second instance changed the folder: {changed}", lost=True)
        _check(result, case, done, path, before, folder, outside, outside_before)
    finally:
        _remove(work)
    return result


def _check(
    result: WindowResult,
    case: Case,
    done: subprocess.CompletedProcess[str],
    path: Path,
    before: tuple[Any, ...] | None,
    folder: Path,
    outside: Path,
    outside_before: dict[str, tuple[Any, ...] | None],
) -> None:
    shown = done.stdout
    if done.returncode != 0:
        result.fail(f"exit status {done.returncode}: {done.stderr[-600:]!r}")
    if "Traceback" in done.stderr:
        result.fail(f"traceback: {done.stderr[-1200:]!r}")
    lines = [line for line in shown.splitlines() if line.startswith(("notice:", "status:"))]
    quiet = case.target == "index" and case.fault in INDEX_REBUILT | {"future version"}
    label = path.name if case.target != "month" else "2026-03"
    if not quiet and not any(label in line for line in lines):
        result.fail(f"nothing the window showed names {label}: {lines}")
    if not kept(path, before) and not (case.target == "index" and case.fault in INDEX_REBUILT):
        data = isinstance(before, tuple) and before[0] in ("file", "huge", "unreadable")
        result.fail(f"{path.name} was replaced before it was kept aside", lost=data)
    if {p.name: entry(p) for p in outside.iterdir()} != outside_before:
        result.fail("a file outside the folder was changed", lost=True)
    saved_said = "\nstatus: Saved:" in "\n" + shown
    not_saved_said = any(
        text in shown
        for text in ("status: Not saved:", "this session will not be saved", "started: False")
    )
    if "started: True" in shown and not (saved_said or not_saved_said):
        result.fail("the set was neither saved nor said not saved")
    if "started: False" in shown and not any(line.startswith("notice:") for line in lines):
        result.fail("the set did not start and the window did not say why")
    if case.fault == "no permission" and os.geteuid() == 0:
        for item in [folder, *folder.rglob("*")]:  # root opens it again for the checks
            os.lchown(item, 0, 0)
    _check_nothing_lost(result, case, folder, saved_said)


def _check_nothing_lost(result: WindowResult, case: Case, folder: Path, saved: bool) -> None:
    from tempo_coach.store import Store

    with Store.open(folder) as store:
        sessions = store.history()
        ids = {s.session_id for s in sessions}
        preferences = store.load_preferences()
        exercises = {e.exercise_id for e in store.custom_exercises()}
        checkpoint = store.pending_checkpoint()
    recoverable = case.variant != "writer, no .bak"
    expected = {"feb"}
    if case.target != "month" or case.fault == "future version":
        expected |= {"mar-1", "mar-2"}
    elif recoverable:
        expected |= {"mar-1"}
    if missing := expected - ids:
        result.fail(f"sessions lost: {sorted(missing)}", lost=True)
    kept_session = "now" in ids or (checkpoint is not None and checkpoint.session_id == "now")
    if not kept_session and (case.target != "checkpoint" or recoverable):
        result.fail("the session kept for later was lost", lost=True)
    if saved and not any(s.session_id not in {"feb", "mar-1", "mar-2", "now"} for s in sessions):
        result.fail("the window said Saved, and the set is not in the history", lost=True)
    if case.target != "preferences" and (
        preferences.volume != PREFERENCES.volume
        or preferences.count_in_seconds != PREFERENCES.count_in_seconds
    ):
        result.fail("the preferences were lost", lost=True)
    if case.target != "exercises" and not {"nordic-curl", "slow-curl"} <= exercises:
        result.fail(f"custom exercises lost: {sorted(exercises)}", lost=True)


def scratch() -> Path:
    """A scratch folder that nobody (the permission cases) can reach."""
    folder = Path(tempfile.mkdtemp(prefix="tempo-coach-window-faults-"))
    os.chmod(folder, 0o755)
    return folder


def remove_scratch(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
