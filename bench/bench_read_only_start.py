"""What a failed upgrade costs each start: the store copied, the migration tried and the copy
written back, then the previous data opened read-only (issue 10), beside a normal start.

    .venv/bin/python bench/bench_read_only_start.py [runs] [--tickets N]

A demo store with ``N`` tickets of history (default 20,000: a month of a busy office) is made by
this version. For "failed upgrade" it is told it is one revision behind, so the last migration
finds its own triggers and fails, as a half-finished upgrade would; every run starts from the
same file. Times ``bootstrap()`` plus one read (``queue.services()``), median of ``runs``.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from kiosk.bootstrap import bootstrap
from kiosk.config import load_config
from kiosk.store import migrate
from kiosk.store.sample_year import generate


def start(data_dir: Path) -> tuple[float, bool]:
    config = load_config(demo=True, data_dir=data_dir, env={})
    t0 = time.perf_counter()
    app = bootstrap(config, sync_on_start=False)
    app.queue.services()
    elapsed = time.perf_counter() - t0
    read_only = app.read_only is not None
    app.close()
    return elapsed, read_only


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("runs", nargs="?", type=int, default=7)
    parser.add_argument("--tickets", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        seed = Path(tmp) / "seed"
        config = load_config(demo=True, data_dir=seed, env={})
        app = bootstrap(config, sync_on_start=False)
        generate(app.engine, tickets=args.tickets, year=2025)
        app.close()
        store = seed / "demo.sqlite3"
        size_mb = store.stat().st_size / 1e6
        head = migrate.head_revision()
        assert head is not None
        rows = []
        for label, behind in (("normal start", False), ("failed upgrade → read-only", True)):
            times = []
            for n in range(args.runs):
                run_dir = Path(tmp) / f"{label[:6]}-{n}"
                shutil.copytree(seed, run_dir)
                if behind:
                    with sqlite3.connect(run_dir / "demo.sqlite3") as conn:
                        conn.execute("UPDATE alembic_version SET version_num = ?", (f"{int(head) - 1:04d}",))
                    conn.close()
                elapsed, read_only = start(run_dir)
                assert read_only == behind, label
                times.append(elapsed * 1000)
                shutil.rmtree(run_dir)
            rows.append((label, statistics.median(times), max(times)))
    print(f"store: {args.tickets} tickets, {size_mb:.1f} MB; {args.runs} runs each")
    print("| start | median ms | max ms |")
    print("|---|---|---|")
    for label, median, worst in rows:
        print(f"| {label} | {median:.0f} | {worst:.0f} |")


if __name__ == "__main__":
    main()
