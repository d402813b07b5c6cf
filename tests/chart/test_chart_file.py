"""The seat-chart file: each mistake found at its line and explained, the demo offices valid and stable.

``tests/chart/broken/`` holds one small broken chart per mistake; the first line of each says what
``read_chart`` must report (``# expect: <code> line <N>``). Adding an error code without a file here
fails ``test_the_corpus_covers_every_error_code_the_reader_can_report``.
"""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path

import pytest

import kiosk.domain.seat_chart as seat_chart
import kiosk.services.chart_file as chart_file
from kiosk.domain.seat_chart import SeatChart, search
from kiosk.i18n import catalog
from kiosk.services.chart_file import explain, json_schema, read_chart, write_chart

ROOT = Path(__file__).resolve().parents[2]
CHARTS = ROOT / "seat_chart"
BROKEN = Path(__file__).resolve().parent / "broken"
DEMOS = ("service-center.toml", "floor-40.toml")
SERVICES = ["A", "B", "C"]
EXPECT = re.compile(r"^# expect: (?P<code>[a-z_]+) line (?P<line>\d+)$")
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
HANGUL = re.compile(r"[가-힣]")


def broken_files() -> list[Path]:
    return sorted(BROKEN.glob("*.toml"))


def expectation(path: Path) -> tuple[str, int]:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = EXPECT.match(first)
    assert match, f"{path.name}: the first line must be '# expect: <code> line <N>', not {first!r}"
    return match["code"], int(match["line"])


def demo(name: str) -> str:
    return (CHARTS / name).read_text(encoding="utf-8")


def valid_chart(name: str) -> SeatChart:
    result = read_chart(demo(name), SERVICES)
    assert result.errors == []
    assert result.chart is not None
    return result.chart


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """The number of the ``nth`` line containing ``needle``."""
    hits = [number for number, line in enumerate(text.splitlines(), start=1) if needle in line]
    assert len(hits) >= nth, f"{needle!r} occurs {len(hits)} time(s)"
    return hits[nth - 1]


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{old!r} must occur exactly once"
    return text.replace(old, new)


# -- the broken corpus ----------------------------------------------------------------------


def reader_codes() -> set[str]:
    """Every error code ``read_chart`` can report: the consistency rules' and the file's own."""
    rules = set(re.findall(r'Problem\(\s*\([^()]*\),\s*"([a-z_]+)"', inspect.getsource(seat_chart), re.S))
    assert "duplicate_id" in rules and "delegate_is_holder" in rules  # the pattern still finds them
    reader = set(re.findall(r'"(toml|shape|[a-z]+(?:_[a-z]+)+)",\s*\{', inspect.getsource(chart_file)))
    return rules | reader | {"toml", "shape"}


def test_the_corpus_covers_every_error_code_the_reader_can_report() -> None:
    files = broken_files()
    assert len(files) >= 14
    codes = reader_codes()
    assert "two_people_on_desk" in codes
    assert {expectation(p)[0] for p in files} == codes
    for code in codes:
        assert f"chart.{code}" in catalog("ko"), code
        assert f"chart.{code}" in catalog("en"), code


@pytest.mark.parametrize("path", broken_files(), ids=lambda p: p.stem)
def test_each_broken_file_is_refused_with_its_one_mistake_at_its_line(path: Path) -> None:
    code, line = expectation(path)
    result = read_chart(path.read_text(encoding="utf-8"), SERVICES)
    assert result.chart is None
    assert [(e.code, e.line) for e in result.errors] == [(code, line)], result.errors


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("path", broken_files(), ids=lambda p: p.stem)
def test_each_error_is_explained_in_one_line_a_person_can_act_on(path: Path, lang: str) -> None:
    result = read_chart(path.read_text(encoding="utf-8"), SERVICES)
    assert result.errors
    for error in result.errors:
        text = explain(error, path.name, lang)
        assert "\n" not in text
        assert text.startswith(f"{path.name}:{error.line}: {error.path or '-'}: ")
        message = text.split(": ", 2)[2]
        assert message.strip()
        assert message != f"chart.{error.code}"  # a message, not the bare key of a missing one
        assert not PLACEHOLDER.search(text), text
        if lang == "ko":
            assert HANGUL.search(message), text


