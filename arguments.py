"""The command line: one parser for the window (the default) and every headless sub-command.

`main.py` parses once and hands the result to `gui.app.run_app` (no sub-command) or to
`cli.run_command`; neither builds a parser of its own, so `--help` lists everything. Building it
imports no Qt and no torch (headless commands must work without a display; tested).

argparse prints the whole usage, over several lines, before an error; a user who mistyped one
option needs only the sentence, on one line, and where to read more: `OneLineParser`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

LANGUAGE_ALIASES = {"en": "en", "en_US": "en", "zh": "zh", "zh_CN": "zh"}
COMMANDS = ("presets", "run", "script", "datasets", "download")
# The options that only the window reads: refused beside a sub-command.
WINDOW_OPTIONS = (
    "preset",
    "link",
    "present",
    "autorun",
    "screenshot",
    "quit_after",
    "lang",
    "size",
    "report_startup",
)


class OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line, `error: … (see main.py -h)`, exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {' '.join(message.split())} (see {self.prog} -h)\n")


class _Print(argparse.Action):
    """`--version`: print what `text()` gives (computed only when asked: it imports torch and
    Qt) and exit 0, as argparse's own version action does with a fixed string."""

    def __init__(self, option_strings: Sequence[str], dest: str, text: Callable[[], str], **kw: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kw)
        self.text = text

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        print(self.text())
        parser.exit(0)


def build_parser(version_text: Callable[[], str] = lambda: "") -> OneLineParser:
    """The whole command line: the window's options, then the sub-commands (`command` is None
    for the window)."""
    parser = OneLineParser(
        prog="main.py",
        description="Batch Size Lab: opens the window (the options below), or runs a sub-command.",
    )
    parser.add_argument(
        "--version", action=_Print, text=version_text, help="print the versions and the device"
    )
    parser.add_argument(
        "--self-test", action="store_true", help="train short runs headless, check them, exit 0 or 1"
    )
    window = parser.add_argument_group("the window")
    window.add_argument("--preset", help="lesson to open (default: the one shown last, or the first)")
    window.add_argument(
        "--link",
        metavar="TEXT",
        help="open the experiment in a link (batchsizelab:…, as Ctrl+Shift+C copies)",
    )
    window.add_argument(
        "--present", action="store_true", help="open in presentation mode (full screen; Esc leaves it)"
    )
    window.add_argument("--autorun", action="store_true", help="start the run as soon as the window opens")
    window.add_argument(
        "--screenshot", metavar="FILE.png", help="save the window once the run has finished, then quit"
    )
    window.add_argument(
        "--quit-after", type=float, metavar="SECONDS", help="quit after this long (screenshot first)"
    )
    window.add_argument(
        "--lang", choices=sorted(LANGUAGE_ALIASES), help="user-interface language (default: the system's)"
    )
    window.add_argument(
        "--size", metavar="WxH", help="window size (default: as it was last closed, or 1600x900)"
    )
    window.add_argument(
        "--report-startup",
        action="store_true",
        help="print 'window shown (LANGUAGE, LESSON)' once the window is painted, then quit (benchmarks)",
    )
    _add_commands(parser)
    return parser


def _add_commands(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="command", title="sub-commands (headless, no window)", metavar="COMMAND")
    sub.add_parser("presets", help="list the lessons: id and title")
    run = sub.add_parser(
        "run", help="train a lesson or config file headless and print (or write) the results"
    )
    run.add_argument("source", metavar="PRESET|FILE.json")
    run.add_argument("--set", action="append", metavar="KEY=VALUE", help="override a config field")
    run.add_argument(
        "--out",
        metavar="DIR",
        help="write summary.json, history.csv and data.csv here, replacing the folder's earlier "
        "results as a whole (a folder holding other files is refused)",
    )
    run.add_argument("--device", choices=("auto", "cpu", "cuda"))
    script = sub.add_parser(
        "script",
        help="write a lesson as a standalone PyTorch script that reproduces its numbers",
        description="Write a standalone PyTorch script (torch only, no import of this app) that "
        "trains the lesson's runs on the same data, from the same start, over the same batches, "
        "and prints each run's final full-batch loss as one JSON object per line.",
    )
    script.add_argument("source", metavar="PRESET|FILE.json")
    script.add_argument("--set", action="append", metavar="KEY=VALUE", help="override a config field")
    script.add_argument(
        "--out", metavar="FILE.py", required=True, help="the script to write (replaced as a whole)"
    )
    sub.add_parser("datasets", help="list the image datasets, their sizes and whether each is here")
    fetch = sub.add_parser("download", help="fetch fashion-mnist or mnist into the cache, with its checksums")
    fetch.add_argument("name", metavar="NAME", help="fashion-mnist or mnist")


def parse(argv: Sequence[str], version_text: Callable[[], str] = lambda: "") -> argparse.Namespace:
    """`argv` parsed; exit 2 with one line for anything argparse refuses, or for a window option
    given beside a sub-command (it would be ignored without a word)."""
    parser = build_parser(version_text)
    args = parser.parse_args(argv)
    if args.command is not None:
        given = [name for name in WINDOW_OPTIONS if getattr(args, name) not in (None, False)]
        if given:
            flag = "--" + given[0].replace("_", "-")
            parser.error(f"{flag} is an option of the window, not of {args.command}")
    return args
