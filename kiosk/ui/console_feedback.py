"""The counter console's voice-box inbox (S8–S13): the staff's side of the customer voice box.

A signed-in staff member sees the notes their role allows, soonest deadline first (S9), opens one
(the opening is written to the audit log, S12), classifies it (simple: 7 days, needs review: 14),
assigns it to a team, answers and closes it (never without a written answer, S11), or records why
it is late and the new date (S10): the visitor sees both with the receipt. One day before a
deadline a banner says how many notes need an answer or a delay, and those rows are marked.

Every rule is the service's (``FeedbackService``): what a role may see and do, the deadlines, the
empty answer. The page shows what the service returns and, when it refuses, its reason in the
staff member's language; what was typed stays on screen. Visitor-typed text is always plain text.
Work runs in the console's worker; the page re-reads when shown and every ``REFRESH_MS`` while
shown (not on every queue poll: the voice box does not change with the queue).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.errors import Forbidden
from kiosk.domain.staff import StaffUser
from kiosk.services.feedback import FeedbackService
from kiosk.services.feedback_views import ItemView
from kiosk.ui import theme
from kiosk.ui.context import UiContext
from kiosk.ui.staff_login import StaffGate
from kiosk.ui.widgets import PlainLabel, TouchButton, show_message, shown_text

REFRESH_MS = 30_000
"""How often a shown inbox re-reads (a deadline passes at midnight, a colleague answers a note)."""
DELAY_DAYS = 7
"""The new date a delay offers first: this many days after the current deadline."""
FIRST_LINE_CHARS = 40
COLUMNS = ("receipt", "category", "text", "status", "deadline", "team")
LIST, ITEM, NOTICE = 0, 1, 2
"""The inbox's views: the list, one note in full, a notice (nobody signed in, no access, loading)."""
RECEIPT_ROLE = int(Qt.ItemDataRole.UserRole)

STYLE = f"""
QFrame#inboxAlert {{ background: {theme.PRIORITY_BG}; border: 2px solid {theme.PRIORITY}; border-radius: 8px; }}
QFrame#inboxAlert QLabel {{ color: {theme.PRIORITY}; font-size: 20px; font-weight: bold; background: transparent; }}
QLabel#inboxHeading {{ font-size: 20px; font-weight: bold; }}
QLabel#inboxMuted {{ color: {theme.MUTED}; }}
QPlainTextEdit {{ font-size: 18px; background: {theme.SURFACE}; color: {theme.TEXT};
    border: 1px solid {theme.MUTED}; border-radius: 6px; }}
QPlainTextEdit:focus {{ border: 3px solid {theme.PRIMARY}; }}
QDateEdit {{ font-size: 18px; color: {theme.TEXT}; }}
QPlainTextEdit[readOnly="true"] {{ background: {theme.BG}; }}
QTreeWidget#inboxList::item {{ min-height: 40px; padding: 0 6px; }}
QScrollArea#inboxDetail {{ background: transparent; border: none; }}
QWidget#inboxDetailBody {{ background: transparent; }}
"""
"""The inbox's additions to the console's style sheet (the console appends them to its own)."""

Translate = Callable[..., str]


# -- Qt-free helpers: how dates, deadlines and steps read ------------------------------------------
def date_text(t: Translate, day: date) -> str:
    """``12.02(수)`` / ``Wed 12/2``."""
    return t("console.inbox.date", month=day.month, day=day.day, weekday=t(f"console.inbox.weekday_{day.weekday()}"))


def dday_text(t: Translate, deadline: date, today: date) -> str:
    """``D-3``, ``D-day``, ``3일 지남`` / ``3 days late``."""
    days = (deadline - today).days
    if days > 0:
        return t("console.inbox.dday_left", days=days)
    if days == 0:
        return t("console.inbox.dday_today")
    return t("console.inbox.dday_late_one") if days == -1 else t("console.inbox.dday_late", days=-days)


def deadline_text(t: Translate, item: ItemView, today: date) -> str:
    """The deadline with its D-day; an unclassified note has none yet (it says when it came in)."""
    if item.deadline is None:
        return t("console.inbox.unclassified", date=date_text(t, item.received_on))
    return t("console.inbox.deadline", date=date_text(t, item.deadline), dday=dday_text(t, item.deadline, today))


