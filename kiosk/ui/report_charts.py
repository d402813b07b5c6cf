"""What the service performance report shows (issue 8): its figure tables and its Qt Charts.

One place turns the report dict (``ReportService.report``) into words, tables and charts, so the
admin screen, the HTML and the PDF never disagree. The dict may lack any key or hold ``null``
(a small store has empty groups, an older store lacks newer figures): every gap reads "—".

The charts must survive a black-and-white printer, so no series is told apart by colour alone:
bars carry a fill pattern (solid, hatched, cross-hatched) and a black outline, lines a dash
style and a marker shape, and every bar and the notable points of a line carry their value.
``scale`` multiplies every size (fonts, pens, patterns) for print-resolution images.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from PySide6.QtCharts import (
    QAbstractAxis,
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QHorizontalBarSeries,
    QLegend,
    QLineSeries,
    QValueAxis,
    QXYSeries,
)
from PySide6.QtCore import QCoreApplication, QMargins, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QGraphicsScene

from kiosk.domain.report import CATEGORIES
from kiosk.i18n import tr
from kiosk.ui import theme

DASH = "—"
CLASSES = ("priority", "ordinary")

Translate = Callable[..., str]


# -- reading the dict: every step may be missing ----------------------------------------------------
def get(report: Mapping[str, Any] | None, *path: str) -> Any:
    """``report[path[0]][path[1]]...``, or ``None`` as soon as a step is missing or not a dict."""
    value: Any = report
    for key in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def minutes(seconds: Any) -> float | None:
    s = _num(seconds)
    return None if s is None else round(s / 60.0, 1)


def fmt_int(value: Any) -> str:
    v = _num(value)
    return DASH if v is None else f"{round(v):,}"


def fmt_min(t: Translate, seconds: Any) -> str:
    m = minutes(seconds)
    return DASH if m is None else t("report_screen.unit.minutes", value=f"{m:.1f}")


def fmt_pct(t: Translate, pct: Any) -> str:
    """A 0..100 percentage."""
    v = _num(pct)
    return DASH if v is None else t("report_screen.unit.pct", value=f"{v:.1f}")


def fmt_share(t: Translate, share: Any) -> str:
    """A 0..1 share as a percentage."""
    v = _num(share)
    return DASH if v is None else fmt_pct(t, v * 100.0)


def fmt_rating(value: Any) -> str:
    v = _num(value)
    return DASH if v is None else f"{v:.2f}"


def fmt_days(t: Translate, days: Any) -> str:
    v = _num(days)
    return DASH if v is None else t("report_screen.unit.days", value=f"{v:.1f}")


def fmt_hours(t: Translate, hours: Any) -> str:
    v = _num(hours)
    return DASH if v is None else t("report_screen.unit.hours", value=f"{v:.1f}")


def service_name(report: Mapping[str, Any], code: str, lang: str) -> str:
    name = get(report, "services", code, lang)
    return f"{code} {name}" if isinstance(name, str) and name else code


def class_name(t: Translate, cls: str) -> str:
    return t(f"report_screen.class.{cls}")


def category_name(t: Translate, category: str) -> str:
    return t(f"console.inbox.category.{category}")


def service_codes(report: Mapping[str, Any]) -> list[str]:
    """Every service code the report knows, in code order: named ones and those with figures."""
    codes: set[str] = set()
    for path in (("services",), ("served", "by_service"), ("waiting", "service"), ("service_time", "service")):
        value = get(report, *path)
        if isinstance(value, Mapping):
            codes.update(str(k) for k in value)
    return sorted(codes)


def _keys(value: Any) -> list[str]:
    return sorted(str(k) for k in value) if isinstance(value, Mapping) else []


def _categories(report: Mapping[str, Any]) -> list[str]:
    present = _keys(get(report, "feedback", "by_category"))
    return [c for c in CATEGORIES if c in present] + [c for c in present if c not in CATEGORIES]


def weeks(report: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    week = get(report, "satisfaction", "week")
    if not isinstance(week, Mapping):
        return []
    return [(str(k), v) for k, v in sorted(week.items()) if isinstance(v, Mapping)]


def duties(report: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    value = get(report, "presence", "duties")
    return [d for d in value if isinstance(d, Mapping)] if isinstance(value, list) else []


def duty_name(duty: Mapping[str, Any], lang: str) -> str:
    name = duty.get("name_en" if lang == "en" else "name_ko") or duty.get("name_ko") or duty.get("id")
    return str(name or DASH)


# -- the heading line ---------------------------------------------------------------------------------
def range_text(t: Translate, report: Mapping[str, Any]) -> str:
    return t("report_screen.range", start=report.get("from") or DASH, end=report.get("to") or DASH)


def facility_text(t: Translate, report: Mapping[str, Any], lang: str) -> str:
    facility = report.get("facility")
    if not facility:
        return t("report_screen.facility_all")
    name = get(report, "facility_name", lang)
    return f"{name} ({facility})" if isinstance(name, str) and name else str(facility)


def service_filter_text(t: Translate, report: Mapping[str, Any], lang: str) -> str:
    service = report.get("service")
    return service_name(report, str(service), lang) if service else t("report_screen.service_all")


def source_text(t: Translate, report: Mapping[str, Any]) -> str:
    source = report.get("source")
    return t(f"report.source_{source}") if source in ("central", "local") else str(source or DASH)


def generated_text(report: Mapping[str, Any]) -> str:
    value = report.get("generated_at")
    if not isinstance(value, str) or not value:
        return DASH
    try:
        return datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return value


def about_line(t: Translate, report: Mapping[str, Any], lang: str) -> str:
    """Range · facility · service · source · generated: what every copy of the report says it is."""
    return t(
        "report_screen.about",
        range=range_text(t, report),
        facility=facility_text(t, report, lang),
        service=service_filter_text(t, report, lang),
        source=source_text(t, report),
        generated=generated_text(report),
    )


# -- tables -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Table:
    """One figure table: every cell is plain text (never markup)."""

    key: str
    title: str
    headers: list[str]
    rows: list[list[str]]


def _dist_row(t: Translate, label: str, dist: Any) -> list[str]:
    return [
        label,
        fmt_int(get(dist, "n")),
        fmt_min(t, get(dist, "median")),
        fmt_min(t, get(dist, "p90")),
        fmt_min(t, get(dist, "max")),
    ]


def _sat_row(t: Translate, label: str, sat: Any) -> list[str]:
    return [
        label,
        fmt_int(get(sat, "answers")),
        fmt_share(t, get(sat, "resolved_share")),
        fmt_rating(get(sat, "mean_rating")),
    ]


def summary_rows(report: Mapping[str, Any], lang: str) -> list[list[str]]:
    def t(key: str, /, **kw: Any) -> str:
        return tr(key, lang, **kw)

    s = "report_screen.summary."
    pf = get(report, "priority_first")
    fb = get(report, "feedback")
    rows = [
        [t(s + "served"), fmt_int(get(report, "served", "total"))],
        [t(s + "served_priority"), fmt_int(get(report, "served", "by_class", "priority"))],
        [t(s + "wait_median"), fmt_min(t, get(report, "waiting", "all", "all", "median"))],
        [t(s + "wait_p90"), fmt_min(t, get(report, "waiting", "all", "all", "p90"))],
        [t(s + "wait_priority"), fmt_min(t, get(report, "waiting", "class", "priority", "median"))],
        [t(s + "wait_ordinary"), fmt_min(t, get(report, "waiting", "class", "ordinary", "median"))],
        [t(s + "service_median"), fmt_min(t, get(report, "service_time", "all", "all", "median"))],
        [
            t(s + "no_shows"),
            t(
                "report_screen.count_share",
                count=fmt_int(get(report, "no_shows", "total")),
                share=fmt_share(t, get(report, "no_shows", "share")),
            ),
        ],
        [t(s + "priority_first"), fmt_pct(t, get(pf, "share_pct"))],
        [t(s + "feedback_received"), fmt_int(get(fb, "received"))],
        [t(s + "feedback_on_time"), fmt_pct(t, get(fb, "on_time_pct"))],
        [t(s + "feedback_simple"), fmt_pct(t, get(fb, "within", "simple", "pct"))],
        [t(s + "feedback_review"), fmt_pct(t, get(fb, "within", "review", "pct"))],
        [t(s + "feedback_delay_notice"), fmt_pct(t, get(fb, "delayed", "pct"))],
        [t(s + "feedback_answer_days"), fmt_days(t, get(fb, "time_to_answer_days", "median"))],
        [t(s + "feedback_overdue"), fmt_int(get(fb, "overdue_now"))],
        [t(s + "sat_answers"), fmt_int(get(report, "satisfaction", "all", "all", "answers"))],
        [t(s + "sat_resolved"), fmt_share(t, get(report, "satisfaction", "all", "all", "resolved_share"))],
        [t(s + "sat_rating"), fmt_rating(get(report, "satisfaction", "all", "all", "mean_rating"))],
    ]
    return rows


def tables(report: Mapping[str, Any], lang: str) -> list[Table]:
    """Every figure table of the report, in reading order (empty groups leave a table with "—")."""

    def t(key: str, /, **kw: Any) -> str:
        return tr(key, lang, **kw)

    h = "report_screen.col."
    out = [
        Table("summary", t("report_screen.table.summary"), [t(h + "item"), t(h + "value")], summary_rows(report, lang))
    ]

    dist_headers = [t(h + "group"), t(h + "n"), t(h + "median"), t(h + "p90"), t(h + "max")]
    codes = service_codes(report)
    rows = [_dist_row(t, t("report_screen.all"), get(report, "waiting", "all", "all"))]
    rows += [_dist_row(t, class_name(t, c), get(report, "waiting", "class", c)) for c in CLASSES]
    rows += [_dist_row(t, service_name(report, c, lang), get(report, "waiting", "service", c)) for c in codes]
    out.append(Table("waiting", t("report_screen.table.waiting"), dist_headers, rows))

    rows = [_dist_row(t, t("report_screen.all"), get(report, "service_time", "all", "all"))]
    rows += [_dist_row(t, service_name(report, c, lang), get(report, "service_time", "service", c)) for c in codes]
    out.append(Table("service_time", t("report_screen.table.service_time"), dist_headers, rows))

    served = get(report, "served")
    rows = [
        [
            service_name(report, c, lang),
            fmt_int(get(served, "by_class_service", "priority", c)),
            fmt_int(get(served, "by_class_service", "ordinary", c)),
            fmt_int(get(served, "by_service", c)),
        ]
        for c in codes
    ]
    rows.append(
        [
            t("report_screen.all"),
            fmt_int(get(served, "by_class", "priority")),
            fmt_int(get(served, "by_class", "ordinary")),
            fmt_int(get(served, "total")),
        ]
    )
    headers = [t(h + "service"), class_name(t, "priority"), class_name(t, "ordinary"), t(h + "total")]
    out.append(Table("served", t("report_screen.table.served"), headers, rows))

    counters = _keys(get(served, "by_counter"))
    teams = _keys(get(served, "by_team"))
    if counters or teams:
        rows = [[t("report_screen.counter", number=k), fmt_int(get(served, "by_counter", k))] for k in counters]
        rows += [[k, fmt_int(get(served, "by_team", k))] for k in teams]
        headers = [t(h + "where"), t(h + "served")]
        out.append(Table("served_where", t("report_screen.table.served_where"), headers, rows))

    rows = [
        [
            category_name(t, c),
            fmt_int(get(report, "feedback", "by_category", c, "received")),
            fmt_int(get(report, "feedback", "by_category", c, "with_deadline")),
            fmt_int(get(report, "feedback", "by_category", c, "answered_on_time")),
            fmt_pct(t, get(report, "feedback", "by_category", c, "on_time_pct")),
        ]
        for c in _categories(report)
    ]
    rows.append(
        [
            t("report_screen.all"),
            fmt_int(get(report, "feedback", "received")),
            fmt_int(get(report, "feedback", "with_deadline")),
            fmt_int(get(report, "feedback", "answered_on_time")),
            fmt_pct(t, get(report, "feedback", "on_time_pct")),
        ]
    )
    headers = [t(h + "category"), t(h + "received"), t(h + "with_deadline"), t(h + "on_time"), t(h + "on_time_pct")]
    out.append(Table("feedback", t("report_screen.table.feedback"), headers, rows))

    by_team = get(report, "feedback", "by_team")
    if isinstance(by_team, Mapping) and by_team:
        rows = [
            [k, fmt_int(get(by_team, k, "received")), fmt_pct(t, get(by_team, k, "on_time_pct"))]
            for k in _keys(by_team)
        ]
        headers = [t(h + "team"), t(h + "received"), t(h + "on_time_pct")]
        out.append(Table("feedback_team", t("report_screen.table.feedback_team"), headers, rows))

    sat_headers = [t(h + "group"), t(h + "answers"), t(h + "resolved"), t(h + "rating")]
    rows = [_sat_row(t, t("report_screen.all"), get(report, "satisfaction", "all", "all"))]
    rows += [
        _sat_row(t, service_name(report, c, lang), get(report, "satisfaction", "service", c))
        for c in _keys(get(report, "satisfaction", "service"))
    ]
    rows += [
        _sat_row(t, t("report_screen.counter", number=c), get(report, "satisfaction", "counter", c))
        for c in _keys(get(report, "satisfaction", "counter"))
    ]
    out.append(Table("satisfaction", t("report_screen.table.satisfaction"), sat_headers, rows))

    presence = get(report, "presence")
    rows = [
        [
            duty_name(d, lang),
            str(d.get("staff") or DASH),
            str(d.get("delegate") or DASH),
            fmt_hours(t, d.get("covered_hours")),
            fmt_pct(t, d.get("covered_pct")),
        ]
        for d in duties(report)
    ]
    if rows or isinstance(presence, Mapping):
        headers = [t(h + "duty"), t(h + "staff"), t(h + "delegate"), t(h + "covered_hours"), t(h + "covered_pct")]
        title = t(
            "report_screen.table.presence",
            days=fmt_int(get(presence, "open_days")),
            hours=fmt_hours(t, get(presence, "open_hours")),
        )
        out.append(Table("presence", title, headers, rows))
    return out


SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("summary", ()),
    ("waiting", ("waiting_class", "waiting_service")),
    ("service_time", ()),
    ("served", ("served",)),
    ("served_where", ()),
    ("feedback", ("feedback",)),
    ("feedback_team", ()),
    ("satisfaction", ("satisfaction_resolved", "satisfaction_rating")),
    ("presence", ("presence",)),
)
"""Each table, then the charts that draw it: a reader finds the picture next to its numbers."""


# -- black-and-white-safe styles ---------------------------------------------------------------------
BAR_FILLS = (theme.PRIMARY, "#FFFFFF", "#FFFFFF")
BAR_PATTERNS = ("solid", "hatch", "cross")
"""Series 0 solid dark, 1 diagonal hatching, 2 a grid: three greys no printer confuses."""
LINE_COLOURS = (theme.PRIMARY, theme.PRIORITY)
LINE_DASHES = (Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine)
LINE_MARKERS = ("circle", "square")
"""Line 0: solid with filled circles; line 1: dashed with hollow squares."""
INK = "#000000"


def _px(size: float, scale: float) -> int:
    return max(1, round(size * scale))


def chart_font(px: float, scale: float, bold: bool = False) -> QFont:
    f = QFont(theme.korean_family())
    f.setPixelSize(_px(px, scale))
    f.setBold(bold)
    return f


def pattern_brush(index: int, scale: float = 1.0) -> QBrush:
    """The fill of bar series ``index``: a texture drawn at ``scale`` (a print stays crisp)."""
    kind = BAR_PATTERNS[index % len(BAR_PATTERNS)]
    fill = QColor(BAR_FILLS[index % len(BAR_FILLS)])
    if kind == "solid":
        return QBrush(fill)
    size = _px(10, scale)
    tile = QPixmap(size, size)
    tile.fill(fill)
    p = QPainter(tile)
    pen = QPen(QColor(INK))
    pen.setWidthF(max(1.0, 1.6 * scale))
    pen.setCapStyle(Qt.PenCapStyle.SquareCap)
    p.setPen(pen)
    if kind == "hatch":  # "/" lines through the corners: seamless when tiled
        for k in (-1, 0, 1):
            p.drawLine(QPointF(k * size, size), QPointF(k * size + size, 0))
    else:  # a grid
        p.drawLine(QPointF(size / 2, 0), QPointF(size / 2, size))
        p.drawLine(QPointF(0, size / 2), QPointF(size, size / 2))
    p.end()
    return QBrush(tile)


def marker_image(index: int, scale: float = 1.0) -> QImage:
    """Line ``index``'s marker: a filled circle or a hollow square, black-outlined."""
    size = _px(11, scale)
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(QColor(INK))
    pen.setWidthF(max(1.0, 1.5 * scale))
    p.setPen(pen)
    inset = pen.widthF()
    box = QRectF(inset, inset, size - 2 * inset, size - 2 * inset)
    if LINE_MARKERS[index % len(LINE_MARKERS)] == "circle":
        p.setBrush(QColor(LINE_COLOURS[index % len(LINE_COLOURS)]))
        p.drawEllipse(box)
    else:
        p.setBrush(QColor("#FFFFFF"))
        p.drawRect(box)
    p.end()
    return image


