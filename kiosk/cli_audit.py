"""``kiosk audit``: the audit trail for admins and the audit team — list it or export it.

    kiosk audit [--since DAY] [--until DAY] [--actor ID] [--action PREFIX] [--limit N]
                [--format text|json|csv] [--output FILE] --as USER

One list, newest first, from the audit log (logins, notes opened and answered, reports exported,
accounts unlocked, configuration changes) and the event log's staff actions (calls, recalls,
transfers, counters opened and closed, seat chart and presence changes). On a node it reads the
central database (every kiosk's trail) when it can. Reading or exporting it is itself recorded.
``--format json`` prints [{``at``, ``actor``, ``action``, ``subject``, ``data``}] (a contract: add,
never rename); ``csv`` the same columns, ``data`` as JSON text.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

from kiosk.config import Config
from kiosk.domain.errors import InvalidInput
from kiosk.domain.report import check_range
from kiosk.i18n import tr

FIELDS = ("at", "actor", "action", "subject", "data")


def add_parsers(sub: Any, g: argparse.ArgumentParser) -> None:
    p = sub.add_parser("audit", parents=[g], help="the audit trail: who did what, when (admins, audit team)")
    p.add_argument("--since", default=None, metavar="YYYY-MM-DD", help="from this local day on")
    p.add_argument("--until", default=None, metavar="YYYY-MM-DD", help="up to this local day, included")
    p.add_argument("--actor", default=None, metavar="ID", help="one staff member (or counter:N, cli...)")
    p.add_argument("--action", default=None, metavar="PREFIX", help="e.g. staff.login, ticket., feedback.")
    p.add_argument("--limit", type=int, default=500, help="newest first, at most this many (default 500)")
    p.add_argument("--format", dest="fmt", default="text", choices=("text", "json", "csv"))
    p.add_argument("--output", "-o", default=None, metavar="FILE", help="write here instead of standard output")
    p.add_argument("--as", dest="as_user", required=True, metavar="USER", help="an admin or the audit team")


def _day(text: str | None, field: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(field=field, reason="range_date", value=text[:40]) from None


def run(args: argparse.Namespace, cfg: Config, lang: str) -> int:
    since, until = _day(args.since, "since"), _day(args.until, "until")
    if since is not None and until is not None:
        check_range(since, until)
    if args.limit < 1:
        raise InvalidInput(field="limit", value=str(args.limit))
    output = None if args.output is None else Path(args.output)
    if output is not None and not output.parent.is_dir():
        raise InvalidInput(field="output", reason="report_output_dir", path=str(output.parent))

    from kiosk.bootstrap import bootstrap
    from kiosk.domain.staff import find_user

    app = bootstrap(cfg)
    try:
        assert app.audit is not None
        user = find_user(cfg.staff, args.as_user)
        entries = [
            e.to_json()
            for e in app.audit.trail(
                user,
                since=since,
                until=until,
                actor=args.actor,
                action=args.action,
                limit=args.limit,
                export="" if output is None and args.fmt == "text" else args.fmt,
            )
        ]
    finally:
        app.close()
    if args.fmt == "json" or getattr(args, "json", False):
        text = json.dumps(entries, ensure_ascii=False, indent=2) + "\n"
    elif args.fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(FIELDS)
        for e in entries:
            writer.writerow([e["at"], e["actor"], e["action"], e["subject"], json.dumps(e["data"], ensure_ascii=False)])
        text = out.getvalue()
    else:
        lines = [
            f"{datetime.fromisoformat(e['at']).astimezone(cfg.tz):%Y-%m-%d %H:%M:%S}  "
            f"{e['actor']:<12} {e['action']:<24} {e['subject']}"
            for e in entries
        ]
        text = "\n".join(lines) + "\n" if lines else tr("feedback_cli.audit_none", lang) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8-sig" if args.fmt == "csv" else "utf-8", newline="")
        print(tr("report.written", lang, path=str(output)), file=sys.stderr)
    return 0
