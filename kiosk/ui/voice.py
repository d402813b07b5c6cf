"""Voice output for screens: synthesize off the UI thread, play with QtMultimedia, interrupt at once.

A new ``say()`` stops whatever is playing and supersedes anything still being synthesized. If the
speech engine is missing or broken the speaker turns silent and emits ``sig_unavailable`` once,
so the screen can show a notice; nothing crashes.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Signal, Slot

from kiosk.accessibility.speech import DEFAULT_RATE, SpeechBackend, SpeechUnavailable, Utterance, make_synthesizer
from kiosk.ui.sound import has_audio_output


class _Relay(QObject):
    """Carries results from the speech threads to the UI thread.

    It has no parent and the threads hold it, so it outlives a Speaker that is deleted while an
    utterance is being rendered; Qt then simply drops the connection instead of emitting on a
    destroyed object.
    """

    rendered = Signal(int, str, str)  # serial, wav path, text
    failed = Signal(str)
    engine_ready = Signal()


class Speaker(QObject):
    sig_started = Signal(str)
    """Playback of this text began (the visitor starts hearing it)."""

    sig_unavailable = Signal(str)
    """Speech is unavailable (the reason); the speaker is silent from now on."""

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        engine: str = "auto",
        program: str | None = None,
        play: bool = True,
    ) -> None:
        """``engine``: ``[speech] engine`` ("auto", "espeak-ng", "pyttsx3"). ``program``: an espeak-ng
        command to run instead; naming one pins the engine to espeak-ng (a missing one: silence)."""
        super().__init__(parent)
        self.rate = DEFAULT_RATE
        self.volume = 1.0
        self.spoken: list[str] = []
        """Every text asked for, in order (what a visitor would have heard, interruptions aside)."""
        self.requested_at: dict[int, float] = {}
        self.first_audio_ms: list[float] = []
        self.available = True
        self._engine = "espeak-ng" if program else engine
        self._program = program or "espeak-ng"
        self._play = play
        self._synth: SpeechBackend | None = None
        self._synth_ready = threading.Event()
        self._player: object | None = None
        self._output: object | None = None
        self._has_output: bool | None = None
        self._relay = _Relay()
        self._relay.engine_ready.connect(self._probe_outputs)
        self._relay.rendered.connect(self._on_rendered)
        self._relay.failed.connect(self._on_failed)
        relay = self._relay
        threading.Thread(target=self._start_engine, args=(relay,), name="speech-init", daemon=True).start()

    def _start_engine(self, relay: _Relay) -> None:
        try:
            self._synth = make_synthesizer(self._engine, program=self._program)
            if self._play:
                import PySide6.QtMultimedia  # noqa: F401  (loaded here, not on the UI thread mid-sentence)
        except SpeechUnavailable as exc:
            relay.failed.emit(str(exc))
        finally:
            self._synth_ready.set()
            relay.engine_ready.emit()

    @Slot()
    def _probe_outputs(self) -> None:
        """Ask once, on the UI thread and before any speech, whether an audio output exists."""
        if self._play and self._has_output is None:
            self._has_output = has_audio_output()

    def say(self, text: str, lang: str = "ko") -> None:
        """Speak ``text`` now, interrupting whatever is being said."""
        if not text.strip():
            return
        self.spoken.append(text)
        if not self.available:
            return
        self.stop()
        utterance = Utterance(text, lang, self.rate, self.volume)
        relay = self._relay

        def submit() -> None:
            self._synth_ready.wait(10)
            synth = self._synth
            if synth is None:
                return
            serial = synth.request(
                utterance,
                lambda s, path, error: (
                    relay.rendered.emit(s, str(path), text)
                    if error is None and path is not None
                    else relay.failed.emit(str(error))
                ),
            )
            self.requested_at[serial] = started

        started = time.perf_counter()
        if self._synth is not None:
            submit()
        else:
            threading.Thread(target=submit, daemon=True).start()

    RATE_RANGE = (90, 260)
    RATE_STEP = 25
    VOLUME_STEP = 0.2

    def adjust(self, rate_steps: int = 0, volume_steps: int = 0) -> None:
        """Slower/faster and quieter/louder, within limits a listener can still follow."""
        lo, hi = self.RATE_RANGE
        self.rate = max(lo, min(hi, self.rate + rate_steps * self.RATE_STEP))
        self.volume = round(max(0.2, min(1.0, self.volume + volume_steps * self.VOLUME_STEP)), 2)

    def reset_settings(self) -> None:
        self.rate = DEFAULT_RATE
        self.volume = 1.0

    def stop(self) -> None:
        player = self._player
        if player is not None:
            player.stop()  # type: ignore[attr-defined]
            player.setSource(QUrl())  # type: ignore[attr-defined]  # lets go of the file (Windows locks it)

    @Slot(int, str, str)
    def _on_rendered(self, serial: int, path: str, text: str) -> None:
        synth = self._synth
        if synth is not None and serial < synth.latest:
            return  # a newer utterance is on its way
        if self._play:
            self._play_file(Path(path))
        started = self.requested_at.pop(serial, None)
        if started is not None:
            self.first_audio_ms.append((time.perf_counter() - started) * 1000)
        self.sig_started.emit(text)

    def _play_file(self, path: Path) -> None:
        try:
            from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

            self._probe_outputs()
            if not self._has_output:
                return  # no audio device (CI, a kiosk with its earphone jack empty): stay silent
            if self._player is None:
                self._output = QAudioOutput(self)
                self._player = QMediaPlayer(self)
                self._player.setAudioOutput(self._output)
            assert isinstance(self._player, QMediaPlayer) and isinstance(self._output, QAudioOutput)
            self._output.setVolume(self.volume)
            self._player.setSource(QUrl.fromLocalFile(str(path)))
            self._player.play()
        except Exception as exc:
            self._on_failed(str(exc))

    @Slot(str)
    def _on_failed(self, reason: str) -> None:
        if self.available:
            self.available = False
            self.sig_unavailable.emit(reason)

    def wait_ready(self, timeout: float = 10.0) -> bool:
        return self._synth_ready.wait(timeout)
