"""Batch Size Lab entry point.

    python main.py                         open the app
    python main.py presets                 list lesson presets
    python main.py run PRESET|FILE.json    train headless (see `python main.py run -h`)
    python main.py datasets                list the image datasets and where each one is
    python main.py download NAME           fetch fashion-mnist or mnist into the cache
    python main.py --preset ID --autorun --screenshot FILE.png --quit-after SECONDS

Headless commands never import Qt, so they work on machines without a display.
"""

from __future__ import annotations

import sys

HEADLESS_COMMANDS = ("presets", "run", "datasets", "download")


def main(argv: list[str]) -> int:
    if argv and argv[0] in HEADLESS_COMMANDS:
        import cli

        return cli.main(argv)
    from gui.app import run_app

    return run_app(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
