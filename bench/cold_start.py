"""Cold start to the first painted frame: the kiosk role beside a bare PySide6 window.

Each run spawns a fresh Python process (offscreen Qt) and measures from spawn to the moment the
first frame has been painted (the child prints the wall time). Target: kiosk ≤ 1.5× bare window.

    .venv/bin/python bench/cold_start.py [runs]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time

BARE = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication(sys.argv[:1])
w = QWidget(); w.resize(1280, 800); w.show()
def done():
    print(f"first-frame {time.time():.6f}", flush=True); app.quit()
QTimer.singleShot(0, done)
app.exec()
"""


def spawn(cmd: list[str], env: dict[str, str], mark: str = "first-frame") -> float:
    t0 = time.time()
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True).stdout
    stamp = next(float(line.split()[1]) for line in out.splitlines() if line.startswith(mark))
    return (stamp - t0) * 1000


def main(runs: int = 7) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK_EXIT_AFTER_FIRST_FRAME": "1"}
    with tempfile.TemporaryDirectory() as data:
        kiosk = [sys.executable, "-m", "kiosk", "--demo", "--data-dir", data, "run", "--role", "kiosk", "--windowed"]
        spawn(kiosk, env)  # creates the demo store once, so runs measure start-up, not first install
        bare_times = [spawn([sys.executable, "-c", BARE], env) for _ in range(runs)]
        kiosk_times = [spawn(kiosk, env) for _ in range(runs)]
        ready_times = [spawn(kiosk, env, "ready") for _ in range(runs)]
    bare, k = statistics.median(bare_times), statistics.median(kiosk_times)
    print("| start to first frame | runs | median ms | min ms |")
    print("|---|---|---|---|")
    print(f"| bare PySide6 window | {runs} | {bare:.0f} | {min(bare_times):.0f} |")
    print(f"| kiosk role (demo store), first frame | {runs} | {k:.0f} | {min(kiosk_times):.0f} |")
    r = statistics.median(ready_times)
    print(f"| kiosk role, services shown (store open) | {runs} | {r:.0f} | {min(ready_times):.0f} |")
    print(f"\nratio kiosk / bare: {k / bare:.2f}x (target ≤ 1.5x)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
