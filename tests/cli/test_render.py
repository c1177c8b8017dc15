"""``tempo-coach render``: tempo_coach/cli/render.py, checked by finding the cues in the WAV."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np

from tempo_coach.audio.onsets import detect_onsets, read_wav_int16
from tempo_coach.core.exercise import BUILTIN_EXERCISES, find_exercise
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
