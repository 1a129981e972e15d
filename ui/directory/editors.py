"""Dialogs that edit one organization or one contact. They hold no logic of their own:
phones and emails are checked by the core (visitplanner.exchange.phones) and flagged in
red while the user types; a value that does not parse can still be saved, flagged."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ui.shell.choice import RecordCombo
from ui.shell.forms import ValidatingDialog
from ui.shell.place_field import PlaceField
from visitplanner.errors import InputError
from visitplanner.exchange.phones import Checked, check_email, check_phone, shown_phone
from visitplanner.i18n import _
from visitplanner.library import Library, directory
from visitplanner.model import ORG_KIND_LABELS, Contact, Organization, OrgKind, Place

INVALID_STYLE = "QLineEdit { background: #fde8e8; border: 1px solid #c0392b; }"


class CheckedField(QLineEdit):
    """A line edit for a phone or an email: reformatted when left, flagged while invalid."""

    def __init__(self, kind: str, text: str = "") -> None:
        super().__init__(shown_phone(text) if kind == "phone" else text)
        self.kind = kind
        self.editingFinished.connect(self.tidy)
        self.textChanged.connect(self.flag)
        self.flag()

    def checked(self) -> Checked:
        return check_phone(self.text()) if self.kind == "phone" else check_email(self.text())

    def flag(self) -> None:
        problem = self.checked().problem
        self.setStyleSheet(INVALID_STYLE if problem else "")
        self.setToolTip(problem)
        self.setProperty("invalid", bool(problem))

    def tidy(self) -> None:
        value = self.checked().value
        if self.kind == "phone":
            value = shown_phone(value)  # "poste 204" in French; stored as "ext. 204"
        if value != self.text():
            self.setText(value)


class _Dialog(ValidatingDialog):
    """A form above the error sentence and the buttons."""

    def __init__(self, parent: QWidget | None, title: str) -> None:
        super().__init__(parent, title)
        self.setMinimumWidth(460)
        self.form = QFormLayout()
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)


class OrganizationDialog(_Dialog):
    def __init__(
        self,
        parent: QWidget | None,
        library: Library,
        org: Organization,
        region: str | None = None,
    ) -> None:
        """``region`` ("boston", "quebec"): the current trip's, to settle an ambiguous
        place name."""
        title = _("Edit Organization") if org.id else _("New Organization")
        super().__init__(parent, title)
        self.original = org
        self.name = QLineEdit(org.name)
        self.kind = QComboBox()
        for kind in OrgKind:
            self.kind.addItem(_(ORG_KIND_LABELS[kind]), kind.value)
        self.kind.setCurrentIndex(self.kind.findData(org.kind.value))
        self.website = QLineEdit(org.website)
        self.phone = CheckedField("phone", org.phone)
        self.email = CheckedField("email", org.email)
        self.place = PlaceField(
            library,
            org.place_id,
            empty_text=_("No place yet: type a name or an address"),
            region=lambda: region,
        )
        # A late online answer is dropped once the dialog is closed (its library may be too).
        self.finished.connect(lambda _result: self.place.close_lookups())
        self.tags = QLineEdit(", ".join(org.tags))
        self.tags.setPlaceholderText(_("comma-separated, e.g. oncology, host 2024"))
        self.notes = QPlainTextEdit(org.notes)
        self.notes.setFixedHeight(80)
        self.form.addRow(_("&Name:"), self.name)
        self.form.addRow(_("&Kind:"), self.kind)
        self.form.addRow(_("&Website:"), self.website)
        self.form.addRow(_("&Phone:"), self.phone)
        self.form.addRow(_("&Email:"), self.email)
        label = QLabel(_("Pl&ace:"))
        label.setBuddy(self.place.edit)
        self.form.addRow(label, self.place)
        self.form.addRow(_("&Tags:"), self.tags)
        self.form.addRow(_("N&otes:"), self.notes)

    def validate(self) -> None:
        if not self.name.text().strip():
            raise InputError(_("An organization needs a name."))
        self.place.place_id()  # a place typed but not chosen: say so

    def place_to_add(self) -> Place | None:
        """The place found by geocoding, not in the library yet (stored with the
        organization, one undo step)."""
        return self.place.place_to_add()

    def value(self) -> Organization:
        return Organization(
            name=self.name.text().strip(),
            kind=OrgKind(self.kind.currentData()),
            website=self.website.text().strip(),
            phone=self.phone.checked().value,
            email=self.email.checked().value,
            notes=self.notes.toPlainText().strip(),
            place_id=self.place.place_id(),
            tags=[t.strip() for t in self.tags.text().split(",") if t.strip()],
            cancelled=self.original.cancelled,
            id=self.original.id,
        )


class ContactDialog(_Dialog):
    def __init__(self, parent: QWidget | None, library: Library, contact: Contact) -> None:
        title = _("Edit Contact") if contact.id else _("New Contact")
        super().__init__(parent, title)
        self.original = contact
        self.given = QLineEdit(contact.given_name)
        self.family = QLineEdit(contact.family_name)
        self.title = QLineEdit(contact.title)
        self.organization = RecordCombo(_("(no organization)"))
        organizations = directory.organizations(library).items()
        for org_id, org in sorted(organizations, key=lambda item: item[1].name.casefold()):
            self.organization.add(org.name, org_id)
        self.organization.set_record(contact.organization_id)
        self.email = CheckedField("email", contact.email)
        self.phone = CheckedField("phone", contact.phone)
        self.mobile = CheckedField("phone", contact.mobile)
        self.language = QComboBox()
        self.language.addItem(_("(not set)"), "")
        self.language.addItem("English", "en")
        self.language.addItem("Français", "fr")
        self.language.setCurrentIndex(max(0, self.language.findData(contact.language)))
        self.notes = QPlainTextEdit(contact.notes)
        self.notes.setFixedHeight(80)
        self.form.addRow(_("&Given name:"), self.given)
        self.form.addRow(_("&Family name:"), self.family)
        self.form.addRow(_("&Title:"), self.title)
        self.form.addRow(_("&Organization:"), self.organization)
        self.form.addRow(_("&Email:"), self.email)
        self.form.addRow(_("&Phone:"), self.phone)
        self.form.addRow(_("&Mobile:"), self.mobile)
        self.form.addRow(_("Preferred &language:"), self.language)
        self.form.addRow(_("&Notes:"), self.notes)

    def validate(self) -> None:
        if not (self.given.text().strip() or self.family.text().strip()):
            raise InputError(_("A contact needs a given or family name."))
        self._organization_id()

    def _organization_id(self) -> int | None:
        return self.organization.record_id(
            _("“{text}” is not one of the directory's organizations.")
        )

    def value(self) -> Contact:
        return Contact(
            given_name=self.given.text().strip(),
            family_name=self.family.text().strip(),
            title=self.title.text().strip(),
            organization_id=self._organization_id(),
            email=self.email.checked().value,
            phone=self.phone.checked().value,
            mobile=self.mobile.checked().value,
            language=self.language.currentData() or "",
            notes=self.notes.toPlainText().strip(),
            id=self.original.id,
        )
