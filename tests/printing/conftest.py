"""Printing tests: a printer port on 127.0.0.1 that records what it gets."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.printing.escpos_stream import RecordingPrinter


@pytest.fixture
def recorder() -> Iterator[RecordingPrinter]:
    server = RecordingPrinter()
    yield server
    server.close()
