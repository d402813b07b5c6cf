"""The voice box on nodes of one facility: a note left at a kiosk cut off from the centre is never lost,
never mixed up with another kiosk's, and its holder reads the answer at whichever kiosk they stand.

Names and contacts travel sealed (every node has the facility's key, no database has it), so the
central tables hold no phone number or e-mail address in the clear either.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import cast

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session

from kiosk.bootstrap import App, bootstrap
from kiosk.config import load_config
from kiosk.domain.errors import FeedbackNotFound, StoreUnavailable
from kiosk.services.feedback import FeedbackService
from kiosk.services.node import FailoverQueue
from kiosk.services.survey import SurveyService
from kiosk.store import sync_store as ss
from kiosk.store.uow import SqlUnitOfWorkFactory
from kiosk.sync.syncer import SyncReport
from tests.conftest import Clock
from tests.sync.proxy import TcpProxy

pytestmark = pytest.mark.postgres

KEY = Fernet.generate_key().decode()
"""The facility's voice-box key: the same on every node (from each node's configuration)."""
PHONE = "010-2345-6789"
EMAIL = "hong.gildong@example.kr"
NAME = "홍길동"


def node(tmp_path: Path, name: str, central: str, clock: Clock) -> App:
    config = load_config(demo=True, data_dir=tmp_path / name, env={})
    config = replace(config, central_url=central, node_id=name, node_tag=name.upper(), feedback_key=KEY)
    return bootstrap(config, clock=clock)


def voice(app: App) -> FeedbackService:
    """A node's voice box (the screens' and the CLI's view): the centre first, its own store while offline."""
    assert app.feedback is not None
    return app.feedback


def own_box(app: App) -> FeedbackService:
    """The node's own copy: what it answers with while the centre is away."""
    return cast(FeedbackService, cast(FailoverQueue, app.feedback).local)


def online(app: App) -> bool:
    return bool(cast(FailoverQueue, app.feedback).online)


def go_offline(app: App, proxy: TcpProxy) -> None:
    """The network to the centre goes down and the node's sync notices (as its background thread would)."""
    assert app.sync is not None
    proxy.cut()
    with pytest.raises(StoreUnavailable):
        app.sync.run_once()
    assert not online(app)


def sync(app: App) -> SyncReport:
    assert app.sync is not None
    return app.sync.run_once()


@pytest.fixture
def central(postgres_url: str) -> Iterator[Engine]:
    engine = create_engine(postgres_url)
    yield engine
    engine.dispose()


@pytest.fixture
def proxy2() -> Iterator[TcpProxy]:
    """A second line to the centre, so two nodes can be cut off separately."""
    p = TcpProxy("127.0.0.1", 5432)
    p.start()
    try:
        yield p
    finally:
        p.close()


