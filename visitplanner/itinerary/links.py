"""The itinerary's links: places open in a maps app (by name and coordinates), phones are
``tel:`` and emails ``mailto:`` links; and escaping user text for paragraph markup."""

from __future__ import annotations

from xml.sax.saxutils import escape

from visitplanner.i18n import Translator
from visitplanner.model import Place


def esc(text: str) -> str:
    """User text made safe for paragraph markup (line breaks kept)."""
    return escape(text).replace("\n", "<br/>")


def esc_nobreak(text: str) -> str:
    """Escaped text that never wraps inside (a phone number)."""
    return escape(text).replace(" ", "\u00a0")


def tel_uri(number: str) -> str:
    """'tel:+16175550123' (';ext=45' for an extension) from a phone as written."""
    import re

    import phonenumbers

    parts = re.split(r"\s*\b(?:ext\.?|x|poste)\s*|\s*#\s*", number, maxsplit=1, flags=re.I)
    main = parts[0]
    if len(re.sub(r"\D", "", main)) < 7:  # 911, 112: dialled as written
        return "tel:" + re.sub(r"[^\d+]", "", main)
    extension = re.sub(r"\D", "", parts[1]) if len(parts) > 1 else ""
    try:
        parsed = phonenumbers.parse(main, "US")
        uri = "tel:" + phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        uri = "tel:" + "".join(ch for ch in main if ch.isdigit() or ch == "+")
    return uri + (f";ext={extension}" if extension else "")


def phone_link(number: str, tr: Translator | None = None) -> str:
    """A phone number as a tappable ``tel:`` link that never wraps (but before "ext."), its
    extension written in ``tr``'s language ("poste 204" in French)."""
    import re

    from visitplanner.exchange.phones import shown_phone

    shown = shown_phone(number.strip(), tr)
    parts = re.split(r"\s+(?=(?:ext|x|poste|#)\b)", shown, maxsplit=1, flags=re.I)
    text = " ".join(esc_nobreak(p) for p in parts)
    return f'<a href="{escape(tel_uri(number), {chr(34): "&quot;"})}">{text}</a>'


def email_link(address: str) -> str:
    from urllib.parse import quote

    href = escape("mailto:" + quote(address.strip(), safe="@.+-_"), {chr(34): "&quot;"})
    return f'<a href="{href}">{esc(address)}</a>'


_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_PHONE = r"\+?\d[\d ().-]{6,}\d"


def linkify(text: str) -> str:
    """Free text (an organizer, an emergency line) escaped, its emails and phones links."""
    import re

    out, last = [], 0
    for match in re.finditer(f"({_EMAIL})|({_PHONE})", text):
        out.append(esc(text[last : match.start()]))
        value = match.group(0)
        out.append(email_link(value) if match.group(1) else phone_link(value))
        last = match.end()
    out.append(esc(text[last:]))
    return "".join(out)


def maps_url(place: Place) -> str | None:
    """A link that opens the place in a maps app by its name and its coordinates: the name
    (and address) is the search, the coordinates (``ll``) where it is looked for."""
    from urllib.parse import quote

    if place.lat is None or place.lon is None:
        return None
    query = ", ".join(p for p in (place.name, place.address()) if p)
    if not query:
        query = f"{place.lat:.6f},{place.lon:.6f}"
    return f"https://maps.google.com/?q={quote(query, safe=',')}&ll={place.lat:.6f},{place.lon:.6f}"


def place_link(place: Place, text: str) -> str:
    """``text`` (escaped markup) as a link to the place in a maps app, when it can be."""
    url = maps_url(place) if not place.approximate else None
    if url is None:
        return text
    return f'<a href="{escape(url, {chr(34): "&quot;"})}" color="#1f3f66">{text}</a>'
