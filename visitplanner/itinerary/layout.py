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

from visitplanner.i18n import Translator
from visitplanner.itinerary.content import (
    DayItinerary,
    DirectoryEntry,
    ItineraryContent,
    Stop,
    _sort_name,
)
from visitplanner.itinerary.fonts import BOLD, FAMILY, register_fonts
from visitplanner.itinerary.legtext import legs_paragraphs
from visitplanner.itinerary.links import (
    email_link,
    esc,
    maps_url,
    phone_link,
    place_link,
)
from visitplanner.itinerary.typography import (
    TO_BE_CONFIRMED,
    capitalised,
    clock,
    status_line,
    tie,
)
from visitplanner.model import (
    ORG_KIND_LABELS,
    TRANSFER_MODE_LABELS,
    Contact,
    Meeting,
    MeetingStatus,
    Place,
)
from visitplanner.planning.precision import place_text

INK = colors.HexColor("#1a1a1a")
GREY = colors.HexColor("#555555")
RULE = colors.HexColor("#9a9a9a")
SHADE = colors.HexColor("#eeeeee")
ACCENT = colors.HexColor("#1f3f66")
ALERT = colors.HexColor("#b00020")
PENDING = colors.HexColor("#8a4b00")
PENDING_BG = colors.HexColor("#fff1d6")


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
    warning: ParagraphStyle
    pending: ParagraphStyle
    cell: ParagraphStyle


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
        subtitle=derive("subtitle", fontSize=14, leading=19, spaceBefore=2, spaceAfter=8),
        h1=derive("h1", fontName=BOLD, fontSize=17, leading=22, textColor=ACCENT, spaceAfter=4),
        h2=derive("h2", fontName=BOLD, fontSize=12, leading=16, spaceBefore=8, spaceAfter=4),
        meeting_title=derive("meeting_title", fontName=BOLD, fontSize=11, leading=14),
        time=derive("time", fontName=BOLD, fontSize=10.5, leading=13.5),
        leg=derive("leg", fontSize=8.5, leading=11, textColor=GREY, leftIndent=0.12 * inch),
        qr_caption=derive(
            "qr_caption", fontSize=6.5, leading=8, textColor=GREY, alignment=TA_CENTER
        ),
        warning=derive("warning", fontName=BOLD, fontSize=9, leading=12, textColor=ALERT),
        pending=derive(
            "pending",
            fontName=BOLD,
            fontSize=9.5,
            leading=13,
            textColor=PENDING,
            backColor=PENDING_BG,
            borderPadding=(1, 3, 1, 3),
        ),
        cell=derive("cell", fontSize=8.5, leading=10.5),
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
        if self.value.startswith("https://"):  # tapping the code opens it too
            canvas.linkURL(self.value, (0, 0, self.size, self.size), relative=1)


def contact_line(tr: Translator, contact: Contact, *, with_title: bool = True) -> str:
    """'<b>Ana Souza</b>, VP Business Development · +1 617-555-0123 · ana@example.com'."""
    parts = [f"<b>{esc(contact.full_name)}</b>"]
    head = parts[0] + (f", {esc(contact.title)}" if with_title and contact.title else "")
    details = []
    if contact.phone:
        details.append(phone_link(contact.phone, tr))
    if contact.mobile:
        details.append(tr.gettext("mobile {number}").format(number=phone_link(contact.mobile, tr)))
    if contact.email:
        details.append(email_link(contact.email))
    return "\u00a0· ".join([head, *details])


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


# -- days ---------------------------------------------------------------------------------


def _attendees(content: ItineraryContent, tr: Translator, meeting: Meeting) -> str | None:
    delegates = content.snapshot.delegates
    names = [delegates[d].name for d in meeting.delegate_ids if d in delegates]
    if not names:
        return None
    if len(names) == len(delegates) and len(names) > 2:
        return tr.gettext("The whole delegation ({count})").format(count=len(names))
    return ", ".join(sorted(names, key=_sort_name))


