"""The seat-chart file (``seat_chart/*.toml``): read, check, explain, write back.

The format is TOML (``seat_chart/README.md`` documents it; ``seat_chart/schema.json`` is the JSON
Schema generated from the models below). Reading it gives either a ``SeatChart`` or every error
found, each with its line and field, so whoever edits the file can fix them all in one go:
first the shape (pydantic: missing fields, wrong types, unknown keys), then the meaning
(``kiosk.domain.seat_chart.problems``: unknown duty, two people on one desk, a desk outside its
room, a delegate who does not exist...).
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator

from kiosk.domain.seat_chart import FORMAT, VERSION, Desk, Duty, Problem, Room, SeatChart, StaffMember, problems
from kiosk.i18n import tr

Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")]
Text = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Cells = Annotated[int, Field(ge=0, le=400)]
Size = Annotated[int, Field(ge=1, le=400)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)  # "5" is not a number


class OfficeModel(_Model):
    id: Id
    name_ko: Text
    name_en: Text
    width: Size = Field(description="Width of the floor in grid cells (a cell is about 50 cm).")
    height: Size


class RoomModel(_Model):
    id: Id
    name_ko: Text
    name_en: Text
    x: Cells
    y: Cells
    width: Size
    height: Size


class StaffModel(_Model):
    id: Id
    name_ko: Text
    name_en: Text
    team_ko: Text
    team_en: Text
    title_ko: str = ""
    title_en: str = ""
    phone: Annotated[str, StringConstraints(pattern=r"^(\+?[0-9][0-9 -]{2,18}[0-9])?$")] = ""
    photo: str = ""


class DeskModel(_Model):
    id: Id
    room: Id
    x: Cells
    y: Cells
    width: Size = 2
    height: Size = 2
    staff: Id | list[Id] | None = Field(default=None, description="The person at this desk (one).")
    duties: list[Id] = []
    counter: Annotated[int, Field(ge=1, le=999)] | None = None


class DutyModel(_Model):
    id: Id
    name_ko: Text
    name_en: Text
    service: Annotated[str, StringConstraints(pattern=r"^[A-Z]{1,4}$")] | None = None
    delegate: Id | None = None
    keywords: list[str] = []


class ChartModel(_Model):
    """A seat-chart file, version 1."""

    format: Literal["counter-kiosk/seat-chart"]
    version: Literal[1]

    @field_validator("version", mode="before")
    @classmethod
    def _not_a_bool(cls, value: object) -> object:
        if isinstance(value, bool):  # ``true == 1`` in Python; not in a chart file
            raise ValueError("version must be the number 1")
        return value

    office: OfficeModel
    rooms: list[RoomModel] = Field(min_length=1)
    staff: list[StaffModel] = []
    desks: list[DeskModel] = []
    duties: list[DutyModel] = []


def json_schema() -> dict[str, Any]:
    schema = ChartModel.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://counter-kiosk.example/seat-chart/v1.json"
    return schema


@dataclass(frozen=True)
class FileError:
    """One error in a chart file: where (line, field path) and what (message code and values)."""

    line: int | None
    path: str
    code: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass
class ReadResult:
    chart: SeatChart | None
    errors: list[FileError]


def read_chart(text: str, services: list[str] | None = None) -> ReadResult:
    """Parse and check chart file ``text``; ``services`` are the facility's queue service codes."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        return ReadResult(None, [FileError(int(match.group(1)) if match else None, "", "toml", {"detail": str(exc)})])
    lines = LineIndex(text)
    try:
        model = ChartModel.model_validate(data)
    except ValidationError as exc:
        errors = []
        for e in exc.errors():
            loc = tuple(
                x for k, x in enumerate(e["loc"]) if not (k and e["loc"][k - 1] == "staff" and _is_union_tag(x))
            )
            errors.append(
                FileError(lines.line(loc), _path(loc), "shape", {"detail": e["msg"], "input": _short(e.get("input"))})
            )
        errors.sort(key=lambda e: (e.line or 0, e.path))
        return ReadResult(None, errors)
    chart = to_chart(model)
    found = [_from_problem(p, lines) for p in problems(chart, services)]
    found += [
        FileError(lines.line(("desks", i, "staff")), _path(("desks", i, "staff")), "two_people_on_desk", {"desk": d.id})
        for i, d in enumerate(model.desks)
        if isinstance(d.staff, list) and len(d.staff) > 1
    ]
    found.sort(key=lambda e: (e.line or 0, e.path))
    return ReadResult(None if found else chart, found)


