"""The ``[printer]`` table: each kind with its settings, and a clear error for anything else."""

from __future__ import annotations

import pytest

from kiosk.config import ConfigError
from kiosk.printing.config import PrinterConfigError, printer_from_config
from kiosk.printing.escpos_backend import FilePrinter, NetworkPrinter, PngPrinter, SerialPrinter, UsbPrinter


def test_each_kind() -> None:
    net = printer_from_config({"kind": "network", "host": "192.0.2.7"})
    assert isinstance(net, NetworkPrinter) and (net.host, net.port, net.paper_mm) == ("192.0.2.7", 9100, 80)
    usb = printer_from_config({"kind": "usb", "vendor_id": "0x04b8", "product_id": 0x0202, "paper_mm": 58})
    assert isinstance(usb, UsbPrinter) and (usb.vendor_id, usb.product_id, usb.dots) == (0x04B8, 0x0202, 384)
    serial = printer_from_config({"kind": "serial", "device": "/dev/ttyUSB0", "baudrate": 38400})
    assert isinstance(serial, SerialPrinter) and serial.baudrate == 38400
    assert isinstance(printer_from_config({"kind": "file", "path": "/dev/usb/lp0"}), FilePrinter)
    assert isinstance(printer_from_config({"kind": "png", "path": "/tmp/tickets"}), PngPrinter)
    assert printer_from_config({"kind": "none"}) is None
    assert printer_from_config({}) is None


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"kind": "network", "hots": "x"}, "unknown key.*hots"),
        ({"kind": "usb", "vendor_id": 0x04B8}, "needs printer.product_id"),
        ({"kind": "network"}, "needs printer.host"),
        ({"kind": "network", "host": "h", "device": "/dev/ttyS0"}, "printer.device does not apply"),
        ({"kind": "laser"}, "must be one of"),
        ({"host": "h"}, "printer.kind is missing"),
        ({"kind": "network", "host": "h", "paper_mm": 76}, "58 or 80"),
        ({"kind": "network", "host": "h", "port": 70000}, "printer.port must be between"),
        ({"kind": "usb", "vendor_id": "epson", "product_id": 1}, "printer.vendor_id must be a number"),
        ({"kind": "file", "path": ""}, "printer.path must be a non-empty string"),
    ],
)
def test_a_table_that_cannot_be_used_says_which_field(table: dict[str, object], message: str) -> None:
    with pytest.raises(PrinterConfigError, match=message) as error:
        printer_from_config(table)
    assert isinstance(error.value, ConfigError)  # reported like any other configuration error
