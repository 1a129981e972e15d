"""Phone numbers and email addresses: the one place that says whether one is valid.

Every door calls these checks: the delegate and directory dialogs, the directory table, the
contact import (and so ``import contacts`` on the command line). An import keeps a value that
does not parse as typed and flags it, never drops it; a dialog says why and lets the user fix it.

Phone numbers go through the phonenumbers library (imported lazily): North American by
default, extensions written "ext.", "x", "poste" or "p." are rewritten to "ext." first
because the library only knows the English forms.

Email addresses go through the email-validator library (imported lazily), for the syntax
only: no DNS look-up, so the check is the same offline. It accepts internationalized
addresses (RFC 6531: "zoë@université.ca") and refuses a domain without a dot ("ana@localhost"),
special-use domains ("ana@printer.local"), two dots in a row, spaces, quoted local parts and
display names ("Ana <ana@example.com>"). A leading ``mailto:`` is removed first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from visitplanner.i18n import Translator, _, current

DEFAULT_REGION = "US"  # +1: the United States and Canada share the numbering plan

_EXTENSION = re.compile(
    r"\s*(?:,|;)?\s*(?:\bposte\b|\bposte\.|\bp\.|\bext\b\.?|\bextension\b|\bx\b|#)\s*(\d{1,6})\s*$",
    re.IGNORECASE,
)
# The display form check_phone gives a North American number: trusted without re-parsing
# where speed matters (a table repainting while the user types).
DISPLAY_FORM = re.compile(r"^\+1 \d{3}-\d{3}-\d{4}(?: ext\. \d{1,6})?$")


@dataclass(frozen=True)
class Checked:
    """A value as it should be stored, and why it is flagged (empty when it is fine)."""

    value: str
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


def _rewrite_extension(text: str) -> str:
    match = _EXTENSION.search(text)
    if match is None:
        return text
    return f"{text[: match.start()].rstrip()} ext. {match.group(1)}"


def check_phone(text: str, region: str = DEFAULT_REGION) -> Checked:
    """``text`` in the display format ("+1 514-555-0142 ext. 204") or flagged as typed."""
    import phonenumbers

    raw = " ".join(text.split())
    if not raw:
        return Checked("")
    candidate = _rewrite_extension(raw)
    if candidate.startswith("00"):
        candidate = "+" + candidate[2:]
    try:
        number = phonenumbers.parse(candidate, region)
    except phonenumbers.NumberParseException:
        return Checked(raw, _("“{value}” is not a phone number.").format(value=raw))
    if not phonenumbers.is_valid_number(number):
        return Checked(raw, _("“{value}” is not a valid phone number.").format(value=raw))
    formatted = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return Checked(formatted)


def shown_phone(value: str, tr: Translator | None = None) -> str:
    """A stored number as a person reads it in ``tr``'s language (the current one): the
    extension is "ext. 204" in English and "poste 204" in French. What is stored keeps
    "ext." (the form the phonenumbers library reads); both forms read back the same."""
    if " ext. " not in value:
        return value
    word = (tr or current()).gettext("ext.")
    return value.replace(" ext. ", f" {word} ")


def format_phone(text: str) -> str:
    """The display form of ``text``, or ``text`` unchanged when it does not parse."""
    return check_phone(text).value


def check_email(text: str) -> Checked:
    """``text`` trimmed (``mailto:`` removed) or flagged when it is not an address."""
    value = text.strip()
    if value.lower().startswith("mailto:"):
        value = value[7:].strip()
    if not value:
        return Checked("")
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return Checked(value, _("“{value}” is not a valid email address.").format(value=value))
    return Checked(value)


def email_key(text: str) -> str:
    """What two spellings of one address have in common, for finding a person again
    ("Ana@Example.com" and "mailto:ana@example.com")."""
    value = text.strip()
    if value.lower().startswith("mailto:"):
        value = value[7:]
    return value.strip().casefold()
