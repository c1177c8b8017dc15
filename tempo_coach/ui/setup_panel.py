"""The set-up row: tempo (four spin boxes and the notation, kept in step), reps, sets, rest,
load, count-in and the big Start button.

It turns what is typed into a ``SetupValues`` or a sentence saying what is wrong; it never
starts anything itself (the window does, on the Start button or Space).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QWidget,
)

from tempo_coach.core.exercise import (
    COUNT_IN_RANGE_S,
    REPS_RANGE,
    REST_RANGE_S,
    SETS_RANGE,
    Exercise,
)
from tempo_coach.core.records import LB_PER_KG, LOAD_MAX, LastUsed, LoadUnit
from tempo_coach.core.tempo import (
    DEFAULT_EXPLOSIVE_MS,
    ECCENTRIC_RANGE_MS,
    Tempo,
    TempoError,
    parse_tempo,
)


@dataclass(frozen=True)
class SetupValues:
    tempo: Tempo
    reps: int
    sets: int
    rest_s: int
    load: float | None
    load_unit: LoadUnit
    count_in_s: int
    negative_only: bool = False
    soreness: int | None = None  # the check-in, when asked (preference soreness_check)


def _seconds_box(name: str, minimum: float, maximum: float) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(minimum, maximum)
    box.setDecimals(1)
    box.setSingleStep(0.5)
    box.setSuffix(" s")
    box.setAccessibleName(name)
    box.setToolTip(name)
    return box


class SetupPanel(QWidget):
    start_requested = Signal()
    accept_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.explosive_ms = DEFAULT_EXPLOSIVE_MS
        self._unit = LoadUnit.KG
        self._syncing = False

        low, high = (v / 1000 for v in ECCENTRIC_RANGE_MS)
        self.eccentric_box = _seconds_box("Lowering (eccentric) seconds", low, high)
        self.pause_low_box = _seconds_box("Pause after lowering, seconds", 0, 30)
        self.concentric_box = _seconds_box("Lifting (concentric) seconds; X is explosive", 0, 30)
        self.concentric_box.setSpecialValueText("X")
        self.pause_high_box = _seconds_box("Pause after lifting, seconds", 0, 30)
        self.tempo_boxes = (
            self.eccentric_box,
            self.pause_low_box,
            self.concentric_box,
            self.pause_high_box,
        )
        self.notation_edit = QLineEdit()
        self.notation_edit.setAccessibleName("Tempo notation")
        self.notation_edit.setToolTip("Lowering first, e.g. 4-1-1-0 or 31X0")
        self.notation_edit.setMaximumWidth(140)

        self.reps_box = self._int_box("Reps per set", REPS_RANGE)
        self.sets_box = self._int_box("Sets", SETS_RANGE)
        self.rest_box = self._int_box("Rest between sets, seconds", REST_RANGE_S, " s")
        self.count_in_box = self._int_box("Count-in, seconds", COUNT_IN_RANGE_S, " s")
        self.load_box = QDoubleSpinBox()
        self.load_box.setRange(0, LOAD_MAX)
        self.load_box.setDecimals(1)
        self.load_box.setSingleStep(2.5)
        self.load_box.setSpecialValueText("none")
        self.load_box.setAccessibleName("Load")
        self.set_unit(LoadUnit.KG)
        self.negative_box = QCheckBox("Negative only: a reset instead of the lift")
        self.negative_box.setAccessibleName("Negative-only sets")
        self.negative_box.setToolTip(
            "A partner, a jump or a step takes you to the top; only the lowering is work. "
            "The Lift box then times the reset."
        )
        self.soreness_box = QSpinBox()
        self.soreness_box.setRange(-1, 10)
        self.soreness_box.setSpecialValueText("not said")
        self.soreness_box.setValue(-1)
        self.soreness_box.setAccessibleName("Soreness of these muscles, 0 to 10")
        self.soreness_box.setToolTip("0: none, 10: the worst; the warning below follows it")
        self.soreness_label = QLabel("Soreness (0-10)")
        self.soreness_label.setBuddy(self.soreness_box)
        self.show_soreness(False)
        # The coach's word on this exercise (core.coach): last time, a suggestion that one
        # key (A) takes into the boxes, gentle warnings.
        self.advice_label = QLabel("")
        self.advice_label.setObjectName("advice_label")
        self.advice_label.setAccessibleName("Coaching advice")
        self.advice_label.setWordWrap(True)
        self.advice_label.setTextFormat(Qt.TextFormat.PlainText)
        self.accept_button = QPushButton("Take the suggestion  (A)")
        self.accept_button.setObjectName("accept_advice_button")
        self.accept_button.setAccessibleName("Take the suggested plan")
        self.accept_button.setVisible(False)
        self.accept_button.clicked.connect(self._on_accept_button_clicked)

        self.start_button = QPushButton("Start  (Space)")
        self.start_button.setObjectName("start_button")
        self.start_button.setAccessibleName("Start the session")
        self.start_button.setMinimumHeight(64)
        self.start_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        font = self.start_button.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.start_button.setFont(font)
        self.start_button.clicked.connect(self._on_start_button_clicked)

        self.message_label = QLabel("")
        self.message_label.setObjectName("setup_message")
        self.message_label.setAccessibleName("Set-up message")
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet("color: #c62828; font-weight: bold;")

        grid = QGridLayout(self)
        row = [
            ("Lower", self.eccentric_box),
            ("Hold", self.pause_low_box),
            ("Lift", self.concentric_box),
            ("Pause", self.pause_high_box),
            ("Tempo", self.notation_edit),
            ("Reps", self.reps_box),
            ("Sets", self.sets_box),
            ("Rest", self.rest_box),
            ("Load", self.load_box),
            ("Count-in", self.count_in_box),
        ]
        for column, (text, widget) in enumerate(row):
            label = QLabel(text)
            label.setBuddy(widget)
            grid.addWidget(label, 0, column)
            grid.addWidget(widget, 1, column)
        grid.addWidget(self.negative_box, 2, 0, 1, 4)
        soreness = QHBoxLayout()  # the label right beside its box, not under a column
        soreness.addWidget(self.soreness_label)
        soreness.addWidget(self.soreness_box)
        soreness.addStretch(1)
        grid.addLayout(soreness, 2, 4, 1, 4)
        grid.addWidget(self.start_button, 3, 0, 1, len(row))
        grid.addWidget(self.message_label, 4, 0, 1, len(row))
        grid.addWidget(self.advice_label, 5, 0, 1, len(row) - 2)
        grid.addWidget(self.accept_button, 5, len(row) - 2, 1, 2)

        for box in self.tempo_boxes:
            box.valueChanged.connect(self._on_tempo_box_value_changed)
        self.notation_edit.editingFinished.connect(self._on_notation_edit_editing_finished)
        self.set_tempo(parse_tempo("4-1-1-0"))

    def _int_box(self, name: str, bounds: tuple[int, int], suffix: str = "") -> QSpinBox:
        box = QSpinBox()
        box.setRange(*bounds)
        box.setSuffix(suffix)
        box.setAccessibleName(name)
        box.setToolTip(name)
        return box

    # -- filling ---------------------------------------------------------------------------

    def set_unit(self, unit: LoadUnit) -> None:
        """Show loads in ``unit``; a load already typed is converted."""
        if unit is not self._unit and self.load_box.value() > 0:
            value = self.load_box.value()
            value = value * LB_PER_KG if unit is LoadUnit.LB else value / LB_PER_KG
            self.load_box.setValue(round(value * 2) / 2)
        self._unit = unit
        self.load_box.setSuffix(f" {unit.value}")

    @property
    def unit(self) -> LoadUnit:
        return self._unit

    def set_tempo(self, tempo: Tempo) -> None:
        self._syncing = True
        try:
            self.eccentric_box.setValue(tempo.eccentric_ms / 1000)
            self.pause_low_box.setValue(tempo.pause_after_eccentric_ms / 1000)
            self.concentric_box.setValue(0 if tempo.explosive else tempo.concentric_ms / 1000)
            self.pause_high_box.setValue(tempo.pause_after_concentric_ms / 1000)
            self.notation_edit.setText(tempo.notation())
        finally:
            self._syncing = False
        self.message_label.setText("")

    def fill(self, exercise: Exercise, last_used: LastUsed | None) -> None:
        """Defaults from the exercise, or what was used last time for it (a value out of
        the panel's range keeps the default)."""
        tempo = exercise.default_tempo
        reps, sets, rest = exercise.default_reps, exercise.default_sets, exercise.default_rest_s
        load: float | None = None
        negative_only = False
        if last_used is not None:
            negative_only = last_used.negative_only
            with contextlib.suppress(TempoError):  # a bad stored tempo keeps the default
                tempo = parse_tempo(last_used.tempo, explosive_ms=self.explosive_ms)
            reps = _within(last_used.reps, reps, REPS_RANGE)
            sets = _within(last_used.sets, sets, SETS_RANGE)
            rest = _within(last_used.rest_s, rest, REST_RANGE_S)
            load = last_used.load
            if load is not None and last_used.load_unit is not self._unit:
                factor = LB_PER_KG if self._unit is LoadUnit.LB else 1 / LB_PER_KG
                load = round(load * factor * 2) / 2
        if tempo.explosive:
            tempo = tempo.with_explosive_ms(self.explosive_ms)
        self.set_tempo(tempo)
        self.reps_box.setValue(reps)
        self.sets_box.setValue(sets)
        self.rest_box.setValue(rest)
        self.load_box.setValue(min(LOAD_MAX, load) if load else 0)
        self.negative_box.setChecked(negative_only)
        self.soreness_box.setValue(-1)  # asked anew for every session: "not said" until then

    def show_advice(self, text: str, *, can_accept: bool) -> None:
        self.advice_label.setText(text)
        self.accept_button.setVisible(can_accept)

    def apply_plan(
        self,
        tempo: Tempo,
        reps: int,
        load: float | None,
        load_unit: LoadUnit,
        negative_only: bool,
    ) -> None:
        """Take a suggested plan into the boxes (the load in the panel's unit)."""
        if tempo.explosive:
            tempo = tempo.with_explosive_ms(self.explosive_ms)
        self.set_tempo(tempo)
        self.reps_box.setValue(_within(reps, self.reps_box.value(), REPS_RANGE))
        if load is not None and load_unit is not self._unit:
            factor = LB_PER_KG if self._unit is LoadUnit.LB else 1 / LB_PER_KG
            load = round(load * factor * 2) / 2
        self.load_box.setValue(min(LOAD_MAX, load) if load else 0)
        self.negative_box.setChecked(negative_only)

    def show_soreness(self, on: bool) -> None:
        """The soreness check-in is asked only when the lifter wants it (a preference)."""
        self.soreness_label.setVisible(on)
        self.soreness_box.setVisible(on)
        if not on:
            self.soreness_box.setValue(-1)

    def soreness(self) -> int | None:
        value = self.soreness_box.value()
        return value if self.soreness_box.isVisibleTo(self) and value >= 0 else None

    def change_eccentric(self, delta_s: float) -> None:
        self.eccentric_box.setValue(self.eccentric_box.value() + delta_s)

    # -- reading ---------------------------------------------------------------------------

    def tempo(self) -> Tempo:
        """The tempo in the boxes (raises TempoError saying what is wrong)."""
        concentric = self.concentric_box.value()
        explosive = concentric == 0
        return Tempo.from_seconds(
            self.eccentric_box.value(),
            self.pause_low_box.value(),
            self.explosive_ms / 1000 if explosive else concentric,
            self.pause_high_box.value(),
            explosive=explosive,
        )

    def values(self) -> SetupValues:
        """What is set up, or TempoError with a sentence for the lifter."""
        load = self.load_box.value()
        return SetupValues(
            tempo=self.tempo(),
            reps=self.reps_box.value(),
            sets=self.sets_box.value(),
            rest_s=self.rest_box.value(),
            load=load if load > 0 else None,
            load_unit=self._unit,
            count_in_s=self.count_in_box.value(),
            negative_only=self.negative_box.isChecked(),
            soreness=self.soreness(),
        )

    def show_message(self, text: str) -> None:
        self.message_label.setText(text)

    # -- slots -----------------------------------------------------------------------------

    @Slot()
    def _on_accept_button_clicked(self) -> None:
        self.accept_requested.emit()

    @Slot()
    def _on_start_button_clicked(self) -> None:
        self.start_requested.emit()

    @Slot()
    def _on_tempo_box_value_changed(self) -> None:
        if self._syncing:
            return
        try:
            tempo = self.tempo()
        except TempoError as error:
            self.message_label.setText(f"Tempo: {error}")
            return
        self._syncing = True
        self.notation_edit.setText(tempo.notation())
        self._syncing = False
        self.message_label.setText("")

    @Slot()
    def _on_notation_edit_editing_finished(self) -> None:
        if self._syncing:
            return
        try:
            tempo = parse_tempo(self.notation_edit.text(), explosive_ms=self.explosive_ms)
        except TempoError as error:
            self.message_label.setText(f"Tempo: {error}")
            return
        self.set_tempo(tempo)


def _within(value: int | None, fallback: int, bounds: tuple[int, int]) -> int:
    return value if value is not None and bounds[0] <= value <= bounds[1] else fallback
