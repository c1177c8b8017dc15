"""The PyInstaller bundle (packaging/pyinstaller/tempo-coach.spec), built as ``make package``
builds it, starts, opens its window and plays its committed sounds, and carries what a
desktop needs beside the binary.

Building it takes about 30 s on two cores (PyInstaller analyses the app and copies PySide6's
used modules, numpy and Python: about 270 MB); the check about 5 s more. ``make package`` does
the same and packs the bundle as a tarball.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.packaging.conftest import check_app
from tests.packaging.test_desktop import APP_ID, ICONS, METAINFO, desktop_entry

pytestmark = pytest.mark.slow

SPEC = ROOT / "packaging" / "pyinstaller" / "tempo-coach.spec"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("bundle")
    result = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(work / "dist"), "--workpath", str(work / "build"), str(SPEC)],
        capture_output=True, text=True, timeout=600, cwd=work,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr[-5000:]
    return work / "dist" / "tempo-coach"


def test_the_bundle_starts_and_plays_its_committed_sounds(bundle: Path) -> None:
    result = check_app(bundle / "tempo-coach")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("ok ") == 4, result.stdout  # version, self-test, sounds, window


def test_the_bundle_carries_the_desktop_files(bundle: Path) -> None:
    share = bundle / "share"
    assert (share / "metainfo" / f"{APP_ID}.metainfo.xml").read_bytes() == METAINFO.read_bytes()
    assert desktop_entry(share / "applications" / f"{APP_ID}.desktop")["Icon"] == APP_ID
    hicolor = share / "icons" / "hicolor"
    icons = sorted(p.relative_to(hicolor) for p in hicolor.rglob(f"{APP_ID}.*"))
    assert icons == sorted(p.relative_to(ICONS) for p in ICONS.rglob(f"{APP_ID}.*"))
    assert (bundle / "README.txt").is_file()


def test_its_install_script_points_the_menu_at_the_bundle(bundle: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    result = subprocess.run(
        [str(bundle / "install-desktop.sh")],
        capture_output=True,
        text=True,
        env={**env, "HOME": str(tmp_path)},
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    share = tmp_path / ".local" / "share"
    entry = desktop_entry(share / "applications" / f"{APP_ID}.desktop")
    assert entry["Exec"] == str(bundle / "tempo-coach")
    assert (share / "icons" / "hicolor" / "48x48" / "apps" / f"{APP_ID}.png").is_file()
