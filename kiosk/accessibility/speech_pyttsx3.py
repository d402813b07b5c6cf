"""pyttsx3 as a speech backend: SAPI5 on Windows (voice "Microsoft Heami"), libespeak-ng elsewhere.

One pyttsx3 engine for the whole process, on one thread: ``runAndWait`` must stay on the thread
that made the engine (SAPI5's COM object lives there), and the espeak driver drives the
process-global libespeak-ng (one synthesis callback, one set of parameters): a second engine
takes over the callback, and the first one's renders never finish (a script doing that hung).
So every ``Pyttsx3Synthesizer`` (the screen's speaker, the board's announcer) has its own request
thread, which keeps "the newest request wins", and hands its renders to that one engine thread,
one at a time.

Renders use ``save_to_file`` + ``runAndWait``, never ``say``: pyttsx3 plays ``say`` through a
blocking ``aplay`` (``winsound`` on Windows) that cannot be cut short.

The rate bug (pyttsx3 2.99, espeak driver): a reused engine rendered some utterances at the
previous request's rate, and some (always the first) not at all. Its driver runs libespeak-ng in
``AUDIO_OUTPUT_RETRIEVAL`` mode, which is asynchronous: ``setProperty("rate")`` only queues a
command for espeak-ng's own thread. ``runAndWait`` starts with the driver's ``stop()``, which calls
``espeak_Cancel`` whenever espeak-ng is busy, as it is while applying those parameters: the
cancel restores the previous parameters, and the driver's loop, seeing its stop flag, cancels the
new synthesis as well (``finished-utterance`` with ``completed=False``). Alternating 80 and 300
words per minute, 17 of 40 files came out at the other rate (the driver reported 31 cancels).
Also, ``runAndWait`` returns after the driver's first 10 ms tick while the synthesis may still be
running, and the driver keeps one file name: the next request would rename the file under it (a
render read right after ``runAndWait`` was missing or, for long texts, at the earlier rate).
Hence, for the espeak driver: after setting the properties, wait until espeak-ng is idle (they
are applied) before ``runAndWait``; after it, wait for ``finished-utterance`` (sent once the file
is closed) and for espeak-ng to be idle again. For every driver: the voice is set before the
rate (SAPI5 converts words per minute with the voice's own coefficients), and a WAV without
frames is rendered once more. A fresh engine per utterance would not help: every engine drives
the same process-global library. ``tests/accessibility/test_speech_backends.py`` alternates slow
and fast renders to hold this.
"""

from __future__ import annotations

import logging
import queue
import sys
import threading
import time
import wave
from collections.abc import Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FuturesTimeout
from pathlib import Path
from typing import Any

from kiosk.accessibility.speech import START_TIMEOUT_S, SpeechBackend, SpeechUnavailable, Utterance

log = logging.getLogger(__name__)

RENDER_TIMEOUT_S = 30.0
HUNG_AFTER_S = 3 * RENDER_TIMEOUT_S + 10
"""A render that has not ended by then (its retry and espeak-ng's waits included) never will."""
LANGUAGES = {"ko": ("korean", ("ko", "ko-kr")), "en": ("english", ("en-us",))}
"""Per language: its English name (in SAPI5 voice names), and the tags preferred among its voices
(en-us, as the espeak-ng backend speaks). espeak's Konkani is "inc/kok": never taken for Korean."""
NO_VOICE_HINT = {
    "ko": "on Windows add the Korean speech pack (Settings > Time & language > Language: 한국어, "
    'speech), voice "Microsoft Heami"',
    "en": "on Windows add an English speech pack",
}


def _tags(voice: Any) -> list[str]:
    """The language tags a pyttsx3 voice carries: its languages, and its id's last segment."""
    tags = [str(lang).lower().replace("_", "-") for lang in (voice.languages or [])]
    tail = str(voice.id).replace("\\", "/").rsplit("/", 1)[-1].lower()
    return [*tags, tail]


def voice_score(voice: Any, lang: str) -> int:
    """How well ``voice`` reads ``lang``: 3 a preferred tag, 2 the language, 1 by name, 0 not at all."""
    english_name, preferred = LANGUAGES[lang]
    tags = _tags(voice)
    if any(tag in preferred for tag in tags):
        return 3
    if any(tag == lang or tag.startswith(f"{lang}-") for tag in tags):
        return 2
    return 1 if english_name in str(voice.name or "").lower() else 0


