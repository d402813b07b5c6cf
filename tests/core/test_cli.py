"""The `kiosk` command line: JSON fields are a contract; errors are clear, localized, distinct."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

TICKET_FIELDS = {"id", "number", "service", "priority", "status", "position", "wait_min", "wait_max", "issued_at"}


def run(
    data_dir: Path, *args: str, env: dict[str, str] | None = None, demo: bool = True
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    cmd = [sys.executable, "-m", "kiosk", "--data-dir", str(data_dir), *(["--demo"] if demo else []), *args]
    return subprocess.run(cmd, capture_output=True, text=True, env={**base, **(env or {})}, timeout=60)


def ok(data_dir: Path, *args: str, **kw: Any) -> Any:
    out = run(data_dir, *args, "--json", **kw)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_issue_call_and_complete_through_the_cli(tmp_path: Path) -> None:
    services = ok(tmp_path, "service", "list")
    assert [s["code"] for s in services] == ["A", "B", "C"]
    assert {"code", "name_ko", "name_en", "waiting", "wait_min", "wait_max", "open_counters"} <= set(services[0])

    ordinary = ok(tmp_path, "ticket", "issue", "--service", "A")
    assert set(ordinary) >= TICKET_FIELDS
    assert (ordinary["number"], ordinary["priority"], ordinary["status"], ordinary["position"]) == (
        "A-001",
        None,
        "waiting",
        1,
    )
    priority = ok(tmp_path, "ticket", "issue", "--service", "a", "--priority", "elderly")
    assert priority["priority"] == "elderly"

    assert [t["number"] for t in ok(tmp_path, "queue")] == ["A-002", "A-001"]
    called = ok(tmp_path, "ticket", "call", "--counter", "1")
    assert (called["number"], called["status"], called["counter"]) == ("A-002", "called", 1)
    assert ok(tmp_path, "ticket", "recall", str(called["id"]))["recall_count"] == 1
    assert ok(tmp_path, "ticket", "complete", "A-002")["status"] == "completed"
    moved = ok(tmp_path, "ticket", "transfer", str(ordinary["id"]), "--service", "B")
    assert (moved["service"], moved["number"]) == ("B", "A-001")
    assert ok(tmp_path, "queue", "--service", "B")[0]["number"] == "A-001"
    ok(tmp_path, "ticket", "call", "--counter", "2")
    assert ok(tmp_path, "ticket", "call", "--counter", "3") is None  # nobody waits: null, exit 0
    again = ok(tmp_path, "ticket", "issue", "--service", "B")
    finished = ok(tmp_path, "ticket", "call", "--counter", "2", "--finish")  # completes A-001, calls B-001
    assert (finished["number"], finished["counter"]) == (again["number"], 2)
    assert ok(tmp_path, "ticket", "show", "A-001")["status"] == "completed"


def test_counter_open_and_close(tmp_path: Path) -> None:
    c = ok(tmp_path, "counter", "open", "2", "--services", "A,B")
    assert (c["number"], c["is_open"], c["services"]) == (2, True, ["A", "B"])
    assert ok(tmp_path, "counter", "close", "2")["is_open"] is False
    out = run(tmp_path, "ticket", "call", "--counter", "2")
    assert out.returncode == 4
    assert "2번 창구가 닫혀 있습니다" in out.stderr


@pytest.mark.parametrize(
    ("args", "code", "ko", "en"),
    [
        (("ticket", "issue", "--service", "Z"), 3, "'Z' 업무를 찾을 수 없습니다.", "There is no service 'Z'."),
        (("ticket", "call", "--counter", "9"), 3, "9번 창구가 없습니다.", "There is no counter 9."),
        (("ticket", "complete", "A-777"), 5, "찾을 수 없습니다", "was not found"),
    ],
)
def test_errors_are_clear_in_both_languages_with_distinct_codes(
    tmp_path: Path, args: tuple[str, ...], code: int, ko: str, en: str
) -> None:
    korean = run(tmp_path, *args)
    assert korean.returncode == code
    assert ko in korean.stderr and "Traceback" not in korean.stderr
    english = run(tmp_path, "--lang", "en", *args, "--json")
    assert english.returncode == code
    err = json.loads(english.stderr)
    assert en in err["message"] and err["error"]


def test_already_called_and_bad_arguments(tmp_path: Path) -> None:
    t = ok(tmp_path, "ticket", "issue", "--service", "B")
    ok(tmp_path, "ticket", "call", "--counter", "1")
    again = run(tmp_path, "ticket", "call", "--counter", "1")
    assert again.returncode == 4  # the counter still has its visitor
    waiting_complete = run(tmp_path, "ticket", "resume", str(t["id"]))
    assert waiting_complete.returncode == 6
    assert "B-001" in waiting_complete.stderr
    bad = run(tmp_path, "ticket", "issue", "--service", "A", "--priority", "vip")
    assert bad.returncode == 2


def test_db_upgrade(tmp_path: Path) -> None:
    assert ok(tmp_path, "db", "upgrade")["revision"] == "0008"


def test_config_file_and_environment_overrides(tmp_path: Path) -> None:
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(
        """
[facility]
name_ko = "시험 민원실"
language = "en"

[[services]]
code = "P"
name_ko = "주차"
name_en = "Parking"

[[counters]]
number = 7
staff_ko = "홍길동"
""",
        encoding="utf-8",
    )
    services = ok(tmp_path, "--config", str(cfg), "service", "list", demo=False)
    assert [(s["code"], s["name_en"]) for s in services] == [("P", "Parking")]
    counters = ok(tmp_path, "--config", str(cfg), "counter", "list", demo=False)
    assert [(c["number"], c["staff_ko"], c["is_open"]) for c in counters] == [(7, "홍길동", False)]
    out = run(tmp_path, "--config", str(cfg), "ticket", "issue", "--service", "Z", demo=False)
    assert "There is no service 'Z'." in out.stderr  # language from the file

    db = tmp_path / "other.sqlite3"
    env = {
        "KIOSK_DATABASE_URL": f"sqlite:///{db}",
        "KIOSK_SERVICES": "X=서류|Documents;Y=상담|Advice",
        "KIOSK_COUNTERS": "2",
        "KIOSK_LANGUAGE": "ko",
    }
    services = ok(tmp_path, "service", "list", env=env, demo=False)
    assert [s["code"] for s in services] == ["X", "Y"]
    assert [c["number"] for c in ok(tmp_path, "counter", "list", env=env, demo=False)] == [1, 2]
    assert db.exists()


def test_bad_configuration_names_the_file_and_field(tmp_path: Path) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text('[facility]\nday_starts_at = "four"\n', encoding="utf-8")
    out = run(tmp_path, "--config", str(cfg), "service", "list")
    assert out.returncode == 8
    assert "bad.toml" in out.stderr and "day_starts_at" in out.stderr
