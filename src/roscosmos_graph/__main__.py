"""``python -m roscosmos_graph``: the command-line interface."""

import sys

from .launch import main

sys.exit(main())
