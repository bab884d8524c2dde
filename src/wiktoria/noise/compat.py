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

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from wiktoria.noise._compat_args import (
    _base_arg,
    _fbm_args,
    _finite_real_arg,
    _float_repeat,
    _int_arg,
    _tile_repeat,
)
from wiktoria.noise._compat_driver import (
    _jit_kernel,
    _perlin_jit_kernel,
    _run,
    _simplex_jit_params,
)
from wiktoria.noise._compat_kernels import (
    Kernel,
    PerlinNoise,
    PerlinPlan,
    SimplexNoise,
    _c_int_scalar,
    _circle,
    _perlin1,
    _perlin2,
    _perlin3,
    _perlin_kernel,
    _perlin_plan,
    _simplex3,
    _simplex4,
    _simplex_kernel,
    _snoise2_flat_kernel,
)
from wiktoria.noise._compat_tables import (
    _M_1_PI,
    F32,
    FLT_MAX,
    Result,
    _f32,
)

__all__ = ["FLT_MAX", "pnoise1", "pnoise2", "pnoise3", "snoise2", "snoise3", "snoise4"]

# --------------------------------------------------------------------------------------------
# Public API.  The six functions share their fBm parameters, result and errors: the docstrings
# take those sections from _DOC, and the bodies check the arguments in noise's order, then run
# the compiled or the numpy kernel through _run.
# --------------------------------------------------------------------------------------------
_DOC = {
    "fbm": """octaves : int, default 1
        Number of fBm octaves, ``>= 1``.
    persistence : float, default 0.5
        Amplitude ratio between successive octaves (float32, finite).
    lacunarity : float, default 2.0
        Frequency ratio between successive octaves (float32, finite).""",
    "coords": "Coordinates; any shapes that broadcast together.  Rounded to float32; must be "
              "finite.",
    "result": """float or numpy.ndarray
        A Python ``float`` for scalar inputs, else a float64 array of the broadcast shape holding
        float32 values""",
    "overflow": """OverflowError
        If an int argument does not fit in a C ``int``.""",
}


def _doc(func: Callable[..., Result]) -> Callable[..., Result]:
    """Fill the shared sections (``{fbm}``, ``{coords}``, ...) of a public docstring."""
    func.__doc__ = (func.__doc__ or "").format(**_DOC)
    return func


def _pnoise(
    name: str,
    noise: PerlinNoise,
    corners: int,
    coords: dict[str, ArrayLike],
    fbm: tuple[int, np.float32, np.float32],
    repeats: Callable[[np.float32, bool], tuple[Any, ...]],
    base: int,
) -> Result:
    """A pnoise function: the fBm loop of ``_perlin.c`` around ``noise``."""
    noct, pers, lac = fbm

    def plan(maxabs: float) -> tuple[PerlinPlan, np.float32]:
        return _perlin_plan(repeats, noct, pers, lac, maxabs)

    return _run(
        tuple(coords), tuple(coords.values()), noct,
        lambda jit, maxabs: _perlin_jit_kernel(jit, name, *plan(maxabs), base),
        lambda maxabs: _perlin_kernel(noise, *plan(maxabs), base),
        corners,
    )


