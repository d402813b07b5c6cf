"""The report's store adapter: ``ReportStore`` over an engine (SQLite or PostgreSQL)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, text, update
from sqlalchemy.exc import DBAPIError

from kiosk.domain.errors import StoreUnavailable
from kiosk.domain.report import ReportQuery
from kiosk.store import report_queries
from kiosk.store.models import FeedbackRow, SatisfactionRow, TicketRow


class SqlReportStore:
    """Figures computed by SQL aggregates on one read-only connection (one consistent snapshot)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def figures(self, query: ReportQuery) -> dict[str, Any]:
        try:
            with self.engine.connect() as conn:
                if conn.dialect.name == "postgresql":
                    # Every figure from the same moment, even while counters keep calling.
                    conn.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"))
                return report_queries.report_figures(conn, query)
        except DBAPIError as exc:
            raise StoreUnavailable(reason=_reason(exc)) from exc

    def facilities(self) -> list[str]:
        try:
            with self.engine.connect() as conn:
                return report_queries.facilities(conn)
        except DBAPIError as exc:
            raise StoreUnavailable(reason=_reason(exc)) from exc


def stamp_facility(engine: Engine, facility: str) -> int:
    """Give this store's rows from before revision 0006 (facility "") the node's facility id.

    Run on the node's own store only, once, right after that upgrade: a central database holds
    several facilities' rows, so an unstamped row there stays unnamed rather than guessed.
    """
    done = 0
    with engine.begin() as conn:
        for model in (TicketRow, FeedbackRow, SatisfactionRow):
            done += conn.execute(update(model).where(model.facility == "").values(facility=facility)).rowcount
    return done


def _reason(exc: DBAPIError) -> str:
    reason = str(exc.orig) if exc.orig is not None else str(exc)
    return reason.splitlines()[0][:200]
