"""A session kept for browsing: every event in one global order, with per-connection views.

The dump streams events and forgets them; a viewer needs to go back to any frame, and playback needs
the session as it happened across connections. A million-frame capture would not fit as objects, so
the store keeps a few numbers per event and per frame (in arrays) and the frames' bytes in a `Spill`
file; `events`, `ConnectionView.frames` and `ConnectionView.messages` are sequences that rebuild an
event, a `FrameRecord` (with its `Frame`) or a `Message` when asked, the same as the one that was added.
The few other events (openings, handshakes, notes, closes) are kept as they are. Plain data (no Qt):
the window's models stay thin adapters over it.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterator
from struct import Struct
from typing import Any, Final, TypeVar, cast

from ..protocol.constants import CONTROL_OPCODE_BIT, OPCODE_MASK, Direction, Opcode
from ..protocol.frame import Frame
from ..protocol.messages import Message
from ..protocol.violations import Violation
from .events import (
    Connection,
    ConnectionClosed,
    ConnectionOpened,
    EventHandler,
    FrameSeen,
    HandshakeSeen,
    MessageSeen,
    NoteSeen,
    SessionEvent,
)
from .spill import Spill
from .timebase import TimeBase

# What each event is, one byte per event in SessionStore.
KIND_FRAME: Final = 0
KIND_MESSAGE: Final = 1
KIND_OTHER: Final = 2  # kept as the object itself

# A frame's facts packed in one int: the first header byte, then these flags.
_CLIENT: Final = 1 << 8
_TRUNCATED: Final = 1 << 9
_HAS_KEY: Final = 1 << 10
_STILL_MASKED: Final = 1 << 11  # spilled as it travelled: unmasked the first time its payload is read
_FORM_SHIFT: Final = 12  # two bits: 0, 1, 2 for the 7, 16 and 64-bit length forms
_FORMS: Final = (7, 16, 64)
_MASKED: Final = 1 << 14  # the MASK bit (set even when the capture cut the key off)
_FIRST_BYTE: Final = 0xFF
_FIN: Final = 0x80
_RSV1: Final = 0x40
_RSV2: Final = 0x20
_RSV3: Final = 0x10
_LENGTH_CODES: Final = {16: 126, 64: 127}  # RFC 6455 §5.2: the 7-bit field's value for each extended form

_CLIENT_SIDE: Final = Direction.CLIENT  # module constants: a compiled module reads a class attribute slowly
_CLOSE_OPCODE: Final = int(Opcode.CLOSE)

# A message's facts: the opcode, then these flags.
_MESSAGE_CLIENT: Final = 1 << 4
_COMPRESSED: Final = 1 << 5
_COMPLETE: Final = 1 << 6
_HAS_TEXT: Final = 1 << 7
_DATA_SPILLED: Final = 1 << 8  # else its data is its one frame's payload

# Per frame of the session in capture order (SessionStore.frame_marks), what the timeline draws: one bit each.
MARK_CLIENT: Final = 1
MARK_VIOLATION: Final = 2  # the frame itself breaks a rule (a message that does is learnt when it completes)
MARK_CLOSE: Final = 4

# Records and messages rebuilt recently, per connection: what a table shows and a selection holds.
CACHED: Final = 512

# Events that SessionStore.extend gathers at most before moving them into the arrays (bounds the lists it fills).
GATHER_EVENTS: Final = 4096
# Values from which packing a run beats array.extend.
PACKED_RUN: Final = 8
# Packers kept for runs of up to this many values (per array type); longer runs are rare enough to build one.
CACHED_PACKERS: Final = 256
_PACKERS: Final[dict[str, dict[int, Struct]]] = {}  # by array type code, then run length


def _move(values: list[Any], target: array[Any]) -> None:
    """Append `values` to `target` and empty the list. A run is packed in one go: array.extend and
    array.append convert each item through a slow general parser, struct converts a run much faster
    (though it costs more to set up, so a few values go the plain way)."""
    count = len(values)
    if count == 1:
        target.append(values[0])
        values.clear()
    elif 0 < count < PACKED_RUN:
        target.extend(values)
        values.clear()
    elif count:
        code = target.typecode
        packers = _PACKERS.get(code)
        if packers is None:
            packers = _PACKERS[code] = {}
        packer = packers.get(count)
        if packer is None:
            packer = Struct(f"{count}{code}")  # native sizes, as an array's
            if count <= CACHED_PACKERS:
                packers[count] = packer
        target.frombytes(packer.pack(*values))
        values.clear()


class FrameRecord:
    """A frame, where and when it was seen, and the data message it belongs to once that completed."""

    __slots__ = ("frame", "message", "packets", "position", "time")

    def __init__(self, frame: Frame, packets: list[int], time: float, position: int = -1) -> None:
        self.frame = frame
        self.packets = packets
        self.time = time
        self.position = position  # index into SessionStore.events
        self.message: Message | None = None


class FrameRecords:
    """A connection's frame records in order, rebuilt on demand (a read-only sequence)."""

    def __init__(self, view: ConnectionView) -> None:
        self._view = view

    def __len__(self) -> int:
        return len(self._view.frame_positions)

    def __getitem__(self, row: int) -> FrameRecord:
        count = len(self._view.frame_positions)
        if row < 0:
            row += count
        if not 0 <= row < count:
            raise IndexError("frame row out of range")
        return self._view.record(row)

    def __iter__(self) -> Iterator[FrameRecord]:
        record = self._view.record
        for row in range(len(self._view.frame_positions)):
            yield record(row)

    def __bool__(self) -> bool:
        return len(self._view.frame_positions) > 0


