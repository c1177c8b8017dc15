"""The training controller: a session's life from set-up to saved, without a widget.

``TrainingController`` owns the runner (the running ``Session``), the writer thread and the
store port, the cue output's lifecycle, the interrupted-session flow, the checkpoints and the
final save. The window lays out widgets, turns keys into actions and forwards them here; what
the lifter must be told comes back as signals carrying small frozen dataclasses. So the whole
flow (start, checkpoint, finish, interrupted session, failed saves) is tested on this class
with a fake store and a silent output, no window needed.

Every record comes from ``Session.record()``: the checkpoint taken after each rep and the final
save are the same record at two moments, so a resumed session continues exactly what was kept.

Why it is over 500 lines: it is the whole life of a session outside the view (start,
checkpoints, finish, saves and their failures, the kept session, quitting, taking the folder
over), each part a few lines that share the same state.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from tempo_coach.core.exercise import Exercise
from tempo_coach.core.output import CueOutput, NoSoundOutput
from tempo_coach.core.preferences import Preferences
from tempo_coach.core.records import (
    LastUsed,
    LoadUnit,
    RepRecord,
    SessionRecord,
    SessionSummary,
    SetRecord,
    saved_as_interrupted,
)
from tempo_coach.core.report import session_adherence, set_adherence
from tempo_coach.core.taps import Tap
from tempo_coach.core.timeline import SetPlan
from tempo_coach.ui.keep_awake import NoScreenKeeper, ScreenKeeper
from tempo_coach.ui.ports import OutputFactory, StorePort
from tempo_coach.ui.runner import POLL_INTERVAL_MS, SessionOver, SessionRunner
from tempo_coach.ui.text import count_text, duration_text
from tempo_coach.ui.writer import StoreWriter, WriteDone, WriteFailure

if TYPE_CHECKING:
    from tempo_coach.core.coach import Advice

log = logging.getLogger(__name__)

#: In tap mode, how long after the end of a session its last lowering can still be tapped
#: before the notes are asked for (the finish dialog would take the key).
FINAL_TAP_MS = 1_500

TAKE_OVER_EVERY_MS = 5000
SAVE_SESSION = "save the session"
SAVE_INTERRUPTED = "save the interrupted session"
CLEAR_CHECKPOINT = "clear the session in progress"
KEEP_PROGRESS = "keep the session in progress"
KEEP_SETS = "keep the sets done so far"


@dataclass(frozen=True)
class StatusMessage:
    text: str
    timeout_ms: int = 0


@dataclass(frozen=True)
class InterruptedOffer:
    """A session a crash interrupted, and what the lifter may do with it."""

    record: SessionRecord
    text: str
    answers: tuple[tuple[str, str], ...]  # (key, label): "continue", "save", "discard"


@dataclass(frozen=True)
class ResumeReady:
    """The sets left of an interrupted session are set up; Space continues it."""

    exercise: Exercise
    values: LastUsed  # what the set-up panel shows
    message: str


@dataclass(frozen=True)
class FinishRequest:
    """The session is over with sets to keep: ask for RPE and a note, then ``finish()``."""

    record: SessionRecord
    summary: str


@dataclass(frozen=True)
class _OutputProblem:
    message: str


def local_time_text(started_at: str) -> str:
    """ "Thu 26 Nov, 23:47" in this computer's time zone (the text as stored when it is not
    an ISO 8601 time)."""
    try:
        moment = datetime.fromisoformat(started_at)
    except ValueError:
        return started_at
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime("%a %d %b, %H:%M")


def record_summary(record: SessionRecord) -> str:
    reps = sum(s.reps_done for s in record.sets)
    text = (
        f"{record.exercise_name}: {count_text(len(record.sets), 'set')}, "
        f"{count_text(reps, 'rep')}, "
        f"time under tension {duration_text(record.time_under_tension_ms)}."
    )
    accuracy = session_adherence(SessionSummary.of(record))
    return text if accuracy is None else f"{text} Tempo: {accuracy}."


class TrainingController(QObject):
    notice = Signal(str)  # a lasting problem, for the banner
    status_message = Signal(object)  # StatusMessage
    audio_status = Signal(str)  # which output is in use, or why there is none
    running_changed = Signal(bool)  # a session began, or it is over and saved or dropped
    store_writable = Signal()  # another Tempo Coach closed: this one saves from now on
    interrupted_found = Signal(object)  # InterruptedOffer
    resume_ready = Signal(object)  # ResumeReady
    finish_requested = Signal(object)  # FinishRequest
    _output_problem = Signal(object)  # _OutputProblem, from the output's thread

    def __init__(
        self,
        store: StorePort,
        output_factory: OutputFactory,
        *,
        find_exercise: Callable[[str], Exercise | None],
        wall_time: Callable[[], str],
        poll_interval_ms: int = POLL_INTERVAL_MS,
        screen_keeper: ScreenKeeper | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self._output_factory = output_factory
        self._find_exercise = find_exercise
        self._wall_time = wall_time
        self._screen_keeper: ScreenKeeper = screen_keeper or NoScreenKeeper()
        self._output: CueOutput | None = None
        self._output_stale = False
        self._resume: SessionRecord | None = None  # an interrupted session to continue
        self._finishing: SessionRecord | None = None  # over, waiting for RPE and note
        self._saved_text = ""  # shown once the save is on disk
        self._set_done_texts: list[str] = []  # "Set N done": said once kept on disk
        self.saved_message = ""
        self.last_record: SessionRecord | None = None  # the session that ended last
        self.writer = StoreWriter(self)
        self.writer.write_failed.connect(self._on_writer_write_failed)
        self.writer.write_done.connect(self._on_writer_write_done)
        self.runner = SessionRunner(wall_time, self, interval_ms=poll_interval_ms)
        self.runner.rep_finished.connect(self._on_runner_rep_finished)
        self.runner.set_finished.connect(self._on_runner_set_finished)
        self.runner.session_over.connect(self._on_runner_session_over)
        self._output_problem.connect(
            self._on_self_output_problem, Qt.ConnectionType.QueuedConnection
        )
        self.preferences = store.load_preferences()
        # Read-only because another Tempo Coach owns the folder: look every few seconds
        # whether it has closed, and take the folder over then (Store.try_take_over).
        self._failing: set[str] = set()  # writes whose failure the banner has said
        self.awaiting_final_tap = False  # a set in tap mode just ended: its last tap may come
        self._final_tap_timer = QTimer(self)
        self._final_tap_timer.setSingleShot(True)
        self._final_tap_timer.setInterval(FINAL_TAP_MS)
        self._final_tap_timer.timeout.connect(self._on_final_tap_timer_timeout)
        self._take_over_timer = QTimer(self)
        self._take_over_timer.setInterval(TAKE_OVER_EVERY_MS)
        self._take_over_timer.timeout.connect(self._on_take_over_timer_timeout)
        if store.may_take_over:
            self._take_over_timer.start()

    # -- reading ---------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """A session runs, or is over and waits for its notes."""
        return self.runner.active or self._finishing is not None

    @property
    def output(self) -> CueOutput | None:
        return self._output

    def store_notices(self) -> list[str]:
        lines = []
        if self.store.read_only:
            reason = self.store.read_only_reason or "the data folder cannot be written"
            lines.append(f"Read-only: {reason}. Sessions will not be saved in this window.")
        lines.extend(self.store.problems)
        return lines

    def custom_exercises(self) -> list[Exercise]:
        try:
            return self.store.custom_exercises()
        except Exception as error:  # a store failure must not stop the window from opening
            self.notice.emit(f"Your own exercises could not be read: {error}")
            return []

    def last_exercise_id(self) -> str | None:
        """The exercise of the latest saved session, from the summaries (no rep decoded)."""
        try:
            summaries = self.store.summaries()
        except Exception as error:  # reading history must not stop the window
            log.warning("history not readable at start: %s", error)
            return None
        return summaries[-1].exercise_id if summaries else None

    def advice(
        self, exercise_id: str, library: Sequence[Exercise], soreness: int | None
    ) -> Advice | None:
        """The coach's word before a session of this exercise (core.coach), from the saved
        sessions' summaries; None when the history cannot be read (the window goes on)."""
        try:
            summaries = self.store.summaries()
            now = datetime.fromisoformat(self._wall_time())
        except Exception as error:
            log.warning("no advice: %s", error)
            return None
        if now.tzinfo is None:
            now = now.astimezone()
        from tempo_coach.core.coach import advise  # not needed before the first paint

        return advise(exercise_id, summaries, library, now, self.preferences, soreness)

    def last_used(self, exercise_id: str) -> LastUsed | None:
        try:
            return self.store.last_used(exercise_id)
        except Exception as error:
            log.warning("last used values not readable: %s", error)
            return None

    @Slot()
    def _on_take_over_timer_timeout(self) -> None:
        try:
            taken = self.store.try_take_over()
        except Exception as error:  # a store problem must not stop the timer view
            log.warning("could not take the data folder over: %s", error)
            taken = False
        if not taken:
            if not self.store.may_take_over:
                self._take_over_timer.stop()
            return
        self._take_over_timer.stop()
        self.status_message.emit(
            StatusMessage("The other Tempo Coach has closed: this window saves again.", 10000)
        )
        self.store_writable.emit()
        if self.runner.active:
            self._checkpoint()  # the session so far, now that it can be kept
        elif not self.busy:
            self.check_interrupted()  # the other one may have left a session for later

    # -- the output ------------------------------------------------------------------------

    def ensure_output(self) -> CueOutput:
        """The cue output, opened on first use; a stale one (new sound preferences) is
        replaced when no session runs."""
        if self._output is not None and not (self._output_stale and not self.runner.active):
            return self._output
        if self._output is not None:
            self._output.close()
            self._output = None
        self._output_stale = False
        try:
            output = self._output_factory(self.preferences)
        except Exception as error:  # no sound must never mean no timer
            log.warning("no audio output: %s", error)
            output = NoSoundOutput(f"no audio output ({error}): cues are visual only")
        output.set_problem_listener(self._report_output_problem)
        self._output = output
        self.audio_status.emit(output.status_text)
        return output

    def _report_output_problem(self, message: str) -> None:
        """Called by the output, possibly from its own thread: hop to the GUI thread."""
        self._output_problem.emit(_OutputProblem(message))

    @Slot(object)
    def _on_self_output_problem(self, problem: _OutputProblem) -> None:
        text = f"Audio: {problem.message}"
        self.status_message.emit(StatusMessage(text, 10000))
        if self._output is not None:
            self.audio_status.emit(self._output.status_text)
        self.notice.emit(text)

    # -- preferences and exercises ---------------------------------------------------------

    def apply_preferences(self, preferences: Preferences, *, quiet: bool = False) -> None:
        """Use and keep new preferences. New sound settings take a new output: now when
        idle, after the session otherwise. ``quiet``: the window's own memory (size, gym
        mode), nothing to tell the lifter."""
        old, self.preferences = self.preferences, preferences
        if preferences.restarts_output(old):
            self._output_stale = True
            if not self.runner.active:
                self.ensure_output()
        if self.store.read_only:
            if not quiet:
                self.status_message.emit(
                    StatusMessage("Preferences apply until you quit (read-only).", 5000)
                )
        else:
            self.writer.submit(
                "save your preferences", lambda: self.store.save_preferences(preferences)
            )

    def reload_preferences(self) -> None:
        """Read the preferences again (a restored backup replaced them)."""
        old, self.preferences = self.preferences, self.store.load_preferences()
        if self.preferences.restarts_output(old):
            self._output_stale = True
            if not self.runner.active:
                self.ensure_output()

    def save_custom_exercises(self, exercises: list[Exercise]) -> None:
        if self.store.read_only:
            self.status_message.emit(
                StatusMessage("Read-only: your exercise changes are not saved.", 5000)
            )
            return
        self.writer.submit(
            "save your exercises", lambda: self.store.save_custom_exercises(exercises)
        )

    # -- an interrupted session ------------------------------------------------------------

    def check_interrupted(self) -> InterruptedOffer | None:
        """A session kept for later (by a quit that chose so, a signal, or a crash): offer
        to continue it with the sets left, save what was done, or discard it
        (``answer_interrupted``). Also emitted as a signal. Asked at start and again before
        a new session would replace it: a kept session is never overwritten."""
        if self.store.read_only:
            return None
        try:
            pending = self.store.pending_checkpoint()
        except Exception as error:
            self.notice.emit(f"The session in progress could not be read: {error}")
            return None
        if pending is None or not pending.sets:
            return None
        reps = sum(s.reps_done for s in pending.sets)
        answers = [("save", "&Save what was done"), ("discard", "&Discard it")]
        if pending.sets_left > 0 and self._find_exercise(pending.exercise_id) is not None:
            answers.insert(0, ("continue", "&Continue it"))
        offer = InterruptedOffer(
            pending,
            f"A session of {pending.exercise_name} ({local_time_text(pending.started_at)}) "
            f"was kept for later after {count_text(len(pending.sets), 'set')} and "
            f"{count_text(reps, 'rep')}.",
            tuple(answers),
        )
        self.interrupted_found.emit(offer)
        return offer

    def answer_interrupted(self, offer: InterruptedOffer, key: str | None) -> None:
        """``None`` (the question closed) leaves it for the next start."""
        if key == "continue":
            self.prepare_resume(offer.record)
        elif key == "save":
            self._save_interrupted(offer.record)
        elif key == "discard":
            self.writer.submit(CLEAR_CHECKPOINT, self.store.clear_checkpoint)

    def _save_interrupted(self, record: SessionRecord) -> None:
        final = saved_as_interrupted(record)

        def save() -> None:
            self.store.save_session(final)
            self.store.clear_checkpoint()  # only once the session is safely saved

        self.writer.submit(SAVE_INTERRUPTED, save)

    def prepare_resume(self, pending: SessionRecord) -> None:
        """Set up the sets left of an interrupted session; the next start continues it (same
        record, its sets first)."""
        exercise = self._find_exercise(pending.exercise_id)
        last = LastUsed.of(pending)
        if exercise is None or last is None:
            self._save_interrupted(pending)
            return
        self._resume = pending
        left = pending.sets_left
        self.resume_ready.emit(
            ResumeReady(
                exercise,
                replace(last, sets=max(1, left)),
                f"Continuing {exercise.name}: {count_text(len(pending.sets), 'set')} kept, "
                f"{left} left. Press Space.",
            )
        )

    # -- a session -------------------------------------------------------------------------

    def kept_for_later(self) -> SessionRecord | None:
        """The session kept for later that a new session would replace, if any (not the one
        ``prepare_resume`` set up to continue)."""
        if self.store.read_only or self._resume is not None:
            return None
        try:
            pending = self.store.pending_checkpoint()
        except Exception:  # unreadable: it was reported at start; do not block training
            return None
        return pending if pending is not None and pending.sets else None

    def start(
        self,
        plan: SetPlan,
        *,
        load: float | None,
        load_unit: LoadUnit,
        soreness: int | None = None,
    ) -> bool:
        """Start ``plan``; continues the interrupted session set up by ``prepare_resume``
        when it is the same exercise (another exercise saves that one as it was). The
        caller asks first when ``kept_for_later()`` has a session."""
        if self.busy:
            return False
        output = self.ensure_output()
        resume, self._resume = self._resume, None
        if resume is not None and resume.exercise_id != plan.exercise.exercise_id:
            self._save_interrupted(resume)
            resume = None
        self.saved_message = ""
        prefs = self.preferences
        self.runner.start(
            plan,
            output,
            load=load,
            load_unit=load_unit,
            continues=resume,
            tap_mode=prefs.tap_mode,
            rep_counts_at=prefs.rep_counts_at,
            soreness=soreness,
        )
        if self.preferences.keep_awake:
            self._screen_keeper.hold("a training session is running")
        self.running_changed.emit(True)
        self.audio_status.emit(output.status_text)  # the device is open now (or fell back)
        if self.store.read_only:
            self.status_message.emit(StatusMessage("Read-only: this session will not be saved."))
        return True

    def tap(self) -> Tap | None:
        """The tap key: times the lowering that just ended, less the lifter's calibrated
        offset (the runner's ``tapped`` says how close it was)."""
        return self.runner.tap(self.preferences.tap_offset_ms)

    def record(self) -> SessionRecord | None:
        """The session's record now (``Session.record()``), or None before any session."""
        session = self.runner.session
        return session.record() if session is not None else None

    @Slot(object)
    def _on_runner_rep_finished(self, _rep: RepRecord) -> None:
        self._checkpoint()

    @Slot(object)
    def _on_runner_set_finished(self, set_record: SetRecord) -> None:
        """ "Set N done" is said once the checkpoint holding set N is on disk (issue 12: said
        before it, a kill in between lost 5 of 918 sets said done; bench window_kills)."""
        text = (
            f"Set {set_record.set_number} done: {count_text(set_record.reps_done, 'rep')}, "
            f"time under tension {duration_text(set_record.time_under_tension_ms)}"
        )
        accuracy = set_adherence(set_record)
        if accuracy is not None:
            text += f"; {accuracy}"
        if self._checkpoint(KEEP_SETS):
            self._set_done_texts.append(text)
        else:
            self.status_message.emit(StatusMessage(text, 8000))

    def _checkpoint(self, what: str = KEEP_PROGRESS) -> bool:
        """Keep the record so far (True when a write was asked for). Also after the last
        set: until the lifter has answered the finish dialog, the checkpoint is what a crash
        leaves."""
        if self.store.read_only:
            return False
        record = self.record()
        if record is not None and record.sets:
            kept = replace(record, finished=False)
            self.writer.submit(what, lambda: self.store.checkpoint(kept))
            return True
        return False

    @Slot(object)
    def _on_runner_session_over(self, over: SessionOver) -> None:
        self._screen_keeper.release()
        record = over.record
        if not record.sets:
            if not self.store.read_only:
                self.writer.submit(CLEAR_CHECKPOINT, self.store.clear_checkpoint)
            self.status_message.emit(
                StatusMessage("Stopped before the first rep: nothing to save.", 8000)
            )
            self._after_session()
            return
        self._finishing = record
        session = self.runner.session
        if not over.aborted and session is not None and session.tap_mode:
            # Many exercises end with a lowering: its tap comes just after the end. The
            # notes are asked (a dialog, which would take the key) a moment later.
            self.awaiting_final_tap = True
            self._final_tap_timer.start()
            return
        self._ask_finish(over.aborted)

    @property
    def final_tap_timer(self) -> QTimer:
        """Runs while the last lowering of a tap-mode session can still be tapped."""
        return self._final_tap_timer

    @Slot()
    def _on_final_tap_timer_timeout(self) -> None:
        self.awaiting_final_tap = False
        session = self.runner.session
        if self._finishing is not None and session is not None:
            self._finishing = session.record()  # with the last tap, if it came
            self._ask_finish(aborted=False)

    def _ask_finish(self, aborted: bool) -> None:
        record = self._finishing
        assert record is not None
        summary = record_summary(record)
        if aborted:
            summary += " Stopped early; what was done is kept."
        self.finish_requested.emit(FinishRequest(record, summary))

    def finish(self, rpe: int | None, note: str) -> None:
        """The lifter answered (or dismissed) the finish dialog: save the session."""
        record, self._finishing = self._finishing, None
        if record is None:
            return
        self.save_final(replace(record, rpe=rpe, note=note, finished=True))
        self._after_session()

    def _after_session(self) -> None:
        if self._output_stale:
            self.ensure_output()
        self.running_changed.emit(False)

    def save_final(self, record: SessionRecord) -> None:
        """Save a session (finished, or stopped before its last set). The checkpoint goes
        only once the session is on disk, and "Saved" is said only then. A failed save keeps
        the record as the session in progress (when that can still be written), so the next
        start offers it."""
        self.last_record = record
        if self.store.read_only:
            self.saved_message = "Not saved: the data folder is read-only."
            self.status_message.emit(StatusMessage(self.saved_message, 10000))
            return
        store = self.store

        def save() -> None:
            try:
                store.save_session(record)
            except Exception:
                try:
                    store.checkpoint(replace(record, finished=False))
                except Exception as error:  # the save's own error is the one to report
                    log.warning("could not keep the unsaved session either: %s", error)
                raise
            store.clear_checkpoint()

        self._saved_text = (
            f"Saved: {record.exercise_name}, {count_text(len(record.sets), 'set')}, "
            f"time under tension {duration_text(record.time_under_tension_ms)}."
        )
        self.status_message.emit(StatusMessage("Saving…"))
        self.writer.submit(SAVE_SESSION, save)

    @Slot(object)
    def _on_writer_write_done(self, done: WriteDone) -> None:
        self._failing.discard(done.what)  # a later failure of it is news again
        if done.what == KEEP_SETS and self._set_done_texts:
            self.status_message.emit(StatusMessage(self._set_done_texts.pop(0), 8000))
        if done.what == SAVE_SESSION and self._saved_text:
            self.saved_message, self._saved_text = self._saved_text, ""
            self.status_message.emit(StatusMessage(self.saved_message, 10000))

    @Slot(object)
    def _on_writer_write_failed(self, failure: WriteFailure) -> None:
        if failure.what == KEEP_SETS and self._set_done_texts:
            text = self._set_done_texts.pop(0)
            self.status_message.emit(StatusMessage(f"{text} (not kept for later)", 8000))
        if failure.what == SAVE_SESSION:
            self._saved_text = ""
            self.saved_message = f"Not saved: {failure.message}"
            self.status_message.emit(StatusMessage(self.saved_message, 10000))
            self.notice.emit(
                f"Could not {failure.what}: {failure.message}. It is kept as the session in "
                "progress when possible, and offered again at the next start."
            )
            return
        if failure.what in self._failing:
            return  # said once: a checkpoint fails every rep (its message may vary: a path)
        self._failing.add(failure.what)
        self.notice.emit(f"Could not {failure.what}: {failure.message}")

    # -- closing ---------------------------------------------------------------------------

    def close(self, *, keep_for_later: bool = False) -> None:
        """The window closes. A running session is either stopped and saved (what was done,
        without notes) or, with ``keep_for_later``, kept as the session in progress for the
        next start to offer (nothing is saved as finished). A session waiting for its notes
        is saved as it is. Then every timer and thread stops and the output is released."""
        if self.runner.active:
            self.runner.session_over.disconnect(self._on_runner_session_over)
            if keep_for_later:
                self._keep_for_later()
            else:
                self.runner.stop()
                record = self.record()
                if record is not None and record.sets:
                    self.save_final(record)
        elif self._finishing is not None:
            record, self._finishing = self._finishing, None
            session = self.runner.session
            if self.awaiting_final_tap and session is not None:
                record = session.record()  # with the last tap, if it came
            self.save_final(replace(record, finished=True))
        self.shutdown()

    def _keep_for_later(self) -> None:
        """Checkpoint the session as it stands (its closed sets and the reps completed in
        the open one), and write nothing else: the next start offers to continue it."""
        self.runner.poll_now()  # what fell due up to now is recorded
        record = self.record()
        if record is None or not record.sets or self.store.read_only:
            return
        kept = replace(record, finished=False)
        self.writer.submit("keep the session for later", lambda: self.store.checkpoint(kept))

    def shutdown(self) -> None:
        """Stop every timer and thread this controller started; release the output."""
        self._take_over_timer.stop()
        self._final_tap_timer.stop()
        self.awaiting_final_tap = False
        self.runner.shutdown()
        self._screen_keeper.release()
        if not self.writer.close():
            log.warning("some writes did not finish before closing")
        if self._output is not None:
            self._output.close()
            self._output = None
