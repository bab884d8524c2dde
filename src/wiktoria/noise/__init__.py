"""Vectorised gradient noise: Perlin and simplex noise, fractal sums, domain warping and curl.

Every function takes one coordinate array per dimension. Coordinates are numpy arrays (or
scalars) of any shapes that broadcast together, for example ``x`` of shape (1, W), ``y`` of
shape (H, 1) and a scalar time ``t``; the result has the broadcast shape.

* Dtype: float32 by default, float64 with ``dtype=np.float64``. The lattice split always runs in
  float64, so coordinates far from the origin (|x| up to 1e6 and beyond) keep their detail.
* Seeds: an int (any size or sign) or a :class:`numpy.random.Generator` (one integer is drawn
  from it). The same seed gives the same values on every platform; different seeds give
  uncorrelated fields. There is no global state.
* Periods: ``period`` is an int (every axis), or one int or None per axis. The field is then
  exactly periodic along that axis, negative coordinates included: ``f(x + p) == f(x)`` up to
  float rounding. Perlin noise wraps its lattice. Simplex noise's skewed lattice cannot wrap, so
  a periodic simplex axis is sampled on a circle through one extra dimension (as the ``noise``
  package does for tiled ``snoise2``); this needs ``dims + periodic axes <= 4``.
* Regular grids: when every coordinate varies along at most one axis of the result, and no two
  along the same one (``x`` (1, W), ``y`` (H, 1), scalars), Perlin noise hashes each lattice
  cell once and expands rows and columns instead of gathering per element. The result equals the
  element-wise path up to float rounding; the choice is automatic.
* Large arrays are evaluated in cache-sized blocks on a small thread pool (one thread per CPU,
  ``WIKTORIA_NUM_THREADS`` to override). Blocks never change values.
* Backends: the kernels are numpy; with numba installed (``pip install 'wiktoria[fast]'``)
  compiled kernels run instead, which do the same float operations in the same order and give
  **bit-identical** results, 2 to 3 times faster for simplex noise and scattered points (the
  separable Perlin grid path is numpy on both). ``WIKTORIA_BACKEND=numpy`` (or ``numba``, or the
  default ``auto``) chooses; ``auto`` loads numba (about 0.4 s) only for a call of at least a
  million point-octaves, and uses it for every call once loaded.

Ranges: ``perlin`` and ``simplex`` lie in [-1, 1] (scaled so that their extremes reach about ±1,
then clipped; standard deviation about 0.2 to 0.35 depending on kind and dimension). ``fbm`` is
normalised by the sum of octave amplitudes and lies in [-1, 1]; ``ridged`` and ``turbulence`` lie
in [0, 1].

Examples
--------
>>> import numpy as np
>>> from wiktoria import noise
>>> x = np.linspace(0, 8, 640).reshape(1, -1)
>>> y = np.linspace(0, 4.5, 360).reshape(-1, 1)
>>> field = noise.fbm(x, y, 0.5, octaves=5, seed=7)
>>> field.shape, field.dtype
((360, 640), dtype('float32'))
>>> bool(np.abs(field).max() <= 1)
True
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from wiktoria.common import parallel as _parallel
from wiktoria.noise import _accel
from wiktoria.noise._lattice import (
    AXIS_NAMES,
    GRADIENTS,
    Tables,
    as_coords,
    check_dtype,
    normalise_periods,
    seed_key,
    tables,
    workspace,
)
from wiktoria.noise._perlin import SCALE as PERLIN_SCALE
from wiktoria.noise._perlin import lattice_span, perlin_grid, perlin_points
from wiktoria.noise._simplex import SCALE as SIMPLEX_SCALE
from wiktoria.noise._simplex import simplex_points

__all__ = ["curl", "fbm", "perlin", "ridged", "simplex", "turbulence", "warp"]

Kind = Literal["perlin", "simplex"]
ArrayLike = npt.ArrayLike

_KINDS = ("perlin", "simplex")
_POINT_BLOCK = 1 << 16
_GRID_BLOCK = 1 << 18


@dataclass(frozen=True)
class _Octave:
    tab: Tables
    freqs: tuple[float, ...]
    periods: tuple[int | None, ...]
    amp: float


def _check_kind(kind: Any) -> str:
    if kind not in _KINDS:
        raise ValueError(f"kind must be one of 'perlin', 'simplex', got {kind!r}")
    return str(kind)


def _check_int(value: Any, name: str, lo: int, hi: int) -> int:
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer from {lo} to {hi}, got {value!r}")
    if not lo <= int(value) <= hi:
        raise ValueError(f"{name} must be an integer from {lo} to {hi}, got {value!r}")
    return int(value)


def _check_float(value: Any, name: str, lo: float, hi: float, lo_open: bool = False) -> float:
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r}")
    v = float(value)
    bad = not math.isfinite(v) or v > hi or (v <= lo if lo_open else v < lo)
    if bad:
        bracket = "(" if lo_open else "["
        raise ValueError(f"{name} must be in {bracket}{lo:g}, {hi:g}], got {value!r}")
    return v


def _octave_specs(
    key: int,
    octaves: int,
    lacunarity: float,
    gain: float,
    periods: tuple[int | None, ...],
    frequency: float,
) -> list[_Octave]:
    specs = []
    amp = 1.0
    for k in range(octaves):
        base = frequency * lacunarity**k
        freqs: list[float] = []
        pers: list[int | None] = []
        for p in periods:
            if p is None:
                freqs.append(base)
                pers.append(None)
            else:
                # The octave's lattice period must be a whole number of cells: round it and
                # adjust this axis's frequency to match, so the sum stays exactly periodic.
                pk = max(1, round(p * base))
                freqs.append(pk / p)
                pers.append(pk)
        specs.append(_Octave(tables(key, k), tuple(freqs), tuple(pers), amp))
        amp *= gain
    return specs


def _padded(arr: np.ndarray, nd: int) -> np.ndarray:
    return arr.reshape((1,) * (nd - arr.ndim) + arr.shape)


def _separable(arrs: list[np.ndarray]) -> tuple[list[np.ndarray], list[int | None]] | None:
    """Axis vectors of a separable grid, or None. ``arrs`` are padded to the output's ndim."""
    vecs: list[np.ndarray] = []
    axes: list[int | None] = []
    used: set[int] = set()
    for a in arrs:
        big = [i for i, n in enumerate(a.shape) if n > 1]
        if not big:
            vecs.append(a.reshape(-1)[:1])
            axes.append(None)
        elif len(big) == 1 and big[0] not in used:
            used.add(big[0])
            vecs.append(a.reshape(-1))
            axes.append(big[0])
        else:
            return None
    return vecs, axes


