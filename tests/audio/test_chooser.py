"""Choosing and switching outputs: tempo_coach/audio/chooser.py.

The device-loss path is tested for real in test_playback.py (the PulseAudio daemon is
stopped mid-set). Here scripted engines, held to the same Engine contract as the real ones,
check the order, the reasons, the listener and the clock across a switch, deterministically.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from tempo_coach.audio import chooser
from tempo_coach.audio.base import EngineUnavailable
from tempo_coach.audio.chooser import FallbackOutput, available_backends, choose_output
from tempo_coach.audio.cues import CueOptions
from tempo_coach.audio.renderer import CueRenderer
from tempo_coach.audio.silent import SILENT_TEXT, SilentEngine
from tempo_coach.audio.sounds import load_sound_set
from tempo_coach.core.clock import FakeClock
from tempo_coach.core.exercise import BUILTIN_EXERCISES, find_exercise
from tempo_coach.core.preferences import Preferences
from tempo_coach.core.session import Session
from tempo_coach.core.timeline import SetPlan

SOUNDS = load_sound_set("default", 1.0)


class ScriptedEngine:
    """An engine whose device works or fails on command, with a FakeClock as raw clock."""

    def __init__(self, name: str, *, fails_to_begin: bool = False) -> None:
        self.name = name
        self.clock = FakeClock(50.0)
        self.fails_to_begin = fails_to_begin
        self.began: list[Session] = []
        self.ended = 0
        self.changed = 0
        self.handler: Callable[[str], None] = lambda reason: None

    @property
    def horizon_ms(self) -> int:
        return 500

    def raw_now(self) -> float:
        return self.clock.now()

    def begin(self, session: Session, to_raw: Callable[[float], float]) -> None:
        if self.fails_to_begin:
            raise EngineUnavailable("the device is busy")
        self.began.append(session)

    def session_changed(self) -> None:
        self.changed += 1

    def end(self) -> None:
        self.ended += 1

    def close(self) -> None:
        self.end()

    def set_failure_handler(self, handler: Callable[[str], None]) -> None:
        self.handler = handler


def _install(monkeypatch: pytest.MonkeyPatch, engines: dict[str, object]) -> None:
    def make(name: str, factory: Callable[[], CueRenderer]) -> object:
        engine = engines[name]
        if isinstance(engine, Exception):
            raise engine
        return engine

    monkeypatch.setattr(chooser, "_make_engine", make)


def _session(clock: object) -> Session:
    plan = SetPlan.from_exercise(find_exercise("squat", BUILTIN_EXERCISES), reps=2, sets=1)
    return Session(plan, clock)  # type: ignore[arg-type]


def test_engines_that_cannot_run_are_skipped_with_their_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    simple = ScriptedEngine("simpleaudio")
    _install(
        monkeypatch,
        {"stream": EngineUnavailable("Qt Multimedia is not installed"), "simpleaudio": simple},
    )
    output = FallbackOutput(["stream", "simpleaudio"], SOUNDS)
    assert output.name == "simpleaudio"
    assert output.reasons == ("stream output unavailable: Qt Multimedia is not installed",)
    assert output.horizon_ms == 500


def test_an_engine_that_cannot_begin_hands_over_to_the_next(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stream = ScriptedEngine("stream", fails_to_begin=True)
    simple = ScriptedEngine("simpleaudio")
    _install(monkeypatch, {"stream": stream, "simpleaudio": simple})
    output = FallbackOutput(["stream", "simpleaudio"], SOUNDS)
    messages: list[str] = []
    output.set_problem_listener(messages.append)
    session = _session(output.clock)
    session.start()
    output.begin(session)
    assert output.name == "simpleaudio"
    assert simple.began == [session]
    assert messages == ["stream output could not start: the device is busy; now using: simpleaudio"]


def test_losing_the_device_mid_set_switches_and_the_clock_goes_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stream = ScriptedEngine("stream")
    silent = ScriptedEngine("silent")
    silent.clock = FakeClock(9000.0)
    _install(monkeypatch, {"stream": stream, "silent": silent})
    output = FallbackOutput(["stream"], SOUNDS)
    switched = threading.Event()
    messages: list[str] = []
    output.set_problem_listener(lambda m: (messages.append(m), switched.set()))
    session = _session(output.clock)
    session.start()
    output.begin(session)
    stream.clock.advance(4.0)
    before = session.session_ms()
    stream.handler("device unplugged")  # as the engine's own thread would
    assert switched.wait(5)
    assert output.name == "silent"
    assert stream.ended == 1 and silent.began == [session]
    assert session.session_ms() == before  # no jump at the switch
    silent.clock.advance(1.5)
    assert session.session_ms() == before + 1500  # and it keeps counting
    assert messages == [f"stream output stopped working: device unplugged; {SILENT_TEXT}"]
    assert output.status_text.startswith(SILENT_TEXT)


def test_silent_status_text_names_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    output = FallbackOutput(["silent"], SOUNDS)
    assert output.status_text == SILENT_TEXT
    assert isinstance(output.engine, SilentEngine)


def test_choose_output_honours_the_preferences() -> None:
    preferences = Preferences.defaults().with_values(
        audio_backend="silent", volume=0.5, cue_counts=False
    )
    output = choose_output(preferences)
    assert output.name == "silent"
    assert float(max(abs(output.sounds["tick"]))) == pytest.approx(0.89 * 0.5, abs=1e-3)
    assert output.options == CueOptions(cue_phase=True, cue_counts=False, cue_rest=True)


def test_choose_output_tries_the_named_backend_first_then_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stream = ScriptedEngine("stream")
    _install(monkeypatch, {"simpleaudio": EngineUnavailable("no ALSA"), "stream": stream})
    output = choose_output(Preferences.defaults().with_values(audio_backend="simpleaudio"))
    assert output.reasons == ("simpleaudio output unavailable: no ALSA",)
    assert output.engine is stream  # then the rest in priority order


def test_available_backends_lists_every_backend_with_a_reason() -> None:
    listed = available_backends()
    assert [name for name, _, _ in listed] == ["stream", "simpleaudio", "silent"]
    assert listed[-1][1] is True
    assert all(reason for _, _, reason in listed)


def _squat(count_style: str) -> SetPlan:
    """Squat 3-1-1-0, no count-in: rep 2's lowering starts at 5 s."""
    from tempo_coach.core.tempo import parse_tempo
    from tempo_coach.core.timeline import CountStyle

    return SetPlan.from_exercise(
        find_exercise("squat", BUILTIN_EXERCISES),
        tempo=parse_tempo("3-1-1-0"),
        reps=3,
        sets=1,
        count_in_ms=0,
        count_style=CountStyle(count_style),
    )


