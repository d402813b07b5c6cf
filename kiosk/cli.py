"""The ``kiosk`` command line: the same use cases as the screens, for staff scripts and cron.

Every command has ``--json``; its fields are a public contract (add, never rename). Errors are
one clear line in the configured language on stderr and a distinct exit code:
2 bad arguments, 3 unknown service/counter, 4 counter closed or busy, 5 ticket not found,
6 ticket in the wrong state, 7 store unavailable (locked, full), 8 configuration error,
9 not allowed for this staff member's role (or no such staff member).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from typing import Any

from kiosk.config import Config, ConfigError, load_config
from kiosk.domain.errors import KioskError, StoreReadOnly
from kiosk.i18n import error_message, minutes_range, tr

EXIT_CONFIG = 8


def _globals() -> argparse.ArgumentParser:
    """Options accepted before or after the command (``kiosk --demo queue`` = ``kiosk queue --demo``)."""
    p = argparse.ArgumentParser(add_help=False)
    s = argparse.SUPPRESS
    p.add_argument("--config", metavar="FILE", default=s, help="TOML configuration file (or KIOSK_CONFIG)")
    p.add_argument("--demo", action="store_true", default=s, help="use the demo facility")
    p.add_argument("--data-dir", metavar="DIR", default=s, help="where the SQLite file lives (or KIOSK_DATA_DIR)")
    p.add_argument("--json", action="store_true", default=s, help="machine-readable output")
    p.add_argument("--lang", choices=("ko", "en"), default=s, help="language of messages")
    return p


def build_parser() -> argparse.ArgumentParser:
    g = _globals()
    parser = argparse.ArgumentParser(prog="kiosk", description="Counter Kiosk", parents=[g])
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", parents=[g], help="start the screens")
    run.add_argument(
        "--role", choices=("kiosk", "counter", "display", "chart", "survey", "report", "all"), default="all"
    )
    run.add_argument("--counter", type=int, default=None, help="counter number for the counter console")
    run.add_argument("--windowed", action="store_true", help="do not go full screen")
    run.add_argument(
        "--mode",
        default=None,
        help="accessibility modes to start with: any of large-text,high-contrast,voice,low-screen",
    )

    svc = sub.add_parser("service", parents=[g], help="services (duties)").add_subparsers(dest="action", required=True)
    svc.add_parser("list", parents=[g])

    ctr = sub.add_parser("counter", parents=[g], help="counters").add_subparsers(dest="action", required=True)
    c_open = ctr.add_parser("open", parents=[g])
    c_open.add_argument("number", type=int)
    c_open.add_argument("--services", default=None, help="comma-separated service codes, e.g. A,B")
    c_close = ctr.add_parser("close", parents=[g])
    c_close.add_argument("number", type=int)
    ctr.add_parser("list", parents=[g])

    from kiosk.cli_chart import add_parsers as chart_parsers

    chart_parsers(sub, g)

    from kiosk.cli_feedback import add_parsers as feedback_parsers

    feedback_parsers(sub, g)

    from kiosk.cli_report import add_parsers as report_parsers

    report_parsers(sub, g)

    from kiosk.cli_audit import add_parsers as audit_parsers

    audit_parsers(sub, g)

    from kiosk.selftest import add_parsers as selftest_parsers

    selftest_parsers(sub, g)

    from kiosk.cli_staff import add_parsers as staff_parsers

    staff_parsers(sub, g)

    tk = sub.add_parser("ticket", parents=[g], help="tickets").add_subparsers(dest="action", required=True)
    issue = tk.add_parser("issue", parents=[g])
    issue.add_argument("--service", required=True)
    issue.add_argument("--priority", choices=("disabled", "elderly", "pregnant", "infant"), default=None)
    call = tk.add_parser("call", parents=[g])
    call.add_argument("--counter", type=int, required=True)
    call.add_argument(
        "--finish", action="store_true", help="complete the visitor being served at the counter first (one step)"
    )
    accept = tk.add_parser("accept", parents=[g])
    accept.add_argument("id")
    accept.add_argument("--counter", type=int, required=True)
    for name in ("recall", "no-show", "start", "complete", "hold", "resume", "show"):
        tk.add_parser(name, parents=[g]).add_argument("id", help="ticket id, or today's number such as A-003")
    transfer = tk.add_parser("transfer", parents=[g])
    transfer.add_argument("id")
    transfer.add_argument("--service", required=True)

    q = sub.add_parser("queue", parents=[g], help="waiting tickets in calling order")
    q.add_argument("--service", default=None)

    db = sub.add_parser("db", parents=[g], help="database").add_subparsers(dest="action", required=True)
    db.add_parser("upgrade", parents=[g])

    sync = sub.add_parser("sync", parents=[g], help="send this node's changes to the central database and pull")
    sync.add_argument("action", nargs="?", choices=["status"], help="status: pending changes and lag, no sync")
    return parser


def _emit(args: argparse.Namespace, lang: str, payload: Any, text: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps(payload, ensure_ascii=False))
    else:
        print(text)


def _ticket_text(t: dict[str, Any] | None, lang: str) -> str:
    if t is None:
        return tr("cli.no_ticket", lang)
    line = tr(
        "cli.ticket_line",
        lang,
        number=t["number"],
        service=t["service"],
        priority=tr(f"priority.{t['priority'] or 'none'}", lang),
        status=tr(f"status.{t['status']}", lang),
    )
    extra = []
    if t.get("position") is not None:
        extra.append(f"#{t['position']}")
    if t.get("wait_min") is not None:
        extra.append(minutes_range(t["wait_min"], t["wait_max"], lang))
    if t.get("counter") is not None:
        extra.append(f"→ {t['counter']}")
    return "  ".join([line, *extra])


def _run_gui(cfg: Config, args: argparse.Namespace) -> int:
    from dataclasses import replace

    from kiosk.accessibility.modes import Modes
    from kiosk.ui.app import run_gui

    if args.mode is not None:
        try:
            cfg = replace(cfg, modes=Modes.parse(args.mode))
        except ValueError as exc:
            raise ConfigError(f"--mode: {exc}") from None

    opened: list[Any] = []
    spoolers: list[Any] = []

    def open_store(ctx: Any) -> Any:
        # Runs on a background thread while the kiosk paints its first frame. ``ctx`` is the
        # screens' UiContext: only its thread-safe reporters are used here, as plain data.
        from kiosk.bootstrap import bootstrap
        from kiosk.demo import seed_waiting_visitors

        app = bootstrap(cfg)
        opened.append(app)
        # A node of a facility: push and pull in the background; staff see how it goes.
        app.start_sync(
            on_report=lambda _report, status: ctx.report_sync(status.as_dict()),
            progress=ctx.report_sync_progress,
        )
        if cfg.demo and app.read_only is None:
            seed_waiting_visitors(app.queue)
        if cfg.demo and args.role == "report" and app.read_only is None:
            from datetime import datetime

            from kiosk.store.sample_year import seed_recent

            # Twelve weeks of generated history (once), so the demo report has figures to show.
            seed_recent(app.engine, datetime.now(cfg.tz).date(), facility=cfg.facility_id)
        if args.role in ("kiosk", "all"):
            spoolers.append(_printer(cfg, ctx))
        read_only = None if app.read_only is None else dict(app.read_only.params)
        return app.queue, app.charts, app.feedback, app.survey, app.reports, app.auth, read_only

    try:
        return run_gui(open_store, cfg, role=args.role, counter=args.counter, windowed=args.windowed)
    finally:
        for spooler in spoolers:
            if spooler is not None:
                spooler.stop()
        for app in opened:
            app.close()


def _printer(cfg: Config, ctx: Any) -> Any:
    """The kiosk's print spooler from ``[printer]`` (``None`` without one), its faults relayed to the screens.

    A printer that cannot be used (no Korean font to draw tickets with) leaves the kiosk issuing
    tickets on screen, with the reason logged; a wrong ``[printer]`` table stops the start-up.
    """
    from kiosk.printing.fonts import FontNotFoundError
    from kiosk.printing.spool import PrintSpooler

    try:
        spooler = PrintSpooler.from_config(cfg.printer, on_status=ctx.report_printer)
    except FontNotFoundError as exc:
        logging.getLogger(__name__).warning("tickets will not be printed: %s", exc)
        return None
    ctx.printer = spooler
    return spooler


def dispatch(args: argparse.Namespace, cfg: Config) -> int:
    from kiosk.bootstrap import bootstrap

    lang = getattr(args, "lang", None) or cfg.language
    if args.command == "run":
        return _run_gui(cfg, args)
    if args.command == "db":
        from kiosk.store import migrate
        from kiosk.store.health import sqlite_path
        from kiosk.store.upgrade import upgrade_with_backup

        app = bootstrap(cfg, upgrade=False)
        try:
            store = sqlite_path(cfg.db_url)
            if store is None:
                revision = migrate.upgrade(app.engine)
            else:  # the same copy first, old data back on failure, as on start (exit 7 and why)
                upgrade_with_backup(app.engine, store)
                revision = migrate.current_revision(app.engine)
        finally:
            app.close()
        _emit(args, lang, {"revision": revision}, f"schema revision {revision}")
        return 0

    if args.command == "sync":
        return _sync_command(args, cfg, lang)
    if args.command in ("chart", "presence"):
        from kiosk.cli_chart import run as chart_command

        return chart_command(args, cfg, lang)
    if args.command == "audit":
        from kiosk.cli_audit import run as audit_command

        return audit_command(args, cfg, lang)
    if args.command == "self-test":
        from kiosk.selftest import run as selftest_command

        return selftest_command(args, cfg, lang)
    if args.command == "report":
        from kiosk.cli_report import run as report_command

        return report_command(args, cfg, lang)
    if args.command == "staff":
        from kiosk.cli_staff import run as staff_command

        return staff_command(args, cfg, lang)
    if args.command in ("feedback", "survey"):
        from kiosk.cli_feedback import run as feedback_command

        return feedback_command(args, cfg, lang)

    app = bootstrap(cfg)
    q = app.queue
    try:
        if args.command == "service":
            services = q.services()
            _emit(
                args,
                lang,
                [s.to_json() for s in services],
                "\n".join(
                    f"{s.code}  {s.name(lang)}  {s.waiting}  {minutes_range(s.wait_min, s.wait_max, lang)}"
                    for s in services
                ),
            )
        elif args.command == "counter":
            if args.action == "list":
                counters = q.counters()
                _emit(
                    args,
                    lang,
                    [c.to_json() for c in counters],
                    "\n".join(_counter_text(c.to_json(), lang) for c in counters),
                )
                return 0
            if args.action == "open":
                codes = None if args.services is None else [s for s in args.services.split(",") if s.strip()]
                view = q.open_counter(args.number, codes, actor="cli")
            else:
                view = q.close_counter(args.number, actor="cli")
            _emit(args, lang, view.to_json(), _counter_text(view.to_json(), lang))
        elif args.command == "queue":
            tickets = [t.to_json() for t in q.queue(args.service)]
            _emit(args, lang, tickets, "\n".join(_ticket_text(t, lang) for t in tickets) or tr("cli.no_ticket", lang))
        elif args.command == "ticket":
            result = _ticket_command(q, args)
            payload = None if result is None else result.to_json()
            _emit(args, lang, payload, _ticket_text(payload, lang))
        return 0
    finally:
        app.close()


def _sync_command(args: argparse.Namespace, cfg: Config, lang: str) -> int:
    from kiosk.bootstrap import bootstrap

    if not cfg.central_url:
        raise ConfigError("no central database: set KIOSK_CENTRAL_URL or [sync] central_url")
    app = bootstrap(cfg, sync_on_start=False)
    try:
        if app.read_only is not None:  # an upgrade failed: the outbox waits for the version that can send it
            raise StoreReadOnly(**app.read_only.params)
        assert app.sync is not None
        if args.action == "status":
            status = app.sync.status(probe=True)
            lag = "-" if status.lag_seconds is None else f"{status.lag_seconds:.0f} s"
            state = "online" if status.online else "offline"
            last = status.last_sync or "-"
            text = f"{status.node_id}: {state}, {status.pending} pending, lag {lag}, last sync {last}"
            if status.last_error:
                text += f"\nlast error: {status.last_error}"
            _emit(args, lang, status.as_dict(), text)
            return 0
        report = app.sync.run_once()
        payload = {"node_id": cfg.node_id, **report.__dict__}
        _emit(
            args,
            lang,
            payload,
            f"{cfg.node_id}: sent {report.pushed} (already there {report.duplicates}), pulled {report.pulled}, "
            f"pending {report.pending}",
        )
        return 0
    finally:
        app.close()


def _counter_text(c: dict[str, Any], lang: str) -> str:
    state = "open" if c["is_open"] else "closed"
    return f"{c['number']}  {state}  {','.join(c['services'])}  {c['staff_ko'] if lang == 'ko' else c['staff_en']}"


def _ticket_command(q: Any, args: argparse.Namespace) -> Any:
    action = args.action
    if action == "issue":
        return q.issue_ticket(args.service, args.priority, actor="cli")
    if action == "call":
        return q.call_next(args.counter, actor="cli", finish_current=args.finish)
    if action == "accept":
        return q.accept_priority(args.id, args.counter, actor="cli")
    if action == "transfer":
        return q.transfer(args.id, args.service, actor="cli")
    if action == "show":
        return q.ticket(args.id)
    method = {
        "recall": q.recall,
        "no-show": q.no_show,
        "start": q.start,
        "complete": q.complete,
        "hold": q.hold,
        "resume": q.resume,
    }[action]
    return method(args.id, actor="cli")


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    lang = getattr(args, "lang", None) or "ko"
    try:
        cfg = load_config(
            getattr(args, "config", None), demo=getattr(args, "demo", False), data_dir=getattr(args, "data_dir", None)
        )
        lang = getattr(args, "lang", None) or cfg.language
        return dispatch(args, cfg)
    except ConfigError as exc:
        _fail(args, lang, "config", tr("error.config", lang, reason=str(exc)))
        return EXIT_CONFIG
    except KioskError as exc:
        _fail(args, lang, exc.code, _staff_message(exc, lang))
        return exc.exit_code
    finally:
        _tell_recoveries(lang)


def _staff_message(exc: KioskError, lang: str) -> str:
    """A start-up store fault (read-only, disk full: issue 9) says so to staff, with the path and reason."""
    problem = exc.params.get("problem")
    if exc.code == "store_unavailable" and problem:
        return tr(f"health.{problem}", lang, **exc.params)
    return error_message(exc, lang)


def _tell_recoveries(lang: str) -> None:
    """A damaged store kept aside on start (a fresh one took its place): staff are told on stderr."""
    from kiosk.store.health import recoveries
    from kiosk.store.readonly import fallbacks

    for r in recoveries():
        print(tr("health.recovered", lang, kept=r.kept, reason=r.reason), file=sys.stderr)
    for problem in fallbacks():  # every command on the previous data says so, reads included
        print(tr("health.read_only_fallback", lang, **problem.params), file=sys.stderr)


def _fail(args: argparse.Namespace, lang: str, code: str, message: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps({"error": code, "message": message}, ensure_ascii=False), file=sys.stderr)
    else:
        print(message, file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
