"""Play a short session through one back-end and print the session clock as it runs.

``python -m tests.audio.lead_probe BACKEND`` (with PULSE_SERVER and ALSA_CONFIG_PATH of a
test daemon in the environment) plays a squat set (1 s count-in, 3 reps of 2-0-1-0), reading
the session clock every 10 ms as the window does, and prints one JSON line: the backend in
use, the cue times (session ms), the (monotonic time, session ms) pairs and the server
latency the stream's clock subtracted (None: none). The test records the sink meanwhile and
finds how long before a cue is heard the clock reaches it (tests/audio/test_lead.py).
"""

from __future__ import annotations

import json
import sys
import time


def main(backend: str) -> int:
    from tempo_coach.audio import choose_output
    from tempo_coach.audio.cues import CueOptions, cue_points
    from tempo_coach.core.exercise import BUILTIN_EXERCISES, find_exercise
    from tempo_coach.core.preferences import Preferences
    from tempo_coach.core.session import Session, SessionStatus
    from tempo_coach.core.tempo import parse_tempo
    from tempo_coach.core.timeline import SetPlan

    output = choose_output(Preferences.defaults().with_values(audio_backend=backend))
    plan = SetPlan.from_exercise(
        find_exercise("squat", BUILTIN_EXERCISES),
        tempo=parse_tempo("2-0-1-0"),
        reps=3,
        sets=1,
        count_in_ms=1000,
    )
    session = Session(plan, output.clock, commit_horizon_ms=output.horizon_ms)
    session.start()
    output.begin(session)
    pairs: list[tuple[float, float]] = []
    while session.status is SessionStatus.RUNNING:
        session.poll()
        pairs.append((time.monotonic(), float(session.session_ms())))
        time.sleep(0.01)
    latency_of = getattr(output.engine, "server_latency_s", None)
    latency = latency_of() if latency_of is not None else None
    time.sleep(1.0)  # the last cue plays out
    output.end()
    output.close()
    points = cue_points(session.events, plan.reps, CueOptions())
    print(
        "LEAD "
        + json.dumps(
            {
                "backend": output.name,
                "cues_ms": [p.t_ms for p in points],
                "pairs": pairs,
                "server_latency_s": latency,
            }
        ),
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
