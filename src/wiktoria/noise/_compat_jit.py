"""Internal: numba kernels for ``wiktoria.noise.compat`` (its compiled backend, the ``fast`` extra).

Each kernel computes exactly the C operations of the ``noise`` 1.2.2 extension (``_perlin.c``,
``_simplex.c``) that ``compat``'s numpy code reproduces: float32 arithmetic in C order (no
fast-math, no fused multiply-add), integer lattice arithmetic with C semantics (truncating
``(int)`` casts that give ``INT_MIN`` when out of range or NaN, truncating ``%``, ``fmodf``,
``& 255``), so both backends are **bit-identical** to the C extension, to the sign of zero
(C's pnoise fBm sum starts at ``0.0f``, which turns a ``-0.0`` into ``+0.0``);
``tests/noise/test_compat_accel.py`` checks it.

The kernels are called by ``_compat_driver._evaluate`` on the shared thread pool, one call per
block of points (hence ``nogil``).  Inside, the whole fBm octave loop runs over sub-blocks of
``_STEP`` points whose coordinates and running sums stay in L1: octave by octave, the point loop
has no inner loop and no branch that depends on the point, so LLVM vectorises it (SIMD across
points, with gathers for the table lookups).  That is about twice as fast as running the octave
loop per point, which keeps everything in registers but is scalar code.  ``compat`` prepares
the per-octave plan in Python, with the same float32 scalar arithmetic as its numpy path, and
passes it as small arrays.

Numba notes: the lookup tables are module globals, which numba freezes into the compiled code.
Only the per-octave helpers ``_octave1/2/3`` and ``_fbm3/4`` take arrays (the sub-block), and
they are inlined one level deep into the kernels; everything below them takes scalars (an
array passed from one inlined helper to another gets reference counting in the loop).  Every
constant is a ``np.float32`` so that no operation is promoted to float64 unless the C code does
so.  Data-dependent ``if``\\ s of the C code (``if (f > 0)`` of the simplex corners) are
written as "compute, then select", which is exact and compiles to branch-free code.

Why one long module: it is the compiled twin of ``_compat_kernels`` (the port of ``_perlin.c``
and ``_simplex.c``), kept in one file because numba's disk cache is keyed on the file that
defines the kernels (a second file of inlined helpers would not invalidate it when changed),
and because ``tests/test_doctests.py`` names this module to skip it without numba.  The three
pnoise and four snoise kernels stay separate functions on purpose: each is specialised to its
dimension and its octave helpers are inlined with constant lattice modes (see ``_octave1``),
which a shared, dimension-generic driver would lose.

Arguments shared by the kernels
-------------------------------
x, y, z, w : float32 arrays, shape (n,)
    Coordinates (already rounded to float32, contiguous).
freqs, amps : float32 arrays, shape (octaves,)
    Frequency and amplitude of each octave (``freqs[0] == amps[0] == 1``).
norm : float32
    Sum of the amplitudes; the fBm sum is divided by it (C ``total / max``) when
    ``octaves > 1``.
out : float32 array, shape (n,)
    Result.

The Perlin kernels also take ``reps`` (per-octave lattice repeats, shape (octaves,) of C ints
for pnoise1, (octaves, d) of float32 for pnoise2/3), ``modes`` (uint8, same shape: how to
compute the lattice index along that axis, see ``_cells``), ``base`` (int) and ``single``
(``octaves == 1``: the C code returns the noise value itself, without the fBm sum
``0.0f + n * amp`` and the division).
"""

from __future__ import annotations

import numba as nb
import numpy as np

# The tables and float32 constants are compat's own, frozen into the compiled code.  numba's
# disk cache is keyed on this file only: after changing any of them in _compat_tables.py, touch
# this file (or delete its __pycache__) so that the kernels are recompiled.
from wiktoria.noise._compat_tables import (
    _C0,
    _C04,
    _C05,
    _C06,
    _C1,
    _C6,
    _C10,
    _C15,
    _C27,
    _C32,
    _C70,
    _F2,
    _F3,
    _F4,
    _G2,
    _G2X2,
    _GRAD3,
    _GRAD4,
    _PERM,
    _SIN_P,
    _SIN_Q,
    _SIN_WRAP,
)
from wiktoria.noise._compat_tables import _G3 as _G3C
from wiktoria.noise._compat_tables import _G4 as _G4C

