"""A kiosk and its counters as one process, for the kill -9 harness (``test_kill9.py``).

python tests/robustness/crash_worker.py DATA_DIR SEED [CENTRAL_URL NODE_ID]

It imports everything, prints ``ready`` and waits for ``go [KIND:KEY ...]`` on stdin (so the harness
can keep the next process warm while it checks the store the last one left), then opens the store
and runs a
random mix of ticket issues, calls, completions and voice-box notes until it is killed. Each line
it prints is written only after the call returned, i.e. after the visitor or the counter saw it:

    pending KIND KEY                       about to call (the call may be cut by the kill)
    ticket ID NUMBER KEY                   a ticket shown to a visitor
    called ID NUMBER COUNTER               a visitor called to a counter
    completed ID COUNTER                   a visit completed
    note RECEIPT PIN KEY                   a receipt shown to a visitor

The keys after ``go`` replay the previous process's cut-off request first (the visitor taps again after the
restart): the same request key must give back the same ticket or receipt, never a second one.
"""

from __future__ import annotations

import random
import sys
from dataclasses import replace
from pathlib import Path

from kiosk.bootstrap import bootstrap
from kiosk.config import load_config

PRIORITIES = ("disabled", "elderly", "pregnant", "infant")


def main(argv: list[str]) -> int:
    data_dir, seed = Path(argv[0]), int(argv[1])
    config = load_config(demo=True, data_dir=data_dir, env={})
    if len(argv) > 2:
        config = replace(
            config,
            central_url=argv[2],
            node_id=argv[3],
            node_tag=argv[3].upper(),
            feedback_key_file=data_dir / "feedback.key",
        )
    rng = random.Random(seed)
    print("ready", flush=True)
    go = sys.stdin.readline().split()  # the harness has checked what the previous process left
    retries = [word.split(":", 1) for word in go[1:]]
    app = bootstrap(config)
    q, box = app.queue, app.feedback
    assert box is not None
    print("up", flush=True)

    def issue(key: str) -> None:
        print("pending ticket", key, flush=True)
        priority = rng.choice(PRIORITIES) if rng.random() < 0.2 else None
        t = q.issue_ticket(rng.choice("ABC"), priority, request_key=key)
        print("ticket", t.id, t.number, key, flush=True)

    def note(key: str) -> None:
        print("pending note", key, flush=True)
        r = box.submit("complaint", f"대기실이 춥습니다 {key}", request_key=key)
        print("note", r.receipt, r.pin, key, flush=True)

    for kind, key in retries:
        (issue if kind == "ticket" else note)(key)
    i = 0
    while True:
        i += 1
        key = f"{seed}-{i}"
        roll = rng.random()
        if roll < 0.45:
            issue(key)
        elif roll < 0.8:
            counter = rng.randint(1, 4)
            current = q.counter(counter).current
            if current is not None:
                done = q.complete(current.id, actor=f"counter:{counter}")
                print("completed", done.id, counter, flush=True)
            else:
                called = q.call_next(counter)
                if called is not None:
                    print("called", called.id, called.number, counter, flush=True)
        else:
            note(key)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
