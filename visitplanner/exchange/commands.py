"""Command-line commands of exchange: import/export of contacts, calendars and trips."""

from __future__ import annotations

import argparse
from pathlib import Path

from visitplanner.cli import (
    EXIT_OK,
    add_db_argument,
    add_json_argument,
    open_library,
    print_json,
    subcommand_group,
)
from visitplanner.i18n import _, ngettext


def _cmd_import_contacts(args: argparse.Namespace) -> int:
    from visitplanner.exchange.contact_import import apply_import, plan_import, read_contact_file

    parsed = read_contact_file(Path(args.file))  # before opening: a bad file changes nothing
    with open_library(args, write=not args.dry_run) as lib:
        report = plan_import(lib, parsed)
        if not args.dry_run:
            apply_import(lib, report)
    if args.json:
        print_json(report.to_json())
        return EXIT_OK
    for note in sorted(report.warnings, key=lambda n: n.line):
        print(_("line {line}: {reason}").format(line=note.line, reason=note.reason))
    for note in sorted(report.rejected, key=lambda n: n.line):
        print(_("line {line}: rejected: {reason}").format(line=note.line, reason=note.reason))
    n = len(report.contacts)
    if args.dry_run:
        print(
            ngettext("{n} contact would be imported.", "{n} contacts would be imported.", n).format(
                n=n
            )
        )
    else:
        print(ngettext("{n} contact imported.", "{n} contacts imported.", n).format(n=n))
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
        "--dry-run", action="store_true", help=_("show what would be imported; write nothing")
    )
    add_json_argument(p)
    p.set_defaults(handler=_cmd_import_contacts)
    del exports  # filled in below as the exporters land