def transfer_text(tr: Translator, stop: Stop) -> str | None:
    """'Train VIA 22 · 8:00 AM Gare Centrale → 11:29 AM Gare du Palais'."""
    m = stop.meeting
    if stop.arrival is None or m.start is None or m.end is None:
        return None
    mode = getattr(m, "transfer_mode", None)
    what = tr.gettext(TRANSFER_MODE_LABELS[mode]) if mode is not None else ""
    what = " ".join(p for p in (what, getattr(m, "reference", "")) if p)
    where = stop.place.label() if stop.place is not None else "?"
    route = f"{clock(tr, m.start)} {where} → {clock(tr, m.end)} {stop.arrival.label()}"
    return tie(tr, f"{what} · {route}" if what else route)


def meeting_block(
    content: ItineraryContent,
    tr: Translator,
    st: Styles,
    stop: Stop,
    width: float,
    problems: list[str] | None = None,
    after: list[Any] | None = None,
) -> Any:
    """One meeting: legs, time and details; a long one that runs onto the next page repeats
    its time and title there. ``after``: what must stay with it (the day's ways back)."""
    m = stop.meeting
    snap = content.snapshot
    assert m.start is not None and m.end is not None
    details: list[Any] = [Paragraph(esc(status_line(tr, m.kind, m.status)), st.small)]
    if m.status is MeetingStatus.PROPOSED:
        details.append(Paragraph(esc(tr.gettext(TO_BE_CONFIRMED)), st.pending))
    for problem in problems or []:
        details.append(Paragraph(esc(tie(tr, "⚠ " + problem)), st.warning))
    moved = transfer_text(tr, stop)
    if moved:
        details.append(Paragraph(f"<b>{esc(moved)}</b>", st.body))
    org = snap.organizations.get(m.organization_id) if m.organization_id is not None else None
    if org is not None:
        details.append(Paragraph(f"<b>{esc(org.name)}</b>", st.body))
    if stop.place is not None and not moved:
        place = stop.place
        named = bool(place.name) and (org is None or place.name != org.name)
        lines = place_lines(tr, place, name=named)
        if lines:
            lines[0] = place_link(place, lines[0])
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
    times = f"{esc(clock(tr, m.start))} –<br/>{esc(clock(tr, m.end))}"
    qr_size = 0.8 * inch
    url = stop_qr_url(stop)
    right: list[Any] = []
    if url is not None:
        right = [QrCode(url, qr_size), Paragraph(esc(tr.gettext("Open in maps")), st.qr_caption)]
    title = Paragraph(esc(m.title), st.meeting_title)
    if stop.place is not None and url is not None:
        title = Paragraph(place_link(stop.place, esc(m.title)), st.meeting_title)
    table = Table(
        [
            [Paragraph(times, st.time), title, ""],
            [Paragraph(esc(number), st.small), details, right],
        ],
        colWidths=[1.3 * inch, width - 1.3 * inch - qr_size - 0.1 * inch, qr_size + 0.1 * inch],
        splitInRow=1,  # a meeting with pages of notes flows on; a short one stays whole
        repeatRows=1,  # and its time and title come again on the next page
    )
    table.setStyle(
        _table_style(
            ("LINEABOVE", (0, 0), (-1, 0), 0.6, RULE),
            ("TOPPADDING", (0, 0), (-1, 0), 5),
            ("TOPPADDING", (0, 1), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, 0), 1),
            ("BOTTOMPADDING", (0, 1), (-1, -1), 6),
            ("RIGHTPADDING", (2, 0), (2, -1), 0),
            ("SPAN", (1, 0), (2, 0)) if url is None else ("SPAN", (1, 0), (1, 0)),
        )
    )
    parts: list[Any] = legs_paragraphs(content, tr, st.leg, stop.groups, number=stop.number)
    parts.append(table)
    return KeepTogether(parts + (after or []))


def day_title(tr: Translator, day: dt.date) -> str:
    return capitalised(tr.format_date(day))


def day_heading(tr: Translator, day: DayItinerary, st: Styles) -> Bookmarked:
    title = day_title(tr, day.day)
    return Bookmarked(esc(title), st.h1, f"day-{day.day.isoformat()}", title)


