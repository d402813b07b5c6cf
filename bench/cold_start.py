"""Cold start to the first painted frame: a kiosk role beside a bare PySide6 window.

    .venv/bin/python bench/cold_start.py [runs] [--role kiosk|counter|display] [--bundle [EXE]]

Each run spawns a fresh Python process with Qt offscreen (``QT_QPA_PLATFORM=offscreen``) and
measures from just before the spawn to the wall time the child prints once its first frame has
been painted. Both children use the same method: show the window, ``QTimer.singleShot(0, ...)``,
enter the event loop; the timer fires after the show/paint events have been processed. For the
app that is ``kiosk.ui.app.run_gui`` with ``KIOSK_EXIT_AFTER_FIRST_FRAME=1``, which prints
``first-frame <epoch>`` and, once the store is open and the screen usable, ``ready <epoch>``.

The demo store is created by one untimed run first, so the runs measure a start-up on an existing
store (a kiosk switched on in the morning), not the first install. Bare and app runs alternate so
that drift on the machine affects both alike. Target: kiosk role ≤ 1.5× the bare window.

``--bundle`` adds the PyInstaller bundle (``dist/counter-kiosk/counter-kiosk`` unless a path is
given; ``installer/build`` makes it) to the rotation: the same role, data folder and marks, so the
frozen app's start is compared with the source install's on the same machine in the same minute.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "dist" / "counter-kiosk" / "counter-kiosk"

BARE = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication(sys.argv[:1])
w = QWidget()
w.resize(1280, 800)
w.show()
def done():
    print(f"first-frame {time.time():.6f}", flush=True)
    app.quit()
QTimer.singleShot(0, done)
app.exec()
"""


def spawn(cmd: list[str], env: dict[str, str]) -> dict[str, float]:
    """Run ``cmd``; milliseconds from spawn to each ``<mark> <epoch>`` line it printed."""
    t0 = time.time()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120, cwd=ROOT)
    marks = {}
    for line in proc.stdout.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] in ("first-frame", "ready"):
            marks[parts[0]] = (float(parts[1]) - t0) * 1000
    if proc.returncode != 0 or "first-frame" not in marks:
        sys.exit(
            f"cold_start: {' '.join(cmd[:3])}... exited {proc.returncode} without a first frame\n"
            f"{proc.stdout[-2000:]}{proc.stderr[-4000:]}"
        )
    return marks


def row(label: str, times: list[float]) -> str:
    return f"| {label} | {len(times)} | {statistics.median(times):.0f} | {min(times):.0f} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("runs", nargs="?", type=int, default=7)
    parser.add_argument("--role", choices=("kiosk", "counter", "display"), default="kiosk")
    parser.add_argument(
        "--bundle",
        nargs="?",
        const=str(BUNDLE),
        default=None,
        metavar="EXE",
        help=f"also time the PyInstaller bundle (default {BUNDLE.relative_to(ROOT)})",
    )
    args = parser.parse_args()
    bundle = None if args.bundle is None else Path(args.bundle).resolve()
    if bundle is not None and not bundle.is_file():
        sys.exit(f"cold_start: no bundle at {bundle}; build it with `bash installer/build`")

    screen = {"kiosk": "kiosk_screen.py", "counter": "console.py", "display": "board.py"}[args.role]
    if not (ROOT / "kiosk" / "ui" / screen).exists():
        sys.exit(f"cold_start: kiosk/ui/{screen} does not exist yet; try --role counter or --role display")

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK_EXIT_AFTER_FIRST_FRAME": "1"}
    bare_cmd = [sys.executable, "-c", BARE]
    bare: list[float] = []
    first: list[float] = []
    ready: list[float] = []
    frozen_first: list[float] = []
    frozen_ready: list[float] = []
    with tempfile.TemporaryDirectory() as data:
        app_cmd = [sys.executable, "-m", "kiosk", "--demo", "--data-dir", data, "run", "--role", args.role]
        app_cmd.append("--windowed")
        frozen_cmd = None if bundle is None else [str(bundle), *app_cmd[3:]]
        spawn(app_cmd, env)  # creates the demo store (migrations, seed): not timed
        spawn(bare_cmd, env)
        if frozen_cmd is not None:
            spawn(frozen_cmd, env)  # the bundle's files into the page cache, as the source's are
        for _ in range(args.runs):
            bare.append(spawn(bare_cmd, env)["first-frame"])
            marks = spawn(app_cmd, env)
            first.append(marks["first-frame"])
            if "ready" in marks:
                ready.append(marks["ready"])
            if frozen_cmd is not None:
                marks = spawn(frozen_cmd, env)
                frozen_first.append(marks["first-frame"])
                if "ready" in marks:
                    frozen_ready.append(marks["ready"])

    print(f"cold start, Qt offscreen, {args.runs} runs each ({sys.executable}, Python {sys.version.split()[0]})\n")
    print("| spawn → | runs | median ms | min ms |")
    print("|---|---|---|---|")
    print(row("bare PySide6 window, first frame", bare))
    print(row(f"`kiosk --demo run --role {args.role}`, first frame", first))
    if ready:
        print(row(f"`--role {args.role}`, store open and screen usable", ready))
    if frozen_first:
        print(row(f"bundle `counter-kiosk --demo run --role {args.role}`, first frame", frozen_first))
    if frozen_ready:
        print(row("bundle, store open and screen usable", frozen_ready))
    ratio = statistics.median(first) / statistics.median(bare)
    best = min(first) / min(bare)
    verdict = "met" if ratio <= 1.5 else "NOT met"
    print(f"\nratio {args.role} / bare (medians): {ratio:.2f}× (min: {best:.2f}×); target ≤ 1.5×: {verdict}")
    if frozen_first:
        frozen = statistics.median(frozen_first) / statistics.median(first)
        print(f"ratio bundle / source (first frame, medians): {frozen:.2f}×")


if __name__ == "__main__":
    main()
