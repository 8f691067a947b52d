"""Every template, sent to a real `websockets` server: its reaction must be the one the template states.

Where websockets 17 departs from the RFC's ask, `WEBSOCKETS_DEVIATIONS` says what it does instead, and
the test holds it to exactly that (README, "Where the websockets library departs from the RFC").
"""

from __future__ import annotations

import pytest

from inspector.client.engine import Client, ClientOptions, deflate_offer
from inspector.client.errors import SessionProblem
from inspector.client.templates import CATALOGUE, ECHO, Template
from inspector.client.verdict import run_template

WAIT = 0.3  # seconds to listen; every reaction but "none" ends the wait early

# template -> what websockets does instead of the RFC's ask: ("echo") or (close code)
WEBSOCKETS_DEVIATIONS: dict[str, str | int] = {
    "non-minimal-length-16": ECHO,  # §5.2 says the length MUST be minimal; websockets accepts any form
    "non-minimal-length-64": ECHO,
    "length-2-63": 1009,  # it checks the size against max_size first: "message too big", not 1002
    "close-between-fragments": 1002,  # §5.4 allows control frames between fragments; it fails the connection
    "bad-deflate-data": 1002,  # RFC 7692 names no code; websockets picks 1002, the inspector 1007
}


def test_the_catalogue_is_large_and_covers_every_category() -> None:
    assert len(CATALOGUE) >= 40
    assert {t.category for t in CATALOGUE} == {"framing", "ping-pong", "reserved-bits", "opcodes", "fragmentation",
                                               "utf-8", "close", "masking", "compression"}


@pytest.mark.parametrize("template", CATALOGUE, ids=lambda t: t.name)
def test_websockets_reacts_as_the_template_states(echo_url: str, template: Template) -> None:
    options = ClientOptions(extensions=[deflate_offer()] if template.deflate else [], idle_timeout=2.0)
    client = Client(echo_url, options)
    client.connect()
    try:
        verdict = run_template(client, template, WAIT)
    finally:
        client.abort()
    assert verdict.reaction is not None, verdict.note
    deviation = WEBSOCKETS_DEVIATIONS.get(template.name)
    if deviation is None:
        assert verdict.passed, verdict.describe()
        return
    assert not verdict.passed, f"websockets now does what the RFC asks for {template.name}; update the list"
    if deviation == ECHO:
        assert verdict.reaction.messages and verdict.reaction.close_code is None, verdict.describe()
    else:
        assert verdict.reaction.close_code == deviation, verdict.describe()


def test_after_a_cut_short_frame_the_close_is_swallowed_as_payload(echo_url: str) -> None:
    """The server waits for the missing 10 bytes, so our Close fills them and is never answered."""
    template = next(t for t in CATALOGUE if t.name == "frame-cut-short")
    client = Client(echo_url, ClientOptions(idle_timeout=0.5))
    client.connect()
    assert run_template(client, template, WAIT).passed
    with pytest.raises(SessionProblem, match=r"did not answer the Close within 0\.5 s"):
        client.close()
    assert client.recording.chunks  # the session so far is kept
