"""Printers: ESC/POS over the network, USB and serial (python-escpos), a raw file, a PNG folder.

Every job is one byte stream: ``ESC @`` (initialise), the ticket as ``GS v 0`` raster blocks, feed
and ``GS V`` cut. python-escpos builds it (``ticket_bytes``); no text command is ever sent, so no
code page is involved. Before a job the printer is asked for its real-time status (``DLE EOT``)
where it answers, so a ticket is not sent into a printer without paper; one that never answers is
printed to without asking (many network boxes and ``socat`` forwards do not answer).

Each job opens its own connection and closes it: a printer that was switched off and on again is
simply reached on the next try, and no half-dead socket swallows a ticket.
"""

from __future__ import annotations

import contextlib
import copy
import socket
import time
from abc import ABC, abstractmethod
from itertools import count
from pathlib import Path

from escpos.escpos import Escpos  # type: ignore[import-untyped]
from escpos.exceptions import Error as EscposError  # type: ignore[import-untyped]
from escpos.printer import Dummy, Network, Serial, Usb  # type: ignore[import-untyped]
from PIL import Image

from kiosk.printing.jobs import paper_dots
from kiosk.printing.status import DLE_EOT, ONLINE, PrinterFault, PrinterStatus, offline, parse_realtime, valid_reply

ESC_INIT = b"\x1b@"

FRAGMENT_ROWS = 256
"""Raster rows per ``GS v 0`` block: small blocks fit the receive buffer of the cheapest printers."""

DEVICE_ERRORS: tuple[type[BaseException], ...] = (OSError, EscposError)
with contextlib.suppress(ImportError):  # python-escpos[usb] always brings pyusb
    import usb.core  # type: ignore[import-untyped]

    # pyusb raises its own error when there is no libusb on the machine
    DEVICE_ERRORS = (*DEVICE_ERRORS, usb.core.NoBackendError)


def _with_width(device: Escpos, dots: int) -> Escpos:
    # The profile's data is shared by every printer of the process: copy it before setting the width.
    device.profile.profile_data = copy.deepcopy(device.profile.profile_data)
    device.profile.profile_data["media"]["width"]["pixels"] = dots
    return device


def ticket_bytes(image: Image.Image, dots: int) -> bytes:
    """The whole job: initialise, the raster in ``GS v 0`` blocks, feed and cut."""
    if image.width != dots:
        raise ValueError(f"the ticket raster is {image.width} dots wide, the paper {dots}")
    builder = _with_width(Dummy(), dots)
    builder._raw(ESC_INIT)
    builder.image(image, impl="bitImageRaster", fragment_height=FRAGMENT_ROWS, center=False)
    builder.cut()
    return bytes(builder.output)


def _describe(exc: BaseException) -> str:
    cause = exc.__cause__ or exc.__context__ or exc
    if isinstance(cause, TimeoutError | socket.timeout):
        return "timed out"
    if isinstance(cause, OSError) and cause.strerror:
        return cause.strerror[:1].lower() + cause.strerror[1:]
    text = str(cause).strip().splitlines()
    return text[-1] if text else type(cause).__name__


class EscposPrinter(ABC):
    """A printer reached through python-escpos; subclasses say how to open it and read a reply."""

    def __init__(self, paper_mm: int = 80, *, status_timeout: float = 0.5) -> None:
        self.paper_mm = paper_mm
        self.dots = paper_dots(paper_mm)
        self.status_timeout = status_timeout
        self.reports_status: bool | None = None
        """``None`` until asked; ``False`` once the printer left a status query unanswered."""

    @property
    @abstractmethod
    def where(self) -> str:
        """The printer's address for messages ("192.0.2.7:9100")."""

    @abstractmethod
    def _device(self) -> Escpos:
        """A python-escpos printer for this address, not yet opened."""

    @abstractmethod
    def _read_reply(self, device: Escpos) -> bytes | None:
        """Up to a few status bytes within ``status_timeout``; ``None`` if the printer said nothing."""

    def _open(self) -> Escpos:
        device = _with_width(self._device(), self.dots)
        try:
            device.open()
        except DEVICE_ERRORS as exc:
            raise PrinterFault(offline(f"{_describe(exc)} ({self.where})")) from exc
        return device

    def _ask(self, device: Escpos, n: int) -> int | None:
        device._raw(DLE_EOT + bytes((n,)))
        reply = self._read_reply(device)
        if reply is None:
            return None
        if reply == b"":
            raise PrinterFault(offline(f"connection closed ({self.where})"))
        valid = [b for b in reply if valid_reply(b)]
        return valid[-1] if valid else None

    def _query(self, device: Escpos) -> PrinterStatus | None:
        first = self._ask(device, 1)
        self.reports_status = first is not None
        if first is None:
            return None
        cause = self._ask(device, 2)
        error = self._ask(device, 3) if cause is not None and cause & 0x40 else None
        paper = self._ask(device, 4)
        return parse_realtime(first, cause, error, paper)

    def status(self) -> PrinterStatus:
        try:
            device = self._open()
        except PrinterFault as fault:
            return fault.status
        try:
            found = self._query(device)
        except DEVICE_ERRORS as exc:
            return offline(f"{_describe(exc)} ({self.where})")
        except PrinterFault as fault:
            return fault.status
        finally:
            self._close(device)
        if found is None:
            return PrinterStatus(online=True, reason="connected; the printer does not report paper or cover")
        return found

    def print_image(self, image: Image.Image) -> None:
        payload = ticket_bytes(image, self.dots)
        device = self._open()
        try:
            if self.reports_status is not False:
                found = self._query(device)
                if found is not None and not found.ok:
                    raise PrinterFault(found)
            device._raw(payload)
        except DEVICE_ERRORS as exc:
            raise PrinterFault(offline(f"{_describe(exc)} ({self.where})")) from exc
        finally:
            self._close(device)

    @staticmethod
    def _close(device: Escpos) -> None:
        with contextlib.suppress(*DEVICE_ERRORS):  # already gone: the next job opens a new connection
            device.close()