__all__ = [
    "MODE_FAST",
    "MODE_FMODF",
    "MODE_SPLIT",
    "pnoise1",
    "pnoise2",
    "pnoise3",
    "snoise2",
    "snoise2_tiled",
    "snoise3",
    "snoise4",
]

_jit = nb.njit(cache=True, nogil=True, error_model="numpy")
_inline = nb.njit(cache=True, nogil=True, error_model="numpy", inline="always")

#: Points per sub-block: coordinates and running sums stay in L1 across the octave loop.
_STEP = 512

#: Lattice index modes (``modes`` argument of the Perlin kernels), chosen per octave and axis
#: by ``compat`` with the rules of its numpy path: ``MODE_FAST`` when the repeat cannot change
#: the low byte of the index (a multiple of 256), ``MODE_SPLIT`` when ``fmodf`` is computed
#: exactly in float64 (quotients below 2**28), else ``MODE_FMODF`` (libm ``fmodf``, or C ``%``
#: in pnoise1, which has no ``MODE_SPLIT``).
MODE_FMODF = 0
MODE_SPLIT = 1
MODE_FAST = 2
_FAST = MODE_FAST
_SPLIT = MODE_SPLIT


def _table(values: np.ndarray, dtype: type = np.float32) -> np.ndarray:
    out = np.ascontiguousarray(values, dtype=dtype)
    out.flags.writeable = False
    return out


def _codes(grads: np.ndarray) -> np.ndarray:
    """Gradient rows of 0 / +-1 packed two bits per component (``g + 1``), as uint32."""
    g = grads.astype(np.int64) + 1
    return _table((g << (2 * np.arange(g.shape[1]))).sum(axis=1), np.uint32)


# noise's PERM table: the 256-entry permutation written out twice, as in _noise.h.  Every index
# the C code forms (after its own '& 255') is below 512.  uint32: unsigned, so numba needs no
# negative-index check, and 32-bit, so the vectorised loops can gather it directly.
_PERM2 = np.concatenate([_PERM, _PERM])
_P = _table(_PERM2, np.uint32)
# Gradients of the hash PERM[u], indexed by u (fusing the last lookup), packed: component c is
# ((code >> 2c) & 3) - 1, exactly the table's float.  _perlin.c: GRAD3[hash & 15] (and grad1:
# (hash & 7) + 1, or -1 if hash & 8); _simplex.c: GRAD3[hash % 12] and GRAD4[hash & 31].
_P1_SLOPE = _table(np.where(_PERM2 & 8, -1.0, (_PERM2 & 7) + 1.0))
_P_CODE3 = _codes(_GRAD3[_PERM2 & 15])
_S_CODE3 = _codes(_GRAD3[_PERM2 % 12])
_S_CODE4 = _codes(_GRAD4[_PERM2 & 31])

_G3X2 = np.float32(2.0) * _G3C
_G3X3 = np.float32(3.0) * _G3C
_G4X2 = np.float32(2.0) * _G4C
_G4X3 = np.float32(3.0) * _G4C
_G4X4 = np.float32(4.0) * _G4C
_TWO31 = np.float32(2.0**31)
_INT_MIN = -(2**31)


# ------------------------------------------------------------------------------ C arithmetic
@_inline
def _c_int(v):  # type: ignore[no-untyped-def]
    """C ``(int)v`` of a float32 on x86-64: truncation; NaN or out of range -> INT_MIN."""
    return np.int64(v) if abs(v) < _TWO31 else np.int64(_INT_MIN)


@_inline
def _c_mod(a, b):  # type: ignore[no-untyped-def]
    """C ``a % b`` for ints (truncating: the result has the sign of ``a``)."""
    r = abs(a) % abs(b)
    return -r if a < 0 else r


@_inline
def _fmodf(x, r, mode):  # type: ignore[no-untyped-def]
    """Exact C ``fmodf(x, r)`` for float32 ``x`` and ``r``.

    ``MODE_SPLIT`` (``|x / r| < 2**28``, ``r`` finite): the float64 quotient truncates exactly,
    ``q * r`` is exact and so is the difference (``_compat_kernels._fmodf``); else libm ``fmodf``.
    """
    if mode == MODE_SPLIT:
        xd = np.float64(x)
        rd = np.float64(r)
        return np.float32(xd - np.trunc(xd / rd) * rd)
    return np.fmod(x, r)


