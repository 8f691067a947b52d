"""Widget tests draw offscreen, like the rest of the GUI tests."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