@_doc
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
    {fbm}
    repeat : int, default 1024
        Lattice period; per octave ``int(repeat * lacunarity**k)`` (C truncation).  Tiling is
        broken for negative ``x`` unless it is a multiple of 256 (``noise`` quirk).
    base : int, default 0
        Hash offset; ``pnoise1(x, base=b)`` uses the hash of cell ``i + b``.  ``0..256`` only.

    Returns
    -------
    {result}.  Range about ``[-0.952, 0.952]``; exactly 0 at integers.

    Raises
    ------
    TypeError
        If ``x`` is not real, or ``octaves``/``repeat``/``base`` is not an int, or
        ``persistence``/``lacunarity`` is not a real number.
    ValueError
        If ``octaves < 1``, ``base`` is outside ``0..256``, ``repeat == 0`` (or becomes 0 for
        an octave), or any value is non-finite.
    {overflow}
    """
    fbm = _fbm_args(octaves, persistence, lacunarity)
    rep = _int_arg("repeat", repeat)
    if rep == 0:
        raise ValueError("repeat must be a non-zero int, got 0 (noise would divide by zero)")
    b = _base_arg("pnoise1", base, 256) & 255  # PERM[(i & 255) + 256] == PERM[i & 255]

    def repeats(freq: np.float32, single: bool) -> tuple[int]:
        if single:
            return (rep,)
        with np.errstate(over="ignore"):
            r = _c_int_scalar(_f32(rep) * freq)
        if r == 0:
            raise ValueError(
                f"lacunarity={float(fbm[2])!r} makes the per-octave repeat int(repeat * freq) "
                f"zero (repeat={rep}, freq={float(freq)!r}); noise would divide by zero"
            )
        return (r,)

    return _pnoise("pnoise1", _perlin1, 2, {"x": x}, fbm, repeats, b)


@_doc
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
        {coords}
        A grid given as ``(1, W)`` and ``(H, 1)`` is evaluated separably and fast.
    {fbm}
    repeatx, repeaty : float, default 1024.0
        Lattice periods (float32; per octave ``repeat * lacunarity**k`` as a float).  Non-integer
        values wrap the lattice index but not the fraction (jumps, ``noise`` quirk); ``inf``
        disables wrapping.  Must be non-zero and not NaN.
    base : int, default 0
        Diagonal lattice shift; only ``0`` and ``1`` are in bounds.

    Returns
    -------
    {result}.  Range about ``[-1, 1]``; exactly 0 at integer points.

    Raises
    ------
    TypeError
        If a coordinate is not real, ``octaves``/``base`` is not an int, or a float parameter is
        not a real number.
    ValueError
        If ``octaves < 1``, ``base`` is not 0 or 1, a repeat is 0 or NaN, any other value is
        non-finite, or the coordinate shapes do not broadcast.
    {overflow}
    """
    fbm = _fbm_args(octaves, persistence, lacunarity)
    rx = _float_repeat("repeatx", repeatx)
    ry = _float_repeat("repeaty", repeaty)
    b = _base_arg("pnoise2", base, 1)

    def repeats(freq: np.float32, single: bool) -> tuple[np.float32, np.float32]:
        with np.errstate(over="ignore"):
            return rx * freq, ry * freq

    return _pnoise("pnoise2", _perlin2, 4, {"x": x, "y": y}, fbm, repeats, b)


@_doc
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
        {coords}
    {fbm}
    repeatx, repeaty, repeatz : int, default 1024
        Lattice periods (per octave ``int(repeat * lacunarity**k)``); non-zero.
    base : int, default 0
        Diagonal lattice shift; only ``0`` and ``1`` are in bounds.

    Returns
    -------
    {result}.  Range about ``[-1.0003, 1]``; exactly 0 at integer points.
        ``pnoise3(x, y, 0) == pnoise2(x, y)`` for the default repeats and base 0.

    Raises
    ------
    TypeError
        If a coordinate is not real, ``octaves``/a repeat/``base`` is not an int, or
        ``persistence``/``lacunarity`` is not a real number.
    ValueError
        If ``octaves < 1``, ``base`` is not 0 or 1, a repeat is 0, any value is non-finite, or
        the coordinate shapes do not broadcast.
    {overflow}
    """
    fbm = _fbm_args(octaves, persistence, lacunarity)
    reps = []
    for name, value in (("repeatx", repeatx), ("repeaty", repeaty), ("repeatz", repeatz)):
        r = _int_arg(name, value)
        if r == 0:
            raise ValueError(f"{name} must be a non-zero int, got 0")
        reps.append(r)
    b = _base_arg("pnoise3", base, 1)

    def repeats(freq: np.float32, single: bool) -> tuple[np.float32, ...]:
        if single:  # octaves == 1 passes the ints straight through; fmodf sees (float)repeat
            return tuple(_f32(r) for r in reps)
        with np.errstate(over="ignore"):
            return tuple(_f32(_c_int_scalar(_f32(r) * freq)) for r in reps)

    return _pnoise("pnoise3", _perlin3, 8, {"x": x, "y": y, "z": z}, fbm, repeats, b)


@_doc
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
        {coords}
    {fbm}
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
    {result}, in about ``[-1, 1]``.

    Raises
    ------
    TypeError
        If a coordinate is not real, ``octaves`` is not an int, or a float parameter is not a
        real number.
    ValueError
        If ``octaves < 1``, a repeat is zero or non-finite, any other value is non-finite, or the
        coordinate shapes do not broadcast.
    {overflow}
    """
    noct, pers, lac = _fbm_args(octaves, persistence, lacunarity)
    rx = _tile_repeat("repeatx", repeatx)
    ry = _tile_repeat("repeaty", repeaty)
    zb = _finite_real_arg("base", base)
    names, values = ("x", "y"), (x, y)
    if rx is None and ry is None:
        return _run(
            names, values, noct,
            lambda jit, _: _jit_kernel(jit.snoise2, zb, *_simplex_jit_params(noct, pers, lac)),
            lambda maxabs: _snoise2_flat_kernel(zb, noct, pers, lac, maxabs),
            3,
        )

    def compiled(jit: Any, _: float) -> Kernel:
        # float32 repeats as float64 (C: 'y * 2.0 / repeaty' in double), 0 = not tiled, and the
        # radii 'repeat * M_1_PI * 0.5' rounded to float.
        reps = [0.0 if r is None else float(r) for r in (rx, ry)]
        radii = [_f32(r * _M_1_PI * 0.5) for r in reps]
        return _jit_kernel(jit.snoise2_tiled, *reps, *radii, zb,
                           *_simplex_jit_params(noct, pers, lac))

    # Tiled: y (then x) goes onto a circle whose cosine feeds w (then z); both start at base.
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

    def numpy(maxabs: float) -> Kernel:
        radius = max(abs(float(r)) for r in (rx, ry) if r is not None)
        bound = max(maxabs, 1.01 * radius / np.pi) + abs(float(zb))
        return _simplex_kernel(noise, noct, pers, lac, bound, prepare)

    noise = _simplex4 if rx is not None and ry is not None else _simplex3
    return _run(names, values, noct, compiled, numpy, 5 if noise is _simplex4 else 4)


