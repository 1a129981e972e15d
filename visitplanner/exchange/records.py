"""What a contact file says about one person or company, before it meets the library."""

from __future__ import annotations

from dataclasses import dataclass, field

from visitplanner.i18n import N_
from visitplanner.model import Place

# Fields a column of a contact file can fill, with their labels (translated at display).
FIELDS: dict[str, str] = {
    "given_name": N_("Given name"),
    "family_name": N_("Family name"),
    "full_name": N_("Full name"),
    "organization": N_("Organization"),
    "title": N_("Title"),
    "email": N_("Email"),
    "phone": N_("Phone"),
    "mobile": N_("Mobile"),
    "language": N_("Language"),
    "notes": N_("Notes"),
    "website": N_("Website"),
    "street": N_("Street"),
    "city": N_("City"),
    "region": N_("Province or state"),
    "postal_code": N_("Postal code"),
    "country": N_("Country"),
}

FORMAT_LABELS: dict[str, str] = {
    "google_csv": N_("Google Contacts CSV"),
    "outlook_csv": N_("Outlook CSV"),
    "excel_csv": N_("Excel CSV (semicolons)"),
    "linkedin_csv": N_("LinkedIn connections (CSV)"),
    "thunderbird_csv": N_("Thunderbird CSV"),
    "csv": N_("CSV"),
    "xlsx": N_("Excel workbook (.xlsx)"),
    "vcard_2.1": N_("vCard 2.1"),
    "vcard_3.0": N_("vCard 3.0"),
    "vcard_4.0": N_("vCard 4.0"),
}


@dataclass(frozen=True)
class RowNote:
    """A remark about one row (``line`` is where it starts in the file, 1-based)."""

    line: int
    reason: str

    def to_json(self) -> dict[str, object]:
        return {"line": self.line, "reason": self.reason}


@dataclass
class ContactRecord:
    line: int
    given_name: str = ""
    family_name: str = ""
    organization: str = ""
    title: str = ""
    email: str = ""
    phone: str = ""
    mobile: str = ""
    language: str = ""
    notes: str = ""
    website: str = ""
    address: Place | None = None
    is_organization: bool = False  # a company card: becomes an organization, not a contact
    extra: list[str] = field(default_factory=list)  # values kept in notes (second emails...)

    @property
    def name(self) -> str:
        if self.is_organization:
            return self.organization
        return " ".join(p for p in (self.given_name, self.family_name) if p)

    def to_json(self) -> dict[str, object]:
        return {
            "given_name": self.given_name,
            "family_name": self.family_name,
            "organization": self.organization,
            "title": self.title,
            "email": self.email,
            "phone": self.phone,
        }
