"""Opening a store path only when it is a regular file (store/entries.py): never through a
link, never a pipe or a device, even one swapped in between the check and the open."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tempo_coach.store import BackupError, Store
from tempo_coach.store.entries import NotAFile, check_regular, open_regular
from tests.store.conftest import make_session
from tests.store.fault_matrix import deadline


def test_a_regular_file_is_opened(tmp_path: Path) -> None:
    path = tmp_path / "file.json"
    path.write_bytes(b"{}")
    with open_regular(path) as handle:
        assert handle.read() == b"{}"
    assert check_regular(path).st_size == 2


def test_a_link_a_pipe_and_a_folder_are_refused_without_being_opened(tmp_path: Path) -> None:
    target = tmp_path / "target.json"
    target.write_bytes(b"{}")
    (tmp_path / "link").symlink_to(target)
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "folder").mkdir()
    expected = {
        "link": f"a symbolic link (to {target})",
        "pipe": "a named pipe (FIFO)",
        "folder": "a folder",
    }
    with deadline(5):
        for name, what in expected.items():
            with pytest.raises(NotAFile) as refused:
                open_regular(tmp_path / name)
            assert refused.value.what == what
            assert str(refused.value.strerror) == f"it is {what}, not a file"
            with pytest.raises(NotAFile):
                check_regular(tmp_path / name)
    with pytest.raises(FileNotFoundError):
        open_regular(tmp_path / "missing")


def test_a_pipe_swapped_in_after_the_check_is_refused_after_the_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    regular = tmp_path / "regular"
    regular.write_bytes(b"")
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    real_lstat = os.lstat
    # The check sees a file; by the open, a pipe is there. O_NONBLOCK keeps the open from
    # waiting for a writer, and the check of the open file refuses it.
    monkeypatch.setattr(
        os, "lstat", lambda p, *a, **k: real_lstat(regular if Path(p) == pipe else p)
    )
    with deadline(5), pytest.raises(NotAFile, match="named pipe"):
        open_regular(pipe)


def test_a_chosen_file_outside_the_store_may_be_a_link_but_not_a_pipe(tmp_path: Path) -> None:
    target = tmp_path / "target.json"
    target.write_bytes(b"{}")
    (tmp_path / "link").symlink_to(target)
    with open_regular(tmp_path / "link", follow_symlinks=True) as handle:
        assert handle.read() == b"{}"
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "link-to-pipe").symlink_to(tmp_path / "pipe")
    with deadline(5), pytest.raises(NotAFile, match="named pipe"):
        open_regular(tmp_path / "link-to-pipe", follow_symlinks=True)


def test_reading_a_pipe_as_a_backup_says_so_instead_of_waiting(
    store: Store, tmp_path: Path
) -> None:
    os.mkfifo(tmp_path / "backup.json")
    with deadline(5), pytest.raises(BackupError, match="named pipe"):
        store.read_backup(tmp_path / "backup.json")


@pytest.mark.parametrize("kind", ["link", "pipe"])
def test_a_history_folder_that_is_not_a_folder_makes_the_store_read_only(
    kind: str, store_dir: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    with Store.open(elsewhere) as other:  # a folder of months somewhere else
        other.save_session(make_session("elsewhere"))
    store_dir.mkdir()
    if kind == "link":
        (store_dir / "history").symlink_to(elsewhere / "history")
    else:
        os.mkfifo(store_dir / "history")
    before = sorted(p.name for p in (elsewhere / "history").iterdir())
    with deadline(5), Store.open(store_dir) as store:
        reason = store.read_only_reason or ""
        assert f"the history folder {store_dir / 'history'} is" in reason
        assert store.history() == [] and store.summaries() == []  # nothing read through it
        assert store.problems == [reason]
        assert not store.try_take_over()
    assert sorted(p.name for p in (elsewhere / "history").iterdir()) == before
