"""GUI tests draw offscreen: no display is needed, and screenshots still work."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
