"""``tempo-coach render``: tempo_coach/cli/render.py, checked by finding the cues in the WAV."""

from __future__ import annotations

import json
import os
import resource
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from tempo_coach.audio.cues import CueOptions
from tempo_coach.audio.offline import render_session
from tempo_coach.audio.onsets import detect_onsets, read_wav_int16
from tempo_coach.audio.renderer import CueRenderer
from tempo_coach.audio.sounds import load_sound_set
from tempo_coach.cli import build_parser, main
from tempo_coach.cli.options import plan_from_args
from tempo_coach.cli.render import CHUNK_FRAMES, parse_actions
from tempo_coach.core.exercise import BUILTIN_EXERCISES, find_exercise
from tempo_coach.core.preferences import Preferences
from tempo_coach.core.tempo import parse_tempo
from tempo_coach.core.timeline import SetPlan
from tempo_coach.store import Store
from tests.audio.expected import planned_cues
from tests.cli.conftest import ring_dip, save_in


def _render(python: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [python, "-m", "tempo_coach", "render", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_render_puts_every_cue_on_its_planned_sample(
    tmp_path: Path, python: str, cli_env: dict[str, str]
) -> None:
    out = tmp_path / "track.wav"
    cues = tmp_path / "cues.jsonl"
    result = _render(
        python, cli_env,
        "-e", "box step-down", "-t", "2.5-0-1-0", "-r", "3", "-s", "2", "--rest", "6",
        "--change", "4.2:+1", "--change", "13.6:-1.5", "--pause", "9.3:2.25",
        "--out", str(out), "--cues", str(cues),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "wrote" in result.stdout
    samples, rate = read_wav_int16(out)
    assert rate == 44100
    plan = SetPlan.from_exercise(
        find_exercise("box step-down", BUILTIN_EXERCISES),
        tempo=parse_tempo("2.5-0-1-0"),
        reps=3,
        sets=2,
        rest_ms=6000,
    )
    planned = planned_cues(plan, [(4.2, 1000), (13.6, -1500)], [(9.3, 2.25)])
    onsets = detect_onsets(samples, rate).tolist()
    assert onsets == [sample for sample, _ in planned]  # zero error, nothing lost or doubled
    listed = [json.loads(line) for line in cues.read_text().splitlines()]
    assert [(c["sample"], c["sound"]) for c in listed] == planned
    assert {"side_left", "side_right", "last_rep"} <= {c["sound"] for c in listed}
    assert int(np.max(np.abs(samples.astype(np.int32)))) < 32767


def test_render_refuses_bad_changes_with_a_clear_message(
    tmp_path: Path, python: str, cli_env: dict[str, str]
) -> None:
    result = _render(
        python, cli_env, "-e", "squat", "--change", "soon", "--out", str(tmp_path / "x.wav")
    )
    assert result.returncode == 2
    assert "--change 'soon'" in result.stderr
    assert not (tmp_path / "x.wav").exists()


def test_render_refuses_a_volume_outside_the_preferences_range(
    tmp_path: Path, python: str, cli_env: dict[str, str]
) -> None:
    result = _render(
        python, cli_env, "-e", "squat", "--volume", "1.5", "--out", str(tmp_path / "x.wav")
    )
    assert result.returncode == 2
    assert "tempo-coach render: error: --volume must be 0 to 1, got 1.5" in result.stderr
    assert not (tmp_path / "x.wav").exists()


def test_render_reports_a_change_out_of_range_and_still_writes(
    tmp_path: Path, python: str, cli_env: dict[str, str]
) -> None:
    out = tmp_path / "x.wav"
    result = _render(
        python, cli_env, "-e", "squat", "-t", "3-1-1-0", "-r", "2", "-s", "1",
        "--change", "1:+40", "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 0
    assert "lowering phase must last" in result.stderr
    assert out.exists()


def _cues(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_render_finds_a_custom_exercise_and_uses_the_saved_cue_preferences(
    tmp_path: Path, python: str, cli_env: dict[str, str], data_dir: Path
) -> None:
    """The track the window would play: a count-in of 7 s, no counts inside a phase, a
    quarter of the volume; --volume replaces the preference for one run."""
    save_in(data_dir, exercises=[ring_dip()], count_in_seconds=7, cue_counts=False, volume=0.25)
    quiet, cues = tmp_path / "quiet.wav", tmp_path / "cues.jsonl"
    args = ["-e", "ring dip", "-r", "2", "-s", "1", "--cues", str(cues)]
    result = _render(python, cli_env, *args, "--out", str(quiet))
    assert result.returncode == 0, result.stderr
    listed = _cues(cues)
    assert (listed[0]["t"], listed[0]["sound"]) == (0.0, "get_ready")
    assert listed[1]["t"] == 7.0  # the first lowering, after the saved count-in
    sounds = {str(c["sound"]) for c in listed}
    assert not sounds & {"tick", "tick_last", "countdown"}  # cue_counts is off
    loud = tmp_path / "loud.wav"
    result = _render(python, cli_env, *args, "--volume", "1", "--out", str(loud))
    assert result.returncode == 0, result.stderr

    def peak(path: Path) -> int:
        return int(np.max(np.abs(read_wav_int16(path)[0].astype(np.int32))))

    assert 0.2 < peak(quiet) / peak(loud) < 0.3


def test_render_works_while_another_tempo_coach_owns_the_folder(
    tmp_path: Path, python: str, cli_env: dict[str, str], with_ring_dip: Path
) -> None:
    with Store.open(with_ring_dip):
        result = _render(
            python,
            cli_env,
            "-e",
            "ring dip",
            "-r",
            "1",
            "-s",
            "1",
            "--out",
            str(tmp_path / "x.wav"),
        )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "x.wav").exists()


# -- a stated limit, written in blocks, and files that cannot be written (issue 12) ----------

#: Ten sets of twenty 15-second reps: a cue track of 59 min 4 s, just under the limit.
HOUR = ["-e", "squat", "-t", "10-0-5-0", "-r", "20", "-s", "10", "--rest", "60"]


def _limit_memory() -> None:
    """In the child: at most 1 GiB of address space, so that a render that tries to hold
    the whole track fails at once instead of taking the machine's memory."""
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def _render_limited(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tempo_coach", "render", *args],
        env=env, capture_output=True, text=True, timeout=60, preexec_fn=_limit_memory,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (  # in range, every one: 69 hours
            ["-e", "squat", "-t", "30-30-30-30", "-r", "100", "-s", "20", "--rest", "600"],
            "the cue track would last at least 69 h 50 min 3 s; render writes at most 1 h",
        ),
        (["-e", "squat", "-r", "1", "-s", "1", "--pause", "5:100000"], "a pause lasts at most"),
        ([*HOUR, "--pause", "10:60"], "the cue track would last 1 h 0 min 6 s;"),  # exactly
    ],
    ids=["69-hours", "long-pause", "an-hour-and-a-pause"],
)
def test_a_track_over_the_limit_is_refused_before_rendering(
    args: list[str], said: str, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    out = tmp_path / "o.wav"
    started = time.monotonic()
    result = _render_limited(cli_env, *args, "--out", str(out))
    assert time.monotonic() - started < 20
    assert result.returncode == 2, result.stderr[-2000:]
    (line,) = result.stderr.splitlines()
    assert line.startswith("tempo-coach render: error: ") and said in line
    assert result.stdout == "" and list(tmp_path.iterdir()) == []


def _peak_rss_kb(env: dict[str, str], *args: str) -> int:
    """The peak resident memory of ``tempo-coach render ARGS`` (a child of a child, so that
    no other process of this test run is counted)."""
    measure = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run([sys.executable, '-m', 'tempo_coach', 'render', *sys.argv[1:]])\n"
        "assert done.returncode == 0, done.returncode\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", measure, *args],
        env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return int(result.stdout.split()[-1])


def test_an_hour_long_render_takes_no_more_memory_than_a_short_one(
    cli_env: dict[str, str],
) -> None:
    """Written block by block: the peak is the program's, not the track's (an hour of
    track is 318 MB as 16-bit samples; held whole, with its float mix, 1.3 GB)."""
    short = _peak_rss_kb(cli_env, "-e", "squat", "-r", "2", "-s", "1", "--out", "/dev/null")
    hour = _peak_rss_kb(cli_env, *HOUR, "--out", "/dev/null")
    assert hour < short + 40_000, (short, hour)


def test_the_blocks_written_are_the_track_rendered_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Sample for sample what render_session gives, across block edges, pauses and changes."""
    out = tmp_path / "track.wav"
    args = ["-e", "box step-down", "-t", "2.5-0-1-0", "-r", "3", "-s", "2", "--rest", "6",
            "--change", "4.2:+1", "--change", "13.6:-1.5", "--pause", "9.3:2.25"]  # fmt: skip
    assert main(["render", *args, "--out", str(out)]) == 0
    written, _ = read_wav_int16(out)
    assert len(written) > 5 * CHUNK_FRAMES
    plan = plan_from_args(build_parser().parse_args(["render", *args, "--out", "x"]))
    preferences = Preferences.defaults()
    options = CueOptions.from_preferences(preferences)
    sounds = load_sound_set(preferences.sound_theme, preferences.volume, options.cue_voice)
    actions = parse_actions(build_parser().parse_args(["render", *args, "--out", "x"]))
    whole = render_session(plan, CueRenderer(sounds, options), actions).samples
    assert np.array_equal(written, whole)
    assert [p.name for p in tmp_path.iterdir()] == ["track.wav"]  # no temporary left


def test_a_track_can_be_written_to_a_pipe(cli_env: dict[str, str]) -> None:
    """``--out /dev/stdout | aplay``: the WAV alone on stdout, the message on stderr."""
    result = subprocess.run(
        [sys.executable, "-m", "tempo_coach", "render", "-e", "squat", "-r", "1", "-s", "1",
         "--out", "/dev/stdout"],
        env=cli_env, capture_output=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout[:4] == b"RIFF" and b"wrote /dev/stdout" in result.stderr
    (data_bytes,) = struct.unpack("<I", result.stdout[40:44])
    assert len(result.stdout) == 44 + data_bytes


def _refused_in_process(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    with pytest.raises(SystemExit) as exited:
        main(["render", "-e", "squat", "-r", "1", "-s", "1", *args])
    assert exited.value.code == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1, err
    return err


@pytest.mark.parametrize(
    ("where", "said"),
    [
        ("/dev/full", "cannot write --out '/dev/full': No space left on device"),
        ("/proc/self/status", "--out '/proc/self/status': cannot write a file in /proc/"),
        ("n" * 252 + ".wav", "a name in it is 256 bytes long; file systems allow at most 255"),
        ("a-file/x.wav", "a-file is not a folder"),
        ("missing/x.wav", "the folder missing does not exist"),
        (".", "--out '.' is a folder: give a file name"),
    ],
    ids=["dev-full", "proc", "long-name", "under-a-file", "no-folder", "a-folder"],
)
def test_an_out_that_cannot_be_written_is_one_line_and_exit_2(
    where: str,
    said: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a-file").write_text("not a folder")
    err = _refused_in_process(capsys, "--out", where)
    assert err.startswith("tempo-coach render: error: ") and said in err
    assert [p.name for p in tmp_path.iterdir()] == ["a-file"]  # nothing left behind


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--cues", "."], "--cues '.' is a folder: give a file name"),
        (["--cues", "a-file/c.jsonl"], "--cues 'a-file/c.jsonl': a-file is not a folder"),
        (["--cues", "/dev/full"], "cannot write --cues '/dev/full': No space left on device"),
        (["--cues", "o.wav"], "--cues 'o.wav' is the --out file"),
        (["--theme", "t" * 300], "--theme 'tttt"),
        (["--theme", "no-such-theme"], "--theme 'no-such-theme': no such folder"),
    ],
    ids=["cues-folder", "cues-under-a-file", "cues-dev-full", "cues-is-out", "long-theme",
         "no-theme"],
)  # fmt: skip
def test_bad_cues_and_theme_are_one_line_and_exit_2(
    args: list[str],
    said: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a-file").write_text("not a folder")
    err = _refused_in_process(capsys, "--out", "o.wav", *args)
    assert said in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 512 KB tmpfs (root only: mounting needs it)."""
    folder = tmp_path / "small"
    folder.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(folder)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if made.returncode != 0:
        pytest.skip(f"mount refused: {made.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "--lazy", str(folder)], check=True)


def test_a_disk_that_fills_up_leaves_the_old_file_as_it_was(
    small_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = small_disk / "track.wav"
    old.write_bytes(b"the previous track" * 1000)
    before = old.read_bytes()
    # 12 s of track: 1 MB, twice what the disk holds.
    code = main(["render", "-e", "squat", "-t", "3-0-1-0", "-r", "2", "-s", "1",
                 "--out", str(old)])  # fmt: skip
    assert code == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert "cannot write --out" in line and "No space left on device" in line
    assert "the file there is unchanged" in line
    assert old.read_bytes() == before
    assert [p.name for p in small_disk.iterdir()] == ["track.wav"]


def test_a_read_only_folder_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    if os.geteuid() == 0:
        made = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(folder)],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        if made.returncode != 0:
            pytest.skip(f"mount refused: {made.stderr.strip()}")
    else:
        folder.chmod(0o555)
    try:
        err = _refused_in_process(capsys, "--out", str(folder / "x.wav"))
        assert f"cannot write a file in {folder}" in err
        assert "Read-only file system" in err or "Permission denied" in err
    finally:
        if os.geteuid() == 0:
            subprocess.run(["umount", "--lazy", str(folder)], check=True)
        else:
            folder.chmod(0o755)
