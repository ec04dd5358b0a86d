"""The networks a student trains: the seed article's MLP and LeNet-5, as plain `nn.Module`s.

`build_model(name, image_shape, classes, init, seed)` makes one with its weights drawn from
`seed` by the chosen initialisation: PyTorch's default (each layer's `reset_parameters`), or a
`torch.nn.init` scheme for every weight with zero biases.
"""

from __future__ import annotations

import threading

import torch
from torch import nn
from torch.nn import functional
from torch.nn import init as nn_init

from engine.config import INITS

HIDDEN = 128  # the seed's MLP: inputs → 128 → classes
_GLOBAL_RNG = threading.Lock()


class MLP(nn.Module):
    """The seed article's SimpleNN: flatten, a 128-unit ReLU layer, then the classes."""

    def __init__(self, inputs: int, classes: int) -> None:
        super().__init__()
        self.fc1 = nn.Linear(inputs, HIDDEN)
        self.fc2 = nn.Linear(HIDDEN, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out: torch.Tensor = self.fc2(torch.relu(self.fc1(x.flatten(-3))))
        return out


class LeNet5(nn.Module):
    """LeNet-5 on 28×28 images: 5×5 convolutions of 6 and 16 maps, each followed by ReLU and
    2×2 max pooling (the first padded by 2, as for LeCun's 32×32 input), then 120 → 84 → classes."""

    def __init__(self, classes: int) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = functional.max_pool2d(torch.relu(self.conv1(x)), 2)
        x = functional.max_pool2d(torch.relu(self.conv2(x)), 2)
        x = torch.relu(self.fc1(x.flatten(-3)))
        out: torch.Tensor = self.fc3(torch.relu(self.fc2(x)))
        return out


def build_model(name: str, image_shape: tuple[int, int], classes: int, init: str, seed: int) -> nn.Module:
    """A fresh network on the CPU, its weights drawn from `seed` by `init` (see INITS)."""
    # reset_parameters draws from torch's global RNG, which every thread shares: seeded and
    # restored under a lock, or a session starting while another is still building its
    # network (a restart, a lesson switch) would draw some of the other's weights.
    with _GLOBAL_RNG, torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model: nn.Module = MLP(image_shape[0] * image_shape[1], classes) if name == "mlp" else LeNet5(classes)
    if init != "default":
        g = torch.Generator().manual_seed(seed)
        with torch.no_grad():
            for layer in model.modules():
                if isinstance(layer, (nn.Linear, nn.Conv2d)):
                    _init_weight(layer.weight, init, g)
                    if layer.bias is not None:
                        layer.bias.zero_()
    return model


def _init_weight(weight: torch.Tensor, init: str, g: torch.Generator) -> None:
    if init == "kaiming_uniform":
        nn_init.kaiming_uniform_(weight, nonlinearity="relu", generator=g)
    elif init == "kaiming_normal":
        nn_init.kaiming_normal_(weight, nonlinearity="relu", generator=g)
    elif init == "xavier_uniform":
        nn_init.xavier_uniform_(weight, generator=g)
    elif init == "xavier_normal":
        nn_init.xavier_normal_(weight, generator=g)
    else:
        raise ValueError(f"init must be one of {', '.join(INITS)} (got {init!r})")
