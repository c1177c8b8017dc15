"""One writer at a time, with real processes: the second one is told who runs and writes
nothing; a lock left by a killed process is no obstacle."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tempo_coach.core.preferences import Preferences
from tempo_coach.store import Store, StoreError
from tempo_coach.store.lock import LOCK_NAME, Busy, Refused, acquire
from tempo_coach.store.migrations import SCHEMA_VERSION
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
from tempo_coach.store.migrations import SCHEMA_VERSION
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


# -- a lock file that is not a plain file (issue 12) -------------------------------------------


def _symlink(lock: Path, outside: Path) -> None:
    lock.symlink_to(outside)


def _dangling(lock: Path, outside: Path) -> None:
    lock.symlink_to(outside.with_name("not-there"))


def _hard_link(lock: Path, outside: Path) -> None:
    os.link(outside, lock)


def _folder(lock: Path, outside: Path) -> None:
    lock.mkdir()


def _fifo(lock: Path, outside: Path) -> None:
    os.mkfifo(lock)


LOCK_FAULTS = {
    "symbolic link": (_symlink, "symbolic link"),
    "dangling symbolic link": (_dangling, "symbolic link"),
    "hard link": (_hard_link, "2 names"),
    "folder": (_folder, "a folder"),
    "named pipe": (_fifo, "named pipe"),
}


def _what_is_at(path: Path) -> tuple[object, ...]:
    status = os.lstat(path)
    link = os.readlink(path) if path.is_symlink() else None
    return (status.st_mode, status.st_ino, link)


@pytest.mark.parametrize("fault", list(LOCK_FAULTS))
def test_a_lock_file_that_is_not_a_plain_file_is_never_followed_or_truncated(
    fault: str, store_dir: Path, tmp_path: Path
) -> None:
    """Run as root on a shared folder, a link there would truncate any file of the system;
    `tempo-coach history`, which only reads, opens the lock too."""
    make, words = LOCK_FAULTS[fault]
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"not Tempo Coach's: must never be truncated\n")
    with Store.open(store_dir) as store:
        store.save_session(make_session("kept"))
    lock = store_dir / LOCK_NAME
    lock.unlink()
    make(lock, outside)
    before = _what_is_at(lock)
    with Store.open(store_dir) as store:
        assert store.read_only
        reason = store.read_only_reason or ""
        assert f"the lock file {lock} is" in reason and words in reason, reason
        assert [s.session_id for s in store.history()] == ["kept"]  # still shows the data
        with pytest.raises(StoreError, match="lock file"):
            store.save_session(make_session("new", "2026-05-01T10:00:00+02:00"))
        assert not store.try_take_over()  # the same file is still there
    assert outside.read_bytes() == b"not Tempo Coach's: must never be truncated\n"
    assert _what_is_at(lock) == before
    assert not outside.with_name("not-there").exists()  # a dangling link: nothing created
    assert isinstance(acquire(store_dir), Refused)


def test_a_removed_bad_lock_file_lets_the_store_take_over(store_dir: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"precious\n")
    (store_dir / "history").mkdir(parents=True)
    (store_dir / LOCK_NAME).symlink_to(outside)
    with Store.open(store_dir) as store:
        assert store.read_only
        (store_dir / LOCK_NAME).unlink()
        assert store.try_take_over()
        store.save_session(make_session("after"))
    assert outside.read_bytes() == b"precious\n"


def test_an_unopenable_lock_file_is_not_reported_as_an_unwritable_folder(
    store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    def broken(folder: Path) -> object:
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr("tempo_coach.store.store.acquire", broken)
    with Store.open(store_dir) as store:
        assert store.read_only_reason is not None
        assert store.read_only_reason.startswith(f"the lock file {store_dir / LOCK_NAME}")
        assert "No locks available" in store.read_only_reason


# -- taking the lock over when the other instance has gone (issue 12) --------------------------

SAVING_HOLDER = """
import sys
from pathlib import Path
from tempo_coach.store import Store
from tests.store.conftest import make_session
store = Store.open(Path(sys.argv[1]))
print("writable" if not store.read_only else "read-only", flush=True)
for line in sys.stdin:  # "save ID STARTED_AT": save a session, then say so
    _, session_id, started_at = line.split()
    store.save_session(make_session(session_id, started_at))
    print("saved", flush=True)
