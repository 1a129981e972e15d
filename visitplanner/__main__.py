"""`python -m visitplanner`: the command-line interface."""

import sys

from visitplanner.cli import main

sys.exit(main())
