"""The templates browser: the catalogue as a tree by category, each template's description and the answer
the RFC asks for; a verdict after a send, and a pass/fail table for a whole category, exportable as JSON."""

from __future__ import annotations

import json
from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...client.templates import Template
from ...client.verdict import Verdict
from ..widgets.palette import VIOLATION_COLOUR
from .draft import describe_expect
from .session import CategoryResult

TEMPLATE_ROLE = Qt.ItemDataRole.UserRole + 1
PASS_COLOUR = "#43a047"  # a green that reads on light and dark backgrounds


class TemplatesBrowser(QWidget):
    load_requested = Signal(object)  # Template: fill the editor with it
    send_requested = Signal(object)  # Template: send it on the open connection
    run_category_requested = Signal(str, object)  # category, list[Template]
    save_requested = Signal()  # save the editor's frame or sequence as a user template
    export_requested = Signal()  # write the results table as JSON

    def __init__(self, templates: Iterable[Template], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.templates = list(templates)
        self.results: list[CategoryResult] = []
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("Template"), self.tr("Expected answer")])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        categories: dict[str, QTreeWidgetItem] = {}
        for template in self.templates:
            parent_item = categories.get(template.category)
            if parent_item is None:
                parent_item = QTreeWidgetItem([template.category, ""])
                categories[template.category] = parent_item
                self.tree.addTopLevelItem(parent_item)
            item = QTreeWidgetItem([template.name, describe_expect(template.expect)])
            item.setData(0, TEMPLATE_ROLE, template)
            parent_item.addChild(item)
        for item in categories.values():
            item.setText(1, self.tr("{0} templates").format(item.childCount()))
        self.tree.currentItemChanged.connect(self._chosen)
        self.tree.itemDoubleClicked.connect(lambda item, _column: self._load())
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setPlaceholderText(self.tr("Choose a template to read what it sends and what the RFC asks."))
        self.load_button = QPushButton(self.tr("Load into editor"))
        self.send_button = QPushButton(self.tr("Send"))
        self.run_button = QPushButton(self.tr("Run the whole category"))
        self.export_button = QPushButton(self.tr("Export JSON…"))
        self.save_button = QPushButton(self.tr("Save editor as template…"))
        self.load_button.clicked.connect(self._load)
        self.send_button.clicked.connect(self._send)
        self.run_button.clicked.connect(self._run_category)
        self.save_button.clicked.connect(self.save_requested)
        self.export_button.clicked.connect(self.export_requested)
        self.verdict = QLabel()
        self.verdict.setTextFormat(Qt.TextFormat.PlainText)
        self.verdict.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([self.tr("Template"), self.tr("Result"), self.tr("Expected"),
                                              self.tr("Observed")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        buttons = QHBoxLayout()
        for button in (self.load_button, self.send_button, self.run_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        results_buttons = QHBoxLayout()
        results_buttons.addWidget(self.save_button)
        results_buttons.addStretch(1)
        results_buttons.addWidget(self.export_button)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.tree, 3)
        top_layout.addWidget(self.details, 1)
        top_layout.addLayout(buttons)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.verdict)
        bottom_layout.addWidget(self.table, 1)
        bottom_layout.addLayout(results_buttons)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._chosen(None)

    def current_template(self) -> Template | None:
        item = self.tree.currentItem()
        value = item.data(0, TEMPLATE_ROLE) if item is not None else None
        return value if isinstance(value, Template) else None

    def current_category(self) -> str | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        return item.text(0) if item.parent() is None else item.parent().text(0)

    def select(self, name: str) -> None:
        """Make template `name` (or category `name`) the current item."""
        found = self.tree.findItems(name, Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive, 0)
        if found:
            self.tree.setCurrentItem(found[0])
            self.tree.scrollToItem(found[0])

    def set_connected(self, connected: bool) -> None:
        self.send_button.setEnabled(connected and self.current_template() is not None)

    def _chosen(self, item: QTreeWidgetItem | None) -> None:
        template = self.current_template()
        self.load_button.setEnabled(template is not None)
        self.send_button.setEnabled(template is not None)
        self.run_button.setEnabled(self.current_category() is not None)
        if template is None:
            self.details.clear()
            return
        rfc = template.rfc if template.rfc.startswith("RFC") else f"RFC 6455 §{template.rfc}"
        needs = {True: self.tr("Needs permessage-deflate agreed."),
                 False: self.tr("Needs a connection without permessage-deflate.")}.get(template.deflate, "")
        self.details.setPlainText("\n".join(line for line in (
            template.description,
            self.tr("Rule: {0}").format(rfc) if template.rfc else "",
            self.tr("A compliant server: {0}").format(describe_expect(template.expect)),
            needs,
            self.tr("Source: {0}").format(template.source),
        ) if line))

    def _load(self) -> None:
        template = self.current_template()
        if template is not None:
            self.load_requested.emit(template)

    def _send(self) -> None:
        template = self.current_template()
        if template is not None:
            self.send_requested.emit(template)

    def _run_category(self) -> None:
        category = self.current_category()
        if category is None:
            return
        chosen = [t for t in self.templates if t.category == category]
        self.clear_results()
        self.verdict.setText(self.tr("Running {0} templates of {1}, each on a fresh connection…").format(
            len(chosen), category))
        self.run_category_requested.emit(category, chosen)

    # ---- results

    def show_verdict(self, verdict: Verdict) -> None:
        self.verdict.setText(verdict.describe())
        colour = PASS_COLOUR if verdict.passed else VIOLATION_COLOUR.name() if verdict.passed is False else ""
        self.verdict.setStyleSheet(f"color: {colour};" if colour else "")

    def clear_results(self) -> None:
        self.results = []
        self.table.setRowCount(0)

    def add_result(self, result: CategoryResult) -> None:
        self.results.append(result)
        row = self.table.rowCount()
        self.table.insertRow(row)
        verdict = result.verdict
        if result.error:
            outcome, observed = self.tr("error"), result.error
        elif verdict is None or verdict.passed is None:
            outcome, observed = self.tr("not judged"), verdict.note if verdict is not None else ""
        else:
            outcome = self.tr("PASS") if verdict.passed else self.tr("FAIL")
            observed = verdict.reaction.describe() if verdict.reaction is not None else ""
        cells = (result.template.name, outcome, describe_expect(result.template.expect), observed)
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if column == 1 and result.passed is not None:
                item.setForeground(QBrush(VIOLATION_COLOUR if not result.passed else PASS_COLOUR))
            self.table.setItem(row, column, item)

    def finish_run(self) -> None:
        passed = sum(1 for r in self.results if r.passed)
        self.verdict.setText(self.tr("{0} of {1} passed").format(passed, len(self.results)))
        self.verdict.setStyleSheet("")

    def table_rows(self) -> list[tuple[str, str]]:
        """(template, result) per row: what the tests compare."""
        return [(self.table.item(r, 0).text(), self.table.item(r, 1).text()) for r in range(self.table.rowCount())]

    def results_json(self) -> str:
        return json.dumps([r.to_json() for r in self.results], indent=2, ensure_ascii=False)
