"""Store faults on start and in use (issue 9): a damaged SQLite file is kept aside byte for byte and a
fresh store serves visitors; a read-only or full store refuses clearly (staff are told why, exit 7)
and loses nothing; a disk that fills during a ticket issue gives the visitor the "cannot save" message
and leaves no half-written ticket.

Every fault is real: garbage and damaged pages in the file, permissions enforced by the kernel (as
root, the process runs without CAP_DAC_OVERRIDE, so the mode bits bind it like any user), and a
file-size limit (RLIMIT_FSIZE) that makes the kernel refuse writes the way a full disk does.
"""

from __future__ import annotations

import os
import resource
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.bootstrap import bootstrap
from kiosk.config import load_config
from kiosk.i18n import tr
from kiosk.store.health import recoveries

KO_READ_ONLY = tr("health.read_only", "ko", path="", reason="").split("(")[0].strip()
KO_DISK_FULL = tr("health.disk_full", "ko", path="", reason="").split("(")[0].strip()


def kiosk_cli(
    data_dir: Path, *args: str, limited: bool = False, fsize: int | None = None
) -> subprocess.CompletedProcess[str]:
    """``kiosk --demo --data-dir DIR ...`` as a process; ``limited``: bound by file permissions even
    as root; ``fsize``: the kernel refuses to grow any file past this many bytes."""
    command = [sys.executable, "-m", "kiosk", "--demo", "--data-dir", str(data_dir), "--lang", "ko", *args]
    if limited and os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.fail("running as root: setpriv (util-linux) is needed to drop CAP_DAC_OVERRIDE")
        caps = "-dac_override,-dac_read_search,-fowner"
        command = [setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}", *command]

    def limit() -> None:
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    return subprocess.run(command, capture_output=True, text=True, preexec_fn=limit, timeout=60)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Path]:
    """A demo store with three tickets; its folder's permissions are given back after the test."""
    data_dir = tmp_path / "data"
    app = bootstrap(load_config(demo=True, data_dir=data_dir, env={}))
    for service in "ABC":
        app.queue.issue_ticket(service)
    app.close()
    yield data_dir
    data_dir.chmod(0o755)
    for f in data_dir.iterdir():
        f.chmod(0o644)


