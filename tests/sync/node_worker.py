"""A kiosk or counter node as its own process, for the multi-node tests and benchmarks.

python tests/sync/node_worker.py kiosk DATA_DIR CENTRAL_URL NODE_ID COUNT SEED
python tests/sync/node_worker.py counter DATA_DIR CENTRAL_URL NODE_ID COUNTER DONE_FILE
"""

from __future__ import annotations

import random
import sys
import time
from dataclasses import replace
from pathlib import Path

from kiosk.bootstrap import bootstrap
from kiosk.config import load_config

PRIORITIES = ("disabled", "elderly", "pregnant", "infant")


def main(role: str, data_dir: str, central: str, node_id: str, *rest: str) -> int:
    config = load_config(demo=True, data_dir=Path(data_dir), env={})
    app = bootstrap(replace(config, central_url=central, node_id=node_id, node_tag=node_id.upper()))
    q = app.queue
    try:
        if role == "kiosk":
            count, rng = int(rest[0]), random.Random(int(rest[1]))
            for _ in range(count):
                priority = rng.choice(PRIORITIES) if rng.random() < 0.25 else None
                q.issue_ticket(rng.choice("ABC"), priority, actor=node_id)
            return 0
        counter, done = int(rest[0]), Path(rest[1])
        deadline = time.monotonic() + 120  # bounded: a stuck test fails instead of hanging
        while time.monotonic() < deadline:
            ticket = q.call_next(counter, actor=node_id)
            if ticket is not None:
                q.complete(ticket.id, actor=node_id)
            elif done.exists() and not q.queue():
                return 0
            else:
                time.sleep(0.002)
        return 3
    finally:
        app.close()


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
