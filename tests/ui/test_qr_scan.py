"""Checking a note by showing the receipt's QR code to the kiosk's camera (issue 6, camera optional).

No test machine has a camera: frames are handed to the scanner the way the camera's video sink hands
them over (``ReceiptScanner(external_frames=True)``), and decoding is real (zxing-cpp, off the UI
thread). Without a camera the lookup page is exactly the typed one.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage, QPainter, QTransform
from PySide6.QtMultimedia import QMediaDevices, QVideoFrame
from pytestqt.qtbot import QtBot

from kiosk.bootstrap import App
from kiosk.services.qr_receipt import receipt_qr_text
from kiosk.ui.context import UiContext
from kiosk.ui.kiosk_screen import PAGE_SERVICES, qr_image
from kiosk.ui.qr_scan import ReceiptScanner
from kiosk.ui.voice_box import STEP_LOOKUP, STEP_STATUS, VoiceBox
from tests.ui.test_voice_box import click, make, tap

RECEIPT = "261125-7KQ4"


def camera_frame(text: str, size: tuple[int, int] = (1280, 720), angle: float = 6.0) -> QImage:
    """A camera-sized frame: the receipt page's QR code held up small and a little tilted, on gray."""
    frame = QImage(*size, QImage.Format.Format_RGB32)
    frame.fill(QColor(118, 118, 118))
    code = qr_image(text, 220)
    painter = QPainter(frame)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    painter.setTransform(QTransform().translate(size[0] * 0.55, size[1] * 0.45).rotate(angle))
    painter.drawImage(QPointF(-code.width() / 2, -code.height() / 2), code)
    painter.end()
    return frame


@pytest.fixture
def scanner(qtbot: QtBot) -> Iterator[ReceiptScanner]:
    scanner = ReceiptScanner(external_frames=True)
    yield scanner
    scanner.stop()
    scanner.wait()


def test_the_lookup_page_offers_the_camera_only_where_there_is_one(qtbot: QtBot, ctx: UiContext) -> None:
    camera = bool(QMediaDevices.videoInputs())  # none on CI or on this development machine
    assert ReceiptScanner().available is camera
    screen = make(qtbot, ctx)
    screen.show_status_check()
    voice = screen.voice
    assert voice.step == STEP_LOOKUP and voice.keyboard.target is voice.receipt_edit
    assert voice.scanner is not None and voice.scanner.available is camera and voice.scanner.active is camera
    assert voice.camera_hint.isHidden() is not camera
    assert ("카메라" in voice.announcement()) is camera
    assert voice.lookup_help.text() == "영수증에 있는 접수번호와 확인번호 6자리를 입력하십시오."


def test_a_frame_with_the_receipt_code_gives_the_receipt_number_once(qtbot: QtBot, scanner: ReceiptScanner) -> None:
    code = qr_image(receipt_qr_text(RECEIPT.lower()), 240)
    read: list[str] = []
    scanner.sig_receipt.connect(read.append)
    assert not scanner.feed(code)  # not scanning: frames are not even looked at
    assert scanner.start() and scanner.active
    with qtbot.waitSignal(scanner.sig_receipt, timeout=5000) as blocker:
        assert scanner.feed(code)
        assert read == [] and scanner.busy  # decoded in the worker: the UI thread went straight on
        assert not scanner.feed(code)  # one frame at a time; the rest are dropped, not queued
    assert blocker.args == [RECEIPT]

    blank = QImage(333, 250, QImage.Format.Format_RGB32)  # odd width: gray rows are padded
    blank.fill(QColor("white"))
    for frame in (code, qr_image("https://example.com/feedback/261125-7KQ4"), blank):
        assert scanner.feed(frame)  # the same code again, a foreign one, a frame without a code
        qtbot.waitUntil(lambda: not scanner.busy, timeout=5000)
    assert read == [RECEIPT]
    other = "261126-K1-A2B3"
    with qtbot.waitSignal(scanner.sig_receipt, timeout=5000) as blocker:
        scanner.feed(camera_frame(receipt_qr_text(other), (1278, 719)))
    assert blocker.args == [other]
    scanner.stop()
    assert not scanner.active and not scanner.feed(code)


def test_camera_frames_through_the_video_sink_are_sampled_and_decoded(qtbot: QtBot, scanner: ReceiptScanner) -> None:
    scanner.interval_ms = 60_000
    assert scanner.start() and scanner.sink is not None
    with qtbot.waitSignal(scanner.sig_receipt, timeout=5000) as blocker:
        scanner.sink.setVideoFrame(QVideoFrame(camera_frame(receipt_qr_text(RECEIPT))))
    assert blocker.args == [RECEIPT]
    with qtbot.assertNotEmitted(scanner.sig_receipt, wait=300):  # within the interval: not even decoded
        scanner.sink.setVideoFrame(QVideoFrame(camera_frame(receipt_qr_text("261125-ABCD"))))
        qtbot.wait(50)
        assert not scanner.busy
    scanner.stop()
    assert scanner.sink is None  # the camera's path is closed while the lookup step is not on screen
    assert scanner.start()  # a new visit: the same receipt counts again
    scanner.interval_ms = 0
    with qtbot.waitSignal(scanner.sig_receipt, timeout=5000) as blocker:
        assert scanner.sink is not None
        scanner.sink.setVideoFrame(QVideoFrame(camera_frame(receipt_qr_text(RECEIPT), angle=-4)))
    assert blocker.args == [RECEIPT]


