"""``kiosk feedback ...`` and ``kiosk survey ...``: the customer voice box for staff scripts and cron.

Visitors' side: ``submit`` and ``status`` (receipt + PIN). Staff side: every command names the staff
member with ``--as USER`` (from the configuration's ``[[staff]]``); the services check the role, so a
script is refused exactly where a screen would be (exit 9, and a misconduct report stays invisible:
exit 5, as for a receipt that does not exist). ``remind`` runs from cron as the system user unless
``--as`` says otherwise. Text comes from a file or ``-`` (stdin), read as UTF-8.

``--json`` fields (a contract, add never rename):
- ``feedback submit``: ``receipt``, ``pin``, ``category``, ``status``, ``received_at``, ``due_date``
  (``null`` until classified), ``anonymous``;
- ``feedback status``: ``receipt``, ``category``, ``status``, ``received_on``, ``due_date``, ``answer``,
  ``answered_at``, ``delay_reason``, ``new_date``;
- ``feedback list`` (a list), ``open``, ``classify``, ``assign``, ``answer``, ``delay``: ``receipt``,
  ``category``, ``text``, ``status``, ``handling``, ``received_at``, ``received_on``, ``due_date``,
  ``deadline``, ``team``, ``answer``, ``answered_at``, ``delay_reason``, ``new_date``, ``name`` and
  ``contact`` (masked), ``consent``, ``overdue``, ``needs_reminder``, ``confidential``, ``notice``
  (``sent``/``queued``/``failed``/``""``), ``history`` [[what, who]];
- ``feedback remind``: ``alerts`` (items as above), ``new``, ``alert_sent``, ``notices_sent``,
  ``notices_failed``, ``notices_queued``;
- ``feedback purge``: ``purged``;
- ``feedback audit``: [{``at``, ``actor``, ``action``, ``subject``, ``data``}], newest first;
- ``survey summary``: [{``service``, ``counter``, ``answers``, ``resolved``, ``unresolved``,
  ``mean_rating``}].
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.config import Config
from kiosk.domain.errors import InvalidInput
from kiosk.i18n import tr

CATEGORIES = ("praise", "proposal", "suggestion", "complaint", "misconduct")
TEXT_PREVIEW = 40
"""Characters of a note's text shown per line in ``feedback list``."""


def add_parsers(sub: Any, g: argparse.ArgumentParser) -> None:
    fb = sub.add_parser("feedback", parents=[g], help="the customer voice box (S8-S13)").add_subparsers(
        dest="action", required=True
    )
    submit = fb.add_parser("submit", parents=[g], help="put a note in the box; prints the receipt and PIN")
    submit.add_argument("--category", required=True, choices=CATEGORIES)
    submit.add_argument("--text-file", required=True, metavar="FILE", help="the note, UTF-8 ('-': standard input)")
    submit.add_argument("--name", default=None)
    submit.add_argument("--contact", default=None, metavar="PHONE_OR_EMAIL", help="where the answer is sent")
    submit.add_argument("--consent", action="store_true", help="the visitor agreed to keep name and contact")
    status = fb.add_parser("status", parents=[g], help="a note's state, answer or delay (receipt + PIN)")
    status.add_argument("receipt")
    status.add_argument("--pin", required=True)

    def staff(name: str, help_text: str, *, required: bool = True) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = fb.add_parser(name, parents=[g], help=help_text)
        p.add_argument(
            "--as",
            dest="as_user",
            metavar="USER",
            required=required,
            default=None if required else "system",
            help="the staff member acting (checked against their role)",
        )
        return p

    listing = staff("list", "the notes USER may see, soonest deadline first")
    listing.add_argument("--all", action="store_true", help="answered notes too")
    staff("open", "one note, whole (the opening is audit-logged)").add_argument("receipt")
    classify = staff("classify", "simple (7 days) or review (14 days): sets the due date")
    classify.add_argument("receipt")
    classify.add_argument("handling", choices=("simple", "review"))
    assign = staff("assign", "hand a note to a team")
    assign.add_argument("receipt")
    assign.add_argument("team")
    answer = staff("answer", "close a note with a written answer")
    answer.add_argument("receipt")
    answer.add_argument("--text-file", required=True, metavar="FILE", help="the answer, UTF-8 ('-': standard input)")
    delay = staff("delay", "record why the answer is late and the new date")
    delay.add_argument("receipt")
    delay.add_argument("--reason", required=True)
    delay.add_argument("--until", required=True, metavar="YYYY-MM-DD")
    staff("remind", "the D-1 check (cron): alert staff, retry visitors' notices", required=False)
    staff("purge", "clear names and contacts kept past the retention period")
    staff("audit", "who opened or did what (newest first)").add_argument("receipt", nargs="?", default=None)

    survey = sub.add_parser("survey", parents=[g], help="satisfaction answers (S5, S15)").add_subparsers(
        dest="action", required=True
    )
    summary = survey.add_parser("summary", parents=[g], help="answers per service and counter")
    summary.add_argument("--since", default=None, metavar="YYYY-MM-DD", help="from this business day on")


