"""Internal: numba kernels for ``wiktoria.noise`` (the ``fast`` extra).

Each kernel computes, point by point, exactly the float operations of the numpy kernels in
``_simplex.py`` and ``_perlin.py`` in the same order and dtype (no fast-math, no fused
multiply-add), so the two backends are bit-identical; ``tests/test_accel.py`` checks it. The
octave loop of a fractal sum runs inside the kernel, so a point's coordinates are read once
and every intermediate value stays in registers.

Numba note: helpers that take arrays are inlined one level deep only. An array passed on from
one inlined helper to another gets reference counting in the loop, which made the kernels
ten times slower; deeper helpers take scalars.

Arguments shared by the kernels
-------------------------------
c : float64 array, shape (d, n)
    Coordinates before the octave's frequency.
freqs : float64 array, shape (octaves, d)
    Frequency of each octave along each axis (1 for coordinates already scaled).
perms : int32 array, shape (octaves, 2 * TABLE_SIZE)
    Permutation table of each octave (``Tables.perm``).
gtab : array of the output dtype, shape (len(GRADIENTS[d]), d)
    The gradient set; corner ``key`` uses ``gtab[perm[key] % len(gtab)]``.
amps : array of the output dtype, shape (octaves,)
    Octave amplitudes; ``scaled[o]`` says whether octave ``o`` is multiplied by its amplitude.
transform : int
    0 none, 1 ridge ``(1 - |v|)**2``, 2 turbulence ``|v|``.
norm : output dtype, ``normalise`` : bool
    Final factor ``1 / sum(amps)`` and whether to apply it.
out : float32 or float64 array, shape (n,)
    Result; its dtype is the arithmetic dtype.
"""

from __future__ import annotations

import numba as nb
import numpy as np

__all__ = ["perlin_fbm", "simplex_fbm"]

_MASK = 1023
#: Points per inner block: coordinates and sums stay in L1/L2 across the octave loop.
_STEP = 2048
_jit = nb.njit(cache=True, nogil=True, error_model="numpy")
_inline = nb.njit(cache=True, nogil=True, inline="always")


@_inline
def _post(v, transform, amp, scaled):  # type: ignore[no-untyped-def]
    """An octave's value after the fractal transform and its amplitude."""
    if transform == 1:
        v = abs(v)
        v = type(v)(1) - v
        v = v * v
    elif transform == 2:
        v = abs(v)
    if scaled:
        v = v * amp
    return v


@_inline
def _clip(v):  # type: ignore[no-untyped-def]
    one = type(v)(1)
    if v > one:
        return one
    if v < -one:
        return -one
    return v


@_inline
def _falloff(half, p0, p1, p2, p3):  # type: ignore[no-untyped-def]
    """Simplex corner weight ``max(0.5 - |p|^2, 0)^4`` (unused components are 0)."""
    t = p0 * p0
    t = t + p1 * p1
    t = t + p2 * p2
    t = t + p3 * p3
    t = max(half - t, type(t)(0))
    t = t * t
    return t * t


@_inline
def _fade(t):  # type: ignore[no-untyped-def]
    T = type(t)
    u = t * T(6)
    u = u - T(15)
    u = u * t
    u = u + T(10)
    u = u * t
    u = u * t
    return u * t


@_inline
def _lerp(a, b, u):  # type: ignore[no-untyped-def]
    return (b - a) * u + a


@_inline
def _u(i):  # type: ignore[no-untyped-def]
    """A non-negative index as unsigned: numba then skips its negative-index handling."""
    return np.uint64(i)


@_inline
def _wrap(i, p):  # type: ignore[no-untyped-def]
    if p != 0:
        i = i % p
    return i & _MASK


# ----------------------------------------------------------------------------------- simplex
@_inline
def _simplex2(x, y, perm, gtab, gk, half, scale):  # type: ignore[no-untyped-def]
    T = gk.dtype.type
    f_skew = (np.sqrt(3.0) - 1.0) / 2.0
    g_skew = (1.0 - 1.0 / np.sqrt(3.0)) / 2.0
    s = (x + y) * f_skew
    cx = np.floor(x + s)
    cy = np.floor(y + s)
    s = (cx + cy) * g_skew
    x0 = T((x - cx) + s)
    y0 = T((y - cy) + s)
    ix = np.int64(cx) & _MASK
    iy = np.int64(cy) & _MASK
    m = gtab.shape[0] - 1
    xy = x0 > y0
    n = T(0)
    for k in range(3):
        ox = 1 if (k == 2 or (k == 1 and xy)) else 0
        oy = 1 if (k == 2 or (k == 1 and not xy)) else 0
        px = (x0 - T(ox)) + gk[k]
        py = (y0 - T(oy)) + gk[k]
        h = _u(perm[_u(ix + ox + perm[_u(iy + oy)])] & m)
        t = _falloff(half, px, py, T(0), T(0))
        n = n + (gtab[h, 0] * px + gtab[h, 1] * py) * t
    return _clip(n * scale)


