"""Wiring: configuration -> engine -> migrations -> services. Nothing here runs at import time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from kiosk.config import Config
from kiosk.domain.errors import StoreUnavailable
from kiosk.services.queue import QueueService, QueueSettings
from kiosk.store import migrate
from kiosk.store.engine import make_engine
from kiosk.store.uow import SqlUnitOfWorkFactory


@dataclass
class App:
    config: Config
    engine: Engine
    queue: QueueService

    def close(self) -> None:
        self.engine.dispose()


def bootstrap(
    config: Config,
    *,
    upgrade: bool = True,
    clock: Callable[[], datetime] | None = None,
) -> App:
    """Build the application's services for ``config``; upgrades the schema on start.

    A store that cannot be opened (missing folder, no permission, server down) raises
    ``StoreUnavailable`` with the reason, like any other store fault.
    """
    try:
        return _bootstrap(config, upgrade, clock)
    except DBAPIError as exc:
        reason = str(exc.orig) if exc.orig is not None else str(exc)
        raise StoreUnavailable(reason=reason.splitlines()[0][:200]) from exc
    except OSError as exc:
        raise StoreUnavailable(reason=str(exc)[:200]) from exc


def _bootstrap(config: Config, upgrade: bool, clock: Callable[[], datetime] | None) -> App:
    if config.db_url.startswith("sqlite"):
        config.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(config.db_url)
    fresh = False
    if upgrade:
        fresh = migrate.current_revision(engine) is None
        migrate.upgrade(engine)
    settings = QueueSettings(
        timezone=config.tz,
        day_starts_at=config.day_starts_at,
        no_show_after_recalls=config.no_show_after_recalls,
        default_service_seconds=config.default_service_minutes * 60,
    )
    queue = QueueService(SqlUnitOfWorkFactory(engine), settings, clock or (lambda: datetime.now(UTC)))
    if upgrade and (config.services or config.counters):
        queue.configure(config.services, [(c.number, c.staff_ko, c.staff_en) for c in config.counters])
    if config.demo and fresh:
        # A new demo store starts with every counter open for every service; afterwards the
        # counters keep whatever state staff (or scripts) left them in.
        for counter in queue.counters():
            if not counter.is_open:
                queue.open_counter(counter.number, [s.code for s in config.services], actor="demo")
    return App(config=config, engine=engine, queue=queue)
