"""Internal: evaluating a fractal sum of noise octaves over an array, block by block.

:func:`evaluate` cuts the output into cache-sized blocks (bands of a separable grid, or runs of
scattered points), runs them on the shared thread pool (:mod:`wiktoria.common.parallel`) and sums
every octave of a block in it: on the numpy kernels (:mod:`wiktoria.noise._perlin`,
:mod:`wiktoria.noise._simplex`), or on the compiled ones (:mod:`wiktoria.noise._jit`) when the
backend switch (:mod:`wiktoria.noise._accel`) selects them. Blocks never change values, and both
backends give the same bits.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from wiktoria.common import parallel as _parallel
from wiktoria.noise import _accel
from wiktoria.noise._lattice import GRADIENTS, Tables, workspace
from wiktoria.noise._perlin import SCALE as PERLIN_SCALE
from wiktoria.noise._perlin import lattice_span, perlin_grid, perlin_points
from wiktoria.noise._simplex import SCALE as SIMPLEX_SCALE
from wiktoria.noise._simplex import simplex_points

__all__ = ["Octave", "evaluate", "ridge"]

_POINT_BLOCK = 1 << 16
_GRID_BLOCK = 1 << 18


@dataclass(frozen=True)
class Octave:
    tab: Tables
    freqs: tuple[float, ...]
    periods: tuple[int | None, ...]
    amp: float



def ridge(n: np.ndarray) -> np.ndarray:
    """Ridged noise's octave transform ``(1 - |n|)**2``, in place in a copy."""
    r = np.abs(n)
    np.subtract(1, r, out=r)
    r *= r
    return r


#: The octave transforms both backends know: the compiled kernels take the number.
_TRANSFORMS: dict[Any, int] = {None: 0, ridge: 1, np.abs: 2}


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
    flat: list[np.ndarray], oc: Octave, user_periods: tuple[int | None, ...]
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



class _JitSum:
    """The numba backend's view of one fractal sum: stacked tables, frequencies and factors.

    ``run`` evaluates every octave of a block in one compiled loop (``fused`` is True when the
    octaves' coordinates are plain multiples of the input, i.e. no simplex circles); ``octave``
    evaluates one octave at coordinates already scaled. Both are bit-identical to the numpy
    kernels.
    """

    def __init__(self, mod: Any, kind: str, specs: list[Octave],
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
    def make(cls, kind: str, specs: list[Octave], user_periods: tuple[int | None, ...],
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



def evaluate(
    arrs: list[np.ndarray],
    shape: tuple[int, ...],
    kind: str,
    specs: list[Octave],
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

