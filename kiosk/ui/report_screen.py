"""The service performance report screen (issue 8, S15, S16): an administrator's or the audit team's view.

Who is signed in, the range (from/to, both included), the facility and the service; then the key
figures, the tables and the charts (``kiosk.ui.report_charts``, the same as the printed report),
and "save as PDF/HTML" to a typed path (``kiosk.ui.report_export``). Every rule is the service's
(``ReportService``): who may see a report, what a range may be, misconduct counted for the audit
team only; when it refuses, its reason is shown in the staff member's language and the filters
stay as they were. The figures are computed in the worker (``UiContext.ops``); the screen shows
that it is busy and ignores an answer that a newer request has overtaken.

Until PIN sign-in arrives (issue 9), "signed in as" is a choice among the configured staff, like
the counter console's voice-box inbox: the service checks that person's role on every request.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCharts import QChartView
from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.errors import Forbidden
from kiosk.ui import theme
from kiosk.ui.context import UiContext
from kiosk.ui.report_charts import SECTIONS, ReportChart, Table, about_line, build_charts, tables
from kiosk.ui.staff_login import StaffGate
from kiosk.ui.widgets import PlainLabel, TouchButton, show_message, shown_text

MIN_PX = 48
"""Staff touch targets, as on the counter console."""
CHART_HEIGHT = 360
TABLE_FIRST_PX = 400
TABLE_COLUMN_PX = 150
"""Tables are as wide as their columns need, not the screen: a number stays next to its label."""
FORMATS = ("pdf", "html")

STYLE = f"""
QWidget#report {{ background: {theme.BG}; }}
QWidget#reportBody {{ background: {theme.BG}; }}
QLabel {{ color: {theme.TEXT}; font-size: 17px; }}
QLabel#heading {{ font-size: 24px; font-weight: bold; }}
QLabel#section {{ font-size: 19px; font-weight: bold; padding-top: 8px; }}
QLabel#about {{ color: {theme.MUTED}; font-size: 16px; }}
QLabel#status {{ font-size: 17px; padding: 6px; background: {theme.SURFACE}; border: 1px solid {theme.MUTED};
    border-radius: 6px; }}
QLabel#error {{ font-size: 17px; font-weight: bold; color: {theme.PRIORITY}; background: {theme.PRIORITY_BG};
    padding: 6px; border: 2px solid {theme.PRIORITY}; border-radius: 6px; }}
QPushButton {{ font-size: 17px; padding: 6px 12px; background: {theme.SURFACE}; color: {theme.TEXT};
    border: 2px solid {theme.PRIMARY}; border-radius: 8px; }}
QPushButton#primary {{ background: {theme.PRIMARY}; color: {theme.PRIMARY_TEXT}; font-weight: bold; }}
QPushButton:disabled, QPushButton#primary:disabled {{ background: {theme.SURFACE}; color: {theme.MUTED};
    border-color: #9AA3AE; }}
