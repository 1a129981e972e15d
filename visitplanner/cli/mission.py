"""Command-line commands of the mission model: ``import delegates`` (a registration file)."""

from __future__ import annotations

import argparse

from visitplanner.cli import (
    EXIT_OK,
    add_db_argument,
    add_json_argument,
    open_library,
    print_json,
    subcommand_group,
)
from visitplanner.i18n import _, ngettext


def _cmd_import_delegates(args: argparse.Namespace) -> int:
    from pathlib import Path

    from visitplanner.cli.exchange import print_notes
    from visitplanner.exchange.delegates_import import import_delegates
    from visitplanner.library import trips

    with open_library(args, write=not args.dry_run) as lib:
        trip = trips.resolve_trip(lib, args.trip)
        assert trip.id is not None
        result = import_delegates(lib, Path(args.file), trip.id, dry_run=args.dry_run)
    if args.json:
        print_json(result.to_json())
        return EXIT_OK
    for warning in result.warnings:
        print(_("Warning: {message}").format(message=warning))
    print_notes(result.rejected, _("Line {line} rejected: {reason}"))
    new, updated = result.new_count, result.updated_count
    if args.dry_run:
        print(
            ngettext(
                "{new} delegate would be added and {updated} updated; nothing was written.",
                "{new} delegates would be added and {updated} updated; nothing was written.",
                new,
            ).format(new=new, updated=updated)
        )
    else:
        print(
            ngettext(
                "{new} delegate added and {updated} updated.",
                "{new} delegates added and {updated} updated.",
                new,
            ).format(new=new, updated=updated)
        )
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    imports = subcommand_group(sub, "import", _("import meetings, contacts or a trip"))
    p = imports.add_parser(
        "delegates",
        help=_("add or update a trip's delegates from a registration file (CSV or .xlsx)"),
    )
    p.add_argument("file", metavar="FILE", help=_("CSV or .xlsx registration file"))
    add_db_argument(p)
    p.add_argument("--trip", required=True, help=_("trip id or exact name"))
    p.add_argument(
        "--dry-run", action="store_true", help=_("show what would be imported; write nothing")
    )
    add_json_argument(p)
    p.set_defaults(handler=_cmd_import_delegates)
