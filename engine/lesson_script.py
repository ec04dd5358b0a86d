"""A lesson as a standalone PyTorch script: the same data, start and batch order, no app needed.

`lesson_script(preset, config)` returns the text of a Python file that imports only torch (and
the standard library), draws the data with the seed the app derives, builds each run's model as
an `nn.Module`, trains it with the run's `torch.optim` optimizer over the same batches in the same
order, and prints each run's final full-batch loss as one JSON object per line. The numbers equal
the app's `summary.json` to float32 tolerance (the app computes line gradients in closed form,
the script with autograd; tests/engine/test_lesson_script.py runs three lessons).

The seeds are written into the script as numbers (the app derives them from the config's one
seed with numpy's SeedSequence), so the script needs nothing but torch.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from pprint import pformat
from typing import Any

from engine.atomic_file import write_text_atomically
from engine.config import ExperimentConfig
from engine.errors import shown_path
from engine.optimizer_specs import OPTIMIZERS, torch_kwargs
from engine.presets import Preset
from engine.problems.two_lines import MINORITY, MINORITY_LINE, WIDTH
from engine.resources import APP_NAME, __version__
from engine.seeds import batch_seed, derive_seed
from engine.training.stack import DIVERGENCE_FACTOR

SCRIPT_PROBLEMS = ("linear", "logistic", "two_lines")


class ScriptError(ValueError):
    """The lesson cannot be written as a script (its problem, or the file); one sentence."""


_DATA = {
    "linear": """\
# y = w·x + b + noise: N samples drawn in float64, as the app draws them.
g = torch.Generator().manual_seed(DATA_SEED)
x = torch.randn(N, generator=g, dtype=torch.float64) * FEATURE_SCALE
x += FEATURE_SHIFT
noise = torch.randn(N, generator=g, dtype=torch.float64) * NOISE
y = TRUE_W * x + TRUE_B + noise
""",
    "logistic": """\
# Labels 1 where w·x + b + noise > 0, else 0: N samples drawn in float64, as the app draws them.
g = torch.Generator().manual_seed(DATA_SEED)
x = torch.randn(N, generator=g, dtype=torch.float64) * FEATURE_SCALE + FEATURE_SHIFT
noise = torch.randn(N, generator=g, dtype=torch.float64) * NOISE
y = (TRUE_W * x + TRUE_B + noise > 0).to(torch.float64)
""",
    "two_lines": f"""\
# Most samples near y = TRUE_W·x + TRUE_B, a share of {MINORITY:g} near another line,
# y = {MINORITY_LINE[0]:g}·x + {MINORITY_LINE[1]:g}.
g = torch.Generator().manual_seed(DATA_SEED)
x = torch.randn(N, generator=g, dtype=torch.float64) * FEATURE_SCALE + FEATURE_SHIFT
minority = torch.rand(N, generator=g, dtype=torch.float64) < {MINORITY!r}
line_w = torch.where(minority, {MINORITY_LINE[0]!r}, TRUE_W)
line_b = torch.where(minority, {MINORITY_LINE[1]!r}, TRUE_B)
y = line_w * x + line_b + torch.randn(N, generator=g, dtype=torch.float64) * NOISE
""",
}

_LOSS = {
    "linear": """\