@_inline
def _grad(code, c):  # type: ignore[no-untyped-def]
    """Component ``c`` of a packed gradient (0.0, 1.0 or -1.0)."""
    return np.float32(np.int64((code >> (2 * c)) & 3) - 1)


@_inline
def _fade(t):  # type: ignore[no-untyped-def]
    """``t*t*t * (t * (t * 6 - 15) + 10)`` in C float order."""
    return ((t * t) * t) * (t * (t * _C6 - _C15) + _C10)


@_inline
def _lerp(t, a, b):  # type: ignore[no-untyped-def]
    """The C macro ``lerp(t, a, b)``: ``a + t * (b - a)``."""
    return a + t * (b - a)


# ----------------------------------------------------------------------------- Perlin noise
@_inline
def _cells(x, r, mode, base):  # type: ignore[no-untyped-def]
    """pnoise2/3 lattice: ``i = (int)floorf(fmodf(x, r)); ii = (int)fmodf(i + 1, r)``,
    each ``(& 255) + base``."""
    if mode == MODE_FAST:  # fmodf cannot change the low byte (_compat_kernels._float_cells_fast)
        i = _c_int(np.floor(x)) & 255
        ii = (i + 1) & 255
    else:
        ic = _c_int(np.floor(_fmodf(x, r, mode)))
        i = ic & 255
        ii = _c_int(_fmodf(np.float32(ic + 1), r, mode)) & 255
    return i + base, ii + base


@_inline
def _grad2(u, x, y):  # type: ignore[no-untyped-def]
    """``grad2(PERM[u], x, y)`` of _perlin.c: ``x * GRAD3[h][0] + y * GRAD3[h][1]``."""
    code = _P_CODE3[u]
    return x * _grad(code, 0) + y * _grad(code, 1)


@_inline
def _grad3(u, x, y, z):  # type: ignore[no-untyped-def]
    """``grad3(PERM[u], x, y, z)`` of _perlin.c."""
    code = _P_CODE3[u]
    return (x * _grad(code, 0) + y * _grad(code, 1)) + z * _grad(code, 2)


@_inline
def _noise1(x, repeat, mode, base):  # type: ignore[no-untyped-def]
    """``noise1`` of _perlin.c (``base`` already reduced modulo 256)."""
    fl = np.floor(x)
    if mode == MODE_FAST:  # repeat is a multiple of 256 (_compat_kernels._int_cells_fast)
        i = _c_int(fl) & 255
        ii = (i + 1) & 255
    else:
        ic = _c_mod(_c_int(fl), repeat)
        i = ic & 255
        ii = _c_mod(ic + 1, repeat) & 255
    i = (i + base) & 255
    ii = (ii + base) & 255
    x = x - fl
    fx = _fade(x)
    return _lerp(fx, _P1_SLOPE[i] * x, _P1_SLOPE[ii] * (x - _C1)) * _C04


@_inline
def _noise2(x, y, rx, ry, modex, modey, base):  # type: ignore[no-untyped-def]
    """``noise2`` of _perlin.c."""
    i, ii = _cells(x, rx, modex, base)
    j, jj = _cells(y, ry, modey, base)
    x = x - np.floor(x)
    y = y - np.floor(y)
    fx = _fade(x)
    fy = _fade(y)
    a = _P[i]
    aa = _P[a + j]
    ab = _P[a + jj]
    b = _P[ii]
    ba = _P[b + j]
    bb = _P[b + jj]
    x1 = x - _C1
    y1 = y - _C1
    return _lerp(
        fy,
        _lerp(fx, _grad2(aa, x, y), _grad2(ba, x1, y)),
        _lerp(fx, _grad2(ab, x, y1), _grad2(bb, x1, y1)),
    )


