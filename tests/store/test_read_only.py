"""Every read-only store behaves alike: it answers every read and refuses every write with a
``StoreError`` whose sentence says why, writing nothing. There are four ways to be one:
``Store.unavailable`` (the data folder cannot be used at all), a second instance, a closed
store, and a file written by a newer Tempo Coach."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tempo_coach.core.preferences import Preferences
from tempo_coach.core.records import LastUsed
from tempo_coach.store import BackupPreview, Store, StoreError, default_data_dir
from tempo_coach.store.backup import Backup
from tempo_coach.store.migrations import SCHEMA_VERSION
from tests.store.conftest import make_session
from tests.store.test_store import custom_exercise

UNUSABLE = "cannot use the data folder /media/stick/tempo-coach: Permission denied"

WRITES: dict[str, Callable[[Store], None]] = {
    "save_session": lambda s: s.save_session(make_session("w", "2026-05-01T10:00:00+02:00")),
    "save_sessions": lambda s: s.save_sessions([make_session("i", "2026-06-01T10:00:00+02:00")]),
    "checkpoint": lambda s: s.checkpoint(make_session("c", finished=False)),
    "clear_checkpoint": lambda s: s.clear_checkpoint(),
    "save_preferences": lambda s: s.save_preferences(
        Preferences.defaults().with_values(volume=0.1)
    ),
    "save_custom_exercises": lambda s: s.save_custom_exercises([custom_exercise()]),
    "delete_session": lambda s: s.delete_session("a"),
    "import_backup": lambda s: s.import_backup(_a_preview(), include_preferences=True),
}


def _a_preview() -> BackupPreview:
    """What ``read_backup`` gives for a backup of one new session, a new exercise and other
    preferences (built directly: reading a file is not what is tested here)."""
    session = make_session("i", "2026-07-01T10:00:00+02:00")
    preferences = Preferences.defaults().with_values(volume=0.2)
    content = Backup(SCHEMA_VERSION, "", (session,), (custom_exercise(),), preferences)
    return BackupPreview(
        Path("backup.json"), content, ("i",), (), (), ("nordic-curl",), (), (), True
    )


@dataclass
class ReadOnly:
    store: Store
    reason: str  # a part of read_only_reason every refusal must repeat
    folder: Path


def populated(folder: Path) -> None:
    with Store.open(folder) as store:
        store.save_session(make_session("a", "2026-03-01T10:00:00+01:00"))
        store.checkpoint(make_session("b", "2026-03-02T10:00:00+01:00", finished=False))


@pytest.fixture(params=["unavailable", "second instance", "closed", "newer file"])
def read_only(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ReadOnly]:
    folder = tmp_path / "data"
    if request.param == "unavailable":
        yield ReadOnly(Store.unavailable(UNUSABLE, folder), UNUSABLE, folder)
        return
    populated(folder)
    if request.param == "second instance":
        with Store.open(folder), Store.open(folder) as second:
            yield ReadOnly(second, "another Tempo Coach", folder)
        return
    if request.param == "newer file":
        march = folder / "history" / "2026-03.json"
        document = json.loads(march.read_bytes())
        document["schema_version"] = SCHEMA_VERSION + 1
        march.write_text(json.dumps(document), encoding="utf-8")
        with Store.open(folder) as store:
            yield ReadOnly(store, "written by a newer Tempo Coach", folder)
        return
    store = Store.open(folder)
    store.close()
    yield ReadOnly(store, "the store has been closed", folder)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("write", list(WRITES))
def test_every_write_is_refused_with_the_reason_and_nothing_changes(
    read_only: ReadOnly, write: str
) -> None:
    store = read_only.store
    before = snapshot(read_only.folder) if read_only.folder.exists() else None
    assert store.read_only
    assert read_only.reason in (store.read_only_reason or "")
    with pytest.raises(StoreError) as refused:
        WRITES[write](store)
    message = str(refused.value)
    assert read_only.reason in message and message.endswith(store.read_only_reason or "?")
    assert message[:1].isupper()  # a sentence for the user
    store.write_index()  # never raises, writes nothing
    after = snapshot(read_only.folder) if read_only.folder.exists() else None
    assert after == before


def test_reads_still_answer(read_only: ReadOnly) -> None:
    store = read_only.store
    history = store.history()
    assert [s.session_id for s in store.summaries()] == [s.session_id for s in history]
    assert store.session("nobody") is None
    assert isinstance(store.load_preferences(), Preferences)
    assert isinstance(store.custom_exercises(), list)
    used = store.last_used("barbell-squat")
    assert used is None or isinstance(used, LastUsed)
    if history:
        assert store.session(history[0].session_id) == history[0]
    store.pending_checkpoint()
    store.close()
    store.close()  # idempotent
    assert store.read_only


# -- Store.unavailable: no folder use at all ---------------------------------------------------

_seen: list[tuple[str, tuple[Any, ...]]] | None = None


_NOT_FILES = {"os.putenv", "os.unsetenv"}  # pytest names the running test in the environment


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _seen is None or event in _NOT_FILES:
        return
    if event == "open" or event.startswith(("os.", "shutil.", "fcntl.")):
        _seen.append((event, args))


sys.addaudithook(_audit)  # once per process; it records only inside watching_the_disk()


@pytest.fixture
def file_system_calls() -> Iterator[list[tuple[str, tuple[Any, ...]]]]:
    """Every file-system call Python audits (open, os.*, shutil.*, fcntl.*) made meanwhile.
    It can see them: the store opens files with open() and os.open(), lists them with
    os.scandir(), locks with fcntl.flock(), all audited events."""
    global _seen
    calls: list[tuple[str, tuple[Any, ...]]] = []
    _seen = calls
    try:
        yield calls
    finally:
        _seen = None


def test_an_unavailable_store_uses_no_folder_at_all(
    tmp_path: Path, file_system_calls: list[tuple[str, tuple[Any, ...]]]
) -> None:
    folder = tmp_path / "data"
    store = Store.unavailable(UNUSABLE, folder)
    assert (store.path, store.read_only_reason, store.problems) == (folder, UNUSABLE, [])
    assert store.history() == [] and store.summaries() == []
    assert store.last_used("barbell-squat") is None
    assert store.load_preferences() == Preferences.defaults()
    assert store.custom_exercises() == [] and store.pending_checkpoint() is None
    for write in WRITES.values():
        with pytest.raises(StoreError, match="Permission denied"):
            write(store)
    store.write_index()
    store.close()
    assert file_system_calls == []
    assert not folder.exists()


def test_an_unavailable_store_names_the_platform_folder_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    store = Store.unavailable("no folder")
    assert store.path == default_data_dir()
    with pytest.raises(StoreError, match="no folder"):
        store.save_session(make_session())
    assert not (tmp_path / "xdg").exists() and not (tmp_path / "home").exists()
