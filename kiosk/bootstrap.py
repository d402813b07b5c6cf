"""Wiring: configuration -> engine -> migrations -> services. Nothing here runs at import time."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from kiosk.config import Config, ConfigError
from kiosk.domain.errors import StoreUnavailable
from kiosk.domain.seat_chart import SeatChart
from kiosk.secrets import SecretFileError, check_private
from kiosk.services.audit import AuditService
from kiosk.services.auth import StaffAuth
from kiosk.services.chart import ChartService
from kiosk.services.feedback import FeedbackService, FeedbackSettings
from kiosk.services.node import FailoverQueue
from kiosk.services.notify import NotifyConfigError, notifier_from_config
from kiosk.services.queue import QueueService, QueueSettings
from kiosk.services.report import ReportService, ReportSettings, ReportSource
from kiosk.services.sealing import Sealer, SealingKeyError, load_or_create_key
from kiosk.services.survey import SurveyService
from kiosk.store import migrate
from kiosk.store.engine import make_engine
from kiosk.store.health import check_sqlite, sqlite_path
from kiosk.store.readonly import ReadOnlyUnitOfWorkFactory, make_read_only_engine, note_fallback, replay_spool
from kiosk.store.report_store import SqlReportStore, stamp_facility
from kiosk.store.uow import SqlUnitOfWorkFactory
from kiosk.store.upgrade import upgrade_with_backup
from kiosk.sync.syncer import BackgroundSync, Syncer

log = logging.getLogger(__name__)


@dataclass
class App:
    config: Config
    engine: Engine
    queue: QueueService
    """The queue API; with a central database a ``FailoverQueue`` (central first, this store offline)."""
    charts: ChartService | None = None
    """Seat chart and presence; with a central database, central first like the queue."""
    feedback: FeedbackService | None = None
    """The customer voice box (S8–S13)."""
    survey: SurveyService | None = None
    """Satisfaction answers after a visit (S5, S15)."""
    reports: ReportService | None = None
    """The service performance report (S15, S16): the central database first on a node."""
    auth: StaffAuth | None = None
    """Staff sign-in (PIN, lockout, idle sessions): on this node's store, so it works offline."""
    audit: AuditService | None = None
    """The audit trail (issue 9): the central database first on a node."""
    central: Engine | None = None
    sync: Syncer | None = None
    background: BackgroundSync | None = None
    read_only: StoreUnavailable | None = None
    """Set when an upgrade failed: the app runs on the previous data, read-only (issue 10)."""

    def start_sync(self, **kwargs: Any) -> BackgroundSync | None:
        """Start the background sync (a node with a central database); returns it, or ``None``."""
        if self.sync is not None and self.background is None:
            self.background = BackgroundSync(self.sync, self.config.sync_interval_seconds, **kwargs)
            self.background.start()
        return self.background

    def close(self) -> None:
        if self.background is not None:
            self.background.stop()
        self.engine.dispose()
        if self.central is not None:
            self.central.dispose()


def bootstrap(
    config: Config,
    *,
    upgrade: bool = True,
    clock: Callable[[], datetime] | None = None,
    sync_on_start: bool = True,
) -> App:
    """Build the application's services for ``config``; upgrades the schema on start.

    A store that cannot be opened (missing folder, no permission, server down) raises
    ``StoreUnavailable`` with the reason, like any other store fault.
    """
    try:
        return _bootstrap(config, upgrade, clock, sync_on_start)
    except DBAPIError as exc:
        reason = str(exc.orig) if exc.orig is not None else str(exc)
        raise StoreUnavailable(reason=reason.splitlines()[0][:200]) from exc
    except OSError as exc:
        raise StoreUnavailable(reason=str(exc)[:200]) from exc


