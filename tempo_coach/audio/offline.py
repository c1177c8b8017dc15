"""Render a whole session's cue track offline, with live changes and pauses at given times.

The session runs on a FakeClock driven from here, exactly as a live session would be driven
by a listener: at each scripted moment the clock is moved there, the session polled and the
action applied, and the renderer re-plans from that moment on (nothing before it moves).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import numpy as np

from tempo_coach.audio.base import CLIP_GUARD_SILENCE_S
from tempo_coach.audio.renderer import CueRenderer, sample_at
from tempo_coach.audio.sounds import RATE
from tempo_coach.core.clock import FakeClock
from tempo_coach.core.session import Session, SessionStatus
from tempo_coach.core.timeline import SetPlan

#: The sample of a rendered track at which the session's time 0 falls: the same leading
#: silence as a simpleaudio buffer, so a file played back is not clipped either.
SESSION_ZERO_SAMPLE = round(CLIP_GUARD_SILENCE_S * RATE)


class ActionKind(str, Enum):
    CHANGE = "change"  # value: seconds added to the lowering count
    PAUSE = "pause"  # value: seconds the pause lasts


@dataclass(frozen=True)
class Action:
    at_s: float  # session time (pauses excluded) at which it happens
    kind: ActionKind
    value: float


@dataclass(frozen=True)
class RenderedTrack:
    samples: np.ndarray  # int16 mono
    session: Session
    problems: tuple[str, ...]


@dataclass(frozen=True)
class PlannedTrack:
    """A session run through with its actions and every voice placed in the renderer, no
    sample rendered yet: ``renderer.render(start, frames)`` gives any block of the
    ``length`` samples (so a long track can be written block by block)."""

    length: int  # samples
    session: Session
    problems: tuple[str, ...]


def render_session(
    plan: SetPlan,
    renderer: CueRenderer,
    actions: list[Action] | None = None,
    *,
    start_clock: float = 1000.0,
) -> RenderedTrack:
    """The session's cue track; the session's time 0 is at sample SESSION_ZERO_SAMPLE."""
    planned = plan_track(plan, renderer, actions, start_clock=start_clock)
    samples = renderer.render(0, planned.length)
    return RenderedTrack(samples, planned.session, planned.problems)


def plan_track(
    plan: SetPlan,
    renderer: CueRenderer,
    actions: list[Action] | None = None,
    *,
    start_clock: float = 1000.0,
) -> PlannedTrack:
    """Run the session with its actions and place every voice in ``renderer``; the length
    of the track is then known before any sample is rendered.

    Clock values are whole samples apart (the clock counts samples, like a stream's), so
    every pause lasts a whole number of samples."""
    clock = FakeClock(start_clock)
    session = Session(plan, clock)
    session.start()
    problems: list[str] = []

    def origin() -> int:
        return SESSION_ZERO_SAMPLE + round((session.wall_offset_s() - start_clock) * RATE)

    def stream_sample_now() -> int:
        return SESSION_ZERO_SAMPLE + round((clock.now() - start_clock) * RATE)

    renderer.replan(session, origin(), committed=0)
    for action in sorted(actions or [], key=lambda a: a.at_s):
        at_ms = round(action.at_s * 1000)
        if at_ms > session.total_ms:
            problems.append(f"{action.kind.value} at {action.at_s:g} s is after the end")
            continue
        target = session.wall_offset_s() + at_ms / 1000
        clock.set(max(clock.now(), round(target * RATE) / RATE))
        session.poll()
        if session.status is not SessionStatus.RUNNING:
            continue
        if action.kind is ActionKind.CHANGE:
            try:
                session.change_eccentric(round(action.value * 1000))
            except ValueError as error:  # TempoError: out of range
                problems.append(f"change at {action.at_s:g} s: {error}")
                continue
            except RuntimeError as error:  # SessionError: nothing left to change
                problems.append(f"change at {action.at_s:g} s: {error}")
                continue
        else:
            session.pause()
            renderer.replan(session, None, committed=stream_sample_now())
            clock.advance(round(action.value * RATE) / RATE)
            session.resume()
        renderer.replan(session, origin(), committed=stream_sample_now())
    end = sample_at(origin(), session.total_ms)
    length = max(end, renderer.end_sample()) + RATE // 2
    return PlannedTrack(length, session, tuple(problems))