@_inline
def _simplex3(x, y, z, perm, gtab, gk, half, scale):  # type: ignore[no-untyped-def]
    T = gk.dtype.type
    f_skew = 1.0 / 3.0
    g_skew = 1.0 / 6.0
    s = ((x + y) + z) * f_skew
    cx = np.floor(x + s)
    cy = np.floor(y + s)
    cz = np.floor(z + s)
    s = ((cx + cy) + cz) * g_skew
    x0 = T((x - cx) + s)
    y0 = T((y - cy) + s)
    z0 = T((z - cz) + s)
    ix = np.int64(cx) & _MASK
    iy = np.int64(cy) & _MASK
    iz = np.int64(cz) & _MASK
    # Rank of each axis among the offsets: corner k steps along the axes of rank >= 3 - k.
    rx = np.int64(x0 > y0) + np.int64(x0 > z0)
    ry = np.int64(not x0 > y0) + np.int64(y0 > z0)
    rz = np.int64(not x0 > z0) + np.int64(not y0 > z0)
    m = gtab.shape[0] - 1
    n = T(0)
    for k in range(4):
        lim = 3 - k
        ox = np.int64(rx >= lim)
        oy = np.int64(ry >= lim)
        oz = np.int64(rz >= lim)
        px = (x0 - T(ox)) + gk[k]
        py = (y0 - T(oy)) + gk[k]
        pz = (z0 - T(oz)) + gk[k]
        h = _u(perm[_u(ix + ox + perm[_u(iy + oy + perm[_u(iz + oz)])])] & m)
        t = _falloff(half, px, py, pz, T(0))
        n = n + ((gtab[h, 0] * px + gtab[h, 1] * py) + gtab[h, 2] * pz) * t
    return _clip(n * scale)


@_inline
def _simplex4(x, y, z, w, perm, gtab, gk, half, scale):  # type: ignore[no-untyped-def]
    T = gk.dtype.type
    f_skew = (np.sqrt(5.0) - 1.0) / 4.0
    g_skew = (1.0 - 1.0 / np.sqrt(5.0)) / 4.0
    s = (((x + y) + z) + w) * f_skew
    cx = np.floor(x + s)
    cy = np.floor(y + s)
    cz = np.floor(z + s)
    cw = np.floor(w + s)
    s = (((cx + cy) + cz) + cw) * g_skew
    x0 = T((x - cx) + s)
    y0 = T((y - cy) + s)
    z0 = T((z - cz) + s)
    w0 = T((w - cw) + s)
    ix = np.int64(cx) & _MASK
    iy = np.int64(cy) & _MASK
    iz = np.int64(cz) & _MASK
    iw = np.int64(cw) & _MASK
    xy = x0 > y0
    xz = x0 > z0
    xw = x0 > w0
    yz = y0 > z0
    yw = y0 > w0
    zw = z0 > w0
    rx = np.int64(xy) + np.int64(xz) + np.int64(xw)
    ry = np.int64(not xy) + np.int64(yz) + np.int64(yw)
    rz = np.int64(not xz) + np.int64(not yz) + np.int64(zw)
    rw = np.int64(not xw) + np.int64(not yw) + np.int64(not zw)
    m = gtab.shape[0] - 1
    n = T(0)
    for k in range(5):
        lim = 4 - k
        ox = np.int64(rx >= lim)
        oy = np.int64(ry >= lim)
        oz = np.int64(rz >= lim)
        ow = np.int64(rw >= lim)
        px = (x0 - T(ox)) + gk[k]
        py = (y0 - T(oy)) + gk[k]
        pz = (z0 - T(oz)) + gk[k]
        pw = (w0 - T(ow)) + gk[k]
        h = _u(perm[_u(ix + ox + perm[_u(iy + oy + perm[_u(iz + oz + perm[_u(iw + ow)])])])] & m)
        t = _falloff(half, px, py, pz, pw)
        n = n + (((gtab[h, 0] * px + gtab[h, 1] * py) + gtab[h, 2] * pz) + gtab[h, 3] * pw) * t
    return _clip(n * scale)