def _snoise(
    name: str,
    noise: SimplexNoise,
    corners: int,
    coords: dict[str, ArrayLike],
    fbm: tuple[int, np.float32, np.float32],
) -> Result:
    """snoise3 or snoise4: the fBm loop of ``_simplex.c`` around ``noise``."""
    noct, pers, lac = fbm
    return _run(
        tuple(coords), tuple(coords.values()), noct,
        lambda jit, _: _jit_kernel(getattr(jit, name), *_simplex_jit_params(noct, pers, lac)),
        lambda maxabs: _simplex_kernel(noise, noct, pers, lac, maxabs),
        corners,
    )


@_doc
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
        {coords}
    {fbm}

    Returns
    -------
    {result}, in about ``[-0.98, 0.98]``.

    Raises
    ------
    TypeError
        If a coordinate is not real, ``octaves`` is not an int, or ``persistence``/
        ``lacunarity`` is not a real number.
    ValueError
        If ``octaves < 1``, any value is non-finite, or the coordinate shapes do not broadcast.
    {overflow}
    """
    fbm = _fbm_args(octaves, persistence, lacunarity)
    return _snoise("snoise3", _simplex3, 4, {"x": x, "y": y, "z": z}, fbm)


@_doc
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
        {coords}
    octaves : int, default 1
        Number of fBm octaves, ``>= 1``.
    persistence : float, default 0.5
        Amplitude ratio between successive octaves (float32, finite).
    lacunarity : float, default 2.0
        **Ignored**, like in ``noise`` 1.2.2 (its argument parser never stores it): the
        frequency always doubles per octave.  Still type-checked as a real number.

    Returns
    -------
    {result}, in about ``[-0.99, 0.99]``.

    Raises
    ------
    TypeError
        If a coordinate is not real, ``octaves`` is not an int, or ``persistence``/
        ``lacunarity`` is not a real number.
    ValueError
        If ``octaves < 1``, a coordinate or ``persistence`` is non-finite, or the coordinate
        shapes do not broadcast.
    {overflow}
    """
    fbm = _fbm_args(octaves, persistence, lacunarity, ignore_lacunarity=True)  # noise's quirk
    return _snoise("snoise4", _simplex4, 5, {"x": x, "y": y, "z": z, "w": w}, fbm)
