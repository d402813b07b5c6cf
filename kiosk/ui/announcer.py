"""Calls read out on the calling board: a queue of announcements, each heard whole, one at a time.

Each announcement is the chime, then the call in Korean, then in English if the facility wants it
(``[board] english``). The next one starts only when the last has finished playing. This is the
opposite of voice guidance (``kiosk.ui.voice.Speaker``), where the newest utterance interrupts:
a visitor waiting for "에이 공공일" must hear it even when three counters call at once.

Nothing here waits. The texts are rendered to WAV on the speech engine's thread (the same
speech backend and voices as guidance, its own instance so guidance never supersedes a
call), the first one while the chime plays; playback is QtMultimedia on the UI thread; results come
back as queued signals.

Without an audio output (a board whose loudspeaker is unplugged, CI) the announcer keeps time by
the length of each WAV and of the chime: announcements follow each other at the same pace, and
screens and tests see the same signals, as with a loudspeaker. With one, the player's end of media
ends a part (and the WAV's length plus a margin, should the audio backend never report it).

Without a speech engine the board still shows and chimes every call; that is logged once and
``sig_unavailable`` is emitted.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
import wave
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, QUrl, Signal, Slot

from kiosk.accessibility.speech import SpeechBackend, SpeechUnavailable, Utterance, make_synthesizer
from kiosk.config import BoardConfig
from kiosk.domain.announce import call_text
from kiosk.i18n import tr
from kiosk.ui.sound import Sound, has_audio_output

log = logging.getLogger(__name__)

END_MARGIN_MS = 1500
"""How long past a WAV's length a playing part may run before it is taken as finished anyway."""


def wav_seconds(path: Path) -> float:
    """A WAV file's length (header only); 0 when it cannot be read."""
    try:
        with wave.open(str(path)) as w:
            return w.getnframes() / float(w.getframerate() or 1)
    except (OSError, EOFError, wave.Error):
        return 0.0


def call_texts(number: str, counter: int, config: BoardConfig, *, recall: bool = False) -> list[tuple[str, str]]:
    """(language, sentence) for one call: Korean, then English if configured."""
    langs = ("ko", "en") if config.english else ("ko",)
    # Without parameters ``tr`` returns the catalog's template itself; ``call_text`` fills it.
    return [
        (
            lang,
            call_text(
                number,
                counter,
                lang,
                tr("announce.call", lang),
                letters=config.letters,
                again=tr("announce.recall", lang) if recall else None,
            ),
        )
        for lang in langs
    ]


@dataclass
class _Announcement:
    id: int
    texts: list[tuple[str, str]]
    paths: dict[int, Path] = field(default_factory=dict)
    failed: set[int] = field(default_factory=set)
    requested: bool = False
    part: int = 0
    """The next part to play (index into ``texts``)."""


class _Relay(QObject):
    """Carries the engine thread's results to the UI thread; no parent, so it outlives the announcer."""

    ready = Signal(str)  # "" when the engine started, else why not
    rendered = Signal(int, int, str)  # announcement id, part, wav path
    failed = Signal(int, int, str)  # announcement id, part, reason


