"""``tempo-coach play``: run a whole session in the terminal, with the cues.

Shows the phase and the count; reads single keys while it runs when stdin is a terminal
(``+``/``-`` or Up/Down change the lowering count, Space pauses, ``q`` quits). Without a
terminal the same keys are read from stdin as they arrive (``echo q | tempo-coach play ...``);
``--change T:+S`` scripts live changes at given session times (demos and tests). The session's
record is ``Session.record()``, saved as it is, like the window saves it.

Saving works as in the window. Every option is checked, and the data folder's lock taken,
before the first cue: a session that could not be saved (another Tempo Coach owns the
folder, a read-only folder, a file from a newer Tempo Coach) is not started; "cannot save:
why" and exit status 2 instead (``--no-save`` plays all the same). A session kept for later
that is found there (the window's, or a ``play`` that was killed) is saved to the log first,
as it was, so that this session's checkpoint never replaces it. After every rep and every
set, before the set is announced done, the session so far is kept as the checkpoint
(``Session.record()``, not finished), so a kill or a crash loses at most the rep in
progress; the checkpoint is removed only once the final save has succeeded. A final save
that fails leaves the session kept for later and exits with status 1, saying why.

Ctrl+C (SIGINT) and SIGTERM are a ``q``: from the moment the output is chosen until the
session is saved, a signal only asks the loop to stop, so the session ends where it stands,
the sets done are saved as a stopped session and the command exits normally (status 0),
instead of an exception or the default handler cutting through the bookkeeping. (The window
keeps a session for later on a signal instead; ``play`` has no question to ask later.)

The exercise library and the preferences are the window's (``options.UserData``); an option
replaces its preference for this run.

The audio package and the store are imported in ``run()``, so that the other commands start
without them (numpy, the sound set).

Why it is over 500 lines: a whole session in a terminal (keys, signals, checkpoints, the
lock, saving and its failures, the output's tail); the shared parts are in ``options.py``
and ``terminal.py``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import logging
import math
import os
import select
import signal
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from types import FrameType, TracebackType
from typing import TYPE_CHECKING, Any

from tempo_coach.cli.options import (
    NEGATIVE_ONLY_TEXT,
    UsageError,
    UserData,
    add_plan_options,
    at_amount,
    checked_volume,
    describe_error,
    note,
    note_short_reset,
    plan_from_args,
    read_user_data,
)
from tempo_coach.cli.terminal import one_line, printable, shown
from tempo_coach.core.clock import MonotonicClock
from tempo_coach.core.preferences import Preferences
from tempo_coach.core.records import LOAD_MAX, LoadUnit, SessionRecord, saved_as_interrupted
from tempo_coach.core.session import Session, SessionError, SessionStatus, Tick
from tempo_coach.core.tempo import PHASE_WORDS, Phase, TempoError
from tempo_coach.core.timeline import Event, EventKind, SetPlan

if TYPE_CHECKING:
    from tempo_coach.audio.chooser import FallbackOutput
    from tempo_coach.store import Store

LOOK_EVERY_S = 0.02  # how often the loop looks at the session (it never decides timing)
TAIL_S = 0.8  # sound still to be heard after the end (the last cue and the device buffer)
#: ``--speed``: a demo runs faster than real time, never slower (a session of 1e-9 would
#: never end).
SPEED_RANGE = (1.0, 100.0)

Say = Callable[[str], None]

#: The signals that stop a session like ``q``, with how the lifter knows them.
STOP_SIGNALS = ((signal.SIGINT, "Ctrl+C"), (signal.SIGTERM, "SIGTERM"))


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "play", help="run a session in the terminal with the sound cues (keys: + - space q)"
    )
    # `play --backend list` needs no exercise; run() asks for one otherwise.
    add_plan_options(parser, exercise_required=False)
    parser.add_argument(
        "--backend",
        default=None,
        metavar="NAME",
        help="stream, simpleaudio or silent (default: the preference, else the first that "
        "works); 'list' shows which back-ends work here and why not",
    )
    parser.add_argument(
        "--volume", type=float, default=None, metavar="V", help="0 to 1 (default: the preference)"
    )
    parser.add_argument(
        "--speed",
        type=float,
        default=1.0,
        metavar="FACTOR",
        help=f"run FACTOR times faster than real time (demos, tests), {SPEED_RANGE[0]:g} to "
        f"{SPEED_RANGE[1]:g}; default 1",
    )
    parser.add_argument(
        "--load",
        type=float,
        default=None,
        metavar="X",
        help=f"the load used, 0 to {LOAD_MAX:g}, in the unit of the preferences (kg or lb)",
    )
    parser.add_argument(
        "--change",
        action="append",
        default=[],
        metavar="T:+S",
        help="at T seconds of session time, change the lowering count by S seconds",
    )
    parser.add_argument(
        "--no-save",
        action="store_true",
        help="save nothing (your exercises and preferences are still read when the data "
        "folder can be)",
    )
    parser.add_argument("--quiet", action="store_true", help="print only the summary")
    parser.set_defaults(run=run)


class CannotSave(Exception):
    """The session could not be saved: it is not started (exit status 2)."""


def run(args: argparse.Namespace, data_dir: Path | None) -> int:
    if args.backend == "list":
        return _list_backends()
    if not args.exercise:
        raise UsageError("--exercise NAME is needed (see `tempo-coach exercises`)")
    # What needs no data folder is checked first: a bad number leaves it untouched.
    changes = _parse_changes(args.change)
    low, high = SPEED_RANGE
    if not low <= args.speed <= high:
        raise UsageError(f"--speed must be {low:g} to {high:g}, got {args.speed:g}")
    if args.load is not None and not (math.isfinite(args.load) and 0 <= args.load <= LOAD_MAX):
        raise UsageError(f"--load must be 0 to {LOAD_MAX:g}, got {args.load:g}")
    if args.load is not None:
        args.load += 0.0  # "-0" is 0: a load of -0.0 would be listed as "-0 kg"
    overrides = _preference_overrides(args)
    store: Store | None = None
    if args.no_save:
        user = read_user_data(data_dir)
    else:
        if not _folder_exists(data_dir):
            # Nothing there yet: the options are checked against the built-in library
            # before the folder is made (no custom exercise could be meant).
            plan_from_args(args, UserData.defaults())
        try:
            store = _open_for_saving(data_dir)
        except CannotSave as error:
            print(f"tempo-coach play: cannot save: {one_line(str(error))}", file=sys.stderr)
            return 2
        user = UserData.of(store)
    try:
        plan = plan_from_args(args, user)
        note_short_reset(plan)
        preferences = user.preferences.with_values(**overrides)
        if store is not None:
            try:
                _save_kept_session(store)
            except CannotSave as error:
                print(f"tempo-coach play: cannot save: {one_line(str(error))}", file=sys.stderr)
                return 2
        keeper = Keeper(store)
        with StopSignals() as stop:
            record = _play(args, plan, changes, preferences, stop, keeper)
            return _save(store, record)
    finally:
        if store is not None:
            store.close()


def _folder_exists(data_dir: Path | None) -> bool:
    from tempo_coach.store import default_data_dir

    try:
        return (data_dir if data_dir is not None else default_data_dir()).exists()
    except OSError:
        return True  # let opening it say what is wrong


def _list_backends() -> int:
    from tempo_coach.audio import available_backends

    for name, available, reason in available_backends():
        state = "available  " if available else "unavailable"
        print(f"{name:<12} {state}  {reason}")
    return 0


def _parse_changes(texts: list[str]) -> list[tuple[float, int]]:
    """``--change`` values as (session seconds, change in ms), in time order."""
    changes = []
    for text in texts:
        at_s, amount = at_amount("--change", text, "12.5:+1")
        if amount == 0:
            raise UsageError(f"--change {shown(text)}: the change must not be 0")
        changes.append((at_s, round(amount * 1000)))
    return sorted(changes)


def _preference_overrides(args: argparse.Namespace) -> dict[str, Any]:
    """The preferences ``--backend`` and ``--volume`` replace, checked before anything opens."""
    overrides: dict[str, Any] = {}
    if args.backend is not None:
        from tempo_coach.audio.chooser import BACKENDS

        if args.backend not in BACKENDS:
            raise UsageError(
                f"--backend {shown(args.backend)}: choose one of {', '.join(BACKENDS)} or 'list'"
            )
        overrides["audio_backend"] = args.backend
    if args.volume is not None:
        overrides["volume"] = checked_volume(args.volume)
    return overrides


def _open_for_saving(data_dir: Path | None) -> Store:
    """The store, holding the lock; CannotSave (saying why) when it could not save."""
    from tempo_coach.store import Store, StoreError

    try:
        store = Store.open(data_dir)
    except (StoreError, OSError) as error:
        raise CannotSave(describe_error(error)) from None
    for problem in store.problems:
        if problem != store.read_only_reason:  # said once, below
            note(problem)
    if store.read_only:
        reason = store.read_only_reason or "the data folder is read-only"
        store.close()
        raise CannotSave(f"{reason} (--no-save plays without saving)")
    return store


def _save_kept_session(store: Store) -> None:
    """A session kept for later (the window's "Keep it for later", a signal, a crash, a
    killed ``play``) is saved to the log as it was, stopped, before this session's first
    checkpoint would replace it; the window would offer to continue it, which a command
    cannot ask. CannotSave if that fails: nothing is started then."""
    from tempo_coach.store import StoreError

    kept = store.pending_checkpoint()
    if kept is None:
        return
    try:
        if kept.sets and store.session(kept.session_id) is None:
            store.save_session(saved_as_interrupted(kept))
            note(
                f"the session kept for later ({kept.exercise_name}, {kept.started_at[:16]}, "
                f"{len(kept.sets)} set(s)) is saved to the log as it was; `tempo-coach history` "
                "lists it"
            )
        store.clear_checkpoint()
    except StoreError as error:
        raise CannotSave(
            f"the session kept for later could not be saved first, so this one would replace "
            f"it: {error}"
        ) from None


class Keeper:
    """Keeps the session in progress as the store's checkpoint (nothing without a store).
    A failure is said once per reason (a full disk would fail every rep) and the session
    goes on: the final save may still work."""

    def __init__(self, store: Store | None) -> None:
        self.store = store
        self._said: set[str] = set()

    def keep(self, session: Session) -> bool:
        """True when the record so far is on disk (or there is nothing to keep)."""
        from tempo_coach.store import StoreError

        record = session.record()
        if self.store is None or not record.sets:
            return True
        try:
            self.store.checkpoint(replace(record, finished=False))
        except StoreError as error:
            message = str(error)
            if message not in self._said:
                self._said.add(message)
                print(f"\nnote: {one_line(message)}", file=sys.stderr)
            return False
        return True


def _save(store: Store | None, record: SessionRecord) -> int:
    """The final save; the checkpoint goes only once the session is in the log. Returns the
    exit status: 1 when the session could not be saved (it is then kept for later)."""
    from tempo_coach.store import StoreError

    if store is None or not record.sets:
        return 0
    try:
        store.save_session(record)
    except StoreError as error:
        try:
            store.checkpoint(replace(record, finished=False))
            kept = (
                f"; it is kept for later in {store.path}: the next `tempo-coach play` saves it, "
                "the window offers it"
            )
        except StoreError as second:
            kept = f"; it could not be kept for later either: {second}"
        print(f"tempo-coach play: not saved: {one_line(f'{error}{kept}')}", file=sys.stderr)
        return 1
    print(one_line(f"saved to the training log in {store.path}"))
    try:
        store.clear_checkpoint()
    except StoreError as error:  # saved all the same; `history` shows it once
        note(str(error))
    return 0


class StopSignals:
    """While entered, SIGINT (Ctrl+C) and SIGTERM ask the session to stop, like ``q``,
    instead of ending the process. The handler only notes the signal (it runs between any
    two lines of the loop, so it touches nothing the loop uses); the loop looks at
    ``requested`` each time it looks at the session. A second signal changes nothing more,
    on purpose: a double-tapped Ctrl+C must not cut through the save it is waiting for.
    On leaving, the handlers that were there before are put back."""

    def __init__(self) -> None:
        self.received: list[str] = []
        self._previous: dict[signal.Signals, Any] = {}

    @property
    def requested(self) -> bool:
        return bool(self.received)

    def _handler(self, name: str) -> Callable[[int, FrameType | None], None]:
        def handle(signum: int, frame: FrameType | None) -> None:
            self.received.append(name)

        return handle

    def __enter__(self) -> StopSignals:
        for number, name in STOP_SIGNALS:
            self._previous[number] = signal.signal(number, self._handler(name))
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        self._previous.clear()


def _now_iso() -> str:
    return datetime.datetime.now().astimezone().isoformat(timespec="seconds")


def _play(
    args: argparse.Namespace,
    plan: SetPlan,
    changes: list[tuple[float, int]],
    preferences: Preferences,
    stop: StopSignals,
    keeper: Keeper,
) -> SessionRecord:
    """Run the session to its end (or to ``q`` or a signal) and return its record."""
    from tempo_coach.audio import choose_output

    # Qt Multimedia's start-up chatter (FFmpeg version, no PipeWire) is not for the lifter.
    os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")
    # The problem listener below tells the lifter; the log would only repeat it.
    logging.basicConfig(level=logging.ERROR, format="%(message)s", stream=sys.stderr)

    def say(text: str) -> None:
        if not args.quiet:
            print(text)

    output = choose_output(preferences, speed=args.speed)
    output.set_problem_listener(lambda message: print(f"\nsound: {message}", file=sys.stderr))
    session = Session(
        plan,
        output.clock,
        load=args.load,
        load_unit=LoadUnit(preferences.units),
        commit_horizon_ms=output.horizon_ms,
        wall_time=_now_iso,
        audible_difference=output.first_audible_difference,  # a press reaches what it can
    )
    load = "" if args.load is None else f", load {args.load:g} {preferences.units}"
    print(
        f"{printable(plan.exercise.name)}: tempo {plan.tempo.notation()}, "
        f"{plan.sets} x {plan.reps}{load}{NEGATIVE_ONLY_TEXT if plan.negative_only else ''}"
    )
    say("keys: + / - change the lowering count, space pauses, q quits")
    tick = session.start()
    output.begin(session)
    # Said once the device is open: the output in use, not the one hoped for.
    for reason in output.reasons:
        print(f"note: {reason}", file=sys.stderr)
    print(f"output: {output.status_text}")
    try:
        _run_until_over(session, output, tick, changes, say, stop, keeper)
        if session.status is SessionStatus.FINISHED and output.name != "silent":
            # Let the last cue (and what the device still holds) be heard; a signal now
            # only cuts this short. (Without a sound there is nothing to wait for.)
            until = output.clock.now() + TAIL_S * args.speed
            # A guard on the system's clock, in case the output's clock stops moving.
            wall = MonotonicClock()
            deadline = wall.now() + TAIL_S + 2.0
            while output.clock.now() < until and wall.now() < deadline and not stop.requested:
                time.sleep(LOOK_EVERY_S)
    finally:
        output.end()
        output.close()
    record = session.record()
    print(
        f"{'finished' if session.status is SessionStatus.FINISHED else 'stopped'}: "
        f"{len(record.sets)} set(s), {sum(s.reps_done for s in record.sets)} reps, "
        f"output {output.name}"
    )
    return record


def _run_until_over(
    session: Session,
    output: FallbackOutput,
    tick: Tick,
    changes: list[tuple[float, int]],
    say: Say,
    stop: StopSignals,
    keeper: Keeper,
) -> None:
    """Show what falls due, apply the scripted changes and the keys, until the session ends
    (or ``q`` or a signal stops it). After a rep or a set, the session so far is kept
    first: a set is said done only once it is on disk."""
    pending = list(changes)
    with _keys() as keys:
        while True:
            for event in tick.events:
                _show_event(say, session.plan, event)
            kept = keeper.keep(session) if tick.reps_finished or tick.sets_finished else True
            for record in tick.sets_finished:
                unsaved = "" if kept else " (not kept: see the note)"
                say(f"  set {record.set_number} done: {record.reps_done} reps{unsaved}")
            if session.status not in (SessionStatus.RUNNING, SessionStatus.PAUSED):
                return
            time.sleep(LOOK_EVERY_S)
            while pending and session.session_ms() >= pending[0][0] * 1000:
                _change(session, output, pending.pop(0)[1], say)
            if stop.requested:
                _stop(session, output, say, f"stopped ({stop.received[0]})")
                return
            for key in keys():
                if key in "+-":
                    _change(session, output, 1000 if key == "+" else -1000, say)
                elif key == " ":
                    session.toggle_pause()
                    output.session_changed()
                    say("  paused" if session.status is SessionStatus.PAUSED else "  go on")
                elif key == "q":
                    _stop(session, output, say, "stopped")
                    break
            tick = session.poll()


@contextlib.contextmanager
def _keys() -> Iterator[Callable[[], list[str]]]:
    """Yield a function returning the keys typed since the last call ('+', '-', ' ', 'q').
    (Ctrl+C is not a key here: in cbreak mode the terminal still sends SIGINT, which
    ``StopSignals`` turns into a stop.)"""
    try:
        fd = sys.stdin.fileno()
    except (AttributeError, ValueError, OSError):  # no stdin, closed, or not a real file
        fd = -1
    tty_state = None
    if fd >= 0 and os.isatty(fd):
        import termios  # POSIX only, like tty
        import tty

        tty_state = termios.tcgetattr(fd)
        tty.setcbreak(fd)
    at_end = fd < 0

    def read() -> list[str]:
        nonlocal at_end
        keys: list[str] = []
        while not at_end and select.select([fd], [], [], 0)[0]:
            data = os.read(fd, 64)
            if not data:
                at_end = True
                break
            text = data.decode(errors="ignore")
            # Arrow keys arrive as escape sequences: Up = ESC [ A, Down = ESC [ B.
            text = text.replace("\x1b[A", "+").replace("\x1b[B", "-")
            keys.extend(ch for ch in text if ch in "+-= qQp")
        return ["+" if k == "=" else " " if k == "p" else k.lower() for k in keys]

    try:
        yield read
    finally:
        if tty_state is not None:
            import termios

            termios.tcsetattr(fd, termios.TCSADRAIN, tty_state)


def _stop(session: Session, output: FallbackOutput, say: Say, message: str) -> None:
    """End the session where it stands (``q`` or a signal): the set in progress keeps its
    completed reps, and the record is a stopped session."""
    session.abort()
    output.session_changed()
    say(f"  {message}")


def _change(session: Session, output: FallbackOutput, delta_ms: int, say: Say) -> None:
    try:
        change = session.change_eccentric(delta_ms)
    except (TempoError, SessionError) as error:
        say(f"  cannot change: {error}")
        return
    output.session_changed()
    say(f"  lowering now {change.to_ms / 1000:g} s (from set {change.set_number} rep {change.rep})")


def _show_event(say: Say, plan: SetPlan, event: Event) -> None:
    t = f"{event.t_ms / 1000:8.1f}"
    if event.kind is EventKind.PHASE and event.phase is not None:
        where = (
            f"set {event.set_number} rep {event.rep}" if event.rep else f"set {event.set_number}"
        )
        if event.phase in (Phase.COUNT_IN, Phase.REST):
            name = PHASE_WORDS[event.phase]
        else:
            name = printable(plan.exercise.phase_name(event.phase))
        say(f"{t}  {where:<14} {name} ({(event.duration_ms or 0) / 1000:g} s)")
    elif event.kind is EventKind.SIDE and event.side is not None:
        say(f"{t}  switch to the {event.side.value} side")
    elif event.kind is EventKind.COUNT:
        say(f"{t}      {event.count}")
    elif event.kind is EventKind.END:
        say(f"{t}  end")
