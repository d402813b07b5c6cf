"""The printed report (issue 8): HTML and PDF from a real store's report, readable in black and white.

A small generated year fills every table and chart; the hand-computed case of
``tests/report/test_report_queries.py`` gives exact figures to find in the files.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QImage

from kiosk.bootstrap import App
from kiosk.config import DEMO_STAFF
from kiosk.domain.staff import Role
from kiosk.store.sample_year import generate
from kiosk.ui.report_charts import bar_centre, build_charts, render_chart
from kiosk.ui.report_export import chart_images, ensure_qt, render_html, write_pdf
from tests.report.test_report_queries import seed

pytestmark = pytest.mark.gui

ADMIN = next(u for u in DEMO_STAFF if u.role is Role.ADMIN)


@pytest.fixture
def year(qapp: object, app: App) -> dict[str, Any]:
    generate(app.engine, tickets=3000, year=2025)
    assert app.reports is not None
    return app.reports.report(ADMIN, date(2025, 1, 1), date(2025, 12, 31))


@pytest.fixture
def march(qapp: object, app: App) -> dict[str, Any]:
    seed(app.engine)
    assert app.reports is not None
    return app.reports.report(ADMIN, date(2026, 3, 1), date(2026, 3, 31))


def test_ensure_qt_reuses_the_running_application(qapp: object) -> None:
    assert ensure_qt() is qapp


def test_the_html_has_the_figures_and_the_charts(march: dict[str, Any]) -> None:
    page = render_html(march, "ko")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="ko">' in page
    assert "<h1>서비스 성과 보고서</h1>" in page
    assert "기간 2026-03-01 ~ 2026-03-31" in page
    # the hand-computed medians: all waits 600 s, priority 90 s; 6 served
    assert re.search(r"<th scope=\"row\" align=\"left\">전체</th><td[^>]*>7</td><td[^>]*>10\.0분</td>", page)
    assert ">1.5분<" in page
    images = re.findall(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+" alt="([^"]*)"', page)
    assert len(images) >= 4
    assert any(alt.startswith("대기 시간: 우선과 일반 (분):") for alt in images)
    assert "@page { size: A4" in page
    assert "http://" not in page and "https://" not in page  # self-contained: nothing to fetch


def test_the_html_is_english_when_asked(march: dict[str, Any]) -> None:
    page = render_html(march, "en")
    assert "<h1>Service performance report</h1>" in page and ">10.0 min<" in page


def test_missing_figures_read_as_a_dash(qapp: object) -> None:
    report = {"from": "2026-03-01", "to": "2026-03-31", "served": {"total": 3}, "waiting": None}
    page = render_html(report, "ko")
    assert ">3<" in page and ">—<" in page
    assert "그릴 자료가 없습니다" in page  # a chart without data says so instead of an empty frame


def test_the_pdf_is_a4_with_a_korean_heading(year: dict[str, Any], tmp_path: Path) -> None:
    from PySide6.QtPdf import QPdfDocument

    path = tmp_path / "report.pdf"
    write_pdf(year, path, "ko")
    assert path.read_bytes().startswith(b"%PDF")
    doc = QPdfDocument()
    assert doc.load(str(path)) == QPdfDocument.Error.None_
    assert doc.pageCount() >= 2
    size = doc.pagePointSize(0)  # A4: 595 x 842 pt
    assert abs(size.width() - 595) < 2 and abs(size.height() - 842) < 2
    first = doc.getAllText(0).text()
    assert "서비스 성과 보고서" in first and "주요 지표" in first
    served = f"{year['served']['total']:,}"
    assert served in first
    text = "".join(doc.getAllText(i).text() for i in range(doc.pageCount()))
    assert "고객의 소리 기한 내 답변" in text
    doc.close()


def test_bar_series_stay_apart_in_grayscale(year: dict[str, Any]) -> None:
    """Median and 90th percentile bars printed in black and white: different patterns, not just colours."""
    chart = next(c for c in build_charts(year, "ko", 2.0) if c.key == "waiting_class")
    image = render_chart(chart.chart, 1280, 760).convertToFormat(QImage.Format.Format_Grayscale8)

    def patch(set_index: int) -> list[int]:
        centre = bar_centre(chart, set_index, 1)  # the ordinary visitors' bars: tall enough
        x, y = round(centre.x()), round(centre.y())
        return [image.pixelColor(x + dx, y + dy).value() for dx in range(-8, 9) for dy in range(-8, 9)]

    median, p90 = patch(0), patch(1)
    spread = lambda px: max(px) - min(px)  # noqa: E731
    assert spread(median) < 20  # solid
    assert spread(p90) > 120  # hatched: black lines on white
    assert abs(sum(median) / len(median) - sum(p90) / len(p90)) > 40


def test_line_charts_carry_markers_and_labels(year: dict[str, Any]) -> None:
    images = dict((c.key, (c, img)) for c, img in chart_images(year, "ko", 1.0))
    chart, image = images["satisfaction_resolved"]
    assert not chart.empty and not image.isNull()
    series = chart.chart.series()[0]
    assert not series.lightMarker().isNull()  # a filled circle on every week
    rating = images["satisfaction_rating"][0].chart.series()[0]
    assert rating.pen().style() != series.pen().style()  # dashed against solid
    assert rating.lightMarker() != series.lightMarker()  # a hollow square against a circle
    labelled = [i for i in range(series.count()) if series.pointConfiguration(i)]
    assert 2 <= len(labelled) <= 4  # first, last, lowest, highest


def test_names_staff_typed_are_drawn_as_text_not_markup(march: dict[str, Any]) -> None:
    from PySide6.QtCharts import QBarCategoryAxis

    report = dict(march)
    report["presence"] = {
        "open_days": 1,
        "open_hours": 9.0,
        "duties": [{"id": "x", "name_ko": "<b>주차</b> 허가", "name_en": "<b>Parking</b>", "covered_pct": 80.0}],
    }
    chart = next(c for c in build_charts(report, "ko") if c.key.startswith("presence"))
    labels = [label for axis in chart.chart.axes() if isinstance(axis, QBarCategoryAxis) for label in axis.categories()]
    assert labels == ["&lt;b&gt;주차&lt;/b&gt; 허가"]  # shown as typed, with its brackets


def test_a_pdf_that_cannot_be_written_is_an_error_not_a_success(march: dict[str, Any], tmp_path: Path) -> None:
    with pytest.raises(OSError):
        write_pdf(march, tmp_path / "no-such-folder" / "r.pdf", "ko")
    with pytest.raises(OSError):
        write_pdf(march, tmp_path, "ko")  # a folder, not a file
