"""``tempo-coach render``: write a session's cue track as a WAV (live changes at given times).

The track is the one the window would play: the user's own exercises are found too, and the
preferences give the count-in, count style, explosive lift, which cues sound (and as beeps,
a voice or both), the volume and the sound theme; an option replaces its preference for this
run.

Everything that can be known before a sample is rendered is checked first, and a problem is
one line naming the option, with exit status 2: the options, the length of the track (at
most ``MAX_TRACK_SECONDS``: a cue track is for one session, and at 44.1 kHz 16-bit mono an
hour is 318 MB, a twelfth of what a WAV can hold), and the files: ``--out`` and ``--cues``
are opened (the WAV's header and the cues written) before rendering starts. The samples are then
rendered and written block by block (``CHUNK_FRAMES``), so memory stays the same whatever
the length. Each file is written to a temporary beside it and renamed over it only when
whole, so a render that fails (a full disk) or is interrupted leaves the old file as it was
and never a WAV whose header promises samples it does not hold; a failure then is exit
status 1. A device or a pipe (``--out /dev/stdout``) is written as it is.

The WAV header is written here (44 bytes, ``wav_header``) rather than by the ``wave``
module: ``wave`` writes its header lazily and patches it on close (a seek), and after a
failed write its ``close()`` (run again by its ``__del__``) raises a second error of its own.

The audio package (numpy, the sound set) is imported in ``run()``, so that the other commands
start without it.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import stat
import struct
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from tempo_coach.cli.options import (
    UsageError,
    add_plan_options,
    at_amount,
    checked_path,
    checked_volume,
    note,
    note_short_reset,
    plan_from_args,
    read_user_data,
)
from tempo_coach.cli.terminal import one_line, shown
from tempo_coach.core.preferences import PREFERENCES_BY_NAME
from tempo_coach.core.tempo import ECCENTRIC_RANGE_MS, Phase
from tempo_coach.core.timeline import SetPlan, plan_segments

if TYPE_CHECKING:
    from tempo_coach.audio.offline import Action
    from tempo_coach.audio.renderer import CueRenderer

#: The longest cue track ``render`` writes (the whole file, silence before and after too).
MAX_TRACK_SECONDS = 3600
#: Samples rendered and written at a time: about 1.5 s, 128 KB.
CHUNK_FRAMES = 1 << 16
TEMPORARY_PREFIX = ".tempo-coach-render-"


class OutputError(Exception):
    """A file could not be written once rendering had begun (exit status 1)."""


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
                raise UsageError(f"--pause {shown(text)}: a pause lasts more than 0 seconds")
            if kind is ActionKind.PAUSE and value > MAX_TRACK_SECONDS:
                raise UsageError(
                    f"--pause {shown(text)}: a pause lasts at most {MAX_TRACK_SECONDS} seconds "
                    f"(the whole track at most {duration_text(MAX_TRACK_SECONDS)})"
                )
            if kind is ActionKind.CHANGE and value == 0:
                raise UsageError(f"--change {shown(text)}: the change must not be 0")
            actions.append(Action(at_s, kind, value))
    return actions


def duration_text(seconds: float) -> str:
    """``1 h``, ``1 h 0 min 6 s``, ``12 min 30 s``, ``45 s``."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours} h"] if hours else []
    parts += [f"{minutes} min"] if minutes or (hours and secs) else []
    parts += [f"{secs} s"] if secs or not parts else []
    return " ".join(parts)


def shortest_track_s(plan: SetPlan, actions: list[Action]) -> float:
    """A length the track cannot be shorter than, from the plan alone (cheap: no session is
    run): every lowering at the shortest a ``--change`` could make it, when one shortens."""
    from tempo_coach.audio.offline import ActionKind

    segments = plan_segments(plan)
    total_ms = segments[-1].end_ms if segments else 0
    if any(a.kind is ActionKind.CHANGE and a.value < 0 for a in actions):
        lowerings = sum(1 for s in segments if s.phase is Phase.ECCENTRIC)
        total_ms -= lowerings * (plan.tempo.eccentric_ms - ECCENTRIC_RANGE_MS[0])
    return total_ms / 1000


def _too_long(seconds: float, *, at_least: bool) -> UsageError:
    return UsageError(
        f"the cue track would last {'at least ' if at_least else ''}{duration_text(seconds)}; "
        f"render writes at most {duration_text(MAX_TRACK_SECONDS)}: fewer --sets or --reps, "
        "or a shorter --rest, --pause or --tempo"
    )