def _circle_coords(
    flat: list[np.ndarray], oc: _Octave, user_periods: tuple[int | None, ...]
) -> list[np.ndarray]:
    """Coordinates of one octave for simplex noise, periodic axes mapped onto circles."""
    out = []
    for c, f, p, pk in zip(flat, oc.freqs, user_periods, oc.periods, strict=True):
        if p is None:
            out.append(c * f)
        else:
            theta = c * (2 * math.pi / p)
            radius = pk / (2 * math.pi)  # type: ignore[operator]
            out.append(np.cos(theta) * radius)
            out.append(np.sin(theta) * radius)
    return out


_TRANSFORMS: dict[Any, int] = {None: 0}


class _JitSum:
    """The numba backend's view of one fractal sum: stacked tables, frequencies and factors.

    ``run`` evaluates every octave of a block in one compiled loop (``fused`` is True when the
    octaves' coordinates are plain multiples of the input, i.e. no simplex circles); ``octave``
    evaluates one octave at coordinates already scaled. Both are bit-identical to the numpy
    kernels.
    """

    def __init__(self, mod: Any, kind: str, specs: list[_Octave],
                 user_periods: tuple[int | None, ...], transform_id: int,
                 dtype: np.dtype[Any], total_amp: float) -> None:
        d = len(specs[0].freqs) + (
            sum(p is not None for p in user_periods) if kind == "simplex" else 0)
        self.mod, self.kind, self.dtype = mod, kind, dtype
        self.fused = kind == "perlin" or all(p is None for p in user_periods)
        self.freqs = np.array([oc.freqs for oc in specs], dtype=np.float64)
        self.perms = np.stack([oc.tab.perm.astype(np.int32) for oc in specs])
        self.periods = np.array([[p or 0 for p in oc.periods] for oc in specs], dtype=np.int64)
        self.gtab = np.ascontiguousarray(GRADIENTS[d], dtype=dtype)
        self.amps = np.array([oc.amp for oc in specs], dtype=dtype)
        self.scaled = np.array([oc.amp != 1.0 for oc in specs], dtype=np.bool_)
        self.transform = transform_id
        self.norm = dtype.type(1.0 / total_amp)
        self.normalise = total_amp != 1.0
        if kind == "simplex":
            g_skew = (1 - 1 / math.sqrt(d + 1)) / d
            self.gk = np.arange(d + 1, dtype=dtype) * dtype.type(g_skew)
            self.scale = dtype.type(SIMPLEX_SCALE[d])
        else:
            self.scale = dtype.type(PERLIN_SCALE[d])

    @classmethod
    def make(cls, kind: str, specs: list[_Octave], user_periods: tuple[int | None, ...],
             transform: Callable[[np.ndarray], np.ndarray] | None, dtype: np.dtype[Any],
             total_amp: float, shape: tuple[int, ...], sep: object) -> _JitSum | None:
        tid = _TRANSFORMS.get(transform)
        if tid is None:  # pragma: no cover - every transform of this module is registered
            return None
        work = math.prod(shape) * len(specs)
        if kind == "perlin" and sep is not None:
            work = 0  # the separable grid path runs on numpy on every backend
        mod = _accel.kernels("_jit", work)
        if mod is None:
            return None
        return cls(mod, kind, specs, user_periods, tid, dtype, total_amp)

    def _call(self, c: np.ndarray, freqs: np.ndarray, perms: np.ndarray, periods: np.ndarray,
              amps: np.ndarray, scaled: np.ndarray, transform: int, normalise: bool,
              out: np.ndarray) -> None:
        if self.kind == "simplex":
            self.mod.simplex_fbm(c, freqs, perms, self.gtab, self.gk, self.dtype.type(0.5),
                                 self.scale, amps, scaled, transform, self.norm, normalise, out)
        else:
            self.mod.perlin_fbm(c, freqs, perms, periods, self.gtab, self.scale, amps, scaled,
                                transform, self.norm, normalise, out)

    def run(self, sub: list[np.ndarray], bshape: tuple[int, ...]) -> np.ndarray:
        """Every octave of one block; ``sub`` are the block's coordinate arrays."""
        n = math.prod(bshape)
        # Per-thread buffers: fresh ones of this size would page-fault on every block.
        c = workspace("jit.c", (len(sub), n), np.float64)
        for a, arr in enumerate(sub):
            c[a].reshape(bshape)[...] = arr
        out = workspace("jit.out", (n,), self.dtype)
        self._call(c, self.freqs, self.perms, self.periods, self.amps, self.scaled,
                   self.transform, self.normalise, out)
        return out

    def octave(self, o: int, pts: list[np.ndarray]) -> np.ndarray:
        """Raw noise of octave ``o`` at scaled coordinates ``pts`` (1-D float64 arrays)."""
        c = np.stack(pts)
        out = np.empty(c.shape[1], dtype=self.dtype)
        ones = np.ones((1, c.shape[0]), dtype=np.float64)
        self._call(c, ones, self.perms[o : o + 1], self.periods[o : o + 1], self.amps[:1],
                   np.zeros(1, dtype=np.bool_), 0, False, out)
        return out


