"""The sdist and wheel, built the way ``python -m build`` does and installed the way a user's
``pip install`` or ``pipx install`` would, carry every resource: the sounds (the spoken words
in ``voice/`` too), the icon, the desktop entry and the AppStream metainfo.

The committed cue sounds live in ``assets/sounds/`` at the top of the repository, outside the
package; the build maps them into it (setup.py). If that mapping breaks, an installed
app still starts, but plays sounds synthesized on the spot instead of the committed files, so
only an installed wheel shows it. The build and the venv are tests/packaging/conftest.py's.
The check runs isolated (``-I``) in a folder without a ``tempo_coach``, so it can only import
the installed copy.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from tempo_coach import __version__
from tempo_coach.audio.sounds import SOUND_NAMES
from tests.conftest import ROOT
from tests.packaging.conftest import Built, run

COMMITTED = ROOT / "assets" / "sounds"
APP_ID = "io.github.tempo_coach.TempoCoach"
#: Every committed WAV (the beeps and the words), relative to assets/sounds/.
SOUND_FILES = sorted(p.relative_to(COMMITTED).as_posix() for p in COMMITTED.rglob("*.wav"))
ICON_FILES = sorted(
    p.relative_to(ROOT / "assets" / "icons").as_posix()
    for p in (ROOT / "assets" / "icons" / "hicolor").rglob(f"{APP_ID}.*")
)
LINUX_FILES = [f"{APP_ID}.desktop", f"{APP_ID}.metainfo.xml", "install-desktop.sh"]

CHECK = """
import json, sys
from pathlib import Path

import numpy as np

import tempo_coach
from tempo_coach.audio.sounds import SOUND_NAMES, builtin_sound_folder, load_sound_set, read_wav
from tempo_coach.audio.voice import CueVoice

committed = Path(sys.argv[1])
folder = builtin_sound_folder()
loaded = load_sound_set("default", 1.0)
print(json.dumps({
    "package": tempo_coach.__file__,
    "first_file": str(folder / f"{SOUND_NAMES[0]}.wav") if folder is not None else None,
    "problems": list(loaded.problems),
    "problems_with_voice": list(load_sound_set("default", 1.0, CueVoice.BOTH).problems),
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


def test_the_build_prints_no_warning(built: Built) -> None:
    assert "Successfully built" in built.output
    warnings = [line for line in built.output.splitlines() if "warning" in line.lower()]
    assert warnings == []
    assert "project.license" not in built.output  # no complaint about the licence's form


def test_the_wheel_carries_every_resource_byte_for_byte(built: Built) -> None:
    assert "voice/one.wav" in SOUND_FILES and len(ICON_FILES) == 10
    with zipfile.ZipFile(built.wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read(f"tempo_coach-{__version__}.dist-info/METADATA").decode()
        packed = {
            **{f"sounds/{f}": COMMITTED / f for f in SOUND_FILES},
            **{f"icons/{f}": ROOT / "assets" / "icons" / f for f in ICON_FILES},
            **{f"linux/{f}": ROOT / "packaging" / "linux" / f for f in LINUX_FILES},
        }
        for inside, committed in packed.items():
            assert archive.read(f"tempo_coach/assets/{inside}") == committed.read_bytes(), inside
    assert "License-Expression: GPL-3.0-or-later" in metadata
    # simpleaudio only as the extra: a plain install needs no compiler.
    requires = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    assert all("extra ==" in line for line in requires if "simpleaudio" in line), requires
    assert "Provides-Extra: simpleaudio" in metadata
    modules = {p.relative_to(built.source).as_posix()
               for p in (built.source / "tempo_coach").rglob("*.py")}  # fmt: skip
    assert modules - names == set(), "setup.py did not find these modules' packages"


def test_the_sdist_carries_what_a_packager_needs(built: Built) -> None:
    names = built.sdist_names()
    wanted = {
        *(f"assets/sounds/{f}" for f in SOUND_FILES),
        *(f"assets/icons/{f}" for f in ICON_FILES),
        *(f"packaging/linux/{f}" for f in LINUX_FILES),
        "assets/icons/render.sh",
        "packaging/pyinstaller/tempo-coach.spec",
        "packaging/pyinstaller/launcher.py",
        f"packaging/flatpak/{APP_ID}.yml",
        "packaging/check_app.py",
        "Makefile",
        "docs/INSTALL.md",
        "tests/packaging/test_wheel.py",
    }
    assert wanted - names == set()
    assert not [n for n in names if n.endswith((".pyc", ".pyo")) or "__pycache__" in n]


@pytest.mark.slow
def test_an_installed_wheel_plays_the_committed_sound_files(
    wheel_venv: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    found = json.loads(run(wheel_venv, "-I", "-c", CHECK, str(COMMITTED), cwd=elsewhere))
    installed = Path(found["package"]).resolve().parent
    assert installed.is_relative_to(wheel_venv.parents[1].resolve()), found["package"]
    assert found["first_file"] is not None
    assert Path(found["first_file"]).resolve().parent == installed / "assets" / "sounds"
    assert found["problems"] == []
    assert found["problems_with_voice"] == []
    assert found["same_bytes"] == list(SOUND_NAMES)
    assert found["same_samples"] == list(SOUND_NAMES)
