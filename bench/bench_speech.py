"""Voice guidance latency on the real engine (espeak-ng), through the screen-side Speaker.

* request → first audio: from ``say()`` to the rendered WAV starting to play (target ≤ 300 ms);
* UI responsiveness: the longest gap between 1 ms timer ticks of the Qt event loop while
  utterances are requested and rendered (target ≤ 16 ms: no dropped frame).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_speech.py [utterances]
"""

from __future__ import annotations

import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer

from kiosk.ui.app import ensure_app
from kiosk.ui.voice import Speaker

TEXTS = (
    "번호표 발급 화면입니다. 원하시는 업무를 선택하십시오.",
    "인허가 신청. 일반 번호표는 1번입니다.",
    "번호표 에이 공공사 번이 발급되었습니다. 예상 대기 시간은 1분에서 4분입니다.",
    "요금 납부, 버튼",
)


def main(count: int = 40) -> None:
    app = ensure_app()
    speaker = Speaker(play=True)
    speaker.wait_ready()
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append((now - last[0]) * 1000)
        last[0] = now

    timer = QTimer()
    timer.setInterval(1)
    timer.timeout.connect(tick)
    timer.start()
    done = [0]
    speaker.sig_started.connect(lambda _t: done.__setitem__(0, done[0] + 1))
    for i in range(count):
        speaker.say(TEXTS[i % len(TEXTS)])
        target = i + 1
        deadline = time.perf_counter() + 5
        while done[0] < target and time.perf_counter() < deadline:
            app.processEvents()
        pause = time.perf_counter() + 0.05
        while time.perf_counter() < pause:
            app.processEvents()
    timer.stop()
    first = sorted(speaker.first_audio_ms)
    print("| measure | n | median ms | p95 ms | max ms |")
    print("|---|---|---|---|---|")
    p95 = first[min(len(first) - 1, round(0.95 * (len(first) - 1)))]
    print(f"| say() → first audio | {len(first)} | {statistics.median(first):.1f} | {p95:.1f} | {max(first):.1f} |")
    gaps_sorted = sorted(gaps)
    p95g = gaps_sorted[round(0.95 * (len(gaps_sorted) - 1))]
    median_gap = statistics.median(gaps)
    print(f"| event-loop gap while speaking | {len(gaps)} | {median_gap:.1f} | {p95g:.1f} | {max(gaps):.1f} |")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
