"""Entry point: ``python -m tempo_coach`` and the ``tempo-coach`` script."""

from __future__ import annotations

import sys

from tempo_coach.cli import main as cli_main


def main() -> int:
    return cli_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
