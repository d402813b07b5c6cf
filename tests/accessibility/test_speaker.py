"""The screen-side speaker: never blocks the UI, interrupts, and goes silent politely."""

from __future__ import annotations

import time

from pytestqt.qtbot import QtBot

from kiosk.ui.voice import Speaker


def test_speech_starts_quickly_and_the_latest_text_wins(qtbot: QtBot, qapp: object) -> None:
    speaker = Speaker()
    assert speaker.wait_ready()
    started: list[str] = []
    speaker.sig_started.connect(started.append)
    with qtbot.waitSignal(speaker.sig_started, timeout=5000):
        speaker.say("처음 화면입니다. 원하시는 업무를 선택하십시오.")
    before = time.perf_counter()
    for i in range(1, 6):
        speaker.say(f"{i}번 버튼")
    elapsed_ms = (time.perf_counter() - before) * 1000
    assert elapsed_ms < 50  # say() never blocks the screen
    qtbot.waitUntil(lambda: started and started[-1] == "5번 버튼", timeout=5000)
    assert "1번 버튼" not in started[1:-1] or len(started) <= 6
    assert speaker.spoken[-1] == "5번 버튼"
    assert all(ms < 1000 for ms in speaker.first_audio_ms)


def test_missing_engine_turns_silent_with_a_notice(qtbot: QtBot, qapp: object) -> None:
    speaker = Speaker(program="no-such-speech-engine")
    with qtbot.waitSignal(speaker.sig_unavailable, timeout=5000) as blocker:
        pass
    assert "no-such-speech-engine" in blocker.args[0]
    speaker.say("들리지 않아도 괜찮습니다")
    assert speaker.available is False
    assert speaker.spoken == ["들리지 않아도 괜찮습니다"]  # the text is still recorded for the screen
