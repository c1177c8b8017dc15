"""Preferences, declared once: name, type, allowed values or range, default, label.

The store validates what it loads against this table (an unknown or invalid value falls back
to its default and is reported, never fatal); the preferences dialog is built from it; the
rest of the app reads a frozen ``Preferences`` made from it. Defaults live only in the table.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PreferenceSpec:
    name: str
    kind: type  # bool, int, float or str
    default: Any
    label: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    help: str = ""
    restarts_output: bool = False  # a change needs a new audio output (sounds, device)
    shown: bool = True  # in the preferences dialog (False: kept by the window itself)

    def validate(self, value: Any) -> Any:
        """Return ``value`` in this preference's type, or raise ValueError saying why."""
        if self.kind is bool:
            if not isinstance(value, bool):
                raise ValueError(f"{self.label}: expected true or false, got {value!r}")
            return value
        if self.kind in (int, float):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"{self.label}: expected a number, got {value!r}")
            if not math.isfinite(value):
                raise ValueError(f"{self.label}: expected a finite number, got {value!r}")
            if self.kind is int and value != int(value):
                raise ValueError(f"{self.label}: expected a whole number, got {value!r}")
            number = int(value) if self.kind is int else float(value)
            if self.minimum is not None and number < self.minimum:
                raise ValueError(
                    f"{self.label}: must be {self.minimum:g} to {self.maximum:g}, got {number:g}"
                )
            if self.maximum is not None and number > self.maximum:
                raise ValueError(
                    f"{self.label}: must be {self.minimum:g} to {self.maximum:g}, got {number:g}"
                )
            return number
        if not isinstance(value, str):
            raise ValueError(f"{self.label}: expected text, got {value!r}")
        if self.choices and value not in self.choices:
            raise ValueError(
                f"{self.label}: must be one of {', '.join(self.choices)}, got {value!r}"
            )
        return value


PREFERENCES: tuple[PreferenceSpec, ...] = (
    PreferenceSpec("count_in_seconds", int, 3, "Count-in (seconds)", 0, 10),
    PreferenceSpec(
        "count_style",
        str,
        "up",
        "Count each phase",
        choices=("up", "down"),
        help="up: 1, 2, 3, 4; down: 4, 3, 2, 1",
    ),
    PreferenceSpec("explosive_seconds", float, 1.0, "Explosive (X) lift lasts (seconds)", 0.3, 3.0),
    PreferenceSpec("cue_phase", bool, True, "Sound a cue at each phase", restarts_output=True),
    PreferenceSpec(
        "cue_counts", bool, True, "Sound the counts inside a phase", restarts_output=True
    ),
    PreferenceSpec("cue_rest", bool, True, "Sound the rest countdown", restarts_output=True),
    PreferenceSpec(
        "cue_voice",
        str,
        "beeps",
        "Cues sound as",
        choices=("beeps", "voice", "both"),
        help="beeps; a voice saying the counts, phases and sides; or both",
        restarts_output=True,
    ),
    PreferenceSpec("volume", float, 0.8, "Volume", 0.0, 1.0, restarts_output=True),
    PreferenceSpec(
        "sound_theme",
        str,
        "default",
        "Sound theme",
        help="'default', or a folder of your own WAV files with the same names",
        restarts_output=True,
    ),
    PreferenceSpec(
        "audio_backend",
        str,
        "auto",
        "Audio output",
        help="'auto' tries each output in order; or name one",
        restarts_output=True,
    ),
    PreferenceSpec("units", str, "kg", "Load units", choices=("kg", "lb")),
    PreferenceSpec("default_rest_seconds", int, 90, "Default rest (seconds)", 0, 600),
    PreferenceSpec("theme", str, "system", "Theme", choices=("system", "light", "dark")),
    PreferenceSpec("keep_awake", bool, True, "Keep the screen awake during a session"),
    # Coaching (docs/COACHING.md).
    PreferenceSpec(
        "tap_mode",
        bool,
        False,
        "Tap a key when each lowering ends (tempo accuracy)",
        help="Each rep then records how long you really lowered, beside the count.",
    ),
    PreferenceSpec(
        "tap_key",
        str,
        "B",
        "Tap key",
        choices=("B", "Period", "T", "F9", "F12"),
        help="B and Period are the 'blank screen' key of most presentation clickers.",
    ),
    PreferenceSpec("tap_offset_ms", int, 0, "Tap offset (ms)", -1000, 1000, shown=False),
    PreferenceSpec(
        "rep_counts_at",
        str,
        "lowering",
        "The rep counter moves on at the end of the",
        choices=("lowering", "lifting"),
    ),
    PreferenceSpec("flash", bool, False, "Flash the window at each phase change"),
    PreferenceSpec("advice", bool, True, "Suggest the next step from your history"),
    PreferenceSpec("soreness_check", bool, False, "Ask how sore you are before a session"),
    PreferenceSpec(
        "warn_soreness", bool, True, "Warn when sore muscles are trained again within 48 h"
    ),
    PreferenceSpec("warn_frequency", bool, True, "Warn when lowering work exceeds 4 days in 7"),
    PreferenceSpec("first_session_tip", bool, True, "Tip for the first session of an exercise"),
    # The window's own memory (in the preferences file, not in QSettings: one store).
    PreferenceSpec(
        "window_geometry",
        str,
        "",
        "Window size and place",
        help="x,y,width,height of the window when it was last closed",
        shown=False,
    ),
    PreferenceSpec("window_gym_mode", bool, False, "Start in gym mode", shown=False),
)

