"""Check an installed Tempo Coach from the outside: the version, the committed sounds, the window.

    .venv/bin/python packaging/check_app.py dist/pyinstaller/tempo-coach/tempo-coach
    .venv/bin/python packaging/check_app.py /path/to/venv/bin/tempo-coach

COMMAND is how that installation is started (a bundle's binary, a venv's script, or
``python -I -m tempo_coach``). Run this with the checkout's own Python: the reference for
the sounds is the checkout.

1. ``COMMAND --version`` names this checkout's version.
2. ``COMMAND render`` writes a squat set with the cues as "both" (every beep and every
   spoken word), says nothing about a missing or unreadable sound ("note: ..."), and the WAV
   is byte for byte the one the checkout renders from ``assets/sounds/``. Sounds synthesized
   on the spot, a missing voice folder or a missing file would each change the bytes.
3. The window opens (on a private Xvfb screen when Xvfb and xdotool are here, else Qt's
   offscreen platform) and a SIGTERM ends the app with status 0 and no traceback.

Prints one line per check and exits 1 when one failed. Used by ``make package`` on the bundle
and by tests/packaging on the bundle, an installed wheel, and a wheel without simpleaudio.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RENDER = ["render", "--exercise", "squat", "--reps", "2", "--sets", "1"]
WINDOW_TITLE = "Tempo Coach"
TIMEOUT_S = 60.0


class CheckFailed(Exception):
    pass


def _wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise CheckFailed(f"timed out after {timeout:g} s waiting for {what}")


def _run(args: Sequence[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(args), capture_output=True, text=True, env=env, cwd=cwd, timeout=TIMEOUT_S
    )


def _write_preferences(data_dir: Path) -> None:
    """A data folder whose preferences ask for beeps and words ("both"), made by the checkout's
    own store so that its format is the one the app reads."""
    sys.path.insert(0, str(ROOT))
    from tempo_coach.store import Store

    store = Store.open(data_dir)
    try:
        store.save_preferences(store.load_preferences().with_values(cue_voice="both"))
    finally:
        store.close()


def check_version(command: Sequence[str], env: dict[str, str], work: Path) -> str:
    sys.path.insert(0, str(ROOT))
    from tempo_coach import __version__

    result = _run([*command, "--version"], env, work)
    if result.returncode != 0 or result.stdout.strip() != f"tempo-coach {__version__}":
        raise CheckFailed(
            f"--version: exit {result.returncode}, printed {result.stdout.strip()!r} "
            f"(expected 'tempo-coach {__version__}')\n{result.stderr[-2000:]}"
        )
    return result.stdout.strip()


def check_self_test(command: Sequence[str], env: dict[str, str], work: Path) -> str:
    """``COMMAND --self-test``: the installation's own check (sounds where the package keeps
    them, the window offscreen, a cue through the silent output)."""
    result = _run([*command, "--self-test"], {**env, "QT_QPA_PLATFORM": "offscreen"}, work)
    if result.returncode != 0 or "self-test passed" not in result.stdout:
        raise CheckFailed(
            f"--self-test: exit {result.returncode}\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
        )
    return "passed"


def check_sounds(command: Sequence[str], env: dict[str, str], work: Path) -> str:
    data_dir = work / "data-sounds"
    _write_preferences(data_dir)
    runs = {
        "installed": ([*command], env, work),
        # The reference: the checkout itself, reading assets/sounds/ where they are committed.
        "checkout": ([sys.executable, "-m", "tempo_coach"], {**env, "PYTHONPATH": str(ROOT)}, ROOT),
    }
    outputs = {}
    for name, (argv, run_env, cwd) in runs.items():
        out = work / f"{name}.wav"
        result = _run(
            [*argv, "--data-dir", str(data_dir), *RENDER, "--out", str(out)], run_env, cwd
        )
        if result.returncode != 0:
            raise CheckFailed(f"render ({name}): exit {result.returncode}\n{result.stderr[-2000:]}")
        notes = [line for line in result.stderr.splitlines() if line.startswith("note:")]
        if notes:
            raise CheckFailed(f"render ({name}) reported sound problems:\n" + "\n".join(notes))
        outputs[name] = out.read_bytes()
    if outputs["installed"] != outputs["checkout"]:
        raise CheckFailed(
            "render: the installed app's WAV differs from the checkout's "
            f"({len(outputs['installed'])} and {len(outputs['checkout'])} bytes): it does not "
            "play the committed sounds"
        )
    return f"render with beeps and voice: {len(outputs['installed'])} bytes, same as the checkout"


class _Screen:
    """A private Xvfb screen; ``-displayfd`` picks a free display number."""

    def __init__(self) -> None:
        read, write = os.pipe()
        self.process = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
            pass_fds=(write,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(write)
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        if not number:
            self.close()
            raise CheckFailed("Xvfb did not start")
        self.display = f":{number}"

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(10)


def check_window(command: Sequence[str], env: dict[str, str], work: Path, platform: str) -> str:
    if platform == "auto":
        platform = "xvfb" if shutil.which("Xvfb") and shutil.which("xdotool") else "offscreen"
    screen = _Screen() if platform == "xvfb" else None
    run_env = {k: v for k, v in env.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    if screen is not None:
        run_env.update(QT_QPA_PLATFORM="xcb", DISPLAY=screen.display)
    else:
        run_env["QT_QPA_PLATFORM"] = "offscreen"
    log = work / "window.log"
    try:
        with log.open("wb") as out:
            app = subprocess.Popen(
                [*command, "--data-dir", str(work / "data-window")],
                env=run_env,
                cwd=work,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        try:

            def shown() -> bool:
                if app.poll() is not None:
                    raise CheckFailed(
                        f"the app exited ({app.returncode}) before its window showed:\n"
                        + log.read_text(errors="replace")[-3000:]
                    )
                if screen is None:
                    # Offscreen, nothing can be seen: the data folder's lock is taken once
                    # the store is open, just before the window is built.
                    return (work / "data-window" / "tempo-coach.lock").exists()
                found = subprocess.run(
                    ["xdotool", "search", "--onlyvisible", "--name", f"^{WINDOW_TITLE}$"],
                    env=run_env,
                    capture_output=True,
                    text=True,
                    timeout=20,
                )
                return bool(found.stdout.split())

            _wait_for(shown, TIMEOUT_S, f"the window ({platform})")
            if screen is None:
                time.sleep(2.0)  # the window is built after the lock; let it be
                shown()  # still running
            app.send_signal(signal.SIGTERM)
            code = app.wait(20)
        finally:
            if app.poll() is None:
                app.kill()
                app.wait()
    finally:
        if screen is not None:
            screen.close()
    output = log.read_text(errors="replace")
    if code != 0 or "Traceback" in output:
        raise CheckFailed(f"window: SIGTERM ended it with exit {code}:\n{output[-3000:]}")
    return f"window shown ({platform}), SIGTERM -> exit 0"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--window", choices=("auto", "xvfb", "offscreen"), default="auto", help="where to open it"
    )
    parser.add_argument("command", nargs="+", help="how the installation is started")
    args = parser.parse_args(argv)
    command: list[str] = list(args.command)
    if os.sep in command[0]:
        # The checks run in a folder of their own. (Not resolved: a venv's python is a link.)
        command[0] = os.path.abspath(command[0])
    env = {
        **os.environ,
        # The installation must stand alone: nothing from this checkout or its venv.
        "PYTHONPATH": "",
        "LANG": os.environ.get("LANG", "C.UTF-8"),
    }
    env.pop("TEMPO_COACH_DATA_DIR", None)
    failed = 0
    with tempfile.TemporaryDirectory(prefix="tc-check-") as folder:
        work = Path(folder)
        checks: list[tuple[str, Callable[[], str]]] = [
            ("version", lambda: check_version(command, env, work)),
            ("self-test", lambda: check_self_test(command, env, work)),
            ("sounds", lambda: check_sounds(command, env, work)),
            ("window", lambda: check_window(command, env, work, args.window)),
        ]
        for name, check in checks:
            try:
                print(f"ok      {name}: {check()}", flush=True)
            except (CheckFailed, OSError, subprocess.SubprocessError) as error:
                failed += 1
                print(f"FAILED  {name}: {error}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
