"""Session values as bytes, so a store can be filled from another process (the window's loader).

What crosses is mostly a store's tails (`StoreTail`), whose arrays pickle as their raw bytes. The rest
needs care:

- A `Connection` holds its live decoder (inflaters, parsers), which neither can nor should cross. The
  sending side names each connection by its id and adds, after the value, a `ConnectionFacts` for every
  connection the value mentions: what a viewer reads of it. The receiving side keeps one `Connection`
  per id for the whole session, with a decoder that holds only those facts, so every event of a
  connection points at one object, as it does in the decoding process.
- The core's dataclasses are compiled for speed, and a compiled frozen dataclass cannot be unpickled the
  default way (pickle would assign its fields one by one). They cross as their constructor's arguments,
  and so do the compiled session events kept as objects (openings, handshakes, notes, closes) and tails.
"""

from __future__ import annotations

import copyreg
import dataclasses
import io
import pickle
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

from ..protocol import connection as connection_module
from ..protocol import deflate, handshake, hixie, violations
from ..protocol.connection import ConnectionDecoder
from ..protocol.handshake import Handshake, HttpRequest, HttpResponse
from ..protocol.hixie import Challenge, HixieSession
from ..protocol.violations import Violation
from .events import Connection, ConnectionClosed, ConnectionOpened, HandshakeSeen, NoteSeen
from .store import StoreTail, ViewTail

# Modules whose dataclasses may be part of a tail (inside handshakes, violations and challenges).
_DATACLASS_MODULES: tuple[ModuleType, ...] = (connection_module, deflate, handshake, hixie, violations)
_CONNECTION_TAG = "connection"


class ConnectionFacts:
    """What a viewer reads of a connection (see the module docstring), as plain data."""

    def __init__(self, connection: Connection) -> None:
        decoder = connection.decoder
        self.id = connection.id
        self.client = connection.client
        self.server = connection.server
        self.gaps = connection.gaps
        self.conflicts = connection.conflicts
        self.protocol = decoder.protocol
        self.request: HttpRequest | None = decoder.request
        self.response: HttpResponse | None = decoder.response
        self.handshake: Handshake | None = decoder.handshake
        self.violations: list[Violation] = list(decoder.violations)
        session = decoder.hixie
        self.hixie: tuple[str, HttpRequest, HttpResponse, Challenge | None] | None = (
            None if session is None else (session.version, session.request, session.response, session.challenge))

    def apply(self, connection: Connection) -> None:
        """Make the receiving side's `connection` say what the sender's said."""
        connection.client, connection.server = self.client, self.server
        connection.gaps, connection.conflicts = self.gaps, self.conflicts
        decoder = connection.decoder
        decoder.protocol = self.protocol
        # Kept once set: the events that carried them point at these objects.
        if decoder.request is None:
            decoder.request = self.request
        if decoder.response is None:
            decoder.response = self.response
        if decoder.handshake is None:
            decoder.handshake = self.handshake
        decoder.violations[:] = self.violations
        if self.hixie is not None:
            version, request, response, challenge = self.hixie
            if decoder.hixie is None:
                decoder.hixie = HixieSession(version, request, response, decoder.violations)
            decoder.hixie.challenge = challenge
            decoder.hixie.handshake = decoder.handshake


def _reduce_dataclass(instance: Any) -> tuple[object, ...]:
    return type(instance), tuple(getattr(instance, field.name) for field in dataclasses.fields(instance))


def _transferable_dataclasses() -> Iterator[type]:
    """The core's dataclasses whose every field is a constructor argument (those can be rebuilt by calling it)."""
    for module in _DATACLASS_MODULES:
        for value in vars(module).values():
            is_own_dataclass = (isinstance(value, type) and value.__module__ == module.__name__
                                and dataclasses.is_dataclass(value))
            if is_own_dataclass and all(field.init for field in dataclasses.fields(value)):
                yield value


def _reducers() -> dict[type, Callable[[Any], tuple[object, ...]]]:
    table: dict[type, Callable[[Any], tuple[object, ...]]] = dict(copyreg.dispatch_table)
    for cls in _transferable_dataclasses():
        table[cls] = _reduce_dataclass
    table[ConnectionOpened] = lambda e: (ConnectionOpened, (e.connection, e.packets, e.time))
    table[HandshakeSeen] = lambda e: (HandshakeSeen, (e.connection, e.handshake, e.packets, e.time))
    table[NoteSeen] = lambda e: (
        NoteSeen, (e.connection, e.direction, e.kind, e.offset, e.length, e.message, e.packets, e.time))
    table[ConnectionClosed] = lambda e: (ConnectionClosed, (e.connection, e.time))  # it has no packets
    table[StoreTail] = lambda t: (StoreTail, (t.arrays, t.others, t.views, t.spill_size))
    table[ViewTail] = lambda v: (ViewTail, (v.place, v.connection, v.first_time, v.arrays, v.starts, v.dicts, v.lists,
                                            v.links, v.opened_at, v.closed_at, v.violations))
    return table


_REDUCERS = _reducers()


class _Pickler(pickle.Pickler):
    dispatch_table = _REDUCERS

    def __init__(self, file: io.BytesIO) -> None:
        super().__init__(file, pickle.HIGHEST_PROTOCOL)
        self.connections: dict[int, Connection] = {}

    def persistent_id(self, obj: object) -> object:
        if isinstance(obj, Connection):
            self.connections[obj.id] = obj
            return (_CONNECTION_TAG, obj.id)
        return None


def dumps(value: object) -> bytes:
    """`value` (tails, events, plain data, in any mix) as bytes for `SessionReader.loads`, followed by the facts
    of every connection it mentions."""
    buffer = io.BytesIO()
    pickler = _Pickler(buffer)
    pickler.dump(value)
    # The same pickler: an object already sent (a handshake in an event) is referred to, not sent again.
    pickler.dump([ConnectionFacts(connection) for connection in pickler.connections.values()])
    return buffer.getvalue()


class SessionReader:
    """Reads what `dumps` wrote for one session, in order, keeping one `Connection` per id throughout."""

    def __init__(self) -> None:
        self.connections: dict[int, Connection] = {}

    def loads(self, data: bytes) -> tuple[object, list[ConnectionFacts]]:
        """(the value, the facts of its connections): apply the facts (`apply`) on the thread that reads the
        connections, before it reads what the value added."""
        unpickler = pickle.Unpickler(io.BytesIO(data))
        unpickler.persistent_load = self._connection  # type: ignore[method-assign]
        value = unpickler.load()
        facts: list[ConnectionFacts] = unpickler.load()
        return value, facts

    def apply(self, facts: list[ConnectionFacts]) -> None:
        for fact in facts:
            fact.apply(self._connection((_CONNECTION_TAG, fact.id)))

    def _connection(self, key: tuple[str, int]) -> Connection:
        tag, number = key
        if tag != _CONNECTION_TAG:
            raise pickle.UnpicklingError(f"unknown reference {tag!r}")
        connection = self.connections.get(number)
        if connection is None:
            connection = self.connections[number] = Connection(number, "", "", ConnectionDecoder())
        return connection