class NetworkPrinter(EscposPrinter):
    """A printer on the LAN, raw TCP (port 9100, "JetDirect")."""

    def __init__(
        self, host: str, port: int = 9100, paper_mm: int = 80, *, timeout: float = 5.0, status_timeout: float = 0.5
    ) -> None:
        super().__init__(paper_mm, status_timeout=status_timeout)
        self.host, self.port, self.timeout = host, port, timeout

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"

    def _device(self) -> Escpos:
        return Network(self.host, self.port, timeout=self.timeout)

    def _read_reply(self, device: Escpos) -> bytes | None:
        sock: socket.socket = device.device
        sock.settimeout(self.status_timeout)
        try:
            return sock.recv(16)
        except TimeoutError:
            return None
        finally:
            sock.settimeout(self.timeout)


class SerialPrinter(EscposPrinter):
    """A printer on an RS-232 port or a USB-serial adapter (``/dev/ttyUSB0``)."""

    def __init__(
        self,
        device: str,
        baudrate: int = 9600,
        paper_mm: int = 80,
        *,
        timeout: float = 5.0,
        status_timeout: float = 0.5,
    ) -> None:
        super().__init__(paper_mm, status_timeout=status_timeout)
        self.device, self.baudrate, self.timeout = device, baudrate, timeout

    @property
    def where(self) -> str:
        return self.device

    def _device(self) -> Escpos:
        return Serial(devfile=self.device, baudrate=self.baudrate, timeout=self.timeout)

    def _read_reply(self, device: Escpos) -> bytes | None:
        port = device.device
        port.timeout = self.status_timeout
        try:
            data: bytes = port.read(1)
        finally:
            port.timeout = self.timeout
        return data or None


class UsbPrinter(EscposPrinter):
    """A printer on USB, found by vendor and product id (needs libusb and access to the device)."""

    def __init__(self, vendor_id: int, product_id: int, paper_mm: int = 80, *, status_timeout: float = 0.5) -> None:
        super().__init__(paper_mm, status_timeout=status_timeout)
        self.vendor_id, self.product_id = vendor_id, product_id

    @property
    def where(self) -> str:
        return f"USB {self.vendor_id:04x}:{self.product_id:04x}"

    def _device(self) -> Escpos:
        return Usb(self.vendor_id, self.product_id, timeout=int(self.status_timeout * 1000) * 10)

    def _read_reply(self, device: Escpos) -> bytes | None:
        try:
            data = device.device.read(device.in_ep, 16, int(self.status_timeout * 1000))
        except DEVICE_ERRORS:
            return None
        return bytes(data) or None


class FilePrinter:
    """Appends each job's raw ESC/POS bytes to a file: a log to inspect, or a device node
    (``/dev/usb/lp0``) that takes them as they are. Reports no paper or cover state."""

    def __init__(self, path: Path | str, paper_mm: int = 80) -> None:
        self.path = Path(path)
        self.paper_mm = paper_mm
        self.dots = paper_dots(paper_mm)

    def print_image(self, image: Image.Image) -> None:
        payload = ticket_bytes(image, self.dots)
        try:
            with self.path.open("ab") as out:
                out.write(payload)
        except OSError as exc:
            raise PrinterFault(offline(f"{_describe(exc)} ({self.path})")) from exc

    def status(self) -> PrinterStatus:
        folder = self.path if self.path.is_dir() else self.path.parent
        if self.path.is_dir() or not folder.is_dir():
            return offline(f"cannot write {self.path}")
        return ONLINE


class PngPrinter:
    """Saves each job as a PNG in a folder: a kiosk without a printer, a demo, a picture to look at."""

    def __init__(self, folder: Path | str, paper_mm: int = 80) -> None:
        self.folder = Path(folder)
        self.paper_mm = paper_mm
        self.dots = paper_dots(paper_mm)
        self._seq = count(1)

    def print_image(self, image: Image.Image) -> None:
        if image.width != self.dots:
            raise ValueError(f"the ticket raster is {image.width} dots wide, the paper {self.dots}")
        name = f"print-{time.strftime('%Y%m%d-%H%M%S')}-{next(self._seq):04d}.png"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            image.save(self.folder / name)
        except OSError as exc:
            raise PrinterFault(offline(f"{_describe(exc)} ({self.folder})")) from exc

    def status(self) -> PrinterStatus:
        if self.folder.exists() and not self.folder.is_dir():
            return offline(f"{self.folder} is not a folder")
        return ONLINE
