"""Vectorised, bit-exact drop-in replacement for the ``noise`` package (PyPI 1.2.2).

``wiktoria.noise.compat`` reimplements the six functions of Casey Duncan's ``noise`` C extension
(:func:`pnoise1`, :func:`pnoise2`, :func:`pnoise3`, :func:`snoise2`, :func:`snoise3`,
:func:`snoise4`) in NumPy, and as compiled numba kernels when numba is installed (the ``fast``
extra), with the same signatures and defaults.  They accept Python/NumPy scalars, for which
they return a Python ``float`` exactly like ``noise``, or arrays of any shape that broadcast
together, for which they evaluate every point at once (no Python loop over points).  Pass
regular grids as axis vectors: ``x`` with shape ``(1, W)`` and ``y`` with shape ``(H, 1)``.

The port follows the C code operation by operation in float32 (C ``float``), with integer
lattice arithmetic using C semantics (truncating ``%``/``fmodf``, ``& 255``, and the x86-64
result ``INT_MIN`` of an out-of-range ``(int)`` cast), so the results are **bit-identical** to
the C extension as built for x86-64 (no FMA contraction), not merely close.  The tests compare
every function against ``noise`` itself at tens of thousands of points, including coordinates
up to +-1e6, 1-8 octaves, odd persistence/lacunarity, repeats and bases.

Notes
-----
Return type
    Scalar input (every coordinate 0-d: Python number, NumPy scalar or 0-d array) returns a
    Python ``float``.  Otherwise the result is a new ``numpy.float64`` array of the broadcast
    shape of the coordinates.  Every value is exactly a float32 value (the C code computes in
    ``float``) widened to float64, so ``result == noise.pnoise2(...)`` holds element-wise.

Performance
    Points are processed in cache-sized blocks, each running the whole fBm loop, on the thread
    pool the noise engine shares (``wiktoria.common.parallel``: one thread per usable CPU,
    ``WIKTORIA_NUM_THREADS`` to override).  Two backends, selected per call by the environment
    variable ``WIKTORIA_BACKEND`` (``auto``, the default: numba when it is installed; ``numpy``;
    ``numba``), give bit-identical results:

    * **numba** (``pip install 'wiktoria[fast]'``): each block is one call of a compiled,
      GIL-free kernel (``wiktoria.noise._compat_jit``) that runs the octaves over sub-blocks of
      points kept in L1 cache, vectorised across points.  The first call of each function
      compiles its kernel (about 1-8 s, then cached on disk).  On a 1024x1024 grid this is
      roughly 15-45x faster than calling ``noise`` per element for one octave and 9-30x for six
      octaves (4-D simplex being the slowest), and about as fast at scattered points.
    * **numpy**: the lattice corners are stacked so that each NumPy call covers all of them
      (NumPy releases the GIL), hashing is done in uint8 arithmetic (the 512-entry table is the
      256-entry permutation twice, so indices wrap modulo 256) and the last one or two table
      lookups are fused into precomputed gradient tables; per-axis work on grids is done once
      per row/column.  On a 1024x1024 grid: 5-45x faster than the ``noise`` loop for one
      octave, 2.7-14x for six.

    (Measured on 2 cores, medians of 3.)  Results do not depend on the blocking, the threads or
    the backend.  A scalar call costs tens (numba) to hundreds (numpy) of microseconds, far
    more than ``noise``'s own sub-microsecond call: pass arrays.

Quirks of ``noise`` that are reproduced (deliberately, for drop-in use)
    * **float32 inputs.**  Coordinates, ``persistence``, ``lacunarity``, ``repeatx``/``repeaty``
      of pnoise2 and snoise2's ``base`` are rounded to float32 first, so large coordinates lose
      resolution (float32 spacing is 0.0625 at 1e6) and animations with a growing time
      coordinate freeze in steps.
    * **pnoise1 gradient bug.**  The 1-D gradient is ``+1 .. +8`` or ``-1`` (``g = -1`` instead of
      ``g = -g``), with a single-lookup hash and a 0.4 output scale.
    * **GRAD3 padding.**  Entries 12-15 of the 3-D gradient table are ``(1,0,-1), (-1,0,-1),
      (0,-1,1), (0,1,1)``, not Perlin's reference padding, so :func:`pnoise3` is not
      ``ImprovedNoise``.  :func:`pnoise2` uses the first two components of the same 16 vectors.
    * **``base`` is a diagonal shift, not a seed.**  In pnoise1 it shifts the hash index exactly
      (``pnoise1(x, base=b)`` is noise at cell ``i + b``); in pnoise2/pnoise3 it is (almost) an
      integer translation along the diagonal.  snoise2's float ``base`` is added to both
      coordinates *after* frequency scaling (a window shift); in tiled snoise2 it offsets the
      hidden z/w coordinates instead.  snoise3/snoise4 have no ``base``.
    * **``repeat`` with negative coordinates.**  ``fmodf`` keeps the sign and ``& 255`` maps cell
      ``-1`` to 255, so tiling breaks across 0 unless the repeat is a multiple of 256.
    * **Non-integer ``repeatx``/``repeaty`` in pnoise2** (they are floats there): the lattice index
      wraps but the fractional part does not, producing a jump at every wrap; the per-octave
      repeat ``repeat * lacunarity**k`` is kept as a float in pnoise2 and truncated to ``int`` in
      pnoise1/pnoise3.
    * **Tiled snoise2 is a different function.**  With ``repeatx`` and/or ``repeaty`` it samples 3-D
      or 4-D simplex noise on circles (circumference = repeat) computed with the approximate
      ``fast_sin``/``fast_cos`` of the C code (error up to about 1e-3), so
      ``snoise2(x, y, repeatx=r)`` differs from ``snoise2(x, y)`` for any ``r``.
    * **snoise4 ignores ``lacunarity``.**  The released C passes one pointer too few to its
      argument parser, so the value is never stored and 2.0 is always used.  The oracle was
      checked: results are identical for lacunarity 0.5, 1, 2, 3 and 7.5.  The parameter is
      accepted (and type-checked) but ignored here too.
    * **Period 256.**  Every function repeats with period 256 in each lattice coordinate (the
      permutation table has 256 entries), whatever ``repeat`` says.
    * fBm is normalised by the sum of amplitudes; pnoise and snoise accumulate in their own
      C order, and ``base`` is not varied per octave.

Behaviour of ``noise`` that is refused
    * **Out-of-bounds ``base``** (pnoise*): ``noise`` indexes its 512-entry table with
      ``(i & 255) + base`` and nested sums, which reads outside the table (undefined behaviour,
      garbage or a segfault) unless ``base`` is in ``0..256`` for pnoise1 or in ``{0, 1}`` for
      pnoise2/pnoise3.  Any other ``base`` raises ``ValueError``.
    * ``octaves < 1`` raises ``ValueError`` (``noise`` does too), wrong argument types raise
      ``TypeError`` naming the argument (``noise`` does too, without the name).
    * Non-finite coordinates, ``persistence``, ``lacunarity`` or snoise2 ``base`` (after the
      float32 conversion, so ``1e39`` counts as infinite) raise ``ValueError``: ``noise`` would
      compute garbage from ``(int)NaN``.
    * ``repeat == 0`` (or NaN) raises ``ValueError`` (``noise`` divides by zero in pnoise1 and
      computes from NaN lattice indices in pnoise2/pnoise3); so does a ``lacunarity`` that makes
      pnoise1's per-octave integer repeat 0.  snoise2 ``repeatx``/``repeaty`` must be finite and
      non-zero; ``None`` or ``FLT_MAX`` (the C default) means "no tiling".

The main engine, ``wiktoria.noise``, does not carry these quirks: it has real seeds
(independent permutations instead of a diagonal ``base`` shift), exact periodicity for negative
coordinates, float64 coordinates with a float64 lattice split (no float32 freezing) and no
256 period.  Use ``wiktoria.noise.compat`` only to reproduce existing ``noise`` output.

Examples
--------
>>> import numpy as np
>>> from wiktoria import compat
>>> compat.pnoise2(1.25, 3.75)
-0.20895767211914062
>>> xs = np.linspace(0.0, 4.0, 640, dtype=np.float32)[None, :]
>>> ys = np.linspace(0.0, 3.0, 480, dtype=np.float32)[:, None]
>>> compat.snoise2(xs, ys, octaves=4).shape
(480, 640)
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from wiktoria.common import parallel as _parallel
from wiktoria.noise import _accel

__all__ = ["FLT_MAX", "pnoise1", "pnoise2", "pnoise3", "snoise2", "snoise3", "snoise4"]

#: Largest float32, the C default of snoise2's ``repeatx``/``repeaty`` ("no tiling").
FLT_MAX: float = float(np.finfo(np.float32).max)

F32 = NDArray[np.float32]
I64 = NDArray[np.intp]
Result = float | NDArray[np.float64]
_f32 = np.float32
_u8 = np.uint8
_INT_MIN = -(2**31)
_INT_MAX = 2**31 - 1
_TWO31 = 2.0**31
_TWO62 = 2.0**62
_TWO24 = 2.0**24
# Below this coordinate magnitude no simplex intermediate can overflow to inf / NaN: the
# in-cell offsets stay below ~5e15 and their squares far below the float32 maximum.
_FINITE_BOUND = 1e15
# Stacked corner values per evaluation block: small enough for the temporaries to stay in cache.
_CHUNK = 1 << 18

# --------------------------------------------------------------------------------------------
# Tables.  noise's PERM is Ken Perlin's reference permutation written out twice (512 entries):
# PERM[n] == perm[n & 255] for every index noise can legally use, so all hashing is done here in
# uint8 arithmetic, which wraps modulo 256 for free.  GRAD3 includes noise's own rows 12-15.
# --------------------------------------------------------------------------------------------
_PERM = np.array(
    [
        151, 160, 137, 91, 90, 15, 131, 13, 201, 95, 96, 53, 194, 233, 7, 225,
        140, 36, 103, 30, 69, 142, 8, 99, 37, 240, 21, 10, 23, 190, 6, 148,
        247, 120, 234, 75, 0, 26, 197, 62, 94, 252, 219, 203, 117, 35, 11, 32,
        57, 177, 33, 88, 237, 149, 56, 87, 174, 20, 125, 136, 171, 168, 68, 175,
        74, 165, 71, 134, 139, 48, 27, 166, 77, 146, 158, 231, 83, 111, 229, 122,
        60, 211, 133, 230, 220, 105, 92, 41, 55, 46, 245, 40, 244, 102, 143, 54,
        65, 25, 63, 161, 1, 216, 80, 73, 209, 76, 132, 187, 208, 89, 18, 169,
        200, 196, 135, 130, 116, 188, 159, 86, 164, 100, 109, 198, 173, 186, 3, 64,
        52, 217, 226, 250, 124, 123, 5, 202, 38, 147, 118, 126, 255, 82, 85, 212,
        207, 206, 59, 227, 47, 16, 58, 17, 182, 189, 28, 42, 223, 183, 170, 213,
        119, 248, 152, 2, 44, 154, 163, 70, 221, 153, 101, 155, 167, 43, 172, 9,
        129, 22, 39, 253, 19, 98, 108, 110, 79, 113, 224, 232, 178, 185, 112, 104,
        218, 246, 97, 228, 251, 34, 242, 193, 238, 210, 144, 12, 191, 179, 162, 241,
        81, 51, 145, 235, 249, 14, 239, 107, 49, 192, 214, 31, 181, 199, 106, 157,
        184, 84, 204, 176, 115, 121, 50, 45, 127, 4, 150, 254, 138, 236, 205, 93,
        222, 114, 67, 29, 24, 72, 243, 141, 128, 195, 78, 66, 215, 61, 156, 180,
    ],
    dtype=np.intp,
)  # fmt: skip

_GRAD3 = np.array(
    [
        (1, 1, 0), (-1, 1, 0), (1, -1, 0), (-1, -1, 0),
        (1, 0, 1), (-1, 0, 1), (1, 0, -1), (-1, 0, -1),
        (0, 1, 1), (0, -1, 1), (0, 1, -1), (0, -1, -1),
        (1, 0, -1), (-1, 0, -1), (0, -1, 1), (0, 1, 1),
    ],
    dtype=np.float32,
)  # fmt: skip


# GRAD4[g]: all permutations of (0, +-1, +-1, +-1) in Gustavson's order: the zero sits at
# component g >> 3, the other three components take the sign of bits 2, 1, 0 (set = minus).
def _grad4(g: int, c: int) -> float:
    zero = g >> 3
    if c == zero:
        return 0.0
    bit = 2 - (c - (c > zero))  # position of c among the three non-zero components
    return -1.0 if (g >> bit) & 1 else 1.0


_GRAD4 = np.array([[_grad4(g, c) for c in range(4)] for g in range(32)], dtype=np.float32)


def _table(values: NDArray[Any], dtype: type = np.float32) -> NDArray[Any]:
    out = np.ascontiguousarray(values, dtype=dtype)
    out.flags.writeable = False
    return out


_PERM8 = _table(_PERM, _u8)
# Gradient tables are indexed by the last (uint8) PERM index, fusing that lookup.
_P1_SLOPE = _table(np.where(_PERM & 8, -1.0, (_PERM & 7) + 1.0))  # grad1 slope of PERM[u]
_P2_G = tuple(_table(_GRAD3[_PERM[_PERM] & 15, c]) for c in range(2))  # PERM[PERM[A + j]]
_S3_G = tuple(_table(_GRAD3[_PERM % 12, c]) for c in range(3))  # PERM[...] % 12
_S4_G = tuple(_table(_GRAD4[_PERM & 31, c]) for c in range(4))  # PERM[...] & 31
# Two-level tables indexed by u * 256 + v (see _pair), fusing one more PERM lookup each.
_HI = np.repeat(np.arange(256), 256)
_LO = np.tile(np.arange(256), 256)
_PP = _table(_PERM[(_HI + _PERM[_LO]) & 255], _u8)  # PERM[u + PERM[v]]
_PP_HASH = _PERM[(_HI + _PERM[_LO]) & 255]
_P3_G2 = tuple(_table(_GRAD3[_PERM[(_PERM[_HI] + _LO) & 255] & 15, c]) for c in range(3))
_S2_G2 = tuple(_table(_GRAD3[_PP_HASH % 12, c]) for c in range(2))
del _HI, _LO, _PP_HASH

# float32 constants, exactly the values of the C literals / constant-folded expressions.
_C0 = _f32(0.0)
_C1 = _f32(1.0)
_C6 = _f32(6.0)
_C10 = _f32(10.0)
_C15 = _f32(15.0)
_C04 = _f32(0.4)
_C05 = _f32(0.5)
_C06 = _f32(0.6)
_F2 = _f32(0.3660254037844386)
_G2 = _f32(0.21132486540518713)
_G2X2 = _G2 * _f32(2.0)
_C70 = _f32(70.0)
_F3 = _f32(1.0) / _f32(3.0)
_G3 = _f32(1.0) / _f32(6.0)
_C32 = _f32(32.0)
_F4 = _f32(0.30901699437494745)
_G4 = _f32(0.1381966011250105)
_C27 = _f32(27.0)
_SIN_WRAP = _f32(25165824.0)
_SIN_Q = _f32(3.1)
_SIN_P = _f32(3.6)
_M_1_PI = 0.31830988618379067154  # the C double M_1_PI
# Per-corner offsets k*G of the simplex corners (k = 0 for the base corner).
_G3_CORNERS = np.array([_C0, _G3, _f32(2.0) * _G3, _f32(3.0) * _G3], dtype=np.float32)
_G4_CORNERS = np.array(
    [_C0, _G4, _f32(2.0) * _G4, _f32(3.0) * _G4, _f32(4.0) * _G4], dtype=np.float32
)
# Corner k of the 4-D simplex is offset by 1 along the axes whose rank is >= _RANK_LEVELS[k].
_RANK_LEVELS = np.array([4, 3, 2, 1, 0], dtype=_u8)


# --------------------------------------------------------------------------------------------
# Argument validation
# --------------------------------------------------------------------------------------------
def _int_arg(name: str, value: object) -> int:
    """Parse a C ``int`` argument like ``PyArg_Parse`` format ``"i"``."""
    try:
        ivalue = operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(f"{name} must be an int, got {type(value).__name__} {value!r}") from None
    if not _INT_MIN <= ivalue <= _INT_MAX:
        raise OverflowError(f"{name} must fit in a C int (-2**31 .. 2**31-1), got {ivalue}")
    return ivalue


def _octaves_arg(value: object) -> int:
    octaves = _int_arg("octaves", value)
    if octaves < 1:
        raise ValueError(f"octaves must be >= 1, got {octaves}")
    return octaves


def _real_arg(name: str, value: object) -> np.float32:
    """Parse a C ``float`` argument (format ``"f"``): a real number, rounded to float32."""
    bad = isinstance(value, str | bytes | bytearray | complex | np.complexfloating | np.ndarray)
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "biuf":
        value = value.item()
        bad = False
    if not bad:
        try:
            fvalue = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            bad = True
    if bad:
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    with np.errstate(over="ignore"):
        return _f32(fvalue)


def _finite_real_arg(name: str, value: object) -> np.float32:
    result = _real_arg(name, value)
    if not np.isfinite(result):
        raise ValueError(f"{name} must be finite (as float32), got {value!r}")
    return result


def _base_arg(func: str, value: object, high: int) -> int:
    base = _int_arg("base", value)
    if not 0 <= base <= high:
        allowed = "0 or 1" if high == 1 else f"an integer in 0..{high}"
        raise ValueError(
            f"base must be {allowed} for {func}, got {base}: other values make noise read "
            "outside its 512-entry permutation table (use wiktoria.noise for real seeds)"
        )
    return base


def _coords(
    names: Sequence[str], values: Sequence[ArrayLike]
) -> tuple[list[F32], tuple[int, ...], bool, float]:
    """Convert coordinates to float32 arrays (C ``(float)``), check them, broadcast shapes.

    Returns the arrays (each in its own shape, at least 1-d), the broadcast shape, whether
    every input was a scalar, and the largest absolute coordinate.
    """
    arrays: list[F32] = []
    maxabs = 0.0
    for name, value in zip(names, values, strict=True):
        arr = np.asarray(value)
        kind = arr.dtype.kind
        if kind not in "biuf":
            raise TypeError(
                f"{name} must be a real number or an array of real numbers, "
                f"got {type(value).__name__} with dtype {arr.dtype}"
            )
        if kind != "f" or arr.dtype.itemsize > 8:
            arr = arr.astype(np.float64)  # ints / long double go through C double, like noise
        with np.errstate(over="ignore"):
            a32 = arr.astype(np.float32, copy=False)
        if a32.size:
            lo, hi = float(a32.min()), float(a32.max())
            if not (np.isfinite(lo) and np.isfinite(hi)):
                bad = np.argwhere(~np.isfinite(a32))[0]
                where = "" if a32.ndim == 0 else f" at index {tuple(int(k) for k in bad)}"
                raise ValueError(
                    f"{name} must be finite (as float32), got {a32[tuple(bad)]!r}{where}"
                )
            maxabs = max(maxabs, -lo, hi)
        arrays.append(a32)
    try:
        shape = np.broadcast_shapes(*(a.shape for a in arrays))
    except ValueError:
        shapes = ", ".join(f"{n}{a.shape}" for n, a in zip(names, arrays, strict=True))
        raise ValueError(f"coordinate shapes do not broadcast together: {shapes}") from None
    scalar = all(a.ndim == 0 for a in arrays)
    return [np.atleast_1d(a) for a in arrays], shape, scalar, maxabs


# --------------------------------------------------------------------------------------------
# Evaluation driver: the broadcast domain is cut into cache-sized blocks and every block runs
# the whole fBm loop, so the ~30 temporaries stay in cache instead of streaming through RAM.
# Blocks run on the shared thread pool (wiktoria.common.parallel).  Results do not depend on
# the blocking or the threads.
# --------------------------------------------------------------------------------------------
Kernel = Callable[[list[F32]], F32]


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


# --------------------------------------------------------------------------------------------
# Compiled backend (numba, wiktoria.noise._compat_jit): the same driver, blocks and threads,
# but each block is one kernel call that runs the whole fBm loop (over sub-blocks of points in L1).
# Grids are expanded per block (a copy of the broadcast coordinates): measured at under 0.5 ms
# per million points, so the kernels need not know about broadcasting.
# --------------------------------------------------------------------------------------------
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
    jit: Any,
    name: str,
    repeats: Callable[[np.float32, bool], tuple[Any, ...]],
    octaves: int,
    persistence: np.float32,
    lacunarity: np.float32,
    base: int,
    maxabs: float,
) -> Kernel:
    """The compiled pnoise kernel ``jit.<name>``: ``_perlin_kernel``'s fBm loop, compiled.

    Per octave and axis, the lattice index mode follows the rules of the numpy path: the
    ``% repeat`` / ``fmodf`` is skipped when it cannot change the low byte (``_int_cells_fast``,
    ``_float_cells_fast``), and ``fmodf`` is split in float64 when the quotients are below
    2**28 (``_fmodf``).
    """
    plan, total_amp = _perlin_plan(repeats, octaves, persistence, lacunarity, maxabs)
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


# --------------------------------------------------------------------------------------------
# C arithmetic helpers
# --------------------------------------------------------------------------------------------
def _c_int(v: F32, safe: bool) -> I64:
    """C ``(int)`` cast of float32 values on x86-64: truncation; NaN/out of range -> INT_MIN.

    ``safe`` asserts that every value is known to be finite and below 2**31 in magnitude.
    """
    if safe:
        return v.astype(np.intp)
    ok = np.abs(v) < _TWO31
    out = np.where(ok, v, _C0).astype(np.intp)
    out[~ok] = _INT_MIN
    return out


def _c_int_scalar(v: float | np.float32) -> int:
    v = float(v)
    if not abs(v) < _TWO31:  # also NaN / inf
        return _INT_MIN
    return int(v)


def _low_byte(v: F32, bound: float) -> NDArray[np.uint8]:
    """``(int)v & 255`` for integral float32 ``v`` with ``|v| <= bound``, as uint8.

    For ``2**31 <= |v| < 2**62`` the C cast gives INT_MIN (low byte 0) and ``v`` is a multiple
    of 256 (float32 spacing), so the exact low byte agrees; beyond that, emulate the cast.
    """
    if bound < _TWO31 - 256.0:
        return v.astype(np.int32).astype(_u8)
    if bound < _TWO62:
        return v.astype(np.int64).astype(_u8)
    return _c_int(v, False).astype(_u8)


def _pair(hi: NDArray[np.uint8], lo: NDArray[np.uint8]) -> I64:
    """Index ``hi * 256 + lo`` into a two-level (65536-entry) table."""
    idx = np.left_shift(hi, 8, dtype=np.uint16)
    if idx.shape != np.broadcast_shapes(idx.shape, lo.shape):
        return np.bitwise_or(idx, lo).astype(np.intp)
    idx |= lo
    return idx.astype(np.intp)


def _fmodf(x: F32, r: np.float32, quotient_bound: float) -> F32:
    """Exact C ``fmodf(x, r)`` for float32 ``x`` and a float32 scalar ``r``.

    ``np.fmod`` is exact but slow; when ``|x / r| < 2**28`` the float64 quotient truncates
    exactly (a float32 ratio that is not an integer is at least 2**-24 away from one), the
    product ``q * r`` is exact and so is the difference, which is the float32 remainder.
    """
    rf = float(r)
    if np.isinf(rf):
        return x.copy()  # fmodf(x, +-inf) == x for finite x
    if rf != 0.0 and np.isfinite(rf) and quotient_bound < 2.0**28:
        x64 = x.astype(np.float64)
        q = np.trunc(x64 / rf)
        q *= rf
        x64 -= q
        return x64.astype(np.float32)
    return np.fmod(x, r)


def _fade(t: F32) -> F32:
    """``t*t*t * (t * (t * 6 - 15) + 10)`` in C float order."""
    b = t * _C6
    b -= _C15
    b *= t
    b += _C10
    a = t * t
    a *= t
    a *= b
    return a


def _add(a: F32, b: F32) -> F32:
    """``a + b``, in place in the temporary ``a`` unless ``b`` broadcasts ``a`` to a larger shape
    (e.g. ``z`` of shape (n, 1, 1) with ``x + y`` of shape (1, h, w))."""
    if a.shape == np.broadcast_shapes(a.shape, b.shape):
        a += b
        return a
    return a + b


def _lerp_inplace(t: F32, a: F32, b: F32) -> F32:
    """``a + t * (b - a)``, computed in place in ``b`` (a full-shape temporary or view)."""
    b -= a
    b *= t
    b += a
    return b


def _positive_part(f: F32, finite: bool) -> NDArray[np.bool_] | None:
    """``f = f if f > 0 else 0`` in place, exactly.  Returns the 'skip' mask if not ``finite``.

    ``(f + |f|) * 0.5`` is exact for finite ``f`` and faster than ``np.maximum``.  With NaN or
    overflow possible, the caller must also zero the contributions where the mask is set (the
    C code skips the corner entirely there).
    """
    skip = None if finite else ~(f > _C0)
    a = np.abs(f)
    f += a
    f *= _C05
    return skip


# --------------------------------------------------------------------------------------------
# Perlin ("improved") noise, _perlin.c.  Per-axis work stays in each coordinate's own shape;
# the 2**d corners are stacked on leading axes (z, y, x order) and interpolated in C order.
# --------------------------------------------------------------------------------------------
def _int_cells_fast(repeat: int, bound: float) -> bool:
    """Whether ``% repeat`` cannot change the low byte of pnoise1's lattice indices."""
    return repeat % 256 == 0 and bound < _TWO62


