"""The counter console's seat-chart panels (S3, S4): my presence in two taps, and who sits where.

Staff see everything in full here (the destination, the whole phone number, the return time in the
facility's time zone); visitors get the masked summary on the kiosk. Writes go through
``ChartService`` in the console's worker like every other console action, and a refused change says
why in the staff member's language while what was typed or ticked stays on screen.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.presence import Presence, PresenceState
from kiosk.domain.seat_chart import Desk, SeatChart, StaffMember
from kiosk.services.chart import ChartService, ChartState
from kiosk.ui import theme
from kiosk.ui.context import UiContext
from kiosk.ui.widgets import PlainLabel, TouchButton, wrap_text

OFFICE_OPENS = time(9, 0)
"""When a working day starts: someone back from leave is expected then."""
OFFICE_CLOSES = time(18, 0)
"""When a working day ends: the "end of day" return an away or meeting can pick."""
AWAY_MINUTES = (30, 60, 120)
LEAVE_WORKING_DAYS = (1, 2, 3, 5)
"""First day back after leave: the next working day, the one after, ... a week."""
STATES = (PresenceState.PRESENT, PresenceState.AWAY, PresenceState.MEETING, PresenceState.LEAVE)

STYLE = f"""
QLineEdit {{ font-size: 18px; padding: 4px 8px; background: {theme.SURFACE}; color: {theme.TEXT};
    border: 1px solid {theme.MUTED}; border-radius: 6px; }}
QLineEdit:focus {{ border: 3px solid {theme.PRIMARY}; }}
QFrame#presence, QFrame#seatEditor {{ background: {theme.SURFACE}; border: 1px solid #9AA3AE; border-radius: 8px; }}
QFrame#presence QLabel, QFrame#seatEditor QLabel {{ background: transparent; }}
QLabel#presenceNow {{ font-size: 20px; font-weight: bold; }}
QPushButton#preset {{ font-size: 17px; padding: 4px 6px; }}
QPushButton:checked {{ background: {theme.PRIMARY}; color: {theme.PRIMARY_TEXT}; font-weight: bold; }}
QLabel#message {{ font-size: 18px; font-weight: bold; color: {theme.PRIMARY}; padding: 6px; }}
"""
"""The panels' additions to the console's style sheet (the console appends them to its own)."""


# -- Qt-free helpers: the return times offered and how a presence reads ----------------------------
@dataclass(frozen=True)
class ReturnPreset:
    """One "back at ..." button of the second tap."""

    kind: str
    """``minutes`` (in ``amount`` minutes), ``end_of_day``, or ``day`` (``amount`` working days on)."""
    amount: int
    until: datetime


def _round_up(moment: datetime, step: int = 5) -> datetime:
    """Up to the next whole ``step`` minutes (10:03 + 30 min is offered as 10:35, not 10:33)."""
    whole = moment.replace(second=0, microsecond=0)
    if whole != moment:
        whole += timedelta(minutes=1)
    return whole + timedelta(minutes=-whole.minute % step)


def working_day_after(day: date, n: int) -> date:
    """The ``n``-th weekday after ``day`` (Saturday and Sunday skipped)."""
    while n > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def return_presets(state: PresenceState, now: datetime, tz: ZoneInfo) -> list[ReturnPreset]:
    """What the second tap offers: times later today (away, meeting) or first days back (leave)."""
    local = now.astimezone(tz)
    if state == PresenceState.LEAVE:
        return [
            ReturnPreset("day", n, datetime.combine(working_day_after(local.date(), n), OFFICE_OPENS, tzinfo=tz))
            for n in LEAVE_WORKING_DAYS
        ]
    out = [ReturnPreset("minutes", m, _round_up(local + timedelta(minutes=m))) for m in AWAY_MINUTES]
    closes = datetime.combine(local.date(), OFFICE_CLOSES, tzinfo=tz)
    if closes > out[-1].until:  # late in the day the last preset already reaches the end of it
        out.append(ReturnPreset("end_of_day", 0, closes))
    return out


Translate = Callable[..., str]


def date_text(t: Translate, moment: datetime) -> str:
    return t("console.presence.date", month=moment.month, day=moment.day, weekday=_weekday(t, moment))


def _weekday(t: Translate, moment: datetime) -> str:
    return t(f"console.presence.weekday_{moment.weekday()}")


def when_text(t: Translate, moment: datetime, tz: ZoneInfo, now: datetime) -> str:
    """A return time as staff read it: ``10:30`` today, ``11.26(목) 09:00`` another day (local time)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone(tz)
    clock = local.strftime("%H:%M")
    if local.date() == now.astimezone(tz).date():
        return clock
    return t("console.presence.date_time", month=local.month, day=local.day, weekday=_weekday(t, local), time=clock)