class Messages:
    """A connection's completed data messages in order, rebuilt on demand (a read-only sequence)."""

    def __init__(self, view: ConnectionView) -> None:
        self._view = view

    def __len__(self) -> int:
        return len(self._view.message_positions)

    def __getitem__(self, number: int) -> Message:
        count = len(self._view.message_positions)
        if number < 0:
            number += count
        if not 0 <= number < count:
            raise IndexError("message number out of range")
        return self._view.message(number)

    def __iter__(self) -> Iterator[Message]:
        message = self._view.message
        for number in range(len(self._view.message_positions)):
            yield message(number)

    def __bool__(self) -> bool:
        return len(self._view.message_positions) > 0


Value = TypeVar("Value")


def keys_since(entries: dict[int, Value], first: int) -> list[int]:
    """The keys of `entries` from `first` on, in order. For the per-row and per-message dicts of a view: each
    entry is made when its frame row or message number is new, so these are the last ones, and finding them
    costs what they are."""
    keys: list[int] = []
    for key in reversed(entries):
        if key < first:
            break
        keys.append(key)
    keys.reverse()
    return keys


class ConnectionView:
    """One connection's share of the session: its events' positions, frames, messages and notes."""

    def __init__(self, connection: Connection, first_time: float, spill: Spill, packets: PacketLists) -> None:
        self.connection = connection
        self.first_time = first_time
        self._spill = spill
        self._packets = packets
        self.positions = array("q")  # indices into SessionStore.events, increasing
        self.notes: list[NoteSeen] = []
        self.opened_at: int | None = None  # position of its ConnectionOpened
        self.closed_at: int | None = None  # position of its ConnectionClosed
        self.handshakes: list[tuple[int, bool]] = []  # (position, refused) of each HandshakeSeen
        self.first_closes: list[tuple[int, Direction]] = []  # the first Close frame of each direction
        # Per frame, in order (see FrameRecord and Frame for the meanings).
        self.frame_positions = array("q")
        self.frame_times = array("d")
        self.frame_facts = array("H")  # the first header byte and the flags above
        self.frame_indices = array("i")  # Frame.index
        self.frame_offsets = array("q")  # Frame.offset: where it starts in its direction's stream
        self.frame_lengths = array("Q")  # Frame.payload_length, as declared
        self.frame_spilled = array("q")  # where its header and payload bytes are in the spill
        self.frame_header_sizes = array("B")
        self.frame_packets = array("I")  # its packet list's number in the store's PacketLists
        self.frame_messages = array("i")  # the number of the message it belongs to, -1 until there is one
        self.frame_violations: dict[int, tuple[Violation, ...]] = {}  # by row, only frames that have any
        self.frame_cut: dict[int, int] = {}  # payload bytes present, by row, where fewer than declared
        # Per completed message, in order.
        self.message_positions = array("q")
        self.message_times = array("d")
        self.message_facts = array("H")
        self.message_packets = array("I")
        self.message_frame_starts = array("I", [0])  # its frame indices are message_frames[start:next start]
        self.message_frames = array("I")
        self.message_spilled = array("q")  # where its data is in the spill (when _DATA_SPILLED)
        self.message_sizes = array("q")
        self.message_violations: dict[int, tuple[Violation, ...]] = {}
        self.message_texts: dict[int, str] = {}  # the few texts that a decode of the data would not give
        self.relinked = -1  # the lowest row that `link` changed since `take_relinked` (-1: none)
        self.logging_links = False  # a store whose tails are taken logs `link`s for the copy it feeds
        self.links = array("q")  # (row, message number) pairs, flattened
        self._records: OrderedDict[int, FrameRecord] = OrderedDict()
        self._messages: OrderedDict[int, Message] = OrderedDict()
        self.frames = FrameRecords(self)
        self.messages = Messages(self)
        self._violations = 0  # of its frames and messages
        # What the adding path gathered and `flush` moves into the arrays of the same names: a list takes an
        # item for much less than an array, which goes through a method call and a slow conversion each time.
        self.adding = False  # something is gathered (the store keeps a list of such views)
        # The arrays' lengths, taken when adding starts and after each flush (len() on an array is a slow call).
        self._rows_flushed = 0
        self._numbers_flushed = 0
        self._message_frames_flushed = 0
        self._new_positions: list[object] = []  # ints
        self._new_frame_positions: list[object] = []  # ints
        self._new_frame_times: list[object] = []  # floats
        self._new_frame_facts: list[int] = []
        self._new_frame_indices: list[int] = []
        self._new_frame_offsets: list[int] = []
        self._new_frame_lengths: list[int] = []
        self._new_frame_spilled: list[int] = []
        self._new_frame_header_sizes: list[int] = []
        self._new_frame_packets: list[int] = []
        self._new_frame_messages: list[int] = []
        self._new_message_positions: list[object] = []  # ints
        self._new_message_times: list[object] = []  # floats
        self._new_message_facts: list[int] = []
        self._new_message_packets: list[int] = []
        self._new_message_frame_starts: list[int] = []
        self._new_message_frames: list[int] = []
        self._new_message_spilled: list[int] = []
        self._new_message_sizes: list[int] = []
        self._dense_rows = 0  # frames added so far all had Frame.index == row (see _row_while_adding)

    @property
    def id(self) -> int:
        return self.connection.id

    def violation_count(self) -> int:
        """The connection's, its frames' and its messages' violations."""
        return self._violations + len(self.connection.violations)

    def recount(self) -> None:
        found = 0
        for violations in self.frame_violations.values():
            found += len(violations)
        for violations in self.message_violations.values():
            found += len(violations)
        self._violations = found

    # -- adding ------------------------------------------------------------------------------

    def add_frame(self, frame: Frame, packets: list[int], time: object, position: object) -> int:
        """Gather `frame` (see `flush`) and return its row. `time` (a float) and `position` (an int) come
        boxed: the store puts the same objects in its own lists, which saves allocating them again."""
        row = self._rows_flushed + len(self._new_frame_positions)
        header = frame.header
        payload = frame._payload  # as it travelled while still masked, unmasked otherwise
        facts = header[0] if header else 0
        if frame.direction == _CLIENT_SIDE:
            facts |= _CLIENT
        if frame.truncated:
            facts |= _TRUNCATED
        if frame.masking_key is not None:
            facts |= _HAS_KEY
        if frame._still_masked:
            facts |= _STILL_MASKED
        if frame.masked:
            facts |= _MASKED
        form = frame.length_form
        if form != 7:  # the forms' codes are their places in _FORMS
            facts |= (1 if form == 16 else _FORMS.index(form)) << _FORM_SHIFT
        spill = self._spill
        spilled = spill.append(header)
        if payload:
            spill.append(payload)
        length = frame.payload_length
        if len(payload) != length:
            self.frame_cut[row] = len(payload)
        index = frame.index
        if index == row and row == self._dense_rows:
            self._dense_rows = row + 1
        self._new_frame_positions.append(position)
        self._new_frame_times.append(time)
        self._new_frame_facts.append(facts)
        self._new_frame_indices.append(index)
        self._new_frame_offsets.append(frame.offset)
        self._new_frame_lengths.append(length)
        self._new_frame_spilled.append(spilled)
        self._new_frame_header_sizes.append(len(header))
        self._new_frame_packets.append(self._packets.add(packets))
        self._new_frame_messages.append(-1)
        violations = frame.violations
        if violations:
            self.frame_violations[row] = violations
            self._violations += len(violations)
        if frame.opcode == _CLOSE_OPCODE:
            direction = frame.direction
            for _, earlier in self.first_closes:
                if earlier == direction:
                    break
            else:
                self.first_closes.append((cast(int, position), direction))
        return row

    def add_message(self, message: Message, packets: list[int], time: object, position: object) -> int:
        """Gather `message` (see `flush`), link its frames to it, and return its number (`time` and
        `position` as for add_frame)."""
        number = self._numbers_flushed + len(self._new_message_positions)
        facts = message.opcode
        if message.direction == _CLIENT_SIDE:
            facts |= _MESSAGE_CLIENT
        if message.compressed:
            facts |= _COMPRESSED
        if message.complete:
            facts |= _COMPLETE
        indices = message.frame_indices
        count = len(indices)
        first_row = self._row_while_adding(indices[0]) if count == 1 else -1
        one_frame = count == 1 and not message.compressed
        data: bytes | None = None
        if not one_frame or first_row < 0:
            data = message.data
            facts |= _DATA_SPILLED
            spilled = self._spill.append(data)
            size = len(data)
        else:
            spilled = -1
            size = 0
        text = message.text
        if text is not None:
            facts |= _HAS_TEXT
            # A clean one-frame text message's text is its payload decoded (valid UTF-8, nothing replaced);
            # any other text is kept when decoding the data again would not give it.
            if not one_frame or message.violations:
                if data is None:
                    data = message.data
                if text != data.decode("utf-8", "replace"):
                    self.message_texts[number] = text
        frames = self._new_message_frames
        frames.extend(indices)
        self._new_message_frame_starts.append(self._message_frames_flushed + len(frames))
        self._new_message_positions.append(position)
        self._new_message_times.append(time)
        self._new_message_facts.append(facts)
        self._new_message_packets.append(self._packets.add(packets))
        self._new_message_spilled.append(spilled)
        self._new_message_sizes.append(size)
        violations = message.violations
        if violations:
            self.message_violations[number] = violations
            self._violations += len(violations)
        if count == 1:
            if first_row >= 0:
                self.link(first_row, number, message)
        else:
            for index in indices:
                row = self._row_while_adding(index)
                if row >= 0:
                    self.link(row, number, message)
        return number

    def _row_while_adding(self, index: int) -> int:
        """row_of_index for the adding path, which may not have flushed the frames it asks about."""
        if 0 <= index < self._dense_rows:
            return index
        self.flush()
        return self.row_of_index(index)

    def begin_adding(self) -> None:
        """The store is about to gather events for this view (see `flush`)."""
        self.adding = True
        self._count_flushed()

    def _count_flushed(self) -> None:
        self._rows_flushed = len(self.frame_positions)
        self._numbers_flushed = len(self.message_positions)
        self._message_frames_flushed = len(self.message_frames)

    def flush(self) -> None:
        """Move what the adding path gathered into the arrays (a store does at the end of every add and
        extend, so a reader never sees what is gathered)."""
        self.adding = False
        _move(self._new_positions, self.positions)
        if self._new_frame_positions:
            _move(self._new_frame_positions, self.frame_positions)
            _move(self._new_frame_times, self.frame_times)
            _move(self._new_frame_facts, self.frame_facts)
            _move(self._new_frame_indices, self.frame_indices)
            _move(self._new_frame_offsets, self.frame_offsets)
            _move(self._new_frame_lengths, self.frame_lengths)
            _move(self._new_frame_spilled, self.frame_spilled)
            _move(self._new_frame_header_sizes, self.frame_header_sizes)
            _move(self._new_frame_packets, self.frame_packets)
            _move(self._new_frame_messages, self.frame_messages)
        if self._new_message_positions:
            _move(self._new_message_positions, self.message_positions)
            _move(self._new_message_times, self.message_times)
            _move(self._new_message_facts, self.message_facts)
            _move(self._new_message_packets, self.message_packets)
            _move(self._new_message_frame_starts, self.message_frame_starts)
            _move(self._new_message_frames, self.message_frames)
            _move(self._new_message_spilled, self.message_spilled)
            _move(self._new_message_sizes, self.message_sizes)
        self._count_flushed()

    def link(self, row: int, number: int, message: Message | None = None) -> None:
        """The frame at `row` belongs to message `number` (which completed after the frame was added)."""
        flushed = self._rows_flushed if self.adding else len(self.frame_messages)
        if row >= flushed:  # gathered, not flushed yet: no record of it can exist either
            self._new_frame_messages[row - flushed] = number
        else:
            self.frame_messages[row] = number
        if self.relinked < 0 or row < self.relinked:
            self.relinked = row
        if self.logging_links:
            self.links.append(row)
            self.links.append(number)
        if row < flushed:
            record = self._records.get(row)
            if record is not None:
                record.message = message if message is not None else self.message(number)

    def tail(self, place: int, marks: dict[str, int]) -> ViewTail:
        """What this connection gained since `marks` (the lengths when its last tail was taken)."""
        arrays = {name: getattr(self, name)[marks.get(name, 0):] for name in VIEW_ARRAYS}
        # message_frame_starts begins with a 0 that every copy has already
        starts = self.message_frame_starts[marks.get("message_frame_starts", 1):]
        dicts: dict[str, list[tuple[int, object]]] = {}
        for name, counted in VIEW_DICTS.items():
            entries = getattr(self, name)
            dicts[name] = [(key, entries[key]) for key in keys_since(entries, marks.get(counted, 0))]
        lists = {name: getattr(self, name)[marks.get(name, 0):] for name in VIEW_LISTS}
        # A copy learns of frames it already has: the frames this tail brings carry their message numbers.
        old_rows = marks.get("frame_messages", 0)
        logged = self.links
        links = array("q")
        for at in range(0, len(logged), 2):
            if logged[at] < old_rows:
                links.append(logged[at])
                links.append(logged[at + 1])
        self.links = array("q")
        return ViewTail(place, self.connection, self.first_time, arrays, starts, dicts, lists, links,
                        self.opened_at, self.closed_at, self._violations)

    # -- reading back ------------------------------------------------------------------------

    def take_relinked(self) -> int:
        """The lowest row whose message was set since the last call (the number of rows when none was)."""
        row = self.relinked
        self.relinked = -1
        return row if row >= 0 else len(self.frame_positions)

    def row_of_index(self, index: int) -> int:
        """The row of the frame whose `Frame.index` is `index`, or -1. The connection numbers its frames
        0, 1, ... in the order it hands them over, so that is the row; hand-built stores may skip numbers."""
        indices = self.frame_indices
        if 0 <= index < len(indices) and indices[index] == index:
            return index
        row = bisect_left(indices, index)
        return row if row < len(indices) and indices[row] == index else -1

    def frame_at(self, index: int) -> FrameRecord | None:
        """The record of the frame whose `Frame.index` is `index`."""
        row = self.row_of_index(index)
        return self.record(row) if row >= 0 else None

    def opcode(self, row: int) -> int:
        return int(self.frame_facts[row]) & OPCODE_MASK

    def direction(self, row: int) -> Direction:
        return Direction.CLIENT if self.frame_facts[row] & _CLIENT else Direction.SERVER

    def record(self, row: int) -> FrameRecord:
        records = self._records
        record = records.get(row)
        if record is not None:
            records.move_to_end(row)
            return record
        record = FrameRecord(self.decode_frame(row), self._packets.get(self.frame_packets[row]),
                             self.frame_times[row], self.frame_positions[row])
        number = self.frame_messages[row]
        if number >= 0:
            record.message = self.message(number)
        records[row] = record
        self._trim(records)
        return record

    def decode_frame(self, row: int) -> Frame:
        """The frame at `row`, built again from its bytes as the decoder built it."""
        facts = int(self.frame_facts[row])
        header_size = self.frame_header_sizes[row]
        payload_size = self.frame_cut.get(row, self.frame_lengths[row])
        wire = self._spill.read(self.frame_spilled[row], header_size + payload_size)
        header = wire[:header_size]
        frame = Frame(
            Direction.CLIENT if facts & _CLIENT else Direction.SERVER,
            self.frame_offsets[row],
            header,
            wire[header_size:],
            length_form=_FORMS[(facts >> _FORM_SHIFT) & 3],
            payload_length=self.frame_lengths[row],
            masking_key=header[-4:] if facts & _HAS_KEY else None,
            truncated=bool(facts & _TRUNCATED),
            index=self.frame_indices[row],
            unmasked=not facts & _STILL_MASKED,
        )
        frame.violations = self.frame_violations.get(row, ())
        return frame

    def message(self, number: int) -> Message:
        cached = self._messages.get(number)
        if cached is not None:
            self._messages.move_to_end(number)
            return cached
        message = self.decode_message(number)
        self._messages[number] = message
        self._trim(self._messages)
        return message

    def decode_message(self, number: int) -> Message:
        facts = int(self.message_facts[number])
        indices = list(self.message_frames[self.message_frame_starts[number] : self.message_frame_starts[number + 1]])
        if facts & _DATA_SPILLED:
            data = self._spill.read(self.message_spilled[number], self.message_sizes[number])
        else:
            data = self.decode_frame(self.row_of_index(indices[0])).payload
        text: str | None = None
        if facts & _HAS_TEXT:
            text = self.message_texts.get(number)
            if text is None:
                text = data.decode("utf-8", "replace")
        return Message(
            Direction.CLIENT if facts & _MESSAGE_CLIENT else Direction.SERVER,
            facts & 0xF,
            indices,
            bool(facts & _COMPRESSED),
            data,
            text,
            bool(facts & _COMPLETE),
            self.message_violations.get(number, ()),
        )

    def awaits_message(self, row: int) -> bool:
        """Is the frame at `row` a final data frame whose message has not been handed over yet? Only such a
        frame may still turn out to complete a message, so a filter's verdict on it can still change."""
        facts = int(self.frame_facts[row])
        return self.frame_messages[row] < 0 and bool(facts & _FIN) and not facts & CONTROL_OPCODE_BIT

    def first_awaiting_message(self, start: int) -> int:
        """The first row from `start` on for which awaits_message holds (the frame count if none)."""
        messages, count = self.frame_messages, len(self.frame_messages)
        row = start
        while row < count:
            try:
                row = messages.index(-1, row)  # only frames without a message yet can await one
            except ValueError:
                return count
            if self.awaits_message(row):
                return row
            row += 1
        return count

    def completed_message(self, row: int) -> Message | None:
        """The message the frame at `row` completes (its last frame), or None."""
        number = self.frame_messages[row]
        if number < 0:
            return None
        start, end = self.message_frame_starts[number], self.message_frame_starts[number + 1]
        if end > start and self.message_frames[end - 1] == self.frame_indices[row]:
            return self.message(number)
        return None

    def message_number(self, message: Message) -> int:
        """The number of `message` among the connection's messages (-1: not one of them)."""
        indices = message.frame_indices
        row = self.row_of_index(indices[0]) if indices else -1
        number = int(self.frame_messages[row]) if row >= 0 else -1
        if number < 0:
            return -1
        starts = self.message_frames, self.message_frame_starts
        if list(starts[0][starts[1][number] : starts[1][number + 1]]) != list(indices):
            return -1
        return number

    def message_packet_list(self, number: int) -> list[int]:
        return self._packets.get(self.message_packets[number])

    def has_violations(self, row: int) -> bool:
        """Does the frame at `row`, or the message it belongs to, break a rule?"""
        return row in self.frame_violations or self.frame_messages[row] in self.message_violations

    def violation_rows(self) -> list[int]:
        """The rows of the frames that break a rule or complete a message that does, in order."""
        return self.violation_rows_since(0, 0)

    def violation_rows_since(self, frames: int, messages: int) -> list[int]:
        """What `violation_rows` gained since the connection had `frames` frames and `messages` messages: the new
        frames that break a rule, and the frames completing the new messages that do (a message may complete
        after its last frame was counted, so those rows can be older). In order; costs what was gained."""
        rows = set(keys_since(self.frame_violations, frames))
        starts, indices = self.message_frame_starts, self.message_frames
        for number in keys_since(self.message_violations, messages):
            end = starts[number + 1]
            if end > starts[number]:
                row = self.row_of_index(indices[end - 1])
                if row >= 0:
                    rows.add(row)
        return sorted(rows)

    @staticmethod
    def _trim(cache: OrderedDict[int, FrameRecord] | OrderedDict[int, Message]) -> None:
        while len(cache) > CACHED:
            cache.popitem(last=False)


