"""Flow-field strokes: a swarm of particles advected through curl noise, splatted as soft lines.

This is the "writhing" texture of a painting (Tyler Hobbs' flow fields, vectorised). The module
is a pure array library: it returns float32 buffers and never draws with PIL.

Pipeline of :func:`render_strokes`:

1. **Field.** :func:`flow_field` evaluates a velocity field once on a coarse grid (every 4 px,
   through the separable grid path of :mod:`wiktoria.noise`), extended by a margin beyond the
   canvas. It blends a laminar angle field (a mean ``direction`` bent by fBm; where the bend
   converges, strokes gather into denser lanes) with curl noise (divergence-free: strokes swirl
   around its eddies without gathering); ``curl`` chooses the mix. The result is a
   :class:`VectorField`, sampled bilinearly at particle positions (:func:`sample_bilinear`).
2. **Tracing.** :func:`trace` advances the whole swarm at once with midpoint (RK2) steps of a
   fixed length in pixels along the field's direction. Only the loop over steps is in Python.
3. **Splatting.** Each step's straight segment is sampled where it crosses the pixel-centre
   lines of its major axis (one sample per pixel column of a shallow segment, per row of a
   steep one; samples are at most sqrt(2) px apart along the path, 1 px along the axis) and
   each sample is splatted with bilinear (sub-pixel) weights into float32 buffers with
   ``np.bincount``, one buffer per stroke-width class. Since a sample sits on a pixel centre
   along the major axis, its bilinear weights there are exactly 1 and 0, so only two corners
   get ink (Xiaolin Wu's anti-aliased line): every column (row) receives exactly the ink of
   the length crossing it, with no beading at any angle. A sample's weight is the stroke's
   opacity times its width, times a taper that fades the stroke in and out along its length,
   times the arc length it stands for; a stroke that winds several times round an eddy's eye
   is thinned in proportion, so eyes stay rings instead of burnt dots. Wider classes are then
   softened with a separable box blur whose radius is the class's half-width.
4. **Lifetimes (animations).** With ``cycles >= 1`` strokes are particles with finite,
   staggered lives, ``cycles`` per loop: stroke ``i`` is ``age = frac(phase * cycles +
   offset_i)`` of its life old, its opacity fades in and out over the life (0 at birth and
   death), and each life starts from a new seed drawn for ``(i, life)``. As it ages the stroke
   slides along the field: it is traced from its seed moved ``(age - 1/2) * travel`` pixels
   along the flow, so it crawls forward instead of sliding with the image. Offsets and seeds
   come from a low-discrepancy sequence, so at every phase strokes are at all ages and evenly
   spread (steady ink, no empty start), and everything is exactly periodic in ``phase``.
5. **Tone mapping.** Raw density (in units of stroke opacity: one stroke of opacity ``a`` leaves
   about ``a`` on its core) maps to ``1 - exp(-gain * density)``: sparse single strokes stay
   translucent, overlaps build up smoothly and dense regions approach 1 without clipping flat.

Coordinates are pixels with pixel centres at integers: pixel ``[j, i]`` (row, column) is
centred at ``x = i, y = j`` and the canvas spans ``[-0.5, width - 0.5] x [-0.5, height - 0.5]``.

Every random choice comes from ``numpy.random.default_rng`` streams spawned from
``StrokeParams.seed``; results are bit-for-bit reproducible and independent of the thread
count. Stroke streams are spawned per quantity, so raising ``count`` keeps the existing strokes
(the first ``n`` strokes of a larger swarm are the ``n`` strokes of the smaller one).

Examples
--------
>>> from wiktoria.render.strokes import StrokeParams, render_strokes
>>> layer = render_strokes(160, 90, StrokeParams(count=400, length=30.0, seed=3))
>>> layer.density.shape, layer.density.dtype, layer.tone.dtype
((90, 160), dtype('float32'), dtype('float32'))
>>> bool(0.0 <= layer.density.min() and layer.density.max() <= 1.0)
True
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, replace
from dataclasses import field as dc_field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from wiktoria import noise

__all__ = [
    "StrokeLayer",
    "StrokeParams",
    "VectorField",
    "flow_field",
    "render_strokes",
    "sample_bilinear",
    "trace",
]

ToneMode = Literal["stroke", "along", "speed"]

_TONE_MODES = ("stroke", "along", "speed")
_MAX_SIDE = 16384
_MAX_COUNT = 10_000_000
_MAX_CLASSES = 4
_TAPER = 0.25  # fraction of a stroke's length over which it fades in (and out)
_TRACE_POINTS = 1 << 20  # stroke segments traced per chunk (16 bytes each)
_CHUNK_SAMPLES = 1 << 18  # samples expanded from segments at once (~40 bytes each)
_SPLAT_SAMPLES = 1 << 19  # samples splatted per batch (~70 bytes each)
_SPEED_EPS = 0.05  # directions are v / max(|v|, eps * rms): slower only at stagnation points
_LAMINAR_BEND = 0.45  # standard deviation of the laminar field's bend, radians
_MIN_ASPECT = 8.0  # shortest stroke length in widths
_MAX_CYCLES = 100_000
_FADE = 0.3  # fraction of a stroke's life over which it fades in (and out) in an animation
# Roberts' R3 low-discrepancy sequence: 1 / g ** k, g the real root of x ** 4 = x + 1.
_R3 = (0.8191725133961645, 0.6710436067037893, 0.5497004779019703)


# --------------------------------------------------------------------------------- validation


def _show(value: Any) -> str:
    """A short, one-line description of a value for an error message."""
    text = repr(value)
    if "\n" in text or len(text) > 80:
        shape = getattr(value, "shape", None)
        text = type(value).__name__ + ("" if shape is None else f" of shape {tuple(shape)}")
    return text


def _bad(name: str, value: Any, allowed: str) -> ValueError:
    return ValueError(f"{name} must be {allowed}, got {_show(value)}")


def _check_int(value: Any, name: str, lo: int, hi: int) -> int:
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral):
        raise _bad(name, value, f"an integer from {lo} to {hi}")
    if not lo <= int(value) <= hi:
        raise _bad(name, value, f"an integer from {lo} to {hi}")
    return int(value)


def _check_real(
    value: Any, name: str, lo: float, hi: float, *, lo_open: bool = False
) -> float:
    bracket = "(" if lo_open else "["
    allowed = f"a number in {bracket}{lo:g}, {hi:g}]"
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise _bad(name, value, allowed)
    v = float(value)
    if not math.isfinite(v) or v > hi or (v <= lo if lo_open else v < lo):
        raise _bad(name, value, allowed)
    return v


# ------------------------------------------------------------------------------- parameters


@dataclass(frozen=True)
class StrokeParams:
    """Parameters of a stroke layer; validated on construction.

    Every bad value raises ``ValueError`` naming the parameter, the allowed range and the
    value, on one line.

    Attributes
    ----------
    count : int
        Number of strokes seeded, 1 to 10,000,000. Default 50,000. Seeds cover the canvas
        plus a margin of one median ``length`` (at most half the canvas's longer side), so
        that strokes can enter from outside; some of them never reach the canvas. In an
        animation the margin is wider by half the ``travel`` and proportionally more strokes
        are seeded, so that the canvas holds as many.
    length : float
        Median stroke length in pixels, (0, 10000]. Default 60. Lengths are lognormal.
    length_spread : float
        Standard deviation of log length, [0, 2]. Default 0.6. Lengths are clipped to
        ``length * exp(±2.5 * length_spread)``.
    step : float
        Integration step in pixels, [0.25, 16]. Default 2. Strokes are splatted as continuous
        lines whatever the step; a smaller step follows the field's tight curls more
        faithfully and costs more tracing time.
    width : (float, float)
        Smallest and largest stroke width in pixels, ``0.25 <= min <= max <= 32``. Default
        (0.7, 5.0). Widths are ``min * (max / min) ** (u * u)`` with ``u`` uniform: most strokes
        are fine lines and a few are broad accents. They are drawn as up to four width classes
        (box-blur radius ``round((w - 1) / 2)``). A stroke's ink per pixel of length is
        ``opacity * w``, so strokes thinner than a pixel are fainter rather than thinner, and a
        stroke is at least ``8 w`` long (a short broad stroke is a blob).
    opacity : float
        Median stroke opacity, (0, 1]. Default 0.25. Opacities are lognormal, clipped to 1.
    opacity_spread : float
        Standard deviation of log opacity, [0, 2]. Default 0.5.
    curl : float
        From nearly laminar (0: strokes follow ``direction``, gently bent by fBm) to tightly
        curled (1: pure curl noise, strokes swirl around its eddies), [0, 1]. Default 0.5.
    direction : float
        Mean direction of the laminar part in radians (0 is +x, to the right; pi/2 is +y,
        down the image), [-2 pi, 2 pi]. Default 0.
    frequency : float
        Noise cells per canvas height of the field's first octave, (0, 64]. Default 2.
    octaves : int
        Octaves of the field's fBm, 1 to 8. Default 3.
    gain : float
        Tone-map gain ``k`` of ``1 - exp(-k * density)``, (0, 100]. Default 1.2. With the
        defaults, 50,000 strokes at 1920x1080 cover about 40 % of the canvas.
    tone : {'stroke', 'along', 'speed'}
        What the tone channel averages: a value per stroke ('stroke', the default; uniform in
        (0, 1), from low-frequency fBm at the stroke's seed plus random jitter, so nearby strokes
        share a family of values and dense areas keep the whole range instead of averaging to
        0.5), the position along the stroke from 0 at its tail to 1 at its head ('along'), or
        the field's local speed relative to its 99th percentile, clipped to 1 ('speed').
    seed : int
        Seed of everything random, 0 to 2**64 - 1. Default 0.
    t : float
        Time: the field's third noise coordinate, in noise cells, [-1e6, 1e6]. Default 0.
        The field changes smoothly with ``t`` and decorrelates over about one unit.
    period : int or None
        Period of the field along ``t`` (exactly periodic: ``t`` and ``t + period`` give the
        same field), 1 to 1,000,000, or None. Default None. Used for seamless loops.
    phase : float
        Position in an animation loop, [-1e6, 1e6], taken modulo 1: ``phase`` and ``phase + 1``
        are the same frame. Default 0. Only used when ``cycles`` is at least 1. For a seamless
        loop pass ``t = phase * period`` as well.
    cycles : int
        Lifetimes per loop, 0 to 100,000. Default 0: a still, every stroke drawn from its seed
        at full opacity. From 1 on, strokes are particles that live finite, staggered lives
        (see :func:`render_strokes`), so frames of a loop crawl and flow instead of morphing,
        and everything is exactly periodic in ``phase``.
    travel : float or None
        Pixels a stroke slides along the field in one life, [0, 100000], or None (default):
        derived from the field's evolution during a life, ``period / cycles`` noise cells (one
        noise cell of travel per cell the field evolves), or one median ``length`` when there
        is no ``period``. Only used when ``cycles`` is at least 1.
    """

    count: int = 50_000
    length: float = 60.0
    length_spread: float = 0.6
    step: float = 2.0
    width: tuple[float, float] = (0.7, 5.0)
    opacity: float = 0.25
    opacity_spread: float = 0.5
    curl: float = 0.5
    direction: float = 0.0
    frequency: float = 2.0
    octaves: int = 3
    gain: float = 1.2
    tone: ToneMode = "stroke"
    seed: int = 0
    t: float = 0.0
    period: int | None = None
    phase: float = 0.0
    cycles: int = 0
    travel: float | None = None

    def __post_init__(self) -> None:
        _check_int(self.count, "count", 1, _MAX_COUNT)
        _check_real(self.length, "length", 0.0, 10_000.0, lo_open=True)
        _check_real(self.length_spread, "length_spread", 0.0, 2.0)
        _check_real(self.step, "step", 0.25, 16.0)
        w = self.width
        allowed_w = "a pair (min, max) with 0.25 <= min <= max <= 32"
        if not (isinstance(w, tuple | list) and len(w) == 2):
            raise _bad("width", w, allowed_w)
        lo = _check_real(w[0], "width[0]", 0.25, 32.0)
        hi = _check_real(w[1], "width[1]", 0.25, 32.0)
        if lo > hi:
            raise _bad("width", w, allowed_w)
        object.__setattr__(self, "width", (w[0], w[1]))
        _check_real(self.opacity, "opacity", 0.0, 1.0, lo_open=True)
        _check_real(self.opacity_spread, "opacity_spread", 0.0, 2.0)
        _check_real(self.curl, "curl", 0.0, 1.0)
        _check_real(self.direction, "direction", -2 * math.pi, 2 * math.pi)
        _check_real(self.frequency, "frequency", 0.0, 64.0, lo_open=True)
        _check_int(self.octaves, "octaves", 1, 8)
        _check_real(self.gain, "gain", 0.0, 100.0, lo_open=True)
        if self.tone not in _TONE_MODES:
            raise _bad("tone", self.tone, "one of 'stroke', 'along', 'speed'")
        _check_int(self.seed, "seed", 0, 2**64 - 1)
        _check_real(self.t, "t", -1e6, 1e6)
        if self.period is not None:
            _check_int(self.period, "period", 1, 1_000_000)
        _check_real(self.phase, "phase", -1e6, 1e6)
        _check_int(self.cycles, "cycles", 0, _MAX_CYCLES)
        if self.travel is not None:
            _check_real(self.travel, "travel", 0.0, 100_000.0)


@dataclass(frozen=True, eq=False)
class StrokeLayer:
    """A rendered stroke layer.

    Attributes
    ----------
    density : ndarray of float32, shape (height, width)
        Tone-mapped ink density in [0, 1]: ``1 - exp(-gain * raw)``.
    tone : ndarray of float32, shape (height, width)
        Density-weighted mean of the per-sample tone value (see ``StrokeParams.tone``), in
        [0, 1]; 0 where there is no ink. Map it through a colour ramp and composite with
        ``density`` as alpha.
    coverage : float
        Mean of ``density`` over the canvas, in [0, 1]: the fraction of the canvas the ink
        would cover if it were gathered up.
    n_strokes : int
        Number of strokes that left ink on the canvas (before the weight map), at most
        ``count`` (in an animation, at most the number of strokes seeded over its wider
        margin).
    """

    density: np.ndarray
    tone: np.ndarray
    coverage: float
    n_strokes: int


# ------------------------------------------------------------------------------ the field


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
    _check_finite(x, y, "xs and ys")
    return _bilinear(g, x, y)


def _check_finite(x: np.ndarray, y: np.ndarray, names: str) -> None:
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise ValueError(f"{names} must be finite numbers, got NaN or infinite values")


def _bilinear(g: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Core of :func:`sample_bilinear`: ``x``, ``y`` same shape, real dtype matching ``g``."""
    rows, cols = g.shape
    flat = g.reshape(-1)
    one = x.dtype.type(1)
    if cols > 1:
        fx = np.clip(x, 0, cols - 1)
        # Clipped to >= 0, so floor is the integer part; the fraction is exact in x's dtype.
        ixf = np.minimum(np.floor(fx), x.dtype.type(cols - 2))
        fx -= ixf
    else:
        ixf = np.zeros_like(x)
        fx = np.zeros_like(x)
    if rows > 1:
        fy = np.clip(y, 0, rows - 1)
        iyf = np.minimum(np.floor(fy), y.dtype.type(rows - 2))
        fy -= iyf
    else:
        iyf = np.zeros_like(y)
        fy = np.zeros_like(y)
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
        try:
            ox, oy = (float(c) for c in self.origin)
        except (TypeError, ValueError):
            raise _bad("origin", self.origin, "a pair of finite numbers (x, y)") from None
        if not (math.isfinite(ox) and math.isfinite(oy)):
            raise _bad("origin", self.origin, "a pair of finite numbers (x, y)")
        spacing = _check_real(self.spacing, "spacing", 0.0, 1e6, lo_open=True)
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
        _check_finite(x, y, "x and y")
        uv = self._sample_c(x, y)
        return np.ascontiguousarray(uv.real), np.ascontiguousarray(uv.imag)

    def _sample_c(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Complex velocity ``u + iv`` at float32 pixel positions (same shape)."""
        s = np.float32(1.0 / self.spacing)
        gx = (x - np.float32(self.origin[0])) * s
        gy = (y - np.float32(self.origin[1])) * s
        return _bilinear(self._uv, gx, gy)


def _fbm_rms_scale(octaves: int) -> tuple[float, float]:
    """Typical RMS of |curl| and standard deviation of Perlin fBm (lacunarity 2, gain 0.5).

    Fixed constants (measured, within ~5 %) rather than statistics of each field, so that the
    field at a pixel depends only on the noise there: animation frames do not pump.
    """
    amps = [0.5**k for k in range(octaves)]
    total = sum(amps)
    curl_rms = 0.97 * math.sqrt(octaves) / total
    fbm_std = 0.276 * math.sqrt(sum(a * a for a in amps)) / total
    return curl_rms, fbm_std


def _field_seeds(seed: int) -> tuple[int, int, int]:
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
    if not isinstance(params, StrokeParams):
        raise _bad("params", params, "a StrokeParams")
    width = _check_int(width, "width", 1, _MAX_SIDE)
    height = _check_int(height, "height", 1, _MAX_SIDE)
    spacing = _check_real(spacing, "spacing", 1.0, 64.0)
    if margin is None:
        margin = 2.0 * _seed_margin(width, height, params) + 4 * spacing
    margin = _check_real(margin, "margin", 0.0, float(_MAX_SIDE))
    n_margin = math.ceil(margin / spacing)
    cols = n_margin * 2 + math.ceil((width - 1) / spacing) + 1
    rows = n_margin * 2 + math.ceil((height - 1) / spacing) + 1
    ox = oy = -n_margin * spacing
    scale = params.frequency / height
    xs = ((ox + np.arange(cols) * spacing) * scale).reshape(1, -1)
    ys = ((oy + np.arange(rows) * spacing) * scale).reshape(-1, 1)
    t = params.t
    period = (None, None, params.period)
    curl_seed, bend_seed, _ = _field_seeds(params.seed)
    curl_rms, fbm_std = _fbm_rms_scale(params.octaves)
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


# ------------------------------------------------------------------------------- tracing


def _direction(field: VectorField, z: np.ndarray, eps2: np.float32) -> np.ndarray:
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
            d = _direction(field, z, eps2)
            d *= half
            d += z
            d = _direction(field, d, eps2)
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
    if not isinstance(field, VectorField):
        raise _bad("field", field, "a VectorField")
    steps = _check_int(steps, "steps", 0, 100_000)
    step = _check_real(step, "step", 0.0, 1000.0, lo_open=True)
    x, y = np.broadcast_arrays(np.asarray(x0, np.float32), np.asarray(y0, np.float32))
    x, y = x.reshape(-1), y.reshape(-1)
    _check_finite(x, y, "x0 and y0")
    z = np.empty(x.size, np.complex64)
    z.real = x
    z.imag = y
    out = _trace_c(field, z, steps, step, normalize)
    return np.ascontiguousarray(out.real), np.ascontiguousarray(out.imag)


# ----------------------------------------------------------------------------- splatting


def _smoothstep(e: float, u: np.ndarray) -> np.ndarray:
    """0 at ``u <= 0``, 1 at ``u >= e``, smooth in between."""
    s = np.clip(u * np.float32(1.0 / e), 0, 1)
    return s * s * (np.float32(3) - np.float32(2) * s)


def _box_blur_axis(a: np.ndarray, r: int, axis: int) -> None:
    """In-place normalised box blur of radius ``r`` along ``axis`` (zero outside)."""
    n = a.shape[axis]
    inv = np.float32(1.0 / (2 * r + 1))
    if r <= 4:
        # A few shifted adds: cheap, and exact zeros stay zero.
        src = a.copy()
        for d in range(1, min(r, n - 1) + 1):
            if axis == 1:
                a[:, d:] += src[:, :-d]
                a[:, :-d] += src[:, d:]
            else:
                a[d:] += src[:-d]
                a[:-d] += src[d:]
        a *= inv
        return
    lo = np.clip(np.arange(n) - r, 0, n)
    hi = np.clip(np.arange(n) + r + 1, 0, n)
    other = a.shape[1 - axis]
    band = max(1, (1 << 20) // max(n, 1))  # ~8 MB of float64 per band
    for s in range(0, other, band):
        sl = a[s:s + band] if axis == 1 else a[:, s:s + band]
        cshape = list(sl.shape)
        cshape[axis] += 1
        c = np.zeros(cshape, np.float64)
        if axis == 1:
            np.cumsum(sl, axis=1, out=c[:, 1:])
            res = c[:, hi] - c[:, lo]
        else:
            np.cumsum(sl, axis=0, out=c[1:])
            res = c[hi] - c[lo]
        res *= inv
        np.maximum(res, 0, out=res)  # cumulative-sum rounding can dip below 0
        sl[...] = res


def _box_blur(a: np.ndarray, r: int) -> None:
    if r > 0:
        _box_blur_axis(a, r, 1)
        _box_blur_axis(a, r, 0)


class _Canvas:
    """Padded float32 accumulation buffers (density and tone numerator) of one width class.

    Samples queue up until ``_SPLAT_SAMPLES`` are pending, then one ``np.bincount`` per buffer
    splats them all: its cost has a fixed part (a full-size result added into the buffer), so
    few large batches are much faster than many small ones.

    A sample sits on a pixel-centre line of its stroke's major axis, so its bilinear weights
    along that axis are exactly 1 and 0 and only two of its four corners get ink: ``w * (1 -
    f)`` at flat index ``base`` and ``w * f`` at ``base + off`` (``off`` is 1 or the buffer's
    row length); ``t`` is its tone value. Queued samples are written straight into the
    bincount inputs: first corners at the front of ``_idx`` / ``_w``, second corners from
    ``_cap`` on, moved down to follow the first ones when the batch is splatted.
    """

    def __init__(self, width: int, height: int, pad: int) -> None:
        self.pad = pad
        self.w = width + 2 * pad
        self.h = height + 2 * pad
        self.den = np.zeros(self.h * self.w, np.float32)
        self.num = np.zeros(self.h * self.w, np.float32)
        self._cap = 0
        self._idx = np.empty(0, np.intp)
        self._w = np.empty(0, np.float64)  # bincount sums in float64 anyway
        self._t = np.empty(0, np.float32)
        self._queued = 0

    def _reserve(self, n: int) -> None:
        if n <= self._cap:
            return
        cap = max(n, _SPLAT_SAMPLES + _SPLAT_SAMPLES // 2)
        q = self._queued
        idx = np.empty(2 * cap, np.intp)
        w = np.empty(2 * cap, np.float64)
        t = np.empty(cap, np.float32)
        for new, old in ((idx, self._idx), (w, self._w)):
            new[:q] = old[:q]
            new[cap:cap + q] = old[self._cap:self._cap + q]
        t[:q] = self._t[:q]
        self._cap, self._idx, self._w, self._t = cap, idx, w, t

    def add(
        self, base: np.ndarray, off: np.ndarray, f: np.ndarray, w: np.ndarray, t: np.ndarray
    ) -> None:
        """Queue samples for splatting."""
        n = base.size
        q = self._queued
        self._reserve(q + n)
        c = self._cap
        self._idx[q:q + n] = base
        np.add(base, off, out=self._idx[c + q:c + q + n])
        wf = self._w[c + q:c + q + n]
        np.multiply(w, f, out=wf)
        np.subtract(w, wf, out=self._w[q:q + n])
        self._t[q:q + n] = t
        self._queued = q + n
        if self._queued >= _SPLAT_SAMPLES:
            self.flush()

    def flush(self) -> None:
        """Splat every queued sample."""
        n = self._queued
        if n == 0:
            return
        c = self._cap
        idx = self._idx
        w = self._w
        idx[n:2 * n] = idx[c:c + n]
        w[n:2 * n] = w[c:c + n]
        size = self.w * self.h
        self.den += np.bincount(idx[:2 * n], w[:2 * n], minlength=size)
        w[:2 * n].reshape(2, n)[...] *= self._t[:n]
        self.num += np.bincount(idx[:2 * n], w[:2 * n], minlength=size)
        self._queued = 0


# ---------------------------------------------------------------------------------- render


def _check_weight(weight: Any, width: int, height: int) -> np.ndarray:
    allowed = f"a ({height}, {width}) array of finite values in [0, 1]"
    try:
        w = np.asarray(weight, dtype=np.float32)
    except (TypeError, ValueError):
        raise ValueError(f"weight must be {allowed}, got {type(weight).__name__}") from None
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


@dataclass(frozen=True)
class _Swarm:
    x0: np.ndarray  # float32 (n,)
    y0: np.ndarray
    n_steps: np.ndarray  # int64 (n,): steps of each stroke
    ink: np.ndarray  # float32 (n,): opacity * width (ink per pixel of line), times the envelope
    value: np.ndarray  # float32 (n,): per-stroke tone value
    radius: np.ndarray  # int64 (n,): blur radius of the width class
    shift: np.ndarray | None = None  # float32 (n,): pixels to slide along the field (animations)


def _travel(width: int, height: int, params: StrokeParams) -> float:
    """Pixels a stroke slides along the field in one life (``cycles >= 1``)."""
    if params.travel is not None:
        travel = params.travel
    elif params.period is not None:
        # One noise cell of travel per noise cell the field evolves during a life: strokes and
        # field move at commensurate rates, so neither the flow nor the morphing dominates.
        travel = params.period / max(params.cycles, 1) * height / params.frequency
    else:
        travel = params.length
    return min(travel, 2.0 * max(width, height))


def _seed_margin(width: int, height: int, params: StrokeParams) -> float:
    """How far outside the canvas strokes are seeded: one median length (plus half the travel
    in an animation, since a stroke slides up to that far back or on), at most half a side."""
    m = params.length
    if params.cycles:
        m += 0.5 * _travel(width, height, params)
    return min(m, 0.5 * max(width, height))


def _envelope(age: np.ndarray) -> np.ndarray:
    """Opacity over a life: 0 at birth and death, fading over ``_FADE`` of the life at each end.

    Its mean over a life is ``1 - _FADE`` (a smoothstep's mean is one half).
    """
    e = np.clip(age / _FADE, 0.0, 1.0)
    f = np.clip((1.0 - age) / _FADE, 0.0, 1.0)
    return e * e * (3.0 - 2.0 * e) * f * f * (3.0 - 2.0 * f)


def _lives(
    index: np.ndarray, params: StrokeParams
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Age in [0, 1), life index in ``[0, cycles)`` and base point of strokes at ``phase``.

    A stroke of sequence index ``i`` (distinct integers) is born ``offset_i`` of a life early.
    Offsets and base points (in the unit square) are the three coordinates of Roberts' R3
    sequence ``frac(s + i * alpha)``, a low-discrepancy sequence: at every phase the strokes
    are at all ages, and the strokes of any range of ages are evenly spread over the canvas,
    so the ink stays steady. Exactly periodic: ``phase`` is reduced modulo 1 first.

    Returns
    -------
    age : float64 (n,)
    life : uint64 (n,)
    base : float64 (2, n)
    """
    ss = np.random.SeedSequence([params.seed, 0x4C49])  # 'LI'
    shift = np.random.default_rng(ss).random(3)
    i = np.asarray(index, dtype=np.float64)
    offset, bx, by = ((s + i * a) % 1.0 for s, a in zip(shift, _R3, strict=True))
    x = (params.phase % 1.0) * params.cycles + offset
    c = np.floor(x)
    age = x - c
    life = c.astype(np.int64) % params.cycles
    return age, life.astype(np.uint64), np.stack([bx, by])


def _life_uniforms(
    index: np.ndarray, params: StrokeParams
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Age and seed coordinates of each stroke's current life: ``u``, ``v`` in [0, 1) spread
    evenly (the base point, moved by a random offset per life and jittered by about the
    points' spacing, so no lattice shows) and sub-pixel jitters ``jx``, ``jy`` in [0, 1)."""
    n = index.size
    age, life, base = _lives(index, params)
    key = int(np.random.SeedSequence([params.seed, 0x5345]).generate_state(1, np.uint64)[0])
    slot = np.arange(n, dtype=np.uint64)
    spacing = 1.0 / math.sqrt(n)
    zero = np.zeros(n, np.uint64)
    out = []
    for k in range(2):
        rot = _hash_uniform(key, zero, life, 4 + k)  # one offset per life, shared by all
        jit = _hash_uniform(key, slot, life, k) - 0.5
        out.append((base[k] + rot + jit * spacing) % 1.0)
    jx, jy = (_hash_uniform(key, slot, life, 2 + k) for k in range(2))
    return age, out[0], out[1], jx, jy


def _mix64(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser on a uint64 array (wrapping arithmetic), in place."""
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return x


def _hash_uniform(key: int, i: np.ndarray, life: np.ndarray, k: int) -> np.ndarray:
    """Uniform [0, 1) float64 per ``(stroke i, life, quantity k)``: a counter-based hash, so
    any life of any stroke is drawn directly, without drawing the lives before it."""
    x = i.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    x += np.uint64(key)
    _mix64(x)
    x ^= life * np.uint64(0xD1B54A32D192ED03) + np.uint64((k + 1) * 0x8CB92BA72F3D8DD7 % 2**64)
    _mix64(x)
    return (x >> np.uint64(11)).astype(np.float64) * (1.0 / 2**53)


def _swarm(
    width: int, height: int, params: StrokeParams, weight: np.ndarray | None
) -> _Swarm:
    n = params.count
    # One stream per quantity: the first n strokes of a larger swarm are the n of a smaller.
    s_a, s_b, s_c, s_len, s_wid, s_op, s_val = np.random.SeedSequence(
        [params.seed, 0x5357]
    ).spawn(7)
    m = _seed_margin(width, height, params)
    if params.cycles:
        # The seeding area is wider than a still's (strokes slide back and on by half the
        # travel), so proportionally more strokes: the canvas holds as many as in the still.
        m0 = _seed_margin(width, height, replace(params, cycles=0))
        n = max(1, round(n * _seed_measure(width, height, m, weight)
                         / _seed_measure(width, height, m0, weight)))
    sig = params.length_spread
    log_len = np.random.default_rng(s_len).normal(0.0, 1.0, n)
    length = params.length * np.exp(sig * np.clip(log_len, -2.5, 2.5))
    wmin, wmax = params.width
    # Log-width is skewed towards thin (the square of a uniform): most strokes are fine lines,
    # a few are broad accents (about 6 % in the top eighth of the log range).
    uw = np.random.default_rng(s_wid).random(n)
    wid = wmin * (wmax / wmin) ** (uw * uw)
    # A short, broad stroke is a blob: strokes are at least _MIN_ASPECT times their width long.
    length = np.maximum(length, _MIN_ASPECT * wid)
    n_steps = np.maximum(1, np.ceil(length / params.step)).astype(np.int64)
    radius = _class_radii(wid, wmin, wmax)
    osig = params.opacity_spread
    op = params.opacity * np.exp(osig * np.random.default_rng(s_op).normal(0.0, 1.0, n))
    op = np.minimum(op, 1.0)
    ink = op * wid
    age = None
    if params.cycles:
        # Lives: strokes ranked by their ink take the points of a low-discrepancy sequence in
        # turn, so that strokes of every weight are spread evenly over ages and over the canvas.
        rank = np.empty(n, np.int64)
        rank[np.argsort(-(ink * length), kind="stable")] = np.arange(n)
        age, ua, ub, jx, jy = _life_uniforms(rank, params)
        if weight is None:
            x0 = (-0.5 - m) + ua * (width + 2 * m)
            y0 = (-0.5 - m) + ub * (height + 2 * m)
        else:
            x0, y0 = _weighted_seeds(weight, m, ua, ub, jx, jy)
    elif weight is None:
        x0 = np.random.default_rng(s_a).uniform(-0.5 - m, width - 0.5 + m, n)
        y0 = np.random.default_rng(s_b).uniform(-0.5 - m, height - 0.5 + m, n)
    else:
        # Seed pixels in proportion to the weight, over the canvas and the margin (where the
        # weight is its nearest edge pixel's), so that regions touching an edge are not
        # starved of the strokes that would flow in from outside.
        mi = math.ceil(m)
        padded = np.pad(weight, mi, mode="edge") if mi else weight
        pw = padded.shape[1]
        cdf = np.cumsum(padded.reshape(-1), dtype=np.float64)
        del padded
        u = np.random.default_rng(s_a).random(n) * cdf[-1]
        jx = np.random.default_rng(s_b).random(n) - 0.5
        jy = np.random.default_rng(s_c).random(n) - 0.5
        flat = np.minimum(np.searchsorted(cdf, u, side="right"), cdf.size - 1)
        del cdf
        x0 = flat % pw - mi + jx * 0.999
        y0 = flat // pw - mi + jy * 0.999
    value = _stroke_values(x0, y0, height, params, np.random.default_rng(s_val))
    shift = None
    if age is not None:
        # Fade in and out over the life; the mean ink over a life is the still's.
        ink *= _envelope(age) * (1.0 / (1.0 - _FADE))
        # The stroke slides along the field as it ages: it starts half the travel behind its
        # seed and ends half the travel past it (at mid-life it is the still's stroke).
        shift = ((age - 0.5) * _travel(width, height, params)).astype(np.float32)
    return _Swarm(
        x0.astype(np.float32),
        y0.astype(np.float32),
        n_steps,
        ink.astype(np.float32),
        value.astype(np.float32),
        radius,
        shift,
    )


def _weighted_seeds(
    weight: np.ndarray, m: float, u: np.ndarray, v: np.ndarray, jx: np.ndarray, jy: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Seeds with density proportional to the weight (over the canvas and a margin of ``m``
    where it is the nearest edge pixel's), from evenly spread ``u``, ``v``: the row by the
    inverse CDF of the row sums at ``v``, the column by that row's inverse CDF at ``u``, so
    evenly spread points stay evenly spread."""
    mi = math.ceil(m)
    padded = np.pad(weight, mi, mode="edge") if mi else weight
    ph, pw = padded.shape
    cdf = np.cumsum(padded.reshape(-1), dtype=np.float64)
    row_end = cdf[pw - 1 :: pw]
    row_start = np.concatenate([[0.0], row_end[:-1]])
    row = np.minimum(np.searchsorted(row_end, v * cdf[-1], side="right"), ph - 1)
    target = row_start[row] + u * (row_end[row] - row_start[row])
    flat = np.searchsorted(cdf, target, side="right")
    flat = np.clip(flat, row * pw, row * pw + pw - 1)
    x0 = flat - row * pw - mi + (jx - 0.5) * 0.999
    y0 = row - mi + (jy - 0.5) * 0.999
    return x0, y0


def _seed_measure(width: int, height: int, m: float, weight: np.ndarray | None) -> float:
    """Area (or total weight) that strokes are seeded over with a margin of ``m`` pixels."""
    if weight is None:
        return (width + 2 * m) * (height + 2 * m)
    mi = math.ceil(m)
    w = weight.astype(np.float64)
    # The padded map's sum without building it: edge rows and columns repeat mi times.
    total = w.sum() + mi * (w[0].sum() + w[-1].sum() + w[:, 0].sum() + w[:, -1].sum())
    total += mi * mi * (w[0, 0] + w[0, -1] + w[-1, 0] + w[-1, -1])
    return max(float(total), 1e-30)


def _stroke_values(
    x0: np.ndarray, y0: np.ndarray, height: int, params: StrokeParams, rng: np.random.Generator
) -> np.ndarray:
    """Per-stroke tone values in (0, 1), uniformly distributed and spatially coherent.

    Independent random values would average to a flat 0.5 wherever strokes overlap; instead a
    value is low-frequency fBm at the stroke's seed plus a random jitter, pushed through the
    normal CDF, so neighbouring strokes share a family of values (colour regions that keep
    their range in dense areas) while still differing from one another.
    """
    scale = params.frequency / height
    _, _, tone_seed = _field_seeds(params.seed)
    f = noise.fbm(x0 * scale, y0 * scale, params.t, octaves=2, seed=tone_seed,
                  period=(None, None, params.period), dtype=np.float64)
    _, fbm_std = _fbm_rms_scale(2)
    jitter = 0.8
    score = (f / fbm_std + jitter * rng.normal(0.0, 1.0, x0.size)) / math.hypot(1.0, jitter)
    # Normal CDF (Page's tanh approximation, within 2e-4).
    return 0.5 * (1.0 + np.tanh(0.7978845608 * (score + 0.044715 * score**3)))


def _class_radii(wid: np.ndarray, wmin: float, wmax: float) -> np.ndarray:
    """Blur radius per stroke: ``round((w - 1) / 2)`` snapped to at most ``_MAX_CLASSES``."""
    rmin = max(0, round((wmin - 1) / 2))
    rmax = max(0, round((wmax - 1) / 2))
    if rmax - rmin + 1 <= _MAX_CLASSES:
        levels = np.arange(rmin, rmax + 1)
    else:
        levels = np.unique(np.round(np.geomspace(rmin + 1, rmax + 1, _MAX_CLASSES)) - 1)
    want = np.clip(np.round((wid - 1) / 2), rmin, rmax)
    nearest = np.abs(want[:, None] - levels[None, :]).argmin(axis=1)
    return levels[nearest].astype(np.int64)


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
    if not isinstance(params, StrokeParams):
        raise _bad("params", params, "a StrokeParams")
    width = _check_int(width, "width", 1, _MAX_SIDE)
    height = _check_int(height, "height", 1, _MAX_SIDE)
    wmap = None if weight is None else _check_weight(weight, width, height)
    if field is None:
        field = flow_field(width, height, params)
    elif not isinstance(field, VectorField):
        raise _bad("field", field, "a VectorField")

    sw = _swarm(width, height, params, wmap)
    radii = np.unique(sw.radius)
    pad = 3 + int(radii.max()) + math.ceil(params.step)  # see _render_chunk
    speed_scale = _speed_scale(field) if params.tone == "speed" else 1.0
    inked = np.zeros(sw.x0.size, bool)
    den = np.zeros((height, width), np.float32)
    num = np.zeros((height, width), np.float32)
    # By width class, then longest stroke first (ties by index): see _render_chunk.
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
        x0[live], y0[live] = _advance(
            field, x0[live], y0[live], sw.shift[live], 2.0 * params.step
        )
        sw = replace(sw, x0=x0, y0=y0)
        keep &= _near_canvas(x0, y0, reach, width, height)
        order_all = order_all[keep[order_all]]
        radii = np.unique(sw.radius[order_all]) if order_all.size else radii[:1]
    for r in radii.tolist():
        order = order_all[sw.radius[order_all] == r]
        canvas = _Canvas(width, height, pad)
        for idx in _chunks(order, sw.n_steps) if order.size else ():
            _render_chunk(canvas, field, sw, idx, params, speed_scale, inked)
        canvas.flush()
        cden = canvas.den.reshape(canvas.h, canvas.w)
        cnum = canvas.num.reshape(canvas.h, canvas.w)
        _box_blur(cden, r)
        _box_blur(cnum, r)
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


def _trace_segments(
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
        d = _direction(field, zk, eps2)
        d *= half
        d += zk
        d = _direction(field, d, eps2)
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


def _near_canvas(
    x: np.ndarray, y: np.ndarray, reach: np.ndarray, width: int, height: int
) -> np.ndarray:
    """Whether points lie within ``reach`` pixels (per axis) of the canvas."""
    near = x > -0.5 - reach
    near &= y > -0.5 - reach
    near &= x < width - 0.5 + reach
    near &= y < height - 0.5 + reach
    return near


def _advance(
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
        d = _direction(field, zk, eps2)
        d *= hk * np.float32(0.5)
        d += zk
        d = _direction(field, d, eps2)
        d *= hk
        zk += d
    out = np.empty_like(z)
    out[order] = z
    return np.ascontiguousarray(out.real), np.ascontiguousarray(out.imag)


def _render_chunk(
    canvas: _Canvas,
    field: VectorField,
    sw: _Swarm,
    idx: np.ndarray,
    params: StrokeParams,
    speed_scale: float,
    inked: np.ndarray,
) -> None:
    """Trace strokes ``idx`` (sorted longest first) and splat them into ``canvas``.

    Sorting by length makes the strokes still running at step ``k`` a prefix of the swarm, so
    every step advances exactly the strokes that need it: no work is wasted on strokes that
    have ended, whatever the spread of lengths.
    """
    ns = sw.n_steps[idx]
    n_max = int(ns[0])
    active = np.searchsorted(-ns, -np.arange(n_max), side="left")  # strokes with n_steps > k
    z0 = np.empty(idx.size, np.complex64)
    z0.real = sw.x0[idx]
    z0.imag = sw.y0[idx]
    starts, deltas, loop = _trace_segments(field, z0, active, params.step)
    # Local stroke index of each segment: 0 .. active[k] - 1 for every step k.
    ramp = np.arange(int(active[0]) if n_max else 0)
    stroke = np.concatenate([ramp[:a] for a in active.tolist()]) if n_max else ramp
    step_k = np.repeat(np.arange(n_max, dtype=np.float32), active)
    speed = None
    if params.tone == "speed":
        speed = np.abs(field._sample_c(starts.real, starts.imag))
        speed *= np.float32(1.0 / speed_scale)
        np.minimum(speed, 1, out=speed)
    # Strokes reaching the canvas: a traced point on it (within half a pixel).
    on = starts.real > -1
    on &= starts.imag > -1
    on &= starts.real < np.float32(canvas.w - 2 * canvas.pad)
    on &= starts.imag < np.float32(canvas.h - 2 * canvas.pad)
    reached = np.zeros(idx.size, bool)
    reached[stroke[on]] = True
    inked[idx] |= reached
    del on
    inv_n = (1.0 / ns).astype(np.float32)
    ink = sw.ink[idx] * loop
    pad = canvas.pad
    # Segment ends stay a pixel inside the padded buffer, so that rounding along a segment
    # can never put a sample's two pixels outside it.
    lo = np.float32(1 - pad)
    hix = np.float32(canvas.w - pad - 2)
    hiy = np.float32(canvas.h - pad - 2)
    span = max(1, _CHUNK_SAMPLES // (1 + math.ceil(params.step)))
    value = sw.value[idx] if params.tone == "stroke" else None
    for t0 in range(0, starts.size, span):
        sl = slice(t0, t0 + span)
        st, de, si, sk = starts[sl], deltas[sl], stroke[sl], step_k[sl]
        sp = None if speed is None else speed[sl]
        x1 = st.real + de.real
        y1 = st.imag + de.imag
        # Segments leaving the padded buffer are dropped whole: the padding is wider than a
        # step plus the blur radius, so none of their ink could reach the canvas. They go
        # first (strokes seeded in the margin have many), so the rest of the work skips them.
        inside = st.real >= lo
        inside &= st.imag >= lo
        inside &= st.real < hix
        inside &= st.imag < hiy
        inside &= x1 >= lo
        inside &= y1 >= lo
        inside &= x1 < hix
        inside &= y1 < hiy
        keep = np.flatnonzero(inside)
        if keep.size == 0:
            continue
        if keep.size < inside.size:
            st, de, si, sk, x1, y1 = st[keep], de[keep], si[keep], sk[keep], x1[keep], y1[keep]
            sp = None if sp is None else sp[keep]
        # Each segment runs from st to st + de (exactly the next segment's start). Its samples
        # are where it crosses the pixel-centre lines (integer coordinates) of its major axis:
        # half-open, so every crossing of the polyline belongs to exactly one segment, and one
        # sample per pixel column (row) gives every column (row) exactly the ink of its length
        # (Xiaolin Wu's anti-aliased lines).
        # (np.where is slow on these unpredictable masks: selections are made bitwise, and
        # integer choices arithmetically, with identical results.)
        sx, sy = st.real, st.imag
        dx, dy = de.real, de.imag
        xmaj = np.abs(dx) >= np.abs(dy)
        ymaj = ~xmaj
        mx = np.negative(xmaj, dtype=np.int32)  # all ones where x is the major axis
        my = ~mx
        c0 = _pick(mx, my, sx, sy)
        c1 = _pick(mx, my, x1, y1)
        dc = c1 - c0
        fwd = dc > 0
        sgn = fwd.astype(np.intp)
        sgn += sgn
        sgn -= 1  # +1 forwards, -1 backwards
        f0 = np.floor(c0)
        f1 = np.floor(c1)
        # first: ceil(c0) forwards, floor(c0) backwards; last: ceil(c1) or floor(c1).
        first_i = f0.astype(np.intp)
        first_i += fwd & (c0 > f0)
        count = f1.astype(np.intp)
        count += fwd & (c1 > f1)
        count -= first_i
        count *= sgn
        first = first_i.astype(np.float32)
        # Along the segment, everything is affine in the crossing's rank j: tau (0 to 1 from
        # start to end) = a_tau + j * b_tau, and so are the minor coordinate, ink and position.
        # Segments crossing no pixel-centre line (count 0, some of zero length) give inf or
        # NaN here; they splat nothing.
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            a_tau = (first - c0) / dc
            b_tau = np.float32(1) / np.abs(dc)
            per = np.abs(de) * b_tau  # arc length per sample: 1 to sqrt(2) px
            dm = _pick(mx, my, dy, dx)
            a_m = _pick(mx, my, sy, sx) + a_tau * dm
            b_m = dm * b_tau
            step_n = inv_n[si]
            pos0 = sk * step_n  # position along the stroke at the segment's start
            w0 = _taper(pos0)
            dw = _taper(pos0 + step_n) - w0
            per *= ink[si]  # ink per sample: opacity * width * arc length * taper
            a_w = (w0 + a_tau * dw) * per
            b_w = dw * b_tau * per
        # Flat buffer index of a crossing: major axis integer, minor axis floor.
        s_maj = ymaj * np.intp(canvas.w - 1)
        s_maj += 1  # 1 or the row length
        s_min = np.intp(canvas.w + 1) - s_maj
        base0 = (first_i + pad) * s_maj + pad * s_min
        d_maj = s_maj * sgn
        seg = np.repeat(np.arange(st.size), count)
        j = np.arange(seg.size)
        j -= np.repeat(np.cumsum(count) - count, count)
        jf = j.astype(np.float32)
        minor = a_m[seg] + jf * b_m[seg]
        fl = np.floor(minor)
        f = minor - fl
        smin = s_min[seg]
        base = base0[seg] + j * d_maj[seg]
        base += fl.astype(np.intp) * smin
        w = a_w[seg] + jf * b_w[seg]
        if value is not None:
            tv = value[si][seg]
        elif params.tone == "along":
            tv = (pos0 + a_tau * step_n)[seg] + jf * (step_n * b_tau)[seg]
        else:
            assert sp is not None
            tv = sp[seg]
        canvas.add(base, smin, f, w, tv)


def _pick(m: np.ndarray, not_m: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``np.where(m, a, b)`` for float32 ``a``, ``b`` and an int32 mask ``m`` of all ones or
    zeros (``not_m = ~m``), bit for bit and much faster when the mask is unpredictable."""
    out = np.bitwise_and(a.view(np.int32), m)
    out |= np.bitwise_and(b.view(np.int32), not_m)
    return out.view(np.float32)


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


def _taper(pos: np.ndarray) -> np.ndarray:
    """Opacity along a stroke: fades in over the first ``_TAPER`` of it and out over the last."""
    w = _smoothstep(_TAPER, pos)
    w *= _smoothstep(_TAPER, np.float32(1) - pos)
    return w
