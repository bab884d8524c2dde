"""Stroke layers, stage 2: advecting particles through the field with midpoint (RK2) steps
(:func:`trace`), tracing whole strokes segment by segment and sliding strokes along the flow.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from wiktoria.common import validate
from wiktoria.render.strokes.field import VectorField, check_finite

__all__ = ["advance", "trace", "trace_segments", "unit_direction"]

_SPEED_EPS = 0.05  # directions are v / max(|v|, eps * rms): slower only at stagnation points


def unit_direction(field: VectorField, z: np.ndarray, eps2: np.float32) -> np.ndarray:
    """``v / max(|v|, eps)`` at complex positions ``z``: unit length except near stagnation."""
    vel = field._sample_c(z.real, z.imag)
    mag2 = vel.real * vel.real
    mag2 += vel.imag * vel.imag
    np.maximum(mag2, eps2, out=mag2)
    vel *= 1.0 / np.sqrt(mag2)
    return vel


def _trace_c(
    field: VectorField, z0: np.ndarray, steps: int, step: float, normalize: bool
) -> np.ndarray:
    """Midpoint-rule trace of complex64 positions: shape (steps + 1, n) complex64."""
    out = np.empty((steps + 1, z0.size), np.complex64)
    out[0] = z0
    z = out[0]
    h = np.float32(step)
    half = np.float32(step / 2)
    eps2 = np.float32(max((_SPEED_EPS * field._rms) ** 2, 1e-30))
    for k in range(steps):
        if normalize:
            d = unit_direction(field, z, eps2)
            d *= half
            d += z
            d = unit_direction(field, d, eps2)
        else:
            d = field._sample_c(z.real, z.imag)
            d *= half
            d += z
            d = field._sample_c(d.real, d.imag)
        d *= h
        np.add(z, d, out=out[k + 1])
        z = out[k + 1]
    return out


def trace(
    field: VectorField,
    x0: npt.ArrayLike,
    y0: npt.ArrayLike,
    steps: int,
    step: float,
    *,
    normalize: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Advect particles through a field with midpoint (RK2) steps.

    Parameters
    ----------
    field : VectorField
        The velocity field.
    x0, y0 : array_like, shape (n,)
        Start positions in pixels (broadcast together and flattened).
    steps : int
        Number of steps, 0 to 100,000.
    step : float
        With ``normalize`` (default), the distance in pixels of each step, in (0, 1000]: the
        particles move along the field's direction at constant speed (slower only where the
        field almost vanishes, below 5 % of its RMS). Without, the time step: a particle moves
        ``step * |velocity|`` pixels.
    normalize : bool, optional
        Default True.

    Returns
    -------
    xs, ys : ndarray of float32, shape (steps + 1, n)
        Positions; row 0 is the start. Particles leaving the grid keep moving with the edge's
        velocity.

    Examples
    --------
    >>> import numpy as np
    >>> from wiktoria.render.strokes import VectorField, trace
    >>> f = VectorField(np.ones((4, 4)), np.zeros((4, 4)))
    >>> xs, ys = trace(f, [0.0, 1.0], [2.0, 2.0], steps=3, step=0.5)
    >>> xs[:, 0].tolist(), ys.shape
    ([0.0, 0.5, 1.0, 1.5], (4, 2))
    """
    validate.instance(field, "field", VectorField)
    steps = validate.integer(steps, "steps", 0, 100_000)
    step = validate.number(step, "step", 0.0, 1000.0, lo_open=True)
    x, y = np.broadcast_arrays(np.asarray(x0, np.float32), np.asarray(y0, np.float32))
    x, y = x.reshape(-1), y.reshape(-1)
    check_finite(x, y, "x0 and y0")
    z = np.empty(x.size, np.complex64)
    z.real = x
    z.imag = y
    out = _trace_c(field, z, steps, step, normalize)
    return np.ascontiguousarray(out.real), np.ascontiguousarray(out.imag)


