"""The actions of a session, declared once: keys, menu entry, button, help line.

One table (``ACTIONS``) says, for each action, which keys perform it (and whether a key works
while no session runs), the menu entry, the big button's label and the line in the keys help.
The window builds its key filter, its menus, its buttons and its help dialog from it, so a key
shown in the menu is a key that works. The window applies the keys before any widget sees
them, so no text field can swallow Space. Clickers send PageUp/PageDown (some send Up/Down),
and a numeric keypad sends +/-, so all of them change the lowering count.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    ACCEPT_ADVICE = "accept_advice"  # take the coach's suggested plan into the set-up
    TAP = "tap"  # tap mode: the lowering ended (its key is a preference: ``TAP_KEYS``)


class Idle(Enum):
    """Whether a key acts while no session runs (in a session every key acts)."""

    ANYWHERE = "anywhere"  # wherever the focus is
    OUTSIDE_FIELDS = "outside_fields"  # unless a text or number field has the focus
    NEVER = "never"  # it is the focused widget's (Up/Down move in the list)


@dataclass(frozen=True)
class Binding:
    key: Qt.Key
    idle: Idle


@dataclass(frozen=True)
class ActionSpec:
    action: KeyAction
    bindings: tuple[Binding, ...]
    key_names: str  # for the help: "Up, +, Page Up"
    menu: str  # "Session" or "View": the menu the entry goes in
    menu_text: str  # the entry, with the main key after a tab
    help: str  # what it does, for the help dialog and the screen reader
    button: str = ""  # the big button's label ("" for none); the main key is added
    button_key: str = ""  # the key shown on the button


Key = Qt.Key
_ANY, _OUT, _NEVER = Idle.ANYWHERE, Idle.OUTSIDE_FIELDS, Idle.NEVER

ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        KeyAction.START_PAUSE,
        (Binding(Key.Key_Space, _ANY),),
        "Space",
        "Session",
        "Start / pause\tSpace",
        "start, pause, resume",
        "Pause",
        "Space",
    ),
    ActionSpec(
        KeyAction.SHORTER,
        (
            Binding(Key.Key_Down, _NEVER),
            Binding(Key.Key_Minus, _OUT),
            Binding(Key.Key_PageDown, _ANY),
        ),
        "Down, -, Page Down",
        "Session",
        "Lowering −1 s\tDown",
        "lowering count one second shorter",
        "Lower −1 s",
        "↓",
    ),
    ActionSpec(
        KeyAction.LONGER,
        (
            Binding(Key.Key_Up, _NEVER),
            Binding(Key.Key_Plus, _OUT),
            Binding(Key.Key_Equal, _OUT),  # the unshifted '+' key on many layouts
            Binding(Key.Key_PageUp, _ANY),
        ),
        "Up, +, Page Up",
        "Session",
        "Lowering +1 s\tUp",
        "lowering count one second longer",
        "Lower +1 s",
        "↑",
    ),
    ActionSpec(
        KeyAction.SKIP_REST,
        (Binding(Key.Key_S, _NEVER),),
        "S",
        "Session",
        "Skip rest\tS",
        "skip the rest",
        "Skip rest",
        "S",
    ),
    ActionSpec(
        KeyAction.END_SET,
        (Binding(Key.Key_Return, _NEVER), Binding(Key.Key_Enter, _NEVER)),
        "Enter",
        "Session",
        "End set\tEnter",
        "end the set now",
        "End set",
        "Enter",
    ),
    ActionSpec(
        KeyAction.STOP,
        (Binding(Key.Key_Escape, _ANY),),
        "Esc",
        "Session",
        "Stop\tEsc",
        "stop the session (asks first)",
        "Stop",
        "Esc",
    ),
    ActionSpec(
        KeyAction.ACCEPT_ADVICE,
        (Binding(Key.Key_A, _OUT),),
        "A",
        "Session",
        "Take the suggestion\tA",
        "before a session: take the suggested plan into the set-up",
    ),
    ActionSpec(
        KeyAction.TAP,
        (),  # the key is the preference ``tap_key`` (``TAP_KEYS``), bound while tapping
        "B (or the tap key chosen in Preferences)",
        "Session",
        "Tap: lowering ended\tB",
        "in tap mode: the lowering has ended (times it against the count)",
    ),
    ActionSpec(
        KeyAction.GYM_MODE,
        (Binding(Key.Key_F11, _ANY),),
        "F11",
        "View",
        "Gym mode\tF11",
        "gym mode: full screen, high contrast",
    ),
)

SPECS: dict[KeyAction, ActionSpec] = {spec.action: spec for spec in ACTIONS}
#: The choices of the ``tap_key`` preference and their keys. B and '.' are the "blank
#: screen" key of most presentation clickers; foot pedals can be set to send any of them.
TAP_KEYS: dict[str, Qt.Key] = {
    "B": Qt.Key.Key_B,
    "Period": Qt.Key.Key_Period,
    "T": Qt.Key.Key_T,
    "F9": Qt.Key.Key_F9,
    "F12": Qt.Key.Key_F12,
}
_BINDINGS: dict[Qt.Key, tuple[KeyAction, Idle]] = {
    b.key: (spec.action, b.idle) for spec in ACTIONS for b in spec.bindings
}

# Shift is allowed ('+' is Shift+'=' on many layouts); the keypad too. Ctrl or Alt means the
# key is meant for something else (a menu shortcut).
_ALLOWED = Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier


def binding_for(
    key: int, modifiers: Qt.KeyboardModifier, tap_key: Qt.Key | None = None
) -> tuple[KeyAction, Idle] | None:
    """The action a key press means, and when it acts; None for any other key. ``tap_key``
    is the tap key while tap mode is on (it acts in a session only)."""
    if modifiers & ~_ALLOWED:
        return None
    try:
        pressed = Qt.Key(key)
    except ValueError:
        return None
    if tap_key is not None and pressed == tap_key:
        return KeyAction.TAP, Idle.NEVER
    return _BINDINGS.get(pressed)


def action_for(key: int, modifiers: Qt.KeyboardModifier) -> KeyAction | None:
    found = binding_for(key, modifiers)
    return found[0] if found is not None else None


def button_text(spec: ActionSpec, label: str | None = None) -> str:
    """A big button's text: its label (or ``label``), and under it its key: "Pause\n(Space)".
    Two lines keep six big buttons within a 1024-pixel screen."""
    return f"{label or spec.button}\n({spec.button_key})"


def keys_help() -> str:
    """The help dialog's text: one line per action."""
    return "\n".join(f"{spec.key_names}: {spec.help}" for spec in ACTIONS)
