"""Training speed on a quiet machine and beside a busy process, by intra-op thread choice.

    python benchmarks/threads_load.py [--quick] [--busy N] [--rounds R] [--wait-quiet S] [--json FILE]

LeNet-5 on 28×28 images (the lenet-fashion lesson's steps, on the synthetic set: the same
shapes, a shorter set-up) at B = 16 and B = 128, in a fresh process for each case, since the
engine settles its thread count once per process (engine/training/device.py):

- engine: the engine's own choice (no OMP_NUM_THREADS): every core but one;
- two / one: OMP_NUM_THREADS=2 / 1, which the engine keeps (two was its old choice for steps
  this big on these 2-core machines, and it was its choice on a quiet machine while the count
  followed the load);
- two-passive: OMP_NUM_THREADS=2 and OMP_WAIT_POLICY=PASSIVE (the OpenMP team sleeps at its
  barriers instead of spinning; read once, when torch is imported).

Each case (`--cases`, all by default) runs quiet and loaded: beside `--busy` other processes
(1 by default, each an endless Python loop), in `--rounds` rounds, cases taken in turns; the
table shows each case's round with the least background (below). Figures, not asserts:
steps/s of the engine's stepping time (`RunResult.wall_time_s`), loaded/quiet, and each case
against one thread under the same load. "Quiet" is whatever this shared machine did besides: before each
case it waits up to `--wait-quiet` seconds for the other programs (the busy loops aside) to go
idle, and the `background` column gives the cores they kept busy during the case (the busy
loops not counted), `others` what the engine measured at its start (the busy loops counted).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def machine_busy_s() -> float | None:
    """CPU seconds all cores have spent busy (every process; a VM's stolen time counts as
    busy) since the machine started, from /proc/stat; None where there is none (not Linux)."""
    try:
        with open("/proc/stat", encoding="ascii") as f:
            # user nice system idle iowait irq softirq steal
            ticks = [int(v) for v in f.readline().split()[1:9]]
    except (OSError, ValueError):
        return None
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def others_busy(window_s: float = 0.2) -> float | None:
    """Cores kept busy by other processes over `window_s`: the machine's busy time less this
    process's own, per second."""
    before, own, wall = machine_busy_s(), time.process_time(), time.perf_counter()
    time.sleep(window_s)
    after = machine_busy_s()
    if before is None or after is None:
        return None
    return max(0.0, (after - before - (time.process_time() - own)) / (time.perf_counter() - wall))


BATCHES = {16: 1, 128: 4}  # batch size: the steps of a case divided by this
CASES: dict[str, dict[str, str]] = {
    "engine": {},
    "two": {"OMP_NUM_THREADS": "2"},
    "one": {"OMP_NUM_THREADS": "1"},
    "two-passive": {"OMP_NUM_THREADS": "2", "OMP_WAIT_POLICY": "PASSIVE"},
}
SPIN = "while True: pass"
Figures = dict[str, dict[str, dict[str, Any]]]  # condition → case → figures


def child(steps: int) -> None:
    """One case: the engine's thread count and LeNet steps/s at each batch size, as JSON."""
    import torch  # noqa: F401  # first, as a session's start-up imports it before settling

    from engine import ExperimentConfig, Recorder, RunSpec, run_session
    from engine.training.device import settle_threads

    others = others_busy()
    threads = settle_threads()  # what the first session would settle (it then keeps this)
    rates = {}
    for batch, fewer in BATCHES.items():
        config = ExperimentConfig(
            problem="network",
            dataset="synthetic",
            model="lenet",
            n_samples=steps // fewer * batch,
            epochs=1,
            lr=0.01,
            device="cpu",
            runs=(RunSpec("A", batch),),
        )
        recorder = Recorder()
        for progress in run_session(config):
            recorder.add(progress)
        assert recorder.last is not None and recorder.last.results
        result = recorder.last.results[0]
        rates[str(batch)] = result.iterations / result.wall_time_s
    print(json.dumps({"threads": threads, "others": others, "steps_per_s": rates}))


def _cpu_s(pids: list[int]) -> float:
    """CPU seconds used so far by these running processes (Linux: /proc)."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def _children_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_case(env: dict[str, str], steps: int, spinners: list[int]) -> dict[str, Any]:
    """One case in a fresh process, and the cores other programs kept busy meanwhile."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("OMP_NUM_THREADS", "OMP_WAIT_POLICY")}
    full_env.update(env)
    busy, children, spun = machine_busy_s(), _children_s(), _cpu_s(spinners)
    own, wall = time.process_time(), time.perf_counter()
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(steps)],
        env=full_env,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    after = machine_busy_s()
    if busy is not None and after is not None:
        ours = _children_s() - children + _cpu_s(spinners) - spun + time.process_time() - own
        result["background"] = max(0.0, (after - busy - ours) / (time.perf_counter() - wall))
    result["seconds"] = time.perf_counter() - wall
    return result


