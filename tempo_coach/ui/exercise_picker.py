"""The exercise picker: the built-in library and the user's own exercises, searchable by
typing, with each exercise's phase order, default tempo, instructions and safety notes.

Custom exercises are added, edited, duplicated and deleted here (a built-in one can be
duplicated and changed, never deleted). The picker does not save: it emits
``custom_changed`` with the new list and the window hands it to the store.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from tempo_coach.core.exercise import (
    MUSCLES,
    REPS_RANGE,
    REST_RANGE_S,
    SETS_RANGE,
    Exercise,
    ExerciseError,
    RepStart,
    SideMode,
    slugify,
)
from tempo_coach.core.tempo import TempoError, parse_tempo
from tempo_coach.ui.dialogs import ask, ok_cancel_buttons, problem_label

ID_ROLE = Qt.ItemDataRole.UserRole


def matches(exercise: Exercise, query: str) -> bool:
    """Every word typed appears in the name (any case); an empty search matches all."""
    name = exercise.name.lower()
    return all(word in name for word in query.lower().split())


def details_html(exercise: Exercise) -> str:
    e = html.escape
    tempo = exercise.default_tempo.notation()
    rows = [
        f"<h2>{e(exercise.name)}</h2>",
        "<p><i>Your exercise</i></p>" if not exercise.builtin else "",
        f"<p><b>Each rep:</b> {e(exercise.order_text())} ({e(exercise.rep_start.label)})</p>",
        f"<p><b>Default tempo:</b> {e(tempo)} (written lowering first) &nbsp; "
        f"<b>Reps:</b> {exercise.default_reps} &nbsp; <b>Sets:</b> {exercise.default_sets} "
        f"&nbsp; <b>Rest:</b> {exercise.default_rest_s} s</p>",
        f"<p><b>Sides:</b> {e(exercise.side_mode.label)}</p>",
        f"<p><b>Works:</b> {e(', '.join(exercise.muscles))}</p>" if exercise.muscles else "",
    ]
    if exercise.instructions:
        items = "".join(f"<li>{e(line)}</li>" for line in exercise.instructions)
        rows.append(f"<p><b>How to</b></p><ol>{items}</ol>")
    if exercise.safety_notes:
        items = "".join(f"<li>{e(line)}</li>" for line in exercise.safety_notes)
        rows.append(f"<p><b>Safety</b></p><ul>{items}</ul>")
    return "".join(rows)


def unique_id(name: str, taken: Iterable[str]) -> str:
    taken_ids = set(taken)
    base = slugify(name) or "exercise"
    candidate, n = base, 2
    while candidate in taken_ids:
        candidate = f"{base}-{n}"
        n += 1
    return candidate


class ExerciseEditor(QDialog):
    """Add or change one custom exercise; OK only when it is valid (a message says why not)."""

    def __init__(
        self,
        parent: QWidget,
        title: str,
        template: Exercise | None,
        *,
        exercise_id: str | None,
        taken_ids: Sequence[str],
        taken_names: Sequence[str],
        default_rest_s: int = 90,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exercise_editor")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self._template = template
        self._exercise_id = exercise_id
        self._taken_ids = list(taken_ids)
        self._taken_names = {n.strip().lower() for n in taken_names}
        self.exercise: Exercise | None = None

        self.name_edit = QLineEdit(template.name if template else "")
        self.name_edit.setAccessibleName("Name")
        self.start_combo = QComboBox()
        self.start_combo.setAccessibleName("Each rep starts with")
        for start in RepStart:
            self.start_combo.addItem(start.label)
        self.tempo_edit = QLineEdit(template.default_tempo.notation() if template else "4-1-1-0")
        self.tempo_edit.setAccessibleName("Default tempo")
        self.tempo_edit.setToolTip("Lowering first, e.g. 4-1-1-0 or 31X0")
        self.reps_box = self._box(
            "Default reps", REPS_RANGE, template.default_reps if template else 8
        )
        self.sets_box = self._box(
            "Default sets", SETS_RANGE, template.default_sets if template else 3
        )
        self.rest_box = self._box(
            "Default rest, seconds",
            REST_RANGE_S,
            template.default_rest_s if template else default_rest_s,
        )
        self.rest_box.setSuffix(" s")
        self.side_combo = QComboBox()
        self.side_combo.setAccessibleName("Sides")
        for mode in SideMode:
            self.side_combo.addItem(mode.label)
        if template:
            self.start_combo.setCurrentIndex(list(RepStart).index(template.rep_start))
            self.side_combo.setCurrentIndex(list(SideMode).index(template.side_mode))
        self.instructions_edit = QPlainTextEdit(
            "\n".join(template.instructions if template else ())
        )
        self.instructions_edit.setAccessibleName("Instructions, one step per line")
        self.instructions_edit.setTabChangesFocus(True)
        self.safety_edit = QPlainTextEdit("\n".join(template.safety_notes if template else ()))
        self.safety_edit.setAccessibleName("Safety notes, one per line")
        self.safety_edit.setTabChangesFocus(True)
        # The muscles it works: the soreness guard compares exercises by them.
        self.muscle_boxes: dict[str, QCheckBox] = {}
        muscles = QGridLayout()
        chosen = set(template.muscles) if template else set()
        for index, muscle in enumerate(MUSCLES):
            box = QCheckBox(muscle)
            box.setAccessibleName(f"Works the {muscle}")
            box.setChecked(muscle in chosen)
            muscles.addWidget(box, index // 5, index % 5)
            self.muscle_boxes[muscle] = box
        self.error_label = problem_label("editor_error")
        buttons = ok_cancel_buttons()
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("Name", self.name_edit)
        form.addRow("Each rep starts with", self.start_combo)
        form.addRow("Default tempo", self.tempo_edit)
        form.addRow("Reps", self.reps_box)
        form.addRow("Sets", self.sets_box)
        form.addRow("Rest", self.rest_box)
        form.addRow("Sides", self.side_combo)
        form.addRow("Works", muscles)
        form.addRow("Instructions", self.instructions_edit)
        form.addRow("Safety notes", self.safety_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.resize(520, 560)

    def _box(self, name: str, bounds: tuple[int, int], value: int) -> QSpinBox:
        box = QSpinBox()
        box.setRange(*bounds)
        box.setValue(value)
        box.setAccessibleName(name)
        return box

    def build(self) -> Exercise:
        """The exercise as typed, or ExerciseError/TempoError saying what is wrong."""
        name = " ".join(self.name_edit.text().split())
        if not name:
            raise ExerciseError("give the exercise a name")
        if name.lower() in self._taken_names:
            raise ExerciseError(f"there is already an exercise called {name!r}")
        tempo = parse_tempo(self.tempo_edit.text())
        exercise_id = self._exercise_id or unique_id(name, self._taken_ids)
        lines = self.instructions_edit.toPlainText().splitlines()
        notes = self.safety_edit.toPlainText().splitlines()
        return Exercise(
            exercise_id=exercise_id,
            name=name,
            # By index: Qt hands a str-based enum back from currentData() as a plain str.
            rep_start=list(RepStart)[self.start_combo.currentIndex()],
            default_tempo=tempo,
            default_reps=self.reps_box.value(),
            default_sets=self.sets_box.value(),
            default_rest_s=self.rest_box.value(),
            side_mode=list(SideMode)[self.side_combo.currentIndex()],
            instructions=tuple(line.strip() for line in lines if line.strip()),
            safety_notes=tuple(line.strip() for line in notes if line.strip()),
            phase_names=dict(self._template.phase_names) if self._template else {},
            builtin=False,
            muscles=tuple(m for m, box in self.muscle_boxes.items() if box.isChecked()),
        )

    @Slot()
    def _on_buttons_accepted(self) -> None:
        try:
            self.exercise = self.build()
        except (ExerciseError, TempoError) as error:
            self.error_label.setText(str(error)[:1].upper() + str(error)[1:])
            return
        self.accept()


@dataclass(frozen=True)
class CustomExercises:
    """The user's own exercises after an add, edit or delete."""

    exercises: tuple[Exercise, ...]