PREFERENCES_BY_NAME: Mapping[str, PreferenceSpec] = {p.name: p for p in PREFERENCES}


def defaults() -> dict[str, Any]:
    return {p.name: p.default for p in PREFERENCES}


def validate_all(raw: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Every preference from ``raw``; invalid or unknown entries fall back, with a problem
    message each. Never raises."""
    values = defaults()
    problems: list[str] = []
    for name, value in raw.items():
        spec = PREFERENCES_BY_NAME.get(name)
        if spec is None:
            problems.append(f"unknown preference {name!r} ignored")
            continue
        try:
            values[name] = spec.validate(value)
        except ValueError as error:
            problems.append(f"{error}; using {spec.default!r}")
    return values, problems


@dataclass(frozen=True)
class Preferences:
    """Every preference, validated and typed. Made only from the table above (``of``,
    ``defaults``): the fields have no defaults of their own, and a test checks that their
    names and types are the table's."""

    count_in_seconds: int
    count_style: str
    explosive_seconds: float
    cue_phase: bool
    cue_counts: bool
    cue_rest: bool
    cue_voice: str
    volume: float
    sound_theme: str
    audio_backend: str
    units: str
    default_rest_seconds: int
    theme: str
    keep_awake: bool
    tap_mode: bool
    tap_key: str
    tap_offset_ms: int
    rep_counts_at: str
    flash: bool
    advice: bool
    soreness_check: bool
    warn_soreness: bool
    warn_frequency: bool
    first_session_tip: bool
    window_geometry: str
    window_gym_mode: bool

    @classmethod
    def of(cls, raw: Mapping[str, Any]) -> tuple[Preferences, list[str]]:
        """The preferences ``raw`` gives (invalid or unknown entries fall back to the
        default), with one problem message per entry that did. Never raises."""
        values, problems = validate_all(raw)
        return cls(**values), problems

    @classmethod
    def defaults(cls) -> Preferences:
        return cls(**defaults())

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    def with_values(self, **changes: Any) -> Preferences:
        """A copy with ``changes``, validated against the table (ValueError if invalid)."""
        for name, value in changes.items():
            spec = PREFERENCES_BY_NAME.get(name)
            if spec is None:
                raise ValueError(f"unknown preference {name!r}")
            changes[name] = spec.validate(value)
        return dataclasses.replace(self, **changes)

    def changed(self, other: Preferences) -> tuple[str, ...]:
        """The names whose values differ between the two."""
        return tuple(p.name for p in PREFERENCES if getattr(self, p.name) != getattr(other, p.name))

    def restarts_output(self, other: Preferences) -> bool:
        """Whether going from ``other`` to these needs a new audio output."""
        return any(PREFERENCES_BY_NAME[name].restarts_output for name in self.changed(other))