@pytest.mark.parametrize(
    ("style", "voice", "rep"),
    [
        ("up", "beeps", 2),  # 3 s and 4 s sound alike until the last-second tick (7 s)
        ("down", "beeps", 2),  # beeps: the ticks are alike too
        ("down", "voice", 3),  # "three" at 6 s is not "two": committed by 6.35 s
    ],
)
def test_a_press_in_the_lift_reaches_the_next_lowering_unless_its_sound_is_committed(
    monkeypatch: pytest.MonkeyPatch, style: str, voice: str, rep: int
) -> None:
    """Squat 3-1-1-0: rep 2's lowering starts at 5 s. A press at 4.85 s (150 ms before it)
    with 1.5 s of sound committed (simpleaudio's horizon) reaches rep 2 unless a sound of
    rep 2's lowering before 6.35 s would change."""
    from tempo_coach.audio.sounds import load_sound_set
    from tempo_coach.audio.voice import CueVoice

    engine = ScriptedEngine("stream")
    _install(monkeypatch, {"stream": engine})
    sounds = load_sound_set("default", 0.8, CueVoice(voice))
    output = FallbackOutput(["stream"], sounds, CueOptions(cue_voice=CueVoice(voice)))
    clock = FakeClock(0.0)
    session = Session(
        _squat(style),
        clock,
        commit_horizon_ms=1500,
        audible_difference=output.first_audible_difference,
    )
    session.start()
    output.begin(session)
    clock.advance(4.85)
    session.poll()
    change = session.change_eccentric(+1000)
    assert change.rep == rep
    output.end()


def test_the_first_audible_difference_is_where_the_cue_tracks_part(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine = ScriptedEngine("stream")
    _install(monkeypatch, {"stream": engine})
    output = FallbackOutput(["stream"], SOUNDS)
    clock = FakeClock(0.0)
    three = Session(_squat("up"), clock)
    four = Session(_squat("up"), clock)
    four.change_eccentric(+1000)  # idle: every lowering is 4 s
    output.begin(three)
    found = output.first_audible_difference(three.events, four.events)
    assert found is not None and found >= 1000, "the lowering's start and first tick agree"
    assert output.first_audible_difference(three.events, three.events) is None
    output.end()


def test_the_status_says_an_output_is_in_use_only_once_it_began(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Before a session the device is not open yet: on a machine without sound the window
    said "sound: one continuous Qt Multimedia stream" until the first Space."""
    stream = ScriptedEngine("stream", fails_to_begin=True)
    simple = ScriptedEngine("simpleaudio")
    _install(monkeypatch, {"stream": stream, "simpleaudio": simple})
    output = FallbackOutput(["stream", "simpleaudio"], SOUNDS)
    assert output.status_text.endswith("(tried when the first session starts)")
    session = _session(output.clock)
    session.start()
    output.begin(session)
    assert output.status_text.startswith("sound: ")
    assert "tried when" not in output.status_text and output.name == "simpleaudio"