def _bootstrap(config: Config, upgrade: bool, clock: Callable[[], datetime] | None, sync_on_start: bool) -> App:
    if config.db_url.startswith("sqlite"):
        config.data_dir.mkdir(parents=True, exist_ok=True)
        check_sqlite(config.db_url)  # a damaged file kept aside; read-only or full: refused (issue 9)
    engine = make_engine(config.db_url)
    fresh = False
    store = sqlite_path(config.db_url)
    fallback: StoreUnavailable | None = None
    if upgrade:
        before = migrate.current_revision(engine)
        fresh = before is None
        if store is None:
            migrate.upgrade(engine)
        else:
            try:  # a copy first; the old data back if it fails (issue 10)
                upgrade_with_backup(engine, store)
            except StoreUnavailable as exc:
                if exc.params.get("problem") != "upgrade_failed":
                    raise
                fallback = exc
        if fallback is None and before is not None and before < "0006" and config.db_url.startswith("sqlite"):
            stamp_facility(engine, config.facility_id)  # rows from before the facility column
        if fallback is None and store is not None:
            # What staff read while an earlier upgrade had failed is audited now.
            replay_spool(store, SqlUnitOfWorkFactory(engine, journal=bool(config.central_url)))
    settings = QueueSettings(
        timezone=config.tz,
        day_starts_at=config.day_starts_at,
        no_show_after_recalls=config.no_show_after_recalls,
        default_service_seconds=config.default_service_minutes * 60,
    )
    now = clock or (lambda: datetime.now(UTC))
    counters = [(c.number, c.staff_ko, c.staff_en) for c in config.counters]
    if fallback is not None:
        assert store is not None
        engine.dispose()
        return _bootstrap_read_only(config, store, fallback, settings, now)
    if config.central_url:
        return _bootstrap_node(config, engine, settings, now, upgrade, sync_on_start)
    uow = SqlUnitOfWorkFactory(engine, facility=config.facility_id)
    charts = ChartService(uow, now, lambda: [s.code for s in config.services])
    queue = QueueService(uow, settings, now, routing=charts.routing)
    feedback = _feedback(config, uow, now)
    survey = SurveyService(uow, now, config.tz, config.day_starts_at)
    reports = _reports(config, [ReportSource("local", SqlReportStore(engine), uow)], now, charts.chart)
    if upgrade:
        note_configuration(config, uow, now)
    if upgrade and (config.services or config.counters):
        queue.configure(config.services, counters)
    if config.demo and fresh:
        # A new demo store starts with every counter open for every service (a small office where
        # anyone can take any visitor); afterwards the counters keep whatever state staff (or
        # scripts) left them in. Its seat chart says who holds which duty.
        for counter in queue.counters():
            if not counter.is_open:
                queue.open_counter(counter.number, [s.code for s in config.services], actor="demo")
        _demo_chart(charts)
    return App(
        config=config,
        engine=engine,
        queue=queue,
        charts=charts,
        feedback=feedback,
        survey=survey,
        reports=reports,
        auth=_auth(config, uow, now),
        audit=AuditService(uow, now, config.tz),
    )


def _bootstrap_read_only(
    config: Config,
    store: Path,
    problem: StoreUnavailable,
    settings: QueueSettings,
    clock: Callable[[], datetime],
) -> App:
    """The previous data, read-only, after a failed upgrade (``kiosk.store.readonly``).

    Only this node's store: no sync (a node's outbox cannot be marked sent) and no central
    database (its schema is the new version's business, not this store's)."""
    note_fallback(problem)
    log.error("running on the previous data read-only: %s", problem.params.get("reason", ""))
    engine = make_read_only_engine(store, overrides={"facility": config.facility_id})
    uow = ReadOnlyUnitOfWorkFactory(engine, store, problem, facility=config.facility_id)
    charts = ChartService(uow, clock, lambda: [s.code for s in config.services])
    keyed = not config.central_url or config.feedback_key or config.feedback_key_file  # as ``_bootstrap_node``
    # No notifier: a notice sent now could not be marked sent, and every reminder run would repeat it.
    feedback = _feedback(config, uow, clock, notify=False) if keyed else None
    return App(
        config=config,
        engine=engine,
        queue=QueueService(uow, settings, clock, routing=charts.routing),
        charts=charts,
        feedback=feedback,
        survey=SurveyService(uow, clock, config.tz, config.day_starts_at),
        reports=_reports(config, [ReportSource("local", SqlReportStore(engine), uow)], clock, charts.chart),
        auth=_auth(config, uow, clock),
        audit=AuditService(uow, clock, config.tz),
        read_only=problem,
    )


CONFIG_CHANGED = "config.changed"