def first_line(text: str, limit: int = FIRST_LINE_CHARS) -> str:
    line = next((s.strip() for s in text.splitlines() if s.strip()), "")
    return line if len(line) <= limit else line[: limit - 1] + "…"


def step_text(t: Translate, what: str) -> str:
    """One history step (``classify:simple``, ``assign:민원팀``, ``answer``, ``delay:2026-12-09``) in words."""
    kind, _, value = what.partition(":")
    if kind == "classify":
        return t("console.inbox.step_classify", handling=t(f"console.inbox.handling_{value}"))
    if kind == "assign":
        return t("console.inbox.step_assign", team=value)
    if kind == "answer":
        return t("console.inbox.step_answer")
    if kind == "delay":
        try:
            return t("console.inbox.step_delay", date=date_text(t, date.fromisoformat(value)))
        except ValueError:
            return t("console.inbox.step_delay", date=value)
    return what


@dataclass(frozen=True)
class InboxState:
    """What the inbox shows for one signed-in staff member, read in one go in the worker."""

    user: StaffUser
    items: list[ItemView]
    """The notes ``user`` may see, soonest deadline first (the service's order)."""
    alerts: list[ItemView]
    """Open notes due tomorrow or late with no delay recorded (S10)."""
    today: date
    """The facility's date by the service's clock (the D-days count from it)."""


