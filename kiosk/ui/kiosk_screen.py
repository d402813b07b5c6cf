"""The visitor's screen: service → ordinary or priority → the ticket, in three taps.

Korean first, big targets, few choices per page, a fixed bottom bar (home, back, language),
and a visible countdown before an abandoned screen returns to the start.
"""

from __future__ import annotations

import math
import time
import uuid

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.ticket import PriorityReason
from kiosk.i18n import minutes_range
from kiosk.services.views import ServiceView, TicketView
from kiosk.ui import theme
from kiosk.ui.context import UiContext
from kiosk.ui.widgets import PlainLabel, TouchButton

PAGE_SERVICES, PAGE_CLASS, PAGE_TICKET = 0, 1, 2
_ACTIVITY = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin, QEvent.Type.KeyPress}

STYLE = f"""
QWidget#kiosk {{ background: {theme.BG}; }}
QLabel {{ color: {theme.TEXT}; }}
QLabel#title {{ font-size: 34px; font-weight: bold; }}
QLabel#facility {{ font-size: 22px; color: {theme.MUTED}; }}
QLabel#clock {{ font-size: 22px; color: {theme.MUTED}; }}
QLabel#help {{ font-size: 22px; color: {theme.MUTED}; }}
QPushButton {{ background: {theme.SURFACE}; color: {theme.TEXT}; border: 3px solid {theme.PRIMARY};
    border-radius: 14px; font-size: 24px; padding: 12px; }}
QPushButton:focus {{ border: 5px solid {theme.TEXT}; }}
QPushButton:disabled {{ color: {theme.MUTED}; border-color: {theme.MUTED}; }}
QPushButton#service, QPushButton#ordinary {{ background: {theme.PRIMARY}; color: {theme.PRIMARY_TEXT};
    font-size: 30px; text-align: center; }}
QPushButton#priority {{ background: {theme.PRIORITY_BG}; color: {theme.PRIORITY}; border-color: {theme.PRIORITY};
    font-size: 28px; font-weight: bold; }}
QFrame#bar {{ background: {theme.TEXT}; }}
QFrame#bar QPushButton {{ background: {theme.SURFACE}; font-size: 24px; border-color: {theme.SURFACE}; }}
QLabel#number {{ font-size: 150px; font-weight: bold; color: {theme.PRIMARY}; }}
QLabel#ticketPriority {{ font-size: 30px; font-weight: bold; color: {theme.PRIORITY}; }}
QLabel#big {{ font-size: 30px; }}
QLabel#banner {{ background: {theme.PRIORITY_BG}; color: {theme.PRIORITY}; font-size: 24px; font-weight: bold;
    padding: 12px; border: 3px solid {theme.PRIORITY}; border-radius: 10px; }}
QLabel#countdown {{ background: #FFF4CE; color: {theme.TEXT}; font-size: 24px; padding: 10px;
    border: 2px solid #7A5B00; border-radius: 10px; }}
"""