def _cells_int(
    fl: F32, repeat: int, bound: float, base: int
) -> tuple[NDArray[np.uint8], NDArray[np.uint8]]:
    """pnoise1 lattice: ``i = (int)floorf(x) % repeat; ii = (i + 1) % repeat``, + base."""
    if _int_cells_fast(repeat, bound):
        i = _low_byte(fl, bound)  # (i % repeat) & 255 == i & 255 for repeat = 0 (mod 256)
        ii = i + _u8(1)
    else:
        ic = np.fmod(_c_int(fl, bound + 2.0 < _TWO31), repeat)
        i = ic.astype(_u8)
        ii = np.fmod(ic + 1, repeat).astype(_u8)
    if base:
        i += _u8(base)
        ii += _u8(base)
    return i, ii


def _float_cells_fast(rf: float, bound: float) -> bool:
    """Whether ``fmodf(x, r)`` cannot change ``(int)floorf(x) & 255`` (nor that of ``i + 1``)
    for ``|x| <= bound``: ``r`` a multiple of 256 up to 2**24, or infinite with small ``x``."""
    return bound < _TWO62 and (
        (np.isfinite(rf) and rf == int(rf) and int(rf) % 256 == 0 and 0 < abs(rf) <= _TWO24)
        or (np.isinf(rf) and bound + 2.0 <= _TWO24)
    )