class Announcer(QObject):
    sig_started = Signal(str)
    """This text began playing (its WAV is rendered; the chime before it has finished)."""

    sig_finished = Signal(str)
    """This text finished playing; the next part or announcement may start."""

    sig_rendered = Signal(str)
    """This text's WAV is ready; it plays in its turn (after the chime and any part before it)."""

    sig_unavailable = Signal(str)
    """No speech engine (the reason): calls are chimed and shown, not spoken. Emitted once."""

    def __init__(
        self,
        config: BoardConfig | None = None,
        parent: QObject | None = None,
        *,
        engine: str = "auto",
        program: str | None = None,
        play: bool = True,
    ) -> None:
        """``engine``: ``[speech] engine``. ``program``: an espeak-ng command to run instead; naming one
        pins the engine to espeak-ng (a missing one: calls chimed, not spoken)."""
        super().__init__(parent)
        self.config = config or BoardConfig()
        # A short two-note call sign (0.4 s): the voice follows within half a second of the call showing.
        self.chime = Sound("call", self, volume=self.config.volume)
        self.chime_ms = round(wav_seconds(self.chime.path) * 1000)
        self.available = True
        self._play = play
        self._ids = itertools.count(1)
        self._queue: deque[_Announcement] = deque()
        self._current: _Announcement | None = None
        self._phase = ""  # "chime", "render" (chime over, WAV not yet), "speech"
        self._synth: SpeechBackend | None = None
        self._engine_ready = False
        self._has_output: bool | None = None
        self._player: object | None = None
        self._output: object | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse timer may end a part 5% early
        self._timer.timeout.connect(self._on_timer)
        self._relay = _Relay()
        self._relay.ready.connect(self._on_ready)
        self._relay.rendered.connect(self._on_rendered)
        self._relay.failed.connect(self._on_failed)
        relay = self._relay
        engine, program = ("espeak-ng", program) if program else (engine, "espeak-ng")
        threading.Thread(
            target=self._start_engine, args=(relay, engine, program), name="announcer-init", daemon=True
        ).start()

    # --- the queue -------------------------------------------------------------------------

    def announce_call(self, number: str, counter: int, *, recall: bool = False) -> None:
        """Queue the call of ``number`` to ``counter`` (a recall is queued the same way, again)."""
        self.enqueue(call_texts(number, counter, self.config, recall=recall))

    def enqueue(self, texts: Sequence[tuple[str, str]]) -> None:
        """Queue one announcement: the chime, then each (language, text) in order."""
        self._queue.append(_Announcement(next(self._ids), [(lang, t) for lang, t in texts if t.strip()]))
        self._next()

    @property
    def busy(self) -> bool:
        """An announcement is playing (or its speech is being rendered)."""
        return self._current is not None

    @property
    def pending(self) -> int:
        """Announcements waiting for the current one to finish."""
        return len(self._queue)

    def _next(self) -> None:
        if self._current is not None or not self._queue:
            return
        item = self._current = self._queue.popleft()
        self._request(item)  # rendered while the chime plays
        self._phase = "chime"
        self.chime.play()
        self._timer.start(self.chime_ms)

    def _request(self, item: _Announcement) -> None:
        if not self.available:
            item.failed.update(range(len(item.texts)))  # chimed, not spoken
            return
        if item.requested or not self._engine_ready:
            return  # rendering starts when the engine is ready (``_on_ready``)
        item.requested = True
        self._render(item, 0)

    def _render(self, item: _Announcement, part: int) -> None:
        """Render one part on the engine thread; the next part is asked for when this one is done.

        One request at a time: the synthesizer drops requests overtaken by newer ones.
        """
        synth = self._synth
        if part >= len(item.texts):
            return
        if synth is None or not self.available:
            item.failed.update(range(part, len(item.texts)))
            return
        lang, text = item.texts[part]
        relay, ident = self._relay, item.id
        synth.request(
            Utterance(text, lang, self.config.rate, self.config.volume, self.config.voice),
            lambda _s, path, error: (
                relay.rendered.emit(ident, part, str(path))
                if error is None and path is not None
                else relay.failed.emit(ident, part, str(error))
            ),
        )

    def _play_next_part(self) -> None:
        item = self._current
        if item is None:
            return
        while item.part in item.failed:
            item.part += 1
        if item.part >= len(item.texts):
            self._current, self._phase = None, ""
            self._next()
            return
        path = item.paths.get(item.part)
        if path is None:
            self._phase = "render"  # ``_on_rendered`` / ``_on_failed`` carry on
            return
        self._phase = "speech"
        seconds = wav_seconds(path)
        playing = self._start_playback(path)
        self._timer.start(round(seconds * 1000) + (END_MARGIN_MS if playing else 0))
        self.sig_started.emit(item.texts[item.part][1])

    def _part_done(self) -> None:
        item = self._current
        if item is None or self._phase != "speech":
            return
        self._timer.stop()
        text = item.texts[item.part][1]
        item.part += 1
        self._phase = ""
        self.sig_finished.emit(text)
        self._play_next_part()

    @Slot()
    def _on_timer(self) -> None:
        if self._phase == "chime":
            self._play_next_part()
        elif self._phase == "speech":
            self._part_done()

    # --- the engine thread's results ----------------------------------------------------------

    def _start_engine(self, relay: _Relay, engine: str, program: str) -> None:
        try:
            self._synth = make_synthesizer(engine, program=program)
            if self._play:
                import PySide6.QtMultimedia  # noqa: F401  (loaded here, not on the UI thread mid-call)
            relay.ready.emit("")
        except SpeechUnavailable as exc:
            relay.ready.emit(str(exc) or "speech engine unavailable")

    @Slot(str)
    def _on_ready(self, reason: str) -> None:
        if reason:
            self._unavailable(reason)
            return
        self._engine_ready = True
        self._probe_outputs()
        if self._current is not None:
            self._request(self._current)

    @Slot(int, int, str)
    def _on_rendered(self, ident: int, part: int, path: str) -> None:
        item = self._current
        if item is None or item.id != ident:
            return
        item.paths[part] = Path(path)
        self.sig_rendered.emit(item.texts[part][1])
        self._render(item, part + 1)
        if self._phase == "render" and part == item.part:
            self._play_next_part()

    @Slot(int, int, str)
    def _on_failed(self, ident: int, part: int, reason: str) -> None:
        log.warning("a call could not be rendered to speech: %s", reason)
        item = self._current
        if item is None or item.id != ident:
            return
        item.failed.add(part)
        self._render(item, part + 1)
        if self._phase == "render":
            self._play_next_part()

    def _unavailable(self, reason: str) -> None:
        if self.available:
            self.available = False
            log.warning("calls will not be spoken: %s", reason)
            self.sig_unavailable.emit(reason)
        item = self._current
        if item is not None:
            item.failed.update(i for i in range(len(item.texts)) if i not in item.paths)
            if self._phase == "render":
                self._play_next_part()

    # --- playback (UI thread) --------------------------------------------------------------------

    def _probe_outputs(self) -> None:
        if self._play and self._has_output is None:
            self._has_output = has_audio_output()

    def _start_playback(self, path: Path) -> bool:
        """Play ``path``; whether it is really playing (else the WAV's length keeps the time)."""
        if not self._play or not self._has_output:
            return False
        try:
            from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

            if self._player is None:
                self._output = QAudioOutput(self)
                player = QMediaPlayer(self)
                player.setAudioOutput(self._output)
                player.mediaStatusChanged.connect(self._on_media_status)
                self._player = player
            assert isinstance(self._player, QMediaPlayer) and isinstance(self._output, QAudioOutput)
            self._output.setVolume(1.0)  # the loudness is in the WAV (espeak-ng's amplitude)
            self._player.setSource(QUrl())  # the engine reuses file names: always reload
            self._player.setSource(QUrl.fromLocalFile(str(path)))
            self._player.play()
            return True
        except Exception as exc:
            log.warning("a call could not be played: %s", exc)
            return False

    @Slot(object)
    def _on_media_status(self, status: object) -> None:
        from PySide6.QtMultimedia import QMediaPlayer

        if status == QMediaPlayer.MediaStatus.EndOfMedia:
            self._part_done()
        elif status == QMediaPlayer.MediaStatus.InvalidMedia:
            log.warning("a rendered call could not be decoded; timed by its length instead")

    @property
    def ready(self) -> bool:
        """The speech engine has started (calls are spoken from now on)."""
        return self._engine_ready

    def wait_ready(self, timeout: float = 10.0) -> bool:
        """For benchmarks and scripts: process events until the engine has started (or failed)."""
        from PySide6.QtCore import QCoreApplication

        deadline = time.monotonic() + timeout
        while not self._engine_ready and self.available and time.monotonic() < deadline:
            QCoreApplication.processEvents()
            time.sleep(0.005)
        return self._engine_ready