# simplex_fbm and perlin_fbm share their loop skeleton on purpose: one driver for both kinds
# (a branch on the kind inside the point loop) measured 1.4-1.9x slower.
@_jit
def simplex_fbm(c, freqs, perms, gtab, gk, half, scale, amps, scaled, transform, norm,  # type: ignore[no-untyped-def]
                normalise, out):
    """Fractal sum of simplex noise at the points ``c`` (see the module docstring)."""
    d = c.shape[0]
    n = out.shape[0]
    octaves = freqs.shape[0]
    T = out.dtype.type
    for a in range(0, n, _STEP):
        b = min(n, a + _STEP)
        out[a:b] = T(0)
        # Octaves outside the point loop: an octave's table is a view, and views cost
        # reference counting, which must not happen per point.
        for o in range(octaves):
            perm = perms[o]
            amp = amps[o]
            sc = scaled[o]
            fx = freqs[o, 0]
            fy = freqs[o, 1]
            fz = freqs[o, 2] if d > 2 else 0.0
            fw = freqs[o, 3] if d > 3 else 0.0
            for i in range(a, b):
                if d == 2:
                    v = _simplex2(c[0, i] * fx, c[1, i] * fy, perm, gtab, gk, half, scale)
                elif d == 3:
                    v = _simplex3(c[0, i] * fx, c[1, i] * fy, c[2, i] * fz, perm, gtab, gk,
                                  half, scale)
                else:
                    v = _simplex4(c[0, i] * fx, c[1, i] * fy, c[2, i] * fz, c[3, i] * fw,
                                  perm, gtab, gk, half, scale)
                out[i] = out[i] + _post(v, transform, amp, sc)
        if normalise:
            for i in range(a, b):
                out[i] = out[i] * norm


# ------------------------------------------------------------------------------------- perlin
@_inline
def _perlin1(x, perm, px_, gtab):  # type: ignore[no-untyped-def]
    T = gtab.dtype.type
    m = gtab.shape[0] - 1
    f = np.floor(x)
    x0 = T(x - f)
    x1 = x0 - T(1)
    i = np.int64(f)
    a = _wrap(i, px_)
    b = _wrap(i + 1, px_)
    return _lerp(gtab[_u(perm[_u(a)] & m), 0] * x0, gtab[_u(perm[_u(b)] & m), 0] * x1,
                 _fade(x0))


@_inline
def _perlin2(x, y, perm, px_, py_, gtab):  # type: ignore[no-untyped-def]
    T = gtab.dtype.type
    m = gtab.shape[0] - 1
    f = np.floor(x)
    x0 = T(x - f)
    i = np.int64(f)
    ax = _wrap(i, px_)
    bx = _wrap(i + 1, px_)
    f = np.floor(y)
    y0 = T(y - f)
    y1 = y0 - T(1)
    i = np.int64(f)
    ay = _wrap(i, py_)
    by = _wrap(i + 1, py_)
    uy = _fade(y0)
    v0 = T(0)
    v1 = T(0)
    for ci in range(2):
        h = perm[_u(bx if ci else ax)]
        px = x0 - T(1) if ci else x0
        k0 = _u(perm[_u(h + ay)] & m)
        k1 = _u(perm[_u(h + by)] & m)
        v = _lerp(gtab[k0, 0] * px + gtab[k0, 1] * y0, gtab[k1, 0] * px + gtab[k1, 1] * y1, uy)
        if ci:
            v1 = v
        else:
            v0 = v
    return _lerp(v0, v1, _fade(x0))


