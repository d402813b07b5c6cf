"""The second speech backend (pyttsx3: SAPI5 on Windows, libespeak-ng here) and the engine choice.

Real engines: pyttsx3's espeak driver drives libespeak-ng (from the espeak-ng package), the same
voices the espeak-ng program uses.
"""

from __future__ import annotations

import math
import struct
import subprocess
import sys
import threading
import wave
from pathlib import Path

import pytest
from pyttsx3.voice import Voice

from kiosk.accessibility.speech import SpeechUnavailable, Synthesizer, Utterance, make_synthesizer
from kiosk.accessibility.speech_pyttsx3 import Pyttsx3Synthesizer, choose_voices
from kiosk.config import ConfigError, load_config

CALL = "번호표 에이 공공사 번입니다. 인허가 신청. 내 앞에 두 명이 기다리고 있습니다."


@pytest.fixture(scope="module")
def synth(tmp_path_factory: pytest.TempPathFactory) -> Pyttsx3Synthesizer:
    return Pyttsx3Synthesizer(directory=tmp_path_factory.mktemp("pyttsx3"))


def wav_stats(path: Path) -> tuple[float, float]:
    """(duration in seconds, RMS level 0..1) of a 16-bit WAV that the ``wave`` module can read."""
    with wave.open(str(path)) as w:
        assert w.getsampwidth() == 2
        assert w.getnframes() > 0
        frames = w.readframes(w.getnframes())
        duration = w.getnframes() / w.getframerate()
    samples = struct.unpack(f"<{len(frames) // 2}h", frames)
    rms = math.sqrt(sum(s * s for s in samples) / max(1, len(samples))) / 32768
    return duration, rms


def test_pyttsx3_reads_korean_and_english_as_real_speech(synth: Pyttsx3Synthesizer) -> None:
    korean, rms_ko = wav_stats(synth.render(Utterance(CALL, "ko")))
    english, rms_en = wav_stats(synth.render(Utterance("Your ticket is A 004. Two people are ahead of you.", "en")))
    assert 2.0 < korean < 15.0 and 1.5 < english < 10.0
    assert rms_ko > 0.02 and rms_en > 0.02  # speech, not silence
    # Korean is read by the Korean voice, never Konkani ("inc/kok"); English by an English one
    assert synth.voice_name("ko") == "Korean (ko)"
    assert "English" in synth.voice_name("en")


def test_each_render_has_its_own_rate_even_alternating(synth: Pyttsx3Synthesizer) -> None:
    # pyttsx3 2.99 alone rendered most of these at the previous request's rate, or not at all
    rates = [80, 300, 300, 80, 80, 300, 80, 300, 300, 80, 80, 300]
    durations = [wav_stats(synth.render(Utterance(CALL, "ko", rate=rate)))[0] for rate in rates]
    slow = [d for d, r in zip(durations, rates, strict=True) if r == 80]
    fast = [d for d, r in zip(durations, rates, strict=True) if r == 300]
    assert min(slow) > 3 * max(fast), list(zip(rates, durations, strict=True))
    assert max(slow) - min(slow) < 0.1 and max(fast) - min(fast) < 0.1  # the same rate, the same length


