"""The store-fault matrix (tests/store/fault_matrix.py), a fixed sample of it: each data file
made bad in each way; the store opens, says so, keeps what it could not read, loses nothing
readable and raises nothing but StoreError. ``python -m bench store_faults`` runs every case
(each variant) and prints the table of docs/STORE.md."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.store.fault_matrix import (
    FAULTS,
    NEEDS_NOT_ROOT,
    TARGETS,
    Case,
    applicable,
    run_case,
    run_unprivileged,
    unprivileged_reason,
)

# Every file with every fault, as the writer; then a few as a second instance (which must
# leave everything alone) and without a .bak.
SAMPLE = [Case(t, f) for t in TARGETS for f in FAULTS if f not in NEEDS_NOT_ROOT] + [
    Case("month", "FIFO", "second instance"),
    Case("index", "symlink to another file", "second instance"),
    Case("preferences", "truncated", "second instance"),
    Case("checkpoint", "directory", "writer, no .bak"),
    Case("month", "symlink to a store file outside", "writer, no .bak"),
    Case("exercises", "random bytes", "writer, no .bak"),
]


@pytest.mark.parametrize("case", SAMPLE, ids=lambda case: case.name)
def test_a_bad_file_is_reported_kept_and_costs_nothing_else(case: Case, tmp_path: Path) -> None:
    why_not = applicable(case)
    if why_not is not None:
        pytest.skip(why_not)
    result = run_case(case, tmp_path)
    assert result.survived, result.notes


@pytest.mark.slow
def test_a_file_that_cannot_be_read_is_reported_and_never_written_over() -> None:
    """Permission denied, for each file: as ``nobody`` in a child process when the tests run
    as root (root reads any file), in a child of this user otherwise."""
    if os.name == "nt":
        pytest.skip("permissions are not POSIX modes on Windows")
    why_not = unprivileged_reason()
    if why_not is not None:
        pytest.skip(f"cannot run as an unprivileged user: {why_not}")
    cases = [Case(t, "no permission") for t in TARGETS]
    cases.append(Case("month", "no permission", "second instance"))
    for result in run_unprivileged(cases):
        assert result.survived, (result.case, result.notes)
        assert not any(n.startswith("not applicable") for n in result.notes), result.notes
