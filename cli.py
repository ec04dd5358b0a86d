"""Headless commands: `presets`, `run`, `datasets` and `download`. Imports no Qt.

Exit status: 0 done; 1 the results could not be written, or a run diverged before its first
step; 2 with one line on stderr for anything the user can fix (bad preset, file, key, value or
--out folder), found before any training; 130 interrupted by Ctrl-C, 143 by SIGTERM (one line
"interrupted", no traceback). The files of `run --out` are written as a set (see
engine/results_folder.py): the folder holds the new experiment complete, or the old one.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from arguments import COMMANDS, build_parser, parse
from engine import (
    DATASETS,
    DataError,
    ExperimentConfig,
    Interrupted,
    Preset,
    Recorder,
    SessionControl,
    SweepResult,
    WorkerError,
    availability,
    cache_dir,
    download,
    format_bytes,
    is_out_of_memory,
    load_preset,
    load_scenario,
    preset_ids,
    run_session,
    working,
)
from engine.lesson_script import ScriptError, lesson_script, write_script
from engine.results_folder import ResultsFolder, results_summary, write_results
from engine.training.parallel import torchrun
from interrupts import STOP, Interrupt, ignore, on_force_exit, raise_if_stopped, report

__all__ = ["Interrupt", "main", "resolve_config", "run_command"]


class UsageError(Exception):
    """Something the user typed is wrong; the message says what."""


def resolve_config(
    source: str, assignments: Sequence[str], device: str | None
) -> tuple[Preset, ExperimentConfig]:
    """A preset id or a JSON file, with `--set` overrides and `--device` applied."""
    try:
        path = Path(source)
        is_file = source.endswith(".json") or path.exists()
        preset = load_scenario(path).preset if is_file else load_preset(source)
        config = preset.config.with_overrides(assignments)
        if device is not None:
            config = replace(config, device=device)
    except (ValueError, TypeError, RecursionError) as exc:
        raise UsageError(str(exc)) from exc
    return preset, config


def cmd_presets(out: TextIO) -> int:
    for ident in preset_ids():
        preset = load_preset(ident)
        out.write(f"{ident}\t{preset.text('title', 'en')}\n")
    return 0


def cmd_script(args: argparse.Namespace) -> int:
    """Write the lesson as a standalone PyTorch script (engine/lesson_script.py)."""
    preset, config = resolve_config(args.source, args.set or [], None)
    try:
        text = lesson_script(preset, config)
        ignore()  # as for run's results: a signal before this line writes nothing, after it none
        raise_if_stopped()
        write_script(Path(args.out), text)
    except (ScriptError, ValueError) as exc:  # not covered; or data that admit no start
        raise UsageError(str(exc)) from exc
    print(f"wrote {args.out}: run it with  python {args.out}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    _, config = resolve_config(args.source, args.set or [], args.device)
    if torchrun.launched() is not None:
        return _run_in_torchrun_group(args, config)
    return _run(args, config)


def _run_in_torchrun_group(args: argparse.Namespace, config: ExperimentConfig) -> int:
    """One of the processes `torchrun` started (engine/training/parallel/torchrun.py): copy 0
    runs the session and writes the results; the others step its data-parallel runs with it."""
    found = torchrun.launched()
    assert found is not None
    rank, world, _ = found
    try:
        config = torchrun.for_group(config, world)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    torchrun.join(config)
    try:
        if rank != 0:
            torchrun.follow_session(config)
            return 0
        parallel = [r.label for r in config.runs if r.workers > 1]
        trained = f"{', '.join(map(repr, parallel))} trained on all {world}" if parallel else ""
        print(f"torchrun group of {world} processes: {trained or 'no run has workers > 1'}", file=sys.stderr)
        return _run(args, config)
    finally:
        torchrun.leave()


def _run(args: argparse.Namespace, config: ExperimentConfig) -> int:
    folder = None
    if args.out is not None:
        try:  # before training, so a bad --out costs no compute
            folder = ResultsFolder(args.out)
        except ValueError as exc:
            raise UsageError(f"--out: {exc}") from exc
    forget = on_force_exit(folder.discard) if folder is not None else None
    try:
        return _train_and_report(config, folder)
    except (ValueError, DataError) as exc:  # refused when the data are drawn or the device chosen
        raise UsageError(str(exc)) from exc
    finally:
        if folder is not None:
            folder.discard()  # nothing half-written stays (after a commit: nothing to remove)
        if forget is not None:
            forget()


class TerminalBar:
    """Progress on stderr. A terminal gets a bar redrawn at most 5 times a second:
    `[########............]  42 %  epoch 4.2 of 10, about 3 min left`; during a sweep, the
    sweep's share done and where it is (`sweep: seed 2 of 3, epoch 12.5 of 30`). A pipe or a
    file gets nothing for a run that ends within a minute, else a line a minute with the same
    figures (a config that takes hours must not look like a hang in a log)."""

    WIDTH = 30
    PIPE_INTERVAL_S = 60.0

    def __init__(self, epochs: int, stream: TextIO = sys.stderr) -> None:
        self.epochs, self.stream = epochs, stream
        self.tty = stream.isatty()
        self.started = time.monotonic()
        self.last = 0.0 if self.tty else self.started
        self.drawn = False
        self.detail = ""  # what the sweep is doing (set by the caller)
        self.sweep_done: float | None = None  # the sweep's share done, once it runs
        self.sweep_started = 0.0

    def task(self, name: str, done: float) -> None:
        """SessionControl.report: long work other than training (only the sweep is shown)."""
        if name == "sweep":
            if self.sweep_done is None:
                self.sweep_started = time.monotonic()
            self.sweep_done = done

    def update(self, epochs_done: float, final: bool = False) -> None:
        now = time.monotonic()
        if self.tty:
            if not final and now - self.last < 0.2:
                return
        elif final or now - self.last < self.PIPE_INTERVAL_S:  # the results say the rest
            return
        self.last = now
        if self.sweep_done is not None and not final:
            share, since = self.sweep_done, self.sweep_started
            figures = f"{share * 100:4.0f} %  sweep: {self.detail}"
        else:
            share, since = min(max(epochs_done / self.epochs, 0.0), 1.0), self.started
            figures = f"{share * 100:4.0f} %  epoch {epochs_done:.1f} of {self.epochs}"
        if 0 < share < 1:
            figures += f", {_time_left((now - since) * (1 - share) / share)}"
        if self.tty:
            filled = round(share * self.WIDTH)
            self.stream.write(f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {figures}\x1b[K")
            self.drawn = True
        else:
            self.stream.write(f"progress: {figures.strip()}\n")
        self.stream.flush()

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False


def sweep_progress(sweep: SweepResult) -> str:
    """Where a running sweep is, in a few words."""
    if sweep.phase == "timing" and sweep.batch_size is not None:
        return f"timing B = {sweep.batch_size} alone"
    if sweep.phase == "training":
        return f"seed {sweep.seed_index + 1} of {sweep.seeds}, epoch {sweep.epoch:.1f}"
    return {"memory": "measuring memory", "noise": "measuring the gradient noise scale"}.get(sweep.phase, "")


def sweep_lines(sweep: SweepResult) -> list[str]:
    """The sweep's findings, for the terminal (sweep.csv and summary.json hold them all)."""
    lines = []
    for cost in sweep.costs:
        if cost.status == "ok" and cost.seconds_per_epoch is not None and cost.samples_per_s is not None:
            lines.append(
                f"sweep B = {cost.batch_size:>6}: {cost.seconds_per_epoch:.3g} s/epoch, "
                f"{cost.samples_per_s:,.0f} samples/s, step memory {format_bytes(cost.memory_bytes)}"
            )
        else:
            lines.append(
                f"sweep B = {cost.batch_size:>6}: not run, its step would need about "
                f"{format_bytes(cost.memory_bytes)}, over the budget of {format_bytes(sweep.budget_bytes)}"
            )
    fit = sweep.steps_fit
    if fit is not None:
        lines.append(
            f"sweep fit of steps to target: S_min = {fit.scale:.3g} ± {fit.scale_se:.2g}, "
            f"B_crit = {fit.b_crit:.3g} ± {fit.b_crit_se:.2g} ({fit.points} points)"
        )
    noise = [
        (w, n.b_simple)
        for w, n in (("start", sweep.noise_start), ("middle of training", sweep.noise_midway))
        if n
    ]
    if noise:
        lines.append(
            "gradient noise scale B_simple: "
            + ", ".join(f"{v:.3g} at the {w}" if v is not None else f"undefined at the {w}" for w, v in noise)
        )
    best = sweep.time_optimal_batch()
    if best is not None:
        lines.append(f"sweep: the least time to the target was at B = {best}")
    return lines