def checked_theme(text: str) -> str:
    """``--theme``: 'default' or a folder that is there. (A theme saved in the preferences
    that has gone is a note and the built-in sounds; one typed here is a mistake to say.)"""
    if text == "default":
        return text
    path = checked_path("--theme", text)
    try:
        is_folder = path.is_dir()
    except OSError as error:
        raise UsageError(f"--theme {shown(text)}: {error.strerror or error}") from None
    if not is_folder:
        raise UsageError(
            f"--theme {shown(text)}: no such folder; give 'default' or a folder of cue WAVs"
        )
    return str(path)


def checked_output(option: str, text: str) -> Path:
    """An output path that could be a file: its folder there, not a folder itself. What
    only writing can tell (permissions, a read-only disk) is found by ``Output.open``."""
    path = checked_path(option, text)
    try:
        if path.is_dir():
            raise UsageError(f"{option} {shown(text)} is a folder: give a file name")
        folder = path.parent
        if not folder.exists():
            raise UsageError(f"{option} {shown(text)}: the folder {folder} does not exist")
        if not folder.is_dir():
            raise UsageError(f"{option} {shown(text)}: {folder} is not a folder")
    except OSError as error:
        raise UsageError(f"{option} {shown(text)}: {error.strerror or error}") from None
    return path


class Output:
    """One file ``render`` writes: a temporary beside it, renamed over it by ``commit``
    (``discard`` removes it); or a device or pipe, written directly."""

    def __init__(self, option: str, path: Path, fd: int, temporary: Path | None) -> None:
        self.option = option
        self.path = path
        self.fd: int | None = fd
        self.temporary = temporary
        self._final = Path(os.path.realpath(path)) if temporary is not None else path

    @classmethod
    def open(cls, option: str, path: Path) -> Output:
        """Raises UsageError naming ``option`` when nothing can be written there."""

        def refused(error: OSError, where: str = "") -> UsageError:
            return UsageError(f"{option} {shown(str(path))}: {where}{error.strerror or error}")

        try:
            status: os.stat_result | None = os.stat(path)
        except FileNotFoundError:
            status = None
        except OSError as error:
            raise refused(error) from None
        if status is not None and not stat.S_ISREG(status.st_mode):
            # A device or a pipe: written as it is. Non-blocking to open, so that a pipe no
            # program reads is an error (ENXIO) instead of a wait; blocking again to write.
            nonblocking = getattr(os, "O_NONBLOCK", 0)
            try:
                fd = os.open(path, os.O_WRONLY | nonblocking | getattr(os, "O_CLOEXEC", 0))
            except OSError as error:
                if error.errno == errno.ENXIO:
                    raise UsageError(
                        f"{option} {shown(str(path))}: a pipe that no program reads"
                    ) from None
                raise refused(error) from None
            if nonblocking:
                os.set_blocking(fd, True)
            return cls(option, path, fd, None)
        folder = Path(os.path.realpath(path)).parent
        try:
            fd, name = tempfile.mkstemp(prefix=TEMPORARY_PREFIX, suffix=".tmp", dir=folder)
        except OSError as error:
            raise refused(error, f"cannot write a file in {folder}: ") from None
        output = cls(option, path, fd, Path(name))
        with contextlib.suppress(OSError):  # mkstemp makes it private; give it the usual mode
            os.fchmod(fd, (status.st_mode & 0o7777) if status is not None else _new_file_mode())
        return output

    def write(self, data: bytes) -> None:
        """Raises OutputError naming the option."""
        assert self.fd is not None
        view = memoryview(data)
        try:
            while view:
                view = view[os.write(self.fd, view) :]
        except OSError as error:
            raise self._error(error) from None

    def is_stdout(self) -> bool:
        """Writing to this process's standard output (``--out /dev/stdout``)?"""
        if self.fd is None:
            return False
        try:
            mine, theirs = os.fstat(self.fd), os.fstat(sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):
            return False
        return (mine.st_dev, mine.st_ino) == (theirs.st_dev, theirs.st_ino)

    def commit(self) -> None:
        """Make the file durable and put it in place. Raises OutputError."""
        assert self.fd is not None
        try:
            if self.temporary is not None:
                os.fsync(self.fd)
            fd, self.fd = self.fd, None
            os.close(fd)
            if self.temporary is not None:
                os.replace(self.temporary, self._final)
                self.temporary = None
        except OSError as error:
            raise self._error(error) from None

    def _error(self, error: OSError) -> OutputError:
        kept = "; the file there is unchanged" if self.temporary is not None else ""
        return OutputError(
            f"cannot write {self.option} {shown(str(self.path))}: {error.strerror or error}{kept}"
        )

    def discard(self) -> None:
        """Close and remove the temporary (idempotent); never raises."""
        if self.fd is not None:
            fd, self.fd = self.fd, None
            with contextlib.suppress(OSError):
                os.close(fd)
        if self.temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.temporary)
            self.temporary = None


