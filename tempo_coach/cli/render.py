"""``tempo-coach render``: write a session's cue track as a WAV (live changes at given times).

The track is the one the window would play: the user's own exercises are found too, and the
preferences give the count-in, count style, explosive lift, which cues sound (and as beeps,
a voice or both), the volume and the sound theme; an option replaces its preference for this
run.

The audio package (numpy, the sound set) is imported in ``run()``, so that the other commands
start without it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tempo_coach.cli.options import (
    UsageError,
    add_plan_options,
    at_amount,
    checked_volume,
    plan_from_args,
    read_user_data,
)
from tempo_coach.core.preferences import PREFERENCES_BY_NAME

if TYPE_CHECKING:
    from tempo_coach.audio.offline import Action


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "render", help="write the session's cue track (every cue on its sample) as a WAV"
    )
    add_plan_options(parser)
    parser.add_argument("--out", "-o", required=True, metavar="FILE.wav", help="WAV to write")
    parser.add_argument(
        "--change",
        action="append",
        default=[],
        metavar="T:+S",
        help="at T seconds of session time, make the lowering S seconds longer (+1) or "
        "shorter (-1), as a live change would; repeatable",
    )
    parser.add_argument(
        "--pause",
        action="append",
        default=[],
        metavar="T:S",
        help="at T seconds of session time, pause for S seconds; repeatable",
    )
    volume = PREFERENCES_BY_NAME["volume"]
    parser.add_argument(
        "--volume",
        type=float,
        metavar="V",
        help=f"{volume.minimum:g} to {volume.maximum:g} (default: your preference)",
    )
    parser.add_argument(
        "--theme",
        metavar="DIR",
        help="'default', or a folder of your own cue WAVs (default: your preference)",
    )
    parser.add_argument(
        "--cues", metavar="FILE", help="also write one JSON line per cue: time, sample, sound"
    )
    parser.set_defaults(run=run)


def parse_actions(args: argparse.Namespace) -> list[Action]:
    from tempo_coach.audio.offline import Action, ActionKind

    actions = []
    for kind, texts, example in (
        (ActionKind.CHANGE, args.change, "12.5:+1"),
        (ActionKind.PAUSE, args.pause, "30:5"),
    ):
        for text in texts:
            at_s, value = at_amount(f"--{kind.value}", text, example)
            if kind is ActionKind.PAUSE and value <= 0:
                raise UsageError(f"--pause {text!r}: a pause lasts more than 0 seconds")
            if kind is ActionKind.CHANGE and value == 0:
                raise UsageError(f"--change {text!r}: the change must not be 0")
            actions.append(Action(at_s, kind, value))
    return actions


def run(args: argparse.Namespace, data_dir: Path | None) -> int:
    from tempo_coach.audio.cues import CueOptions
    from tempo_coach.audio.offline import render_session
    from tempo_coach.audio.renderer import CueRenderer
    from tempo_coach.audio.sounds import RATE, load_sound_set, write_wav

    actions = parse_actions(args)
    overrides: dict[str, object] = {}
    if args.volume is not None:
        overrides["volume"] = checked_volume(args.volume)
    if args.theme is not None:
        overrides["sound_theme"] = args.theme
    out = Path(args.out)
    if out.is_dir():
        raise UsageError(f"--out {out} is a folder: give a file name ending in .wav")
    if not out.parent.exists():
        raise UsageError(f"--out: the folder {out.parent} does not exist")
    if args.cues and not Path(args.cues).parent.exists():
        raise UsageError(f"--cues: the folder {Path(args.cues).parent} does not exist")
    user = read_user_data(data_dir)
    plan = plan_from_args(args, user)
    preferences = user.preferences.with_values(**overrides)
    options = CueOptions.from_preferences(preferences)
    sounds = load_sound_set(preferences.sound_theme, preferences.volume, options.cue_voice)
    for problem in sounds.problems:
        print(f"note: {problem}", file=sys.stderr)
    renderer = CueRenderer(sounds, options)
    track = render_session(plan, renderer, actions)
    for problem in track.problems:
        print(f"note: {problem}", file=sys.stderr)
    write_wav(out, track.samples)
    seconds = len(track.samples) / RATE
    print(f"wrote {out} ({seconds:.1f} s, {len(renderer.voices)} cues, 44.1 kHz 16-bit mono)")
    if args.cues:
        with open(args.cues, "w", encoding="utf-8") as handle:
            for voice in renderer.voices:
                record = {
                    "sample": voice.start,
                    "t": voice.point.t_ms / 1000,
                    "sound": voice.point.sound,
                }
                handle.write(json.dumps(record) + "\n")
    return 0