def tickets(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT number FROM tickets ORDER BY id")]
    finally:
        conn.close()


def test_a_garbage_store_is_kept_aside_byte_for_byte_and_a_fresh_one_serves(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    garbage = bytes(range(256)) * 64 + b"not a database"
    (data_dir / "demo.sqlite3").write_bytes(garbage)
    (data_dir / "demo.sqlite3-wal").write_bytes(b"\x01" * 1000)

    done = kiosk_cli(data_dir, "ticket", "issue", "--service", "A")

    assert done.returncode == 0, done.stderr
    assert "A-001" in done.stdout  # the visitor got a ticket from the fresh store
    kept = sorted(data_dir.glob("demo.sqlite3.corrupt-*"))
    assert [k.name for k in kept if not k.name.endswith("-wal")] == [kept[0].name]
    assert kept[0].read_bytes() == garbage  # never overwritten, never deleted
    assert (data_dir / f"{kept[0].name}-wal").read_bytes() == b"\x01" * 1000  # its journal went with it
    assert kept[0].name in done.stderr and "손상" in done.stderr  # staff are told which file was kept
    assert tickets(data_dir / "demo.sqlite3") == ["A-001"]


def test_a_store_damaged_inside_is_kept_aside_and_staff_are_told(store: Path) -> None:
    db = store / "demo.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'tickets'").fetchone()[0]
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with db.open("r+b") as fh:  # a power cut on failing hardware: the tickets table's page scrambled
        fh.seek((root - 1) * page)
        fh.write(b"\xa5" * page)
    damaged = db.read_bytes()

    app = bootstrap(load_config(demo=True, data_dir=store, env={}))
    try:
        assert app.queue.issue_ticket("A").number == "A-001"  # a fresh store, serving at once
    finally:
        app.close()
    notice = recoveries()[-1]
    assert notice.path == db and notice.kept.parent == store
    assert notice.kept.read_bytes() == damaged
    message = tr("health.recovered", "ko", kept=notice.kept, reason=notice.reason)
    assert str(notice.kept) in message


@pytest.mark.parametrize("what", ["folder", "file"])
def test_a_read_only_store_refuses_clearly_and_loses_nothing(store: Path, what: str) -> None:
    db = store / "demo.sqlite3"
    before = tickets(db)
    if what == "folder":  # the file could be written, but not its journal beside it
        store.chmod(0o555)
    else:
        db.chmod(0o444)
    content = db.read_bytes()

    done = kiosk_cli(store, "ticket", "issue", "--service", "A", limited=True)

    assert done.returncode == 7  # the store-unavailable exit code
    assert KO_READ_ONLY in done.stderr and str(store) in done.stderr  # why, and where
    assert "Traceback" not in done.stderr
    assert db.read_bytes() == content  # nothing written, nothing lost
    store.chmod(0o755)
    db.chmod(0o644)
    assert tickets(db) == before


def test_a_full_disk_on_start_refuses_clearly(store: Path) -> None:
    done = kiosk_cli(store, "ticket", "issue", "--service", "A", fsize=16 * 1024)

    assert done.returncode == 7
    assert KO_DISK_FULL in done.stderr and "Traceback" not in done.stderr
    assert tickets(store / "demo.sqlite3") == ["A-001", "B-001", "C-001"]


ISSUER = """
import os, resource, sys
from kiosk.bootstrap import bootstrap
from kiosk.config import load_config
from kiosk.domain.errors import StoreUnavailable
from kiosk.i18n import error_message
app = bootstrap(load_config(demo=True, data_dir=sys.argv[1], env={}))
files = [f for f in os.listdir(sys.argv[1]) if f.startswith("demo.sqlite3")]
biggest = max(os.path.getsize(os.path.join(sys.argv[1], f)) for f in files)
limit = biggest + 48 * 1024  # the disk fills a few tickets from now
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
for attempt in range(10_000):
    try:
        t = app.queue.issue_ticket("A")
    except StoreUnavailable as exc:
        print("refused", error_message(exc, "ko"), flush=True)
        if attempt > 0 and "refused" in sys.argv[2:]:
            break
        sys.argv.append("refused")  # and once more: still refused, still nothing half-written
        continue
    print("ticket", t.number, flush=True)
"""


def test_a_disk_filling_during_an_issue_tells_the_visitor_and_leaves_no_half_ticket(store: Path) -> None:
    done = subprocess.run([sys.executable, "-c", ISSUER, str(store)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    shown = [line.split()[1] for line in lines if line.startswith("ticket ")]
    refusals = [line for line in lines if line.startswith("refused ")]
    assert shown and len(refusals) == 2
    assert all(tr("error.store_unavailable", "ko") in r for r in refusals)

    db = store / "demo.sqlite3"
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        events = conn.execute("SELECT count(*) FROM events WHERE kind = 'ticket.issued'").fetchone()[0]
    finally:
        conn.close()
    assert tickets(db) == ["A-001", "B-001", "C-001", *shown]  # every ticket shown, and no other
    assert events == 3 + len(shown)
    app = bootstrap(load_config(demo=True, data_dir=store, env={}))  # space again: numbering goes on
    try:
        assert app.queue.issue_ticket("A").number == f"A-{len(shown) + 2:03d}"
    finally:
        app.close()


KIOSK_WITH_A_READ_ONLY_STORE = """
import sys
from dataclasses import replace
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from kiosk.bootstrap import bootstrap
from kiosk.config import load_config
from kiosk.domain.errors import StoreUnavailable
from kiosk.ui.app import run_gui

store, db = sys.argv[1], sys.argv[2]
config = replace(load_config(demo=True, data_dir=store, env={}), database_url=f"sqlite:///{db}?mode=ro")
looks = [0]

def look():  # once the kiosk shows its banner, print it and close (bounded)
    looks[0] += 1
    kiosks = [w for w in QApplication.topLevelWidgets() if w.objectName() == "kiosk"]
    banner = getattr(kiosks[0], "banner", None) if kiosks else None
    if banner is not None and banner.isVisible():
        print("BANNER", banner.text(), flush=True)
    elif looks[0] <= 1000:
        QTimer.singleShot(10, look)
        return
    for w in kiosks:
        w.close()
    QApplication.quit()

QTimer.singleShot(0, look)
try:
    run_gui(lambda ctx: bootstrap(config).queue, config, role="kiosk", windowed=True)
except StoreUnavailable:
    print("REFUSED", flush=True)
"""


@pytest.mark.gui
def test_the_kiosk_screen_tells_staff_why_it_did_not_start(store: Path) -> None:
    """Unattended, the kiosk stays up with the reason on screen instead of leaving a bare desktop.
    (Its own process: a whole application run, event loop and all.)"""
    db = store / "demo.sqlite3"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", KIOSK_WITH_A_READ_ONLY_STORE, str(store), str(db)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    lines = out.stdout.splitlines()
    banner = next((line for line in lines if line.startswith("BANNER ")), "")
    assert KO_READ_ONLY in banner and str(db) in banner, out.stderr[-800:]
    assert lines[-1] == "REFUSED"  # quitting still ends with the store-unavailable fault
