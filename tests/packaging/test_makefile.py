"""The Makefile's system-package step, as a normal user: print the exact command and stop."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

RUNUSER = shutil.which("runuser") or "/usr/sbin/runuser"

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or not Path(RUNUSER).exists() or shutil.which("dpkg-query") is None,
    reason="needs root (to become a normal user with runuser) on a Debian-like system",
)


@pytest.fixture
def folder() -> Iterator[Path]:
    """A folder a normal user can reach (pytest's tmp_path parents are root-only)."""
    path = Path(tempfile.mkdtemp(prefix="tc-make-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def run_as_nobody(folder: Path, *make_args: str) -> subprocess.CompletedProcess[str]:
    shutil.copy(ROOT / "Makefile", folder / "Makefile")
    shutil.chown(folder, "nobody")
    return subprocess.run(
        [RUNUSER, "-u", "nobody", "--", "make", "-C", str(folder), *make_args],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": str(folder)},
    )


def test_normal_user_gets_the_exact_apt_command_for_what_is_missing(folder: Path) -> None:
    # dpkg itself is certainly installed; the made-up name certainly is not.
    result = run_as_nobody(
        folder, ".venv/.stamps/system-run", "DEBS_RUN=dpkg tempo-coach-no-such-package"
    )
    assert result.returncode != 0
    assert (
        "  sudo apt-get install -y --no-install-recommends tempo-coach-no-such-package"
        in result.stdout
    )
    assert not (folder / ".venv" / ".stamps" / "system-run").exists()


def test_nothing_missing_means_no_command_and_a_stamp(folder: Path) -> None:
    result = run_as_nobody(folder, ".venv/.stamps/system-run", "DEBS_RUN=dpkg")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "apt-get" not in result.stdout
    assert (folder / ".venv" / ".stamps" / "system-run").exists()
