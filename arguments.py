"""The command line's parser, shared by the headless commands (cli.py) and the window (gui/app.py).

argparse prints the whole usage, over several lines, before an error; a user who mistyped one
option needs only the sentence, on one line, and where to read more.
"""

from __future__ import annotations

import argparse
from typing import NoReturn


class OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line, `error: … (see main.py -h)`, exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {' '.join(message.split())} (see {self.prog} -h)\n")
