"""A full disk, for real: a 100 KB tmpfs filled to the last page (issue 12). Every save
that cannot be written raises StoreError; the file it would have replaced, the checkpoint
and everything else stay byte for byte what they were; memory agrees with the disk; once
there is room again, the same saves work. (tests/store/test_atomic.py injects ENOSPC at each
step of the write; this checks the whole store against a file system that really is full.)
Needs root to mount; skipped with the reason otherwise."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tempo_coach.core.preferences import Preferences
from tempo_coach.store import Store, StoreError
from tempo_coach.store.atomic import is_temporary
from tempo_coach.store.documents import MAX_FILE_BYTES
from tests.store.conftest import make_session

IN_PROGRESS = make_session("now", "2026-03-21T10:00:00+01:00", sets=2, finished=False)


def _mount_small_disk(mount_point: Path) -> str | None:
    """Mount a 100 KB tmpfs at ``mount_point``; None, or why it cannot be done here."""
    if sys.platform != "linux":
        return "tmpfs is Linux's"
    if os.geteuid() != 0:
        return "mounting a 100 KB tmpfs needs root (run the tests as root to include this)"
    if shutil.which("mount") is None:
        return "no mount command"
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=100k,mode=0755", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        return f"mount refused: {mounted.stderr.strip()}"
    return None


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    why_not = _mount_small_disk(mount_point)
    if why_not is not None:
        pytest.skip(why_not)
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "--lazy", str(mount_point)], check=True)


def _fill(folder: Path) -> Path:
    """Take every free page of the file system; returns the filler file."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    try:
        while True:
            os.write(fd, b"\xaa" * 512)
    except OSError as error:
        assert error.errno == errno.ENOSPC
    finally:
        os.close(fd)
    return filler


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name not in ("filler", "tempo-coach.lock")
    }


def test_saves_on_a_full_disk_fail_and_change_nothing(small_disk: Path) -> None:
    folder = small_disk / "data"
    with Store.open(folder) as store:
        store.save_preferences(Preferences.defaults().with_values(volume=0.3))
        store.save_session(make_session("mar-1", "2026-03-01T10:00:00+01:00", sets=4, reps=8))
        store.save_session(make_session("mar-2", "2026-03-05T10:00:00+01:00", sets=4, reps=8))
    store = Store.open(folder)
    store.checkpoint(make_session("now", "2026-03-21T10:00:00+01:00", sets=1, finished=False))
    store.checkpoint(IN_PROGRESS)
    filler = _fill(small_disk)
    before = _snapshot(folder)
    summaries = store.summaries()
    try:
        big = make_session("mar-3", "2026-03-09T10:00:00+01:00", sets=8, reps=20)
        attempts = {
            "a finished session": lambda: store.save_session(big),
            "an import": lambda: store.save_sessions(
                [make_session("apr", "2026-04-01T10:00:00+02:00", sets=8, reps=20), big]
            ),
            "the session in progress": lambda: store.checkpoint(
                make_session("now", "2026-03-21T10:00:00+01:00", sets=6, finished=False)
            ),
            "the preferences": lambda: store.save_preferences(
                Preferences.defaults().with_values(volume=0.9)
            ),
            "a delete": lambda: store.delete_session("mar-1"),
        }
        for what, attempt in attempts.items():
            with pytest.raises(StoreError, match="No space left on device") as refused:
                attempt()
            assert "unchanged" in str(refused.value), what
            assert _snapshot(folder) == before, what  # byte for byte, checkpoint included
            assert not [p for p in folder.rglob(".*") if is_temporary(p.name)], what
        # Memory agrees with the disk: nothing that failed is shown as saved.
        assert store.summaries() == summaries
        assert store.pending_checkpoint() == IN_PROGRESS
        assert store.session("mar-3") is None and store.session("mar-1") is not None
        store.write_index()  # never raises, writes nothing it cannot
        assert _snapshot(folder) == before

        filler.unlink()  # room again: the same saves work
        store.save_session(big)
        store.checkpoint(make_session("now", "2026-03-21T10:00:00+01:00", sets=3, finished=False))
    finally:
        store.close()
    with Store.open(folder) as again:
        assert again.problems == []
        assert [s.session_id for s in again.history()] == ["mar-1", "mar-2", "mar-3"]
        pending = again.pending_checkpoint()
        assert pending is not None and len(pending.sets) == 3


def test_a_damaged_file_on_a_full_disk_is_left_as_it_is(small_disk: Path) -> None:
    folder = small_disk / "data"
    with Store.open(folder) as store:
        store.save_session(make_session("mar-1", "2026-03-01T10:00:00+01:00"))
        store.save_session(make_session("mar-2", "2026-03-05T10:00:00+01:00"))
    march = folder / "history" / "2026-03.json"
    damaged = march.read_bytes()[:-40]
    march.write_bytes(damaged)
    filler = _fill(small_disk)
    with Store.open(folder) as store:
        [problem] = store.problems
        assert "could not be copied aside" in problem
        assert [s.session_id for s in store.history()] == ["mar-1"]  # from the .bak
        with pytest.raises(StoreError):
            store.save_session(make_session("mar-3", "2026-03-09T10:00:00+01:00"))
        assert march.read_bytes() == damaged
        filler.unlink()
        store.save_session(make_session("mar-3", "2026-03-09T10:00:00+01:00"))
    [copy] = march.parent.glob("2026-03.json.corrupt-*")
    assert copy.read_bytes() == damaged


def test_a_huge_damaged_file_is_moved_aside_not_copied_so_saving_goes_on(
    small_disk: Path,
) -> None:
    """A damaged file larger than a store file can be (here a sparse one: 64 MB on paper on
    a 100 KB disk) is moved aside, keeping its bytes without writing them again: a copy
    would fill the disk, and the month could then never be saved again."""
    folder = small_disk / "data"
    with Store.open(folder) as store:
        store.save_session(make_session("mar-1", "2026-03-01T10:00:00+01:00"))
        store.save_session(make_session("mar-2", "2026-03-05T10:00:00+01:00"))
    march = folder / "history" / "2026-03.json"
    with open(march, "r+b") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    inode = march.stat().st_ino
    with Store.open(folder) as store:
        [problem] = store.problems
        assert "moved" in problem
        assert [s.session_id for s in store.history()] == ["mar-1"]  # from the .bak
        store.save_session(make_session("mar-3", "2026-03-09T10:00:00+01:00"))
    [aside] = march.parent.glob("2026-03.json.corrupt-*")
    assert aside.stat().st_ino == inode and aside.stat().st_size == MAX_FILE_BYTES + 1
    with Store.open(folder) as again:
        assert again.problems == []
        assert [s.session_id for s in again.history()] == ["mar-1", "mar-3"]
