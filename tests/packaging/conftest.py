"""What several packaging tests share: the sdist and wheel built once, a fresh venv with the
wheel and no simpleaudio, and running a command to completion.

The build runs offline from a copy of the checkout (a build writes ``build/`` and
``*.egg-info`` next to its sources) the way ``python -m build`` does by default: the sdist
first, then the wheel from the unpacked sdist, so a file the sdist forgets is missing from the
wheel too. It uses this environment's setuptools (``--no-isolation``; build still checks it
against pyproject.toml's requirement).

The venv gets the wheel with ``--no-deps`` and borrows PySide6, shiboken6, numpy, pulsectl and
platformdirs from this environment through a folder of links to just those, as a plain path
entry: simpleaudio, installed here for its own tests, stays out, and so does the editable
install of the checkout (a ``.pth`` of this environment's site-packages is never run).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import venv
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT

# What a build needs is the checkout minus the environment, the history and the caches.
_NOT_COPIED = {".venv", ".git", "build", "dist", "test-artifacts"}
_NOT_COPIED_ANYWHERE = shutil.ignore_patterns(
    "__pycache__", "*.egg-info", ".*_cache", ".hypothesis", "results"
)
#: The top-level folders of this environment's site-packages the app needs (and their libs).
BORROWED = ("PySide6", "shiboken6", "numpy", "numpy.libs", "platformdirs", "pulsectl")


def run(*args: str | Path, cwd: Path | None = None, timeout: float = 180) -> str:
    """What the command printed (stdout, then stderr); it must succeed."""
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1"}
    # The build must not differ with the caller's wish for no bytecode (setuptools then
    # prints "byte-compiling is disabled" warnings that a user's build would not).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    result = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, timeout=timeout, env=env, cwd=cwd
    )
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


def copy_checkout(target: Path) -> Path:
    def ignore(folder: str, names: list[str]) -> set[str]:
        skipped = set(_NOT_COPIED_ANYWHERE(folder, names))
        if Path(folder) == ROOT:
            skipped |= _NOT_COPIED & set(names)
        return skipped

    shutil.copytree(ROOT, target, ignore=ignore)
    return target


@dataclass(frozen=True)
class Built:
    source: Path
    sdist: Path
    wheel: Path
    output: str  # what the build printed

    def sdist_names(self) -> set[str]:
        with tarfile.open(self.sdist) as archive:
            return {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """``python -m build`` of a copy of the checkout: the sdist, and the wheel made from it."""
    work = tmp_path_factory.mktemp("build")
    source = copy_checkout(work / "src")
    out = work / "dist"
    printed = run(sys.executable, "-m", "build", "--no-isolation", "--outdir", out, source)
    (sdist,) = out.glob("tempo_coach-*.tar.gz")
    (wheel,) = out.glob("tempo_coach-*.whl")
    return Built(source, sdist, wheel, printed)


def install_in_fresh_venv(wheel: Path, env_dir: Path, borrow: tuple[str, ...]) -> Path:
    """A new venv with ``wheel`` installed (no dependencies) and the ``borrow`` folders of this
    environment's site-packages on its path; returns its python."""
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    pip = (sys.executable, "-m", "pip", "--python", str(python))
    run(*pip, "install", "--no-deps", "--no-index", "--no-compile", str(wheel))
    site_packages = run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))")
    # Added after the install, so that pip did not see this environment's packages either.
    here = Path(sysconfig.get_path("purelib"))
    links = env_dir / "borrowed"
    links.mkdir()
    for name in borrow:
        (links / name).symlink_to(here / name, target_is_directory=True)
    Path(site_packages.strip(), "borrowed.pth").write_text(f"{links}\n")
    return python


@pytest.fixture(scope="session")
def wheel_venv(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The python of a fresh venv holding the built wheel, PySide6, numpy and platformdirs, and
    no simpleaudio: what ``pipx install .`` gives on a machine without a compiler."""
    return install_in_fresh_venv(built.wheel, tmp_path_factory.mktemp("wheel") / "venv", BORROWED)


def check_app(*command: str | Path, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    """packaging/check_app.py on an installation (version, committed sounds, window)."""
    return subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "check_app.py"), *map(str, command)],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
