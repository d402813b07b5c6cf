"""Calls out loud on the real engine (espeak-ng): queued, never overlapping, never blocking the board.

The test machine has no audio output: the announcer then keeps time by each WAV's length (and the
chime's), as a board with its loudspeaker unplugged does, so order and pace are those a hall hears.
"""

from __future__ import annotations

import math
import struct
import time
import wave
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from kiosk.accessibility.speech import Synthesizer, Utterance
from kiosk.config import BoardConfig, Config, ConfigError, load_config
from kiosk.services.queue import QueueService
from kiosk.ui.announcer import Announcer, call_texts, wav_seconds
from kiosk.ui.context import UiContext
from tests.ui.counter_helpers import open_board


class Recorder:
    """sig_started / sig_finished as (event, text, seconds since the recorder was made)."""

    def __init__(self, announcer: Announcer) -> None:
        self.t0 = time.monotonic()
        self.events: list[tuple[str, str, float]] = []
        announcer.sig_started.connect(lambda text: self.events.append(("start", text, time.monotonic() - self.t0)))
        announcer.sig_finished.connect(lambda text: self.events.append(("end", text, time.monotonic() - self.t0)))

    def texts(self, kind: str) -> list[str]:
        return [text for event, text, _ in self.events if event == kind]


class Ticker:
    """A 10 ms QTimer on the UI thread: its longest gap is how long the event loop was held up."""

    def __init__(self) -> None:
        self.last = time.monotonic()
        self.longest = 0.0
        self.ticks = 0
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def _tick(self) -> None:
        now = time.monotonic()
        self.longest = max(self.longest, now - self.last)
        self.last = now
        self.ticks += 1


def ready_announcer(qtbot: QtBot, config: BoardConfig | None = None) -> Announcer:
    announcer = Announcer(config or BoardConfig(rate=260))
    qtbot.waitUntil(lambda: announcer.ready, timeout=10_000)
    return announcer


def wav_rms(path: Path) -> float:
    with wave.open(str(path)) as w:
        frames = w.readframes(w.getnframes())
    samples = struct.unpack(f"<{len(frames) // 2}h", frames)
    return math.sqrt(sum(s * s for s in samples) / max(1, len(samples))) / 32768


def test_the_call_renders_through_espeak_ng_as_speech_of_plausible_length(tmp_path: Path) -> None:
    synth = Synthesizer(directory=tmp_path)
    ((lang, text),) = call_texts("A-001", 3, BoardConfig())
    assert (lang, text) == ("ko", "에이 공공일 번 고객님, 삼번 창구로 오십시오")
    spelled = synth.render(Utterance(text, "ko", rate=150))
    seconds = wav_seconds(spelled)
    assert 2.0 < seconds < 8.0
    assert wav_rms(spelled) > 0.02  # speech, not silence
    # The counter spelled in Hangul is read as one word; given as "3번", espeak-ng pauses after the digit.
    with_digit = synth.render(Utterance("에이 공공일 번 고객님, 3번 창구로 오십시오", "ko", rate=150))
    assert 2.0 < wav_seconds(with_digit) < 8.0
    assert seconds < wav_seconds(with_digit)
    # The board's volume is in the rendered WAV itself.
    quiet = synth.render(Utterance(text, "ko", rate=150, volume=0.3))
    assert wav_rms(quiet) < wav_rms(spelled) * 0.6
    # And its voice: another espeak-ng variant is another voice (a different recording of the same words).
    other = synth.render(Utterance(text, "ko", rate=150, variant="f3"))
    assert (
        2.0 < wav_seconds(other) < 8.0
        and other.read_bytes() != synth.render(Utterance(text, "ko", rate=150)).read_bytes()
    )


def test_calls_queued_at_once_are_spoken_in_order_each_after_the_last_finished(qtbot: QtBot, qapp: object) -> None:
    announcer = ready_announcer(qtbot)
    heard = Recorder(announcer)
    ticker = Ticker()
    before = time.perf_counter()
    for number, counter in (("A-001", 1), ("B-002", 2), ("C-003", 3)):
        announcer.announce_call(number, counter)
    assert (time.perf_counter() - before) * 1000 < 50  # queuing never holds up the board
    assert announcer.busy and announcer.pending == 2
    qtbot.waitUntil(lambda: not announcer.busy, timeout=40_000)

    expected = [
        "에이 공공일 번 고객님, 일번 창구로 오십시오",
        "비 공공이 번 고객님, 이번 창구로 오십시오",
        "씨 공공삼 번 고객님, 삼번 창구로 오십시오",
    ]
    assert [(e, t) for e, t, _ in heard.events] == [(e, t) for t in expected for e in ("start", "end")]
    times = [at for _, _, at in heard.events]
    chime = announcer.chime_ms / 1000
    assert announcer.chime.plays == 3
    assert times[0] >= chime * 0.95  # the chime comes first
    for i in (2, 4):  # never overlapping: the next chime starts only once the last call ended
        assert times[i] - times[i - 1] >= chime * 0.95
    for i in (0, 2, 4):  # never cut off: each plays for its whole length
        assert times[i + 1] - times[i] >= 1.0
    assert ticker.ticks > 100 and ticker.longest < 0.25  # the UI thread kept processing events


