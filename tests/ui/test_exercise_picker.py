"""The picker: search by typing, details, and custom exercises (add, edit, duplicate, delete)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tempo_coach.core.exercise import BUILTIN_EXERCISES, RepStart, SideMode
from tempo_coach.ui.exercise_picker import ExerciseEditor, ExercisePicker, matches
from tempo_coach.ui.main_window import MainWindow
from tests.fakes import FakeStore


def visible_names(picker: ExercisePicker) -> list[str]:
    return [
        picker.list.item(row).text()
        for row in range(picker.list.count())
        if not picker.list.item(row).isHidden()
    ]


def editor(picker: ExercisePicker) -> ExerciseEditor:
    assert picker.editor is not None and picker.editor.isVisible()
    return picker.editor


def test_search_matches_every_word_in_any_case() -> None:
    squat = next(e for e in BUILTIN_EXERCISES if e.exercise_id == "barbell-squat")
    assert matches(squat, "SQUAT")
    assert matches(squat, "barb squ")
    assert not matches(squat, "curl")


def test_typing_in_the_list_searches(qtbot: QtBot) -> None:
    picker = ExercisePicker(BUILTIN_EXERCISES)
    qtbot.addWidget(picker)
    picker.show()
    picker.list.setFocus()
    chosen = []
    picker.exercise_chosen.connect(chosen.append)
    qtbot.keyClicks(picker.list, "cur")
    assert picker.search_edit.text() == "cur"
    assert visible_names(picker) == [
        "Eccentric hamstring curl (seated or lying machine)",
        "Eccentric dumbbell curl",
    ]
    current = picker.current()
    assert current is not None and "curl" in current.name
    assert chosen and chosen[-1] == current
    qtbot.keyClicks(picker.search_edit, "zzz")
    assert visible_names(picker) == []
    assert picker.current() is None
    assert "No exercise matches" in picker.details.toPlainText()


def test_details_show_order_tempo_instructions_and_safety(qtbot: QtBot) -> None:
    picker = ExercisePicker(BUILTIN_EXERCISES)
    qtbot.addWidget(picker)
    assert picker.select("band-pull-up")
    text = picker.details.toPlainText()
    assert "pull up > hold > lower > hang" in text
    assert "lifting first" in text
    assert "5-0-1-2" in text
    assert "Loop a band over the bar" in text
    assert "not medical advice" in text
    assert not picker.delete_button.isEnabled(), "a built-in exercise cannot be deleted"
    assert not picker.edit_button.isEnabled()
    assert picker.duplicate_button.isEnabled()


def test_a_new_exercise_is_validated_then_added_and_saved(
    qtbot: QtBot, window: MainWindow, store: FakeStore
) -> None:
    picker = window.picker
    qtbot.mouseClick(picker.new_button, Qt.MouseButton.LeftButton)
    dialog = editor(picker)
    dialog.name_edit.setText("")
    dialog._on_buttons_accepted()
    assert "name" in dialog.error_label.text().lower() and dialog.isVisible()
    dialog.name_edit.setText("Eccentric barbell squat")
    dialog._on_buttons_accepted()
    assert "already an exercise" in dialog.error_label.text()
    dialog.name_edit.setText("Nordic curl")
    dialog.tempo_edit.setText("4-X-1-0")
    dialog._on_buttons_accepted()
    assert "X (explosive)" in dialog.error_label.text()
    dialog.tempo_edit.setText("6-0-X-0")
    dialog.start_combo.setCurrentIndex(list(RepStart).index(RepStart.ECCENTRIC_FIRST))
    dialog.reps_box.setValue(5)
    dialog.instructions_edit.setPlainText("Kneel with the ankles held.\n\nLean forward slowly.")
    dialog._on_buttons_accepted()
    assert not dialog.isVisible()
    current = picker.current()
    assert current is not None and current.name == "Nordic curl"
    assert current.exercise_id == "nordic-curl" and not current.builtin
    assert current.instructions == ("Kneel with the ankles held.", "Lean forward slowly.")
    assert window.setup.notation_edit.text() == "6-0-X-0", "the new exercise is set up"
    assert window.writer.wait_idle()
    assert [e.name for e in store.custom_exercises()] == ["Nordic curl"]


def test_duplicate_a_builtin_then_edit_and_delete_it(
    qtbot: QtBot, window: MainWindow, store: FakeStore
) -> None:
    picker = window.picker
    assert picker.select("hamstring-curl")
    qtbot.mouseClick(picker.duplicate_button, Qt.MouseButton.LeftButton)
    dialog = editor(picker)
    assert dialog.name_edit.text() == "Eccentric hamstring curl (seated or lying machine) (copy)"
    dialog.name_edit.setText("Single-leg curl")
    dialog._on_buttons_accepted()
    copy = picker.current()
    assert copy is not None and copy.name == "Single-leg curl" and not copy.builtin
    assert copy.side_mode is SideMode.ALTERNATE_REPS, "the copy keeps the original's particulars"
    assert copy.phase_name(next(iter(copy.phase_names))) == "curl, both legs"
    assert len(picker.all_exercises()) == len(BUILTIN_EXERCISES) + 1

    assert picker.edit_button.isEnabled()
    qtbot.mouseClick(picker.edit_button, Qt.MouseButton.LeftButton)
    dialog = editor(picker)
    dialog.name_edit.setText("Single-leg hamstring curl")
    dialog.sets_box.setValue(5)
    dialog._on_buttons_accepted()
    edited = picker.current()
    assert edited is not None and edited.exercise_id == copy.exercise_id
    assert edited.default_sets == 5 and edited.name == "Single-leg hamstring curl"

    qtbot.mouseClick(picker.delete_button, Qt.MouseButton.LeftButton)
    question = picker.findChild(type(window.question)) if window.question else None
    from tempo_coach.ui.dialogs import Question

    question = picker.findChild(Question)
    assert question is not None and question.isVisible()
    qtbot.mouseClick(question.yes_button, Qt.MouseButton.LeftButton)
    assert all(e.exercise_id != copy.exercise_id for e in picker.all_exercises())
    assert window.writer.wait_idle()
    assert store.custom_exercises() == []
    assert store.writes == 3  # added, edited, deleted


def test_custom_exercises_from_the_store_are_listed(qtbot: QtBot, make_window: object) -> None:
    from dataclasses import replace

    squat = next(e for e in BUILTIN_EXERCISES if e.exercise_id == "barbell-squat")
    mine = replace(squat, exercise_id="goblet-squat", name="Goblet squat", builtin=False)
    window = make_window(store=FakeStore(custom=[mine]))  # type: ignore[operator]
    assert "Goblet squat  (yours)" in visible_names(window.picker)


def test_the_muscles_an_exercise_works_are_shown_chosen_and_kept(
    qtbot: QtBot, window: MainWindow, store: FakeStore
) -> None:
    picker = window.picker
    assert picker.select("barbell-squat")
    assert "Works: quadriceps, glutes" in picker.details.toPlainText()
    qtbot.mouseClick(picker.duplicate_button, Qt.MouseButton.LeftButton)
    dialog = editor(picker)
    assert [m for m, box in dialog.muscle_boxes.items() if box.isChecked()] == [
        "quadriceps",
        "glutes",
    ], "a copy starts with the muscles of its original"
    dialog.name_edit.setText("Split squat")
    dialog.muscle_boxes["glutes"].setChecked(False)
    dialog.muscle_boxes["hamstrings"].setChecked(True)
    dialog._on_buttons_accepted()
    assert not dialog.isVisible()
    assert window.writer.wait_idle()
    (saved,) = store.custom_exercises()
    assert saved.name == "Split squat"
    assert saved.muscles == ("quadriceps", "hamstrings")