class ViolationsOnly:
    """What a filter reads of the message a frame completes when it reads nothing but violations."""

    __slots__ = ("violations",)

    def __init__(self, violations: tuple[Violation, ...]) -> None:
        self.violations = violations


class FrameHead:
    """A frame's header fields, connection and violations, read from a store's numbers: what a display
    filter that reads no payload asks of a Frame (filter.HEAD_FIELDS), without building one. One object
    moves from row to row (`row`), so a filter over every frame allocates nothing per frame."""

    def __init__(self, view: ConnectionView) -> None:
        self.view = view
        self.row = 0

    @property
    def fin(self) -> bool:
        return bool(self.view.frame_facts[self.row] & _FIN)

    @property
    def rsv1(self) -> bool:
        return bool(self.view.frame_facts[self.row] & _RSV1)

    @property
    def rsv2(self) -> bool:
        return bool(self.view.frame_facts[self.row] & _RSV2)

    @property
    def rsv3(self) -> bool:
        return bool(self.view.frame_facts[self.row] & _RSV3)

    @property
    def opcode(self) -> int:
        return int(self.view.frame_facts[self.row]) & OPCODE_MASK

    @property
    def masked(self) -> bool:
        return bool(self.view.frame_facts[self.row] & _MASKED)

    @property
    def direction(self) -> Direction:
        return self.view.direction(self.row)

    @property
    def index(self) -> int:
        return int(self.view.frame_indices[self.row])

    @property
    def payload_length(self) -> int:
        return int(self.view.frame_lengths[self.row])

    @property
    def length_form(self) -> int:
        return _FORMS[(self.view.frame_facts[self.row] >> _FORM_SHIFT) & 3]

    @property
    def header(self) -> bytes:
        """The first two header bytes (a head is only used for frames whose header has both)."""
        facts = int(self.view.frame_facts[self.row])
        form = _FORMS[(facts >> _FORM_SHIFT) & 3]
        seven = _LENGTH_CODES.get(form, int(self.view.frame_lengths[self.row]))
        return bytes((facts & _FIRST_BYTE, (0x80 if facts & _MASKED else 0) | seven))

    @property
    def masking_key(self) -> bytes | None:
        view, row = self.view, self.row
        if not view.frame_facts[row] & _HAS_KEY:
            return None
        end = view.frame_spilled[row] + view.frame_header_sizes[row]
        return view._spill.read(end - 4, 4)

    @property
    def violations(self) -> tuple[Violation, ...]:
        return self.view.frame_violations.get(self.row, ())


