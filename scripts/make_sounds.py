"""Synthesize the UI sounds into assets/sounds (stdlib only, so the WAVs are reproducible).

chime.wav: the calling board's two-tone "ding-dong" before a call.
alert.wav: the counter console's short triple beep for a waiting priority visitor.
arrival.wav: the counter console's single soft ding when any new ticket arrives for its services (S2).
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 44100
OUT = Path(__file__).resolve().parent.parent / "assets" / "sounds"


def tone(freq: float, seconds: float, volume: float = 0.5, decay: float = 3.0) -> list[float]:
    n = int(RATE * seconds)
    out = []
    for i in range(n):
        t = i / RATE
        envelope = min(1.0, i / (0.01 * RATE)) * math.exp(-decay * t)
        out.append(volume * envelope * (math.sin(2 * math.pi * freq * t) + 0.3 * math.sin(4 * math.pi * freq * t)))
    return out


def silence(seconds: float) -> list[float]:
    return [0.0] * int(RATE * seconds)


def write(name: str, samples: list[float]) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    peak = max(1e-9, max(abs(s) for s in samples))
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(b"".join(struct.pack("<h", int(32000 * 0.8 * s / peak)) for s in samples))
    return path


def main() -> None:
    write("chime.wav", tone(880.0, 0.55) + tone(698.5, 0.75))
    beep = tone(1320.0, 0.12, decay=0.5) + silence(0.08)
    write("alert.wav", beep * 3)
    write("arrival.wav", tone(1046.5, 0.4, volume=0.3, decay=6.0))


if __name__ == "__main__":
    main()
