"""Physical sizes on the configured screen: millimetres ↔ pixels, and what lies within reach.

Korean kiosk criteria (docs/accessibility.md): text glyphs ≥ 12 mm high; controls ≥ 15 mm a side
here (the national minimum is 12 mm and 150 mm²), ≥ 2.5 mm apart; in the low-screen layout every
control between 400 mm and 1,220 mm above the floor. The screen's physical size and mounting height come from the
configuration, so the rules hold on every kiosk model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MIN_CONTROL_MM = 15.0
MIN_GAP_MM = 2.5
MIN_TEXT_MM = 12.0
MIN_LOGICAL_PX = 44
LOW_SCREEN_MIN_MM = 400.0
LOW_SCREEN_MAX_MM = 1220.0


@dataclass(frozen=True)
class Screen:
    """The kiosk's display: its pixel size, its physical size and where it is mounted."""

    # The default is the usual standing public kiosk: a 27-inch full-HD panel in portrait.
    width_px: int = 1080
    height_px: int = 1920
    width_mm: float = 336.0
    height_mm: float = 598.0
    bottom_mm: float = 850.0  # height of the screen's lower edge above the floor

    @property
    def px_per_mm(self) -> float:
        return min(self.width_px / self.width_mm, self.height_px / self.height_mm)

    def px(self, mm: float) -> int:
        return round(mm * self.px_per_mm)

    def mm(self, px: float) -> float:
        return px / self.px_per_mm

    @property
    def min_control_px(self) -> int:
        return max(MIN_LOGICAL_PX, self.px(MIN_CONTROL_MM))

    @property
    def min_text_px(self) -> int:
        """The smallest glyph height, in pixels, that is still 12 mm tall on this screen."""
        return math.ceil(MIN_TEXT_MM * self.px_per_mm)

    def height_above_floor_mm(self, y_px: float) -> float:
        """Height above the floor of a point ``y_px`` pixels from the top of the screen."""
        return self.bottom_mm + (self.height_px - y_px) / self.height_px * self.height_mm

    def low_screen_top_px(self) -> int:
        """The highest pixel row a control may start at so it stays ≤ 1,220 mm above the floor."""
        top_mm = self.bottom_mm + self.height_mm
        if top_mm <= LOW_SCREEN_MAX_MM:
            return 0
        return min(self.height_px, round((top_mm - LOW_SCREEN_MAX_MM) / self.height_mm * self.height_px))
