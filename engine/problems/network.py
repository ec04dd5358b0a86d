"""A classifier network (the seed's MLP or LeNet-5) on images, with softmax cross-entropy.

Runs stepped as one use the library's way to train an ensemble: the parameters of all runs are
stacked along a leading run axis (as `torch.func.stack_module_state` lays them out) and one
`torch.func.vmap(functional_call(model, ...))` evaluates every run on its own batch. A run
alone skips the run axis (`single_loss`: a plain `functional_call` on one set of weights).

Every epoch, each run's validation loss and accuracy are evaluated over all validation images,
and its train loss and accuracy over the training images, or a fixed sample of EVAL_TRAIN of
them (drawn from the seed) when N is larger: in chunks, without gradients (`metrics`). The final
loss of a run (`evaluate`) is always over all N.

A pass over the images with weights and images seen before in this process is not made again:
its numbers are remembered (`_remembered`), keyed by a hash of the weights and what the images
are. A lesson's runs start from the same weights, each in its own stack, so its first loss
(LeNet: 60 000 images) and its epoch-0 metrics are computed once, not once per run; a lesson
opened again (Reset, another window) gets them at once. The numbers are those of the pass.
The costly ones at the weights the runs start from are kept on disk too (`kept_passes`), so a
lesson opened again in another process starts at once as well.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable

import numpy as np
import torch
from torch.func import functional_call, vmap
from torch.nn import functional

from engine.config import ExperimentConfig
from engine.control import checkpoint, share
from engine.data import DATASETS, load_images
from engine.problems import kept_passes
from engine.problems.models import build_model

EVAL_ELEMENTS = 1 << 23  # activations held at once while evaluating (~32 MB of float32)
EVAL_TRAIN = 10_000  # training images the epoch metrics use (standard error of an accuracy ≤ 0.5 %)
REMEMBERED = 64  # passes whose numbers are kept (a few hundred bytes each)
# Passes over at least this many activations (LeNet: ~5 400 images, ~0.5 s) at start weights are
# kept on disk; cheaper ones are quicker to make again than a file is to find.
KEPT_ACTIVATIONS = 1 << 26

Scores = tuple[np.ndarray, np.ndarray]  # per run: mean cross-entropy, accuracy
_remembered: OrderedDict[tuple[object, ...], Scores] = OrderedDict()
_remembered_lock = threading.Lock()


class NetworkClassifier:
    tracked = False
    loss_name = "batch_cross_entropy"  # recorded per step: the mini-batch mean cross-entropy
    param_names: tuple[str, ...] = ()

    def __init__(self, config: ExperimentConfig, device: torch.device, seed: int) -> None:
        info = DATASETS[config.dataset]
        data = load_images(config.dataset, config.n_samples, seed, config.noise)
        checkpoint()
        self.config, self.device = config, device
        self.classes = len(info.classes)
        self.init_seed = (seed + 1) % 2**63
        self.model = build_model(config.model, info.image_shape, self.classes, config.init, self.init_seed)
        self.model.to(device).requires_grad_(False)  # a template: weights come from the runs
        self.names = [name for name, _ in self.model.named_parameters()]
        self._slots = [
            (self.model.get_submodule(name.rpartition(".")[0]), name.rpartition(".")[2])
            for name in self.names
        ]
        self._bound: list[torch.Tensor] | None = None
        self._starts: set[bytes] = set()  # digests of the weights runs start from (initial_blocks)
        self.blocks = tuple((name, tuple(p.shape)) for name, p in self.model.named_parameters())
        self.n_params = sum(p.numel() for p in self.model.parameters())
        # What decides a pass's numbers besides the weights (the images, the model, where).
        self._images_key = (data.key, seed, config.model, str(device)) if data.key else None
        self.x = torch.from_numpy(data.train_x).to(device)
        self.y = torch.from_numpy(data.train_y).to(device)
        self.val_x = torch.from_numpy(data.val_x).to(device)
        self.val_y = torch.from_numpy(data.val_y).to(device)
        if len(self.y) > EVAL_TRAIN:
            rng = np.random.default_rng([seed, EVAL_TRAIN])
            keep = torch.from_numpy(np.sort(rng.choice(len(self.y), EVAL_TRAIN, replace=False))).to(device)
            self.eval_x, self.eval_y = self.x[keep], self.y[keep]
        else:
            self.eval_x, self.eval_y = self.x, self.y
        self.class_names = info.classes
        # One validation image of each class (the first), for a grid of live predictions.
        labels = data.val_y
        first = [int(np.flatnonzero(labels == c)[0]) for c in range(self.classes) if (labels == c).any()]
        self._example_idx = torch.tensor(first, dtype=torch.int64, device=device)
        # Activations per image in a forward pass (the chunk size of evaluations follows it).
        self.width = 16 * 28 * 28 if config.model == "lenet" else 128 + self.x[0].numel()

    def initial_blocks(self, start: np.ndarray | None, init: str | None = None) -> list[np.ndarray]:
        """The network's weights under `init` (default: the config's), drawn from this
        problem's seed: every run with the same initialisation starts from the same point."""
        model = build_model(
            self.config.model,
            DATASETS[self.config.dataset].image_shape,
            self.classes,
            init or self.config.init,
            self.init_seed,
        )
        blocks = [p.detach().double().numpy() for p in model.parameters()]
        # As a stack holds them (float32): a pass at these weights is worth keeping on disk.
        self._starts.add(_digest(b.astype(np.float32) for b in blocks))
        return blocks

    def prepare(self, idx: torch.Tensor) -> tuple[torch.Tensor, ...]:
        # Labels of the whole segment at once; images gathered at their step (copying an
        # epoch of images each epoch would copy the data set).
        return idx, self.y[idx]

    def _forward(self, params: dict[str, torch.Tensor], x: torch.Tensor) -> torch.Tensor:
        out: torch.Tensor = functional_call(self.model, params, (x,))
        return out

    def _bind(self, blocks: list[torch.Tensor]) -> None:
        """Make `blocks` the template module's own weights (a run alone calls it as a plain
        module: `functional_call` would swap them in and out at every step, ~10 % of an MLP
        step at B = 256). Calls with other weights (`functional_call`, vmap) are unaffected."""
        if self._bound is not None and self._bound[0] is blocks[0]:
            return
        for (module, attr), tensor in zip(self._slots, blocks, strict=True):
            module._parameters[attr] = tensor  # type: ignore[assignment]
        self._bound = list(blocks)

    def single_loss(
        self, blocks: list[torch.Tensor], batch: tuple[torch.Tensor, ...], weights: torch.Tensor | None
    ) -> torch.Tensor:
        """One run's batch loss, shape (1,), from weights without a run axis."""
        idx, y = batch
        x = torch.index_select(self.x, 0, idx[0])
        self._bind(blocks)
        logits = self.model(x)
        if weights is None:
            return functional.cross_entropy(logits, y[0]).unsqueeze(0)
        losses = functional.cross_entropy(logits, y[0], reduction="none")
        return (losses * weights[0]).sum().unsqueeze(0)

    def batch_losses(
        self, blocks: list[torch.Tensor], batch: tuple[torch.Tensor, ...], weights: torch.Tensor | None
    ) -> torch.Tensor:
        """Each run's batch loss, shape (R,): one vmap over the stacked weights and batches."""
        idx, y = batch
        runs, size = idx.shape
        x = torch.index_select(self.x, 0, idx.reshape(-1)).view(runs, size, *self.x.shape[1:])
        logits = vmap(self._forward)(dict(zip(self.names, blocks, strict=True)), x)
        losses = functional.cross_entropy(
            logits.reshape(runs * size, -1), y.reshape(-1), reduction="none"
        ).view(runs, size)
        return losses.mean(1) if weights is None else (losses * weights).sum(1)

    def _pass_key(self, blocks: list[torch.Tensor], x: torch.Tensor) -> tuple[object, ...] | None:
        """What a pass over `x` (self.x, eval_x or val_x) with `blocks` is, or None for others."""
        sets = (("all", self.x), ("eval", self.eval_x), ("val", self.val_x))
        which = next((name for name, images in sets if x is images), None)
        if self._images_key is None or which is None:
            return None
        digest = hashlib.blake2b(digest_size=20)
        for b in blocks:
            digest.update(repr((tuple(b.shape), b.dtype)).encode())
            digest.update(b.detach().contiguous().cpu().numpy().tobytes())
        # The thread count is there because it may decide how a kernel adds up.
        return (*self._images_key, which, torch.get_num_threads(), digest.digest())

    def _worth_keeping(self, blocks: list[torch.Tensor], x: torch.Tensor) -> bool:
        """A pass to keep on disk: costly, on the CPU, and every run at weights it starts from."""
        if self.device.type != "cpu" or len(x) * self.width * len(blocks[0]) < KEPT_ACTIVATIONS:
            return False
        rows = [[b[r].detach().contiguous().numpy() for b in blocks] for r in range(len(blocks[0]))]
        return all(_digest(row) in self._starts for row in rows)

    def _scores(
        self, blocks: list[torch.Tensor], x: torch.Tensor, y: torch.Tensor, stop: threading.Event | None
    ) -> Scores | None:
        """Per run: (mean cross-entropy, accuracy) over (x, y); None once `stop` is set.

        Remembered: the same weights on the same images give the numbers of the first pass."""
        key = self._pass_key(blocks, x)
        known = None
        keep = key is not None and self._worth_keeping(blocks, x)
        if key is not None:
            with _remembered_lock:
                known = _remembered.get(key)
                if known is not None:
                    _remembered.move_to_end(key)
            if known is None and keep:
                known = kept_passes.load(key, len(blocks[0]))
                if known is not None:
                    self._remember(key, known)
        if known is not None:
            if stop is not None and stop.is_set():
                return None
            checkpoint()
            return known[0].copy(), known[1].copy()
        scores = self._pass(blocks, x, y, stop)
        if scores is not None and key is not None:
            self._remember(key, scores)
            if keep:
                kept_passes.save(key, scores)
        return scores

    @staticmethod
    def _remember(key: tuple[object, ...], scores: Scores) -> None:
        with _remembered_lock:
            _remembered[key] = (scores[0].copy(), scores[1].copy())
            while len(_remembered) > REMEMBERED:
                _remembered.popitem(last=False)

    def _pass(
        self, blocks: list[torch.Tensor], x: torch.Tensor, y: torch.Tensor, stop: threading.Event | None
    ) -> Scores | None:
        """`_scores` computed: a pass over (x, y) in chunks, without gradients."""
        runs = len(blocks[0])
        params = dict(zip(self.names, (b.detach() for b in blocks), strict=True))
        chunk = max(16, EVAL_ELEMENTS // (self.width * runs))
        loss = torch.zeros(runs, dtype=torch.float64, device=self.device)
        right = torch.zeros(runs, dtype=torch.int64, device=self.device)
        with torch.no_grad():
            for start in range(0, len(x), chunk):
                if stop is not None and stop.is_set():
                    return None
                checkpoint(start / len(x))
                xs, ys = x[start : start + chunk], y[start : start + chunk]
                logits = self._every_run(params, xs)
                ce = functional.cross_entropy(
                    logits.reshape(-1, self.classes), ys.repeat(runs), reduction="none"
                ).view(runs, -1)
                loss += ce.double().sum(1)
                right += (logits.argmax(-1) == ys).sum(1)
        n = len(x)
        return (loss / n).cpu().numpy(), (right.double() / n).cpu().numpy()

    def evaluate(self, blocks: list[torch.Tensor]) -> np.ndarray:
        """Mean cross-entropy over all training samples, for each run (float64, shape (R,))."""
        losses = self.evaluate_until(blocks, None)
        assert losses is not None  # no stop event: the pass always ends
        return losses

    def evaluate_until(self, blocks: list[torch.Tensor], stop: threading.Event | None) -> np.ndarray | None:
        """`evaluate`, or None when `stop` was set before it finished (seconds for LeNet on
        60 000 images)."""
        scores = self._scores(blocks, self.x, self.y, stop)
        return None if scores is None else scores[0]

    def subset_loss(
        self, blocks: list[torch.Tensor], idx: torch.Tensor, stop: threading.Event | None = None
    ) -> np.ndarray | None:
        """Per run (blocks with a run axis): the mean cross-entropy over the training images
        `idx`; None when `stop` was set meanwhile (the landscape's grid)."""
        scores = self._pass(blocks, self.x[idx], self.y[idx], stop)
        return None if scores is None else scores[0]

    def metrics(self, blocks: list[torch.Tensor], stop: threading.Event | None = None) -> np.ndarray | None:
        """(R, 4): train loss, validation loss, train accuracy, validation accuracy (METRICS);
        None when `stop` was set before it finished."""
        part = len(self.eval_x) / (len(self.eval_x) + len(self.val_x))  # of the time, and the bar
        with share(0.0, part):
            train = self._scores(blocks, self.eval_x, self.eval_y, stop)
        with share(part, 1.0):
            val = self._scores(blocks, self.val_x, self.val_y, stop) if train is not None else None
        if train is None or val is None:
            return None
        return np.column_stack([train[0], val[0], train[1], val[1]])

    def examples(self) -> tuple[np.ndarray, np.ndarray]:
        """(images (k, H, W) as the network sees them, labels (k,)): one of each class."""
        images = self.val_x[self._example_idx][:, 0].cpu().numpy()
        return images, self.val_y[self._example_idx].cpu().numpy()

    def predict(self, blocks: list[torch.Tensor]) -> np.ndarray:
        """(R, k): each run's class for each of `examples()`."""
        params = dict(zip(self.names, (b.detach() for b in blocks), strict=True))
        with torch.no_grad():
            logits = self._every_run(params, self.val_x[self._example_idx])
        out: np.ndarray = logits.argmax(-1).cpu().numpy()
        return out

    def sample_gradients_of(self, weights: list[torch.Tensor], idx: torch.Tensor) -> torch.Tensor:
        """(n, P): the gradient of each training sample's loss at one run's `weights` (no run
        axis), flattened, for the samples `idx`: `torch.func.vmap(grad)` over the samples."""
        from torch.func import grad

        params = {name: w.detach() for name, w in zip(self.names, weights, strict=True)}

        def loss(p: dict[str, torch.Tensor], x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
            logits = functional_call(self.model, p, (x.unsqueeze(0),))
            return functional.cross_entropy(logits, y.unsqueeze(0))

        grads = vmap(grad(loss), in_dims=(None, 0, 0))(params, self.x[idx], self.y[idx])
        return torch.cat([grads[name].reshape(len(idx), -1) for name in self.names], dim=1)

    def _every_run(self, params: dict[str, torch.Tensor], x: torch.Tensor) -> torch.Tensor:
        """(R, n, classes): every run's logits for the same images (params with a run axis)."""
        if len(next(iter(params.values()))) == 1:  # one run: no vmap needed
            return self._forward({k: v[0] for k, v in params.items()}, x).unsqueeze(0)
        out: torch.Tensor = vmap(self._forward, in_dims=(0, None))(params, x)
        return out

    def full_loss(self, params: np.ndarray) -> np.ndarray:
        raise NotImplementedError("the network problem records batch losses, not parameter rows")

    def data_columns(self) -> dict[str, np.ndarray]:
        return {}

    def minimum(self) -> None:
        return None

    def view_bounds(self, start: np.ndarray) -> None:
        return None


def _digest(arrays: Iterable[np.ndarray]) -> bytes:
    """A hash of float32 weight blocks: their shapes and values."""
    digest = hashlib.blake2b(digest_size=20)
    for a in arrays:
        digest.update(repr(a.shape).encode())
        digest.update(np.ascontiguousarray(a, dtype=np.float32).tobytes())
    return digest.digest()