def loss_fn(prediction: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    \"\"\"Mean squared error (no ½).\"\"\"
    return F.mse_loss(prediction, target)
""",
    "logistic": """\
def loss_fn(prediction: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    \"\"\"Mean binary cross-entropy; `prediction` is the logit w·x + b.\"\"\"
    return F.binary_cross_entropy_with_logits(prediction, target)
""",
    "two_lines": f"""\
WIDTH = {WIDTH!r}  # c: residuals much larger than this barely count


def loss_fn(prediction: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    \"\"\"Welsch's robust loss, the mean of 1 − exp(−r²/2c²) of the residuals r.\"\"\"
    r = prediction - target
    return (1 - torch.exp(-(r * r) / (2 * WIDTH**2))).mean()
""",
}

_IMPORTS = (
    "import json\nimport math\n\nimport torch\nimport torch.nn.functional as F\nfrom torch import nn\n\n"
)

_TRAINING = f"""\
class Line(nn.Module):
    \"\"\"ŷ = w·x + b, with θ = (w, b) as one parameter.\"\"\"

    def __init__(self, start: tuple[float, float]) -> None:
        super().__init__()
        self.theta = nn.Parameter(torch.tensor(start, dtype=torch.float32))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.theta[0] * x + self.theta[1]


def full_loss(model: Line) -> float:
    \"\"\"The loss over all N samples, in float64 (what the app plots and reports).\"\"\"
    with torch.no_grad():
        w, b = model.theta.double()
        return float(loss_fn(w * x + b, y))


def epoch_batches(run: dict, g: torch.Generator) -> list[torch.Tensor]:
    \"\"\"One epoch's batches of sample indices, in order.\"\"\"
    batch = run["batch_size"]
    if run["sampling"] == "replacement":  # every batch drawn uniformly, with replacement
        return list(torch.randint(0, N, (run["batches_per_epoch"], batch), generator=g))
    if batch == N:  # the full batch: every sample, in data order
        return [torch.arange(N)]
    order = torch.randperm(N, generator=g)  # reshuffle, then cut into batches
    batches = list(order.split(batch))
    if DROP_LAST and len(batches[-1]) < batch:
        batches.pop()
    return batches


def train(run: dict) -> dict:
    model = Line(START)
    optimizer = getattr(torch.optim, run["optimizer"])(model.parameters(), lr=run["lr"], **run["options"])
    scheduler = None
    if run["warmup_steps"] > 1:  # the lr rises linearly from lr/w to lr over the first w steps
        w = run["warmup_steps"]
        scheduler = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=1 / w, total_iters=w - 1)
    g = torch.Generator().manual_seed(run["batch_seed"])
    x32, y32 = x.float(), y.float()
    limit = {DIVERGENCE_FACTOR:g} * max(full_loss(model), 1e-3)
    for epoch in range(EPOCHS):
        for idx in epoch_batches(run, g):
            optimizer.zero_grad()
            loss = loss_fn(model(x32[idx]), y32[idx])
            loss.backward()
            optimizer.step()
            if scheduler is not None:
                scheduler.step()
            # The app marks a run diverged (and stops it) once its full-batch loss is not
            # finite or passes {DIVERGENCE_FACTOR:g} times the start's.
            now = full_loss(model)
            if not math.isfinite(now) or now > limit:
                return {{"label": run["label"], "final_loss": None, "diverged": True}}
    return {{"label": run["label"], "final_loss": full_loss(model), "diverged": False}}


if __name__ == "__main__":
    for run in RUNS:
        print(json.dumps(train(run)), flush=True)
"""


def _run_table(config: ExperimentConfig) -> list[dict[str, Any]]:
    runs = []
    for spec in config.runs:
        name, params = config.optimizer_of(spec)
        runs.append(
            {
                "label": spec.label,
                "batch_size": config.batch_size_of(spec),
                "sampling": config.sampling_of(spec),
                "batches_per_epoch": config.iterations_per_epoch(spec),
                "optimizer": OPTIMIZERS[name][0],
                "options": torch_kwargs(name, params),
                "lr": config.scaled_lr_of(spec),
                "warmup_steps": config.warmup_iterations(spec),
                "batch_seed": batch_seed(config, spec),
            }
        )
    return runs


def _start(config: ExperimentConfig, drawn: tuple[float, float] | None) -> tuple[float, float]:
    """The config's start, or the one the app draws (which needs the data's minimum; `drawn`
    when the caller already has it, as the window does once a session is set up)."""
    if config.start is not None:
        return (float(config.start[0]), float(config.start[1]))
    if drawn is not None:
        return (float(drawn[0]), float(drawn[1]))
    import torch

    from engine.problems import make_problem
    from engine.training.start import start_point

    problem = make_problem(config, torch.device("cpu"), derive_seed(config.seed, "data"))
    point = start_point(config, problem)
    assert point is not None
    return (float(point[0]), float(point[1]))


def _comment(text: str) -> str:
    return "\n".join(textwrap.wrap(text, 94, initial_indent="# ", subsequent_indent="#   ")) + "\n"


def lesson_script(
    preset: Preset, config: ExperimentConfig, drawn_start: tuple[float, float] | None = None
) -> str:
    """The text of a standalone script that reproduces `config` (with `preset`'s texts).

    Raises ScriptError for a problem the export does not cover; a config whose data admit no
    start (ConfigError, a ValueError) propagates as the session would raise it.
    """
    if config.problem not in SCRIPT_PROBLEMS:
        raise ScriptError(
            f"a lesson can be written as a script for the problems {', '.join(SCRIPT_PROBLEMS)}; "
            f"this one trains {config.problem!r}, which the script export does not cover yet"
        )
    title = " ".join((preset.text("title", "en") or preset.id).split())
    runs = _run_table(config)
    table = (
        "RUNS = [\n"
        + "".join(textwrap.indent(pformat(run, width=92, sort_dicts=False), "    ") + ",\n" for run in runs)
        + "]\n"
    )
    points = "".join(_comment(p) for p in preset.points("en"))
    constants = "\n".join(
        [
            f"N = {config.n_samples}",
            f"NOISE = {config.noise!r}",
            f"FEATURE_SCALE = {config.feature_scale!r}",
            f"FEATURE_SHIFT = {config.feature_shift!r}",
            f"TRUE_W = {config.true_w!r}",
            f"TRUE_B = {config.true_b!r}",
            f"DATA_SEED = {derive_seed(config.seed, 'data')}  # derived by the app from seed {config.seed}",
            f"START = {_start(config, drawn_start)!r}  # (w, b) every run starts from",
            f"EPOCHS = {config.epochs}",
            f"DROP_LAST = {config.drop_last!r}",
        ]
    )
    return (
        # Title and name as comments, not in the docstring: any text is safe there.
        _comment(title)
        + _comment(f"Written by {APP_NAME} {__version__} from the lesson {preset.id}.")
        + '"""Reproduces the lesson\'s\n'
        "runs in plain PyTorch (the same data, the same start, the same batches in the same order)\n"
        "and prints each run's final full-batch loss as one JSON object per line.\n\n"
        "    python this_file.py      (needs torch, nothing else)\n"
        '"""\n\n'
        + (f"# What the lesson shows:\n{points}\n" if points else "")
        + _IMPORTS
        + constants
        + "\n\n# One entry per run: its batch size, how batches are drawn, its torch.optim optimizer\n"
        "# (lr after any batch-size scaling) and the seed of its batch order.\n"
        + table
        + "\n"
        + _DATA[config.problem]
        + "\n\n"
        + _LOSS[config.problem]
        + "\n\n"
        + _TRAINING
    )


def write_script(path: Path, text: str) -> None:
    """Write `text` to `path` atomically; ScriptError with one sentence when it cannot."""
    where = shown_path(path)
    try:
        write_text_atomically(path, text)
    except IsADirectoryError as exc:
        raise ScriptError(f"cannot write the script to {where}: it is a folder") from exc
    except OSError as exc:
        raise ScriptError(f"cannot write {where}: {exc.strerror or exc}; nothing was changed") from exc
