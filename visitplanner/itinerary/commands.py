"""Command-line commands of the itinerary: ``export pdf``."""

from __future__ import annotations

import argparse
import re
import time
import unicodedata
from pathlib import Path

from visitplanner.cli import (
    add_db_argument,
    add_json_argument,
    open_library,
    print_json,
    subcommand_group,
)
from visitplanner.errors import InputError
from visitplanner.i18n import _

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}


def safe_filename(name: str, fallback: str) -> str:
    """A file name (without extension) made from a person's name, valid on every system:
    accents kept, path separators and reserved characters replaced."""
    text = unicodedata.normalize("NFC", name)
    text = _UNSAFE.sub("_", text).strip(" ._")
    text = re.sub(r"\s+", " ", text)[:80].strip(" ._")
    if not text or text.casefold() in _RESERVED:
        return fallback
    return text


def _cmd_export_pdf(args: argparse.Namespace) -> int:
    from visitplanner.itinerary.pdf import build_itinerary
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
    jobs: list[tuple[Path, int | None]] = []
    if args.out is not None:
        jobs.append((Path(args.out), delegate_id))
    if args.all_delegates is not None:
        folder = Path(args.all_delegates)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise InputError(
                _("Cannot create the folder {path}: {reason}").format(
                    path=folder, reason=error.strerror
                )
            ) from error
        used: set[str] = set()
        for d in sorted(snapshot.delegates.values(), key=lambda d: d.name.casefold()):
            stem = safe_filename(d.name, f"delegate-{d.id}")
            if stem.casefold() in used:
                stem = f"{stem}-{d.id}"
            used.add(stem.casefold())
            jobs.append((folder / f"{stem}.pdf", d.id))
    written = []
    for path, who in jobs:
        started = time.perf_counter()
        build_itinerary(snapshot, path, delegate_id=who, language=language, paper=args.paper)
        written.append(
            {
                "path": str(path),
                "delegate": snapshot.delegates[who].name if who is not None else None,
                "seconds": round(time.perf_counter() - started, 3),
            }
        )
    if args.json:
        print_json({"trip": trip.id, "language": language, "paper": args.paper, "files": written})
    else:
        for item in written:
            print(_("Wrote {path}").format(path=item["path"]))
    return 0


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
