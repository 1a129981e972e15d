"""The itinerary's flowables: cover, one section per day, directory (reportlab platypus).

Every piece of user text goes through :func:`esc` before it reaches paragraph markup,
so "Café <Montréal> & Co" prints exactly so. Imported only when a PDF is built.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from visitplanner.exchange.phones import shown_phone
from visitplanner.geo.travel import SAME_POINT_KM
from visitplanner.i18n import Translator
from visitplanner.itinerary.content import DayItinerary, DirectoryEntry, ItineraryContent, Stop
from visitplanner.itinerary.fonts import BOLD, FAMILY, register_fonts
from visitplanner.model import (
    MEETING_KIND_LABELS,
    MODE_LABELS,
    ORG_KIND_LABELS,
    REGION_LABELS,
    STATUS_LABELS,
    Contact,
    Meeting,
    Place,
)
from visitplanner.planning.dayplan import rough_between, same_place
from visitplanner.planning.precision import place_text

INK = colors.HexColor("#1a1a1a")
GREY = colors.HexColor("#555555")
RULE = colors.HexColor("#9a9a9a")
SHADE = colors.HexColor("#eeeeee")
ACCENT = colors.HexColor("#1f3f66")


def esc(text: str) -> str:
    """User text made safe for paragraph markup (line breaks kept)."""
    return escape(text).replace("\n", "<br/>")


def esc_nobreak(text: str) -> str:
    """Escaped text that never wraps inside (a phone number)."""
    return escape(text).replace(" ", "\u00a0")


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    note: ParagraphStyle
    label: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    meeting_title: ParagraphStyle
    time: ParagraphStyle
    leg: ParagraphStyle
    qr_caption: ParagraphStyle


def make_styles() -> Styles:
    register_fonts()
    base = ParagraphStyle("body", fontName=FAMILY, fontSize=9.5, leading=12.5, textColor=INK)

    def derive(name: str, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    return Styles(
        body=base,
        small=derive("small", fontSize=8.5, leading=11, textColor=GREY),
        note=derive("note", fontName="DejaVuSans-Oblique", fontSize=9, leading=12),
        label=derive("label", fontName=BOLD, fontSize=9, leading=12),
        title=derive("title", fontName=BOLD, fontSize=24, leading=30, textColor=ACCENT),
        subtitle=derive("subtitle", fontSize=14, leading=19, spaceBefore=4, spaceAfter=14),
        h1=derive("h1", fontName=BOLD, fontSize=17, leading=22, textColor=ACCENT, spaceAfter=4),
        h2=derive("h2", fontName=BOLD, fontSize=12, leading=16, spaceBefore=12, spaceAfter=5),
        meeting_title=derive("meeting_title", fontName=BOLD, fontSize=11, leading=14),
        time=derive("time", fontName=BOLD, fontSize=10.5, leading=13.5),
        leg=derive("leg", fontSize=8.5, leading=11, textColor=GREY, leftIndent=0.12 * inch),
        qr_caption=derive(
            "qr_caption", fontSize=6.5, leading=8, textColor=GREY, alignment=TA_CENTER
        ),
    )


def _table_style(*extra: tuple[Any, ...]) -> TableStyle:
    # FONTNAME too, so that a plain string in a cell is never set in Helvetica.
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), FAMILY),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            *extra,
        ]
    )


class Bookmarked(Paragraph):  # type: ignore[misc]
    """A heading the document turns into a PDF bookmark (see ItineraryDoc.afterFlowable)."""

    def __init__(self, text: str, style: ParagraphStyle, key: str, outline: str) -> None:
        super().__init__(text, style)
        self.bookmark_key = key
        self.outline_title = outline


# -- pieces -------------------------------------------------------------------------------


def date_range(tr: Translator, first: dt.date, last: dt.date) -> str:
    if first == last:
        return tr.format_date(first)
    return tr.gettext("From {first} to {last}").format(
        first=tr.format_date(first), last=tr.format_date(last)
    )


def maps_url(place: Place) -> str | None:
    """A link that opens the place in a phone's maps app (coordinates only, nothing else)."""
    if place.lat is None or place.lon is None:
        return None
    return f"https://maps.google.com/?q={place.lat:.6f},{place.lon:.6f}"


