"""Resending a captured session's client frames or messages to a live server.

Three pure steps and one that talks to the server:

* `frame_items` / `message_items` pick what to resend from a connection of a session store: only what
  the client sent (a server frame is not the client's to send), in the order it was captured.
* `item_wire` turns a picked item into bytes: as new frames (the same bits and payload, masked with a
  fresh key, RFC 6455 §5.3: a client must not reuse a key it can predict) or as the original bytes.
* `pacing_delays` gives the pause before each item at the original pacing: the capture's own gaps.
* `resend` sends a plan on an open `Client`, either at those delays or each item after the server's
  answer to the previous one (its next frame), and reports how each went.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Final

from ..protocol.constants import Direction, opcode_name
from ..protocol.encoder import FrameSpec, encode, random_key
from ..protocol.frame import Frame
from ..protocol.masking import apply_mask
from ..session.events import FrameSeen
from ..session.store import ConnectionView
from .engine import Client

AT_ORIGINAL_PACING: Final = "pacing"
AFTER_EACH_ANSWER: Final = "answer"
MODES: Final = (AT_ORIGINAL_PACING, AFTER_EACH_ANSWER)
DEFAULT_ANSWER_WAIT: Final = 2.0  # seconds to wait for the server's answer before the next item
MAX_GAP: Final = 10.0  # a capture's long silence is shortened to this many seconds


@dataclass(frozen=True, slots=True)
class ResendItem:
    """What is resent as one: a frame, or a message's frames; `time` is when its first frame was seen."""

    frames: tuple[Frame, ...]
    time: float
    label: str


@dataclass(frozen=True, slots=True)
class ResendPlan:
    items: tuple[ResendItem, ...]
    original_bytes: bool = False  # False: new frames with fresh masking keys
    mode: str = AT_ORIGINAL_PACING
    answer_wait: float = DEFAULT_ANSWER_WAIT


@dataclass(frozen=True, slots=True)
class ResendStep:
    """How one item went: sent, and whether an answer came (None at the original pacing, which does not wait)."""

    label: str
    sent: int  # bytes written
    answered: bool | None


def spec_from_frame(frame: Frame) -> FrameSpec:
    """A decoded frame's parts, as they were: its key, its length form, and its declared length when the
    payload present differs from it (a truncated frame)."""
    declared = frame.payload_length if frame.payload_length != len(frame.payload) else None
    return FrameSpec(frame.payload, frame.opcode, frame.fin, frame.rsv1, frame.rsv2, frame.rsv3, frame.masked,
                     frame.masking_key, frame.length_form, declared)


def original_bytes(frame: Frame) -> bytes:
    """The frame's bytes as they were on the wire: its header, then its payload masked again with its key."""
    payload = frame.payload
    key = frame.masking_key
    return frame.header + (apply_mask(payload, key) if key is not None and payload else payload)


def with_new_key(frame: Frame, keys: Callable[[], bytes] = random_key) -> bytes:
    """The frame rebuilt with every bit as it was but a fresh masking key (an unmasked frame stays unmasked)."""
    spec = spec_from_frame(frame)
    if spec.masking_key is not None:
        spec = replace(spec, masking_key=keys())
    return encode(spec)


def item_wire(item: ResendItem, *, original: bool = False, keys: Callable[[], bytes] = random_key) -> bytes:
    if original:
        return b"".join(original_bytes(frame) for frame in item.frames)
    return b"".join(with_new_key(frame, keys) for frame in item.frames)


def _label(frames: Sequence[Frame]) -> str:
    first = frames[0]
    size = sum(len(frame.payload) for frame in frames)
    parts = f" in {len(frames)} frames" if len(frames) > 1 else ""
    return f"frame {first.index}: {opcode_name(first.opcode)}, {size} B{parts}"


def frame_items(view: ConnectionView, rows: Iterable[int]) -> list[ResendItem]:
    """The client's frames at `rows` of the connection's frames, in captured order (server frames are left out)."""
    records = view.frames
    chosen = sorted({row for row in rows if 0 <= row < len(records)})
    return [ResendItem((records[row].frame,), records[row].time, _label([records[row].frame]))
            for row in chosen if records[row].frame.direction is Direction.CLIENT]


def message_items(view: ConnectionView, numbers: Iterable[int]) -> list[ResendItem]:
    """The client's messages at `numbers` of the connection's messages, each with all its frames."""
    items = []
    for number in sorted({n for n in numbers if 0 <= n < len(view.messages)}):
        message = view.messages[number]
        if message.direction is not Direction.CLIENT:
            continue
        records = [view.frame_at(index) for index in message.frame_indices]
        found = [record for record in records if record is not None]
        if found:
            frames = [record.frame for record in found]
            items.append(ResendItem(tuple(frames), found[0].time, _label(frames)))
    return items


def client_frame_rows(view: ConnectionView) -> list[int]:
    return [row for row, record in enumerate(view.frames) if record.frame.direction is Direction.CLIENT]


def client_message_numbers(view: ConnectionView) -> list[int]:
    return [number for number, message in enumerate(view.messages) if message.direction is Direction.CLIENT]


def pacing_delays(items: Sequence[ResendItem], max_gap: float = MAX_GAP) -> list[float]:
    """Seconds to wait before each item: none before the first, then the captured gap (never negative,
    at most `max_gap`)."""
    delays = [0.0] * len(items)
    for number in range(1, len(items)):
        gap = items[number].time - items[number - 1].time
        delays[number] = min(max(gap, 0.0), max_gap)
    return delays


def _server_frame_since(client: Client, start: int) -> bool:
    """Whether a server frame is among the client's events from `start` on."""
    events = client.recording.events
    return any(type(event) is FrameSeen and event.frame.direction is Direction.SERVER for event in events[start:])


def resend(client: Client, plan: ResendPlan, report: Callable[[ResendStep], None] | None = None,
           keys: Callable[[], bytes] = random_key) -> list[ResendStep]:
    """Send the plan's items on the open `client` (see the module docstring). Stops early, without an error,
    when the connection closes; a problem on the socket raises the engine's ClientError."""
    done: list[ResendStep] = []
    delays = pacing_delays(plan.items)
    for item, delay in zip(plan.items, delays, strict=True):
        if not client.open:
            break
        if plan.mode == AT_ORIGINAL_PACING and delay:
            client.listen(delay, whole_frames=False)  # the server's frames keep arriving during the pause
            if not client.open:
                break
        wire = item_wire(item, original=plan.original_bytes, keys=keys)
        answered: bool | None = None
        if plan.mode == AFTER_EACH_ANSWER:
            start = len(client.recording.events)
            client.send_bytes(wire)
            answered = client.listen(plan.answer_wait, partial(_server_frame_since, client, start), whole_frames=False)
        else:
            client.send_bytes(wire)
        step = ResendStep(item.label, len(wire), answered)
        done.append(step)
        if report is not None:
            report(step)
    if plan.mode == AT_ORIGINAL_PACING and client.open:
        client.poll()
    return done

