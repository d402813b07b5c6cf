"""The report's range and the facility settings it depends on: bad input is refused with a sentence."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from kiosk.config import ConfigError, load_config
from kiosk.domain.errors import InvalidInput
from kiosk.domain.report import MAX_DAYS, ReportQuery, parse_range
from kiosk.i18n import error_message


def test_a_range_reads_both_days_inclusive() -> None:
    assert parse_range(" 2025-01-01", "2025-12-31 ") == (date(2025, 1, 1), date(2025, 12, 31))
    assert parse_range("2025-03-02", "2025-03-02") == (date(2025, 3, 2), date(2025, 3, 2))


@pytest.mark.parametrize(
    ("start", "end", "ko", "en"),
    [
        ("2025-13-01", "2025-12-31", "읽을 수 없습니다", "cannot be read"),
        ("2025-12-31", "2025-01-01", "늦습니다", "starts (2025-12-31) after it ends (2025-01-01)"),
        ("2020-01-01", "2025-12-31", f"{MAX_DAYS}일까지", f"at most {MAX_DAYS} days"),
    ],
)
def test_a_bad_range_is_refused_in_the_readers_language(start: str, end: str, ko: str, en: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_range(start, end)
    assert ko in error_message(caught.value, "ko")
    assert en in error_message(caught.value, "en")


def test_open_hours_give_the_seconds_presence_is_counted_over() -> None:
    assert ReportQuery(date(2025, 1, 1), date(2025, 1, 1)).open_seconds == 9 * 3600
    assert ReportQuery(date(2025, 1, 1), date(2025, 1, 1), opens=time(8, 30), closes=time(17)).open_seconds == 30600


def test_the_facility_id_and_hours_come_from_the_configuration(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text('[facility]\nid = "busan-2"\nopens = "08:30"\ncloses = "17:30"\n', encoding="utf-8")
    cfg = load_config(path, env={})
    assert (cfg.facility_id, cfg.opens, cfg.closes) == ("busan-2", time(8, 30), time(17, 30))
    for bad, why in (('id = "부산 지사"', "facility.id"), ('opens = "19:00"', "before facility.closes")):
        path.write_text(f"[facility]\n{bad}\n", encoding="utf-8")
        with pytest.raises(ConfigError, match=why):
            load_config(path, env={})
