"""The service performance report on paper (issue 8): a self-contained HTML file and an A4 PDF.

``kiosk report --format html|pdf`` and the admin screen's "save" buttons call these. Both print
the same tables and charts as the screen (``kiosk.ui.report_charts``): the charts are drawn by Qt
Charts at print resolution and embedded as PNG, patterned and labelled so a black-and-white
printer keeps every series apart. Korean needs a font with Hangul, set explicitly (the HTML names
it first in its font list, the PDF embeds it). Drawing charts needs a ``QApplication``:
``ensure_qt`` makes one (offscreen when there is no display) for the headless CLI.
"""

from __future__ import annotations

import base64
import errno
import html
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)
from PySide6.QtWidgets import QApplication

from kiosk.i18n import tr
from kiosk.ui import theme
from kiosk.ui.report_charts import SECTIONS, ReportChart, Table, about_line, build_charts, render_chart, tables

CHART_SIZE = (640, 380)
"""A chart's size in CSS pixels (the screen's); images are drawn ``PRINT_SCALE`` times larger."""
PRINT_SCALE = 2.5
"""640 px x 2.5 = 1600 px across ~180 mm of A4: about 225 dpi, crisp patterns and text on paper."""
PDF_DPI = 300
PAGE_MARGIN_MM = 15
FOOTER_MM = 8
"""Below the text: the page number."""
DOC_DPI = 96
DOC_WIDTH_PX = 660
"""A chart's width in the PDF's text: A4 less the margins is 180 mm, 680 px at ``DOC_DPI``."""


def ensure_qt() -> QApplication:
    """The running ``QApplication``, or a new one (offscreen unless a display is there or
    ``QT_QPA_PLATFORM`` says otherwise) with the Korean font set."""
    existing = QGuiApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    if existing is not None:
        raise RuntimeError("the report's charts need a QApplication, not a QGuiApplication/QCoreApplication")
    if not os.environ.get("QT_QPA_PLATFORM") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Counter Kiosk")
    theme.apply_app_font(app)
    return app


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs say bytes; PySide6 wants str
    buffer.close()
    return bytes(data.data())


def chart_images(report: Mapping[str, Any], lang: str, scale: float = PRINT_SCALE) -> list[tuple[ReportChart, QImage]]:
    """Every chart of the report drawn for print (empty charts are listed, not drawn: ``QImage()``)."""
    ensure_qt()
    width, height = CHART_SIZE
    out = []
    for chart in build_charts(report, lang, scale):
        image = QImage() if chart.empty else render_chart(chart.chart, round(width * scale), round(height * scale))
        out.append((chart, image))
    return out


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _table_html(table: Table, *, qt: bool) -> str:
    attrs = ' border="1" cellspacing="0" cellpadding="4" width="100%"' if qt else ""
    head = "".join(f'<th scope="col">{_esc(h)}</th>' for h in table.headers)
    body = []
    for row in table.rows:
        cells = [f'<th scope="row" align="left">{_esc(row[0])}</th>' if row else ""]
        cells += [f'<td align="right" class="num">{_esc(cell)}</td>' for cell in row[1:]]
        body.append(f"<tr>{''.join(cells)}</tr>")
    if not body:
        body.append(f'<tr><td colspan="{len(table.headers)}">—</td></tr>')
    return f"<table{attrs}><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _chart_html(chart: ReportChart, src: str, lang: str, *, qt: bool) -> str:
    if chart.empty or not src:
        return f'<p class="nochart">{_esc(tr("report_screen.no_chart", lang, title=chart.title))}</p>'
    alt = _esc(f"{chart.title}: {chart.description}")
    if qt:  # QTextDocument: an image paragraph; the width is in the document's pixels
        return f'<p align="center"><img src="{_esc(src)}" width="{DOC_WIDTH_PX}" alt="{alt}"></p>'
    return f'<figure><img src="{src}" alt="{alt}"><figcaption>{_esc(chart.title)}</figcaption></figure>'


CSS = """
@page { size: A4; margin: 15mm; }
html { background: #fff; }
body { font-family: "Noto Sans CJK KR", "Noto Sans KR", "NanumGothic", "Nanum Gothic", "Malgun Gothic",
       sans-serif; color: #000; background: #fff; font-size: 10.5pt; line-height: 1.45;
       max-width: 180mm; margin: 0 auto; }
h1 { font-size: 17pt; margin: 0 0 4pt; }
h2 { font-size: 12.5pt; margin: 14pt 0 4pt; break-after: avoid; page-break-after: avoid; }
p.about { margin: 0 0 8pt; border-bottom: 2px solid #000; padding-bottom: 6pt; }
table { border-collapse: collapse; width: 100%; margin: 0 0 6pt; break-inside: auto; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 1px solid #000; padding: 2pt 5pt; vertical-align: top; }
thead th { border-bottom: 2px solid #000; text-align: center; }
tbody th { text-align: left; font-weight: normal; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: 6pt 0 10pt; break-inside: avoid; page-break-inside: avoid; }
figure img { display: block; width: 100%; height: auto; border: 1px solid #000; }
figcaption { font-size: 9pt; margin-top: 2pt; }
p.nochart { font-style: italic; }
p.note { font-size: 9pt; border-top: 1px solid #000; padding-top: 4pt; margin-top: 12pt; }
@media print { body { max-width: none; } a { color: #000; } }
"""


