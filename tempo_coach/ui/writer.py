"""Store writes off the GUI thread, one after another, in the order they were asked for.

A save after a set must never make the timer view stutter, even on a slow disk, so every
write (checkpoint, session, preferences, custom exercises) goes to one worker thread. One
thread, not a pool: a checkpoint, the session save and the clearing of the checkpoint must
reach the disk in that order. A failure comes back to the GUI thread as a queued signal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeoutError
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WriteFailure:
    what: str  # "save the session", "save your preferences", ...
    message: str


@dataclass(frozen=True)
class WriteDone:
    what: str


class StoreWriter(QObject):
    write_failed = Signal(object)  # WriteFailure
    write_done = Signal(object)  # WriteDone

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store-writer")
        self._last: Future[None] | None = None
        self._closed = False
        self.failures: list[WriteFailure] = []  # every failure, also for after close()

    def submit(self, what: str, write: Callable[[], None]) -> None:
        if self._closed:
            log.warning("store writer closed; not done: %s", what)
            return
        self._last = self._executor.submit(self._run, what, write)

    def _run(self, what: str, write: Callable[[], None]) -> None:
        try:
            write()
        except Exception as error:  # any failure of a write is reported, never fatal
            log.warning("could not %s: %s", what, error)
            failure = WriteFailure(what, str(error))
            self.failures.append(failure)  # list.append is atomic under the GIL
            self.write_failed.emit(failure)
        else:
            self.write_done.emit(WriteDone(what))

    def wait_idle(self, timeout_s: float = 10.0) -> bool:
        """Block until every write asked for so far is done (tests, and closing)."""
        last = self._last
        if last is None:
            return True
        try:
            last.result(timeout=timeout_s)
        except FutureTimeoutError:
            return False
        return True

    def close(self, timeout_s: float = 10.0) -> bool:
        """Finish the queued writes and stop the thread. Returns False when it timed out."""
        if self._closed:
            return True
        done = self.wait_idle(timeout_s)
        self._closed = True
        self._executor.shutdown(wait=done)
        return done