def _new_file_mode() -> int:
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def wav_header(frames: int, rate: int) -> bytes:
    """The 44-byte header of a 16-bit mono PCM WAV of ``frames`` samples."""
    data_bytes = frames * 2
    return struct.pack(
        "<4sI4s4sIHHIIHH4sI",
        b"RIFF",
        36 + data_bytes,
        b"WAVE",
        b"fmt ",
        16,  # the size of the format chunk
        1,  # PCM
        1,  # mono
        rate,
        rate * 2,  # bytes a second
        2,  # bytes a frame
        16,  # bits a sample
        b"data",
        data_bytes,
    )


@contextlib.contextmanager
def _opened(outputs: list[Output]) -> Iterator[list[Output]]:
    """Whatever happens (an error, Ctrl+C), no temporary is left behind."""
    try:
        yield outputs
    finally:
        for output in outputs:
            output.discard()


def run(args: argparse.Namespace, data_dir: Path | None) -> int:
    from tempo_coach.audio.cues import CueOptions
    from tempo_coach.audio.offline import plan_track
    from tempo_coach.audio.renderer import CueRenderer
    from tempo_coach.audio.sounds import RATE, load_sound_set

    actions = parse_actions(args)
    overrides: dict[str, object] = {}
    if args.volume is not None:
        overrides["volume"] = checked_volume(args.volume)
    if args.theme is not None:
        overrides["sound_theme"] = checked_theme(args.theme)
    out = checked_output("--out", args.out)
    cues = checked_output("--cues", args.cues) if args.cues is not None else None
    if cues is not None and os.path.realpath(cues) == os.path.realpath(out):
        raise UsageError(f"--cues {shown(args.cues)} is the --out file: give another name")
    user = read_user_data(data_dir)
    plan = plan_from_args(args, user)
    note_short_reset(plan)
    # The length first from the plan alone (a 70-hour plan is refused at once), then
    # exactly, once the session has run through its changes and pauses.
    at_least = shortest_track_s(plan, actions)
    if at_least > MAX_TRACK_SECONDS:
        raise _too_long(at_least, at_least=True)
    preferences = user.preferences.with_values(**overrides)
    options = CueOptions.from_preferences(preferences)
    sounds = load_sound_set(preferences.sound_theme, preferences.volume, options.cue_voice)
    for problem in sounds.problems:
        note(problem)
    renderer = CueRenderer(sounds, options)
    track = plan_track(plan, renderer, actions)
    if track.length > MAX_TRACK_SECONDS * RATE:
        raise _too_long(track.length / RATE, at_least=False)
    for problem in track.problems:
        note(problem)

    with _opened([Output.open("--out", out)]) as outputs:
        wav = outputs[0]
        to_stdout = wav.is_stdout()
        if cues is not None:
            outputs.append(Output.open("--cues", cues))
        try:
            # The cues are known before any sample is rendered; so is a file that cannot
            # take them (/dev/full).
            wav.write(wav_header(track.length, RATE))
            if cues is not None:
                outputs[1].write(cue_lines(renderer).encode("utf-8"))
        except OutputError as error:
            raise UsageError(str(error)) from None
        try:
            for start in range(0, track.length, CHUNK_FRAMES):
                frames = min(CHUNK_FRAMES, track.length - start)
                wav.write(renderer.render(start, frames).astype("<i2", copy=False).tobytes())
            for output in outputs:
                output.commit()
        except OutputError as error:
            print(f"tempo-coach render: {one_line(str(error))}", file=sys.stderr)
            return 1
    seconds = track.length / RATE
    said = f"wrote {out} ({seconds:.1f} s, {len(renderer.voices)} cues, 44.1 kHz 16-bit mono)"
    # Never into the WAV itself (``--out /dev/stdout | aplay``).
    print(one_line(said), file=sys.stderr if to_stdout else sys.stdout)
    return 0


def cue_lines(renderer: CueRenderer) -> str:
    """``--cues``: one JSON line per cue (its sample, its time in the session, its sound)."""
    return "".join(
        json.dumps({"sample": v.start, "t": v.point.t_ms / 1000, "sound": v.point.sound}) + "\n"
        for v in renderer.voices
    )
