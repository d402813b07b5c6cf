"""Seat chart and presence on the real store: import, edits that keep it consistent, who covers whom."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.bootstrap import App
from kiosk.domain.errors import ChartInvalid, InvalidInput, UnknownStaff
from kiosk.domain.presence import PresenceState, mask_phone, presence
from kiosk.i18n import error_message
from kiosk.paths import seat_chart_dir
from kiosk.services.chart import ChartService
from tests.conftest import Clock


@pytest.fixture
def charts(app: App) -> ChartService:
    assert app.charts is not None
    return app.charts


def test_visitors_see_a_masked_number_staff_the_whole_one() -> None:
    assert mask_phone("010-4821-3307") == "010-****-3307"
    assert mask_phone("02-3150-2101") == "02-****-2101"
    assert mask_phone("01048213307") == "010****3307"
    assert mask_phone("2101") == "****"  # an extension alone says nothing useful to a caller: hidden


def test_away_needs_where_a_number_and_when(clock: Clock) -> None:
    now = clock()
    with pytest.raises(InvalidInput) as where:
        presence("kim", "away", contact="010-1234-5678", until=now + timedelta(hours=1), now=now)
    assert where.value.params["field"] == "destination"
    assert "가는 곳" in error_message(where.value, "ko")
    with pytest.raises(InvalidInput) as when:
        presence("kim", "away", destination="본사", contact="010-1234-5678", now=now)
    assert when.value.params["field"] == "until"
    with pytest.raises(InvalidInput):
        presence("kim", "away", destination="본사", contact="010-1234-5678", until=now - timedelta(minutes=1), now=now)
    with pytest.raises(InvalidInput):
        presence("kim", "meeting", contact="call me", now=now)
    ok = presence("kim", "meeting", destination="3층 회의실", until=now + timedelta(minutes=30), now=now)
    assert ok.state == PresenceState.MEETING and not ok.in_office


def test_the_demo_store_has_its_office_chart(charts: ChartService) -> None:
    state = charts.state()
    assert state is not None
    assert state.chart.name_ko == "한빛시설관리공단 민원실" and len(state.chart.desks) == 8
    assert state.chart.desk_for_counter(1).staff == "kim-seoyeon"  # type: ignore[union-attr]
    assert [m.desk.id for m in charts.search("주차")] == ["C1"]
    assert [m.desk.id for m in charts.search("refund")] == ["C3"]


def test_an_edit_that_would_break_the_chart_is_refused_and_changes_nothing(charts: ChartService) -> None:
    before = charts.state()
    assert before is not None
    with pytest.raises(ChartInvalid) as bad:
        charts.set_duties("C2", ["road-use", "parkng"])
    assert "parkng" in error_message(bad.value, "en") and "[[duties]]" in error_message(bad.value, "en")
    with pytest.raises(UnknownStaff):
        charts.assign_desk("B3", "nobody")
    after = charts.state()
    assert after is not None and after.version == before.version and after.chart == before.chart


def test_moving_a_person_frees_their_old_desk_and_is_an_event(charts: ChartService, app: App) -> None:
    chart = charts.assign_desk("B3", "han-soyoung", actor="staff:1")
    assert chart.desk("B3").staff == "han-soyoung" and chart.desk("B2").staff is None  # type: ignore[union-attr]
    stored = charts.chart()
    assert stored == chart
    with app.engine.connect() as conn:
        kinds = [k for (k,) in conn.exec_driver_sql("SELECT kind FROM events WHERE kind LIKE 'chart.%' ORDER BY id")]
    assert kinds == ["chart.imported", "chart.desk_assigned"]


def test_when_the_person_in_charge_is_away_the_delegate_covers_or_the_visitor_learns_when(
    charts: ChartService, clock: Clock
) -> None:
    back = clock() + timedelta(hours=2)
    charts.set_presence("kim-seoyeon", "away", destination="본사 회의", until=back)
    state = charts.state()
    assert state is not None
    kim = state.presence_of("kim-seoyeon")
    assert kim.contact == "02-3150-2101"  # the desk's number when none was given
    permits = next(c for c in state.covers("A") if c.duty.id == "permits")
    assert not permits.holder_in and permits.handled_by is not None and permits.handled_by.id == "lee-junho"

    charts.set_presence("lee-junho", "leave", until=clock() + timedelta(days=1))
    state = charts.state()
    assert state is not None
    permits = next(c for c in state.covers("A") if c.duty.id == "permits")
    assert permits.handled_by is None and permits.return_at == back  # nobody now: back at 2 hours

    charts.set_presence("kim-seoyeon", "present")
    state = charts.state()
    assert state is not None
    assert next(c for c in state.covers("A") if c.duty.id == "permits").handled_by.id == "kim-seoyeon"  # type: ignore[union-attr]


def _kiosk(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk.cli", *args, "--demo", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_chart_import_export_and_presence_from_the_command_line(tmp_path: Path) -> None:
    floor = seat_chart_dir() / "service-center.toml"
    imported = _kiosk(tmp_path, "chart", "import", str(floor), "--json")
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["desks"] == 8
    exported = tmp_path / "out.toml"
    assert _kiosk(tmp_path, "chart", "export", str(exported)).returncode == 0
    check = _kiosk(tmp_path, "chart", "validate", str(exported), "--json")
    assert json.loads(check.stdout)["valid"] is True

    broken = tmp_path / "broken.toml"
    broken.write_text(floor.read_text(encoding="utf-8").replace('delegate = "lee-junho"', 'delegate = "lee-jun"', 1))
    bad = _kiosk(tmp_path, "chart", "validate", str(broken), "--lang", "en")
    assert bad.returncode == 2
    assert "broken.toml:" in bad.stdout and "lee-jun" in bad.stdout and "Nothing was imported" in bad.stdout
    refused = _kiosk(tmp_path, "chart", "import", str(broken))
    assert refused.returncode == 2 and "lee-jun" in refused.stderr

    away = _kiosk(
        tmp_path, "presence", "set", "park-jimin", "away", "--destination", "현장 점검", "--until", "23:59", "--json"
    )
    assert away.returncode == 0, away.stderr
    park = next(r for r in json.loads(away.stdout) if r["staff"] == "park-jimin")
    assert park["state"] == "away" and park["contact"] == "02-3150-2103"  # staff see the whole number
