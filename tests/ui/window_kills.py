"""The real window in a child process, killed with SIGKILL, and what each kill left (issue 12).

The child (``python -m tests.ui.window_kills DATA_DIR``) is the app as ``tempo-coach``
starts it: ``tempo_coach.app.run`` (its QApplication, store, window, signal handling and
shutdown), offscreen, with one difference: the cue output runs ``--speed`` times faster than
real time (``app.make_output`` is replaced by the same ``choose_output`` with a speed, the
output's own speed-up, as ``tempo-coach play --speed``), because the app has no speed option.
A driver inside the child does what a lifter does: once the window is up it sets up a set
(squat, 1-0-1-0, reps, sets, rest, no count-in) and presses Start, accepts the "Session
done" dialog, and closes the window after "Saved". It prints, flushed, every line the window
shows in its status bar (``status: ...``), its banner (``notice: ...``), the audio status
(``audio: ...``) and the "Session kept for later" question (``offer: ...``). ``--mode
reopen`` answers that question "Save what was done" and closes; ``--mode fault`` (for
tests/ui/window_faults.py) answers it so, then trains a set as ``train`` does.

What counts as **acknowledged**, read from what the window showed before it died:

* ``Saved: ...`` in the status bar (said only once the session is on disk): the whole
  session, every set with its reps, must be in the history.
* ``Set N done: K reps`` in the status bar: set N with its K reps must be in the history or
  in the session kept for later (the checkpoint), which the next start offers to continue.

``kill_window`` kills one child at a moment chosen relative to the moment the set started
and looks in the folder; ``reopen`` starts the window again on that folder, checks that it
offers the kept session, answers "Save what was done" with the question's own button, and
looks again. ``tests/ui/test_window_kills.py`` runs a few; ``python -m bench window_kills``
runs hundreds.
"""

from __future__ import annotations

import argparse
import os
import re
import select
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

#: 6 sets of 2 reps of 1-0-1-0, rests of 1 s: 29 s of session, 1.45 s at speed 20.
SETS, REPS, REST_S, SPEED = 6, 2, 1, 20.0
SESSION_S = (SETS * REPS * 2 + (SETS - 1) * REST_S) / SPEED
_SET_DONE = re.compile(r"^status: Set (\d+) done: (\d+) reps?", re.MULTILINE)
_OFFER = re.compile(r"^offer: .* after (\d+) sets? and (\d+) reps?", re.MULTILINE)


# -- the child: the app, driven ------------------------------------------------------------


def _say(line: str) -> None:
    sys.stdout.write(line.replace("\n", " ") + "\n")
    sys.stdout.flush()


