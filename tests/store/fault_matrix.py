"""The store-fault matrix: each data file, each way it can be bad, and what must hold.

For each case a folder is filled as the app fills it (preferences, custom exercises, two
months of history, the session in progress, the index; every file saved twice, so that each
has a ``.bak``), then one file is made bad, and the store is opened, read, asked to save
into that file, closed and opened again. The case *survives* when:

- nothing but ``StoreError`` is raised, and nothing hangs (a deadline per case);
- a problem (or the read-only reason) names the file; the index is the exception: damage to
  its content is rebuilt without a word (it holds nothing the months do not), but a link,
  a pipe, a device or a folder in its place is reported;
- what was at the file's name is still there or kept aside (``NAME.corrupt-*``), exactly:
  the same bytes, the link to the same target, the folder with the same content, still a
  pipe or a device (the index's content alone may be rebuilt);
- the file outside the folder a link pointed at is unchanged;
- nothing readable is lost: every session, preference and exercise of the good files is
  there after reopening, and so is what the save added when it was not refused.

*Lost* counts the cases where something that had been kept (bytes, a session) was not.

``tests/store/test_faults.py`` runs a fixed sample in ``make test``; ``python -m bench
store_faults`` runs every case. ``python -m tests.store.fault_matrix SCRATCH CASE...`` runs
cases in a fresh process and prints one JSON line each (``CASE`` is ``target:fault:variant``):
the tests and the bench run the permission cases that way as an unprivileged user when they
run as root, since root reads a file whatever its permissions.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from tempo_coach.core.preferences import Preferences
from tempo_coach.store import Store, StoreError
from tempo_coach.store.documents import MAX_FILE_BYTES
from tempo_coach.store.lock import FolderLock, acquire
from tempo_coach.store.migrations import SCHEMA_VERSION
from tests.store.conftest import make_session
from tests.store.test_store import custom_exercise

ROOT = Path(__file__).resolve().parents[2]
DEADLINE_S = 20.0  # a case takes well under a second; more means something blocked
UNPRIVILEGED = 65534  # nobody

TARGETS = {
    "preferences": "preferences.json",
    "exercises": "exercises.json",
    "checkpoint": "checkpoint.json",
    "month": "history/2026-03.json",
    "index": "history/index.json",
}
KINDS = {
    "preferences": "preferences",
    "exercises": "exercises",
    "checkpoint": "checkpoint",
    "month": "history",
    "index": "history-index",
}
FEBRUARY = make_session("feb", "2026-02-20T10:00:00+01:00")
MARCH_1 = make_session("mar-1", "2026-03-01T10:00:00+01:00")
MARCH_2 = make_session("mar-2", "2026-03-08T10:00:00+01:00", sets=1)
ADDED = make_session("added", "2026-03-20T10:00:00+01:00")
FIRST_PREFERENCES = Preferences.defaults().with_values(volume=0.5)
PREFERENCES = Preferences.defaults().with_values(volume=0.25, count_in_seconds=7)
FIRST_EXERCISES = [custom_exercise("nordic-curl")]
EXERCISES = [custom_exercise("nordic-curl"), custom_exercise("slow-curl")]
IN_PROGRESS = make_session("now", "2026-03-21T10:00:00+01:00", sets=2, finished=False)
OUTSIDE_TEXT = b"a file outside the data folder that nothing may write\n"


# -- the folder --------------------------------------------------------------------------------


def populate(folder: Path) -> None:
    """A folder as the app leaves it; every file saved twice, so each has a ``.bak``."""
    with Store.open(folder) as store:
        store.save_preferences(FIRST_PREFERENCES)
        store.save_preferences(PREFERENCES)
        store.save_custom_exercises(FIRST_EXERCISES)
        store.save_custom_exercises(EXERCISES)
        store.save_session(FEBRUARY)
        store.save_session(MARCH_1)
        store.save_session(MARCH_2)
        store.checkpoint(make_session("now", "2026-03-21T10:00:00+01:00", sets=1, finished=False))
        store.checkpoint(IN_PROGRESS)
    os.utime(folder / TARGETS["index"])  # strictly newer than every month it describes


# -- the faults --------------------------------------------------------------------------------


def _rewrite(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    document = json.loads(path.read_bytes())
    change(document)
    path.write_text(json.dumps(document), encoding="utf-8")


def _wrong_shape(document: dict[str, Any]) -> None:
    for key in document:
        if key not in ("schema_version", "kind"):
            document[key] = ["wrong", "shape"]


def _future(document: dict[str, Any]) -> None:
    document["schema_version"] = SCHEMA_VERSION + 1


def _huge(path: Path) -> None:
    good = path.read_bytes()
    with open(path, "wb") as handle:  # sparse: huge on paper, instant to make
        handle.write(good)
        handle.truncate(MAX_FILE_BYTES + 1)


def _replace_with(path: Path, make: Callable[[Path], None]) -> None:
    path.unlink()
    make(path)


def _folder(path: Path) -> None:
    path.mkdir()
    (path / "inside.txt").write_bytes(b"a file inside a folder in the way\n")


def _device(path: Path) -> None:
    os.mknod(path, stat.S_IFCHR | 0o644, os.makedev(1, 5))  # as /dev/zero: endless


def _no_permission(path: Path) -> None:
    os.chmod(path, 0)


FAULTS: dict[str, Callable[[Path, Path], None]] = {
    "truncated": lambda p, o: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]),
    "empty": lambda p, o: p.write_bytes(b""),
    "random bytes": lambda p, o: p.write_bytes(random.Random(12).randbytes(p.stat().st_size)),
    "wrong shape": lambda p, o: _rewrite(p, _wrong_shape),
    "future version": lambda p, o: _rewrite(p, _future),
    "huge": lambda p, o: _huge(p),
    "symlink to a store file outside": lambda p, o: (
        shutil.move(p, o / p.name),
        p.symlink_to(o / p.name),
    ),
    "symlink to another file": lambda p, o: _replace_with(p, lambda q: q.symlink_to(o / "other")),
    "dangling symlink": lambda p, o: _replace_with(p, lambda q: q.symlink_to(o / "nothing")),
    "directory": lambda p, o: _replace_with(p, _folder),
    "FIFO": lambda p, o: _replace_with(p, os.mkfifo),
    "device": lambda p, o: _replace_with(p, _device),
    "no permission": lambda p, o: _no_permission(p),
}
NEEDS_ROOT = {"device"}  # mknod
NEEDS_NOT_ROOT = {"no permission"}  # root reads whatever the permissions
# Faults of the index's content: it is derived, so it is rebuilt without a word.
INDEX_REBUILT = {"truncated", "empty", "random bytes", "wrong shape", "huge", "no permission"}
VARIANTS = ("writer", "writer, no .bak", "second instance")


@dataclass(frozen=True)
class Case:
    target: str
    fault: str
    variant: str = "writer"

    @property
    def name(self) -> str:
        return f"{self.target}:{self.fault}:{self.variant}"

    @classmethod
    def parse(cls, name: str) -> Case:
        target, fault, variant = name.split(":")
        return cls(target, fault, variant)


def every_case() -> list[Case]:
    return [Case(t, f, v) for t in TARGETS for f in FAULTS for v in VARIANTS]


# -- what is at a name -------------------------------------------------------------------------


def entry(path: Path) -> tuple[Any, ...] | None:
    """What is at ``path``, comparable before and after, without opening anything but a
    regular file or a folder."""
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        return None
    mode = status.st_mode
    if stat.S_ISLNK(mode):
        return ("link", os.readlink(path))
    if stat.S_ISDIR(mode):
        return ("folder", tuple(sorted((p.name, entry(p)) for p in path.iterdir())))
    if stat.S_ISFIFO(mode):
        return ("fifo", status.st_ino)
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return ("device", status.st_rdev, status.st_ino)
    if status.st_size > MAX_FILE_BYTES:  # compared by size, head and tail
        with open(path, "rb") as handle:
            head = handle.read(4096)
            handle.seek(-4096, os.SEEK_END)
            return ("huge", status.st_size, head, handle.read())
    if stat.S_IMODE(mode) == 0 and os.geteuid() != 0:
        return ("unreadable", status.st_size, status.st_ino)
    return ("file", path.read_bytes())


def kept(path: Path, before: tuple[Any, ...] | None) -> bool:
    """Whether what was at ``path`` is still there or kept aside, exactly. A moved entry
    keeps its inode; a copy keeps its bytes."""
    candidates = [path, *sorted(path.parent.glob(path.name + ".corrupt-*"))]
    return any(entry(candidate) == before for candidate in candidates)


# -- one case ----------------------------------------------------------------------------------


@dataclass
class Result:
    case: str
    survived: bool = True
    lost: bool = False
    notes: list[str] = field(default_factory=list)

    def fail(self, note: str, *, lost: bool = False) -> None:
        self.survived = False
        self.lost = self.lost or lost
        self.notes.append(note)


class Hang(Exception):
    pass


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise ``Hang`` in the main thread after ``seconds`` (a FIFO opened for reading, an
    endless device): interrupts even a blocking open()."""

    def expired(signum: int, frame: object) -> None:
        raise Hang(f"still running after {seconds:.0f} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def applicable(case: Case) -> str | None:
    """None, or why this case cannot run in this process."""
    root = os.geteuid() == 0
    if case.fault in NEEDS_ROOT and not root:
        return "making a device needs root"
    if case.fault in NEEDS_NOT_ROOT and root:
        return "root reads any file: run as an unprivileged user (run_unprivileged)"
    return None


def _save_into(store: Store, target: str) -> str:
    """Save something into the bad file (what the user would do next)."""
    if target == "preferences":
        store.save_preferences(PREFERENCES.with_values(volume=0.75))
    elif target == "exercises":
        store.save_custom_exercises([*EXERCISES, custom_exercise("third-curl")])
    elif target == "checkpoint":
        store.checkpoint(make_session("now", "2026-03-21T10:00:00+01:00", sets=3, finished=False))
    else:  # the month, and the index that describes it
        store.save_session(ADDED)
    return target


def _read_everything(store: Store) -> None:
    store.summaries()
    store.history()
    store.last_used("barbell-squat")
    store.session("mar-1")
    store.pending_checkpoint()
    store.load_preferences()
    store.custom_exercises()


def _check_nothing_lost(folder: Path, case: Case, saved: bool, result: Result) -> None:
    """Reopen, and check that every readable thing is there."""
    with Store.open(folder) as store:
        ids = {s.session_id for s in store.history()}
        summary_ids = {s.session_id for s in store.summaries()}
        preferences = store.load_preferences()
        exercises = {e.exercise_id for e in store.custom_exercises()}
        checkpoint = store.pending_checkpoint()
    if ids != summary_ids:
        result.fail(f"summaries {sorted(summary_ids)} differ from history {sorted(ids)}")
    recoverable = case.variant != "writer, no .bak"  # the .bak holds the previous version
    expected = {"feb"}
    if case.target != "month" or case.fault == "future version":
        expected |= {"mar-1", "mar-2"}
    elif recoverable:
        expected |= {"mar-1"}  # the .bak: the month before mar-2 was saved
    if saved and case.target in ("month", "index"):
        expected.add("added")
    if missing := expected - ids:
        result.fail(f"sessions lost: {sorted(missing)}", lost=True)
    if case.target != "preferences" and preferences != PREFERENCES:
        result.fail("the preferences were lost", lost=True)
    if case.target != "exercises" and not {"nordic-curl", "slow-curl"} <= exercises:
        result.fail(f"custom exercises lost: {sorted(exercises)}", lost=True)
    if case.target != "checkpoint" and checkpoint != IN_PROGRESS:
        result.fail("the session in progress was lost", lost=True)
    if case.target == "checkpoint" and recoverable and checkpoint is None and not saved:
        result.fail("the session in progress was not recovered from its .bak", lost=True)


class Armed(NamedTuple):
    """A case's data folder with its fault made, and what was there before any store."""

    folder: Path
    outside: Path  # a folder beside it, which nothing may change
    path: Path  # the file the fault is in
    holder: FolderLock | None  # the lock, held by "another process" (a second instance)
    before: tuple[Any, ...] | None  # entry(path)
    outside_before: dict[str, tuple[Any, ...] | None]
    everything_before: dict[str, tuple[Any, ...] | None]  # the folder, but history/


def arm(work: Path, case: Case, owner: int | None = None) -> Armed:
    """Populate ``work``/data, make ``case``'s fault, and take the lock for a second
    instance. ``owner``: give every file to that user first (root reads any file, so a
    permission fault is tried as someone else: tests/ui/window_faults.py)."""
    folder, outside = work / "data", work / "outside"
    outside.mkdir()
    (outside / "other").write_bytes(OUTSIDE_TEXT)
    populate(folder)
    if case.variant == "writer, no .bak":
        for backup in folder.rglob("*.bak"):
            backup.unlink()
    path = folder / TARGETS[case.target]
    if owner is not None:
        for item in [work, *work.rglob("*")]:
            os.lchown(item, owner, owner)
    FAULTS[case.fault](path, outside)
    holder: FolderLock | None = None
    if case.variant == "second instance":  # another process holds the lock: a reader
        taken = acquire(folder)
        assert isinstance(taken, FolderLock)
        holder = taken
    return Armed(
        folder,
        outside,
        path,
        holder,
        entry(path),
        {p.name: entry(p) for p in outside.iterdir()},
        {str(p): entry(p) for p in folder.rglob("*") if p.name != "history"},
    )


def run_case(case: Case, scratch: Path) -> Result:
    """Run one case in a fresh folder under ``scratch``."""
    result = Result(case.name)
    work = Path(tempfile.mkdtemp(prefix="case-", dir=scratch))
    folder, outside, path, holder, before, outside_before, everything_before = arm(work, case)
    saved = False
    try:
        with deadline(DEADLINE_S):
            store = Store.open(folder)
            try:
                _read_everything(store)
                try:
                    _save_into(store, case.target)
                    saved = True
                except StoreError as refused:
                    result.notes.append(f"save refused: {refused}")
                problems = [*store.problems, store.read_only_reason or ""]
                result.notes.extend(f"problem: {p}" for p in store.problems)
            finally:
                store.close()
            if holder is not None:
                holder.release()
                holder = None
                everything_after = {
                    str(p): entry(p) for p in folder.rglob("*") if p.name != "history"
                }
                if everything_after != everything_before:
                    result.fail("a second instance changed the folder", lost=True)
            if not kept(path, before) and not (
                case.target == "index" and case.fault in INDEX_REBUILT
            ):
                # Bytes are lost; a link, a pipe, a folder replaced is a failure, not a loss.
                data = before is not None and before[0] in ("file", "huge", "unreadable")
                result.fail(f"{path.name} was replaced before it was kept aside", lost=data)
            if {p.name: entry(p) for p in outside.iterdir()} != outside_before:
                result.fail("a file outside the folder was changed", lost=True)
            quiet = case.target == "index" and case.fault in INDEX_REBUILT | {"future version"}
            label = path.name if case.target != "month" else "2026-03"
            if not quiet and not any(label in p for p in problems):
                result.fail(f"no problem names {label}: {problems}")
            _check_nothing_lost(folder, case, saved, result)
            aside = list(path.parent.glob(path.name + ".corrupt-*"))
            if len(aside) > 1:
                result.fail(f"kept aside {len(aside)} times (once per start)")
    except Hang as hang:
        result.fail(f"hang: {hang}")
    except Exception:  # a traceback: the one thing that must never happen
        result.fail("traceback: " + traceback.format_exc(limit=4).replace("\n", " | "))
    finally:
        if holder is not None:
            holder.release()
        _remove(work)
    return result


def _remove(work: Path) -> None:
    for path in work.rglob("*"):
        if not path.is_symlink():
            with suppress(OSError):
                os.chmod(path, 0o700)
    shutil.rmtree(work, ignore_errors=True)


# -- as an unprivileged user -------------------------------------------------------------------


def unprivileged_reason() -> str | None:
    """None when ``run_unprivileged`` can run cases without root's rights."""
    if sys.platform == "win32":
        return "no setuid on Windows"
    return None


def run_unprivileged(cases: list[Case]) -> list[Result]:
    """Run ``cases`` in a child process without root's rights: when this one is root, the
    child imports everything (the interpreter may live where ``nobody`` cannot read), runs
    one case to load what is imported late, then drops to ``nobody`` (``os.setuid``) and
    runs ``cases`` in a scratch folder ``nobody`` owns. Otherwise the child is this user's."""
    scratch = Path(tempfile.mkdtemp(prefix="tempo-coach-faults-"))
    root = os.geteuid() == 0
    try:
        if root:
            os.chmod(scratch, 0o755)
            os.chown(scratch, UNPRIVILEGED, UNPRIVILEGED)
        process = subprocess.run(
            [sys.executable, "-m", "tests.store.fault_matrix"]
            + (["--as-user", str(UNPRIVILEGED)] if root else [])
            + [str(scratch), *(c.name for c in cases)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"},
            timeout=DEADLINE_S * (len(cases) + 2),
            check=False,
        )
    finally:
        _remove(scratch)
    results = [Result(**json.loads(line)) for line in process.stdout.splitlines() if line]
    if process.returncode != 0 or len(results) != len(cases):
        raise RuntimeError(f"the unprivileged run failed: {process.stderr[-2000:]}")
    return results


def _drop_to(uid: int) -> None:
    """Become ``uid`` (and its group) for good, after a warm-up case has imported all."""
    with tempfile.TemporaryDirectory() as warm_up:
        for variant in VARIANTS:
            run_case(Case("month", "truncated", variant), Path(warm_up))
    become(uid)


def become(uid: int) -> None:
    """Give up root for good: ``uid`` and its group, and check that root cannot be taken
    back (tests/ui/window_kills.py does the same in the window's process)."""
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    try:
        os.setuid(0)
    except PermissionError:
        return
    raise SystemExit("could not drop root's rights")


def main(argv: list[str]) -> int:
    if argv[:1] == ["--as-user"]:
        _drop_to(int(argv[1]))
        argv = argv[2:]
    scratch = Path(argv[0])
    for name in argv[1:]:
        case = Case.parse(name)
        why_not = applicable(case)
        if why_not is not None:
            result = Result(case.name, notes=[f"not applicable: {why_not}"])
        else:
            result = run_case(case, scratch)
        print(json.dumps(asdict(result)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
