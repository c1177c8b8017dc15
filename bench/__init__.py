"""Benchmarks: each module here with a ``main(argv) -> int`` prints its own figures."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path

#: Where the benchmarks' child processes keep Tempo Coach's compiled bytecode.
PYCACHE = Path(tempfile.gettempdir()) / "tempo-coach-bench-pycache"


def with_bytecode(env: Mapping[str, str]) -> dict[str, str]:
    """``env`` for a timed child process that imports Tempo Coach with its bytecode cached,
    as an installed app has it (pip compiles a wheel's modules when it installs them). This
    machine and CI set PYTHONDONTWRITEBYTECODE=1, so without this every child compiled the
    ~60 modules of the app from source (~90 ms of a start-up), which no user pays; the floor
    it is compared with (PySide6 alone) had its bytecode. The cache lives outside the
    checkout (PYTHONPYCACHEPREFIX); a warm-up run fills it."""
    result = dict(env)
    result.pop("PYTHONDONTWRITEBYTECODE", None)
    result["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return result
