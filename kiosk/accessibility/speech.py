"""Text to speech for voice guidance and calls, rendered to WAV: espeak-ng, or pyttsx3 (SAPI5 on Windows).

Why WAV: playing through a blocking player cannot be cut short, so an engine thread renders each
utterance to a file and the screen plays the file (QtMultimedia), which a newer utterance
interrupts at once.

Two backends with one interface (``SpeechBackend``): ``Synthesizer`` runs the espeak-ng command
line (Korean voice ``ko``), which renders every request with exactly the voice, rate and amplitude
asked for, in a few tens of milliseconds; ``Pyttsx3Synthesizer`` (``speech_pyttsx3``) drives
pyttsx3, which is SAPI5 on Windows (no espeak-ng there; Korean voice "Microsoft Heami").
``make_synthesizer`` picks one from the ``[speech] engine`` setting; "auto" is espeak-ng when its
program is installed, else pyttsx3.

A missing or broken engine raises ``SpeechUnavailable``; callers fall back to silence with a
visible notice, never a crash.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import shutil
import subprocess
import tempfile
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)
VOICES = {"ko": "ko", "en": "en-us"}  # espeak-ng ids; note "inc/kok" is Konkani, not Korean
DEFAULT_RATE = 165  # words per minute; slower than espeak's 175 default, for elderly visitors
ENGINES = ("auto", "espeak-ng", "pyttsx3")
"""The ``[speech] engine`` values."""
START_TIMEOUT_S = 20.0

Done = Callable[[int, Path | None, Exception | None], None]


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


class SpeechBackend(ABC):
    """One engine thread that renders utterances to WAV files; the newest request wins.

    ``request()`` never blocks: the newest request replaces any that have not started, so a
    visitor moving quickly through the screen hears the current control, not a backlog.
    Subclasses say how to start (``_open``, on the thread: raise if unusable) and how to render
    one utterance to a path (``_render``, on the thread).
    """

    engine = "?"
    start_timeout = START_TIMEOUT_S
    """How long the constructor waits for ``_open`` before the engine counts as unavailable."""
    """What speaks, for people: "espeak-ng", "pyttsx3 sapi5"..."""

    def __init__(self, directory: Path | None = None) -> None:
        self._dir = Path(directory or tempfile.mkdtemp(prefix="kiosk-speech-"))
        self._dir.mkdir(parents=True, exist_ok=True)
        self._requests: queue.Queue[tuple[int, Utterance, Done]] = queue.Queue()
        self._latest = 0
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._error: Exception | None = None
        self._thread = threading.Thread(target=self._run, name="speech", daemon=True)
        self._thread.start()
        if not self._ready.wait(self.start_timeout):
            raise SpeechUnavailable(f"{self.engine} did not start within {self.start_timeout:.0f} s")
        if self._error is not None:
            raise SpeechUnavailable(str(self._error)) from self._error

    @abstractmethod
    def _open(self) -> None: ...

    @abstractmethod
    def _render(self, utterance: Utterance, path: Path) -> None: ...

    @abstractmethod
    def voice_name(self, lang: str) -> str:
        """The voice that reads ``lang`` (for the self-test and the log)."""

    def _run(self) -> None:
        try:
            self._open()
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
            # A new name each time: a file a player still holds (Windows locks it) is never
            # rewritten; the one from eight renders ago goes, if nothing holds it any more.
            path = self._dir / f"utterance-{count}.wav"
            with contextlib.suppress(OSError):  # still open somewhere: left for the temp folder's clean-up
                (self._dir / f"utterance-{count - 8}.wav").unlink(missing_ok=True)
            try:
                self._render(utterance, path)
            except Exception as exc:
                self._tell(done, serial, None, exc)
            else:
                self._tell(done, serial, path, None)

    @staticmethod
    def _tell(done: Done, serial: int, path: Path | None, error: Exception | None) -> None:
        """Hand a result to its caller; a caller's own error never stops the engine thread."""
        try:
            done(serial, path, error)
        except Exception:
            log.exception("a speech result could not be handed over")

    def request(self, utterance: Utterance, done: Done) -> int:
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


class Synthesizer(SpeechBackend):
    """The espeak-ng command line, one run per utterance (``-w`` writes the WAV)."""

    engine = "espeak-ng"

    def __init__(self, program: str = "espeak-ng", directory: Path | None = None) -> None:
        self.program = program
        self._exe = ""
        super().__init__(directory)

    def _open(self) -> None:
        exe = shutil.which(self.program)
        if exe is None:
            raise FileNotFoundError(f"{self.program} is not installed")
        # the voices the kiosk needs must exist
        listed = subprocess.run([exe, "--voices"], capture_output=True, text=True, timeout=10).stdout
        names = {line.split()[1] for line in listed.splitlines()[1:] if len(line.split()) > 1}
        missing = [v for v in VOICES.values() if v not in names]
        if missing:
            raise SpeechUnavailable(f"espeak-ng has no voice {missing}")
        self._exe = exe

    def _render(self, utterance: Utterance, path: Path) -> None:
        amplitude = round(100 * max(0.0, min(1.0, utterance.volume)))
        voice = VOICES.get(utterance.lang, "ko") + (f"+{utterance.variant}" if utterance.variant else "")
        cmd = [self._exe, "-v", voice, "-s", str(int(utterance.rate)), "-a", str(amplitude)]
        subprocess.run([*cmd, "-w", str(path), "--", utterance.text], check=True, capture_output=True, timeout=30)

    def voice_name(self, lang: str) -> str:
        return VOICES.get(lang, "ko")


def make_synthesizer(engine: str = "auto", program: str = "espeak-ng", directory: Path | None = None) -> SpeechBackend:
    """The speech backend for ``[speech] engine``: "espeak-ng", "pyttsx3", or "auto".

    "auto" is espeak-ng when ``program`` is installed (Linux kiosks), else pyttsx3 (Windows, where
    it is SAPI5: no configuration needed there). Raises ``SpeechUnavailable`` with every reason.
    """
    if engine not in ENGINES:  # the configuration checks this; a caller's typo is silence, not a crash
        raise SpeechUnavailable(f"unknown speech engine {engine!r} (one of {', '.join(ENGINES)})")
    reasons: list[str] = []
    if engine == "espeak-ng" or (engine == "auto" and shutil.which(program)):
        try:
            return Synthesizer(program=program, directory=directory)
        except SpeechUnavailable as exc:
            if engine == "espeak-ng":
                raise
            reasons.append(f"espeak-ng: {exc}")
    elif engine == "auto":
        reasons.append(f"{program} is not installed")
    from kiosk.accessibility.speech_pyttsx3 import Pyttsx3Synthesizer

    try:
        return Pyttsx3Synthesizer(directory=directory)
    except SpeechUnavailable as exc:
        if engine == "pyttsx3":
            raise
        raise SpeechUnavailable("; ".join([*reasons, f"pyttsx3: {exc}"])) from exc
