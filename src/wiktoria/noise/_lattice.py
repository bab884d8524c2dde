"""Internal: seeds, permutation and gradient tables, periods and coordinate validation.

The lattice hash is Perlin's nested permutation lookup ``P[P[P[x] + y] + z]`` over a table of
``N = 1024`` entries drawn from the seed. Table entries come from the raw 64-bit stream of
``PCG64(SeedSequence(...))`` ranked with a stable sort, so a seed gives the same table on every
platform and numpy version (numpy guarantees the raw bit-generator stream, not ``permutation``).
"""

from __future__ import annotations

import functools
import math
import numbers
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from wiktoria.common import validate

__all__ = [
    "AXIS_NAMES",
    "MASK",
    "MAX_PERIOD",
    "TABLE_SIZE",
    "Tables",
    "as_coords",
    "check_dtype",
    "normalise_periods",
    "seed_key",
    "tables",
    "workspace",
]

TABLE_SIZE = 1024
MASK = TABLE_SIZE - 1
AXIS_NAMES = ("x", "y", "z", "w")


def _unit_circle(n: int) -> np.ndarray:
    ang = (np.arange(n) + 0.5) * (2 * np.pi / n)
    return np.stack([np.cos(ang), np.sin(ang)], axis=1)


def _grad3() -> np.ndarray:
    # Perlin's 12 cube-edge vectors, padded to 16 as in his reference implementation.
    edges = [
        (1, 1, 0), (-1, 1, 0), (1, -1, 0), (-1, -1, 0),
        (1, 0, 1), (-1, 0, 1), (1, 0, -1), (-1, 0, -1),
        (0, 1, 1), (0, -1, 1), (0, 1, -1), (0, -1, -1),
        (1, 1, 0), (0, -1, 1), (-1, 1, 0), (0, -1, -1),
    ]
    return np.array(edges, dtype=np.float64)


def _grad4() -> np.ndarray:
    # The 32 midpoints of the tesseract's edges: permutations of (0, ±1, ±1, ±1).
    out = []
    for zero in range(4):
        for signs in range(8):
            v = []
            k = 0
            for axis in range(4):
                if axis == zero:
                    v.append(0.0)
                else:
                    v.append(-1.0 if (signs >> k) & 1 else 1.0)
                    k += 1
            out.append(v)
    return np.array(out, dtype=np.float64)


#: Gradient sets by dimension. 1D uses 16 slopes in [-1, 1]; 2D 16 unit directions.
GRADIENTS: dict[int, np.ndarray] = {
    1: np.linspace(-1.0, 1.0, 16).reshape(16, 1),
    2: _unit_circle(16),
    3: _grad3(),
    4: _grad4(),
}


@dataclass(frozen=True, eq=False)
class Tables:
    """Hash tables of one seed.

    Attributes
    ----------
    perm : ndarray of intp, shape (2 * TABLE_SIZE,)
        The permutation written out twice, so that ``perm[a + b]`` needs no mask for
        ``a, b < TABLE_SIZE``.
    grads : dict
        ``grads[(d, dtype)]`` is a tuple of ``d`` arrays of shape (2 * TABLE_SIZE,): the
        gradient components of the final hash ``perm[k]`` at each index ``k``.
    """

    perm: np.ndarray
    grads: dict[tuple[int, str], tuple[np.ndarray, ...]]

    def grad(self, d: int, dtype: np.dtype[Any]) -> tuple[np.ndarray, ...]:
        """Gradient component tables for dimension ``d`` in ``dtype``."""
        key = (d, np.dtype(dtype).str)
        got = self.grads.get(key)
        if got is None:
            g = GRADIENTS[d]
            idx = self.perm % len(g)
            got = tuple(np.ascontiguousarray(g[idx, a], dtype=dtype) for a in range(d))
            self.grads[key] = got
        return got


@functools.lru_cache(maxsize=512)
def tables(key: int, stream: int = 0) -> Tables:
    """Tables for seed ``key`` and sub-stream ``stream`` (octave or purpose); cached."""
    bitgen = np.random.PCG64(np.random.SeedSequence([key, stream]))
    raw = bitgen.random_raw(TABLE_SIZE)
    perm = np.argsort(np.asarray(raw, dtype=np.uint64), kind="stable").astype(np.intp)
    return Tables(perm=np.concatenate([perm, perm]), grads={})


#: Largest period of an axis, in lattice cells (larger ones would overflow int64 indices).
MAX_PERIOD = 2**61


def seed_key(seed: Any, name: str = "seed") -> int:
    """Check a seed and turn it into an integer key.

    Parameters
    ----------
    seed : int or numpy.random.Generator
        An integer from 0 to 2**64 - 1, or a Generator, from which one 63-bit integer is drawn.
        Every seed in the range gives its own, uncorrelated field; seeds outside it are refused
        (they used to wrap around: 2**64 gave seed 0's field).

    Raises
    ------
    TypeError
        If ``seed`` is neither.
    ValueError
        If the integer is outside 0 to 2**64 - 1.
    """
    if isinstance(seed, np.random.Generator):
        return int(seed.integers(0, 2**63))
    if isinstance(seed, bool | np.bool_) or not isinstance(seed, numbers.Integral):
        raise TypeError(
            f"{name} must be an int or a numpy.random.Generator, got {seed!r} "
            f"({type(seed).__name__})"
        )
    key = int(seed)
    if not 0 <= key < 2**64:
        raise ValueError(f"{name} must be an integer from 0 to 2**64-1 (or a "
                         f"numpy.random.Generator), got {seed!r}")
    return key


