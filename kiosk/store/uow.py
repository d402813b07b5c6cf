"""Unit of work: one SQLAlchemy session, one transaction, store faults translated."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from kiosk.domain.errors import StoreUnavailable
from kiosk.store.auth_repo import SqlLockoutRepository
from kiosk.store.engine import WRITE
from kiosk.store.feedback_repo import SqlAuditLog, SqlFeedbackRepository, SqlSatisfactionRepository
from kiosk.store.repositories import (
    SqlChartRepository,
    SqlCounterRepository,
    SqlEventLog,
    SqlPresenceRepository,
    SqlServiceRepository,
    SqlTicketRepository,
)
from kiosk.store.sync_store import enable_journal


class SqlUnitOfWork:
    session: Session
    tickets: SqlTicketRepository
    services: SqlServiceRepository
    counters: SqlCounterRepository
    events: SqlEventLog
    charts: SqlChartRepository
    presence: SqlPresenceRepository
    feedback: SqlFeedbackRepository
    satisfaction: SqlSatisfactionRepository
    audit: SqlAuditLog
    lockout: SqlLockoutRepository

    def __init__(self, factory: sessionmaker[Session], journal: bool = False, facility: str = "") -> None:
        self._factory = factory
        self._journal = journal
        self._facility = facility

    def __enter__(self) -> SqlUnitOfWork:
        self.session = self._factory()
        self.session.info["facility"] = self._facility  # stamped on new tickets, notes and answers
        if self._journal:
            enable_journal(self.session)
        self.tickets = SqlTicketRepository(self.session)
        self.services = SqlServiceRepository(self.session)
        self.counters = SqlCounterRepository(self.session)
        self.events = SqlEventLog(self.session)
        self.charts = SqlChartRepository(self.session)
        self.presence = SqlPresenceRepository(self.session)
        self.feedback = SqlFeedbackRepository(self.session)
        self.satisfaction = SqlSatisfactionRepository(self.session)
        self.audit = SqlAuditLog(self.session)
        self.lockout = SqlLockoutRepository(self.session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.session.rollback()
            self.session.close()
        except DBAPIError:
            pass
        if isinstance(exc, DBAPIError):
            raise self.translate(exc) from exc

    def translate(self, exc: DBAPIError) -> StoreUnavailable:
        """The fault a visitor or staff member is told about for a database error."""
        reason = str(exc.orig) if exc.orig is not None else str(exc)
        return StoreUnavailable(reason=reason.splitlines()[0][:200])

    def commit(self) -> None:
        self.session.commit()

    def lock(self, name: str) -> None:
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": f"kiosk:{name}"})


class SqlUnitOfWorkFactory:
    """Hands out units of work; writers start with the write lock held (see ``engine``).

    With ``journal`` every ticket a writer changes also goes to the outbox (an offline node).
    """

    def __init__(self, engine: Engine, *, journal: bool = False, facility: str = "") -> None:
        self.engine = engine
        self.journal = journal
        self.facility = facility
        self._read = sessionmaker(bind=engine, expire_on_commit=False)
        self._write = sessionmaker(bind=engine.execution_options(**WRITE), expire_on_commit=False)

    def __call__(self, *, write: bool = False) -> SqlUnitOfWork:
        return SqlUnitOfWork(
            self._write if write else self._read, journal=write and self.journal, facility=self.facility
        )
