"""Whether staff are at their desks (S3, S4), and what a visitor is told when they are not.

S4: staff who leave their seat leave a destination, a contact number and when they will be back.
S3: when the person in charge is away, the visitor learns the wait, or a colleague (the duty's
delegate) handles it. The contact number is shown in full to staff, masked to visitors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from kiosk.domain.errors import InvalidInput
from kiosk.domain.seat_chart import Duty, SeatChart, StaffMember


class PresenceState(StrEnum):
    PRESENT = "present"
    AWAY = "away"
    """Out of the office for a while (site visit, another building): destination + contact + return."""
    MEETING = "meeting"
    LEAVE = "leave"
    """On leave for the day or longer."""


@dataclass(frozen=True)
class Presence:
    staff_id: str
    state: PresenceState = PresenceState.PRESENT
    destination: str = ""
    contact: str = ""
    until: datetime | None = None
    """Expected return (away, meeting) or first day back (leave)."""
    since: datetime | None = None

    @property
    def in_office(self) -> bool:
        return self.state == PresenceState.PRESENT


def presence(
    staff_id: str,
    state: PresenceState | str,
    *,
    destination: str = "",
    contact: str = "",
    until: datetime | None = None,
    now: datetime,
) -> Presence:
    """A presence change as staff enter it, checked (S4: away needs where, a number and when)."""
    try:
        s = PresenceState(str(state))
    except ValueError:
        raise InvalidInput(field="state", value=str(state)) from None
    destination, contact = destination.strip(), contact.strip()
    if s == PresenceState.PRESENT:
        return Presence(staff_id, s, since=now)
    if s == PresenceState.AWAY:
        if not destination:
            raise InvalidInput(field="destination")
        if not contact:
            raise InvalidInput(field="contact")
        if until is None:
            raise InvalidInput(field="until")
    if contact and not PHONE.fullmatch(contact):
        raise InvalidInput(field="contact", value=contact)
    if until is not None and until <= now:
        raise InvalidInput(field="until", value=until.isoformat(timespec="minutes"))
    return Presence(staff_id, s, destination=destination, contact=contact, until=until, since=now)


PHONE = re.compile(r"\+?[0-9][0-9 -]{5,18}[0-9]")
"""A phone number or extension as staff type it: digits, spaces, hyphens, optional leading +."""


def mask_phone(number: str) -> str:
    """``010-1234-5678`` → ``010-****-5678``: enough for a visitor to know it exists, not to dial it.

    The middle groups are hidden (``02-123-4567`` → ``02-***-4567``); a number typed without
    separators keeps its first three and last four digits; a short extension is hidden whole.
    """
    parts = re.split(r"([ -])", number.strip())
    groups = [k for k, p in enumerate(parts) if p and p not in (" ", "-")]
    if len(groups) >= 3:
        hidden = set(groups[1:-1])
        return "".join("*" * len(p) if k in hidden else p for k, p in enumerate(parts))
    if len(groups) == 2:
        first = groups[0]
        return "".join("*" * len(p) if k == first else p for k, p in enumerate(parts))
    digits = number.strip()
    if len(digits) <= 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


@dataclass(frozen=True)
class DutyCover:
    """Who handles a duty right now, as a visitor is told (S3)."""

    duty: Duty
    holder: StaffMember | None
    holder_presence: Presence | None
    delegate: StaffMember | None
    delegate_present: bool

    @property
    def holder_in(self) -> bool:
        return self.holder is not None and (self.holder_presence is None or self.holder_presence.in_office)

    @property
    def handled_by(self) -> StaffMember | None:
        """The person a visitor for this duty sees now, or ``None`` (wait for the holder's return)."""
        if self.holder_in:
            return self.holder
        if self.delegate is not None and self.delegate_present:
            return self.delegate
        return None

    @property
    def return_at(self) -> datetime | None:
        return None if self.holder_presence is None else self.holder_presence.until


def cover(chart: SeatChart, duty: Duty, presences: dict[str, Presence]) -> DutyCover:
    holder = chart.holder_of(duty.id)
    delegate = chart.person(duty.delegate)
    delegate_presence = presences.get(delegate.id) if delegate is not None else None
    return DutyCover(
        duty=duty,
        holder=holder,
        holder_presence=None if holder is None else presences.get(holder.id),
        delegate=delegate,
        delegate_present=delegate is not None and (delegate_presence is None or delegate_presence.in_office),
    )
