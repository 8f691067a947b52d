"""The guided tour as data: which bundled capture each step opens, which frame and field it selects, which
pane it shows, and the teaching-catalogue keys of its words. No Qt here; the panel (panel.py) plays it.

The order is the one learners read RFC 6455 in: the HTTP Upgrade and the accept key (with the drafts
before it beside them), the frame layout, masking, fragmentation, ping/pong, the close codes, then
extensions; it ends with a broken rule in a capture and three hands-on steps against the lab server.
A step's frame is counted from 0 across the whole session in capture order, as `--frame` counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from ...protocol import teaching

# What a hands-on step asks the learner to do; the panel's "Do it for me" does the same.
ACTION_START_LAB: Final = "start-lab"
ACTION_SEND_TEXT: Final = "send-text"
ACTION_BREAK_RULE: Final = "break-rule"
LAB_MODE: Final = "strict"  # the lab server closes with the RFC's code and names the rule it saw broken


@dataclass(frozen=True, slots=True)
class TourStep:
    id: str  # the catalogue keys are tour:<id>:title and tour:<id>:body
    pane: str  # a pane name as `--pane` takes it
    capture: str | None = None  # a bundled capture's file name; None keeps whatever is open
    frame: int | None = None  # the session frame to select; None keeps the first connection's first frame
    field: str | None = None  # the display-filter name of the field to select
    action: str | None = None  # a hands-on step's task (ACTION_*)

    @property
    def title_key(self) -> str:
        return f"{teaching.TOUR}{self.id}:title"

    @property
    def body_key(self) -> str:
        return f"{teaching.TOUR}{self.id}:body"


ECHO: Final = "websockets-echo.pcapng"
DEFLATE: Final = "chromium-deflate.pcapng"
VIOLATIONS: Final = "websockets-violations.pcapng"
HIXIE_76: Final = "hixie-76.pcapng"

STEPS: Final[tuple[TourStep, ...]] = (
    TourStep("upgrade", "handshake", ECHO, 0),
    TourStep("old-handshakes", "compare", HIXIE_76),
    TourStep("frame-layout", "diagram", ECHO, 0, "websocket.payload_length"),
    TourStep("masking", "masking", ECHO, 0, "websocket.masking_key"),
    TourStep("fragmentation", "messages", ECHO, 6, "websocket.fin"),
    TourStep("heartbeat", "payload", ECHO, 11, "websocket.payload.ping"),
    TourStep("close", "payload", ECHO, 13, "websocket.payload.close.status_code"),
    TourStep("deflate", "payload", DEFLATE, 0, "websocket.rsv1"),
    TourStep("violation", "violations", VIOLATIONS, 6, "websocket.mask"),
    TourStep("start-lab", "crafter", action=ACTION_START_LAB),
    TourStep("send-text", "crafter", action=ACTION_SEND_TEXT),
    TourStep("break-rule", "crafter", action=ACTION_BREAK_RULE),
)


def step_text(step: TourStep) -> tuple[str, str]:
    """The step's title and body, in the teaching catalogue's language."""
    return teaching.text(step.title_key), teaching.text(step.body_key)
