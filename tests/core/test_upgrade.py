"""A kiosk upgraded to a new version keeps its data: the store is migrated on start after a backup
copy, from the first released schema on; a migration that fails puts the old data back and the
start is refused with the reason and the backup's name (issue 10)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kiosk.bootstrap import bootstrap
from kiosk.config import Config, load_config
from kiosk.domain.errors import StoreUnavailable
from kiosk.i18n import error_message, tr
from kiosk.store import migrate
from kiosk.store.engine import make_engine
from kiosk.store.upgrade import KEEP, backups
from tests.cli_run import run

FIRST_RELEASE = "0001"


def old_store(config: Config, revision: str) -> Path:
    """A store made by the version of the program at ``revision``, with a visitor waiting."""
    config.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(config.db_url)
    migrate.upgrade(engine, revision)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO services (code, name_ko, name_en, help_ko, help_en, icon, location_ko,"
            " location_en, sort_order, active) VALUES ('A', '인허가', 'Permits', '', '', 'general', '', '', 0, 1)"
        )
        conn.exec_driver_sql(
            "INSERT INTO tickets (number, seq, service_code, priority_rank, status, business_day,"
            " issued_at, queued_at, recall_count, no_show_count) VALUES ('A-007', 7, 'A', 0, 'waiting',"
            " '2026-11-27', '2026-11-27 01:00:00.000000', '2026-11-27 01:00:00.000000', 0, 0)"
        )
    engine.dispose()
    return config.data_dir / "demo.sqlite3"


def look(path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_a_store_from_the_first_release_is_upgraded_after_a_backup_copy(tmp_path: Path) -> None:
    config = load_config(demo=True, data_dir=tmp_path, env={})
    store = old_store(config, FIRST_RELEASE)
    bootstrap(config, sync_on_start=False).close()
    # The ticket from before the upgrade is there (expired overnight, as any day-old ticket is).
    assert look(store, "SELECT number, service_code FROM tickets") == [("A-007", "A")]
    assert look(store, "SELECT version_num FROM alembic_version") == [(migrate.head_revision(),)]
    assert look(store, "SELECT facility FROM tickets WHERE number = 'A-007'") == [("hanbit",)]
    [backup] = backups(store)
    assert backup.name.startswith(f"demo.sqlite3.r{FIRST_RELEASE}-")
    assert look(backup, "SELECT version_num FROM alembic_version") == [(FIRST_RELEASE,)]
    assert look(backup, "SELECT number FROM tickets") == [("A-007",)]
    # An up-to-date store starts without another copy.
    bootstrap(config, sync_on_start=False).close()
    assert backups(store) == [backup]


def test_a_failed_upgrade_puts_the_old_data_back_and_says_so(tmp_path: Path) -> None:
    config = load_config(demo=True, data_dir=tmp_path, env={})
    store = old_store(config, "0004")
    # A table the next version creates is already there (made by hand, say): its migration fails.
    with sqlite3.connect(store) as conn:
        conn.execute("CREATE TABLE feedback (note TEXT)")
        conn.execute("INSERT INTO feedback VALUES ('손으로 만든 표')")
    with pytest.raises(StoreUnavailable) as caught:
        bootstrap(config, sync_on_start=False)
    assert look(store, "SELECT version_num FROM alembic_version") == [("0004",)]
    assert look(store, "SELECT number FROM tickets") == [("A-007",)]
    assert look(store, "SELECT note FROM feedback") == [("손으로 만든 표",)]
    assert look(store, "PRAGMA integrity_check") == [("ok",)]
    [backup] = backups(store)
    params = caught.value.params
    assert params["problem"] == "upgrade_failed" and params["kept"] == str(backup) and params["revision"] == "0004"
    words = tr("health.upgrade_failed", "ko", **params)
    assert str(backup) in words and "잃은 기록은 없습니다" in words
    assert error_message(caught.value, "en")
    # From the command line: exit 7 and the same sentence, the data untouched.
    out = run(tmp_path, "--lang", "ko", "queue")
    assert out.returncode == 7 and "올리지 못해" in out.stderr.decode() and "Traceback" not in out.stderr.decode()
    assert look(store, "SELECT version_num FROM alembic_version") == [("0004",)]


def test_only_the_last_backups_are_kept(tmp_path: Path) -> None:
    config = load_config(demo=True, data_dir=tmp_path, env={})
    store = old_store(config, FIRST_RELEASE)
    for n in range(KEEP + 1):  # earlier upgrades' copies
        (tmp_path / f"demo.sqlite3.r000{n}-2026010{n}-000000.bak").write_bytes(b"old")
    bootstrap(config, sync_on_start=False).close()
    kept = backups(store)
    assert len(kept) == KEEP and kept[-1].name.startswith(f"demo.sqlite3.r{FIRST_RELEASE}-2026")
