"""Run the command line in-process and capture what it prints (shared by the CLI tests)."""

from __future__ import annotations

import pytest

from visitplanner.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of ``visitplanner ARGV...``."""
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err
