"""``kiosk feedback`` and ``kiosk survey`` from staff scripts: the voice box's whole life, through the real CLI.

Each call is its own process on one data directory (as cron and scripts run it); the ``--json`` fields
are the contract staff scripts rely on, refusals have their own exit codes and say why in Korean or
English, and no visitor's phone number or e-mail address ever reaches the disk in the clear.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from tests.cli_run import ok, refused, run

PHONE = "010-2345-6789"
EMAIL = "hong.gildong@example.kr"
NAME = "홍길동"
FORBIDDEN, NOT_FOUND, BAD_INPUT = 9, 5, 2
RECEIPT_FIELDS = {"receipt", "pin", "due_date", "status", "category", "received_at", "anonymous"}
STATUS_FIELDS = {"receipt", "status", "answer", "delay_reason", "new_date", "due_date", "received_on"}


def text_file(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def submit(data: Path, tmp_path: Path, category: str, text: str, *extra: str, **kw: Any) -> dict[str, Any]:
    note = text_file(tmp_path, "note.txt", text)
    receipt: dict[str, Any] = ok(data, "feedback", "submit", "--category", category, "--text-file", note, *extra, **kw)
    return receipt


def receipts(items: list[dict[str, Any]]) -> list[str]:
    return [i["receipt"] for i in items]


def test_a_note_from_submit_to_answer_read_back_with_the_pin(tmp_path: Path) -> None:
    data = tmp_path / "data"
    note = "2층 화장실 문이 잘 닫히지 않습니다.\n고쳐 주십시오."
    r = submit(data, tmp_path, "complaint", note, "--name", NAME, "--contact", PHONE, "--consent")
    assert set(r) >= RECEIPT_FIELDS
    assert r["due_date"] is None and r["status"] == "received" and not r["anonymous"]
    assert len(r["pin"]) == 6 and r["pin"].isdigit()
    receipt = r["receipt"]

    inbox = ok(data, "feedback", "list", "--as", "lee")
    assert receipts(inbox) == [receipt]
    seen = inbox[0]
    assert seen["text"] == note  # stored and shown exactly as written (the file's last newline aside)
    assert (seen["contact"], seen["name"], seen["consent"]) == ("010-****-6789", "홍*동", True)  # masked for staff

    classified = ok(data, "feedback", "classify", receipt, "simple", "--as", "lee")
    assert classified["handling"] == "simple"
    received_on = date.fromisoformat(classified["received_on"])
    assert classified["due_date"] == (received_on + timedelta(days=7)).isoformat()
    assert ok(data, "feedback", "assign", receipt, "민원팀", "--as", "lee")["team"] == "민원팀"
    pending = ok(data, "feedback", "status", receipt, "--pin", r["pin"])
    assert set(pending) >= STATUS_FIELDS
    assert (pending["status"], pending["answer"], pending["due_date"]) == ("assigned", "", classified["due_date"])

    answer = "문을 고쳤습니다. 알려 주셔서 감사합니다."
    done = ok(data, "feedback", "answer", receipt, "--text-file", "-", "--as", "lee", stdin=(answer + "\n").encode())
    assert (done["status"], done["answer"]) == ("answered", answer)
    assert done["notice"] == "queued"  # no mail server configured: remind retries it
    assert ok(data, "feedback", "list", "--as", "lee") == []  # the inbox holds only open notes
    assert receipts(ok(data, "feedback", "list", "--as", "lee", "--all")) == [receipt]

    status = ok(data, "feedback", "status", receipt.lower(), "--pin", r["pin"])  # typed carelessly still works
    assert (status["status"], status["answer"], status["delay_reason"], status["new_date"]) == (
        "answered",
        answer,
        "",
        None,
    )
    readable = run(data, "feedback", "status", receipt, "--pin", r["pin"])
    assert readable.returncode == 0
    assert "답변 완료" in readable.stdout.decode() and answer in readable.stdout.decode()
    english = run(data, "--lang", "en", "feedback", "status", receipt, "--pin", r["pin"]).stdout.decode()
    assert "Answered" in english and answer in english

    # A wrong PIN tells nothing: the same words as a receipt that does not exist.
    wrong = refused(data, NOT_FOUND, "feedback", "status", receipt, "--pin", "000000")
    assert wrong == refused(data, NOT_FOUND, "feedback", "status", "991231-ZZZZ", "--pin", r["pin"])
    assert "접수번호 또는 확인번호가 맞지 않습니다" in wrong

    # Every staff step is in the audit log, the opening of a note included (S12).
    ok(data, "feedback", "open", receipt, "--as", "lee")
    actions = [e["action"] for e in ok(data, "feedback", "audit", receipt, "--as", "jung")]
    assert actions[0] == "feedback.open" and {"feedback.classified", "feedback.answered"} <= set(actions)


def test_a_counter_clerk_is_refused_in_both_languages_and_unknown_staff_too(tmp_path: Path) -> None:
    data = tmp_path / "data"
    receipt = submit(data, tmp_path, "suggestion", "대기석 의자를 더 놓아 주십시오.")["receipt"]
    ko = refused(data, FORBIDDEN, "feedback", "list", "--as", "kim")
    assert "권한이 없습니다" in ko
    en = run(data, "--lang", "en", "feedback", "list", "--as", "kim", "--json")
    assert en.returncode == FORBIDDEN
    err = json.loads(en.stderr)
    assert err["error"] == "forbidden" and "not allowed" in err["message"]
    assert "No such staff member: nobody" in refused(data, FORBIDDEN, "feedback", "list", "--as", "nobody", lang="en")
    assert refused(data, FORBIDDEN, "feedback", "purge", "--as", "lee")  # leads do not purge
    # Nothing the refused clerk tried changed the note.
    assert ok(data, "feedback", "open", receipt, "--as", "lee")["handling"] is None


def test_a_misconduct_report_is_seen_only_by_the_audit_team(tmp_path: Path) -> None:
    data = tmp_path / "data"
    ordinary = submit(data, tmp_path, "praise", "친절하게 안내해 주셨습니다.")["receipt"]
    report = submit(data, tmp_path, "misconduct", "채용 과정에 부정이 있었습니다.")
    secret = report["receipt"]

    assert receipts(ok(data, "feedback", "list", "--as", "lee")) == [ordinary]
    assert receipts(ok(data, "feedback", "list", "--as", "choi")) == [ordinary]  # not even the administrator
    # Asking for it by its receipt gets "not found", not "forbidden": its existence stays hidden.
    hidden = refused(data, NOT_FOUND, "feedback", "open", secret, "--as", "lee")
    assert hidden == refused(data, NOT_FOUND, "feedback", "open", "991231-ZZZZ", "--as", "lee")
    refused(data, NOT_FOUND, "feedback", "classify", secret, "review", "--as", "park")

    assert set(receipts(ok(data, "feedback", "list", "--as", "jung"))) == {secret, ordinary}
    opened = ok(data, "feedback", "open", secret, "--as", "jung")
    assert opened["confidential"] is True and opened["text"] == "채용 과정에 부정이 있었습니다."
    assert ok(data, "feedback", "classify", secret, "review", "--as", "jung")["due_date"] is not None
    # The reporter still reads the progress with the PIN.
    assert ok(data, "feedback", "status", secret, "--pin", report["pin"])["category"] == "misconduct"


def test_a_delay_shows_its_reason_and_new_date_to_the_receipt_holder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    r = submit(data, tmp_path, "proposal", "주차장 안내 표지판을 늘려 주십시오.", "--contact", EMAIL, "--consent")
    classified = ok(data, "feedback", "classify", r["receipt"], "review", "--as", "park")
    due = date.fromisoformat(classified["due_date"])
    new_date = (due + timedelta(days=10)).isoformat()
    reason = "예산 검토가 끝나야 답변드릴 수 있습니다."

    too_early = refused(
        data,
        BAD_INPUT,
        "feedback",
        "delay",
        r["receipt"],
        "--reason",
        reason,
        "--until",
        due.isoformat(),
        "--as",
        "park",
    )
    assert "새 처리 예정일" in too_early  # the new date must come after the old one
    not_a_date = refused(
        data, BAD_INPUT, "feedback", "delay", r["receipt"], "--reason", reason, "--until", "next week", "--as", "park"
    )
    assert "새 처리 예정일" in not_a_date

    delayed = ok(data, "feedback", "delay", r["receipt"], "--reason", reason, "--until", new_date, "--as", "park")
    assert (delayed["status"], delayed["deadline"], delayed["needs_reminder"]) == ("delayed", new_date, False)
    status = ok(data, "feedback", "status", r["receipt"], "--pin", r["pin"])
    assert (status["status"], status["delay_reason"], status["new_date"], status["answer"]) == (
        "delayed",
        reason,
        new_date,
        "",
    )
    readable = run(data, "feedback", "status", r["receipt"], "--pin", r["pin"]).stdout.decode()
    assert reason in readable and new_date in readable and "지연" in readable


def test_text_files_must_be_utf8_and_a_bad_one_stores_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes("민원 내용입니다".encode("cp949"))  # an old Windows editor's encoding
    ko = refused(data, BAD_INPUT, "feedback", "submit", "--category", "complaint", "--text-file", str(legacy))
    assert "'legacy.txt' 파일이 UTF-8 형식이 아닙니다" in ko
    en = refused(
        data,
        BAD_INPUT,
        "feedback",
        "submit",
        "--category",
        "complaint",
        "--text-file",
        "-",
        lang="en",
        stdin=b"\xff\xfe\x00bad",
    )
    assert "is not UTF-8" in en
    missing = refused(
        data, BAD_INPUT, "feedback", "submit", "--category", "complaint", "--text-file", str(tmp_path / "nope.txt")
    )
    assert "'nope.txt' 파일을 읽을 수 없습니다" in missing
    empty = refused(data, BAD_INPUT, "feedback", "submit", "--category", "complaint", "--text-file", "-", stdin=b"  \n")
    assert "내용" in empty
    no_consent = refused(
        data,
        BAD_INPUT,
        "feedback",
        "submit",
        "--category",
        "complaint",
        "--text-file",
        text_file(tmp_path, "n.txt", "불편합니다"),
        "--contact",
        PHONE,
    )
    assert "동의" in no_consent
    bad_category = run(data, "feedback", "submit", "--category", "vip", "--text-file", "-", stdin=b"x")
    assert bad_category.returncode == BAD_INPUT
    assert ok(data, "feedback", "list", "--as", "choi", "--all") == []  # none of it was stored


def test_purge_clears_contacts_after_the_retention_period(tmp_path: Path) -> None:
    data = tmp_path / "data"
    config = tmp_path / "kiosk.toml"
    config.write_text("[feedback]\nretention_days = 0\n", encoding="utf-8")
    kept = submit(
        data, tmp_path, "complaint", "안내 방송이 잘 들리지 않습니다.", "--contact", PHONE, "--consent", config=config
    )
    answered = submit(
        data,
        tmp_path,
        "complaint",
        "민원실 안이 너무 춥습니다.",
        "--name",
        NAME,
        "--contact",
        EMAIL,
        "--consent",
        config=config,
    )
    ok(
        data,
        "feedback",
        "answer",
        answered["receipt"],
        "--text-file",
        "-",
        "--as",
        "choi",
        stdin="난방을 켰습니다.".encode(),
        config=config,
    )

    assert ok(data, "feedback", "purge", "--as", "choi", config=config) == {"purged": 1}
    after = {i["receipt"]: i for i in ok(data, "feedback", "list", "--all", "--as", "choi", config=config)}
    assert (after[answered["receipt"]]["contact"], after[answered["receipt"]]["name"]) == ("", "")
    assert after[kept["receipt"]]["contact"] == "010-****-6789"  # still open: its contact is still needed
    # The visitor still reads the answer; only the personal data went.
    assert ok(data, "feedback", "status", answered["receipt"], "--pin", answered["pin"], config=config)["answer"]
    assert ok(data, "feedback", "purge", "--as", "choi", config=config) == {"purged": 0}
    text = run(data, "feedback", "purge", "--as", "choi", config=config).stdout.decode()
    assert "0건" in text
    assert any(e["action"] == "feedback.purged" for e in ok(data, "feedback", "audit", "--as", "jung", config=config))
    # With the default retention (a year) nothing answered today is purged.
    other = tmp_path / "other"
    fresh = submit(other, tmp_path, "complaint", "춥습니다.", "--contact", PHONE, "--consent")
    ok(other, "feedback", "answer", fresh["receipt"], "--text-file", "-", "--as", "choi", stdin=b"ok")
    assert ok(other, "feedback", "purge", "--as", "choi") == {"purged": 0}


def test_no_phone_number_or_email_reaches_the_sqlite_file_in_the_clear(tmp_path: Path) -> None:
    data = tmp_path / "data"
    submit(data, tmp_path, "complaint", "엘리베이터가 자주 멈춥니다.", "--name", NAME, "--contact", PHONE, "--consent")
    r = submit(data, tmp_path, "suggestion", "안내문을 크게 써 주십시오.", "--contact", EMAIL, "--consent")
    ok(data, "feedback", "classify", r["receipt"], "simple", "--as", "lee")
    ok(data, "feedback", "answer", r["receipt"], "--text-file", "-", "--as", "lee", stdin="크게 바꾸었습니다.".encode())
    ok(data, "feedback", "remind")  # tries the queued notices again: still nothing in the clear

    files = [p for p in data.iterdir() if p.name.startswith("demo.sqlite3")]
    assert files and any(p.stat().st_size > 0 for p in files)
    blob = b"".join(p.read_bytes() for p in files)
    assert "엘리베이터가 자주 멈춥니다.".encode() in blob  # the file is readable: the grep does see text
    for secret in (PHONE, PHONE.replace("-", ""), "2345-6789", EMAIL, "hong.gildong", NAME):
        assert secret.encode() not in blob, secret
        assert secret.encode("utf-16-le") not in blob, secret
    # Staff and scripts see them masked only.
    shown = json.dumps(ok(data, "feedback", "list", "--all", "--as", "choi"), ensure_ascii=False)
    assert PHONE not in shown and EMAIL not in shown and NAME not in shown
    assert "010-****-6789" in shown and "h***@example.kr" in shown


def test_remind_runs_from_cron_without_a_user_and_survey_summary_reads_the_answers(tmp_path: Path) -> None:
    data = tmp_path / "data"
    submit(data, tmp_path, "praise", "감사합니다.")
    result = ok(data, "feedback", "remind")
    assert set(result) >= {"alerts", "new", "alert_sent", "notices_sent", "notices_failed"}
    assert result["alerts"] == [] and result["alert_sent"] is False  # nothing is due tomorrow yet
    assert "0건" in run(data, "feedback", "remind").stdout.decode()
    assert ok(data, "feedback", "remind", "--as", "lee")["new"] == []
    refused(data, FORBIDDEN, "feedback", "remind", "--as", "kim")

    assert ok(data, "survey", "summary") == []
    assert "만족도 응답이 없습니다" in run(data, "survey", "summary").stdout.decode()
    script = (
        "import sys\n"
        "from kiosk.bootstrap import bootstrap\n"
        "from kiosk.config import load_config\n"
        "app = bootstrap(load_config(demo=True, data_dir=sys.argv[1], env={}))\n"
        "app.survey.record('A', 1, resolved=True, rating=5, ticket_key='t1')\n"
        "app.survey.record('A', 1, resolved=False, rating=2, ticket_key='t2')\n"
        "app.survey.record('B', 2, resolved=True, rating=None)\n"
        "app.close()\n"
    )
    subprocess.run([sys.executable, "-c", script, str(data)], check=True, timeout=60)
    rows = {(r["service"], r["counter"]): r for r in ok(data, "survey", "summary")}
    assert set(rows) == {("A", 1), ("B", 2)}
    a = rows[("A", 1)]
    assert (a["answers"], a["resolved"], a["unresolved"], a["mean_rating"]) == (2, 1, 1, 3.5)
    assert rows[("B", 2)]["mean_rating"] is None
    text = run(data, "--lang", "en", "survey", "summary").stdout.decode()
    assert "counter 1" in text and "mean 3.50" in text
    assert ok(data, "survey", "summary", "--since", "2999-01-01") == []
    assert "YYYY-MM-DD" in refused(data, BAD_INPUT, "survey", "summary", "--since", "yesterday")