def _time_left(seconds: float) -> str:
    if seconds < 90:
        return f"about {max(seconds, 1):.0f} s left"
    if seconds < 5400:
        return f"about {seconds / 60:.0f} min left"
    return f"about {seconds / 3600:.1f} h left"


def _train_and_report(config: ExperimentConfig, folder: ResultsFolder | None) -> int:
    recorder = Recorder()
    bar = TerminalBar(config.epochs)
    try:
        # A signal sets STOP (interrupts.py): the session ends at its next step and says so.
        for progress in run_session(config, SessionControl(stop=STOP, report=bar.task)):
            sweep = progress.measurements.get("sweep")
            if sweep is not None and not progress.finished:
                bar.detail = sweep_progress(sweep)
            bar.update(recorder.add(progress).clock_epochs, final=progress.finished)
    finally:
        bar.close()  # a Ctrl-C or an error prints on a line of its own
    raise_if_stopped()
    return _report(config, folder, recorder)


def _report(config: ExperimentConfig, folder: ResultsFolder | None, recorder: Recorder) -> int:
    final, setup = recorder.last, recorder.setup
    # A session that ends without its setup or its results was stopped (raised above).
    assert final is not None and final.finished and setup is not None
    names = setup.param_names
    summary = results_summary(config, setup.device, final, recorder.histories)
    lines: list[str] = []
    # summary.json's measurements are JSON values (results_summary's jsonable), keyed by name.
    measurements: dict[str, Any] = summary.get("measurements", {})
    if measurements:
        basins: dict[str, dict[str, int]] = measurements.get("basins", {})
        for label, count in basins.items():
            lines.append(
                f"{label:>12}: {count['better']} of {count['seeds']} seeds reached the better minimum, "
                f"{count['worse']} the worse one"
                + (f", {count['diverged']} diverged" if count["diverged"] else "")
            )
        sweep = final.measurements.get("sweep")
        if sweep is not None:
            lines.extend(sweep_lines(sweep))
        noise: dict[str, Any] | None = measurements.get("gradient_noise")
        if noise is not None:
            verdict = "agree" if noise["agrees"] else "DO NOT agree"
            lines.append(
                f"gradient noise at the start: tr Σ = {noise['trace_sigma']:.6g}, "
                f"B_simple = {noise['b_simple']} (estimated from B = "
                f"{noise['b_simple_estimate_batches'][0]} and {noise['b_simple_estimate_batches'][1]}: "
                f"{noise['b_simple_estimate']}); measured variances {verdict} with theory "
                f"within {noise['agreement_z']:g} standard errors"
            )
    unstarted = 0
    for r in final.results:
        workers = config.run_by_label(r.label).workers
        share = r.batch_size // workers
        batch = f"{share} × {workers} workers = {r.batch_size}" if workers > 1 else str(r.batch_size)
        head = (
            f"{r.label:>12}: B = {batch}, {r.iterations_per_epoch} iteration"
            f"{'' if r.iterations_per_epoch == 1 else 's'}/epoch, "
        )
        if r.initial_loss is None:
            unstarted += 1
            lines.append(head + "diverged before its first step (the loss at the start is not finite)")
            continue
        status = (
            f"diverged after iteration {r.iterations}" if r.diverged else f"final loss {r.final_loss:.6g}"
        )
        if 0 < len(names) == len(r.final_params):  # the few parameters of a drawn problem
            status += ", " + ", ".join(f"{n} = {v:.6g}" for n, v in zip(names, r.final_params, strict=True))
        if r.per_epoch:  # a network: its last measured epoch
            last = r.per_epoch[-1]
            status += (
                f", after epoch {int(last['epoch'])}: train accuracy {last['train_accuracy']:.4f}, "
                f"validation accuracy {last['val_accuracy']:.4f}"
            )
        steps = f"{r.iterations} iteration{'' if r.iterations == 1 else 's'}"
        lines.append(head + f"{steps}, loss {r.initial_loss:.6g} → {status}")
    if folder is not None:  # the files first: a full or closed stdout must not cost the results
        write_results(folder, summary, recorder.histories, names, setup.data, final.measurements.get("sweep"))
        # From here the outcome is decided: a signal before this line keeps the old results,
        # one after it is ignored (the new results are committed and the exit status is 0).
        ignore()
        raise_if_stopped()
        folder.commit()
        lines.append(f"wrote {', '.join(folder.written)} to {folder.target}")
    return max(_say(lines), 1 if unstarted else 0)


