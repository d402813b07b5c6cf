"""The voice box's promises, on the real store: every note answered in time, only its holder reads
the answer, staff see what their role allows, personal data is sealed and purged (S8–S13)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, text

from kiosk.bootstrap import App, bootstrap
from kiosk.config import Config
from kiosk.domain.errors import FeedbackNotFound, Forbidden, InvalidInput, TooManyTries
from kiosk.i18n import error_message
from kiosk.services.feedback import FeedbackService
from kiosk.services.notify import Notifier, notifier_from_config
from tests.conftest import Clock
from tests.smtp_server import Mailbox, messages, run_mailbox

PHONE = "010-2345-6789"
EMAIL = "visitor.hong@example.kr"


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    yield from run_mailbox()


@pytest.fixture
def mailed(demo_config: Config, clock: Clock, mailbox: Mailbox) -> Iterator[App]:
    """The demo facility with its mail server configured and a team mailbox for D-1 alerts."""
    config = replace(
        demo_config,
        notify={"smtp_host": "127.0.0.1", "smtp_port": mailbox.port, "smtp_sender": "민원실 <voc@hanbit.example>"},
        feedback_alert_to="minwon-team@hanbit.example",
    )
    application = bootstrap(config, clock=clock)
    yield application
    application.close()


def service(app: App) -> FeedbackService:
    assert app.feedback is not None
    return app.feedback


def test_life_of_a_note_answered_late_with_notice(mailed: App, clock: Clock, mailbox: Mailbox) -> None:
    fb = service(mailed)
    lee = fb.user("lee")
    receipt = fb.submit("complaint", "2층 화장실 문이 잘 닫히지 않습니다.", contact=EMAIL, consent=True, name="홍길동")
    assert receipt.due_date is None and receipt.status == "received" and not receipt.anonymous

    item = fb.classify(lee, receipt.receipt, "simple")
    assert item.due_date == clock().date() + timedelta(days=7)
    fb.assign(lee, receipt.receipt, "시설운영팀")

    clock.advance(days=5)  # nothing is due tomorrow yet
    assert fb.remind().alerts == []
    clock.advance(days=1)  # D-1
    first = fb.remind()
    assert [a.receipt for a in first.alerts] == [receipt.receipt] and first.new == [receipt.receipt]
    assert first.alert_sent
    alert = messages(mailbox)[-1]
    assert alert["To"] == "minwon-team@hanbit.example" and receipt.receipt in alert.get_content()
    assert fb.remind().new == []  # one e-mail per note and day, however often cron runs

    new_date = clock().date() + timedelta(days=5)
    park = fb.user("park")  # the lead of the team it was assigned to carries on
    delayed = fb.delay(park, receipt.receipt, "부품 주문이 늦어지고 있습니다.", new_date)
    assert delayed.notice == "sent" and not delayed.needs_reminder
    notice = messages(mailbox)[-1]
    assert notice["To"] == EMAIL and "부품 주문이 늦어지고 있습니다." in notice.get_content()
    status = fb.status(receipt.receipt, receipt.pin)
    assert (status.status, status.delay_reason, status.new_date) == (
        "delayed",
        "부품 주문이 늦어지고 있습니다.",
        new_date,
    )

    answered = fb.answer(park, receipt.receipt, "문을 교체했습니다. 불편을 드려 죄송합니다.")
    assert answered.notice == "sent"
    assert "문을 교체했습니다." in messages(mailbox)[-1].get_content()
    status = fb.status(receipt.receipt.lower(), receipt.pin)
    assert status.status == "answered" and status.answer == "문을 교체했습니다. 불편을 드려 죄송합니다."
    assert fb.inbox(park) == [] and fb.inbox(lee) == []  # closed


def test_misconduct_reports_are_reminded_to_the_audit_team_only(app: App, clock: Clock) -> None:
    fb = service(app)
    report = fb.submit("misconduct", "계약 과정에서 금품을 요구받았습니다.")
    fb.classify(fb.user("jung"), report.receipt, "review")
    clock.advance(days=13)
    assert fb.remind().alerts == []  # cron's output and e-mail never carry a report
    assert fb.alerts(fb.user("choi")) == []  # nor does the administrator's console
    assert [a.receipt for a in fb.alerts(fb.user("jung"))] == [report.receipt]
    with pytest.raises(Forbidden):
        fb.inbox(fb.user("system"))  # "--as system" reminds and does nothing else
    log = fb.audit_log(fb.user("choi"))
    assert all(subject != report.receipt for _at, _a, _act, subject, _d in log)  # who handled it: audit only
    assert any(subject == report.receipt for _at, _a, _act, subject, _d in fb.audit_log(fb.user("jung")))


def test_a_note_nobody_classified_still_raises_the_alarm(app: App, clock: Clock) -> None:
    fb = service(app)
    r = fb.submit("complaint", "아무도 읽지 않은 민원")
    clock.advance(days=6)  # the shorter deadline (7 days) is tomorrow
    assert fb.remind().new == [r.receipt]
    clock.advance(days=2)
    assert fb.inbox(fb.user("lee"))[0].overdue


def test_a_contact_no_notice_can_reach_is_refused(app: App) -> None:
    with pytest.raises(InvalidInput):
        service(app).submit("complaint", "연락 주세요", contact="02-123-4567", consent=True)  # a landline


def test_reading_the_inbox_is_recorded(app: App) -> None:
    fb = service(app)
    r = fb.submit("praise", "감사합니다")
    fb.inbox(fb.user("lee"))
    listed = [d for _at, actor, action, _s, d in fb.audit_log(fb.user("choi")) if action == "feedback.list"]
    assert listed and r.receipt in listed[0]["receipts"]


def test_no_close_without_a_written_answer(app: App) -> None:
    fb = service(app)
    r = fb.submit("proposal", "주차장에 전기차 충전기를 놓아 주세요.")
    with pytest.raises(InvalidInput) as err:
        fb.answer(fb.user("lee"), r.receipt, "   ")
    assert "답변" in error_message(err.value, "ko")
    assert fb.status(r.receipt, r.pin).status == "received"


def test_only_the_pin_holder_reads_and_guessing_is_stopped(app: App, clock: Clock) -> None:
    fb = service(app)
    r = fb.submit("suggestion", "안내 방송 소리를 조금 줄여 주세요.")
    wrong = "000000" if r.pin != "000000" else "111111"
    for _ in range(4):
        with pytest.raises(FeedbackNotFound):
            fb.status(r.receipt, wrong)
    with pytest.raises(FeedbackNotFound):
        fb.status("261125-ZZZZ", r.pin)  # an unknown receipt looks the same as a wrong PIN
    with pytest.raises(FeedbackNotFound):
        fb.status(r.receipt, wrong)  # the fifth wrong PIN locks the receipt
    with pytest.raises(TooManyTries) as err:
        fb.status(r.receipt, r.pin)
    assert "다시 시도" in error_message(err.value, "ko")
    clock.advance(minutes=16)
    assert fb.status(r.receipt, r.pin).status == "received"


def test_roles_decide_who_sees_and_does_what(app: App) -> None:
    fb = service(app)
    kim, lee, park, choi, jung = (fb.user(u) for u in ("kim", "lee", "park", "choi", "jung"))
    ordinary = fb.submit("complaint", "민원실 대기 의자가 부족합니다.")
    report = fb.submit("misconduct", "채용 과정에서 특정인에게 면접 질문이 미리 전달되었습니다.")

    with pytest.raises(Forbidden):
        fb.inbox(kim)  # counter staff: no access to the voice box
    with pytest.raises(Forbidden):
        fb.classify(kim, ordinary.receipt, "simple")  # refused as such, not "not found"
    assert [i.receipt for i in fb.inbox(lee)] == [ordinary.receipt]
    with pytest.raises(FeedbackNotFound):
        fb.open(lee, report.receipt)  # not even whether the report exists
    with pytest.raises(FeedbackNotFound):
        fb.classify(choi, report.receipt, "review")
    assert {i.receipt for i in fb.inbox(jung)} == {report.receipt, ordinary.receipt}
    assert fb.open(jung, report.receipt).confidential

    fb.assign(lee, ordinary.receipt, "민원팀")
    assert fb.inbox(park) == []  # another team's lead no longer sees it
    with pytest.raises(FeedbackNotFound):
        fb.answer(park, ordinary.receipt, "답변")
    with pytest.raises(Forbidden):
        fb.purge(lee)
    opened = [row for row in fb.audit_log(choi, ordinary.receipt) if row[2] == "feedback.open"]
    assert opened == []  # nobody opened it yet; assigning is logged under its own name
    fb.open(lee, ordinary.receipt)
    log = fb.audit_log(jung, ordinary.receipt)
    assert [(actor, action) for _at, actor, action, _s, _d in log][:2] == [
        ("lee", "feedback.open"),
        ("lee", "feedback.assigned"),
    ]


def test_contact_needs_consent_and_anonymous_is_always_possible(app: App) -> None:
    fb = service(app)
    with pytest.raises(InvalidInput) as err:
        fb.submit("praise", "친절하게 안내해 주셔서 감사합니다.", contact=PHONE)
    assert "동의" in error_message(err.value, "ko") and "anonymously" in error_message(err.value, "en")
    r = fb.submit("praise", "친절하게 안내해 주셔서 감사합니다.")
    assert r.anonymous and fb.status(r.receipt, r.pin).status == "received"


def test_a_double_tap_stores_one_note(app: App) -> None:
    fb = service(app)
    first = fb.submit("proposal", "점자 안내판을 늘려 주세요.", request_key="draft-1")
    again = fb.submit("proposal", "점자 안내판을 늘려 주세요.", request_key="draft-1")
    assert (again.receipt, again.pin) == (first.receipt, first.pin)
    assert len(fb.inbox(fb.user("choi"))) == 1


def _store_bytes(data_dir: Path) -> bytes:
    return b"".join(p.read_bytes() for p in data_dir.glob("*.sqlite3*"))


def test_contacts_are_sealed_at_rest_and_purged_after_retention(demo_config: Config, clock: Clock) -> None:
    app = bootstrap(replace(demo_config, feedback_retention_days=30), clock=clock)
    try:
        fb = service(app)
        choi = fb.user("choi")
        r = fb.submit("complaint", "화장실 휴지가 없습니다.", name="김민수", contact=PHONE, consent=True)
        s = fb.submit("praise", "감사합니다.", contact=EMAIL, consent=True)
        raw = _store_bytes(demo_config.data_dir)
        for secret in (PHONE, "23456789", EMAIL, "김민수".encode().decode()):
            assert secret.encode() not in raw
        item = fb.open(choi, r.receipt)
        assert (item.contact, item.name) == ("010-****-6789", "김*수")  # masked for staff too

        fb.answer(choi, r.receipt, "비치했습니다.")
        clock.advance(days=29)
        assert fb.purge(choi) == 0  # within the retention period
        clock.advance(days=2)
        assert fb.purge(choi) == 1
        purged = fb.open(choi, r.receipt)
        assert (purged.contact, purged.name, purged.answer) == ("", "", "비치했습니다.")
        assert fb.open(choi, s.receipt).contact == "v***@example.kr"  # not answered: kept
    finally:
        app.close()


def test_the_key_lives_outside_the_database(demo_config: Config, clock: Clock) -> None:
    app = bootstrap(demo_config, clock=clock)
    try:
        service(app).submit("complaint", "연락 주세요.", contact=PHONE, consent=True)
        key = demo_config.key_path.read_bytes().strip()
        assert key not in _store_bytes(demo_config.data_dir)
        assert demo_config.key_path.stat().st_mode & 0o077 == 0  # readable by the kiosk user only
    finally:
        app.close()


def test_a_notice_that_could_not_go_out_is_sent_by_the_next_remind(demo_config: Config, clock: Clock) -> None:
    boxes = run_mailbox()
    box = next(boxes)
    port = box.port
    boxes.close()  # the mail server is down when staff answer
    config = replace(
        demo_config, notify={"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_sender": "voc@hanbit.example"}
    )
    app = bootstrap(config, clock=clock)
    try:
        fb = service(app)
        r = fb.submit("complaint", "엘리베이터 고장", contact=EMAIL, consent=True)
        assert fb.answer(fb.user("choi"), r.receipt, "수리를 마쳤습니다.").notice == "queued"
        assert fb.remind().notices_sent == 0  # still down: kept
        up = run_mailbox()
        second = next(up)
        try:
            fb.notifier = notifier_on(second.port)
            assert fb.remind().notices_sent == 1
            assert "수리를 마쳤습니다." in messages(second)[0].get_content()
            assert fb.remind().notices_sent == 0  # sent once
        finally:
            up.close()
    finally:
        app.close()


def notifier_on(port: int) -> Notifier | None:
    return notifier_from_config({"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_sender": "voc@hanbit.example"})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.text(max_size=60) | st.text(alphabet="가나다<>&\u202e\x00\n😀 ", max_size=30))
def test_any_text_is_stored_exactly_or_refused_with_a_message(app: App, body: str) -> None:
    fb = service(app)
    try:
        r = fb.submit("suggestion", body)
    except InvalidInput as exc:
        for lang in ("ko", "en"):
            message = error_message(exc, lang)
            assert message and not message.startswith(("input.", "error."))
        return
    assert fb.open(fb.user("choi"), r.receipt).text == body.replace("\r\n", "\n").replace("\r", "\n")


@pytest.mark.postgres
def test_central_database_holds_no_readable_contact(postgres_url: str, demo_config: Config, clock: Clock) -> None:
    config = replace(demo_config, database_url=postgres_url)
    app = bootstrap(config, clock=clock)
    try:
        fb = service(app)
        r = fb.submit("complaint", "주차 요금 문의", name="박영희", contact=PHONE, consent=True, request_key="pg-1")
        fb.classify(fb.user("lee"), r.receipt, "review")
        fb.answer(fb.user("lee"), r.receipt, "주차 요금표를 보내 드렸습니다.")
        assert fb.status(r.receipt, r.pin).answer == "주차 요금표를 보내 드렸습니다."
        engine = create_engine(postgres_url)
        with engine.connect() as conn:
            for table in ("feedback", "audit_log", "events"):
                dump = " ".join(str(row) for row in conn.execute(text(f"SELECT * FROM {table}")))
                assert PHONE not in dump and "2345-6789" not in dump and "박영희" not in dump
        engine.dispose()
    finally:
        app.close()
