"""Fixtures for staff sign-in: the demo facility's store with its demo PINs and a hand-moved clock."""

from __future__ import annotations

import pytest

from kiosk.bootstrap import App
from kiosk.services.auth import StaffAuth


@pytest.fixture
def auth(app: App) -> StaffAuth:
    assert app.auth is not None
    return app.auth
