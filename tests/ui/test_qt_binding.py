"""The Qt binding must survive a long day: thousands of signal round trips without a crash.

PySide6 6.12.0 under-counted references to None/True/False returned from Qt calls; on Python
3.11 the process aborted ("deallocating None") after a few thousand tickets.
"""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal
app = QCoreApplication([])
class Relay(QObject):
    done = Signal(object, object, object)
relay = Relay(); got = []
relay.done.connect(lambda a, b, c: got.append(b))
class Job(QRunnable):
    def run(self):
        relay.done.emit(print, None, True)
pool = QThreadPool(); pool.setMaxThreadCount(1)
for _ in range(20000):
    pool.start(Job()); pool.waitForDone(); app.processEvents()
print(len(got))
"""


def test_twenty_thousand_worker_round_trips_do_not_crash() -> None:
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-500:]
    assert out.stdout.strip() == "20000"
