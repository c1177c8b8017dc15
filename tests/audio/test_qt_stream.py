"""The stream engine's PulseAudio latency request (tempo_coach/audio/_qt_stream.py)."""

from __future__ import annotations

import os
import threading

import pytest

from tempo_coach.audio._qt_stream import PULSE_LATENCY_ENV, pulse_latency


def test_latency_is_asked_only_while_the_sink_connects(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PULSE_LATENCY_ENV, raising=False)
    with pulse_latency(100):
        assert os.environ[PULSE_LATENCY_ENV] == "100"
    assert PULSE_LATENCY_ENV not in os.environ  # other clients (simpleaudio via ALSA) unaffected


def test_latency_is_removed_after_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PULSE_LATENCY_ENV, raising=False)
    with pytest.raises(RuntimeError), pulse_latency(100):
        raise RuntimeError("the sink could not start")
    assert PULSE_LATENCY_ENV not in os.environ


def test_the_users_own_setting_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PULSE_LATENCY_ENV, "35")
    with pulse_latency(100):
        assert os.environ[PULSE_LATENCY_ENV] == "35"
    assert os.environ[PULSE_LATENCY_ENV] == "35"


def test_zero_leaves_qt_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PULSE_LATENCY_ENV, raising=False)
    with pulse_latency(0):
        assert PULSE_LATENCY_ENV not in os.environ


def test_two_sinks_starting_at_once_do_not_interleave(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PULSE_LATENCY_ENV, raising=False)
    seen: list[str | None] = []
    inside = threading.Event()
    release = threading.Event()

    def first() -> None:
        with pulse_latency(100):
            inside.set()
            release.wait(5)
            seen.append(os.environ.get(PULSE_LATENCY_ENV))

    def second() -> None:
        inside.wait(5)
        with pulse_latency(100):
            seen.append(os.environ.get(PULSE_LATENCY_ENV))

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    inside.wait(5)
    release.set()
    for t in threads:
        t.join(5)
    assert seen == ["100", "100"]
    assert PULSE_LATENCY_ENV not in os.environ
