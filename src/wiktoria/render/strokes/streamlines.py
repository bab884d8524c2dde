"""Evenly spaced streamlines (Jobard & Lefer 1997): long, evenly spaced lines that follow a field.

:func:`evenly_spaced` grows one streamline at a time through a direction field and returns
polylines in pixel coordinates (:class:`Streamlines`), ready for a pen plotter or a rasteriser.

Rules (``s(x)`` is the local spacing factor, 1 without ``density``)
--------------------------------------------------------------------
* **Field.** ``(u, v)`` is given at pixel centres: pixel ``[j, i]`` is at ``x = i, y = j``; the
  domain is ``[0, W-1] x [0, H-1]``. Each pixel's vector is normalised by ``sqrt(u² + v²)``
  (vectors shorter than ``1e-9`` times the longest count as 0). Directions between pixel
  centres are the bilinear blend of the four unit vectors, normalised again; a blend shorter
  than 0.01 is a *singularity*. With ``oriented=False`` the field is defined mod pi: each
  corner (and the result) is flipped to agree with the previous direction before blending.
* **Density.** ``s(x) = min(1 / density, 4)`` at the nearest pixel, so the local separation is
  ``d_sep / density`` clipped at ``4 * d_sep`` (likewise ``d_test``); where ``density == 0``
  the region is *empty*: no seed there and lines stop on entering it.
* **Tracing.** From a seed, midpoint (RK2) steps of length ``step`` forward and backward. A
  half-line stops *before* a new point that (in this order): leaves the domain (or its
  midpoint does), meets a singularity, is in an empty region, has a label other than the
  seed's (nearest pixel), lies strictly closer than ``d_test * s`` to a finished line, or
  closer than ``d_test * s`` to its own line's points more than ``ceil(d_test * s / step) + 2``
  steps away along it; or when the half reaches ``max_len / 2`` of arc length.
* **Keeping.** A line shorter than ``min_len`` is dropped and its seed pixel marked rejected
  (no seed is tried there again). A kept line is registered in the occupancy grid (cells of
  ``d_sep``, linked lists, the cells a search's square meets) only once finished.
* **Seeds.** First from a FIFO queue of finished lines: at each point ``p`` of the oldest line,
  ``p + d_sep s(p) n`` then ``p - d_sep s(p) n`` (``n`` the unit normal of the line there);
  when the queue is empty, from a grid of seeds at spacing ``d_sep`` shuffled by
  ``numpy.random.default_rng(seed)`` (needed when labels split the domain). A candidate is
  taken if it is inside, not empty, not rejected, and no finished point is closer than
  ``d_sep * s * (1 - 1e-4)`` (the tolerance keeps a candidate at exactly ``d_sep`` from
  being lost to rounding).

Consequences: any two points of different lines are at least ``d_test * s`` apart (the local
factor of the later one); the output is a deterministic function of the inputs and ``seed``.

Backends: a numba kernel (the ``fast`` extra) and the same functions run as pure Python (about
a hundred times slower) give bit-identical points. ``backend=None`` follows
``WIKTORIA_BACKEND`` like :mod:`wiktoria.noise` (``auto``: numba when installed; ``numpy``:
pure Python; ``numba``: numba, an error if missing); ``"python"`` or ``"numba"`` force one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from wiktoria.render.strokes import _streamlines_kernel as _core
from wiktoria.render.strokes._jit import backend as _backend
from wiktoria.render.strokes._jit import compiled

__all__ = ["MAX_SPREAD", "Streamlines", "evenly_spaced"]

#: The kernel's functions, compiled together by numba.
_FUNCTIONS = ("sample", "cells_around", "near_finished", "near_own", "trace_half", "seed_ok", "run")

#: Largest local spacing factor from ``density`` (``d_sep / density`` is clipped at this times
#: ``d_sep``).
MAX_SPREAD = 4.0


@dataclass(frozen=True)
class Streamlines:
    """Polylines in pixel coordinates: stroke ``i`` is ``points[offsets[i]:offsets[i + 1]]``.

    Attributes
    ----------
    points : float32 array, shape (N, 2)
        ``(x, y)`` in pixels (pixel centres at integers).
    offsets : int64 array, shape (S + 1,)
        Start of each stroke, then N.
    """

    points: np.ndarray
    offsets: np.ndarray

    def __len__(self) -> int:
        return int(self.offsets.size - 1)

    def stroke(self, i: int) -> np.ndarray:
        """The points of stroke ``i``, shape (n, 2) (a view)."""
        if not -len(self) <= i < len(self):
            raise IndexError(f"stroke index {i} out of range for {len(self)} strokes")
        i %= len(self)
        return self.points[self.offsets[i] : self.offsets[i + 1]]

    def lengths(self) -> np.ndarray:
        """Arc length of each stroke in pixels, float64 array of shape (S,)."""
        seg = np.hypot(*np.diff(self.points.astype(np.float64), axis=0).T)
        cum = np.concatenate([[0.0], np.cumsum(seg)])
        ends = self.offsets[1:] - 1
        starts = self.offsets[:-1]
        return cum[ends] - cum[starts]  # type: ignore[no-any-return]


def _positive(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise TypeError(f"{name} must be a number, got {value!r}")
    value = float(value)
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return value


def _field(name: str, a: npt.ArrayLike, shape: tuple[int, ...] | None) -> np.ndarray:
    arr = np.asarray(a)
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be a real array, got dtype {arr.dtype}")
    if arr.ndim != 2 or (shape is not None and arr.shape != shape):
        want = "be 2-D" if shape is None else f"have shape {shape}"
        raise ValueError(f"{name} must {want}, got shape {arr.shape}")
    arr = np.ascontiguousarray(arr, np.float64)
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} has NaN or infinite values")
    return arr


def evenly_spaced(
    u: npt.ArrayLike,
    v: npt.ArrayLike,
    d_sep: float,
    *,
    d_test: float | None = None,
    step: float | None = None,
    density: npt.ArrayLike | None = None,
    labels: npt.ArrayLike | None = None,
    max_len: float | None = None,
    min_len: float | None = None,
    seed: int = 0,
    oriented: bool = False,
    backend: str | None = None,
) -> Streamlines:
    """Evenly spaced streamlines of the direction field ``(u, v)`` (rules: module docstring).

    Parameters
    ----------
    u, v : array_like, shape (H, W)
        Direction field at pixel centres (x along columns, y along rows); H, W >= 2.
    d_sep : float
        Separation between lines in pixels (> 0).
    d_test : float, optional
        A line stops closer than this to another line; default ``0.5 * d_sep``, in (0, d_sep].
    step : float, optional
        Integration step in pixels; default ``0.25 * d_sep``.
    density : array_like, shape (H, W), optional
        Values in [0, 1]; local separation ``d_sep / density`` clipped at ``MAX_SPREAD * d_sep``;
        0 is empty (no lines).
    labels : integer array_like, shape (H, W), optional
        A line stops where the label (nearest pixel) differs from its seed's.
    max_len : float, optional
        Longest line in pixels (each half from the seed at most half of it); default unlimited.
    min_len : float, optional
        Shorter lines are dropped; default ``2 * d_sep``.
    seed : int
        Seeds the shuffle of the fallback seed grid.
    oriented : bool
        False (default): the field is an orientation (defined mod pi).
    backend : {None, "numba", "python"}
        None follows ``WIKTORIA_BACKEND``; the backends give identical points.

    Returns
    -------
    Streamlines

    Raises
    ------
    ValueError, TypeError
        For a bad argument, naming it.

    Examples
    --------
    >>> import numpy as np
    >>> from wiktoria.render.strokes.streamlines import evenly_spaced
    >>> y, x = np.mgrid[0:60, 0:80].astype(float)
    >>> lines = evenly_spaced(-(y - 30), x - 40, 6.0, seed=1)  # a vortex
    >>> len(lines) > 5, lines.points.dtype, lines.offsets.dtype
    (True, dtype('float32'), dtype('int64'))
    >>> bool((lines.lengths() >= 12.0 - 1e-3).all())
    True
    """
    uu = _field("u", u, None)
    shape = uu.shape
    vv = _field("v", v, shape)
    h, w = shape
    if h < 2 or w < 2:
        raise ValueError(f"u must be at least 2x2, got shape {shape}")
    d_sep = _positive("d_sep", d_sep)
    d_test = 0.5 * d_sep if d_test is None else _positive("d_test", d_test)
    if d_test > d_sep:
        raise ValueError(f"d_test must be <= d_sep ({d_sep}), got {d_test}")
    step = 0.25 * d_sep if step is None else _positive("step", step)
    max_half = math.inf if max_len is None else 0.5 * _positive("max_len", max_len)
    if min_len is None:
        min_len = 2.0 * d_sep
    elif isinstance(min_len, bool) or not isinstance(min_len, int | float) or not (
        math.isfinite(min_len) and min_len >= 0
    ):
        raise ValueError(f"min_len must be a finite number >= 0, got {min_len!r}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise TypeError(f"seed must be an int, got {seed!r}")
    which = _backend(backend)

    mag = np.sqrt(uu * uu + vv * vv)
    live = mag > 1e-9 * mag.max() if mag.max() > 0 else np.zeros(shape, bool)
    safe = np.where(live, mag, 1.0)
    ux = np.where(live, uu / safe, 0.0).ravel()
    uy = np.where(live, vv / safe, 0.0).ravel()
    if density is None:
        scale = np.ones(h * w)
    else:
        rho = _field("density", density, shape)
        if rho.min() < 0 or rho.max() > 1:
            raise ValueError(f"density must lie in [0, 1], got [{rho.min()}, {rho.max()}]")
        scale = np.where(rho > 0, 1.0 / np.maximum(rho, 1.0 / MAX_SPREAD), 0.0).ravel()
    if labels is None:
        lab = np.zeros(h * w, np.int64)
    else:
        la = np.asarray(labels)
        if la.dtype.kind not in "biu":
            raise TypeError(f"labels must be an integer array, got dtype {la.dtype}")
        if la.shape != shape:
            raise ValueError(f"labels must have shape {shape}, got {la.shape}")
        lab = np.ascontiguousarray(la, np.int64).ravel()

    # Cells of the local d_sep where lines are densest: a search (radius d_test * s or
    # d_sep * s) visits the cells its square meets, about 3 x 3 there and not many more where
    # lines are sparser (the cell size only sets the speed, never the result).
    filled = scale[scale > 0]
    cell = d_sep * (float(np.percentile(filled, 10)) if filled.size else 1.0)
    ncx = int((w - 1) / cell) + 1
    ncy = int((h - 1) / cell) + 1
    gx, gy = np.meshgrid(np.arange(0.5 * d_sep, w - 1, d_sep), np.arange(0.5 * d_sep, h - 1, d_sep))
    order = np.random.default_rng(seed).permutation(gx.size)
    fbx = np.ascontiguousarray(gx.ravel()[order])
    fby = np.ascontiguousarray(gy.ravel()[order])
    # Room for the points and for one half-line: guesses for a typical field (lines about
    # d_sep apart, half-lines a few times the frame's size), doubled and the whole placement
    # run again on overflow (it is deterministic, so the result does not depend on the room).
    half_cap = int(4.0 * (w + h) / step) + 16
    if max_len is not None:
        half_cap = min(half_cap, int(max_half / step) + 2)
    cap = int(2.0 * w * h / (d_sep * step)) + 2 * half_cap + 1024

    while True:
        lines_cap = cap // 2 + 2
        own = 2 * half_cap + 1
        px = np.empty(cap)
        py = np.empty(cap)
        offs = np.zeros(lines_cap, np.int64)
        buffers = [
            ux, uy, scale, lab, np.zeros(h * w, np.int8), w, h, not oriented, d_sep, d_test,
            step, max_half, float(min_len), cell, ncx, ncy, fbx, fby, fbx.size, px, py, cap,
            offs, lines_cap, np.full(ncx * ncy, -1, np.int64), np.empty(cap, np.int64),
            np.full(ncx * ncy, -1, np.int64), np.empty(own, np.int64), np.empty(own),
            np.empty(own), np.empty(own, np.int64), half_cap,
        ]
        if which == "numba":
            n = compiled(_core, _FUNCTIONS)(*buffers)
        else:
            lists = [b.tolist() if isinstance(b, np.ndarray) else b for b in buffers]
            n = _core.run(*lists)
            px = np.asarray(lists[19], np.float64)
            py = np.asarray(lists[20], np.float64)
            offs = np.asarray(lists[22], np.int64)
        if n >= 0:
            break
        if n == -1:
            cap *= 2
        else:
            half_cap *= 2
    offsets = offs[: n + 1].copy()
    npts = int(offsets[-1])
    points = np.stack([px[:npts], py[:npts]], axis=1).astype(np.float32)
    return Streamlines(points=points, offsets=offsets)
