r"""Gradient clipping: by value and by global norm (torch.nn.utils semantics).

Clipping by norm rescales the whole gradient so its length is at most ``max_norm`` and keeps its
direction; clipping by value clamps each coordinate and can turn the direction. Exploding
gradients (Pascanu et al. 2013) are the reason both exist. Pure functions: new arrays out, the
inputs are never modified.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["clip_by_value", "clip_by_global_norm"]

#: torch's clip_grad_norm_ adds this to the norm before dividing (no division by zero).
NORM_EPS = 1e-6


def clip_by_value(grad: Any, clip_value: float) -> Any:
    r"""Clamp every coordinate to [−c, c] (torch.nn.utils.clip_grad_value_).

    ``grad`` is an array or a list of arrays (returned in the same form).
    """
    if not (np.isfinite(clip_value) and clip_value >= 0):
        raise ValueError(f"clip_value must be a finite number >= 0, got {clip_value!r}")
    if isinstance(grad, (list, tuple)):
        return [np.clip(np.asarray(g, dtype=float), -clip_value, clip_value) for g in grad]
    return np.clip(np.asarray(grad, dtype=float), -clip_value, clip_value)


def clip_by_global_norm(grads: Any, max_norm: float, *, norm_type: float = 2.0,
                        axis: Any = None) -> tuple[Any, Any]:
    r"""Rescale gradients whose global norm exceeds ``max_norm`` (torch clip_grad_norm_).

    .. math::
        \|g\| = \Big(\sum_i \|g_i\|^2\Big)^{1/2}, \qquad
        g_i \leftarrow g_i \cdot \min\Big(1, \frac{\text{max\_norm}}{\|g\| + 10^{-6}}\Big)

    where the g_i are the arrays of ``grads`` (one array, or a list such as the per-layer
    gradients of a network). The factor is below 1, so the gradients shrink, exactly when
    ‖g‖ > max_norm − 10⁻⁶; afterwards ‖g‖ ≤ max_norm. Returns ``(clipped, total_norm)`` with the
    norm *before* clipping (worth logging: it is how exploding gradients show up).
    ``norm_type`` may be 2 (default), 1 or ``np.inf`` (max of absolute values), as in torch.

    ``axis`` (an int or tuple, numpy convention) restricts the norm to those axes and keeps one
    norm per remaining index: for a batch of runs of shape (n_runs, d), ``axis=-1`` clips each
    run on its own and returns ``total_norm`` of shape (n_runs,). For a list, every array must
    share the remaining (batch) shape.
    """
    if not (np.isfinite(max_norm) and max_norm >= 0):
        raise ValueError(f"max_norm must be a finite number >= 0, got {max_norm!r}")
    if norm_type not in (1, 2, np.inf):
        raise ValueError(f"norm_type must be 1, 2 or inf, got {norm_type!r}")
    is_list = isinstance(grads, (list, tuple))
    arrays = [np.asarray(g, dtype=float) for g in (grads if is_list else [grads])]

    # With axis=None every array collapses to a scalar; otherwise keep the batch axes so the
    # scale broadcasts back onto each array.
    keep = axis is not None
    if norm_type == np.inf:
        parts = [np.max(np.abs(g), axis=axis, keepdims=keep, initial=0.0) for g in arrays]
        total = parts[0]
        for part in parts[1:]:
            total = np.maximum(total, part)
    else:
        power = float(norm_type)
        total = sum(np.sum(np.abs(g) ** power, axis=axis, keepdims=keep) for g in arrays)
        total = total ** (1.0 / power)

    scale = np.minimum(1.0, max_norm / (total + NORM_EPS))
    clipped = [g * scale for g in arrays]
    total_norm = np.squeeze(total, axis=axis) if keep else float(total)
    return (clipped if is_list else clipped[0]), total_norm
