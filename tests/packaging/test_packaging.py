"""Packaging metadata: one version, the entry points (the desktop files: test_desktop.py)."""

from __future__ import annotations

import re
from importlib import metadata

from tempo_coach import __version__
from tests.conftest import ROOT


def test_version_is_written_once_and_installed_metadata_agrees() -> None:
    text = (ROOT / "pyproject.toml").read_text()
    assert re.search(r'^dynamic = \["version"\]$', text, re.M)
    assert re.findall(r"^version\s*=.*$", text, re.M) == [
        'version = { attr = "tempo_coach.__version__" }'
    ]
    assert metadata.version("tempo-coach") == __version__


def test_entry_points_name_the_same_main() -> None:
    eps = metadata.entry_points()
    gui = {e.name: e.value for e in eps.select(group="gui_scripts")}
    console = {e.name: e.value for e in eps.select(group="console_scripts")}
    assert gui["tempo-coach"] == console["tempo-coach-cli"] == "tempo_coach.__main__:main"
