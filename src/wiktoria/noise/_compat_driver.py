"""Internal: the evaluation driver of :mod:`wiktoria.noise.compat` and its compiled backend.

The broadcast domain is cut into cache-sized blocks and every block runs the whole fBm loop, so
the ~30 temporaries of the numpy kernels stay in cache instead of streaming through RAM. Blocks
run on the shared thread pool (:mod:`wiktoria.common.parallel`, ``WIKTORIA_NUM_THREADS``).
Results do not depend on the blocking or the threads.

Compiled backend (numba, :mod:`wiktoria.noise._compat_jit`): the same driver, blocks and
threads, but each block is one kernel call that runs the whole fBm loop (over sub-blocks of
points in L1). Grids are expanded per block (a copy of the broadcast coordinates): measured at
under 0.5 ms per million points, so the kernels need not know about broadcasting.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from wiktoria.common import parallel as _parallel
from wiktoria.noise import _accel
from wiktoria.noise._compat_args import _coords
from wiktoria.noise._compat_kernels import (
    Kernel,
    PerlinPlan,
    _float_cells_fast,
    _int_cells_fast,
    _simplex_octaves,
)
from wiktoria.noise._compat_tables import (
    _C1,
    F32,
    Result,
    _f32,
)

# Stacked corner values per evaluation block: small enough for the temporaries to stay in cache.
_CHUNK = 1 << 18


def _evaluate(
    kernel: Kernel, arrays: list[F32], shape: tuple[int, ...], scalar: bool, corners: int
) -> Result:
    """Apply ``kernel`` (float32 arrays -> float32 noise) over the broadcast ``shape``.

    ``corners`` is the number of lattice corners the kernel stacks per point; blocks hold
    about ``_CHUNK // corners`` points.
    """
    if scalar:
        with np.errstate(all="ignore"):
            return float(kernel(arrays).reshape(-1)[0])
    ndim = len(shape)
    arrays = [a.reshape((1,) * (ndim - a.ndim) + a.shape) for a in arrays]
    out = np.empty(shape, dtype=np.float64)
    chunk = max(1024, _CHUNK // corners)
    if out.size <= chunk + chunk // 2:
        with np.errstate(all="ignore"):
            out[...] = kernel(arrays)
        return out
    # Split along the first axis whose trailing block fits in a chunk; arrays that are
    # broadcast (length 1) along the split axes are passed whole, which keeps grids separable.
    axis = 0
    while math.prod(shape[axis + 1 :]) > chunk:
        axis += 1
    step = max(1, chunk // math.prod(shape[axis + 1 :]))
    tasks = [
        (*(slice(i, i + 1) for i in lead), slice(start, start + step))
        for lead in np.ndindex(*shape[:axis])
        for start in range(0, shape[axis], step)
    ]

    def block(task: tuple[slice, ...]) -> Callable[[], None]:
        def run() -> None:
            parts = [
                a[tuple(s if a.shape[d] != 1 else slice(None) for d, s in enumerate(task))]
                for a in arrays
            ]
            with np.errstate(all="ignore"):  # errstate is per thread
                out[task] = kernel(parts)

        return run

    _parallel.run(block(task) for task in tasks)
    return out


# Corners argument of _evaluate for the compiled kernels: blocks of _CHUNK // 4 points (no
# temporaries to keep in cache, just enough blocks to balance the threads).
_JIT_CORNERS = 4


def _jit_kernels(shape: tuple[int, ...], octaves: int) -> Any:
    """The numba kernel module if this call (``shape`` points, ``octaves``) uses it, else None.

    See ``wiktoria.noise._accel.kernels``: with the default ``auto`` backend, small calls run on
    numpy until the kernels are loaded (same bits either way).
    """
    return _accel.kernels("_compat_jit", math.prod(shape) * octaves)


def _jit_kernel(fn: Callable[..., None], *params: Any) -> Kernel:
    """A block kernel running the compiled ``fn(*coords, *params, out)`` on flat arrays.

    The block's coordinates are broadcast to the block shape and flattened (a copy only for
    coordinates that are broadcast, e.g. the rows of an ``(H, 1)`` / ``(1, W)`` grid).
    """

    def kernel(coords: list[F32]) -> F32:
        shape = np.broadcast_shapes(*(c.shape for c in coords))
        flat = []
        for c in coords:
            v = np.ascontiguousarray(np.broadcast_to(c, shape)).reshape(-1).view()
            v.flags.writeable = False  # always read-only: one compiled signature per kernel
            flat.append(v)
        out = np.empty(math.prod(shape), dtype=np.float32)
        fn(*flat, *params, out)
        return out.reshape(shape)

    return kernel


def _perlin_jit_kernel(
    jit: Any, name: str, plan: PerlinPlan, total_amp: np.float32, base: int
) -> Kernel:
    """The compiled pnoise kernel ``jit.<name>``: ``_perlin_kernel``'s fBm loop over the octave
    ``plan`` of ``_perlin_plan``, compiled.

    Per octave and axis, the lattice index mode follows the rules of the numpy path: the
    ``% repeat`` / ``fmodf`` is skipped when it cannot change the low byte (``_int_cells_fast``,
    ``_float_cells_fast``), and ``fmodf`` is split in float64 when the quotients are below
    2**28 (``_fmodf``).
    """
    freqs = np.array([p[0] for p in plan], dtype=np.float32)
    amps = np.array([p[1] for p in plan], dtype=np.float32)
    if name == "pnoise1":  # C int repeats, C '%'
        reps = np.array([p[2][0] for p in plan], dtype=np.int64)
        modes = np.array(
            [
                jit.MODE_FAST if _int_cells_fast(r, bound) else jit.MODE_FMODF
                for _, _, (r,), bound in plan
            ],
            dtype=np.uint8,
        )
    else:  # pnoise2/3: float repeats, fmodf

        def mode(r: np.float32, bound: float) -> int:
            rf = float(r)
            if _float_cells_fast(rf, bound):
                return int(jit.MODE_FAST)
            if rf != 0.0 and np.isfinite(rf) and (bound + 2.0) / abs(rf) < 2.0**28:
                return int(jit.MODE_SPLIT)
            return int(jit.MODE_FMODF)

        reps = np.array([p[2] for p in plan], dtype=np.float32)
        modes = np.array([[mode(r, p[3]) for r in p[2]] for p in plan], dtype=np.uint8)
    fn = getattr(jit, name)
    return _jit_kernel(fn, freqs, amps, reps, modes, base, _f32(total_amp), len(plan) == 1)


def _simplex_jit_params(
    octaves: int, persistence: np.float32, lacunarity: np.float32
) -> tuple[F32, F32, np.float32]:
    """``freqs``, ``amps`` (first octave 1, 1) and ``norm`` for the compiled simplex kernels."""
    octs, total_amp = _simplex_octaves(octaves, persistence, lacunarity)
    freqs = np.array([_C1, *(f for f, _ in octs)], dtype=np.float32)
    amps = np.array([_C1, *(a for _, a in octs)], dtype=np.float32)
    return freqs, amps, _f32(total_amp)


def _run(
    names: Sequence[str],
    values: Sequence[ArrayLike],
    octaves: int,
    compiled: Callable[[Any, float], Kernel],
    numpy: Callable[[float], Kernel],
    corners: int,
) -> Result:
    """Check the coordinates, then evaluate ``compiled(jit, maxabs)`` (numba) or
    ``numpy(maxabs)`` (whose kernel stacks ``corners`` lattice corners per point) over them."""
    arrays, shape, scalar, maxabs = _coords(names, values)
    jit = _jit_kernels(shape, octaves)
    if jit is not None:
        return _evaluate(compiled(jit, maxabs), arrays, shape, scalar, _JIT_CORNERS)
    return _evaluate(numpy(maxabs), arrays, shape, scalar, corners)
