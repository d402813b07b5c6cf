"""The seat chart for visitors (S1, S3, S4): who handles what, where they sit, whether they are in.

A search box and the most asked duties as buttons answer "who handles parking permits?": the
answer is written under the box (and spoken in voice mode), the desk lights up on the floor plan,
and the list view scrolls to it. The list carries every fact of the plan, in the kiosk's text size,
for screen readers, large text and keypad users. Visitors see a staff member's number masked.

Used inside the kiosk (a page of ``KioskScreen``) and on its own (``kiosk run --role chart``, an
entrance display).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QScroller,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.accessibility.modes import Mode
from kiosk.domain.seat_chart import Match
from kiosk.services.chart import ChartState
from kiosk.ui import theme
from kiosk.ui.chart_text import VISITOR, DeskFacts, answer, desk_facts
from kiosk.ui.context import UiContext
from kiosk.ui.floor_plan import FloorPlanView
from kiosk.ui.theme import HIGH_CONTRAST, STANDARD, Palette
from kiosk.ui.widgets import PlainLabel, TouchButton

QUICK_DUTIES = 8
"""Duties offered as buttons (the first ones of the chart file: list the most asked first)."""
PLAN, LIST = 0, 1


def chart_style(p: Palette, scale: float, min_font_px: int) -> str:
    def t(px: float) -> int:
        return round(max(px, min_font_px) * scale)

    return f"""
QWidget#chart {{ background: {p.bg}; }}
QLineEdit {{ background: {p.surface}; color: {p.text}; border: 3px solid {p.primary}; border-radius: 10px;
    font-size: {t(24)}px; padding: 8px; }}
QLineEdit:focus {{ border: 6px solid {p.focus}; }}
QListWidget {{ background: {p.surface}; color: {p.text}; border: 2px solid {p.muted}; font-size: {t(22)}px; }}
QListWidget::item {{ padding: 8px; border-bottom: 1px solid {p.muted}; }}
QListWidget::item:selected {{ background: {p.primary}; color: {p.primary_text}; }}
QListWidget:focus {{ border: 6px solid {p.focus}; }}
QLabel#answer {{ background: {p.surface}; color: {p.text}; border: 3px solid {p.primary}; border-radius: 10px;
    padding: 10px; font-size: {t(24)}px; }}
QPushButton#duty {{ font-size: {t(22)}px; }}
"""


class _Column(QScrollArea):
    """A scrolling column that asks for its content's height (a plain QScrollArea asks for little)."""

    cap: int | None = None

    def sizeHint(self) -> QSize:
        inner = self.widget()
        hint = super().sizeHint() if inner is None else inner.sizeHint()
        height = hint.height() if self.cap is None else min(hint.height(), self.cap)
        return QSize(hint.width(), height)