QPushButton:focus {{ border: 4px solid {theme.TEXT}; }}
QComboBox, QDateEdit, QLineEdit {{ font-size: 17px; color: {theme.TEXT}; background: {theme.SURFACE}; }}
QTableWidget {{ font-size: 16px; background: {theme.SURFACE}; color: {theme.TEXT}; gridline-color: #9AA3AE; }}
QHeaderView::section {{ font-size: 15px; font-weight: bold; background: {theme.BG}; color: {theme.TEXT};
    padding: 4px; border: none; border-bottom: 2px solid {theme.TEXT}; }}
"""


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class ReportScreen(QWidget):
    """Filters on top, the report below (scrolling), the save row under the filters."""

    sig_loaded = Signal(object)
    """A report was computed and is shown (the report dict)."""

    sig_refused = Signal(str)
    """The service refused (no access, bad range, store down): the reason, as shown."""

    sig_exported = Signal(str)
    """The report was saved to this path (PDF or HTML)."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("report")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(STYLE)
        self.report: dict[str, Any] | None = None
        """The report shown (the service's dict), or ``None``."""
        self.charts: list[ReportChart] = []
        self.busy = False
        self._generation = 0
        self._tables: dict[str, QTableWidget] = {}
        self._views: dict[str, QChartView] = {}
        self._build()
        ctx.sig_language_changed.connect(lambda _lang: self.retranslate())
        ctx.sig_ready.connect(self.retranslate)
        today = date.today()
        self.set_range(date(today.year, 1, 1), today)
        self.retranslate()

    # -- construction -------------------------------------------------------------------------------
    def _button(self, slot: Callable[[], None]) -> TouchButton:
        b = TouchButton(min_px=MIN_PX)
        b.nowrap = True
        b.clicked.connect(lambda _checked=False: slot())
        return b

    def _combo(self, width: int) -> QComboBox:
        combo = QComboBox()
        combo.setMinimumHeight(MIN_PX)
        combo.setMinimumWidth(width)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(8)
        return combo

    def _date_edit(self) -> QDateEdit:
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMinimumHeight(MIN_PX)
        edit.setMinimumWidth(170)
        return edit

    def _build(self) -> None:
        box = QVBoxLayout(self)
        box.setContentsMargins(16, 12, 16, 12)
        box.setSpacing(8)

        self.heading = PlainLabel(wrap=False)
        self.heading.setObjectName("heading")
        box.addWidget(self.heading)
        page = QWidget()  # shown only while someone is signed in with their PIN (``StaffGate``)
        self.gate = StaffGate(self.ctx, page, MIN_PX)
        self.gate.sig_session_changed.connect(lambda _session: self._on_staff_chosen())
        box.addWidget(self.gate, 1)
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(8)

        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(8)
        self.from_label = PlainLabel(wrap=False)
        self.from_edit = self._date_edit()
        self.from_label.setBuddy(self.from_edit)
        self.to_label = PlainLabel(wrap=False)
        self.to_edit = self._date_edit()
        self.to_label.setBuddy(self.to_edit)
        self.facility_label = PlainLabel(wrap=False)
        self.facility_combo = self._combo(260)
        self.facility_label.setBuddy(self.facility_combo)
        self.service_label = PlainLabel(wrap=False)
        self.service_combo = self._combo(260)
        self.service_label.setBuddy(self.service_combo)
        self.run_button = self._button(self.run)
        self.run_button.setObjectName("primary")

        grid.addWidget(self.gate.bar, 0, 0, 1, 4)
        grid.addWidget(self.from_label, 0, 4)
        grid.addWidget(self.from_edit, 0, 5)
        grid.addWidget(self.to_label, 0, 6)
        grid.addWidget(self.to_edit, 0, 7)
        grid.addWidget(self.facility_label, 1, 0)
        grid.addWidget(self.facility_combo, 1, 1)
        grid.addWidget(self.service_label, 1, 2)
        grid.addWidget(self.service_combo, 1, 3)
        grid.addWidget(self.run_button, 1, 4, 1, 4)

        self.path_label = PlainLabel(wrap=False)
        self.path_edit = QLineEdit()
        self.path_edit.setMinimumHeight(MIN_PX)
        self.path_edit.setMaxLength(1000)
        self.path_label.setBuddy(self.path_edit)
        self.pdf_button = self._button(lambda: self.export("pdf"))
        self.html_button = self._button(lambda: self.export("html"))
        grid.addWidget(self.path_label, 2, 0)
        grid.addWidget(self.path_edit, 2, 1, 1, 3)
        save_row = QHBoxLayout()
        save_row.setSpacing(10)
        save_row.addWidget(self.pdf_button, 1)
        save_row.addWidget(self.html_button, 1)
        grid.addLayout(save_row, 2, 4, 1, 4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        box.addLayout(grid)

        self.message = PlainLabel()
        self.message.setObjectName("status")
        self.message.hide()
        box.addWidget(self.message)

        self.body = QWidget()
        self.body.setObjectName("reportBody")
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 8, 0)
        self.body_layout.setSpacing(6)
        self.title_label = PlainLabel()
        self.title_label.setObjectName("section")
        self.about_label = PlainLabel()
        self.about_label.setObjectName("about")
        self.content = QWidget()  # tables and charts, rebuilt for each report
        self.content_layout = QVBoxLayout(self.content)
        self.content_layout.setContentsMargins(0, 0, 0, 0)
        self.content_layout.setSpacing(6)
        self.title_label.hide()  # the screen's heading says it; kept for the text a reader hears
        self.body_layout.addWidget(self.about_label)
        self.body_layout.addWidget(self.content)
        self.body_layout.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(self.body)
        box.addWidget(self.scroll_area, 1)

    # -- texts ----------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        t = self.ctx.tr
        self.heading.setText(t("report_screen.title"))
        self.from_label.setText(t("report_screen.from"))
        self.to_label.setText(t("report_screen.to"))
        self.facility_label.setText(t("report_screen.facility"))
        self.service_label.setText(t("report_screen.service"))
        self.path_label.setText(t("report_screen.path"))
        self.path_edit.setPlaceholderText(t("report_screen.path_hint"))
        self.from_edit.setAccessibleName(t("report_screen.from_name"))
        self.to_edit.setAccessibleName(t("report_screen.to_name"))
        for edit in (self.from_edit, self.to_edit):
            edit.calendarWidget().setAccessibleName(t("report_screen.calendar_name"))
        self.facility_combo.setAccessibleName(t("report_screen.facility_name"))
        self.service_combo.setAccessibleName(t("report_screen.service_name"))
        self.path_edit.setAccessibleName(t("report_screen.path_name"))
        self.run_button.set_label(t("report_screen.run"), t("report_screen.run_name"))
        self.pdf_button.set_label(t("report_screen.export_pdf"), t("report_screen.export_pdf_name"))
        self.html_button.set_label(t("report_screen.export_html"), t("report_screen.export_html_name"))
        self._fill_filters()
        self._show_report()
        self._enable()

    def _fill_combo(self, combo: QComboBox, everything: str, items: list[tuple[str, str]]) -> None:
        """``everything`` (no filter), then ``(label, value)``; the choice stays if it still exists."""
        current = str(combo.currentData() or "")
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, "")
        for label, value in items:
            combo.addItem(label, value)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)

    def _fill_filters(self) -> None:
        t, lang, config = self.ctx.tr, self.ctx.lang, self.ctx.config
        report = self.report or {}
        facilities = [str(f) for f in report.get("facilities") or []]
        if not facilities and config.facility_id:
            facilities = [config.facility_id]
        facility_items = []
        for f in facilities:
            name = config.facility(lang) if f == config.facility_id else ""
            facility_items.append((f"{name} ({f})" if name else f, f))
        self._fill_combo(self.facility_combo, t("report_screen.facility_all"), facility_items)
        names: Mapping[str, Any] = report.get("services") or {
            s.code: {"ko": s.name_ko, "en": s.name_en} for s in config.services
        }
        service_items = []
        for code in sorted(names):
            entry = names[code]
            name = str(entry.get(lang) or "") if isinstance(entry, Mapping) else ""
            service_items.append((f"{code} {name}" if name else code, code))
        self._fill_combo(self.service_combo, t("report_screen.service_all"), service_items)

    # -- filters -------------------------------------------------------------------------------------
    @property
    def user_id(self) -> str:
        """Who is signed in with their PIN (``""``: nobody, or the session ended)."""
        user = self.gate.user
        return "" if user is None else user.id

    def sign_in(self, user_id: str, pin: str | None = None) -> None:
        """Sign ``user_id`` in through the PIN prompt (the demo PIN unless ``pin``); ``""`` signs out.

        The PIN is checked in the worker: the screen is signed in on ``gate.sig_session_changed``."""
        self.gate.sign_in(user_id, pin)

    def _on_staff_chosen(self) -> None:
        self._generation += 1  # an answer for the previous person is dropped
        self.busy = False
        self.report = None
        self.message.hide()
        self._show_report()
        self._enable()
        if not self.user_id:
            self._say(self.ctx.tr("report_screen.choose_staff"), error=False)

    def set_range(self, from_day: date, to_day: date) -> None:
        self.from_edit.setDate(_qdate(from_day))
        self.to_edit.setDate(_qdate(to_day))

    def range(self) -> tuple[date, date]:
        return _pydate(self.from_edit.date()), _pydate(self.to_edit.date())

    def set_facility(self, facility: str | None) -> None:
        self.facility_combo.setCurrentIndex(max(0, self.facility_combo.findData(facility or "")))

    def set_service(self, service: str | None) -> None:
        self.service_combo.setCurrentIndex(max(0, self.service_combo.findData(service or "")))

    def _filters(self) -> tuple[date, date, str | None, str | None]:
        start, end = self.range()
        return (
            start,
            end,
            str(self.facility_combo.currentData() or "") or None,
            str(self.service_combo.currentData() or "") or None,
        )

    # -- running ---------------------------------------------------------------------------------------
    def _ready(self) -> bool:
        """Whether a request can go: a report service, someone signed in, nothing under way."""
        if self.ctx.reports is None:
            self._say(self.ctx.tr("report_screen.unavailable"), error=True)
            return False
        if not self.user_id:
            self._say(self.ctx.tr("report_screen.choose_staff"), error=False)
            return False
        return not self.busy

    def _set_busy(self, busy: bool, text_key: str = "") -> None:
        self.busy = busy
        if busy:
            self._say(self.ctx.tr(text_key), error=False)
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()
        self._enable()

    def _enable(self) -> None:
        can = self.ctx.reports is not None and bool(self.user_id) and not self.busy
        self.run_button.setEnabled(can)
        self.pdf_button.setEnabled(can)
        self.html_button.setEnabled(can)

    def run(self) -> None:
        """Compute the report for the filters in the worker, then show it (or the service's refusal)."""
        service = self.ctx.reports
        if not self._ready() or service is None:
            return
        user_id = self.user_id
        start, end, facility, code = self._filters()
        self._generation += 1
        generation = self._generation
        self._set_busy(True, "report_screen.loading")

        def done(report: dict[str, Any]) -> None:
            if generation != self._generation:
                return
            self._set_busy(False)
            self.message.hide()
            self.report = report
            self._fill_filters()
            self._show_report()
            self.sig_loaded.emit(report)

        def failed(error: BaseException) -> None:
            if generation != self._generation:
                return
            self._set_busy(False)
            if isinstance(error, Forbidden):  # nothing of a report this person may not see stays up
                self.report = None
                self._show_report()
            text = self._error_text(error)
            self._say(text, error=True)
            self.sig_refused.emit(text)

        self.ctx.ops.run(
            lambda: service.report(service.user(user_id), start, end, facility=facility, service=code),
            done,
            failed,
            changes=False,
        )

    def export(self, fmt: str) -> None:
        """Save the report for the filters as ``fmt`` (pdf or html) to the typed path.

        The figures are asked for again with ``export`` set (the audit log records what left the
        screen); the file is drawn on the UI thread (Qt Charts and fonts live there).
        """
        service = self.ctx.reports
        if fmt not in FORMATS or not self._ready() or service is None:
            return
        text = self.path_edit.text().strip()
        if not text:
            self._say(self.ctx.tr("report_screen.no_path"), error=True)
            return
        path = Path(text).expanduser()
        if path.suffix.lower() != f".{fmt}":
            path = path.with_name(path.name + f".{fmt}")
        user_id = self.user_id
        start, end, facility, code = self._filters()
        lang = self.ctx.lang
        self._generation += 1
        generation = self._generation
        self._set_busy(True, "report_screen.exporting")

        def done(report: dict[str, Any]) -> None:
            if generation != self._generation:
                return
            from kiosk.ui.report_export import write_html, write_pdf

            try:
                (write_pdf if fmt == "pdf" else write_html)(report, path, lang)
            except OSError as exc:
                self._set_busy(False)
                message = self.ctx.tr("report_screen.export_failed", reason=exc.strerror or str(exc))
                self._say(message, error=True)
                self.sig_refused.emit(message)
                return
            self._set_busy(False)
            self.report = report
            self._fill_filters()
            self._show_report()
            self._say(self.ctx.tr("report_screen.exported", path=str(path)), error=False)
            self.sig_exported.emit(str(path))

        def failed(error: BaseException) -> None:
            if generation != self._generation:
                return
            self._set_busy(False)
            message = self._error_text(error)
            self._say(message, error=True)
            self.sig_refused.emit(message)

        self.ctx.ops.run(
            lambda: service.report(service.user(user_id), start, end, facility=facility, service=code, export=fmt),
            done,
            failed,
            changes=False,
        )

    def _error_text(self, error: BaseException) -> str:
        text = self.ctx.error_text(error)
        if isinstance(error, Forbidden):
            text = f"{text} {self.ctx.tr('report_screen.forbidden_hint')}"
        return text

    def _say(self, text: str, *, error: bool) -> None:
        show_message(self.message, text, error=error, normal="status")

    def message_text(self) -> str:
        """The message shown (busy, saved, or why the service refused); ``""`` if none."""
        return shown_text(self.message, self)

    # -- the report ------------------------------------------------------------------------------------
    def _clear(self) -> None:
        while self.content_layout.count():
            item = self.content_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self._tables.clear()
        self._views.clear()
        self.charts = []

    def _show_report(self) -> None:
        self._clear()
        report = self.report
        self.about_label.setVisible(report is not None)
        if report is None:
            return
        t, lang = self.ctx.tr, self.ctx.lang
        self.title_label.setText(t("report_screen.title"))
        about = about_line(t, report, lang)
        if report.get("confidential_included"):
            about += "\n" + t("report_screen.confidential")
        self.about_label.setText(about)
        by_key = {table.key: table for table in tables(report, lang)}
        self.charts = build_charts(report, lang)
        charts = {c.key: c for c in self.charts}
        placed: set[str] = set()
        for key, chart_keys in SECTIONS:
            table = by_key.get(key)
            if table is None:
                continue
            self._add_table(table)
            self._add_charts([charts[k] for k in chart_keys if k in charts])
            placed.update(chart_keys)
        self._add_charts([c for k, c in charts.items() if k not in placed])

    def _add_table(self, table: Table) -> None:
        label = PlainLabel(table.title)
        label.setObjectName("section")
        self.content_layout.addWidget(label)
        widget = QTableWidget(len(table.rows), len(table.headers))
        widget.setObjectName(f"table_{table.key}")
        widget.setAccessibleName(self.ctx.tr("report_screen.table_name", title=table.title))
        widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        widget.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        widget.setHorizontalHeaderLabels(table.headers)
        widget.verticalHeader().hide()
        widget.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        width = TABLE_FIRST_PX + TABLE_COLUMN_PX * (len(table.headers) - 1)
        widget.setFixedWidth(width)
        widget.setWordWrap(False)
        header = widget.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        widget.setColumnWidth(0, TABLE_FIRST_PX)
        for c in range(1, len(table.headers)):
            widget.setColumnWidth(c, TABLE_COLUMN_PX)
        for r, row in enumerate(table.rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)  # plain text: a table item never reads markup
                align = Qt.AlignmentFlag.AlignLeft if c == 0 else Qt.AlignmentFlag.AlignRight
                item.setTextAlignment(align | Qt.AlignmentFlag.AlignVCenter)
                widget.setItem(r, c, item)
        widget.verticalHeader().setDefaultSectionSize(34)
        height = widget.horizontalHeader().sizeHint().height() + 2 * widget.frameWidth()
        height += sum(widget.rowHeight(r) for r in range(widget.rowCount()))
        widget.setFixedHeight(height + 2)
        widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.content_layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignLeft)
        self._tables[table.key] = widget

    def _add_charts(self, charts: list[ReportChart]) -> None:
        if not charts:
            return
        row = QWidget()
        grid = QGridLayout(row)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(10)
        t = self.ctx.tr
        for i, chart in enumerate(charts):
            if chart.empty:
                cell: QWidget = PlainLabel(t("report_screen.no_chart", title=chart.title))
            else:
                view = QChartView(chart.chart)
                view.setRenderHint(QPainter.RenderHint.Antialiasing)
                view.setMinimumHeight(CHART_HEIGHT)
                view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                view.setAccessibleName(t("report_screen.chart_name", title=chart.title))
                view.setAccessibleDescription(chart.description)
                self._views[chart.key] = view
                cell = view
            grid.addWidget(cell, i // 2, i % 2)
        for c in range(2):
            grid.setColumnStretch(c, 1)
        self.content_layout.addWidget(row)

    def table_rows(self, key: str) -> list[list[str]]:
        """The cells of table ``key`` as shown (tests, the audit), ``[]`` if it is not shown."""
        widget = self._tables.get(key)
        if widget is None:
            return []
        rows = []
        for r in range(widget.rowCount()):
            items = [widget.item(r, c) for c in range(widget.columnCount())]
            rows.append([item.text() if item is not None else "" for item in items])
        return rows

    def chart_view(self, key: str) -> QChartView | None:
        return self._views.get(key)

    # -- the accessibility audit -----------------------------------------------------------------------
    def audit_states(self) -> list[tuple[str, Callable[[], None]]]:
        """Nobody signed in; the report shown to an administrator (or the audit team); a counter clerk refused."""
        staff = self.ctx.config.staff
        reader = next((u.id for u in staff if u.role.value in ("admin", "audit")), "")
        clerk = next((u.id for u in staff if u.role.value == "counter"), "")

        def show_for(user_id: str) -> Callable[[], None]:
            def go() -> None:
                def signed_in(_session: object) -> None:
                    self.gate.sig_session_changed.disconnect(signed_in)
                    self.run()

                self.gate.sig_session_changed.connect(signed_in)
                self.sign_in(user_id)

            return go

        states: list[tuple[str, Callable[[], None]]] = [("sign in", lambda: self.sign_in(""))]
        if reader:
            states.append(("report", show_for(reader)))
        if clerk:
            states.append(("no access", show_for(clerk)))
        return states
