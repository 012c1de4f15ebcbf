r"""Learning-rate sensitivity: one optimizer over a log grid of η × several seeds, run as lanes.

    final_loss[i, s] = f(θ_T) of the run at learning rate η_i from seed s

One :func:`gdcore.descend` call runs the whole grid: the learning rate has shape (n_η, 1, 1) and
the starts (n_seeds, d), so the lanes are (n_η, n_seeds). A seed fixes a start and, through
:func:`minibatch_grad`, an order of minibatches; all learning rates of one seed see the same
minibatches (common random numbers, so that a difference between two η is not sampling noise).

What a sensitivity curve is judged by are robust statistics over the seeds: the median, a band
(min–max or interquartile) and the *width* of the η range whose median final loss is within a
factor of the best one (in decades, resolved to the grid's spacing). A run that diverges counts
as an infinitely bad final loss.
"""

from dataclasses import dataclass

import numpy as np

from gdcore import optimizers as _optimizers
from gdcore.descent import descend

__all__ = ["Sensitivity", "lr_sweep", "minibatch_grad"]


@dataclass
class Sensitivity:
    """The final losses of an η grid × seeds sweep (``lr_sweep``'s result).

    lrs         (n_η,)                the learning rates, increasing.
    final_loss  (n_η, n_seeds)        f(θ_T); +inf where the run diverged.
    final_x     (n_η, n_seeds, d)     θ_T; NaN where the run diverged.
    diverged    (n_η, n_seeds) bool
    metric      (n_η, n_seeds) or None  an extra score per run (e.g. test accuracy), NaN where
                                       the run diverged.
    floor       losses below it count as equal to it (rounding-level values cannot be ranked).
    """

    lrs: np.ndarray
    final_loss: np.ndarray
    final_x: np.ndarray
    diverged: np.ndarray
    metric: np.ndarray | None = None
    floor: float = 0.0

    @property
    def loss(self):
        """final_loss floored at ``floor`` (what the statistics below use)."""
        return np.maximum(self.final_loss, self.floor)

    def median(self, of="loss"):
        """Median over seeds at each η, shape (n_η,) (``of="metric"`` for the metric)."""
        return np.median(self._values(of), axis=1)

    def band(self, kind="minmax", of="loss"):
        """(low, high) over seeds at each η: min–max (``"minmax"``) or quartiles (``"iqr"``)."""
        values = self._values(of)
        if kind == "minmax":
            return values.min(axis=1), values.max(axis=1)
        if kind == "iqr":
            # quartiles of values that may be +inf (diverged runs): interpolate on finite
            # stand-ins, so that inf − inf never makes a NaN; a quartile that lies beyond the
            # largest finite value was interpolated towards a diverged run, so it is inf
            big = np.finfo(float).max / 4
            stand_in = np.minimum(values, big)
            top = np.where(np.isfinite(values), values, -np.inf).max(axis=1)
            low, high = np.percentile(stand_in, [25, 75], axis=1)
            return tuple(np.where(q > top, np.inf, q) for q in (low, high))
        raise ValueError(f"kind must be 'minmax' or 'iqr', got {kind!r}")

    @property
    def best(self):
        """Index of the η with the lowest median loss (the smallest such η on a tie)."""
        return int(np.argmin(self.median()))

    def threshold(self, factor=None, target=None):
        """The loss a run must beat to count as good: ``factor`` × the best median, or a fixed
        ``target``, or the smaller of the two when both are given."""
        if factor is None and target is None:
            raise ValueError("give factor (>= 1) or target (> 0)")
        if factor is not None and not factor >= 1:
            raise ValueError(f"factor must be >= 1, got {factor}")
        if target is not None and not target > 0:
            raise ValueError(f"target must be > 0, got {target}")
        limits = [] if target is None else [target]
        if factor is not None:
            limits.append(factor * self.median()[self.best])
        return min(limits)

    def within(self, factor=None, target=None):
        """Bool (n_η,): the contiguous run of η around ``best`` whose median loss is at most
        :meth:`threshold` (empty if the best is not). Contiguous, so that an isolated η far
        away whose runs happen to land well does not widen the range."""
        med = self.median()
        limit = self.threshold(factor, target)
        mask = np.zeros(len(med), dtype=bool)
        if not (np.isfinite(med[self.best]) and med[self.best] <= limit):
            return mask  # most runs diverge at every η, or none beats the target
        ok = med <= limit
        lo = hi = self.best
        while lo > 0 and ok[lo - 1]:
            lo -= 1
        while hi < len(ok) - 1 and ok[hi + 1]:
            hi += 1
        mask[lo:hi + 1] = True
        return mask

    def width(self, factor=None, target=None):
        """log10(η_max / η_min) over :meth:`within`, 0 when only one η qualifies and NaN when
        none does: the sensitivity measure, in decades, resolved to the grid's spacing (a range
        that reaches an end of the grid is a lower bound)."""
        lrs = self.lrs[self.within(factor, target)]
        if lrs.size == 0:
            return float("nan")
        return float(np.log10(lrs[-1] / lrs[0]))

    def interpolated_width(self, factor=None, target=None):
        """Like :meth:`width`, but each end of the range is moved out to where the median,
        interpolated linearly in (log η, log loss) towards the next grid point, crosses the
        threshold: a measure that varies continuously with the curve instead of jumping by a grid
        step. NaN when no η qualifies."""
        mask = self.within(factor, target)
        if not mask.any():
            return float("nan")
        # a median (or a limit) of exactly 0, a run that lands on the minimum, has no log:
        # the smallest positive float stands in for it
        tiny = np.finfo(float).tiny
        log_lr = np.log10(self.lrs)
        with np.errstate(divide="ignore"):   # a diverged median (inf) stays inf
            log_med = np.log10(np.maximum(self.median(), tiny))
        log_limit = np.log10(max(self.threshold(factor, target), tiny))
        inside = np.flatnonzero(mask)
        ends = []
        for edge, step in ((inside[0], -1), (inside[-1], 1)):
            out = edge + step
            if not 0 <= out < len(log_lr) or not np.isfinite(log_med[out]):
                ends.append(log_lr[edge])  # the grid's end, or a diverged neighbour
                continue
            # log_med[edge] <= log_limit < log_med[out]
            frac = (log_limit - log_med[edge]) / (log_med[out] - log_med[edge])
            ends.append(log_lr[edge] + frac * (log_lr[out] - log_lr[edge]))
        return float(ends[1] - ends[0])

    def select(self, seeds):
        """The same sweep restricted to some seeds (an index, slice or mask over the seed axis),
        e.g. to split one run of 2k starts into two sweeps of k."""
        metric = None if self.metric is None else self.metric[:, seeds]
        return Sensitivity(self.lrs, self.final_loss[:, seeds], self.final_x[:, seeds],
                           self.diverged[:, seeds], metric, self.floor)

    def _values(self, of):
        if of == "loss":
            return self.loss
        if of == "metric":
            if self.metric is None:
                raise ValueError("this sweep recorded no metric (pass metric= to lr_sweep)")
            return self.metric
        raise ValueError(f"of must be 'loss' or 'metric', got {of!r}")