def trace_segments(
    field: VectorField, z0: np.ndarray, active: np.ndarray, step: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Trace strokes sorted longest first, keeping only the segments each stroke uses.

    ``active[k]`` strokes (a prefix, since they are sorted by length) take step ``k``. Returns
    the start and displacement of every segment, step-major: step 0 of every stroke, then
    step 1 of the strokes still active, and so on (complex64, ``active.sum()`` entries), and
    each stroke's loop factor (see :func:`_loop_factor`), from sums kept while tracing.
    """
    total = int(active.sum())
    starts = np.empty(total, np.complex64)
    deltas = np.empty(total, np.complex64)
    h = np.float32(step)
    half = np.float32(step / 2)
    eps2 = np.float32(max((_SPEED_EPS * field._rms) ** 2, 1e-30))
    n = z0.size
    # Per stroke: sums of the points' offsets from its start, of their squared distances and
    # of the segments' lengths (float64, in step order).
    sx, sy, s2, length = (np.zeros(n) for _ in range(4))
    z = z0
    o = 0
    for a in active.tolist():
        zk = z[:a]
        d = unit_direction(field, zk, eps2)
        d *= half
        d += zk
        d = unit_direction(field, d, eps2)
        d *= h
        starts[o:o + a] = zk
        deltas[o:o + a] = d
        rel = zk - z0[:a]
        x = rel.real.astype(np.float64)
        y = rel.imag.astype(np.float64)
        sx[:a] += x
        sy[:a] += y
        x *= x
        y *= y
        x += y
        s2[:a] += x
        length[:a] += np.abs(d)
        z = zk + d
        o += a
    cnt = np.searchsorted(-active, -np.arange(n), side="left")  # steps of each stroke
    return starts, deltas, _loop_factor(sx, sy, s2, length, cnt)


def advance(
    field: VectorField, x0: np.ndarray, y0: np.ndarray, dist: np.ndarray, step: float
) -> tuple[np.ndarray, np.ndarray]:
    """Move each point ``dist`` pixels along the field's direction (backwards where negative).

    Midpoint steps of ``step`` pixels, then one partial step for the remainder: the path is
    the same for every distance, so the end moves continuously with ``dist`` (equal steps of
    ``dist / n`` would change the whole path whenever ``n`` changes, and near a saddle of the
    field that can throw the end to the other side). Sorted by step count, the points still
    moving at step ``k`` are a prefix, and those taking their partial step are its tail.
    """
    h = np.float32(step)
    mag = np.abs(dist).astype(np.float32)
    full = np.floor(mag / h).astype(np.int64)
    rem = mag - full.astype(np.float32) * h
    order = np.argsort(-full, kind="stable")
    ks = full[order]
    sign = np.where(dist[order] < 0, np.float32(-1), np.float32(1))
    h_full = sign * h
    h_rem = sign * rem[order]
    z = np.empty(x0.size, np.complex64)
    z.real = x0[order]
    z.imag = y0[order]
    # Points taking step k: full steps for k < full, the partial one at k == full.
    n_max = int(ks[0]) + 1 if ks.size else 0
    active = np.searchsorted(-ks, -np.arange(n_max + 1), side="right")  # full >= k
    eps2 = np.float32(max((_SPEED_EPS * field._rms) ** 2, 1e-30))
    for k in range(n_max):
        a, a_next = int(active[k]), int(active[k + 1])
        zk = z[:a]
        hk = h_full[:a].copy()
        hk[a_next:] = h_rem[a_next:a]
        d = unit_direction(field, zk, eps2)
        d *= hk * np.float32(0.5)
        d += zk
        d = unit_direction(field, d, eps2)
        d *= hk
        zk += d
    out = np.empty_like(z)
    out[order] = z
    return np.ascontiguousarray(out.real), np.ascontiguousarray(out.imag)


def _loop_factor(
    sx: np.ndarray, sy: np.ndarray, s2: np.ndarray, length: np.ndarray, cnt: np.ndarray
) -> np.ndarray:
    """Ink factor per stroke that keeps strokes orbiting an eddy's eye from burning a dot.

    A stroke that winds ``k`` times around a small eddy lays its ink ``k`` times over the same
    circle. With ``R`` the radius of gyration of its points and ``L`` its length, one turn is
    about ``2 pi R`` long, so the factor is ``min(1, 2 pi R / L)``: 1 for straight strokes
    (``2 pi R / L`` is 1.8), arcs and single loops, ``1 / k`` for ``k`` turns. The arguments
    are each stroke's sums over its ``cnt`` segments of their starts' offsets ``(x, y)`` from
    the stroke's start, of ``x * x + y * y`` and of the segments' lengths.
    """
    mx = sx / cnt
    my = sy / cnt
    var = s2 / cnt - mx * mx - my * my
    turn = 2 * math.pi * np.sqrt(np.maximum(var, 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(turn < length, turn / length, 1.0)
    return factor.astype(np.float32)
