"""Internal: the numpy kernels of :mod:`wiktoria.noise.compat`, a port of ``_perlin.c`` and
``_simplex.c`` of the ``noise`` 1.2.2 C extension.

This module is longer than the others on purpose: it follows the two C sources operation by
operation (C float order, C integer semantics), with every vectorised shortcut next to the C
statement it stands for, and the bit-exact comparisons with ``noise`` in
``tests/noise/test_compat.py`` are easiest to audit against one file per pair of C files.
Splitting Perlin from simplex would part helpers both use (``_c_int``, ``_low_byte``,
``_pair``, ``_positive_part``) from their only callers' context.

Kernels take float32 coordinate arrays (each in its own shape, broadcasting together) and return
float32 noise; :func:`_perlin_kernel`, :func:`_simplex_kernel` and :func:`_snoise2_flat_kernel`
build the fBm loops that ``compat``'s driver runs block by block.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

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
    _FINITE_BOUND,
    _G2,
    _G2X2,
    _G3,
    _G3_CORNERS,
    _G4,
    _G4_CORNERS,
    _INT_MIN,
    _M_1_PI,
    _P1_SLOPE,
    _P2_G,
    _P3_G2,
    _PERM8,
    _PP,
    _RANK_LEVELS,
    _S2_G2,
    _S3_G,
    _S4_G,
    _SIN_P,
    _SIN_Q,
    _SIN_WRAP,
    _TWO24,
    _TWO31,
    _TWO62,
    F32,
    I64,
    _f32,
    _u8,
)

#: A block kernel: float32 coordinate arrays (broadcasting together) to float32 noise.
Kernel = Callable[[list[F32]], F32]

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
    noise: PerlinNoise, plan: PerlinPlan, total_amp: np.float32, base: int
) -> Kernel:
    """The pnoise fBm loop over the octave ``plan`` of :func:`_perlin_plan`: ``total +=
    noise(x * freq, ...) * amp``, normalised by ``total_amp``, the sum of the amplitudes.

    For ``octaves == 1`` noise returns the single octave with the unconverted repeats.
    """

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
