"""The staff counter console: call next (the biggest button), serve, and never miss a priority visitor.

Every action is one tap and runs off the UI thread; the screen re-reads its state whenever the
queue changes (here or in another process). A node with a central database also shows, unobtrusively,
how its sync goes: online or offline, the last sync, what is still to send, and a long catch-up.
With a seat chart, the person at the counter's desk sets their presence in two taps, and a second
page lists everyone (desk, team, duties, where they are) and edits the seating (``console_chart``).
With the customer voice box, a third page is the staff's inbox: classify, assign, answer, record a
delay, and the D-1 alert (``console_feedback``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.presence import PresenceState
from kiosk.services.chart import ChartState
from kiosk.services.views import CounterView, ServiceView, TicketView
from kiosk.ui import console_chart, console_feedback, theme
from kiosk.ui.console_chart import PresencePanel, SeatChartPanel
from kiosk.ui.console_feedback import InboxPanel
from kiosk.ui.context import UiContext
from kiosk.ui.sound import Sound
from kiosk.ui.widgets import PlainLabel, TouchButton

STAFF_MIN_PX = 48
LONG_CATCH_UP = 100
"""A push of at least this many pending changes is a catch-up worth a progress bar."""

STYLE = f"""
QWidget#console {{ background: {theme.BG}; }}
QLabel {{ color: {theme.TEXT}; font-size: 18px; }}
QLabel#heading {{ font-size: 22px; font-weight: bold; }}
QLabel#currentNumber {{ font-size: 64px; font-weight: bold; color: {theme.PRIMARY}; }}
QLabel#currentPriority {{ font-size: 22px; font-weight: bold; color: {theme.PRIORITY}; }}
QLabel#status {{ font-size: 18px; padding: 6px; }}
QLabel#error {{ font-size: 18px; font-weight: bold; color: {theme.PRIORITY}; background: {theme.PRIORITY_BG};
    padding: 8px; border: 2px solid {theme.PRIORITY}; border-radius: 6px; }}
QPushButton {{ font-size: 18px; padding: 6px 12px; background: {theme.SURFACE}; color: {theme.TEXT};
    border: 2px solid {theme.PRIMARY}; border-radius: 8px; }}
QPushButton:disabled {{ color: {theme.MUTED}; border-color: #9AA3AE; }}
QPushButton:focus {{ border: 4px solid {theme.TEXT}; }}
QPushButton#callNext {{ font-size: 40px; font-weight: bold; background: {theme.PRIMARY}; color: {theme.PRIMARY_TEXT}; }}
QPushButton#callNext:disabled {{ background: #9AA3AE; color: {theme.TEXT}; }}
QFrame#alert {{ background: {theme.PRIORITY}; border-radius: 10px; }}
QFrame#alert QLabel {{ color: #FFFFFF; font-size: 22px; font-weight: bold; }}
QFrame#alert QPushButton {{ font-size: 22px; font-weight: bold; color: {theme.PRIORITY}; border-color: #FFFFFF; }}
QFrame#alert QPushButton:disabled {{ background: #D9A3A3; color: #4A0F0F; border-color: #D9A3A3; }}
QLabel#alertHint {{ font-size: 18px; font-weight: normal; }}
QLabel#arrival {{ font-size: 18px; font-weight: bold; color: {theme.PRIMARY}; background: {theme.SURFACE};
    border: 2px solid {theme.PRIMARY}; border-radius: 6px; padding: 4px 8px; }}
QListWidget, QTreeWidget {{ font-size: 18px; background: {theme.SURFACE}; color: {theme.TEXT}; }}
QHeaderView::section {{ font-size: 16px; background: {theme.BG}; color: {theme.MUTED}; padding: 4px;
    border: none; border-bottom: 1px solid #9AA3AE; }}
QCheckBox, QComboBox {{ font-size: 18px; color: {theme.TEXT}; }}
QLabel#sync {{ font-size: 16px; color: {theme.MUTED}; padding: 6px; }}
QLabel#sync[online="false"] {{ color: {theme.TEXT}; font-weight: bold; }}
QLabel#printerFault, QLabel#readOnly {{ font-size: 16px; font-weight: bold; color: {theme.PRIORITY};
    background: {theme.PRIORITY_BG};
    padding: 6px; border: 2px solid {theme.PRIORITY}; border-radius: 6px; }}
QProgressBar#syncProgress {{ font-size: 16px; color: {theme.TEXT}; background: {theme.SURFACE};
    border: 1px solid #9AA3AE; border-radius: 4px; text-align: center; }}
