"""The previous data, read-only, after a failed upgrade (issue 10): what visitors and staff can
still do with it, what is refused, and what is kept for later (``kiosk.store.readonly``).

The store here is made by this version and then told it is one revision behind: the last
migration then finds its own triggers already there and fails, as a half-finished upgrade would.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.bootstrap import App, bootstrap
from kiosk.config import Config, load_config
from kiosk.domain.errors import FeedbackNotFound, StoreReadOnly, TooManyTries
from kiosk.store import migrate
from kiosk.store.readonly import replay_spool, spool_path
from kiosk.store.uow import SqlUnitOfWorkFactory
from kiosk.store.upgrade import KEEP, backups
from tests.cli_run import run
from tests.core.test_upgrade import dump, failing_store, look
from tests.smtp_server import Mailbox, run_mailbox

VISITOR = "minseo.kim@example.kr"


def behind(store: Path) -> None:
    """Tell the store it is one revision behind: the next start's upgrade fails."""
    head = migrate.head_revision()
    assert head is not None
    with sqlite3.connect(store) as conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (f"{int(head) - 1:04d}",))
    conn.close()


def caught_up(store: Path) -> None:
    """The administrator's fix: the store is at the head revision again."""
    with sqlite3.connect(store) as conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (migrate.head_revision(),))
    conn.close()


def read_only_app(config: Config) -> tuple[Path, App]:
    """A store made by this version, one revision behind, opened (read-only) by this version."""
    bootstrap(config).close()
    store = config.data_dir / "demo.sqlite3"
    behind(store)
    app = bootstrap(config)
    assert app.read_only is not None and app.auth is not None
    return store, app


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    yield from run_mailbox()


def test_notes_can_be_looked_up_but_not_guessed_answered_or_sent_again(tmp_path: Path, mailbox: Mailbox) -> None:
    # An answered note whose notice could not go out yet (the mail server was down): pending.
    down = load_config(demo=True, data_dir=tmp_path, env={})
    down = replace(down, notify={"smtp_host": "127.0.0.1", "smtp_port": 1, "smtp_sender": "voc@hanbit.example"})
    app = bootstrap(down)
    fb, auth = app.feedback, app.auth
    assert fb is not None and auth is not None
    receipt = fb.submit("complaint", "주차장 조명이 어둡습니다", name="김민서", contact=VISITOR, consent=True)
    lee = auth.user("lee")
    fb.classify(lee, receipt.receipt, "simple")
    fb.assign(lee, receipt.receipt, "민원팀")
    fb.answer(lee, receipt.receipt, "조명을 교체했습니다.")
    waiting = fb.submit("suggestion", "안내판을 크게 해 주세요")
    app.close()
    store = tmp_path / "demo.sqlite3"
    assert look(store, f"SELECT notice_pending != '' FROM feedback WHERE receipt = '{receipt.receipt}'") == [(1,)]
    behind(store)
    before = dump(store)

    up = replace(down, notify={**down.notify, "smtp_port": mailbox.port})
    app = bootstrap(up)
    try:
        fb, auth = app.feedback, app.auth
        assert app.read_only is not None and fb is not None and auth is not None
        # The visitor reads the answer with receipt and PIN.
        assert fb.status(receipt.receipt, receipt.pin).answer == "조명을 교체했습니다."
        # Wrong PINs still lock the receipt (counted in memory), and the right one then waits too.
        wrong = "000000" if receipt.pin != "000000" else "111111"
        for _ in range(fb.settings.max_pin_failures):
            with pytest.raises(FeedbackNotFound):
                fb.status(receipt.receipt, wrong)
        with pytest.raises(TooManyTries):
            fb.status(receipt.receipt, receipt.pin)
        # Staff cannot change a note; the nightly reminder sends nothing it could not mark sent.
        with pytest.raises(StoreReadOnly):
            fb.classify(auth.user("lee"), waiting.receipt, "simple")
        with pytest.raises(StoreReadOnly):  # and a visitor's new note cannot be taken
            fb.submit("praise", "친절했습니다")
        for _ in range(2):
            fb.remind()
        assert mailbox.received == []
    finally:
        app.close()
    assert dump(store) == before

    caught_up(store)  # the next good start sends the notice, once
    app = bootstrap(up)
    try:
        assert app.read_only is None and app.feedback is not None
        app.feedback.remind()
        assert [e.rcpt_tos for e in mailbox.received] == [[VISITOR]]
    finally:
        app.close()


