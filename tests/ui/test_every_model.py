"""Every QAbstractItemModel subclass in inspector/ui passes Qt's model tester, found by walking the
package: a new model without an entry in MODELS fails here until it is checked too.

Each model is the window's own instance, watched by its own QAbstractItemModelTester (its findings are
collected from Qt's message handler and must be none) from the empty window on, through a capture
loaded in small batches with a filter typed part-way, and a walk over every connection and frame; each
is then checked once more with its data in place.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import (
    QAbstractItemModel,
    QMessageLogContext,
    QModelIndex,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtTest import QAbstractItemModelTester

import inspector.ui
from inspector.resources import capture_path
from inspector.ui import loader as loader_module
from inspector.ui.main_window import MainWindow
from tests.ui.windows import new_window

# Each model class (by module and name) and where the window keeps its instance.
MODELS: dict[str, Callable[[MainWindow], QAbstractItemModel]] = {
    "inspector.ui.models.ConnectionsModel": lambda window: window.connections_model,
    "inspector.ui.models.FramesModel": lambda window: window.frames_model,
    "inspector.ui.models.FieldTreeModel": lambda window: window.fields_model,
    "inspector.ui.frame_filter.RowSubsetProxy": lambda window: window.frames_view.shown_model,
    "inspector.ui.panes.messages.MessagesModel": lambda window: window.messages_pane.tree_model,
    "inspector.ui.widgets.masking.MaskingModel": lambda window: window.masking_pane.model,
    "inspector.ui.widgets.violations.ViolationsModel": lambda window: window.violations_pane.model,
}
# Bases that are never instantiated on their own.
ABSTRACT = {"inspector.ui.models._Table"}


def model_classes() -> set[str]:
    found = set()
    for module_info in pkgutil.walk_packages(inspector.ui.__path__, "inspector.ui."):
        module = importlib.import_module(module_info.name)
        for name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, QAbstractItemModel) and value.__module__ == module.__name__:
                found.add(f"{module.__name__}.{name}")
    return found


def test_every_model_class_has_a_check() -> None:
    found = model_classes()
    assert len(found) >= len(MODELS)
    assert found - ABSTRACT == set(MODELS), "add the new model to MODELS (or ABSTRACT for a base class)"


@pytest.mark.parametrize("name", ["websockets-violations.pcapng", "chromium-deflate.pcapng"])
def test_every_model_passes_the_model_tester(qtbot, tmp_path: Path, monkeypatch, name: str) -> None:
    monkeypatch.setattr(loader_module, "BATCH_EVENTS", 3)  # growth in many small steps
    monkeypatch.setattr(loader_module, "SLICE_SECONDS", 0.0)
    window = new_window(qtbot, tmp_path / "settings.ini")
    models = {key: find(window) for key, find in MODELS.items()}
    for key, model in models.items():
        assert f"{type(model).__module__}.{type(model).__name__}" == key
    findings: list[str] = []

    def collect(_kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if context.category == "qt.modeltest":
            findings.append(message)

    def watch(model: QAbstractItemModel) -> QAbstractItemModelTester:
        return QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning)

    previous = qInstallMessageHandler(collect)
    try:
        testers = [watch(model) for model in models.values()]  # they check after every change from now on

        def type_filter(_store: object) -> None:
            window.filter_bar.edit.setText("!(websocket.opcode in {9 10})")
            window.filter_bar.apply()

        window.loader.started.connect(type_filter)
        with qtbot.waitSignal(window.capture_loaded, timeout=20_000):
            window.open_file(str(capture_path(name)))
        store = window.store
        assert store is not None
        for view in store.connections:
            window.session.select_connection(view)
            for row in range(len(view.frames)):
                window.session.select_frame(row)
                window.masking_pane.model.fetchMore(QModelIndex())  # the masking table's rows on demand
            if view.messages:
                window.session.select_message(view.messages[-1])
        window.filter_bar.edit.setText("")
        window.filter_bar.apply()
        testers += [watch(model) for model in models.values()]  # and all over again with the data in place
        assert all(model.rowCount() for model in (window.connections_model, window.frames_model, window.fields_model,
                                                  window.messages_pane.tree_model))
    finally:
        qInstallMessageHandler(previous)
    assert findings == []
    assert len(testers) == 2 * len(MODELS)
