"""Widget fixtures: a UiContext over the real demo store."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QWidget

from kiosk.bootstrap import App
from kiosk.config import Config
from kiosk.services.queue import QueueService
from kiosk.ui.app import ensure_app
from kiosk.ui.context import UiContext


@pytest.fixture
def ctx(qapp: object, app: App, queue: QueueService, demo_config: Config) -> Iterator[UiContext]:
    ensure_app()
    context = UiContext(
        queue,
        demo_config,
        poll_ms=100,
        charts=app.charts,
        feedback=app.feedback,
        survey=app.survey,
        reports=app.reports,
        auth=app.auth,
    )
    yield context
    context.watcher.stop()
    context.ops.wait()


def interactive_widgets(root: QWidget) -> list[QWidget]:
    """Visible widgets a visitor or staff member can operate."""
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QListWidget

    kinds = (QAbstractButton, QComboBox, QListWidget)
    return [w for w in root.findChildren(QWidget) if isinstance(w, kinds) and w.isVisibleTo(root)]


def accessible_name(w: QWidget) -> str:
    """The name assistive technology (Orca via AT-SPI) reads for ``w``."""
    from PySide6.QtGui import QAccessible

    iface = QAccessible.queryAccessibleInterface(w)
    return "" if iface is None else iface.text(QAccessible.Text.Name)
