"""The training controller without a window: starting, checkpoints, finishing, saving, the
interrupted session, failed saves and the output's lifecycle, on a fake clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest
from pytestqt.qtbot import QtBot

from tempo_coach.core.clock import FakeClock
from tempo_coach.core.exercise import BUILTIN_EXERCISES, Exercise
from tempo_coach.core.preferences import Preferences
from tempo_coach.core.records import LoadUnit, SessionRecord
from tempo_coach.core.session import SessionStatus
from tempo_coach.core.tempo import parse_tempo
from tempo_coach.core.timeline import SetPlan
from tempo_coach.ui.training import (
    FinishRequest,
    InterruptedOffer,
    ResumeReady,
    StatusMessage,
    TrainingController,
)
from tests.fakes import FakeOutput, FakeStore

SQUAT = next(e for e in BUILTIN_EXERCISES if e.exercise_id == "barbell-squat")
BY_ID = {e.exercise_id: e for e in BUILTIN_EXERCISES}


def squat_plan(reps: int = 2, sets: int = 2, rest_s: int = 5) -> SetPlan:
    """3-1-1-0, no count-in: a rep is 5 s."""
    return SetPlan.from_exercise(
        SQUAT,
        tempo=parse_tempo("3-1-1-0"),
        reps=reps,
        sets=sets,
        rest_ms=rest_s * 1000,
        count_in_ms=0,
    )


class Heard:
    """Everything the controller said, by signal."""

    def __init__(self, controller: TrainingController) -> None:
        self.notices: list[str] = []
        self.messages: list[str] = []
        self.offers: list[InterruptedOffer] = []
        self.resumes: list[ResumeReady] = []
        self.finishes: list[FinishRequest] = []
        self.running: list[bool] = []
        controller.notice.connect(self.notices.append)
        controller.status_message.connect(lambda m: self.messages.append(m.text))
        controller.interrupted_found.connect(self.offers.append)
        controller.resume_ready.connect(self.resumes.append)
        controller.finish_requested.connect(self.finishes.append)
        controller.running_changed.connect(self.running.append)


@pytest.fixture
def make(
    qtbot: QtBot, fake_clock: FakeClock
) -> Iterator[Callable[..., tuple[TrainingController, Heard]]]:
    made: list[TrainingController] = []

    def build(store: FakeStore, **kwargs: object) -> tuple[TrainingController, Heard]:
        controller = TrainingController(
            store,
            kwargs.pop("factory", lambda _p: FakeOutput(fake_clock)),  # type: ignore[arg-type]
            find_exercise=BY_ID.get,
            wall_time=lambda: "2026-11-27T09:00:00+00:00",
        )
        made.append(controller)
        return controller, Heard(controller)

    yield build
    for controller in made:
        controller.shutdown()


def run(controller: TrainingController, clock: FakeClock, seconds: float) -> None:
    for _ in range(round(seconds / 0.1)):
        clock.advance(0.1)
        controller.runner.poll_now()


def test_a_checkpoint_after_every_rep_is_the_session_record_of_that_moment(
    make: Callable[..., tuple[TrainingController, Heard]], fake_clock: FakeClock, qtbot: QtBot
) -> None:
    store = FakeStore()
    controller, heard = make(store)
    assert controller.start(squat_plan(), load=50.0, load_unit=LoadUnit.KG)
    assert heard.running == [True]
    run(controller, fake_clock, 12.0)  # set 1 (two reps) and into the rest
    assert controller.writer.wait_idle()
    kept = store.checkpoints
    assert [sum(len(s.reps) for s in c.sets) for c in kept] == [1, 2, 2], "a rep, a rep, a set"
    assert all(not c.finished for c in kept)
    assert kept[-1] == replace(controller.record(), finished=False)  # type: ignore[arg-type]
    run(controller, fake_clock, 20.0)
    assert controller.runner.status is SessionStatus.FINISHED
    (request,) = heard.finishes
    final = request.record
    # What a crash would have left before the notes is the whole session.
    assert controller.writer.wait_idle()
    assert store.pending_checkpoint() == replace(final, finished=False)
    for checkpoint in kept:
        assert checkpoint.sets[:-1] == final.sets[: len(checkpoint.sets) - 1]
    controller.finish(8, "solid")
    assert controller.writer.wait_idle()
    (saved,) = store.sessions
    assert saved == replace(final, rpe=8, note="solid", finished=True)
    assert store.pending_checkpoint() is None
    qtbot.waitUntil(lambda: controller.saved_message.startswith("Saved"))
    assert heard.running == [True, False]


def test_saved_is_said_only_once_the_save_is_done(
    make: Callable[..., tuple[TrainingController, Heard]], fake_clock: FakeClock, qtbot: QtBot
) -> None:
    controller, heard = make(FakeStore())
    controller.start(squat_plan(reps=1, sets=1), load=None, load_unit=LoadUnit.KG)
    run(controller, fake_clock, 6.0)
    controller.finish(None, "")
    assert controller.saved_message == "" and heard.messages[-1] == "Saving…"
    qtbot.waitUntil(lambda: heard.messages[-1].startswith("Saved: Eccentric barbell squat"))


class FullDisk(FakeStore):
    def save_session(self, record: SessionRecord) -> None:
        raise OSError("No space left on device")


def test_a_failed_save_keeps_the_session_as_the_checkpoint_and_never_says_saved(
    make: Callable[..., tuple[TrainingController, Heard]], fake_clock: FakeClock, qtbot: QtBot
) -> None:
    store = FullDisk()
    controller, heard = make(store)
    controller.start(squat_plan(reps=2, sets=1), load=None, load_unit=LoadUnit.KG)
    run(controller, fake_clock, 11.0)
    controller.finish(6, "heavy")
    assert controller.writer.wait_idle()
    qtbot.waitUntil(lambda: bool(heard.notices))
    assert "No space left on device" in heard.notices[-1]
    assert controller.saved_message.startswith("Not saved")
    assert not any(m.startswith("Saved") for m in heard.messages)
    pending = store.pending_checkpoint()
    assert pending is not None, "the checkpoint was not cleared"
    assert (pending.rpe, pending.note, len(pending.sets)) == (6, "heavy", 1)
    assert not pending.finished


def interrupted_record(
    make: Callable[..., tuple[TrainingController, Heard]], clock: FakeClock
) -> SessionRecord:
    """Two sets of two squats planned; the app died after set 1."""
    store = FakeStore()
    controller, _ = make(store)
    controller.start(squat_plan(), load=60.0, load_unit=LoadUnit.KG)
    run(controller, clock, 12.0)
    assert controller.writer.wait_idle()
    controller.runner.shutdown()  # no final save: as if the process died
    pending = store.pending_checkpoint()
    assert pending is not None and len(pending.sets) == 1
    return pending


def test_an_interrupted_session_is_offered_with_what_can_be_done(
    make: Callable[..., tuple[TrainingController, Heard]], fake_clock: FakeClock
) -> None:
    pending = interrupted_record(make, fake_clock)
    controller, heard = make(FakeStore(pending=pending))
    offer = controller.check_interrupted()
    assert offer is not None and heard.offers == [offer]
    assert [key for key, _ in offer.answers] == ["continue", "save", "discard"]
    assert "after 1 set and 2 reps" in offer.text
    # A plan with no sets left, or an exercise that no longer exists: no "continue".
    done = replace(pending, planned=replace(pending.planned, sets=1))  # type: ignore[type-var]
    other, _ = make(FakeStore(pending=done))
    assert [k for k, _ in other.check_interrupted().answers] == ["save", "discard"]  # type: ignore[union-attr]
    gone = replace(pending, exercise_id="deleted")
    third, _ = make(FakeStore(pending=gone))
    assert [k for k, _ in third.check_interrupted().answers] == ["save", "discard"]  # type: ignore[union-attr]


@pytest.mark.parametrize("answer", ["save", "discard", None])
def test_saving_discarding_or_leaving_the_interrupted_session(
    make: Callable[..., tuple[TrainingController, Heard]], fake_clock: FakeClock, answer: str | None
) -> None:
    pending = interrupted_record(make, fake_clock)
    store = FakeStore(pending=pending)
    controller, _ = make(store)
    offer = controller.check_interrupted()
    assert offer is not None
    controller.answer_interrupted(offer, answer)
    assert controller.writer.wait_idle()
    if answer == "save":
        assert store.sessions == [replace(pending, finished=True)]
        assert store.pending_checkpoint() is None
    elif answer == "discard":
        assert store.sessions == [] and store.pending_checkpoint() is None
    else:
        assert store.sessions == [] and store.pending_checkpoint() == pending


def test_continuing_an_interrupted_session_keeps_one_record(
    make: Callable[..., tuple[TrainingController, Heard]], fake_clock: FakeClock
) -> None:
    pending = interrupted_record(make, fake_clock)
    store = FakeStore(pending=pending)
    controller, heard = make(store)
    offer = controller.check_interrupted()
    assert offer is not None
    controller.answer_interrupted(offer, "continue")
    (ready,) = heard.resumes
    assert ready.exercise is SQUAT
    assert (ready.values.sets, ready.values.reps, ready.values.load) == (1, 2, 60.0)
    controller.start(squat_plan(sets=1), load=60.0, load_unit=LoadUnit.KG)
    run(controller, fake_clock, 12.0)
    (request,) = heard.finishes
    controller.finish(None, "")
    assert controller.writer.wait_idle()
    (saved,) = store.sessions
    assert saved.session_id == pending.session_id and saved.started_at == pending.started_at
    assert saved.sets[0] == pending.sets[0]
    assert [s.set_number for s in saved.sets] == [1, 2]
    assert saved.planned == pending.planned, "the same plan: two sets"
    assert request.record.sets == saved.sets


def test_starting_another_exercise_saves_the_interrupted_one_as_it_was(
    make: Callable[..., tuple[TrainingController, Heard]], fake_clock: FakeClock
) -> None:
    pending = interrupted_record(make, fake_clock)
    store = FakeStore(pending=pending)
    controller, _ = make(store)
    controller.prepare_resume(pending)
    row = SetPlan.from_exercise(BY_ID["cable-row"])
    controller.start(row, load=None, load_unit=LoadUnit.KG)
    assert controller.writer.wait_idle()
    assert store.sessions == [replace(pending, finished=True)]
    assert controller.record() is not None
    assert controller.record().session_id != pending.session_id  # type: ignore[union-attr]
    controller.runner.stop()


def test_a_read_only_store_keeps_no_checkpoint_and_says_so(
    make: Callable[..., tuple[TrainingController, Heard]], fake_clock: FakeClock
) -> None:
    store = FakeStore(read_only_reason="another Tempo Coach (pid 9) is running")
    controller, heard = make(store)
    assert "pid 9" in controller.store_notices()[0]
    assert controller.check_interrupted() is None
    controller.start(squat_plan(reps=1, sets=1), load=None, load_unit=LoadUnit.KG)
    assert "will not be saved" in heard.messages[-1]
    run(controller, fake_clock, 6.0)
    controller.finish(None, "")
    assert controller.writer.wait_idle()
    assert store.checkpoints == [] and store.sessions == [] and store.writes == 0
    assert controller.saved_message == "Not saved: the data folder is read-only."


def test_stopping_before_the_first_rep_saves_nothing(
    make: Callable[..., tuple[TrainingController, Heard]], fake_clock: FakeClock
) -> None:
    store = FakeStore(pending=None)
    controller, heard = make(store)
    controller.start(squat_plan(), load=None, load_unit=LoadUnit.KG)
    run(controller, fake_clock, 2.0)
    controller.runner.stop()
    assert controller.writer.wait_idle()
    assert heard.finishes == [] and store.sessions == []
    assert "nothing to save" in heard.messages[-1]
    assert heard.running == [True, False]


def test_closing_mid_session_saves_what_was_done(
    make: Callable[..., tuple[TrainingController, Heard]], fake_clock: FakeClock
) -> None:
    store = FakeStore()
    controller, _ = make(store)
    controller.start(squat_plan(reps=3, sets=1), load=None, load_unit=LoadUnit.KG)
    run(controller, fake_clock, 11.0)  # two reps done
    controller.close()
    (saved,) = store.sessions
    assert saved.finished and saved.sets[0].reps_done == 2 and saved.sets[0].ended_early
    assert store.pending_checkpoint() is None


def test_new_sound_preferences_make_a_new_output_when_idle(
    make: Callable[..., tuple[TrainingController, Heard]], fake_clock: FakeClock
) -> None:
    made: list[Preferences] = []

    def factory(preferences: Preferences) -> FakeOutput:
        made.append(preferences)
        return FakeOutput(fake_clock)

    store = FakeStore()
    controller, _ = make(store, factory=factory)
    controller.ensure_output()
    controller.apply_preferences(controller.preferences.with_values(theme="dark"))
    assert len(made) == 1, "a theme is not a sound setting"
    controller.apply_preferences(controller.preferences.with_values(volume=0.3))
    assert len(made) == 2 and made[-1].volume == 0.3
    # During a session the new output waits for the end.
    controller.start(squat_plan(reps=1, sets=1), load=None, load_unit=LoadUnit.KG)
    controller.apply_preferences(controller.preferences.with_values(cue_counts=False))
    assert len(made) == 2
    run(controller, fake_clock, 6.0)
    controller.finish(None, "")
    assert len(made) == 3 and not made[-1].cue_counts
    assert controller.writer.wait_idle()
    assert store.load_preferences().cue_counts is False


def test_a_broken_output_factory_leaves_a_visual_timer(
    make: Callable[..., tuple[TrainingController, Heard]],
) -> None:
    def broken(_preferences: Preferences) -> FakeOutput:
        raise RuntimeError("no sound card")

    controller, _ = make(FakeStore(), factory=broken)
    output = controller.ensure_output()
    assert output.name == "silent" and "no sound card" in output.status_text


def test_status_messages_are_small_frozen_values() -> None:
    message = StatusMessage("x", 5)
    with pytest.raises(AttributeError):
        message.text = "y"  # type: ignore[misc]


def test_custom_exercises_that_cannot_be_read_are_a_notice(
    make: Callable[..., tuple[TrainingController, Heard]],
) -> None:
    class Broken(FakeStore):
        def custom_exercises(self) -> list[Exercise]:
            raise OSError("permission denied")

    controller, heard = make(Broken())
    assert controller.custom_exercises() == []
    assert "permission denied" in heard.notices[-1]
