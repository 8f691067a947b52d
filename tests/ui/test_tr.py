"""Every user-visible string in ui/ goes through tr() or QCoreApplication.translate, so a translation can reach it.

An AST walk over inspector/ui: no string literal or f-string is handed straight to a widget's text
setter, a QAction, QLabel, QPushButton or QMessageBox; the column titles are QT_TRANSLATE_NOOP-marked;
and tr() is never given an f-string (its text would differ on every call and match no translation).
"""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "inspector" / "ui"
TEXT_SETTERS = {
    "setText", "setPlainText", "setPlaceholderText", "setWindowTitle", "setInformativeText", "setDetailedText",
    "setToolTip", "setStatusTip", "setWhatsThis", "showMessage", "addMenu", "addAction", "setTitle",
}
TEXT_WIDGETS = {"QAction", "QLabel", "QPushButton", "QMessageBox", "QMenu", "QCheckBox", "QGroupBox"}
TRANSLATORS = {"tr", "translate"}
NOT_TEXT = {"shortcut", "parent", "icon"}  # keyword arguments that never carry words


def _name(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _untranslated(node: ast.expr) -> bool:
    """Whether `node` puts words on screen that no translation could reach."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and any(c.isalpha() for c in node.value)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _untranslated(node.left) or _untranslated(node.right)
    if isinstance(node, ast.Call) and _name(node.func) == "format" and isinstance(node.func, ast.Attribute):
        return _untranslated(node.func.value)
    return False


def problems_in(source: str, filename: str = "<source>") -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        where = f"{filename}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Call):
            name = _name(node.func)
            if name in TEXT_SETTERS or name in TEXT_WIDGETS:
                arguments = [*node.args, *(k.value for k in node.keywords if k.arg not in NOT_TEXT)]
                found += [f"{where}: {name}() gets untranslated text" for a in arguments if _untranslated(a)]
            if name in TRANSLATORS and any(isinstance(a, ast.JoinedStr) for a in node.args):
                found.append(f"{where}: {name}() of an f-string")
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "HEADERS" for t in node.targets):
            titles = node.value.elts if isinstance(node.value, ast.Tuple) else [node.value]
            for title in titles:
                if not (isinstance(title, ast.Call) and _name(title.func) == "QT_TRANSLATE_NOOP"):
                    found.append(f"{where}: a column title without QT_TRANSLATE_NOOP")
    return found


def test_no_literal_reaches_the_screen_without_tr() -> None:
    files = sorted(UI.rglob("*.py"))
    assert len(files) >= 10, files  # the panes are in there too
    found = [p for path in files for p in problems_in(path.read_text(), str(path.relative_to(UI)))]
    assert found == []


def test_the_check_catches_what_it_looks_for() -> None:
    bad = '''
label.setText("Loading")
box = QMessageBox(icon, APP_NAME, f"{name} could not be opened")
action = QAction("&Quit", self)
status.setText(self.tr(f"{count} frames"))
pane.setPlaceholderText("Select " + what)
HEADERS = ("#", QT_TRANSLATE_NOOP("Model", "Time"))
'''
    assert len(problems_in(bad)) == 6
    good = '''
label.setText(self.tr("Loading"))
box = QMessageBox(icon, APP_NAME, self.tr("{0} could not be opened").format(name))
action = QAction(self.tr("&Quit"), self, shortcut=QKeySequence.StandardKey.Quit)
status.setText(path)
hex.setText(" ")
HEADERS = (QT_TRANSLATE_NOOP("Model", "#"), QT_TRANSLATE_NOOP("Model", "Time"))
'''
    assert problems_in(good) == []