def central_rows(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def central_receipts(engine: Engine) -> list[str]:
    return [str(r[0]) for r in central_rows(engine, "SELECT receipt FROM feedback ORDER BY receipt")]


def local_receipts(app: App) -> list[str]:
    with Session(app.engine) as s:
        return [str(r[0]) for r in s.execute(text("SELECT receipt FROM feedback ORDER BY receipt"))]


def test_a_note_left_offline_at_one_kiosk_is_answered_centrally_and_read_at_another_offline(
    tmp_path: Path, postgres_url: str, proxy: TcpProxy, proxy2: TcpProxy, central: Engine, clock: Clock
) -> None:
    k1 = node(tmp_path, "k1", proxy.url(postgres_url), clock)
    k2 = node(tmp_path, "k2", proxy2.url(postgres_url), clock)
    counter = node(tmp_path, "c1", postgres_url, clock)
    try:
        assert online(k1) and online(k2)
        go_offline(k1, proxy)
        note = "2층 화장실 문이 잘 닫히지 않습니다."
        r = voice(k1).submit("complaint", note, name=NAME, contact=PHONE, consent=True)
        assert "-K1-" in r.receipt  # made offline: the kiosk's tag keeps it unique in the facility
        assert voice(k1).status(r.receipt, r.pin).status == "received"  # the kiosk itself answers at once
        assert central_receipts(central) == []
        assert k1.sync is not None and k1.sync.status().pending >= 1

        proxy.restore()
        report = sync(k1)
        assert report.online and report.pending == 0
        assert central_receipts(central) == [r.receipt]
        assert [
            r[0] for r in central_rows(central, "SELECT data->>'node' FROM events WHERE kind = 'feedback.received'")
        ] == ["k1"]

        # Staff answer at a counter (online, on the central database).
        lee = voice(counter).user("lee")
        voice(counter).classify(lee, r.receipt, "simple")
        clock.advance(minutes=5)
        answer = "문을 고쳤습니다. 알려 주셔서 감사합니다."
        voice(counter).answer(lee, r.receipt, answer)
        item = voice(counter).open(voice(counter).user("choi"), r.receipt)
        assert (item.contact, item.name) == ("010-****-6789", "홍*동")  # sealed at k1, opened at the counter

        # The other kiosk syncs, then loses the centre: it still shows the answer to the receipt holder.
        assert sync(k2).pulled >= 1
        go_offline(k2, proxy2)
        seen = voice(k2).status(r.receipt, r.pin)
        assert (seen.status, seen.answer, seen.due_date) == ("answered", answer, clock().date() + timedelta(days=7))
        with pytest.raises(FeedbackNotFound):
            voice(k2).status(r.receipt, "000000")  # the PIN still guards it there
        # And so does the kiosk it was left at, once it has pulled.
        sync(k1)
        go_offline(k1, proxy)
        assert own_box(k1).status(r.receipt, r.pin).answer == answer
    finally:
        for app in (k1, k2, counter):
            app.close()


def test_two_kiosks_offline_on_the_same_day_never_share_a_receipt(
    tmp_path: Path, postgres_url: str, proxy: TcpProxy, proxy2: TcpProxy, central: Engine, clock: Clock
) -> None:
    k1 = node(tmp_path, "k1", proxy.url(postgres_url), clock)
    k2 = node(tmp_path, "k2", proxy2.url(postgres_url), clock)
    try:
        go_offline(k1, proxy)
        go_offline(k2, proxy2)
        made = {}
        for i in range(25):
            for app in (k1, k2):
                clock.advance(seconds=7)
                receipt = voice(app).submit("suggestion", f"의견 {i}번입니다.", contact=EMAIL, consent=True)
                made[receipt.receipt] = receipt.pin
        assert len(made) == 50  # no receipt given twice, though neither kiosk could ask the other
        assert {r.split("-")[1] for r in made} == {"K1", "K2"}
        assert len({r.split("-")[0] for r in made}) == 1  # one business day

        proxy.restore()
        proxy2.restore()
        sync(k1)
        sync(k2)
        sync(k1)  # and k1 pulls what k2 sent
        assert central_receipts(central) == sorted(made)
        assert local_receipts(k1) == local_receipts(k2) == sorted(made)  # each kiosk holds the whole box
        for receipt, pin in made.items():
            assert voice(k1).status(receipt, pin).status == "received"
        # Sending and pulling again changes nothing anywhere.
        again = [sync(k1), sync(k2)]
        assert [(a.pushed, a.pulled, a.pending) for a in again] == [(0, 0, 0), (0, 0, 0)]
        assert central_rows(central, "SELECT count(*) FROM events WHERE kind = 'feedback.received'") == [(50,)]
    finally:
        k1.close()
        k2.close()


def test_a_receipt_reused_by_mistake_never_overwrites_another_note(
    tmp_path: Path, postgres_url: str, proxy: TcpProxy, central: Engine, clock: Clock
) -> None:
    """Two kiosks configured with the same tag could draw the same receipt; the first note stays whole."""
    counter = node(tmp_path, "c1", postgres_url, clock)
    k1 = node(tmp_path, "k1", proxy.url(postgres_url), clock)
    try:
        first = voice(counter).submit("complaint", "첫 번째 의견입니다.")
        go_offline(k1, proxy)
        other = voice(k1).submit("praise", "다른 의견입니다.")
        with Session(k1.engine) as s:
            items = [(row.id, row.kind, row.payload) for row in ss.pending(s, 100)]
        forged = [(seq, kind, p) for seq, kind, p in items if kind == ss.FEEDBACK]
        for _, _, payload in forged:
            payload["feedback"]["receipt"] = first.receipt  # the same receipt, a different note
        with Session(central) as cs, cs.begin():
            ss.apply_batch(cs, "k9", forged)
        kept = voice(counter).status(first.receipt, first.pin)
        assert kept.category == "complaint"
        with pytest.raises(FeedbackNotFound):
            voice(counter).status(first.receipt, other.pin)
        assert central_rows(central, "SELECT count(*) FROM events WHERE kind = 'sync.conflict'") == [(1,)]
    finally:
        k1.close()
        counter.close()


def test_steps_taken_offline_reach_the_centre_and_an_older_one_gives_way(
    tmp_path: Path, postgres_url: str, proxy: TcpProxy, central: Engine, clock: Clock
) -> None:
    k1 = node(tmp_path, "k1", proxy.url(postgres_url), clock)
    counter = node(tmp_path, "c1", postgres_url, clock)
    lee, park = voice(counter).user("lee"), voice(counter).user("park")
    try:
        delayed = voice(counter).submit("proposal", "주차 안내 표지판을 늘려 주십시오.", contact=PHONE, consent=True)
        raced = voice(counter).submit("complaint", "대기 시간이 깁니다.")
        voice(counter).classify(lee, delayed.receipt, "review")
        sync(k1)
        go_offline(k1, proxy)

        # Offline at k1: a delay with its reason and new date, and a classification of the other note.
        clock.advance(minutes=1)
        new_date = clock().date() + timedelta(days=20)
        reason = "예산 검토가 끝나야 답변드릴 수 있습니다."
        voice(k1).delay(park, delayed.receipt, reason, new_date)
        voice(k1).classify(lee, raced.receipt, "simple")
        # A minute later, centrally, the other note is answered (without the offline classification).
        clock.advance(minutes=1)
        voice(counter).answer(park, raced.receipt, "대기 인원에 맞춰 창구를 더 열겠습니다.")

        proxy.restore()
        report = sync(k1)
        assert report.online and report.pending == 0
        status = voice(counter).status(delayed.receipt, delayed.pin)
        assert (status.status, status.delay_reason, status.new_date) == ("delayed", reason, new_date)
        # The later step wins; the older one is on record, and the node now shows the centre's.
        answered = voice(counter).status(raced.receipt, raced.pin)
        assert answered.status == "answered" and answered.answer
        assert own_box(k1).status(raced.receipt, raced.pin).status == "answered"
        conflicts = central_rows(central, "SELECT data->>'receipt' FROM events WHERE kind = 'sync.conflict'")
        assert conflicts == [(raced.receipt,)]
        # Both steps' audit entries arrived, once each.
        audit = f"SELECT action, actor FROM audit_log WHERE subject = '{delayed.receipt}' ORDER BY at"
        assert central_rows(central, audit) == [("feedback.classified", "lee"), ("feedback.delayed", "park")]
        assert sync(k1).pushed == 0
        assert len(central_rows(central, audit)) == 2
    finally:
        k1.close()
        counter.close()


def test_purged_contacts_are_gone_from_the_centre_and_every_node(
    tmp_path: Path, postgres_url: str, proxy: TcpProxy, central: Engine, clock: Clock
) -> None:
    k1 = node(tmp_path, "k1", proxy.url(postgres_url), clock)
    counter = node(tmp_path, "c1", postgres_url, clock)
    choi = voice(counter).user("choi")
    try:
        centrally = voice(counter).submit("complaint", "안내 방송이 작습니다.", contact=PHONE, consent=True)
        voice(counter).answer(choi, centrally.receipt, "음량을 키웠습니다.")
        go_offline(k1, proxy)
        offline = voice(k1).submit("complaint", "난방이 약합니다.", name=NAME, contact=EMAIL, consent=True)
        voice(k1).answer(choi, offline.receipt, "온도를 올렸습니다.")
        proxy.restore()
        sync(k1)
        with Session(k1.engine) as s:
            held = s.execute(text("SELECT count(*) FROM feedback WHERE contact_enc IS NOT NULL")).scalar()
        assert held == 2  # the node holds both, sealed

        clock.advance(days=366)  # past the retention period (a year)
        assert voice(counter).purge(choi) == 2
        sync(k1)
        with Session(k1.engine) as s:
            left = s.execute(
                text("SELECT count(*) FROM feedback WHERE contact_enc IS NOT NULL OR name_enc IS NOT NULL")
            )
            assert left.scalar() == 0
        assert central_rows(central, "SELECT count(*) FROM feedback WHERE contact_enc IS NOT NULL") == [(0,)]
        # The answers stay readable with the PIN, everywhere.
        go_offline(k1, proxy)
        assert voice(k1).status(offline.receipt, offline.pin).answer == "온도를 올렸습니다."
    finally:
        k1.close()
        counter.close()


def test_a_purge_made_offline_is_not_undone_by_the_centre(
    tmp_path: Path, postgres_url: str, proxy: TcpProxy, central: Engine, clock: Clock
) -> None:
    k1 = node(tmp_path, "k1", proxy.url(postgres_url), clock)
    counter = node(tmp_path, "c1", postgres_url, clock)
    choi = voice(counter).user("choi")
    try:
        r = voice(counter).submit("complaint", "엘리베이터가 멈췄습니다.", contact=PHONE, consent=True)
        voice(counter).answer(choi, r.receipt, "점검했습니다.")
        sync(k1)
        go_offline(k1, proxy)
        clock.advance(days=366)
        assert voice(k1).purge(choi) == 1
        proxy.restore()
        sync(k1)
        assert central_rows(central, "SELECT contact_enc IS NULL, purged_at IS NOT NULL FROM feedback") == [
            (True, True)
        ]
        with Session(k1.engine) as s:
            assert s.execute(text("SELECT contact_enc FROM feedback")).scalar() is None
    finally:
        k1.close()
        counter.close()


def test_satisfaction_answers_and_audit_entries_arrive_once(
    tmp_path: Path, postgres_url: str, proxy: TcpProxy, central: Engine, clock: Clock
) -> None:
    k1 = node(tmp_path, "k1", proxy.url(postgres_url), clock)
    try:
        go_offline(k1, proxy)
        survey = cast(SurveyService, k1.survey)
        assert survey.record("A", 1, resolved=True, rating=5, ticket_key="visit-1")
        assert not survey.record("A", 1, resolved=False, rating=1, ticket_key="visit-1")  # a double tap
        assert survey.record("B", 2, resolved=None, rating=3)  # no ticket to key it by
        clock.advance(seconds=1)
        assert survey.record("B", 2, resolved=None, rating=3)  # another visitor, the same answer
        r = voice(k1).submit("praise", "친절했습니다.")
        voice(k1).open(voice(k1).user("jung"), r.receipt)
        with Session(k1.engine) as s:
            items = [(row.id, row.kind, row.payload) for row in ss.pending(s, 100)]

        proxy.restore()
        assert sync(k1).pending == 0
        rows = central_rows(central, "SELECT service_code, counter, resolved, rating FROM satisfaction ORDER BY id")
        assert rows == [("A", 1, True, 5), ("B", 2, None, 3), ("B", 2, None, 3)]
        summary = SurveyService(SqlUnitOfWorkFactory(central)).summary()
        assert [(v.service, v.answers, v.mean_rating) for v in summary] == [("A", 1, 5.0), ("B", 2, 3.0)]
        assert central_rows(central, "SELECT actor, action FROM audit_log") == [("jung", "feedback.open")]

        # The same changes again under other sequence numbers (a node restored from a backup).
        with Session(central) as cs, cs.begin():
            applied, _ = ss.apply_batch(cs, "k1-restored", [(seq + 1000, k, p) for seq, k, p in items])
        assert applied == len(items)
        assert central_rows(central, "SELECT count(*) FROM satisfaction") == [(3,)]
        assert central_rows(central, "SELECT count(*) FROM audit_log") == [(1,)]
        assert central_rows(central, "SELECT count(*) FROM feedback") == [(1,)]
        assert central_rows(central, "SELECT count(*) FROM events WHERE kind = 'feedback.received'") == [(1,)]
    finally:
        k1.close()


def test_no_phone_number_or_email_in_any_central_table(
    tmp_path: Path, postgres_url: str, proxy: TcpProxy, central: Engine, clock: Clock
) -> None:
    k1 = node(tmp_path, "k1", proxy.url(postgres_url), clock)
    counter = node(tmp_path, "c1", postgres_url, clock)
    lee = voice(counter).user("lee")
    try:
        online_note = voice(counter).submit("complaint", "의자가 부족합니다.", name=NAME, contact=PHONE, consent=True)
        voice(counter).answer(lee, online_note.receipt, "의자를 더 놓았습니다.")
        go_offline(k1, proxy)
        offline_note = voice(k1).submit(
            "proposal", "안내문을 크게 써 주십시오.", name=NAME, contact=EMAIL, consent=True
        )
        voice(k1).delay(lee, offline_note.receipt, "인쇄 업체 선정 중입니다.", clock().date() + timedelta(days=10))
        proxy.restore()
        sync(k1)
        assert central_receipts(central) == sorted([online_note.receipt, offline_note.receipt])

        columns = central_rows(
            central,
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'",
        )
        assert ("feedback", "contact_enc") in columns and ("events", "data") in columns
        dump: list[str] = []
        with central.connect() as conn:
            for table, column in columns:
                dump += [str(v) for (v,) in conn.execute(text(f'SELECT "{column}"::text FROM "{table}"')) if v]
        everything = "\n".join(dump)
        assert "의자가 부족합니다." in everything  # the dump does hold the notes' text
        for secret in (PHONE, PHONE.replace("-", ""), EMAIL, "hong.gildong", NAME):
            assert secret not in everything, secret
        # Nor does the node's own file (its outbox included).
        blob = b"".join(p.read_bytes() for p in (tmp_path / "k1").iterdir() if p.name.startswith("demo.sqlite3"))
        assert "안내문을 크게 써 주십시오.".encode() in blob
        for secret in (PHONE, PHONE.replace("-", ""), EMAIL, NAME):
            assert secret.encode() not in blob, secret
    finally:
        k1.close()
        counter.close()


def test_a_misconduct_report_text_stays_at_the_centre_but_its_holder_reads_the_answer_anywhere(
    tmp_path: Path, postgres_url: str, proxy: TcpProxy, central: Engine, clock: Clock
) -> None:
    k1 = node(tmp_path, "k1", proxy.url(postgres_url), clock)
    counter = node(tmp_path, "c1", postgres_url, clock)
    jung = voice(counter).user("jung")
    report = "채용 면접 점수가 바뀌었다는 이야기를 들었습니다."
    try:
        centrally = voice(counter).submit("misconduct", report)
        go_offline(k1, proxy)
        offline = voice(k1).submit("misconduct", "계약 과정에서 금품이 오갔습니다.")
        proxy.restore()
        sync(k1)

        def held_text() -> dict[str, str]:
            with Session(k1.engine) as s:
                return {str(r): str(t) for r, t in s.execute(text("SELECT receipt, text FROM feedback"))}

        # The kiosk's file keeps neither report's words once the centre has them (S12) ...
        assert held_text() == {centrally.receipt: "", offline.receipt: ""}
        assert central_rows(central, f"SELECT text FROM feedback WHERE receipt = '{offline.receipt}'") == [
            ("계약 과정에서 금품이 오갔습니다.",)
        ]
        # ... and the audit team's step taken at that kiosk while cut off does not blank them centrally.
        go_offline(k1, proxy)
        clock.advance(minutes=1)
        voice(k1).answer(jung, centrally.receipt, "감사팀이 조사하여 조치하였습니다.")
        assert voice(k1).status(centrally.receipt, centrally.pin).answer == "감사팀이 조사하여 조치하였습니다."
        proxy.restore()
        assert sync(k1).pending == 0
        item = voice(counter).open(jung, centrally.receipt)
        assert (item.status, item.text) == ("answered", report)
        assert held_text()[centrally.receipt] == ""
    finally:
        k1.close()
        counter.close()


def test_what_a_node_does_in_a_second_offline_spell_is_not_taken_for_a_resend(
    tmp_path: Path, postgres_url: str, proxy: TcpProxy, central: Engine, clock: Clock
) -> None:
    """An emptied outbox must not number its next change 1 again: the centre has applied a 1 already."""
    k1 = node(tmp_path, "k1", proxy.url(postgres_url), clock)
    try:
        go_offline(k1, proxy)
        first = voice(k1).submit("praise", "첫 방문 때 친절했습니다.")
        proxy.restore()
        assert sync(k1).pending == 0

        go_offline(k1, proxy)
        second = voice(k1).submit("complaint", "두 번째 방문 때는 오래 기다렸습니다.")
        ticket = k1.queue.issue_ticket("A")
        proxy.restore()
        report = sync(k1)
        assert (report.duplicates, report.pending) == (0, 0)
        assert central_receipts(central) == sorted([first.receipt, second.receipt])
        assert central_rows(central, "SELECT number FROM tickets") == [(ticket.number,)]

        # A store journalled before the acknowledged mark existed numbers on from what the centre saw.
        with Session(k1.engine) as s, s.begin():
            s.execute(text("DELETE FROM sync_state WHERE key = :k"), {"k": ss.OUTBOX_MARK})
        sync(k1)
        go_offline(k1, proxy)
        third = voice(k1).submit("suggestion", "세 번째: 안내판을 늘려 주십시오.")
        proxy.restore()
        assert sync(k1).duplicates == 0
        assert third.receipt in central_receipts(central)
    finally:
        k1.close()


def test_what_a_node_records_offline_reaches_the_centre_with_its_facility_and_delay_time(
    tmp_path: Path, postgres_url: str, proxy: TcpProxy, central: Engine, clock: Clock
) -> None:
    """The performance report cuts the central figures by facility and checks delays came by D-1:
    a ticket, a note, its delay and a survey answer made offline arrive with both."""
    config = load_config(demo=True, data_dir=tmp_path / "east", env={})
    config = replace(
        config, central_url=proxy.url(postgres_url), node_id="e1", node_tag="E1", feedback_key=KEY, facility_id="east"
    )
    k1 = bootstrap(config, clock=clock)
    try:
        sync(k1)
        go_offline(k1, proxy)
        ticket = k1.queue.issue_ticket("A")
        note = voice(k1).submit("proposal", "민원실 안내판을 늘려 주십시오.")
        voice(k1).classify(voice(k1).user("lee"), note.receipt, "review")
        clock.advance(minutes=5)
        delayed_at = clock()
        voice(k1).delay(
            voice(k1).user("park"), note.receipt, "현장 확인이 필요합니다.", clock().date() + timedelta(days=20)
        )
        assert k1.survey is not None
        k1.survey.record("A", 1, resolved=True, rating=5)
        proxy.restore()
        assert sync(k1).pending == 0
    finally:
        k1.close()
    assert central_rows(central, f"SELECT facility FROM tickets WHERE number = '{ticket.number}'") == [("east",)]
    rows = central_rows(central, f"SELECT facility, delayed_at FROM feedback WHERE receipt = '{note.receipt}'")
    assert rows == [("east", delayed_at)]
    assert central_rows(central, "SELECT facility FROM satisfaction") == [("east",)]