def passing_heads(view: ConnectionView, matches: Callable[[object, int, object], object],
                  uses_message: bool, start: int = 0) -> list[int]:
    """The rows of `view` from `start` on that `matches` keeps, for a filter that reads only FrameHead's
    fields: the fast path of frame_filter.passing_rows, which a test holds to filtering the frames themselves."""
    connection = view.id
    head = FrameHead(view)
    completing: dict[int, ViolationsOnly] = {}
    if uses_message:
        starts, frames = view.message_frame_starts, view.message_frames
        for number, violations in view.message_violations.items():
            end = starts[number + 1]
            if end > starts[number]:
                row = view.row_of_index(frames[end - 1])
                if row >= 0 and view.frame_messages[row] == number:
                    completing[row] = ViolationsOnly(violations)
    sizes = view.frame_header_sizes
    rows: list[int] = []
    for row in range(start, len(sizes)):
        if sizes[row] < 2:  # a header cut before its length: the frame itself answers
            record = view.record(row)
            message = record.message
            if message is not None and message.frame_indices[-1:] != [record.frame.index]:
                message = None
            if matches(record.frame, connection, message):
                rows.append(row)
            continue
        head.row = row
        if matches(head, connection, completing.get(row)):
            rows.append(row)
    return rows


class PacketLists:
    """Each event's packet numbers, all in one array: list n is numbers[starts[n]:starts[n + 1]]."""

    def __init__(self) -> None:
        self.starts = array("I", [0])
        self.numbers = array("I")
        self._last: list[int] | None = None
        self._last_number = -1
        # Gathered by `add` for the arrays, moved by `flush` (as ConnectionView gathers its frames).
        self._new_starts: list[int] = []
        self._new_numbers: list[int] = []
        self._numbers_flushed = 0  # len(numbers) and len(starts), as ConnectionView counts its arrays
        self._starts_flushed = 1

    def add(self, packets: list[int]) -> int:
        last = self._last
        if last is not None and (last is packets or last == packets):  # frames of one segment share it
            return self._last_number
        self._last = packets
        numbers = self._new_numbers
        numbers.extend(packets)
        starts = self._new_starts
        starts.append(self._numbers_flushed + len(numbers))
        number = self._starts_flushed + len(starts) - 2
        self._last_number = number
        return number

    def flush(self) -> None:
        """Move what `add` gathered into the arrays (numbers first: a reader of older lists reads both)."""
        _move(self._new_numbers, self.numbers)
        _move(self._new_starts, self.starts)
        self.count_flushed()

    def count_flushed(self) -> None:
        self._numbers_flushed = len(self.numbers)
        self._starts_flushed = len(self.starts)

    def get(self, number: int) -> list[int]:
        return list(self.numbers[self.starts[number] : self.starts[number + 1]])


