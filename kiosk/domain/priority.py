"""The calling policy (seed S6): priority visitors first, then first come, first served.

One pure function decides which waiting ticket a counter calls. The store only hands it
candidates; because the order is total and per-service, the heads of each (service, class)
line are enough, which keeps "call next" fast with thousands waiting.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol, TypeVar


class Queued(Protocol):
    """What the policy needs to know about a waiting ticket."""

    @property
    def id(self) -> int: ...

    @property
    def service_code(self) -> str: ...

    @property
    def is_priority(self) -> bool: ...

    @property
    def queued_at(self) -> datetime: ...


T = TypeVar("T", bound="Queued")


def queue_key(ticket: Queued) -> tuple[int, datetime, int]:
    """Sort key: the class (priority before ordinary), then queue time, then issue sequence."""
    return (0 if ticket.is_priority else 1, ticket.queued_at, ticket.id)


def call_order(waiting: Iterable[T], handled: Iterable[str] | None = None) -> list[T]:
    """The waiting tickets a counter handling ``handled`` would call, in calling order.

    ``handled=None`` means every service (the whole facility's line).
    """
    codes = None if handled is None else frozenset(handled)
    eligible = [t for t in waiting if codes is None or t.service_code in codes]
    eligible.sort(key=queue_key)
    return eligible


def next_ticket(waiting: Iterable[T], handled: Iterable[str]) -> T | None:
    """The ticket a counter handling ``handled`` calls next, or ``None`` if nobody waits for it."""
    codes = frozenset(handled)
    best: T | None = None
    for t in waiting:
        if t.service_code in codes and (best is None or queue_key(t) < queue_key(best)):
            best = t
    return best


def ahead_of(ticket: Queued, waiting: Sequence[Queued]) -> int:
    """How many tickets of the same service will be called before ``ticket``."""
    key = queue_key(ticket)
    return sum(1 for t in waiting if t.service_code == ticket.service_code and t.id != ticket.id and queue_key(t) < key)
