"""The teaching widgets as panes of the window: each follows the selected frame and field of the SessionModel.

The widgets (ui/widgets/) know nothing of the session; these thin wrappers feed them the selected
frame and its field tree, light the selected field, and turn a click on a field back into a selection.
"""

from __future__ import annotations

from bisect import bisect_left

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QWidget

from ...session.store import ConnectionView
from ..session_model import SessionModel
from ..widgets.diagram import FrameDiagram
from ..widgets.masking import MaskingTable
from ..widgets.payload import PayloadView
from ..widgets.violations import ViolationRow, ViolationsPane


def _follow(session: SessionModel, widget: MaskingTable | FrameDiagram | PayloadView) -> None:
    """Wire `widget` to the session: show the selected frame, light the selected field, select what is clicked."""

    def frame_changed() -> None:
        record = session.frame
        widget.show_frame(record.frame if record is not None else None, session.tree)

    def field_changed() -> None:
        if session.field is not None:
            widget.select_field(session.field.filter_name)

    session.connection_changed.connect(lambda: widget.show_frame(None, None))
    session.frame_changed.connect(frame_changed)
    session.field_changed.connect(field_changed)
    if isinstance(widget, (MaskingTable, FrameDiagram)):
        widget.field_clicked.connect(session.select_field_named)


class MaskingPane(MaskingTable):
    def __init__(self, session: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _follow(session, self)


class DiagramPane(FrameDiagram):
    def __init__(self, session: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _follow(session, self)


class PayloadPane(PayloadView):
    def __init__(self, session: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _follow(session, self)


class FrameRef:
    """Where a violation was found: a frame of a connection, and its number in the whole session."""

    __slots__ = ("connection", "number", "row")

    def __init__(self, connection: ConnectionView, row: int, number: int) -> None:
        self.connection, self.row, self.number = connection, row, number

    def __str__(self) -> str:
        frame = self.connection.frames[self.row].frame
        return f"{self.number} (#{self.connection.id}:{frame.index})"


class SessionViolationsPane(ViolationsPane):
    """Every violation of the session's frames and of the messages they complete; double-click jumps to it."""

    def __init__(self, session: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._first_row: dict[tuple[int, int], int] = {}  # (id of a connection, frame row) -> its first table row
        # Per connection (by id of its view), its frames and messages when its violations were last read.
        self._counted: dict[int, tuple[int, int]] = {}
        session.store_changed.connect(self._on_store_changed)
        session.store_grew.connect(self._on_store_grew)
        session.frame_changed.connect(self._follow_frame)
        self.frame_activated.connect(self.jump_to)

    @Slot()
    def _on_store_changed(self) -> None:
        self._first_row = {}
        self._counted = {}
        self.set_violations([])
        self._add_new_rows()

    @Slot()
    def _on_store_grew(self) -> None:
        """A loading capture grew: its new violations are appended (in capture order, they come after the
        others), unless a message completed late for a frame already listed; then the list is read again."""
        self._add_new_rows()

    def _add_new_rows(self) -> None:
        store = self.session.store
        if store is None:
            return
        rows: list[ViolationRow] = []
        positions = store.frame_positions
        for view in store.connections:
            frames, messages = self._counted.get(id(view), (0, 0))
            gained = view.violation_rows_since(frames, messages)
            if gained and gained[0] < frames:  # a frame listed already: its message's violations join it
                self._on_store_changed()
                return
            self._counted[id(view)] = (len(view.frame_positions), len(view.message_positions))
            for row in gained:
                record = view.frames[row]
                message = view.completed_message(row)
                found = list(record.frame.violations) + (list(message.violations) if message else [])
                if found:
                    ref = FrameRef(view, row, bisect_left(positions, record.position))
                    rows += [ViolationRow(ref, violation) for violation in found]
        rows.sort(key=lambda r: r.frame_ref.number)  # type: ignore[attr-defined]
        first = self.model.rowCount()
        for number, row in enumerate(rows, first):
            ref = row.frame_ref
            assert isinstance(ref, FrameRef)
            self._first_row.setdefault((id(ref.connection), ref.row), number)
        self.model.append_rows(rows)

    @Slot()
    def _follow_frame(self) -> None:
        """Select the selected frame's first violation, so its explanation is the one shown; none: no row."""
        connection = self.session.connection
        row = self._first_row.get((id(connection), self.session.frame_row), -1) if connection is not None else -1
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
            return
        self.table.clearSelection()
        self.table.selectionModel().clearCurrentIndex()

    def jump_to(self, ref: object) -> None:
        if isinstance(ref, FrameRef):
            self.session.select_connection(ref.connection)
            self.session.select_frame(ref.row)
