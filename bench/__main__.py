"""Run the benchmarks: ``python -m bench`` (all of them, quick settings) or
``python -m bench NAME [ARGS...]`` for one (``python -m bench store_history --years 10``).

Each benchmark is a module ``bench/<name>.py`` with ``main(argv: list[str]) -> int`` that prints
its figures. ``make bench`` runs them all.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
from pathlib import Path


def names() -> list[str]:
    here = Path(__file__).parent
    return sorted(m.name for m in pkgutil.iter_modules([str(here)]) if not m.name.startswith("_"))


def main(argv: list[str]) -> int:
    if argv and argv[0] in ("-h", "--help"):
        print(__doc__)
        print("benchmarks:", ", ".join(names()))
        return 0
    if argv:
        module = importlib.import_module(f"bench.{argv[0]}")
        return int(module.main(argv[1:]))
    status = 0
    for name in names():
        module = importlib.import_module(f"bench.{name}")
        if not hasattr(module, "main"):
            continue
        print(f"== bench {name}", flush=True)
        started = time.monotonic()
        code = int(module.main([]))
        print(f"== bench {name}: exit {code}, {time.monotonic() - started:.1f} s", flush=True)
        status = status or code
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
