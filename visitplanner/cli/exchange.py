"""Command-line commands of exchange: import/export of contacts, calendars and trips."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from visitplanner.cli import (
    EXIT_OK,
    add_db_argument,
    add_json_argument,
    open_library,
    print_json,
    subcommand_group,
)
from visitplanner.i18n import _, ngettext

MAX_NOTES_PRINTED = 200


def print_notes(notes: Sequence[Any], line_format: str) -> None:
    """Each note on a line, in file order; past :data:`MAX_NOTES_PRINTED`, how many more
    (a hostile file can make hundreds of thousands; --json lists them all)."""
    ordered = sorted(notes, key=lambda n: n.line)
    for note in ordered[:MAX_NOTES_PRINTED]:
        print(line_format.format(line=note.line, reason=note.reason))
    more = len(ordered) - MAX_NOTES_PRINTED
    if more > 0:
        print(
            ngettext(
                "… and {n} more line like these (--json lists them all).",
                "… and {n} more lines like these (--json lists them all).",
                more,
            ).format(n=more)
        )


def _cmd_import_contacts(args: argparse.Namespace) -> int:
    from visitplanner.edits import ImportContacts
    from visitplanner.exchange.contact_import import plan_import, read_contact_file

    # before opening: a bad file or --map changes nothing
    parsed = read_contact_file(Path(args.file)).with_columns(args.map or [])
    with open_library(args, write=not args.dry_run) as lib:
        report = plan_import(lib, parsed)
        if not args.dry_run:
            ImportContacts(report).apply(lib)
    if args.json:
        print_json(report.to_json())
        return EXIT_OK
    print_notes(report.warnings, _("line {line}: {reason}"))
    print_notes(report.rejected, _("line {line}: rejected: {reason}"))
    n = report.people
    orgs = len(report.new_organizations)
    if args.dry_run:
        print(
            ngettext("{n} contact would be imported.", "{n} contacts would be imported.", n).format(
                n=n
            )
        )
        if orgs:
            print(
                ngettext(
                    "{n} new organization would be added.",
                    "{n} new organizations would be added.",
                    orgs,
                ).format(n=orgs)
            )
    else:
        print(ngettext("{n} contact imported.", "{n} contacts imported.", n).format(n=n))
        if orgs:
            print(
                ngettext(
                    "{n} new organization added.", "{n} new organizations added.", orgs
                ).format(n=orgs)
            )
    return EXIT_OK


def _cmd_export_contacts(args: argparse.Namespace) -> int:
    from visitplanner.exchange.contact_export import export_contacts, format_for

    fmt = format_for(args.format, Path(args.out))
    with open_library(args, write=False) as lib:
        n = export_contacts(lib, Path(args.out), fmt, args.trip, vcard_version=args.vcard_version)
    if args.json:
        version = args.vcard_version if fmt == "vcard" else None
        print_json({"out": str(args.out), "format": fmt, "vcard_version": version, "contacts": n})
    else:
        print(
            ngettext("{n} contact written to {path}.", "{n} contacts written to {path}.", n).format(
                n=n, path=args.out
            )
        )
    return EXIT_OK


def _cmd_export_ics(args: argparse.Namespace) -> int:
    from visitplanner.exchange.ics import export_ics

    with open_library(args, write=False) as lib:
        n = export_ics(lib, args.trip, Path(args.out), args.delegate)
    if args.json:
        print_json({"out": str(args.out), "events": n})
    else:
        print(
            ngettext("{n} event written to {path}.", "{n} events written to {path}.", n).format(
                n=n, path=args.out
            )
        )
    return EXIT_OK


def _cmd_export_trip(args: argparse.Namespace) -> int:
    from visitplanner.exchange.tripfile import export_trip

    with open_library(args, write=False) as lib:
        n = export_trip(lib, args.trip, Path(args.out))
    if args.json:
        print_json({"out": str(args.out), "meetings": n})
    else:
        print(
            ngettext(
                "Trip written to {path} ({n} meeting).",
                "Trip written to {path} ({n} meetings).",
                n,
            ).format(n=n, path=args.out)
        )
    return EXIT_OK


def _cmd_import_trip(args: argparse.Namespace) -> int:
    from visitplanner.exchange.tripfile import import_trip

    with open_library(args) as lib:
        result = import_trip(lib, Path(args.file))
    if args.json:
        print_json(result.to_json())
    else:
        print(result.summary())
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    imports = subcommand_group(sub, "import", _("import meetings, contacts or a trip"))
    exports = subcommand_group(
        sub, "export", _("export itineraries, calendars, contacts or a trip")
    )

    p = imports.add_parser("contacts", help=_("import contacts from a CSV or vCard file"))
    p.add_argument("file", metavar="FILE", help=_("CSV or vCard (.vcf) file"))
    add_db_argument(p)
    p.add_argument(
        "--dry-run",
        action="store_true",
        help=_("show what would be imported (--json: each person and organization); write nothing"),
    )
    p.add_argument(
        "--map",
        action="append",
        metavar="FIELD=HEADER",
        help=_(
            "read column HEADER as FIELD (given_name, family_name, full_name, organization, "
            "title, email, phone, mobile, language, notes, website, street, city, region, "
            "postal_code, country); FIELD= leaves a field empty; repeatable"
        ),
    )
    add_json_argument(p)
    p.set_defaults(handler=_cmd_import_contacts)

    p = exports.add_parser("contacts", help=_("export contacts as vCard or CSV"))
    add_db_argument(p)
    p.add_argument("--out", required=True, metavar="FILE", help=_("file to write"))
    p.add_argument(
        "--format",
        choices=["vcard", "csv-google", "csv-outlook", "csv-excel", "vcf", "csv"],
        help=_(
            "vcard; csv-google or csv-outlook (to import into Google Contacts or Outlook); "
            "csv-excel (to open in a spreadsheet: formulas defused); default: vcard, or "
            "csv-excel for a .csv file"
        ),
    )
    p.add_argument(
        "--vcard-version",
        choices=["3.0", "4.0"],
        default="3.0",
        help=_("vCard version to write (default: 3.0, which every program reads)"),
    )
    p.add_argument("--trip", help=_("only the contacts of this trip (id or exact name)"))
    add_json_argument(p)
    p.set_defaults(handler=_cmd_export_contacts)

    p = exports.add_parser("ics", help=_("export a trip's meetings as an iCalendar file"))
    add_db_argument(p)
    p.add_argument("--trip", required=True, help=_("trip id or exact name"))
    p.add_argument("--out", required=True, metavar="FILE", help=_("file to write"))
    p.add_argument("--delegate", help=_("only this delegate's meetings (id or exact name)"))
    add_json_argument(p)
    p.set_defaults(handler=_cmd_export_ics)

    p = exports.add_parser("trip", help=_("write one trip as a standalone library file"))
    add_db_argument(p)
    p.add_argument("--trip", required=True, help=_("trip id or exact name"))
    p.add_argument("--out", required=True, metavar="FILE", help=_("new file to write"))
    add_json_argument(p)
    p.set_defaults(handler=_cmd_export_trip)

    p = imports.add_parser("trip", help=_("merge a trip file into the library"))
    p.add_argument("file", metavar="FILE", help=_("a trip file written by export trip"))
    add_db_argument(p)
    add_json_argument(p)
    p.set_defaults(handler=_cmd_import_trip)