def _check_grid(lrs):
    lrs = np.asarray(lrs, dtype=float)
    if lrs.ndim != 1 or lrs.size == 0:
        raise ValueError(f"lrs must be a non-empty 1-D grid, got shape {lrs.shape}")
    if not np.all(lrs > 0) or not np.all(np.isfinite(lrs)):
        raise ValueError(f"Invalid learning rate: {lrs[~(lrs > 0) | ~np.isfinite(lrs)][0]}")
    if np.any(np.diff(lrs) <= 0):
        raise ValueError("lrs must be increasing")
    return lrs


def lr_sweep(problem, optimizer, lrs, x0, steps, *, grad=None, metric=None, floor=0.0,
             blowup=1e6, **hyperparameters):
    r"""Run ``optimizer`` at every η of ``lrs`` from every start in ``x0``, as one batch of lanes.

    problem     a Problem (``f``, ``grad``); ``f`` gives the final losses.
    optimizer   a name for :func:`gdcore.optimizers.by_name` (``hyperparameters`` are passed on)
                or a callable ``lr -> Optimizer`` that receives lr of shape (n_η, 1, 1).
    lrs         increasing positive grid, e.g. ``np.geomspace(1e-4, 1, 13)``.
    x0          (n_seeds, d) starts, one per seed ((d,) is one seed).
    grad        a gradient function for lanes (n_η, n_seeds, d), e.g. :func:`minibatch_grad`;
                default ``problem.grad`` (then divergence is judged on f, else on ‖g‖).
    metric      ``metric(θ)`` for one θ (d,), recorded per run (e.g. test accuracy).
    floor       final losses below it are not ranked (see :class:`Sensitivity`).
    """
    lrs = _check_grid(lrs)
    x0 = np.asarray(x0, dtype=float)
    if x0.ndim == 1:
        x0 = x0[None]
    if x0.ndim != 2:
        raise ValueError(f"x0 must have shape (n_seeds, d) or (d,), got {x0.shape}")
    lr = lrs[:, None, None]
    opt = (_optimizers.by_name(optimizer, lr=lr, **hyperparameters) if isinstance(optimizer, str)
           else optimizer(lr))
    start = np.broadcast_to(x0, (len(lrs), *x0.shape))
    trace = descend(problem if grad is None else grad, start, opt, steps, blowup=blowup)
    final_x = trace.final_x
    diverged = np.asarray(trace.diverged) | ~np.all(np.isfinite(final_x), axis=-1)
    with np.errstate(all="ignore"):
        final_loss = np.asarray(problem.f(np.where(diverged[..., None], 0.0, final_x)), float)
    final_loss = np.where(diverged | ~np.isfinite(final_loss), np.inf, final_loss)
    scores = None
    if metric is not None:
        scores = np.full(diverged.shape, np.nan)
        for index in zip(*np.nonzero(~diverged), strict=True):
            scores[index] = metric(final_x[index])
    return Sensitivity(lrs, final_loss, np.where(diverged[..., None], np.nan, final_x),
                       diverged, scores, float(floor))


