"""A receipt shown to a visitor is never lost: the kiosk killed at any moment (kill -9) keeps every
note it acknowledged, readable with its receipt and PIN after the restart (S8)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from kiosk.bootstrap import bootstrap
from kiosk.config import load_config

SUBMITTER = """
import sys
from kiosk.bootstrap import bootstrap
from kiosk.config import load_config
app = bootstrap(load_config(demo=True, data_dir=sys.argv[1], env={}))
i = 0
while True:
    r = app.feedback.submit("complaint", f"대기실이 춥습니다 #{i}", contact="010-3456-7890", consent=True)
    print(r.receipt, r.pin, i, flush=True)  # "shown to the visitor" only after submit returned
    i += 1
"""


def test_every_receipt_shown_survives_kill_9(tmp_path: Path) -> None:
    rng = random.Random(20261130)
    shown: dict[str, tuple[str, int]] = {}
    for _round in range(4):
        proc = subprocess.Popen([sys.executable, "-c", SUBMITTER, str(tmp_path)], stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        first = proc.stdout.readline()
        time.sleep(rng.uniform(0.05, 0.3))
        os.kill(proc.pid, signal.SIGKILL)
        rest = proc.stdout.read()
        proc.wait()
        for line in (first + rest).splitlines():
            receipt, pin, i = line.split()
            shown[receipt] = (pin, int(i))
    assert len(shown) > 8

    app = bootstrap(load_config(demo=True, data_dir=tmp_path, env={}))
    try:
        assert app.feedback is not None
        for receipt, (pin, _i) in shown.items():
            assert app.feedback.status(receipt, pin).status == "received"
        texts = {i.receipt: i.text for i in app.feedback.inbox(app.feedback.user("choi"))}
        for receipt, (_pin, i) in shown.items():
            assert texts[receipt] == f"대기실이 춥습니다 #{i}"
    finally:
        app.close()
