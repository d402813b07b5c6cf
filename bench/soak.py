"""Soak (issue 9): a whole counter day in one process, in accelerated time, printed as a table.

    .venv/bin/python bench/soak.py [--hours 10] [--tickets 3000]

One node of a facility (its own SQLite store, a throw-away central PostgreSQL database on
127.0.0.1:5432 reached through a TCP proxy) lives a simulated day on an injected clock: visitors
arrive and take tickets, four counters call, serve, recall and mark no-shows, visitors leave notes
in the voice box that the team lead classifies and answers, staff step away and come back (the
seat chart's presence), and the node syncs every simulated minute while the network to the centre
drops out twice. It checks what an operator would: memory after the warm-up hour and at the end
(growth < 20 MB), no ERROR in the ``kiosk`` logs, and every count reconciled at the centre after
the final sync (tickets issued = completed + no-shows + still waiting; notes submitted = notes at
the centre; outbox empty). ``tests/robustness/test_soak.py`` runs a shorter day the same way.
"""

from __future__ import annotations

import argparse
import gc
import logging
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.bootstrap import bootstrap
from kiosk.config import load_config
from kiosk.domain.errors import CounterBusy, StoreUnavailable, TicketStateError
from kiosk.paths import seat_chart_dir
from kiosk.services.chart_file import read_chart
from tests.pgdb import create_database, drop_database
from tests.sync.proxy import TcpProxy

START = datetime(2026, 11, 25, 0, 0, tzinfo=UTC)  # a Wednesday, 09:00 in Seoul
STEP = timedelta(seconds=5)
PRIORITIES = ("disabled", "elderly", "pregnant", "infant")
AWAY = ("jung-minsu", "han-soyoung", "oh-daehyun", "lee-junho")
"""Who steps away during the day: the back office, the manager, and one counter clerk (whose
services a colleague covers meanwhile)."""
MAX_GROWTH_MB = 20.0
T = TypeVar("T")


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


class Errors(logging.Handler):
    """Every WARNING and above the app logs (``kiosk.*``)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    @property
    def errors(self) -> list[str]:
        return [
            f"{r.name}: {r.getMessage()}" + (f" ({r.exc_info[1]!r})" if r.exc_info else "")
            for r in self.records
            if r.levelno >= logging.ERROR
        ]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


@dataclass
class SoakResult:
    hours: float
    issued: int = 0
    completed: int = 0
    no_shows: int = 0
    waiting_at_end: int = 0
    notes: int = 0
    answered: int = 0
    presence_changes: int = 0
    dropouts: int = 0
    offline_tickets: int = 0
    unknown_offline: int = 0
    """Visits a counter could not complete offline: called at the centre after the node's last pull."""
    syncs: int = 0
    rss_warm_mb: float = 0.0
    rss_end_mb: float = 0.0
    wall_s: float = 0.0
    errors: list[str] = field(default_factory=list)
    warnings: int = 0
    problems: list[str] = field(default_factory=list)
    anomalies: list[str] = field(default_factory=list)
    """What the counters ran into that staff would notice (with the ticket's history on both stores)."""
    """Counts that did not reconcile (empty: all did)."""

    @property
    def growth_mb(self) -> float:
        return self.rss_end_mb - self.rss_warm_mb

    def table(self) -> str:
        rows = [
            ("simulated hours", f"{self.hours:g}"),
            ("tickets issued", f"{self.issued:,}"),
            ("  completed / no-shows / waiting", f"{self.completed:,} / {self.no_shows} / {self.waiting_at_end}"),
            ("  issued while the centre was away", f"{self.offline_tickets:,}"),
            ("notes submitted / answered", f"{self.notes} / {self.answered}"),
            ("presence changes", f"{self.presence_changes}"),
            ("syncs / drop-outs of the centre", f"{self.syncs} / {self.dropouts}"),
            ("RSS after the warm-up hour", f"{self.rss_warm_mb:.1f} MB"),
            ("RSS at the end", f"{self.rss_end_mb:.1f} MB"),
            ("RSS growth (limit 20 MB)", f"{self.growth_mb:+.1f} MB"),
            ("ERROR log records / warnings", f"{len(self.errors)} / {self.warnings}"),
            ("counts reconciled", "yes" if not self.problems else "NO: " + "; ".join(self.problems)),
            ("counters left busy after a drop-out", f"{len(self.anomalies)}"),
            ("wall time", f"{self.wall_s:.1f} s"),
        ]
        width = max(len(r[0]) for r in rows)
        lines = [f"| {'soak':<{width}} | value |", f"|{'-' * (width + 2)}|-------|"]
        lines += [f"| {name:<{width}} | {value} |" for name, value in rows]
        return "\n".join(lines)