QR_MASK = 2  # fixed mask pattern, see qr_modules


@lru_cache(maxsize=1024)
def qr_modules(value: str) -> tuple[tuple[bool, ...], ...]:
    """The QR code of ``value`` as rows of dark (True) and light modules.

    reportlab's encoder scores all eight mask patterns in pure Python, which took about
    30 ms a code: most of a master itinerary's build time. Any mask decodes the same (the
    pattern is written in the code's format bits), so one fixed mask is used; codes are also
    cached, as the same places come back meeting after meeting and delegate after delegate.
    """
    qr = QrCodeWidget(value, barLevel="M").qr
    qr.version = qr.calculate_version()
    qr.makeImpl(False, QR_MASK)
    return tuple(tuple(bool(cell) for cell in row) for row in qr.modules)


@lru_cache(maxsize=1024)
def qr_operators(value: str, size: float, border: int) -> str:
    """PDF operators filling the dark modules, drawn in module units (one run a rectangle).

    Written directly rather than through a path object: formatting thousands of
    coordinates through reportlab's pure-Python number formatter was the other slow part.
    """
    modules = qr_modules(value)
    box = size / (len(modules) + 2 * border)
    runs = []
    for r, row in enumerate(modules):
        c = 0
        for dark, run in itertools.groupby(row):
            length = len(list(run))
            if dark:
                runs.append(f"{c} {r} {length} 1 re")
            c += length
    top = size - border * box
    matrix = f"{box:.5f} 0 0 {-box:.5f} {border * box:.5f} {top:.5f} cm"
    return f"q 0 g {matrix}\n" + "\n".join(runs) + "\nf Q"


class QrCode(Flowable):  # type: ignore[misc]
    """A QR code drawn once per document as a form, then reused wherever it comes back."""

    def __init__(self, value: str, size: float, border: int = 2) -> None:
        super().__init__()
        self.value = value
        self.size = size
        self.border = border

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        digest = hashlib.sha1(f"{self.value}|{self.size:.2f}".encode()).hexdigest()[:20]
        name = f"qr-{digest}"
        canvas = self.canv
        if not canvas.hasForm(name):
            canvas.beginForm(name, 0, 0, self.size, self.size)
            canvas.addLiteral(qr_operators(self.value, self.size, self.border))
            canvas.endForm()
        canvas.doForm(name)


def contact_line(tr: Translator, contact: Contact, *, with_title: bool = True) -> str:
    """'<b>Ana Souza</b>, VP Business Development · +1 617-555-0123 · ana@example.com'."""
    parts = [f"<b>{esc(contact.full_name)}</b>"]
    head = parts[0] + (f", {esc(contact.title)}" if with_title and contact.title else "")
    details = []
    if contact.phone:
        details.append(esc_nobreak(shown_phone(contact.phone, tr)))
    if contact.mobile:
        details.append(
            tr.gettext("mobile {number}").format(
                number=esc_nobreak(shown_phone(contact.mobile, tr))
            )
        )
    if contact.email:
        details.append(esc(contact.email))
    return " · ".join([head, *details])


def _leg_text(tr: Translator, stop: Stop) -> str | None:
    leg, origin = stop.leg, stop.origin
    if origin is None or (stop.place is None and leg is None):
        return None  # free time, a meeting not placed yet: no way to go there
    name = origin.label()
    if stop.same_place and (leg is None or leg.estimated):
        if stop.from_hotel:
            return tr.gettext("At the hotel.")
        return tr.gettext("Same place as the previous stop.")
    if leg is None:
        if stop.rough:  # two approximate points that coincide: not one building
            return tr.gettext(
                "From {origin}: travel time unknown (address to be confirmed)."
            ).format(origin=name)
        return tr.gettext("Travel from {origin}: unknown (no coordinates).").format(origin=name)
    values = {
        "origin": name,
        "mode": tr.gettext(MODE_LABELS[leg.mode]).lower(),
        "km": tr.format_decimal(leg.distance_km, 1),
        "minutes": leg.minutes,
    }
    if not leg.estimated:
        return tr.gettext("From {origin}: {mode}, {km} km, {minutes} min (set by hand).").format(
            **values
        )
    if leg.rough:
        return tr.gettext(
            "From {origin}: {mode}, about {km} km and about {minutes} min (rough: address to "
            "be confirmed)."
        ).format(**values)
    return tr.gettext("From {origin}: {mode}, {km} km, about {minutes} min.").format(**values)


