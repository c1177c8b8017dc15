"""The wheel, built and installed the way a user's ``pip install`` would, carries the sounds.

The committed cue sounds live in ``assets/sounds/`` at the top of the repository, outside the
package; the build maps them into it (setup.py). If that mapping breaks, an installed
app still starts, but plays sounds synthesized on the spot instead of the committed files, so
only an installed wheel shows it.

The wheel is built offline from a copy of the checkout (a build writes ``build/`` and
``*.egg-info`` next to its sources) with this environment's setuptools
(``--no-build-isolation``; ``--check-build-dependencies`` still holds it to pyproject.toml's
requirement). It is installed with ``--no-deps`` into a fresh venv, which borrows numpy from this
environment's site-packages as a plain path entry, so that the editable install of the
checkout in it is not loaded. The check runs isolated (``-I``) in a folder without a
``tempo_coach``, so it can only import the installed copy.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import numpy as np
import pytest

from tempo_coach.audio.sounds import SOUND_NAMES
from tests.conftest import ROOT

COMMITTED = ROOT / "assets" / "sounds"

# What a build needs is the checkout minus the environment, the history and the caches.
_NOT_COPIED = {".venv", ".git", "build", "dist", "test-artifacts"}
_NOT_COPIED_ANYWHERE = shutil.ignore_patterns(
    "__pycache__", "*.egg-info", ".*_cache", ".hypothesis", "results"
)

CHECK = """
import json, sys
from pathlib import Path

import numpy as np

import tempo_coach
from tempo_coach.audio.sounds import SOUND_NAMES, builtin_sound_folder, load_sound_set, read_wav

committed = Path(sys.argv[1])
folder = builtin_sound_folder()
loaded = load_sound_set("default", 1.0)
print(json.dumps({
    "package": tempo_coach.__file__,
    "first_file": str(folder / f"{SOUND_NAMES[0]}.wav") if folder is not None else None,
    "problems": list(loaded.problems),
    "same_bytes": [
        name for name in SOUND_NAMES
        if folder is not None and (folder / f"{name}.wav").is_file()
        and (folder / f"{name}.wav").read_bytes() == (committed / f"{name}.wav").read_bytes()
    ],
    "same_samples": [
        name for name in SOUND_NAMES
        if np.array_equal(loaded[name], read_wav(committed / f"{name}.wav"))
    ],
}))
"""


def _copy_checkout(target: Path) -> Path:
    def ignore(folder: str, names: list[str]) -> set[str]:
        skipped = set(_NOT_COPIED_ANYWHERE(folder, names))
        if Path(folder) == ROOT:
            skipped |= _NOT_COPIED & set(names)
        return skipped

    shutil.copytree(ROOT, target, ignore=ignore)
    return target


def _run(*args: str, cwd: Path | None = None) -> str:
    """What the command printed; it must succeed."""
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1"}
    result = subprocess.run(
        args, capture_output=True, text=True, timeout=120, env=env, cwd=cwd, check=False
    )
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


def build_wheel(source: Path, out: Path) -> tuple[Path, str]:
    """The wheel of ``source`` in ``out``, and what the build printed."""
    pip = (sys.executable, "-m", "pip")
    offline = ("--no-deps", "--no-index", "--no-build-isolation", "--check-build-dependencies")
    printed = _run(*pip, "wheel", *offline, "--wheel-dir", str(out), str(source))
    (wheel,) = out.glob("tempo_coach-*.whl")
    return wheel, printed


def install_in_fresh_venv(wheel: Path, env_dir: Path) -> Path:
    """A new venv with ``wheel`` installed (no dependencies); returns its python."""
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    pip = (sys.executable, "-m", "pip", "--python", str(python))
    _run(*pip, "install", "--no-deps", "--no-index", "--no-compile", str(wheel))
    where = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site_packages = _run(str(python), "-c", where).strip()
    # The folder this environment imports numpy from, as a plain path entry (its .pth files,
    # among them the editable install of the checkout, are not run). Added after the
    # install, so that pip did not see the checkout's installation there either.
    borrowed = Path(np.__file__).resolve().parents[1]
    Path(site_packages, "borrowed_numpy.pth").write_text(f"{borrowed}\n")
    return python


@pytest.mark.slow
def test_an_installed_wheel_plays_the_committed_sound_files(tmp_path: Path) -> None:
    wheel, build_output = build_wheel(_copy_checkout(tmp_path / "src"), tmp_path / "dist")
    assert "project.license" not in build_output  # no warning about the licence's form

    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read("tempo_coach-0.1.0.dist-info/METADATA").decode()
        for name in SOUND_NAMES:
            packed = archive.read(f"tempo_coach/assets/sounds/{name}.wav")
            assert packed == (COMMITTED / f"{name}.wav").read_bytes(), name
    assert "License-Expression: GPL-3.0-or-later" in metadata
    modules = {p.relative_to(tmp_path / "src").as_posix()
               for p in (tmp_path / "src" / "tempo_coach").rglob("*.py")}  # fmt: skip
    assert modules - names == set(), "setup.py did not find these modules' packages"

    python = install_in_fresh_venv(wheel, tmp_path / "venv")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    found = json.loads(_run(str(python), "-I", "-c", CHECK, str(COMMITTED), cwd=elsewhere))
    installed = Path(found["package"]).resolve().parent
    assert installed.is_relative_to((tmp_path / "venv").resolve()), found["package"]
    assert found["first_file"] is not None
    assert Path(found["first_file"]).resolve().parent == installed / "assets" / "sounds"
    assert found["problems"] == []
    assert found["same_bytes"] == list(SOUND_NAMES)
    assert found["same_samples"] == list(SOUND_NAMES)
