"""``kiosk chart ...`` and ``kiosk presence ...``: the seat chart and who is in, from the command line.

``--json`` fields (a contract, add never rename):
- ``chart validate``: ``file``, ``valid``, ``errors`` [{``line``, ``path``, ``code``, ``message``}];
- ``chart import``: ``office``, ``version``, ``desks``, ``staff``, ``duties``;
- ``chart show``: ``office``, ``version``, ``desks`` [{``id``, ``room``, ``staff``, ``name``, ``team``,
  ``duties``, ``counter``, ``state``}];
- ``presence list`` / ``presence set``: [{``staff``, ``name``, ``state``, ``destination``, ``contact``,
  ``until``}] (the contact number in full: this is a staff tool).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.config import Config, ConfigError
from kiosk.domain.errors import InvalidInput, NoChart
from kiosk.i18n import tr


def add_parsers(sub: Any, g: argparse.ArgumentParser) -> None:
    chart = sub.add_parser("chart", parents=[g], help="the office seat chart").add_subparsers(
        dest="action", required=True
    )
    chart.add_parser("validate", parents=[g], help="check a chart file, every error with its line").add_argument("file")
    chart.add_parser("import", parents=[g], help="load a chart file into the store").add_argument("file")
    export = chart.add_parser("export", parents=[g], help="write the stored chart as a file (stdout without FILE)")
    export.add_argument("file", nargs="?", default=None)
    chart.add_parser("show", parents=[g], help="desks, people, duties and presence")
    assign = chart.add_parser("assign", parents=[g], help="seat a person at a desk (or --empty)")
    assign.add_argument("desk")
    assign.add_argument("staff", nargs="?", default=None)
    duties = chart.add_parser("duties", parents=[g], help="set a desk's duties")
    duties.add_argument("desk")
    duties.add_argument("duties", help="comma-separated duty ids")

    pres = sub.add_parser("presence", parents=[g], help="who is at their desk").add_subparsers(
        dest="action", required=True
    )
    pres.add_parser("list", parents=[g])
    s = pres.add_parser("set", parents=[g])
    s.add_argument("staff")
    s.add_argument("state", choices=("present", "away", "meeting", "leave"))
    s.add_argument("--destination", default="")
    s.add_argument("--contact", default="")
    s.add_argument("--until", default=None, help="HH:MM today, or an ISO date-time")


def _emit(args: argparse.Namespace, payload: Any, text: str) -> None:
    print(json.dumps(payload, ensure_ascii=False, indent=2) if getattr(args, "json", False) else text)


def run(args: argparse.Namespace, cfg: Config, lang: str) -> int:
    from kiosk.services.chart_file import explain, read_chart, write_chart

    codes = [s.code for s in cfg.services] or None
    if args.command == "chart" and args.action == "validate":
        path = Path(args.file)
        result = read_chart(_read(path), codes)
        messages = [explain(e, path.name, lang) for e in result.errors]
        errors: list[dict[str, object]] = [
            {"line": e.line, "path": e.path, "code": e.code, "message": m}
            for e, m in zip(result.errors, messages, strict=True)
        ]
        if result.chart is not None:
            c = result.chart
            text = tr(
                "chart.valid",
                lang,
                file=path.name,
                rooms=len(c.rooms),
                desks=len(c.desks),
                staff=len(c.staff),
                duties=len(c.duties),
            )
        else:
            text = "\n".join([*messages, tr("chart.invalid", lang, file=path.name, count=len(errors))])
        _emit(args, {"file": str(path), "valid": result.chart is not None, "errors": errors}, text)
        return 0 if result.chart is not None else 2

    from kiosk.bootstrap import bootstrap

    app = bootstrap(cfg)
    charts = app.charts
    assert charts is not None
    try:
        if args.command == "chart":
            if args.action == "import":
                path = Path(args.file)
                result = read_chart(_read(path), codes)
                if result.chart is None:
                    for e in result.errors:
                        print(explain(e, path.name, lang), file=sys.stderr)
                    print(tr("chart.invalid", lang, file=path.name, count=len(result.errors)), file=sys.stderr)
                    return 2
                c = result.chart
                version = charts.import_chart(c, actor="cli")
                payload = {
                    "office": c.office_id,
                    "version": version,
                    "desks": len(c.desks),
                    "staff": len(c.staff),
                    "duties": len(c.duties),
                }
                _emit(
                    args,
                    payload,
                    tr("chart.imported", lang, **{**payload, "office": c.name(lang)}),
                )
                return 0
            state = charts.state()
            if state is None:
                raise NoChart()
            if args.action == "export":
                text = write_chart(state.chart)
                if args.file:
                    Path(args.file).write_text(text, encoding="utf-8")
                else:
                    sys.stdout.write(text)
                return 0
            if args.action == "assign":
                charts.assign_desk(args.desk, args.staff, actor="cli")
            elif args.action == "duties":
                charts.set_duties(args.desk, [d.strip() for d in args.duties.split(",") if d.strip()], actor="cli")
            state = charts.state()
            assert state is not None
            desks: list[dict[str, Any]] = []
            for d in state.chart.desks:
                person = state.chart.person(d.staff)
                desks.append(
                    {
                        "id": d.id,
                        "room": d.room,
                        "staff": d.staff,
                        "name": None if person is None else person.name(lang),
                        "team": None if person is None else person.team(lang),
                        "duties": list(d.duties),
                        "counter": d.counter,
                        "state": None if person is None else state.presence_of(person.id).state.value,
                    }
                )
            lines = [
                f"{d['id']:<5} {d['name'] or '-':<12} {d['team'] or '':<14} {','.join(d['duties'])}"
                + (f"  [{d['state']}]" if d["state"] not in (None, "present") else "")
                for d in desks
            ]
            _emit(args, {"office": state.chart.office_id, "version": state.version, "desks": desks}, "\n".join(lines))
            return 0
        # presence
        if args.action == "set":
            until = None if args.until is None else _until(args.until, cfg.tz)
            charts.set_presence(
                args.staff, args.state, destination=args.destination, contact=args.contact, until=until, actor="cli"
            )
        state = charts.state()
        if state is None:
            raise NoChart()
        rows: list[dict[str, str | None]] = []
        for person in state.chart.staff:
            p = state.presence_of(person.id)
            rows.append(
                {
                    "staff": person.id,
                    "name": person.name(lang),
                    "state": p.state.value,
                    "destination": p.destination,
                    "contact": p.contact,
                    "until": None if p.until is None else p.until.isoformat(),
                }
            )
        _emit(
            args,
            rows,
            "\n".join(
                " ".join(
                    (
                        f"{r['staff']:<16}",
                        f"{r['name']:<12}",
                        f"{r['state']:<8}",
                        r["destination"] or "",
                        r["contact"] or "",
                    )
                ).rstrip()
                + (f" {r['until']}" if r["until"] else "")
                for r in rows
            ),
        )
        return 0
    finally:
        app.close()


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: {exc.strerror or exc}") from None


def _until(text: str, tz: ZoneInfo) -> datetime:
    try:
        if len(text) <= 5 and ":" in text:
            hours, minutes = text.split(":")
            return datetime.combine(datetime.now(tz).date(), time(int(hours), int(minutes)), tz)
        value = datetime.fromisoformat(text)
        return value if value.tzinfo is not None else value.replace(tzinfo=tz)
    except ValueError:
        raise InvalidInput(field="until", value=text) from None
