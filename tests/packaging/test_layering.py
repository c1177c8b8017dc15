"""The core imports no Qt, no audio library, no other layer: checked in a fresh process.

import-linter checks the same statically (`make lint`); this catches dynamic imports too.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import tempo_coach.core


def test_importing_every_core_module_loads_no_qt_and_no_other_layer() -> None:
    modules = [m.name for m in pkgutil.iter_modules(tempo_coach.core.__path__, "tempo_coach.core.")]
    assert len(modules) >= 8
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('PySide6', 'shiboken6', 'simpleaudio', 'numpy') or m.startswith("
        "('tempo_coach.audio', 'tempo_coach.store', 'tempo_coach.ui', 'tempo_coach.app', "
        "'tempo_coach.cli')))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
