"""Sessions are ordered by the instant they started, not by the text of their local time:
the night clocks go back, and a session saved abroad (issue 12)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from tempo_coach.core.instants import UNDATED, instant_of
from tempo_coach.store import Store
from tests.store.conftest import make_session

# 25 October 2026, Central Europe: 03:00 summer time becomes 02:00 winter time. The second
# session starts 40 minutes after the first, but its text sorts first.
BEFORE_FALL_BACK = make_session("first", "2026-10-25T02:30:00+02:00", sets=2, load=50.0)
AFTER_FALL_BACK = make_session("second", "2026-10-25T02:10:00+01:00", sets=1, load=55.0)


@pytest.fixture
def berlin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_instant_of_a_time_with_an_offset() -> None:
    later = instant_of("2026-10-25T02:10:00+01:00") - instant_of("2026-10-25T02:30:00+02:00")
    assert later == timedelta(minutes=40)
    assert instant_of("2026-10-25T00:30:00Z") == instant_of("2026-10-25T02:30:00+02:00")
    assert instant_of("2026-10-25T00:30:00.250+00:00") == instant_of(
        "2026-10-25T00:30:00Z"
    ) + timedelta(milliseconds=250)
    assert UNDATED < instant_of("0001-01-01T00:30:00+23:00") < instant_of("2026-01-01")


def test_a_time_without_an_offset_is_local_time_and_text_that_is_no_date_comes_first(
    berlin: None,
) -> None:
    assert instant_of("2026-03-14T18:00:00") == instant_of("2026-03-14T18:00:00+01:00")
    assert instant_of("2026-07-14T18:00:00") == instant_of("2026-07-14T18:00:00+02:00")
    # The hour that repeats: its first occurrence (summer time).
    assert instant_of("2026-10-25T02:30:00") == instant_of("2026-10-25T02:30:00+02:00")
    for text in ("", "yesterday", "2026-13-45T10:00:00+01:00", "2026-10-25 at 02:30"):
        assert instant_of(text) == UNDATED


@pytest.mark.parametrize("saved_first", ["before", "after"])
def test_every_order_follows_the_instant_across_a_fall_back(
    saved_first: str, store_dir: Path
) -> None:
    pair = [BEFORE_FALL_BACK, AFTER_FALL_BACK]
    with Store.open(store_dir) as store:
        for session in pair if saved_first == "before" else reversed(pair):
            store.save_session(session)
        store.save_session(make_session("next-day", "2026-10-26T08:00:00+01:00", exercise_id="x"))
        _assert_in_time_order(store)
    with Store.open(store_dir) as store:  # from the index
        _assert_in_time_order(store)
    (store_dir / "history" / "index.json").unlink()
    with Store.open(store_dir) as store:  # from the month file alone
        _assert_in_time_order(store)


def _assert_in_time_order(store: Store) -> None:
    assert [s.session_id for s in store.summaries()] == ["first", "second", "next-day"]
    assert [s.session_id for s in store.history()] == ["first", "second", "next-day"]
    last = store.last_used("barbell-squat")
    assert last is not None and last.load == 55.0  # the later one, shown in local time
    assert store.summaries()[1].started_at == "2026-10-25T02:10:00+01:00"


def test_a_session_saved_abroad_sorts_by_when_it_happened(store_dir: Path) -> None:
    with Store.open(store_dir) as store:
        # 09:00 in New York is 15:00 in Berlin: after the 14:00 session at home.
        store.save_session(make_session("new-york", "2026-05-04T09:00:00-04:00"))
        store.save_session(make_session("home", "2026-05-04T14:00:00+02:00"))
        store.save_session(make_session("undated", "not a date"))
        assert [s.session_id for s in store.summaries()] == ["undated", "home", "new-york"]
        assert [s.session_id for s in store.history()] == ["undated", "home", "new-york"]
