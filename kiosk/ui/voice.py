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

from kiosk.accessibility.speech import DEFAULT_RATE, SpeechUnavailable, Synthesizer, Utterance


class Speaker(QObject):
    sig_started = Signal(str)
    """Playback of this text began (the visitor starts hearing it)."""

    sig_unavailable = Signal(str)
    """Speech is unavailable (the reason); the speaker is silent from now on."""

    _sig_rendered = Signal(int, str, str)  # serial, wav path, text (engine thread → UI thread)
    _sig_failed = Signal(str)
    _sig_engine_ready = Signal()

    def __init__(self, parent: QObject | None = None, *, program: str = "espeak-ng", play: bool = True) -> None:
        super().__init__(parent)
        self.rate = DEFAULT_RATE
        self.volume = 1.0
        self.spoken: list[str] = []
        """Every text asked for, in order (what a visitor would have heard, interruptions aside)."""
        self.requested_at: dict[int, float] = {}
        self.first_audio_ms: list[float] = []
        self.available = True
        self._program = program
        self._play = play
        self._synth: Synthesizer | None = None
        self._synth_ready = threading.Event()
        self._player: object | None = None
        self._output: object | None = None
        self._has_output: bool | None = None
        self._sig_engine_ready.connect(self._probe_outputs)
        self._sig_rendered.connect(self._on_rendered)
        self._sig_failed.connect(self._on_failed)
        threading.Thread(target=self._start_engine, name="speech-init", daemon=True).start()

    def _start_engine(self) -> None:
        try:
            self._synth = Synthesizer(program=self._program)
            if self._play:
                import PySide6.QtMultimedia  # noqa: F401  (loaded here, not on the UI thread mid-sentence)
        except SpeechUnavailable as exc:
            self._sig_failed.emit(str(exc))
        finally:
            self._synth_ready.set()
            self._sig_engine_ready.emit()

    @Slot()
    def _probe_outputs(self) -> None:
        """Ask once, on the UI thread and before any speech, whether an audio output exists."""
        if self._play and self._has_output is None:
            try:
                from PySide6.QtMultimedia import QMediaDevices

                self._has_output = bool(QMediaDevices.audioOutputs())
            except Exception:
                self._has_output = False

    def say(self, text: str, lang: str = "ko") -> None:
        """Speak ``text`` now, interrupting whatever is being said."""
        if not text.strip():
            return
        self.spoken.append(text)
        if not self.available:
            return
        self.stop()
        utterance = Utterance(text, lang, self.rate, self.volume)

        def submit() -> None:
            self._synth_ready.wait(10)
            synth = self._synth
            if synth is None:
                return
            serial = synth.request(
                utterance,
                lambda s, path, error: (
                    self._sig_rendered.emit(s, str(path), text)
                    if error is None and path is not None
                    else self._sig_failed.emit(str(error))
                ),
            )
            self.requested_at[serial] = started

        started = time.perf_counter()
        if self._synth is not None:
            submit()
        else:
            threading.Thread(target=submit, daemon=True).start()

    def stop(self) -> None:
        player = self._player
        if player is not None:
            player.stop()  # type: ignore[attr-defined]

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