def child_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.ui.window_kills")
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--mode", choices=("train", "reopen", "fault"), default="train")
    parser.add_argument("--speed", type=float, default=SPEED)
    parser.add_argument("--backend", default="silent")
    parser.add_argument("--sets", type=int, default=SETS)
    parser.add_argument("--reps", type=int, default=REPS)
    parser.add_argument("--rest", type=int, default=REST_S)
    parser.add_argument("--as-user", type=int, help="drop root's rights once Qt is loaded")
    parser.add_argument(
        "--break-checkpoint", action="store_true", help="keep nothing (the check's own test)"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from tempo_coach import app
    from tempo_coach.audio import choose_output
    from tempo_coach.core.preferences import Preferences
    from tempo_coach.ui.dialogs import Choice
    from tempo_coach.ui.main_window import MainWindow

    def make_output(preferences: Preferences) -> object:
        return choose_output(preferences.with_values(audio_backend=args.backend), args.speed)

    app.make_output = make_output  # type: ignore[assignment]  # the one change: a speed
    if args.break_checkpoint:
        from tempo_coach.store import Store

        Store.checkpoint = lambda self, record: None  # type: ignore[method-assign]
    qapp = QApplication([sys.argv[0]])
    if args.as_user is not None:  # root reads any file; the interpreter may be root's only
        _drop_to(args.as_user)

    def window() -> MainWindow | None:
        return next((w for w in qapp.topLevelWidgets() if isinstance(w, MainWindow)), None)

    def attach() -> None:
        win = window()
        if win is None:
            QTimer.singleShot(10, attach)
            return
        training = win.training
        training.status_message.connect(lambda message: on_status(win, message.text))
        training.notice.connect(lambda text: _say(f"notice: {text}"))
        training.audio_status.connect(lambda text: _say(f"audio: {text}"))
        training.interrupted_found.connect(lambda offer: on_offer(win, offer.text))
        training.finish_requested.connect(lambda _r: QTimer.singleShot(0, lambda: finish(win)))
        for line in training.store_notices():
            _say(f"notice: {line}")
        _say(f"window: {'read-only' if win.store.read_only else 'writable'}")
        QTimer.singleShot(0, lambda: when_open(win))

    def when_open(win: MainWindow) -> None:
        if win.training.output is None:  # the window opens the output after its first paint
            QTimer.singleShot(10, lambda: when_open(win))
            return
        _say("open")
        if args.mode == "train":
            start(win)
        elif args.mode == "fault":
            save_kept_then_start(win)
        elif win.question is None:  # reopen, and nothing was offered
            _say("offer: none")
            win.close()

    def save_kept_then_start(win: MainWindow) -> None:
        """A damaged folder (tests/ui/window_faults.py): the lifter saves the session kept
        for later, if one is offered, then trains a set, if the kept one is gone."""
        question = win.question
        if isinstance(question, Choice) and "save" in question.buttons_by_key:
            question.buttons_by_key["save"].click()
        _say(f"written: {win.writer.wait_idle(10)}")
        if win.training.kept_for_later() is not None:
            _say("started: False (the kept session is still there)")
            win.close()
            return
        start(win)

    def start(win: MainWindow) -> None:
        from tempo_coach.core.tempo import parse_tempo

        win.picker.select("barbell-squat")
        win.setup.set_tempo(parse_tempo("1-0-1-0"))
        win.setup.reps_box.setValue(args.reps)
        win.setup.sets_box.setValue(args.sets)
        win.setup.rest_box.setValue(args.rest)
        win.setup.count_in_box.setValue(0)
        started = win.start_session()
        _say(f"started: {started}")
        if not started:
            win.close()

    def on_status(win: MainWindow, text: str) -> None:
        _say(f"status: {text}")
        if text.startswith(("Saved:", "Not saved:")):
            QTimer.singleShot(0, win.close)

    def on_offer(win: MainWindow, text: str) -> None:
        _say(f"offer: {text}")
        if args.mode == "reopen" and win.question is None:
            _say("offer: no question shown")
        elif args.mode == "reopen":

            def answer() -> None:
                question = win.question
                assert isinstance(question, Choice)
                question.buttons_by_key["save"].click()  # "Save what was done"
                # that save says nothing when it is done: close once the writer has done it
                _say(f"written: {win.writer.wait_idle(10)}")
                win.close()

            QTimer.singleShot(0, answer)

    def finish(win: MainWindow) -> None:
        dialog = win.finish_dialog
        if dialog is not None:
            dialog.accept()  # the lifter saves, without RPE or a note

    QTimer.singleShot(0, attach)
    code = app.run(args.data_dir)
    _say(f"exit: {code}")
    return code


def _drop_to(uid: int) -> None:
    """Become ``uid`` for good, after importing what the window needs (as the store-fault
    matrix does: tests/store/fault_matrix.py)."""
    import socket  # noqa: F401  (app.SignalWaker imports it late)

    import tempo_coach.audio.chooser
    import tempo_coach.store
    import tempo_coach.ui.dialogs
    import tempo_coach.ui.main_window  # noqa: F401
    from tests.store.fault_matrix import become

    become(uid)


# -- the parent: kill, and look ------------------------------------------------------------


@dataclass
class Kill:
    """What one kill left: the sets the window said were done (number -> reps), "Saved", and
    what was found in the folder afterwards."""

    delay_s: float  # after "started" (negative: before the set started)
    printed: str = ""
    errors: str = ""
    returncode: int | None = None  # -9: killed
    acknowledged: dict[int, int] = field(default_factory=dict)
    saved_said: bool = False
    started: bool = False
    history_sets: dict[int, int] = field(default_factory=dict)
    checkpoint_sets: dict[int, int] = field(default_factory=dict)
    problems: tuple[str, ...] = ()

    @property
    def where(self) -> str:
        if self.history_sets:
            return "history"
        return "checkpoint" if self.checkpoint_sets else "nowhere"

    @property
    def lost(self) -> list[int]:
        """Sets said done and not found with their reps (empty: nothing lost)."""
        found = self.history_sets or self.checkpoint_sets
        return [n for n, reps in sorted(self.acknowledged.items()) if found.get(n, 0) < reps]

    @property
    def saved_but_missing(self) -> bool:
        return self.saved_said and (not self.history_sets or bool(self.lost))


CHILD = (sys.executable, "-m", "tests.ui.window_kills")


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONUNBUFFERED"] = "1"
    env.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")
    return env


def run_window(
    data_dir: Path,
    *args: str,
    timeout_s: float = 60,
    env: dict[str, str] | None = None,
    **popen: Any,
) -> subprocess.CompletedProcess[str]:
    """The window on ``data_dir`` in a child, to its end (``--mode reopen`` or ``fault``)."""
    return subprocess.run(
        [*CHILD, str(data_dir), *args],
        env=env or child_env(),
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout_s,
        **popen,
    )


def kill_window(
    data_dir: Path, delay_s: float, *, timeout_s: float = 60, extra: tuple[str, ...] = ()
) -> Kill:
    """Start the window on ``data_dir`` (a folder of its own), start a set, SIGKILL the
    process ``delay_s`` after the set started (at once if it printed "started" later than
    that), and look for every set it acknowledged."""
    kill = Kill(delay_s)
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(
            [*CHILD, str(data_dir), "--mode", "train", *extra],
            env=child_env(),
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=errors,
        )
        printed = _read_and_kill(proc, delay_s, time.monotonic() + timeout_s)
        errors.seek(0)
        kill.errors = errors.read().decode(errors="replace")
    kill.printed = printed.decode(errors="replace")
    kill.returncode = proc.returncode
    kill.started = "started: True" in kill.printed
    kill.acknowledged = {int(n): int(r) for n, r in _SET_DONE.findall(kill.printed)}
    kill.saved_said = "\nstatus: Saved:" in "\n" + kill.printed
    look(kill, data_dir)
    return kill


def _read_and_kill(proc: subprocess.Popen[bytes], delay_s: float, deadline: float) -> bytes:
    """What ``proc`` prints; it is killed ``delay_s`` after it printed "started" (or when it
    ends by itself, or at ``deadline``); then what it had printed before it died."""
    assert proc.stdout is not None
    printed = b""
    kill_at: float | None = None
    try:
        fd = proc.stdout.fileno()
        while True:
            now = time.monotonic()
            if kill_at is None and b"started: " in printed:
                kill_at = now + max(0.0, delay_s)
            if kill_at is None and b"open\n" in printed and delay_s < 0:
                kill_at = now  # before the set starts
            until = min(deadline, kill_at if kill_at is not None else deadline)
            if now >= until:
                break
            if select.select([fd], [], [], until - now)[0]:
                data = os.read(fd, 65536)
                if not data:
                    break
                printed += data
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        printed += proc.stdout.read()
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
    return printed


def look(kill: Kill, data_dir: Path) -> None:
    """What the folder holds: the last saved session's sets and the checkpoint's."""
    from tempo_coach.store import Store

    if not data_dir.exists():
        return
    with Store.open(data_dir) as store:
        kill.problems = tuple(store.problems)
        saved = store.history()
        pending = store.pending_checkpoint()
    if saved:
        kill.history_sets = {s.set_number: s.reps_done for s in saved[-1].sets}
    if pending is not None:
        kill.checkpoint_sets = {s.set_number: s.reps_done for s in pending.sets}


@dataclass
class Reopen:
    """The next start on a killed window's folder."""

    returncode: int
    printed: str
    errors: str
    offered: tuple[int, int] | None  # (sets, reps) the question named; None: no question
    history_sets: dict[int, int]
    checkpoint_left: bool


def reopen(data_dir: Path) -> Reopen:
    """Start the window again: it must offer the kept session; answer "Save what was done"
    and look again (the kept session must now be in the history, the checkpoint gone)."""
    from tempo_coach.store import Store

    done = run_window(data_dir, "--mode", "reopen")
    match = _OFFER.search(done.stdout)
    offered = (int(match.group(1)), int(match.group(2))) if match else None
    with Store.open(data_dir) as store:
        saved = store.history()
        pending = store.pending_checkpoint()
    sets = {s.set_number: s.reps_done for s in saved[-1].sets} if saved else {}
    return Reopen(done.returncode, done.stdout, done.stderr, offered, sets, pending is not None)


if __name__ == "__main__":
    sys.exit(child_main(sys.argv[1:]))