def presence_lines(t: Translate, p: Presence, tz: ZoneInfo, now: datetime) -> list[str]:
    """A presence in full, for staff: state and destination, contact number (unmasked), return."""
    first = t(f"console.presence.{p.state.value}")
    if p.state == PresenceState.PRESENT:
        return [first]
    lines = [f"{first} · {p.destination}" if p.destination else first]
    if p.contact:
        lines.append(t("console.presence.contact_line", contact=p.contact))
    if p.until is not None:
        key = "console.presence.overdue" if p.until <= now else "console.presence.until"
        lines.append(t(key, when=when_text(t, p.until, tz, now)))
    return lines


def presence_text(t: Translate, p: Presence, tz: ZoneInfo, now: datetime) -> str:
    """``presence_lines`` on one line."""
    return " · ".join(presence_lines(t, p, tz, now))


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold().replace(" ", "")


# -- my presence ------------------------------------------------------------------------------------
class PresencePanel(QFrame):
    """The person at this counter's desk says where they are: one tap for "at my desk", two otherwise.

    Tap 1 picks the state; for away, meeting and leave, tap 2 picks a return time from a few presets,
    with the destination and contact number already filled in (editable, never required to touch).
    """

    sig_saved = Signal(object)
    """A presence change was stored (the new ``Presence``); the console re-reads its state."""

    def __init__(
        self,
        ctx: UiContext,
        clock: Callable[[], datetime],
        actor: Callable[[], str],
        min_px: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._clock = clock
        self._actor = actor
        self._min_px = min_px
        self.chart_state: ChartState | None = None
        self.desk: Desk | None = None
        self.staff: StaffMember | None = None
        self.presence: Presence | None = None
        self.choosing: PresenceState | None = None
        """The state picked by tap 1, waiting for its return time (tap 2)."""
        self.presets: list[ReturnPreset] = []
        self._last_destination: dict[tuple[str, PresenceState], str] = {}
        self._busy = False
        self._saved: tuple[ChartState | None, Presence] | None = None
        """The presence just stored, and the (older) chart state shown when it was: until a newer
        state is read, the stored one is shown (a language switch re-shows the older state)."""
        self.setObjectName("presence")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._build()

    def _button(self, slot: Callable[[], None], min_width: int = 100) -> TouchButton:
        b = TouchButton(min_px=self._min_px)
        b.setMinimumWidth(min_width)
        b.clicked.connect(lambda _checked=False: slot())
        return b

    def _build(self) -> None:
        box = QVBoxLayout(self)
        box.setContentsMargins(10, 8, 10, 8)
        box.setSpacing(6)
        self.heading = PlainLabel()
        self.heading.setObjectName("heading")
        self.now_label = PlainLabel()
        self.now_label.setObjectName("presenceNow")
        box.addWidget(self.heading)
        box.addWidget(self.now_label)

        states = QHBoxLayout()
        states.setSpacing(8)
        self.state_buttons: dict[PresenceState, TouchButton] = {}
        for s in STATES:
            b = self._button(functools.partial(self.choose, s))
            b.setCheckable(True)
            self.state_buttons[s] = b
            states.addWidget(b)
        box.addLayout(states)

        self.step2 = QWidget()
        step2 = QVBoxLayout(self.step2)
        step2.setContentsMargins(0, 4, 0, 0)
        step2.setSpacing(6)
        prompt_row = QHBoxLayout()
        self.prompt = PlainLabel()
        self.cancel_button = self._button(self.cancel)
        prompt_row.addWidget(self.prompt, 1)
        prompt_row.addWidget(self.cancel_button)
        step2.addLayout(prompt_row)
        fields = QHBoxLayout()
        fields.setSpacing(8)
        self.destination_label = PlainLabel(wrap=False)
        self.destination = QLineEdit()
        self.destination.setMaxLength(100)
        self.contact_label = PlainLabel(wrap=False)
        self.contact = QLineEdit()
        self.contact.setMaxLength(30)
        self.contact.setInputMethodHints(Qt.InputMethodHint.ImhDialableCharactersOnly)
        for label, edit in ((self.destination_label, self.destination), (self.contact_label, self.contact)):
            edit.setMinimumHeight(self._min_px)
            label.setBuddy(edit)
            fields.addWidget(label)
            fields.addWidget(edit, 1)
        step2.addLayout(fields)
        presets = QHBoxLayout()  # one row: the relative time above the clock time
        presets.setSpacing(8)
        self.preset_buttons: list[TouchButton] = []
        for i in range(max(len(AWAY_MINUTES) + 1, len(LEAVE_WORKING_DAYS))):
            b = self._button(functools.partial(self.pick, i))
            b.setObjectName("preset")
            self.preset_buttons.append(b)
            presets.addWidget(b, 1)
        step2.addLayout(presets)
        box.addWidget(self.step2)
        self.step2.hide()

        self.error = PlainLabel()
        self.error.setObjectName("error")
        self.error.hide()
        box.addWidget(self.error)

    # -- showing ------------------------------------------------------------------------------------
    def show_state(self, state: ChartState | None, counter: int) -> None:
        """Who sits at ``counter``'s desk and where they are (the console calls this on every re-read)."""
        self.chart_state = state
        desk = None if state is None else state.chart.desk_for_counter(counter)
        staff = None if state is None or desk is None else state.chart.person(desk.staff)
        if staff is None or self.staff is None or staff.id != self.staff.id:
            self.choosing = None  # another person (or none) now: whatever was half-chosen was theirs
            self.error.hide()
        self.desk, self.staff = desk, staff
        self.presence = None if state is None or staff is None else state.presence_of(staff.id)
        if self._saved is not None and state is not self._saved[0]:
            self._saved = None  # read after the change: it has it
        elif self._saved is not None and staff is not None and self._saved[1].staff_id == staff.id:
            self.presence = self._saved[1]
        self.refresh()

    def refresh(self) -> None:
        t = self.ctx.tr
        staff, desk = self.staff, self.desk
        self.heading.setText(t("console.presence.heading"))
        self.heading.setAccessibleName(self.heading.text())
        for s, b in self.state_buttons.items():
            name = t("console.presence.button_name", state=t(f"console.presence.{s.value}"))
            b.set_label(t(f"console.presence.button_{s.value}"), name)
            b.setVisible(staff is not None and self.choosing is None)  # tap 2 takes their place
        if staff is None or desk is None:
            self.now_label.setText(t("console.presence.nobody"))
            self.now_label.show()
            self.step2.hide()
            return
        lang = self.ctx.lang
        who = t("console.presence.who", name=staff.name(lang), title=staff.title(lang), desk=desk.id)
        self.heading.setText(who)  # whose presence: the buttons say what it is for
        self.heading.setAccessibleName(f"{t('console.presence.heading')}: {who}")
        presence = self.presence or Presence(staff.id)
        self.now_label.setVisible(self.choosing is None)  # the prompt names the state being chosen
        self.now_label.setText(presence_text(t, presence, self.ctx.config.tz, self._clock()))
        self.now_label.setAccessibleName(f"{t('console.presence.heading')}: {self.now_label.text()}")
        shown = self.choosing or presence.state
        for s, b in self.state_buttons.items():
            b.setChecked(s == shown)
            b.setEnabled(not self._busy)
        self._render_step2()

    def _render_step2(self) -> None:
        state = self.choosing
        if state is None:
            self.step2.hide()
            return
        t = self.ctx.tr
        name = t(f"console.presence.{state.value}")
        key = "console.presence.pick_day" if state == PresenceState.LEAVE else "console.presence.pick_time"
        self.prompt.setText(t(key, state=name))
        self.destination_label.setText(t("console.presence.destination"))
        self.contact_label.setText(t("console.presence.contact"))
        self.destination.setAccessibleName(t("console.presence.destination_name"))
        self.contact.setAccessibleName(t("console.presence.contact_name"))
        optional = "" if state == PresenceState.AWAY else t("console.presence.optional")  # S4: away needs both
        self.destination.setPlaceholderText(optional)
        self.contact.setPlaceholderText(optional)
        now = self._clock()
        tz = self.ctx.config.tz
        self.presets = return_presets(state, now, tz)
        for i, b in enumerate(self.preset_buttons):
            if i >= len(self.presets):
                b.hide()
                continue
            p = self.presets[i]
            clock = p.until.astimezone(tz).strftime("%H:%M")
            if p.kind == "minutes" and p.amount % 60 == 0:
                text = t("console.presence.in_hours", hours=p.amount // 60, time=clock)
            elif p.kind == "minutes":
                text = t("console.presence.in_minutes", minutes=p.amount, time=clock)
            elif p.kind == "end_of_day":
                text = t("console.presence.end_of_day", time=clock)
            else:
                text = t("console.presence.on_day", date=date_text(t, p.until.astimezone(tz)))
            when = when_text(t, p.until, tz, now)
            b.set_label(text, t("console.presence.preset_name", state=name, when=when))
            b.setEnabled(not self._busy)
            b.show()
        self.cancel_button.set_label(t("console.presence.cancel"), t("console.presence.cancel_name"))
        self.cancel_button.setEnabled(not self._busy)
        self.step2.show()

    def preset_texts(self) -> list[str]:
        """The return-time buttons as shown (one line each), for tests and the screen reader check."""
        return [b.text().replace("\n", " ") for b in self.preset_buttons if b.isVisibleTo(self)]

    # -- actions ------------------------------------------------------------------------------------
    def choose(self, state: PresenceState) -> None:
        """Tap 1: "at my desk" is stored at once; the others open the return-time presets."""
        if self.staff is None or self._busy:
            self.refresh()
            return
        if state == PresenceState.PRESENT:
            self.choosing = None
            self._save(state, "", "", None)
            return
        self.choosing = state
        self.error.hide()
        current = self.presence or Presence(self.staff.id)
        t = self.ctx.tr
        default = t(f"console.presence.default_{state.value}") if state != PresenceState.LEAVE else ""
        if current.state == state and current.destination:
            default = current.destination
        self.destination.setText(self._last_destination.get((self.staff.id, state), default))
        if current.state == state and current.contact:
            contact = current.contact
        else:  # the desk's number; someone on leave is not reached at their desk
            contact = "" if state == PresenceState.LEAVE else self.staff.phone
        self.contact.setText(contact)
        self.refresh()

    def pick(self, index: int) -> None:
        """Tap 2: store the state chosen by tap 1 with this return time."""
        if self.choosing is None or self.staff is None or self._busy or index >= len(self.presets):
            return
        self._save(self.choosing, self.destination.text(), self.contact.text(), self.presets[index].until)

    def cancel(self) -> None:
        self.choosing = None
        self.error.hide()
        self.refresh()

    def _save(self, state: PresenceState, destination: str, contact: str, until: datetime | None) -> None:
        charts = self.ctx.charts
        if charts is None or self.staff is None:
            return
        service: ChartService = charts
        staff_id, actor = self.staff.id, self._actor()
        self._busy = True
        self.refresh()

        def done(p: Presence) -> None:
            self._busy = False
            if p.destination:
                self._last_destination[(p.staff_id, p.state)] = p.destination
            self.choosing = None
            self.error.hide()
            if self.staff is not None and self.staff.id == p.staff_id:
                self.presence = p  # shown at once; the console's re-read follows
                self._saved = (self.chart_state, p)
            self.refresh()
            self.sig_saved.emit(p)

        def failed(error: BaseException) -> None:
            self._busy = False
            self.error.setText(self.ctx.error_text(error))
            self.error.show()
            self.refresh()  # step 2 stays open with what was typed

        self.ctx.ops.run(
            lambda: service.set_presence(
                staff_id, state, destination=destination, contact=contact, until=until, actor=actor
            ),
            done,
            failed,
        )

    def clear_message(self) -> None:
        self.error.hide()


# -- the seat chart ---------------------------------------------------------------------------------
COLUMNS = ("name", "desk", "duties", "presence")
"""The staff list's columns; the name cell has the team on its second line (narrow enough for
presence in full beside it)."""
PRESENCE_WRAP_PX = 260
"""Presence lines longer than this (a long destination) wrap instead of being cut off."""
DESK_ROLE = Qt.ItemDataRole.UserRole
STAFF_ROLE = Qt.ItemDataRole.UserRole + 1


class SeatChartPanel(QWidget):
    """Everyone with their desk, team, duties and presence in full ("where is Lee?"), and seating edits.

    Edits (who sits at a desk, a desk's duties) are checked by the chart's rules in ``ChartService``;
    a refused one leaves the chart as it was and the choices on screen as they were, with the reason.
    """

    sig_edited = Signal(object)
    """An edit was stored (the new ``SeatChart``); the console re-reads its state."""

    def __init__(
        self,
        ctx: UiContext,
        clock: Callable[[], datetime],
        actor: Callable[[], str],
        min_px: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._clock = clock
        self._actor = actor
        self._min_px = min_px
        self.chart_state: ChartState | None = None
        self.desk_id: str | None = None
        """The desk being edited."""
        self._person_dirty = False
        self._duties_dirty = False
        self._busy = False
        self._shown: object = None
        self._build()

    def _button(self, slot: Callable[[], None]) -> TouchButton:
        b = TouchButton(min_px=self._min_px)
        b.setMinimumWidth(160)
        b.clicked.connect(lambda _checked=False: slot())
        return b

    def _build(self) -> None:
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(12)

        left = QVBoxLayout()
        left.setSpacing(8)
        self.heading = PlainLabel()
        self.heading.setObjectName("heading")
        search_row = QHBoxLayout()
        self.search_label = PlainLabel(wrap=False)
        self.search = QLineEdit()
        self.search.setMinimumHeight(self._min_px)
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _text: self._fill_list())
        self.search_label.setBuddy(self.search)
        search_row.addWidget(self.search_label)
        search_row.addWidget(self.search, 1)
        self.summary = PlainLabel()
        self.tree = QTreeWidget()
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setRootIsDecorated(False)
        self.tree.setItemsExpandable(False)
        self.tree.setUniformRowHeights(False)  # an absent colleague's presence takes three lines
        self.tree.setAlternatingRowColors(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setMinimumHeight(self._min_px * 3)
        self.tree.itemSelectionChanged.connect(self._on_row_selected)
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setSectionsClickable(False)  # one order: desks as on the chart, then the rest
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        left.addWidget(self.heading)
        left.addLayout(search_row)
        left.addWidget(self.summary)
        left.addWidget(self.tree, 1)
        row.addLayout(left, 1)

        self.editor = QFrame()
        self.editor.setObjectName("seatEditor")
        self.editor.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.editor.setFixedWidth(360)
        edit = QVBoxLayout(self.editor)
        edit.setContentsMargins(12, 10, 12, 10)
        edit.setSpacing(8)
        self.edit_heading = PlainLabel()
        self.edit_heading.setObjectName("heading")
        edit.addWidget(self.edit_heading)
        form = QGridLayout()
        form.setHorizontalSpacing(8)
        form.setVerticalSpacing(8)
        self.desk_label = PlainLabel(wrap=False)
        self.desk_combo = QComboBox()
        self.desk_combo.activated.connect(self._on_desk_chosen)
        self.person_label = PlainLabel(wrap=False)
        self.person_combo = QComboBox()
        self.person_combo.activated.connect(self._on_person_chosen)
        pairs = ((self.desk_label, self.desk_combo), (self.person_label, self.person_combo))
        for r, (label, combo) in enumerate(pairs):
            combo.setMinimumHeight(self._min_px)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
            label.setBuddy(combo)
            form.addWidget(label, r, 0)
            form.addWidget(combo, r, 1)
        form.setColumnStretch(1, 1)
        edit.addLayout(form)
        self.assign_button = self._button(self.assign)
        edit.addWidget(self.assign_button)
        self.duties_label = PlainLabel()
        edit.addWidget(self.duties_label)
        self.duty_list = QListWidget()
        self.duty_list.setMinimumHeight(self._min_px * 3)
        self.duty_list.setStyleSheet(f"QListWidget::item {{ min-height: {self._min_px - 4}px; }}")
        self.duty_list.itemChanged.connect(self._on_duty_ticked)
        edit.addWidget(self.duty_list, 1)
        self.duties_button = self._button(self.save_duties)
        edit.addWidget(self.duties_button)
        self.message = PlainLabel()
        self.message.setObjectName("message")
        self.message.hide()
        edit.addWidget(self.message)
        row.addWidget(self.editor)

    # -- showing ------------------------------------------------------------------------------------
    def show_state(self, state: ChartState | None) -> None:
        """Show ``state``; the console calls this on every re-read, so an unchanged chart is left alone
        (the list keeps its scroll position, an open drop-down stays open)."""
        key = (state, self.ctx.lang, self._clock().replace(second=0, microsecond=0))
        if key == self._shown:
            return
        self._shown = key
        self.chart_state = state
        self.refresh()

    def refresh(self) -> None:
        t, lang = self.ctx.tr, self.ctx.lang
        state = self.chart_state
        self.search_label.setText(t("console.seats.search"))
        self.search.setPlaceholderText(t("console.seats.search_hint"))
        self.search.setAccessibleName(t("console.seats.search_name"))
        self.tree.setHeaderLabels([t(f"console.seats.col_{c}") for c in COLUMNS])
        self.tree.setAccessibleName(t("console.seats.list_name"))
        self.tree.header().setAccessibleName(t("console.seats.list_name"))
        self.edit_heading.setText(t("console.seats.edit_heading"))
        self.desk_label.setText(t("console.seats.edit_desk"))
        self.person_label.setText(t("console.seats.edit_person"))
        self.duties_label.setText(t("console.seats.duties"))
        if state is None:
            self.heading.setText(t("console.seats.no_chart"))
            self.summary.setText("")
            self.tree.clear()
            self.editor.setEnabled(False)
            return
        chart = state.chart
        self.editor.setEnabled(True)
        self.heading.setText(t("console.seats.heading", office=chart.name(lang)))
        out = sum(1 for s in chart.staff if not state.presence_of(s.id).in_office)
        empty = sum(1 for d in chart.desks if not d.staff)
        self.summary.setText(t("console.seats.summary", staff=len(chart.staff), out=out, empty=empty))
        self._fill_list()
        self._fill_editor()

    def _desk_text(self, desk: Desk | None) -> str:
        t = self.ctx.tr
        if desk is None:
            return t("console.seats.no_desk")
        if desk.counter is not None:
            return t("console.seats.desk_counter", desk=desk.id, counter=desk.counter)
        return desk.id

    def _person_text(self, person: StaffMember) -> str:
        lang = self.ctx.lang
        return self.ctx.tr("console.seats.person", name=person.name(lang), title=person.title(lang)).strip(" ,")

    def _duties_text(self, chart: SeatChart, desk: Desk | None) -> str:
        """One duty a line (the list stays narrow enough for presence in full beside it)."""
        names = [d.name(self.ctx.lang) for d in (chart.duty(x) for x in (desk.duties if desk else ())) if d]
        return "\n".join(names) or self.ctx.tr("console.seats.no_duties")

    def rows(self) -> list[tuple[str, str, str, str]]:
        """The staff list as shown, in display order: (name · team, desk, duties, presence), each on one line."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item is not None:
                name, desk, duties, presence = (item.text(c) for c in range(len(COLUMNS)))
                out.append((name.replace("\n", " · "), desk, duties.replace("\n", ", "), presence.replace("\n", " · ")))
        return out

    def _fill_list(self) -> None:
        state = self.chart_state
        tree = self.tree
        selected = self.desk_id
        scrolled = tree.verticalScrollBar().value()
        tree.blockSignals(True)
        tree.clear()
        if state is None:
            tree.blockSignals(False)
            return
        t = self.ctx.tr
        chart = state.chart
        now, tz = self._clock(), self.ctx.config.tz
        query = _fold(self.search.text())
        seated = [(d, chart.person(d.staff)) for d in chart.desks if d.staff and chart.person(d.staff)]
        unseated = [(None, s) for s in chart.staff if chart.desk_of(s.id) is None]
        free = [(d, None) for d in chart.desks if not d.staff]
        for desk, person in [*seated, *unseated, *free]:
            if person is None:
                name, presence = t("console.seats.empty_desk"), ""
            else:
                name = f"{self._person_text(person)}\n{person.team(self.ctx.lang)}"
                lines = presence_lines(t, state.presence_of(person.id), tz, now)
                advance = self.tree.fontMetrics().horizontalAdvance
                presence = "\n".join(wrap_text(line, advance, PRESENCE_WRAP_PX) for line in lines)
            cells = (name, self._desk_text(desk), self._duties_text(chart, desk), presence)
            if (
                query
                and not any(query in _fold(c) for c in cells)
                and not (person is not None and any(query in _fold(w) for w in (person.name_ko, person.name_en)))
            ):
                continue
            item = QTreeWidgetItem(tree, list(cells))
            item.setData(0, DESK_ROLE, None if desk is None else desk.id)
            item.setData(0, STAFF_ROLE, None if person is None else person.id)
            if person is not None and not state.presence_of(person.id).in_office:
                column = COLUMNS.index("presence")
                bold = item.font(column)
                bold.setBold(True)
                item.setFont(column, bold)
            if desk is not None and desk.id == selected:
                item.setSelected(True)
        tree.blockSignals(False)
        tree.verticalScrollBar().setValue(scrolled)

    def _fill_editor(self) -> None:
        """The desk and person choices and the duty ticks, keeping whatever staff changed but did not save."""
        state = self.chart_state
        if state is None:
            return
        t, lang = self.ctx.tr, self.ctx.lang
        chart = state.chart
        if self.desk_id is None or chart.desk(self.desk_id) is None:
            self.desk_id = chart.desks[0].id if chart.desks else None
            self._person_dirty = self._duties_dirty = False
        desk = None if self.desk_id is None else chart.desk(self.desk_id)

        self.desk_combo.blockSignals(True)
        self.desk_combo.clear()
        for d in chart.desks:
            person = chart.person(d.staff)
            who = t("console.seats.empty_desk") if person is None else person.name(lang)
            self.desk_combo.addItem(t("console.seats.desk_option", desk=self._desk_text(d), who=who), d.id)
        self.desk_combo.setCurrentIndex(max(0, self.desk_combo.findData(self.desk_id)))
        self.desk_combo.setAccessibleName(t("console.seats.edit_desk_name"))
        self.desk_combo.blockSignals(False)

        wanted = self.person_combo.currentData() if self._person_dirty else (desk.staff if desk else None) or ""
        self.person_combo.blockSignals(True)
        self.person_combo.clear()
        self.person_combo.addItem(t("console.seats.nobody_option"), "")
        for s in chart.staff:
            seat = chart.desk_of(s.id)
            where = t("console.seats.no_desk") if seat is None else seat.id
            text = t("console.seats.person_option", name=s.name(lang), title=s.title(lang), desk=where)
            self.person_combo.addItem(text, s.id)
        self.person_combo.setCurrentIndex(max(0, self.person_combo.findData(wanted)))
        self.person_combo.setAccessibleName(t("console.seats.edit_person_name"))
        self.person_combo.blockSignals(False)

        desk_name = "" if desk is None else desk.id
        ticked = set(self.ticked_duties()) if self._duties_dirty else set(desk.duties if desk else ())
        self.duty_list.blockSignals(True)
        self.duty_list.clear()
        for duty in chart.duties:
            key = "console.seats.duty_service" if duty.service else "console.seats.duty_option"
            item = QListWidgetItem(t(key, duty=duty.name(lang), service=duty.service or ""))
            item.setData(Qt.ItemDataRole.UserRole, duty.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if duty.id in ticked else Qt.CheckState.Unchecked)
            self.duty_list.addItem(item)
        self.duty_list.setAccessibleName(t("console.seats.duties_name", desk=desk_name))
        self.duty_list.blockSignals(False)

        self.assign_button.set_label(t("console.seats.assign"), t("console.seats.assign_name", desk=desk_name))
        self.duties_button.set_label(
            t("console.seats.save_duties"), t("console.seats.save_duties_name", desk=desk_name)
        )
        for w in (self.assign_button, self.duties_button, self.desk_combo, self.person_combo):
            w.setEnabled(desk is not None and not self._busy)

    def ticked_duties(self) -> list[str]:
        out = []
        for i in range(self.duty_list.count()):
            item = self.duty_list.item(i)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                out.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return out

    # -- choosing -----------------------------------------------------------------------------------
    def select_desk(self, desk_id: str) -> None:
        """Edit ``desk_id``: its person and duties as stored (unsaved choices for another desk are dropped)."""
        if desk_id != self.desk_id:
            self.desk_id = desk_id
            self._person_dirty = self._duties_dirty = False
            self.message.hide()
        self._fill_editor()
        self._fill_list()

    def _on_desk_chosen(self, index: int) -> None:
        desk_id = self.desk_combo.itemData(index)
        if desk_id:
            self.select_desk(str(desk_id))

    def _on_row_selected(self) -> None:
        items = self.tree.selectedItems()
        desk_id = items[0].data(0, DESK_ROLE) if items else None
        if desk_id:
            self.select_desk(str(desk_id))

    def _on_person_chosen(self, _index: int) -> None:
        self._person_dirty = True

    def _on_duty_ticked(self, _item: QListWidgetItem) -> None:
        self._duties_dirty = True

    def choose_person(self, staff_id: str | None) -> None:
        """Pick who sits at the desk being edited (as a tap on the list would)."""
        self.person_combo.setCurrentIndex(max(0, self.person_combo.findData(staff_id or "")))
        self._person_dirty = True

    def tick_duties(self, duty_ids: list[str]) -> None:
        """Tick exactly ``duty_ids`` for the desk being edited (as taps on the list would)."""
        for i in range(self.duty_list.count()):
            item = self.duty_list.item(i)
            if item is not None:
                on = item.data(Qt.ItemDataRole.UserRole) in duty_ids
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self._duties_dirty = True

    # -- saving -------------------------------------------------------------------------------------
    def assign(self) -> None:
        desk_id = self.desk_id
        if desk_id is None:
            return
        staff_id = str(self.person_combo.currentData() or "") or None
        chart = None if self.chart_state is None else self.chart_state.chart
        person = None if chart is None or staff_id is None else chart.person(staff_id)
        t = self.ctx.tr
        if person is None:
            ok = t("console.seats.emptied", desk=desk_id)
        else:
            ok = t("console.seats.assigned", desk=desk_id, name=self._person_text(person))

        def done(_chart: SeatChart) -> None:
            self._person_dirty = False
            self._duties_dirty = False  # the desk's duties go with it: show them as stored

        self._edit(lambda s: s.assign_desk(desk_id, staff_id, actor=self._actor()), ok, done)

    def save_duties(self) -> None:
        desk_id = self.desk_id
        if desk_id is None:
            return
        duties = self.ticked_duties()

        def done(_chart: SeatChart) -> None:
            self._duties_dirty = False

        ok = self.ctx.tr("console.seats.duties_saved", desk=desk_id)
        self._edit(lambda s: s.set_duties(desk_id, duties, actor=self._actor()), ok, done)

    def _edit(self, change: Callable[[ChartService], SeatChart], ok: str, after: Callable[[SeatChart], None]) -> None:
        charts = self.ctx.charts
        if charts is None or self._busy:
            return
        service: ChartService = charts
        self._busy = True
        self._fill_editor()

        def done(chart: SeatChart) -> None:
            self._busy = False
            after(chart)
            self._say(ok, error=False)
            self._fill_editor()
            self.sig_edited.emit(chart)

        def failed(error: BaseException) -> None:
            self._busy = False
            self._say(self.ctx.error_text(error), error=True)
            self._fill_editor()  # the choices stay as they were: fix one and save again

        self.ctx.ops.run(lambda: change(service), done, failed)

    def _say(self, text: str, *, error: bool) -> None:
        self.message.setObjectName("error" if error else "message")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(text)
        self.message.show()

    def clear_message(self) -> None:
        self.message.hide()