def _evaluate(
    arrs: list[np.ndarray],
    shape: tuple[int, ...],
    kind: str,
    specs: list[_Octave],
    user_periods: tuple[int | None, ...],
    transform: Callable[[np.ndarray], np.ndarray] | None,
    dtype: np.dtype[Any],
) -> np.ndarray:
    """Sum ``amp * transform(noise)`` over octaves, normalised by the sum of amplitudes."""
    nd = len(shape)
    padded = [_padded(a, nd) for a in arrs]
    out = np.empty(shape, dtype=dtype)
    if out.size == 0:
        return out
    total_amp = sum(o.amp for o in specs)
    sep = _separable(padded) if kind == "perlin" else None
    target = _GRID_BLOCK if sep is not None else _POINT_BLOCK
    jit = _JitSum.make(kind, specs, user_periods, transform, dtype, total_amp, shape, sep)

    def block_task(idx: tuple[slice | int, ...]) -> Callable[[], None]:
        def task() -> None:
            sub = [a[tuple(s if a.shape[i] > 1 else slice(None) for i, s in enumerate(idx))]
                   for a in padded]
            bshape = out[idx].shape
            grid = _separable(sub) if sep is not None else None
            if jit is not None and jit.fused and grid is None:
                out[idx] = jit.run(sub, bshape).reshape(bshape)
                return
            acc = np.zeros(bshape, dtype=dtype)
            flat: list[np.ndarray] | None = None
            for o, oc in enumerate(specs):
                n: np.ndarray | None = None
                if grid is not None:
                    vecs, axes = grid
                    scaled = [v * f for v, f in zip(vecs, oc.freqs, strict=True)]
                    if all(ax is None or lattice_span(v) <= 4 * len(v) + 64
                           for v, ax in zip(scaled, axes, strict=True)):
                        n = perlin_grid(scaled, axes, nd, oc.tab, oc.periods, dtype)
                if n is None:
                    if flat is None:
                        flat = [np.broadcast_to(a, bshape).reshape(-1) for a in sub]
                    if kind == "perlin":
                        pts = [c * f for c, f in zip(flat, oc.freqs, strict=True)]
                        if jit is not None:
                            n = jit.octave(o, pts).reshape(bshape)
                        else:
                            n = perlin_points(pts, oc.tab, oc.periods, dtype).reshape(bshape)
                    else:
                        pts = _circle_coords(flat, oc, user_periods)
                        if jit is not None:
                            n = jit.octave(o, pts).reshape(bshape)
                        else:
                            n = simplex_points(pts, oc.tab, dtype).reshape(bshape)
                if transform is not None:
                    n = transform(n)
                if oc.amp != 1.0:
                    n = n * dtype.type(oc.amp)
                acc += n
            if total_amp != 1.0:
                acc *= dtype.type(1.0 / total_amp)
            out[idx] = acc

        return task

    _parallel.run(block_task(idx) for idx in _parallel.blocks(shape, target))
    return out


