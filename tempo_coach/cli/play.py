"""``tempo-coach play``: run a whole session in the terminal, with the cues.

Shows the phase and the count; reads single keys while it runs when stdin is a terminal
(``+``/``-`` or Up/Down change the lowering count, Space pauses, ``q`` quits). Without a
terminal the same keys are read from stdin as they arrive (``echo q | tempo-coach play ...``);
``--change T:+S`` scripts live changes at given session times (demos and tests). Finished
sets are saved like the window does.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import select
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tempo_coach.cli.options import UsageError, add_plan_options, at_amount, plan_from_args
from tempo_coach.core.records import SessionRecord, SetRecord
from tempo_coach.core.session import Session, SessionError, SessionStatus, Tick
from tempo_coach.core.tempo import PHASE_WORDS, TempoError
from tempo_coach.core.timeline import EventKind, SetPlan

LOOK_EVERY_S = 0.02  # how often the loop looks at the session (it never decides timing)
TAIL_S = 0.8  # sound still to be heard after the end (the last cue and the device buffer)


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
    parser.add_argument("--volume", type=float, default=None, metavar="V", help="0 to 1")
    parser.add_argument(
        "--speed",
        type=float,
        default=1.0,
        metavar="FACTOR",
        help="run FACTOR times faster than real time (demos, tests); default 1",
    )
    parser.add_argument("--load", type=float, default=None, metavar="X", help="load used")
    parser.add_argument(
        "--change",
        action="append",
        default=[],
        metavar="T:+S",
        help="at T seconds of session time, change the lowering count by S seconds",
    )
    parser.add_argument("--no-save", action="store_true", help="do not save the sets")
    parser.add_argument("--quiet", action="store_true", help="print only the summary")
    parser.set_defaults(run=run)


def _now_iso() -> str:
    return datetime.datetime.now().astimezone().isoformat(timespec="seconds")


def _list_backends() -> int:
    from tempo_coach.audio import available_backends

    for name, available, reason in available_backends():
        state = "available  " if available else "unavailable"
        print(f"{name:<12} {state}  {reason}")
    return 0


@contextlib.contextmanager
def _keys() -> Iterator[Any]:
    """Yield a function returning the keys typed since the last call ('+', '-', ' ', 'q')."""
    fd = sys.stdin.fileno() if sys.stdin is not None and not sys.stdin.closed else -1
    if fd < 0:
        yield lambda: []
        return
    tty_state = None
    if os.isatty(fd):
        import termios
        import tty

        tty_state = termios.tcgetattr(fd)
        tty.setcbreak(fd)
    open_ = {"eof": False}

    def read() -> list[str]:
        if open_["eof"]:
            return []
        keys: list[str] = []
        while select.select([fd], [], [], 0)[0]:
            data = os.read(fd, 64)
            if not data:
                open_["eof"] = True
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


def _parse_changes(texts: list[str]) -> list[tuple[float, int]]:
    """``--change`` values as (session seconds, change in ms), in time order."""
    changes = []
    for text in texts:
        at_s, amount = at_amount("--change", text, "12.5:+1")
        if amount == 0:
            raise UsageError(f"--change {text!r}: the change must not be 0")
        changes.append((at_s, round(amount * 1000)))
    return sorted(changes)


def _open_store(data_dir: Path | None) -> Any:
    try:
        from tempo_coach.store import Store
    except ImportError:
        return None
    try:
        return Store.open(data_dir)
    except Exception as error:  # the set must run even when the log cannot be opened
        print(f"note: the training log cannot be opened ({error}); sets are not saved")
        return None


def _preferences(store: Any) -> dict[str, Any]:
    from tempo_coach.core.preferences import defaults

    if store is None:
        return defaults()
    try:
        values: dict[str, Any] = store.load_preferences()
        return values
    except Exception as error:
        print(f"note: preferences could not be read ({error}); using the defaults")
        return defaults()


def run(args: argparse.Namespace, data_dir: Path | None) -> int:
    if args.backend == "list":
        return _list_backends()
    if not args.exercise:
        raise UsageError("--exercise NAME is needed (see `tempo-coach exercises`)")
    plan = plan_from_args(args)
    changes = _parse_changes(args.change)
    if not args.speed > 0 or args.speed > 100:
        raise UsageError(f"--speed must be above 0 and at most 100, got {args.speed:g}")
    if args.volume is not None and not 0.0 <= args.volume <= 1.0:
        raise UsageError(f"--volume must be 0 to 1, got {args.volume:g}")
    if args.backend is not None:
        from tempo_coach.audio.chooser import BACKENDS

        if args.backend not in BACKENDS:
            raise UsageError(
                f"--backend {args.backend!r}: choose one of {', '.join(BACKENDS)} or 'list'"
            )
    store = None if args.no_save else _open_store(data_dir)
    try:
        return _play(args, plan, changes, store)
    finally:
        if store is not None:
            store.close()


def _play(
    args: argparse.Namespace, plan: SetPlan, changes: list[tuple[float, int]], store: Any
) -> int:
    import logging

    from tempo_coach.audio import choose_output

    # Qt Multimedia's start-up chatter (FFmpeg version, no PipeWire) is not for the lifter.
    os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")

    # The problem listener below tells the lifter; the log would only repeat it.
    logging.basicConfig(level=logging.ERROR, format="%(message)s", stream=sys.stderr)
    preferences = dict(_preferences(store))
    if args.backend is not None:
        preferences["audio_backend"] = args.backend
    if args.volume is not None:
        preferences["volume"] = args.volume
    output = choose_output(preferences, speed=args.speed)
    output.set_problem_listener(lambda message: print(f"\nsound: {message}", file=sys.stderr))
    session = Session(
        plan,
        output.clock,
        load=args.load,
        commit_horizon_ms=output.horizon_ms,
        wall_time=_now_iso,
    )
    started_at = _now_iso()
    say = (lambda *a, **k: None) if args.quiet else print
    print(f"{plan.exercise.name}: tempo {plan.tempo.notation()}, {plan.sets} x {plan.reps}")
    for reason in output.reasons:
        print(f"note: {reason}", file=sys.stderr)
    print(f"output: {output.status_text}")
    say("keys: + / - change the lowering count, space pauses, q quits")
    first = session.start()
    output.begin(session)
    pending_changes = list(changes)
    try:
        with _keys() as keys:
            while session.status in (SessionStatus.RUNNING, SessionStatus.PAUSED):
                tick = session.poll()
                if first:
                    tick, first = Tick(first.events + tick.events), Tick()
                for event in tick.events:
                    _show_event(say, plan, event)
                for record in tick.sets_finished:
                    say(f"  set {record.set_number} done: {record.reps_done} reps")
                t = session.session_ms()
                while pending_changes and t >= pending_changes[0][0] * 1000:
                    _, delta = pending_changes.pop(0)
                    _change(session, output, delta, say)
                for key in keys():
                    if key in "+-":
                        _change(session, output, 1000 if key == "+" else -1000, say)
                    elif key == " ":
                        session.toggle_pause()
                        output.session_changed()
                        say("  paused" if session.status is SessionStatus.PAUSED else "  go on")
                    elif key == "q":
                        tick = session.abort()
                        output.session_changed()
                        say("  stopped")
                        break
                time.sleep(LOOK_EVERY_S)
        if session.status is SessionStatus.FINISHED:
            # Let the last cue (and what the device still holds) be heard.
            until = output.clock.now() + TAIL_S * args.speed
            deadline = time.monotonic() + TAIL_S + 2.0
            while output.clock.now() < until and time.monotonic() < deadline:
                time.sleep(LOOK_EVERY_S)
    finally:
        output.end()
        output.close()
    session.poll()
    sets = session.set_records
    finished = session.status is SessionStatus.FINISHED
    print(
        f"{'finished' if finished else 'stopped'}: {len(sets)} set(s), "
        f"{sum(s.reps_done for s in sets)} reps, output {output.name}"
    )
    _save(store, plan, sets, started_at, finished)
    return 0


def _change(session: Session, output: Any, delta_ms: int, say: Any) -> None:
    try:
        change = session.change_eccentric(delta_ms)
    except (TempoError, SessionError) as error:
        say(f"  cannot change: {error}")
        return
    output.session_changed()
    say(f"  lowering now {change.to_ms / 1000:g} s (from set {change.set_number} rep {change.rep})")


def _show_event(say: Any, plan: SetPlan, event: Any) -> None:
    if event.kind is EventKind.PHASE and event.phase is not None:
        where = (
            f"set {event.set_number} rep {event.rep}" if event.rep else f"set {event.set_number}"
        )
        name = plan.exercise.phase_name(event.phase)
        if event.phase.value in ("count_in", "rest"):
            name = PHASE_WORDS[event.phase]
        say(f"{event.t_ms / 1000:8.1f}  {where:<14} {name} ({(event.duration_ms or 0) / 1000:g} s)")
    elif event.kind is EventKind.SIDE and event.side is not None:
        say(f"{event.t_ms / 1000:8.1f}  switch to the {event.side.value} side")
    elif event.kind is EventKind.COUNT:
        say(f"{event.t_ms / 1000:8.1f}      {event.count}")
    elif event.kind is EventKind.END:
        say(f"{event.t_ms / 1000:8.1f}  end")


def _save(
    store: Any, plan: SetPlan, sets: tuple[SetRecord, ...], started_at: str, finished: bool
) -> None:
    if store is None or not sets:
        return
    record = SessionRecord(
        session_id=uuid.uuid4().hex,
        exercise_id=plan.exercise.exercise_id,
        exercise_name=plan.exercise.name,
        started_at=started_at,
        sets=sets,
        finished=finished,
    )
    try:
        store.save_session(record)
    except Exception as error:  # StoreError (read-only) and disk errors: say so, lose nothing else
        print(f"note: the sets were not saved: {error}")
        return
    print(f"saved to the training log in {store.path}")