@dataclass
class ReportChart:
    """One chart with what it says in words (the screen's accessible description, the image's alt)."""

    key: str
    title: str
    chart: QChart
    empty: bool
    description: str
    values: list[float] = field(default_factory=list)


def _base_chart(title: str, scale: float) -> QChart:
    chart = QChart()
    chart.setTheme(QChart.ChartTheme.ChartThemeLight)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setBackgroundBrush(QBrush(QColor("#FFFFFF")))
    chart.setBackgroundRoundness(0)
    chart.setTitle(title)
    chart.setTitleFont(chart_font(16, scale, bold=True))
    chart.setTitleBrush(QBrush(QColor(INK)))
    chart.setMargins(QMargins(*(_px(6, scale),) * 4))
    legend = chart.legend()
    legend.setAlignment(Qt.AlignmentFlag.AlignBottom)
    legend.setFont(chart_font(13, scale))
    legend.setLabelColor(QColor(INK))
    legend.setMarkerShape(QLegend.MarkerShape.MarkerShapeFromSeries)
    return chart


def _style_axis(axis: QAbstractAxis, scale: float, title: str = "") -> None:
    axis.setLabelsFont(chart_font(12, scale))
    axis.setTruncateLabels(False)
    axis.setLabelsColor(QColor(INK))
    axis.setTitleFont(chart_font(12, scale, bold=True))
    axis.setTitleBrush(QBrush(QColor(INK)))
    axis.setLinePen(QPen(QColor(INK), max(1.0, scale)))
    grid = QPen(QColor("#B0B0B0"), max(1.0, 0.8 * scale))
    grid.setStyle(Qt.PenStyle.DotLine)
    axis.setGridLinePen(grid)
    if title:
        axis.setTitleText(title)