def minibatch_grad(problem, seeds, batch_size):
    r"""A gradient function for lanes (..., n_seeds, d) in which each seed draws its own
    minibatches: at every call, seed s's lanes get the gradient on ``batch_size`` distinct
    samples drawn afresh by ``np.random.default_rng(seeds[s])`` (the same batch for every lane of
    that seed, e.g. every learning rate of a sweep).

    ``problem`` needs ``n_samples`` and ``grad_batch(θ, idx)`` (a data problem or an MLP).
    """
    seeds = [int(s) for s in np.atleast_1d(seeds)]
    n = problem.n_samples
    if not isinstance(batch_size, (int, np.integer)) or not 1 <= batch_size <= n:
        raise ValueError(f"batch_size must be an integer in [1, {n}], got {batch_size!r}")
    rngs = [np.random.default_rng(s) for s in seeds]

    def grad(theta):
        theta = np.asarray(theta, dtype=float)
        if theta.ndim < 2 or theta.shape[-2] != len(seeds):
            raise ValueError(f"theta must have shape (..., {len(seeds)}, d) (one row per seed), "
                             f"got {theta.shape}")
        g = np.empty_like(theta)
        for s, rng in enumerate(rngs):
            idx = np.sort(rng.choice(n, batch_size, replace=False))
            g[..., s, :] = problem.grad_batch(theta[..., s, :], idx)
        return g

    return grad
