"""``kiosk self-test`` (the bundle's ``counter-kiosk --self-test``): does this install work here?

Run after installing (CI runs it on the PyInstaller bundle), it exercises the parts that a frozen
app or a bare kiosk PC most often lacks: the store (SQLite, the Alembic migrations shipped as
files), every role's main screen (Qt plugins, fonts, translations, icons), the speech engine
(the configured ``[speech] engine`` writing a WAV; the line says which engine and voice spoke)
and the ticket printer path (the Korean font, the raster, ESC/POS). It
runs offscreen in a temporary data folder with the demo configuration, so it never touches the
kiosk's own data, and prints one line per check::

    ok store revision 0008 (integrity ok, 3 services)
    ok central driver postgresql+psycopg psycopg 3.3.9 (binary, libpq 180006)
    ok font Noto Sans CJK KR
    ok screen kiosk 1280x800
    ...
    ok speech 97604 bytes (2.2 s) by espeak-ng, voice ko
    ok playback 11 formats
    ok print 64336 bytes
    ok qr kiosk://ticket/2026-11-30/A-004

A check that fails says why instead (``FAIL speech: espeak-ng is not installed; pyttsx3: ...``).
Exit code 0 when every check passed, 1 otherwise. ``--out DIR`` keeps what it made (the WAV, the
printer's bytes, a PNG of each screen) for a person to look at.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.config import Config, load_config

if TYPE_CHECKING:
    from kiosk.bootstrap import App

GS_V_0 = b"\x1dv0"
"""ESC/POS ``GS v 0``: a raster image, how tickets are printed (Hangul as pixels, never as text)."""
PAINT_TIMEOUT_S = 10.0
SPEECH_TEXT_NUMBER = "A-001"


class CheckFailed(Exception):
    """A check found something wrong; the message says what, for the ``FAIL`` line."""


def add_parsers(sub: Any, g: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "self-test",
        parents=[g],
        help="check this install offscreen: store, every screen, speech, printing (exit 0 when all pass)",
    )
    p.add_argument("--out", metavar="DIR", default=None, help="keep the WAV, printer bytes and screen PNGs here")


def run(args: argparse.Namespace, cfg: Config, lang: str) -> int:
    """The CLI's entry: the configured store and printer are left alone (a demo store in a temp dir);
    speech is checked with the configured engine, the one this kiosk will speak with."""
    return self_test(out=getattr(args, "out", None), speech_engine=cfg.speech_engine)


def self_test(
    out: str | Path | None = None, emit: Callable[[str], None] = print, *, speech_engine: str = "auto"
) -> int:
    import tempfile

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="kiosk-self-test-") as tmp:
        data = Path(tmp) / "data"
        keep = Path(out).expanduser() if out else Path(tmp) / "out"
        keep.mkdir(parents=True, exist_ok=True)
        # env={}: the kiosk's own KIOSK_* settings (its database, its printer) stay out of the test.
        cfg = replace(load_config(demo=True, data_dir=data, env={}), speech_engine=speech_engine)
        return _Run(cfg, keep, emit).all()


class _Run:
    def __init__(self, cfg: Config, out: Path, emit: Callable[[str], None]) -> None:
        self.cfg = cfg
        self.out = out
        self.emit = emit
        self.failed = 0
        self.app: App | None = None
        self.ticket: Any = None
        self.job: Any = None
        self._ctx: Any = None

    def check(self, what: str, fn: Callable[[], str]) -> None:
        try:
            detail = fn()
        except Exception as exc:
            self.failed += 1
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            self.emit(f"FAIL {what}: {reason}")
        else:
            self.emit(f"ok {what} {detail}".rstrip())

    def all(self) -> int:
        from kiosk.ui.app import SCREENS

        try:
            self.check("store", self.store)
            self.check("central driver", self.central_driver)
            self.check("font", self.font)
            for role in SCREENS:
                self.check(f"screen {role}", partial(self.screen, role))
            self.check("speech", self.speech)
            self.check("playback", self.playback)
            self.check("print", self.print_ticket)
            self.check("qr", self.qr)
        finally:
            if self._ctx is not None:
                self._ctx.watcher.stop()
                self._ctx.ops.wait()
            if self.app is not None:
                self.app.close()
        return 1 if self.failed else 0

    # -- the checks ----------------------------------------------------------------------------

    def store(self) -> str:
        from kiosk.bootstrap import bootstrap
        from kiosk.demo import seed_waiting_visitors
        from kiosk.store import migrate

        self.app = app = bootstrap(self.cfg)
        with app.engine.connect() as conn:
            integrity = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            raise CheckFailed(f"integrity_check: {'; '.join(integrity[:3])}")
        head, current = migrate.head_revision(), migrate.current_revision(app.engine)
        if head is None or current != head:
            raise CheckFailed(f"schema at {current}, migrations' head is {head}")
        seed_waiting_visitors(app.queue)
        self.ticket = app.queue.issue_ticket("A", None, actor="self-test")
        return f"revision {current} (integrity ok, {len(app.queue.services())} services)"

    def central_driver(self) -> str:
        """The central database's driver loads (psycopg with its bundled libpq): a node can sync."""
        import psycopg
        from sqlalchemy import create_engine

        engine = create_engine("postgresql+psycopg://kiosk@127.0.0.1:1/self-test")  # not connected
        try:
            dialect = f"{engine.dialect.name}+{engine.dialect.driver}"
        finally:
            engine.dispose()
        return f"{dialect} psycopg {psycopg.__version__} ({psycopg.pq.__impl__}, libpq {psycopg.pq.version()})"

    def font(self) -> str:
        """Hangul needs a Korean font (fonts-noto-cjk, or a TTF in assets/fonts): else boxes on every screen."""
        from kiosk.ui.app import ensure_app
        from kiosk.ui.theme import KOREAN_FAMILIES, korean_family

        ensure_app()
        family = korean_family()
        if family not in KOREAN_FAMILIES:
            raise CheckFailed(f"no Korean font (Qt falls back to {family!r}): install fonts-noto-cjk")
        return family

    def _context(self) -> Any:
        from kiosk.ui.context import UiContext

        if self.app is None:
            raise CheckFailed("no store (see the store check)")
        if self._ctx is None:
            app = self.app
            self._ctx = UiContext(
                app.queue,
                self.cfg,
                charts=app.charts,
                feedback=app.feedback,
                survey=app.survey,
                reports=app.reports,
                auth=app.auth,
            )
        return self._ctx

    def screen(self, role: str) -> str:
        from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt

        from kiosk.ui.app import SCREENS, ensure_app

        qapp = ensure_app()
        ctx = self._context()
        painted: list[bool] = []

        class _Painted(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint:
                    painted.append(True)
                return False

        window = SCREENS[role][1](ctx)
        spy = _Painted()
        window.installEventFilter(spy)
        try:
            window.resize(1280, 800)
            window.show()
            deadline = time.monotonic() + PAINT_TIMEOUT_S
            while not painted and time.monotonic() < deadline:
                qapp.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            if not painted:
                raise CheckFailed(f"no paint event within {PAINT_TIMEOUT_S:.0f} s")
            pixmap = window.grab()
            if pixmap.isNull():
                raise CheckFailed("grab() gave a null pixmap")
            image = pixmap.toImage()
            small = image.scaled(48, 48, Qt.AspectRatioMode.IgnoreAspectRatio)
            colours = {small.pixel(x, y) for x in range(small.width()) for y in range(small.height())}
            if len(colours) < 3:
                raise CheckFailed(f"the screen is blank ({len(colours)} colour(s))")
            image.save(str(self.out / f"screen-{role}.png"))
            return f"{image.width()}x{image.height()}"
        finally:
            window.removeEventFilter(spy)
            window.close()
            window.deleteLater()
            qapp.processEvents()

    def speech(self) -> str:
        import wave

        from kiosk.accessibility.speech import Utterance, make_synthesizer
        from kiosk.domain.announce import call_text
        from kiosk.i18n import tr

        number = self.ticket.number if self.ticket is not None else SPEECH_TEXT_NUMBER
        text = call_text(number, 1, "ko", tr("announce.call", "ko"))
        folder = self.out / "speech"
        folder.mkdir(exist_ok=True)
        synth = make_synthesizer(self.cfg.speech_engine, directory=folder)
        path = synth.render(Utterance(text, "ko"))
        size = path.stat().st_size if path.is_file() else 0
        if size == 0:
            raise CheckFailed(f"{path} is missing or empty")
        with wave.open(str(path)) as w:
            seconds = w.getnframes() / float(w.getframerate() or 1)
        if seconds < 0.3:
            raise CheckFailed(f"{path} holds {seconds:.2f} s of sound for {text!r}")
        return f"{size} bytes ({seconds:.1f} s) by {synth.engine}, voice {synth.voice_name('ko')}"

    def playback(self) -> str:
        """QtMultimedia has a backend that decodes WAV (the FFmpeg plugin): speech and chimes can play."""
        from PySide6.QtMultimedia import QMediaFormat

        from kiosk.ui.app import ensure_app

        ensure_app()
        decodable = QMediaFormat().supportedFileFormats(QMediaFormat.ConversionMode.Decode)
        if QMediaFormat.FileFormat.Wave not in decodable:
            raise CheckFailed("QtMultimedia has no backend that plays WAV (its FFmpeg plugin did not load)")
        return f"{len(decodable)} formats"

    def print_ticket(self) -> str:
        from kiosk.printing.jobs import TicketPrint
        from kiosk.printing.spool import PrintSpooler

        path = self.out / "ticket.escpos"
        path.unlink(missing_ok=True)
        spooler = PrintSpooler.from_config({"kind": "file", "path": str(path)}, poll_seconds=None)
        assert spooler is not None
        t = self.ticket
        number = t.number if t is not None else SPEECH_TEXT_NUMBER
        services = {s.code: s.name("ko") for s in self.app.queue.services()} if self.app is not None else {}
        day = self.app.queue.today() if self.app is not None else time.strftime("%Y-%m-%d")
        self.job = job = TicketPrint(
            facility=self.cfg.facility("ko"),
            number=number,
            service=services.get(t.service, t.service) if t is not None else "self-test",
            priority=None,
            ahead=(t.ahead or 0) if t is not None else 0,
            wait_min=(t.wait_min or 0) if t is not None else 0,
            wait_max=(t.wait_max or 0) if t is not None else 0,
            issued_at=time.strftime("%Y-%m-%d %H:%M"),
            qr=self.cfg.status_url.format(day=day, number=number),
        )
        try:
            job_id = spooler.submit(job)
            if not spooler.wait_idle(30):
                raise CheckFailed("the printer queue did not empty in 30 s")
            state = spooler.state(job_id)
        finally:
            spooler.stop()
        if state != "printed":
            raise CheckFailed(f"job {state}: {spooler.status.reason}")
        data = path.read_bytes() if path.is_file() else b""
        if GS_V_0 not in data:
            raise CheckFailed(f"{path} ({len(data)} bytes) holds no GS v 0 raster")
        return f"{len(data)} bytes"

    def qr(self) -> str:
        """The printed ticket's QR code reads back (qrcode draws it, zxing-cpp reads it)."""
        import zxingcpp

        from kiosk.printing.render import render

        if self.job is None:
            raise CheckFailed("no ticket (see the print check)")
        image = render(self.job, 80)
        found = [b.text for b in zxingcpp.read_barcodes(image.convert("L"))]
        if self.job.qr not in found:
            raise CheckFailed(f"read {found!r} from the ticket, expected {self.job.qr!r}")
        return self.job.qr