def _cells_float(
    x: F32, fl: F32, r: np.float32, bound: float, base: int
) -> tuple[NDArray[np.uint8], NDArray[np.uint8]]:
    """pnoise2/3 lattice: ``i = (int)floorf(fmodf(x, r)); ii = (int)fmodf(i + 1, r)``, + base."""
    rf = float(r)
    if _float_cells_fast(rf, bound):
        # fmodf by a multiple of 256 does not change the value mod 256, and i + 1 is exact.
        i = _low_byte(fl, bound)
        ii = i + _u8(1)
    else:
        safe = bound + 2.0 < _TWO31 and rf != 0.0 and not np.isnan(rf)
        qbound = bound / abs(rf) if rf != 0.0 else np.inf
        ic = _c_int(np.floor(_fmodf(x, r, qbound)), safe)
        ip1 = (ic + 1).astype(np.float32)  # C int -> float conversion
        qbound1 = (bound + 2.0) / abs(rf) if rf != 0.0 else np.inf
        i = ic.astype(_u8)
        ii = _c_int(_fmodf(ip1, r, qbound1), safe).astype(_u8)
    if base:
        i += _u8(base)
        ii += _u8(base)
    return i, ii


def _perlin1(x: F32, repeat: int, base: int, bound: float) -> F32:
    fl = np.floor(x)
    i, ii = _cells_int(fl, repeat, bound, base)
    xf = x - fl
    fx = _fade(xf)
    a = np.take(_P1_SLOPE, i.astype(np.intp), mode="wrap")
    a *= xf
    xf -= _C1
    b = np.take(_P1_SLOPE, ii.astype(np.intp), mode="wrap")
    b *= xf
    out = _lerp_inplace(fx, a, b)
    out *= _C04
    return out


