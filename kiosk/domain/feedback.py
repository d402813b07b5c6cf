"""The customer voice box's rules (S8–S13): what a note may contain, its deadline, its life.

Every note gets a receipt and a PIN (only the holder reads the answer), a class that sets its due
date (simple: 7 days, needs review: 14 days; S9), and cannot be closed without a written answer
(S11). One day before the due date an unanswered note is late unless staff recorded a reason and a
new date (S10). Reports of misconduct are for the audit team only (S12). Plain data, no I/O.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from kiosk.domain.errors import InvalidInput

TEXT_LIMIT = 2000
"""Characters a note may hold (the screen shows a counter against it)."""
NAME_LIMIT = 40
ANSWER_LIMIT = 4000


class Category(StrEnum):
    PRAISE = "praise"
    PROPOSAL = "proposal"
    SUGGESTION = "suggestion"
    COMPLAINT = "complaint"
    MISCONDUCT = "misconduct"
    """Corruption or hiring irregularity (S12): visible only to the audit team."""


class Handling(StrEnum):
    """How long an answer may take (S9)."""

    SIMPLE = "simple"
    REVIEW = "review"

    @property
    def days(self) -> int:
        return 7 if self is Handling.SIMPLE else 14


class Status(StrEnum):
    RECEIVED = "received"
    ASSIGNED = "assigned"
    DELAYED = "delayed"
    """Late, with a reason and a new expected date the visitor sees (S10)."""
    ANSWERED = "answered"


# Characters that change how text is displayed rather than what it says: bidirectional overrides
# and isolates (a "right-to-left override" can make a receipt or a name read backwards).
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_ALLOWED_CONTROLS = {"\n", "\t"}


def check_text(text: str, *, field_name: str = "text", limit: int = TEXT_LIMIT, required: bool = True) -> str:
    """The note as it will be stored, or ``InvalidInput`` saying what is wrong.

    Accepted text is stored exactly as typed (so it reads back identical), after only the line
    endings are made ``\\n``. Refused: empty (when required), longer than ``limit`` characters,
    control characters other than new line and tab, and bidirectional overrides. Emoji and markup
    are accepted: every screen shows the text as plain text, never as rich text.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if required and not text.strip():
        raise InvalidInput(field=field_name, reason="empty")
    if len(text) > limit:
        raise InvalidInput(field=field_name, reason="too_long", limit=limit, length=len(text))
    for ch in text:
        if ch in _BIDI_CONTROLS:
            raise InvalidInput(field=field_name, reason="direction_control")
        if ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn"):
            raise InvalidInput(field=field_name, reason="control_character")
    return text


EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+")
MOBILE = re.compile(r"(\+82[ -]?|0)1[016789][ -]?\d{3,4}[ -]?\d{4}")


def check_contact(contact: str) -> str:
    """An e-mail address or a Korean mobile number (so a notice can reach it), else ``InvalidInput``."""
    value = contact.strip()
    if EMAIL.fullmatch(value) and len(value) <= 254:
        return value
    if MOBILE.fullmatch(value):
        return value
    raise InvalidInput(field="contact_feedback", reason="format")


def due_date(received_on: date, handling: Handling) -> date:
    """The day the answer is due: 7 or 14 days after the day the note was received."""
    return received_on + timedelta(days=handling.days)


# Receipts are read aloud and typed back on a keypad-like keyboard: no 0/O or 1/I/L confusion.
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PIN_DIGITS = 6


def new_receipt(received_on: date, tag: str = "") -> str:
    """``251125-7KQ4`` (a node's tag in the middle while it is offline: ``251125-K1-7KQ4``).

    Four random characters give about 920,000 receipts a day per node; the store checks the number
    is unused and asks again if not.
    """
    tail = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(4))
    middle = f"-{tag}" if tag else ""
    return f"{received_on:%y%m%d}{middle}-{tail}"


def new_pin() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(PIN_DIGITS))


def normalize_receipt(text: str) -> str:
    """What a visitor typed (lower case, spaces, O for 0 in the date...) as a receipt number."""
    parts = text.strip().upper().replace(" ", "").split("-")
    parts[0] = parts[0].translate(str.maketrans("OIL", "011"))  # the date: digits only
    return "-".join(parts)


@dataclass(frozen=True)
class Feedback:
    """A note in the voice box (contact details live encrypted in the store, not here)."""

    receipt: str
    category: Category
    text: str
    received_at: datetime
    received_on: date
    """The facility's local date of receipt: the due date counts from it."""
    status: Status = Status.RECEIVED
    handling: Handling | None = None
    due: date | None = None
    team: str = ""
    answer: str = ""
    answered_at: datetime | None = None
    delay_reason: str = ""
    new_due: date | None = None
    has_contact: bool = False
    consent: bool = False
    history: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    """(what, who) for each staff step, oldest first."""

    @property
    def confidential(self) -> bool:
        return self.category == Category.MISCONDUCT

    @property
    def open(self) -> bool:
        return self.status != Status.ANSWERED

    @property
    def deadline(self) -> date | None:
        """The date the visitor is waiting for: the new one after a delay, else the due date."""
        return self.new_due or self.due

    def classify(self, handling: Handling, actor: str) -> Feedback:
        if not self.open:
            raise InvalidInput(field="status", reason="answered")
        return replace(
            self,
            handling=handling,
            due=due_date(self.received_on, handling),
            history=(*self.history, (f"classify:{handling.value}", actor)),
        )

    def assign(self, team: str, actor: str) -> Feedback:
        team = check_text(team, field_name="team", limit=60)
        if not self.open:
            raise InvalidInput(field="status", reason="answered")
        status = Status.DELAYED if self.status == Status.DELAYED else Status.ASSIGNED
        return replace(self, team=team.strip(), status=status, history=(*self.history, (f"assign:{team}", actor)))

    def answer_with(self, text: str, actor: str, at: datetime) -> Feedback:
        """Close the note with a written answer (S11: never without one)."""
        answer = check_text(text, field_name="answer", limit=ANSWER_LIMIT)
        if not self.open:
            raise InvalidInput(field="status", reason="answered")
        return replace(
            self, status=Status.ANSWERED, answer=answer, answered_at=at, history=(*self.history, ("answer", actor))
        )

    def delay(self, reason: str, new_due: date, actor: str, today: date) -> Feedback:
        """Record why the answer is late and when it will come (S10); the visitor sees both."""
        reason = check_text(reason, field_name="delay_reason", limit=500)
        if not self.open:
            raise InvalidInput(field="status", reason="answered")
        if new_due <= today or (self.deadline is not None and new_due <= self.deadline):
            raise InvalidInput(field="new_due", value=new_due.isoformat())
        return replace(
            self,
            status=Status.DELAYED,
            delay_reason=reason,
            new_due=new_due,
            history=(*self.history, (f"delay:{new_due.isoformat()}", actor)),
        )

    @property
    def effective_deadline(self) -> date:
        """The deadline, or for a note nobody classified yet the shorter one (7 days): an unread note
        must raise the alarm too."""
        return self.deadline or due_date(self.received_on, Handling.SIMPLE)

    def needs_reminder(self, today: date) -> bool:
        """Open, due tomorrow or already overdue, and no delay recorded for the current deadline (S10)."""
        if not self.open:
            return False
        if self.status == Status.DELAYED and self.new_due is not None and self.new_due > today + timedelta(days=1):
            return False
        return self.effective_deadline - today <= timedelta(days=1)

    def overdue(self, today: date) -> bool:
        return self.open and today > self.effective_deadline
