"""Write the built-in cue sounds as WAV files next to this script.

    python assets/sounds/generate.py

The sounds are synthesized by ``tempo_coach.audio.sounds.synthesize`` (our own code, so the
sounds are under the project's licence). Run it again after changing the synthesis and
commit the WAVs; tests/audio/test_sounds.py checks that the committed files match it.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from tempo_coach.audio.sounds import SOUND_NAMES, synthesize, write_wav  # noqa: E402


def main() -> int:
    for name in SOUND_NAMES:
        path = HERE / f"{name}.wav"
        write_wav(path, synthesize(name))
        print(f"wrote {path.relative_to(HERE.parents[1])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