def _emit(args: argparse.Namespace, payload: Any, text: str) -> None:
    print(json.dumps(payload, ensure_ascii=False, indent=2) if getattr(args, "json", False) else text)


def read_text(name: str) -> str:
    """The file ``name`` (``-``: standard input) as UTF-8; a clear ``InvalidInput`` otherwise."""
    shown = "-" if name == "-" else Path(name).name
    try:
        data = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except OSError as exc:
        raise InvalidInput(field="text_file", reason="text_file_unreadable", file=shown, detail=exc.strerror) from None
    try:
        # The file's last line ending is the file's, not the writer's: it is not kept.
        return data.decode("utf-8-sig").rstrip("\r\n")
    except UnicodeDecodeError as exc:
        raise InvalidInput(field="text_file", reason="text_file_encoding", file=shown, offset=exc.start) from None


def _date(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(field=field, value=text) from None


def run(args: argparse.Namespace, cfg: Config, lang: str) -> int:
    # Read (and check) the text before opening the store: a bad file changes nothing anywhere.
    text = read_text(args.text_file) if getattr(args, "text_file", None) is not None else None
    until = _date(args.until, "new_due") if args.command == "feedback" and args.action == "delay" else None
    since = _date(args.since, "since").isoformat() if getattr(args, "since", None) else None

    from kiosk.bootstrap import bootstrap

    app = bootstrap(cfg)
    try:
        if args.command == "survey":
            assert app.survey is not None
            rows = [r.to_json() for r in app.survey.summary(since)]
            _emit(args, rows, "\n".join(_survey_line(r, lang) for r in rows) or tr("feedback_cli.survey_none", lang))
            return 0
        fb = app.feedback
        assert fb is not None
        action = args.action
        if action == "submit":
            assert text is not None
            receipt = fb.submit(
                args.category, text, name=args.name, contact=args.contact, consent=args.consent, language=lang
            )
            _emit(args, receipt.to_json(), _receipt_text(receipt.to_json(), lang))
            return 0
        if action == "status":
            shown = fb.status(args.receipt, args.pin).to_json()
            _emit(args, shown, _status_text(shown, lang, cfg.tz))
            return 0
        user = fb.user(args.as_user)
        if action == "list":
            items = [i.to_json() for i in fb.inbox(user, include_answered=args.all)]
            _emit(args, items, "\n".join(_item_line(i, lang) for i in items) or tr("feedback_cli.empty", lang))
        elif action == "open":
            item = fb.open(user, args.receipt).to_json()
            _emit(args, item, _item_text(item, lang, cfg.tz))
        elif action in ("classify", "assign", "answer", "delay"):
            if action == "classify":
                view = fb.classify(user, args.receipt, args.handling)
            elif action == "assign":
                view = fb.assign(user, args.receipt, args.team)
            elif action == "answer":
                assert text is not None
                view = fb.answer(user, args.receipt, text)
            else:
                assert until is not None
                view = fb.delay(user, args.receipt, args.reason, until)
            item = view.to_json()
            _emit(args, item, _step_text(action, item, lang))
        elif action == "remind":
            result = fb.remind(user).to_json()
            _emit(args, result, _remind_text(result, lang))
        elif action == "purge":
            count = fb.purge(user)
            _emit(args, {"purged": count}, tr("feedback_cli.purged", lang, count=count))
        else:  # audit
            entries = [
                {
                    "at": at.isoformat(timespec="seconds"),
                    "actor": actor,
                    "action": what,
                    "subject": subject,
                    "data": data,
                }
                for at, actor, what, subject, data in fb.audit_log(user, args.receipt)
            ]
            lines = [_audit_line(e, cfg.tz) for e in entries]
            _emit(args, entries, "\n".join(lines) or tr("feedback_cli.audit_none", lang))
        return 0
    finally:
        app.close()


# -- readable summaries (without --json) ------------------------------------------------------------
def _label(kind: str, value: str | None, lang: str) -> str:
    return "-" if value is None else tr(f"feedback_cli.{kind}.{value}", lang)


def _receipt_text(r: dict[str, Any], lang: str) -> str:
    lines = [
        tr("feedback_cli.submitted", lang, receipt=r["receipt"], category=_label("category", r["category"], lang)),
        tr("feedback_cli.pin", lang, pin=r["pin"]),
    ]
    if r["due_date"] is None:
        lines.append(tr("feedback_cli.due_later", lang))
    else:
        lines.append(tr("feedback_cli.due", lang, date=r["due_date"]))
    lines.append(tr("feedback_cli.anonymous" if r["anonymous"] else "feedback_cli.contact_kept", lang))
    return "\n".join(lines)


def _status_text(s: dict[str, Any], lang: str, tz: ZoneInfo) -> str:
    lines = [tr("feedback_cli.status_line", lang, receipt=s["receipt"], status=_label("status", s["status"], lang))]
    if s["answer"]:
        lines.append(tr("feedback_cli.answer", lang, date=_local(s["answered_at"], tz)[:10]))
        lines.append(s["answer"])
    elif s["delay_reason"]:
        lines.append(tr("feedback_cli.delayed", lang, reason=s["delay_reason"], date=s["new_date"]))
    elif s["due_date"] is not None:
        lines.append(tr("feedback_cli.due", lang, date=s["due_date"]))
    else:
        lines.append(tr("feedback_cli.due_later", lang))
    return "\n".join(lines)


def _preview(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= TEXT_PREVIEW else flat[: TEXT_PREVIEW - 1] + "…"


def _item_line(i: dict[str, Any], lang: str) -> str:
    mark = "!" if i["overdue"] or i["needs_reminder"] else " "
    return "  ".join(
        (
            f"{mark} {i['receipt']:<16}",
            _label("category", i["category"], lang),
            _label("status", i["status"], lang),
            i["deadline"] or tr("feedback_cli.unclassified", lang),
            i["team"] or "-",
            _preview(i["text"]),
        )
    )


def _local(iso: str | None, tz: ZoneInfo) -> str:
    """An ISO time from a view as the facility's local time, to the minute (for people, not scripts)."""
    if not iso:
        return "-"
    return f"{datetime.fromisoformat(iso).astimezone(tz):%Y-%m-%d %H:%M}"


def _item_text(i: dict[str, Any], lang: str, tz: ZoneInfo) -> str:
    lines = [
        _item_line(i, lang).strip(),
        tr("feedback_cli.handling_line", lang, handling=_label("handling", i["handling"], lang), team=i["team"] or "-"),
        tr("feedback_cli.received", lang, at=_local(i["received_at"], tz)),
    ]
    if i["name"] or i["contact"]:
        lines.append(tr("feedback_cli.who", lang, name=i["name"] or "-", contact=i["contact"] or "-"))
    else:
        lines.append(tr("feedback_cli.who_anonymous", lang))
    lines += ["", i["text"], ""]
    if i["delay_reason"]:
        lines.append(tr("feedback_cli.delayed", lang, reason=i["delay_reason"], date=i["new_date"]))
    if i["answer"]:
        lines.append(tr("feedback_cli.answer", lang, date=_local(i["answered_at"], tz)[:10]))
        lines.append(i["answer"])
    lines += [f"- {what} ({who})" for what, who in i["history"]]
    return "\n".join(lines).rstrip()


def _step_text(action: str, i: dict[str, Any], lang: str) -> str:
    text = tr(
        f"feedback_cli.done_{action}",
        lang,
        receipt=i["receipt"],
        handling=_label("handling", i["handling"], lang),
        deadline=i["deadline"] or "-",
        team=i["team"] or "-",
        date=i["new_date"] or "-",
    )
    if i["notice"]:
        text += "\n" + tr(f"feedback_cli.notice_{i['notice']}", lang)
    return text


def _remind_text(r: dict[str, Any], lang: str) -> str:
    lines = [tr("feedback_cli.remind", lang, count=len(r["alerts"]), new=len(r["new"]))]
    lines += [_item_line(a, lang) for a in r["alerts"]]
    if r["alert_sent"]:
        lines.append(tr("feedback_cli.alert_sent", lang))
    if r["notices_sent"] or r["notices_failed"]:
        lines.append(tr("feedback_cli.notices", lang, sent=r["notices_sent"], failed=r["notices_failed"]))
    return "\n".join(lines)


def _audit_line(e: dict[str, Any], tz: ZoneInfo) -> str:
    data = json.dumps(e["data"], ensure_ascii=False) if e["data"] else ""
    return "  ".join(x for x in (_local(e["at"], tz), e["actor"], e["action"], e["subject"], data) if x)


def _survey_line(r: dict[str, Any], lang: str) -> str:
    mean = "-" if r["mean_rating"] is None else f"{r['mean_rating']:.2f}"
    counter = "-" if r["counter"] is None else str(r["counter"])
    return tr(
        "feedback_cli.survey_line",
        lang,
        service=r["service"],
        counter=counter,
        answers=r["answers"],
        resolved=r["resolved"],
        unresolved=r["unresolved"],
        mean=mean,
    )
