"""Which itinerary files to write, and writing them one after the other with progress.

Shared by ``export pdf`` and File > Export Itinerary…: the master or one delegate's
itinerary to a file, and/or one file per delegate into a folder, named after them.
"""

from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from visitplanner.errors import InputError
from visitplanner.i18n import _
from visitplanner.itinerary.pdf import Progress, TileSource, build_itinerary
from visitplanner.planning.snapshot import TripSnapshot

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{i}" for p in ("com", "lpt") for i in range(10)}


@dataclass(frozen=True)
class ExportJob:
    path: Path
    delegate_id: int | None  # None: the master itinerary


def safe_filename(name: str, fallback: str) -> str:
    """A file name (without extension) made from a person's name, valid on every system:
    accents kept, path separators and reserved characters replaced."""
    text = unicodedata.normalize("NFC", name)
    text = _UNSAFE.sub("_", text).strip(" ._")
    text = re.sub(r"\s+", " ", text)[:80].strip(" ._")
    if not text or text.casefold() in _RESERVED:
        return fallback
    return text


def plan_exports(
    snapshot: TripSnapshot,
    *,
    out: Path | None = None,
    delegate_id: int | None = None,
    all_delegates_dir: Path | None = None,
) -> list[ExportJob]:
    """The files to write: ``out`` (master, or ``delegate_id``'s) and/or one per delegate in
    ``all_delegates_dir`` (created if needed), file names unique within the folder."""
    if out is None and all_delegates_dir is None:
        raise InputError(_("Give --out FILE, or --all-delegates DIR."))
    jobs: list[ExportJob] = []
    if out is not None:
        jobs.append(ExportJob(Path(out), delegate_id))
    if all_delegates_dir is not None:
        folder = Path(all_delegates_dir)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise InputError(
                _("Cannot create the folder {path}: {reason}").format(
                    path=folder, reason=error.strerror
                )
            ) from error
        used: set[str] = set()
        for d in sorted(snapshot.delegates.values(), key=lambda d: (d.name.casefold(), d.id)):
            stem = safe_filename(d.name, f"delegate-{d.id}")
            if stem.casefold() in used:
                stem = f"{stem}-{d.id}"
            used.add(stem.casefold())
            jobs.append(ExportJob(folder / f"{stem}.pdf", d.id))
    return jobs


def run_exports(
    snapshot: TripSnapshot,
    jobs: list[ExportJob],
    *,
    language: str,
    paper: str = "letter",
    progress: Progress | None = None,
    tiles: TileSource | None = None,
) -> list[tuple[ExportJob, float]]:
    """Write every job's PDF; returns each job with the seconds it took."""
    done: list[tuple[ExportJob, float]] = []
    count = len(jobs)
    for index, job in enumerate(jobs):
        label = _("Writing {name} ({index} of {count})…").format(
            name=job.path.name, index=index + 1, count=count
        )

        def step(fraction: float, text: str, index: int = index, label: str = label) -> None:
            if progress is not None:
                progress((index + fraction) / count, label)

        started = time.perf_counter()
        build_itinerary(
            snapshot,
            job.path,
            delegate_id=job.delegate_id,
            language=language,
            paper=paper,
            progress=step,
            tiles=tiles,
        )
        done.append((job, time.perf_counter() - started))
    return done