store.close()
"""


@pytest.fixture
def saving_holder(store_dir: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process that has the store open and saves what it is told to."""
    process = subprocess.Popen(
        [sys.executable, "-c", SAVING_HOLDER, str(store_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert process.stdout is not None and process.stdin is not None
    assert process.stdout.readline().strip() == "writable"
    yield process
    if process.poll() is None:
        process.kill()
    process.wait(timeout=10)
    process.stdout.close()
    if not process.stdin.closed:
        process.stdin.close()


def _tell(process: subprocess.Popen[str], session_id: str, started_at: str) -> None:
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(f"save {session_id} {started_at}\n")
    process.stdin.flush()
    assert process.stdout.readline().strip() == "saved"


@pytest.mark.slow
def test_a_second_instance_takes_over_only_after_reading_what_the_first_saved(
    store_dir: Path, saving_holder: subprocess.Popen[str]
) -> None:
    _tell(saving_holder, "theirs-1", "2026-03-01T10:00:00+01:00")
    second = Store.open(store_dir)
    try:
        assert second.read_only and second.may_take_over
        assert not second.try_take_over()  # the other one still runs
        assert f"pid {saving_holder.pid}" in (second.read_only_reason or "")
        # The other one saves into the month this one has already read, then quits.
        _tell(saving_holder, "theirs-2", "2026-03-02T10:00:00+01:00")
        assert [s.session_id for s in second.summaries()] == ["theirs-1"]  # read before
        assert saving_holder.stdin is not None
        saving_holder.stdin.close()
        saving_holder.wait(timeout=10)

        assert second.try_take_over()
        assert not second.read_only and second.read_only_reason is None
        assert not second.may_take_over
        assert [s.session_id for s in second.summaries()] == ["theirs-1", "theirs-2"]
        second.save_session(make_session("mine", "2026-03-03T10:00:00+01:00"))
        assert second.try_take_over()  # already the writer: nothing to do
        assert (store_dir / LOCK_NAME).read_text().split()[0] == str(os.getpid())
        # Now this one is the writer: another process is refused.
        result = subprocess.run(
            [sys.executable, "-c", SECOND, str(store_dir)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            timeout=60,
            check=False,
        )
        assert "refused:" in result.stdout, result.stderr
    finally:
        second.close()
    with Store.open(store_dir) as again:
        assert [s.session_id for s in again.history()] == ["theirs-1", "theirs-2", "mine"]


@pytest.mark.slow
def test_a_second_instance_takes_over_from_a_killed_one_and_cleans_up(
    store_dir: Path, saving_holder: subprocess.Popen[str]
) -> None:
    _tell(saving_holder, "theirs", "2026-03-01T10:00:00+01:00")
    with Store.open(store_dir) as second:
        left = store_dir / "history" / ".2026-03.json.tmp-999-dead"  # a write cut short
        left.write_bytes(b"half")
        os.kill(saving_holder.pid, signal.SIGKILL)
        saving_holder.wait(timeout=10)
        assert second.try_take_over()
        assert not left.exists()
        second.checkpoint(make_session("now", finished=False))
        assert [s.session_id for s in second.history()] == ["theirs"]


def test_try_take_over_changes_nothing_for_other_read_only_stores(store_dir: Path) -> None:
    with Store.open(store_dir) as store:
        store.save_session(make_session("a"))
    march = store_dir / "history" / "2026-03.json"
    document = json.loads(march.read_bytes())
    document["schema_version"] = SCHEMA_VERSION + 1
    march.write_text(json.dumps(document), encoding="utf-8")
    with Store.open(store_dir) as newer:
        reason = newer.read_only_reason
        assert not newer.may_take_over
        assert not newer.try_take_over()
        assert newer.read_only_reason == reason
    closed = Store.open(store_dir)
    closed.close()
    assert not closed.try_take_over() and closed.read_only
    unavailable = Store.unavailable("no folder", store_dir)
    assert not unavailable.try_take_over()
    assert unavailable.read_only_reason == "no folder"
