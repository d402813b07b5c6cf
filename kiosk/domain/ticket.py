"""Tickets, their classes and their life cycle.

A ticket is issued for a service (duty), waits, is called to a counter, is served and completed.
Priority tickets (seed S6) carry the reason the visitor chose; no proof is asked at the kiosk.
The transitions live here so that the CLI, the GUI and (later) sync all obey the same rules.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from kiosk.domain.errors import NoShowTooEarly, TicketStateError


class PriorityReason(enum.StrEnum):
    """Why a visitor takes the priority line (S6)."""

    DISABLED = "disabled"
    ELDERLY = "elderly"
    PREGNANT = "pregnant"
    INFANT = "infant"


class TicketStatus(enum.StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    COMPLETED = "completed"
    HELD = "held"
    EXPIRED = "expired"


ACTIVE_AT_COUNTER = frozenset({TicketStatus.CALLED, TicketStatus.SERVING})
FINAL = frozenset({TicketStatus.COMPLETED, TicketStatus.EXPIRED})


def format_number(prefix: str, seq: int, tag: str = "") -> str:
    """``A-001``: the letter of the service and the day's sequence, at least three digits.

    A node issuing while the central database is away adds its own ``tag`` (``A-K1-001``): its
    numbers come from its own block and can never collide with another kiosk's or the central ones.
    """
    return f"{prefix}-{tag}-{seq:03d}" if tag else f"{prefix}-{seq:03d}"


@dataclass
class Ticket:
    """One visitor's place in the queue.

    ``queued_at`` orders the ticket within its class. It is the issue time, kept on transfer
    (the visitor does not lose their place) and reset once when a no-show returns to the queue.
    """

    id: int
    number: str
    service_code: str
    priority: PriorityReason | None
    status: TicketStatus
    issued_at: datetime
    queued_at: datetime
    business_day: str = ""
    counter: int | None = None
    called_at: datetime | None = None
    started_at: datetime | None = None
    completed_at: datetime | None = None
    first_called_at: datetime | None = None
    """The first call in the ticket's line, kept through a no-show or a hold (the report's wait)."""
    recall_count: int = 0
    no_show_count: int = 0
    events: list[tuple[str, dict[str, object]]] = field(default_factory=list, repr=False)

    @property
    def is_priority(self) -> bool:
        return self.priority is not None

    def _require(self, allowed: frozenset[TicketStatus] | set[TicketStatus], action: str) -> None:
        if self.status not in allowed:
            raise TicketStateError(number=self.number, status=self.status.value, action=action)

    def call(self, counter: int, now: datetime) -> None:
        self._require({TicketStatus.WAITING}, "call")
        self.status = TicketStatus.CALLED
        self.counter = counter
        self.called_at = now
        if self.first_called_at is None:
            self.first_called_at = now
        self.recall_count = 0
        self.events.append(("ticket.called", {"counter": counter}))

    def recall(self) -> None:
        self._require({TicketStatus.CALLED}, "recall")
        self.recall_count += 1
        self.events.append(("ticket.recalled", {"counter": self.counter, "recall": self.recall_count}))

    def start(self, now: datetime) -> None:
        self._require({TicketStatus.CALLED}, "start")
        self.status = TicketStatus.SERVING
        self.started_at = now
        self.events.append(("ticket.started", {"counter": self.counter}))

    def complete(self, now: datetime) -> None:
        self._require(set(ACTIVE_AT_COUNTER), "complete")
        if self.started_at is None:
            self.started_at = self.called_at
        self.status = TicketStatus.COMPLETED
        self.completed_at = now
        self.events.append(("ticket.completed", {"counter": self.counter}))

    def mark_no_show(self, now: datetime, recalls_required: int) -> None:
        """The visitor did not come after ``recalls_required`` recalls.

        The first time the ticket goes back to the end of its class's line; the second time it
        expires. Counting recalls protects visitors who are slow to reach the counter.
        """
        self._require({TicketStatus.CALLED}, "no_show")
        if self.recall_count < recalls_required:
            raise NoShowTooEarly(number=self.number, recalls=self.recall_count, required=recalls_required)
        counter = self.counter
        self.no_show_count += 1
        self.counter = None
        self.called_at = None
        self.recall_count = 0
        if self.no_show_count == 1:
            self.status = TicketStatus.WAITING
            self.queued_at = now
            self.events.append(("ticket.no_show", {"counter": counter, "returned": True}))
        else:
            self.status = TicketStatus.EXPIRED
            self.completed_at = now
            self.events.append(("ticket.no_show", {"counter": counter, "returned": False}))

    def transfer(self, service_code: str) -> None:
        """Send the visitor to another duty; the original issue time keeps their place."""
        self._require({TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING, TicketStatus.HELD}, "transfer")
        old = self.service_code
        if service_code == old:
            raise TicketStateError(number=self.number, status=self.status.value, action="transfer")
        self.service_code = service_code
        self.status = TicketStatus.WAITING
        self.counter = None
        self.called_at = None
        self.first_called_at = None  # a new line: its own first call
        self.started_at = None
        self.recall_count = 0
        self.queued_at = self.issued_at
        self.events.append(("ticket.transferred", {"from": old, "to": service_code}))

    def hold(self) -> None:
        """Park the ticket (the visitor fetches a document); it keeps its place for later."""
        self._require({TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING}, "hold")
        counter = self.counter
        self.status = TicketStatus.HELD
        self.counter = None
        self.called_at = None
        self.started_at = None
        self.recall_count = 0
        self.events.append(("ticket.held", {"counter": counter}))

    def expire_unserved(self, now: datetime) -> None:
        """The business day ended before the visitor was called: the ticket lapses.

        Without this, yesterday's ``A-001`` would still wait beside today's ``A-001``.
        """
        self._require({TicketStatus.WAITING, TicketStatus.HELD}, "expire")
        self.status = TicketStatus.EXPIRED
        self.completed_at = now
        self.events.append(("ticket.expired", {"business_day": self.business_day}))

    def resume(self) -> None:
        self._require({TicketStatus.HELD}, "resume")
        self.status = TicketStatus.WAITING
        self.events.append(("ticket.resumed", {}))