def test_a_fresh_engines_first_render_is_written_and_nothing_is_printed(tmp_path: Path) -> None:
    # reusing an engine, pyttsx3 2.99 cancelled the first render (no file) more often than not, and
    # its driver prints "Audio saved to ..." for each file (the self-test's stdout is one line a check)
    script = (
        "import sys; from pathlib import Path\n"
        "from kiosk.accessibility.speech import Utterance\n"
        "from kiosk.accessibility.speech_pyttsx3 import Pyttsx3Synthesizer\n"
        "Pyttsx3Synthesizer(Path(sys.argv[1])).render(Utterance(sys.argv[2], 'ko', rate=80))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path), CALL], capture_output=True, text=True, timeout=30
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout == ""
    (path,) = tmp_path.glob("*.wav")
    assert wav_stats(path)[0] > 8.0  # and at the rate asked for (300 wpm gives 3.5 s)


def test_quieter_volume_is_quieter(synth: Pyttsx3Synthesizer) -> None:
    _, loud = wav_stats(synth.render(Utterance("창구로 오십시오", "ko", volume=1.0)))
    _, quiet = wav_stats(synth.render(Utterance("창구로 오십시오", "ko", volume=0.3)))
    assert quiet < loud * 0.6


def test_a_newer_request_supersedes_ones_not_yet_started(synth: Pyttsx3Synthesizer) -> None:
    done: list[tuple[int, Path | None]] = []
    finished = threading.Event()

    def record(serial: int, path: Path | None, error: Exception | None) -> None:
        done.append((serial, path))
        if serial == last:
            finished.set()

    serials = [synth.request(Utterance(f"{i}번 창구로 오십시오. " * 4, "ko"), record) for i in range(10)]
    last = serials[-1]
    assert finished.wait(20)
    assert done[-1][0] == last and synth.latest == last
    assert len(done) < len(serials)  # the backlog was skipped, not read out
    assert done[-1][1] is not None and wav_stats(done[-1][1])[0] > 1.0


def test_the_screen_and_the_board_share_the_engine_without_mixing_their_speech(tmp_path: Path) -> None:
    # a kiosk with its board in one process: two synthesizers, one libespeak-ng
    board, screen = Pyttsx3Synthesizer(directory=tmp_path / "b"), Pyttsx3Synthesizer(directory=tmp_path / "s")
    results: dict[str, list[float]] = {"board": [], "screen": []}

    def speak(name: str, synth: Pyttsx3Synthesizer, rate: int) -> None:
        for _ in range(4):
            results[name].append(wav_stats(synth.render(Utterance(CALL, "ko", rate=rate)))[0])

    threads = [
        threading.Thread(target=speak, args=("board", board, 80)),
        threading.Thread(target=speak, args=("screen", screen, 300)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert len(results["board"]) == len(results["screen"]) == 4
    assert min(results["board"]) > 3 * max(results["screen"])


def test_sapi5_voices_korean_is_heami_and_a_missing_korean_voice_is_named() -> None:
    # what pyttsx3's SAPI5 driver lists on a Windows 11 kiosk PC with the Korean speech pack
    tokens = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Speech\\Voices\\Tokens\\"
    zira = Voice(tokens + "TTS_MS_EN-US_ZIRA_11.0", "Microsoft Zira Desktop - English (United States)", ["en-US"])
    heami = Voice(tokens + "TTS_MS_KO-KR_HEAMI_11.0", "Microsoft Heami Desktop - Korean", ["ko-KR"])
    konkani = Voice("inc/kok", "Konkani", ["kok"])
    chosen = choose_voices([konkani, zira, heami], "sapi5")
    assert chosen["ko"] is heami and chosen["en"] is zira
    with pytest.raises(SpeechUnavailable, match=r"no Korean voice.*Microsoft Heami"):
        choose_voices([zira, konkani], "sapi5")


def test_auto_is_espeak_ng_when_installed_else_pyttsx3(tmp_path: Path) -> None:
    auto = make_synthesizer("auto", directory=tmp_path)
    assert isinstance(auto, Synthesizer) and auto.engine == "espeak-ng"
    fallback = make_synthesizer("auto", program="no-such-program", directory=tmp_path)
    assert isinstance(fallback, Pyttsx3Synthesizer) and fallback.engine == "pyttsx3 espeak"
    assert wav_stats(fallback.render(Utterance("창구로 오십시오", "ko")))[0] > 0.5
    assert isinstance(make_synthesizer("pyttsx3", directory=tmp_path), Pyttsx3Synthesizer)
    with pytest.raises(SpeechUnavailable, match="no-such-program is not installed"):
        make_synthesizer("espeak-ng", program="no-such-program", directory=tmp_path)


def test_the_speech_engine_is_configured_and_a_typo_names_file_and_key(tmp_path: Path) -> None:
    assert load_config(env={}, data_dir=tmp_path).speech_engine == "auto"
    good = tmp_path / "kiosk.toml"
    good.write_text('[speech]\nengine = "pyttsx3"\n', encoding="utf-8")
    assert load_config(good, env={}).speech_engine == "pyttsx3"
    bad = tmp_path / "bad.toml"
    bad.write_text('[speech]\nengine = "sapi5"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.toml: speech\.engine: .*'espeak-ng'.*got 'sapi5'"):
        load_config(bad, env={})


def test_a_render_that_never_ends_turns_speech_off_at_once_instead_of_making_every_call_wait(
    tmp_path: Path,
) -> None:
    # The real engine, in its own process, with its first render held (as a driver stuck in
    # SAPI5 or libespeak-ng would be) and the hang limit cut to 1 s.
    script = f"""
import threading, time
from pathlib import Path
from kiosk.accessibility import speech_pyttsx3 as p
from kiosk.accessibility.speech import SpeechUnavailable, Utterance
p.HUNG_AFTER_S = 1.0
synth = p.Pyttsx3Synthesizer(directory=Path({str(tmp_path)!r}))
engine = synth._shared
stuck = threading.Event()
real = engine._render
engine._render = lambda u, path: stuck.wait(30) or real(u, path)
t0 = time.monotonic()
try:
    synth.render(Utterance("하나", "ko"), timeout=10)
except SpeechUnavailable as exc:
    print("first", round(time.monotonic() - t0, 1), exc)
t0 = time.monotonic()
try:
    synth.render(Utterance("둘", "ko"), timeout=10)
except SpeechUnavailable as exc:
    print("second", round(time.monotonic() - t0, 1), exc)
stuck.set()
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    first, second = out.stdout.splitlines()[:2]
    assert first.startswith("first 1.") and "did not finish a render in 1 s" in first, out.stdout + out.stderr
    label, seconds, *_ = second.split()
    assert label == "second" and float(seconds) < 0.5 and "did not finish a render" in second


def test_on_linux_with_espeak_ng_pyttsx3_is_not_even_imported() -> None:
    script = (
        "import sys; from kiosk.accessibility.speech import make_synthesizer; "
        "s = make_synthesizer('auto'); print(s.engine, 'pyttsx3' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["espeak-ng", "False"], out.stderr


def test_a_failing_listener_does_not_stop_speech_and_files_are_never_rewritten(tmp_path: Path) -> None:
    synth = Synthesizer(directory=tmp_path)
    done = threading.Event()

    def rude(_serial: int, _path: Path | None, _error: Exception | None) -> None:
        done.set()
        raise RuntimeError("a screen that went away")

    synth.request(Utterance("하나", "ko"), rude)
    assert done.wait(10)
    paths = [synth.render(Utterance(f"{n}번", "ko")) for n in range(10)]  # the engine still speaks
    assert len(set(paths)) == 10  # a new file each time: one still playing is never rewritten
    assert not (tmp_path / "utterance-1.wav").exists() and paths[-1].exists()  # old ones go
