"""Short UI sounds (chime, alert) through QtMultimedia, never fatal.

A kiosk without a working audio device (or a CI machine) must still run: if no output exists or
playback fails, the sound is skipped and the visual signal carries the message alone.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QUrl

from kiosk.paths import asset


class Sound(QObject):
    def __init__(self, name: str, parent: QObject | None = None, volume: float = 0.8) -> None:
        super().__init__(parent)
        self.path = asset("sounds", f"{name}.wav")
        self.volume = volume
        self.plays = 0
        self._effect: object | None = None

    def play(self) -> bool:
        """Play the sound if audio is available; returns whether playback was started."""
        self.plays += 1
        try:
            from PySide6.QtMultimedia import QMediaDevices, QSoundEffect

            if not QMediaDevices.audioOutputs() or not self.path.exists():
                return False
            if self._effect is None:
                effect = QSoundEffect(self)
                effect.setSource(QUrl.fromLocalFile(str(self.path)))
                effect.setVolume(self.volume)
                self._effect = effect
            assert isinstance(self._effect, QSoundEffect)
            self._effect.play()
            return True
        except Exception:
            return False


def has_audio_output() -> bool:
    """Whether the machine has an audio output to play on (ask on the UI thread, once)."""
    try:
        from PySide6.QtMultimedia import QMediaDevices

        return bool(QMediaDevices.audioOutputs())
    except Exception:
        return False
