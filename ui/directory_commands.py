"""Undo commands of the directory: each calls one core function and holds ids and values.

Deleted records come back under their own ids (the core restores them), so other commands
that remember a contact or an organization by id stay valid.
"""

from __future__ import annotations

import dataclasses

from ui.undo import Edit, EditContext
from visitplanner import directory_ops
from visitplanner.exchange.contact_import import ImportReport, apply_import, undo_import
from visitplanner.exchange.tripfile import TripImport, merge_trip, undo_trip_import
from visitplanner.exchange.tripfile_reader import TripFile
from visitplanner.library import directory
from visitplanner.model import Contact, Organization


class ContactEdit(Edit):
    """Create (``before`` None), change, or delete (``after`` None) one contact."""

    def __init__(
        self, ctx: EditContext, text: str, before: Contact | None, after: Contact | None
    ) -> None:
        super().__init__(ctx, text)
        self.before, self.after = before, after
        self.contact_id: int | None = before.id if before else None
        self._deleted: directory_ops.DeletedContact | None = None

    def forward(self) -> None:
        lib = self.ctx.library
        if self.before is None and self.after is not None:
            if self._deleted is None:
                self.contact_id = directory.add_contact(lib, self.after)
                self._deleted = directory_ops.DeletedContact(
                    dataclasses.replace(self.after, id=self.contact_id), ()
                )
            else:
                directory_ops.restore_contact(lib, self._deleted)
        elif self.after is None:
            assert self.contact_id is not None
            self._deleted = directory_ops.delete_contact(lib, self.contact_id)
        else:
            directory.update_contact(lib, self.after)

    def backward(self) -> None:
        lib = self.ctx.library
        if self.before is None:
            assert self.contact_id is not None
            self._deleted = directory_ops.delete_contact(lib, self.contact_id)
        elif self.after is None:
            assert self._deleted is not None
            directory_ops.restore_contact(lib, self._deleted)
        else:
            directory.update_contact(lib, self.before)


class OrganizationEdit(Edit):
    """Create (``before`` None), change, or delete (``after`` None) one organization."""

    def __init__(
        self,
        ctx: EditContext,
        text: str,
        before: Organization | None,
        after: Organization | None,
    ) -> None:
        super().__init__(ctx, text)
        self.before, self.after = before, after
        self.org_id: int | None = before.id if before else None
        self._deleted: directory_ops.DeletedOrganization | None = None

    def forward(self) -> None:
        lib = self.ctx.library
        if self.before is None and self.after is not None:
            if self._deleted is None:
                self.org_id = directory.add_organization(lib, self.after)
                self._deleted = directory_ops.DeletedOrganization(
                    dataclasses.replace(self.after, id=self.org_id), (), ()
                )
            else:
                directory_ops.restore_organization(lib, self._deleted)
        elif self.after is None:
            assert self.org_id is not None
            self._deleted = directory_ops.delete_organization(lib, self.org_id)
        else:
            directory.update_organization(lib, self.after)

    def backward(self) -> None:
        lib = self.ctx.library
        if self.before is None:
            assert self.org_id is not None
            self._deleted = directory_ops.delete_organization(lib, self.org_id)
        elif self.after is None:
            assert self._deleted is not None
            directory_ops.restore_organization(lib, self._deleted)
        else:
            directory.update_organization(lib, self.before)


class MergeContacts(Edit):
    def __init__(self, ctx: EditContext, text: str, keep_id: int, drop_id: int) -> None:
        super().__init__(ctx, text)
        self.keep_id, self.drop_id = keep_id, drop_id
        self._merge: directory_ops.ContactMerge | None = None

    def forward(self) -> None:
        self._merge = directory_ops.merge_contacts(self.ctx.library, self.keep_id, self.drop_id)

    def backward(self) -> None:
        assert self._merge is not None
        directory_ops.unmerge_contacts(self.ctx.library, self._merge)


class MergeOrganizations(Edit):
    def __init__(self, ctx: EditContext, text: str, keep_id: int, drop_id: int) -> None:
        super().__init__(ctx, text)
        self.keep_id, self.drop_id = keep_id, drop_id
        self._merge: directory_ops.OrganizationMerge | None = None

    def forward(self) -> None:
        self._merge = directory_ops.merge_organizations(
            self.ctx.library, self.keep_id, self.drop_id
        )

    def backward(self) -> None:
        assert self._merge is not None
        directory_ops.unmerge_organizations(self.ctx.library, self._merge)


class ImportContacts(Edit):
    """All the rows of one confirmed import: one step to undo."""

    def __init__(self, ctx: EditContext, text: str, report: ImportReport) -> None:
        super().__init__(ctx, text)
        self.report = report

    def forward(self) -> None:
        apply_import(self.ctx.library, self.report)

    def backward(self) -> None:
        undo_import(self.ctx.library, self.report)


class ImportTrip(Edit):
    """A trip file merged in: undo removes the trip and what the import added.

    The file was read and checked off the GUI thread (``read_trip_file``); this command
    only merges what was read, in one transaction, and redo merges it again.
    """

    def __init__(self, ctx: EditContext, text: str, content: TripFile) -> None:
        super().__init__(ctx, text)
        self.content = content
        self.result: TripImport | None = None

    def forward(self) -> None:
        self.result = merge_trip(self.ctx.library, self.content)

    def backward(self) -> None:
        assert self.result is not None
        undo_trip_import(self.ctx.library, self.result)
