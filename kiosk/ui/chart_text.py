"""What the seat-chart screens say about a desk, an answer, an absence: one source for the plan,
the list, the spoken answer and the service screen, so every fact on the plan is also in the list.

Qt-free (plain strings through the one translation catalog); the audience decides what is shown:
visitors get a masked contact number, staff the whole one (S4).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from kiosk.domain.presence import PresenceState, mask_phone
from kiosk.domain.seat_chart import Desk, Match, SeatChart
from kiosk.i18n import tr
from kiosk.services.chart import ChartState
from kiosk.services.views import AbsenceView

VISITOR, STAFF = "visitor", "staff"


@dataclass(frozen=True)
class DeskFacts:
    """Everything the screens show about one desk, as text in one language."""

    desk_id: str
    place: str
    """Desk and counter: "C1 · 1번 창구"."""
    person: str
    """Name and title, or "빈 자리"."""
    team: str
    duties: list[str]
    state: PresenceState | None
    """``None``: an empty desk."""
    presence: str
    """"재석", or where they are, until when, whom to ask meanwhile, and the (masked) number."""
    presence_short: str
    """One or two words for a small desk on the plan ("자리 비움 14:30")."""
    room: str
    name: str = ""
    """The name alone, for a small desk on the plan."""
    title: str = ""

    def lines(self) -> list[str]:
        return [self.place, self.person, self.team, *self.duties, self.presence]

    def text(self, lang: str) -> str:
        """The desk as one plain-text paragraph: the list's row and its accessible name."""
        duties = ", ".join(self.duties) or tr("chart_ui.no_duties", lang)
        parts = [self.place, self.room, self.person]
        if self.team:
            parts.append(self.team)
        parts += [tr("chart_ui.duties", lang, duties=duties), self.presence]
        return " · ".join(p for p in parts if p)


def local_time(at: datetime | None, tz: tzinfo, now: datetime) -> str:
    """ "14:30" today, "11월 26일 09:00"-style otherwise (in the facility's time zone)."""
    if at is None:
        return ""
    local, today = at.astimezone(tz), now.astimezone(tz)
    if local.date() == today.date():
        return local.strftime("%H:%M")
    return f"{local.month}/{local.day} {local.strftime('%H:%M')}"


def desk_facts(state: ChartState, desk: Desk, lang: str, audience: str, tz: tzinfo, now: datetime) -> DeskFacts:
    chart = state.chart
    room = chart.room(desk.room)
    place = desk.id if desk.counter is None else tr("chart_ui.place_counter", lang, desk=desk.id, counter=desk.counter)
    duties = [d.name(lang) for d in (chart.duty(x) for x in desk.duties) if d is not None]
    person = chart.person(desk.staff)
    if person is None:
        return DeskFacts(
            desk.id, place, tr("chart_ui.empty_desk", lang), "", duties, None, "", "", room.name(lang) if room else ""
        )
    title = person.title(lang)
    name = f"{person.name(lang)} {title}".strip()
    p = state.presence_of(person.id)
    until = local_time(p.until, tz, now)
    if p.state == PresenceState.PRESENT:
        text = short = tr("chart_ui.state_present", lang)
    else:
        word = tr(f"chart_ui.state_{p.state.value}", lang)
        short = f"{word} {until}".strip()
        parts = [word]
        if p.destination and (audience == STAFF or p.state != PresenceState.LEAVE):
            parts.append(p.destination)
        if until:
            parts.append(tr("chart_ui.back_at", lang, time=until))
        ask = _ask_instead(chart, desk, state, lang)
        if ask:
            parts.append(ask)
        if p.contact:
            number = p.contact if audience == STAFF else mask_phone(p.contact)
            parts.append(tr("chart_ui.contact", lang, number=number))
        text = " · ".join(parts)
    return DeskFacts(
        desk.id,
        place,
        name,
        person.team(lang),
        duties,
        p.state,
        text,
        short,
        room.name(lang) if room else "",
        person.name(lang),
        title,
    )


def _ask_instead(chart: SeatChart, desk: Desk, state: ChartState, lang: str) -> str:
    """ "그동안 이준호(C2)에게 문의하십시오": the present delegates of the desk's duties."""
    names: list[str] = []
    for duty_id in desk.duties:
        duty = chart.duty(duty_id)
        delegate = chart.person(duty.delegate) if duty is not None else None
        if delegate is None or not state.presence_of(delegate.id).in_office:
            continue
        where = chart.desk_of(delegate.id)
        label = tr("chart_ui.person_at", lang, name=delegate.name(lang), desk=where.id if where else "-")
        if label not in names:
            names.append(label)
    return tr("chart_ui.ask_instead", lang, who=", ".join(names)) if names else ""


def answer(state: ChartState, matches: list[Match], query: str, lang: str, tz: tzinfo, now: datetime) -> str:
    """The answer to "who handles X?", as shown under the search box and spoken in voice mode."""
    if not query.strip():
        return ""
    if not matches:
        return tr("chart_ui.no_match", lang, query=query.strip())
    out = []
    for m in matches[:3]:
        facts = desk_facts(state, m.desk, lang, VISITOR, tz, now)
        what = ", ".join(d.name(lang) for d in m.duties) or facts.team
        out.append(
            tr("chart_ui.answer", lang, what=what, person=facts.person, place=facts.place, presence=facts.presence)
        )
    if len(matches) > 3:
        out.append(tr("chart_ui.more_matches", lang, count=len(matches) - 3))
    return " ".join(out)


def absence_note(absent: list[AbsenceView], lang: str, tz: tzinfo, now: datetime) -> str:
    """What the kiosk's service screen says when a duty's person in charge is out (S3)."""
    notes = []
    for a in absent:
        state = tr(f"chart_ui.state_{a.state}", lang)
        back = local_time(a.back_at, tz, now)
        delegate = a.delegate(lang)
        if delegate and a.delegate_counter is not None:
            key, extra = "chart_ui.absent_routed", {"delegate": delegate, "counter": a.delegate_counter}
        elif delegate and a.delegate_desk:
            key, extra = "chart_ui.absent_ask", {"delegate": delegate, "desk": a.delegate_desk}
        else:
            key, extra = "chart_ui.absent_wait", {}
        when = tr("chart_ui.back_at", lang, time=back) if back else tr("chart_ui.back_unknown", lang)
        notes.append(tr(key, lang, duty=a.duty_name(lang), holder=a.holder(lang), state=state, when=when, **extra))
    return " ".join(dict.fromkeys(notes))
