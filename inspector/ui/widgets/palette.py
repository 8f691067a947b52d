"""Colours shared by the teaching widgets, defined once so every view of a masking key agrees.

Key byte k (k = i mod 4, RFC 6455 §5.3) always has the same colour: in the masking table's key
column, in the frame diagram's masking-key cells, and in the key field wherever it is drawn.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtGui import QColor, QPalette

from ...protocol.constants import MASKING_KEY_SIZE

# Light enough for black text on top, distinct from the hex pane's yellow highlight and the red of violations.
KEY_BYTE_COLOURS: Final[tuple[QColor, ...]] = (
    QColor("#ffb74d"),  # key[0]: orange
    QColor("#81c784"),  # key[1]: green
    QColor("#64b5f6"),  # key[2]: blue
    QColor("#ce93d8"),  # key[3]: purple
)
assert len(KEY_BYTE_COLOURS) == MASKING_KEY_SIZE
# Text drawn on a key colour stays black, so it reads in a dark palette too.
KEY_BYTE_TEXT: Final = QColor("#000000")
VIOLATION_COLOUR: Final = QColor("#e53935")


def key_byte_colour(payload_index: int) -> QColor:
    """The colour of the key byte that masks payload byte `payload_index` (key[i mod 4])."""
    return KEY_BYTE_COLOURS[payload_index % MASKING_KEY_SIZE]


def dark_palette() -> QPalette:
    """A dark palette for the Fusion style, used to check that every widget reads on dark backgrounds."""
    palette = QPalette()
    window, base, text = QColor("#2b2b2b"), QColor("#1e1e1e"), QColor("#e0e0e0")
    for role, colour in (
        (QPalette.ColorRole.Window, window),
        (QPalette.ColorRole.WindowText, text),
        (QPalette.ColorRole.Base, base),
        (QPalette.ColorRole.AlternateBase, QColor("#262626")),
        (QPalette.ColorRole.Text, text),
        (QPalette.ColorRole.Button, QColor("#353535")),
        (QPalette.ColorRole.ButtonText, text),
        (QPalette.ColorRole.ToolTipBase, window),
        (QPalette.ColorRole.ToolTipText, text),
        (QPalette.ColorRole.PlaceholderText, QColor("#9e9e9e")),
        (QPalette.ColorRole.Highlight, QColor("#3d7bd9")),
        (QPalette.ColorRole.HighlightedText, QColor("#ffffff")),
        (QPalette.ColorRole.Mid, QColor("#555555")),
        (QPalette.ColorRole.Dark, QColor("#1a1a1a")),
        (QPalette.ColorRole.Light, QColor("#505050")),
        (QPalette.ColorRole.Link, QColor("#8ab4f8")),
    ):
        palette.setColor(role, colour)
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7a7a7a"))
    return palette
