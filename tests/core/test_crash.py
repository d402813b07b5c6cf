"""A ticket that was shown to a visitor exists after the app is killed at any moment (kill -9)."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from kiosk.bootstrap import bootstrap
from kiosk.config import load_config

ISSUER = """
import sys
from kiosk.bootstrap import bootstrap
from kiosk.config import load_config
app = bootstrap(load_config(demo=True, data_dir=sys.argv[1], env={}))
i = 0
while True:
    t = app.queue.issue_ticket("ABC"[i % 3], "elderly" if i % 7 == 0 else None)
    print(t.id, t.number, flush=True)  # "shown to the visitor" only after issue_ticket returned
    i += 1
"""


def test_every_shown_ticket_survives_kill_9(tmp_path: Path) -> None:
    rng = random.Random(20261125)
    shown: dict[int, str] = {}
    for _round in range(5):
        proc = subprocess.Popen([sys.executable, "-c", ISSUER, str(tmp_path)], stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        first = proc.stdout.readline()  # started and issuing
        time.sleep(rng.uniform(0.05, 0.4))
        os.kill(proc.pid, signal.SIGKILL)
        rest = proc.stdout.read()
        proc.wait()
        for line in (first + rest).splitlines():
            ticket_id, number = line.split()
            shown[int(ticket_id)] = number
    assert len(shown) > 10

    db = sqlite3.connect(tmp_path / "demo.sqlite3")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = dict(db.execute("SELECT id, number FROM tickets").fetchall())
    duplicates = db.execute(
        "SELECT count(*) FROM (SELECT number FROM tickets GROUP BY business_day, number HAVING count(*) > 1)"
    )
    assert duplicates.fetchone()[0] == 0
    db.close()
    for ticket_id, number in shown.items():
        assert stored.get(ticket_id) == number

    app = bootstrap(load_config(demo=True, data_dir=tmp_path, env={}))
    try:
        highest = max(int(n.split("-")[1]) for n in stored.values() if n.startswith("A-"))
        assert app.queue.issue_ticket("A").number == f"A-{highest + 1:03d}"  # numbering goes on, no reuse
    finally:
        app.close()