def _value_axis(top: float, scale: float, title: str) -> QValueAxis:
    axis = QValueAxis()
    axis.setRange(0, max(top, 1.0) * 1.18)  # room above the tallest bar for its label
    axis.setLabelFormat("%.0f")
    axis.applyNiceNumbers()
    _style_axis(axis, scale, title)
    return axis


def _percent_axis(scale: float, title: str) -> QValueAxis:
    """0–100 % in steps of 25, with room above 100 for a full bar's label."""
    axis = QValueAxis()
    axis.setRange(0, 118)
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(0)
    axis.setTickInterval(25)
    axis.setLabelFormat("%.0f%%")
    _style_axis(axis, scale, title)
    return axis


def bar_chart(
    key: str,
    title: str,
    categories: list[str],
    sets: list[tuple[str, list[float | None]]],
    *,
    scale: float = 1.0,
    value_title: str = "",
    decimals: int = 0,
    percent: bool = False,
    horizontal: bool = False,
    describe: Callable[[float], str] = str,
) -> ReportChart:
    """Grouped bars, one pattern per set, each bar labelled with its value (``None``: no bar, "—")."""
    chart = _base_chart(title, scale)
    chart.legend().setMarkerShape(QLegend.MarkerShape.MarkerShapeRectangle)  # shows the set's pattern
    if horizontal:  # the first category on top, as a table reads
        categories = categories[::-1]
        sets = [(name, data[::-1]) for name, data in sets]
    series: QAbstractBarSeries = QHorizontalBarSeries() if horizontal else QBarSeries()
    values: list[float] = []
    words: list[str] = []
    outline = QPen(QColor(INK))
    outline.setWidthF(max(1.0, 1.2 * scale))
    for i, (name, data) in enumerate(sets):
        bar_set = QBarSet(name)
        bar_set.setBrush(pattern_brush(i, scale))
        bar_set.setPen(outline)
        bar_set.setLabelColor(QColor(INK))
        bar_set.setLabelFont(chart_font(12, scale, bold=True))
        for category, v in zip(categories, data, strict=True):
            value = 0.0 if v is None else round(float(v), decimals)
            bar_set.append(value)
            values.append(value)
            words.append(f"{category} {name}: {DASH if v is None else describe(value)}")
        series.append(bar_set)
    series.setLabelsVisible(True)
    series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
    series.setLabelsFormat("@value%" if percent else "@value")
    series.setLabelsPrecision(12)  # values are rounded above: the label is never in exponent form
    series.setBarWidth(0.75)
    chart.addSeries(series)
    cat_axis = QBarCategoryAxis()
    # Axis labels are rich text in Qt Charts: names staff typed (duties, services) are escaped.
    cat_axis.append([html.escape(c) for c in categories])
    _style_axis(cat_axis, scale)
    val_axis = (
        _percent_axis(scale, value_title) if percent else _value_axis(max(values, default=0.0), scale, value_title)
    )
    chart.addAxis(cat_axis, Qt.AlignmentFlag.AlignLeft if horizontal else Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(val_axis, Qt.AlignmentFlag.AlignBottom if horizontal else Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(cat_axis)
    series.attachAxis(val_axis)
    chart.legend().setVisible(len(sets) > 1)
    empty = not categories or not any(v is not None for _n, data in sets for v in data)
    return ReportChart(key, title, chart, empty, "; ".join(words), values)


def _notable(points: list[tuple[int, float]]) -> set[int]:
    """The points whose value is written on a line: the first, the last, the lowest and the highest."""
    if not points:
        return set()
    lo = min(points, key=lambda p: p[1])[0]
    hi = max(points, key=lambda p: p[1])[0]
    return {points[0][0], points[-1][0], lo, hi}


def line_series(index: int, name: str, points: list[tuple[int, float]], scale: float, fmt: str) -> QLineSeries:
    series = QLineSeries()
    series.setName(name)
    pen = QPen(QColor(LINE_COLOURS[index % len(LINE_COLOURS)]))
    pen.setWidthF(2.4 * scale)
    pen.setStyle(LINE_DASHES[index % len(LINE_DASHES)])
    series.setPen(pen)
    for x, y in points:
        series.append(x, y)
    series.setLightMarker(marker_image(index, scale))
    series.setMarkerSize(_px(11, scale))
    series.setPointLabelsFormat(fmt)
    series.setPointLabelsFont(chart_font(12, scale, bold=True))
    series.setPointLabelsColor(QColor(INK))
    series.setPointLabelsClipping(False)
    for i, (x, _y) in enumerate(points):
        if x in _notable(points):
            series.setPointConfiguration(i, {QXYSeries.PointConfiguration.LabelVisibility: True})
    return series


def build_charts(report: Mapping[str, Any], lang: str, scale: float = 1.0) -> list[ReportChart]:
    """The report's charts, in reading order; an ``empty`` chart has nothing to plot (show "—")."""

    def t(key: str, /, **kw: Any) -> str:
        return tr(key, lang, **kw)

    c = "report_screen.chart."

    def in_minutes(v: float) -> str:
        return t("report_screen.unit.minutes", value=f"{v:.1f}")

    def in_pct(v: float) -> str:
        return t("report_screen.unit.pct", value=f"{v:.1f}")

    def in_count(v: float) -> str:
        return f"{int(v):,}"

    stats = (("median", t(c + "median")), ("p90", t(c + "p90")))
    groups = list(CLASSES)
    codes = service_codes(report)
    names = [service_name(report, code, lang) for code in codes]
    cats = [
        k for k in _categories(report) if _num(get(report, "feedback", "by_category", k, "on_time_pct")) is not None
    ]
    ds = duties(report)
    return [
        bar_chart(
            "waiting_class",
            t(c + "waiting_class"),
            [class_name(t, g) for g in groups],
            [(label, [minutes(get(report, "waiting", "class", g, s)) for g in groups]) for s, label in stats],
            scale=scale,
            decimals=1,
            describe=in_minutes,
        ),
        bar_chart(
            "waiting_service",
            t(c + "waiting_service"),
            names,
            [(label, [minutes(get(report, "waiting", "service", code, s)) for code in codes]) for s, label in stats],
            scale=scale,
            decimals=1,
            describe=in_minutes,
        ),
        bar_chart(
            "served",
            t(c + "served"),
            names,
            [
                (class_name(t, cls), [_num(get(report, "served", "by_class_service", cls, code)) for code in codes])
                for cls in CLASSES
            ],
            scale=scale,
            describe=in_count,
        ),
        bar_chart(
            "feedback",
            t(c + "feedback"),
            [category_name(t, k) for k in cats],
            [(t(c + "on_time"), [_num(get(report, "feedback", "by_category", k, "on_time_pct")) for k in cats])],
            scale=scale,
            decimals=1,
            percent=True,
            describe=in_pct,
        ),
        _week_chart(report, lang, scale, "resolved"),
        _week_chart(report, lang, scale, "rating"),
        bar_chart(
            "presence",
            t(c + "presence"),
            [duty_name(d, lang) for d in ds],
            [(t(c + "covered"), [_num(d.get("covered_pct")) for d in ds])],
            scale=scale,
            decimals=1,
            percent=True,
            horizontal=True,
            describe=in_pct,
        ),
    ]


def _week_chart(report: Mapping[str, Any], lang: str, scale: float, measure: str) -> ReportChart:
    """Satisfaction week by week: the resolved share (line 0, %) or the mean rating (line 1, 1–5).

    Two charts, not one with two axes: both lines sit near the top of their scales and would cross
    and hide each other's labels. Each keeps its own dash and marker, in the chart and the legend.
    """

    def t(key: str, /, **kw: Any) -> str:
        return tr(key, lang, **kw)

    c = "report_screen.chart."
    resolved = measure == "resolved"
    title = t(c + ("satisfaction_resolved" if resolved else "satisfaction_rating"))
    chart = _base_chart(title, scale)
    data = weeks(report)
    points: list[tuple[int, float]] = []
    for i, (_w, sat) in enumerate(data):
        value = _num(sat.get("resolved_share" if resolved else "mean_rating"))
        if value is not None:
            points.append((i, round(value * 100, 1) if resolved else round(value, 2)))
    series = line_series(0 if resolved else 1, t(c + measure), points, scale, "@yPoint%" if resolved else "@yPoint")
    chart.addSeries(series)
    x_axis = QCategoryAxis()  # week 0 .. n-1, labelled with the Monday's date every few weeks
    x_axis.setRange(-0.5, max(len(data) - 0.5, 0.5))
    x_axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    step = max(1, -(-len(data) // 9))
    for i, (w, _s) in enumerate(data):
        if i % step == 0:
            x_axis.append(w[5:].replace("-", "/"), i)
    start, end = (data[0][0], data[-1][0]) if data else (DASH, DASH)
    _style_axis(x_axis, scale, t(c + "weeks_axis", start=start, end=end))
    y_axis = QValueAxis()
    if resolved:
        y_axis.setRange(0, 110)  # room above 100 % for the labels
        y_axis.setTickType(QValueAxis.TickType.TicksDynamic)
        y_axis.setTickAnchor(0)
        y_axis.setTickInterval(20)
        y_axis.setLabelFormat("%.0f%%")
    else:
        y_axis.setRange(1, 5.4)
        y_axis.setTickType(QValueAxis.TickType.TicksDynamic)
        y_axis.setTickAnchor(1)
        y_axis.setTickInterval(1)
        y_axis.setLabelFormat("%.0f")
    _style_axis(y_axis, scale)
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(x_axis)
    series.attachAxis(y_axis)
    words = [
        t(
            c + ("week_resolved" if resolved else "week_rating"),
            week=w,
            value=fmt_share(t, s.get("resolved_share")) if resolved else fmt_rating(s.get("mean_rating")),
        )
        for w, s in data
    ]
    key = "satisfaction_resolved" if resolved else "satisfaction_rating"
    return ReportChart(key, title, chart, not points, "; ".join(words), [v for _i, v in points])


# -- rendering ------------------------------------------------------------------------------------------
def render_chart(chart: QChart, width: int, height: int) -> QImage:
    """``chart`` drawn into a white ``width`` x ``height`` image (for the exports and the tests)."""
    scene = QGraphicsScene()
    scene.addItem(chart)
    chart.setGeometry(QRectF(0, 0, width, height))
    app = QCoreApplication.instance()
    for _ in range(3):  # the legend and the axes lay out in posted events: without them labels are elided
        if app is not None:
            app.processEvents()
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#FFFFFF"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    scene.render(painter, QRectF(0, 0, width, height), QRectF(0, 0, width, height))
    painter.end()
    scene.removeItem(chart)
    return image


def bar_centre(chart: ReportChart, set_index: int, category: int) -> QPointF:
    """Where bar (``set_index``, ``category``) of a bar chart is drawn, in chart coordinates (its middle)."""
    series = chart.chart.series()[0]
    assert isinstance(series, QAbstractBarSeries)
    n = series.count()
    width = series.barWidth()
    x = category - width / 2 + width * (set_index + 0.5) / n
    value = series.barSets()[set_index].at(category)
    return chart.chart.mapToPosition(QPointF(x, value / 2), series)


def names(items: Iterable[ReportChart]) -> list[str]:
    return [c.key for c in items]
