"""``kiosk staff ...``: staff PINs and accounts.

    kiosk staff hash-pin [--pin-file FILE|-]   the argon2id hash for ``[[staff]] pin_hash``
    kiosk staff list [--json]                  who may sign in, whether they have a PIN, locks
    kiosk staff unlock USER --as ADMIN         clear a locked account (audit-logged)

``hash-pin`` asks for the PIN twice (hidden) on a terminal, reads it twice (two lines) from a
pipe, or once from ``--pin-file`` (``-``: standard input; the first line). It prints the hash and
nothing else; the PIN is never echoed, stored or logged. A shell on the machine is trusted (like
``--as USER`` of ``kiosk feedback`` and ``kiosk report``); the PIN guards the screens.

``--json`` fields (a contract, add never rename):
- ``staff hash-pin``: ``pin_hash``;
- ``staff list`` (a list) and ``staff unlock``: ``id``, ``role``, ``name``, ``team``, ``has_pin``,
  ``locked_until`` (ISO time or ``null``), ``failures`` (wrong PINs in a row on this node).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.config import Config
from kiosk.domain.errors import InvalidInput
from kiosk.i18n import tr


def add_parsers(sub: Any, g: argparse.ArgumentParser) -> None:
    st = sub.add_parser("staff", parents=[g], help="staff PINs and accounts").add_subparsers(
        dest="action", required=True
    )
    hp = st.add_parser("hash-pin", parents=[g], help="print the argon2id hash of a PIN for [[staff]] pin_hash")
    hp.add_argument(
        "--pin-file", default=None, metavar="FILE", help="read the PIN from FILE's first line ('-': standard input)"
    )
    st.add_parser("list", parents=[g], help="staff accounts: role, PIN set, locked until")
    unlock = st.add_parser("unlock", parents=[g], help="clear a locked account (administrators)")
    unlock.add_argument("user")
    unlock.add_argument("--as", dest="as_user", required=True, metavar="ADMIN", help="an administrator")


def _line(data: str) -> str:
    """One line as typed: the line ending goes, nothing else (a space would be refused, not dropped)."""
    return data.split("\n", 1)[0].removesuffix("\r")


def read_pin(pin_file: str | None, lang: str) -> str:
    """The PIN to hash: from ``pin_file``, else twice from the terminal or a pipe (both must match)."""
    if pin_file is not None:
        if pin_file == "-":
            return _line(sys.stdin.read())
        try:
            return _line(Path(pin_file).read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError) as exc:
            detail = getattr(exc, "strerror", None) or type(exc).__name__
            raise InvalidInput(
                field="pin_file", reason="text_file_unreadable", file=Path(pin_file).name, detail=detail
            ) from None
    if sys.stdin.isatty():
        first = getpass.getpass(tr("staff_cli.prompt", lang))
        second = getpass.getpass(tr("staff_cli.prompt_again", lang))
    else:
        lines = sys.stdin.read().split("\n")
        if len(lines) < 2:
            raise InvalidInput(field="staff_pin", reason="staff_pin_twice")
        first, second = _line(lines[0]), _line(lines[1])
    if first != second:
        raise InvalidInput(field="staff_pin", reason="staff_pin_mismatch")
    return first


def run(args: argparse.Namespace, cfg: Config, lang: str) -> int:
    json_out = getattr(args, "json", False)
    if args.action == "hash-pin":
        from kiosk.services.auth import hash_secret

        pin_hash = hash_secret(read_pin(args.pin_file, lang))
        print(json.dumps({"pin_hash": pin_hash}) if json_out else pin_hash)
        return 0

    from kiosk.bootstrap import bootstrap

    app = bootstrap(cfg)
    try:
        auth = app.auth
        assert auth is not None
        if args.action == "list":
            rows = [a.to_json() for a in auth.accounts()]
            if json_out:
                print(json.dumps(rows, ensure_ascii=False, indent=2))
            else:
                print("\n".join(_account_line(r, lang, cfg.tz) for r in rows) or tr("staff_cli.none", lang))
            return 0
        view = auth.unlock(auth.user(args.as_user), args.user).to_json()
        if json_out:
            print(json.dumps(view, ensure_ascii=False, indent=2))
        else:
            print(tr("staff_cli.unlocked", lang, user=view["id"]))
        return 0
    finally:
        app.close()


def _account_line(row: dict[str, Any], lang: str, tz: ZoneInfo) -> str:
    from datetime import datetime

    role = tr(f"console.inbox.role.{row['role']}", lang)
    pin = tr("staff_cli.pin_set" if row["has_pin"] else "staff_cli.pin_missing", lang)
    parts = [row["id"], row["name"] or "-", role, row["team"] or "-", pin]
    if row["locked_until"]:
        until = datetime.fromisoformat(row["locked_until"]).astimezone(tz)
        parts.append(tr("staff_cli.locked", lang, until=until.strftime("%Y-%m-%d %H:%M")))
    elif row["failures"]:
        parts.append(tr("staff_cli.failures", lang, count=row["failures"]))
    return "  ".join(parts)