@_inline
def _noise3(x, y, z, rx, ry, rz, modex, modey, modez, base):  # type: ignore[no-untyped-def]
    """``noise3`` of _perlin.c."""
    i, ii = _cells(x, rx, modex, base)
    j, jj = _cells(y, ry, modey, base)
    k, kk = _cells(z, rz, modez, base)
    x = x - np.floor(x)
    y = y - np.floor(y)
    z = z - np.floor(z)
    fx = _fade(x)
    fy = _fade(y)
    fz = _fade(z)
    a = _P[i]
    aa = _P[a + j]
    ab = _P[a + jj]
    b = _P[ii]
    ba = _P[b + j]
    bb = _P[b + jj]
    x1 = x - _C1
    y1 = y - _C1
    z1 = z - _C1
    return _lerp(
        fz,
        _lerp(
            fy,
            _lerp(fx, _grad3(aa + k, x, y, z), _grad3(ba + k, x1, y, z)),
            _lerp(fx, _grad3(ab + k, x, y1, z), _grad3(bb + k, x1, y1, z)),
        ),
        _lerp(
            fy,
            _lerp(fx, _grad3(aa + kk, x, y, z1), _grad3(ba + kk, x1, y, z1)),
            _lerp(fx, _grad3(ab + kk, x, y1, z1), _grad3(bb + kk, x1, y1, z1)),
        ),
    )


# The pnoise fBm loop of _perlin.c: total = 0.0f; total += noise(x * freq, ...) * amp for each
# octave; total / max.  With a single octave the C code returns noise(x, ...) itself.
#
# The running sums of a sub-block live in a local array ('acc'): a store to 'out', which
# numba cannot prove distinct from the coordinates, kept LLVM from vectorising.  An octave
# whose axes share one mode (MODE_FAST for the default repeats) is run with that mode as a
# constant: LLVM does not unswitch the point loop on the mode by itself, and the vectorised
# loop then if-converts the branch and evaluates fmodf for every point (four times slower).
@_inline
def _octave1(acc, xb, m, f, amp, first, single, r, mode, base):  # type: ignore[no-untyped-def]
    """One pnoise1 octave over a sub-block (``f == 1`` for the first octave)."""
    for q in range(m):
        v = _noise1(xb[q] * f, r, mode, base)
        if first:
            acc[q] = v if single else _C0 + v * amp
        else:
            acc[q] = acc[q] + v * amp


@_inline
def _octave2(acc, xb, yb, m, f, amp, first, single, rx, ry, mx, my, base):  # type: ignore[no-untyped-def]
    """One pnoise2 octave over a sub-block."""
    for q in range(m):
        v = _noise2(xb[q] * f, yb[q] * f, rx, ry, mx, my, base)
        if first:
            acc[q] = v if single else _C0 + v * amp
        else:
            acc[q] = acc[q] + v * amp


@_inline
def _octave3(acc, xb, yb, zb, m, f, amp, first, single, rx, ry, rz, mx, my, mz, base):  # type: ignore[no-untyped-def]
    """One pnoise3 octave over a sub-block."""
    for q in range(m):
        v = _noise3(xb[q] * f, yb[q] * f, zb[q] * f, rx, ry, rz, mx, my, mz, base)
        if first:
            acc[q] = v if single else _C0 + v * amp
        else:
            acc[q] = acc[q] + v * amp


@_jit
def pnoise1(x, freqs, amps, reps, modes, base, norm, single, out):  # type: ignore[no-untyped-def]
    """``noise.pnoise1`` at the points ``x``; ``reps`` are the per-octave C int repeats."""
    n = out.shape[0]
    octaves = freqs.shape[0]
    acc = np.empty(_STEP, dtype=np.float32)
    for a in range(0, n, _STEP):
        m = min(n - a, _STEP)
        xb = x[a : a + m]
        for o in range(octaves):
            f = freqs[o]
            amp = amps[o]
            r = reps[o]
            mode = modes[o]
            if mode == MODE_FAST:
                _octave1(acc, xb, m, f, amp, o == 0, single, r, MODE_FAST, base)
            else:
                _octave1(acc, xb, m, f, amp, o == 0, single, r, mode, base)
        for q in range(m):
            out[a + q] = acc[q] if single else acc[q] / norm


@_jit
def pnoise2(x, y, freqs, amps, reps, modes, base, norm, single, out):  # type: ignore[no-untyped-def]
    """``noise.pnoise2``; ``reps`` (octaves, 2) float32 repeats, ``modes`` (octaves, 2)."""
    n = out.shape[0]
    octaves = freqs.shape[0]
    acc = np.empty(_STEP, dtype=np.float32)
    for a in range(0, n, _STEP):
        m = min(n - a, _STEP)
        xb = x[a : a + m]
        yb = y[a : a + m]
        for o in range(octaves):
            f = freqs[o]
            amp = amps[o]
            rx = reps[o, 0]
            ry = reps[o, 1]
            mx = modes[o, 0]
            my = modes[o, 1]
            first = o == 0
            if mx == MODE_FAST and my == MODE_FAST:
                _octave2(acc, xb, yb, m, f, amp, first, single, rx, ry, _FAST, _FAST, base)
            elif mx == MODE_SPLIT and my == MODE_SPLIT:
                _octave2(acc, xb, yb, m, f, amp, first, single, rx, ry, _SPLIT, _SPLIT, base)
            else:
                _octave2(acc, xb, yb, m, f, amp, first, single, rx, ry, mx, my, base)
        for q in range(m):
            out[a + q] = acc[q] if single else acc[q] / norm


