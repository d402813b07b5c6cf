"""The audit trail (issue 9): staff actions are attributable — calls, transfers, notes opened and
answered, reports exported, configuration changes — and only admins and the audit team read it;
misconduct handling stays with the audit team; reading the trail is itself recorded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.bootstrap import App, bootstrap
from kiosk.config import Config, load_config
from kiosk.domain.errors import Forbidden
from kiosk.domain.staff import Role, StaffUser
from tests.conftest import Clock


def trail(app: App, who: str, **kw: object) -> list[tuple[str, str, str]]:
    assert app.audit is not None and app.feedback is not None
    entries = app.audit.trail(app.feedback.user(who), **kw)  # type: ignore[arg-type]
    return [(e.actor, e.action, e.subject) for e in entries]


def test_calls_transfers_notes_and_reports_are_in_the_trail(app: App, clock: Clock) -> None:
    q, fb = app.queue, app.feedback
    assert fb is not None and app.reports is not None
    ticket = q.issue_ticket("A")
    q.transfer(ticket.id, "B", actor="counter:1")
    called = q.call_next(2, actor="counter:2")
    assert called is not None
    note = fb.submit("complaint", "안내가 부족했습니다.")
    fb.open(fb.user("lee"), note.receipt)
    fb.answer(fb.user("lee"), note.receipt, "안내문을 보강했습니다.")
    clock.advance(minutes=1)
    app.reports.report(fb.user("choi"), clock().date(), clock().date(), export="csv")
    got = trail(app, "jung")
    assert ("counter:1", "ticket.transferred", ticket.number) in got
    assert ("counter:2", "ticket.called", ticket.number) in got
    assert ("lee", "feedback.open", note.receipt) in got and ("lee", "feedback.answered", note.receipt) in got
    assert ("choi", "report.run", "") in got
    assert ("demo", "counter.opened", "1") in got  # the demo opened its counters
    assert got.index(("choi", "report.run", "")) < got.index(("counter:2", "ticket.called", ticket.number))
    # Filters: one actor, one kind of action; and the reading itself was recorded.
    assert {a for a, _, _ in trail(app, "choi", actor="lee")} == {"lee"}
    assert {w for _, w, _ in trail(app, "choi", action="ticket.")} == {"ticket.called", "ticket.transferred"}
    assert ("jung", "audit.read", "") in trail(app, "choi", action="audit.")


def test_only_admins_and_the_audit_team_read_it_and_misconduct_stays_with_audit(app: App) -> None:
    fb = app.feedback
    assert fb is not None and app.audit is not None
    report = fb.submit("misconduct", "채용 과정에 부정이 있었습니다.")
    fb.open(fb.user("jung"), report.receipt)
    for who in ("kim", "lee"):
        with pytest.raises(Forbidden):
            app.audit.trail(fb.user(who))
    assert ("jung", "feedback.open", report.receipt) in trail(app, "jung")
    assert all(subject != report.receipt for _, _, subject in trail(app, "choi"))


def test_a_configuration_change_is_recorded_once_per_change(demo_config: Config, tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text("[kiosk]\nidle_seconds = 60\n", encoding="utf-8")
    config = replace(demo_config, source=path)
    changes = []
    for text in ("[kiosk]\nidle_seconds = 60\n", "[kiosk]\nidle_seconds = 60\n", "[kiosk]\nidle_seconds = 90\n"):
        path.write_text(text, encoding="utf-8")
        app = bootstrap(config, clock=clock)
        try:
            changes.append(len(trail(app, "jung", action="config.changed")))
        finally:
            app.close()
    assert changes == [1, 1, 2]  # the first start, then only the edit


def test_kiosk_audit_exports_json_and_csv_and_refuses_a_clerk(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}

    def kiosk(*args: str) -> subprocess.CompletedProcess[bytes]:
        cmd = [sys.executable, "-m", "kiosk", "--demo", "--data-dir", str(tmp_path), *args]
        return subprocess.run(cmd, capture_output=True, env=env, timeout=60)

    assert kiosk("ticket", "issue", "--service", "A").returncode == 0
    assert kiosk("ticket", "call", "--counter", "3").returncode == 0
    out = kiosk("audit", "--as", "choi", "--format", "json", "--action", "ticket.")
    entries = json.loads(out.stdout)
    assert [set(e) for e in entries] == [{"at", "actor", "action", "subject", "data"}]
    assert entries[0]["action"] == "ticket.called" and entries[0]["data"]["counter"] == 3
    target = tmp_path / "trail.csv"
    assert kiosk("audit", "--as", "jung", "--format", "csv", "-o", str(target)).returncode == 0
    rows = target.read_text(encoding="utf-8-sig").splitlines()
    assert rows[0] == "at,actor,action,subject,data" and any(",ticket.called,A-001," in r for r in rows)
    refused = kiosk("--lang", "ko", "audit", "--as", "kim")
    assert refused.returncode == 9 and "권한" in refused.stderr.decode() and refused.stdout == b""
    log = json.loads(kiosk("audit", "--as", "jung", "--format", "json", "--action", "audit.").stdout)
    assert [(e["actor"], e["data"]["export"]) for e in reversed(log)][:2] == [("choi", "json"), ("jung", "csv")]


def test_a_staff_user_outside_the_configuration_is_unknown(app: App) -> None:
    assert app.audit is not None
    with pytest.raises(Forbidden):
        app.audit.trail(StaffUser("someone", Role.COUNTER))


@pytest.mark.parametrize("database", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_the_audit_log_cannot_be_changed_or_emptied(
    database: str, tmp_path: Path, request: pytest.FixtureRequest, clock: Clock
) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    config = load_config(demo=True, data_dir=tmp_path, env={})
    if database == "postgresql":
        config = replace(config, database_url=request.getfixturevalue("postgres_url"))
    app = bootstrap(config, clock=clock)
    try:
        assert app.feedback is not None
        note = app.feedback.submit("complaint", "대기실이 춥습니다.")
        app.feedback.open(app.feedback.user("lee"), note.receipt)
        tampering = ["UPDATE audit_log SET actor = 'nobody'", "DELETE FROM audit_log"]
        if database == "postgresql":
            tampering.append("TRUNCATE audit_log")
        for statement in tampering:
            with pytest.raises(DBAPIError, match="append-only"), app.engine.begin() as conn:
                conn.execute(text(statement))
        assert ("lee", "feedback.open", note.receipt) in trail(app, "jung")
    finally:
        app.close()
