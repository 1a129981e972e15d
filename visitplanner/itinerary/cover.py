"""The itinerary's cover: the trip, the time zone, the hotels (phone, check-in and out), the
organizer and the emergency number, the days (links), every delegate's mobile and email."""

from __future__ import annotations

import datetime as dt
from typing import Any

from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, Spacer, Table

from visitplanner.i18n import Translator
from visitplanner.itinerary.content import ItineraryContent, _sort_name
from visitplanner.itinerary.layout import (
    INK,
    RULE,
    SHADE,
    Bookmarked,
    Styles,
    _table_style,
    date_range,
    place_lines,
)
from visitplanner.itinerary.links import email_link, esc, linkify, phone_link, place_link
from visitplanner.itinerary.typography import capitalised, of_name, starts_with_vowel, tie
from visitplanner.model import REGION_LABELS, OrgKind, Place


def time_zone_text(content: ItineraryContent, tr: Translator) -> str:
    """'Times are Boston time (EDT).' — the hotel's city, else the zone's."""
    import zoneinfo

    from babel.dates import get_timezone_name

    trip = content.snapshot.trip
    try:
        zone = zoneinfo.ZoneInfo(trip.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return tr.gettext("Times are local time.")
    noon = dt.datetime.combine(trip.first_day, dt.time(12), tzinfo=zone)
    short = str(get_timezone_name(noon, width="short", locale=tr.babel_locale))
    base = content.snapshot.base
    city = base.city if base is not None and base.city else trip.timezone.split("/")[-1]
    city = city.replace("_", " ")
    text = tr.gettext("Times are {city} time ({zone}).")
    if tr.language == "fr" and starts_with_vowel(city):
        text = text.replace("de {city}", "d\u2019{city}")
    return tie(tr, text.format(city=city, zone=short))


def hotel_nights(content: ItineraryContent) -> list[tuple[Place, dt.date, dt.date]]:
    """Each hotel of the itinerary's people with its first night and check-out day."""
    snap = content.snapshot
    trip = snap.trip
    people = (
        [content.delegate.id] if content.delegate is not None else [None, *sorted(snap.delegates)]
    )
    nights = [
        trip.first_day + dt.timedelta(days=i)
        for i in range(-1, (trip.last_day - trip.first_day).days)
    ]
    found: list[tuple[Place, dt.date, dt.date]] = []
    for person in people:
        run: list[Any] = []
        for night in nights:
            hotel = snap.hotel(person, night)
            if night == trip.first_day - dt.timedelta(days=1) and not any(
                s.covers(night) for s in snap.stays
            ):
                continue  # the eve is a night only when a stay says so
            if (
                hotel is not None
                and run
                and run[0] is hotel
                and run[2] == night - dt.timedelta(days=1)
            ):
                run[2] = night
            else:
                if run:
                    found.append((run[0], run[1], run[2] + dt.timedelta(days=1)))
                run = [hotel, night, night] if hotel is not None else []
        if run:
            found.append((run[0], run[1], run[2] + dt.timedelta(days=1)))
    if not found and snap.base is not None:
        return [(snap.base, trip.first_day, trip.first_day)]  # no night: no check-in to say
    unique: list[tuple[Place, dt.date, dt.date]] = []
    for entry in sorted(found, key=lambda e: (e[1], e[0].label())):
        if entry not in unique:
            unique.append(entry)
    return unique


def hotel_phone(content: ItineraryContent, place: Place) -> str:
    """The phone of the hotel organization at ``place``, when the library has one."""
    for org in content.snapshot.organizations.values():
        if org.place_id == place.id and org.phone and org.kind is OrgKind.HOTEL:
            return org.phone
    for org in content.snapshot.organizations.values():
        if org.place_id == place.id and org.phone:
            return org.phone
    return ""


def cover(content: ItineraryContent, tr: Translator, st: Styles) -> list[Any]:
    trip = content.snapshot.trip
    title = tr.gettext("Trip and contacts")
    story: list[Any] = [Bookmarked(esc(trip.name), st.title, "cover", title)]
    if content.delegate is None:
        subtitle = tr.gettext("Master itinerary")
    else:
        subtitle = of_name(tr, tr.gettext("Itinerary of {name}"), content.delegate.name)
    story.append(Paragraph(esc(subtitle), st.subtitle))

    rows: list[tuple[str, str]] = [
        (tr.gettext("Dates"), esc(date_range(tr, trip.first_day, trip.last_day))),
        (tr.gettext("Region"), esc(tr.gettext(REGION_LABELS[trip.region]))),
        (tr.gettext("Time zone"), esc(time_zone_text(content, tr))),
    ]
    for hotel, first, leave in hotel_nights(content):
        lines = [place_link(hotel, f"<b>{esc(hotel.label())}</b>")]
        lines += place_lines(tr, hotel, name=False)
        phone = hotel_phone(content, hotel)
        if phone:
            lines.append(esc(tr.gettext("Phone:")) + " " + phone_link(phone, tr))
        if leave > first:
            stay = tr.gettext("Check-in {first} · check-out {last}").format(
                first=tr.format_date(first, "medium"), last=tr.format_date(leave, "medium")
            )
            lines.append(esc(tie(tr, stay)))
        rows.append((tr.gettext("Hotel"), "<br/>".join(lines)))
    if trip.organizer:
        rows.append((tr.gettext("Organizer"), linkify(tie(tr, trip.organizer))))
    if trip.emergency:
        rows.append((tr.gettext("Emergency"), f"<b>{linkify(tie(tr, trip.emergency))}</b>"))
    if content.days:
        links = []
        for day in content.days:
            count = len(day.stops)
            label = tr.ngettext("{count} meeting", "{count} meetings", count).format(count=count)
            title = capitalised(tr.format_date(day.day))
            links.append(
                f'<a href="#day-{day.day.isoformat()}" color="#1f3f66">{esc(title)}</a>'
                f"\u00a0({esc(label)})"
            )
        rows.append((tr.gettext("Days"), "<br/>".join(links)))
    table = Table(
        [[Paragraph(esc(k), st.label), Paragraph(v, st.body)] for k, v in rows],
        colWidths=[1.2 * inch, None],
        hAlign="LEFT",
    )
    table.setStyle(
        _table_style(("BOTTOMPADDING", (0, 0), (-1, -1), 3), ("TOPPADDING", (0, 0), (-1, -1), 2))
    )
    story.append(table)

    story.append(Paragraph(esc(tr.gettext("Delegation")), st.h2))
    header = [tr.gettext("Name"), tr.gettext("Mobile"), tr.gettext("Email")]
    data = [[Paragraph(f"<b>{esc(h)}</b>", st.cell) for h in header]]
    chosen = content.delegate.id if content.delegate is not None else None
    delegates = sorted(content.snapshot.delegates.values(), key=lambda d: _sort_name(d.name))
    mine_row = None
    for d in delegates:
        if d.id == chosen:
            mine_row = len(data)
        role = ", ".join(v for v in (d.company, d.title) if v)
        who = f"<b>{esc(d.name)}</b>" + (f"<br/>{esc(role)}" if role else "")
        data.append(
            [
                Paragraph(who, st.cell),
                Paragraph(phone_link(d.phone, tr) if d.phone else "", st.cell),
                Paragraph(email_link(d.email) if d.email else "", st.cell),
            ]
        )
    extra: list[tuple[Any, ...]] = [
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if mine_row is not None:
        extra.append(("BACKGROUND", (0, mine_row), (-1, mine_row), SHADE))
    delegation = Table(data, colWidths=["44%", "19%", "37%"], repeatRows=1)
    delegation.setStyle(_table_style(*extra))
    story.append(delegation)
    if trip.notes:
        story += [Spacer(1, 10), Paragraph(esc(trip.notes), st.note)]
    return story
