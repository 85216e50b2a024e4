"""``python -m roscosmos_graph``: the command-line interface."""

import sys

from .cli import main

sys.exit(main())
