"""``tempo-coach history`` (the table) reads the session summaries of the index, not the
month files (issue 15 item 5): a real subprocess on a real data folder."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from tempo_coach.core.records import LoadUnit
from tempo_coach.store import Store
from tests.conftest import run_cli as cli
from tests.store.conftest import make_coached_session, make_session


def _age_months(data_dir: Path) -> None:
    """Make the month files older than the index (as they are a moment after a save on a
    real machine), then let a store write the index that trusts them."""
    for path in (data_dir / "history").glob("20*.json"):
        status = path.stat()
        os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns - 10**9))
    with Store.open(data_dir):
        pass


def _unreadable_but_same_stamp(path: Path) -> None:
    """Garbage of the same size, with the same modification time: only a reader that
    decodes the file notices."""
    status = path.stat()
    path.write_bytes(b"#" * status.st_size)
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))


def test_the_table_decodes_no_month_the_index_describes(
    data_dir: Path, cli_env: dict[str, str]
) -> None:
    with Store.open(data_dir) as store:
        store.save_session(make_session("march", "2026-03-01T10:00:00+01:00"))
        store.save_session(make_session("april", "2026-04-02T10:00:00+02:00", sets=3))
    _age_months(data_dir)
    before = cli("history", env=cli_env)
    assert before.returncode == 0 and before.stderr == ""
    for month in ("2026-03", "2026-04"):
        _unreadable_but_same_stamp(data_dir / "history" / f"{month}.json")
    result = cli("history", env=cli_env)
    assert result.returncode == 0 and result.stderr == ""  # no month was read
    assert result.stdout == before.stdout
    assert len(result.stdout.splitlines()) == 4  # header, two sessions, legend
    # The CSV needs every set, so it reads the months, and says what it found there.
    csv = cli("history", "--format", "csv", env=cli_env)
    assert csv.returncode == 0
    assert "2026-03.json" in csv.stderr and "2026-04.json" in csv.stderr


def test_the_per_set_columns_come_from_the_summaries(
    data_dir: Path, cli_env: dict[str, str]
) -> None:
    session = make_session("mixed", "2026-03-01T10:00:00+01:00", sets=3)
    sets = list(session.sets)
    sets[1] = replace(sets[1], load=130.0, load_unit=LoadUnit.LB)
    sets[2] = replace(sets[2], ended_early=True, reps=sets[2].reps[:2], tempo_used="5-1-1-0")
    coached = make_coached_session("coached", "2026-03-02T18:00:00+01:00")
    with Store.open(data_dir) as store:
        store.save_session(replace(session, sets=tuple(sets)))
        store.save_session(coached)
    _age_months(data_dir)
    lines = cli("history", env=cli_env).stdout.splitlines()
    mixed, tapped = lines[1], lines[2]
    assert " 3 3 2* " in mixed
    assert "3-1-1-0, 4-1-1-0, 5-1-1-0" in mixed
    assert "130 lb, 60 kg" in mixed
    assert tapped.startswith("2026-03-02 18:00  Nordic curl") and " 5 3 " in tapped
    # TUT: the reset of the negative-only set is not time under tension (3 x 5 s, not 7 s).
    assert " 0:45 " in tapped  # 5 x 6 s + 3 x 5 s


# What `tempo-coach history` imports, printed after the table (issue 15 item 5: ten years in
# 2x the time of `--version`). The records' dataclasses cost 8 ms at every start (Python
# generates their methods anew each time), the session codec and the backup more.
IMPORT_PROBE = """
import contextlib, io, sys
from tempo_coach.cli import main
with contextlib.redirect_stdout(io.StringIO()) as table:
    main(sys.argv[1:])
print(len(table.getvalue().splitlines()))
print(",".join(sorted(sys.modules)))
"""
NOT_FOR_THE_TABLE = {
    "tempo_coach.core.records",
    "tempo_coach.store.codec",
    "tempo_coach.store.reps",
    "tempo_coach.store.backup",
    "tempo_coach.store.export",
    "numpy",
    "PySide6",
}


def _imports_of_the_table(env: dict[str, str]) -> tuple[int, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_PROBE, "history"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr
    lines, modules = done.stdout.splitlines()
    return int(lines), set(modules.split(","))


def test_the_table_imports_no_record_or_session_codec_while_the_index_is_current(
    data_dir: Path, cli_env: dict[str, str]
) -> None:
    with Store.open(data_dir) as store:
        store.save_session(make_session("march", "2026-03-01T10:00:00+01:00"))
        store.save_session(make_coached_session("april", "2026-04-02T10:00:00+02:00"))
    _age_months(data_dir)
    lines, modules = _imports_of_the_table(cli_env)
    assert lines == 4  # header, two sessions, legend
    assert "tempo_coach.core.summary" in modules
    assert modules & NOT_FOR_THE_TABLE == set()
    # A month the index does not describe is decoded, which needs the session codec: the
    # probe sees the difference.
    (data_dir / "history" / "2026-03.json").touch()
    lines, modules = _imports_of_the_table(cli_env)
    assert lines == 4
    assert {"tempo_coach.core.records", "tempo_coach.store.codec"} <= modules


def test_a_load_of_minus_zero_is_listed_as_0(data_dir: Path, cli_env: dict[str, str]) -> None:
    """`tempo-coach play --load -0` once saved -0.0, which "{:g}" writes "-0"."""
    from tempo_coach.core.report import load_text
    from tempo_coach.ui.history.model import _load

    with Store.open(data_dir) as store:
        store.save_session(make_session("minus", "2026-03-01T10:00:00+01:00", sets=1, load=-0.0))
        [summary] = store.summaries()
    table = cli("history", env=cli_env).stdout
    assert " 0 kg " in table and "-0 kg" not in table
    assert load_text(-0.0, "kg") == "0 kg"
    assert _load(summary) == "0 kg"