def _perlin2(x: F32, y: F32, rx: np.float32, ry: np.float32, base: int, bound: float) -> F32:
    flx = np.floor(x)
    fly = np.floor(y)
    i, ii = _cells_float(x, flx, rx, bound, base)
    j, jj = _cells_float(y, fly, ry, bound, base)
    x0 = x - flx
    y0 = y - fly
    fx = _fade(x0)
    fy = _fade(y0)
    xs = np.stack([x0, x0 - _C1])  # (2x, ...)
    ys = np.stack([y0, y0 - _C1])[:, None]  # (2y, 1, ...)
    a_b = np.take(_PERM8, np.stack([i, ii]))  # A, B
    u = np.add(a_b, np.stack([j, jj])[:, None]).astype(np.intp)  # (2y, 2x, ...): A + j etc.
    n = np.take(_P2_G[0], u, mode="wrap")
    n *= xs
    g = np.take(_P2_G[1], u, mode="wrap")
    g *= ys
    n += g
    r = _lerp_inplace(fx, n[:, 0], n[:, 1])  # (2y, ...)
    return _lerp_inplace(fy, r[0], r[1])


def _perlin3(
    x: F32, y: F32, z: F32, rx: np.float32, ry: np.float32, rz: np.float32, base: int, bound: float
) -> F32:
    flx = np.floor(x)
    fly = np.floor(y)
    flz = np.floor(z)
    i, ii = _cells_float(x, flx, rx, bound, base)
    j, jj = _cells_float(y, fly, ry, bound, base)
    k, kk = _cells_float(z, flz, rz, bound, base)
    x0 = x - flx
    y0 = y - fly
    z0 = z - flz
    fx = _fade(x0)
    fy = _fade(y0)
    fz = _fade(z0)
    xs = np.stack([x0, x0 - _C1])  # (2x, ...)
    ys = np.stack([y0, y0 - _C1])[:, None]  # (2y, 1, ...)
    zs = np.stack([z0, z0 - _C1])[:, None, None]  # (2z, 1, 1, ...)
    a_b = np.take(_PERM8, np.stack([i, ii]))  # A, B
    a_j = np.add(a_b, np.stack([j, jj])[:, None])  # A + j etc.: (2y, 2x, ...)
    # Gradient of PERM[PERM[A + j] + k] & 15 from a two-level table: (2z, 2y, 2x, ...).
    if k.size == 1:  # a z-slice: index the table columns k, kk with A + j alone
        u = a_j.astype(np.intp)
        n, g, g3 = (np.empty((2, *u.shape), dtype=np.float32) for _ in range(3))
        for zc, kv in enumerate((int(k.flat[0]), int(kk.flat[0]))):
            for out, table in zip((n, g, g3), _P3_G2, strict=True):
                np.take(np.ascontiguousarray(table[kv::256]), u, out=out[zc], mode="wrap")
    else:
        u = _pair(a_j, np.stack([k, kk])[:, None, None])
        n = np.take(_P3_G2[0], u, mode="wrap")
        g = np.take(_P3_G2[1], u, mode="wrap")
        g3 = np.take(_P3_G2[2], u, mode="wrap")
    n *= xs
    g *= ys
    n += g
    g3 *= zs
    n += g3
    r = _lerp_inplace(fx, n[:, :, 0], n[:, :, 1])  # (2z, 2y, ...)
    s = _lerp_inplace(fy, r[:, 0], r[:, 1])  # (2z, ...)
    return _lerp_inplace(fz, s[0], s[1])


PerlinNoise = Callable[..., F32]
PerlinPlan = list[tuple[np.float32, np.float32, tuple[Any, ...], float]]


