"""tempo_coach/cli/terminal.py: text from elsewhere is printed escaped, on one line, cut."""

from __future__ import annotations

import os

import pytest

from tempo_coach.cli.terminal import MESSAGE_CHARACTERS, one_line, printable, shown


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("felt strong", "felt strong"),
        ("Kniebeuge, schön 😀", "Kniebeuge, schön 😀"),  # printable text stays as it is
        ("\x1b[2J\x1b[31mred", "\\x1b[2J\\x1b[31mred"),  # clear screen, colour
        ("a\nb\rc\td", "a\\nb\\rc\\td"),
        ("bell\x07 del\x7f c1\x9b", "bell\\x07 del\\x7f c1\\x9b"),
        ("evil\u202eexe.txt", "evil\\u202eexe.txt"),  # right-to-left override
        ("line\u2028sep", "line\\u2028sep"),
        (os.fsdecode(b"bad\xff"), "bad\\udcff"),  # not UTF-8: a lone surrogate
    ],
)
def test_printable_escapes_what_a_terminal_would_act_on(text: str, expected: str) -> None:
    assert printable(text) == expected
    printable(text).encode("utf-8")  # always encodable


def test_shown_quotes_escapes_and_cuts_a_long_value() -> None:
    assert shown("squat") == "'squat'"
    assert shown("\x1b[31m") == "'\\x1b[31m'"
    long = shown("9" * 100_000)
    assert long.startswith("'999") and long.endswith("…' (100,000 characters)")
    assert len(long) < 100


def test_one_line_cuts_every_long_value_and_keeps_one_line() -> None:
    message = (
        f"argument --count: invalid choice: {'x' * 100_000!r} (choose from 'up', 'down') "
        f"unrecognized arguments: {'y' * 100_000} and\nmore"
    )
    line = one_line(message)
    assert "\n" not in line and len(line) <= MESSAGE_CHARACTERS + 10
    assert "(choose from 'up', 'down')" in line
    assert "(100,000 characters)" in line


def test_one_line_leaves_an_ordinary_message_and_path_alone() -> None:
    message = "cannot use the data folder /tmp/pytest-of-root/pytest-1/test_0/data: Not a folder"
    assert one_line(message) == message