def _prepare(
    coords: tuple[ArrayLike, ...],
    func: str,
    kind: str,
    period: Any,
    dtype: Any,
) -> tuple[list[np.ndarray], tuple[int, ...], tuple[int | None, ...], np.dtype[Any],
           tuple[float, ...]]:
    """Validated coordinates, output shape, periods, dtype and each coordinate's magnitude."""
    kind = _check_kind(kind)
    dims = range(1, 5) if kind == "perlin" else range(2, 5)
    arrs, shape, extents = as_coords(coords, dims, func)
    dt = check_dtype(dtype)
    periods = normalise_periods(period, len(arrs))
    if kind == "simplex":
        n_per = sum(p is not None for p in periods)
        if len(arrs) + n_per > 4:
            raise ValueError(
                f"{func}: simplex noise with {len(arrs)} dimensions can have at most "
                f"{4 - len(arrs)} periodic axes (each costs one extra dimension, 4 at most), got "
                f"period={period!r}; use kind='perlin' for more periodic axes"
            )
    return arrs, shape, periods, dt, extents


def perlin(
    *coords: ArrayLike,
    seed: int | np.random.Generator = 0,
    period: int | tuple[int | None, ...] | None = None,
    dtype: npt.DTypeLike = np.float32,
) -> np.ndarray:
    """Improved gradient (Perlin) noise in 1 to 4 dimensions.

    Parameters
    ----------
    *coords : array_like
        One coordinate array per dimension (1 to 4), of shapes that broadcast together. Lattice
        cells have unit size.
    seed : int or numpy.random.Generator, optional
        Selects the permutation table. Default 0.
    period : int or sequence of (int or None), optional
        Makes the noise exactly periodic along the given axes.
    dtype : {float32, float64}, optional
        Result dtype (and arithmetic precision). Default float32.

    Returns
    -------
    ndarray
        The broadcast shape of the coordinates, values in [-1, 1]. Zero at lattice points.

    Raises
    ------
    ValueError
        Unsupported number of coordinates, non-finite coordinates, shapes that do not
        broadcast, bad period or dtype.
    TypeError
        Coordinates that are not real numbers, a seed that is not an int or Generator.

    Examples
    --------
    >>> import numpy as np
    >>> from wiktoria.noise import perlin
    >>> perlin(np.linspace(0, 4, 5), 2.0).round(3).tolist()  # lattice points
    [0.0, 0.0, 0.0, 0.0, 0.0]
    >>> v = perlin(np.arange(8) + 0.3, 0.6, seed=1, period=(8, None))
    >>> bool(np.allclose(v, perlin(np.arange(8) + 8.3, 0.6, seed=1, period=(8, None)), atol=1e-5))
    True
    """
    return _fractal(coords, "perlin", "perlin", 1, 2.0, 0.5, 1.0, seed, period, dtype, None)