def note_configuration(config: Config, uow: SqlUnitOfWorkFactory, clock: Callable[[], datetime]) -> bool:
    """Write a ``config.changed`` audit entry when the configuration file differs from the one this
    store last started with (its SHA-256; the file's text, which may name secrets, is not kept)."""
    if config.source is None or not config.source.is_file():
        return False
    digest = hashlib.sha256(config.source.read_bytes()).hexdigest()
    subject = str(config.source)[-64:]
    with uow(write=True) as work:
        last = work.audit.entries(subject, limit=20)
        if any(action == CONFIG_CHANGED and data.get("sha256") == digest for _, _, action, _, data in last[:1]):
            return False
        work.audit.add(
            at=clock(),
            actor="system",
            action=CONFIG_CHANGED,
            subject=subject,
            data={"sha256": digest, "node": config.node_id},
        )
        work.commit()
    return True


def _reports(
    config: Config,
    sources: list[ReportSource],
    clock: Callable[[], datetime],
    chart: Callable[[], SeatChart | None],
) -> ReportService:
    settings = ReportSettings(
        timezone=config.tz,
        opens=config.opens,
        closes=config.closes,
        facility_id=config.facility_id,
        facility_ko=config.facility_ko,
        facility_en=config.facility_en,
        services={s.code: (s.name_ko, s.name_en) for s in config.services},
    )
    return ReportService(sources, settings, clock, chart, config.staff)


def _auth(config: Config, uow: SqlUnitOfWorkFactory, clock: Callable[[], datetime]) -> StaffAuth:
    """Staff sign-in on ``uow`` (a node's own store: its audit rows are journalled to the centre)."""
    return StaffAuth(uow, config.staff, config.staff_pin_hashes, config.auth, clock, config.tz)


def sealer_for(config: Config) -> Sealer:
    """The voice box's key: ``KIOSK_FEEDBACK_KEY``, else the key file (made on first start)."""
    try:
        if config.feedback_key:
            return Sealer(config.feedback_key)
        if config.key_path.exists():
            check_private(config.key_path, "voice-box key file")  # never a key every account can read
        return Sealer(load_or_create_key(config.key_path))
    except SecretFileError as exc:
        raise ConfigError(str(exc)) from None
    except SealingKeyError as exc:
        source = "KIOSK_FEEDBACK_KEY" if config.feedback_key else str(config.key_path)
        raise ConfigError(f"{source}: {exc}") from None


def _feedback(
    config: Config, uow: SqlUnitOfWorkFactory, clock: Callable[[], datetime], tag: str = "", *, notify: bool = True
) -> FeedbackService:
    try:
        notifier = notifier_from_config(config.notify) if notify else None
    except NotifyConfigError as exc:
        raise ConfigError(str(exc)) from None
    settings = FeedbackSettings(
        timezone=config.tz,
        retention_days=config.feedback_retention_days,
        alert_to=config.feedback_alert_to,
        receipt_tag=tag,
        facility_ko=config.facility_ko,
        facility_en=config.facility_en,
    )
    return FeedbackService(uow, sealer_for(config), settings, clock, notifier, config.staff)


def _demo_chart(charts: ChartService) -> None:
    """The demo facility's counter office (``seat_chart/service-center.toml``)."""
    from kiosk.paths import seat_chart_dir
    from kiosk.services.chart_file import read_chart

    result = read_chart((seat_chart_dir() / "service-center.toml").read_text(encoding="utf-8"))
    if result.chart is not None:
        charts.import_chart(result.chart, actor="demo")


