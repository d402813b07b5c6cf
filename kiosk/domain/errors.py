"""Errors the rules raise.

Each carries a stable ``code`` (used for CLI exit codes and translation keys) and the
parameters the message needs, so the same error reads well in Korean and English.
"""

from __future__ import annotations

from typing import Any


class KioskError(Exception):
    """Base of every error a visitor or staff member may be told about."""

    code = "error"
    exit_code = 1

    def __init__(self, **params: Any) -> None:
        self.params = params
        super().__init__(f"{self.code}: {params}")


class UnknownService(KioskError):
    code = "unknown_service"
    exit_code = 3


class UnknownCounter(KioskError):
    code = "unknown_counter"
    exit_code = 3


class CounterClosed(KioskError):
    code = "counter_closed"
    exit_code = 4


class CounterBusy(KioskError):
    """The counter still has a visitor in front of it."""

    code = "counter_busy"
    exit_code = 4


class ServiceNotHandled(KioskError):
    code = "service_not_handled"
    exit_code = 4


class TicketNotFound(KioskError):
    code = "ticket_not_found"
    exit_code = 5


class TicketStateError(KioskError):
    """The ticket is not in a state that allows this action (already called, completed...)."""

    code = "ticket_state"
    exit_code = 6


class AlreadyTaken(KioskError):
    """Another counter accepted the priority visitor first."""

    code = "already_taken"
    exit_code = 6


class NoShowTooEarly(KioskError):
    code = "no_show_too_early"
    exit_code = 6


class StoreUnavailable(KioskError):
    """The database is locked, full or unreachable; nothing was written."""

    code = "store_unavailable"
    exit_code = 7


class StoreReadOnly(StoreUnavailable):
    """The kiosk runs on its previous data read-only (an upgrade failed): nothing can be saved."""

    code = "store_read_only"


class InvalidInput(KioskError):
    code = "invalid_input"
    exit_code = 2


class ChartInvalid(KioskError):
    """A seat-chart edit or import that would leave the chart inconsistent (``problem`` says why)."""

    code = "chart_invalid"
    exit_code = 2


class NoChart(KioskError):
    code = "no_chart"


class UnknownStaff(KioskError):
    code = "unknown_staff"


class UnknownDesk(KioskError):
    code = "unknown_desk"


class Forbidden(KioskError):
    """The staff member's role does not allow this (``action``); checked in the services."""

    code = "forbidden"
    exit_code = 9


class UnknownUser(KioskError):
    code = "unknown_user"
    exit_code = 9


class FeedbackNotFound(KioskError):
    """No note with this receipt, or a PIN that does not match (the two are told apart by nobody)."""

    code = "feedback_not_found"
    exit_code = 5


class TooManyTries(KioskError):
    """Too many wrong PINs for one receipt: lookups pause until ``until`` (against guessing)."""

    code = "too_many_tries"
    exit_code = 6
