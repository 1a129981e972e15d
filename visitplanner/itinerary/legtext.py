"""The ways between stops in words: one line per group of delegates who travel together
(named in the master when a stop's attendees come apart), the way back to the hotel."""

from __future__ import annotations

from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from visitplanner.geo.travel import SAME_POINT_KM
from visitplanner.i18n import Translator
from visitplanner.itinerary.content import GroupLeg, ItineraryContent, _sort_name
from visitplanner.itinerary.links import esc
from visitplanner.itinerary.typography import starts_with_vowel, tie
from visitplanner.model import MODE_LABELS
from visitplanner.planning.dayplan import rough_between, same_place


def _from(tr: Translator, template: str, origin: str, **values: Any) -> str:
    """A "From {origin}: …" sentence, French "De" elided before a vowel (D'Hôtel-Dieu)."""
    text = tr.gettext(template)
    if tr.language == "fr" and starts_with_vowel(origin):
        text = text.replace("De {origin}", "D\u2019{origin}")
    return tie(tr, text.format(origin=origin, **values))


def group_names(content: ItineraryContent, tr: Translator, group: GroupLeg) -> str:
    delegates = content.snapshot.delegates
    names = [delegates[d].name for d in group.delegate_ids if d in delegates]
    if len(names) == len(delegates) and len(names) > 2:
        return tr.gettext("The whole delegation ({count})").format(count=len(names))
    return ", ".join(sorted(names, key=_sort_name))


def _origin_name(tr: Translator, group: GroupLeg) -> str:
    name = group.origin.label() if group.origin is not None else ""
    if group.from_hotel:
        return tr.gettext("the hotel, {place}").format(place=name)
    if group.origin_stop is not None:
        return tr.gettext("stop {number}, {place}").format(number=group.origin_stop, place=name)
    return name


def group_leg_text(
    tr: Translator, group: GroupLeg, *, back: bool = False, number: int | None = None
) -> str | None:
    """One group's way to a stop (``back``: to its hotel), in words; None: nothing to say."""
    leg, origin, destination = group.leg, group.origin, group.destination
    if origin is None or (destination is None and leg is None):
        return None  # free time, a meeting not placed yet: no way to go there
    if back:
        return _back_text(tr, group)
    name = _origin_name(tr, group)
    if group.same_place and (leg is None or leg.estimated):
        if group.from_hotel:
            return tr.gettext("At the hotel.")
        if group.origin_stop is not None and (number is None or group.origin_stop != number - 1):
            return tr.gettext("Same place as stop {number}.").format(number=group.origin_stop)
        return tr.gettext("Same place as the previous stop.")
    if leg is None:
        if group.rough:  # two approximate points that coincide: not one building
            return _from(tr, "From {origin}: travel time unknown (address to be confirmed).", name)
        return tie(
            tr, tr.gettext("Travel from {origin}: unknown (no coordinates).").format(origin=name)
        )
    values = {
        "mode": tr.gettext(MODE_LABELS[leg.mode]).lower(),
        "km": tr.format_decimal(leg.distance_km, 1),
        "minutes": tr.format_minutes(leg.minutes),
    }
    if not leg.estimated:
        return _from(
            tr, "From {origin}: {mode}, {km} km, {minutes} min (set by hand).", name, **values
        )
    if leg.rough:
        return _from(
            tr,
            "From {origin}: {mode}, about {km} km and about {minutes} min (rough: address to "
            "be confirmed).",
            name,
            **values,
        )
    return _from(tr, "From {origin}: {mode}, {km} km, about {minutes} min.", name, **values)


def _back_text(tr: Translator, group: GroupLeg) -> str | None:
    """The way back to the hotel at the end of a day, or None (none, or already there)."""
    back, origin, hotel = group.leg, group.origin, group.destination
    if origin is None or hotel is None or same_place(origin, hotel):
        return None
    hotel_name = hotel.label()
    if back is None:
        if rough_between(origin, hotel):
            return tie(
                tr,
                tr.gettext("Back to the hotel: travel time unknown (address to be confirmed)."),
            )
        return None
    if back.distance_km < SAME_POINT_KM and not back.rough:
        return None
    values = {
        "mode": tr.gettext(MODE_LABELS[back.mode]).lower(),
        "km": tr.format_decimal(back.distance_km, 1),
        "minutes": tr.format_minutes(back.minutes),
        "hotel": hotel_name,
    }
    if back.rough:
        text = tr.gettext(
            "Back to the hotel: {mode}, about {km} km and about {minutes} min (rough: address "
            "to be confirmed)."
        )
    else:
        text = tr.gettext("Back to the hotel, {hotel}: {mode}, {km} km, about {minutes} min.")
    return tie(tr, text.format(**values))


def legs_paragraphs(
    content: ItineraryContent,
    tr: Translator,
    style: ParagraphStyle,
    groups: tuple[GroupLeg, ...] | list[GroupLeg],
    *,
    back: bool = False,
    number: int | None = None,
) -> list[Any]:
    """One line per group: in the master, named when the attendees came apart."""
    lines = []
    named = content.delegate is None and len(groups) > 1
    for group in groups:
        text = group_leg_text(tr, group, back=back, number=number)
        if text is None:
            continue
        if named:
            text = tr.gettext("{names} — {leg}").format(
                names=group_names(content, tr, group), leg=text
            )
        lines.append(Paragraph(esc(("↩ " if back else "↓ ") + text), style))
    return lines