def _bootstrap_node(
    config: Config,
    local: Engine,
    settings: QueueSettings,
    clock: Callable[[], datetime],
    upgrade: bool,
    sync_on_start: bool,
) -> App:
    """A node of a facility: the central database first, this store (journalled) when it is away."""
    assert config.central_url is not None
    counters = [(c.number, c.staff_ko, c.staff_en) for c in config.counters]
    service_codes = lambda: [s.code for s in config.services]  # noqa: E731
    central = make_engine(config.central_url)
    charts = FailoverQueue(
        ChartService(SqlUnitOfWorkFactory(central, facility=config.facility_id), clock, service_codes),
        ChartService(SqlUnitOfWorkFactory(local, journal=True, facility=config.facility_id), clock, service_codes),
        online=False,
    )
    offline = QueueService(
        SqlUnitOfWorkFactory(local, journal=True, facility=config.facility_id),
        replace(settings, number_tag=config.offline_tag),
        clock,
        routing=charts.local.routing,
    )
    if upgrade and (config.services or config.counters):
        offline.configure(config.services, counters)
    main = QueueService(
        SqlUnitOfWorkFactory(central, facility=config.facility_id), settings, clock, routing=charts.central.routing
    )

    def prepare() -> None:
        """The central schema and this facility's services and counters (on first contact)."""
        if upgrade:
            migrate.upgrade(central)
            if config.services or config.counters:
                main.configure(config.services, counters)

    queue = FailoverQueue(main, offline, online=False)
    queue.on_change(charts.set_online)
    feedback: FailoverQueue | None = None
    if config.feedback_key or config.feedback_key_file:
        feedback = FailoverQueue(
            _feedback(config, SqlUnitOfWorkFactory(central, facility=config.facility_id), clock),
            _feedback(
                config,
                SqlUnitOfWorkFactory(local, journal=True, facility=config.facility_id),
                clock,
                config.offline_tag.upper(),
            ),
            online=False,
        )
        queue.on_change(feedback.set_online)
        feedback.on_change(lambda online: None if online else queue.set_online(False))
    else:
        # Every node of a facility must seal with one key (a note sealed here is read at another
        # kiosk): a node left to make its own would strand its notes. No key, no voice box.
        log.warning("voice box off on this node: set KIOSK_FEEDBACK_KEY or [feedback] key_file (the facility's key)")
    survey = FailoverQueue(
        SurveyService(
            SqlUnitOfWorkFactory(central, facility=config.facility_id), clock, config.tz, config.day_starts_at
        ),
        SurveyService(
            SqlUnitOfWorkFactory(local, journal=True, facility=config.facility_id),
            clock,
            config.tz,
            config.day_starts_at,
        ),
        online=False,
    )
    queue.on_change(survey.set_online)
    survey.on_change(lambda online: None if online else queue.set_online(False))
    audit = FailoverQueue(
        AuditService(SqlUnitOfWorkFactory(central, facility=config.facility_id), clock, config.tz),
        AuditService(SqlUnitOfWorkFactory(local, journal=True, facility=config.facility_id), clock, config.tz),
        online=False,
    )
    queue.on_change(audit.set_online)
    audit.on_change(lambda online: None if online else queue.set_online(False))
    # A chart call that finds the centre gone takes the whole node offline, so the next successful
    # sync (which sets the queue online) brings the seat chart back online with it.
    charts.on_change(lambda online: None if online else queue.set_online(False))
    if upgrade:
        note_configuration(config, SqlUnitOfWorkFactory(local, journal=True, facility=config.facility_id), clock)
    syncer = Syncer(local, central, config.node_id, queue, prepare=prepare)
    fresh_central = False
    try:
        fresh_central = migrate.current_revision(central) is None
        # Sends what a node kept from an earlier offline spell before serving anyone online.
        if sync_on_start:
            syncer.run_once()
    except (DBAPIError, OSError, StoreUnavailable):
        pass  # start offline: visitors are served from this store, the sync catches up later
    if config.demo and fresh_central and queue.online:
        for counter in queue.counters():
            if not counter.is_open:
                queue.open_counter(counter.number, [s.code for s in config.services], actor="demo")
    charts.set_online(queue.online)
    if feedback is not None:
        feedback.set_online(queue.online)
    survey.set_online(queue.online)
    audit.set_online(queue.online)
    return App(
        config=config,
        engine=local,
        queue=cast(QueueService, queue),
        charts=cast(ChartService, charts),
        feedback=cast(FeedbackService | None, feedback),
        survey=cast(SurveyService, survey),
        reports=_reports(
            config,
            [
                ReportSource(
                    "central", SqlReportStore(central), SqlUnitOfWorkFactory(central, facility=config.facility_id)
                ),
                ReportSource(
                    "local",
                    SqlReportStore(local),
                    SqlUnitOfWorkFactory(local, journal=True, facility=config.facility_id),
                ),
            ],
            clock,
            cast(ChartService, charts).chart,
        ),
        central=central,
        sync=syncer,
        auth=_auth(config, SqlUnitOfWorkFactory(local, journal=True, facility=config.facility_id), clock),
        audit=cast(AuditService, audit),
    )
