"""Stroke layers, the driver and stage 5: :func:`render_strokes` runs the stages (field, swarm,
tracing, splatting by width class) and tone-maps the ink into a :class:`StrokeLayer`.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import numpy as np
import numpy.typing as npt

from wiktoria.common import validate
from wiktoria.render.strokes.field import VectorField, flow_field
from wiktoria.render.strokes.params import MAX_SIDE, StrokeLayer, StrokeParams
from wiktoria.render.strokes.seeding import make_swarm
from wiktoria.render.strokes.splatting import Canvas, box_blur, render_chunk
from wiktoria.render.strokes.tracing import advance

__all__ = ["render_strokes"]

_TRACE_POINTS = 1 << 20  # stroke segments traced per chunk (16 bytes each)


def _check_weight(weight: Any, width: int, height: int) -> np.ndarray:
    allowed = f"a ({height}, {width}) array of finite values in [0, 1]"
    try:
        w = np.asarray(weight, dtype=np.float32)
    except (TypeError, ValueError):
        raise TypeError(f"weight must be {allowed}, got {type(weight).__name__}") from None
    if w.shape != (height, width):
        raise ValueError(f"weight must be {allowed}, got shape {w.shape}")
    if not np.isfinite(w).all():
        raise ValueError(f"weight must be {allowed}, got NaN or infinite values")
    lo, hi = float(w.min()), float(w.max())
    if lo < 0 or hi > 1:
        raise ValueError(f"weight must be {allowed}, got values from {lo:g} to {hi:g}")
    if hi == 0:
        raise ValueError(f"weight must be {allowed} and not all zero, got all zeros")
    return w


def _chunks(order: np.ndarray, n_steps: np.ndarray) -> list[np.ndarray]:
    """Split stroke indices into runs of at most ``_TRACE_POINTS`` segments (at least 1 stroke)."""
    steps = n_steps[order]
    first = np.cumsum(steps) - steps  # segments before each stroke
    run = first // _TRACE_POINTS
    cuts = np.flatnonzero(run[1:] != run[:-1]) + 1
    return np.split(order, cuts)


def _speed_scale(field: VectorField) -> float:
    s = np.abs(field._uv)
    return max(float(np.percentile(s, 99)), 1e-30)


def render_strokes(
    width: int,
    height: int,
    params: StrokeParams | None = None,
    *,
    weight: npt.ArrayLike | None = None,
    field: VectorField | None = None,
) -> StrokeLayer:
    """Render a flow-field stroke layer.

    Parameters
    ----------
    width, height : int
        Canvas size in pixels, 1 to 16384.
    params : StrokeParams, optional
        Default ``StrokeParams()``.
    weight : array_like, shape (height, width), optional
        Where strokes live, values in [0, 1] (not all zero). Seeds are drawn with probability
        proportional to the weight (over the canvas plus the seed margin, where the weight is
        that of the nearest edge pixel), and the accumulated ink of every pixel is multiplied
        by the weight there: nothing is drawn where it is 0, and strokes fade out where it
        falls. This is the same as multiplying each sample's bilinear contributions by the
        weight at the pixel they land on, and it keeps wide (blurred) strokes from bleeding
        past a zero edge. Default: uniform seeds over the canvas plus the seed margin.
    field : VectorField, optional
        The velocity field, in pixel coordinates. Default ``flow_field(width, height,
        params)``.

    Returns
    -------
    StrokeLayer
        float32 ``density`` and ``tone``, shape (height, width), both in [0, 1].

    Examples
    --------
    >>> import numpy as np
    >>> from dataclasses import replace
    >>> from wiktoria.render.strokes import StrokeParams, render_strokes
    >>> weight = np.zeros((90, 160), np.float32); weight[45:] = 1.0
    >>> layer = render_strokes(160, 90, StrokeParams(count=300, seed=1), weight=weight)
    >>> float(layer.density[:45].max()), layer.density.shape
    (0.0, (90, 160))

    A seamless loop: frames at phases ``k / n`` with the field's time following the phase.

    >>> p = StrokeParams(count=300, seed=1, period=2, cycles=3)
    >>> frames = [render_strokes(160, 90, replace(p, phase=k / 8, t=2 * k / 8)) for k in range(8)]
    >>> wrap = render_strokes(160, 90, replace(p, phase=1.0, t=0.0))
    >>> bool(np.array_equal(frames[0].density, wrap.density))
    True
    """
    params = StrokeParams() if params is None else params
    validate.instance(params, "params", StrokeParams)
    width = validate.integer(width, "width", 1, MAX_SIDE)
    height = validate.integer(height, "height", 1, MAX_SIDE)
    wmap = None if weight is None else _check_weight(weight, width, height)
    if field is None:
        field = flow_field(width, height, params)
    else:
        validate.instance(field, "field", VectorField)

    sw = make_swarm(width, height, params, wmap)
    radii = np.unique(sw.radius)
    pad = 3 + int(radii.max()) + math.ceil(params.step)  # see render_chunk
    speed_scale = _speed_scale(field) if params.tone == "speed" else 1.0
    inked = np.zeros(sw.x0.size, bool)
    den = np.zeros((height, width), np.float32)
    num = np.zeros((height, width), np.float32)
    # By width class, then longest stroke first (ties by index): see render_chunk.
    order_all = np.lexsort((-sw.n_steps, sw.radius))
    if sw.shift is not None:
        # Animation: slide each stroke along the field to where its age puts it, skipping the
        # strokes that cannot leave ink on the canvas (too far off it, or at birth or death).
        reach = (sw.n_steps * params.step + sw.radius + 2).astype(np.float32)
        keep = _near_canvas(sw.x0, sw.y0, reach + np.abs(sw.shift), width, height)
        keep &= sw.ink > 0
        live = np.flatnonzero(keep)
        x0, y0 = sw.x0.copy(), sw.y0.copy()
        # (Steps twice the tracing step: only where the stroke starts matters, not its path.)
        x0[live], y0[live] = advance(
            field, x0[live], y0[live], sw.shift[live], 2.0 * params.step
        )
        sw = replace(sw, x0=x0, y0=y0)
        keep &= _near_canvas(x0, y0, reach, width, height)
        order_all = order_all[keep[order_all]]
        radii = np.unique(sw.radius[order_all]) if order_all.size else radii[:1]
    for r in radii.tolist():
        order = order_all[sw.radius[order_all] == r]
        canvas = Canvas(width, height, pad)
        for idx in _chunks(order, sw.n_steps) if order.size else ():
            render_chunk(canvas, field, sw, idx, params, speed_scale, inked)
        canvas.flush()
        cden = canvas.den.reshape(canvas.h, canvas.w)
        cnum = canvas.num.reshape(canvas.h, canvas.w)
        box_blur(cden, r)
        box_blur(cnum, r)
        den += cden[pad:pad + height, pad:pad + width]
        num += cnum[pad:pad + height, pad:pad + width]
        del canvas, cden, cnum

    if wmap is not None:
        den *= wmap
        num *= wmap
    tone = np.zeros_like(den)
    np.divide(num, den, out=tone, where=den > 1e-6)
    np.clip(tone, 0, 1, out=tone)
    density = -np.expm1(den * np.float32(-params.gain))
    np.clip(density, 0, 1, out=density)
    return StrokeLayer(
        density=density,
        tone=tone,
        coverage=float(density.mean(dtype=np.float64)),
        n_strokes=int(inked.sum()),
    )


def _near_canvas(
    x: np.ndarray, y: np.ndarray, reach: np.ndarray, width: int, height: int
) -> np.ndarray:
    """Whether points lie within ``reach`` pixels (per axis) of the canvas."""
    near = x > -0.5 - reach
    near &= y > -0.5 - reach
    near &= x < width - 0.5 + reach
    near &= y < height - 0.5 + reach
    return near
