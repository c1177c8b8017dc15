"""The main window: lays out the Train tab (picker, set-up row, rep timer and its buttons), the
History tab, the menus and the status bar, and forwards.

What a session does (start, checkpoints, saving, the interrupted session, the audio output)
is ``TrainingController``'s (``ui/training.py``); the window turns keys, buttons and menu
entries into actions (one table: ``ui/actions.py``), shows what the controller says, and owns
only what is about the view: gym mode, the questions it asks, the theme (``ui/look.py``).
It never imports the store or the audio package: ``tempo_coach.app`` passes in a store port
and an output factory.

Why it is over 500 lines: it is where the tabs, the menus, the status bar, gym mode, the
window's size, quitting and the questions meet, and every slot here is a few lines of
forwarding. What can be tested without widgets is in ``training.py``; the pieces of view are
``run_page.py`` (rep timer and buttons), ``key_filter.py`` (keys), ``first_paint.py``,
``setup_panel.py``, ``exercise_picker.py`` and ``history/``. The next split, when it grows:
the questions (quit, stop, kept session) into a module of their own.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QRect, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tempo_coach.core.exercise import BUILTIN_EXERCISES, Exercise
from tempo_coach.core.preferences import Preferences
from tempo_coach.core.records import LastUsed, LoadUnit
from tempo_coach.core.session import SessionStatus
from tempo_coach.core.taps import Calibration, Tap
from tempo_coach.core.tempo import TempoError, parse_tempo
from tempo_coach.core.timeline import SHORT_RESET_MS, CountStyle, SetPlan
from tempo_coach.ui import look
from tempo_coach.ui.actions import ACTIONS, TAP_KEYS, ActionSpec, KeyAction
from tempo_coach.ui.actions import keys_help as keys_help_text
from tempo_coach.ui.calibration import CalibrationDialog
from tempo_coach.ui.dialogs import Choice, FinishDialog, Question, ask
from tempo_coach.ui.exercise_picker import CustomExercises, ExercisePicker
from tempo_coach.ui.first_paint import FirstPaint
from tempo_coach.ui.flash import PhaseFlash
from tempo_coach.ui.keep_awake import ScreenKeeper
from tempo_coach.ui.key_filter import SessionKeys
from tempo_coach.ui.ports import BackendLister, OutputFactory, StorePort
from tempo_coach.ui.preferences_dialog import PreferencesDialog
from tempo_coach.ui.rep_view import seconds_text
from tempo_coach.ui.run_page import ACK_MS, RunPage, count_change_text
from tempo_coach.ui.runner import (
    POLL_INTERVAL_MS,
    CountChange,
    CountRefused,
    SessionRunner,
    ViewState,
)
from tempo_coach.ui.setup_panel import SetupPanel
from tempo_coach.ui.training import (
    FinishRequest,
    InterruptedOffer,
    ResumeReady,
    StatusMessage,
    TrainingController,
)
from tempo_coach.ui.writer import StoreWriter

if TYPE_CHECKING:
    from tempo_coach.core.coach import Advice
    from tempo_coach.ui.history.tab import HistoryTab

log = logging.getLogger(__name__)


SETUP_PAGE, RUN_PAGE = 0, 1
DEFAULT_SIZE = (1100, 760)
FRAME_PX = 40  # title bar and borders the window manager adds


def parse_geometry(text: str) -> QRect | None:
    """ "x,y,width,height" as saved by the window; None for anything else."""
    try:
        x, y, width, height = (int(part) for part in text.split(","))
    except ValueError:
        return None
    return QRect(x, y, width, height) if width > 0 and height > 0 else None


def local_now() -> str:
    """An ISO 8601 local timestamp for records (never used for timing)."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def no_backends() -> Sequence[str]:
    return ()