def simplex(
    *coords: ArrayLike,
    seed: int | np.random.Generator = 0,
    period: int | tuple[int | None, ...] | None = None,
    dtype: npt.DTypeLike = np.float32,
) -> np.ndarray:
    """Simplex noise in 2 to 4 dimensions.

    Parameters
    ----------
    *coords : array_like
        One coordinate array per dimension (2 to 4), of shapes that broadcast together.
    seed : int or numpy.random.Generator, optional
        Selects the permutation table. Default 0.
    period : int or sequence of (int or None), optional
        Periodic axes. Each is sampled on a circle of circumference ``period`` through one
        extra dimension, so ``dims + periodic axes`` must be at most 4.
    dtype : {float32, float64}, optional
        Result dtype. Default float32.

    Returns
    -------
    ndarray
        The broadcast shape of the coordinates, values in [-1, 1].

    Raises
    ------
    ValueError, TypeError
        As :func:`perlin`; also too many periodic axes.

    Examples
    --------
    >>> import numpy as np
    >>> from wiktoria.noise import simplex
    >>> simplex(np.zeros((2, 3)), np.ones(3), seed=4).shape
    (2, 3)
    """
    return _fractal(coords, "simplex", "simplex", 1, 2.0, 0.5, 1.0, seed, period, dtype, None)


def _fractal(
    coords: tuple[ArrayLike, ...],
    func: str,
    kind: str,
    octaves: Any,
    lacunarity: Any,
    gain: Any,
    frequency: Any,
    seed: Any,
    period: Any,
    dtype: Any,
    transform: Callable[[np.ndarray], np.ndarray] | None,
) -> np.ndarray:
    arrs, shape, periods, dt, extents = _prepare(coords, func, kind, period, dtype)
    octaves = _check_int(octaves, "octaves", 1, 32)
    lacunarity = _check_float(lacunarity, "lacunarity", 1.0, 16.0)
    gain = _check_float(gain, "gain", 0.0, 4.0, lo_open=True)
    frequency = _check_float(frequency, "frequency", 0.0, 1e9, lo_open=True)
    key = seed_key(seed)
    specs = _octave_specs(key, octaves, lacunarity, gain, periods, frequency)
    _check_extent(func, kind, extents, specs, periods)
    return _evaluate(arrs, shape, kind, specs, periods, transform, dt)


#: Farthest lattice coordinate (coordinate times octave frequency) the kernels accept: lattice
#: indices are int64, and simplex noise's skew adds up to 1.24x before the split.
MAX_LATTICE = 2.0**61


