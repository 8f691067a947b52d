"""Which frames a display filter keeps, and a proxy that shows only those rows of the frames table.

The filter is compiled once and run once per frame of the whole session; each connection then
keeps a sorted list of its passing rows, so switching connections costs nothing. As `dump --filter`
does, the frame that completes a data message is tested with that message (its text, its violations).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, QAbstractProxyModel, QModelIndex, QObject, QPersistentModelIndex

from ..filter import DisplayFilter
from ..session.store import ConnectionView, SessionStore, passing_heads

AnyIndex = QModelIndex | QPersistentModelIndex
Matcher = Callable[[object, int, object], object]


def passing_rows(store: SessionStore, display_filter: DisplayFilter) -> dict[int, list[int]]:
    """For each connection id, the rows (positions in its frames) of the frames the filter keeps. A filter
    that reads only header fields and violations runs over the store's numbers, not rebuilt frames."""
    return GrowingFilter(display_filter).update(store)


def passing_frames(store: SessionStore, display_filter: DisplayFilter) -> dict[int, list[int]]:
    """passing_rows, each frame rebuilt and tested with the message it completes: the general path."""
    matches = display_filter.matches
    return {view.id: _passing_frames(view, matches, 0) for view in store.connections}


def _passing_frames(view: ConnectionView, matches: Matcher, start: int) -> list[int]:
    connection = view.id
    decode_frame, completed = view.decode_frame, view.completed_message
    # Frames built for the test only, not cached as records.
    return [row for row in range(start, len(view.frame_positions))
            if matches(decode_frame(row), connection, completed(row))]


class GrowingFilter:
    """A display filter over a session that may still grow (a capture loading, a live capture): `update`
    tests only the frames added since the last call, and those whose verdict could have changed since
    (a final data frame whose message had not been handed over yet)."""

    def __init__(self, display_filter: DisplayFilter) -> None:
        self._filter = display_filter
        self.kept: dict[int, list[int]] = {}
        self._resume: dict[int, int] = {}  # per connection: the first row to test next time

    def update(self, store: SessionStore) -> dict[int, list[int]]:
        """The rows kept per connection id. A connection's list is replaced, never changed in place, so a
        holder of the previous list can tell what was added (see RowSubsetProxy.set_rows)."""
        display_filter = self._filter
        for view in store.connections:
            connection = view.id
            start = self._resume.get(connection, 0)
            count = len(view.frame_positions)
            if start == count and connection in self.kept:
                continue
            old = self.kept.get(connection, [])
            if display_filter.reads_heads_only:
                found = passing_heads(view, display_filter.matches, display_filter.uses_message, start)
            else:
                found = _passing_frames(view, display_filter.matches, start)
            self.kept[connection] = old[: bisect_left(old, start)] + found
            self._resume[connection] = view.first_awaiting_message(start)
        return self.kept


class RowSubsetProxy(QAbstractProxyModel):
    """A flat table's rows, only those listed (in order); None lists every row."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[int] | None = None
        self._changing = False  # between a source's rows-about-to-change and its rows-changed
        self._source: QAbstractItemModel | None = None

    def setSourceModel(self, model: QAbstractItemModel) -> None:  # Qt's name
        super().setSourceModel(model)
        self._source = model
        model.modelAboutToBeReset.connect(self.beginResetModel)
        model.modelReset.connect(self.endResetModel)
        # A playback reveals rows at the end of the table and takes them back: pass those on as rows.
        model.rowsAboutToBeInserted.connect(self._source_rows_coming)
        model.rowsInserted.connect(self._source_rows_came)
        model.rowsAboutToBeRemoved.connect(self._source_rows_going)
        model.rowsRemoved.connect(self._source_rows_gone)
        model.dataChanged.connect(self._source_changed)  # a loading capture completes messages of rows shown

    def _source_changed(self, _top_left: QModelIndex, _bottom_right: QModelIndex) -> None:
        rows, columns = self.rowCount(), self.columnCount()
        if rows and columns:
            self.dataChanged.emit(self.index(0, 0), self.index(rows - 1, columns - 1))

    def _shown_between(self, first: int, last: int) -> tuple[int, int]:
        """The proxy rows of source rows first..last (an empty range is (n, n - 1))."""
        if self._rows is None:
            return first, last
        return bisect_left(self._rows, first), bisect_left(self._rows, last + 1) - 1

    def _source_rows_coming(self, _parent: QModelIndex, first: int, last: int) -> None:
        start, end = self._shown_between(first, last)
        self._changing = end >= start  # none of them kept: nothing to announce
        if self._changing:
            self.beginInsertRows(QModelIndex(), start, end)

    def _source_rows_came(self) -> None:
        if self._changing:
            self.endInsertRows()

    def _source_rows_going(self, _parent: QModelIndex, first: int, last: int) -> None:
        start, end = self._shown_between(first, last)
        self._changing = end >= start
        if self._changing:
            self.beginRemoveRows(QModelIndex(), start, end)

    def _source_rows_gone(self) -> None:
        if self._changing:
            self.endRemoveRows()

    def set_rows(self, rows: list[int] | None) -> None:
        """Show these source rows. When they only add to the rows shown (a filter over a growing session),
        the new rows are announced as inserted, so the view keeps its place and selection."""
        old, source = self._rows, self.sourceModel()
        if old is not None and rows is not None and source is not None and len(rows) >= len(old) \
                and rows[: len(old)] == old:
            count = source.rowCount()
            before, after = bisect_left(old, count), bisect_left(rows, count)
            if after > before:
                self.beginInsertRows(QModelIndex(), before, after - 1)
                self._rows = rows
                self.endInsertRows()
            else:
                self._rows = rows
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    @property
    def filtered(self) -> bool:
        return self._rows is not None

    def source_row(self, row: int) -> int:
        return row if self._rows is None else self._rows[row]

    def row_of_source(self, source_row: int) -> int:
        """The proxy row showing `source_row`, or -1 when it is filtered out."""
        if self._rows is None:
            return source_row
        position = bisect_left(self._rows, source_row)
        return position if position < len(self._rows) and self._rows[position] == source_row else -1

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        source = self.sourceModel()
        if parent.isValid() or source is None:
            return 0
        # Filtered: the kept rows the source has now (a playback may not have revealed them all yet).
        return source.rowCount() if self._rows is None else bisect_left(self._rows, source.rowCount())

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        source = self.sourceModel()
        return 0 if parent.isValid() or source is None else source.columnCount()

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not 0 <= row < self.rowCount() or not 0 <= column < self.columnCount():
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        return QModelIndex()

    def mapToSource(self, proxy_index: AnyIndex) -> QModelIndex:
        source = self._source  # not sourceModel(): a view asks for every cell it paints, and each call into Qt counts
        if source is None or not proxy_index.isValid():
            return QModelIndex()
        return source.index(self.source_row(proxy_index.row()), proxy_index.column())

    def mapFromSource(self, source_index: AnyIndex) -> QModelIndex:
        if not source_index.isValid():
            return QModelIndex()
        row = self.row_of_source(source_index.row())
        return self.createIndex(row, source_index.column()) if row >= 0 else QModelIndex()

