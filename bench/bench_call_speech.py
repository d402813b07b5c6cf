"""A counter calls → the calling board shows it → the call is heard (targets: ≤ 1 s, then ≤ 500 ms).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_call_speech.py [calls] [cli-calls]

The real board (``CallingBoard``, production poll interval 250 ms) over a demo store in a SQLite
file, with its real ``Announcer`` (espeak-ng, default ``[board]`` settings: Korean, 150 wpm).
Calls are made through the queue service in this process (``call_next`` on the UI thread, as
another counter's write, seen by the board's poll) and, for a smaller set, by the ``kiosk ticket
call`` command in another process (timed from the moment that process has exited, so its
start-up is not counted; the write itself is a little earlier).

For each call, from the moment it appears on the board (``sig_announced``):

* the announcement starts (the chime is played, at once when nothing else is being said);
* the call's WAV is rendered (espeak-ng, on the engine thread, while the chime plays);
* the speech starts (``sig_started``): after the 0.4 s call sign (target: ≤ 500 ms after the call
  appears).

Each call is made once the previous announcement has finished, so no queueing is measured.
Without an audio device the announcer times each part by its WAV's length (as in the tests).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from kiosk.bootstrap import bootstrap
from kiosk.config import load_config
from kiosk.ui.app import ensure_app
from kiosk.ui.board import CallingBoard
from kiosk.ui.context import UiContext


def _row(name: str, ms: list[float], target: str) -> str:
    s = sorted(ms)
    p95 = s[min(len(s) - 1, round(0.95 * (len(s) - 1)))]
    return f"| {name} | {len(s)} | {statistics.median(s):.0f} | {p95:.0f} | {s[-1]:.0f} | {target} |"


def main(calls: int = 30, cli_calls: int = 8) -> None:
    qapp = ensure_app()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    with tempfile.TemporaryDirectory() as tmp:
        config = load_config(demo=True, data_dir=tmp, env={})
        app = bootstrap(config)
        for i in range(calls + cli_calls):
            app.queue.issue_ticket("ABC"[i % 3])
        ctx = UiContext(app.queue, config)  # the production poll interval
        board = CallingBoard(ctx)
        board.show()
        ctx.watcher.start()
        announcer = board.announcer
        if not announcer.wait_ready():
            sys.exit("espeak-ng is not available: nothing to measure")
        marks: dict[str, float] = {}
        board.sig_announced.connect(lambda _c: marks.setdefault("shown", time.perf_counter()))
        announcer.sig_rendered.connect(lambda _t: marks.setdefault("rendered", time.perf_counter()))
        announcer.sig_started.connect(lambda _t: marks.setdefault("speech", time.perf_counter()))
        chime_at: list[float] = []
        original_play = announcer.chime.play

        def play() -> bool:
            chime_at.append(time.perf_counter())
            return original_play()

        announcer.chime.play = play  # type: ignore[method-assign]
        figures: dict[str, dict[str, list[float]]] = {}

        def wait(cond: Callable[[], bool], seconds: float) -> None:
            deadline = time.perf_counter() + seconds
            while not cond() and time.perf_counter() < deadline:
                qapp.processEvents()
                time.sleep(0.001)

        def one(where: str, call: Callable[[], float]) -> None:
            marks.clear()
            called = call()
            wait(lambda: "speech" in marks, 10)
            wait(lambda: not announcer.busy, 30)
            if "speech" not in marks:
                print(f"{where}: a call was not spoken", file=sys.stderr)
                return
            row = figures.setdefault(where, {"shown": [], "chime": [], "rendered": [], "speech": []})
            shown = marks["shown"]
            row["shown"].append(max(0.0, shown - called) * 1000)
            row["chime"].append(max(0.0, chime_at[-1] - shown) * 1000)  # played before the signal: 0
            row["rendered"].append((marks["rendered"] - shown) * 1000)
            row["speech"].append((marks["speech"] - shown) * 1000)

        def in_process(i: int) -> float:
            app.queue.call_next(1 + i % 4, finish_current=True)
            return time.perf_counter()

        def other_process(i: int) -> float:
            counter = str(1 + i % 4)
            cmd = [sys.executable, "-m", "kiosk", "--data-dir", tmp, "--demo", "ticket", "call", "--finish"]
            cmd += ["--counter", counter]
            proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            while proc.poll() is None:
                qapp.processEvents()
                time.sleep(0.001)
            if proc.returncode != 0:
                raise SystemExit(proc.stderr.read().decode() if proc.stderr else "kiosk ticket call failed")
            return time.perf_counter()

        for i in range(calls):
            one("queue service, same process", lambda i=i: in_process(i))
        for i in range(cli_calls):
            one("`kiosk ticket call`, another process", lambda i=i: other_process(i))
        ctx.watcher.stop()
        ctx.ops.wait()
        board.close()
        app.close()
    print(f"Calls out loud: chime {announcer.chime_ms} ms, then Korean at {announcer.config.rate} wpm")
    print("| from → to | n | median ms | p95 ms | max ms | target |")
    print("|---|---|---|---|---|---|")
    for where, row in figures.items():
        print(_row(f"{where}: call → on the board", row["shown"], "≤ 1000"))
        print(_row(f"{where}: on the board → chime starts", row["chime"], "≤ 500"))
        print(_row(f"{where}: on the board → speech WAV rendered", row["rendered"], "≤ 500"))
        print(_row(f"{where}: on the board → speech starts (after the chime)", row["speech"], "≤ 500"))


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    main(*args)