def _check_extent(func: str, kind: str, extents: tuple[float, ...], specs: list[_Octave],
                  periods: tuple[int | None, ...]) -> None:
    """Refuse coordinates (largest magnitudes ``extents``) that some octave would take beyond
    ``MAX_LATTICE``."""
    for a, (far, p) in enumerate(zip(extents, periods, strict=True)):
        name = AXIS_NAMES[a]
        if kind == "simplex" and p is not None:
            # Sampled on a circle of circumference period * frequency (in lattice cells).
            reach = max(oc.periods[a] or 0 for oc in specs) / (2 * math.pi)
            if reach > MAX_LATTICE:
                what = f"the period {p} of axis {name} makes a circle of radius {reach:.3g} cells"
                break
        else:
            top = max(oc.freqs[a] for oc in specs)
            reach = far * top
            if reach > MAX_LATTICE:
                what = (f"coordinate {name} reaches {far:g} and the highest octave (frequency "
                        f"{top:.3g}) puts it {reach:.3g} lattice cells from the origin")
                break
    else:
        return
    raise ValueError(
        f"{func}: {what}; at most {MAX_LATTICE:.3g} cells are allowed (use smaller "
        f"coordinates or periods, fewer octaves or a lower frequency or lacunarity)"
    )


def fbm(
    *coords: ArrayLike,
    kind: Kind = "perlin",
    octaves: int = 6,
    lacunarity: float = 2.0,
    gain: float = 0.5,
    frequency: float = 1.0,
    seed: int | np.random.Generator = 0,
    period: int | tuple[int | None, ...] | None = None,
    dtype: npt.DTypeLike = np.float32,
) -> np.ndarray:
    """Fractal Brownian motion: a sum of noise octaves.

    Octave ``k`` samples the base noise at frequency ``frequency * lacunarity**k`` with its own
    seed stream and amplitude ``gain**k``; the sum is divided by the sum of amplitudes.

    Parameters
    ----------
    *coords : array_like
        One coordinate array per dimension, broadcasting together.
    kind : {'perlin', 'simplex'}, optional
        Base noise. Default 'perlin'.
    octaves : int, optional
        Number of octaves, 1 to 32. Default 6.
    lacunarity : float, optional
        Frequency ratio between octaves, in [1, 16]. Default 2.
    gain : float, optional
        Amplitude ratio between octaves, in (0, 4]. Default 0.5.
    frequency : float, optional
        Frequency of the first octave. Default 1.
    seed : int or numpy.random.Generator, optional
        Default 0.
    period : int or sequence of (int or None), optional
        Periods in coordinate units. Each octave's lattice period is ``period * frequency *
        lacunarity**k`` rounded to a whole number of cells (the octave's frequency along that axis
        is adjusted to match), so the sum is exactly periodic.
    dtype : {float32, float64}, optional
        Default float32.

    Returns
    -------
    ndarray
        The broadcast shape, values in [-1, 1]. With ``octaves=1`` equal to the base noise.

    Examples
    --------
    >>> import numpy as np
    >>> from wiktoria.noise import fbm, perlin
    >>> x, y = np.linspace(0, 3, 7), 0.25
    >>> bool(np.allclose(fbm(x, y, octaves=1, seed=3), perlin(x, y, seed=3)))
    True
    """
    return _fractal(coords, "fbm", kind, octaves, lacunarity, gain, frequency, seed, period,
                    dtype, None)


def _ridge(n: np.ndarray) -> np.ndarray:
    r = np.abs(n)
    np.subtract(1, r, out=r)
    r *= r
    return r


_TRANSFORMS[_ridge] = 1
_TRANSFORMS[np.abs] = 2


