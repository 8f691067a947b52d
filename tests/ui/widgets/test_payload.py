import base64
import json

from PySide6.QtGui import QStandardItemModel

from inspector.protocol.fieldtree import frame_fields
from inspector.ui.widgets.demo import json_frame
from inspector.ui.widgets.payload import MODE_BASE64, MODE_HEX, MODE_JSON, MODE_TEXT, MODES, RENDER_LIMIT, PayloadView

from .helpers import capture_records


def _view(qtbot) -> PayloadView:
    view = PayloadView()
    qtbot.addWidget(view)
    return view


def _json_enabled(view: PayloadView) -> bool:
    model = view.mode_box.model()
    assert isinstance(model, QStandardItemModel)
    return model.item(MODES.index(MODE_JSON)).isEnabled()


def test_markup_shows_literally(qtbot):
    view = _view(qtbot)
    view.show_bytes(b"<b>x</b> &amp; <script>alert(1)</script>")
    assert view.text.toPlainText() == "<b>x</b> &amp; <script>alert(1)</script>"
    assert not view.text.document().firstBlock().charFormat().font().bold()


def test_json_pretty_and_fallback(qtbot):
    view = _view(qtbot)
    frame = json_frame()
    view.show_frame(frame, frame_fields(frame))
    assert _json_enabled(view)
    view.set_mode(MODE_JSON)
    shown = view.text.toPlainText()
    assert json.loads(shown) == json.loads(frame.payload)
    assert '\n  "type": "chat"' in shown
    assert "<b>all</b>" in shown
    view.show_bytes(b"not json {")
    assert not _json_enabled(view)
    assert view.mode == MODE_TEXT
    assert view.text.toPlainText() == "not json {"


def test_hex_and_base64(qtbot):
    view = _view(qtbot)
    data = b"Hello, \x00\xff world!!"
    view.show_bytes(data)
    view.set_mode(MODE_HEX)
    lines = view.text.toPlainText().splitlines()
    assert lines[0].startswith("000000  48 65 6c 6c 6f 2c 20 00 ff 20 77 6f 72 6c 64 21")
    assert lines[0].endswith("Hello,␣··␣world!")
    assert lines[1].startswith("000010  ")
    view.set_mode(MODE_BASE64)
    assert base64.b64decode(view.text.toPlainText().replace("\n", "")) == data


def test_control_characters_are_escaped_but_lines_kept(qtbot):
    view = _view(qtbot)
    view.show_bytes("bell\x07 line\nnext\ttab \u200b".encode())
    assert view.text.toPlainText() == "bell\\x07 line\nnext\ttab \\u200b"


def test_big_payloads_are_cut_until_show_all(qtbot):
    view = _view(qtbot)
    data = ("0123456789abcdef" * 40_000).encode()  # 640,000 bytes
    for mode in (MODE_TEXT, MODE_HEX, MODE_BASE64):
        view.show_bytes(data)
        view.set_mode(mode)
        assert len(view.text.toPlainText()) <= RENDER_LIMIT
        assert not view.show_all_button.isHidden()
    view.set_mode(MODE_TEXT)
    view.show_all()
    assert view.text.toPlainText() == data.decode()
    assert view.show_all_button.isHidden()


def test_a_cut_never_splits_a_character(qtbot):
    view = _view(qtbot)
    view.show_bytes("é".encode() * RENDER_LIMIT)  # two bytes each; the cut falls between characters or inside one
    assert set(view.text.toPlainText()) == {"é"}


def test_a_compressed_message_shows_inflated(qtbot):
    record = next(r for r in capture_records("websockets-deflate.pcapng")
                  if r.message is not None and r.message.compressed and r.frame.rsv1)
    view = _view(qtbot)
    view.show_frame(record.frame, frame_fields(record.frame, message=record.message))
    assert "inflated" in view.caption.text()
    assert view.text.toPlainText() == record.message.data.decode("utf-8", "replace")
    view.set_mode(MODE_HEX)
    assert view.text.toPlainText().startswith("000000  " + record.message.data[:1].hex())