@_jit
def pnoise3(x, y, z, freqs, amps, reps, modes, base, norm, single, out):  # type: ignore[no-untyped-def]
    """``noise.pnoise3``; ``reps`` (octaves, 3) float32 (C ints as float), ``modes`` likewise."""
    n = out.shape[0]
    octaves = freqs.shape[0]
    acc = np.empty(_STEP, dtype=np.float32)
    for a in range(0, n, _STEP):
        m = min(n - a, _STEP)
        xb = x[a : a + m]
        yb = y[a : a + m]
        zb = z[a : a + m]
        for o in range(octaves):
            f = freqs[o]
            amp = amps[o]
            rx = reps[o, 0]
            ry = reps[o, 1]
            rz = reps[o, 2]
            mx = modes[o, 0]
            my = modes[o, 1]
            mz = modes[o, 2]
            first = o == 0
            if mx == MODE_FAST and my == MODE_FAST and mz == MODE_FAST:
                _octave3(acc, xb, yb, zb, m, f, amp, first, single, rx, ry, rz,
                         _FAST, _FAST, _FAST, base)
            elif mx == MODE_SPLIT and my == MODE_SPLIT and mz == MODE_SPLIT:
                _octave3(acc, xb, yb, zb, m, f, amp, first, single, rx, ry, rz,
                         _SPLIT, _SPLIT, _SPLIT, base)
            else:
                _octave3(acc, xb, yb, zb, m, f, amp, first, single, rx, ry, rz, mx, my, mz, base)
        for q in range(m):
            out[a + q] = acc[q] if single else acc[q] / norm


# ---------------------------------------------------------------------------- simplex noise
# The corners compute their contribution unconditionally and then select it: the C
# 'if (f > 0)' is unpredictable, and a select keeps the point loop vectorisable.  The selected
# value is exactly the C one (0.0f when the corner is skipped).
@_inline
def _corner2(x, y, u):  # type: ignore[no-untyped-def]
    """One corner of noise2: ``f^4 * (GRAD3[g][0] * x + GRAD3[g][1] * y)`` if ``f > 0``, with
    ``g = PERM[u] % 12``."""
    code = _S_CODE3[u]
    f = (_C05 - x * x) - y * y
    v = (((f * f) * f) * f) * (_grad(code, 0) * x + _grad(code, 1) * y)
    return v if f > _C0 else _C0


@_inline
def _simplex2(x, y):  # type: ignore[no-untyped-def]
    """``noise2`` of _simplex.c."""
    s = (x + y) * _F2
    i = np.floor(x + s)
    j = np.floor(y + s)
    t = (i + j) * _G2
    x0 = x - (i - t)
    y0 = y - (j - t)
    i1 = np.int64(x0 > y0)
    j1 = np.int64(x0 <= y0)
    x2 = (x0 + _G2X2) - _C1
    y2 = (y0 + _G2X2) - _C1
    x1 = (x0 - np.float32(i1)) + _G2
    y1 = (y0 - np.float32(j1)) + _G2
    ii = _c_int(i) & 255
    jj = _c_int(j) & 255
    n0 = _corner2(x0, y0, ii + _P[jj])
    n1 = _corner2(x1, y1, ii + i1 + _P[jj + j1])
    n2 = _corner2(x2, y2, ii + 1 + _P[jj + 1])
    return ((n0 + n1) + n2) * _C70


@_inline
def _corner3(x, y, z, u):  # type: ignore[no-untyped-def]
    """One corner of noise3: ``f^4 * dot3(pos, GRAD3[PERM[u] % 12])`` if ``f > 0``, else 0."""
    code = _S_CODE3[u]
    f = ((_C06 - x * x) - y * y) - z * z
    d = (x * _grad(code, 0) + y * _grad(code, 1)) + z * _grad(code, 2)
    v = (((f * f) * f) * f) * d
    return v if f > _C0 else _C0


