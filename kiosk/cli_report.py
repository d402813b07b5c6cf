"""``kiosk report``: the service performance report (S15, S16) as CSV, JSON, PDF or HTML.

    kiosk report --from 2025-01-01 --to 2025-12-31 [--facility ID] [--service A]
                 --format csv|json|pdf|html [--output FILE] --as USER

Team leads, admins and the audit team may run it (exit 9 otherwise); misconduct reports are counted for
the audit team only. Every run is written to the audit log with its format. CSV and JSON go to
standard output unless ``--output`` names a file (CSV files get a UTF-8 BOM, so spreadsheet
programs read the Hangul); PDF and HTML (with charts, readable in black and white) need Qt
PySide6, imported only for them, and PDF needs ``--output``.

``--format json`` prints the report object, a contract (add never rename): ``from``, ``to``,
``facility``, ``service``, ``source`` (``central``/``local``), ``facilities``, ``generated_at``,
``facility_name``, ``services``, ``confidential_included``, ``served``, ``waiting``,
``service_time``, ``no_shows``, ``priority_first``, ``feedback``, ``satisfaction``, ``presence``
(their fields: README, "Performance report"). ``--format csv`` prints one figure per row:
``section,dimension,key,measure,value``.
"""

from __future__ import annotations

import argparse
import csv
import errno
import io
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kiosk.config import Config
from kiosk.domain.errors import InvalidInput
from kiosk.domain.report import parse_range
from kiosk.i18n import tr

FORMATS = ("csv", "json", "pdf", "html")
CSV_HEADER = ("section", "dimension", "key", "measure", "value")


def add_parsers(sub: Any, g: argparse.ArgumentParser) -> None:
    p = sub.add_parser("report", parents=[g], help="the service performance report (S15, S16)")
    p.add_argument("--from", dest="from_day", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="to_day", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--facility", default=None, metavar="ID", help="one facility (default: every one in the store)")
    p.add_argument("--service", default=None, metavar="CODE", help="one service (default: all)")
    p.add_argument("--format", dest="fmt", default="csv", choices=FORMATS)
    p.add_argument("--output", "-o", default=None, metavar="FILE", help="write here instead of standard output")
    p.add_argument(
        "--as", dest="as_user", required=True, metavar="USER", help="a team lead, an admin or the audit team"
    )


def run(args: argparse.Namespace, cfg: Config, lang: str) -> int:
    # Everything that can be checked without the store is checked first.
    start, end = parse_range(args.from_day, args.to_day)
    if args.fmt == "pdf" and not args.output:
        raise InvalidInput(field="output", reason="report_pdf_output")
    output = None if args.output is None else Path(args.output)
    if output is not None and not output.parent.is_dir():
        raise InvalidInput(field="output", reason="report_output_dir", path=str(output.parent))
    if output is not None and output.is_dir():
        raise InvalidInput(
            field="output", reason="report_output_unwritable", path=str(output), detail=os.strerror(errno.EISDIR)
        )

    from kiosk.bootstrap import bootstrap

    app = bootstrap(cfg)
    try:
        reports = app.reports
        assert reports is not None
        user = reports.user(args.as_user)
        report = reports.report(user, start, end, facility=args.facility, service=args.service, export=args.fmt)
    finally:
        app.close()
    try:
        if args.fmt == "json":
            _write(output, json.dumps(report, ensure_ascii=False, indent=2) + "\n")
        elif args.fmt == "csv":
            _write(output, to_csv(report), bom=True)
        elif args.fmt == "html":
            from kiosk.ui.report_export import render_html

            _write(output, render_html(report, lang))
        else:
            from kiosk.ui.report_export import write_pdf

            assert output is not None
            write_pdf(report, output, lang)
    except OSError as exc:  # a full disk, a read-only folder: said, never a traceback
        raise InvalidInput(
            field="output", reason="report_output_unwritable", path=str(output), detail=exc.strerror or str(exc)
        ) from None
    if output is not None:
        print(tr("report.written", lang, path=str(output)), file=sys.stderr)
    return 0


def _write(output: Path | None, text: str, *, bom: bool = False) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8-sig" if bom else "utf-8", newline="")


def rows(report: dict[str, Any]) -> Iterator[tuple[str, str, str, str, Any]]:
    """Every figure of ``report`` as (section, dimension, key, measure, value)."""
    yield "report", "", "", "from", report["from"]
    yield "report", "", "", "to", report["to"]
    yield "report", "", "", "facility", report.get("facility") or ""
    yield "report", "", "", "service", report.get("service") or ""
    yield "report", "", "", "source", report.get("source", "")
    yield "report", "", "", "generated_at", report.get("generated_at", "")
    served = report["served"]
    yield "served", "all", "all", "count", served["total"]
    for dim in ("class", "service", "counter", "team"):
        for key, n in served.get(f"by_{dim}", {}).items():
            yield "served", dim, key, "count", n
    for section in ("waiting", "service_time"):
        for dim, groups in report[section].items():
            for key, dist in groups.items():
                for measure in ("n", "median", "p90", "max"):
                    yield section, dim, key, measure if measure == "n" else f"{measure}_s", dist[measure]
    ns = report["no_shows"]
    for measure in ("issued", "total", "expired", "share"):
        yield "no_shows", "all", "all", measure, ns[measure]
    for key, n in ns["by_class"].items():
        yield "no_shows", "class", key, "total", n
    for measure, value in report["priority_first"].items():
        yield "priority_first", "all", "all", measure, value
    fb = report["feedback"]
    for measure in ("received", "with_deadline", "answered_on_time", "on_time_pct", "overdue_now"):
        yield "feedback", "all", "all", measure, fb[measure]
    for dim in ("category", "team"):
        for key, cell in fb[f"by_{dim}"].items():
            for measure, value in cell.items():
                yield "feedback", dim, key, measure, value
    for key, cell in fb["within"].items():
        for measure, value in cell.items():
            yield "feedback", "within", key, measure, value
    for measure, value in fb["delayed"].items():
        yield "feedback", "delayed", "all", measure, value
    for measure, value in fb["time_to_answer_days"].items():
        yield "feedback", "time_to_answer", "all", measure if measure == "n" else f"{measure}_days", value
    for dim, groups in report["satisfaction"].items():
        for key, cell in groups.items():
            for measure, value in cell.items():
                yield "satisfaction", dim, key, measure, value
    presence = report["presence"]
    yield "presence", "all", "all", "open_days", presence["open_days"]
    yield "presence", "all", "all", "open_hours", presence["open_hours"]
    for duty in presence["duties"]:
        for measure in ("staff", "delegate", "covered_hours", "covered_pct"):
            yield "presence", "duty", duty["id"], measure, duty[measure]


def to_csv(report: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for row in rows(report):
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()
