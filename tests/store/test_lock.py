"""One writer at a time, with real processes: the second one is told who runs and writes
nothing; a lock left by a killed process is no obstacle."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tempo_coach.core.preferences import Preferences
from tempo_coach.store import Store, StoreError
from tempo_coach.store.lock import LOCK_NAME, Busy, acquire
from tests.store.conftest import make_session

ROOT = Path(__file__).resolve().parents[2]

HOLDER = """
import sys
from pathlib import Path
from tempo_coach.store import Store
store = Store.open(Path(sys.argv[1]))
print("writable" if not store.read_only else "read-only", flush=True)
sys.stdin.read()  # hold the lock until the test closes stdin
store.close()
"""

SECOND = """
import sys
from pathlib import Path
from tempo_coach.store import Store, StoreError
from tests.store.conftest import make_session
store = Store.open(Path(sys.argv[1]))
print(store.read_only_reason)
try:
    store.save_session(make_session("from-second", "2026-05-01T10:00:00+02:00"))
except StoreError as error:
    print("refused:", error)
    sys.exit(0)
sys.exit(1)
"""


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != LOCK_NAME
    }


@pytest.fixture
def holder(store_dir: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process that has the store open."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(store_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert process.stdout is not None and process.stdin is not None
    assert process.stdout.readline().strip() == "writable"
    yield process
    process.stdin.close()
    process.wait(timeout=10)
    process.stdout.close()


@pytest.mark.slow
def test_a_second_instance_is_read_only_and_names_the_running_one(
    holder: subprocess.Popen[str], store_dir: Path
) -> None:
    before = snapshot(store_dir)
    with Store.open(store_dir) as second:
        assert second.read_only
        assert f"pid {holder.pid}" in (second.read_only_reason or "")
        for write in (
            lambda: second.save_session(make_session()),
            lambda: second.checkpoint(make_session(finished=False)),
            lambda: second.save_preferences(Preferences.defaults().with_values(volume=0.1)),
            lambda: second.save_custom_exercises([]),
            second.clear_checkpoint,
        ):
            with pytest.raises(StoreError, match=f"pid {holder.pid}"):
                write()
    assert snapshot(store_dir) == before


@pytest.mark.slow
def test_a_second_process_is_refused_while_this_one_writes(store: Store, store_dir: Path) -> None:
    store.save_session(make_session("mine"))
    before = snapshot(store_dir)
    result = subprocess.run(
        [sys.executable, "-c", SECOND, str(store_dir)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert f"another Tempo Coach (pid {os.getpid()}) is running" in result.stdout
    assert "refused:" in result.stdout
    assert snapshot(store_dir) == before


@pytest.mark.slow
def test_a_lock_left_by_a_killed_process_is_stale(
    holder: subprocess.Popen[str], store_dir: Path
) -> None:
    assert isinstance(acquire(store_dir), Busy)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=10)
    with Store.open(store_dir) as store:
        assert not store.read_only
        assert (store_dir / LOCK_NAME).read_text().split()[0] == str(os.getpid())
        store.save_session(make_session())
