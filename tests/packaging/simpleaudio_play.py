"""Play a short buffer through simpleaudio to ALSA's default device, wait, exit 0.

simpleaudio 1.0.4 on CPython >= 3.12 segfaults when playback ends (exit 139): its playback
thread calls PyMem_Malloc/PyMem_Free without the GIL (py-simple-audio issues #72 and #76).
The simpleaudio-patched fork, which we install on 3.12+, uses the raw allocators.
"""

from __future__ import annotations

import array

import simpleaudio

RATE = 44_100


def main() -> None:
    # 0.25 s of a 441 Hz square wave, then a second overlapping play, as the app may do.
    samples = array.array("h", [8000 if (i // 50) % 2 else -8000 for i in range(RATE // 4)])
    first = simpleaudio.play_buffer(samples.tobytes(), 1, 2, RATE)
    second = simpleaudio.play_buffer(samples.tobytes(), 1, 2, RATE)
    first.wait_done()
    second.wait_done()
    third = simpleaudio.play_buffer(samples.tobytes(), 1, 2, RATE)
    third.stop()
    # The last play runs to its end alone, so the device's file holds exactly its bytes.
    last = simpleaudio.play_buffer(samples.tobytes(), 1, 2, RATE)
    last.wait_done()
    print("ok", len(samples) * 2)


if __name__ == "__main__":
    main()
