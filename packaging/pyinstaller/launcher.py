"""The frozen bundle's entry point: the same ``main`` as the ``tempo-coach`` script.

PyInstaller needs a script, not an entry point; this is it. Nothing else happens here, so
the bundle behaves exactly like an installed wheel (same commands, same data folder).
"""

from __future__ import annotations

import sys

from tempo_coach.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