def test_an_error_without_a_line_still_names_the_file_and_field() -> None:
    text = demo("service-center.toml").replace("version = 1\n", "")
    result = read_chart(text, SERVICES)
    assert [(e.code, e.line, e.path) for e in result.errors] == [("shape", None, "version")]
    for lang in ("ko", "en"):
        line = explain(result.errors[0], "office.toml", lang)
        assert line.startswith("office.toml: version: ")
        assert not PLACEHOLDER.search(line)


# -- several mistakes at once ----------------------------------------------------------------


def test_a_file_with_several_mistakes_reports_them_all_sorted_by_line() -> None:
    text = demo("service-center.toml")
    text = replace_once(text, 'duties = ["road-use"]', 'duties = ["road-use", "towing"]')
    text = replace_once(text, 'id = "B3"\nroom = "back-office"\nx = 9', 'id = "B3"\nroom = "back-office"\nx = 2')
    text = replace_once(text, 'staff = "oh-daehyun"', 'staff = "oh-daehyn"')
    text = replace_once(text, 'service = "B"\ndelegate = "han-soyoung"', 'service = "B"\ndelegate = "park-jimin"')
    records = 'name_en = "Certificates and records"'
    text = replace_once(text, records, records + '\nservice = "D"')
    result = read_chart(text, SERVICES)
    assert result.chart is None
    assert [(e.code, e.line, e.params) for e in result.errors] == [
        ("unknown_duty", line_of(text, '"towing"'), {"desk": "C2", "duty": "towing"}),
        ("desks_overlap", line_of(text, "x = 2"), {"desk": "B3", "other": "B1"}),
        ("unknown_staff", line_of(text, "oh-daehyn"), {"desk": "M1", "staff": "oh-daehyn"}),
        ("delegate_is_holder", line_of(text, 'delegate = "park-jimin"'), {"duty": "refunds"}),
        ("unknown_service", line_of(text, 'service = "D"'), {"duty": "records", "service": "D"}),
    ]


def test_several_shape_mistakes_are_all_reported_sorted_by_line() -> None:
    text = demo("service-center.toml")
    text = replace_once(text, 'phone = "02-3150-2103"', 'phone = "02-3150-PARK"')
    text = replace_once(text, 'phone = "02-3150-2104"', 'phone = "02-3150-2104"\nemail = "choi@example.org"')
    text = replace_once(text, "x = 5\ny = 1", 'x = "five"\ny = 1')
    text = replace_once(text, 'id = "B2"\nroom = "back-office"\n', 'id = "B2"\n')
    result = read_chart(text, SERVICES)
    assert result.chart is None
    assert [(e.code, e.line, e.path) for e in result.errors] == [
        ("shape", line_of(text, "02-3150-PARK"), "staff[2].phone"),
        ("shape", line_of(text, "email ="), "staff[3].email"),
        ("shape", line_of(text, 'x = "five"'), "desks[1].x"),
        ("shape", line_of(text, 'id = "B2"') - 1, "desks[5].room"),  # a missing field: its table's header
    ]


# -- the demo offices ----------------------------------------------------------------------


@pytest.mark.parametrize("name", DEMOS)
def test_the_demo_offices_are_valid_and_survive_a_round_trip(name: str) -> None:
    chart = valid_chart(name)
    written = write_chart(chart)
    again = read_chart(written, SERVICES)
    assert again.errors == []
    assert again.chart == chart
    assert write_chart(again.chart) == written


def test_the_forty_desk_floor_is_a_whole_floor() -> None:
    chart = valid_chart("floor-40.toml")
    assert len(chart.desks) == 40
    assert 30 <= len(chart.staff) <= 40
    assert len(chart.duties) >= 20
    assert 4 <= len(chart.rooms) <= 6
    assert sum(1 for d in chart.desks if d.staff is None) == 4
    assert [d.id for d in chart.desks if d.counter is not None] == ["R1", "R2"]
    assert [r.id for r in chart.rooms if not any(d.room == r.id for d in chart.desks)] == ["meeting"]
    assert {d.service for d in chart.duties} == {None, "A", "B", "C"}
    assert sum(1 for d in chart.duties if d.service is None) > len(chart.duties) / 2
    assert all(d.delegate is not None for d in chart.duties)
    assert all(chart.holder_of(d.id) is not None for d in chart.duties)
    for person in chart.staff:
        assert HANGUL.search(person.name_ko) and person.name_en.isascii()
        assert re.fullmatch(r"02-3150-3\d{3}|010-\d{4}-\d{4}", person.phone), person.phone
        assert chart.desk_of(person.id) is not None


