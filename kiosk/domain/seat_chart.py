"""The office seat-assignment chart (S1): rooms, desks on a grid, who sits where, who handles what.

Plain data and the rules that tie it together. Reading it from a file is done elsewhere
(``kiosk.services.chart_file``); this module only knows what a consistent chart is, so the same
checks guard a file being imported and an edit made at the counter console.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

FORMAT = "counter-kiosk/seat-chart"
VERSION = 1


@dataclass(frozen=True)
class Room:
    id: str
    name_ko: str
    name_en: str
    x: int
    y: int
    width: int
    height: int

    def name(self, lang: str) -> str:
        return self.name_ko if lang == "ko" else self.name_en

    def contains(self, x: int, y: int, width: int, height: int) -> bool:
        return self.x <= x and self.y <= y and x + width <= self.x + self.width and y + height <= self.y + self.height


@dataclass(frozen=True)
class StaffMember:
    id: str
    name_ko: str
    name_en: str
    team_ko: str
    team_en: str
    title_ko: str = ""
    title_en: str = ""
    phone: str = ""
    """The desk's or the person's contact number: in full for staff, masked for visitors."""
    photo: str = ""

    def name(self, lang: str) -> str:
        return self.name_ko if lang == "ko" else self.name_en

    def team(self, lang: str) -> str:
        return self.team_ko if lang == "ko" else self.team_en

    def title(self, lang: str) -> str:
        return self.title_ko if lang == "ko" else self.title_en


@dataclass(frozen=True)
class Desk:
    id: str
    room: str
    x: int
    y: int
    width: int = 2
    height: int = 2
    staff: str | None = None
    duties: tuple[str, ...] = ()
    counter: int | None = None
    """The queue counter at this desk, if visitors are called to it."""


@dataclass(frozen=True)
class Duty:
    id: str
    name_ko: str
    name_en: str
    service: str | None = None
    """The queue service whose tickets this duty serves, if any."""
    delegate: str | None = None
    """Who handles the duty while the person in charge is away (S3)."""
    keywords: tuple[str, ...] = ()
    """Other words visitors use for it ("주차" for parking permits): search finds them too."""

    def name(self, lang: str) -> str:
        return self.name_ko if lang == "ko" else self.name_en


@dataclass(frozen=True)
class Problem:
    """One inconsistency: where (a path into the chart) and what (a message key and its values)."""

    path: tuple[str | int, ...]
    code: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class SeatChart:
    office_id: str
    name_ko: str
    name_en: str
    width: int
    height: int
    rooms: tuple[Room, ...] = ()
    staff: tuple[StaffMember, ...] = ()
    desks: tuple[Desk, ...] = ()
    duties: tuple[Duty, ...] = ()
    version: int = VERSION

    def name(self, lang: str) -> str:
        return self.name_ko if lang == "ko" else self.name_en

    # -- lookups ---------------------------------------------------------------------------
    def person(self, staff_id: str | None) -> StaffMember | None:
        return next((s for s in self.staff if s.id == staff_id), None)

    def duty(self, duty_id: str) -> Duty | None:
        return next((d for d in self.duties if d.id == duty_id), None)

    def desk(self, desk_id: str) -> Desk | None:
        return next((d for d in self.desks if d.id == desk_id), None)

    def room(self, room_id: str) -> Room | None:
        return next((r for r in self.rooms if r.id == room_id), None)

    def desk_of(self, staff_id: str) -> Desk | None:
        return next((d for d in self.desks if d.staff == staff_id), None)

    def holder_of(self, duty_id: str) -> StaffMember | None:
        """The person in charge of a duty: whoever sits at the desk that lists it."""
        desk = next((d for d in self.desks if duty_id in d.duties and d.staff), None)
        return None if desk is None else self.person(desk.staff)

    def duties_for_service(self, service: str) -> list[Duty]:
        return [d for d in self.duties if d.service == service]

    def desk_for_counter(self, counter: int) -> Desk | None:
        return next((d for d in self.desks if d.counter == counter), None)

    def services_at_counter(self, counter: int) -> list[str]:
        """The queue services of the duties held at ``counter``'s desk, in the desk's order."""
        desk = self.desk_for_counter(counter)
        found = (self.duty(x) for x in (desk.duties if desk is not None else ()))
        return list(dict.fromkeys(d.service for d in found if d is not None and d.service))

    # -- edits (each returns a new chart; ``problems`` says whether it is still consistent) --
    def with_desk(self, desk: Desk) -> SeatChart:
        return replace(self, desks=tuple(desk if d.id == desk.id else d for d in self.desks))

    def assign(self, desk_id: str, staff_id: str | None) -> SeatChart:
        """Put ``staff_id`` at ``desk_id`` (``None`` empties it); they leave any other desk."""
        desks = []
        for d in self.desks:
            if d.id == desk_id:
                d = replace(d, staff=staff_id)
            elif staff_id is not None and d.staff == staff_id:
                d = replace(d, staff=None)
            desks.append(d)
        return replace(self, desks=tuple(desks))

    def set_duties(self, desk_id: str, duties: Iterable[str]) -> SeatChart:
        desk = self.desk(desk_id)
        if desk is None:
            return self
        return self.with_desk(replace(desk, duties=tuple(dict.fromkeys(duties))))


def problems(chart: SeatChart, services: Iterable[str] | None = None) -> list[Problem]:
    """Everything inconsistent in ``chart``; empty when it can be shown and used.

    ``services``: the facility's queue service codes, to catch a duty linked to a service that
    does not exist (skipped when not known).
    """
    out: list[Problem] = []
    known_services = None if services is None else set(services)

    def duplicates(kind: str, ids: list[str]) -> None:
        seen: set[str] = set()
        for i, value in enumerate(ids):
            if value in seen:
                out.append(Problem((kind, i, "id"), "duplicate_id", {"id": value}))
            seen.add(value)

    duplicates("rooms", [r.id for r in chart.rooms])
    duplicates("staff", [s.id for s in chart.staff])
    duplicates("desks", [d.id for d in chart.desks])
    duplicates("duties", [d.id for d in chart.duties])

    rooms = {r.id: r for r in chart.rooms}
    people = {s.id for s in chart.staff}
    duties = {d.id for d in chart.duties}
    for i, room in enumerate(chart.rooms):
        if not Room("", "", "", 0, 0, chart.width, chart.height).contains(room.x, room.y, room.width, room.height):
            out.append(Problem(("rooms", i, "x"), "room_outside_office", {"room": room.id}))

    seated: dict[str, str] = {}
    for i, desk in enumerate(chart.desks):
        desk_room = rooms.get(desk.room)
        if desk_room is None:
            out.append(Problem(("desks", i, "room"), "unknown_room", {"desk": desk.id, "room": desk.room}))
        elif not desk_room.contains(desk.x, desk.y, desk.width, desk.height):
            out.append(Problem(("desks", i, "x"), "desk_outside_room", {"desk": desk.id, "room": desk.room}))
        if desk.staff is not None:
            if desk.staff not in people:
                out.append(Problem(("desks", i, "staff"), "unknown_staff", {"desk": desk.id, "staff": desk.staff}))
            elif desk.staff in seated:
                out.append(
                    Problem(
                        ("desks", i, "staff"),
                        "staff_on_two_desks",
                        {"staff": desk.staff, "desk": desk.id, "other": seated[desk.staff]},
                    )
                )
            else:
                seated[desk.staff] = desk.id
        for duty_id in desk.duties:
            if duty_id not in duties:
                out.append(Problem(("desks", i, "duties"), "unknown_duty", {"desk": desk.id, "duty": duty_id}))
        for other in chart.desks[:i]:
            if _overlap(desk, other):
                out.append(Problem(("desks", i, "x"), "desks_overlap", {"desk": desk.id, "other": other.id}))
                break

    counters: dict[int, str] = {}
    for i, desk in enumerate(chart.desks):
        if desk.counter is not None:
            if desk.counter in counters:
                out.append(
                    Problem(
                        ("desks", i, "counter"),
                        "counter_on_two_desks",
                        {"counter": desk.counter, "desk": desk.id, "other": counters[desk.counter]},
                    )
                )
            counters.setdefault(desk.counter, desk.id)

    for i, duty in enumerate(chart.duties):
        if duty.delegate is not None and duty.delegate not in people:
            out.append(
                Problem(("duties", i, "delegate"), "unknown_delegate", {"duty": duty.id, "staff": duty.delegate})
            )
        if known_services is not None and duty.service is not None and duty.service not in known_services:
            out.append(Problem(("duties", i, "service"), "unknown_service", {"duty": duty.id, "service": duty.service}))
        holder = chart.holder_of(duty.id)
        if duty.delegate is not None and holder is not None and holder.id == duty.delegate:
            out.append(Problem(("duties", i, "delegate"), "delegate_is_holder", {"duty": duty.id}))
    return out


def _overlap(a: Desk, b: Desk) -> bool:
    return (
        a.room == b.room
        and a.x < b.x + b.width
        and b.x < a.x + a.width
        and a.y < b.y + b.height
        and b.y < a.y + a.height
    )


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold().replace(" ", "")


@dataclass(frozen=True)
class Match:
    desk: Desk
    person: StaffMember | None
    duties: tuple[Duty, ...]
    """The desk's duties that matched the query (all of them when the person's name matched)."""


def search(chart: SeatChart, query: str) -> list[Match]:
    """Desks whose person (name, team, title) or duties (names, keywords) contain ``query``.

    Case and spaces are ignored, Korean and English alike ("주차", "parking", "김서연").
    Duty matches come first: visitors usually ask "who handles X?".
    """
    q = _fold(query)
    if not q:
        return []
    by_duty: list[Match] = []
    by_person: list[Match] = []
    for desk in chart.desks:
        person = chart.person(desk.staff)
        duties = tuple(d for d in (chart.duty(x) for x in desk.duties) if d is not None)
        hit = tuple(d for d in duties if any(q in _fold(w) for w in (d.name_ko, d.name_en, *d.keywords)))
        if hit:
            by_duty.append(Match(desk, person, hit))
        elif person is not None and any(
            q in _fold(w)
            for w in (person.name_ko, person.name_en, person.team_ko, person.team_en, person.title_ko, person.title_en)
        ):
            by_person.append(Match(desk, person, duties))
    return by_duty + by_person