def choose_voices(voices: Sequence[Any], driver: str) -> dict[str, Any]:
    """The voice for each of the kiosk's languages; ``SpeechUnavailable`` names any that is missing."""
    chosen: dict[str, Any] = {}
    for lang in LANGUAGES:
        scored = [(voice_score(v, lang), i) for i, v in enumerate(voices)]
        best = max(scored, default=(0, -1), key=lambda s: (s[0], -s[1]))
        if best[0] == 0:
            name = LANGUAGES[lang][0].capitalize()
            raise SpeechUnavailable(f"pyttsx3 ({driver}) has no {name} voice: {NO_VOICE_HINT[lang]}")
        chosen[lang] = voices[best[1]]
    return chosen


def wav_frames(path: Path) -> int:
    """Frames in a WAV file; 0 when it is missing, empty or not a WAV."""
    try:
        with wave.open(str(path)) as w:
            return w.getnframes()
    except (OSError, EOFError, wave.Error):
        return 0


def _log_print(*args: object, **_: object) -> None:
    log.debug("pyttsx3: %s", " ".join(map(str, args)))


class _Engine:
    """The process's one pyttsx3 engine and the one thread that touches it."""

    def __init__(self) -> None:
        self.driver = ""
        self.voices: dict[str, Any] = {}
        self._engine: Any = None
        self._jobs: queue.Queue[tuple[Utterance, Path, Future[None]]] = queue.Queue()
        self._espeak: Any = None
        self._finished = threading.Event()
        self._completed = True
        self._errors: list[Exception] = []
        self._ready = threading.Event()
        self.error: Exception | None = None
        self.thread = threading.Thread(target=self._run, name="pyttsx3", daemon=True)
        self.thread.start()
        if not self._ready.wait(START_TIMEOUT_S):
            self.error = SpeechUnavailable(f"pyttsx3 did not start within {START_TIMEOUT_S:.0f} s")

    def submit(self, utterance: Utterance, path: Path) -> Future[None]:
        if self.error is not None:  # broken (a render that never ended): fail at once, not after a wait
            raise SpeechUnavailable(str(self.error))
        future: Future[None] = Future()
        self._jobs.put((utterance, path, future))
        return future

    def broken(self, reason: str) -> None:
        """A render never ended: this engine speaks no more, and what waits for it is cancelled."""
        self.error = SpeechUnavailable(reason)
        log.error("speech off: %s", reason)
        while True:
            try:
                _utterance, _path, future = self._jobs.get_nowait()
            except queue.Empty:
                return
            future.cancel()

    def _open(self) -> None:
        if sys.platform == "win32":  # SAPI5 is COM: this thread needs its own apartment
            import comtypes

            comtypes.CoInitialize()
        try:
            import pyttsx3  # type: ignore[import-untyped]
        except ImportError:
            raise SpeechUnavailable("pyttsx3 is not installed") from None
        try:
            # Not pyttsx3.init(): that hands out one shared engine per driver to any thread that asks.
            engine = pyttsx3.Engine()
        except Exception as exc:  # a missing libespeak-ng, a broken SAPI5...
            raise SpeechUnavailable(f"pyttsx3 could not start: {exc}") from exc
        self.driver = str(engine.driver_name)
        engine.connect("finished-utterance", self._on_finished)
        engine.connect("error", lambda name, exception: self._errors.append(exception))
        if self.driver == "espeak":
            from pyttsx3.drivers import _espeak  # type: ignore[import-untyped]

            self._espeak = _espeak
            # Its driver prints "Audio saved to ..." for every file: to the log, not to our stdout.
            vars(sys.modules["pyttsx3.drivers.espeak"])["print"] = _log_print
        self.voices = choose_voices(engine.getProperty("voices"), self.driver)
        # Until its first run the engine queues setProperty instead of applying it; run it empty once.
        engine.runAndWait()
        self._idle()
        self._engine = engine

    def _on_finished(self, name: object = None, completed: bool = True) -> None:
        self._completed = bool(completed)
        self._finished.set()

    def _idle(self) -> None:
        """Wait until espeak-ng's own thread has run everything queued (parameters are commands too)."""
        if self._espeak is None:
            return
        deadline = time.monotonic() + RENDER_TIMEOUT_S
        while self._espeak.IsPlaying():
            if time.monotonic() > deadline:
                raise RuntimeError("espeak-ng stays busy")
            time.sleep(0.0005)

    def _run(self) -> None:
        try:
            self._open()
        except Exception as exc:
            self.error = exc
            self._ready.set()
            return
        self._ready.set()
        while True:
            utterance, path, future = self._jobs.get()
            if not future.set_running_or_notify_cancel():
                continue
            try:
                self._render(utterance, path)
            except Exception as exc:
                future.set_exception(exc)
            else:
                future.set_result(None)

    def _render(self, utterance: Utterance, path: Path) -> None:
        problem = ""
        path.parent.mkdir(parents=True, exist_ok=True)  # the driver cannot say it failed to write
        for attempt in (1, 2):
            path.unlink(missing_ok=True)
            try:
                self._save(utterance, path)
            except RuntimeError as exc:
                problem = str(exc)
            else:
                if wav_frames(path) > 0:
                    return
                problem = f"pyttsx3 ({self.driver}) wrote no audio for {utterance.text!r}"
            log.warning("%s (attempt %d)", problem, attempt)
        raise RuntimeError(problem)

    def _save(self, utterance: Utterance, path: Path) -> None:
        engine = self._engine
        voice = str(self.voices.get(utterance.lang, self.voices["ko"]).id)
        if utterance.variant and self.driver == "espeak":
            voice += f"+{utterance.variant}"  # SAPI5 voices have no variants
        self._errors.clear()
        engine.setProperty("voice", voice)  # first: a voice change re-derives the rate (SAPI5)
        engine.setProperty("rate", int(utterance.rate))
        engine.setProperty("volume", max(0.0, min(1.0, float(utterance.volume))))
        self._idle()  # applied: else runAndWait's stop() cancels them, and this utterance with them
        self._finished.clear()
        engine.save_to_file(utterance.text, str(path))
        engine.runAndWait()
        if self._espeak is not None:
            if not self._finished.wait(RENDER_TIMEOUT_S):
                raise RuntimeError(f"espeak-ng did not finish {utterance.text!r}")
            self._idle()  # its thread has left the driver's callback: the next request may start
            if not self._completed:
                raise RuntimeError(f"espeak-ng cancelled {utterance.text!r}")
        if self._errors:
            raise self._errors[0]


