"""The accessibility audit: every screen, every state, every mode, both languages.

For each interactive widget it checks what assistive technology and visitors depend on: an
accessible name (read the way Orca reads it, through ``QAccessible``), a spoken label, a target
size, spacing from its neighbours, text that is not clipped, and keyboard reachability; for each
mode it checks the palette's contrast. Screens come from ``kiosk.ui.app.SCREENS``, so new screens
are audited without new tests.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import combinations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractButton, QApplication, QCheckBox, QComboBox, QLabel, QListWidget, QWidget

from kiosk.accessibility.contrast import contrast_ratio
from kiosk.accessibility.modes import Mode, Modes
from kiosk.accessibility.sizes import MIN_GAP_MM, MIN_LOGICAL_PX
from kiosk.ui.context import UiContext
from kiosk.ui.theme import HIGH_CONTRAST, STANDARD, glyph_height

CHECKS = ("name", "spoken", "size", "spacing", "text size", "contrast", "clipping", "keyboard")
STAFF_MIN_PX = 44
MODE_SETS = ("", "large-text", "high-contrast", "voice", "low-screen", "large-text,high-contrast,voice,low-screen")
INTERACTIVE = (QAbstractButton, QComboBox, QListWidget)


@dataclass
class AuditResult:
    checked: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    failures: list[str] = field(default_factory=list)

    def count(self, screen: str, check: str, n: int = 1) -> None:
        self.checked[(screen, check)] += n

    def fail(self, where: str, check: str, what: str) -> None:
        self.failures.append(f"{where}: {check}: {what}")

    def table(self) -> str:
        """Screens × checks: how many items each check looked at, and how many failed."""
        screens = sorted({s for s, _ in self.checked})
        failed: dict[tuple[str, str], int] = defaultdict(int)
        for f in self.failures:
            where, check, _ = f.split(": ", 2)
            failed[(where.split(" ")[0], check)] += 1
        lines = ["| screen | " + " | ".join(CHECKS) + " |", "|---|" + "---|" * len(CHECKS)]
        for s in screens:
            cells = []
            for c in CHECKS:
                n, bad = self.checked.get((s, c), 0), failed.get((s, c), 0)
                cells.append("—" if n == 0 else (f"{n} ✓" if bad == 0 else f"{bad}/{n} ✗"))
            lines.append(f"| {s} | " + " | ".join(cells) + " |")
        return "\n".join(lines)


def accessible_name(w: QWidget) -> str:
    iface = QAccessible.queryAccessibleInterface(w)
    return "" if iface is None else iface.text(QAccessible.Text.Name)


def _interactive(root: QWidget) -> list[QWidget]:
    return [w for w in root.findChildren(QWidget) if isinstance(w, INTERACTIVE) and w.isVisibleTo(root)]


def _rect(w: QWidget, root: QWidget) -> QRect:
    return QRect(w.mapTo(root, w.rect().topLeft()), w.size())


def _gap(a: QRect, b: QRect) -> int:
    dx = max(b.left() - a.right(), a.left() - b.right(), 0)
    dy = max(b.top() - a.bottom(), a.top() - b.bottom(), 0)
    return max(dx, dy) if a.intersects(b) is False else -1


def _settle(ctx: UiContext) -> None:
    app = QApplication.instance()
    for _ in range(8):
        ctx.ops.wait()
        if app is not None:
            app.processEvents()


def audit_widget(screen: QWidget, name: str, audience: str, ctx: UiContext, result: AuditResult, where: str) -> None:
    modes = ctx.modes
    geometry = ctx.config.screen
    visitor = audience == "visitor"
    min_px = max(MIN_LOGICAL_PX, geometry.min_control_px) if visitor else STAFF_MIN_PX
    widgets = _interactive(screen)
    describe: Callable[[QWidget], str] | None = getattr(screen, "describe", None)
    for w in widgets:
        label = accessible_name(w) or type(w).__name__
        result.count(name, "name")
        if not accessible_name(w).strip():
            result.fail(where, "name", f"{type(w).__name__} has no accessible name")
        result.count(name, "spoken")
        spoken = describe(w) if describe is not None else accessible_name(w)
        if not spoken.strip():
            result.fail(where, "spoken", f"{label}: nothing to speak")
        if isinstance(w, (QAbstractButton, QComboBox)) and not isinstance(w, QCheckBox):
            result.count(name, "size")
            if w.width() < min_px or w.height() < min_px:
                result.fail(where, "size", f"{label}: {w.width()}x{w.height()} px < {min_px}")
            result.count(name, "clipping")
            hint = w.sizeHint()
            if isinstance(w, QAbstractButton) and (hint.height() > w.height() or hint.width() > w.width() + 2):
                result.fail(where, "clipping", f"{label}: needs {hint.width()}x{hint.height()}, has {w.size()}")
        result.count(name, "keyboard")
        if w.isEnabled() and not (w.focusPolicy() & Qt.FocusPolicy.TabFocus):
            result.fail(where, "keyboard", f"{label}: not reachable with Tab/arrows")
    if visitor:
        # Only what is on screen counts: a button scrolled out of its page is not next to the bar.
        rects = []
        for w in widgets:
            if isinstance(w, QAbstractButton):
                visible = w.visibleRegion().boundingRect()
                if not visible.isEmpty():
                    rects.append((accessible_name(w), QRect(w.mapTo(screen, visible.topLeft()), visible.size())))
        gap_px = geometry.px(MIN_GAP_MM)
        for (na, a), (nb, b) in combinations(rects, 2):
            result.count(name, "spacing")
            g = _gap(a, b)
            if g < gap_px:
                result.fail(where, "spacing", f"{na} / {nb}: {g} px apart < {gap_px}")
    if visitor:
        # Every text a visitor can see: its Hangul glyphs at least 12 mm tall on the configured screen.
        for w in screen.findChildren(QWidget):
            text = w.text() if isinstance(w, (QLabel, QAbstractButton)) else ""
            if not text.strip() or not w.isVisibleTo(screen):
                continue
            result.count(name, "text size")
            w.ensurePolished()
            glyph = glyph_height(w.font())
            if glyph < geometry.min_text_px:
                result.fail(where, "text size", f"{text.splitlines()[0]!r}: glyphs {geometry.mm(glyph):.1f} mm < 12 mm")
    for text_label in screen.findChildren(QLabel):
        if not text_label.isVisibleTo(screen) or text_label.wordWrap() or not text_label.text():
            continue
        result.count(name, "clipping")
        needed = text_label.fontMetrics().horizontalAdvance(text_label.text())
        if needed > text_label.width() + 2:
            result.fail(where, "clipping", f"label {text_label.text()!r}: {needed} px in {text_label.width()} px")
    palette = HIGH_CONTRAST if Mode.HIGH_CONTRAST in modes else STANDARD
    if audience in ("visitor", "display"):  # what visitors read: the kiosk and the calling board
        for pair, (fg, bg) in palette.text_pairs().items():
            result.count(name, "contrast")
            if contrast_ratio(fg, bg) < palette.min_ratio:
                result.fail(where, "contrast", f"{palette.name} {pair}: {contrast_ratio(fg, bg):.2f}:1")
        for pair, (fg, bg) in palette.boundary_pairs().items():
            result.count(name, "contrast")
            if contrast_ratio(fg, bg) < 3.0:
                result.fail(where, "contrast", f"{palette.name} {pair}: {contrast_ratio(fg, bg):.2f}:1 < 3:1")


def run_audit(
    ctx: UiContext,
    screens: dict[str, tuple[str, Callable[[UiContext], QWidget]]],
    *,
    mode_sets: Iterable[str] = MODE_SETS,
    languages: Iterable[str] = ("ko", "en"),
    size: tuple[int, int] | None = None,
) -> AuditResult:
    """Audit ``screens``; visitor screens at the configured kiosk screen's size unless ``size`` is given."""
    result = AuditResult()
    for name, (audience, factory) in screens.items():
        for mode_text in mode_sets if audience == "visitor" else ("",):
            for lang in languages:
                ctx.set_language(lang)
                ctx.set_modes(Modes.parse(mode_text))
                screen = factory(ctx)
                geometry = ctx.config.screen
                # fixed, like a full-screen window: a layout that needs more room shows up as clipping
                native = (geometry.width_px, geometry.height_px) if audience == "visitor" else (1280, 800)
                screen.setFixedSize(*(size or native))
                screen.show()
                _settle(ctx)
                states: list[tuple[str, Callable[[], None]]] = getattr(screen, "audit_states", lambda: [])()
                for state, go in states or [("screen", lambda: None)]:
                    go()
                    _settle(ctx)
                    where = f"{name} {state} [{mode_text or 'standard'}] {lang}"
                    audit_widget(screen, name, audience, ctx, result, where)
                screen.close()
                screen.deleteLater()
                _settle(ctx)
    ctx.set_modes(Modes())
    ctx.set_language("ko")
    return result
