"""The customer voice box's use cases (S8–S13): submit, check status, and the staff's inbox.

Each step is one transaction with its event and, for staff, an audit-log row (S12: everything a
staff member opens is recorded). Permissions are checked here, against the staff member's role,
never only by what a screen shows. A visitor who consented and left a contact is told the answer
or the delay; the notice is marked pending in the same transaction as the step, sent after the
commit and retried by ``remind`` if the mail server or gateway was away, so a crash loses nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from kiosk.domain.errors import FeedbackNotFound, InvalidInput, TooManyTries
from kiosk.domain.feedback import (
    NAME_LIMIT,
    Category,
    Feedback,
    Handling,
    check_contact,
    check_text,
    new_pin,
    new_receipt,
    normalize_receipt,
)
from kiosk.domain.ratelimit import FailureWindow
from kiosk.domain.staff import SYSTEM, Action, Role, StaffUser, check, find_user, may_see
from kiosk.i18n import tr
from kiosk.services.feedback_views import ItemView, ReceiptView, RemindResult, StatusView
from kiosk.services.notify import Notice, Notifier, NotifyError, address_kind
from kiosk.services.ports import FeedbackRecord, Private, UnitOfWork, UnitOfWorkFactory
from kiosk.services.sealing import Sealer, mask_contact, mask_name

log = logging.getLogger(__name__)

RECEIVED = "feedback.received"
CLASSIFIED = "feedback.classified"
ASSIGNED = "feedback.assigned"
ANSWERED = "feedback.answered"
DELAYED = "feedback.delayed"
REMINDED = "feedback.reminder"
PURGED = "feedback.purged"


@dataclass(frozen=True)
class FeedbackSettings:
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Seoul"))
    retention_days: int = 365
    """Days after the answer that a visitor's name and contact are kept (then ``purge`` clears them)."""
    alert_to: str = ""
    """Where the D-1 reminder goes (the team's mailbox); empty: the alert shows on the consoles only."""
    receipt_tag: str = ""
    """Set on a node's offline store: its receipts carry the node's tag, unique across kiosks."""
    max_pin_failures: int = 5
    lockout_minutes: int = 15
    guess_limit: int = 10
    guess_window_minutes: int = 10
    """Failed receipt + PIN lookups (any receipts) one kiosk answers within the window."""
    facility_ko: str = ""
    facility_en: str = ""


def _utcnow() -> datetime:
    return datetime.now(UTC)