def test_repeated_failed_starts_keep_the_copy_of_an_earlier_upgrade(tmp_path: Path) -> None:
    config = load_config(demo=True, data_dir=tmp_path, env={})
    store = failing_store(config)
    earlier = tmp_path / "demo.sqlite3.r0002-20260101-000000.bak"  # an earlier, successful upgrade's
    shutil.copy(store, earlier)
    os.utime(earlier, (1_700_000_000, 1_700_000_000))
    made = []
    for n in range(KEEP + 1):  # copies that earlier failed starts (restarts, cron) made
        failed = tmp_path / f"demo.sqlite3.r0004-2025110{n}-000000.bak"
        shutil.copy(store, failed)
        os.utime(failed, (1_700_000_100 + n, 1_700_000_100 + n))
        made.append(failed)
    bootstrap(config, sync_on_start=False).close()  # and one more now
    kept = backups(store)
    assert kept[0] == earlier and len(kept) == KEEP + 1
    assert kept[1:-1] == made[-(KEEP - 1) :] and kept[-1] not in made  # the newest failed copies


def test_old_rows_read_with_this_facility_and_a_table_the_models_cannot_read_reads_empty(tmp_path: Path) -> None:
    config = load_config(demo=True, data_dir=tmp_path, env={})
    failing_store(config)  # 0004: no facility column yet; a hand-made `feedback` without a receipt
    app = bootstrap(config, sync_on_start=False)
    try:
        assert app.read_only is not None and app.feedback is not None and app.auth is not None
        with app.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT number, facility FROM tickets").all() == [("A-007", "hanbit")]
        assert app.feedback.inbox(app.auth.user("lee"), include_answered=True) == []
    finally:
        app.close()


def test_the_audit_spool_is_private_and_written_once_however_often_it_is_replayed(tmp_path: Path) -> None:
    config = load_config(demo=True, data_dir=tmp_path, env={})
    store, app = read_only_app(config)
    try:
        assert app.auth is not None
        app.auth.login("jung", "5555")
        app.auth.login("lee", "2222")
    finally:
        app.close()
    spool = spool_path(store)
    assert stat.S_IMODE(spool.stat().st_mode) == 0o600
    copy = spool.read_bytes()
    caught_up(store)
    logins = "SELECT actor FROM audit_log WHERE action = 'staff.login' ORDER BY id"
    app = bootstrap(config)  # replays the spool
    app.close()
    assert look(store, logins) == [("jung",), ("lee",)] and not spool.exists()
    # A crash after the commit left the claimed file behind; and the same entries reappear.
    spool.with_name(spool.name + ".replaying-1-dead").write_bytes(copy)
    spool.write_bytes(copy)
    written = replay_spool(store, SqlUnitOfWorkFactory(app.engine))
    assert written == 0 and look(store, logins) == [("jung",), ("lee",)]
    assert not list(tmp_path.glob("*.audit-spool.jsonl*"))


def test_a_node_replays_the_spool_into_its_outbox_for_the_centre(tmp_path: Path) -> None:
    config = load_config(demo=True, data_dir=tmp_path, env={})
    store, app = read_only_app(config)
    assert app.auth is not None
    app.auth.login("jung", "5555")
    app.close()
    caught_up(store)
    node: Config = replace(config, central_url="postgresql://127.0.0.1:1/none")
    bootstrap(node, sync_on_start=False).close()  # the centre is away: the node starts offline
    outbox = look(store, "SELECT payload FROM outbox")
    assert any('"staff.login"' in str(p) and '"jung"' in str(p) for (p,) in outbox)


def test_the_command_line_refuses_sync_and_retries_the_upgrade_with_its_copy(tmp_path: Path) -> None:
    config = load_config(demo=True, data_dir=tmp_path, env={})
    store = failing_store(config)
    sync = run(tmp_path, "--lang", "en", "sync", "status", env={"KIOSK_CENTRAL_URL": "postgresql://127.0.0.1:1/x"})
    err = sync.stderr.decode()
    assert sync.returncode == 7 and "cannot save anything" in err and "Traceback" not in err
    retry = run(tmp_path, "--lang", "ko", "db", "upgrade")
    err = retry.stderr.decode()
    assert retry.returncode == 7 and "올리지 못해" in err and "Traceback" not in err
    assert look(store, "SELECT version_num FROM alembic_version") == [("0004",)]
