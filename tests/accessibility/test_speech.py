"""Speech on the real engine (the espeak-ng program): Korean and English, rendered to WAV."""

from __future__ import annotations

import math
import struct
import threading
import wave
from pathlib import Path

import pytest

from kiosk.accessibility.speech import SpeechUnavailable, Synthesizer, Utterance


@pytest.fixture(scope="module")
def synth(tmp_path_factory: pytest.TempPathFactory) -> Synthesizer:
    return Synthesizer(directory=tmp_path_factory.mktemp("speech"))


def wav_stats(path: Path) -> tuple[float, float]:
    """(duration in seconds, RMS level 0..1)."""
    with wave.open(str(path)) as w:
        frames = w.readframes(w.getnframes())
        duration = w.getnframes() / w.getframerate()
        assert w.getsampwidth() == 2
    samples = struct.unpack(f"<{len(frames) // 2}h", frames)
    rms = math.sqrt(sum(s * s for s in samples) / max(1, len(samples))) / 32768
    return duration, rms


def test_korean_ticket_announcement_is_real_speech_of_plausible_length(synth: Synthesizer) -> None:
    text = "번호표 에이 공공사 번입니다. 인허가 신청. 내 앞에 두 명이 기다리고 있습니다."
    duration, rms = wav_stats(synth.render(Utterance(text, "ko")))
    assert 2.0 < duration < 15.0
    assert rms > 0.02  # speech, not silence


def test_english_voice_and_slower_rate_take_longer(synth: Synthesizer) -> None:
    text = "Your ticket is A 004. Two people are ahead of you."
    normal, rms = wav_stats(synth.render(Utterance(text, "en", rate=170)))
    slow, _ = wav_stats(synth.render(Utterance(text, "en", rate=110)))
    assert rms > 0.02
    assert slow > normal * 1.3


def test_quieter_volume_is_quieter(synth: Synthesizer) -> None:
    _, loud = wav_stats(synth.render(Utterance("창구로 오십시오", "ko", volume=1.0)))
    _, quiet = wav_stats(synth.render(Utterance("창구로 오십시오", "ko", volume=0.3)))
    assert quiet < loud * 0.6


def test_a_newer_request_supersedes_ones_not_yet_started(synth: Synthesizer) -> None:
    done: list[int] = []
    finished = threading.Event()

    def record(serial: int, path: Path | None, error: Exception | None) -> None:
        done.append(serial)
        if serial == last:
            finished.set()

    serials = [synth.request(Utterance(f"{i}번 창구", "ko"), record) for i in range(10)]
    last = serials[-1]
    assert finished.wait(20)
    assert done[-1] == last
    assert len(done) < len(serials)  # the backlog was skipped, not read out


def test_missing_engine_is_reported_not_crashed() -> None:
    with pytest.raises(SpeechUnavailable):
        Synthesizer(program="no-such-speech-engine")
