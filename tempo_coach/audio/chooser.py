"""Choosing the output: engines in priority order, a logged reason for each that cannot run,
and a switch to the next one (down to silent) when the device is lost mid-set.

``FallbackOutput`` is the ``CueOutput`` the window and the command line use. Its clock is an
``OutputClock`` that follows the active engine and stays continuous across a switch, so a
set never stops or jumps because the headphones were unplugged. A spoken cue that falls back
to a beep (a voice file missing) is told to the problem listener too, when the first session
begins: the lifter asked for a voice and must learn why there is none.

Qt's application object is made on the main thread, when the output is made: a switch after a
failure runs on a helper thread (the failing engine's own thread must be free to stop), and
the stream engine it may switch to needs that object. Made on the helper thread instead (the
command line has no Qt application of its own), Qt ended the process with a segmentation
fault at exit, after the session was saved: ``play --backend simpleaudio`` with the sound
server killed mid-set, 6 times out of 6 (issue 12; tests/audio/test_fallback_exit.py).
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable, Sequence

from tempo_coach.audio.base import Engine, EngineUnavailable, OutputClock
from tempo_coach.audio.cues import CueOptions
from tempo_coach.audio.renderer import CueRenderer
from tempo_coach.audio.silent import SILENT_TEXT, SilentEngine
from tempo_coach.audio.sounds import SoundSet, load_sound_set
from tempo_coach.core.clock import Clock
from tempo_coach.core.preferences import Preferences
from tempo_coach.core.session import Session
from tempo_coach.core.timeline import Event, first_difference

log = logging.getLogger(__name__)

#: Priority order for "auto".
BACKENDS: tuple[str, ...] = ("stream", "simpleaudio", "silent")

BACKEND_DESCRIPTIONS: dict[str, str] = {
    "stream": "one continuous Qt Multimedia stream, every cue on its sample",
    "simpleaudio": "simpleaudio playing the pre-rendered set as one buffer",
    "silent": "no sound: cues are visual only",
}


def backend_problem(name: str) -> str | None:
    """None when the back-end can be tried here, else why it cannot."""
    if name == "stream":
        from tempo_coach.audio.stream import qt_multimedia_problem

        problem = qt_multimedia_problem()
        if problem:
            return problem
        from tempo_coach.audio._qt_stream import ensure_qt_application

        ensure_qt_application()
        from PySide6.QtMultimedia import QMediaDevices

        if QMediaDevices.defaultAudioOutput().isNull():
            return "no audio output device was found"
        return None
    if name == "simpleaudio":
        from tempo_coach.audio.simple import simpleaudio_problem

        return simpleaudio_problem()
    if name == "silent":
        return None
    return f"unknown back-end {name!r}: choose one of {', '.join(BACKENDS)}"


def available_backends() -> list[tuple[str, bool, str]]:
    """(name, available, reason) for each back-end, in priority order, for the UI and CLI."""
    result = []
    for name in BACKENDS:
        problem = backend_problem(name)
        result.append((name, problem is None, problem or BACKEND_DESCRIPTIONS[name]))
    return result


def _on_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _prepare_qt(order: Sequence[str]) -> None:
    """Make Qt's application object now, on the main thread, when a stream may be opened
    later by a switch (on a helper thread: see the module docstring). Not when the stream
    comes only after the silent output, which never fails (``play --backend silent`` stays
    light)."""
    engines = list(order)
    before_silent = engines[: engines.index("silent")] if "silent" in engines else engines
    if "stream" not in before_silent or not _on_main_thread():
        return
    from tempo_coach.audio.stream import qt_multimedia_problem

    if qt_multimedia_problem() is None:
        from tempo_coach.audio._qt_stream import ensure_qt_application

        ensure_qt_application()


def _qt_application_problem() -> str | None:
    """Why the stream cannot be made on this thread, or None. Qt's application object must
    be made on the main thread; a helper thread may use it, never make it."""
    from tempo_coach.audio.stream import qt_multimedia_problem

    if _on_main_thread() or qt_multimedia_problem() is not None:
        return None  # (without Qt Multimedia, the engine itself says so)
    from PySide6.QtCore import QCoreApplication

    if QCoreApplication.instance() is None:
        return "it could not be opened outside the program's main thread"
    return None


def _make_engine(name: str, renderer_factory: Callable[[], CueRenderer]) -> Engine:
    if name == "stream":
        from tempo_coach.audio.stream import StreamEngine

        problem = _qt_application_problem()
        if problem is not None:
            raise EngineUnavailable(problem)

        return StreamEngine(renderer_factory)
    if name == "simpleaudio":
        from tempo_coach.audio.simple import SimpleAudioEngine

        return SimpleAudioEngine(renderer_factory)
    if name == "silent":
        return SilentEngine()
    raise EngineUnavailable(f"unknown back-end {name!r}: choose one of {', '.join(BACKENDS)}")


class FallbackOutput:
    """A CueOutput over engines tried in order; see the module docstring."""

    def __init__(
        self,
        order: list[str],
        sounds: SoundSet,
        options: CueOptions | None = None,
        speed: float = 1.0,
    ) -> None:
        self._order = list(order)
        if "silent" not in self._order:
            self._order.append("silent")
        self.sounds = sounds
        self.options = options or CueOptions()
        self._lock = threading.RLock()
        self._listener: Callable[[str], None] = lambda message: None
        self._session: Session | None = None
        self._points: CueRenderer | None = None  # compares cue tracks (no sound)
        self._reasons: list[str] = []
        self._begun = False  # a session has begun on an engine (the device opened)
        self._index = -1
        _prepare_qt(self._order)
        self._engine: Engine = self._next_engine()
        self._clock = OutputClock(self._engine.raw_now, speed)
        self.speed = speed
        self.switches: list[str] = []
        self._untold: list[str] = list(sounds.voice_problems)

    def _renderer(self) -> CueRenderer:
        return CueRenderer(self.sounds, self.options, speed=self.speed)

    def _next_engine(self) -> Engine:
        while True:
            self._index += 1
            name = self._order[self._index]
            try:
                return _make_engine(name, self._renderer)
            except EngineUnavailable as error:
                self._note(f"{name} output unavailable: {error}")

    def _note(self, reason: str) -> None:
        log.warning("%s", reason)
        self._reasons.append(reason)

    # -- CueOutput -----------------------------------------------------------------------------

    @property
    def name(self) -> str:
        return self._engine.name

    @property
    def engine(self) -> Engine:
        return self._engine

    @property
    def clock(self) -> Clock:
        return self._clock

    @property
    def horizon_ms(self) -> int:
        """In session time: at --speed 2 the stream's real 1000 ms are 2000 ms of the set."""
        return math.ceil(self._engine.horizon_ms * self.speed)

    @property
    def status_text(self) -> str:
        if self._engine.name == "silent":
            reason = f" ({self._reasons[-1]})" if self._reasons else ""
            return SILENT_TEXT + reason
        text = f"sound: {BACKEND_DESCRIPTIONS[self._engine.name]}"
        # The device opens when a session begins: until one has, that is the plan, not a fact.
        return text if self._begun else f"{text} (tried when the first session starts)"

    @property
    def reasons(self) -> tuple[str, ...]:
        """Why each engine tried before the active one could not be used."""
        return tuple(self._reasons)

    def first_audible_difference(self, old: Sequence[Event], new: Sequence[Event]) -> int | None:
        """Where the cue track of ``new`` first differs from that of ``old`` (session ms),
        with this output's cue options and sound lengths (a word that no longer fits before
        the next cue becomes a beep, so the difference can come before the events')."""
        session = self._session
        reps = session.plan.reps if session is not None else 0
        if self._points is None:
            self._points = self._renderer()
        return first_difference(
            self._points.points_of(old, reps), self._points.points_of(new, reps)
        )

    def begin(self, session: Session) -> None:
        with self._lock:
            self._session = session
            while True:
                engine = self._engine
                engine.set_failure_handler(self._failure_handler(engine))
                try:
                    engine.begin(session, self._clock.to_raw)
                    self._begun = True
                    break
                except EngineUnavailable as error:
                    self._advance(f"{engine.name} output could not start: {error}")
            untold, self._untold = self._untold, []
        for problem in untold:
            self._listener(problem)

    def _advance(self, reason: str) -> None:
        self._note(reason)
        old = self._engine
        self._engine = self._next_engine()
        self._clock.switch(self._engine.raw_now)
        self.switches.append(f"{old.name} -> {self._engine.name}")
        message = f"{reason}; now using: {self._engine.name}"
        if self._engine.name == "silent":
            message = f"{reason}; {SILENT_TEXT}"
        self._listener(message)

    def _failure_handler(self, engine: Engine) -> Callable[[str], None]:
        def handler(reason: str) -> None:
            self._failed(engine, reason)

        return handler

    def _failed(self, engine: Engine, reason: str) -> None:
        # Called from the engine's own thread: switch on another one, so that the engine
        # can be stopped and joined.
        threading.Thread(target=self._switch_after_failure, args=(engine, reason)).start()

    def _switch_after_failure(self, engine: Engine, reason: str) -> None:
        with self._lock:
            if engine is not self._engine:
                return
            try:
                engine.end()
            except Exception as error:  # a dying device may fail in any way; never stop the set
                log.warning("closing the failed %s output: %s", engine.name, error)
            self._advance(f"{engine.name} output stopped working: {reason}")
            session = self._session
            if session is None:
                return
            while True:
                current = self._engine
                current.set_failure_handler(self._failure_handler(current))
                try:
                    current.begin(session, self._clock.to_raw)
                    return
                except EngineUnavailable as error:
                    self._advance(f"{current.name} output could not start: {error}")

    def session_changed(self) -> None:
        with self._lock:
            self._engine.session_changed()

    def end(self) -> None:
        with self._lock:
            self._engine.end()
            self._session = None

    def set_problem_listener(self, listener: Callable[[str], None]) -> None:
        self._listener = listener

    def close(self) -> None:
        with self._lock:
            self._engine.close()
            self._session = None


def choose_output(preferences: Preferences, speed: float = 1.0) -> FallbackOutput:
    """The output the preferences ask for (``audio_backend``: "auto" or a name), falling
    back in priority order, with the sound theme, volume and cue switches applied. ``speed``
    runs sessions (and their sound) faster than real time, for demos and tests."""
    wanted = preferences.audio_backend
    if wanted == "auto":
        order = list(BACKENDS)
    else:
        order = [wanted] + [name for name in BACKENDS if name != wanted]
    options = CueOptions.from_preferences(preferences)
    sounds = load_sound_set(preferences.sound_theme, preferences.volume, options.cue_voice)
    for problem in sounds.problems:
        log.warning("%s", problem)
    return FallbackOutput(order, sounds, options, speed)
