"""How the window looks: each phase's word and colours, the stage, the themes, the notice.

Colour is never the only carrier of meaning: every phase also has its word in capitals.
The colours are chosen to stay apart for the common colour-vision deficiencies (blue,
orange, green-yellow and grey differ in lightness too), and the text on each band is black
or white, whichever has the higher contrast.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette

from tempo_coach.core.tempo import Phase


@dataclass(frozen=True)
class PhaseLook:
    word: str  # shown in capitals, large and bold
    colour: str  # band and progress colour
    text_colour: str  # text on the band


PHASE_LOOKS: dict[Phase, PhaseLook] = {
    Phase.COUNT_IN: PhaseLook("GET READY", "#f2b705", "#000000"),
    Phase.ECCENTRIC: PhaseLook("LOWER", "#1f6fd1", "#ffffff"),
    Phase.PAUSE_AFTER_ECCENTRIC: PhaseLook("HOLD", "#d9d9d9", "#000000"),
    Phase.CONCENTRIC: PhaseLook("LIFT", "#f28c28", "#000000"),
    Phase.PAUSE_AFTER_CONCENTRIC: PhaseLook("HOLD", "#d9d9d9", "#000000"),
    Phase.REST: PhaseLook("REST", "#2e9e5b", "#000000"),
    Phase.RESET: PhaseLook("RESET", "#8e6bbf", "#ffffff"),
}

IDLE_LOOK = PhaseLook("READY", "#3a3f47", "#ffffff")
PAUSED_LOOK = PhaseLook("PAUSED", "#7a7a7a", "#ffffff")
DONE_LOOK = PhaseLook("DONE", "#3a3f47", "#ffffff")

# The stage behind the rep timer: dark, so the band and the count stand out from afar.
STAGE_BACKGROUND = "#16181c"
STAGE_TEXT = "#f5f5f5"
STAGE_MUTED = "#b8bec8"
GYM_BACKGROUND = "#000000"
GYM_TEXT = "#ffffff"
GYM_MUTED = "#ffe600"  # high contrast: yellow on black

# The notice banner above the tabs (a damaged file, a read-only folder, a lost device).
BANNER_STYLE = (
    "QLabel { background: #fff3c4; color: #000; padding: 8px; "
    "border: 2px solid #b58900; font-weight: bold; }"
)

_Role = QPalette.ColorRole
THEMES: dict[str, dict[QPalette.ColorRole, str]] = {
    "dark": {
        _Role.Window: "#202327",
        _Role.WindowText: "#f0f0f0",
        _Role.Base: "#16181c",
        _Role.AlternateBase: "#2a2e34",
        _Role.Text: "#f0f0f0",
        _Role.Button: "#2f343b",
        _Role.ButtonText: "#f0f0f0",
        _Role.Highlight: "#1f6fd1",
        _Role.HighlightedText: "#ffffff",
        _Role.ToolTipBase: "#2f343b",
        _Role.ToolTipText: "#f0f0f0",
        _Role.PlaceholderText: "#9aa0a6",
    },
    "light": {
        _Role.Window: "#f4f4f4",
        _Role.WindowText: "#111111",
        _Role.Base: "#ffffff",
        _Role.Text: "#111111",
        _Role.Button: "#e8e8e8",
        _Role.ButtonText: "#111111",
        _Role.Highlight: "#1f6fd1",
        _Role.HighlightedText: "#ffffff",
    },
}


def theme_palette(theme: str) -> QPalette:
    """The palette of a theme preference ("system": Qt's own)."""
    palette = QPalette()
    for role, colour in THEMES.get(theme, {}).items():
        palette.setColor(role, QColor(colour))
    return palette
