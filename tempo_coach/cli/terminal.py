"""What the commands print about text they did not write: a session's note, an exercise's
name, a value typed on the command line.

Such text may hold control characters: an escape sequence in a note would recolour, move or
clear the terminal, a line break would split a table row or an error message in two, and a
value that is not valid UTF-8 arrives as lone surrogates that ``print`` cannot encode. So it
is shown escaped (``\\x1b``, ``\\n``, ``\\u202e``), as Python's ``repr`` would show it. A
value typed on the command line may also be 100 KB long: an error message shows its start
and its length, never all of it.

``main()`` passes every error message through ``one_line`` as well, so that a message built
elsewhere (the core's, argparse's) is held to the same rule: one line, escaped, cut.
"""

from __future__ import annotations

import re
import unicodedata

#: How much of a value typed on the command line an error message repeats.
SHOWN_CHARACTERS = 60
#: How much of a value ``one_line`` leaves in a message built elsewhere: long enough for any
#: path a user really has, short of a value that fills the screen.
QUOTED_CHARACTERS = 200
#: The longest error message ``one_line`` lets through (the values in it already cut).
MESSAGE_CHARACTERS = 600

# Cc: C0 and C1 controls (ESC, CR, DEL, ...); Cf: format characters (right-to-left
# overrides); Zl/Zp: the line and paragraph separators; Cs: lone surrogates (bytes that were
# not UTF-8); Co/Cn: private and unassigned code points, which a terminal may draw as anything.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})
# A value quoted by repr() in a message (argparse's "invalid choice: 'xxx'", the core's).
_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_LONG_WORD = re.compile(rf"\S{{{QUOTED_CHARACTERS + 1},}}")


def _escape(character: str) -> str:
    code = ord(character)
    if character in "\t\n\r":
        return {"\t": "\\t", "\n": "\\n", "\r": "\\r"}[character]
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def printable(text: str) -> str:
    """``text`` with every character a terminal would act on (or could not encode) written
    as its escape; everything else, accents and all, as it is."""
    if text.isprintable() and text.isascii():
        return text
    return "".join(
        _escape(ch) if unicodedata.category(ch) in _UNSAFE_CATEGORIES else ch for ch in text
    )


def shown(value: str, limit: int = SHOWN_CHARACTERS) -> str:
    """A value typed on the command line, quoted for an error message: escaped, and cut
    after ``limit`` characters with its length said."""
    if len(value) <= limit:
        return repr(value) if value.isprintable() else f"'{printable(value)}'"
    return f"'{printable(value[:limit])}…' ({len(value):,} characters)"


def _cut_quoted(match: re.Match[str]) -> str:
    quoted = match.group(0)
    if len(quoted) <= QUOTED_CHARACTERS + 2:
        return quoted
    return f"{quoted[: SHOWN_CHARACTERS + 1]}…{quoted[0]} ({len(quoted) - 2:,} characters)"


def _cut_word(match: re.Match[str]) -> str:
    word = match.group(0)
    return f"{word[:SHOWN_CHARACTERS]}… ({len(word):,} characters)"


def one_line(message: str) -> str:
    """An error message made safe to print: one line, escaped, every long value in it cut,
    and at most ``MESSAGE_CHARACTERS`` long."""
    text = printable(message)
    text = _QUOTED.sub(_cut_quoted, text)
    text = _LONG_WORD.sub(_cut_word, text)
    if len(text) > MESSAGE_CHARACTERS:
        half = MESSAGE_CHARACTERS // 2
        text = f"{text[:half]} … {text[-half:]}"
    return text