def _perlin_plan(
    repeats: Callable[[np.float32, bool], tuple[Any, ...]],
    octaves: int,
    persistence: np.float32,
    lacunarity: np.float32,
    maxabs: float,
) -> tuple[PerlinPlan, np.float32]:
    """Per octave ``(freq, amp, repeats, bound)`` of the pnoise fBm loop, and ``sum(amp)``.

    ``bound`` bounds the octave's scaled coordinates ``|x * freq|``.
    """
    plan: PerlinPlan = []
    if octaves == 1:
        plan.append((_C1, _C1, repeats(_C1, True), maxabs))
        total_amp = _C1
    else:
        freq = _C1
        amp = _C1
        total_amp = _C0
        for _ in range(octaves):
            plan.append((freq, amp, repeats(freq, False), maxabs * abs(float(freq)) * 1.000001))
            with np.errstate(all="ignore"):  # float32 overflow is part of the emulation
                total_amp += amp
                freq *= lacunarity
                amp *= persistence
    return plan, total_amp


def _perlin_kernel(
    noise: PerlinNoise,
    repeats: Callable[[np.float32, bool], tuple[Any, ...]],
    octaves: int,
    persistence: np.float32,
    lacunarity: np.float32,
    base: int,
    maxabs: float,
) -> Kernel:
    """The pnoise fBm loop: ``total += noise(x * freq, ...) * amp``, normalised by sum(amp).

    For ``octaves == 1`` noise returns the single octave with the unconverted repeats.
    """
    plan, total_amp = _perlin_plan(repeats, octaves, persistence, lacunarity, maxabs)

    def kernel(coords: list[F32]) -> F32:
        total: F32 | None = None
        for freq, amp, reps, bound in plan:
            scaled = coords if freq == _C1 else [c * freq for c in coords]
            n = noise(*scaled, *reps, base, bound)
            if amp != _C1:
                n *= amp
            if total is None:
                # C sums from 0.0f (a single octave returns the value itself), which turns a
                # -0.0 into +0.0: the same here, so even the sign of zero matches.
                total = n if len(plan) == 1 else n + _C0
            else:
                total += n
        assert total is not None
        if total_amp != _C1:
            total /= total_amp
        return total

    return kernel


# --------------------------------------------------------------------------------------------
# Simplex noise, _simplex.c.  The corners are stacked on a leading axis.
# --------------------------------------------------------------------------------------------
def _corner_axis(values: NDArray[Any], ndim: int) -> NDArray[Any]:
    """Reshape a per-corner vector to broadcast along a leading corner axis."""
    return values.reshape(values.shape + (1,) * ndim)


def _corner_positions(p0: F32, offsets: NDArray[np.bool_], gvec: F32) -> F32:
    """Stacked ``(p0 - o_k) + k*G`` for the simplex corners k (first offset 0, last 1)."""
    pos = np.empty((len(offsets), *p0.shape), dtype=np.float32)
    pos[0] = p0  # the base corner is used as is
    np.subtract(p0, offsets[1:-1], out=pos[1:-1], dtype=np.float32)
    np.subtract(p0, _C1, out=pos[-1])
    pos[1:] += gvec[1:]
    return pos


def _simplex2(x: F32, y: F32, bound: float) -> F32:
    s = x + y
    s *= _F2
    i = x + s
    np.floor(i, out=i)
    j = y + s
    np.floor(j, out=j)
    t = i + j
    t *= _G2
    x0 = np.subtract(x, i - t)
    y0 = np.subtract(y, j - t)
    i1 = x0 > y0
    j1 = ~i1  # x0 <= y0 (NaN only in non-finite mode, where those corners are skipped)
    shape = x0.shape
    xs = np.empty((3, *shape), dtype=np.float32)
    ys = np.empty((3, *shape), dtype=np.float32)
    xs[0] = x0
    ys[0] = y0
    np.subtract(x0, i1, out=xs[1])
    xs[1] += _G2
    np.subtract(y0, j1, out=ys[1])
    ys[1] += _G2
    np.add(x0, _G2X2, out=xs[2])
    xs[2] -= _C1
    np.add(y0, _G2X2, out=ys[2])
    ys[2] -= _C1
    f = xs * xs
    np.subtract(_C05, f, out=f)
    f -= ys * ys
    skip = _positive_part(f, bound < _FINITE_BOUND)  # 'if (f > 0)'
    g = f * f
    g *= f
    g *= f  # ((f*f)*f)*f
    # Gradient of PERM[I + i1 + PERM[J + j1]] % 12 etc. from a two-level table (mod 256).
    hi = np.empty((3, *shape), dtype=_u8)
    lo = np.empty((3, *shape), dtype=_u8)
    hi[0] = _low_byte(i, 3.0 * bound + 16.0)
    lo[0] = _low_byte(j, 3.0 * bound + 16.0)
    np.add(hi[0], i1, out=hi[1])
    np.add(lo[0], j1, out=lo[1])
    np.add(hi[0], _u8(1), out=hi[2])
    np.add(lo[0], _u8(1), out=lo[2])
    u = _pair(hi, lo)
    d = np.take(_S2_G2[0], u, mode="wrap")
    d *= xs
    e = np.take(_S2_G2[1], u, mode="wrap")
    e *= ys
    d += e
    g *= d
    if skip is not None:
        g[skip] = _C0
    total = g[0] + g[1]
    total += g[2]
    total *= _C70
    return total


def _simplex3(x: F32, y: F32, z: F32, bound: float) -> F32:
    s = _add(x + y, z)
    s *= _F3
    i = x + s
    np.floor(i, out=i)
    j = y + s
    np.floor(j, out=j)
    k = z + s
    np.floor(k, out=k)
    t = i + j
    t += k
    t *= _G3
    x0 = np.subtract(x, i - t)
    y0 = np.subtract(y, j - t)
    z0 = np.subtract(z, k - t)
    shape = x0.shape
    # Corner offsets o1, o2 of Gustavson's branch table, with its exact >= / < tie rules.
    ge_xy = x0 >= y0
    ge_yz = y0 >= z0
    ge_xz = x0 >= z0
    offs = [np.empty((4, *shape), dtype=np.bool_) for _ in range(3)]
    for o in offs:
        o[0] = False
        o[3] = True
    np.logical_and(ge_xy, ge_yz | ge_xz, out=offs[0][1])  # o1x
    np.logical_and(~ge_xy, ge_yz, out=offs[1][1])  # o1y
    np.logical_not(offs[0][1] | offs[1][1], out=offs[2][1])  # o1z
    np.logical_or(ge_xy, ge_yz & ge_xz, out=offs[0][2])  # o2x
    np.logical_or(~ge_xy, ge_yz, out=offs[1][2])  # o2y
    np.logical_not(offs[0][2] & offs[1][2], out=offs[2][2])  # o2z
    gvec = _corner_axis(_G3_CORNERS, len(shape))
    pos = [_corner_positions(p, o, gvec) for p, o in zip((x0, y0, z0), offs, strict=True)]
    f = pos[0] * pos[0]
    np.subtract(_C06, f, out=f)
    f -= pos[1] * pos[1]
    f -= pos[2] * pos[2]
    skip = _positive_part(f, bound < _FINITE_BOUND)
    g = f * f
    g *= f
    g *= f
    b = 3.0 * bound + 16.0
    # PERM[I + ox + PERM[J + oy + PERM[K + oz]]]: the inner two levels from one table.
    hi = np.add(_low_byte(j, b), offs[1])
    h = np.take(_PP, _pair(hi, np.add(_low_byte(k, b), offs[2])), mode="wrap")
    h += _low_byte(i, b)
    h += offs[0]
    u = h.astype(np.intp)
    d = np.take(_S3_G[0], u, mode="wrap")
    d *= pos[0]
    e = np.take(_S3_G[1], u, mode="wrap")
    e *= pos[1]
    d += e
    e = np.take(_S3_G[2], u, out=e, mode="wrap")
    e *= pos[2]
    d += e
    g *= d
    if skip is not None:
        g[skip] = _C0
    total = g[0] + g[1]
    total += g[2]
    total += g[3]
    total *= _C32
    return total


