"""Whatever a visitor or staff member types, in any field, file or argument: no crash, a clear
sentence in Korean and English when it is refused, and accepted text that reads back identical.
Receipt + PIN lookups are braked against guessing, across receipts too."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.bootstrap import App
from kiosk.cli import main
from kiosk.config import ConfigError, load_config
from kiosk.domain.errors import FeedbackNotFound, InvalidInput, KioskError, TooManyTries
from kiosk.domain.seat_chart import search
from kiosk.i18n import error_message
from kiosk.services.chart_file import explain, read_chart
from kiosk.services.feedback import FeedbackService
from tests.conftest import Clock

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
ANY_TEXT = st.text(max_size=40) | st.text(alphabet="가나다A1-_ <>&\"'\\\u202e\u200b\x00\n\t😀", max_size=24)


def box(app: App) -> FeedbackService:
    assert app.feedback is not None
    return app.feedback


def said(error: KioskError) -> None:
    """A refusal reads as a sentence in both languages (never a bare key or a traceback)."""
    for lang in ("ko", "en"):
        message = error_message(error, lang)
        assert message and not message.startswith(("input.", "error.")) and "Traceback" not in message


def test_one_pin_tried_against_many_receipts_is_braked(app: App, clock: Clock) -> None:
    fb = box(app)
    mine = fb.submit("praise", "친절하게 안내해 주셨습니다.")
    for n in range(10):  # ten different receipts, one PIN: no receipt locks itself
        with pytest.raises(FeedbackNotFound):
            fb.status(f"20261125-{n:05d}", "123456")
    with pytest.raises(TooManyTries) as caught:
        fb.status(mine.receipt, mine.pin)  # even the right pair waits now
    said(caught.value)
    assert ":" in error_message(caught.value, "ko")  # until when, as HH:MM
    clock.advance(minutes=10, seconds=1)
    assert fb.status(mine.receipt, mine.pin).status == "received"


@FUZZ
@given(receipt=ANY_TEXT, pin=ANY_TEXT)
def test_any_receipt_and_pin_get_an_answer_never_a_crash(app: App, clock: Clock, receipt: str, pin: str) -> None:
    clock.advance(minutes=11)  # each example on its own: the guessing brake is tested above
    try:
        box(app).status(receipt, pin)
    except (FeedbackNotFound, TooManyTries, InvalidInput) as exc:
        said(exc)


@FUZZ
@given(name=ANY_TEXT, contact=ANY_TEXT | st.sampled_from(["010-2345-6789", " hong@example.kr ", "01023456789"]))
def test_any_name_and_contact_are_sealed_exactly_or_refused(app: App, name: str, contact: str) -> None:
    fb = box(app)
    try:
        r = fb.submit("complaint", "주차장 조명이 어둡습니다.", name=name, contact=contact, consent=True)
    except InvalidInput as exc:
        said(exc)
        return
    from sqlalchemy import text

    with app.engine.connect() as conn:
        sealed = conn.execute(
            text("SELECT name_enc, contact_enc FROM feedback WHERE receipt = :r"), {"r": r.receipt}
        ).one()
    sealer = fb._sealer
    assert (sealer.open(sealed[0]) or "") == name.strip()
    assert (sealer.open(sealed[1]) or "") == contact.strip()


@FUZZ
@given(query=ANY_TEXT)
def test_any_seat_chart_search_answers(app: App, query: str) -> None:
    assert app.charts is not None
    chart = app.charts.chart()
    assert chart is not None
    for match in search(chart, query):
        assert match.desk in chart.desks


@FUZZ
@given(body=st.text(max_size=300) | st.text(alphabet='[]="\n#.ab가1 ', max_size=200))
def test_any_seat_chart_file_is_read_or_explained(body: str) -> None:
    result = read_chart(body, ["A", "B", "C"])
    assert (result.chart is None) == bool(result.errors)
    for error in result.errors:
        for lang in ("ko", "en"):
            assert f"chart.{error.code}" not in explain(error, "office.toml", lang)  # a sentence, not a key


TOML_VALUES = st.one_of(
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.text(max_size=20).map(json.dumps),
    st.lists(st.text(max_size=5).map(json.dumps), max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
)
KEYS = {
    "facility": ["name_ko", "id", "language", "timezone", "day_starts_at", "opens", "closes"],
    "kiosk": ["idle_seconds", "idle_warning_seconds", "status_url", "charter"],
    "queue": ["no_show_after_recalls", "default_service_minutes"],
    "sync": ["central_url", "node_id", "interval_seconds", "sslmode"],
    "feedback": ["retention_days", "alert_to", "teams"],
    "accessibility": ["modes"],
    "screen": ["width_mm", "height_px", "bottom_mm"],
}


@FUZZ
@given(
    table=st.sampled_from(sorted(KEYS)),
    data=st.data(),
    raw=st.text(max_size=80),
)
def test_any_configuration_file_loads_or_says_what_is_wrong(
    tmp_path_factory: pytest.TempPathFactory, table: str, data: st.DataObject, raw: str
) -> None:
    folder = tmp_path_factory.mktemp("cfg")
    key = data.draw(st.sampled_from(KEYS[table]))
    value = data.draw(TOML_VALUES)
    for body in (f"[{table}]\n{key} = {value}\n", raw):
        path = folder / "kiosk.toml"
        path.write_text(body, encoding="utf-8")
        path.chmod(0o600)
        try:
            load_config(path, env={})
        except ConfigError as exc:
            assert str(exc).startswith(str(path)) or ":" in str(exc)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    command=st.sampled_from(
        [
            ["ticket", "show"],
            ["ticket", "issue", "--service"],
            ["report", "--as", "choi", "--to", "2026-01-01", "--from"],
            ["feedback", "status", "--pin", "000000"],
            ["chart", "assign"],
            ["presence", "set", "kim-seoyeon"],
        ]
    ),
    argument=ANY_TEXT.filter(lambda s: "\x00" not in s),
)
def test_any_command_line_argument_is_refused_with_a_sentence_or_done(
    tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str], command: list[str], argument: str
) -> None:
    data = tmp_path_factory.getbasetemp() / "cli-store"
    try:
        code = main(["--demo", "--data-dir", str(data), "--lang", "ko", *command, argument])
    except SystemExit as exc:  # argparse: its own usage message, exit 2
        assert exc.code == 2
        return
    _out, err = capsys.readouterr()
    assert "Traceback" not in err
    assert code == 0 or (err.strip() and code in range(1, 10))


def test_the_guessing_window_frees_itself() -> None:
    from datetime import UTC, datetime

    from kiosk.domain.ratelimit import FailureWindow

    brake = FailureWindow(limit=3, window=timedelta(minutes=10))
    start = datetime(2026, 11, 30, tzinfo=UTC)
    for minute in (0, 1, 2):
        assert brake.blocked_until(start + timedelta(minutes=minute)) is None
        brake.record(start + timedelta(minutes=minute))
    assert brake.blocked_until(start + timedelta(minutes=3)) == start + timedelta(minutes=10)
    assert brake.blocked_until(start + timedelta(minutes=10)) is None  # the first failure left the window