@pytest.mark.parametrize(
    ("query", "desks"),
    [
        ("승강기", ["F05"]),  # a Korean duty name
        ("소화기", ["E03"]),  # a Korean keyword
        ("extinguisher", ["E03"]),  # an English keyword
        ("Payroll", ["M09"]),  # an English duty name, any case
        ("cctv", ["E10"]),
        ("엄정식", ["E12"]),  # a person's Korean name
        ("Kwak Do-yoon", ["F08"]),  # a person's English name
        ("kwakdo-yoon", ["F08"]),  # spaces do not matter
    ],
)
def test_search_on_the_forty_desk_floor_finds_the_right_desk(query: str, desks: list[str]) -> None:
    chart = valid_chart("floor-40.toml")
    assert [m.desk.id for m in search(chart, query)] == desks


def test_search_by_name_returns_the_person_and_all_their_duties() -> None:
    chart = valid_chart("floor-40.toml")
    [match] = search(chart, "곽도윤")
    assert match.person is not None and match.person.id == "kwak-doyoon"
    assert [d.id for d in match.duties] == ["rentals"]


def test_search_by_duty_comes_before_search_by_person() -> None:
    chart = valid_chart("floor-40.toml")
    found = [m.desk.id for m in search(chart, "안전")]  # safety duties, then the Safety and Environment Team
    assert found[:4] == ["E02", "E04", "E07", "E09"]  # 안전 점검, 안전사고 신고, 안전 교육, 협력업체 안전
    assert set(found[4:]) == {"E01", "E03", "E06", "E08", "E10", "E12"}
    assert len(found) == 10


# -- the schema ------------------------------------------------------------------------------


def test_the_committed_json_schema_is_current() -> None:
    committed = (CHARTS / "schema.json").read_text(encoding="utf-8")
    assert committed == json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n", (
        "seat_chart/schema.json is stale: run .venv/bin/python scripts/chart_schema.py"
    )


def test_the_example_in_the_format_documentation_is_valid() -> None:
    readme = (CHARTS / "README.md").read_text(encoding="utf-8")
    [example] = re.findall(r"```toml\n(.*?)```", readme, re.S)
    result = read_chart(example, SERVICES)
    assert result.errors == []
    assert result.chart is not None and len(result.chart.desks) == 2


# -- known problems in the reader (strict: each turns into a failure once fixed, remove the mark) --


def test_shape_errors_are_sorted_by_line_even_when_tables_come_in_another_order() -> None:
    text = demo("service-center.toml")
    start, end = text.index("[[desks]]"), text.index("[[duties]]")
    text = text[:start] + text[end:] + "\n" + text[start:end]  # the duties before the desks
    text = replace_once(text, 'keywords = ["서류", "증명서", "발급", "certificate"]', "keyword = []")
    text = replace_once(text, "x = 5\ny = 1", 'x = "five"\ny = 1')
    lines = [e.line or 0 for e in read_chart(text, SERVICES).errors]
    assert len(lines) == 2
    assert lines == sorted(lines)


def test_a_number_in_quotes_is_refused() -> None:
    text = replace_once(demo("service-center.toml"), "x = 5\ny = 1", 'x = "5"\ny = 1')
    assert [e.code for e in read_chart(text, SERVICES).errors] == ["shape"]


def test_an_unknown_key_is_named_whatever_it_is_called() -> None:
    text = replace_once(demo("service-center.toml"), "x = 5\ny = 1", "x = 5\nint = 1\ny = 1")
    assert [e.path for e in read_chart(text, SERVICES).errors] == ["desks[1].int"]


def test_a_name_with_a_line_break_survives_a_round_trip() -> None:
    text = replace_once(demo("service-center.toml"), 'name_en = "Kim Seo-yeon"', 'name_en = "Kim\\nSeo-yeon"')
    chart = read_chart(text, SERVICES).chart
    assert chart is not None
    again = read_chart(write_chart(chart), SERVICES)
    assert again.chart == chart
