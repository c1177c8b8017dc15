"""The main window: the Train tab (picker, set-up row, rep timer), a History placeholder, the
menu, the status bar, the keys, and saving.

It receives its collaborators (a store-like object, a factory for the cue output, the list
of audio back-ends, a wall clock for records) from ``tempo_coach.app`` and never imports the
store or the audio package. Every store write goes through ``StoreWriter`` (one worker
thread), so the timer view never waits on a disk.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QColor, QKeyEvent, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QGridLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTabWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from tempo_coach.core.exercise import BUILTIN_EXERCISES, Exercise
from tempo_coach.core.output import CueOutput
from tempo_coach.core.records import LoadUnit, RepRecord, SessionRecord, SetRecord
from tempo_coach.core.session import SessionStatus
from tempo_coach.core.tempo import Phase, TempoError
from tempo_coach.core.timeline import CountStyle, SetPlan
from tempo_coach.ui.dialogs import Choice, FinishDialog, Question, ask
from tempo_coach.ui.exercise_picker import CustomExercises, ExercisePicker
from tempo_coach.ui.keep_awake import NoScreenKeeper, ScreenKeeper
from tempo_coach.ui.keys import IDLE_ANYWHERE, IDLE_OUTSIDE_FIELDS, KEYS_HELP, KeyAction, action_for
from tempo_coach.ui.ports import BackendLister, OutputFactory, SilentOutput, StorePort
from tempo_coach.ui.preferences_dialog import PreferencesDialog
from tempo_coach.ui.rep_view import RepTimerView, seconds_text
from tempo_coach.ui.runner import (
    POLL_INTERVAL_MS,
    CountChange,
    CountRefused,
    SessionOver,
    SessionRunner,
    ViewState,
)
from tempo_coach.ui.setup_panel import SetupPanel
from tempo_coach.ui.writer import StoreWriter, WriteFailure

log = logging.getLogger(__name__)

ACK_MS = 2500
SHIFT = Qt.KeyboardModifier.ShiftModifier  # how long a count change stays acknowledged on screen
SETUP_PAGE, RUN_PAGE = 0, 1


def local_now() -> str:
    """An ISO 8601 local timestamp for records (never used for timing)."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def no_backends() -> Sequence[str]:
    return ()