class ExercisePicker(QWidget):
    exercise_chosen = Signal(object)  # Exercise
    custom_changed = Signal(object)  # CustomExercises, to be saved
    current_changed = Signal(object)  # Exercise | None: what Start would start

    def __init__(self, builtins: Sequence[Exercise], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._builtins = list(builtins)
        self._custom: list[Exercise] = []
        self.default_rest_s = 90
        self.editor: ExerciseEditor | None = None

        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("exercise_search")
        self.search_edit.setPlaceholderText("Search: type part of a name")
        self.search_edit.setAccessibleName("Search exercises")
        self.search_edit.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setObjectName("exercise_list")
        self.list.setAccessibleName("Exercises")
        self.list.setMinimumWidth(280)
        self.details = QTextBrowser()
        self.details.setObjectName("exercise_details")
        self.details.setAccessibleName("About the exercise")
        self.details.setOpenLinks(False)
        self.new_button = QPushButton("New…")
        self.edit_button = QPushButton("Edit…")
        self.duplicate_button = QPushButton("Duplicate…")
        self.delete_button = QPushButton("Delete")
        for button, name in (
            (self.new_button, "New exercise"),
            (self.edit_button, "Edit exercise"),
            (self.duplicate_button, "Duplicate exercise"),
            (self.delete_button, "Delete exercise"),
        ):
            button.setAccessibleName(name)

        left = QVBoxLayout()
        left.addWidget(self.search_edit)
        left.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        for button in (
            self.new_button,
            self.edit_button,
            self.duplicate_button,
            self.delete_button,
        ):
            buttons.addWidget(button)
        left.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(left, 2)
        layout.addWidget(self.details, 3)

        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self.list.currentItemChanged.connect(self._on_list_current_item_changed)
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.edit_button.clicked.connect(self._on_edit_button_clicked)
        self.duplicate_button.clicked.connect(self._on_duplicate_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.list.installEventFilter(self)
        self._refill()

    # -- content ---------------------------------------------------------------------------

    def all_exercises(self) -> list[Exercise]:
        return [*self._builtins, *self._custom]

    @property
    def custom(self) -> list[Exercise]:
        return list(self._custom)

    def set_custom(self, custom: Sequence[Exercise]) -> None:
        keep = self.current()
        self._custom = list(custom)
        self._refill(keep.exercise_id if keep else None)

    def current(self) -> Exercise | None:
        item = self.list.currentItem()
        if item is None or item.isHidden():
            return None
        return self._by_id(item.data(ID_ROLE))

    def select(self, exercise_id: str) -> bool:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(ID_ROLE) == exercise_id and not item.isHidden():
                self.list.setCurrentItem(item)
                return True
        return False

    def _by_id(self, exercise_id: str) -> Exercise | None:
        return next((x for x in self.all_exercises() if x.exercise_id == exercise_id), None)

    def _refill(self, keep_id: str | None = None) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for exercise in self.all_exercises():
            text = exercise.name if exercise.builtin else f"{exercise.name}  (yours)"
            item = QListWidgetItem(text)
            item.setData(ID_ROLE, exercise.exercise_id)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self._apply_filter()
        if keep_id is None or not self.select(keep_id):
            self._select_first_visible()
        self._show_current()

    def _apply_filter(self) -> None:
        query = self.search_edit.text()
        for row in range(self.list.count()):
            item = self.list.item(row)
            exercise = self._by_id(item.data(ID_ROLE))
            item.setHidden(exercise is None or not matches(exercise, query))

    def _select_first_visible(self) -> None:
        for row in range(self.list.count()):
            if not self.list.item(row).isHidden():
                self.list.setCurrentRow(row)
                return
        self.list.setCurrentRow(-1)

    def _show_current(self) -> None:
        exercise = self.current()
        self.current_changed.emit(exercise)
        self.details.setHtml(details_html(exercise) if exercise else "<p>No exercise matches.</p>")
        custom = exercise is not None and not exercise.builtin
        self.edit_button.setEnabled(custom)
        self.delete_button.setEnabled(custom)
        self.duplicate_button.setEnabled(exercise is not None)

    # -- events and slots ------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Typing a letter in the list searches: the letter goes to the search field."""
        if watched is self.list and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            text = event.text()
            if text and text.isprintable() and not text.isspace():
                self.search_edit.setFocus()
                self.search_edit.insert(text)
                return True
        return super().eventFilter(watched, event)

    @Slot(str)
    def _on_search_edit_text_changed(self, _text: str) -> None:
        keep = self.current()
        self._apply_filter()
        if keep is None or not self.select(keep.exercise_id):
            self._select_first_visible()
        self._show_current()
        chosen = self.current()
        if chosen is not None and (keep is None or chosen.exercise_id != keep.exercise_id):
            self.exercise_chosen.emit(chosen)

    @Slot(QListWidgetItem, QListWidgetItem)
    def _on_list_current_item_changed(
        self, current: QListWidgetItem | None, _previous: QListWidgetItem | None
    ) -> None:
        self._show_current()
        exercise = self.current()
        if exercise is not None:
            self.exercise_chosen.emit(exercise)

    @Slot()
    def _on_new_button_clicked(self) -> None:
        self._open_editor("New exercise", None, None)

    @Slot()
    def _on_edit_button_clicked(self) -> None:
        exercise = self.current()
        if exercise is None or exercise.builtin:
            return
        self._open_editor(f"Edit {exercise.name}", exercise, exercise.exercise_id)

    @Slot()
    def _on_duplicate_button_clicked(self) -> None:
        exercise = self.current()
        if exercise is None:
            return
        names = {x.name.lower() for x in self.all_exercises()}
        name, n = f"{exercise.name} (copy)", 2
        while name.lower() in names:
            name, n = f"{exercise.name} (copy {n})", n + 1
        template = replace(exercise, name=name[:80], builtin=False)
        self._open_editor(f"Duplicate {exercise.name}", template, None)

    @Slot()
    def _on_delete_button_clicked(self) -> None:
        exercise = self.current()
        if exercise is None or exercise.builtin:
            return

        def answered(yes: bool) -> None:
            if yes:
                self._custom = [x for x in self._custom if x.exercise_id != exercise.exercise_id]
                self._refill()
                self.custom_changed.emit(CustomExercises(tuple(self._custom)))

        ask(
            self,
            "Delete exercise",
            f"Delete {exercise.name!r}? Sessions already saved keep its name.",
            "Delete",
            "Keep it",
            answered,
        )

    def _open_editor(self, title: str, template: Exercise | None, exercise_id: str | None) -> None:
        others = [x for x in self.all_exercises() if x.exercise_id != exercise_id]
        editor = ExerciseEditor(
            self,
            title,
            template,
            exercise_id=exercise_id,
            taken_ids=[x.exercise_id for x in self.all_exercises()],
            taken_names=[x.name for x in others],
            default_rest_s=self.default_rest_s,
        )
        editor.accepted.connect(self._on_editor_accepted)
        self.editor = editor
        editor.open()

    @Slot()
    def _on_editor_accepted(self) -> None:
        editor = self.editor
        if editor is None or editor.exercise is None:
            return
        new = editor.exercise
        replaced = False
        custom = []
        for x in self._custom:
            if x.exercise_id == new.exercise_id:
                custom.append(new)
                replaced = True
            else:
                custom.append(x)
        if not replaced:
            custom.append(new)
        self._custom = custom
        self.search_edit.clear()
        self._refill(new.exercise_id)
        self.custom_changed.emit(CustomExercises(tuple(self._custom)))
        self.exercise_chosen.emit(new)
        self.editor = None
        editor.deleteLater()