@_inline
def _corner3_at(x0, y0, z0, ii, jj, kk, ox, oy, oz, g):  # type: ignore[no-untyped-def]
    """Corner ``(ox, oy, oz)`` (0 or 1 each) of noise3's simplex, ``g = k * G3`` for corner k:
    ``(x0 - ox) + g`` etc., hashed ``PERM[I + ox + PERM[J + oy + PERM[K + oz]]]``."""
    return _corner3(
        (x0 - np.float32(ox)) + g,
        (y0 - np.float32(oy)) + g,
        (z0 - np.float32(oz)) + g,
        ii + ox + _P[jj + oy + _P[kk + oz]],
    )


@_inline
def _simplex3(x, y, z):  # type: ignore[no-untyped-def]
    """``noise3`` of _simplex.c."""
    s = ((x + y) + z) * _F3
    i = np.floor(x + s)
    j = np.floor(y + s)
    k = np.floor(z + s)
    t = ((i + j) + k) * _G3C
    x0 = x - (i - t)
    y0 = y - (j - t)
    z0 = z - (k - t)
    # Corner offsets o1, o2 of the C branch table (x0 >= y0, then y0 >= z0 / x0 >= z0), as
    # branch-free logic like compat's numpy path.  The two differ only if a comparison involves
    # NaN, and then every corner is skipped ('f > 0' is false), so the result is the same.
    ge_xy = np.int64(x0 >= y0)
    ge_yz = np.int64(y0 >= z0)
    ge_xz = np.int64(x0 >= z0)
    o1x = ge_xy & (ge_yz | ge_xz)
    o1y = (1 - ge_xy) & ge_yz
    o1z = 1 - (o1x | o1y)
    o2x = ge_xy | (ge_yz & ge_xz)
    o2y = (1 - ge_xy) | ge_yz
    o2z = 1 - (o2x & o2y)
    ii = _c_int(i) & 255
    jj = _c_int(j) & 255
    kk = _c_int(k) & 255
    n0 = _corner3(x0, y0, z0, ii + _P[jj + _P[kk]])
    n1 = _corner3_at(x0, y0, z0, ii, jj, kk, o1x, o1y, o1z, _G3C)
    n2 = _corner3_at(x0, y0, z0, ii, jj, kk, o2x, o2y, o2z, _G3X2)
    n3 = _corner3_at(x0, y0, z0, ii, jj, kk, 1, 1, 1, _G3X3)
    return (((n0 + n1) + n2) + n3) * _C32


@_inline
def _corner4(x, y, z, w, u):  # type: ignore[no-untyped-def]
    """One corner of noise4: ``t*t * t*t * dot4(GRAD4[PERM[u] & 31], pos)`` if ``t >= 0``."""
    code = _S_CODE4[u]
    t = (((_C06 - x * x) - y * y) - z * z) - w * w
    d = ((_grad(code, 0) * x + _grad(code, 1) * y) + _grad(code, 2) * z) + _grad(code, 3) * w
    t2 = t * t
    v = (t2 * t2) * d
    return v if t >= _C0 else _C0


@_inline
def _corner4_at(x0, y0, z0, w0, ii, jj, kk, ll, oi, oj, ok, ol, g):  # type: ignore[no-untyped-def]
    """Corner ``(oi, oj, ok, ol)`` of noise4's simplex, as :func:`_corner3_at`."""
    return _corner4(
        (x0 - np.float32(oi)) + g,
        (y0 - np.float32(oj)) + g,
        (z0 - np.float32(ok)) + g,
        (w0 - np.float32(ol)) + g,
        ii + oi + _P[jj + oj + _P[kk + ok + _P[ll + ol]]],
    )


