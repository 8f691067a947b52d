"""The one record every packet source produces: a capture file, live sniffing or the built-in client.

Kept deliberately small and stable: the link-layer bytes plus where and when they were seen.
Nothing here is dissected; `layers.decode_tcp` does that on demand.
"""

from __future__ import annotations

from typing import NamedTuple


class RawPacket(NamedTuple):
    number: int  # 1-based position in the capture, as Wireshark numbers packets
    time: float  # seconds since the epoch
    linktype: int  # LINKTYPE_* value of the interface that saw it (see layers.py)
    data: bytes  # the captured bytes, starting at the link-layer header
    wire_length: int  # length on the wire; larger than len(data) when the snapshot length cut it