def _simplex4(x: F32, y: F32, z: F32, w: F32, bound: float) -> F32:
    s = _add(_add(x + y, z), w)
    s *= _F4
    cells = []
    for v in (x, y, z, w):
        c = v + s
        np.floor(c, out=c)
        cells.append(c)
    t = cells[0] + cells[1]
    t += cells[2]
    t += cells[3]
    t *= _G4
    p0 = [np.subtract(v, c - t) for v, c in zip((x, y, z, w), cells, strict=True)]
    shape = p0[0].shape
    # Rank of each coordinate among the four, with ties resolved exactly like the C bit
    # pattern 32(x0>y0) + 16(x0>z0) + 8(y0>z0) + 4(x0>w0) + 2(y0>w0) + (z0>w0) into SIMPLEX.
    gxy = p0[0] > p0[1]
    gxz = p0[0] > p0[2]
    gyz = p0[1] > p0[2]
    gxw = p0[0] > p0[3]
    gyw = p0[1] > p0[3]
    gzw = p0[2] > p0[3]
    ranks = [
        gxy.view(_u8) + gxz.view(_u8) + gxw.view(_u8),
        (~gxy).view(_u8) + gyz.view(_u8) + gyw.view(_u8),
        (~gxz).view(_u8) + (~gyz).view(_u8) + gzw.view(_u8),
        (~gxw).view(_u8) + (~gyw).view(_u8) + (~gzw).view(_u8),
    ]
    levels = _corner_axis(_RANK_LEVELS, len(shape))
    offs = [np.greater_equal(r, levels) for r in ranks]  # (5, ...) per axis
    gvec = _corner_axis(_G4_CORNERS, len(shape))
    pos = [_corner_positions(p, o, gvec) for p, o in zip(p0, offs, strict=True)]
    tt = pos[0] * pos[0]
    np.subtract(_C06, tt, out=tt)
    for q in pos[1:]:
        tt -= q * q
    skip = _positive_part(tt, bound < _FINITE_BOUND)  # 'if (t >= 0)'
    tt *= tt
    tt *= tt  # t0 *= t0; t0 * t0
    b = 3.0 * bound + 16.0
    # PERM[I + oi + PERM[J + oj + PERM[K + ok + PERM[L + ol]]]] & 31 with two two-level
    # lookups: h = PERM[K + ok + PERM[L + ol]], then the gradient table at (I + oi, J + oj + h).
    lat = [_low_byte(c, b) for c in cells]
    h = np.take(_PP, _pair(np.add(lat[2], offs[2]), np.add(lat[3], offs[3])), mode="wrap")
    h += lat[1]
    h += offs[1]
    h = np.take(_PERM8, h.astype(np.intp), mode="wrap")
    h += lat[0]
    h += offs[0]
    u = h.astype(np.intp)
    d = np.take(_S4_G[0], u, mode="wrap")
    d *= pos[0]
    e = np.empty_like(d)
    for c in (1, 2, 3):
        np.take(_S4_G[c], u, out=e, mode="wrap")
        e *= pos[c]
        d += e
    tt *= d
    if skip is not None:
        tt[skip] = _C0
    total = tt[0] + tt[1]
    for c in (2, 3, 4):
        total += tt[c]
    total *= _C27  # C: 27.0 * sum in double, rounded to float == float32 product
    return total


SimplexNoise = Callable[..., F32]


def _simplex_octaves(
    octaves: int, persistence: np.float32, lacunarity: np.float32
) -> tuple[list[tuple[np.float32, np.float32]], np.float32]:
    """``(freq, amp)`` of octaves 2.. of _simplex.c's fBm loops (the first is unscaled), and
    ``max = sum(amp)``, in the C float32 order (``freq *= lac; amp *= pers; max += amp``)."""
    octs = []
    freq = _C1
    amp = _C1
    total_amp = _C1
    for _ in range(1, octaves):
        with np.errstate(all="ignore"):
            freq *= lacunarity
            amp *= persistence
            total_amp += amp
        octs.append((freq, amp))
    return octs, total_amp


def _simplex_kernel(
    noise: SimplexNoise,
    octaves: int,
    persistence: np.float32,
    lacunarity: np.float32,
    maxabs: float,
    prepare: Callable[[list[F32]], list[F32]] | None = None,
) -> Kernel:
    """fbm_noise3/fbm_noise4 of _simplex.c (first octave unscaled, normalised by sum(amp)).

    ``prepare`` maps the chunk's input coordinates first (tiled snoise2's circles).
    """
    octs, total_amp = _simplex_octaves(octaves, persistence, lacunarity)
    plan = [(freq, amp, maxabs * abs(float(freq)) * 1.000001) for freq, amp in octs]

    def kernel(coords: list[F32]) -> F32:
        if prepare is not None:
            coords = prepare(coords)
        total = noise(*coords, maxabs)
        for freq, amp, bound in plan:
            n = noise(*(c * freq for c in coords), bound)
            n *= amp
            total += n
        if octaves > 1:
            total /= total_amp
        return total

    return kernel


def _snoise2_flat_kernel(
    zbase: np.float32,
    octaves: int,
    persistence: np.float32,
    lacunarity: np.float32,
    maxabs: float,
) -> Kernel:
    """py_noise2's untiled loop: ``noise2(x * freq + base, y * freq + base)``, normalised."""
    octs, total_amp = _simplex_octaves(octaves, persistence, lacunarity)
    plan = [
        (freq, amp, maxabs * abs(float(freq)) * 1.000001 + abs(float(zbase))) for freq, amp in octs
    ]

    def kernel(coords: list[F32]) -> F32:
        x, y = coords
        total = _simplex2(x + zbase, y + zbase, maxabs + abs(float(zbase)))
        for freq, amp, bound in plan:
            xf = x * freq
            xf += zbase
            yf = y * freq
            yf += zbase
            n = _simplex2(xf, yf, bound)
            n *= amp
            total += n
        total /= total_amp
        return total

    return kernel


def _fast_sin(x: F32) -> F32:
    """noise's ``fast_sin`` (argument in half turns), in float32 like the C code."""
    z = x + _SIN_WRAP
    z -= _SIN_WRAP
    v = x - z
    y = np.abs(v)
    y *= v
    np.subtract(v, y, out=y)
    a = np.abs(y)
    a *= _SIN_P
    a += _SIN_Q
    y *= a
    return y


def _circle(v: F32, repeat: np.float32) -> tuple[F32, F32]:
    """Map a coordinate onto a circle of circumference ``repeat``: ``(sin * r, cos * r)``."""
    vf = ((v.astype(np.float64) * 2.0) / float(repeat)).astype(np.float32)
    radius = _f32(float(repeat) * _M_1_PI * 0.5)
    sin = _fast_sin(vf)
    sin *= radius
    cos = _fast_sin(vf + _C05)
    cos *= radius
    return sin, cos


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------
def pnoise1(
    x: ArrayLike,
    octaves: int = 1,
    persistence: float = 0.5,
    lacunarity: float = 2.0,
    repeat: int = 1024,
    base: int = 0,
) -> Result:
    """1-D Perlin "improved" noise, bit-identical to ``noise.pnoise1``.

    Parameters
    ----------
    x : float or array_like of float
        Coordinate(s), any shape; rounded to float32 first.  Must be finite.
    octaves : int, default 1
        Number of fBm octaves, ``>= 1``.
    persistence : float, default 0.5
        Amplitude ratio between successive octaves (float32, finite).
    lacunarity : float, default 2.0
        Frequency ratio between successive octaves (float32, finite).
    repeat : int, default 1024
        Lattice period; per octave ``int(repeat * lacunarity**k)`` (C truncation).  Tiling is
        broken for negative ``x`` unless it is a multiple of 256 (``noise`` quirk).
    base : int, default 0
        Hash offset; ``pnoise1(x, base=b)`` uses the hash of cell ``i + b``.  ``0..256`` only.

    Returns
    -------
    float or numpy.ndarray
        A Python ``float`` for scalar ``x``, else a float64 array of ``x``'s shape holding
        float32 values.  Range about ``[-0.952, 0.952]``; exactly 0 at integers.

    Raises
    ------
    TypeError
        If ``x`` is not real, or ``octaves``/``repeat``/``base`` is not an int, or
        ``persistence``/``lacunarity`` is not a real number.
    ValueError
        If ``octaves < 1``, ``base`` is outside ``0..256``, ``repeat == 0`` (or becomes 0 for
        an octave), or any value is non-finite.
    OverflowError
        If an int argument does not fit in a C ``int``.
    """
    noct = _octaves_arg(octaves)
    pers = _finite_real_arg("persistence", persistence)
    lac = _finite_real_arg("lacunarity", lacunarity)
    rep = _int_arg("repeat", repeat)
    if rep == 0:
        raise ValueError("repeat must be a non-zero int, got 0 (noise would divide by zero)")
    b = _base_arg("pnoise1", base, 256) & 255  # PERM[(i & 255) + 256] == PERM[i & 255]
    arrays, shape, scalar, maxabs = _coords(("x",), (x,))

    def repeats(freq: np.float32, single: bool) -> tuple[int]:
        if single:
            return (rep,)
        with np.errstate(over="ignore"):
            r = _c_int_scalar(_f32(rep) * freq)
        if r == 0:
            raise ValueError(
                f"lacunarity={float(lac)!r} makes the per-octave repeat int(repeat * freq) zero "
                f"(repeat={rep}, freq={float(freq)!r}); noise would divide by zero"
            )
        return (r,)

    jit = _jit_kernels(shape, noct)
    if jit is not None:
        kernel = _perlin_jit_kernel(jit, "pnoise1", repeats, noct, pers, lac, b, maxabs)
        return _evaluate(kernel, arrays, shape, scalar, _JIT_CORNERS)
    kernel = _perlin_kernel(_perlin1, repeats, noct, pers, lac, b, maxabs)
    return _evaluate(kernel, arrays, shape, scalar, 2)