class MainWindow(QMainWindow):
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
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__()
        self.setObjectName("main_window")
        self.setWindowTitle("Tempo Coach")
        self.setAccessibleName("Tempo Coach")
        self._backends = backends
        self._gym = False
        self._normal_geometry: QRect | None = None
        self._paused_for_question = False
        self._output_opened = False
        self._start_after_answer = False  # Start asked about a kept session first
        self._close_mode: str | None = None  # "stop" or "keep" once chosen
        self._gym_at_start = False
        self.question: Question | Choice | None = None
        self.finish_dialog: FinishDialog | None = None
        self.preferences_dialog: PreferencesDialog | None = None
        self.calibration_dialog: CalibrationDialog | None = None

        self._build_widgets(builtins)
        self.training = TrainingController(
            store,
            output_factory,
            find_exercise=self._exercise,
            wall_time=wall_time,
            poll_interval_ms=poll_interval_ms,
            screen_keeper=screen_keeper,
            parent=self,
        )
        # The History tab is made when first shown (it imports and builds ~35 ms that the
        # start does not need); its undo stack lives here, for the Edit menu.
        self._today = today
        self.undo_stack = QUndoStack(self)
        self._history: HistoryTab | None = None
        self.history_page = QWidget()
        self.history_page.setAccessibleName("History")
        QVBoxLayout(self.history_page).setContentsMargins(0, 0, 0, 0)
        self.tabs.addTab(self.history_page, "History")
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self._tabs_connected = True
        self._open_output_timer = QTimer(self)
        self._open_output_timer.setSingleShot(True)
        self._open_output_timer.setInterval(0)
        self._open_output_timer.timeout.connect(self._on_open_output_timer_timeout)
        self._first_paint = FirstPaint(self, self._open_output_timer.start)
        self.flash = PhaseFlash(self)
        self.advice: Advice | None = None
        self._advice_waiting = False
        self._build_menu()
        self._connect()

        for line in self.training.store_notices():
            self._add_notice(line)
        self._apply_preferences()
        self.picker.set_custom(self.training.custom_exercises())
        self._select_start_exercise()
        self._restore_geometry()

    # -- what tests and the app reach through the window ------------------------------------

    @property
    def store(self) -> StorePort:
        return self.training.store

    @property
    def runner(self) -> SessionRunner:
        return self.training.runner

    @property
    def writer(self) -> StoreWriter:
        return self.training.writer

    @property
    def preferences(self) -> Preferences:
        return self.training.preferences

    @property
    def saved_message(self) -> str:
        return self.training.saved_message

    @property
    def gym_mode(self) -> bool:
        return self._gym

    # -- building --------------------------------------------------------------------------

    def _build_widgets(self, builtins: Sequence[Exercise]) -> None:
        self.banner = QLabel("")
        self.banner.setObjectName("store_banner")
        self.banner.setAccessibleName("Notice")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(look.BANNER_STYLE)
        self.banner.setVisible(False)

        self.picker = ExercisePicker(builtins)
        self.setup = SetupPanel()
        setup_page = QWidget()
        setup_layout = QVBoxLayout(setup_page)
        setup_layout.addWidget(self.picker, 1)
        setup_layout.addWidget(self.setup)

        self.run_page = RunPage()
        self.rep_view = self.run_page.rep_view
        buttons = self.run_page.buttons
        self.pause_button = buttons[KeyAction.START_PAUSE]
        self.shorter_button = buttons[KeyAction.SHORTER]
        self.longer_button = buttons[KeyAction.LONGER]
        self.skip_button = buttons[KeyAction.SKIP_REST]
        self.end_set_button = buttons[KeyAction.END_SET]
        self.stop_button = buttons[KeyAction.STOP]

        self.train_stack = QStackedWidget()
        self.train_stack.setAccessibleName("Train")
        self.train_stack.addWidget(setup_page)
        self.train_stack.addWidget(self.run_page)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Tabs")
        self.tabs.addTab(self.train_stack, "Train")

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

    def _build_menu(self) -> None:
        menus = {"Session": self.menuBar().addMenu("&Session")}
        # The keys are shown after a tab but not bound here: the window's key filter handles
        # them so that no focused widget can swallow them (see actions.py).
        self.menu_actions: dict[KeyAction, QAction] = {}
        for spec in ACTIONS:
            if spec.menu not in menus:
                continue
            self.menu_actions[spec.action] = self._action(menus[spec.menu], spec.menu_text, spec)
        self.start_action = self.menu_actions[KeyAction.START_PAUSE]
        menus["Session"].addSeparator()
        calibrate_action = menus["Session"].addAction("Calibrate the tap key…")
        calibrate_action.triggered.connect(self.open_calibration)
        quit_action = menus["Session"].addAction("Quit")
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        edit_menu = self.menuBar().addMenu("&Edit")
        self.undo_action = self.undo_stack.createUndoAction(self, "Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, "Redo")
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        prefs = edit_menu.addAction("Preferences…")
        prefs.setShortcut(QKeySequence("Ctrl+,"))
        prefs.triggered.connect(self.open_preferences)
        view_menu = self.menuBar().addMenu("&View")
        for number, title in enumerate(("Train", "History"), start=1):
            show = view_menu.addAction(title)
            show.setShortcut(QKeySequence(f"Ctrl+{number}"))
            show.setData(number - 1)
            show.triggered.connect(self._on_tab_action_triggered)
        view_menu.addSeparator()
        for spec in ACTIONS:
            if spec.menu == "View":
                self.menu_actions[spec.action] = self._action(view_menu, spec.menu_text, spec)
        help_menu = self.menuBar().addMenu("&Help")
        keys_action = help_menu.addAction("Keys and clicker")
        keys_action.triggered.connect(self._on_keys_action_triggered)

    def _action(self, menu: Any, text: str, spec: ActionSpec) -> QAction:
        action: QAction = menu.addAction(text)
        action.setData(spec.action.value)
        action.triggered.connect(self._on_menu_action_triggered)
        return action

    def _connect(self) -> None:
        self.picker.exercise_chosen.connect(self._on_picker_exercise_chosen)
        self.picker.current_changed.connect(self._on_picker_current_changed)
        self.picker.custom_changed.connect(self._on_picker_custom_changed)
        self.setup.start_requested.connect(self._on_setup_start_requested)
        self.setup.accept_requested.connect(self._on_setup_accept_requested)
        self.setup.soreness_box.valueChanged.connect(self._on_soreness_box_value_changed)
        runner = self.training.runner
        runner.view_changed.connect(self._on_runner_view_changed)
        runner.count_changed.connect(self._on_runner_count_changed)
        runner.count_refused.connect(self._on_runner_count_refused)
        runner.tapped.connect(self._on_runner_tapped)
        training = self.training
        training.notice.connect(self._on_training_notice)
        training.status_message.connect(self._on_training_status_message)
        training.audio_status.connect(self._on_training_audio_status)
        training.running_changed.connect(self._on_training_running_changed)
        training.interrupted_found.connect(self._on_training_interrupted_found)
        training.resume_ready.connect(self._on_training_resume_ready)
        training.finish_requested.connect(self._on_training_finish_requested)
        training.store_writable.connect(self._on_training_store_writable)
        training.writer.write_done.connect(self._on_writer_write_done)
        self.run_page.action_requested.connect(self._on_run_page_action_requested)
        self.keys = SessionKeys(
            self,
            session_running=lambda: self.runner.active,
            all_keys_act=lambda: (
                self.runner.active or self._gym or self.training.awaiting_final_tap
            ),
            perform=self.perform,
            tap_key=self._tap_key,
        )

    # -- start-up --------------------------------------------------------------------------

    def _add_notice(self, text: str) -> None:
        """Add a line to the notice bar (once: a full disk fails every rep's checkpoint)."""
        current = self.banner.text()
        if text in current.split("\n"):
            return
        self.banner.setText(f"{current}\n{text}" if current else text)
        self.banner.setVisible(not self._gym)

    def _select_start_exercise(self) -> None:
        """The exercise used last, or the first one, so that Space starts right away."""
        last_id = self.training.last_exercise_id()
        if last_id is None or not self.picker.select(last_id):
            first = self.picker.all_exercises()
            if first:
                self.picker.select(first[0].exercise_id)
        chosen = self.picker.current()
        if chosen is not None:
            self._fill_setup(chosen)
        self.picker.list.setFocus()

    def _restore_geometry(self) -> None:
        """The size (and, where the platform lets an app place itself, the place) the window
        had when it was last closed, always within the screen's available area: a 1024x600
        laptop gets a window that fits."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        available = screen.availableGeometry() if screen is not None else QRect(0, 0, 1100, 760)
        saved = parse_geometry(self.training.preferences.window_geometry)
        width, height = (saved.width(), saved.height()) if saved else DEFAULT_SIZE
        # Leave room for the frame the window manager adds around the window.
        width = max(320, min(width, available.width() - FRAME_PX))
        height = max(240, min(height, available.height() - FRAME_PX))
        self.resize(width, height)
        placeable = QGuiApplication.platformName() not in ("wayland", "offscreen")
        if saved and placeable and available.contains(saved.topLeft()):
            self.move(saved.topLeft())
        else:
            frame = self.frameGeometry()
            frame.moveCenter(available.center())
            self.move(frame.topLeft())
        self._gym_at_start = self.training.preferences.window_gym_mode

    def _remember_geometry(self) -> None:
        """Kept in the preferences file (the app's one store), written on close."""
        geometry = self._normal_geometry if self._gym and self._normal_geometry else self.geometry()
        text = f"{geometry.x()},{geometry.y()},{geometry.width()},{geometry.height()}"
        prefs = self.training.preferences
        if (prefs.window_geometry, prefs.window_gym_mode) != (text, self._gym):
            self.training.apply_preferences(
                prefs.with_values(window_geometry=text, window_gym_mode=self._gym),
                quiet=True,
            )

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.keys.install()
        if self._gym_at_start:
            self._gym_at_start = False
            self.set_gym_mode(True)
        if not self._output_opened:
            self._first_paint.watch()  # then the output opens (_open_output_timer)

    @Slot()
    def _on_open_output_timer_timeout(self) -> None:
        """After the window is on screen: open the output, then look for a crashed session."""
        self._output_opened = True
        self.training.ensure_output()
        self.training.check_interrupted()
        if self._advice_waiting and not self.training.busy:
            self._advice_waiting = False
            self._show_advice(self.picker.current())

    def _exercise(self, exercise_id: str) -> Exercise | None:
        return next((e for e in self.picker.all_exercises() if e.exercise_id == exercise_id), None)

    @Slot(object)
    def _on_training_interrupted_found(self, offer: InterruptedOffer) -> None:
        """Asked at start, and by Start when a kept session would be replaced: then the
        new session starts once the kept one is saved or discarded."""
        start_after, self._start_after_answer = self._start_after_answer, False

        def chosen(key: str | None) -> None:
            self.question = None
            self.training.answer_interrupted(offer, key)
            if start_after and key in ("save", "discard"):
                self.start_session()

        self.question = Choice(
            self, "Session kept for later", offer.text, list(offer.answers), chosen
        )
        self.question.open()

    @Slot(object)
    def _on_training_resume_ready(self, ready: ResumeReady) -> None:
        self.picker.select(ready.exercise.exercise_id)
        self.setup.fill(ready.exercise, ready.values)
        self.rep_view.show_idle(
            "READY", f"{ready.exercise.name}: {ready.values.sets} sets left · press Space"
        )
        self.setup.show_message("")
        self.statusBar().showMessage(ready.message, 10000)

    # -- preferences -----------------------------------------------------------------------

    def _apply_preferences(self) -> None:
        prefs = self.training.preferences
        self.setup.explosive_ms = round(prefs.explosive_seconds * 1000)
        self.setup.set_unit(LoadUnit(prefs.units))
        self.setup.count_in_box.setValue(prefs.count_in_seconds)
        self.picker.default_rest_s = prefs.default_rest_seconds
        self.setPalette(look.theme_palette(prefs.theme))
        self.flash.enabled = prefs.flash
        self.rep_view.set_tap_key(prefs.tap_key if prefs.tap_mode else None)
        self.menu_actions[KeyAction.TAP].setText(f"Tap: lowering ended\t{prefs.tap_key}")
        self.setup.show_soreness(prefs.soreness_check)

    def _tap(self) -> None:
        """The tap key, or the menu entry: time the lowering that just ended."""
        if not self.training.preferences.tap_mode:
            self.statusBar().showMessage("Tap mode is off: turn it on in Preferences.", 4000)
        elif self.runner.status is SessionStatus.PAUSED:
            self.statusBar().showMessage("Tap not counted: the session is paused.", 3000)
        elif (self.runner.active or self.training.awaiting_final_tap) and (
            self.training.tap() is None
        ):
            self.statusBar().showMessage(
                "Tap not counted: no lowering to time now (one tap per lowering, none "
                "across a pause).",
                3000,
            )

    def _tap_key(self) -> Qt.Key | None:
        """The tap key while tap mode is on."""
        prefs = self.training.preferences
        return TAP_KEYS.get(prefs.tap_key) if prefs.tap_mode else None

    def open_calibration(self) -> CalibrationDialog | None:
        """Tap along with eight ticks to measure the lifter's tap offset (tap mode)."""
        if self.training.busy:
            self.statusBar().showMessage("Calibrate between sessions.", 4000)
            return None
        if self.calibration_dialog is not None and self.calibration_dialog.isVisible():
            return self.calibration_dialog
        output = self.training.ensure_output()
        if output.name == "silent":
            self.statusBar().showMessage(
                f"Calibration needs sound, and there is none: {output.status_text}", 8000
            )
            return None
        exercise = self.picker.current() or self.picker.all_exercises()[0]
        prefs = self.training.preferences
        dialog = CalibrationDialog(
            self,
            output,
            exercise,
            TAP_KEYS.get(prefs.tap_key, Qt.Key.Key_B),
            keep=self._keep_calibration,
        )
        self.calibration_dialog = dialog
        dialog.open()
        dialog.start()
        return dialog

    def _keep_calibration(self, result: Calibration) -> None:
        self.training.apply_preferences(
            self.training.preferences.with_values(tap_offset_ms=result.offset_ms)
        )
        self.statusBar().showMessage(f"Tap offset kept: {result.text()}", 8000)

    def open_preferences(self) -> PreferencesDialog:
        try:
            backends = list(self._backends())
        except Exception as error:
            log.warning("could not list audio outputs: %s", error)
            backends = []
        dialog = PreferencesDialog(
            self, self.training.preferences.as_dict(), {"audio_backend": ["auto", *backends]}
        )
        dialog.accepted.connect(self._on_preferences_dialog_accepted)
        self.preferences_dialog = dialog
        dialog.open()
        return dialog

    @Slot()
    def _on_preferences_dialog_accepted(self) -> None:
        dialog = self.preferences_dialog
        if dialog is None:
            return
        preferences, _problems = Preferences.of(dialog.values)  # the dialog validated them
        self.training.apply_preferences(preferences)
        self._apply_preferences()
        self.preferences_dialog = None
        dialog.deleteLater()

    # -- choosing and starting -------------------------------------------------------------

    @Slot(object)
    def _on_picker_exercise_chosen(self, exercise: Exercise) -> None:
        if not self.training.busy:
            self._fill_setup(exercise)

    def _fill_setup(self, exercise: Exercise, last: LastUsed | None = None) -> None:
        """The exercise's next plan: what was used last time, else its defaults."""
        self.setup.fill(exercise, last or self.training.last_used(exercise.exercise_id))
        self._show_ready(exercise)
        self._show_advice(exercise)

    def _show_advice(self, exercise: Exercise | None) -> None:
        """What the coach says about the exercise shown: last time, a suggestion (A takes
        it), warnings; the warnings follow the soreness check-in as it changes."""
        if not self._output_opened:
            # Before the first paint: ten years of history take ~50 ms to read; the coach
            # speaks once the window is on screen (_on_open_output_timer_timeout).
            self._advice_waiting = True
            return
        from tempo_coach.core.coach import NOT_MEDICAL_ADVICE_SHORT, NoteKind

        advice = None
        if exercise is not None:
            advice = self.training.advice(
                exercise.exercise_id, self.picker.all_exercises(), self.setup.soreness()
            )
        self.advice = advice
        if advice is None:
            self.setup.show_advice("", can_accept=False)
            return
        lines = [advice.last_time] if advice.last_time else []
        if advice.suggestion is not None:
            lines.append(advice.suggestion.text[:1].upper() + advice.suggestion.text[1:])
        lines.extend(
            f"Tip: {note.text}" if note.kind is NoteKind.FIRST_SESSION else f"⚠ {note.text}"
            for note in advice.warnings
        )
        if advice.warnings or advice.suggestion is not None:
            lines.append(NOT_MEDICAL_ADVICE_SHORT)
        self.setup.show_advice("\n".join(lines), can_accept=advice.suggestion is not None)

    def accept_advice(self) -> bool:
        """Take the suggested plan into the set-up (key A); False when there is none."""
        advice = self.advice
        if self.training.busy or advice is None or advice.suggestion is None:
            return False
        plan = advice.suggestion.plan
        try:
            tempo = parse_tempo(plan.tempo, explosive_ms=self.setup.explosive_ms)
        except TempoError as error:
            self.setup.show_message(f"The suggestion could not be taken: {error}")
            return False
        self.setup.apply_plan(tempo, plan.reps, plan.load, plan.load_unit, plan.negative_only)
        self._show_ready(self.picker.current())
        self._acknowledge(f"Suggestion taken: {plan.text}")
        return True

    @Slot()
    def _on_setup_accept_requested(self) -> None:
        self.accept_advice()

    @Slot()
    def _on_soreness_box_value_changed(self) -> None:
        if not self.training.busy:
            self._show_advice(self.picker.current())

    def _show_ready(self, exercise: Exercise | None) -> None:
        """The idle screen shows the plan that Space would start."""
        self.setup.start_button.setEnabled(exercise is not None)
        if exercise is None:
            self.rep_view.show_idle("READY", "Choose an exercise")
            return
        try:
            values = self.setup.values()
        except (TempoError, ValueError):
            self.rep_view.show_idle("READY", f"{exercise.name}  ·  press Space to start")
            return
        self.rep_view.show_idle(
            "READY",
            f"{exercise.name}  ·  press Space to start",
            reps=values.reps,
            sets=values.sets,
            eccentric_ms=values.tempo.eccentric_ms,
        )

    @Slot(object)
    def _on_picker_current_changed(self, exercise: Exercise | None) -> None:
        if not self.training.busy and exercise is None:
            self._show_ready(None)

    @Slot(object)
    def _on_picker_custom_changed(self, custom: CustomExercises) -> None:
        self.training.save_custom_exercises(list(custom.exercises))

    @Slot()
    def _on_setup_start_requested(self) -> None:
        self.start_session()

    def start_session(self) -> bool:
        """Start the chosen exercise with what is set up; False (and a message) if not."""
        if self.training.busy:
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
                count_style=CountStyle(self.training.preferences.count_style),
                negative_only=values.negative_only,
            )
        except (TempoError, ValueError) as error:
            self.setup.show_message(str(error)[:1].upper() + str(error)[1:])
            return False
        self.setup.show_message("")
        self.rep_view.show_ack("")
        if plan.negative_only and values.tempo.concentric_ms < SHORT_RESET_MS:
            self.statusBar().showMessage(
                f"The reset lasts {seconds_text(values.tempo.concentric_ms)}: set the Lift box "
                "to the time your reset takes (a partner, a jump, a step).",
                8000,
            )
        if self.training.kept_for_later() is not None:
            self._start_after_answer = True
            self.training.check_interrupted()  # asks; the answer starts this session
            return False
        return self.training.start(
            plan, load=values.load, load_unit=values.load_unit, soreness=values.soreness
        )

    @Slot(bool)
    def _on_training_running_changed(self, running: bool) -> None:
        self.picker.setEnabled(not running)
        self.setup.setEnabled(not running)
        if running:
            self.tabs.setCurrentIndex(0)
        self._update_page()
        if running:
            self.pause_button.setFocus()
            return
        chosen = self.picker.current()
        if chosen is not None:
            # The session just saved may not be on disk yet: its record gives the next plan.
            last = self.training.last_record
            mine = last is not None and last.exercise_id == chosen.exercise_id
            self._fill_setup(chosen, LastUsed.of(last) if mine and last else None)
        if self._gym:
            self.pause_button.setFocus()
        else:
            self.setup.start_button.setFocus()

    # -- actions ---------------------------------------------------------------------------

    def perform(self, action: KeyAction) -> None:
        """Do what a key, a big button or a menu entry asks for."""
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
        elif action is KeyAction.ACCEPT_ADVICE:
            if not runner.active:
                self.accept_advice()
        elif action is KeyAction.TAP:
            self._tap()
        elif action is KeyAction.STOP:
            if runner.active:
                self.ask_stop()
            elif self._gym:
                self.set_gym_mode(False)

    @Slot(object)
    def _on_run_page_action_requested(self, action: KeyAction) -> None:
        self.perform(action)

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

    def _update_page(self) -> None:
        running = self.training.busy
        self.train_stack.setCurrentIndex(RUN_PAGE if running or self._gym else SETUP_PAGE)
        if not running:
            self.run_page.set_start_label("Start")

    # -- what the session says -------------------------------------------------------------

    @Slot(object)
    def _on_runner_view_changed(self, state: ViewState) -> None:
        self.run_page.show_state(state)
        self.flash.follow(state.phase)

    @Slot(object)
    def _on_runner_tapped(self, tap: Tap) -> None:
        self._acknowledge(tap.feedback())

    @Slot(object)
    def _on_runner_count_changed(self, change: CountChange) -> None:
        self._acknowledge(count_change_text(change))

    @Slot(object)
    def _on_runner_count_refused(self, refused: CountRefused) -> None:
        self._acknowledge(f"Not changed: {refused.message}")

    def _acknowledge(self, text: str) -> None:
        self.run_page.acknowledge(text)
        self.statusBar().showMessage(text, ACK_MS)

    @Slot(object)
    def _on_training_finish_requested(self, request: FinishRequest) -> None:
        dialog = FinishDialog(self, request.summary)
        dialog.finished.connect(self._on_finish_dialog_finished)
        self.finish_dialog = dialog
        dialog.open()

    @Slot(int)
    def _on_finish_dialog_finished(self, _result: int) -> None:
        dialog, self.finish_dialog = self.finish_dialog, None
        if dialog is None:
            return
        notes = dialog.notes()
        dialog.deleteLater()
        self.training.finish(notes.rpe, notes.note)

    @Slot(object)
    def _on_writer_write_done(self, _done: object) -> None:
        if self._history is not None:
            self._history.mark_stale()

    @property
    def history(self) -> HistoryTab:
        """The History tab, made on first use."""
        if self._history is None:
            from tempo_coach.ui.history.tab import HistoryTab

            tab = HistoryTab(
                self.training.store,
                self.training.writer,
                today=self._today,
                unit=lambda: LoadUnit(self.training.preferences.units),
                undo_stack=self.undo_stack,
            )
            tab.message.connect(self._on_history_message)
            tab.imported.connect(self._on_history_imported)
            layout = self.history_page.layout()
            assert layout is not None
            layout.addWidget(tab)
            self._history = tab
        return self._history

    @Slot(int)
    def _on_tabs_current_changed(self, index: int) -> None:
        # A window dropped without closing is torn down child first: its tabs may signal
        # once more after this object has lost its attributes.
        tabs = getattr(self, "tabs", None)
        if tabs is not None and tabs.widget(index) is getattr(self, "history_page", None):
            self.history.show()

    @Slot(str)
    def _on_history_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 10000)

    @Slot()
    def _on_history_imported(self) -> None:
        """A restored backup may bring preferences and exercises: read them again."""
        self.training.reload_preferences()
        self._apply_preferences()
        self.picker.set_custom(self.training.custom_exercises())

    @Slot()
    def _on_tab_action_triggered(self) -> None:
        """Ctrl+1 / Ctrl+2: Train or History (not while a session runs)."""
        action = self.sender()
        if isinstance(action, QAction) and not self.runner.active:
            self.tabs.setCurrentIndex(int(action.data()))

    @Slot()
    def _on_training_store_writable(self) -> None:
        """The folder is ours now: the read-only notice goes, what the other one saved is
        read again."""
        lines = [x for x in self.banner.text().split("\n") if x and not x.startswith("Read-only:")]
        self.banner.setText("\n".join(lines))
        self.banner.setVisible(bool(lines) and not self._gym)
        self.picker.set_custom(self.training.custom_exercises())
        if self._history is not None:
            self._history.mark_stale()
            self._history.exchange.set_writable(True)

    @Slot(str)
    def _on_training_notice(self, text: str) -> None:
        self._add_notice(text)

    @Slot(object)
    def _on_training_status_message(self, message: StatusMessage) -> None:
        self.statusBar().showMessage(message.text, message.timeout_ms)

    @Slot(str)
    def _on_training_audio_status(self, text: str) -> None:
        """The status bar keeps it to one short line; the whole reason is in the tooltip."""
        full = f"Audio: {text}"
        short = full if len(full) <= 70 else full[:68].rstrip() + "…"
        self.audio_label.setText(short)
        self.audio_label.setToolTip(full)
        self.audio_label.setAccessibleDescription(full)

    @Slot()
    def _on_keys_action_triggered(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information, "Keys and clicker", keys_help_text(), parent=self
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # -- closing ---------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing (Ctrl+Q, the window's close button) mid-session asks first: save it as
        stopped, keep it for later, or keep going. A session waiting for its notes is saved
        as it is."""
        if self.runner.active and self._close_mode is None:
            event.ignore()
            self.ask_quit()
            return
        if self.finish_dialog is not None:
            self.finish_dialog.finished.disconnect(self._on_finish_dialog_finished)
            self.finish_dialog = None
        self._remember_geometry()
        failed_before = len(self.writer.failures)
        self.training.close(keep_for_later=self._close_mode == "keep")
        self._shutdown_view()
        lost = [
            f for f in self.writer.failures[failed_before:] if f.what != "save your preferences"
        ]
        if lost:  # said where the user looks, not only on stderr
            self.tell_on_close(
                "Not everything could be saved before closing:\n"
                + "\n".join(f"Could not {f.what}: {f.message}" for f in lost)
                + "\nA session that could not be saved is kept as the session in progress "
                "when the disk allows it, and offered at the next start."
            )
        super().closeEvent(event)

    def tell_on_close(self, text: str) -> None:
        """A failure while closing: a dialog the user sees (tests replace it)."""
        QMessageBox.critical(self, "Not saved", text)

    def ask_quit(self) -> None:
        runner = self.runner
        paused_here = runner.status is SessionStatus.RUNNING
        if paused_here:
            runner.toggle_pause()

        def chosen(key: str | None) -> None:
            self.question = None
            if key in ("stop", "keep"):
                self._close_mode = key
                self.close()
            elif paused_here and runner.status is SessionStatus.PAUSED:
                runner.toggle_pause()

        self.question = Choice(
            self,
            "Quit Tempo Coach",
            "A session is running. Save what was done as a stopped session, or keep it for "
            "later (the next start offers to continue it)?",
            [
                ("stop", "&Save it as stopped"),
                ("keep", "&Keep it for later"),
                ("back", "Keep &going"),
            ],
            chosen,
        )
        self.question.open()

    def quit_keeping_for_later(self) -> None:
        """A signal (Ctrl+C in the terminal, SIGTERM at logout) ends the app: a running
        session is kept for later, nothing is asked."""
        if self.question is not None:
            self.question.close()
        self._close_mode = "keep"
        self.close()

    def shutdown(self) -> None:
        """Stop every timer and thread this window started; release the output."""
        self.training.shutdown()
        self._shutdown_view()

    def _shutdown_view(self) -> None:
        self.run_page.stop()
        self.flash.end()
        self._open_output_timer.stop()
        self._first_paint.stop()
        self.keys.remove()
        if self._tabs_connected:  # once: PySide warns on a second disconnect
            self._tabs_connected = False
            with contextlib.suppress(RuntimeError, TypeError):
                self.tabs.currentChanged.disconnect(self._on_tabs_current_changed)