def _say(lines: list[str]) -> int:
    """Print `lines` on stdout; 0, or 1 with a line on stderr when stdout cannot take them
    (a full disk, a closed pipe)."""
    try:
        for line in lines:
            print(line)
        sys.stdout.flush()
    except OSError as exc:
        # Python would try (and fail) to flush the same text again at exit, and complain.
        sys.stdout = open(os.devnull, "w", encoding="utf-8")
        print(f"error: cannot write to standard output: {exc.strerror or exc}", file=sys.stderr)
        return 1
    return 0


STATUS = {
    "bundled": "available (bundled)",
    "generated": "available (generated from the seed)",
    "cached": "available (in the cache)",
    "system": "available (installed by a system package)",
    "download": "needs a download: python main.py download {name}",
}


def cmd_datasets(out: TextIO) -> int:
    for name, info in DATASETS.items():
        h, w = info.image_shape
        status = STATUS[availability(name)].format(name=name)
        out.write(
            f"{name:<14} {info.train_size:>7,} + {info.val_size:>6,} images {h}×{w}, "
            f"{len(info.classes)} classes; {status}\n"
        )
    out.write(f"cache: {cache_dir(name).parent}\n")
    return 0


def cmd_download(name: str) -> int:
    if name not in DATASETS:
        raise UsageError(f"no dataset named {name!r}; datasets are {', '.join(DATASETS)}")
    state = availability(name)
    if state in ("bundled", "generated"):
        print(f"{name} is {state}; there is nothing to download")
        return 0
    if state == "cached":
        print(f"{name} is already in the cache: {cache_dir(name)}")
        return 0
    if state == "system":  # a distribution's package put it there: nothing to fetch
        print(
            f"{name} is installed by a system package in {DATASETS[name].system_dir}; "
            "there is nothing to download"
        )
        return 0
    show = sys.stderr.isatty()

    def downloaded(task: str, done: float) -> None:
        if show:
            sys.stderr.write(f"\rdownloading {name}: {done * 100:5.1f} %")
            sys.stderr.flush()

    try:
        with working(SessionControl(stop=STOP, report=downloaded), "download"):
            folder = download(name)
    except DataError as exc:
        if show:
            sys.stderr.write("\n")
        raise UsageError(str(exc)) from exc
    if show:
        sys.stderr.write("\n")
    print(f"{name}: {len(DATASETS[name].files)} files checked and saved in {folder}")
    return 0