def _float_repeat(name: str, value: object) -> np.float32:
    r = _real_arg(name, value)
    if np.isnan(r) or r == 0:
        raise ValueError(f"{name} must be non-zero and not NaN, got {value!r}")
    return r


def pnoise2(
    x: ArrayLike,
    y: ArrayLike,
    octaves: int = 1,
    persistence: float = 0.5,
    lacunarity: float = 2.0,
    repeatx: float = 1024.0,
    repeaty: float = 1024.0,
    base: int = 0,
) -> Result:
    """2-D Perlin "improved" noise, bit-identical to ``noise.pnoise2``.

    Parameters
    ----------
    x, y : float or array_like of float
        Coordinates; any shapes that broadcast together (e.g. ``(1, W)`` and ``(H, 1)`` for a
        grid, which is evaluated separably and fast).  Rounded to float32; must be finite.
    octaves : int, default 1
        Number of fBm octaves, ``>= 1``.
    persistence : float, default 0.5
        Amplitude ratio between successive octaves (float32, finite).
    lacunarity : float, default 2.0
        Frequency ratio between successive octaves (float32, finite).
    repeatx, repeaty : float, default 1024.0
        Lattice periods (float32; per octave ``repeat * lacunarity**k`` as a float).  Non-integer
        values wrap the lattice index but not the fraction (jumps, ``noise`` quirk); ``inf``
        disables wrapping.  Must be non-zero and not NaN.
    base : int, default 0
        Diagonal lattice shift; only ``0`` and ``1`` are in bounds.

    Returns
    -------
    float or numpy.ndarray
        A Python ``float`` for scalar inputs, else a float64 array of the broadcast shape holding
        float32 values.  Range about ``[-1, 1]``; exactly 0 at integer points.

    Raises
    ------
    TypeError
        If a coordinate is not real, ``octaves``/``base`` is not an int, or a float parameter is
        not a real number.
    ValueError
        If ``octaves < 1``, ``base`` is not 0 or 1, a repeat is 0 or NaN, any other value is
        non-finite, or the coordinate shapes do not broadcast.
    OverflowError
        If an int argument does not fit in a C ``int``.
    """
    noct = _octaves_arg(octaves)
    pers = _finite_real_arg("persistence", persistence)
    lac = _finite_real_arg("lacunarity", lacunarity)
    rx = _float_repeat("repeatx", repeatx)
    ry = _float_repeat("repeaty", repeaty)
    b = _base_arg("pnoise2", base, 1)
    arrays, shape, scalar, maxabs = _coords(("x", "y"), (x, y))

    def repeats(freq: np.float32, single: bool) -> tuple[np.float32, np.float32]:
        with np.errstate(over="ignore"):
            return rx * freq, ry * freq

    jit = _jit_kernels(shape, noct)
    if jit is not None:
        kernel = _perlin_jit_kernel(jit, "pnoise2", repeats, noct, pers, lac, b, maxabs)
        return _evaluate(kernel, arrays, shape, scalar, _JIT_CORNERS)
    kernel = _perlin_kernel(_perlin2, repeats, noct, pers, lac, b, maxabs)
    return _evaluate(kernel, arrays, shape, scalar, 4)


def pnoise3(
    x: ArrayLike,
    y: ArrayLike,
    z: ArrayLike,
    octaves: int = 1,
    persistence: float = 0.5,
    lacunarity: float = 2.0,
    repeatx: int = 1024,
    repeaty: int = 1024,
    repeatz: int = 1024,
    base: int = 0,
) -> Result:
    """3-D Perlin "improved" noise, bit-identical to ``noise.pnoise3``.

    Parameters
    ----------
    x, y, z : float or array_like of float
        Coordinates; any shapes that broadcast together.  Rounded to float32; must be finite.
    octaves : int, default 1
        Number of fBm octaves, ``>= 1``.
    persistence : float, default 0.5
        Amplitude ratio between successive octaves (float32, finite).
    lacunarity : float, default 2.0
        Frequency ratio between successive octaves (float32, finite).
    repeatx, repeaty, repeatz : int, default 1024
        Lattice periods (per octave ``int(repeat * lacunarity**k)``); non-zero.
    base : int, default 0
        Diagonal lattice shift; only ``0`` and ``1`` are in bounds.

    Returns
    -------
    float or numpy.ndarray
        A Python ``float`` for scalar inputs, else a float64 array of the broadcast shape holding
        float32 values.  Range about ``[-1.0003, 1]``; exactly 0 at integer points.
        ``pnoise3(x, y, 0) == pnoise2(x, y)`` for the default repeats and base 0.

    Raises
    ------
    TypeError
        If a coordinate is not real, ``octaves``/a repeat/``base`` is not an int, or
        ``persistence``/``lacunarity`` is not a real number.
    ValueError
        If ``octaves < 1``, ``base`` is not 0 or 1, a repeat is 0, any value is non-finite, or
        the coordinate shapes do not broadcast.
    OverflowError
        If an int argument does not fit in a C ``int``.
    """
    noct = _octaves_arg(octaves)
    pers = _finite_real_arg("persistence", persistence)
    lac = _finite_real_arg("lacunarity", lacunarity)
    reps = []
    for name, value in (("repeatx", repeatx), ("repeaty", repeaty), ("repeatz", repeatz)):
        r = _int_arg(name, value)
        if r == 0:
            raise ValueError(f"{name} must be a non-zero int, got 0")
        reps.append(r)
    b = _base_arg("pnoise3", base, 1)
    arrays, shape, scalar, maxabs = _coords(("x", "y", "z"), (x, y, z))

    def repeats(freq: np.float32, single: bool) -> tuple[np.float32, ...]:
        if single:  # octaves == 1 passes the ints straight through; fmodf sees (float)repeat
            return tuple(_f32(r) for r in reps)
        with np.errstate(over="ignore"):
            return tuple(_f32(_c_int_scalar(_f32(r) * freq)) for r in reps)

    jit = _jit_kernels(shape, noct)
    if jit is not None:
        kernel = _perlin_jit_kernel(jit, "pnoise3", repeats, noct, pers, lac, b, maxabs)
        return _evaluate(kernel, arrays, shape, scalar, _JIT_CORNERS)
    kernel = _perlin_kernel(_perlin3, repeats, noct, pers, lac, b, maxabs)
    return _evaluate(kernel, arrays, shape, scalar, 8)


def _tile_repeat(name: str, value: object) -> np.float32 | None:
    if value is None:
        return None
    r = _real_arg(name, value)
    if r == _f32(FLT_MAX):  # the C default: no tiling
        return None
    if not np.isfinite(r) or r == 0:
        raise ValueError(
            f"{name} must be finite and non-zero (as float32), or None for no tiling, got {value!r}"
        )
    return r


