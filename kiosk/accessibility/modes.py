"""Accessibility modes a visitor (or the facility's configuration) can switch on, in any combination.

Large text, high contrast, voice guidance and the low-screen (wheelchair) layout. Modes reset to
the facility's defaults for the next visitor; any mode at least doubles the idle time.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass


class Mode(enum.StrEnum):
    LARGE_TEXT = "large-text"
    HIGH_CONTRAST = "high-contrast"
    VOICE = "voice"
    LOW_SCREEN = "low-screen"


@dataclass(frozen=True)
class Modes:
    active: frozenset[Mode] = frozenset()

    @classmethod
    def parse(cls, text: str | Iterable[str] | None) -> Modes:
        """``"large-text,voice"`` (or a list); unknown names raise ``ValueError`` naming them."""
        if text is None:
            return cls()
        parts = [p.strip() for p in (text.split(",") if isinstance(text, str) else text) if p.strip()]
        unknown = [p for p in parts if p not in {m.value for m in Mode}]
        if unknown:
            raise ValueError(f"unknown accessibility mode(s): {', '.join(unknown)}")
        return cls(frozenset(Mode(p) for p in parts))

    def __contains__(self, mode: object) -> bool:
        return mode in self.active

    def toggled(self, mode: Mode) -> Modes:
        return Modes(self.active ^ {mode})

    @property
    def scale(self) -> float:
        """How much everything visual is enlarged (KS X 9211 / the 2025 notice: all of it, 200 %)."""
        return 2.0 if Mode.LARGE_TEXT in self.active else 1.0

    @property
    def timeout_factor(self) -> int:
        """Idle timeouts are at least doubled in any accessibility mode (more time)."""
        return 2 if self.active else 1

    def names(self) -> list[str]:
        return sorted(m.value for m in self.active)
