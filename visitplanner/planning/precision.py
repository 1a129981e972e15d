"""How sure a place is, in words: the texts every list, output and tooltip shares.

The rule itself is :attr:`visitplanner.model.Place.approximate` (street, postal or city
precision: the point is not the building); this module only says it, the same way in the
command line, the app's lists and the printed itineraries.
"""

from __future__ import annotations

from visitplanner.i18n import Translator, current
from visitplanner.model import PRECISION_LABELS, Place, Precision, is_approximate


def address_to_confirm(tr: Translator | None = None) -> str:
    """The words that follow an approximate place's address ("address to be confirmed")."""
    return (tr or current()).gettext("address to be confirmed")


def place_text(place: Place, tr: Translator | None = None, *, text: str | None = None) -> str:
    """``text`` (the place's label by default) followed by "address to be confirmed" when the
    place is approximate: 'Atlantic Avenue Ventures · address to be confirmed'."""
    tr = tr or current()
    shown = place.label() if text is None else text
    if not place.approximate:
        return shown
    if not shown:
        return address_to_confirm(tr)
    return tr.gettext("{place} · address to be confirmed").format(place=shown)


def precision_text(precision: Precision | None, tr: Translator | None = None) -> str:
    """A tooltip line giving a place's precision word, and why it matters when it is
    approximate: 'Located to: City. The point is not the building: address to be confirmed.'"""
    tr = tr or current()
    if precision is None:
        return tr.gettext("Located to: unknown.")
    word = tr.gettext(PRECISION_LABELS[precision])
    if is_approximate(precision):
        return tr.gettext(
            "Located to: {precision}. The point is not the building: address to be confirmed."
        ).format(precision=word)
    return tr.gettext("Located to: {precision}.").format(precision=word)