def _is_union_tag(part: object) -> bool:
    """pydantic names the member of a union that failed (``str``, ``list[constrained-str]``)."""
    return isinstance(part, str) and (part in ("str", "int", "constrained-str") or "[" in part or "(" in part)


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _path(loc: tuple[object, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _from_problem(p: Problem, lines: LineIndex) -> FileError:
    return FileError(lines.line(p.path), _path(p.path), p.code, dict(p.params))


def to_chart(model: ChartModel) -> SeatChart:
    def staff_of(d: DeskModel) -> str | None:
        if isinstance(d.staff, list):
            return d.staff[0] if d.staff else None
        return d.staff

    return SeatChart(
        office_id=model.office.id,
        name_ko=model.office.name_ko,
        name_en=model.office.name_en,
        width=model.office.width,
        height=model.office.height,
        rooms=tuple(Room(**r.model_dump()) for r in model.rooms),
        staff=tuple(StaffMember(**s.model_dump()) for s in model.staff),
        desks=tuple(
            Desk(
                id=d.id,
                room=d.room,
                x=d.x,
                y=d.y,
                width=d.width,
                height=d.height,
                staff=staff_of(d),
                duties=tuple(d.duties),
                counter=d.counter,
            )
            for d in model.desks
        ),
        duties=tuple(
            Duty(
                id=d.id,
                name_ko=d.name_ko,
                name_en=d.name_en,
                service=d.service,
                delegate=d.delegate,
                keywords=tuple(d.keywords),
            )
            for d in model.duties
        ),
        version=model.version,
    )


def chart_to_dict(chart: SeatChart) -> dict[str, Any]:
    """The chart as the file's data (what ``write_chart`` writes and ``read_chart`` reads back)."""

    def clean(d: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in d.items() if v is not None and defaults.get(k, object()) != v}

    return {
        "format": FORMAT,
        "version": VERSION,
        "office": {
            "id": chart.office_id,
            "name_ko": chart.name_ko,
            "name_en": chart.name_en,
            "width": chart.width,
            "height": chart.height,
        },
        "rooms": [
            {
                "id": r.id,
                "name_ko": r.name_ko,
                "name_en": r.name_en,
                "x": r.x,
                "y": r.y,
                "width": r.width,
                "height": r.height,
            }
            for r in chart.rooms
        ],
        "staff": [
            clean(
                {
                    "id": s.id,
                    "name_ko": s.name_ko,
                    "name_en": s.name_en,
                    "team_ko": s.team_ko,
                    "team_en": s.team_en,
                    "title_ko": s.title_ko,
                    "title_en": s.title_en,
                    "phone": s.phone,
                    "photo": s.photo,
                },
                {"title_ko": "", "title_en": "", "phone": "", "photo": ""},
            )
            for s in chart.staff
        ],
        "desks": [
            clean(
                {
                    "id": d.id,
                    "room": d.room,
                    "x": d.x,
                    "y": d.y,
                    "width": d.width,
                    "height": d.height,
                    "staff": d.staff,
                    "duties": list(d.duties),
                    "counter": d.counter,
                },
                {"duties": []},
            )
            for d in chart.desks
        ],
        "duties": [
            clean(
                {
                    "id": d.id,
                    "name_ko": d.name_ko,
                    "name_en": d.name_en,
                    "service": d.service,
                    "delegate": d.delegate,
                    "keywords": list(d.keywords),
                },
                {"keywords": []},
            )
            for d in chart.duties
        ],
    }


def write_chart(chart: SeatChart) -> str:
    """TOML text for ``chart``, in the documented layout (one table per room, person, desk, duty)."""
    data = chart_to_dict(chart)
    out = [f"format = {_toml(data['format'])}", f"version = {data['version']}", "", "[office]"]
    out += [f"{k} = {_toml(v)}" for k, v in data["office"].items()]
    for section in ("rooms", "staff", "desks", "duties"):
        for table in data[section]:
            out += ["", f"[[{section}]]"]
            out += [f"{k} = {_toml(v)}" for k, v in table.items()]
    return "\n".join(out) + "\n"


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    # JSON's string escapes are valid TOML basic-string escapes; TOML also forbids a raw DEL.
    return json.dumps(str(value), ensure_ascii=False).replace("\x7f", "\\u007f")


class LineIndex:
    """Line numbers for paths like ``("desks", 3, "staff")`` in a chart file.

    ``tomllib`` keeps no positions, so the file's own layout is read: ``[table]`` and
    ``[[array]]`` headers open a path, ``key =`` lines sit under the last one opened.
    """

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z_]+)\s*\]\]?")
    _KEY = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_-]*)\s*=")

    def __init__(self, text: str) -> None:
        self._lines: dict[tuple[object, ...], int] = {}
        counts: dict[str, int] = {}
        current: tuple[object, ...] = ()
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.split("#", 1)[0] if '"' not in raw else raw
            header = self._HEADER.match(line)
            if header:
                name = header.group(2)
                if header.group(1) == "[[":
                    index = counts.get(name, 0)
                    counts[name] = index + 1
                    current = (name, index)
                else:
                    current = (name,)
                self._lines.setdefault(current, number)
                if len(current) == 2:
                    self._lines.setdefault(current[:1], number)
                continue
            key = self._KEY.match(line)
            if key:
                self._lines.setdefault((*current, key.group(1)), number)

    def line(self, path: tuple[object, ...]) -> int | None:
        """The line of ``path``, or of its nearest parent found in the file."""
        for end in range(len(path), 0, -1):
            found = self._lines.get(tuple(path[:end]))
            if found is not None:
                return found
        return None


def explain(error: FileError, file: str, lang: str = "ko") -> str:
    """One line a person can act on: ``office.toml:42: desks[3].staff: desk 'C4' names 'kim', ...``."""
    message = tr(f"chart.{error.code}", lang, **error.params)
    key = "chart.file_line" if error.line is not None else "chart.file_noline"
    return tr(key, lang, file=file, line=error.line, path=error.path or "-", message=message)