def count_text(n: int, word: str) -> str:
    """ "1 rep", "2 reps"."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def duration_text(ms: int) -> str:
    seconds = round(ms / 1000)
    if seconds < 60:
        return f"{seconds} s"
    return f"{seconds // 60} min {seconds % 60:02d} s"


def renumbered(record: SetRecord, offset: int) -> SetRecord:
    """The set as the ``offset``-th later set of a longer session (a continued one)."""
    if offset == 0:
        return record
    return replace(
        record,
        set_number=record.set_number + offset,
        reps=tuple(replace(r, set_number=r.set_number + offset) for r in record.reps),
        live_changes=tuple(
            replace(c, set_number=c.set_number + offset) for c in record.live_changes
        ),
    )


@dataclass(frozen=True)
class OutputProblem:
    message: str


class MainWindow(QMainWindow):
    output_problem = Signal(object)  # OutputProblem; emitted from any thread

    def __init__(
        self,
        store: StorePort,
        output_factory: OutputFactory,
        *,
        backends: BackendLister = no_backends,
        wall_time: Callable[[], str] = local_now,
        builtins: Sequence[Exercise] = BUILTIN_EXERCISES,
        poll_interval_ms: int = POLL_INTERVAL_MS,
        screen_keeper: ScreenKeeper | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("main_window")
        self.setWindowTitle("Tempo Coach")
        self.setAccessibleName("Tempo Coach")
        self.store = store
        self._output_factory = output_factory
        self._backends = backends
        self._wall_time = wall_time
        self._output: CueOutput | None = None
        self._output_stale = False
        self._screen_keeper: ScreenKeeper = screen_keeper or NoScreenKeeper()
        self.writer = StoreWriter(self)
        self.writer.write_failed.connect(self._on_writer_write_failed)
        self.runner = SessionRunner(wall_time, self, interval_ms=poll_interval_ms)
        self.preferences: dict[str, Any] = store.load_preferences()
        self._session_id = ""
        self._started_at = ""
        self._extra: dict[str, str] = {}
        self._finishing = False
        self._gym = False
        self._normal_geometry: QRect | None = None
        self._paused_for_question = False
        self.question: Question | Choice | None = None
        self.finish_dialog: FinishDialog | None = None
        self._pending_record: SessionRecord | None = None
        self._resume: SessionRecord | None = None  # an interrupted session to continue
        self._prior_sets: tuple[SetRecord, ...] = ()  # its sets, kept in the new record
        self.preferences_dialog: PreferencesDialog | None = None
        self.saved_message = ""
        self._filter_installed = False

        self._ack_timer = QTimer(self)
        self._ack_timer.setSingleShot(True)
        self._ack_timer.setInterval(ACK_MS)
        self._ack_timer.timeout.connect(self._on_ack_timer_timeout)
        self._open_output_timer = QTimer(self)
        self._open_output_timer.setSingleShot(True)
        self._open_output_timer.setInterval(0)
        self._open_output_timer.timeout.connect(self._on_open_output_timer_timeout)

        self._build_widgets(builtins)
        self._build_menu()
        self._connect()
        self._show_store_notices()

        self.picker.default_rest_s = int(self.preferences.get("default_rest_seconds", 90))
        self._apply_preferences()
        try:
            custom = store.custom_exercises()
        except Exception as error:  # a store failure must not stop the window from opening
            custom = []
            self._add_notice(f"Your own exercises could not be read: {error}")
        self.picker.set_custom(custom)
        self._select_start_exercise()
        self.resize(1100, 760)

    # -- building --------------------------------------------------------------------------

    def _build_widgets(self, builtins: Sequence[Exercise]) -> None:
        self.banner = QLabel("")
        self.banner.setObjectName("store_banner")
        self.banner.setAccessibleName("Notice")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "QLabel { background: #fff3c4; color: #000; padding: 8px; "
            "border: 2px solid #b58900; font-weight: bold; }"
        )
        self.banner.setVisible(False)

        self.picker = ExercisePicker(builtins)
        self.setup = SetupPanel()
        setup_page = QWidget()
        setup_layout = QVBoxLayout(setup_page)
        setup_layout.addWidget(self.picker, 1)
        setup_layout.addWidget(self.setup)

        self.rep_view = RepTimerView()
        self.pause_button = self._big_button("Pause  (Space)", "Start, pause or resume")
        self.shorter_button = self._big_button(
            "Lower −1 s  (↓)", "Lowering count one second shorter"
        )
        self.longer_button = self._big_button("Lower +1 s  (↑)", "Lowering count one second longer")
        self.skip_button = self._big_button("Skip rest  (S)", "Skip the rest")
        self.end_set_button = self._big_button("End set  (Enter)", "End the set now")
        self.stop_button = self._big_button("Stop  (Esc)", "Stop the session")
        self.run_buttons = QWidget()
        self.run_buttons.setObjectName("run_buttons")
        grid = QGridLayout(self.run_buttons)
        grid.setContentsMargins(8, 8, 8, 8)
        for column, button in enumerate(
            (
                self.pause_button,
                self.shorter_button,
                self.longer_button,
                self.skip_button,
                self.end_set_button,
                self.stop_button,
            )
        ):
            grid.addWidget(button, 0, column)
        run_page = QWidget()
        run_layout = QVBoxLayout(run_page)
        run_layout.setContentsMargins(0, 0, 0, 0)
        run_layout.setSpacing(0)
        run_layout.addWidget(self.rep_view, 1)
        run_layout.addWidget(self.run_buttons)

        self.train_stack = QStackedWidget()
        self.train_stack.setAccessibleName("Train")
        self.train_stack.addWidget(setup_page)
        self.train_stack.addWidget(run_page)
        self.history_placeholder = QLabel("Your training history will appear here.")
        self.history_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.history_placeholder.setAccessibleName("History")
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Tabs")
        self.tabs.addTab(self.train_stack, "Train")
        self.tabs.addTab(self.history_placeholder, "History")

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

        self.audio_label = QLabel("Audio: starting…")
        self.audio_label.setObjectName("audio_status")
        self.audio_label.setAccessibleName("Audio output")
        self.statusBar().addPermanentWidget(self.audio_label)

    def _big_button(self, text: str, accessible: str) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(accessible)
        button.setMinimumHeight(72)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        font = button.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        button.setFont(font)
        return button

    def _build_menu(self) -> None:
        session_menu = self.menuBar().addMenu("&Session")
        # The keys are shown after a tab but not bound here: the window's key filter handles
        # them so that no focused widget can swallow them (see keys.py).
        self.start_action = self._action(
            session_menu, "Start / pause\tSpace", KeyAction.START_PAUSE
        )
        self._action(session_menu, "Lowering +1 s\tUp", KeyAction.LONGER)
        self._action(session_menu, "Lowering −1 s\tDown", KeyAction.SHORTER)
        self._action(session_menu, "Skip rest\tS", KeyAction.SKIP_REST)
        self._action(session_menu, "End set\tEnter", KeyAction.END_SET)
        self._action(session_menu, "Stop\tEsc", KeyAction.STOP)
        session_menu.addSeparator()
        quit_action = session_menu.addAction("Quit")
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        edit_menu = self.menuBar().addMenu("&Edit")
        prefs = edit_menu.addAction("Preferences…")
        prefs.setShortcut(QKeySequence("Ctrl+,"))
        prefs.triggered.connect(self.open_preferences)
        view_menu = self.menuBar().addMenu("&View")
        self._action(view_menu, "Gym mode\tF11", KeyAction.GYM_MODE)
        help_menu = self.menuBar().addMenu("&Help")
        keys_action = help_menu.addAction("Keys and clicker")
        keys_action.triggered.connect(self._on_keys_action_triggered)

    def _action(self, menu: Any, text: str, key_action: KeyAction) -> QAction:
        action: QAction = menu.addAction(text)
        action.setData(key_action.value)
        action.triggered.connect(self._on_menu_action_triggered)
        return action

    def _connect(self) -> None:
        self.picker.exercise_chosen.connect(self._on_picker_exercise_chosen)
        self.picker.custom_changed.connect(self._on_picker_custom_changed)
        self.setup.start_requested.connect(self._on_setup_start_requested)
        self.runner.view_changed.connect(self._on_runner_view_changed)
        self.runner.rep_finished.connect(self._on_runner_rep_finished)
        self.runner.set_finished.connect(self._on_runner_set_finished)
        self.runner.count_changed.connect(self._on_runner_count_changed)
        self.runner.count_refused.connect(self._on_runner_count_refused)
        self.runner.session_over.connect(self._on_runner_session_over)
        self.output_problem.connect(
            self._on_self_output_problem, Qt.ConnectionType.QueuedConnection
        )
        for button, action in (
            (self.pause_button, KeyAction.START_PAUSE),
            (self.shorter_button, KeyAction.SHORTER),
            (self.longer_button, KeyAction.LONGER),
            (self.skip_button, KeyAction.SKIP_REST),
            (self.end_set_button, KeyAction.END_SET),
            (self.stop_button, KeyAction.STOP),
        ):
            button.setProperty("key_action", action.value)
            button.clicked.connect(self._on_run_button_clicked)

    # -- start-up --------------------------------------------------------------------------

    def _show_store_notices(self) -> None:
        lines = []
        if self.store.read_only:
            reason = self.store.read_only_reason or "the data folder cannot be written"
            lines.append(f"Read-only: {reason}. Sessions will not be saved in this window.")
        lines.extend(self.store.problems)
        for line in lines:
            self._add_notice(line)

    def _add_notice(self, text: str) -> None:
        current = self.banner.text()
        self.banner.setText(f"{current}\n{text}" if current else text)
        self.banner.setVisible(True)

    def _select_start_exercise(self) -> None:
        """The exercise used last, or the first one, so that Space starts right away."""
        last_id = None
        try:
            # The summaries, not history(): they come from the store's index, so ten years
            # of reps are not decoded just to find the last exercise.
            summaries = self.store.summaries()
            if summaries:
                last_id = summaries[-1].exercise_id
        except Exception as error:  # reading history must not stop the window
            log.warning("history not readable at start: %s", error)
        if last_id is None or not self.picker.select(last_id):
            first = self.picker.all_exercises()
            if first:
                self.picker.select(first[0].exercise_id)
        chosen = self.picker.current()
        if chosen is not None:
            self._fill_setup(chosen)
        self.picker.list.setFocus()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self._filter_installed:
            app = QApplication.instance()
            if app is not None:
                app.installEventFilter(self)
                self._filter_installed = True
        if self._output is None:
            self._open_output_timer.start()

    @Slot()
    def _on_open_output_timer_timeout(self) -> None:
        self.ensure_output()
        self._offer_interrupted_session()

    def ensure_output(self) -> CueOutput:
        """The cue output, opened on first use (after the window is on screen)."""
        if self._output is not None and not (self._output_stale and not self.runner.active):
            return self._output
        if self._output is not None:
            self._output.close()
            self._output = None
        self._output_stale = False
        try:
            output = self._output_factory(dict(self.preferences))
        except Exception as error:  # no sound must never mean no timer
            log.warning("no audio output: %s", error)
            output = SilentOutput(reason=f"no audio output ({error}): cues are visual only")
        output.set_problem_listener(self._report_output_problem)
        self._output = output
        self._show_audio_status(output.status_text)
        return output

    def _show_audio_status(self, text: str) -> None:
        """The status bar keeps it to one short line; the whole reason is in the tooltip."""
        full = f"Audio: {text}"
        short = full if len(full) <= 70 else full[:68].rstrip() + "…"
        self.audio_label.setText(short)
        self.audio_label.setToolTip(full)
        self.audio_label.setAccessibleDescription(full)

    def _report_output_problem(self, message: str) -> None:
        """Called by the output, possibly from its own thread: hop to the GUI thread."""
        self.output_problem.emit(OutputProblem(message))

    def _offer_interrupted_session(self) -> None:
        """A checkpoint left by a crash: continue with the sets left, save what was done,
        or discard it. Closing the question leaves it for the next start."""
        if self.store.read_only:
            return
        try:
            pending = self.store.pending_checkpoint()
        except Exception as error:
            self._add_notice(f"The session in progress could not be read: {error}")
            return
        if pending is None or not pending.sets:
            return
        reps = sum(s.reps_done for s in pending.sets)
        answers = [("save", "Save what was done"), ("discard", "Discard it")]
        if self._sets_left(pending) > 0 and self._exercise(pending.exercise_id) is not None:
            answers.insert(0, ("continue", "Continue it"))

        def chosen(key: str | None) -> None:
            self.question = None
            if key == "continue":
                self.prepare_resume(pending)
            elif key == "save":
                self._save_interrupted(pending)
            elif key == "discard":
                self.writer.submit("clear the session in progress", self.store.clear_checkpoint)

        self.question = Choice(
            self,
            "Interrupted session",
            f"A session of {pending.exercise_name} ({pending.started_at}) was interrupted "
            f"after {count_text(len(pending.sets), 'set')} and {count_text(reps, 'rep')}.",
            answers,
            chosen,
        )
        self.question.open()

    def _exercise(self, exercise_id: str) -> Exercise | None:
        return next((e for e in self.picker.all_exercises() if e.exercise_id == exercise_id), None)

    @staticmethod
    def _sets_left(record: SessionRecord) -> int:
        try:
            planned = int(record.extra.get("sets_planned", len(record.sets)))
        except ValueError:
            planned = len(record.sets)
        return planned - len(record.sets)

    def _save_interrupted(self, record: SessionRecord) -> None:
        final = replace(record, finished=True)
        self.writer.submit("save the interrupted session", lambda: self.store.save_session(final))
        self.writer.submit("clear the session in progress", self.store.clear_checkpoint)

    def prepare_resume(self, pending: SessionRecord) -> None:
        """Set up the sets left of an interrupted session; Space continues it. The sets
        done are kept in the same session record."""
        exercise = self._exercise(pending.exercise_id)
        if exercise is None or not self.picker.select(exercise.exercise_id):
            self._save_interrupted(pending)
            return
        last = pending.sets[-1]
        self.setup.fill(
            exercise,
            {
                "tempo": last.tempo_used,
                "reps": last.reps_planned,
                "sets": self._sets_left(pending),
                "rest_s": int(pending.extra.get("rest_s", exercise.default_rest_s)),
                "load": last.load,
                "load_unit": last.load_unit.value,
            },
        )
        self._resume = pending
        self.rep_view.show_idle(
            "READY",
            f"{exercise.name}: {count_text(self._sets_left(pending), 'set')} left · press Space",
        )
        self.setup.show_message("")
        self.statusBar().showMessage(
            f"Continuing {exercise.name}: {count_text(len(pending.sets), 'set')} kept, "
            f"{self._sets_left(pending)} left. Press Space.",
            10000,
        )

    # -- preferences -----------------------------------------------------------------------

    def _apply_preferences(self) -> None:
        prefs = self.preferences
        self.setup.explosive_ms = round(float(prefs.get("explosive_seconds", 1.0)) * 1000)
        self.setup.set_unit(LoadUnit(prefs.get("units", "kg")))
        self.setup.count_in_box.setValue(int(prefs.get("count_in_seconds", 3)))
        self.picker.default_rest_s = int(prefs.get("default_rest_seconds", 90))
        self._apply_theme(str(prefs.get("theme", "system")))

    def _apply_theme(self, theme: str) -> None:
        if theme == "system":
            self.setPalette(QPalette())
            return
        palette = QPalette()
        if theme == "dark":
            colours = {
                QPalette.ColorRole.Window: "#202327",
                QPalette.ColorRole.WindowText: "#f0f0f0",
                QPalette.ColorRole.Base: "#16181c",
                QPalette.ColorRole.AlternateBase: "#2a2e34",
                QPalette.ColorRole.Text: "#f0f0f0",
                QPalette.ColorRole.Button: "#2f343b",
                QPalette.ColorRole.ButtonText: "#f0f0f0",
                QPalette.ColorRole.Highlight: "#1f6fd1",
                QPalette.ColorRole.HighlightedText: "#ffffff",
                QPalette.ColorRole.ToolTipBase: "#2f343b",
                QPalette.ColorRole.ToolTipText: "#f0f0f0",
                QPalette.ColorRole.PlaceholderText: "#9aa0a6",
            }
        else:
            colours = {
                QPalette.ColorRole.Window: "#f4f4f4",
                QPalette.ColorRole.WindowText: "#111111",
                QPalette.ColorRole.Base: "#ffffff",
                QPalette.ColorRole.Text: "#111111",
                QPalette.ColorRole.Button: "#e8e8e8",
                QPalette.ColorRole.ButtonText: "#111111",
                QPalette.ColorRole.Highlight: "#1f6fd1",
                QPalette.ColorRole.HighlightedText: "#ffffff",
            }
        for role, colour in colours.items():
            palette.setColor(role, QColor(colour))
        self.setPalette(palette)

    def open_preferences(self) -> PreferencesDialog:
        try:
            backends = list(self._backends())
        except Exception as error:
            log.warning("could not list audio outputs: %s", error)
            backends = []
        dialog = PreferencesDialog(self, self.preferences, {"audio_backend": ["auto", *backends]})
        dialog.accepted.connect(self._on_preferences_dialog_accepted)
        self.preferences_dialog = dialog
        dialog.open()
        return dialog

    @Slot()
    def _on_preferences_dialog_accepted(self) -> None:
        dialog = self.preferences_dialog
        if dialog is None:
            return
        old = self.preferences
        self.preferences = dict(dialog.values)
        self._apply_preferences()
        sound = ("audio_backend", "volume", "sound_theme", "cue_phase", "cue_counts", "cue_rest")
        if any(old.get(name) != self.preferences.get(name) for name in sound):
            # A new output with the new settings: now when idle, after the session otherwise.
            self._output_stale = True
            if not self.runner.active:
                self.ensure_output()
        values = dict(self.preferences)
        if self.store.read_only:
            self.statusBar().showMessage("Preferences apply until you quit (read-only).", 5000)
        else:
            self.writer.submit("save your preferences", lambda: self.store.save_preferences(values))
        self.preferences_dialog = None
        dialog.deleteLater()

    # -- choosing and starting ---------------------------------------------------------------

    @Slot(object)
    def _on_picker_exercise_chosen(self, exercise: Exercise) -> None:
        if not self.runner.active:
            self._fill_setup(exercise)

    def _fill_setup(self, exercise: Exercise) -> None:
        try:
            last = self.store.last_used(exercise.exercise_id)
        except Exception as error:
            log.warning("last used values not readable: %s", error)
            last = None
        self.setup.fill(exercise, last)
        self.rep_view.show_idle("READY", f"{exercise.name}  ·  press Space to start")

    @Slot(object)
    def _on_picker_custom_changed(self, custom: CustomExercises) -> None:
        if self.store.read_only:
            self.statusBar().showMessage("Read-only: your exercise changes are not saved.", 5000)
            return
        exercises = list(custom.exercises)
        self.writer.submit(
            "save your exercises", lambda: self.store.save_custom_exercises(exercises)
        )

    @Slot()
    def _on_setup_start_requested(self) -> None:
        self.start_session()

    def start_session(self) -> bool:
        """Start the chosen exercise with what is set up; False (and a message) if not."""
        if self.runner.active or self._finishing:
            return False
        exercise = self.picker.current()
        if exercise is None:
            self.setup.show_message("Choose an exercise first.")
            return False
        try:
            values = self.setup.values()
            plan = SetPlan(
                exercise=exercise,
                tempo=values.tempo,
                reps=values.reps,
                sets=values.sets,
                rest_ms=values.rest_s * 1000,
                count_in_ms=values.count_in_s * 1000,
                count_style=CountStyle(self.preferences.get("count_style", "up")),
            )
        except (TempoError, ValueError) as error:
            self.setup.show_message(str(error)[:1].upper() + str(error)[1:])
            return False
        self.setup.show_message("")
        output = self.ensure_output()
        resume, self._resume = self._resume, None
        if resume is not None and resume.exercise_id != exercise.exercise_id:
            # Another exercise after all: keep what the interrupted session did.
            self._save_interrupted(resume)
            resume = None
        self._prior_sets = resume.sets if resume is not None else ()
        self._session_id = resume.session_id if resume is not None else uuid.uuid4().hex
        self._started_at = resume.started_at if resume is not None else self._wall_time()
        self._extra = {
            "sets_planned": str(len(self._prior_sets) + values.sets),
            "rest_s": str(values.rest_s),
            "count_in_s": str(values.count_in_s),
            "tempo_planned": values.tempo.notation(),
        }
        self.picker.setEnabled(False)
        self.setup.setEnabled(False)
        self.train_stack.setCurrentIndex(RUN_PAGE)
        self.tabs.setCurrentIndex(0)
        self.rep_view.show_ack("")
        self.runner.start(plan, output, load=values.load, load_unit=values.load_unit)
        if self.preferences.get("keep_awake", True):
            self._screen_keeper.hold("a training session is running")
        self.pause_button.setFocus()
        if self.store.read_only:
            self.statusBar().showMessage("Read-only: this session will not be saved.")
        return True

    # -- keys ------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return False
        if not isinstance(watched, QWidget) or watched.window() is not self:
            return False
        if QApplication.activeModalWidget() is not None:
            return False
        assert isinstance(event, QKeyEvent)
        if event.isAutoRepeat():
            return self._is_session_key(event)  # held keys do nothing, but are not typed
        action = self.action_for_event(event, watched)
        if action is None:
            return False
        self.perform(action)
        return True

    def _is_session_key(self, event: QKeyEvent) -> bool:
        return self.runner.active and action_for(event.key(), event.modifiers()) is not None

    def action_for_event(self, event: QKeyEvent, focus: QWidget) -> KeyAction | None:
        """Which action this key means here; None lets the focused widget have it."""
        action = action_for(event.key(), event.modifiers())
        if action is None:
            return None
        if self.runner.active or self._gym:
            return action
        key = Qt.Key(event.key())
        text_field = isinstance(focus, (QLineEdit, QAbstractSpinBox, QPlainTextEdit, QTextEdit))
        if key == Qt.Key.Key_Space and text_field and event.modifiers() & SHIFT:
            return None  # Shift+Space types a space (a search of two words)
        if key in IDLE_ANYWHERE:
            return action
        if key in IDLE_OUTSIDE_FIELDS and not text_field:
            return action
        return None

    def perform(self, action: KeyAction) -> None:
        """Do what a key or a big button asks for."""
        runner = self.runner
        if action is KeyAction.GYM_MODE:
            self.set_gym_mode(not self._gym)
        elif action is KeyAction.START_PAUSE:
            if runner.active:
                runner.toggle_pause()
            else:
                self.start_session()
        elif action in (KeyAction.LONGER, KeyAction.SHORTER):
            delta = 1000 if action is KeyAction.LONGER else -1000
            if runner.active:
                runner.change_eccentric(delta)
            else:
                self.setup.change_eccentric(delta / 1000)
                self._acknowledge(
                    f"Lowering count {seconds_text(round(self.setup.eccentric_box.value() * 1000))}"
                )
        elif action is KeyAction.SKIP_REST:
            if runner.active and not runner.skip_rest():
                self.statusBar().showMessage("S skips a rest; there is no rest now.", 3000)
        elif action is KeyAction.END_SET:
            if runner.active and not runner.end_set_early():
                self.statusBar().showMessage("Enter ends a set; no set is running now.", 3000)
        elif action is KeyAction.STOP:
            if runner.active:
                self.ask_stop()
            elif self._gym:
                self.set_gym_mode(False)

    @Slot()
    def _on_run_button_clicked(self) -> None:
        button = self.sender()
        if isinstance(button, QPushButton):
            self.perform(KeyAction(button.property("key_action")))

    @Slot()
    def _on_menu_action_triggered(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.perform(KeyAction(action.data()))

    def ask_stop(self) -> None:
        """Escape mid-session: pause, and ask before throwing the rest of the plan away."""
        runner = self.runner
        self._paused_for_question = runner.status is SessionStatus.RUNNING
        if self._paused_for_question:
            runner.toggle_pause()

        def answered(stop: bool) -> None:
            self.question = None
            if stop:
                runner.stop()
            elif self._paused_for_question and runner.status is SessionStatus.PAUSED:
                runner.toggle_pause()
            self._paused_for_question = False

        self.question = ask(
            self,
            "Stop the session",
            "Stop this session? The reps and sets done so far are kept.",
            "Stop",
            "Keep going",
            answered,
        )

    def set_gym_mode(self, on: bool) -> None:
        """Full screen, high contrast, nothing but the rep timer and its buttons."""
        self._gym = on
        self.rep_view.set_gym_mode(on)
        self.menuBar().setVisible(not on)
        self.statusBar().setVisible(not on)
        self.tabs.tabBar().setVisible(not on)
        self.banner.setVisible(not on and bool(self.banner.text()))
        if on:
            self._normal_geometry = self.geometry()
            screen = self.screen()
            if screen is not None:
                # Full screen is a request to the window manager; without one (a bare X
                # server, a kiosk) nothing resizes the window, so take the screen first.
                # (After showFullScreen() a setGeometry() would end the full-screen state.)
                self.setGeometry(screen.geometry())
            self.showFullScreen()
        else:
            self.showNormal()
            if self._normal_geometry is not None:
                self.setGeometry(self._normal_geometry)
        self._update_page()

    @property
    def gym_mode(self) -> bool:
        return self._gym

    def _update_page(self) -> None:
        running = self.runner.active or self._finishing
        self.train_stack.setCurrentIndex(RUN_PAGE if running or self._gym else SETUP_PAGE)
        if not running:
            self.pause_button.setText("Start  (Space)")

    # -- the running session ---------------------------------------------------------------

    @Slot(object)
    def _on_runner_view_changed(self, state: ViewState) -> None:
        self.rep_view.show_state(state)
        paused = state.status is SessionStatus.PAUSED
        self.pause_button.setText("Resume  (Space)" if paused else "Pause  (Space)")
        self.skip_button.setEnabled(state.phase is Phase.REST)

    @Slot(object)
    def _on_runner_count_changed(self, change: CountChange) -> None:
        where = f"set {change.set_number}, rep {change.rep}"
        now = "  ·  this lowering keeps its count" if change.running_now else ""
        self._acknowledge(
            f"Lowering {seconds_text(change.from_ms)} → {seconds_text(change.to_ms)} "
            f"from {where}{now}"
        )

    @Slot(object)
    def _on_runner_count_refused(self, refused: CountRefused) -> None:
        self._acknowledge(f"Not changed: {refused.message}")

    def _acknowledge(self, text: str) -> None:
        self.rep_view.show_ack(text)
        self.statusBar().showMessage(text, ACK_MS)
        self._ack_timer.start()

    @Slot()
    def _on_ack_timer_timeout(self) -> None:
        self.rep_view.show_ack("")

    @Slot(object)
    def _on_runner_rep_finished(self, _rep: RepRecord) -> None:
        self._checkpoint()

    @Slot(object)
    def _on_runner_set_finished(self, set_record: SetRecord) -> None:
        self.statusBar().showMessage(
            f"Set {set_record.set_number} done: {count_text(set_record.reps_done, 'rep')}, "
            f"time under tension {duration_text(set_record.time_under_tension_ms)}",
            8000,
        )
        self._checkpoint()

    def session_record(self, *, finished: bool) -> SessionRecord | None:
        """What the session has left so far (with the set in progress when unfinished)."""
        session = self.runner.session
        if session is None:
            return None
        sets = list(session.set_records)
        if not finished:
            closed = {s.set_number for s in sets}
            open_reps = tuple(r for r in session.rep_records if r.set_number not in closed)
            if open_reps:
                set_number = open_reps[0].set_number
                tempo = session.plan.tempo.with_eccentric_ms(session.eccentric_ms).notation()
                sets.append(
                    SetRecord(
                        exercise_id=session.plan.exercise.exercise_id,
                        exercise_name=session.plan.exercise.name,
                        set_number=set_number,
                        started_at=self._started_at,
                        tempo_planned=self._extra.get("tempo_planned", tempo),
                        tempo_used=tempo,
                        reps_planned=session.plan.reps,
                        reps=open_reps,
                        live_changes=tuple(
                            c for c in session.live_changes if c.set_number == set_number
                        ),
                        load=session.load,
                        load_unit=session.load_unit,
                    )
                )
        exercise = session.plan.exercise
        offset = len(self._prior_sets)
        return SessionRecord(
            session_id=self._session_id,
            exercise_id=exercise.exercise_id,
            exercise_name=exercise.name,
            started_at=self._started_at,
            sets=(*self._prior_sets, *(renumbered(s, offset) for s in sets)),
            finished=finished,
            extra=dict(self._extra),
        )

    def _checkpoint(self) -> None:
        if self.store.read_only:
            return
        record = self.session_record(finished=False)
        if record is not None:
            self.writer.submit(
                "keep the session in progress", lambda: self.store.checkpoint(record)
            )

    @Slot(object)
    def _on_runner_session_over(self, over: SessionOver) -> None:
        self._screen_keeper.release()
        self._finishing = True
        record = self.session_record(finished=True)
        if record is None or not record.sets:
            self._finishing = False
            if not self.store.read_only:
                self.writer.submit("clear the session in progress", self.store.clear_checkpoint)
            self.statusBar().showMessage("Stopped before the first rep: nothing to save.", 8000)
            self._back_to_setup()
            return
        reps = sum(s.reps_done for s in record.sets)
        summary = (
            f"{record.exercise_name}: {count_text(len(record.sets), 'set')}, "
            f"{count_text(reps, 'rep')}, "
            f"time under tension {duration_text(record.time_under_tension_ms)}."
        )
        if over.aborted:
            summary += " Stopped early; what was done is kept."
        dialog = FinishDialog(self, summary)
        dialog.finished.connect(self._on_finish_dialog_finished)
        self.finish_dialog = dialog
        self._pending_record = record
        dialog.open()

    @Slot(int)
    def _on_finish_dialog_finished(self, _result: int) -> None:
        dialog = self.finish_dialog
        record = self._pending_record
        if dialog is None or record is None:
            return
        notes = dialog.notes()
        final = replace(record, rpe=notes.rpe, note=notes.note, finished=True)
        self.save_final(final)
        self.finish_dialog = None
        self._pending_record = None
        dialog.deleteLater()
        self._finishing = False
        self._back_to_setup()

    def save_final(self, record: SessionRecord) -> None:
        if self.store.read_only:
            self.saved_message = "Not saved: the data folder is read-only."
            self.statusBar().showMessage(self.saved_message, 10000)
            return
        self.writer.submit("save the session", lambda: self.store.save_session(record))
        self.writer.submit("clear the session in progress", self.store.clear_checkpoint)
        self.saved_message = (
            f"Saved: {record.exercise_name}, {count_text(len(record.sets), 'set')}, "
            "time under tension "
            f"{duration_text(record.time_under_tension_ms)}."
        )
        self.statusBar().showMessage(self.saved_message, 10000)

    def _back_to_setup(self) -> None:
        self.picker.setEnabled(True)
        self.setup.setEnabled(True)
        self._update_page()
        if self._output_stale:
            self.ensure_output()
        chosen = self.picker.current()
        if chosen is not None:
            self._fill_setup(chosen)
        if self._gym:
            self.pause_button.setFocus()
        else:
            self.setup.start_button.setFocus()

    # -- problems --------------------------------------------------------------------------

    @Slot(object)
    def _on_self_output_problem(self, problem: OutputProblem) -> None:
        text = f"Audio: {problem.message}"
        self.statusBar().showMessage(text, 10000)
        if self._output is not None:
            self._show_audio_status(self._output.status_text)
        self._add_notice(text)
        self.banner.setVisible(not self._gym)

    @Slot(object)
    def _on_writer_write_failed(self, failure: WriteFailure) -> None:
        self._add_notice(f"Could not {failure.what}: {failure.message}")
        self.banner.setVisible(not self._gym)

    @Slot()
    def _on_keys_action_triggered(self) -> None:
        text = "\n".join(f"{keys}: {what}" for keys, what in KEYS_HELP)
        box = QMessageBox(QMessageBox.Icon.Information, "Keys and clicker", text, parent=self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # -- closing ---------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing mid-session keeps what was done: it is saved without notes."""
        if self.runner.active:
            self.runner.session_over.disconnect(self._on_runner_session_over)
            self.runner.stop()
            record = self.session_record(finished=True)
            if record is not None and record.sets:
                self.save_final(record)
        elif self._finishing and self._pending_record is not None:
            self.save_final(self._pending_record)
            self._finishing = False
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop every timer and thread this window started; release the output."""
        self.runner.shutdown()
        self._screen_keeper.release()
        self._ack_timer.stop()
        self._open_output_timer.stop()
        if self._filter_installed:
            app = QApplication.instance()
            if app is not None:
                app.removeEventFilter(self)
            self._filter_installed = False
        if not self.writer.close():
            log.warning("some writes did not finish before closing")
        if self._output is not None:
            self._output.close()
            self._output = None
