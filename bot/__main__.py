"""`python -m bot` and the `paperbot` console command."""

import sys

from bot.cli import main

if __name__ == "__main__":
    sys.exit(main())
