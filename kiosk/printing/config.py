"""The ``[printer]`` table of ``kiosk.toml``: which printer, how it is reached, which paper.

    [printer]
    kind = "network"        # network | usb | serial | file | png | none
    host = "192.0.2.7"      # network (port 9100 unless set)
    paper_mm = 80           # 58 or 80

Strict on purpose: a misspelt key or a kind with half its settings is a startup error naming the
field, not a kiosk that quietly prints nothing all morning.
"""

from __future__ import annotations

from collections.abc import Mapping

from kiosk.config import ConfigError
from kiosk.printing.escpos_backend import FilePrinter, NetworkPrinter, PngPrinter, SerialPrinter, UsbPrinter
from kiosk.printing.jobs import PAPER_DOTS
from kiosk.printing.status import Printer

KINDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    # kind: (required keys, optional keys) besides ``kind`` and ``paper_mm``
    "network": (frozenset({"host"}), frozenset({"port"})),
    "usb": (frozenset({"vendor_id", "product_id"}), frozenset()),
    "serial": (frozenset({"device"}), frozenset({"baudrate"})),
    "file": (frozenset({"path"}), frozenset()),
    "png": (frozenset({"path"}), frozenset()),
    "none": (frozenset(), frozenset()),
}
KEYS = frozenset({"kind", "paper_mm"}).union(*(req | opt for req, opt in KINDS.values()))


class PrinterConfigError(ConfigError):
    """The ``[printer]`` table cannot be used; the message names the field."""


def _int(table: Mapping[str, object], key: str, low: int, high: int) -> int:
    value = table[key]
    if isinstance(value, str):  # USB ids are usually written in hex: "0x04b8"
        try:
            value = int(value, 0)
        except ValueError:
            raise PrinterConfigError(f"printer.{key} must be a number, not {table[key]!r}") from None
    if isinstance(value, bool) or not isinstance(value, int):
        raise PrinterConfigError(f"printer.{key} must be a number, not {value!r}")
    if not low <= value <= high:
        raise PrinterConfigError(f"printer.{key} must be between {low} and {high}, not {value}")
    return value


def _text(table: Mapping[str, object], key: str) -> str:
    value = table[key]
    if not isinstance(value, str) or not value.strip():
        raise PrinterConfigError(f"printer.{key} must be a non-empty string, not {value!r}")
    return value.strip()


def printer_from_config(table: Mapping[str, object] | None) -> Printer | None:
    """The printer the ``[printer]`` table describes, or ``None`` for none (no table, ``kind = "none"``).

    Nothing is opened here: the printer is reached by the spooler's worker, so a printer that is
    off at startup is a fault on the console, not a kiosk that does not start.
    """
    if not table:
        return None
    unknown = sorted(set(table) - KEYS)
    if unknown:
        known = ", ".join(sorted(KEYS))
        raise PrinterConfigError(f"unknown key(s) in [printer]: {', '.join(unknown)} (known: {known})")
    if "kind" not in table:
        raise PrinterConfigError(f"printer.kind is missing: one of {', '.join(KINDS)}")
    kind = table["kind"]
    if kind not in KINDS:
        raise PrinterConfigError(f"printer.kind must be one of {', '.join(KINDS)}, not {kind!r}")
    assert isinstance(kind, str)
    required, optional = KINDS[kind]
    missing = sorted(required - set(table))
    if missing:
        raise PrinterConfigError(f"printer kind {kind!r} needs {', '.join('printer.' + k for k in missing)}")
    foreign = sorted(set(table) - required - optional - {"kind", "paper_mm"})
    if foreign:
        raise PrinterConfigError(
            f"{', '.join('printer.' + k for k in foreign)} does not apply to printer kind {kind!r}"
        )
    paper_mm = table.get("paper_mm", 80)
    if paper_mm not in PAPER_DOTS or isinstance(paper_mm, bool):
        raise PrinterConfigError(f"printer.paper_mm must be 58 or 80, not {paper_mm!r}")
    assert isinstance(paper_mm, int)
    if kind == "network":
        port = _int(table, "port", 1, 65535) if "port" in table else 9100
        return NetworkPrinter(_text(table, "host"), port, paper_mm)
    if kind == "usb":
        return UsbPrinter(_int(table, "vendor_id", 1, 0xFFFF), _int(table, "product_id", 1, 0xFFFF), paper_mm)
    if kind == "serial":
        baudrate = _int(table, "baudrate", 1200, 921600) if "baudrate" in table else 9600
        return SerialPrinter(_text(table, "device"), baudrate, paper_mm)
    if kind == "file":
        return FilePrinter(_text(table, "path"), paper_mm)
    if kind == "png":
        return PngPrinter(_text(table, "path"), paper_mm)
    return None