class InboxPanel(QWidget):
    """The voice-box page of the counter console: who is signed in, the list, one note in full.

    Staff sign in with their PIN first (``StaffGate``: the prompt until then, signed out after
    ``session_idle_minutes`` without input). The service checks every step against the signed-in
    person's role, so signing in never grants more than the role allows.
    """

    sig_loaded = Signal(object)
    """The inbox was re-read (the new ``InboxState``) and is shown."""

    sig_item_shown = Signal(object)
    """A note was opened (the ``ItemView``; the opening is in the audit log) and its page is shown."""

    sig_item_changed = Signal(object)
    """A staff step was stored (the updated ``ItemView``): classified, assigned, answered or delayed."""

    sig_refused = Signal(str)
    """The service refused a step or a read; its reason, as shown to the staff member."""

    def __init__(self, ctx: UiContext, min_px: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._min_px = min_px
        self.state: InboxState | None = None
        self.item: ItemView | None = None
        """The note whose page is shown (or was last), as the service last returned it."""
        self.forbidden: str = ""
        """The service's refusal when the signed-in person may not read the voice box."""
        self._generation = 0  # a re-read for someone who is no longer signed in is dropped
        self._loading = False
        self._reload_again = False
        self._busy = False
        self._opening: str | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.reload)
        self._build()
        ctx.sig_language_changed.connect(lambda _lang: self.retranslate())
        ctx.sig_ready.connect(self.retranslate)
        self.retranslate()

    @property
    def service(self) -> FeedbackService | None:
        return self.ctx.feedback

    # -- construction -------------------------------------------------------------------------------
    def _button(self, slot: Callable[[], None], min_width: int = 110) -> TouchButton:
        b = TouchButton(min_px=self._min_px)
        b.setMinimumWidth(min_width)
        b.clicked.connect(lambda _checked=False: slot())
        return b

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        page = QWidget()  # shown only while someone is signed in (``StaffGate``)
        self.gate = StaffGate(self.ctx, page, self._min_px)
        self.gate.sig_session_changed.connect(lambda _session: self._on_staff_chosen())
        outer.addWidget(self.gate)
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(8)

        top = QHBoxLayout()
        top.setSpacing(10)
        self.answered_check = QCheckBox()
        self.answered_check.setMinimumHeight(self._min_px)
        self.answered_check.toggled.connect(lambda _on: self.reload())
        self.refresh_button = self._button(self.reload)
        top.addWidget(self.gate.bar)
        top.addStretch(1)
        top.addWidget(self.answered_check)
        top.addWidget(self.refresh_button)
        box.addLayout(top)

        self.alert_frame = QFrame()
        self.alert_frame.setObjectName("inboxAlert")
        self.alert_frame.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        alert_layout = QHBoxLayout(self.alert_frame)
        alert_layout.setContentsMargins(12, 8, 12, 8)
        self.alert_label = PlainLabel()
        alert_layout.addWidget(self.alert_label, 1)
        self.alert_frame.hide()
        box.addWidget(self.alert_frame)

        self.views = QStackedWidget()  # LIST, ITEM, NOTICE
        self.views.addWidget(self._build_list())
        self.views.addWidget(self._build_detail())
        notice_page = QWidget()
        notice_box = QVBoxLayout(notice_page)
        notice_box.setContentsMargins(0, 0, 0, 0)
        self.notice = PlainLabel()  # "choose who is signed in" or "no access"
        self.notice.setObjectName("status")
        notice_box.addWidget(self.notice)
        notice_box.addStretch(1)
        self.views.addWidget(notice_page)
        box.addWidget(self.views, 1)

        self.message = PlainLabel()
        self.message.setObjectName("message")
        self.message.hide()
        box.addWidget(self.message)

    def _build_list(self) -> QWidget:
        page = QWidget()
        col = QVBoxLayout(page)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(6)
        self.heading = PlainLabel()
        self.heading.setObjectName("inboxHeading")
        col.addWidget(self.heading)
        self.tree = QTreeWidget()
        self.tree.setObjectName("inboxList")
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setRootIsDecorated(False)
        self.tree.setItemsExpandable(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setMinimumHeight(self._min_px * 3)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionsClickable(False)  # the service's order: soonest deadline first
        for i, name in enumerate(COLUMNS):
            mode = QHeaderView.ResizeMode.Stretch if name == "text" else QHeaderView.ResizeMode.ResizeToContents
            header.setSectionResizeMode(i, mode)
        self.tree.itemClicked.connect(lambda item, _col: self._on_row(item))
        self.tree.itemActivated.connect(lambda item, _col: self._on_row(item))
        col.addWidget(self.tree, 1)
        self.empty_label = PlainLabel()
        self.empty_label.setObjectName("inboxMuted")
        self.empty_label.hide()
        col.addWidget(self.empty_label)
        return page

    def _build_detail(self) -> QWidget:
        page = QWidget()
        col = QVBoxLayout(page)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(6)
        head = QHBoxLayout()
        self.back_button = self._button(self.show_list, 140)
        self.item_heading = PlainLabel()
        self.item_heading.setObjectName("inboxHeading")
        head.addWidget(self.back_button)
        head.addWidget(self.item_heading, 1)
        col.addLayout(head)

        # Everything below scrolls rather than squeezes: a long history never hides a button.
        self.detail_scroll = QScrollArea()
        self.detail_scroll.setObjectName("inboxDetail")
        self.detail_scroll.setWidgetResizable(True)
        self.detail_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.detail_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        body.setObjectName("inboxDetailBody")
        row = QHBoxLayout(body)
        row.setContentsMargins(0, 0, 6, 0)
        row.setSpacing(16)

        left = QVBoxLayout()
        left.setSpacing(6)
        self.confidential_label = PlainLabel()
        self.confidential_label.setObjectName("error")
        self.text_label = PlainLabel(wrap=False)
        self.text_view = QPlainTextEdit()
        self.text_view.setReadOnly(True)
        self.text_view.setMinimumHeight(80)
        self.text_label.setBuddy(self.text_view)
        self.facts_label = PlainLabel()
        self.who_label = PlainLabel()
        self.delay_info = PlainLabel()
        self.history_label = PlainLabel(wrap=False)
        self.history_view = QPlainTextEdit()
        self.history_view.setReadOnly(True)
        self.history_view.setMinimumHeight(60)
        self.history_label.setBuddy(self.history_view)
        for w in (self.confidential_label, self.text_label):
            left.addWidget(w)
        left.addWidget(self.text_view, 2)
        for w in (self.facts_label, self.who_label, self.delay_info, self.history_label):
            left.addWidget(w)
        left.addWidget(self.history_view, 1)
        row.addLayout(left, 1)

        # Labels in the first column, the controls beside them: every step fits without scrolling.
        right = QGridLayout()
        right.setHorizontalSpacing(8)
        right.setVerticalSpacing(6)
        self.handling_label = PlainLabel(wrap=False)
        self.simple_button = self._button(lambda: self.classify("simple"))
        self.review_button = self._button(lambda: self.classify("review"))
        for b in (self.simple_button, self.review_button):
            b.setCheckable(True)  # shows the current class; a tap re-classifies
        right.addWidget(self.handling_label, 0, 0)
        right.addWidget(self.simple_button, 0, 1)
        right.addWidget(self.review_button, 0, 2, 1, 2)

        self.assign_label = PlainLabel(wrap=False)
        self.team_combo = QComboBox()
        self.team_combo.setMinimumHeight(self._min_px)
        self.team_combo.setMinimumContentsLength(8)
        self.assign_label.setBuddy(self.team_combo)
        self.assign_button = self._button(self.assign)
        right.addWidget(self.assign_label, 1, 0)
        right.addWidget(self.team_combo, 1, 1, 1, 2)
        right.addWidget(self.assign_button, 1, 3)

        self.answer_label = PlainLabel()
        self.answer_edit = QPlainTextEdit()
        self.answer_edit.setMinimumHeight(90)
        self.answer_edit.setTabChangesFocus(True)
        self.answer_label.setBuddy(self.answer_edit)
        self.answer_button = self._button(self.answer)
        right.addWidget(self.answer_label, 2, 0, 1, 4)
        right.addWidget(self.answer_edit, 3, 0, 1, 4)
        right.addWidget(self.answer_button, 4, 0, 1, 4)

        self.delay_label = PlainLabel()
        self.reason_edit = QLineEdit()
        self.reason_edit.setMaxLength(500)
        self.reason_edit.setMinimumHeight(self._min_px)
        self.delay_label.setBuddy(self.reason_edit)
        self.date_label = PlainLabel(wrap=False)
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setMinimumHeight(self._min_px)
        self.date_edit.setMinimumWidth(170)
        self.date_label.setBuddy(self.date_edit)
        self.delay_button = self._button(self.delay)
        right.addWidget(self.delay_label, 5, 0, 1, 4)
        right.addWidget(self.reason_edit, 6, 0, 1, 4)
        right.addWidget(self.date_label, 7, 0)
        right.addWidget(self.date_edit, 7, 1, 1, 2)
        right.addWidget(self.delay_button, 7, 3)
        right.setRowStretch(3, 1)
        for c in (1, 2, 3):
            right.setColumnStretch(c, 1)
        row.addLayout(right, 1)

        # The text boxes take the room there is, from their minimum up: preferred sizes would make
        # the scroll area's page as tall as every box's default and scroll what fits on screen.
        for edit in (self.text_view, self.history_view, self.answer_edit):
            edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self.detail_scroll.setWidget(body)
        col.addWidget(self.detail_scroll, 1)
        return page

    # -- signing in ---------------------------------------------------------------------------------
    def _staff(self) -> list[StaffUser]:
        return [] if self.service is None else self.service.staff()

    @property
    def user_id(self) -> str:
        """Who is signed in with their PIN (``""``: nobody, or the session ended)."""
        user = self.gate.user
        return "" if user is None else user.id

    def sign_in(self, user_id: str, pin: str | None = None) -> None:
        """Sign ``user_id`` in through the PIN prompt (the demo PIN unless ``pin``); ``""`` signs out."""
        self.gate.sign_in(user_id, pin)

    def _on_staff_chosen(self) -> None:
        self._generation += 1
        self.state = None
        self.item = None
        self.forbidden = ""
        self.message.hide()
        self.views.setCurrentIndex(NOTICE)
        self.refresh()
        self.reload()

    def _staff_name(self, user_id: str) -> str:
        for u in self._staff():
            if u.id == user_id:
                return f"{u.name} ({u.id})" if u.name else u.id
        return user_id

    # -- loading ------------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.timer.start()
        self.reload()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.timer.stop()

    def reload(self) -> None:
        """Re-read the signed-in person's inbox in the worker (bursts are coalesced)."""
        service, user_id = self.service, self.user_id
        if service is None or not user_id:
            return
        if self._loading:
            self._reload_again = True
            return
        self._loading = True
        generation = self._generation
        include_answered = self.answered_check.isChecked()

        def load() -> InboxState:
            user = service.user(user_id)
            items = service.inbox(user, include_answered=include_answered)
            return InboxState(user, items, service.alerts(user), service.today())

        def finished() -> bool:
            self._loading = False
            if self._reload_again:
                self._reload_again = False
                self.reload()
                return False
            return generation == self._generation

        def done(state: InboxState) -> None:
            if finished():
                self.state, self.forbidden = state, ""
                self.refresh()
                self.sig_loaded.emit(state)

        def failed(error: BaseException) -> None:
            if not finished():
                return
            self.state = None
            if isinstance(error, Forbidden):
                self.forbidden = self.ctx.error_text(error)
                self.refresh()
            else:
                self._say(self.ctx.error_text(error), error=True)
            self.sig_refused.emit(self.ctx.error_text(error))

        self.ctx.ops.run(load, done, failed, changes=False)

    # -- showing ------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        """Every text again (a language switch, the store just opened)."""
        self.refresh()

    def refresh(self) -> None:
        """Every text from the current state, in the current language."""
        t = self.ctx.tr
        self.answered_check.setText(t("console.inbox.include_answered"))
        self.answered_check.setAccessibleName(t("console.inbox.include_answered_name"))
        self.refresh_button.set_label(t("console.inbox.refresh"), t("console.inbox.refresh_name"))
        self.back_button.set_label(t("console.inbox.list_back"), t("console.inbox.list_back_name"))
        for i, name in enumerate(COLUMNS):
            self.tree.headerItem().setText(i, t(f"console.inbox.col_{name}"))
        self.tree.setAccessibleName(t("console.inbox.list_name"))
        self.tree.header().setAccessibleName(t("console.inbox.list_name"))
        state, signed_in = self.state, bool(self.user_id)
        if self.forbidden:
            name = self._staff_name(self.user_id)
            no_access = t("console.inbox.no_access", name=name, error=self.forbidden)
            self.notice.setText(f"{no_access}\n{t('console.inbox.no_access_hint')}")
            self.notice.setObjectName("error")
        else:
            self.notice.setText(t("console.inbox.pick_staff"))
            self.notice.setObjectName("status")
        self.notice.style().unpolish(self.notice)
        self.notice.style().polish(self.notice)
        self.notice.setVisible(not signed_in or bool(self.forbidden))
        if state is None:
            self.views.setCurrentIndex(NOTICE)
        elif self.views.currentIndex() == NOTICE:
            self.views.setCurrentIndex(LIST)
        self.refresh_button.setEnabled(signed_in)
        if state is None:
            self.alert_frame.hide()
            return
        count = len(state.alerts)
        self.alert_label.setText(t("console.inbox.alert", count=count))
        self.alert_label.setAccessibleName(self.alert_label.text())
        self.alert_frame.setVisible(count > 0)
        self.heading.setText(t("console.inbox.heading", count=len(state.items)))
        self.empty_label.setText(t("console.inbox.empty"))
        self.empty_label.setVisible(not state.items)
        self._fill_list(state)
        if self.item is not None:
            newer = next((i for i in state.items if i.receipt == self.item.receipt), None)
            self._show_item(newer or self.item, keep_input=True)

    def _fill_list(self, state: InboxState) -> None:
        t = self.ctx.tr
        tree = self.tree
        scrolled = tree.verticalScrollBar().value()
        selected = None if self.item is None else self.item.receipt
        alerted = {a.receipt for a in state.alerts}
        tree.blockSignals(True)
        tree.clear()
        for it in state.items:
            mark = it.receipt in alerted
            cells = [
                f"{t('console.inbox.alert_mark')} {it.receipt}" if mark else it.receipt,
                t(f"console.inbox.category.{it.category}"),
                first_line(it.text),
                t(f"console.inbox.status.{it.status}"),
                deadline_text(t, it, state.today),
                it.team or t("console.inbox.no_team"),
            ]
            row = QTreeWidgetItem(tree, cells)
            row.setData(0, RECEIPT_ROLE, it.receipt)
            if mark:  # never by colour alone: the mark and the D-day say it too
                for c in range(len(COLUMNS)):
                    row.setForeground(c, QBrush(QColor(theme.PRIORITY)))
                    bold = row.font(c)
                    bold.setBold(True)
                    row.setFont(c, bold)
            elif it.status == "answered":
                for c in range(len(COLUMNS)):
                    row.setForeground(c, QBrush(QColor(theme.MUTED)))
            if it.receipt == selected:
                row.setSelected(True)
        tree.blockSignals(False)
        tree.verticalScrollBar().setValue(scrolled)

    def rows(self) -> list[tuple[str, ...]]:
        """The list as shown, in display order: (receipt, category, first line, status, deadline, team)."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            row = self.tree.topLevelItem(i)
            if row is not None:
                out.append(tuple(row.text(c) for c in range(len(COLUMNS))))
        return out

    def receipts(self) -> list[str]:
        """The receipts listed, in display order."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            row = self.tree.topLevelItem(i)
            if row is not None:
                out.append(str(row.data(0, RECEIPT_ROLE)))
        return out

    def row_for(self, receipt: str) -> QTreeWidgetItem | None:
        for i in range(self.tree.topLevelItemCount()):
            row = self.tree.topLevelItem(i)
            if row is not None and row.data(0, RECEIPT_ROLE) == receipt:
                return row
        return None

    def alert_text(self) -> str:
        """The D-1 banner as shown (``""`` when there is none)."""
        return self.alert_label.text() if self.alert_frame.isVisibleTo(self) else ""

    # -- one note -----------------------------------------------------------------------------------
    def _on_row(self, row: QTreeWidgetItem) -> None:
        receipt = row.data(0, RECEIPT_ROLE)
        if receipt:
            self.open_item(str(receipt))

    def open_item(self, receipt: str) -> None:
        """Open ``receipt`` (the service writes the opening to the audit log) and show its page."""
        service, user_id = self.service, self.user_id
        if service is None or not user_id or self._opening == receipt:
            return
        self._opening = receipt
        generation = self._generation

        def done(item: ItemView) -> None:
            self._opening = None
            if generation != self._generation:
                return
            self.message.hide()
            self._show_item(item, keep_input=False)
            self.views.setCurrentIndex(ITEM)
            self.sig_item_shown.emit(item)

        def failed(error: BaseException) -> None:
            self._opening = None
            text = self.ctx.error_text(error)
            self._say(text, error=True)
            self.sig_refused.emit(text)
            self.reload()  # the usual cause: a colleague moved it to another team

        self.ctx.ops.run(lambda: service.open(service.user(user_id), receipt), done, failed, changes=False)

    def show_list(self) -> None:
        if self.views.currentIndex() == ITEM:
            self.views.setCurrentIndex(LIST)
        self.message.hide()
        self.reload()

    def showing_item(self) -> bool:
        return self.views.currentIndex() == ITEM

    def _show_item(self, item: ItemView, *, keep_input: bool) -> None:
        """The note's page; ``keep_input`` leaves what staff typed (answer, reason, date) alone."""
        t = self.ctx.tr
        today = self._today()
        changed = self.item is None or self.item.receipt != item.receipt
        self.item = item
        r = item.receipt
        category = t(f"console.inbox.category.{item.category}")
        status = t(f"console.inbox.status.{item.status}")
        self.item_heading.setText(t("console.inbox.item_heading", receipt=r, category=category, status=status))
        self.confidential_label.setText(t("console.inbox.confidential"))
        self.confidential_label.setVisible(item.confidential)
        self.text_label.setText(t("console.inbox.text_label"))
        if self.text_view.toPlainText() != item.text:
            self.text_view.setPlainText(item.text)
        self.text_view.setAccessibleName(t("console.inbox.text_name"))
        received = item.received_at.astimezone(self.ctx.config.tz)
        facts = [t("console.inbox.received", date=date_text(t, item.received_on), time=f"{received:%H:%M}")]
        if item.deadline is None:
            facts.append(t("console.inbox.due_none"))
        else:
            facts.append(t("console.inbox.due", deadline=deadline_text(t, item, today)))
        facts.append(t("console.inbox.team", team=item.team or t("console.inbox.no_team")))
        self.facts_label.setText(" · ".join(facts))
        if item.name or item.contact:
            none = t("console.inbox.not_given")
            who = t("console.inbox.who", name=item.name or none, contact=item.contact or none)
            self.who_label.setText(f"{who} · {t('console.inbox.consent_yes')}" if item.consent else who)
        else:
            self.who_label.setText(t("console.inbox.who_anonymous"))
        lines = []
        if item.delay_reason and item.new_date is not None:
            lines.append(t("console.inbox.delay_shown", reason=item.delay_reason, date=date_text(t, item.new_date)))
        if item.answered_at is not None:
            answered_on = item.answered_at.astimezone(self.ctx.config.tz).date()
            lines.append(t("console.inbox.answered_on", date=date_text(t, answered_on)))
        self.delay_info.setText("\n".join(lines))
        self.delay_info.setVisible(bool(lines))
        self.history_label.setText(t("console.inbox.history"))
        history = [
            t("console.inbox.history_line", what=step_text(t, str(what)), who=self._staff_name(str(who)))
            for what, who in (tuple(h) for h in item.history)
        ]
        self.history_view.setPlainText("\n".join(history) or t("console.inbox.history_none"))
        self.history_view.setAccessibleName(t("console.inbox.history_name"))

        self.handling_label.setText(t("console.inbox.handling_label"))
        self.simple_button.set_label(t("console.inbox.simple"), t("console.inbox.simple_name", receipt=r))
        self.review_button.set_label(t("console.inbox.review"), t("console.inbox.review_name", receipt=r))
        self.simple_button.setChecked(item.handling == "simple")
        self.review_button.setChecked(item.handling == "review")

        self.assign_label.setText(t("console.inbox.assign_label"))
        wanted = self.team_combo.currentData() if keep_input and not changed else item.team
        teams = list(self.ctx.config.feedback_teams)
        if item.team and item.team not in teams:
            teams.append(item.team)
        if not item.team:
            teams.insert(0, "")  # nothing preselected: an unassigned note is not anyone's by default
        if [self.team_combo.itemData(i) for i in range(self.team_combo.count())] != teams:
            self.team_combo.clear()  # left alone otherwise: an open drop-down stays open on a re-read
            for team in teams:
                self.team_combo.addItem(team or t("console.inbox.choose_team"), team)
        elif not item.team:
            self.team_combo.setItemText(0, t("console.inbox.choose_team"))
        self.team_combo.setCurrentIndex(max(0, self.team_combo.findData(wanted)))
        self.team_combo.setAccessibleName(t("console.inbox.team_name", receipt=r))
        self.assign_button.set_label(t("console.inbox.assign"), t("console.inbox.assign_name", receipt=r))

        self.answer_label.setText(t("console.inbox.answer_label"))
        self.answer_edit.setPlaceholderText(t("console.inbox.answer_hint"))
        self.answer_edit.setAccessibleName(t("console.inbox.answer_name", receipt=r))
        answered = item.status == "answered"
        if answered and self.answer_edit.toPlainText() != item.answer:
            self.answer_edit.setPlainText(item.answer)  # what the visitor reads
        elif not answered and (not keep_input or changed):
            self.answer_edit.setPlainText("")
        self.answer_edit.setReadOnly(answered)
        self.answer_button.set_label(t("console.inbox.answer"), t("console.inbox.answer_button_name", receipt=r))

        self.delay_label.setText(t("console.inbox.delay_label"))
        self.reason_edit.setPlaceholderText(t("console.inbox.reason_hint"))
        self.reason_edit.setAccessibleName(t("console.inbox.reason_name", receipt=r))
        self.date_label.setText(t("console.inbox.new_date"))
        self.date_edit.setAccessibleName(t("console.inbox.new_date_name", receipt=r))
        self.date_edit.calendarWidget().setAccessibleName(t("console.inbox.calendar_name"))
        tomorrow = today + timedelta(days=1)
        self.date_edit.setMinimumDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
        if not keep_input or changed:
            self.reason_edit.setText("")
            offered = max(item.deadline or today, today) + timedelta(days=DELAY_DAYS)
            self.date_edit.setDate(QDate(offered.year, offered.month, offered.day))
        self.delay_button.set_label(t("console.inbox.delay"), t("console.inbox.delay_button_name", receipt=r))
        self._enable()

    def _enable(self) -> None:
        item = self.item
        open_ = item is not None and item.status != "answered" and not self._busy
        for w in (
            self.simple_button,
            self.review_button,
            self.team_combo,
            self.assign_button,
            self.answer_button,
            self.reason_edit,
            self.date_edit,
            self.delay_button,
        ):
            w.setEnabled(open_)

    # -- staff steps --------------------------------------------------------------------------------
    def classify(self, handling: str) -> None:
        def ok(item: ItemView) -> str:
            handling_text = self.ctx.tr(f"console.inbox.handling_{handling}")
            deadline = deadline_text(self.ctx.tr, item, self._today())
            return self.ctx.tr(
                "console.inbox.classified", receipt=item.receipt, handling=handling_text, deadline=deadline
            )

        self._step(lambda s, u, r: s.classify(u, r, handling), ok)

    def assign(self) -> None:
        team = str(self.team_combo.currentData() or "")

        def ok(item: ItemView) -> str:
            return self.ctx.tr("console.inbox.assigned", receipt=item.receipt, team=item.team)

        self._step(lambda s, u, r: s.assign(u, r, team), ok)

    def answer(self) -> None:
        """Answer and close: the service refuses an empty answer (S11) and the reason is shown."""
        text = self.answer_edit.toPlainText()

        def ok(item: ItemView) -> str:
            return self.ctx.tr("console.inbox.answered", receipt=item.receipt)

        self._step(lambda s, u, r: s.answer(u, r, text), ok)

    def delay(self) -> None:
        """Record the reason and the new date (S10): the visitor sees both with the receipt."""
        reason = self.reason_edit.text()
        picked = self.date_edit.date()
        new_date = date(picked.year(), picked.month(), picked.day())

        def ok(item: ItemView) -> str:
            shown = date_text(self.ctx.tr, item.new_date or new_date)
            return self.ctx.tr("console.inbox.delayed", receipt=item.receipt, date=shown)

        self._step(lambda s, u, r: s.delay(u, r, reason, new_date), ok)

    def _today(self) -> date:
        return self.state.today if self.state is not None else date.today()

    def _step(
        self,
        change: Callable[[FeedbackService, StaffUser, str], ItemView],
        ok: Callable[[ItemView], str],
    ) -> None:
        service, user_id, item = self.service, self.user_id, self.item
        if service is None or not user_id or item is None or self._busy:
            return
        receipt = item.receipt
        self._busy = True
        self._enable()

        def done(updated: ItemView) -> None:
            self._busy = False
            self._show_item(updated, keep_input=False)
            notice = f"console.inbox.notice_{updated.notice}" if updated.notice else ""
            self._say(" ".join(s for s in (ok(updated), self.ctx.tr(notice) if notice else "") if s), error=False)
            self.sig_item_changed.emit(updated)
            self.reload()

        def failed(error: BaseException) -> None:
            self._busy = False
            self._enable()  # what was typed stays: fix it and press again
            text = self.ctx.error_text(error)
            self._say(text, error=True)
            self.sig_refused.emit(text)

        self.ctx.ops.run(lambda: change(service, service.user(user_id), receipt), done, failed, changes=False)

    def _say(self, text: str, *, error: bool) -> None:
        show_message(self.message, text, error=error, normal="message")

    def message_text(self) -> str:
        """The last message (a step done, or why it was refused) as shown; ``""`` if none."""
        return shown_text(self.message, self)

    def clear_message(self) -> None:
        self.message.hide()

    # -- the accessibility audit -------------------------------------------------------------------
    def audit_users(self) -> dict[str, str]:
        """A staff id per audited state: the widest reader (audit, else admin, else lead), a counter clerk."""
        staff = self._staff()
        by_role: dict[str, str] = {}
        for u in staff:
            by_role.setdefault(u.role.value, u.id)
        reader = by_role.get("audit") or by_role.get("admin") or by_role.get("lead") or ""
        return {"reader": reader, "no access": by_role.get("counter", "")}

    def audit_open_first(self) -> None:
        """Open the first note listed, if any (its page is the widest state of the inbox)."""
        receipts = self.receipts()
        if receipts:
            self.open_item(receipts[0])