def main(argv: Sequence[str]) -> int:
    """Parse `argv` (a sub-command and its options) and run it: `run_command`."""
    args = parse(argv)
    if args.command is None:
        build_parser().error("a sub-command is needed here: " + ", ".join(COMMANDS))
    return run_command(args)


def run_command(args: argparse.Namespace) -> int:
    """Run one parsed headless command. Signals are caught by interrupts.py (installed by
    main.py), which turns them into a stop that this code honours at its next safe point."""
    try:
        raise_if_stopped()
        if args.command == "presets":
            return cmd_presets(sys.stdout)
        if args.command == "datasets":
            return cmd_datasets(sys.stdout)
        if args.command == "download":
            return cmd_download(args.name)
        if args.command == "script":
            return cmd_script(args)
        return cmd_run(args)
    except UsageError as exc:
        print(f"error: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    except WorkerError as exc:  # a data-parallel worker failed or was killed; its group is ended
        print(f"error: {_one_line(str(exc))} (nothing was written)", file=sys.stderr)
        return 1
    except (MemoryError, RuntimeError) as exc:
        if not is_out_of_memory(exc):
            raise
        # Predicted to fit (engine/training/memory.py) and still too big: say so in one line.
        print(
            "error: out of memory while training; use smaller batches, fewer runs or fewer samples "
            f"(nothing was written) [{_one_line(str(exc))[:120]}]",
            file=sys.stderr,
        )
        return 1
    except BrokenPipeError:  # `main.py presets | head -1`: the reader has all it wanted
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # Python's exit flush would complain
        return 0
    except OSError as exc:  # e.g. a full disk while writing; the old results stay as they were
        print(f"error: cannot write the results: {_one_line(str(exc))}", file=sys.stderr)
        return 1
    except Interrupt as stop:
        return report(stop.signum)
    except (Interrupted, KeyboardInterrupt):  # KeyboardInterrupt: no handler installed (tests)
        return report()


def _one_line(text: str) -> str:
    """An error as one line of readable length (a value is quoted short)."""
    line = " ".join(text.split())
    return line if len(line) <= 500 else line[:499] + "…"
