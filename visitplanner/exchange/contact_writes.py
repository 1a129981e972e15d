"""What a contact import writes, entry by entry: the plan its dry run prints and its apply
step stores (:mod:`visitplanner.exchange.contact_import`)."""

from __future__ import annotations

from dataclasses import dataclass

from visitplanner.model import Place

PLACE_FIELDS = ("street", "city", "region", "postal_code", "country")


@dataclass(frozen=True)
class Write:
    """One thing the import stores, as it will be stored: a person, or an organization
    (``is_organization``: a company card). A person's row whose organization is not in the
    directory creates it (``new_organization``) with the row's website and address."""

    line: int
    is_organization: bool
    organization: str
    new_organization: bool
    given_name: str = ""
    family_name: str = ""
    title: str = ""
    email: str = ""
    phone: str = ""
    mobile: str = ""
    website: str = ""
    language: str = ""
    notes: str = ""
    address: Place | None = None

    def to_json(self) -> dict[str, object]:
        address = self.address
        return {
            "line": self.line,
            "is_organization": self.is_organization,
            "given_name": self.given_name,
            "family_name": self.family_name,
            "title": self.title,
            "organization": self.organization,
            "new_organization": self.new_organization,
            "email": self.email,
            "phone": self.phone,
            "mobile": self.mobile,
            "website": self.website,
            "language": self.language,
            "notes": self.notes,
            "address": None
            if address is None
            else {name: getattr(address, name) for name in PLACE_FIELDS},
        }


def site_key(url: str) -> str:
    """What two spellings of one web address have in common ("https://x.ca/" and "x.ca")."""
    key = url.strip().casefold().removeprefix("https://").removeprefix("http://")
    return key.removeprefix("www.").rstrip("/")