QProgressBar#syncProgress::chunk {{ background: #9AA3AE; }}
{console_chart.STYLE}{console_feedback.STYLE}"""


@dataclass(frozen=True)
class ConsoleState:
    """Everything the console shows, read in one go in the worker."""

    counter: CounterView
    counters: list[CounterView]
    services: list[ServiceView]
    alerts: list[TicketView]
    waiting: list[TicketView]
    held: list[TicketView]
    today: dict[str, int]
    chart: ChartState | None = None
    """The seat chart with everyone's presence (``None``: no chart service, or no chart yet)."""
    printer: dict[str, object] | None = None
    """The last state a kiosk reported for its ticket printer (``QueueService.printer_status``)."""


class CounterConsole(QWidget):
    sig_state_loaded = Signal(object)
    """The console re-read its state (``ConsoleState``) and now shows it."""

    sig_priority_alert = Signal(list)
    """New priority visitors appeared for this counter (their ticket ids); the alert sound plays."""

    sig_new_visitor = Signal(list)
    """New ordinary tickets arrived for this counter's services (their numbers); a soft ding plays (S2)."""

    def __init__(self, ctx: UiContext, counter: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.number = counter
        self.state: ConsoleState | None = None
        self._alerted: set[int] = set()
        self._seen_waiting: set[int] | None = None  # None until the first load: no ding at start-up
        self.arrivals: list[TicketView] = []
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        """Now, for the waited minutes; the same clock as the store (tests give it theirs)."""
        self._loading = False
        self._reload_again = False
        self.alert_sound = Sound("alert", self)
        self.arrival_sound = Sound("arrival", self, volume=0.5)
        self.setObjectName("console")
        self.setStyleSheet(STYLE)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._build()
        ctx.watcher.sig_changed.connect(lambda _m: self.reload())
        ctx.sig_language_changed.connect(self._on_language_changed)
        ctx.sig_sync_status.connect(self._on_sync_status)
        ctx.sig_sync_progress.connect(self._on_sync_progress)
        self._show_sync()  # what was reported before this console opened, if anything
        self._show_read_only()
        ctx.sig_ready.connect(self._show_read_only)
        self.reload()

    # -- construction -----------------------------------------------------------------------
    def _button(self, slot: object, min_px: int = STAFF_MIN_PX) -> TouchButton:
        b = TouchButton(min_px=min_px)
        b.setMinimumWidth(110)
        b.clicked.connect(slot)
        return b

    def _build(self) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(16, 12, 16, 12)
        root.setSpacing(10)

        top = QHBoxLayout()
        self.counter_combo = QComboBox()
        self.counter_combo.setMinimumHeight(STAFF_MIN_PX)
        self.counter_combo.activated.connect(self._on_counter_chosen)
        self.state_label = PlainLabel(wrap=False)
        self.state_label.setObjectName("heading")
        self.open_button = self._button(self.toggle_open)
        self.open_button.setMinimumWidth(180)
        self.chart_button = self._button(self.toggle_seat_chart)
        self.chart_button.setMinimumWidth(180)
        self.chart_button.hide()  # until a seat chart is loaded
        self.inbox_button = self._button(self.toggle_inbox)
        self.inbox_button.setMinimumWidth(180)
        self.inbox_button.hide()  # until the voice box is available
        top.addWidget(self.counter_combo, 2)
        top.addWidget(self.state_label, 1)
        top.addWidget(self.open_button)
        top.addWidget(self.chart_button)
        top.addWidget(self.inbox_button)
        root.addLayout(top)

        self.services_bar = QWidget()  # the counter's page only: hidden with the seat chart
        services_row = QHBoxLayout(self.services_bar)
        services_row.setContentsMargins(0, 0, 0, 0)
        self.services_label = PlainLabel(wrap=False)
        services_row.addWidget(self.services_label)
        self.service_checks: dict[str, QCheckBox] = {}
        self.services_row = services_row
        services_row.addStretch(1)
        root.addWidget(self.services_bar)

        self.alert_frame = QFrame()
        self.alert_frame.setObjectName("alert")
        alert_layout = QVBoxLayout(self.alert_frame)
        self.alert_rows = alert_layout
        self.alert_hint = PlainLabel()
        self.alert_hint.setObjectName("alertHint")
        alert_layout.addWidget(self.alert_hint)
        self.alert_frame.hide()
        self.alert_buttons: dict[int, TouchButton] = {}
        self.alert_labels: dict[int, PlainLabel] = {}
        root.addWidget(self.alert_frame)

        body = QHBoxLayout()
        left = QVBoxLayout()
        self.call_button = self._button(self.call_next, min_px=120)
        self.call_button.setObjectName("callNext")
        left.addWidget(self.call_button)

        self.current_heading = PlainLabel()
        self.current_heading.setObjectName("heading")
        self.current_number = PlainLabel(wrap=False)
        self.current_number.setObjectName("currentNumber")
        self.current_priority = PlainLabel()
        self.current_priority.setObjectName("currentPriority")
        self.current_detail = PlainLabel()
        left.addWidget(self.current_heading)
        current_row = QHBoxLayout()  # the number large, what it is beside it
        current_row.setSpacing(24)
        current_row.addWidget(self.current_number)
        about = QVBoxLayout()
        about.setSpacing(2)
        about.addStretch(1)
        about.addWidget(self.current_priority)
        about.addWidget(self.current_detail)
        about.addStretch(1)
        current_row.addLayout(about, 1)
        left.addLayout(current_row)

        actions = QGridLayout()
        actions.setSpacing(8)
        self.recall_button = self._button(lambda: self._ticket_action(self.ctx.queue.recall))
        self.start_button = self._button(lambda: self._ticket_action(self.ctx.queue.start))
        self.complete_button = self._button(lambda: self._ticket_action(self.ctx.queue.complete))
        self.no_show_button = self._button(lambda: self._ticket_action(self.ctx.queue.no_show))
        self.hold_button = self._button(lambda: self._ticket_action(self.ctx.queue.hold))
        for i, b in enumerate((self.recall_button, self.start_button, self.complete_button, self.hold_button)):
            actions.addWidget(b, 0, i)
        self.transfer_combo = QComboBox()
        self.transfer_combo.setMinimumHeight(STAFF_MIN_PX)
        self.transfer_button = self._button(self.transfer)
        actions.addWidget(self.no_show_button, 1, 0)
        actions.addWidget(self.transfer_combo, 1, 1, 1, 2)
        actions.addWidget(self.transfer_button, 1, 3)
        left.addLayout(actions)
        self.no_show_hint = PlainLabel()
        left.addWidget(self.no_show_hint)
        left.addStretch(1)
        body.addLayout(left, 3)

        right = QVBoxLayout()
        # The person at this counter's desk: where they are, set in one or two taps (S4).
        self.presence_panel = PresencePanel(self.ctx, lambda: self.clock(), self._actor, STAFF_MIN_PX)
        self.presence_panel.sig_saved.connect(lambda _p: self.reload())
        self.presence_panel.hide()
        right.addWidget(self.presence_panel)
        self.today_label = PlainLabel()
        self.waiting_heading = PlainLabel()
        self.waiting_heading.setObjectName("heading")
        self.arrival_label = PlainLabel()
        self.arrival_label.setObjectName("arrival")
        self.arrival_label.hide()
        self.waiting_list = QTreeWidget()
        self.waiting_list.setColumnCount(3)
        self.waiting_list.setRootIsDecorated(False)
        self.waiting_list.setItemsExpandable(False)
        self.waiting_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.waiting_list.setMinimumHeight(STAFF_MIN_PX * 3)
        header = self.waiting_list.header()
        header.setAccessibleName(self.ctx.tr("console.waiting"))
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        header.setSectionsClickable(False)  # a fixed order (the call order); nothing to sort
        self.held_heading = PlainLabel()
        self.held_heading.setObjectName("heading")
        self.held_list = QListWidget()
        self.held_list.setMaximumHeight(STAFF_MIN_PX * 2)
        self.held_list.setMinimumHeight(STAFF_MIN_PX * 2)
        self.resume_button = self._button(self.resume)
        widgets: tuple[QWidget, ...] = (
            self.today_label,
            self.arrival_label,
            self.waiting_heading,
            self.waiting_list,
            self.held_heading,
            self.held_list,
            self.resume_button,
        )
        for widget in widgets:
            right.addWidget(widget, 1 if widget is self.waiting_list else 0)
        body.addLayout(right, 2)
        self.counter_page = QWidget()
        self.counter_page.setLayout(body)
        body.setContentsMargins(0, 0, 0, 0)
        # Everyone, their desk, duties and presence, and seating edits: a page instead of the
        # counter's, behind one button, so calling visitors stays uncluttered.
        self.seats = SeatChartPanel(self.ctx, lambda: self.clock(), self._actor, STAFF_MIN_PX)
        self.seats.sig_edited.connect(lambda _c: self.reload())
        # The voice box's inbox (S8–S13): another page behind one button, refreshed while shown.
        self.inbox = InboxPanel(self.ctx, STAFF_MIN_PX)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.counter_page)
        self.pages.addWidget(self.seats)
        self.pages.addWidget(self.inbox)
        # An upgrade that failed (issue 10): staff see why nothing can be saved, and what to keep.
        self.read_only_label = PlainLabel()
        self.read_only_label.setObjectName("readOnly")
        self.read_only_label.hide()
        root.addWidget(self.read_only_label)
        root.addWidget(self.pages, 1)

        bottom = QHBoxLayout()
        self.status = PlainLabel()
        self.status.setObjectName("status")
        bottom.addWidget(self.status, 1)
        # The sync indicator: hidden until a sync is reported (none without a central database).
        self.sync_bar = QProgressBar()
        self.sync_bar.setObjectName("syncProgress")
        self.sync_bar.setFixedWidth(240)
        self.sync_bar.hide()
        self.sync_label = PlainLabel(wrap=False)
        self.sync_label.setObjectName("sync")
        self.sync_label.hide()
        bottom.addWidget(self.sync_bar, 0, Qt.AlignmentFlag.AlignVCenter)
        bottom.addWidget(self.sync_label, 0, Qt.AlignmentFlag.AlignVCenter)
        # A kiosk's printer fault (issue 7): tickets go on being issued and shown; staff fix the printer.
        self.printer_label = PlainLabel(wrap=False)
        self.printer_label.setObjectName("printerFault")
        self.printer_label.hide()
        bottom.addWidget(self.printer_label, 0, Qt.AlignmentFlag.AlignVCenter)
        root.addLayout(bottom)

    def _show_read_only(self) -> None:
        problem = self.ctx.read_only
        self.read_only_label.setVisible(problem is not None)
        if problem is not None:
            self.read_only_label.setText(self.ctx.tr("health.read_only_fallback", **problem))

    def _on_language_changed(self, _lang: str) -> None:
        self._show_read_only()
        self.status.setText("")  # the last message was in the other language
        self.presence_panel.clear_message()
        self.seats.clear_message()
        self.inbox.clear_message()
        self._show_state()
        self._show_sync()

    # -- sync ---------------------------------------------------------------------------------
    def _on_sync_status(self, _status: dict[str, Any]) -> None:
        self._show_sync()

    def _on_sync_progress(self, _sent: int, _total: int) -> None:
        self._show_sync()

    def _sync_time(self, iso: object) -> str:
        """An ISO time as the facility's local HH:MM:SS ("—" before the first sync)."""
        try:
            when = datetime.fromisoformat(str(iso))
        except ValueError:
            return "—"
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return when.astimezone(self.ctx.config.tz).strftime("%H:%M:%S")

    def _show_sync(self) -> None:
        """The indicator from the context's last sync status and catch-up (both plain data)."""
        self._render_sync(self.ctx.sync_status, self.ctx.sync_progress)

    def _render_sync(self, status: dict[str, Any] | None, progress: tuple[int, int] | None) -> None:
        t = self.ctx.tr
        if status is None:
            self.sync_label.hide()
        else:
            online = bool(status.get("online"))
            pending = int(status.get("pending") or 0)
            if online:
                text = t("console.sync_online", time=self._sync_time(status.get("last_sync")), pending=pending)
            else:
                text = t("console.sync_offline", pending=pending)
            self.sync_label.setText(text)
            self.sync_label.setAccessibleName(text)
            if self.sync_label.property("online") != online:
                self.sync_label.setProperty("online", online)
                self.sync_label.style().unpolish(self.sync_label)
                self.sync_label.style().polish(self.sync_label)
            self.sync_label.show()
        catching_up = progress is not None and progress[1] >= LONG_CATCH_UP
        if progress is not None and catching_up:
            sent, total = progress
            self.sync_bar.setRange(0, total)
            self.sync_bar.setValue(min(sent, total))
            self.sync_bar.setFormat(t("console.sync_catching_up", sent=sent, total=total))
            self.sync_bar.setAccessibleName(t("console.sync_progress_name"))
        self.sync_bar.setVisible(catching_up)

    def sync_text(self) -> str:
        """The sync indicator as shown ("" when there is none)."""
        return self.sync_label.text() if self.sync_label.isVisibleTo(self) else ""

    # -- loading ----------------------------------------------------------------------------
    def _load(self) -> ConsoleState:
        q = self.ctx.queue
        return ConsoleState(
            counter=q.counter(self.number),
            counters=q.counters(),
            services=q.services(),
            alerts=q.priority_alerts(self.number),
            waiting=q.queue(),
            held=q.held(),
            today=q.today_counts(),
            chart=None if self.ctx.charts is None else self.ctx.charts.state(),
            printer=q.printer_status(),
        )

    def reload(self) -> None:
        """Re-read the console's state in the worker; coalesces bursts of changes."""
        if self._loading:
            self._reload_again = True
            return
        self._loading = True
        self.ctx.ops.run(self._load, self._on_loaded, self._on_load_failed, changes=False)

    def _on_loaded(self, state: ConsoleState) -> None:
        self._loading = False
        self.state = state
        self._show_state()
        new = [t.id for t in state.alerts if t.id not in self._alerted]
        self._alerted = {t.id for t in state.alerts}
        if new:
            self.alert_sound.play()
            self.sig_priority_alert.emit(new)
        self._notice_arrivals(state)
        self.sig_state_loaded.emit(state)
        if self._reload_again:
            self._reload_again = False
            self.reload()

    def _notice_arrivals(self, state: ConsoleState) -> None:
        """S2: any new ticket for this counter's duties is announced (priority ones by the alert)."""
        waiting = {t.id for t in state.waiting}
        seen, self._seen_waiting = self._seen_waiting, waiting
        if seen is None or not state.counter.is_open:
            return
        handled = set(state.counter.services)
        new = [t for t in state.waiting if t.id not in seen and t.service in handled and not t.priority]
        if not new:
            return
        self.arrivals = (self.arrivals + new)[-3:]
        self._show_arrivals()
        self.arrival_sound.play()
        self.sig_new_visitor.emit([t.number for t in new])

    def _show_arrivals(self) -> None:
        items = ", ".join(f"{t.number} {self._service_name(t.service)}" for t in self.arrivals)
        self.arrival_label.setText(self.ctx.tr("console.arrival", items=items) if items else "")
        self.arrival_label.setVisible(bool(items))

    def _on_load_failed(self, error: BaseException) -> None:
        self._loading = False
        self._show_error(error)

    # -- actions ----------------------------------------------------------------------------
    def _actor(self) -> str:
        return f"counter:{self.number}"

    def _run(self, fn: object, message: object = None) -> None:
        def done(result: object) -> None:
            self.status.setObjectName("status")
            self.status.setStyleSheet("")
            self.status.setText(message(result) if callable(message) else "")

        self.ctx.ops.run(fn, done, self._on_action_failed)  # type: ignore[arg-type]

    def _on_action_failed(self, error: BaseException) -> None:
        """Say why, then re-read: the usual cause is a stale screen (another counter was quicker)."""
        self._show_error(error)
        self.reload()

    def _show_error(self, error: BaseException) -> None:
        self.status.setText(self.ctx.error_text(error))
        self.status.setStyleSheet(
            f"color: {theme.PRIORITY}; background: {theme.PRIORITY_BG}; font-weight: bold; padding: 8px;"
        )

    def call_next(self) -> None:
        def message(t: TicketView | None) -> str:
            if t is None:
                return self.ctx.tr("console.nobody")
            self.arrivals = []
            self._show_arrivals()
            return self.ctx.tr("console.called", number=t.number)

        finish = self._current() is not None
        self._run(
            lambda: self.ctx.queue.call_next(self.number, actor=f"counter:{self.number}", finish_current=finish),
            message,
        )

    def accept(self, ticket_id: int) -> None:
        def message(t: TicketView) -> str:
            self.arrivals = [a for a in self.arrivals if a.id != t.id]
            self._show_arrivals()
            return self.ctx.tr("console.called", number=t.number)

        self._run(
            lambda: self.ctx.queue.accept_priority(ticket_id, self.number, actor=f"counter:{self.number}"), message
        )

    def _current(self) -> TicketView | None:
        return None if self.state is None else self.state.counter.current

    def _ticket_action(self, method: object) -> None:
        current = self._current()
        if current is not None:
            ticket_id = current.id
            self._run(lambda: method(ticket_id, actor=f"counter:{self.number}"))  # type: ignore[operator]

    def transfer(self) -> None:
        current = self._current()
        code = self.transfer_combo.currentData()
        if current is not None and code:
            ticket_id = current.id
            self._run(lambda: self.ctx.queue.transfer(ticket_id, code, actor=f"counter:{self.number}"))

    def resume(self) -> None:
        item = self.held_list.currentItem() or self.held_list.item(0)
        if item is not None:
            ticket_id = int(item.data(Qt.ItemDataRole.UserRole))
            self._run(lambda: self.ctx.queue.resume(ticket_id, actor=f"counter:{self.number}"))

    def toggle_open(self) -> None:
        if self.state is None:
            return
        if self.state.counter.is_open:
            self._run(lambda: self.ctx.queue.close_counter(self.number, actor=f"counter:{self.number}"))
        else:
            codes = [c for c, box in self.service_checks.items() if box.isChecked()] or None
            self._run(lambda: self.ctx.queue.open_counter(self.number, codes, actor=f"counter:{self.number}"))

    def _on_service_toggled(self) -> None:
        codes = [c for c, box in self.service_checks.items() if box.isChecked()]
        if codes:
            self._run(lambda: self.ctx.queue.set_counter_services(self.number, codes, actor=f"counter:{self.number}"))

    def _on_counter_chosen(self, index: int) -> None:
        number = self.counter_combo.itemData(index)
        if number is not None and number != self.number:
            self.number = int(number)
            self._alerted = set()
            self._seen_waiting = None
            self.arrivals = []
            self._show_arrivals()
            self.reload()

    # -- showing ----------------------------------------------------------------------------
    def _service_name(self, code: str) -> str:
        if self.state is not None:
            for s in self.state.services:
                if s.code == code:
                    return s.name(self.ctx.lang)
        return code

    def _show_printer(self, status: dict[str, object] | None) -> None:
        t = self.ctx.tr
        if status is None or status.get("ok", True):
            self.printer_label.hide()
            return
        if status.get("paper_out"):
            fault = t("printing.fault_paper")
        elif status.get("cover_open"):
            fault = t("printing.fault_cover")
        elif not status.get("online", True):
            fault = t("printing.fault_offline")
        else:
            fault = t("printing.fault_error")
        text = t("printing.console_fault", node=status.get("node", ""), fault=fault)
        self.printer_label.setText(text)
        self.printer_label.setAccessibleName(text)
        self.printer_label.show()

    def printer_text(self) -> str:
        """The printer fault as shown ("" when the printers are fine)."""
        return self.printer_label.text() if self.printer_label.isVisibleTo(self) else ""

    def _show_state(self) -> None:
        state = self.state
        if state is None:
            return
        self._show_printer(state.printer)
        t, lang = self.ctx.tr, self.ctx.lang
        counter = state.counter
        self.setWindowTitle(t("console.title"))

        self.counter_combo.blockSignals(True)
        self.counter_combo.clear()
        for c in state.counters:
            self.counter_combo.addItem(t("console.counter", number=c.number, staff=c.staff(lang)), c.number)
        self.counter_combo.setCurrentIndex(max(0, self.counter_combo.findData(counter.number)))
        self.counter_combo.setAccessibleName(t("console.counter_choice"))
        self.counter_combo.blockSignals(False)

        self.state_label.setText(t("console.state_open") if counter.is_open else t("console.state_closed"))
        self.open_button.set_label(t("console.close") if counter.is_open else t("console.open"))

        self.services_label.setText(t("console.services"))
        if list(self.service_checks) != [s.code for s in state.services]:
            for box in self.service_checks.values():
                self.services_row.removeWidget(box)
                box.deleteLater()
            self.service_checks = {}
            for i, s in enumerate(state.services):
                box = QCheckBox()
                box.setMinimumHeight(STAFF_MIN_PX)
                box.toggled.connect(lambda _checked: self._on_service_toggled())
                self.service_checks[s.code] = box
                self.services_row.insertWidget(1 + i, box)
        for s in state.services:
            box = self.service_checks[s.code]
            box.blockSignals(True)
            box.setText(f"{s.code} {s.name(lang)}")
            box.setAccessibleName(f"{t('console.services')}: {s.name(lang)}")
            box.setChecked(s.code in counter.services)
            box.blockSignals(False)

        self._show_alerts(state)
        self._show_chart(state)

        current = counter.current
        if current is None:
            self.call_button.set_label(t("console.call_next"), t("console.call_next_name"))
        else:  # one tap finishes the visitor at the counter and calls the next (one transaction)
            self.call_button.set_label(t("console.finish_and_next"), t("console.finish_and_next_name"))
        self.call_button.setEnabled(counter.is_open and (current is None or current.status in ("called", "serving")))
        self.current_heading.setText(t("console.current"))
        if current is None:
            self.current_number.setText("—")
            self.current_number.setAccessibleName(t("console.no_current"))
            self.current_priority.hide()
            self.current_detail.setText(t("console.no_current"))
        else:
            self.current_number.setText(current.number)
            self.current_number.setAccessibleName(f"{t('console.current')} {current.number}")
            if current.priority:
                self.current_priority.setText(f"{theme.PRIORITY_MARK} {t('priority.' + current.priority)}")
                self.current_priority.show()
            else:
                self.current_priority.hide()
            detail = [self._service_name(current.service), t(f"status.{current.status}")]
            if current.recall_count:
                detail.append(t("console.recalls", count=current.recall_count))
            self.current_detail.setText(" · ".join(detail))

        required = self.ctx.queue.settings.no_show_after_recalls
        called = current is not None and current.status == "called"
        self.recall_button.set_label(t("console.recall"))
        self.start_button.set_label(t("console.start"))
        self.complete_button.set_label(t("console.complete"))
        self.no_show_button.set_label(t("console.no_show"))
        self.hold_button.set_label(t("console.hold"))
        self.transfer_button.set_label(t("console.transfer"))
        self.recall_button.setEnabled(called)
        self.start_button.setEnabled(called)
        self.complete_button.setEnabled(current is not None)
        self.hold_button.setEnabled(current is not None)
        self.transfer_button.setEnabled(current is not None)
        no_show_ready = called and current is not None and current.recall_count >= required
        self.no_show_button.setEnabled(no_show_ready)
        self.no_show_hint.setVisible(called and not no_show_ready)
        self.no_show_hint.setText(t("console.no_show_hint", required=required))

        self.transfer_combo.clear()
        for s in state.services:
            if current is None or s.code != current.service:
                self.transfer_combo.addItem(f"{s.code} {s.name(lang)}", s.code)
        self.transfer_combo.setAccessibleName(t("console.transfer_to"))

        today = state.today
        self.today_label.setText(
            t(
                "console.today",
                issued=today.get("issued", 0),
                waiting=today.get("waiting", 0),
                completed=today.get("completed", 0),
                expired=today.get("expired", 0),
            )
        )
        self.waiting_heading.setText(f"{t('console.waiting')} ({len(state.waiting)})")
        self._show_waiting(state)
        self._show_arrivals()
        self.held_heading.setText(f"{t('console.held')} ({len(state.held)})")
        self.held_list.clear()
        self.held_list.setAccessibleName(t("console.held"))
        for h in state.held:
            item = QListWidgetItem(t("console.held_item", number=h.number, service=self._service_name(h.service)))
            item.setData(Qt.ItemDataRole.UserRole, h.id)
            self.held_list.addItem(item)
        self.resume_button.set_label(t("console.resume"))
        self.resume_button.setEnabled(bool(state.held))
        self.held_list.setVisible(bool(state.held))  # room for the waiting list when none are held
        self.resume_button.setVisible(bool(state.held))

    def _show_chart(self, state: ConsoleState) -> None:
        """The presence panel and the seat-chart page, when there is a chart to show."""
        has_chart = state.chart is not None
        self.presence_panel.setVisible(has_chart)
        self.chart_button.setVisible(has_chart)
        if not has_chart and self.pages.currentWidget() is self.seats:
            self.show_seat_chart(False)
        self.presence_panel.show_state(state.chart, self.number)
        self.seats.show_state(state.chart)
        self.inbox_button.setVisible(self.ctx.feedback is not None)
        self._label_page_buttons()

    def _label_page_buttons(self) -> None:
        t = self.ctx.tr
        if self.pages.currentWidget() is not self.seats:
            self.chart_button.set_label(t("console.seats.open"), t("console.seats.open_name"))
        else:
            self.chart_button.set_label(t("console.seats.back"), t("console.seats.back_name"))
        if self.pages.currentWidget() is not self.inbox:
            self.inbox_button.set_label(t("console.inbox.open"), t("console.inbox.open_name"))
        else:
            self.inbox_button.set_label(t("console.inbox.back"), t("console.inbox.back_name"))

    def _show_page(self, page: QWidget) -> None:
        """One of the pages (calling visitors, the seat chart, the voice box); the services row is
        the counter page's. The priority alert stays above every page: a priority visitor is never missed."""
        self.pages.setCurrentWidget(page)
        self.services_bar.setVisible(page is self.counter_page)
        self._label_page_buttons()

    def toggle_seat_chart(self) -> None:
        self.show_seat_chart(self.pages.currentWidget() is not self.seats)

    def show_seat_chart(self, on: bool = True) -> None:
        """The seat chart page (everyone, where they are, seating edits) or back to calling visitors."""
        self._show_page(self.seats if on else self.counter_page)

    def toggle_inbox(self) -> None:
        self.show_inbox(self.pages.currentWidget() is not self.inbox)

    def show_inbox(self, on: bool = True) -> None:
        """The voice box's inbox (re-read as it appears) or back to calling visitors."""
        self._show_page(self.inbox if on else self.counter_page)

    def _show_waiting(self, state: ConsoleState) -> None:
        """The waiting visitors grouped by service, this counter's duties first, in call order."""
        t, lang = self.ctx.tr, self.ctx.lang
        tree = self.waiting_list
        tree.clear()
        tree.setHeaderLabels([t("console.col_number"), t("console.col_class"), t("console.col_waited")])
        tree.setAccessibleName(t("console.waiting"))
        tree.header().setAccessibleName(t("console.waiting"))
        handled = set(state.counter.services)
        services = sorted(state.services, key=lambda s: s.code not in handled)
        now = self.clock()
        for service in services:
            rows = [w for w in state.waiting if w.service == service.code]
            group = QTreeWidgetItem(tree)
            key = "console.group" if service.code in handled else "console.group_other"
            group.setText(0, t(key, code=service.code, service=service.name(lang), count=len(rows)))
            group.setFirstColumnSpanned(True)
            bold = group.font(0)
            bold.setBold(True)
            group.setFont(0, bold)
            if service.code not in handled:
                group.setForeground(0, QBrush(QColor(theme.MUTED)))
            for w in rows:
                item = QTreeWidgetItem(group)
                minutes = max(0, int((now - w.issued_at).total_seconds() // 60))
                item.setText(0, w.number)
                if w.priority:
                    item.setText(1, f"{theme.PRIORITY_MARK} {t('priority.' + w.priority)}")
                    for column in range(3):
                        item.setForeground(column, QBrush(QColor(theme.PRIORITY)))
                else:
                    item.setText(1, t("console.ordinary"))
                item.setText(2, t("console.minutes", minutes=minutes))
        tree.expandAll()

    def waiting_groups(self) -> list[str]:
        """The service headings of the waiting list as shown, in display order."""
        items = (self.waiting_list.topLevelItem(i) for i in range(self.waiting_list.topLevelItemCount()))
        return [item.text(0) for item in items if item is not None]

    def waiting_rows(self) -> list[tuple[str, str, str]]:
        """The waiting list as shown: (number, class, waited) per visitor, in display order."""
        rows = []
        for i in range(self.waiting_list.topLevelItemCount()):
            group = self.waiting_list.topLevelItem(i)
            for j in range(0 if group is None else group.childCount()):
                item = None if group is None else group.child(j)
                if item is not None:
                    rows.append((item.text(0), item.text(1), item.text(2)))
        return rows

    def _show_alerts(self, state: ConsoleState) -> None:
        t = self.ctx.tr
        wanted = {a.id: a for a in state.alerts}
        for ticket_id in list(self.alert_buttons):
            if ticket_id not in wanted:
                self.alert_buttons.pop(ticket_id).deleteLater()
                self.alert_labels.pop(ticket_id).deleteLater()
        for a in state.alerts:
            if a.id not in self.alert_buttons:
                row = QHBoxLayout()
                label = PlainLabel()
                button = self._button(lambda _=False, i=a.id: self.accept(i))
                row.addWidget(label, 1)
                row.addWidget(button)
                self.alert_rows.insertLayout(self.alert_rows.count() - 1, row)  # the hint stays last
                self.alert_labels[a.id] = label
                self.alert_buttons[a.id] = button
            reason = t(f"priority.{a.priority}")
            service = self._service_name(a.service)
            self.alert_labels[a.id].setText(t("console.alert", number=a.number, reason=reason, service=service))
            self.alert_buttons[a.id].set_label(
                t("console.accept"), t("console.alert_name", number=a.number, reason=reason, service=service)
            )
            self.alert_buttons[a.id].setEnabled(state.counter.current is None)
        self.alert_hint.setText(t("console.alert_busy"))
        self.alert_hint.setVisible(state.counter.current is not None)
        self.alert_frame.setVisible(bool(state.alerts))

    def audit_states(self) -> list[tuple[str, Callable[[], None]]]:
        # Last, a node offline in the middle of a long catch-up: the widest the sync indicator gets.
        catch_up = ({"online": False, "pending": 12345, "last_sync": ""}, (5000, 12345))
        states: list[tuple[str, Callable[[], None]]] = [
            ("waiting", self.reload),
            ("serving", self.call_next),
            ("sync", lambda: self._render_sync(*catch_up)),
        ]
        if self.ctx.charts is not None:  # the seat-chart panels, each in its widest state
            states += [
                ("presence away", lambda: self._audit_presence(PresenceState.AWAY)),
                ("presence leave", lambda: self._audit_presence(PresenceState.LEAVE)),
                ("seat chart", self._audit_seat_chart),
            ]
        if self.ctx.feedback is not None:  # the voice box's inbox: the list, a note in full, no access
            users = self.inbox.audit_users()
            states += [
                ("inbox", lambda: self._audit_inbox(users["reader"])),
                ("inbox item", self.inbox.audit_open_first),
                ("inbox no access", lambda: self._audit_inbox(users["no access"])),
            ]
        return states

    def _audit_inbox(self, user_id: str) -> None:
        self.show_inbox(True)
        self.inbox.sign_in(user_id)

    def _audit_presence(self, state: PresenceState) -> None:
        self.show_seat_chart(False)
        self.presence_panel.choose(state)

    def _audit_seat_chart(self) -> None:
        self.presence_panel.cancel()
        self.show_seat_chart(True)
        chart = self.state.chart if self.state is not None else None
        if chart is not None and chart.chart.desks:
            self.seats.select_desk(chart.chart.desks[0].id)

    def alert_numbers(self) -> list[str]:
        """The ticket numbers the priority alert shows right now."""
        if self.state is None or not self.alert_frame.isVisibleTo(self):
            return []
        return [a.number for a in self.state.alerts]