def test_showing_the_code_fills_the_receipt_and_the_keyboard_moves_to_the_pin(
    qtbot: QtBot, ctx: UiContext, app: App, scanner: ReceiptScanner
) -> None:
    assert app.feedback is not None
    receipt = app.feedback.submit("praise", "2번 창구 직원이 친절했습니다")
    screen = make(qtbot, ctx)
    voice = screen.voice
    voice.set_scanner(scanner)
    assert not scanner.active  # the camera is off until the lookup step is on screen
    click(qtbot, screen.status_button)
    assert voice.step == STEP_LOOKUP and scanner.active
    assert voice.camera_hint.isVisible() and voice.camera_hint.text() == "QR 코드를 카메라에 보여 주셔도 됩니다."
    assert voice.announcement().endswith("QR 코드를 카메라에 보여 주셔도 됩니다.")
    kb = voice.keyboard
    assert kb.target is voice.receipt_edit

    tap(qtbot, kb, "26")  # the visitor had started typing; a foreign code changes nothing
    scanner.feed(camera_frame("https://example.com/"))
    qtbot.waitUntil(lambda: not scanner.busy, timeout=5000)
    assert voice.receipt_edit.text() == "26" and kb.target is voice.receipt_edit

    with qtbot.waitSignal(scanner.sig_receipt, timeout=5000):
        scanner.feed(camera_frame(receipt_qr_text(receipt.receipt)))
    assert voice.receipt_edit.text() == receipt.receipt
    assert kb.target is voice.pin_edit and voice.pin_edit.hasFocus()  # the PIN is never in the code: typed
    assert voice.lookup_error.isVisible() and voice.lookup_error.objectName() == "notice"
    assert voice.lookup_error.text() == "QR 코드에서 접수번호를 읽었습니다. 확인번호 6자리를 입력하십시오."
    ctx.set_language("en")  # what the page says follows the language switch
    assert voice.camera_hint.text() == "You can also show the QR code to the camera."
    assert voice.lookup_error.text() == "The receipt number was read from the QR code. Please enter the 6-digit PIN."
    ctx.set_language("ko")
    assert kb.target is voice.pin_edit
    tap(qtbot, kb, receipt.pin)
    with qtbot.waitSignal(voice.sig_status_shown, timeout=5000):
        click(qtbot, voice.lookup_button)
    assert voice.step == STEP_STATUS and voice.status_title.text() == f"접수번호 {receipt.receipt}"
    assert not scanner.active  # left the step: the camera is off

    click(qtbot, screen.back_button)
    assert voice.step == STEP_LOOKUP and scanner.active and voice.camera_hint.isVisible()
    assert voice.lookup_error.isHidden() and voice.receipt_edit.text() == receipt.receipt
    click(qtbot, screen.home_button)
    assert screen.page == PAGE_SERVICES and not scanner.active
    assert voice.receipt_edit.text() == ""  # the next visitor starts clean


def test_a_voice_box_scans_only_while_its_lookup_step_is_on_screen(
    qtbot: QtBot, ctx: UiContext, scanner: ReceiptScanner
) -> None:
    voice = VoiceBox(ctx, scanner=scanner)
    qtbot.addWidget(voice)
    voice.retranslate()
    voice.start_lookup()
    assert not voice.isVisible() and not scanner.active and not voice.camera_hint.isHidden()
    voice.show()
    qtbot.waitExposed(voice)
    assert scanner.active
    voice.hide()
    assert not scanner.active
    voice.show()
    assert scanner.active
    scanner.stop()
    scanner.sig_failed.emit()  # as when the camera is unplugged while scanning: the page stops offering it
    assert voice.camera_hint.isHidden()
    voice.start_lookup()
    assert scanner.active and voice.camera_hint.isVisible()  # the next time, it is tried again
    voice.start_write()
    assert not scanner.active and voice.camera_hint.isHidden()
    with qtbot.assertNotEmitted(voice.sig_error):  # a code read elsewhere than the lookup step is ignored
        scanner.sig_receipt.emit(RECEIPT)
    assert voice.receipt_edit.text() == ""
    voice.set_scanner(None)  # typed entry only
    voice.start_lookup()
    assert voice.camera_hint.isHidden() and voice.scanner is None
    assert voice.keyboard.target is voice.receipt_edit