def new_database() -> str:
    return create_database("kiosk_soak")


def soak(hours: float, tickets: int, workdir: Path, central_url: str, seed: int = 20261125) -> SoakResult:
    """Live one simulated day of ``hours`` with ``tickets`` visitors; returns the figures and findings."""
    rng = random.Random(seed)
    result = SoakResult(hours=hours)
    handler = Errors()
    kiosk_log = logging.getLogger("kiosk")
    kiosk_log.addHandler(handler)
    proxy = TcpProxy("127.0.0.1", 5432)
    proxy.start()
    clock = Clock()
    day = timedelta(hours=hours)
    span = day.total_seconds()
    # Visitors arrive over the day; the last half hour the line drains. Two drop-outs of the centre.
    arrivals = sorted(START + timedelta(seconds=rng.uniform(0, span - 1800)) for _ in range(tickets))
    cuts = [(START + 0.3 * day, START + 0.35 * day), (START + 0.7 * day, START + 0.775 * day)]
    warm_at = START + min(timedelta(hours=1), 0.1 * day)
    config = replace(
        load_config(demo=True, data_dir=workdir, env={}),
        central_url=proxy.url(central_url),
        node_id="soak-node",
        node_tag="S1",
        feedback_key_file=workdir / "feedback.key",
    )
    wall = time.perf_counter()
    app = bootstrap(config, clock=clock)
    try:
        assert app.sync is not None and app.feedback is not None and app.charts is not None
        q, box, charts, syncer = app.queue, app.feedback, app.charts, app.sync
        lead = box.user("lee")
        # The facility's seat chart, put in by an administrator; the sync brings it to the node.
        chart = read_chart((seat_chart_dir() / "service-center.toml").read_text(encoding="utf-8")).chart
        assert chart is not None
        charts.import_chart(chart, actor="admin")
        syncer.run_once()
        busy_until = dict.fromkeys(range(1, 5), START)
        serving: dict[int, str | None] = dict.fromkeys(range(1, 5))
        """By number, not id: the node's own store numbers rows its own way while the centre is away."""
        notes_open: list[tuple[datetime, str]] = []
        away: dict[str, datetime] = {}
        last_presence: dict[str, str] = {}
        next_sync = next_note = next_presence = START
        cut = False
        warmed = False

        def attempt(action: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
            """A use case as a screen runs it: a store fault is shown and tried again later."""
            try:
                return action(*args, **kwargs)
            except StoreUnavailable:
                return None

        i = 0
        while clock.now < START + day:
            now = clock.now
            # the network to the centre
            for begin, end in cuts:
                if not cut and begin <= now < end:
                    # The cable is pulled right after a sync: a call the centre took since the last
                    # pull would be unknown to the node's store (see ``unknown_offline``).
                    attempt(syncer.run_once)
                    result.syncs += 1
                    proxy.cut()
                    cut = True
                    result.dropouts += 1
                elif cut and begin <= now - STEP < end <= now:
                    proxy.restore()
                    cut = False
            # visitors at the kiosk
            while i < len(arrivals) and arrivals[i] <= now:
                priority = rng.choice(PRIORITIES) if rng.random() < 0.15 else None
                t = q.issue_ticket(rng.choice("AABBC"), priority)
                result.issued += 1
                result.offline_tickets += "-S1-" in t.number
                i += 1
            # the counters
            for counter, free_at in busy_until.items():
                if free_at > now:
                    continue
                current = serving[counter]
                if current is not None:
                    try:
                        if attempt(q.complete, current, actor=f"counter:{counter}") is None:
                            continue
                        result.completed += 1
                    except TicketStateError:
                        result.unknown_offline += 1  # the node's store never heard of this call
                        result.anomalies.append(f"{now:%H:%M:%S} counter {counter}: {history(app, current)}")
                    serving[counter] = None
                try:
                    called = attempt(q.call_next, counter)
                except CounterBusy as exc:  # the store says the counter still has a visitor
                    busy = str(exc.params["number"])
                    result.anomalies.append(f"{now:%H:%M:%S} counter {counter} busy with {busy}: {history(app, busy)}")
                    serving[counter] = busy
                    continue
                if called is None:
                    busy_until[counter] = now + timedelta(seconds=20)
                    continue
                if rng.random() < 0.03:  # nobody comes: two recalls, then a no-show
                    attempt(q.recall, called.number)
                    attempt(q.recall, called.number)
                    view = attempt(q.no_show, called.number)
                    if view is None:
                        serving[counter] = called.number
                    elif view.status == "expired":
                        result.no_shows += 1
                    busy_until[counter] = now + timedelta(seconds=30)
                    continue
                serving[counter] = called.number
                busy_until[counter] = now + timedelta(seconds=rng.uniform(20, 60))
            # the voice box: a note every few minutes, answered by the team lead half an hour later
            if now >= next_note:
                receipt = attempt(box.submit, "suggestion", f"안내 표지판을 더 크게 해 주세요 #{result.notes}")
                if receipt is not None:
                    result.notes += 1
                    notes_open.append((now, receipt.receipt))
                next_note = now + timedelta(minutes=5)
            while notes_open and notes_open[0][0] + timedelta(minutes=30) <= now:
                number = notes_open[0][1]
                if attempt(box.classify, lead, number, "simple") is None:
                    break
                if attempt(box.answer, lead, number, "표지판을 교체했습니다. 감사합니다.") is None:
                    break
                notes_open.pop(0)
                result.answered += 1
            # presence: someone steps away for a while, someone comes back
            if now >= next_presence:
                for person, back in list(away.items()):
                    if back <= now and attempt(charts.set_presence, person, "present") is not None:
                        del away[person]
                        last_presence[person] = "present"
                        result.presence_changes += 1
                free = [p for p in AWAY if p not in away]
                if free and rng.random() < 0.7:
                    person = rng.choice(free)
                    back = now + timedelta(minutes=rng.choice((15, 20, 30)))
                    done = attempt(charts.set_presence, person, "away", destination="현장 점검", until=back)
                    if done is not None:
                        away[person] = back
                        last_presence[person] = "away"
                        result.presence_changes += 1
                next_presence = now + timedelta(minutes=10)
            # the node's sync, once a simulated minute
            if now >= next_sync:
                result.syncs += 1
                attempt(syncer.run_once)
                next_sync = now + timedelta(minutes=1)
            if not warmed and now >= warm_at:
                gc.collect()
                result.rss_warm_mb = rss_mb()
                warmed = True
            clock.now = now + STEP

        # closing time: the visits under way finish, the line that is left stays (counted as waiting)
        if cut:
            proxy.restore()
        for counter, current in serving.items():
            if current is not None:
                q.complete(current, actor=f"counter:{counter}")
                result.completed += 1
        for person, state in list(last_presence.items()):
            if state == "away":
                charts.set_presence(person, "present")
                last_presence[person] = "present"
                result.presence_changes += 1
        report = syncer.run_once()
        if report.pending:
            report = syncer.run_once()
        result.syncs += 2
        gc.collect()
        result.rss_end_mb = rss_mb()
        result.wall_s = time.perf_counter() - wall
        result.problems = reconcile(app, result, central_url, START, last_presence)
        result.waiting_at_end = len(q.queue())
    finally:
        app.close()
        proxy.close()
        kiosk_log.removeHandler(handler)
    result.errors = handler.errors
    result.warnings = len(handler.records) - len(result.errors)
    return result


def history(app: Any, number: str) -> str:
    """A ticket's recorded steps at the centre and in the node's store, for a finding's report."""
    out = []
    for name in ("central", "local"):
        try:
            steps = getattr(app.queue, name).history(number)
            out.append(f"{name}: " + ", ".join(f"{kind}@{at:%H:%M:%S}" for kind, at, _actor, _data in steps))
        except Exception as exc:
            out.append(f"{name}: {exc}")
    return "; ".join(out)


def reconcile(app: object, result: SoakResult, central_url: str, day: datetime, presence: dict[str, str]) -> list[str]:
    """Every count the day produced, as the centre and the node's store have it."""
    problems: list[str] = []
    sync = app.sync  # type: ignore[attr-defined]
    if sync.status().pending != 0:
        problems.append(f"outbox not empty: {sync.status().pending}")
    central = create_engine(central_url)
    with central.connect() as conn:
        counts: dict[str, int] = dict(
            conn.execute(text("SELECT status, count(*) FROM tickets GROUP BY status")).fetchall()
        )
        numbers = conn.execute(
            text("SELECT count(*) FROM (SELECT 1 FROM tickets GROUP BY business_day, number HAVING count(*) > 1) d")
        ).scalar()
        notes = conn.execute(text("SELECT count(*) FROM feedback")).scalar()
        answered = conn.execute(text("SELECT count(*) FROM feedback WHERE status = 'answered'")).scalar()
        people: dict[str, str] = dict(conn.execute(text("SELECT staff_id, state FROM presence")).fetchall())
    central.dispose()
    issued = sum(counts.values())
    waiting = counts.get("waiting", 0)
    if issued != result.issued:
        problems.append(f"{result.issued} tickets issued, {issued} at the centre")
    if counts.get("completed", 0) != result.completed:
        problems.append(f"{result.completed} visits completed, {counts.get('completed', 0)} at the centre")
    if counts.get("expired", 0) != result.no_shows:
        problems.append(f"{result.no_shows} no-shows, {counts.get('expired', 0)} at the centre")
    if issued != counts.get("completed", 0) + counts.get("expired", 0) + waiting:
        problems.append(f"issued {issued} != completed + no-shows + waiting: {counts}")
    if numbers:
        problems.append(f"{numbers} numbers given twice")
    if notes != result.notes or answered != result.answered:
        problems.append(f"notes {result.notes}/{result.answered} answered, at the centre {notes}/{answered}")
    wrong = {p: (s, people.get(p)) for p, s in presence.items() if people.get(p) != s}
    if wrong:
        problems.append(f"presence differs at the centre: {wrong}")
    local = Path(app.engine.url.database or "")  # type: ignore[attr-defined]
    check = sqlite3.connect(local)
    try:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            problems.append("the node's store fails its integrity check")
    finally:
        check.close()
    return problems


def run(hours: float, tickets: int, seed: int = 20261125) -> SoakResult:
    """A soak on a fresh central database and a fresh node store (both removed afterwards)."""
    central = new_database()
    try:
        with tempfile.TemporaryDirectory(prefix="kiosk-soak-") as tmp:
            return soak(hours, tickets, Path(tmp), central, seed)
    finally:
        drop_database(central)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=10.0)
    parser.add_argument("--tickets", type=int, default=3000)
    args = parser.parse_args()
    result = run(args.hours, args.tickets)
    print(result.table())
    for line in result.errors[:20]:
        print("ERROR", line)
    for line in result.anomalies[:20]:
        print("ANOMALY", line)
    ok = not result.problems and not result.errors and not result.anomalies and result.growth_mb < MAX_GROWTH_MB
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
