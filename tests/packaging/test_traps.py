"""Guards against the two crashes known on this machine. Each fails if its crash returns.

Both run the real library in a child process (a crash in-process would take pytest down).
"""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

HERE = Path(__file__).parent

# ALSA with no sound card: a `file` PCM over the system's `null` device. simpleaudio opens it
# like a real device and its playback thread runs to the end, which is where 1.0.4 crashes on
# Python 3.12+. (The null device has no clock, so playback runs faster than real time.)
ASOUNDRC = """
pcm.!default {{
    type file
    slave.pcm "null"
    file "{out}"
    format "raw"
}}
"""


def run_child(
    args: list[str], env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, timeout=120, env=env
    )


@pytest.mark.slow
def test_qtimer_stress_exits_cleanly() -> None:
    result = run_child([str(HERE / "qtimer_stress.py"), "5000"])
    assert result.returncode == 0, (
        f"exit {result.returncode}: the PySide6 exit-time crash is back "
        f"(PySide6 {metadata.version('PySide6')}, Python {sys.version.split()[0]}):\n"
        f"{result.stderr[-2000:]}"
    )
    assert result.stdout.strip() == "ok 5000"


@pytest.mark.slow
def test_simpleaudio_real_play_exits_cleanly(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    out = tmp_path / "played.raw"
    (home / ".asoundrc").write_text(ASOUNDRC.format(out=out))
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    result = run_child([str(HERE / "simpleaudio_play.py")], env)
    assert result.returncode == 0, (
        f"exit {result.returncode}: simpleaudio crashed on Python {sys.version.split()[0]} "
        f"(the 1.0.4 segfault is back?):\n{result.stderr[-2000:]}"
    )
    # The device really received the sound: every sample of the last play.
    assert result.stdout.split() == ["ok", str(2 * (44_100 // 4))]
    assert out.stat().st_size == 2 * (44_100 // 4)


def test_installed_versions_respect_the_pins() -> None:
    pyside = tuple(int(x) for x in metadata.version("PySide6").split(".")[:2])
    if sys.version_info < (3, 12):
        assert pyside < (6, 12), "PySide6 6.12 aborts at exit on Python 3.11"
        assert metadata.version("simpleaudio") == "1.0.4"
    else:
        assert metadata.version("simpleaudio-patched") == "1.0.5"
        with pytest.raises(metadata.PackageNotFoundError):
            metadata.version("simpleaudio")