ConnectionRecord = ConnectionView  # the window's name for it


# The arrays a tail carries the new part of (see SessionStore.tail), for the store and for each connection.
STORE_ARRAYS: Final = ("kinds", "event_views", "event_refs", "running_time", "opened_positions", "frame_positions",
                       "frame_marks", "message_positions")
VIEW_ARRAYS: Final = (
    "positions", "frame_positions", "frame_times", "frame_facts", "frame_indices", "frame_offsets", "frame_lengths",
    "frame_spilled", "frame_header_sizes", "frame_packets", "frame_messages",
    "message_positions", "message_times", "message_facts", "message_packets", "message_frames", "message_spilled",
    "message_sizes",
)
# Each dict, with the array whose length counts its keys (frame rows or message numbers).
VIEW_DICTS: Final = {"frame_violations": "frame_positions", "frame_cut": "frame_positions",
                     "message_violations": "message_positions", "message_texts": "message_positions"}
VIEW_LISTS: Final = ("notes", "handshakes", "first_closes")


class ViewTail:
    """What one connection gained since the last tail (see `ConnectionView.tail`)."""

    def __init__(self, place: int, connection: Connection, first_time: float, arrays: dict[str, array],  # type: ignore[type-arg]
                 starts: array, dicts: dict[str, list[tuple[int, object]]], lists: dict[str, list[object]],  # type: ignore[type-arg]
                 links: array, opened_at: int | None, closed_at: int | None, violations: int) -> None:  # type: ignore[type-arg]
        self.place = place  # its place in the store's connections
        self.connection = connection
        self.first_time = first_time
        self.arrays = arrays
        self.starts = starts
        self.dicts = dicts
        self.lists = lists
        self.links = links
        self.opened_at = opened_at
        self.closed_at = closed_at
        self.violations = violations


