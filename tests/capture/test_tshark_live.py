"""The pcapng saved during a live capture: our frame headers must equal tshark's, frame for frame."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from inspector.capture.pcapfile import CaptureFile
from inspector.capture.pipeline import CaptureDecoder
from inspector.session.events import FrameSeen

from .test_live import record_session

pytestmark = [pytest.mark.live, pytest.mark.tshark]

TSHARK = shutil.which("tshark")
# The brief's fields, plus the extended lengths: websocket.payload_length is the 7-bit field (126, 127).
FIELDS = ("websocket.fin", "websocket.opcode", "websocket.mask", "websocket.payload_length", "websocket.masking_key",
          "websocket.payload_length_ext_16", "websocket.payload_length_ext_64")
LENGTH_16, LENGTH_64 = 126, 127  # RFC 6455 Section 5.2: the 7-bit field's escape values

Header = tuple[bool, int, bool, int, int, str]


def tshark_headers(path: Path, port: int) -> list[Header]:
    """(fin, opcode, mask, 7-bit length field, real payload length, masking key hex) per frame, in tshark's order."""
    assert TSHARK is not None, "tshark is part of this project's test environment (apt-get install tshark)"
    command = [TSHARK, "-r", str(path), "-o", "tcp.reassemble_out_of_order:TRUE", "-d", f"tcp.port=={port},http",
               "-Y", "websocket", "-T", "fields", *(arg for field in FIELDS for arg in ("-e", field))]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=True)
    headers = []
    for line in result.stdout.splitlines():
        columns = [column.split(",") if column else [] for column in line.split("\t")]
        fins, opcodes, masks, lengths, keys, ext16, ext64 = columns
        # A packet may end several frames; optional fields appear only for the frames that have them.
        key_iter, ext16_iter, ext64_iter = iter(keys), iter(ext16), iter(ext64)
        for fin, opcode, mask, field7 in zip(fins, opcodes, masks, lengths, strict=True):
            masked, short = _flag(mask), int(field7)
            key = next(key_iter).replace(":", "") if masked else ""
            length = {LENGTH_16: ext16_iter, LENGTH_64: ext64_iter}.get(short)
            real = int(next(length)) if length is not None else short
            headers.append((_flag(fin), int(opcode, 0), masked, short, real, key))
    return headers


def _flag(value: str) -> bool:
    return value.strip().lower() in ("1", "true")


def our_headers(path: Path) -> list[Header]:
    with CaptureFile(path) as capture:
        frames = [e.frame for e in CaptureDecoder().run(capture) if type(e) is FrameSeen]
    return [(f.fin, f.opcode, f.masked, f.header[1] & 0x7F, f.payload_length,
             f.masking_key.hex() if f.masking_key else "") for f in frames]


@pytest.mark.parametrize("compression", [None, "deflate"], ids=["plain", "deflate"])
def test_saved_capture_headers_equal_tsharks(tmp_path: Path, compression: str | None) -> None:
    recording = record_session(tmp_path, compression)
    assert recording.pcapng is not None
    ours = our_headers(recording.pcapng)
    theirs = tshark_headers(recording.pcapng, recording.port)
    assert len(ours) >= 20
    assert ours == theirs
