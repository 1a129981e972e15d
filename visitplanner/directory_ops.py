"""Directory edits that touch several records: delete with references, restore, merge.

Each function is one transaction. Deleting returns what is needed to put the record back
exactly (same id, same links), so an undo restores meetings' hosts and organizations too.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from visitplanner.errors import InputError
from visitplanner.i18n import _
from visitplanner.library import Library, directory
from visitplanner.library.directory import (
    _CONTACT_COLUMNS,
    _ORG_COLUMNS,
    _contact_values,
    _json_ids,
    _org_values,
    _set_tags,
)
from visitplanner.library.rows import insert_row
from visitplanner.model import Contact, Organization


@dataclass(frozen=True)
class DeletedContact:
    contact: Contact
    host_of: tuple[int, ...]  # meetings where the contact was a host


@dataclass(frozen=True)
class DeletedOrganization:
    organization: Organization
    contact_ids: tuple[int, ...]
    meeting_ids: tuple[int, ...]


@dataclass(frozen=True)
class ContactMerge:
    kept_before: Contact
    kept_hosts: tuple[int, ...]  # meetings the kept contact hosted before the merge
    dropped: DeletedContact


@dataclass(frozen=True)
class OrganizationMerge:
    kept_before: Organization
    dropped: DeletedOrganization


def meetings_hosted_by(lib: Library, contact_id: int) -> list[int]:
    rows = lib.query("SELECT meeting_id FROM meeting_host WHERE contact_id = ?", (contact_id,))
    return sorted(r[0] for r in rows)


def meetings_with_organization(lib: Library, org_id: int) -> list[int]:
    rows = lib.query("SELECT id FROM meeting WHERE organization_id = ?", (org_id,))
    return sorted(r[0] for r in rows)


def delete_contact(lib: Library, contact_id: int) -> DeletedContact:
    deleted = DeletedContact(
        directory.get_contact(lib, contact_id), tuple(meetings_hosted_by(lib, contact_id))
    )
    directory.delete_contact(lib, contact_id)
    return deleted


def restore_contact(lib: Library, deleted: DeletedContact) -> None:
    """Put a deleted contact back under its id, host of the same meetings."""
    c = deleted.contact
    with lib.write() as changes:
        insert_row(lib, "contact", _CONTACT_COLUMNS, _contact_values(c), row_id=c.id)
        lib.db.execute(
            "INSERT OR IGNORE INTO meeting_host (meeting_id, contact_id) "
            "SELECT value, ? FROM json_each(?) WHERE value IN (SELECT id FROM meeting)",
            (c.id, _json_ids(list(deleted.host_of))),
        )
        changes.add("contact", c.id or 0)
        changes.add("meeting", list(deleted.host_of))


def delete_organization(lib: Library, org_id: int) -> DeletedOrganization:
    contacts = lib.query("SELECT id FROM contact WHERE organization_id = ?", (org_id,))
    deleted = DeletedOrganization(
        directory.get_organization(lib, org_id),
        tuple(sorted(r[0] for r in contacts)),
        tuple(meetings_with_organization(lib, org_id)),
    )
    directory.delete_organization(lib, org_id)
    return deleted


def restore_organization(lib: Library, deleted: DeletedOrganization) -> None:
    o = deleted.organization
    with lib.write() as changes:
        insert_row(lib, "organization", _ORG_COLUMNS, _org_values(o), row_id=o.id)
        assert o.id is not None
        _set_tags(lib, o.id, o.tags)
        lib.db.execute(
            "UPDATE contact SET organization_id = ? WHERE id IN (SELECT value FROM json_each(?))",
            (o.id, _json_ids(list(deleted.contact_ids))),
        )
        lib.db.execute(
            "UPDATE meeting SET organization_id = ? WHERE id IN (SELECT value FROM json_each(?))",
            (o.id, _json_ids(list(deleted.meeting_ids))),
        )
        changes.add("organization", o.id)
        changes.add("contact", list(deleted.contact_ids))
        changes.add("meeting", list(deleted.meeting_ids))


def _filled(keep: object, drop: object, fields: tuple[str, ...]) -> dict[str, object]:
    """Values of ``drop`` for the fields ``keep`` leaves empty."""
    return {f: getattr(drop, f) for f in fields if not getattr(keep, f) and getattr(drop, f)}


def merge_contacts(lib: Library, keep_id: int, drop_id: int) -> ContactMerge:
    """Fold contact ``drop_id`` into ``keep_id``: empty fields filled, meetings moved."""
    if keep_id == drop_id:
        raise InputError(_("Choose two different contacts to merge."))
    keep = directory.get_contact(lib, keep_id)
    drop = directory.get_contact(lib, drop_id)
    fields = ("title", "organization_id", "email", "phone", "mobile", "language")
    merged = replace(keep, **_filled(keep, drop, fields))  # type: ignore[arg-type]
    if drop.notes and drop.notes not in keep.notes:
        merged.notes = f"{keep.notes}\n{drop.notes}".strip()
    kept_hosts = tuple(meetings_hosted_by(lib, keep_id))
    with lib.write():
        dropped = delete_contact(lib, drop_id)
        lib.db.execute(
            "INSERT OR IGNORE INTO meeting_host (meeting_id, contact_id) "
            "SELECT value, ? FROM json_each(?)",
            (keep_id, _json_ids(list(dropped.host_of))),
        )
        directory.update_contact(lib, merged)
    return ContactMerge(keep, kept_hosts, dropped)


def unmerge_contacts(lib: Library, merge: ContactMerge) -> None:
    with lib.write():
        keep_id = merge.kept_before.id or 0
        was_host = set(meetings_hosted_by(lib, keep_id)) - set(merge.kept_hosts)
        lib.db.execute(
            "DELETE FROM meeting_host WHERE contact_id = ? "
            "AND meeting_id IN (SELECT value FROM json_each(?))",
            (keep_id, _json_ids(sorted(was_host))),
        )
        directory.update_contact(lib, merge.kept_before)
        restore_contact(lib, merge.dropped)


def merge_organizations(lib: Library, keep_id: int, drop_id: int) -> OrganizationMerge:
    """Fold organization ``drop_id`` into ``keep_id``: its contacts and meetings move over."""
    if keep_id == drop_id:
        raise InputError(_("Choose two different organizations to merge."))
    keep = directory.get_organization(lib, keep_id)
    drop = directory.get_organization(lib, drop_id)
    fields = ("website", "phone", "email", "place_id")
    merged = replace(keep, **_filled(keep, drop, fields))  # type: ignore[arg-type]
    merged.tags = sorted(set(keep.tags) | set(drop.tags))
    if keep.kind.value == "other":
        merged.kind = drop.kind
    if drop.notes and drop.notes not in keep.notes:
        merged.notes = f"{keep.notes}\n{drop.notes}".strip()
    with lib.write():
        dropped = delete_organization(lib, drop_id)
        lib.db.execute(
            "UPDATE contact SET organization_id = ? WHERE id IN (SELECT value FROM json_each(?))",
            (keep_id, _json_ids(list(dropped.contact_ids))),
        )
        lib.db.execute(
            "UPDATE meeting SET organization_id = ? WHERE id IN (SELECT value FROM json_each(?))",
            (keep_id, _json_ids(list(dropped.meeting_ids))),
        )
        directory.update_organization(lib, merged)
    return OrganizationMerge(keep, dropped)


def unmerge_organizations(lib: Library, merge: OrganizationMerge) -> None:
    with lib.write():
        directory.update_organization(lib, merge.kept_before)
        restore_organization(lib, merge.dropped)
