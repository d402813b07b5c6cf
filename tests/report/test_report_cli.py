"""``kiosk report`` through the real CLI on the demo store with the hand-computed month in it.

Each call is its own process (as a staff script runs it): the figures are the hand-computed ones,
refusals have their exit codes and a Korean or English sentence, and every report run is in the
audit log with its format.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from kiosk.bootstrap import bootstrap
from kiosk.config import load_config
from tests.report.test_report_queries import seed

FORBIDDEN, BAD_INPUT = 9, 2
MARCH = ("--from", "2026-03-01", "--to", "2026-03-31")
REPORT_FIELDS = {
    "from",
    "to",
    "facility",
    "service",
    "source",
    "facilities",
    "generated_at",
    "facility_name",
    "services",
    "confidential_included",
    "served",
    "waiting",
    "service_time",
    "no_shows",
    "priority_first",
    "feedback",
    "satisfaction",
    "presence",
}


def run(data_dir: Path, *args: str, config: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    cmd = [sys.executable, "-m", "kiosk", "--data-dir", str(data_dir), "--demo"]
    if config is not None:
        cmd += ["--config", str(config)]
    return subprocess.run([*cmd, *args], capture_output=True, env=base, timeout=120)


@pytest.fixture
def store(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    app = bootstrap(load_config(demo=True, data_dir=data, env={}), sync_on_start=False)
    try:
        seed(app.engine)
    finally:
        app.close()
    return data


def report(data: Path, user: str, *args: str) -> Any:
    out = run(data, "report", *MARCH, "--as", user, "--format", "json", *args)
    assert out.returncode == 0, out.stderr.decode()
    return json.loads(out.stdout)


def test_the_csv_report_has_the_hand_computed_figures(store: Path) -> None:
    out = run(store, "report", *MARCH, "--as", "choi", "--format", "csv")
    assert out.returncode == 0, out.stderr.decode()
    table = list(csv.DictReader(io.StringIO(out.stdout.decode())))
    cell = {(r["section"], r["dimension"], r["key"], r["measure"]): r["value"] for r in table}
    assert cell["served", "all", "all", "count"] == "6"
    assert cell["waiting", "class", "priority", "median_s"] == "90.0"
    assert cell["waiting", "all", "all", "p90_s"] == "1320.0"
    assert cell["no_shows", "all", "all", "share"] == "0.125"
    assert cell["priority_first", "all", "all", "share_pct"] == "100.0"
    assert cell["feedback", "within", "simple", "pct"] == "33.33"
    assert cell["satisfaction", "week", "2026-03-02", "mean_rating"] == "3.667"
    # The demo chart's desks: counters 1 and 2 are the 민원팀's, counter 3 the 요금팀's.
    # Completed at counter 1: tickets 3 and 6; counter 2: 1 and 4; counter 3: 2 and 5.
    assert cell["served", "team", "민원팀", "count"] == "4"
    assert cell["served", "team", "요금팀", "count"] == "2"


def test_json_keeps_its_fields_and_a_lead_may_read_it_but_not_misconduct_counts(store: Path) -> None:
    lead = report(store, "lee")
    assert set(lead) == REPORT_FIELDS
    assert lead["source"] == "local" and lead["confidential_included"] is False
    assert "misconduct" not in lead["feedback"]["by_category"]
    audit = report(store, "jung")
    assert audit["feedback"]["by_category"]["misconduct"]["received"] == 1
    assert audit["feedback"]["received"] == lead["feedback"]["received"] + 1


def test_a_counter_clerk_is_refused_and_a_bad_range_is_explained(store: Path) -> None:
    out = run(store, "--lang", "ko", "report", *MARCH, "--as", "kim")
    assert out.returncode == FORBIDDEN and "권한" in out.stderr.decode() and out.stdout == b""
    out = run(store, "--lang", "ko", "report", "--from", "2026-03-31", "--to", "2026-03-01", "--as", "choi")
    assert out.returncode == BAD_INPUT and "늦습니다" in out.stderr.decode()
    out = run(store, "--lang", "en", "report", "--from", "March", "--to", "2026-03-01", "--as", "choi")
    assert out.returncode == BAD_INPUT and "cannot be read" in out.stderr.decode()
    assert "Traceback" not in out.stderr.decode()
    out = run(store, "--lang", "en", "report", *MARCH, "--as", "choi", "--format", "pdf")
    assert out.returncode == BAD_INPUT and "--output" in out.stderr.decode()


def test_every_run_is_in_the_audit_log_with_its_format(store: Path, tmp_path: Path) -> None:
    target = tmp_path / "march.csv"
    out = run(store, "report", *MARCH, "--as", "choi", "--format", "csv", "--output", str(target))
    assert out.returncode == 0, out.stderr.decode()
    assert target.read_bytes().startswith(b"\xef\xbb\xbfsection,")  # a BOM: spreadsheets read the Hangul
    assert "waiting,class,priority,median_s,90.0" in target.read_text(encoding="utf-8-sig")
    log = run(store, "feedback", "audit", "--as", "jung", "--json")
    entries = [e for e in json.loads(log.stdout) if e["action"] == "report.run"]
    assert [(e["actor"], e["data"]["export"], e["data"]["from"]) for e in entries] == [("choi", "csv", "2026-03-01")]


def test_the_facility_filter_and_service_filter_cut_the_figures(store: Path, tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text('[facility]\nid = "east"\n', encoding="utf-8")
    issued = run(store, "ticket", "issue", "--service", "C", "--json", config=config)  # stamped "east"
    assert issued.returncode == 0, issued.stderr.decode()
    # Through tomorrow (UTC): today's business day in Seoul, whatever the hour.
    args = ("--from", "2026-03-01", "--to", (datetime.now(UTC) + timedelta(days=1)).date().isoformat())
    every = json.loads(run(store, "report", *args, "--as", "choi", "--format", "json").stdout)
    east = json.loads(run(store, "report", *args, "--as", "choi", "--format", "json", "--facility", "east").stdout)
    only_b = json.loads(run(store, "report", *args, "--as", "choi", "--format", "json", "--service", "B").stdout)
    assert "east" in every["facilities"]
    assert every["no_shows"]["issued"] == 9 and east["no_shows"]["issued"] == 1
    assert only_b["no_shows"]["issued"] == 3 and set(only_b["waiting"]["service"]) == {"B"}


def test_an_unknown_filter_or_an_unwritable_file_is_explained(store: Path, tmp_path: Path) -> None:
    out = run(store, "--lang", "ko", "report", *MARCH, "--as", "choi", "--facility", "nosuch")
    assert out.returncode == BAD_INPUT and "nosuch" in out.stderr.decode() and "기록이 없습니다" in out.stderr.decode()
    out = run(store, "--lang", "en", "report", *MARCH, "--as", "choi", "--service", "ZZ")
    assert out.returncode == BAD_INPUT and "There is no service ZZ" in out.stderr.decode()
    for fmt, target in (("pdf", tmp_path), ("csv", Path("/proc/kiosk-report.csv"))):
        out = run(store, "--lang", "ko", "report", *MARCH, "--as", "choi", "--format", fmt, "-o", str(target))
        err = out.stderr.decode()
        assert out.returncode == BAD_INPUT and "저장하지 못했습니다" in err and "Traceback" not in err, err
