"""Command-line commands of planning: check (and, later, plan, arrange, trip new)."""

from __future__ import annotations

import argparse

from visitplanner.cli import add_db_argument, add_json_argument, open_library, print_json
from visitplanner.i18n import _


def _cmd_check(args: argparse.Namespace) -> int:
    from visitplanner.library import trips
    from visitplanner.planning.checks import check_snapshot
    from visitplanner.planning.snapshot import load_snapshot

    with open_library(args, write=False) as lib:
        trip = trips.resolve_trip(lib, args.trip)
        assert trip.id is not None
        snap = load_snapshot(lib, trip.id)
    problems = check_snapshot(snap)
    if args.json:
        print_json(
            {
                "trip": trip.id,
                "problems": [
                    {
                        "kind": p.kind.value,
                        "severity": p.severity.value,
                        "meetings": list(p.meeting_ids),
                        "delegates": [
                            snap.delegates[d].name for d in p.delegate_ids if d in snap.delegates
                        ],
                        "message": p.message,
                    }
                    for p in problems
                ],
            }
        )
        return 0
    for p in problems:
        print(f"[{p.severity.value}] {p.message}")
    if not problems:
        print(_("No problems found."))
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("check", help=_("list the problems of a trip"))
    add_db_argument(p)
    p.add_argument("--trip", required=True, help=_("trip id or exact name"))
    add_json_argument(p)
    p.set_defaults(handler=_cmd_check)