def _document(report: Mapping[str, Any], lang: str, sources: Mapping[str, str], *, qt: bool) -> str:
    """The report as HTML; ``sources`` maps a chart's key to its image's ``src``. ``qt``: the subset
    ``QTextDocument`` lays out (attributes instead of most CSS), for the PDF."""
    charts = {chart.key: chart for chart in build_charts(report, lang)}
    by_key = {t.key: t for t in tables(report, lang)}
    title = tr("report_screen.title", lang)
    parts = [
        f"<h1>{_esc(title)}</h1>",
        f'<p class="about">{_esc(about_line(lambda k, **kw: tr(k, lang, **kw), report, lang))}</p>',
    ]
    if report.get("confidential_included"):
        parts.append(f"<p><b>{_esc(tr('report_screen.confidential', lang))}</b></p>")
    shown: set[str] = set()
    for key, chart_keys in SECTIONS:
        table = by_key.get(key)
        if table is None:
            continue
        parts.append(f"<h2>{_esc(table.title)}</h2>")
        parts.append(_table_html(table, qt=qt))
        for ck in chart_keys:
            if ck in charts:
                parts.append(_chart_html(charts[ck], sources.get(ck, ""), lang, qt=qt))
                shown.add(ck)
    for ck, chart in charts.items():  # a chart whose table this report lacks still prints
        if ck not in shown:
            parts.append(f"<h2>{_esc(chart.title)}</h2>")
            parts.append(_chart_html(chart, sources.get(ck, ""), lang, qt=qt))
    parts.append(f'<p class="note">{_esc(tr("report_screen.printed_footer", lang))}</p>')
    body = "\n".join(parts)
    if qt:
        return f"<html><body>{body}</body></html>"
    return (
        f'<!DOCTYPE html>\n<html lang="{_esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_esc(title)} {_esc(report.get('from') or '')}–{_esc(report.get('to') or '')}</title>\n"
        f"<style>{CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def render_html(report: Mapping[str, Any], lang: str) -> str:
    """The report as one self-contained HTML page (charts inlined as PNG data), A4 print CSS, black on white."""
    sources = {
        chart.key: "data:image/png;base64," + base64.b64encode(png_bytes(image)).decode("ascii")
        for chart, image in chart_images(report, lang)
        if not image.isNull()
    }
    return _document(report, lang, sources, qt=False)


def write_html(report: Mapping[str, Any], path: Path, lang: str) -> None:
    Path(path).write_text(render_html(report, lang), encoding="utf-8")


def pdf_document(report: Mapping[str, Any], lang: str) -> QTextDocument:
    """The report laid out for the PDF: the Korean font set on the document, the charts as resources."""
    ensure_qt()
    doc = QTextDocument()
    doc.setDocumentMargin(0)
    font = QFont(theme.korean_family())
    font.setPointSizeF(10)
    doc.setDefaultFont(font)
    doc.setDefaultStyleSheet(
        "h1 { font-size: 17pt; } h2 { font-size: 12.5pt; } p.note { font-size: 8.5pt; } "
        "th { font-weight: bold; } td, th { padding: 3px; } table { border-collapse: collapse; }"
    )
    sources: dict[str, str] = {}
    for chart, image in chart_images(report, lang):
        if not image.isNull():
            sources[chart.key] = f"chart://{chart.key}.png"
            doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(sources[chart.key]), image)
    doc.setHtml(_document(report, lang, sources, qt=True))
    return doc


def write_pdf(report: Mapping[str, Any], path: Path, lang: str) -> None:
    """The report as an A4 PDF: 300 dpi, 15 mm margins, a page number under each page; long tables
    continue on the next page under their header row, a chart is never cut in two."""
    doc = pdf_document(report, lang)
    writer = QPdfWriter(str(path))
    writer.setResolution(PDF_DPI)
    margin = PAGE_MARGIN_MM
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(margin, margin, margin, margin + FOOTER_MM),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setTitle(f"{tr('report_screen.title', lang)} {report.get('from') or ''}–{report.get('to') or ''}")
    writer.setCreator("Counter Kiosk")
    # The document is laid out in its own pixels (1/96 inch) on pages the size of the paint area,
    # then drawn scaled to the writer's 300 dpi: text and pictures keep the same proportions.
    area = writer.pageLayout().paintRectPixels(PDF_DPI)
    scale = PDF_DPI / DOC_DPI
    page = QSizeF(area.width() / scale, area.height() / scale)
    doc.setPageSize(page)
    count = doc.pageCount()
    painter = QPainter(writer)
    if not painter.isActive():  # Qt does not raise: an unwritable path only warns
        raise OSError(errno.EACCES, "cannot write the PDF file", str(path))
    try:
        footer_font = QFont(theme.korean_family())
        footer_font.setPointSizeF(9)
        for i in range(count):
            if i:
                writer.newPage()
            painter.save()
            painter.scale(scale, scale)
            painter.translate(0, -i * page.height())
            doc.drawContents(painter, QRectF(0, i * page.height(), page.width(), page.height()))
            painter.restore()
            painter.setFont(footer_font)
            painter.setPen(QColor("#000000"))
            below = QRectF(0, area.height(), area.width(), FOOTER_MM / 25.4 * PDF_DPI)
            painter.drawText(below, int(Qt.AlignmentFlag.AlignCenter), f"{i + 1} / {count}")
    finally:
        painter.end()


__all__ = ["chart_images", "ensure_qt", "render_html", "write_html", "write_pdf"]