def snoise2(
    x: ArrayLike,
    y: ArrayLike,
    octaves: int = 1,
    persistence: float = 0.5,
    lacunarity: float = 2.0,
    repeatx: float | None = None,
    repeaty: float | None = None,
    base: float = 0.0,
) -> Result:
    """2-D simplex noise (Gustavson), bit-identical to ``noise.snoise2``.

    Parameters
    ----------
    x, y : float or array_like of float
        Coordinates; any shapes that broadcast together.  Rounded to float32; must be finite.
    octaves : int, default 1
        Number of fBm octaves, ``>= 1``.
    persistence : float, default 0.5
        Amplitude ratio between successive octaves (float32, finite).
    lacunarity : float, default 2.0
        Frequency ratio between successive octaves (float32, finite).
    repeatx, repeaty : float or None, default None
        Tile periods.  ``None`` (or ``FLT_MAX``, the C default) means no tiling.  If either is
        given the function becomes 3-D (one repeat) or 4-D (both) simplex noise sampled on
        circles of that circumference with ``noise``'s approximate ``fast_sin`` -- a different
        function from the untiled one.  Must be finite and non-zero.
    base : float, default 0.0
        Offset added to both coordinates after frequency scaling (untiled), or to the hidden
        z/w coordinates (tiled).  float32, finite.

    Returns
    -------
    float or numpy.ndarray
        A Python ``float`` for scalar inputs, else a float64 array of the broadcast shape holding
        float32 values, in about ``[-1, 1]``.

    Raises
    ------
    TypeError
        If a coordinate is not real, ``octaves`` is not an int, or a float parameter is not a
        real number.
    ValueError
        If ``octaves < 1``, a repeat is zero or non-finite, any other value is non-finite, or the
        coordinate shapes do not broadcast.
    OverflowError
        If ``octaves`` does not fit in a C ``int``.
    """
    noct = _octaves_arg(octaves)
    pers = _finite_real_arg("persistence", persistence)
    lac = _finite_real_arg("lacunarity", lacunarity)
    rx = _tile_repeat("repeatx", repeatx)
    ry = _tile_repeat("repeaty", repeaty)
    zb = _finite_real_arg("base", base)
    arrays, shape, scalar, maxabs = _coords(("x", "y"), (x, y))
    jit = _jit_kernels(shape, noct)
    if jit is not None:
        freqs, amps, norm = _simplex_jit_params(noct, pers, lac)
        if rx is None and ry is None:
            kernel = _jit_kernel(jit.snoise2, zb, freqs, amps, norm)
        else:
            # float32 repeats as float64 (C: 'y * 2.0 / repeaty' in double), 0 = not tiled,
            # and the radii 'repeat * M_1_PI * 0.5' rounded to float.
            reps = [0.0 if r is None else float(r) for r in (rx, ry)]
            radii = [_f32(r * _M_1_PI * 0.5) for r in reps]
            kernel = _jit_kernel(jit.snoise2_tiled, *reps, *radii, zb, freqs, amps, norm)
        return _evaluate(kernel, arrays, shape, scalar, _JIT_CORNERS)
    if rx is None and ry is None:
        kernel = _snoise2_flat_kernel(zb, noct, pers, lac, maxabs)
        return _evaluate(kernel, arrays, shape, scalar, 3)

    # Tiled: y (then x) goes onto a circle whose cosine feeds w (then z); both start at base.
    radius = max(abs(float(r)) for r in (rx, ry) if r is not None)
    bound = max(maxabs, 1.01 * radius / np.pi) + abs(float(zb))

    def prepare(coords: list[F32]) -> list[F32]:
        xs, ys = coords
        zs = np.full((1,) * xs.ndim, zb)
        ws = zs
        if ry is not None:
            ys, cos = _circle(ys, ry)
            ws = ws + cos
        if rx is not None:
            xs, cos = _circle(xs, rx)
            zs = zs + cos
        if ry is None:
            return [xs, ys, zs]
        if rx is None:
            return [xs, ys, ws]
        return [xs, ys, zs, ws]

    noise = _simplex4 if rx is not None and ry is not None else _simplex3
    kernel = _simplex_kernel(noise, noct, pers, lac, bound, prepare)
    return _evaluate(kernel, arrays, shape, scalar, 5 if noise is _simplex4 else 4)


def snoise3(
    x: ArrayLike,
    y: ArrayLike,
    z: ArrayLike,
    octaves: int = 1,
    persistence: float = 0.5,
    lacunarity: float = 2.0,
) -> Result:
    """3-D simplex noise (Gustavson), bit-identical to ``noise.snoise3``.

    Parameters
    ----------
    x, y, z : float or array_like of float
        Coordinates; any shapes that broadcast together.  Rounded to float32; must be finite.
    octaves : int, default 1
        Number of fBm octaves, ``>= 1``.
    persistence : float, default 0.5
        Amplitude ratio between successive octaves (float32, finite).
    lacunarity : float, default 2.0
        Frequency ratio between successive octaves (float32, finite).

    Returns
    -------
    float or numpy.ndarray
        A Python ``float`` for scalar inputs, else a float64 array of the broadcast shape holding
        float32 values, in about ``[-0.98, 0.98]``.

    Raises
    ------
    TypeError
        If a coordinate is not real, ``octaves`` is not an int, or ``persistence``/
        ``lacunarity`` is not a real number.
    ValueError
        If ``octaves < 1``, any value is non-finite, or the coordinate shapes do not broadcast.
    OverflowError
        If ``octaves`` does not fit in a C ``int``.
    """
    noct = _octaves_arg(octaves)
    pers = _finite_real_arg("persistence", persistence)
    lac = _finite_real_arg("lacunarity", lacunarity)
    arrays, shape, scalar, maxabs = _coords(("x", "y", "z"), (x, y, z))
    jit = _jit_kernels(shape, noct)
    if jit is not None:
        kernel = _jit_kernel(jit.snoise3, *_simplex_jit_params(noct, pers, lac))
        return _evaluate(kernel, arrays, shape, scalar, _JIT_CORNERS)
    kernel = _simplex_kernel(_simplex3, noct, pers, lac, maxabs)
    return _evaluate(kernel, arrays, shape, scalar, 4)


def snoise4(
    x: ArrayLike,
    y: ArrayLike,
    z: ArrayLike,
    w: ArrayLike,
    octaves: int = 1,
    persistence: float = 0.5,
    lacunarity: float = 2.0,
) -> Result:
    """4-D simplex noise (Gustavson), bit-identical to ``noise.snoise4``.

    Parameters
    ----------
    x, y, z, w : float or array_like of float
        Coordinates; any shapes that broadcast together.  Rounded to float32; must be finite.
    octaves : int, default 1
        Number of fBm octaves, ``>= 1``.
    persistence : float, default 0.5
        Amplitude ratio between successive octaves (float32, finite).
    lacunarity : float, default 2.0
        **Ignored**, like in ``noise`` 1.2.2 (its argument parser never stores it): the
        frequency always doubles per octave.  Still type-checked as a real number.

    Returns
    -------
    float or numpy.ndarray
        A Python ``float`` for scalar inputs, else a float64 array of the broadcast shape holding
        float32 values, in about ``[-0.99, 0.99]``.

    Raises
    ------
    TypeError
        If a coordinate is not real, ``octaves`` is not an int, or ``persistence``/
        ``lacunarity`` is not a real number.
    ValueError
        If ``octaves < 1``, a coordinate or ``persistence`` is non-finite, or the coordinate
        shapes do not broadcast.
    OverflowError
        If ``octaves`` does not fit in a C ``int``.
    """
    noct = _octaves_arg(octaves)
    pers = _finite_real_arg("persistence", persistence)
    _real_arg("lacunarity", lacunarity)  # parsed by noise, then ignored (quirk)
    arrays, shape, scalar, maxabs = _coords(("x", "y", "z", "w"), (x, y, z, w))
    jit = _jit_kernels(shape, noct)
    if jit is not None:
        kernel = _jit_kernel(jit.snoise4, *_simplex_jit_params(noct, pers, _f32(2.0)))
        return _evaluate(kernel, arrays, shape, scalar, _JIT_CORNERS)
    kernel = _simplex_kernel(_simplex4, noct, pers, _f32(2.0), maxabs)
    return _evaluate(kernel, arrays, shape, scalar, 5)