def ridged(
    *coords: ArrayLike,
    kind: Kind = "perlin",
    octaves: int = 6,
    lacunarity: float = 2.0,
    gain: float = 0.5,
    frequency: float = 1.0,
    seed: int | np.random.Generator = 0,
    period: int | tuple[int | None, ...] | None = None,
    dtype: npt.DTypeLike = np.float32,
) -> np.ndarray:
    """Ridged fractal noise: octaves of ``(1 - |noise|)**2``, sharp crests where noise crosses 0.

    Parameters are those of :func:`fbm`.

    Returns
    -------
    ndarray
        The broadcast shape, values in [0, 1] (1 on the ridges).

    Examples
    --------
    >>> import numpy as np
    >>> from wiktoria.noise import ridged
    >>> r = ridged(np.linspace(0, 5, 50), 0.5, octaves=4)
    >>> bool(r.min() >= 0 and r.max() <= 1)
    True
    """
    return _fractal(coords, "ridged", kind, octaves, lacunarity, gain, frequency, seed, period,
                    dtype, _ridge)


def turbulence(
    *coords: ArrayLike,
    kind: Kind = "perlin",
    octaves: int = 6,
    lacunarity: float = 2.0,
    gain: float = 0.5,
    frequency: float = 1.0,
    seed: int | np.random.Generator = 0,
    period: int | tuple[int | None, ...] | None = None,
    dtype: npt.DTypeLike = np.float32,
) -> np.ndarray:
    """Perlin's turbulence: octaves of ``|noise|``, billowy creases where noise crosses 0.

    Parameters are those of :func:`fbm`.

    Returns
    -------
    ndarray
        The broadcast shape, values in [0, 1].

    Examples
    --------
    >>> import numpy as np
    >>> from wiktoria.noise import turbulence
    >>> bool(turbulence(np.linspace(0, 5, 50), 0.5).min() >= 0)
    True
    """
    return _fractal(coords, "turbulence", kind, octaves, lacunarity, gain, frequency, seed,
                    period, dtype, np.abs)


def _sub_seed(key: int, *stream: int) -> int:
    return int(np.random.SeedSequence([key, 0x57A4, *stream]).generate_state(2, np.uint64)[0])