class ChartScreen(QWidget):
    sig_answered = Signal(str)
    """A search was answered: the text under the search box (also spoken in voice mode)."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None, *, standalone: bool = True) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.standalone = standalone
        self.setObjectName("chart")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.state: ChartState | None = None
        self.facts: dict[str, DeskFacts] = {}
        self.matches: list[Match] = []
        self.query = ""
        self._version: tuple[int, object] | None = None
        self.plan = FloorPlanView()
        self._now: Callable[[], datetime] = lambda: datetime.now(UTC)
        self._columns = 0
        self._button_px = 80

        root = QVBoxLayout(self)
        root.setContentsMargins(24 if standalone else 0, 16 if standalone else 0, 24 if standalone else 0, 16)
        root.setSpacing(12)
        self.title = PlainLabel()
        self.title.setObjectName("title")
        root.addWidget(self.title)

        # Portrait: the search above the plan; landscape: the search in a column beside it.
        self.body = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.body.setSpacing(16)
        root.addLayout(self.body, 1)
        self.side = QWidget()
        self.side.setObjectName("page")
        side = QVBoxLayout(self.side)
        side.setContentsMargins(0, 0, 0, 0)
        side.setSpacing(12)
        self.side_area = _Column()  # large text makes the column taller than the screen: it scrolls
        self.side_area.setWidgetResizable(True)
        self.side_area.setFrameShape(QFrame.Shape.NoFrame)
        self.side_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.side_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.side_area.setWidget(self.side)
        QScroller.grabGesture(self.side_area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        self.body.addWidget(self.side_area)
        self.main = QWidget()
        main = QVBoxLayout(self.main)
        main.setContentsMargins(0, 0, 0, 0)
        main.setSpacing(12)
        self.body.addWidget(self.main, 1)
        search = QHBoxLayout()
        search.setSpacing(16)
        self.search_box = QLineEdit()
        self.search_box.returnPressed.connect(lambda: self.search(self.search_box.text()))
        self.search_button = TouchButton()
        self.search_button.clicked.connect(lambda: self.search(self.search_box.text()))
        search.addWidget(self.search_box, 1)
        search.addWidget(self.search_button)
        side.addLayout(search)

        self.quick_title = PlainLabel()
        self.quick_title.setObjectName("help")
        side.addWidget(self.quick_title)
        self.quick_grid = QGridLayout()
        self.quick_grid.setSpacing(16)
        side.addLayout(self.quick_grid)
        self.duty_buttons: list[tuple[str, TouchButton]] = []

        self.answer = PlainLabel()
        self.answer.setObjectName("answer")
        self.answer.hide()
        main.addWidget(self.answer)

        views = QHBoxLayout()
        views.setSpacing(16)
        self.plan_button = TouchButton()
        self.list_button = TouchButton()
        for b in (self.plan_button, self.list_button):
            b.setCheckable(True)
        self.plan_button.clicked.connect(lambda: self.show_view(PLAN))
        self.list_button.clicked.connect(lambda: self.show_view(LIST))
        self.zoom_in = TouchButton()
        self.zoom_out = TouchButton()
        self.zoom_fit = TouchButton()
        self.zoom_in.clicked.connect(lambda: self.plan.zoom(1.25))
        self.zoom_out.clicked.connect(lambda: self.plan.zoom(0.8))
        self.zoom_fit.clicked.connect(lambda: self.plan.fit())
        for b in (self.search_button, self.plan_button, self.list_button, self.zoom_in, self.zoom_out, self.zoom_fit):
            b.nowrap = True  # short labels in a row: as wide as their words, never broken
        # Plan/list, then the zoom buttons: as many per row as their words allow (see _place_view_buttons).
        self.view_grid = QGridLayout()
        self.view_grid.setSpacing(16)
        self.view_grid.setAlignment(Qt.AlignmentFlag.AlignLeft)
        views.addLayout(self.view_grid)
        views.addStretch(1)
        main.addLayout(views)
        self._view_rows: list[list[TouchButton]] = []
        self.legend = PlainLabel()
        self.legend.setObjectName("help")
        side.addWidget(self.legend)
        side.addStretch(1)

        self.stack = QStackedWidget()
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        self.stack.addWidget(self.plan)
        self.stack.addWidget(self.list)
        main.addWidget(self.stack, 1)
        self.empty = PlainLabel()
        self.empty.setObjectName("big")
        self.empty.hide()
        main.addWidget(self.empty)

        ctx.sig_language_changed.connect(lambda _lang: self.retranslate())
        ctx.sig_modes_changed.connect(lambda _modes: self.apply_modes())
        ctx.watcher.sig_changed.connect(lambda _marker: self._refresh_if_visible())
        ctx.sig_ready.connect(self.refresh)
        self.apply_modes()
        self.show_view(PLAN)
        self.refresh()

    # -- data --------------------------------------------------------------------------------
    def _refresh_if_visible(self) -> None:
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        """Read the chart and everyone's presence; redraw only if something changed."""
        charts = self.ctx.charts
        if not self.ctx.ready or charts is None:
            self.retranslate()
            return
        state = charts.state()
        marker = None if state is None else (state.version, tuple(sorted(state.presence.items())))
        if marker == self._version and self.state is not None:
            return
        self._version = marker
        self.state = state
        self.retranslate()

    def _facts(self) -> dict[str, DeskFacts]:
        if self.state is None:
            return {}
        tz, lang, now = self.ctx.config.tz, self.ctx.lang, self._now()
        return {d.id: desk_facts(self.state, d, lang, VISITOR, tz, now) for d in self.state.chart.desks}

    # -- search ------------------------------------------------------------------------------
    def search(self, query: str) -> str:
        """Answer ``query`` (a duty, a keyword or a name): highlight, scroll the list, say it."""
        self.query = query
        charts = self.ctx.charts
        self.matches = charts.search(query) if charts is not None and self.state is not None else []
        desks = [m.desk.id for m in self.matches]
        self.plan.highlight(desks)
        self._select_in_list(desks)
        text = (
            answer(self.state, self.matches, query, self.ctx.lang, self.ctx.config.tz, self._now())
            if self.state is not None
            else ""
        )
        self.answer.setText(text)
        self.answer.setVisible(bool(text))
        if text:
            self.ctx.speak(text)
            self.sig_answered.emit(text)
        return text

    def ask_duty(self, index: int) -> str:
        """One of the quick duty buttons (also the keypad's digits)."""
        if not 0 <= index < len(self.duty_buttons):
            return ""
        duty_id, _button = self.duty_buttons[index]
        duty = self.state.chart.duty(duty_id) if self.state is not None else None
        if duty is None:
            return ""
        name = duty.name(self.ctx.lang)
        self.search_box.setText(name)
        return self.search(name)

    def ask_first(self) -> None:
        self.ask_duty(0)

    def _select_in_list(self, desks: list[str]) -> None:
        self.list.clearSelection()
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(Qt.ItemDataRole.UserRole) in desks:
                item.setSelected(True)
                if item.data(Qt.ItemDataRole.UserRole) == desks[0]:
                    self.list.scrollToItem(item, QAbstractItemView.ScrollHint.PositionAtTop)

    # -- views -------------------------------------------------------------------------------
    @property
    def view(self) -> int:
        return self.stack.currentIndex()

    def show_view(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        self.plan_button.setChecked(index == PLAN)
        self.list_button.setChecked(index == LIST)
        for b in (self.zoom_in, self.zoom_out, self.zoom_fit):
            b.setVisible(index == PLAN)

    def list_texts(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    # -- look --------------------------------------------------------------------------------
    @property
    def palette_now(self) -> Palette:
        return HIGH_CONTRAST if Mode.HIGH_CONTRAST in self.ctx.modes else STANDARD

    def apply_modes(self) -> None:
        modes = self.ctx.modes
        s = modes.scale
        min_font = theme.font_px_for_glyph(self.ctx.config.screen.min_text_px)
        style = chart_style(self.palette_now, s, min_font)
        if self.standalone:
            from kiosk.ui.kiosk_screen import kiosk_style

            style = kiosk_style(self.palette_now, s, min_font) + style
        self.setStyleSheet(style)
        base = max(theme.MIN_TOUCH_PX, self.ctx.config.screen.min_control_px)
        self._button_px = round(max(base, 80) * s)
        for b in self.findChildren(TouchButton):
            b.set_base_size(self._button_px, self._button_px)
        self.search_box.setMinimumHeight(round(max(base, 80) * s))
        self.search_box.setMinimumWidth(200)
        self._columns = 0
        self._orient()
        self.plan.setMinimumHeight(240)  # the rest of the screen; in large text the answer needs the room
        self.retranslate()

    def _rebuild_duty_buttons(self) -> None:
        wanted = [] if self.state is None else [d.id for d in self.state.chart.duties[:QUICK_DUTIES]]
        if wanted == [d for d, _b in self.duty_buttons]:
            return
        for _id, b in self.duty_buttons:
            self.quick_grid.removeWidget(b)
            b.hide()  # gone from the screen now, not at the next turn of the event loop
            b.setParent(None)
            b.deleteLater()
        self.duty_buttons = []
        for i, duty_id in enumerate(wanted):
            b = TouchButton()
            b.setObjectName("duty")
            b.clicked.connect(lambda _=False, k=i: self.ask_duty(k))
            self.duty_buttons.append((duty_id, b))
        self.apply_modes()

    def retranslate(self) -> None:
        t, lang = self.ctx.tr, self.ctx.lang
        state = self.state
        office = state.chart.name(lang) if state is not None else self.ctx.facility()
        self.title.setText(f"{office} · {t('chart_ui.title')}")
        self.setWindowTitle(t("chart_ui.title"))
        self.search_box.setPlaceholderText(t("chart_ui.search_placeholder"))
        self.search_box.setAccessibleName(t("chart_ui.search_name"))
        self.search_button.set_label(t("chart_ui.search"))
        self.quick_title.setText(t("chart_ui.quick_title"))
        self.plan_button.set_label(t("chart_ui.show_plan"))
        self.list_button.set_label(t("chart_ui.show_list"))
        self.zoom_in.set_label(f"+ {t('chart_ui.zoom_in')}", t("chart_ui.zoom_in"))
        self.zoom_out.set_label(f"− {t('chart_ui.zoom_out')}", t("chart_ui.zoom_out"))
        self.zoom_fit.set_label(t("chart_ui.zoom_fit"))
        self.legend.setText(t("chart_ui.legend"))
        self.empty.setText(t("chart_ui.no_chart"))
        self.empty.setVisible(state is None)
        self.stack.setVisible(state is not None)
        self._rebuild_duty_buttons()
        for i, (duty_id, b) in enumerate(self.duty_buttons, start=1):
            duty = state.chart.duty(duty_id) if state is not None else None
            name = duty.name(lang) if duty is not None else duty_id
            b.set_label(f"{i}. {name}", name)
        if state is None:
            return
        self.facts = self._facts()
        desks = len(state.chart.desks)
        self.plan.setAccessibleName(t("chart_ui.plan_name", office=office, desks=desks))
        self.list.setAccessibleName(t("chart_ui.list_name", office=office, desks=desks))
        self.plan.show_chart(state.chart, self.facts, self.palette_now, lang)
        self.list.clear()
        for desk in state.chart.desks:
            item = QListWidgetItem(self.facts[desk.id].text(lang))
            item.setData(Qt.ItemDataRole.UserRole, desk.id)
            self.list.addItem(item)
        if self.query:
            QTimer.singleShot(0, lambda: self.search(self.query) if self.query else None)
        self._orient()

    # -- voice and keypad --------------------------------------------------------------------
    def announcement(self) -> str:
        t, lang = self.ctx.tr, self.ctx.lang
        if self.state is None:
            return t("chart_ui.no_chart")
        choices = " ".join(
            t("chart_ui.say_choice", key=i, name=self.state.chart.duty(d).name(lang))  # type: ignore[union-attr]
            for i, (d, _b) in enumerate(self.duty_buttons, start=1)
        )
        return t("chart_ui.say_chart", office=self.state.chart.name(lang), choices=choices)

    def handle_key(self, key: int) -> bool:
        """Keypad: digits ask the quick duties, arrows pan, + and - zoom, Home shows the whole floor."""
        digits = {getattr(Qt.Key, f"Key_{i}"): i for i in range(1, 10)}
        if key in digits:
            return bool(self.ask_duty(digits[key] - 1))
        moves = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0), Qt.Key.Key_Up: (0, -1), Qt.Key.Key_Down: (0, 1)}
        if key in moves and self.view == PLAN:
            self.plan.pan(*moves[Qt.Key(key)])
            return True
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Minus) and self.view == PLAN:
            self.plan.zoom(1.25 if key == Qt.Key.Key_Plus else 0.8)
            return True
        if key == Qt.Key.Key_Home:
            self.plan.fit()
            return True
        return False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self.handle_key(event.key()):
            super().keyPressEvent(event)

    def audit_states(self) -> list[tuple[str, Callable[[], None]]]:
        return [
            ("plan", lambda: self.show_view(PLAN)),
            ("answer", self.ask_first),
            ("list", lambda: self.show_view(LIST)),
        ]

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._orient()
        QTimer.singleShot(0, self._orient)  # again once the new layout has settled its text heights

    def _orient(self) -> None:
        landscape = self.width() > self.height() * 1.1
        self.body.setDirection(QBoxLayout.Direction.LeftToRight if landscape else QBoxLayout.Direction.TopToBottom)
        if landscape:  # a bounded column, never a fixed one: a fixed width would stop the turn to portrait
            self.side_area.setMinimumWidth(480)
            self.side_area.setMaximumWidth(max(480, round(self.width() * 0.4)))
        else:
            self.side_area.setMinimumWidth(0)
            self.side_area.setMaximumWidth(16777215)
        # Portrait: the column asks for at most 40 % of the height (it scrolls), the plan the rest;
        # landscape: it scrolls beside the plan. Inside the kiosk the whole page scrolls instead.
        self.side_area.cap = round(self.height() * 0.4) if self.standalone and not landscape else None
        self.side_area.updateGeometry()
        side_room = self.side_area.width() if landscape else self.width()
        columns = 2 if self.ctx.modes.scale == 1 and side_room >= 600 else 1
        if columns != self._columns:
            self._columns = columns
            self._place_duty_buttons()
        self._place_view_buttons()

    def _place_view_buttons(self) -> None:
        """Plan and list on one row, the zoom buttons on the next, each row split when too wide."""
        room = (self.main.width() or self.width()) - 8
        spacing = self.view_grid.spacing()
        rows: list[list[TouchButton]] = []
        for group in ((self.plan_button, self.list_button), (self.zoom_in, self.zoom_out, self.zoom_fit)):
            row: list[TouchButton] = []
            used = 0
            for b in group:
                b.ensurePolished()
                width = b.minimumWidth()
                if row and used + spacing + width > room:
                    rows.append(row)
                    row, used = [], 0
                row.append(b)
                used += (spacing if used else 0) + width
            rows.append(row)
        if rows == self._view_rows:
            return
        self._view_rows = rows
        for row in rows:
            for b in row:
                self.view_grid.removeWidget(b)
        for r, row in enumerate(rows):
            for c, b in enumerate(row):
                self.view_grid.addWidget(b, r, c)

    def _place_duty_buttons(self) -> None:
        for _id, b in self.duty_buttons:
            self.quick_grid.removeWidget(b)
        for i, (_id, b) in enumerate(self.duty_buttons):
            self.quick_grid.addWidget(b, i // self._columns, i % self._columns)

    def sizeHint(self) -> QSize:
        return QSize(1080, 1920)
