"""Reading the voice box receipt's QR code with the kiosk's camera, where it has one.

Optional by design: typed entry always works, and a kiosk without a camera (or without a working
multimedia backend) simply has no scanner: ``available`` is false and nothing is opened. With a
camera, frames go into a ``QVideoSink``; about every ``interval_ms`` one is turned into an image on
the UI thread (``QVideoFrame.toImage``, a few milliseconds) and handed to a worker thread, which
makes it gray and decodes it (zxing-cpp releases the GIL: the UI keeps drawing). One frame is
decoded at a time; frames arriving meanwhile are dropped, never queued.

The camera is open only while the lookup step is on screen (``start``/``stop``): its light is off
the rest of the time, and nothing is recorded or kept, only the receipt number read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QElapsedTimer, QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtGui import QImage

from kiosk.services.qr_receipt import decode_receipt

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QCamera, QMediaCaptureSession, QVideoFrame, QVideoSink

FRAME_INTERVAL_MS = 300
"""How often a frame is decoded: quick enough to feel instant, light enough for a kiosk's CPU."""
MAX_FRAME_WIDTH = 1280
"""Wider camera modes are not asked for: a receipt held up fills the frame, and decoding stays fast."""


def gray_buffer(image: QImage) -> memoryview:
    """``image`` as 8-bit gray rows without padding, shaped ``(height, width)``: what the decoder reads."""
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    width, height, stride = gray.width(), gray.height(), gray.bytesPerLine()
    bits = bytes(gray.constBits())
    if stride != width:  # rows are padded to 4 bytes: drop the padding
        bits = b"".join(bits[y * stride : y * stride + width] for y in range(height))
    return memoryview(bits).cast("B", (height, width))


class _Relay(QObject):
    """Brings a decoded frame back to the UI thread.

    Parentless and held by the job, so it outlives a scanner deleted while a frame is decoded; Qt
    then drops the connection instead of delivering to a destroyed object.
    """

    sig_decoded = Signal(int, str)
    """(generation, receipt or "") for one frame."""


class _Decode(QRunnable):
    def __init__(self, relay: _Relay, image: QImage, generation: int) -> None:
        super().__init__()
        self._relay, self._image, self._generation = relay, image, generation

    def run(self) -> None:
        try:
            receipt = decode_receipt(gray_buffer(self._image)) or ""
        except Exception:  # a bad frame is just a frame without a receipt
            receipt = ""
        self._relay.sig_decoded.emit(self._generation, receipt)


class ReceiptScanner(QObject):
    sig_receipt = Signal(str)
    """A receipt number was read from a kiosk receipt's QR code (normalized; once per receipt in a row)."""

    sig_failed = Signal()
    """The camera stopped with an error while scanning: typing is the way now (the screen stops offering it)."""

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        external_frames: bool = False,
        interval_ms: int = FRAME_INTERVAL_MS,
    ) -> None:
        """``external_frames``: open no camera; frames come only through ``feed`` or ``sink`` (tests, or a
        frame source of the kiosk's own), and the scanner counts as available."""
        super().__init__(parent)
        self.external_frames = external_frames
        self.interval_ms = interval_ms
        self.active = False
        self.busy = False
        """A frame is being decoded in the worker (new frames are dropped meanwhile)."""
        self.sink: QVideoSink | None = None
        """Where the camera's frames arrive while scanning."""
        self._camera: QCamera | None = None
        self._session: QMediaCaptureSession | None = None
        self._generation = 0  # a stop makes a frame still in the worker moot
        self._last = ""
        self._clock = QElapsedTimer()
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = _Relay()
        self._relay.sig_decoded.connect(self._on_decoded)

    @property
    def available(self) -> bool:
        """Whether there is a camera to scan with (asked each time: a camera plugged in later counts)."""
        if self.external_frames:
            return True
        try:
            from PySide6.QtMultimedia import QMediaDevices

            return bool(QMediaDevices.videoInputs())
        except Exception:  # no multimedia backend: no camera
            return False

    def start(self) -> bool:
        """Scan until ``stop``; returns whether scanning runs (false without a camera, or if it failed to open)."""
        if self.active:
            return True
        if not self.available:
            return False
        self._generation += 1
        self._last = ""
        self._clock.invalidate()
        self.active = True
        try:
            self._open()
        except Exception:
            self.stop()
        return self.active

    def stop(self) -> None:
        """Stop scanning and release the camera (a frame still being decoded is ignored)."""
        if not self.active:
            return
        self.active = False
        self._generation += 1
        self._close()

    def feed(self, image: QImage) -> bool:
        """Decode ``image`` in the worker (what each sampled camera frame comes to).

        Returns whether it was taken: not while stopped, nor while another frame is being decoded.
        A receipt found arrives later, on the UI thread, as ``sig_receipt``.
        """
        if not self.active or self.busy or image.isNull():
            return False
        self.busy = True
        self._pool.start(_Decode(self._relay, image.copy(), self._generation))
        return True

    def wait(self, msecs: int = 5000) -> bool:
        """Block until the worker is idle (tests, shutdown)."""
        return self._pool.waitForDone(msecs)

    # -- the camera ---------------------------------------------------------------------------
    def _open(self) -> None:
        from PySide6.QtMultimedia import QCamera, QMediaCaptureSession, QMediaDevices, QVideoSink

        sink = QVideoSink(self)
        # Queued: a backend may deliver frames on its own thread; sampling happens on the UI thread.
        sink.videoFrameChanged.connect(self._on_frame, Qt.ConnectionType.QueuedConnection)
        self.sink = sink
        if self.external_frames:
            return
        device = QMediaDevices.defaultVideoInput()
        if device.isNull():
            raise RuntimeError("no camera")
        camera = QCamera(device, self)
        formats = [f for f in device.videoFormats() if 0 < f.resolution().width() <= MAX_FRAME_WIDTH]
        if formats:
            camera.setCameraFormat(max(formats, key=lambda f: f.resolution().width() * f.resolution().height()))
        camera.errorOccurred.connect(self._on_camera_error)
        session = QMediaCaptureSession(self)
        session.setCamera(camera)
        session.setVideoSink(sink)
        self._camera, self._session = camera, session
        camera.start()

    def _close(self) -> None:
        camera, session, sink = self._camera, self._session, self.sink
        self._camera, self._session, self.sink = None, None, None
        if camera is not None:
            camera.stop()
            camera.deleteLater()
        if session is not None:
            session.deleteLater()
        if sink is not None:
            sink.videoFrameChanged.disconnect(self._on_frame)
            sink.deleteLater()

    def _on_camera_error(self, *_error: object) -> None:
        if self.active:
            self.stop()
            self.sig_failed.emit()

    def _on_frame(self, frame: QVideoFrame) -> None:
        """A camera frame: one every ``interval_ms`` becomes an image for the worker; the rest are dropped."""
        if not self.active or self.busy:
            return
        if self._clock.isValid() and self._clock.elapsed() < self.interval_ms:
            return
        self._clock.start()
        self.feed(frame.toImage())

    @Slot(int, str)
    def _on_decoded(self, generation: int, receipt: str) -> None:
        self.busy = False  # one frame at a time: the one in the worker is this one
        if generation != self._generation or not receipt or receipt == self._last:
            return
        self._last = receipt
        self.sig_receipt.emit(receipt)