class StoreTail:
    """What a store gained since its last tail, for a copy of it elsewhere (SessionStore.absorb): new array
    entries, new kept events, each connection's gains, and how far its spill's bytes now reach."""

    def __init__(self, arrays: dict[str, array], others: list[SessionEvent], views: list[ViewTail],  # type: ignore[type-arg]
                 spill_size: int) -> None:
        self.arrays = arrays
        self.others = others
        self.views = views
        self.spill_size = spill_size

    @property
    def events(self) -> int:
        return len(self.arrays["kinds"])


class Events:
    """Every event of the session in order, rebuilt on demand (a read-only sequence)."""

    def __init__(self, store: SessionStore) -> None:
        self._store = store

    def __len__(self) -> int:
        return len(self._store.kinds)

    def __bool__(self) -> bool:
        return len(self._store.kinds) > 0

    def __getitem__(self, position: int) -> SessionEvent:
        count = len(self._store.kinds)
        if position < 0:
            position += count
        if not 0 <= position < count:
            raise IndexError("event position out of range")
        return self._store.event(position)

    def __iter__(self) -> Iterator[SessionEvent]:
        event = self._store.event
        for position in range(len(self._store.kinds)):
            yield event(position)


class SessionStore(EventHandler):
    """Every event of a session, in order, plus what a viewer looks up (see the module docstring)."""

    def __init__(self, source: str = "", spill: Spill | None = None) -> None:
        """`spill`: where frames' bytes go (or, for a store that absorbs tails, are read back from); a new
        temporary file by default."""
        self.source = source
        self.packets = 0
        self.times = TimeBase()  # what relative times count from: the first packet's time
        self.truncated = False  # the file ends inside a packet record; `packets` are the complete ones
        self.kinds = array("B")  # per event, KIND_*
        self.event_views = array("I")  # per event, its connection's place in `connections`
        self.event_refs = array("I")  # per event, its frame row, message number or place in `others`
        self.others: list[SessionEvent] = []
        self.running_time = array("d")  # per event, the latest time so far (end-of-capture events carry 0.0)
        self.connections: list[ConnectionView] = []
        self.by_id: dict[int, ConnectionView] = {}
        self.opened_positions = array("q")
        self.frame_positions = array("q")
        self.frame_marks = array("B")  # per frame in capture order, MARK_* bits
        self.message_positions = array("q")
        self.events = Events(self)
        self._spill = Spill() if spill is None else spill
        self._packets = PacketLists()
        self._view: ConnectionView | None = None
        self._marks: dict[str, int] = {}  # lengths when the last tail was taken
        self._view_marks: dict[int, dict[str, int]] = {}
        self._following = False  # a follower absorbs this store's tails: log the links it needs
        self._place = -1
        self._position = -1
        # What the adding path gathered for the arrays above (see ConnectionView.flush): `add` and `extend`
        # move it into them before they return.
        self._new_kinds: list[int] = []
        self._new_event_views: list[int] = []
        self._new_event_refs: list[int] = []
        self._new_running_time: list[object] = []  # floats
        self._new_frame_positions: list[object] = []  # ints
        self._new_frame_marks: list[int] = []
        self._new_message_positions: list[object] = []  # ints
        self._adding: list[ConnectionView] = []  # views that gathered something
        self._places: dict[int, int] = {}  # connection id: its place in `connections`
        self._latest = 0.0  # running_time's last entry, gathered or not
        self._latest_box: object = 0.0  # the same, as the object in the list (boxed once for all its entries)
        self._boxed_position: object = -1  # _position, boxed once for the lists it goes into
        self._boxed_time: object = 0.0  # the event's time, boxed once likewise
        self._has_latest = False
        self._events_flushed = 0  # len(kinds), as ConnectionView counts its arrays

    def add(self, event: SessionEvent) -> None:
        self._start()
        try:
            self._add(event)
        finally:
            self._flush()

    def extend(self, events: list[SessionEvent]) -> None:
        self._start()
        try:
            gathered = self._new_kinds
            for event in events:
                self._add(event)
                if len(gathered) >= GATHER_EVENTS:
                    self._flush()
        finally:
            self._flush()

    def _start(self) -> None:
        self._events_flushed = len(self.kinds)
        self._packets.count_flushed()
        running = self.running_time
        self._has_latest = len(running) > 0
        self._latest = running[-1] if self._has_latest else 0.0
        self._latest_box = self._latest

    def _add(self, event: SessionEvent) -> None:
        position = self._events_flushed + len(self._new_kinds)
        boxed_position: object = position
        time = event.time
        boxed_time: object = time
        if not self._has_latest or time > self._latest:
            self._latest = time
            self._latest_box = boxed_time
            self._has_latest = True
        self._new_running_time.append(self._latest_box)
        view = self._view
        if view is None or event.connection is not view.connection:
            view = self._switch(event)
        self._new_event_views.append(self._place)
        if not view.adding:
            view.begin_adding()
            self._adding.append(view)
        view._new_positions.append(boxed_position)
        self._position = position
        self._boxed_position = boxed_position
        self._boxed_time = boxed_time
        event.deliver(self)

    def _switch(self, event: SessionEvent) -> ConnectionView:
        """Make the view of `event`'s connection the current one (creating it for a new connection)."""
        connection = event.connection
        view = self.by_id.get(connection.id)
        if view is None:
            view = ConnectionView(connection, event.time, self._spill, self._packets)
            view.logging_links = self._following
            self.by_id[connection.id] = view
            self.connections.append(view)
            place = len(self.connections) - 1
            self._places[connection.id] = place
        else:
            found = self._places.get(connection.id)
            place = found if found is not None else self.connections.index(view)  # a view that was absorbed
            self._places[connection.id] = place
        self._place = place
        self._view = view
        return view

    def _flush(self) -> None:
        """Move what the adding path gathered into the arrays."""
        _move(self._new_kinds, self.kinds)
        _move(self._new_event_views, self.event_views)
        _move(self._new_event_refs, self.event_refs)
        _move(self._new_running_time, self.running_time)
        _move(self._new_frame_positions, self.frame_positions)
        _move(self._new_frame_marks, self.frame_marks)
        _move(self._new_message_positions, self.message_positions)
        for view in self._adding:
            view.flush()
        self._adding.clear()
        self._packets.flush()
        self._events_flushed = len(self.kinds)

    # -- a copy fed from another thread: one store decodes, the other absorbs its tails ---------

    def tail(self) -> StoreTail:
        """What was added since the last tail, for `absorb` on a store that shares nothing else with this one
        but its spill and packet lists (see `follower`). Only new entries move, plus the frames whose
        message completed since (`links`): appending to arrays is all the absorbing side does."""
        marks = self._marks
        arrays = {name: getattr(self, name)[marks.get(name, 0):] for name in STORE_ARRAYS}
        others = self.others[marks.get("others", 0):]
        views: list[ViewTail] = []
        for place, view in enumerate(self.connections):
            view_marks = self._view_marks.get(place)
            if view_marks is None:
                view_marks = self._view_marks[place] = {}
            elif view_marks.get("positions") == len(view.positions) and not view.links:
                continue
            views.append(view.tail(place, view_marks))
            for name in VIEW_ARRAYS:
                view_marks[name] = len(getattr(view, name))
            view_marks["message_frame_starts"] = len(view.message_frame_starts)
            for name in VIEW_LISTS:
                view_marks[name] = len(getattr(view, name))
        for name in STORE_ARRAYS:
            marks[name] = len(getattr(self, name))
        marks["others"] = len(self.others)
        packets = self._packets
        arrays["packet_starts"] = packets.starts[marks.get("packet_starts", 1):]
        arrays["packet_numbers"] = packets.numbers[marks.get("packet_numbers", 0):]
        marks["packet_starts"], marks["packet_numbers"] = len(packets.starts), len(packets.numbers)
        self._spill.flush()
        return StoreTail(arrays, others, views, self._spill.size)

    def follower(self, source: str = "") -> SessionStore:
        """An empty store to `absorb` this one's tails: it reads frames back from the same spill file."""
        self.keep_links()
        return SessionStore(source, self._spill.reader())

    def keep_links(self) -> None:
        """Tails will be taken: log what a copy needs to learn of frames whose message completed later."""
        for view in self.connections:
            view.logging_links = True
        self._following = True

    def absorb(self, tail: StoreTail) -> None:
        """Add what `tail` says its store gained (on the thread that reads this store)."""
        arrays = tail.arrays
        for name in STORE_ARRAYS:
            getattr(self, name).extend(arrays[name])
        self._packets.starts.extend(arrays["packet_starts"])
        self._packets.numbers.extend(arrays["packet_numbers"])
        self._spill.grown_to(tail.spill_size)
        self.others.extend(tail.others)
        for gained in tail.views:
            if gained.place >= len(self.connections):
                view = ConnectionView(gained.connection, gained.first_time, self._spill, self._packets)
                self.connections.append(view)
                self.by_id[gained.connection.id] = view
            view = self.connections[gained.place]
            for name, values in gained.arrays.items():
                getattr(view, name).extend(values)
            view.message_frame_starts.extend(gained.starts)
            for name, items in gained.dicts.items():
                getattr(view, name).update(items)
            for name, entries in gained.lists.items():
                getattr(view, name).extend(entries)
            links = gained.links
            for at in range(0, len(links), 2):
                view.link(links[at], links[at + 1])
            view.opened_at, view.closed_at = gained.opened_at, gained.closed_at
            view._violations = gained.violations

    def _other(self, event: SessionEvent) -> None:
        self._new_kinds.append(KIND_OTHER)
        self._new_event_refs.append(len(self.others))
        self.others.append(event)

    # -- EventHandler: what each kind adds to the views ---------------------------------------

    def opened(self, event: ConnectionOpened) -> None:
        self._other(event)
        self.opened_positions.append(self._position)
        view = self._view
        assert view is not None
        if view.opened_at is None:
            view.opened_at = self._position

    def handshake(self, event: HandshakeSeen) -> None:
        self._other(event)
        view = self._view
        assert view is not None
        view.handshakes.append((self._position, event.handshake.refused))

    def frame(self, event: FrameSeen) -> None:
        view = self._view
        assert view is not None
        frame = event.frame
        position = self._boxed_position
        row = view.add_frame(frame, event.packets, self._boxed_time, position)
        self._new_kinds.append(KIND_FRAME)
        self._new_event_refs.append(row)
        marks = MARK_CLIENT if frame.direction == _CLIENT_SIDE else 0
        if frame.violations:
            marks |= MARK_VIOLATION
        if frame.opcode == _CLOSE_OPCODE:
            marks |= MARK_CLOSE
        self._new_frame_positions.append(position)
        self._new_frame_marks.append(marks)

    def message(self, event: MessageSeen) -> None:
        view = self._view
        assert view is not None
        number = view.add_message(event.message, event.packets, self._boxed_time, self._boxed_position)
        self._new_kinds.append(KIND_MESSAGE)
        self._new_event_refs.append(number)
        self._new_message_positions.append(self._boxed_position)

    def note(self, event: NoteSeen) -> None:
        self._other(event)
        view = self._view
        assert view is not None
        view.notes.append(event)

    def closed(self, event: ConnectionClosed) -> None:
        self._other(event)
        view = self._view
        assert view is not None
        view.closed_at = self._position

    def finish(self) -> None:
        """The session is complete: counts that were kept as events arrived are taken again in full."""
        for view in self.connections:
            view.recount()

    # -- reading back ------------------------------------------------------------------------

    def view_at(self, position: int) -> ConnectionView:
        """The connection of the event at `position`."""
        return self.connections[self.event_views[position]]

    def event(self, position: int) -> SessionEvent:
        """The event at `position`, built again for frames and messages."""
        kind = self.kinds[position]
        ref = self.event_refs[position]
        if kind == KIND_OTHER:
            return self.others[ref]
        view = self.connections[self.event_views[position]]
        if kind == KIND_FRAME:
            record = view.record(ref)
            return FrameSeen(view.connection, record.frame, record.packets, record.time)
        return MessageSeen(view.connection, view.message(ref), view.message_packet_list(ref),
                           view.message_times[ref])

    def frame_record(self, position: int) -> FrameRecord | None:
        """The record of the frame event at `position` (None: not a frame)."""
        if self.kinds[position] != KIND_FRAME:
            return None
        return self.connections[self.event_views[position]].record(self.event_refs[position])

    def frame_row(self, position: int) -> tuple[ConnectionView, int] | None:
        """(connection, row in its frames) of the frame event at `position` (None: not a frame)."""
        if self.kinds[position] != KIND_FRAME:
            return None
        return self.connections[self.event_views[position]], int(self.event_refs[position])

    def latest_frame_row(self, view: ConnectionView, position: int) -> int:
        """The row of `view`'s last frame at or before `position` (-1: none yet)."""
        return bisect_right(view.frame_positions, position) - 1

    @property
    def start_time(self) -> float | None:
        """The first packet's time (seconds since the epoch), the base of the relative times shown."""
        return self.times.start

    @property
    def frame_count(self) -> int:
        return len(self.frame_positions)