@_inline
def _simplex4(x, y, z, w):  # type: ignore[no-untyped-def]
    """``noise4`` of _simplex.c."""
    s = (((x + y) + z) + w) * _F4
    i = np.floor(x + s)
    j = np.floor(y + s)
    k = np.floor(z + s)
    m = np.floor(w + s)
    t = (((i + j) + k) + m) * _G4C
    x0 = x - (i - t)
    y0 = y - (j - t)
    z0 = z - (k - t)
    w0 = w - (m - t)
    # SIMPLEX[c] of the C code as the rank of each coordinate among the four (ties resolved
    # like its bit pattern 32(x0>y0) + 16(x0>z0) + 8(y0>z0) + 4(x0>w0) + 2(y0>w0) + (z0>w0)),
    # as in compat's numpy path.
    gxy = x0 > y0
    gxz = x0 > z0
    gyz = y0 > z0
    gxw = x0 > w0
    gyw = y0 > w0
    gzw = z0 > w0
    rx = np.int64(gxy) + np.int64(gxz) + np.int64(gxw)
    ry = np.int64(not gxy) + np.int64(gyz) + np.int64(gyw)
    rz = np.int64(not gxz) + np.int64(not gyz) + np.int64(gzw)
    rw = np.int64(not gxw) + np.int64(not gyw) + np.int64(not gzw)
    i1 = np.int64(rx >= 3)
    j1 = np.int64(ry >= 3)
    k1 = np.int64(rz >= 3)
    l1 = np.int64(rw >= 3)
    i2 = np.int64(rx >= 2)
    j2 = np.int64(ry >= 2)
    k2 = np.int64(rz >= 2)
    l2 = np.int64(rw >= 2)
    i3 = np.int64(rx >= 1)
    j3 = np.int64(ry >= 1)
    k3 = np.int64(rz >= 1)
    l3 = np.int64(rw >= 1)
    ii = _c_int(i) & 255
    jj = _c_int(j) & 255
    kk = _c_int(k) & 255
    ll = _c_int(m) & 255
    n0 = _corner4(x0, y0, z0, w0, ii + _P[jj + _P[kk + _P[ll]]])
    n1 = _corner4_at(x0, y0, z0, w0, ii, jj, kk, ll, i1, j1, k1, l1, _G4C)
    n2 = _corner4_at(x0, y0, z0, w0, ii, jj, kk, ll, i2, j2, k2, l2, _G4X2)
    n3 = _corner4_at(x0, y0, z0, w0, ii, jj, kk, ll, i3, j3, k3, l3, _G4X3)
    n4 = _corner4_at(x0, y0, z0, w0, ii, jj, kk, ll, 1, 1, 1, 1, _G4X4)
    # C: 27.0 * sum in double, rounded to float: the double product is exact, so this is the
    # correctly rounded float32 product.
    return ((((n0 + n1) + n2) + n3) + n4) * _C27


@_inline
def _fast_sin(x):  # type: ignore[no-untyped-def]
    """noise's ``fast_sin`` (argument in half turns), in float32 like the C code."""
    z = x + _SIN_WRAP
    z = z - _SIN_WRAP
    v = x - z
    y = v - abs(v) * v
    return y * (abs(y) * _SIN_P + _SIN_Q)


# The simplex fBm loops of _simplex.c: total = noise(x, ...); then for each further octave
# freq *= lacunarity, amp *= persistence, total += noise(x * freq, ...) * amp; total / max.
# _fbm3 and _fbm4 run them over a sub-block (inlined one level deep, like _octave1/2/3).
@_inline
def _fbm3(acc, xb, yb, zb, m, freqs, amps):  # type: ignore[no-untyped-def]
    """fbm_noise3's octave sum (before the division) of sub-block points ``0 .. m-1``."""
    for q in range(m):
        acc[q] = _simplex3(xb[q], yb[q], zb[q])
    for o in range(1, freqs.shape[0]):
        f = freqs[o]
        amp = amps[o]
        for q in range(m):
            acc[q] = acc[q] + _simplex3(xb[q] * f, yb[q] * f, zb[q] * f) * amp


@_inline
def _fbm4(acc, xb, yb, zb, wb, m, freqs, amps):  # type: ignore[no-untyped-def]
    """fbm_noise4's octave sum (before the division) of sub-block points ``0 .. m-1``."""
    for q in range(m):
        acc[q] = _simplex4(xb[q], yb[q], zb[q], wb[q])
    for o in range(1, freqs.shape[0]):
        f = freqs[o]
        amp = amps[o]
        for q in range(m):
            acc[q] = acc[q] + _simplex4(xb[q] * f, yb[q] * f, zb[q] * f, wb[q] * f) * amp


