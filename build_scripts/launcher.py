"""Entry script for the PyInstaller bundle (the console script is not a file PyInstaller can start from)."""

import sys

from xiaodazi.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
