"""The office floor plan (S1): rooms and desks on a QGraphicsScene that scales to the screen.

Each desk shows its person, presence, desk/counter, team and duties, as many of those lines as
its size on screen allows (level of detail): the whole 40-desk floor fits a kiosk screen with
names and presence readable, and zooming in (pinch, the +/- buttons, keypad + and -) reveals
the rest. Dragging pans (touch or mouse); the keypad's arrows pan too. The same facts are in the
list view (``chart_screen``), for screen readers and large text.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QKeyEvent, QPainter, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGestureEvent,
    QGraphicsItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QPinchGesture,
    QStyleOptionGraphicsItem,
    QWidget,
)

from kiosk.domain.presence import PresenceState
from kiosk.domain.seat_chart import SeatChart
from kiosk.ui import theme
from kiosk.ui.chart_text import DeskFacts
from kiosk.ui.theme import STANDARD, Palette

CELL = 40.0
"""Scene units per grid cell of the chart file."""
MIN_CELL_PX = 18.0
"""The plan is never drawn smaller than this many screen pixels per cell (names stay readable);
a floor wider than the screen at that size is panned instead of shrunk."""
MAX_CELL_PX = 160.0
NAME_PX, LINE_PX, MIN_NAME_PX = 17.0, 14.0, 12.0
"""The smallest text on a desk, in screen pixels, however far the plan is zoomed out: names, then
the other lines (zoomed in, text grows with the desks)."""

SYMBOLS = {
    PresenceState.PRESENT: "●",
    PresenceState.AWAY: "◐",
    PresenceState.MEETING: "◑",
    PresenceState.LEAVE: "○",
}
"""Presence is never shown by colour alone: a symbol and a word go with it."""


class DeskItem(QGraphicsItem):
    """One desk: a rounded box with as many lines of its facts as fit at the current zoom."""

    def __init__(self, facts: DeskFacts, rect: QRectF, palette: Palette, family: str) -> None:
        super().__init__()
        self.facts = facts
        self._rect = rect.adjusted(3, 3, -3, -3)
        self._palette = palette
        self._family = family
        self.highlighted = False
        self.setToolTip(facts.text("ko"))

    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-6, -6, 6, 6)

    def set_highlighted(self, on: bool) -> None:
        if on != self.highlighted:
            self.highlighted = on
            self.update()

    def _font(self, px: float, bold: bool = False) -> QFont:
        f = QFont(self._family)
        f.setPixelSize(max(1, round(px)))
        f.setBold(bold)
        return f

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        p, facts = self._palette, self.facts
        lod = max(0.05, option.levelOfDetailFromTransform(painter.worldTransform()))
        out = facts.state not in (None, PresenceState.PRESENT)
        painter.setBrush(QBrush(QColor(p.warn_bg if out else p.surface)))
        edge = p.focus if self.highlighted else (p.muted if facts.state is None else p.primary)
        painter.setPen(QPen(QColor(edge), (7 if self.highlighted else 2) / lod))
        painter.drawRoundedRect(self._rect, 8, 8)

        pad = 5 / lod
        area = self._rect.adjusted(pad, pad, -pad, -pad)
        symbol = SYMBOLS.get(facts.state, "") if facts.state is not None else ""
        name_size, line_size = max(NAME_PX / lod, CELL * 0.5), max(LINE_PX / lod, CELL * 0.36)
        name = facts.name or facts.person
        name_font = self._font(name_size, True)
        fits = QFontMetricsF(name_font).horizontalAdvance(name)
        if fits > area.width():  # a long name shrinks to the desk (to a floor), then wraps
            name_size = max(MIN_NAME_PX / lod, name_size * area.width() / fits)
        lines: list[tuple[str, float, bool, str]] = [
            (name, name_size, True, p.text),
            (f"{symbol} {facts.presence_short}".strip(), line_size, False, p.priority if out else p.text),
            (facts.place, line_size, True, p.primary if facts.state is not None else p.muted),
            (" · ".join(x for x in (facts.title, facts.team) if x), line_size, False, p.muted),
            *((d, line_size, False, p.text) for d in facts.duties),
        ]
        y = area.top()
        for text, size, bold, colour in lines:
            if not text:
                continue
            font = self._font(size, bold)
            metrics = QFontMetricsF(font)
            box = metrics.boundingRect(area.adjusted(0, y - area.top(), 0, 0), int(Qt.TextFlag.TextWordWrap), text)
            if y + box.height() > area.bottom() + 0.5:
                if y + metrics.height() <= area.bottom() + 0.5:  # one elided line still fits
                    painter.setFont(font)
                    painter.setPen(QColor(colour))
                    elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, area.width())
                    painter.drawText(QRectF(area.left(), y, area.width(), metrics.height()), elided)
                break
            painter.setFont(font)
            painter.setPen(QColor(colour))
            painter.drawText(QRectF(area.left(), y, area.width(), box.height()), int(Qt.TextFlag.TextWordWrap), text)
            y += box.height()


class FloorPlanView(QGraphicsView):
    sig_zoomed = Signal(float)
    """The zoom changed (screen pixels per grid cell), by pinch, buttons, keys or a resize."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.grabGesture(Qt.GestureType.PinchGesture)
        self.desks: dict[str, DeskItem] = {}
        self._user_zoom = False
        self._palette = STANDARD

    # -- content -----------------------------------------------------------------------------
    def show_chart(self, chart: SeatChart, facts: dict[str, DeskFacts], palette: Palette, lang: str) -> None:
        """Draw ``chart`` with each desk's ``facts`` (rebuilt whole: a floor has tens of desks)."""
        scene = self.scene()
        highlighted = [k for k, item in self.desks.items() if item.highlighted]
        scene.clear()
        self.desks = {}
        self._palette = palette
        self.setBackgroundBrush(QBrush(QColor(palette.bg)))
        family = theme.korean_family()
        room_font = QFont(family)
        room_font.setPixelSize(15)
        room_font.setBold(True)
        for room in chart.rooms:
            rect = QRectF(room.x * CELL, room.y * CELL, room.width * CELL, room.height * CELL)
            scene.addRect(rect, QPen(QColor(palette.muted), 2), QBrush(QColor(palette.bg)))
            label = QGraphicsSimpleTextItem(room.name(lang))
            label.setFont(room_font)
            label.setBrush(QBrush(QColor(palette.muted)))
            label.setPos(rect.left() + 6, rect.top() + 2)
            # Room names keep their screen size at any zoom (the label is not scaled with the plan).
            label.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
            scene.addItem(label)
        for desk in chart.desks:
            rect = QRectF(desk.x * CELL, desk.y * CELL, desk.width * CELL, desk.height * CELL)
            item = DeskItem(facts[desk.id], rect, palette, family)
            item.setToolTip(facts[desk.id].text(lang))
            scene.addItem(item)
            self.desks[desk.id] = item
        scene.setSceneRect(QRectF(0, 0, chart.width * CELL, chart.height * CELL).adjusted(-10, -10, 10, 10))
        for desk_id in highlighted:
            if desk_id in self.desks:
                self.desks[desk_id].set_highlighted(True)
        if not self._user_zoom:
            self.fit()

    def highlight(self, desk_ids: list[str]) -> None:
        """Mark the desks that answer a search, and bring the first into view."""
        for desk_id, item in self.desks.items():
            item.set_highlighted(desk_id in desk_ids)
        if desk_ids and desk_ids[0] in self.desks:
            self.ensureVisible(self.desks[desk_ids[0]].boundingRect(), 40, 40)

    @property
    def highlighted(self) -> list[str]:
        return [k for k, item in self.desks.items() if item.highlighted]

    # -- zoom and pan ------------------------------------------------------------------------
    @property
    def cell_px(self) -> float:
        """Screen pixels per grid cell at the current zoom."""
        return self.transform().m11() * CELL

    def _fit_cell_px(self) -> float:
        rect = self.scene().sceneRect()
        if rect.isEmpty():
            return MIN_CELL_PX
        view = self.viewport().rect()
        return min(view.width() / rect.width(), view.height() / rect.height()) * CELL

    def _set_cell_px(self, px: float) -> None:
        px = max(min(self._fit_cell_px(), MIN_CELL_PX), min(MAX_CELL_PX, px))
        scale = px / CELL
        self.setTransform(self.transform().fromScale(scale, scale))
        self.sig_zoomed.emit(self.cell_px)

    def fit(self) -> None:
        """The whole floor, as large as the screen allows (never below the readable minimum)."""
        self._user_zoom = False
        self._set_cell_px(max(MIN_CELL_PX, self._fit_cell_px()))
        if self.highlighted:
            self.highlight(self.highlighted)
        else:
            self.centerOn(self.scene().sceneRect().center() if self._fit_cell_px() >= MIN_CELL_PX else QPointF(0, 0))

    def zoom(self, factor: float) -> None:
        self._user_zoom = True
        self._set_cell_px(self.cell_px * factor)

    def pan(self, dx: int, dy: int) -> None:
        """Move the plan by a fraction of the screen (keypad arrows)."""
        h, v = self.horizontalScrollBar(), self.verticalScrollBar()
        h.setValue(h.value() + dx * self.viewport().width() // 4)
        v.setValue(v.value() + dy * self.viewport().height() // 4)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        moves = {
            Qt.Key.Key_Left: (-1, 0),
            Qt.Key.Key_Right: (1, 0),
            Qt.Key.Key_Up: (0, -1),
            Qt.Key.Key_Down: (0, 1),
        }
        if key in moves:
            self.pan(*moves[Qt.Key(key)])
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(1.25)
        elif key == Qt.Key.Key_Minus:
            self.zoom(0.8)
        elif key == Qt.Key.Key_Home:
            self.fit()
        else:
            super().keyPressEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Gesture and isinstance(event, QGestureEvent):
            pinch = event.gesture(Qt.GestureType.PinchGesture)
            if isinstance(pinch, QPinchGesture):
                self.zoom(pinch.scaleFactor())
                event.accept()
                return True
        return super().event(event)

    def wheelEvent(self, event: object) -> None:
        delta = event.angleDelta().y()  # type: ignore[attr-defined]
        if delta:
            self.zoom(1.15 if delta > 0 else 1 / 1.15)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._user_zoom:
            self.fit()
