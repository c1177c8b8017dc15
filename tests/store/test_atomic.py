"""The atomic-write helper: a full disk at any step leaves the old file exactly as it was."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tempo_coach.store import Store, StoreError
from tempo_coach.store.atomic import atomic_write, backup_path, is_temporary
from tests.store.conftest import make_session


def temporaries(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if is_temporary(p.name)]


def enospc(*args: Any, **kwargs: Any) -> Any:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def failing_on_call(real: Callable[..., Any], number: int) -> Callable[..., Any]:
    """``real``, except that call ``number`` (1-based) fails with ENOSPC."""
    calls = {"n": 0}

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == number:
            enospc()
        return real(*args, **kwargs)

    return wrapper


def test_a_write_replaces_the_file_and_keeps_the_previous_version(tmp_path: Path) -> None:
    target = tmp_path / "a.json"
    atomic_write(target, b"one")
    atomic_write(target, b"two")
    assert target.read_bytes() == b"two"
    assert backup_path(target).read_bytes() == b"one"
    assert temporaries(tmp_path) == []


# Which os function fails, and on which of its calls during one atomic_write.
STEPS = {
    "write": ("write", 1),
    "fsync of the file": ("fsync", 1),
    "replace": ("replace", 2),  # call 1 moves the backup link into place
    "replace of the backup link": ("replace", 1),
}


@pytest.mark.parametrize("step", list(STEPS))
def test_a_full_disk_leaves_the_old_file_intact(
    step: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "a.json"
    atomic_write(target, b'{"old": true}')
    atomic_write(target, b'{"old": "yes"}')
    before = target.read_bytes()
    name, number = STEPS[step]
    monkeypatch.setattr(os, name, failing_on_call(getattr(os, name), number))
    if step == "replace of the backup link":
        atomic_write(target, b'{"new": 1}')  # a backup that cannot be made does not stop it
        assert target.read_bytes() == b'{"new": 1}'
    else:
        with pytest.raises(OSError) as raised:
            atomic_write(target, b'{"new": 1}' * 1000)
        assert raised.value.errno == errno.ENOSPC
        assert target.read_bytes() == before
    assert temporaries(tmp_path) == []


@pytest.mark.parametrize("name", ["write", "fsync", "replace"])
def test_a_full_disk_while_saving_a_session_loses_nothing(
    name: str, store: Store, store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = make_session("first", "2026-03-01T10:00:00+01:00")
    store.save_session(first)
    month = store_dir / "history" / "2026-03.json"
    before = month.read_bytes()
    real = getattr(os, name)
    monkeypatch.setattr(os, name, failing_on_call(real, 2 if name == "replace" else 1))
    with pytest.raises(StoreError, match="No space left on device") as raised:
        store.save_session(make_session("second", "2026-03-02T10:00:00+01:00"))
    assert "unchanged" in str(raised.value)
    monkeypatch.setattr(os, name, real)
    assert month.read_bytes() == before
    assert temporaries(store_dir) == []
    assert store.history() == [first]  # memory agrees with the disk
    store.close()
    with Store.open(store_dir) as again:
        assert again.history() == [first]
        assert again.problems == []


def test_stale_temporaries_are_removed_by_the_writer_only(store_dir: Path) -> None:
    (store_dir / "history").mkdir(parents=True)
    stale = [
        store_dir / ".preferences.json.tmp-123-abcd",
        store_dir / "history" / ".2026-03.json.tmp-123-beef",
    ]
    for path in stale:
        path.write_bytes(b'{"half": ')
    with Store.open(store_dir) as writer:
        assert not writer.read_only
        assert temporaries(store_dir) == []
        # A second instance must not delete the writer's temporaries (a save in progress).
        stale[0].write_bytes(b"in flight")
        with Store.open(store_dir) as reader:
            assert reader.read_only
        assert stale[0].exists()