def qr_image(text: str, size: int = 240) -> QImage:
    """The QR code for ``text``: black modules on white, about ``size`` pixels square.

    Built from one byte buffer and scaled once (no per-module drawing calls): it is fast, and
    it avoids thousands of small Qt calls per ticket, which crashed PySide6 6.12 after many
    tickets (a reference-count bug on ``None``).
    """
    import qrcode  # imported on first use: keeps it (and Pillow) off the start-up path

    qr = qrcode.QRCode(border=4, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(text)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    n = len(matrix)
    data = bytes(0 if dark else 255 for row in matrix for dark in row)
    image = QImage(data, n, n, n, QImage.Format.Format_Grayscale8).copy()
    scale = max(1, size // n)
    return image.scaled(
        n * scale, n * scale, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation
    )


class KioskScreen(QWidget):
    sig_ticket_issued = Signal(object)
    """A ticket (``TicketView``) was committed and is now shown to the visitor."""

    sig_page_changed = Signal(int)
    """The visible page changed (``PAGE_SERVICES``, ``PAGE_CLASS`` or ``PAGE_TICKET``)."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, *, tick_ms: int = 250) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("kiosk")
        self.setWindowTitle(ctx.tr("kiosk.choose_service"))
        self.setStyleSheet(STYLE)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.idle_seconds = ctx.config.idle_seconds
        self.idle_warning_seconds = ctx.config.idle_warning_seconds
        self._last_activity = time.monotonic()
        self._services: list[ServiceView] = []
        self.service: ServiceView | None = None
        self.ticket: TicketView | None = None
        self.qr_text = ""
        self._request_key = ""
        self.busy = False

        root = QVBoxLayout(self)
        root.setContentsMargins(32, 20, 32, 0)
        root.setSpacing(14)
        header = QHBoxLayout()
        self.facility = PlainLabel(wrap=False)
        self.facility.setObjectName("facility")
        self.clock = PlainLabel(wrap=False)
        self.clock.setObjectName("clock")
        header.addWidget(self.facility, 1)
        header.addWidget(self.clock)
        root.addLayout(header)

        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_services_page())
        self.stack.addWidget(self._build_class_page())
        self.stack.addWidget(self._build_ticket_page())
        root.addWidget(self.stack, 1)

        self.banner = PlainLabel()
        self.banner.setObjectName("banner")
        self.banner.hide()
        self.countdown = PlainLabel()
        self.countdown.setObjectName("countdown")
        self.countdown.hide()
        root.addWidget(self.banner)
        root.addWidget(self.countdown)
        root.addWidget(self._build_bar())

        self._tick = QTimer(self)
        self._tick.setInterval(tick_ms)
        self._tick.timeout.connect(self._on_tick)
        self._tick.start()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        ctx.sig_language_changed.connect(lambda _lang: self.retranslate())
        ctx.watcher.sig_changed.connect(lambda _marker: self._refresh_if_visible())
        ctx.sig_ready.connect(self.refresh_services)
        self.refresh_services()
        self.retranslate()

    # -- construction -----------------------------------------------------------------------
    def _build_services_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.services_title = PlainLabel()
        self.services_title.setObjectName("title")
        layout.addWidget(self.services_title)
        self.services_grid = QGridLayout()
        self.services_grid.setSpacing(20)
        layout.addLayout(self.services_grid, 1)
        self.no_services = PlainLabel()
        self.no_services.setObjectName("big")
        self.no_services.hide()
        layout.addWidget(self.no_services)
        self.service_buttons: dict[str, TouchButton] = {}
        return page

    def _build_class_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setSpacing(16)
        self.class_title = PlainLabel()
        self.class_title.setObjectName("title")
        layout.addWidget(self.class_title)
        self.ordinary_button = TouchButton(min_px=140)
        self.ordinary_button.setObjectName("ordinary")
        self.ordinary_button.clicked.connect(lambda: self.choose_class(None))
        layout.addWidget(self.ordinary_button, 2)
        self.priority_question = PlainLabel()
        self.priority_question.setObjectName("big")
        layout.addWidget(self.priority_question)
        self.priority_help = PlainLabel()
        self.priority_help.setObjectName("help")
        layout.addWidget(self.priority_help)
        grid = QGridLayout()
        grid.setSpacing(20)
        self.priority_buttons: dict[PriorityReason, TouchButton] = {}
        for i, reason in enumerate(PriorityReason):
            button = TouchButton(min_px=110, icon="priority")
            button.setIconSize(QSize(40, 40))
            button.setObjectName("priority")
            button.clicked.connect(lambda _=False, r=reason: self.choose_class(r))
            self.priority_buttons[reason] = button
            grid.addWidget(button, i // 2, i % 2)
        layout.addLayout(grid, 2)
        return page

    def _build_ticket_page(self) -> QWidget:
        page = QWidget()
        outer = QHBoxLayout(page)
        text = QVBoxLayout()
        self.ticket_title = PlainLabel()
        self.ticket_title.setObjectName("title")
        self.ticket_number = PlainLabel(wrap=False)
        self.ticket_number.setObjectName("number")
        self.ticket_service = PlainLabel()
        self.ticket_service.setObjectName("big")
        self.ticket_priority = PlainLabel()
        self.ticket_priority.setObjectName("ticketPriority")
        self.ticket_ahead = PlainLabel()
        self.ticket_ahead.setObjectName("big")
        self.ticket_wait = PlainLabel()
        self.ticket_wait.setObjectName("big")
        self.ticket_location = PlainLabel()
        self.ticket_location.setObjectName("help")
        for w in (
            self.ticket_title,
            self.ticket_number,
            self.ticket_service,
            self.ticket_priority,
            self.ticket_ahead,
            self.ticket_wait,
            self.ticket_location,
        ):
            text.addWidget(w)
        text.addStretch(1)
        outer.addLayout(text, 3)
        side = QVBoxLayout()
        side.addStretch(1)
        self.qr_label = QLabel()
        self.qr_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr_caption = PlainLabel()
        self.qr_caption.setObjectName("help")
        self.qr_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.done_button = TouchButton(min_px=96)
        self.done_button.clicked.connect(self.show_services)
        side.addWidget(self.qr_label)
        side.addWidget(self.qr_caption)
        side.addSpacing(20)
        side.addWidget(self.done_button)
        side.addStretch(1)
        outer.addLayout(side, 2)
        return page

    def _build_bar(self) -> QFrame:
        bar = QFrame()
        bar.setObjectName("bar")
        layout = QHBoxLayout(bar)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(16)
        self.home_button = TouchButton(icon="home", min_px=80)
        self.back_button = TouchButton(icon="back", min_px=80)
        self.language_button = TouchButton(icon="language", min_px=80)
        for b in (self.home_button, self.back_button, self.language_button):
            b.setIconSize(QSize(36, 36))
            b.setMinimumWidth(200)
        self.home_button.clicked.connect(self.show_services)
        self.back_button.clicked.connect(self.go_back)
        self.language_button.clicked.connect(self.ctx.toggle_language)
        layout.addWidget(self.home_button)
        layout.addWidget(self.back_button)
        layout.addStretch(1)
        layout.addWidget(self.language_button)
        return bar

    # -- navigation -------------------------------------------------------------------------
    @property
    def page(self) -> int:
        return self.stack.currentIndex()

    def _set_page(self, index: int) -> None:
        self.banner.hide()
        self.stack.setCurrentIndex(index)
        self._last_activity = time.monotonic()
        self.countdown.hide()
        self._update_nav()
        self.sig_page_changed.emit(index)

    def _update_nav(self) -> None:
        self.back_button.setEnabled(self.page == PAGE_CLASS)
        self.home_button.setEnabled(self.page != PAGE_SERVICES)

    def show_services(self) -> None:
        self.service = None
        self.refresh_services()
        self._set_page(PAGE_SERVICES)

    def go_back(self) -> None:
        if self.page == PAGE_CLASS:
            self.show_services()

    def choose_service(self, code: str) -> None:
        service = next((s for s in self._services if s.code == code), None)
        if service is None or self.busy:
            return
        self.service = service
        self._request_key = uuid.uuid4().hex  # one ticket per visit, however often "issue" is tapped
        self._set_page(PAGE_CLASS)
        self.retranslate()

    def choose_class(self, reason: PriorityReason | None) -> None:
        """Issue the ticket for the chosen service; the work runs off the UI thread."""
        if self.service is None or self.busy:
            return
        self.busy = True
        self._set_class_enabled(False)
        code, key = self.service.code, self._request_key
        self.ctx.ops.run(
            lambda: self.ctx.queue.issue_ticket(code, reason, request_key=key, actor="kiosk"),
            self._on_issued,
            self._on_issue_failed,
        )

    def _set_class_enabled(self, enabled: bool) -> None:
        self.ordinary_button.setEnabled(enabled)
        for b in self.priority_buttons.values():
            b.setEnabled(enabled)

    def _on_issued(self, ticket: TicketView) -> None:
        self.busy = False
        self._set_class_enabled(True)
        self.ticket = ticket
        self.qr_text = self.ctx.config.status_url.format(day=self.ctx.queue.today(), number=ticket.number)
        self.qr_label.setPixmap(QPixmap.fromImage(qr_image(self.qr_text)))
        self._set_page(PAGE_TICKET)
        self.retranslate()
        self.sig_ticket_issued.emit(ticket)

    def _on_issue_failed(self, error: BaseException) -> None:
        self.busy = False
        self._set_class_enabled(True)
        self.banner.setText(self.ctx.error_text(error))
        self.banner.show()

    # -- data -------------------------------------------------------------------------------
    def _refresh_if_visible(self) -> None:
        if self.page == PAGE_SERVICES and self.isVisible():
            self.refresh_services()

    def refresh_services(self) -> None:
        if not self.ctx.ready:
            return  # painted at once at start-up; the services arrive with the store
        try:
            services = self.ctx.queue.services()
        except Exception as exc:  # the start screen must stay up even if the store hiccups
            self.banner.setText(self.ctx.error_text(exc))
            self.banner.show()
            return
        if [s.code for s in services] != [s.code for s in self._services]:
            self._rebuild_service_buttons(services)
        self._services = services
        self._retranslate_services()

    def _rebuild_service_buttons(self, services: list[ServiceView]) -> None:
        for button in self.service_buttons.values():
            self.services_grid.removeWidget(button)
            button.deleteLater()
        self.service_buttons = {}
        columns = 1 if len(services) <= 3 else 2
        for i, s in enumerate(services):
            button = TouchButton(min_px=120, icon=s.icon)
            button.setObjectName("service")
            button.setIconSize(QSize(64, 64))
            button.clicked.connect(lambda _=False, c=s.code: self.choose_service(c))
            self.service_buttons[s.code] = button
            self.services_grid.addWidget(button, i // columns, i % columns)

    # -- texts ------------------------------------------------------------------------------
    def _wait_text(self, s: ServiceView) -> str:
        return minutes_range(s.wait_min, s.wait_max, self.ctx.lang)

    def _retranslate_services(self) -> None:
        t, lang = self.ctx.tr, self.ctx.lang
        self.no_services.setVisible(not self._services)
        self.no_services.setText(t("kiosk.no_services") if self.ctx.ready else t("kiosk.loading"))
        for s in self._services:
            wait = self._wait_text(s) if s.open_counters else t("kiosk.no_counter_open")
            status = t("kiosk.service_status", waiting=s.waiting, wait=wait)
            self.service_buttons[s.code].set_label(
                f"{s.name(lang)}\n{s.help(lang)}\n{status}",
                t("kiosk.service_button_name", name=s.name(lang), help=s.help(lang), waiting=s.waiting, wait=wait),
            )

    def retranslate(self) -> None:
        t, lang = self.ctx.tr, self.ctx.lang
        self.facility.setText(self.ctx.facility())
        self.services_title.setText(t("kiosk.choose_service"))
        self._retranslate_services()
        if self.service is not None:
            self.class_title.setText(t("kiosk.class_title", service=self.service.name(lang)))
        self.ordinary_button.set_label(f"{t('kiosk.ordinary')}\n{t('kiosk.ordinary_help')}", t("kiosk.ordinary"))
        self.priority_question.setText(t("kiosk.priority_question"))
        self.priority_help.setText(t("kiosk.priority_help"))
        for reason, button in self.priority_buttons.items():
            name = t(f"priority.{reason.value}")
            button.set_label(
                f"{theme.PRIORITY_MARK} {t('kiosk.priority_button', reason=name)}",
                t("kiosk.priority_button_name", reason=name),
            )
        self._retranslate_ticket()
        self.home_button.set_label(t("common.home"))
        self.back_button.set_label(t("common.back"))
        self.language_button.set_label(t("common.language"), t("common.language_name"))
        self.qr_caption.setText(t("kiosk.ticket_qr"))
        self.done_button.set_label(t("kiosk.ticket_done"))
        self._update_countdown()
        self._update_clock()

    def _retranslate_ticket(self) -> None:
        t, lang = self.ctx.tr, self.ctx.lang
        ticket = self.ticket
        if ticket is None:
            return
        service = next((s for s in self._services if s.code == ticket.service), self.service)
        self.ticket_title.setText(t("kiosk.ticket_title"))
        self.ticket_number.setText(ticket.number)
        name = service.name(lang) if service else ticket.service
        self.ticket_service.setText(t("kiosk.ticket_service", service=name))
        if ticket.priority:
            reason = t(f"priority.{ticket.priority}")
            self.ticket_priority.setText(f"{theme.PRIORITY_MARK} {t('kiosk.ticket_priority', reason=reason)}")
            self.ticket_priority.show()
        else:
            self.ticket_priority.hide()
        ahead = ticket.ahead or 0
        key = {0: "kiosk.ticket_ahead_none", 1: "kiosk.ticket_ahead_one"}.get(ahead, "kiosk.ticket_ahead")
        self.ticket_ahead.setText(t(key, ahead=ahead))
        self.ticket_wait.setText(t("kiosk.ticket_wait", wait=minutes_range(ticket.wait_min, ticket.wait_max, lang)))
        self.ticket_location.setText(service.location(lang) if service else "")
        self.ticket_number.setAccessibleName(f"{t('kiosk.ticket_title')} {ticket.number}")

    # -- idle return ------------------------------------------------------------------------
    def remaining_seconds(self) -> float:
        return self.idle_seconds - (time.monotonic() - self._last_activity)

    def _on_tick(self) -> None:
        self._update_clock()
        if self.page == PAGE_SERVICES or self.busy:
            self.countdown.hide()
            return
        if self.remaining_seconds() <= 0:
            self.show_services()
            return
        self._update_countdown()

    def _update_countdown(self) -> None:
        remaining = self.remaining_seconds()
        if self.page != PAGE_SERVICES and remaining <= self.idle_warning_seconds:
            self.countdown.setText(self.ctx.tr("kiosk.idle_countdown", seconds=max(1, math.ceil(remaining))))
            self.countdown.show()
        else:
            self.countdown.hide()

    def _update_clock(self) -> None:
        self.clock.setText(time.strftime("%H:%M"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and isinstance(watched, QWidget) and watched.window() is self.window():
            self._last_activity = time.monotonic()
            if self.countdown.isVisible():
                self.countdown.hide()
        return False
