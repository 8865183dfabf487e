"""Thin entry point: `python build.py [build|check|new] ...` (see `--help`)."""

import sys

from timeline.cli import main

sys.exit(main())
