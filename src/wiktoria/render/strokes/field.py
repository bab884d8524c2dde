"""Stroke layers, stage 1: the velocity field (:func:`flow_field`), a laminar angle field blended
with curl noise on a coarse grid, and its bilinear sampling (:class:`VectorField`,
:func:`sample_bilinear`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

import numpy as np
import numpy.typing as npt

from wiktoria import noise
from wiktoria.common import validate
from wiktoria.noise import _accel
from wiktoria.render.strokes.params import MAX_SIDE, StrokeParams, seed_margin

__all__ = ["VectorField", "bilinear", "check_finite", "fbm_rms_scale", "field_seeds", "flow_field",
           "sample_bilinear", "sample_stack"]

_LAMINAR_BEND = 0.45  # standard deviation of the laminar field's bend, radians


def _origin(value: Any) -> tuple[float, float]:
    allowed = f"origin must be a pair of finite numbers (x, y), got {validate.show(value)}"
    try:
        items = tuple(value)
    except TypeError:
        raise TypeError(allowed) from None
    if len(items) != 2 or not all(validate.is_number(c) for c in items):
        raise TypeError(allowed)
    ox, oy = (float(c) for c in items)
    if not (math.isfinite(ox) and math.isfinite(oy)):
        raise ValueError(allowed)
    return ox, oy


def sample_bilinear(grid: npt.ArrayLike, xs: npt.ArrayLike, ys: npt.ArrayLike) -> np.ndarray:
    """Bilinear interpolation of a 2D grid at fractional (column, row) positions.

    Parameters
    ----------
    grid : array_like, shape (rows, cols)
        Node values (real or complex), at least 1 x 1.
    xs, ys : array_like
        Column and row positions in node units (node ``grid[j, i]`` is at ``x = i, y = j``),
        broadcasting together. Positions outside the grid are clamped to its edge.

    Returns
    -------
    ndarray
        The broadcast shape of ``xs`` and ``ys``, the grid's dtype for float32, float64 and
        complex grids (other dtypes give float64). Exact on nodes (``(1 - f) * a + f * b``
        with ``f`` 0 or 1) and linear along each axis between nodes.

    Examples
    --------
    >>> import numpy as np
    >>> from wiktoria.render.strokes import sample_bilinear
    >>> g = np.array([[0.0, 1.0], [2.0, 3.0]], dtype=np.float32)
    >>> sample_bilinear(g, [0.0, 0.5, 1.0], [0.0, 0.5, 1.0]).tolist()
    [0.0, 1.5, 3.0]
    """
    g = np.asarray(grid)
    if g.ndim != 2 or g.size == 0:
        raise ValueError(f"grid must be a non-empty 2D array, got shape {g.shape}")
    if g.dtype.kind not in "fc" or g.dtype.itemsize < 4:
        g = g.astype(np.float64)
    x, y = np.broadcast_arrays(np.asarray(xs), np.asarray(ys))
    real = np.float32 if g.dtype in (np.float32, np.complex64) else np.float64
    x = x.astype(real, copy=False)
    y = y.astype(real, copy=False)
    check_finite(x, y, "xs and ys")
    return bilinear(g, x, y)


def check_finite(x: np.ndarray, y: np.ndarray, names: str) -> None:
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise ValueError(f"{names} must be finite numbers, got NaN or infinite values")


def _cell(c: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Cell index (a whole float) and fraction of node positions ``c`` along an axis of ``n``
    nodes, clamped to the axis."""
    if n == 1:
        return np.zeros_like(c), np.zeros_like(c)
    f = np.clip(c, 0, n - 1)
    # Clipped to >= 0, so floor is the integer part; the fraction is exact in c's dtype.
    i = np.minimum(np.floor(f), c.dtype.type(n - 2))
    f -= i
    return i, f


