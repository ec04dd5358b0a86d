"""Headless commands: `presets` and `run`. Imports no Qt.

Exit status 2 with one line on stderr for anything the user can fix (bad preset, file, key or
value); the files of `run --out` are written to temporary names and renamed into place, so a
failure never leaves a half-written file.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, replace
from pathlib import Path
from typing import TextIO

from engine import (
    ExperimentConfig,
    Preset,
    Progress,
    RunHistory,
    load_preset,
    preset_from_file,
    preset_ids,
    run_session,
)


class UsageError(Exception):
    """Something the user typed is wrong; the message says what."""


def resolve_config(
    source: str, assignments: Sequence[str], device: str | None
) -> tuple[Preset, ExperimentConfig]:
    """A preset id or a JSON file, with `--set` overrides and `--device` applied."""
    try:
        path = Path(source)
        preset = preset_from_file(path) if source.endswith(".json") or path.is_file() else load_preset(source)
        config = preset.config.with_overrides(assignments)
        if device is not None:
            config = replace(config, device=device)
    except (ValueError, TypeError) as exc:
        raise UsageError(str(exc)) from exc
    return preset, config


def cmd_presets(out: TextIO) -> int:
    for ident in preset_ids():
        preset = load_preset(ident)
        out.write(f"{ident}\t{preset.text('title', 'en')}\n")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    _, config = resolve_config(args.source, args.set or [], args.device)
    out_dir = Path(args.out) if args.out else None
    if out_dir is not None and out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"--out {out_dir} exists and is not a folder")
    if out_dir is not None:
        try:  # before training, so a bad --out costs no compute
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"--out {out_dir} cannot be created: {exc.strerror or exc}") from exc
    histories: dict[str, RunHistory] = {}
    final: Progress | None = None
    device = ""
    for progress in run_session(config):
        if progress.setup is not None:
            device = progress.setup.device
            data = progress.setup.data
            names = progress.setup.param_names
            histories = {r.label: RunHistory(len(names)) for r in progress.setup.runs}
        for rp in progress.runs:
            histories[rp.label].append(rp.new_rows)
        final = progress
    assert final is not None and final.finished
    measurements = {k: _jsonable(v) for k, v in final.measurements.items()}
    summary = {
        "device": device,
        "config": config.to_dict(),
        "runs": [asdict(r) for r in final.results],
    }
    if measurements:
        summary["measurements"] = measurements
        basins: dict = measurements.get("basins", {})  # type: ignore[assignment]
        for label, count in basins.items():
            print(
                f"{label:>12}: {count['better']} of {count['seeds']} seeds reached the better minimum, "
                f"{count['worse']} the worse one"
                + (f", {count['diverged']} diverged" if count["diverged"] else "")
            )
        noise: dict | None = measurements.get("gradient_noise")  # type: ignore[assignment]
        if noise is not None:
            verdict = "agree" if noise["agrees"] else "DO NOT agree"
            print(
                f"gradient noise at the start: tr Σ = {noise['trace_sigma']:.6g}, "
                f"B_simple = {noise['b_simple']} (estimated from B = "
                f"{noise['b_simple_estimate_batches'][0]} and {noise['b_simple_estimate_batches'][1]}: "
                f"{noise['b_simple_estimate']}); measured variances {verdict} with theory "
                f"within {noise['agreement_z']:g} standard errors"
            )
    for r in final.results:
        status = "diverged" if r.diverged else f"final loss {r.final_loss:.6g}"
        if 0 < len(names) == len(r.final_params):  # the few parameters of a drawn problem
            status += ", " + ", ".join(f"{n} = {v:.6g}" for n, v in zip(names, r.final_params, strict=True))
        print(
            f"{r.label:>12}: B = {r.batch_size}, {r.iterations_per_epoch} iteration"
            f"{'' if r.iterations_per_epoch == 1 else 's'}/epoch, "
            f"{r.iterations} iterations, loss {r.initial_loss:.6g} → {status}"
        )
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        _write_atomic(out_dir / "summary.json", lambda f: json.dump(summary, f, indent=2, allow_nan=False))
        _write_atomic(out_dir / "history.csv", lambda f: _write_history(f, histories, names))
        written = ["summary.json", "history.csv"]
        if data:  # networks have no small table of data to write
            _write_atomic(out_dir / "data.csv", lambda f: _write_columns(f, data))
            written.append("data.csv")
        print(f"wrote {', '.join(written)} to {out_dir}")
    return 0


def _jsonable(value: object) -> object:
    """A measurement as JSON data: objects with to_dict, and dicts of them."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    to_dict = getattr(value, "to_dict", None)
    return to_dict() if to_dict is not None else value


def _write_history(f: TextIO, histories: dict[str, RunHistory], names: Sequence[str]) -> None:
    w = csv.writer(f, lineterminator="\n")
    theta = [f"theta{i}" for i in range(len(names))]
    w.writerow(["run", "label", "iteration", "epoch", "samples_seen", "wall_time_s", "loss", *theta])
    for index, (label, history) in enumerate(histories.items()):
        h = history.rows()
        for i in range(len(h)):
            w.writerow(
                [
                    index,
                    label,
                    int(h.iteration[i]),
                    repr(float(h.epoch[i])),
                    int(h.samples_seen[i]),
                    repr(float(h.wall_time_s[i])),
                    repr(float(h.loss[i])),
                    *(repr(float(v)) for v in h.params[i]),
                ]
            )


def _write_columns(f: TextIO, columns: dict) -> None:
    w = csv.writer(f, lineterminator="\n")
    names = list(columns)
    w.writerow(names)
    for row in zip(*(columns[n] for n in names), strict=True):
        w.writerow([repr(float(v)) for v in row])


def _write_atomic(path: Path, write: Callable[[TextIO], None]) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            write(f)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file normal permissions
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="main.py", description="Batch Size Lab, headless.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("presets", help="list preset ids with a short description")
    run = sub.add_parser("run", help="run a preset or config file and print (or write) the results")
    run.add_argument("source", metavar="PRESET|FILE.json")
    run.add_argument("--set", action="append", metavar="KEY=VALUE", help="override a config field")
    run.add_argument("--out", metavar="DIR", help="write summary.json, history.csv and data.csv here")
    run.add_argument("--device", choices=("auto", "cpu", "cuda"))
    return parser


def main(argv: Sequence[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "presets":
            return cmd_presets(sys.stdout)
        return cmd_run(args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except RuntimeError as exc:  # e.g. cuda requested without a GPU
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # e.g. --out on a full or read-only disk; no partial file is left
        print(f"error: cannot write the results: {exc}", file=sys.stderr)
        return 1
