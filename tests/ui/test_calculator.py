"""Help → Handshake Calculator: typed keys give the documents' answers, in the very text `inspector accept` prints."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from inspector.cli import main
from inspector.ui.calculator import CalculatorDialog
from tests.test_cli_accept import H76_ANSWER, H76_KEY1, H76_KEY2, H76_KEY3, NOTE_ACCEPT, NOTE_KEY, RFC_ACCEPT, RFC_KEY
from tests.ui.windows import new_window


@pytest.fixture
def dialog(qtbot) -> CalculatorDialog:
    calculator = CalculatorDialog()
    qtbot.addWidget(calculator)
    calculator.show()
    return calculator


def cli_output(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    main(["accept", *argv])
    return capsys.readouterr().out


@pytest.mark.parametrize(("key", "accept"), [(RFC_KEY, RFC_ACCEPT), (NOTE_KEY, NOTE_ACCEPT)])
def test_typing_a_key_shows_its_accept(qtbot, dialog: CalculatorDialog, key: str, accept: str) -> None:
    tab = dialog.rfc6455
    assert accept not in tab.steps.toPlainText()
    qtbot.keyClicks(tab.key, key)
    text = tab.steps.toPlainText()
    assert text.splitlines()[-1].split() == ["4.", "base64", accept]
    assert "valid: the base64 of a 16-byte nonce" in text and tab.verdict.text() == ""


def test_the_dialog_text_is_the_command_output(qtbot, capsys, dialog: CalculatorDialog) -> None:
    tab = dialog.rfc6455
    qtbot.keyClicks(tab.key, NOTE_KEY)
    assert tab.steps.toPlainText() + "\n" == cli_output(capsys, NOTE_KEY)
    qtbot.keyClicks(tab.expected, RFC_ACCEPT)  # the wrong one: the other example's answer
    assert tab.steps.toPlainText() + "\n" == cli_output(capsys, NOTE_KEY, "--expect", RFC_ACCEPT)
    assert tab.verdict.text().startswith("✗")
    tab.expected.clear()
    qtbot.keyClicks(tab.expected, NOTE_ACCEPT)
    assert tab.verdict.text().startswith("✓")
    assert tab.steps.toPlainText() + "\n" == cli_output(capsys, NOTE_KEY, "--expect", NOTE_ACCEPT)


def test_a_key_that_is_no_nonce_is_still_worked_and_named(qtbot, dialog: CalculatorDialog) -> None:
    qtbot.keyClicks(dialog.rfc6455.key, "hello")
    assert "NOT valid" in dialog.rfc6455.steps.toPlainText()


def test_draft76_example_gives_its_answer(qtbot, capsys, dialog: CalculatorDialog) -> None:
    dialog.tabs.setCurrentWidget(dialog.hixie76)
    tab = dialog.hixie76
    qtbot.keyClicks(tab.key1, H76_KEY1)
    qtbot.keyClicks(tab.key2, H76_KEY2)
    qtbot.keyClicks(tab.body, H76_KEY3.hex()[:-2])  # 7 bytes: the steps say what is missing, nothing crashes
    assert tab.steps.toPlainText() == "BODY_HEX must be 8 bytes (16 hex digits), got 7"
    qtbot.keyClicks(tab.body, H76_KEY3.hex()[-2:])
    text = tab.steps.toPlainText()
    md5_input = (155712099).to_bytes(4, "big") + (173347027).to_bytes(4, "big") + H76_KEY3
    assert hashlib.md5(md5_input).digest() == H76_ANSWER
    assert f"{H76_ANSWER.hex()}  {H76_ANSWER.decode()!r}" in text.splitlines()[-1]
    assert "1868545188 / 12 = 155712099" in text and "1733470270 / 10 = 173347027" in text
    assert text + "\n" == cli_output(capsys, "--hixie76", H76_KEY1, H76_KEY2, H76_KEY3.hex())
    qtbot.keyClicks(tab.expected, H76_ANSWER.decode())
    assert tab.verdict.text().startswith("✓")


def test_the_help_menu_opens_it(qtbot, tmp_path: Path) -> None:
    window = new_window(qtbot, tmp_path / "settings.ini")
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    entry = next(a for a in help_menu.actions() if a.text().startswith("Handshake"))
    assert window.calculator is None
    entry.trigger()
    dialog = window.calculator
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.rfc6455.key, RFC_KEY)
    assert RFC_ACCEPT in dialog.rfc6455.steps.toPlainText()
    entry.trigger()  # a second time raises the same dialog
    assert window.calculator is dialog
