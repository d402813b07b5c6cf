"""Counter Kiosk: queue tickets, counters and a calling board for public service counters."""

__version__ = "0.1.0"
