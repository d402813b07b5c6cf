"""Reading an ESC/POS byte stream back, and a printer on a local TCP port that records it.

``parse`` accepts only the commands a ticket job may contain; any other byte (text, a code-page
switch) fails the test, which is how "Hangul never goes through a code page" is checked.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import zxingcpp
from PIL import Image


@dataclass(frozen=True)
class Command:
    name: str
    arg: int = 0
    width_bytes: int = 0
    height: int = 0
    data: bytes = b""


def parse(stream: bytes) -> list[Command]:
    out: list[Command] = []
    i = 0
    while i < len(stream):
        two, three = stream[i : i + 2], stream[i : i + 3]
        if two == b"\x1b@":
            out.append(Command("init"))
            i += 2
        elif two == b"\x10\x04":
            out.append(Command("status", stream[i + 2]))
            i += 3
        elif three == b"\x1dv0":
            mode = stream[i + 3]
            width_bytes = stream[i + 4] + 256 * stream[i + 5]
            height = stream[i + 6] + 256 * stream[i + 7]
            size = width_bytes * height
            data = stream[i + 8 : i + 8 + size]
            assert len(data) == size, f"raster at {i} is cut short: {len(data)} of {size} bytes"
            out.append(Command("raster", mode, width_bytes, height, data))
            i += 8 + size
        elif two == b"\x1bd":
            out.append(Command("feed", stream[i + 2]))
            i += 3
        elif two == b"\x1dV":
            mode = stream[i + 2]
            out.append(Command("cut", mode))
            i += 4 if mode in (65, 66) else 3
        else:
            raise AssertionError(f"byte {stream[i]:#04x} at {i} is not a ticket command (text or a code page?)")
    return out


def jobs(stream: bytes) -> list[list[Command]]:
    """The stream split after each cut: one list of commands per printed ticket."""
    done: list[list[Command]] = []
    current: list[Command] = []
    for command in parse(stream):
        current.append(command)
        if command.name == "cut":
            done.append(current)
            current = []
    assert not [c for c in current if c.name == "raster"], "a raster was sent without a cut after it"
    return done


def raster_image(commands: list[Command]) -> Image.Image:
    """The picture the printer would burn: every ``GS v 0`` block of a job, stacked."""
    blocks = [c for c in commands if c.name == "raster"]
    assert blocks, "no GS v 0 raster in the job"
    width = blocks[0].width_bytes * 8
    assert all(b.width_bytes * 8 == width for b in blocks)
    image = Image.new("1", (width, sum(b.height for b in blocks)), 1)
    y = 0
    for block in blocks:
        # ESC/POS: a set bit is a black dot; Pillow's "1": a set bit is white.
        part = Image.frombytes("1", (width, block.height), bytes(b ^ 0xFF for b in block.data))
        image.paste(part, (0, y))
        y += block.height
    return image


def qr_texts(image: Image.Image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image.convert("L")) if r.format == zxingcpp.BarcodeFormat.QRCode]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


class RecordingPrinter:
    """A printer's port 9100 on 127.0.0.1: records every connection's bytes; answers ``DLE EOT n``
    with ``replies[n]`` when set (none: a box that does not report status)."""

    def __init__(self, port: int = 0, replies: dict[int, int] | None = None, *, read: bool = True) -> None:
        self.replies = dict(replies or {})
        self.read = read
        self.connections: list[bytes] = []
        self._lock = threading.Lock()
        self._server = socket.socket()
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._server.bind(("127.0.0.1", port))
        self._server.listen(8)
        self.port: int = self._server.getsockname()[1]
        self._open: list[socket.socket] = []
        self._stopped = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._server.accept()
            except OSError:
                return
            self._open.append(conn)
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        received = bytearray()
        with conn:
            while self.read:
                try:
                    chunk = conn.recv(65536)
                except OSError:
                    break
                if not chunk:
                    break
                start = max(0, len(received) - 2)
                received += chunk
                at = received.find(b"\x10\x04", start)
                while at != -1 and at + 2 < len(received):
                    n = received[at + 2]
                    if n in self.replies:
                        conn.sendall(bytes((self.replies[n],)))
                    at = received.find(b"\x10\x04", at + 3)
            while not self.read and not self._stopped:
                time.sleep(0.01)
        with self._lock:
            self.connections.append(bytes(received))

    def stream(self) -> bytes:
        with self._lock:
            return b"".join(self.connections)

    def close(self) -> None:
        self._stopped = True
        self._server.close()
        for conn in self._open:
            with contextlib.suppress(OSError):  # already closed by the client
                conn.shutdown(socket.SHUT_RDWR)


def wait_for(condition: Callable[[], object], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return bool(condition())
