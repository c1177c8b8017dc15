"""The keys of a session, and what presentation clickers send.

One table maps keys to actions; the window applies it before any widget sees the key, so no
text field can swallow Space. Clickers send PageUp/PageDown (some send Up/Down), and a
numeric keypad sends +/-, so all of them change the lowering count.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Qt


class KeyAction(str, Enum):
    START_PAUSE = "start_pause"
    LONGER = "longer"  # lowering count +1 s
    SHORTER = "shorter"  # lowering count -1 s
    SKIP_REST = "skip_rest"
    END_SET = "end_set"
    STOP = "stop"
    GYM_MODE = "gym_mode"


Key = Qt.Key

KEY_ACTIONS: dict[Qt.Key, KeyAction] = {
    Key.Key_Space: KeyAction.START_PAUSE,
    Key.Key_Up: KeyAction.LONGER,
    Key.Key_Plus: KeyAction.LONGER,
    Key.Key_Equal: KeyAction.LONGER,  # the unshifted '+' key on many layouts
    Key.Key_PageUp: KeyAction.LONGER,
    Key.Key_Down: KeyAction.SHORTER,
    Key.Key_Minus: KeyAction.SHORTER,
    Key.Key_PageDown: KeyAction.SHORTER,
    Key.Key_S: KeyAction.SKIP_REST,
    Key.Key_Return: KeyAction.END_SET,
    Key.Key_Enter: KeyAction.END_SET,
    Key.Key_Escape: KeyAction.STOP,
    Key.Key_F11: KeyAction.GYM_MODE,
}

# Keys that work while no session runs, wherever the focus is.
IDLE_ANYWHERE = {Key.Key_Space, Key.Key_F11, Key.Key_PageUp, Key.Key_PageDown, Key.Key_Escape}
# Keys that work while no session runs, unless the focus is in a field that uses them.
IDLE_OUTSIDE_FIELDS = {Key.Key_Plus, Key.Key_Minus, Key.Key_Equal}

# Shift is allowed ('+' is Shift+'=' on many layouts); the keypad too. Ctrl or Alt means the
# key is meant for something else (a menu shortcut).
_ALLOWED = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier


def action_for(key: int, modifiers: Qt.KeyboardModifier) -> KeyAction | None:
    if modifiers & ~_ALLOWED:
        return None
    try:
        return KEY_ACTIONS.get(Qt.Key(key))
    except ValueError:
        return None


KEYS_HELP: tuple[tuple[str, str], ...] = (
    ("Space", "start, pause, resume"),
    ("Up, +, Page Up", "lowering count one second longer"),
    ("Down, -, Page Down", "lowering count one second shorter"),
    ("S", "skip the rest"),
    ("Enter", "end the set now"),
    ("Esc", "stop the session (asks first)"),
    ("F11", "gym mode: full screen, high contrast"),
)
