"""The desktop integration: the freedesktop entry and the AppStream metainfo validate with the
distributions' own tools, agree with each other and with the project, the icon exists in every
size, and ``make install-desktop`` puts them where desktops look.

``desktop-file-validate`` (Debian: desktop-file-utils) and ``appstreamcli`` (appstream) are in
the Makefile's DEBS_TEST, so ``make test`` has them; run elsewhere without them, these tests
fail and say which package to install.
"""

from __future__ import annotations

import configparser
import os
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from importlib import metadata
from pathlib import Path

import pytest

from tempo_coach import __version__
from tests.conftest import ROOT

APP_ID = "io.github.tempo_coach.TempoCoach"
LINUX = ROOT / "packaging" / "linux"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
ICONS = ROOT / "assets" / "icons" / "hicolor"
PNG_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


def homepage() -> str:
    """pyproject.toml's [project.urls] Homepage, as installed."""
    urls = dict(
        url.split(", ", 1) for url in metadata.metadata("tempo-coach").get_all("Project-URL", [])
    )
    return urls["Homepage"]


def tool(name: str, package: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: install the Debian package {package} (make test does)")
    return found


def desktop_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path)
    return parser["Desktop Entry"]


def validate_desktop_file(path: Path) -> None:
    result = subprocess.run(
        [tool("desktop-file-validate", "desktop-file-utils"), str(path)],
        capture_output=True,
        text=True,
    )
    # It prints hints (a suggestion, not a fault) and exits 0; errors and warnings fail.
    problems = [line for line in result.stdout.splitlines() if ": hint: " not in line]
    assert result.returncode == 0 and problems == [], result.stdout + result.stderr


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_the_desktop_file_validates() -> None:
    validate_desktop_file(DESKTOP)


def test_the_metainfo_validates() -> None:
    result = subprocess.run(
        [tool("appstreamcli", "appstream"), "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # Infos and pedantic notes are allowed (0.16 does not know AppStream 1.0's <developer>).
    assert not [line for line in result.stdout.splitlines() if line[:2] in ("E:", "W:")]


def test_the_entry_starts_the_gui_script_and_names_the_icon() -> None:
    entry = desktop_entry(DESKTOP)
    assert entry["Exec"] == entry["TryExec"] == "tempo-coach"
    assert entry["Type"] == "Application" and entry["Terminal"] == "false"
    assert entry["Icon"] == APP_ID


def test_the_metainfo_agrees_with_the_entry_and_the_project() -> None:
    component = ET.parse(METAINFO).getroot()
    installed = metadata.distribution("tempo-coach")
    assert component.findtext("id") == APP_ID
    assert component.findtext("project_license") == installed.metadata["License-Expression"]
    launchable = component.find("launchable")
    assert launchable is not None and launchable.text == f"{APP_ID}.desktop"
    binaries = {b.text for b in component.iterfind("provides/binary")}
    scripts = {e.name for e in installed.entry_points if e.group.endswith("_scripts")}
    assert binaries == scripts == {"tempo-coach", "tempo-coach-cli"}
    assert component.findtext("name") == desktop_entry(DESKTOP)["Name"]
    rating = component.find("content_rating")
    assert rating is not None and rating.get("type") == "oars-1.1"


def test_the_newest_release_is_this_version() -> None:
    releases = ET.parse(METAINFO).getroot().findall("releases/release")
    assert releases, "no <release>"
    assert releases[0].get("version") == __version__, (
        f"tempo_coach.__version__ is {__version__}: add its <release> (with notes) at the top "
        f"of {METAINFO.relative_to(ROOT)}"
    )
    assert releases[0].find("description") is not None


def test_every_screenshot_is_a_committed_file_under_the_projects_address() -> None:
    address = homepage()
    assert address.startswith("https://")
    component = ET.parse(METAINFO).getroot()
    assert component.findtext("url[@type='homepage']") == address
    images = [image.text or "" for image in component.iterfind("screenshots/screenshot/image")]
    assert len(images) >= 2
    prefix = f"{address}/raw/main/"
    for url in images:
        assert url.startswith(prefix), url
        committed = ROOT / url.removeprefix(prefix)
        assert committed.is_file(), f"{url} names no committed file"
        width, height = png_size(committed)
        assert width >= 620 and height >= 350  # Flathub's smallest acceptable screenshot


def test_the_icon_exists_in_every_size() -> None:
    assert (ICONS / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    for size in PNG_SIZES:
        assert png_size(ICONS / f"{size}x{size}" / "apps" / f"{APP_ID}.png") == (size, size)
    pngs = sorted(ICONS.glob("*/apps/*.png"))
    assert len(pngs) == len(PNG_SIZES), pngs


@pytest.mark.parametrize("exec_path", ["/opt/tempo-coach/tempo-coach", "/opt/My Apps/tempo-coach"])
def test_make_install_desktop_installs_for_the_user(tmp_path: Path, exec_path: str) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "MAKE"))}
    env.update(HOME=str(home))
    make = ["make", "--no-print-directory", "-C", str(ROOT), "install-desktop"]
    result = subprocess.run(
        [*make, f"TEMPO_COACH_EXEC={exec_path}"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    share = home / ".local" / "share"
    installed = share / "applications" / f"{APP_ID}.desktop"
    entry = desktop_entry(installed)
    quoted = f'"{exec_path}"' if " " in exec_path else exec_path
    assert entry["Exec"] == quoted and entry["TryExec"] == exec_path
    validate_desktop_file(installed)
    metainfo = share / "metainfo" / f"{APP_ID}.metainfo.xml"
    assert metainfo.read_bytes() == METAINFO.read_bytes()
    for size in PNG_SIZES:
        icon = share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert png_size(icon) == (size, size)
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    everything = sorted(p.relative_to(home).as_posix() for p in home.rglob("*") if p.is_file())
    outside = [p for p in everything if not p.startswith(".local/share/")]
    assert outside == []


def test_make_install_desktop_starts_the_checkouts_app_when_none_is_on_path(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "MAKE"))}
    env.update(HOME=str(tmp_path), PATH="/usr/sbin:/usr/bin:/sbin:/bin")
    result = subprocess.run(
        ["make", "--no-print-directory", "-C", str(ROOT), "install-desktop"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    entry = desktop_entry(tmp_path / ".local/share/applications" / f"{APP_ID}.desktop")
    assert entry["Exec"] == str(ROOT / ".venv" / "bin" / "tempo-coach")