def test_a_recall_repeats_the_call_and_english_follows_korean(qtbot: QtBot, qapp: object) -> None:
    announcer = ready_announcer(qtbot, BoardConfig(rate=260, english=True))
    heard = Recorder(announcer)
    announcer.announce_call("A-001", 3)
    announcer.announce_call("A-001", 3, recall=True)
    qtbot.waitUntil(lambda: not announcer.busy, timeout=60_000)
    assert (
        heard.texts("start")
        == heard.texts("end")
        == [
            "에이 공공일 번 고객님, 삼번 창구로 오십시오",
            "Number A-0 0 1, please go to counter 3.",
            "다시 한 번 안내합니다. 에이 공공일 번 고객님, 삼번 창구로 오십시오",
            "Once again: Number A-0 0 1, please go to counter 3.",
        ]
    )
    starts = [at for e, _, at in heard.events if e == "start"]
    ends = [at for e, _, at in heard.events if e == "end"]
    assert all(start >= end for start, end in zip(starts[1:], ends, strict=False))
    assert announcer.chime.plays == 2  # one chime per announcement, not per language


def test_without_a_speech_engine_calls_are_still_chimed_and_logged_once(
    qtbot: QtBot, qapp: object, caplog: pytest.LogCaptureFixture
) -> None:
    announcer = Announcer(program="no-such-speech-engine")
    reasons: list[str] = []
    announcer.sig_unavailable.connect(reasons.append)  # reported from the engine thread, queued to this one
    qtbot.waitUntil(lambda: bool(reasons), timeout=10_000)
    assert "no-such-speech-engine" in reasons[0]
    heard = Recorder(announcer)
    announcer.announce_call("A-001", 3)
    announcer.announce_call("B-002", 4)
    qtbot.waitUntil(lambda: not announcer.busy, timeout=10_000)
    assert announcer.chime.plays == 2 and heard.events == []
    assert announcer.available is False
    assert sum("will not be spoken" in r.getMessage() for r in caplog.records) == 1


def test_the_board_speaks_every_call_even_two_within_one_poll(
    qtbot: QtBot, ctx: UiContext, queue: QueueService
) -> None:
    for code in ("A", "B", "C"):
        queue.issue_ticket(code)
    wall = open_board(qtbot, ctx)
    qtbot.waitUntil(lambda: wall.announcer.ready, timeout=10_000)
    heard = Recorder(wall.announcer)
    queue.call_next(1)
    queue.call_next(2)  # both before the board looks again
    wall.refresh()
    assert wall.number.text() == "B-001"  # the latest is shown large
    qtbot.waitUntil(lambda: not wall.announcer.busy, timeout=30_000)
    assert heard.texts("start") == [
        "에이 공공일 번 고객님, 일번 창구로 오십시오",
        "비 공공일 번 고객님, 이번 창구로 오십시오",
    ]


def test_a_facility_configures_how_calls_sound(tmp_path: Path, demo_config: Config) -> None:
    file = tmp_path / "kiosk.toml"
    file.write_text(
        '[board]\nvolume = 0.5\nrate = 140\nenglish = true\nvoice = "f3"\n[board.letters]\nA = "가"\nb = "나"\n',
        encoding="utf-8",
    )
    board = load_config(file, data_dir=tmp_path, env={}).board
    assert (board.volume, board.rate, board.english, board.voice) == (0.5, 140, True, "f3")
    assert call_texts("B-007", 2, board) == [
        ("ko", "나 공공칠 번 고객님, 이번 창구로 오십시오"),
        ("en", "Number B-0 0 7, please go to counter 2."),
    ]
    assert demo_config.board == BoardConfig()  # without a [board] table: Korean only, volume 0.8, rate 150
    for bad, words in (
        ("volume = 2", "volume: 0 to 1"),
        ("rate = 'fast'", "rate: a number"),
        ("english = 1", "true"),
        ("voice = 'x;rm'", "variant"),
    ):
        file.write_text(f"[board]\n{bad}\n", encoding="utf-8")
        with pytest.raises(ConfigError, match=words):
            load_config(file, data_dir=tmp_path, env={})
