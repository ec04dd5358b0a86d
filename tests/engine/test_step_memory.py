"""One step's memory (engine/training/step_memory.py) against closed forms: an MLP whose saved
activations are known byte for byte, the optimizers' state, and the line in B checked against a
third measured size."""

from __future__ import annotations

import copy

import pytest
import torch
from torch import nn
from torch.nn import functional

from engine.training.step_memory import MemoryLine, measure_step

D, H, C = 20, 16, 3  # inputs, hidden units, classes


def mlp() -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(D, H), nn.ReLU(), nn.Linear(H, C))


def step(batch: int, optimizer: str = "adam", model: nn.Module | None = None):
    model = model or mlp()
    opt: torch.optim.Optimizer
    if optimizer == "adam":
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    elif optimizer == "momentum":
        opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    else:
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
    generator = torch.Generator().manual_seed(batch)
    x = torch.randn(batch, D, generator=generator)
    y = torch.randint(0, C, (batch,), generator=generator)
    return measure_step(model, x, y, functional.cross_entropy, opt)


PARAMS = (D * H + H + H * C + C) * 4  # float32 weights and biases


@pytest.mark.parametrize("batch", [1, 4, 32, 100])
def test_an_mlps_saved_activations_match_their_closed_form(batch: int) -> None:
    m = step(batch)
    # Autograd keeps the ReLU's output (B × H, also the second layer's input), log-softmax's
    # output (B × C) and cross-entropy's one-float total weight: nothing else beyond the
    # parameters and the batch, which are counted apart.
    assert m.activations == 4 * batch * (H + C) + 4
    assert m.parameters == PARAMS and m.gradients == PARAMS
    assert m.batch == batch * D * 4 + batch * 8  # float32 inputs, int64 labels
    assert m.total == m.activations + m.parameters + m.gradients + m.optimizer_state + m.batch


@pytest.mark.parametrize(
    ("optimizer", "state"),
    [("sgd", 0), ("momentum", PARAMS), ("adam", 2 * PARAMS + 4 * 4)],  # Adam: 2 moments + a step per tensor
)
def test_the_optimizers_state_is_counted(optimizer: str, state: int) -> None:
    assert step(8, optimizer).optimizer_state == state


def test_memory_is_a_line_in_the_batch_size() -> None:
    line = MemoryLine.through(step(8), step(64))
    assert line.predict(512) == pytest.approx(step(512).total)
    assert line.per_sample == pytest.approx(4 * (H + C) + 4 * D + 8)
    budget = line.predict(300)
    assert line.largest_within(budget) == 300 and line.largest_within(line.fixed / 2) == 0
    with pytest.raises(ValueError, match="two different"):
        MemoryLine.through(step(8), step(8))


def test_measuring_takes_a_real_step_so_a_copy_keeps_the_model() -> None:
    model = mlp()
    before = copy.deepcopy(model.state_dict())
    step(8, model=copy.deepcopy(model))
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())
    changed = mlp()
    step(8, model=changed)
    assert not torch.equal(changed.state_dict()["0.weight"], before["0.weight"])