@_jit
def snoise2(x, y, zbase, freqs, amps, norm, out):  # type: ignore[no-untyped-def]
    """Untiled ``noise.snoise2``: ``noise2(x * freq + base, y * freq + base)``, normalised."""
    n = out.shape[0]
    octaves = freqs.shape[0]
    acc = np.empty(_STEP, dtype=np.float32)
    for a in range(0, n, _STEP):
        m = min(n - a, _STEP)
        xb = x[a : a + m]
        yb = y[a : a + m]
        for q in range(m):
            acc[q] = _simplex2(xb[q] + zbase, yb[q] + zbase)
        for o in range(1, octaves):
            f = freqs[o]
            amp = amps[o]
            for q in range(m):
                acc[q] = acc[q] + _simplex2(xb[q] * f + zbase, yb[q] * f + zbase) * amp
        for q in range(m):
            out[a + q] = acc[q] / norm


@_jit
def snoise3(x, y, z, freqs, amps, norm, out):  # type: ignore[no-untyped-def]
    """``noise.snoise3`` (``fbm_noise3``)."""
    n = out.shape[0]
    octaves = freqs.shape[0]
    acc = np.empty(_STEP, dtype=np.float32)
    for a in range(0, n, _STEP):
        m = min(n - a, _STEP)
        xb = x[a : a + m]
        yb = y[a : a + m]
        zb = z[a : a + m]
        _fbm3(acc, xb, yb, zb, m, freqs, amps)
        for q in range(m):
            out[a + q] = acc[q] / norm if octaves > 1 else acc[q]


@_jit
def snoise4(x, y, z, w, freqs, amps, norm, out):  # type: ignore[no-untyped-def]
    """``noise.snoise4`` (``fbm_noise4``)."""
    n = out.shape[0]
    octaves = freqs.shape[0]
    acc = np.empty(_STEP, dtype=np.float32)
    for a in range(0, n, _STEP):
        m = min(n - a, _STEP)
        xb = x[a : a + m]
        yb = y[a : a + m]
        zb = z[a : a + m]
        wb = w[a : a + m]
        _fbm4(acc, xb, yb, zb, wb, m, freqs, amps)
        for q in range(m):
            out[a + q] = acc[q] / norm if octaves > 1 else acc[q]


@_jit
def snoise2_tiled(x, y, rx, ry, radx, rady, zbase, freqs, amps, norm, out):  # type: ignore[no-untyped-def]
    """Tiled ``noise.snoise2``: ``rx``/``ry`` are the float32 repeats as float64, or 0 for
    "no tiling" on that axis; ``radx``/``rady`` the float32 radii ``repeat * M_1_PI * 0.5``.

    A tiled axis is mapped onto a circle, ``v -> sin * r`` and the hidden coordinate (z for x,
    w for y, both starting at ``base``) ``+= cos * r``; then fbm_noise3 of (x, y, w) or
    (x, y, z), or fbm_noise4 of (x, y, z, w) when both axes are tiled.
    """
    n = out.shape[0]
    tx = rx != 0.0
    ty = ry != 0.0
    xs = np.empty(_STEP, dtype=np.float32)
    ys = np.empty(_STEP, dtype=np.float32)
    zs = np.empty(_STEP, dtype=np.float32)
    ws = np.empty(_STEP, dtype=np.float32)
    acc = np.empty(_STEP, dtype=np.float32)
    for a in range(0, n, _STEP):
        b = min(n, a + _STEP)
        m = b - a
        for q in range(m):
            xp = x[a + q]
            yp = y[a + q]
            zp = zbase
            wp = zbase
            if ty:  # C: float yf = y * 2.0 / repeaty (in double)
                vf = np.float32((np.float64(yp) * 2.0) / ry)
                yp = _fast_sin(vf) * rady
                wp = zbase + _fast_sin(vf + _C05) * rady
            if tx:
                vf = np.float32((np.float64(xp) * 2.0) / rx)
                xp = _fast_sin(vf) * radx
                zp = zbase + _fast_sin(vf + _C05) * radx
            xs[q] = xp
            ys[q] = yp
            zs[q] = zp if tx else wp  # the third coordinate of fbm_noise3
            ws[q] = wp
        if tx and ty:
            _fbm4(acc, xs, ys, zs, ws, m, freqs, amps)
        else:
            _fbm3(acc, xs, ys, zs, m, freqs, amps)
        for q in range(m):
            out[a + q] = acc[q] / norm