class FeedbackService:
    """The voice box's API for the kiosk, the counter console and ``kiosk feedback``."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        sealer: Sealer,
        settings: FeedbackSettings | None = None,
        clock: Callable[[], datetime] = _utcnow,
        notifier: Notifier | None = None,
        staff: Iterable[StaffUser] = (),
    ) -> None:
        self._uow = uow
        self._sealer = sealer
        self.settings = settings or FeedbackSettings()
        self._clock = clock
        self.notifier = notifier
        self._staff = {u.id: u for u in staff}
        self._guesses = FailureWindow(self.settings.guess_limit, timedelta(minutes=self.settings.guess_window_minutes))
        self._guess_lock = threading.Lock()

    # -- helpers -------------------------------------------------------------------------
    def today(self) -> date:
        return self._clock().astimezone(self.settings.timezone).date()

    def user(self, user_id: str) -> StaffUser:
        """The staff member ``user_id`` from the configuration (``UnknownUser`` if there is none)."""
        return find_user(self._staff.values(), user_id)

    def staff(self) -> list[StaffUser]:
        return list(self._staff.values())

    def _get(self, uow: UnitOfWork, receipt: str, user: StaffUser, action: Action) -> FeedbackRecord:
        check(user, action)  # the role first: a counter clerk is refused, not told "not found"
        record = uow.feedback.get(normalize_receipt(receipt), for_update=True)
        if record is None:
            raise FeedbackNotFound(receipt=receipt)
        note = record.feedback
        if not may_see(user, confidential=note.confidential, team=note.team):
            # Not even whether it exists: a misconduct report's receipt tells its reader nothing.
            raise FeedbackNotFound(receipt=receipt)
        check(user, action, confidential=note.confidential, team=note.team)
        return record

    def _item(self, record: FeedbackRecord, today: date, notice: str = "") -> ItemView:
        note, private = record.feedback, record.private
        name = self._sealer.open(private.name_enc) or ""
        contact = self._sealer.open(private.contact_enc) or ""
        return ItemView(
            receipt=note.receipt,
            category=note.category.value,
            text=note.text,
            status=note.status.value,
            handling=None if note.handling is None else note.handling.value,
            received_at=note.received_at,
            received_on=note.received_on,
            due_date=note.due,
            deadline=note.deadline,
            team=note.team,
            answer=note.answer,
            answered_at=note.answered_at,
            delay_reason=note.delay_reason,
            new_date=note.new_due,
            name=mask_name(name) if name else "",
            contact=mask_contact(contact) if contact else "",
            consent=note.consent,
            overdue=note.overdue(today),
            needs_reminder=note.needs_reminder(today),
            confidential=note.confidential,
            notice=notice,
            history=list(note.history),
        )

    def _pin_for(self, request_key: str | None) -> str:
        """A PIN; the same one for the same request, so a repeated submit shows what the first did."""
        if request_key is None:
            return new_pin()
        digest = hmac.new(self._sealer.pin_hash("request", request_key).encode(), b"pin", hashlib.sha256).digest()
        return f"{int.from_bytes(digest[:8], 'big') % 1_000_000:06d}"

    # -- the visitor's side --------------------------------------------------------------
    def submit(
        self,
        category: str,
        text: str,
        *,
        name: str | None = None,
        contact: str | None = None,
        consent: bool = False,
        language: str = "ko",
        request_key: str | None = None,
    ) -> ReceiptView:
        """Put a note in the box; the visitor gets a receipt and a PIN (and, later, a due date).

        Name and contact are optional and kept only with consent (the screen says what is kept,
        why and how long); without them the note is anonymous. The same ``request_key`` twice (a
        double tap, a retry after a crash) gives the same receipt and PIN and stores one note.
        """
        try:
            kind = Category(category.strip().lower())
        except ValueError:
            raise InvalidInput(field="category", value=category) from None
        body = check_text(text)
        name = check_text(name, field_name="name", limit=NAME_LIMIT, required=False).strip() if name else ""
        contact = check_contact(contact) if contact and contact.strip() else ""
        if contact and address_kind(contact) is None:  # accepted only if a notice can reach it
            raise InvalidInput(field="contact_feedback", reason="format")
        if (name or contact) and not consent:
            raise InvalidInput(field="consent", reason="consent_required")
        now = self._clock()
        today = now.astimezone(self.settings.timezone).date()
        pin = self._pin_for(request_key)
        with self._uow(write=True) as uow:
            if request_key is not None:
                earlier = uow.feedback.get_by_request_key(request_key)
                if earlier is not None:
                    return self._receipt(earlier, pin)
            receipt = new_receipt(today, self.settings.receipt_tag)
            while uow.feedback.exists(receipt):
                receipt = new_receipt(today, self.settings.receipt_tag)
            note = Feedback(
                receipt=receipt,
                category=kind,
                text=body,
                received_at=now,
                received_on=today,
                has_contact=bool(contact),
                consent=bool(consent and (name or contact)),
            )
            record = FeedbackRecord(
                note,
                Private(
                    pin_hash=self._sealer.pin_hash(receipt, pin),
                    name_enc=self._sealer.seal(name),
                    contact_enc=self._sealer.seal(contact),
                    language=language if language in ("ko", "en") else "ko",
                    request_key=request_key,
                    updated_at=now,
                ),
            )
            uow.feedback.add(record)
            uow.events.add(RECEIVED, at=now, actor="visitor", data={"receipt": receipt, "category": kind.value})
            uow.commit()
        return self._receipt(record, pin)

    @staticmethod
    def _receipt(record: FeedbackRecord, pin: str) -> ReceiptView:
        note = record.feedback
        return ReceiptView(
            receipt=note.receipt,
            pin=pin,
            category=note.category.value,
            status=note.status.value,
            received_at=note.received_at,
            due_date=note.due,
            anonymous=not (record.private.name_enc or record.private.contact_enc),
        )

    def status(self, receipt: str, pin: str) -> StatusView:
        """The note's state for the holder of receipt + PIN.

        An unknown receipt and a wrong PIN give the same answer; after ``max_pin_failures`` wrong
        PINs the receipt answers nothing for ``lockout_minutes``, and after ``guess_limit`` failed
        lookups of any receipts within ``guess_window_minutes`` this kiosk answers nothing for a while
        (one PIN tried against many receipts: ``FailureWindow``).
        """
        key = normalize_receipt(receipt)
        now = self._clock()
        with self._guess_lock:
            blocked = self._guesses.blocked_until(now)
        if blocked is not None:
            raise TooManyTries(until=f"{blocked.astimezone(self.settings.timezone):%H:%M}")
        try:
            return self._status(key, receipt, pin, now)
        except FeedbackNotFound:
            with self._guess_lock:
                self._guesses.record(now)
            raise

    def _status(self, key: str, receipt: str, pin: str, now: datetime) -> StatusView:
        with self._uow(write=True) as uow:
            record = uow.feedback.get(key, for_update=True)
            if record is None:
                raise FeedbackNotFound(receipt=receipt)
            private = record.private
            if private.locked_until is not None and private.locked_until > now:
                until = private.locked_until.astimezone(self.settings.timezone)
                raise TooManyTries(until=f"{until:%H:%M}")
            if not self._sealer.pin_matches(key, pin.strip(), private.pin_hash):
                private.pin_failures += 1
                if private.pin_failures >= self.settings.max_pin_failures:
                    private.pin_failures = 0
                    private.locked_until = now + timedelta(minutes=self.settings.lockout_minutes)
                uow.feedback.save(record)
                uow.commit()
                raise FeedbackNotFound(receipt=receipt)
            if private.pin_failures or private.locked_until:
                private.pin_failures, private.locked_until = 0, None
                uow.feedback.save(record)
                uow.commit()
        note = record.feedback
        return StatusView(
            receipt=note.receipt,
            category=note.category.value,
            status=note.status.value,
            received_on=note.received_on,
            due_date=note.due,
            answer=note.answer,
            answered_at=note.answered_at,
            delay_reason=note.delay_reason,
            new_date=note.new_due,
        )

    # -- the staff's side ----------------------------------------------------------------
    def inbox(self, user: StaffUser, *, include_answered: bool = False) -> list[ItemView]:
        """The notes ``user`` may see, soonest deadline first (unclassified ones count 7 days)."""
        check(user, Action.READ)
        today, now = self.today(), self._clock()
        with self._uow(write=True) as uow:
            records = [
                r
                for r in uow.feedback.items(open_only=not include_answered)
                if may_see(user, confidential=r.feedback.confidential, team=r.feedback.team)
            ]
            # The list carries every note's text: reading it is recorded like opening one (S12).
            uow.audit.add(
                at=now,
                actor=user.id,
                action="feedback.list",
                data={"receipts": [r.feedback.receipt for r in records][:500], "answered": include_answered},
            )
            uow.commit()

        def order(r: FeedbackRecord) -> tuple[int, date, str]:
            note = r.feedback
            deadline = note.effective_deadline
            return (0 if note.open else 1, deadline, note.receipt)

        return [self._item(r, today) for r in sorted(records, key=order)]

    def open(self, user: StaffUser, receipt: str) -> ItemView:
        """One note, whole; the opening is written to the audit log (S12)."""
        now = self._clock()
        with self._uow(write=True) as uow:
            record = self._get(uow, receipt, user, Action.READ)
            uow.audit.add(at=now, actor=user.id, action="feedback.open", subject=record.feedback.receipt)
            uow.commit()
        return self._item(record, self.today())

    def _step(
        self,
        user: StaffUser,
        receipt: str,
        action: Action,
        change: Callable[[Feedback, datetime], Feedback],
        event: str,
        data: Mapping[str, object],
        notice: str = "",
    ) -> ItemView:
        now = self._clock()
        with self._uow(write=True) as uow:
            record = self._get(uow, receipt, user, action)
            record.feedback = change(record.feedback, now)
            record.private.updated_at = now
            tell = bool(notice and record.feedback.consent and record.private.contact_enc)
            if tell:
                record.private.notice_pending = notice
            uow.feedback.save(record)
            uow.events.add(event, at=now, actor=user.id, data={"receipt": record.feedback.receipt, **data})
            uow.audit.add(at=now, actor=user.id, action=event, subject=record.feedback.receipt, data=dict(data))
            uow.commit()
        outcome = self._deliver(record) if tell else ""
        return self._item(record, self.today(), outcome)

    def classify(self, user: StaffUser, receipt: str, handling: str) -> ItemView:
        try:
            kind = Handling(handling.strip().lower())
        except ValueError:
            raise InvalidInput(field="handling", value=handling) from None
        return self._step(
            user,
            receipt,
            Action.CLASSIFY,
            lambda f, _now: f.classify(kind, user.id),
            CLASSIFIED,
            {"handling": kind.value},
        )

    def assign(self, user: StaffUser, receipt: str, team: str) -> ItemView:
        return self._step(
            user, receipt, Action.ASSIGN, lambda f, _now: f.assign(team, user.id), ASSIGNED, {"team": team}
        )

    def answer(self, user: StaffUser, receipt: str, text: str) -> ItemView:
        """Close the note with a written answer (S11); the visitor is told where they consented."""
        return self._step(
            user, receipt, Action.ANSWER, lambda f, now: f.answer_with(text, user.id, now), ANSWERED, {}, "answer"
        )

    def delay(self, user: StaffUser, receipt: str, reason: str, new_date: date) -> ItemView:
        """Record why the answer is late and the new date (S10); the visitor sees both, and is told."""
        today = self.today()
        return self._step(
            user,
            receipt,
            Action.DELAY,
            lambda f, _now: f.delay(reason, new_date, user.id, today),
            DELAYED,
            {"new_date": new_date.isoformat()},
            "delay",
        )

    # -- notices -------------------------------------------------------------------------
    def _notice(self, record: FeedbackRecord, contact: str) -> Notice:
        note, lang = record.feedback, record.private.language
        facility = self.settings.facility_ko if lang == "ko" else self.settings.facility_en
        if record.private.notice_pending == "delay":
            body = tr(
                "notice.delay_body",
                lang,
                receipt=note.receipt,
                reason=note.delay_reason,
                date=note.new_due.isoformat() if note.new_due else "",
                facility=facility,
            )
            subject = tr("notice.delay_subject", lang, receipt=note.receipt, facility=facility)
        else:
            body = tr("notice.answer_body", lang, receipt=note.receipt, answer=note.answer, facility=facility)
            subject = tr("notice.answer_subject", lang, receipt=note.receipt, facility=facility)
        return Notice(contact, subject, body, record.private.notice_pending, note.receipt)

    def _deliver(self, record: FeedbackRecord) -> str:
        """Send the pending notice of ``record``: ``sent``, ``queued`` (retry later) or ``failed``."""
        contact = self._sealer.open(record.private.contact_enc)
        if self.notifier is None or not contact:
            return "queued" if self.notifier is None and contact else "failed"
        try:
            self.notifier.send(self._notice(record, contact))
            outcome = "sent"
        except NotifyError as exc:
            reason = str(exc).replace(contact, mask_contact(contact))  # no address in the log
            log.warning("notice for %s not sent (retryable: %s): %s", record.feedback.receipt, exc.retryable, reason)
            if exc.retryable:
                return "queued"
            outcome = "failed"
        now = self._clock()
        with self._uow(write=True) as uow:
            current = uow.feedback.get(record.feedback.receipt, for_update=True)
            if current is not None and current.private.notice_pending == record.private.notice_pending:
                current.private.notice_pending = ""
                uow.feedback.save(current)
            uow.audit.add(
                at=now,
                actor="system",
                action=f"notice.{outcome}",
                subject=record.feedback.receipt,
                data={"kind": record.private.notice_pending},
            )
            uow.commit()
        return outcome

    def alerts(self, user: StaffUser) -> list[ItemView]:
        """Open notes ``user`` may see that are due tomorrow or late with no delay recorded (S10)."""
        return [i for i in self.inbox(user) if i.needs_reminder]

    def remind(self, user: StaffUser = SYSTEM) -> RemindResult:
        """The D-1 check (``kiosk feedback remind`` from cron, and the consoles): alert staff once a day
        per note, by e-mail to ``alert_to`` where configured; retry notices that did not go out."""
        check(user, Action.REMIND)
        today, now = self.today(), self._clock()
        new: list[str] = []
        with self._uow(write=True) as uow:
            due = [
                r
                for r in uow.feedback.items()
                if r.feedback.needs_reminder(today)
                and may_see(user, confidential=r.feedback.confidential, team=r.feedback.team)
            ]
            for record in due:
                if record.private.reminded_on != today:
                    record.private.reminded_on = today
                    uow.feedback.save(record)
                    uow.events.add(REMINDED, at=now, actor=user.id, data={"receipt": record.feedback.receipt})
                    new.append(record.feedback.receipt)
            uow.commit()
            pending = uow.feedback.pending_notices()
        alerts = [
            self._item(r, today) for r in sorted(due, key=lambda r: (r.feedback.effective_deadline, r.feedback.receipt))
        ]
        sent_alert = False
        if new and self.settings.alert_to and self.notifier is not None:
            lines = "\n".join(
                tr("notice.reminder_line", "ko", receipt=a.receipt, deadline=a.deadline, team=a.team or "-")
                for a in alerts
                if a.receipt in new
            )
            notice = Notice(
                self.settings.alert_to,
                tr("notice.reminder_subject", "ko", count=len(new)),
                tr("notice.reminder_body", "ko", lines=lines),
                "reminder",
                ",".join(new)[:200],
            )
            try:
                self.notifier.send(notice)
                sent_alert = True
            except NotifyError as exc:
                log.warning("reminder e-mail not sent (retryable: %s): %s", exc.retryable, exc)
                self._unmark_reminded(new)  # the next run (cron, the consoles) tries again today
        outcomes = [self._deliver(r) for r in pending]
        return RemindResult(
            alerts=alerts,
            new=new,
            alert_sent=sent_alert,
            notices_sent=outcomes.count("sent"),
            notices_failed=outcomes.count("failed"),
            notices_queued=outcomes.count("queued"),
        )

    def _unmark_reminded(self, receipts: list[str]) -> None:
        with self._uow(write=True) as uow:
            for receipt in receipts:
                record = uow.feedback.get(receipt, for_update=True)
                if record is not None:
                    record.private.reminded_on = None
                    uow.feedback.save(record)
            uow.commit()

    def purge(self, user: StaffUser) -> int:
        """Clear name and contact of notes answered more than ``retention_days`` ago; how many."""
        check(user, Action.PURGE)
        now = self._clock()
        limit = now - timedelta(days=self.settings.retention_days)
        with self._uow(write=True) as uow:
            records = uow.feedback.answered_before(limit)
            for record in records:
                record.private = replace(record.private, name_enc=None, contact_enc=None, purged_at=now)
                record.feedback = replace(record.feedback, has_contact=False)
                uow.feedback.save(record)
            uow.audit.add(at=now, actor=user.id, action=PURGED, data={"count": len(records)})
            uow.commit()
        return len(records)

    def audit_log(
        self, user: StaffUser, receipt: str | None = None
    ) -> list[tuple[datetime, str, str, str, dict[str, object]]]:
        check(user, Action.REPORT)
        with self._uow() as uow:
            entries = uow.audit.entries(None if receipt is None else normalize_receipt(receipt))
            if user.role is Role.AUDIT:
                return entries
            # Who handled a misconduct report is itself confidential (S12): audit team only.
            subjects = {e[3] for e in entries if e[3]}
            hidden = {s for s in subjects if (r := uow.feedback.get(s)) is not None and r.feedback.confidential}
            return [e for e in entries if e[3] not in hidden]
