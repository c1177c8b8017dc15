"""Audio: the sound set, the cue-track renderer and the playback back-ends.

The window and the command line use two functions: ``choose_output(preferences)`` returns the
``CueOutput`` to drive a session with, and ``available_backends()`` lists every back-end with
whether it can run here and why not. Qt and simpleaudio are imported only when a back-end
that needs them is tried. docs/AUDIO.md describes the design and the measured figures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tempo_coach.audio.chooser import FallbackOutput
    from tempo_coach.core.preferences import Preferences


def choose_output(preferences: Preferences, speed: float = 1.0) -> FallbackOutput:
    """The CueOutput for these preferences (see tempo_coach.audio.chooser.choose_output)."""
    from tempo_coach.audio.chooser import choose_output as choose

    return choose(preferences, speed)


def available_backends() -> list[tuple[str, bool, str]]:
    """(name, available, reason or description) per back-end, in priority order."""
    from tempo_coach.audio.chooser import available_backends as backends

    return backends()


__all__ = ["available_backends", "choose_output"]
