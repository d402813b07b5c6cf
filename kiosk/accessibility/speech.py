"""Text to speech for voice guidance and calls: espeak-ng (Korean voice ``ko``), rendered to WAV.

Why WAV: playing through a blocking player cannot be cut short, so one engine thread renders
each utterance to a file and the screen plays the file (QtMultimedia), which a newer utterance
interrupts at once.

Why the espeak-ng program and not pyttsx3's espeak driver: reusing a pyttsx3 engine (2.99, the
only way its ``runAndWait`` is allowed to run) applied the speech rate to the wrong utterance and
once wrote an empty file in our tests; the command line renders every request with exactly the
voice, rate and amplitude asked for, in a few tens of milliseconds.

A missing or broken engine raises ``SpeechUnavailable``; callers fall back to silence with a
visible notice, never a crash.
"""

from __future__ import annotations

import queue
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

VOICES = {"ko": "ko", "en": "en-us"}  # espeak-ng ids; note "inc/kok" is Konkani, not Korean
DEFAULT_RATE = 165  # words per minute; slower than espeak's 175 default, for elderly visitors


class SpeechUnavailable(Exception):
    """No speech engine (espeak-ng missing, pyttsx3 broken, no voice for the language)."""


@dataclass(frozen=True)
class Utterance:
    text: str
    lang: str = "ko"
    rate: int = DEFAULT_RATE
    volume: float = 1.0
    variant: str = ""
    """An espeak-ng voice variant (``f3``...): ``ko+f3``; empty for the language's default voice."""


class Synthesizer:
    """Owns the pyttsx3 engine on a single thread and renders utterances to WAV files.

    ``request()`` never blocks: the newest request replaces any that have not started, so a
    visitor moving quickly through the screen hears the current control, not a backlog.
    """

    def __init__(self, program: str = "espeak-ng", directory: Path | None = None) -> None:
        self.program = program
        self._dir = Path(directory or tempfile.mkdtemp(prefix="kiosk-speech-"))
        self._requests: queue.Queue[tuple[int, Utterance, Callable[[int, Path | None, Exception | None], None]]] = (
            queue.Queue()
        )
        self._latest = 0
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._error: Exception | None = None
        self._thread = threading.Thread(target=self._run, name="speech", daemon=True)
        self._thread.start()
        self._ready.wait(10)
        if self._error is not None:
            raise SpeechUnavailable(str(self._error)) from self._error

    def _run(self) -> None:
        exe = shutil.which(self.program)
        if exe is None:
            self._error = FileNotFoundError(f"{self.program} is not installed")
            self._ready.set()
            return
        try:  # the voices the kiosk needs must exist
            listed = subprocess.run([exe, "--voices"], capture_output=True, text=True, timeout=10).stdout
            names = {line.split()[1] for line in listed.splitlines()[1:] if len(line.split()) > 1}
            missing = [v for v in VOICES.values() if v not in names]
            if missing:
                raise SpeechUnavailable(f"espeak-ng has no voice {missing}")
        except Exception as exc:
            self._error = exc
            self._ready.set()
            return
        self._ready.set()
        count = 0
        while True:
            serial, utterance, done = self._requests.get()
            if serial < self._latest:
                continue  # superseded before it started
            count += 1
            path = self._dir / f"utterance-{count % 8}.wav"
            amplitude = round(100 * max(0.0, min(1.0, utterance.volume)))
            voice = VOICES.get(utterance.lang, "ko") + (f"+{utterance.variant}" if utterance.variant else "")
            cmd = [exe, "-v", voice, "-s", str(int(utterance.rate)), "-a", str(amplitude)]
            try:
                subprocess.run(
                    [*cmd, "-w", str(path), "--", utterance.text], check=True, capture_output=True, timeout=30
                )
                done(serial, path, None)
            except Exception as exc:
                done(serial, None, exc)

    def request(self, utterance: Utterance, done: Callable[[int, Path | None, Exception | None], None]) -> int:
        """Queue ``utterance``; ``done(serial, wav_path, error)`` is called from the engine thread."""
        with self._lock:
            self._latest += 1
            serial = self._latest
        self._requests.put((serial, utterance, done))
        return serial

    def render(self, utterance: Utterance, timeout: float = 20.0) -> Path:
        """Render synchronously (tests, benchmarks, pre-rendered prompts)."""
        finished = threading.Event()
        result: list[Path | Exception | None] = [None, None]

        def done(_serial: int, path: Path | None, error: Exception | None) -> None:
            result[0], result[1] = path, error
            finished.set()

        self.request(utterance, done)
        if not finished.wait(timeout):
            raise SpeechUnavailable("speech engine did not answer")
        if isinstance(result[1], Exception):
            raise SpeechUnavailable(str(result[1])) from result[1]
        assert isinstance(result[0], Path)
        return result[0]

    @property
    def latest(self) -> int:
        return self._latest
