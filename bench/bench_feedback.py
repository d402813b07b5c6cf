"""The voice box's everyday costs on the embedded SQLite store (no target in the issue; kept for regressions).

    .venv/bin/python bench/bench_feedback.py [rounds]

- submit: a note with a sealed contact, committed (``synchronous=FULL``): what the visitor waits for
  between "보내기" and the receipt;
- status: receipt + PIN checked and the answer read;
- inbox: a team lead's list with 1,000 open notes (the console's inbox page refresh).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time

from kiosk.bootstrap import bootstrap
from kiosk.config import load_config


def _row(name: str, samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    p95 = ms[int(len(ms) * 0.95) - 1]
    return f"| {name} | {len(ms)} | {statistics.median(ms):.2f} | {p95:.2f} |"


def main(rounds: int = 300) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = bootstrap(load_config(demo=True, data_dir=tmp, env={}))
        fb = app.feedback
        assert fb is not None
        submit, status, inbox = [], [], []
        receipts = []
        for i in range(rounds):
            t = time.perf_counter()
            r = fb.submit("complaint", f"민원실 안내 화면 글씨가 작습니다 ({i})", contact="010-1234-5678", consent=True)
            submit.append(time.perf_counter() - t)
            receipts.append(r)
        for r in receipts:
            t = time.perf_counter()
            fb.status(r.receipt, r.pin)
            status.append(time.perf_counter() - t)
        for i in range(1000 - rounds):
            fb.submit("suggestion", f"제안 {i}")
        lee = fb.user("lee")
        for _ in range(20):
            t = time.perf_counter()
            items = fb.inbox(lee)
            inbox.append(time.perf_counter() - t)
        assert len(items) >= 1000
        app.close()
    print("| measure | rounds | median ms | p95 ms |\n|---|---|---|---|")
    print(_row("submit (sealed contact, committed)", submit))
    print(_row("status (receipt + PIN)", status))
    print(_row("inbox, 1,000 open notes", inbox))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