def check_dtype(dtype: Any) -> np.dtype[Any]:
    """Validate the output dtype: float32 or float64."""
    try:
        dt = np.dtype(dtype)
    except TypeError as exc:
        raise TypeError(f"dtype must be float32 or float64, got {dtype!r}") from exc
    if dt not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise ValueError(f"dtype must be float32 or float64, got {dt.name}")
    return dt


def _one_period(p: Any, axis: str | None) -> int | None:
    if p is None:
        return None
    return validate.integer(p, "period" if axis is None else f"period for axis {axis}", 1,
                            MAX_PERIOD)


def normalise_periods(period: Any, d: int) -> tuple[int | None, ...]:
    """Expand ``period`` (None, one int for every axis, or one int-or-None per axis)."""
    if period is None:
        return (None,) * d
    if isinstance(period, Sequence) and not isinstance(period, str):
        if len(period) != d:
            raise ValueError(
                f"period must give one entry per axis ({d}), got {len(period)}: {tuple(period)!r}"
            )
        return tuple(_one_period(p, AXIS_NAMES[a]) for a, p in enumerate(period))
    if isinstance(period, np.ndarray):
        return normalise_periods(period.tolist(), d)
    p = _one_period(period, None)
    return (p,) * d


def as_coords(
    coords: Sequence[Any], dims: Sequence[int], func: str
) -> tuple[list[np.ndarray], tuple[int, ...], tuple[float, ...]]:
    """Validate coordinate arrays; return them (float64, not broadcast), the output shape and
    each coordinate's largest magnitude (0 for an empty one).

    Raises
    ------
    ValueError
        On an unsupported number of coordinates, non-finite values or shapes that do not
        broadcast.
    TypeError
        On coordinates that are not real numbers.
    """
    d = len(coords)
    if d not in dims:
        lo, hi = min(dims), max(dims)
        raise ValueError(
            f"{func} takes {lo} to {hi} coordinate arrays (one per dimension), got {d}"
        )
    out: list[np.ndarray] = []
    extents: list[float] = []
    for a, c in enumerate(coords):
        name = AXIS_NAMES[a]
        try:
            arr = np.asarray(c)
        except Exception as exc:  # pragma: no cover - exotic inputs
            raise TypeError(f"coordinate {name} is not array-like: {c!r}") from exc
        if arr.dtype.kind not in "iuf" or arr.dtype == np.bool_:
            raise TypeError(
                f"coordinate {name} must hold real numbers, got dtype {arr.dtype} ({c!r:.60})"
            )
        arr = arr.astype(np.float64, copy=False)
        far = float(np.abs(arr).max()) if arr.size else 0.0  # nan or inf if any value is
        if not math.isfinite(far):
            raise ValueError(f"coordinate {name} contains non-finite values (nan or inf); "
                             "coordinates must be finite")
        out.append(arr)
        extents.append(far)
    try:
        shape = np.broadcast_shapes(*(a.shape for a in out))
    except ValueError:
        shapes = ", ".join(f"{AXIS_NAMES[i]}{a.shape}" for i, a in enumerate(out))
        raise ValueError(f"coordinate shapes do not broadcast together: {shapes}") from None
    return out, shape, tuple(extents)


def wrap_index(i: npt.NDArray[np.intp], period: int | None) -> npt.NDArray[np.intp]:
    """Lattice index ``i`` reduced by ``period`` (if any) and masked to the table."""
    if period is not None:
        i = np.mod(i, period)
    return i & MASK


def fade(t: np.ndarray) -> np.ndarray:
    """Perlin's quintic fade ``6t^5 - 15t^4 + 10t^3``, in the dtype of ``t``."""
    out = np.empty_like(t)
    fade_into(t, out)
    return out


def fade_into(t: np.ndarray, out: np.ndarray) -> None:
    """Write ``fade(t)`` into ``out`` (same shape, distinct memory) without temporaries.

    The operation order is fixed, so the grid and element-wise paths round identically.
    """
    np.multiply(t, 6, out=out)
    out -= 15
    out *= t
    out += 10
    out *= t
    out *= t
    out *= t


_ws = threading.local()


def workspace(name: str, shape: tuple[int, ...], dtype: Any) -> np.ndarray:
    """A per-thread scratch buffer, reused between calls of the same shape and dtype.

    Noise kernels write every temporary into these buffers (``out=``), so a block allocates
    nothing: glibc's heap trimming otherwise returns freed memory to the system and every new
    temporary page-faults, which made numpy kernels several times slower here.
    """
    cache: dict[str, np.ndarray] | None = getattr(_ws, "cache", None)
    if cache is None:
        cache = {}
        _ws.cache = cache
    buf = cache.get(name)
    if buf is None or buf.shape != shape or buf.dtype != np.dtype(dtype):
        buf = np.empty(shape, dtype=dtype)
        cache[name] = buf
    return buf