def _return_text(tr: Translator, day: DayItinerary) -> str | None:
    """The way back to the hotel at the end of a delegate's day, or None (none, or there)."""
    back, origin, hotel = day.return_leg, day.return_origin, day.return_to
    if origin is None or hotel is None or same_place(origin, hotel):
        return None
    if back is None:
        if rough_between(origin, hotel):
            return tr.gettext("Back to the hotel: travel time unknown (address to be confirmed).")
        return None
    if back.distance_km < SAME_POINT_KM and not back.rough:
        return None
    values = {
        "mode": tr.gettext(MODE_LABELS[back.mode]).lower(),
        "km": tr.format_decimal(back.distance_km, 1),
        "minutes": back.minutes,
    }
    if back.rough:
        return tr.gettext(
            "Back to the hotel: {mode}, about {km} km and about {minutes} min (rough: address "
            "to be confirmed)."
        ).format(**values)
    return tr.gettext("Back to the hotel: {mode}, {km} km, about {minutes} min.").format(**values)


def stop_qr_url(stop: Stop) -> str | None:
    """What the stop's QR code opens, or None: no QR for a place without coordinates, nor for
    an approximate one (its point is the street, postal area or city, not the building)."""
    if stop.place is None or stop.place.approximate:
        return None
    return maps_url(stop.place)


def place_lines(tr: Translator, place: Place, *, name: bool = True) -> list[str]:
    """A place's name (when asked) and address as escaped lines; an approximate place's
    address is followed by "address to be confirmed"."""
    lines = []
    if name and place.name:
        lines.append(esc(place.name))
    address = place.address()
    if place.approximate:
        lines.append(esc(place_text(place, tr, text=address)))
    elif address:
        lines.append(esc(address))
    return lines


# -- cover --------------------------------------------------------------------------------


def cover(content: ItineraryContent, tr: Translator, st: Styles) -> list[Any]:
    trip = content.snapshot.trip
    story: list[Any] = [Spacer(1, 0.6 * inch), Paragraph(esc(trip.name), st.title)]
    if content.delegate is None:
        subtitle = tr.gettext("Master itinerary")
    else:
        subtitle = tr.gettext("Itinerary of {name}").format(name=content.delegate.name)
    story.append(Paragraph(esc(subtitle), st.subtitle))

    rows: list[tuple[str, str]] = [
        (tr.gettext("Dates"), esc(date_range(tr, trip.first_day, trip.last_day))),
        (tr.gettext("Region"), esc(tr.gettext(REGION_LABELS[trip.region]))),
    ]
    base = content.snapshot.base
    if base is not None:
        hotel = "<br/>".join([f"<b>{esc(base.label())}</b>", *place_lines(tr, base, name=False)])
        rows.append((tr.gettext("Hotel"), hotel))
    if trip.organizer:
        rows.append((tr.gettext("Organizer"), esc(trip.organizer)))
    if trip.emergency:
        rows.append((tr.gettext("Emergency"), esc(trip.emergency)))
    count = len(content.meetings)
    rows.append(
        (
            tr.gettext("Meetings"),
            tr.ngettext("{count} meeting", "{count} meetings", count).format(count=count),
        )
    )
    table = Table(
        [[Paragraph(esc(k), st.label), Paragraph(v, st.body)] for k, v in rows],
        colWidths=[1.2 * inch, None],
        hAlign="LEFT",
    )
    table.setStyle(_table_style(("BOTTOMPADDING", (0, 0), (-1, -1), 5)))
    story.append(table)

    story.append(Paragraph(esc(tr.gettext("Delegation")), st.h2))
    header = [tr.gettext("Name"), tr.gettext("Company"), tr.gettext("Title")]
    data = [[Paragraph(f"<b>{esc(h)}</b>", st.body) for h in header]]
    chosen = content.delegate.id if content.delegate is not None else None
    delegates = sorted(content.snapshot.delegates.values(), key=lambda d: d.name.casefold())
    mine_row = None
    for d in delegates:
        if d.id == chosen:
            mine_row = len(data)
        data.append([Paragraph(esc(v), st.body) for v in (d.name, d.company, d.title)])
    extra: list[tuple[Any, ...]] = [
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
    ]
    if mine_row is not None:
        extra.append(("BACKGROUND", (0, mine_row), (-1, mine_row), SHADE))
    delegation = Table(data, colWidths=["30%", "35%", "35%"], repeatRows=1)
    delegation.setStyle(_table_style(*extra))
    story.append(delegation)
    if trip.notes:
        story += [Spacer(1, 10), Paragraph(esc(trip.notes), st.note)]
    return story


