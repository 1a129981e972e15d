"""The paper an itinerary is printed and exported on by default: US Letter where it is the
usual paper (North America and a few neighbours), A4 everywhere else. One rule for Print,
Print Preview and Export, so that they agree."""

from __future__ import annotations

# Territories (ISO 3166) whose usual paper is US Letter.
LETTER_TERRITORIES = frozenset(
    {"US", "CA", "MX", "PR", "GT", "SV", "HN", "NI", "CR", "PA", "DO", "CO", "VE", "CL", "PH"}
)


def default_paper(locale_name: str | None) -> str:
    """ "letter" or "a4" for a locale such as "fr_CA", "en-GB" or "de_DE.UTF-8"; a locale
    naming no territory ("C", "fr") gives Letter, the paper of the missions' two ends."""
    if not locale_name:
        return "letter"
    base = locale_name.split(".")[0].split("@")[0].replace("-", "_")
    parts = base.split("_")
    territory = parts[-1].upper() if len(parts) > 1 else ""
    if not territory:
        return "letter"
    return "letter" if territory in LETTER_TERRITORIES else "a4"