def warp(
    *coords: ArrayLike,
    depth: int = 2,
    strength: float = 4.0,
    kind: Kind = "perlin",
    octaves: int = 5,
    lacunarity: float = 2.0,
    gain: float = 0.5,
    frequency: float = 1.0,
    seed: int | np.random.Generator = 0,
    period: int | tuple[int | None, ...] | None = None,
    dtype: npt.DTypeLike = np.float32,
    return_offsets: bool = False,
) -> np.ndarray | tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Domain-warped fBm (Inigo Quilez): ``fbm(p + k * q)`` with ``q = fbm(p + k * fbm(p))``.

    The first two coordinates are displaced; further coordinates (depth, time) pass through
    unchanged. Each level's displacement is a pair of fBm fields with their own seeds.

    Parameters
    ----------
    *coords : array_like
        Two to four coordinate arrays (x, y and optionally z/time), broadcasting together.
    depth : int, optional
        Number of nested displacements, 0 to 4 (0 is plain fBm). Default 2.
    strength : float, optional
        Displacement factor ``k`` in coordinate units per unit of fBm, in [0, 100]. Default 4.
    kind, octaves, lacunarity, gain, frequency, seed, period, dtype
        As :func:`fbm`; every level uses them. Periodic axes stay periodic.
    return_offsets : bool, optional
        Also return the last displacement ``(qx, qy)``, which artists use to colour the folds.

    Returns
    -------
    value : ndarray
        The broadcast shape, values in [-1, 1].
    qx, qy : ndarray
        Only with ``return_offsets``: the last displacement field, values in [-1, 1] (zeros
        when ``depth`` is 0).

    Examples
    --------
    >>> import numpy as np
    >>> from wiktoria.noise import warp
    >>> x = np.linspace(0, 3, 64).reshape(1, -1); y = np.linspace(0, 2, 32).reshape(-1, 1)
    >>> v, qx, qy = warp(x, y, depth=2, strength=2.0, seed=5, return_offsets=True)
    >>> v.shape, qx.shape
    ((32, 64), (32, 64))
    """
    arrs, shape, _, dt, _ = _prepare(coords, "warp", kind, period, dtype)
    if len(arrs) < 2:
        raise ValueError(f"warp takes 2 to 4 coordinate arrays, got {len(arrs)}")
    depth = _check_int(depth, "depth", 0, 4)
    strength = _check_float(strength, "strength", 0.0, 100.0)
    key = seed_key(seed)
    opts: dict[str, Any] = {"kind": kind, "octaves": octaves, "lacunarity": lacunarity,
                            "gain": gain, "frequency": frequency, "period": period, "dtype": dt}
    x = np.broadcast_to(arrs[0], shape)
    y = np.broadcast_to(arrs[1], shape)
    rest = arrs[2:]
    qx: np.ndarray | None = None
    qy: np.ndarray | None = None
    for level in range(depth):
        px = x if qx is None else x + strength * qx.astype(np.float64)
        py = y if qy is None else y + strength * qy.astype(np.float64)
        qx = fbm(px, py, *rest, seed=_sub_seed(key, level, 0), **opts)
        qy = fbm(px, py, *rest, seed=_sub_seed(key, level, 1), **opts)
    px = x if qx is None else x + strength * qx.astype(np.float64)
    py = y if qy is None else y + strength * qy.astype(np.float64)
    value = fbm(px, py, *rest, seed=_sub_seed(key, 99), **opts)
    if return_offsets:
        zeros = np.zeros(shape, dtype=dt)
        return value, (qx if qx is not None else zeros), (qy if qy is not None else zeros)
    return value


def curl(
    *coords: ArrayLike,
    kind: Kind = "perlin",
    octaves: int = 3,
    lacunarity: float = 2.0,
    gain: float = 0.5,
    frequency: float = 1.0,
    seed: int | np.random.Generator = 0,
    period: int | tuple[int | None, ...] | None = None,
    dtype: npt.DTypeLike = np.float32,
) -> tuple[np.ndarray, np.ndarray]:
    """2D curl noise: the divergence-free velocity ``(dψ/dy, -dψ/dx)`` of an fBm potential ψ.

    The potential is ``fbm(x, y, *rest)``; extra coordinates (time) let the field evolve
    without creating sources or sinks. Derivatives are central differences of a float64
    potential with a step of 1e-4 coordinate units.

    Parameters
    ----------
    *coords : array_like
        x, y and optionally one or two more coordinates (e.g. time), broadcasting together.
    kind, octaves, lacunarity, gain, frequency, seed, period, dtype
        As :func:`fbm` (default 3 octaves).

    Returns
    -------
    u, v : ndarray
        Velocity components, the broadcast shape. Magnitudes are in potential units per
        coordinate unit: typically 0 to 3 for Perlin fBm at frequency 1.

    Examples
    --------
    >>> import numpy as np
    >>> from wiktoria.noise import curl
    >>> u, v = curl(np.linspace(0, 2, 5), 0.5, seed=2)
    >>> u.shape, v.dtype
    ((5,), dtype('float32'))
    """
    arrs, shape, _, dt, _ = _prepare(coords, "curl", kind, period, dtype)
    if len(arrs) < 2:
        raise ValueError(f"curl takes 2 to 4 coordinate arrays, got {len(arrs)}")
    h = 1e-4
    opts: dict[str, Any] = {"kind": kind, "octaves": octaves, "lacunarity": lacunarity,
                            "gain": gain, "frequency": frequency, "seed": seed, "period": period,
                            "dtype": np.float64}
    if isinstance(seed, np.random.Generator):
        opts["seed"] = seed_key(seed)
    x, y, rest = arrs[0], arrs[1], arrs[2:]
    dpdx = fbm(x + h, y, *rest, **opts)
    dpdx -= fbm(x - h, y, *rest, **opts)
    dpdy = fbm(x, y + h, *rest, **opts)
    dpdy -= fbm(x, y - h, *rest, **opts)
    scale = 1.0 / (2 * h)
    u = (dpdy * scale).astype(dt)
    v = (dpdx * -scale).astype(dt)
    return np.broadcast_to(u, shape).copy(), np.broadcast_to(v, shape).copy()

