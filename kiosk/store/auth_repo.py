"""Staff sign-in: each account's wrong PINs in a row and lock time on this node (``staff_lockout``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.domain.auth import Lockout
from kiosk.store.models import StaffLockoutRow

KEY_CHARS = 64
"""The column's width: a longer id (nobody's: config ids are short) is kept by its first 64 characters."""


class SqlLockoutRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, user_id: str) -> Lockout:
        row = self.session.get(StaffLockoutRow, user_id[:KEY_CHARS])
        return Lockout() if row is None else Lockout(row.failures, row.locked_until)

    def save(self, user_id: str, state: Lockout, at: datetime) -> None:
        key = user_id[:KEY_CHARS]
        row = self.session.get(StaffLockoutRow, key)
        if row is None:
            if state == Lockout():
                return  # nothing to remember about an account that never failed
            row = StaffLockoutRow(user_id=key)
            self.session.add(row)
        row.failures = state.failures
        row.locked_until = state.locked_until
        row.updated_at = at

    def all(self) -> dict[str, Lockout]:
        return {r.user_id: Lockout(r.failures, r.locked_until) for r in self.session.scalars(select(StaffLockoutRow))}