def bilinear(g: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Core of :func:`sample_bilinear`: ``x``, ``y`` same shape, real dtype matching ``g``.

    A real grid is sampled by a compiled kernel (:func:`_bilinear`: the same operations in
    the same order, so the same bits) unless the numpy backend is chosen."""
    rows, cols = g.shape
    kernel = _accel.compiled(_bilinear) if g.dtype.kind == "f" else None
    if kernel is not None and x.size:
        t = x.dtype.type
        out = np.empty((1, x.size), x.dtype)
        kernel(np.ascontiguousarray(g).reshape(1, -1), rows, cols,
               np.ascontiguousarray(x).reshape(-1), np.ascontiguousarray(y).reshape(-1),
               t(cols - 1), t(rows - 1), t(max(cols - 2, 0)), t(max(rows - 2, 0)), out)
        return out.reshape(x.shape)
    flat = g.reshape(-1)
    one = x.dtype.type(1)
    ixf, fx = _cell(x, cols)
    iyf, fy = _cell(y, rows)
    dx = 1 if cols > 1 else 0
    dy = cols if rows > 1 else 0
    i00 = iyf.astype(np.intp)
    i00 *= cols
    i00 += ixf.astype(np.intp)
    gx = one - fx
    # The other corners are gathered through shifted views instead of shifted indices.
    top = flat[i00] * gx
    top += flat[dx:][i00] * fx
    bot = flat[dy:][i00] * gx
    bot += flat[dx + dy:][i00] * fx
    top *= one - fy
    bot *= fy
    top += bot
    return top


def _bilinear(flat: np.ndarray, rows: int, cols: int, x: np.ndarray, y: np.ndarray,
              xmax: Any, ymax: Any, xcap: Any, ycap: Any, out: np.ndarray) -> None:
    """:func:`bilinear`'s numpy path point by point (compiled with numba), for a stack of
    grids at once: ``flat`` (grids, nodes row by row), ``x``, ``y`` flat and ``out``
    (grids, points), of the grids' real dtype; ``xmax``, ``ymax`` the last node's position
    along each axis and ``xcap``, ``ycap`` the last cell's (in that dtype)."""
    one = out.dtype.type(1)
    zero = out.dtype.type(0)
    dx = 1 if cols > 1 else 0
    dy = cols if rows > 1 else 0
    for k in range(out.shape[1]):
        if cols == 1:
            ix = zero
            fx = zero
        else:
            fx = min(max(x[k], zero), xmax)
            ix = min(np.floor(fx), xcap)
            fx = fx - ix
        if rows == 1:
            iy = zero
            fy = zero
        else:
            fy = min(max(y[k], zero), ymax)
            iy = min(np.floor(fy), ycap)
            fy = fy - iy
        i00 = int(iy) * cols + int(ix)
        gx = one - fx
        gy = one - fy
        for g in range(out.shape[0]):
            top = flat[g, i00] * gx
            top = top + flat[g, i00 + dx] * fx
            bot = flat[g, i00 + dy] * gx
            bot = bot + flat[g, i00 + dx + dy] * fx
            top = top * gy
            bot = bot * fy
            out[g, k] = top + bot


def sample_stack(grids: list[np.ndarray] | np.ndarray, xs: np.ndarray, ys: np.ndarray
                 ) -> list[np.ndarray]:
    """:func:`sample_bilinear` of several grids of one shape and real dtype at the same
    positions (``xs``, ``ys`` of that dtype, one shape): the same values, the cell of each
    position found once for all of them. ``grids`` is a list, or the grids stacked in one
    array (read as it is, not copied, when C-contiguous)."""
    g0 = grids[0]
    kernel = _accel.compiled(_bilinear) if g0.dtype.kind == "f" else None
    if (kernel is None or xs.dtype != g0.dtype or ys.dtype != g0.dtype
            or xs.shape != ys.shape or any(g.shape != g0.shape or g.dtype != g0.dtype
                                          for g in grids)):
        return [sample_bilinear(g, xs, ys) for g in grids]
    check_finite(xs, ys, "xs and ys")
    rows, cols = g0.shape
    t = xs.dtype.type
    out = np.empty((len(grids), xs.size), xs.dtype)
    if xs.size:
        stacked = grids if isinstance(grids, np.ndarray) else np.stack(grids)
        kernel(np.ascontiguousarray(stacked).reshape(len(grids), -1), rows, cols,
               np.ascontiguousarray(xs).reshape(-1), np.ascontiguousarray(ys).reshape(-1),
               t(cols - 1), t(rows - 1), t(max(cols - 2, 0)), t(max(rows - 2, 0)), out)
    return [o.reshape(xs.shape) for o in out]


@dataclass(frozen=True, eq=False)
class VectorField:
    """A 2D velocity field on a regular grid, sampled bilinearly.

    Attributes
    ----------
    u, v : ndarray of float32, shape (rows, cols)
        Velocity components at the nodes (x to the right, y down), read-only.
    origin : (float, float)
        Pixel position ``(x, y)`` of node ``[0, 0]``. Default (0, 0).
    spacing : float
        Pixels between neighbouring nodes, > 0. Default 1.

    Node ``[j, i]`` is at pixel ``(origin[0] + i * spacing, origin[1] + j * spacing)``.
    Outside the grid the field is clamped to its edge.

    Examples
    --------
    >>> import numpy as np
    >>> from wiktoria.render.strokes import VectorField
    >>> f = VectorField(np.ones((3, 4)), np.zeros((3, 4)), origin=(-4.0, -4.0), spacing=4.0)
    >>> u, v = f.sample(np.array([0.0, 2.5]), np.array([1.0, 3.0]))
    >>> u.tolist(), v.tolist()
    ([1.0, 1.0], [0.0, 0.0])
    """

    u: np.ndarray
    v: np.ndarray
    origin: tuple[float, float] = (0.0, 0.0)
    spacing: float = 1.0
    _uv: np.ndarray = dc_field(init=False, repr=False)
    _rms: float = dc_field(init=False, repr=False)

    def __post_init__(self) -> None:
        u = np.array(self.u, dtype=np.float32)
        v = np.array(self.v, dtype=np.float32)
        if u.ndim != 2 or u.size == 0 or u.shape != v.shape:
            raise ValueError(
                f"u and v must be non-empty 2D arrays of one shape, got {u.shape} and {v.shape}"
            )
        if not (np.isfinite(u).all() and np.isfinite(v).all()):
            raise ValueError("u and v must be finite, got NaN or infinite values")
        ox, oy = _origin(self.origin)
        spacing = validate.number(self.spacing, "spacing", 0.0, 1e6, lo_open=True)
        u.flags.writeable = False
        v.flags.writeable = False
        uv = (u + 1j * v).astype(np.complex64)
        uv.flags.writeable = False
        rms = float(np.sqrt(np.mean(np.abs(uv).astype(np.float64) ** 2)))
        object.__setattr__(self, "u", u)
        object.__setattr__(self, "v", v)
        object.__setattr__(self, "origin", (ox, oy))
        object.__setattr__(self, "spacing", spacing)
        object.__setattr__(self, "_uv", uv)
        object.__setattr__(self, "_rms", rms)

    @property
    def shape(self) -> tuple[int, int]:
        """Grid shape ``(rows, cols)``."""
        return self.u.shape  # type: ignore[return-value]

    def sample(self, x: npt.ArrayLike, y: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """Velocity at pixel positions.

        Parameters
        ----------
        x, y : array_like
            Pixel positions, broadcasting together.

        Returns
        -------
        u, v : ndarray of float32
            The broadcast shape.
        """
        x, y = np.broadcast_arrays(np.asarray(x, np.float32), np.asarray(y, np.float32))
        check_finite(x, y, "x and y")
        uv = self._sample_c(x, y)
        return np.ascontiguousarray(uv.real), np.ascontiguousarray(uv.imag)

    def _sample_c(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Complex velocity ``u + iv`` at float32 pixel positions (same shape)."""
        s = np.float32(1.0 / self.spacing)
        gx = (x - np.float32(self.origin[0])) * s
        gy = (y - np.float32(self.origin[1])) * s
        return bilinear(self._uv, gx, gy)


def fbm_rms_scale(octaves: int) -> tuple[float, float]:
    """Typical RMS of |curl| and standard deviation of Perlin fBm (lacunarity 2, gain 0.5).

    Fixed constants (measured, within ~5 %) rather than statistics of each field, so that the
    field at a pixel depends only on the noise there: animation frames do not pump.
    """
    amps = [0.5**k for k in range(octaves)]
    total = sum(amps)
    curl_rms = 0.97 * math.sqrt(octaves) / total
    fbm_std = 0.276 * math.sqrt(sum(a * a for a in amps)) / total
    return curl_rms, fbm_std


def field_seeds(seed: int) -> tuple[int, int, int]:
    """Noise seeds of the curl potential, the laminar bend and the stroke tone field."""
    ss = np.random.SeedSequence([seed, 0x5354])  # 'ST'
    a, b, c = ss.generate_state(3, np.uint64)
    return int(a), int(b), int(c)


def flow_field(
    width: int,
    height: int,
    params: StrokeParams | None = None,
    *,
    spacing: float = 4.0,
    margin: float | None = None,
) -> VectorField:
    """The stroke velocity field of a canvas, on a coarse grid extended beyond it.

    The velocity is ``(1 - curl) * L + curl * C``: ``L`` is a unit vector at angle
    ``direction + bend``, where the bend is fBm scaled to a standard deviation of about 0.45
    rad; ``C`` is :func:`wiktoria.noise.curl` of fBm divided by its typical RMS, so both parts
    have magnitudes around 1. Noise coordinates are ``(x / height * frequency, y / height *
    frequency, t)``, with ``period`` applied to ``t``.

    Parameters
    ----------
    width, height : int
        Canvas size in pixels, 1 to 16384.
    params : StrokeParams, optional
        Uses ``curl``, ``direction``, ``frequency``, ``octaves``, ``seed``, ``t`` and
        ``period``. Default ``StrokeParams()``.
    spacing : float, optional
        Pixels between grid nodes, [1, 64]. Default 4.
    margin : float, optional
        Pixels the grid extends beyond each side of the canvas, [0, 16384]. Default twice the
        seed margin of :func:`render_strokes` (the median stroke length, at most half the
        canvas's longer side) plus 4 nodes.

    Returns
    -------
    VectorField
        float32 grid of about ``((height + 2 margin) / spacing + 1, (width + 2 margin) /
        spacing + 1)`` nodes.

    Examples
    --------
    >>> from wiktoria.render.strokes import StrokeParams, flow_field
    >>> f = flow_field(1920, 1080, StrokeParams(curl=0.8, seed=1))
    >>> f.spacing, f.shape
    (4.0, (339, 549))
    """
    params = StrokeParams() if params is None else params
    validate.instance(params, "params", StrokeParams)
    width = validate.integer(width, "width", 1, MAX_SIDE)
    height = validate.integer(height, "height", 1, MAX_SIDE)
    spacing = validate.number(spacing, "spacing", 1.0, 64.0)
    if margin is None:
        margin = 2.0 * seed_margin(width, height, params) + 4 * spacing
    margin = validate.number(margin, "margin", 0.0, float(MAX_SIDE))
    n_margin = math.ceil(margin / spacing)
    cols = n_margin * 2 + math.ceil((width - 1) / spacing) + 1
    rows = n_margin * 2 + math.ceil((height - 1) / spacing) + 1
    ox = oy = -n_margin * spacing
    scale = params.frequency / height
    xs = ((ox + np.arange(cols) * spacing) * scale).reshape(1, -1)
    ys = ((oy + np.arange(rows) * spacing) * scale).reshape(-1, 1)
    t = params.t
    period = (None, None, params.period)
    curl_seed, bend_seed, _ = field_seeds(params.seed)
    curl_rms, fbm_std = fbm_rms_scale(params.octaves)
    c = params.curl
    u = np.zeros((rows, cols), np.float32)
    v = np.zeros((rows, cols), np.float32)
    if c > 0:
        cu, cv = noise.curl(xs, ys, t, octaves=params.octaves, seed=curl_seed, period=period)
        k = np.float32(c / curl_rms)
        u += cu * k
        v += cv * k
    if c < 1:
        bend = noise.fbm(xs, ys, t, octaves=params.octaves, seed=bend_seed, period=period)
        angle = bend * np.float32(_LAMINAR_BEND / fbm_std) + np.float32(params.direction)
        k = np.float32(1.0 - c)
        u += np.cos(angle) * k
        v += np.sin(angle) * k
    return VectorField(u, v, origin=(ox, oy), spacing=spacing)
