"""Where shipped files live: ``assets/`` beside the package (source tree) or inside it (wheel)."""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


def assets_dir() -> Path:
    for candidate in (_PKG / "assets", _PKG.parent / "assets"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("assets directory not found next to the kiosk package")


def asset(*parts: str) -> Path:
    return assets_dir().joinpath(*parts)


def seat_chart_dir() -> Path:
    """The shipped seat-chart files (demo offices, schema): ``seat_chart/`` beside or inside the package."""
    for candidate in (_PKG / "seat_chart", _PKG.parent / "seat_chart"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("seat_chart directory not found next to the kiosk package")
