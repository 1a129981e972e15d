"""Exports read back: vCard (vobject and our import), CSV (formulas), .ics (icalendar and
vobject), trip files (export then merge)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from visitplanner.cli import main
from visitplanner.exchange.contact_export import export_contacts, neutralize
from visitplanner.exchange.contact_import import import_contacts
from visitplanner.exchange.ics import trip_calendar
from visitplanner.exchange.phones import format_phone
from visitplanner.exchange.tripfile import export_trip, import_trip
from visitplanner.library import Library, directory, trips
from visitplanner.model import Contact, MeetingStatus, Organization


def _person_key(lib: Library, c: Contact) -> tuple[str, ...]:
    orgs = directory.organizations(lib)
    org = orgs[c.organization_id].name if c.organization_id else ""
    phone, mobile = format_phone(c.phone), format_phone(c.mobile)  # import shows one format
    return (c.given_name, c.family_name, org, c.title, c.email, phone, mobile, c.notes, c.language)


def test_contacts_vcard_round_trip(demo_library: Library, tmp_path: Path) -> None:
    out = tmp_path / "contacts.vcf"
    n = export_contacts(demo_library, out, "vcf")
    assert n == len(directory.contacts(demo_library)) > 10
    import vobject

    cards = list(vobject.readComponents(out.read_text(encoding="utf-8")))
    assert len(cards) == n and all(c.version.value == "3.0" for c in cards)
    accented = [c for c in cards if not c.fn.value.isascii()]
    assert accented and all("CHARSET" not in c.fn.params for c in accented)  # not in 3.0
    fresh = Library.in_memory()
    report = import_contacts(fresh, out)
    assert report.imported == n and not report.rejected
    before = sorted(_person_key(demo_library, c) for c in directory.contacts(demo_library).values())
    after = sorted(_person_key(fresh, c) for c in directory.contacts(fresh).values())
    assert after == before


def test_contacts_csv_has_bom_neutralizes_formulas_and_reads_back(
    empty_library: Library, tmp_path: Path
) -> None:
    org = directory.add_organization(empty_library, Organization(name='=HYPERLINK("x")'))
    directory.add_contact(
        empty_library,
        Contact(
            given_name="Émilie",
            family_name="@Côté",
            title="-1+1",
            organization_id=org,
            phone="+1 514-555-0142",
            notes="\tcmd|' /C calc'!A0",
        ),
    )
    out = tmp_path / "contacts.csv"
    export_contacts(empty_library, out, "csv")
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1][:4] == ["Émilie", "'@Côté", '\'=HYPERLINK("x")', "'-1+1"]
    assert rows[1][5] == "'+1 514-555-0142" and rows[1][-1].startswith("'\t")
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for cell in r)
    assert neutralize("plain") == "plain"
    fresh = Library.in_memory()
    report = import_contacts(fresh, out)
    assert report.contacts[0].family_name == "@Côté"
    assert report.contacts[0].phone == "+1 514-555-0142"


def test_export_contacts_of_one_trip(demo_library: Library, tmp_path: Path) -> None:
    trip = trips.trips(demo_library)[0]
    everyone = export_contacts(demo_library, tmp_path / "all.vcf")
    some = export_contacts(demo_library, tmp_path / "trip.vcf", trip_ref=str(trip.id))
    assert 0 < some < everyone


def _scheduled_trip(lib: Library) -> int:
    for t in trips.trips(lib):
        assert t.id is not None
        if any(m.start for m in trips.meetings(lib, t.id)):
            return t.id
    raise AssertionError("no scheduled trip in the demo")


def test_ics_parses_back_with_zone_times_uid_and_status(demo_library: Library) -> None:
    import icalendar

    trip_id = _scheduled_trip(demo_library)
    trip = trips.get_trip(demo_library, trip_id)
    meetings = [m for m in trips.meetings(demo_library, trip_id) if m.start]
    cancelled = meetings[1]
    cancelled.status = MeetingStatus.CANCELLED
    trips.update_meeting(demo_library, cancelled)
    first = trip_calendar(demo_library, str(trip_id), now=dt.datetime(2024, 5, 1, tzinfo=dt.UTC))
    second = trip_calendar(demo_library, str(trip_id), now=dt.datetime(2024, 5, 2, tzinfo=dt.UTC))
    cal = icalendar.Calendar.from_ical(first)
    again = icalendar.Calendar.from_ical(second)
    assert [tz.tz_name for tz in cal.timezones] == [trip.timezone]
    events = {str(e["UID"]): e for e in cal.events}
    assert len(events) == len(meetings)
    assert [str(e["UID"]) for e in again.events] == [str(e["UID"]) for e in cal.events]
    assert all(
        int(b["SEQUENCE"]) > int(a["SEQUENCE"])
        for a, b in zip(cal.events, again.events, strict=True)
    )
    zone = ZoneInfo(trip.timezone)
    by_summary = {str(e["SUMMARY"]): e for e in cal.events}
    for m in meetings:
        event = by_summary[m.title]
        assert event.start == m.start.replace(tzinfo=zone)  # type: ignore[union-attr]
        assert event.end == m.end.replace(tzinfo=zone)  # type: ignore[union-attr]
    assert str(by_summary[cancelled.title]["STATUS"]) == "CANCELLED"
    with_place = [e for e in cal.events if "GEO" in e]
    assert with_place and all("LOCATION" in e for e in with_place)
    hosted = [m for m in meetings if m.host_ids]
    if hosted:
        snap_contacts = directory.contacts(demo_library, hosted[0].host_ids)
        description = str(by_summary[hosted[0].title]["DESCRIPTION"])
        for host in snap_contacts.values():
            assert host.full_name in description
            if host.phone:
                assert host.phone in description
    import vobject

    parsed = vobject.readOne(first.decode("utf-8"))
    assert len(parsed.vevent_list) == len(meetings)


def test_ics_for_one_delegate(demo_library: Library, tmp_path: Path) -> None:
    import icalendar

    trip_id = _scheduled_trip(demo_library)
    everyone = icalendar.Calendar.from_ical(trip_calendar(demo_library, str(trip_id)))
    delegate = trips.delegates(demo_library, trip_id)[0]
    mine = icalendar.Calendar.from_ical(
        trip_calendar(demo_library, str(trip_id), delegate_ref=delegate.name)
    )
    assert 0 < len(mine.events) < len(everyone.events)
    assert delegate.name in str(mine["X-WR-CALNAME"])


def test_trip_file_export_and_merge(demo_library: Library, tmp_path: Path) -> None:
    trip_id = _scheduled_trip(demo_library)
    out = tmp_path / "trip.visitplanner"
    n = export_trip(demo_library, str(trip_id), out)
    with Library.open(out) as standalone:
        assert len(trips.trips(standalone)) == 1
        assert len(trips.meetings(standalone, trips.trips(standalone)[0].id or 0)) == n
        assert standalone.integrity_ok()
    orgs_before = len(directory.organizations(demo_library))
    contacts_before = len(directory.contacts(demo_library))
    result = import_trip(demo_library, out)
    assert result.new_organizations == 0 and result.new_contacts == 0
    assert result.matched_organizations > 0
    assert len(directory.organizations(demo_library)) == orgs_before
    assert len(directory.contacts(demo_library)) == contacts_before
    assert result.trip_name.endswith("(imported)")
    original = trips.meetings(demo_library, trip_id)
    copied = trips.meetings(demo_library, result.trip_id)
    assert [(m.title, m.start, len(m.host_ids), len(m.delegate_ids)) for m in copied] == [
        (m.title, m.start, len(m.host_ids), len(m.delegate_ids)) for m in original
    ]
    fresh = Library.in_memory()
    into_empty = import_trip(fresh, out)
    assert into_empty.new_organizations > 0 and into_empty.meetings == n


def test_cli_exports(demo_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(demo_path)
    assert main(["export", "contacts", "--db", db, "--out", str(tmp_path / "c.csv"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["format"] == "csv-excel"
    assert main(["export", "ics", "--db", db, "--trip", "1", "--out", str(tmp_path / "t.ics")]) == 0
    assert (tmp_path / "t.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
    trip_file = str(tmp_path / "t.visitplanner")
    assert main(["export", "trip", "--db", db, "--trip", "1", "--out", trip_file]) == 0
    assert main(["export", "trip", "--db", db, "--trip", "1", "--out", trip_file]) == 2
    assert main(["import", "trip", trip_file, "--db", db, "--json"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out[out.index("{") :])["new_contacts"] == 0
    assert main(["export", "ics", "--db", db, "--trip", "nope", "--out", "x.ics"]) == 2
    assert "Traceback" not in capsys.readouterr().err
