"""Small texts the window shows: counts with their word, durations."""

from __future__ import annotations


def count_text(n: int, word: str) -> str:
    """ "1 rep", "2 reps"."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def duration_text(ms: int) -> str:
    """ "45 s", "2 min 05 s"."""
    seconds = round(ms / 1000)
    if seconds < 60:
        return f"{seconds} s"
    return f"{seconds // 60} min {seconds % 60:02d} s"