def wait_quiet(limit_s: float, ours: int) -> float:
    """Wait until other programs keep less than a quarter of a core busy for a second, besides
    `ours` busy loops, or `limit_s` passed; the cores they kept busy in the last second."""
    deadline = time.perf_counter() + limit_s
    while True:
        before, own, wall = machine_busy_s(), time.process_time(), time.perf_counter()
        time.sleep(1.0)
        after = machine_busy_s()
        if before is None or after is None:
            return float("nan")
        others = (after - before - (time.process_time() - own)) / (time.perf_counter() - wall) - ours
        if others < 0.25 or time.perf_counter() > deadline:
            return max(0.0, others)


def measure(busy: int, steps: int, rounds: int, wait_s: float, names: list[str]) -> Figures:
    """Each case's rounds, quiet and loaded (the rounds' list under "rounds")."""
    figures: Figures = {"quiet": {}, "loaded": {}}
    for _ in range(rounds):
        for condition, cases in figures.items():
            n = busy if condition == "loaded" else 0
            spinners = [subprocess.Popen([sys.executable, "-c", SPIN]) for _ in range(n)]
            try:
                for name in names:
                    waited = wait_quiet(wait_s, n)
                    f = run_case(CASES[name], steps, [s.pid for s in spinners])
                    print(
                        f"  {condition}, {name}: {f['steps_per_s']}, {f['seconds']:.0f} s, "
                        f"background {waited:.2f} before, {f.get('background', float('nan')):.2f} during",
                        file=sys.stderr,
                        flush=True,
                    )
                    cases.setdefault(name, {"rounds": []})["rounds"].append(f)
            finally:
                for spinner in spinners:
                    spinner.kill()
                    spinner.wait()
    return figures


def quietest(case: dict[str, Any]) -> dict[str, Any]:
    """A case's round with the least background: the nearest to quiet (or to the busy loops alone)."""
    rounds: list[dict[str, Any]] = case["rounds"]
    return min(rounds, key=lambda f: f.get("background", 0.0))


def table(figures: Figures, busy: int, names: list[str]) -> str:
    lines = [
        f"LeNet steps/s, quiet and loaded (beside {busy} busy process{'es' if busy != 1 else ''})",
        "",
        "| case | condition | threads | others at start | background | B = 16 | B = 128 |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in names:
        for condition in ("quiet", "loaded"):
            f = quietest(figures[condition][name])
            r = f["steps_per_s"]
            lines.append(
                f"| {name} | {condition} | {f['threads']} | {f['others']:.2f} "
                f"| {f.get('background', float('nan')):.2f} | {r['16']:.0f} | {r['128']:.1f} |"
            )
    one = quietest(figures["loaded"]["one"])["steps_per_s"] if "one" in names else None
    lines += [
        "",
        "| case | loaded / quiet, B = 16 | B = 128 | loaded / one loaded, B = 16 | B = 128 |",
        "|---|---|---|---|---|",
    ]
    for name in names:
        q = quietest(figures["quiet"][name])["steps_per_s"]
        lo = quietest(figures["loaded"][name])["steps_per_s"]
        vs = f"{lo['16'] / one['16']:.2f} | {lo['128'] / one['128']:.2f}" if one else "- | -"
        lines.append(f"| {name} | {lo['16'] / q['16']:.2f} | {lo['128'] / q['128']:.2f} | {vs} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer steps a case, one round")
    parser.add_argument("--busy", type=int, default=1, help="busy processes beside the loaded cases")
    parser.add_argument("--cases", default=",".join(CASES), help="comma-separated, of: %(default)s")
    parser.add_argument("--rounds", type=int, help="rounds of every case (default 1 quick, else 2)")
    parser.add_argument("--wait-quiet", type=float, default=60.0, metavar="S", help="see above")
    parser.add_argument("--json", metavar="FILE", help="write the figures here")
    parser.add_argument("--child", type=int, metavar="STEPS", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return 0
    t0 = time.perf_counter()
    rounds = args.rounds or (1 if args.quick else 2)
    names = args.cases.split(",")
    unknown = set(names) - set(CASES)
    if unknown:
        parser.error(f"no case {sorted(unknown)[0]!r}; the cases: {', '.join(CASES)}")
    figures = measure(args.busy, 60 if args.quick else 200, rounds, args.wait_quiet, names)
    print(table(figures, args.busy, names))
    print(f"\n{os.cpu_count()} CPUs, {rounds} round(s); {time.perf_counter() - t0:.0f} s in total")
    if args.json:
        results = {"busy": args.busy, "rounds": rounds, **figures}
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
