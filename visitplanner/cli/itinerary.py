"""Command-line commands of the itinerary: ``export pdf``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from visitplanner.cli import (
    add_db_argument,
    add_json_argument,
    library_path,
    open_library,
    print_json,
    subcommand_group,
)
from visitplanner.errors import InputError
from visitplanner.i18n import _, ngettext

if TYPE_CHECKING:
    from visitplanner.itinerary.pdf import TileSource
    from visitplanner.planning.snapshot import TripSnapshot


def _cached_tiles(args: argparse.Namespace) -> TileSource | None:
    """The map tiles cached beside the library (by the app's map), when there are any."""
    from visitplanner.geo.tiles import MBTiles, cache_path_for

    path = cache_path_for(library_path(args))
    if not path.is_file():
        return None
    return MBTiles(path).get


def _cmd_export_pdf(args: argparse.Namespace) -> int:
    from visitplanner.itinerary.export import plan_exports, run_exports
    from visitplanner.library import trips
    from visitplanner.planning.snapshot import load_snapshot

    if args.out is None and args.all_delegates is None:
        raise InputError(_("Give --out FILE, or --all-delegates DIR."))
    with open_library(args, write=False) as lib:
        trip = trips.resolve_trip(lib, args.trip)
        assert trip.id is not None
        delegate_id = None
        if args.delegate is not None:
            delegate_id = trips.resolve_delegate(lib, trip.id, args.delegate).id
        snapshot = load_snapshot(lib, trip.id)
    language = args.pdf_lang or trip.language.value
    jobs = plan_exports(
        snapshot,
        out=Path(args.out) if args.out else None,
        delegate_id=delegate_id,
        all_delegates_dir=Path(args.all_delegates) if args.all_delegates else None,
    )
    from visitplanner.outputs import check_writable

    for job in jobs:  # a mistake in the command is said alone, before any warning
        check_writable(job.path)
    warnings = _warnings(snapshot, [job.delegate_id for job in jobs])
    for message in warnings:  # before writing: a known problem never prints as if fine
        print(_("Warning: {problem}").format(problem=message), file=sys.stderr)
    written = run_exports(
        snapshot, jobs, language=language, paper=args.paper, tiles=_cached_tiles(args)
    )
    if args.json:
        files = [
            {
                "path": str(job.path),
                "delegate": snapshot.delegates[job.delegate_id].name
                if job.delegate_id is not None
                else None,
                "seconds": round(seconds, 3),
            }
            for job, seconds in written
        ]
        print_json(
            {
                "trip": trip.id,
                "language": language,
                "paper": args.paper,
                "files": files,
                "warnings": warnings,
            }
        )
    else:
        for job, _seconds in written:
            print(_("Wrote {path}").format(path=job.path))
        guessed = _approximate_places(snapshot, [job.delegate_id for job, _s in written])
        if guessed:
            print(
                ngettext(
                    "{count} place is printed with “address to be confirmed” and no QR code: "
                    "{names}. `check` says how to fix it.",
                    "{count} places are printed with “address to be confirmed” and no QR code: "
                    "{names}. `check` says how to fix them.",
                    len(guessed),
                ).format(count=len(guessed), names=", ".join(guessed))
            )
    return 0


def _warnings(snapshot: TripSnapshot, delegates: list[int | None]) -> list[str]:
    """The hard problems ``check`` finds in what is being exported, one sentence each (the
    PDF marks each meeting concerned with "⚠")."""
    from visitplanner.i18n import current
    from visitplanner.itinerary.warnings import hard_problems

    return [p.message for p in hard_problems(snapshot, current(), delegates)]


def _approximate_places(snapshot: TripSnapshot, delegates: list[int | None]) -> list[str]:
    """The names of the approximate places the printed itineraries (of ``delegates``, None:
    the master) use, their hotel included."""
    from visitplanner.itinerary.content import printed_meetings

    meetings = {m.id: m for d in delegates for m in printed_meetings(snapshot, d)}
    places = [snapshot.place_of(m) for m in meetings.values()] + [snapshot.base]
    names: dict[int, str] = {}
    for place in places:
        if place is not None and place.approximate and place.id is not None:
            names.setdefault(place.id, place.label())
    return list(names.values())


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = subcommand_group(sub, "export", _("export itineraries, calendars and contacts"))
    p = export.add_parser("pdf", help=_("write a trip's itinerary as a PDF"))
    add_db_argument(p)
    p.add_argument("--trip", required=True, help=_("trip id or exact name"))
    p.add_argument("--out", metavar="FILE", help=_("the PDF file to write"))
    who = p.add_mutually_exclusive_group()
    who.add_argument("--delegate", help=_("only this delegate's meetings (id or exact name)"))
    who.add_argument(
        "--all-delegates",
        metavar="DIR",
        help=_("also write one PDF per delegate into this folder, named after them"),
    )
    p.add_argument(
        "--lang",
        dest="pdf_lang",
        choices=["en", "fr"],
        help=_("language of the itinerary (default: the trip's)"),
    )
    p.add_argument(
        "--paper",
        choices=["letter", "a4"],
        default="letter",
        help=_("paper size (default: letter)"),
    )
    add_json_argument(p)
    p.set_defaults(handler=_cmd_export_pdf)