_shared: _Engine | None = None
_shared_lock = threading.Lock()


def shared_engine() -> _Engine:
    """The process's pyttsx3 engine, started on first use (again after a failed start)."""
    global _shared
    with _shared_lock:
        # A failed start is tried again; an engine whose thread is still inside pyttsx3 (a start
        # that timed out, a render that never ended) is not replaced: a second engine would take
        # over libespeak-ng's callback from under it.
        if _shared is None or (_shared.error is not None and not _shared.thread.is_alive()):
            _shared = _Engine()
        if _shared.error is not None:
            raise SpeechUnavailable(str(_shared.error)) from _shared.error
        return _shared


class Pyttsx3Synthesizer(SpeechBackend):
    """``Synthesizer``'s interface over pyttsx3; ``SpeechUnavailable`` without it or a Korean voice."""

    engine = "pyttsx3"
    start_timeout = 2 * START_TIMEOUT_S + 5
    """Longer than the engine's own start: another synthesizer may be starting the shared engine."""

    def __init__(self, directory: Path | None = None) -> None:
        self._shared: _Engine | None = None
        super().__init__(directory)

    def _open(self) -> None:
        self._shared = shared_engine()
        self.engine = f"pyttsx3 {self._shared.driver}"

    def _render(self, utterance: Utterance, path: Path) -> None:
        assert self._shared is not None
        future = self._shared.submit(utterance, path)
        try:
            future.result(HUNG_AFTER_S)
        except FuturesTimeout:
            future.cancel()
            reason = f"pyttsx3 ({self._shared.driver}) did not finish a render in {HUNG_AFTER_S:.0f} s"
            self._shared.broken(reason)
            raise SpeechUnavailable(reason) from None

    def voice_name(self, lang: str) -> str:
        assert self._shared is not None
        voice = self._shared.voices.get(lang, self._shared.voices["ko"])
        short_id = len(str(voice.id)) <= 16  # espeak's "ko", not SAPI5's registry path
        return f"{voice.name} ({voice.id})" if voice.name and short_id else str(voice.name or voice.id)