def day_summary(tr: Translator, day: DayItinerary, st: Styles) -> Paragraph:
    count = len(day.stops)
    text = tr.ngettext(
        "{count} meeting; about {km} km and {minutes} min of travel.",
        "{count} meetings; about {km} km and {minutes} min of travel.",
        count,
    ).format(
        count=count,
        km=tr.format_decimal(day.travel_km, 1),
        minutes=tr.format_minutes(day.travel_minutes),
    )
    if day.rough:
        text = tr.gettext("{summary} Some of it is rough: an address is to be confirmed.").format(
            summary=text
        )
    return Paragraph(esc(tie(tr, text)), st.small)


def at_a_glance(
    content: ItineraryContent,
    tr: Translator,
    st: Styles,
    day: DayItinerary,
    problems: dict[int, list[str]],
) -> list[Any]:
    """One line per meeting: time, what, where, with whom, status."""
    header = [
        tr.gettext("Time"),
        tr.gettext("What"),
        tr.gettext("Where"),
        tr.gettext("With"),
        tr.gettext("Status"),
    ]
    data: list[list[Any]] = [[Paragraph(f"<b>{esc(h)}</b>", st.cell) for h in header]]
    for stop in day.stops:
        m = stop.meeting
        assert m.start is not None and m.end is not None
        where = ""
        if stop.place is not None:
            where = place_link(stop.place, esc(stop.place.label()))
            if stop.arrival is not None:
                where += " → " + esc(stop.arrival.label())
        who = _attendees(content, tr, m) or "—"
        status = esc(status_line(tr, m.kind, m.status))
        if m.status is MeetingStatus.PROPOSED:
            status += f'<br/><font color="#8a4b00"><b>{esc(tr.gettext(TO_BE_CONFIRMED))}</b></font>'
        if problems.get(m.id or 0):
            mark = esc(tr.gettext("⚠ See the problem"))
            status += f'<br/><font color="#b00020"><b>{mark}</b></font>'
        data.append(
            [
                Paragraph(esc(f"{clock(tr, m.start)} – {clock(tr, m.end)}"), st.cell),
                Paragraph(f"<b>{stop.number}.</b> {esc(m.title)}", st.cell),
                Paragraph(where, st.cell),
                Paragraph(esc(who), st.cell),
                Paragraph(status, st.cell),
            ]
        )
    table = Table(data, colWidths=["15%", "30%", "22%", "18%", "15%"], repeatRows=1)
    table.setStyle(
        _table_style(
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
            ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        )
    )
    title = tr.gettext("At a glance")
    return [Paragraph(esc(title), st.h2), table]


def day_section(
    content: ItineraryContent,
    tr: Translator,
    st: Styles,
    day: DayItinerary,
    width: float,
    day_map: Any | None = None,
    problems: dict[int, list[str]] | None = None,
) -> list[Any]:
    problems = problems or {}
    story: list[Any] = [PageBreak(), day_heading(tr, day, st), day_summary(tr, day, st)]
    if day_map is not None:
        legend = "\u00a0· ".join(f"<b>{esc(n)}</b> {esc(label)}" for n, label in day_map.legend)
        story += [
            Spacer(1, 6),
            KeepTogether([day_map, Spacer(1, 3), Paragraph(legend, st.small)]),
        ]
    story += at_a_glance(content, tr, st, day, problems)
    story += [PageBreak()]
    back = legs_paragraphs(content, tr, st.leg, day.returns, back=True)
    for stop in day.stops:  # the ways back stay with the last meeting: no page of them alone
        last = stop is day.stops[-1]
        story.append(
            meeting_block(
                content,
                tr,
                st,
                stop,
                width,
                problems.get(stop.meeting.id or 0),
                after=back if last else None,
            )
        )
    return story


# -- directory ----------------------------------------------------------------------------


def _directory_entry(tr: Translator, st: Styles, entry: DirectoryEntry) -> Any:
    parts: list[Any] = []
    org = entry.organization
    if org is not None:
        kind = tr.gettext(ORG_KIND_LABELS[org.kind])
        parts.append(Paragraph(f"<b>{esc(org.name)}</b>\u00a0· {esc(kind)}", st.body))
        lines = []
        if entry.place is not None:
            lines += place_lines(tr, entry.place, name=False)
        reach = [phone_link(org.phone, tr)] if org.phone else []
        reach += [email_link(org.email)] if org.email else []
        reach += [esc(org.website)] if org.website else []
        if reach:
            lines.append("\u00a0· ".join(reach))
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