# -- days ---------------------------------------------------------------------------------


def _attendees(content: ItineraryContent, tr: Translator, meeting: Meeting) -> str | None:
    delegates = content.snapshot.delegates
    names = [delegates[d].name for d in meeting.delegate_ids if d in delegates]
    if not names:
        return None
    if len(names) == len(delegates) and len(names) > 2:
        return tr.gettext("The whole delegation ({count})").format(count=len(names))
    return ", ".join(sorted(names, key=str.casefold))


def meeting_block(
    content: ItineraryContent, tr: Translator, st: Styles, stop: Stop, width: float
) -> Any:
    """One meeting: leg, time and details, kept together on one page."""
    m = stop.meeting
    snap = content.snapshot
    details: list[Any] = [Paragraph(esc(m.title), st.meeting_title)]
    kind_status = tr.gettext("{kind} · {status}").format(
        kind=tr.gettext(MEETING_KIND_LABELS[m.kind]), status=tr.gettext(STATUS_LABELS[m.status])
    )
    details.append(Paragraph(esc(kind_status), st.small))
    org = snap.organizations.get(m.organization_id) if m.organization_id is not None else None
    if org is not None:
        details.append(Paragraph(f"<b>{esc(org.name)}</b>", st.body))
    if stop.place is not None:
        place = stop.place
        named = bool(place.name) and (org is None or place.name != org.name)
        lines = place_lines(tr, place, name=named)
        if lines:
            details.append(Paragraph("<br/>".join(lines), st.body))
    hosts = [snap.contacts[h] for h in m.host_ids if h in snap.contacts]
    for host in hosts:
        label = tr.gettext("Host:")
        details.append(Paragraph(f"{esc(label)} {contact_line(tr, host)}", st.body))
    attendees = _attendees(content, tr, m)
    if attendees:
        label = tr.gettext("Attendees:")
        details.append(Paragraph(f"<b>{esc(label)}</b> {esc(attendees)}", st.body))
    if m.notes:
        details.append(Paragraph(esc(m.notes), st.note))

    number = tr.gettext("Stop {number}").format(number=stop.number)
    assert m.start is not None and m.end is not None
    left = [
        Paragraph(f"{esc(tr.format_time(m.start))} –<br/>{esc(tr.format_time(m.end))}", st.time),
        Paragraph(esc(number), st.small),
    ]
    qr_size = 0.8 * inch
    url = stop_qr_url(stop)
    right: list[Any] = []
    if url is not None:
        right = [QrCode(url, qr_size), Paragraph(esc(tr.gettext("Open in maps")), st.qr_caption)]
    table = Table(
        [[left, details, right]],
        colWidths=[1.3 * inch, width - 1.3 * inch - qr_size - 0.1 * inch, qr_size + 0.1 * inch],
        splitInRow=1,  # a meeting with pages of notes flows on; a short one stays whole
    )
    table.setStyle(
        _table_style(
            ("LINEABOVE", (0, 0), (-1, 0), 0.6, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ("RIGHTPADDING", (2, 0), (2, 0), 0),
        )
    )
    parts: list[Any] = []
    leg = _leg_text(tr, stop)
    if leg:
        parts.append(Paragraph(esc("↓ " + leg), st.leg))
    parts.append(table)
    return KeepTogether(parts)


def day_heading(tr: Translator, day: DayItinerary, st: Styles) -> Bookmarked:
    title = tr.format_date(day.day)
    title = title[:1].upper() + title[1:] if tr.language == "en" else title
    return Bookmarked(esc(title), st.h1, f"day-{day.day.isoformat()}", title)


def day_summary(tr: Translator, day: DayItinerary, st: Styles) -> Paragraph:
    count = len(day.stops)
    text = tr.ngettext(
        "{count} meeting; about {km} km and {minutes} min of travel.",
        "{count} meetings; about {km} km and {minutes} min of travel.",
        count,
    ).format(count=count, km=tr.format_decimal(day.travel_km, 1), minutes=day.travel_minutes)
    if day.rough:
        text = tr.gettext("{summary} Some of it is rough: an address is to be confirmed.").format(
            summary=text
        )
    return Paragraph(esc(text), st.small)


def day_section(
    content: ItineraryContent,
    tr: Translator,
    st: Styles,
    day: DayItinerary,
    width: float,
    day_map: Any | None = None,
) -> list[Any]:
    story: list[Any] = [PageBreak(), day_heading(tr, day, st), day_summary(tr, day, st)]
    story.append(Spacer(1, 6))
    if day_map is not None:
        legend = " · ".join(f"<b>{esc(n)}</b> {esc(label)}" for n, label in day_map.legend)
        story += [KeepTogether([day_map, Spacer(1, 3), Paragraph(legend, st.small)]), Spacer(1, 8)]
    story += [meeting_block(content, tr, st, stop, width) for stop in day.stops]
    back = _return_text(tr, day)
    if back is not None:
        story.append(Paragraph(esc("↓ " + back), st.leg))
    return story


# -- directory ----------------------------------------------------------------------------


def _directory_entry(tr: Translator, st: Styles, entry: DirectoryEntry) -> Any:
    parts: list[Any] = []
    org = entry.organization
    if org is not None:
        kind = tr.gettext(ORG_KIND_LABELS[org.kind])
        parts.append(Paragraph(f"<b>{esc(org.name)}</b> · {esc(kind)}", st.body))
        lines = []
        if entry.place is not None:
            lines += place_lines(tr, entry.place, name=False)
        reach = [esc_nobreak(shown_phone(org.phone, tr))] if org.phone else []
        reach += [esc(v) for v in (org.email, org.website) if v]
        if reach:
            lines.append(" · ".join(reach))
        if lines:
            parts.append(Paragraph("<br/>".join(lines), st.small))
    else:
        label = tr.gettext("Other contacts")
        parts.append(Paragraph(f"<b>{esc(label)}</b>", st.body))
    for c in entry.contacts:
        style = ParagraphStyle("contact", parent=st.body, leftIndent=12)
        parts.append(Paragraph(contact_line(tr, c), style))
    parts.append(Spacer(1, 7))
    return KeepTogether(parts)


def directory(content: ItineraryContent, tr: Translator, st: Styles) -> list[Any]:
    if not content.directory:
        return []
    title = tr.gettext("Directory")
    story: list[Any] = [
        PageBreak(),
        Bookmarked(esc(title), st.h1, "directory", title),
        Paragraph(esc(tr.gettext("Every organization and contact met on this trip.")), st.small),
        Spacer(1, 8),
    ]
    for entry in content.directory:
        story += [CondPageBreak(0.8 * inch), _directory_entry(tr, st, entry)]
    return story