@_inline
def _perlin34(x, y, z, w, d, perm, px_, py_, pz_, pw_, gtab):  # type: ignore[no-untyped-def]
    """3D Perlin noise, or 4D when ``d == 4`` (``w`` is ignored in 3D)."""
    T = gtab.dtype.type
    m = gtab.shape[0] - 1
    f = np.floor(x)
    x0 = T(x - f)
    i = np.int64(f)
    ax = _wrap(i, px_)
    bx = _wrap(i + 1, px_)
    f = np.floor(y)
    y0 = T(y - f)
    i = np.int64(f)
    ay = _wrap(i, py_)
    by = _wrap(i + 1, py_)
    f = np.floor(z)
    z0 = T(z - f)
    z1 = z0 - T(1)
    i = np.int64(f)
    az = _wrap(i, pz_)
    bz = _wrap(i + 1, pz_)
    w0 = T(0)
    aw = 0
    bw = 0
    if d == 4:
        f = np.floor(w)
        w0 = T(w - f)
        i = np.int64(f)
        aw = _wrap(i, pw_)
        bw = _wrap(i + 1, pw_)
    w1 = w0 - T(1)
    uw = _fade(w0)
    uz = _fade(z0)
    uy = _fade(y0)
    vx0 = T(0)
    vx1 = T(0)
    for ci in range(2):
        hx = perm[_u(bx if ci else ax)]
        px = x0 - T(1) if ci else x0
        vy0 = T(0)
        vy1 = T(0)
        for cj in range(2):
            hy = perm[_u(hx + (by if cj else ay))]
            py = y0 - T(1) if cj else y0
            if d == 3:
                k0 = _u(perm[_u(hy + az)] & m)
                k1 = _u(perm[_u(hy + bz)] & m)
                v = _lerp((gtab[k0, 0] * px + gtab[k0, 1] * py) + gtab[k0, 2] * z0,
                          (gtab[k1, 0] * px + gtab[k1, 1] * py) + gtab[k1, 2] * z1, uz)
            else:
                h0 = perm[_u(hy + az)]
                h1 = perm[_u(hy + bz)]
                k00 = _u(perm[_u(h0 + aw)] & m)
                k01 = _u(perm[_u(h0 + bw)] & m)
                k10 = _u(perm[_u(h1 + aw)] & m)
                k11 = _u(perm[_u(h1 + bw)] & m)
                g0 = gtab[k00, 0] * px + gtab[k00, 1] * py
                g1 = gtab[k01, 0] * px + gtab[k01, 1] * py
                g2 = gtab[k10, 0] * px + gtab[k10, 1] * py
                g3 = gtab[k11, 0] * px + gtab[k11, 1] * py
                v0 = _lerp((g0 + gtab[k00, 2] * z0) + gtab[k00, 3] * w0,
                           (g1 + gtab[k01, 2] * z0) + gtab[k01, 3] * w1, uw)
                v1 = _lerp((g2 + gtab[k10, 2] * z1) + gtab[k10, 3] * w0,
                           (g3 + gtab[k11, 2] * z1) + gtab[k11, 3] * w1, uw)
                v = _lerp(v0, v1, uz)
            if cj:
                vy1 = v
            else:
                vy0 = v
        v = _lerp(vy0, vy1, uy)
        if ci:
            vx1 = v
        else:
            vx0 = v
    return _lerp(vx0, vx1, _fade(x0))


@_jit
def perlin_fbm(c, freqs, perms, periods, gtab, scale, amps, scaled, transform, norm,  # type: ignore[no-untyped-def]
               normalise, out):
    """Fractal sum of Perlin noise at the points ``c``; ``periods`` (octaves, d), 0 = none."""
    d = c.shape[0]
    n = out.shape[0]
    octaves = freqs.shape[0]
    T = out.dtype.type
    for a in range(0, n, _STEP):
        b = min(n, a + _STEP)
        out[a:b] = T(0)
        for o in range(octaves):
            perm = perms[o]
            amp = amps[o]
            sc = scaled[o]
            fx = freqs[o, 0]
            fy = freqs[o, 1] if d > 1 else 0.0
            fz = freqs[o, 2] if d > 2 else 0.0
            fw = freqs[o, 3] if d > 3 else 0.0
            px_ = periods[o, 0]
            py_ = periods[o, 1] if d > 1 else 0
            pz_ = periods[o, 2] if d > 2 else 0
            pw_ = periods[o, 3] if d > 3 else 0
            for i in range(a, b):
                x = c[0, i] * fx
                if d == 1:
                    v = _perlin1(x, perm, px_, gtab)
                elif d == 2:
                    v = _perlin2(x, c[1, i] * fy, perm, px_, py_, gtab)
                else:
                    w = c[3, i] * fw if d == 4 else 0.0
                    v = _perlin34(x, c[1, i] * fy, c[2, i] * fz, w, d, perm, px_, py_, pz_,
                                  pw_, gtab)
                v = _clip(v * scale)
                out[i] = out[i] + _post(v, transform, amp, sc)
        if normalise:
            for i in range(a, b):
                out[i] = out[i] * norm
