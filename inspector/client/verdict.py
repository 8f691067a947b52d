"""Send a template and say whether the server reacted the way the RFC asks (templates.py holds the asks)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from inspector.protocol.constants import Direction, Opcode
from inspector.session.events import FrameSeen, MessageSeen, SessionEvent

from .engine import Client
from .templates import ECHO, NO_STATUS, NONE, PONG, Expect, Template


@dataclass(frozen=True, slots=True)
class Reaction:
    """What the server did after a template was sent."""

    close_code: int | None  # its Close frame's code (1005 for an empty body); None: no Close
    messages: tuple[tuple[int, bytes], ...]  # its data messages: (opcode, data)
    pongs: tuple[bytes, ...]
    tcp_closed: bool  # it closed TCP

    @property
    def closed(self) -> bool:
        return self.close_code is not None

    def describe(self) -> str:
        parts = []
        if self.pongs:
            parts.append(f"{len(self.pongs)} Pong(s)")
        if self.messages:
            parts.append(f"{len(self.messages)} message(s)")
        if self.close_code is not None:
            parts.append(f"a Close with code {self.close_code}")
        elif self.tcp_closed:
            parts.append("closed TCP without a Close frame")
        return "sent " + ", ".join(parts) if parts else "sent nothing"


@dataclass(frozen=True, slots=True)
class Verdict:
    template: Template
    reaction: Reaction | None  # None when the template could not be sent as meant
    passed: bool | None  # None: not judged (see `note`)
    note: str = ""

    def describe(self) -> str:
        expected = self.template.expect.describe()
        if self.passed is None:
            return f"verdict {self.template.name}: not judged: {self.note}"
        assert self.reaction is not None
        if self.passed:
            return f"verdict {self.template.name}: PASS: the RFC asks for {expected}; the server did that"
        return f"verdict {self.template.name}: FAIL: the RFC asks for {expected}; the server {self.reaction.describe()}"

    def to_json(self) -> dict[str, object]:
        return {"type": "verdict", "template": self.template.name, "expect": self.template.expect.to_json(),
                "passed": self.passed, "observed": self.reaction.describe() if self.reaction else None,
                "note": self.note or None}


def observe(events: Sequence[SessionEvent], tcp_closed: bool) -> Reaction:
    close_code: int | None = None
    messages: list[tuple[int, bytes]] = []
    pongs: list[bytes] = []
    for event in events:
        if event.direction is not Direction.SERVER:
            continue
        if type(event) is FrameSeen:
            frame = event.frame
            if frame.opcode == Opcode.CLOSE and close_code is None:
                close_code = frame.close_code if frame.close_code is not None else NO_STATUS
            elif frame.opcode == Opcode.PONG:
                pongs.append(frame.payload)
        elif type(event) is MessageSeen and close_code is None:
            messages.append((event.message.opcode, event.message.data))
    return Reaction(close_code, tuple(messages), tuple(pongs), tcp_closed)


def _sent(events: Sequence[SessionEvent]) -> tuple[list[tuple[int, bytes]], bytes | None]:
    """The client's complete data messages, and its last Ping's data."""
    messages: list[tuple[int, bytes]] = []
    last_ping: bytes | None = None
    for event in events:
        if event.direction is not Direction.CLIENT:
            continue
        if type(event) is MessageSeen and event.message.complete:
            messages.append((event.message.opcode, event.message.data))
        elif type(event) is FrameSeen and event.frame.opcode == Opcode.PING:
            last_ping = event.frame.payload
    return messages, last_ping


def meets(expect: Expect, reaction: Reaction, events: Sequence[SessionEvent]) -> bool:
    if expect.close_code is not None:
        return reaction.close_code == expect.close_code
    if reaction.closed or reaction.tcp_closed:
        return False
    sent, last_ping = _sent(events)
    if expect.reply == ECHO:
        return bool(sent) and list(reaction.messages) == sent
    if expect.reply == PONG:
        return last_ping is not None and last_ping in reaction.pongs
    return expect.reply == NONE and not reaction.messages and not reaction.pongs


def _decided(expect: Expect, reaction: Reaction, events: Sequence[SessionEvent]) -> bool:
    """Whether waiting longer could change the verdict."""
    if reaction.closed or reaction.tcp_closed:
        return True
    if expect.reply == NONE:
        return bool(reaction.messages or reaction.pongs)
    return expect.reply is not None and meets(expect, reaction, events)


def run_template(client: Client, template: Template, wait: float) -> Verdict:
    """Send the template's steps, listen up to `wait` seconds, and judge. SessionProblem passes through."""
    if template.deflate and client.compressor is None:
        return Verdict(template, None, None, "it needs permessage-deflate, which the server did not agree to")
    if template.deflate is False and client.compressor is not None:
        return Verdict(template, None, None, "it needs a connection without permessage-deflate")
    start = len(client.recording.events)
    unsent = 0
    for number, step in enumerate(template.steps):
        client.poll()
        if not client.open or client.server_closed:
            unsent = len(template.steps) - number
            break
        client.send(step)
    window = client.recording.events

    def decided() -> bool:
        return _decided(template.expect, observe(window[start:], client.eof), window[start:])

    client.listen(wait, until=decided)
    events = window[start:]
    reaction = observe(events, client.eof)
    note = f"the server closed before the last {unsent} step(s) were sent" if unsent else ""
    return Verdict(template, reaction, meets(template.expect, reaction, events), note)
