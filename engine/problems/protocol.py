"""The interface every problem implements (and `Bounds`, a view's extent).

A problem sees the parameters of many runs at once: every parameter block has a leading run
axis R, so that runs sharing a schedule are stepped as one (see `engine/training/stack.py`).

- `blocks`: names and shapes of the parameter blocks of one run; `initial_blocks(start, init)`
  gives the start every run shares (float64 numpy, one array per block); networks draw it
  by the run's initialisation `init`, the 2-D problems ignore it.
- `prepare(idx)`: per-epoch batch data for index tensors of shape (K, R, b) — K iterations, R
  runs, b samples — as tensors whose leading axis is K.
- `batch_losses(blocks, batch, weights)`: each run's mini-batch loss, shape (R,), differentiable.
  `weights` (R, b) is None when every run's batch is full, else 1/bᵣ for real samples and 0
  for padding, so runs with different batch sizes can share one stacked step.
- `batch_gradients(...)` (optional): the same gradients in closed form, no autograd.
- `single_loss(blocks, batch, weights)` (optional): the loss of a stack of one run whose
  blocks have no run axis, shape (1,) — a network's common case, without the view nodes.
- `sample_gradients(params)` (optional, tracked problems): the (N, P) float64 gradients of
  every sample's loss at one point, for the gradient-noise instrument.
- `metrics(blocks, stop)` (optional, networks): per run, the train and validation loss and
  accuracy (R, 4), evaluated at each epoch's end; None if `stop` was set meanwhile.
- `examples()` and `predict(blocks)` (optional, networks): a few validation images with their
  labels, and each run's class for each of them, for a live grid of predictions.
- `tracked`: True when the parameters are few enough to record at every step (the 2-D
  problems: they are drawn as paths over the contour and their exact full-batch loss is
  computed from the recorded rows by `full_loss`). Networks record only their batch loss.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

if TYPE_CHECKING:
    import torch

Bounds = tuple[tuple[float, float], tuple[float, float]]


class Problem(Protocol):
    tracked: bool
    param_names: tuple[str, ...]  # names of the recorded parameters (empty when not tracked)
    blocks: tuple[tuple[str, tuple[int, ...]], ...]
    loss_name: str  # which loss it records ("mse", "cross_entropy", …): the views name it

    @property
    def n_params(self) -> int: ...
    def initial_blocks(self, start: np.ndarray | None, init: str | None = None) -> list[np.ndarray]: ...
    def prepare(self, idx: torch.Tensor) -> tuple[torch.Tensor, ...]: ...
    def batch_losses(
        self, blocks: list[torch.Tensor], batch: tuple[torch.Tensor, ...], weights: torch.Tensor | None
    ) -> torch.Tensor: ...
    def full_loss(self, params: np.ndarray) -> np.ndarray: ...
    def evaluate(self, blocks: list[torch.Tensor]) -> np.ndarray: ...
    def data_columns(self) -> dict[str, np.ndarray]: ...
    def minimum(self) -> np.ndarray | None: ...
    def view_bounds(self, start: np.ndarray) -> Bounds | None: ...


# The optional abilities, each a Protocol checked once with `isinstance` by whoever needs it
# (the methods are documented at the top of this module).


@runtime_checkable
class ClosedFormGradients(Protocol):
    """Gradients without autograd (the 2-D problems)."""

    def batch_gradients(
        self, blocks: list[torch.Tensor], batch: tuple[torch.Tensor, ...], weights: torch.Tensor | None
    ) -> list[torch.Tensor]: ...


@runtime_checkable
class SingleRunLoss(Protocol):
    """The loss of one run whose blocks have no run axis (a network alone)."""

    def single_loss(
        self, blocks: list[torch.Tensor], batch: tuple[torch.Tensor, ...], weights: torch.Tensor | None
    ) -> torch.Tensor: ...


@runtime_checkable
class Classifier(Protocol):
    """A network on images: epoch metrics, live predictions, and a stoppable final pass."""

    class_names: tuple[str, ...]

    def metrics(
        self, blocks: list[torch.Tensor], stop: threading.Event | None = None
    ) -> np.ndarray | None: ...
    def examples(self) -> tuple[np.ndarray, np.ndarray]: ...
    def predict(self, blocks: list[torch.Tensor]) -> np.ndarray: ...
    def evaluate_until(
        self, blocks: list[torch.Tensor], stop: threading.Event | None
    ) -> np.ndarray | None: ...


@runtime_checkable
class SampleGradients(Protocol):
    """Every sample's gradient at one point (tracked problems: the gradient-noise instrument)."""

    def sample_gradients(self, params: np.ndarray) -> np.ndarray: ...


@runtime_checkable
class PerSampleGradients(Protocol):
    """Each sample's gradient at one run's weights, flattened (n, P) (networks: the sweep's
    gradient noise scale)."""

    def sample_gradients_of(self, weights: list[torch.Tensor], idx: torch.Tensor) -> torch.Tensor: ...


@runtime_checkable
class SummarisedSurface(Protocol):
    """A loss surface for drawing, over the data summarised when they are many."""

    def surface_loss(self, params: np.ndarray) -> np.ndarray: ...


@runtime_checkable
class StabilityLimit(Protocol):
    """The largest stable learning rate of full-batch GD (2/λ_max of a quadratic loss)."""

    def lr_limit(self) -> float: ...


@runtime_checkable
class LocalMinima(Protocol):
    """Every minimum of the loss, the best first (the basins instrument counts them)."""

    def local_minima(self) -> list[np.ndarray]: ...
