"""Crash safety: a process killed (SIGKILL) at random moments during edits and big imports.

Each time, the library opens again, passes ``PRAGMA integrity_check``, every import the
process reported as committed is there whole, and no import is there in part.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from visitplanner.library import Library

ROWS = 1500  # contacts per import
KILLS = 15

WORKER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from visitplanner.exchange.contact_import import import_contacts
    from visitplanner.library import Library, directory
    from visitplanner.model import Contact, Organization

    path, tag = sys.argv[1], sys.argv[2]
    rows = int(sys.argv[3])
    lib = Library.open(path)
    print("ready", flush=True)
    n = 0
    while True:
        # An edit, one transaction.
        org = directory.add_organization(lib, Organization(name=f"Org {tag}.{n}"))
        directory.update_organization(
            lib, Organization(name=f"Org {tag}.{n} (renamed)", id=org, tags=["crash"])
        )
        # A big all-or-nothing import: many rows, one transaction; every other one
        # through the real contact import (CSV file, plan, apply).
        marker = f"import {tag}.{n}"
        if (n + int(tag)) % 2:
            csv = Path(path).with_name(f"import-{tag}-{n}.csv")
            lines = ["First Name,Last Name,E-mail Address,Notes"] + [
                f"Given{i},Imported {tag}x{n},row{i}.{tag}.{n}@example.com,{marker}"
                for i in range(rows)
            ]
            csv.write_text("\\n".join(lines) + "\\n", encoding="utf-8")
            report = import_contacts(lib, csv)
            assert len(report.contacts) == rows, report.rejected[:3]
        else:
            with lib.write():
                for i in range(rows):
                    directory.add_contact(
                        lib,
                        Contact(
                            given_name=f"Given{i}",
                            family_name="Imported",
                            email=f"row{i}@example.com",
                            organization_id=org,
                            notes=marker,
                        ),
                    )
        print("committed", marker, flush=True)
        n += 1
    """
)


def test_kill_during_edits_and_imports_never_damages_the_library(tmp_path: Path) -> None:
    run_kills(tmp_path / "crash.visitplanner", seed=20240611, kills=KILLS)


def run_kills(path: Path, seed: int, kills: int) -> set[str]:
    Library.open(path, create=True).close()
    rng = random.Random(seed)
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    committed: set[str] = set()
    for attempt in range(kills):
        worker = subprocess.Popen(
            [sys.executable, "-c", WORKER, str(path), str(attempt), str(ROWS)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert worker.stdout is not None
        assert worker.stdout.readline().strip() == "ready"
        early = ""
        if attempt == kills - 1 and not committed:
            # However slow the machine, let one import commit before the last kill.
            early = worker.stdout.readline()
        time.sleep(rng.uniform(0.0, 0.6))
        worker.send_signal(signal.SIGKILL)
        out, _err = worker.communicate(timeout=30)
        assert worker.returncode == -signal.SIGKILL
        committed |= {
            line.removeprefix("committed ").strip()
            for line in (early + out).splitlines()
            if line.startswith("committed ")
        }

        with Library.open(path) as lib:  # opens for writing: the lock died with the process
            assert lib.integrity_ok(), f"integrity check failed after kill {attempt}"
            assert lib.query_one("PRAGMA foreign_key_check") is None
            counts = {
                row["notes"]: row["n"]
                for row in lib.query(
                    "SELECT notes, count(*) AS n FROM contact GROUP BY notes HAVING notes <> ''"
                )
            }
            partial = {marker: n for marker, n in counts.items() if n != ROWS}
            assert not partial, f"half-written imports after kill {attempt}: {partial}"
            missing = committed - set(counts)
            assert not missing, f"committed imports lost after kill {attempt}: {missing}"
            # The search index stayed in step with the table.
            indexed = lib.query_one("SELECT count(*) FROM directory_fts WHERE kind = 'contact'")
            total = lib.query_one("SELECT count(*) FROM contact")
            assert indexed is not None and total is not None and indexed[0] == total[0]
    assert committed, "no import ever committed: the kills came too early to test anything"
    assert len(committed) < kills * 10  # and some kills landed mid-way through the work
    return committed
