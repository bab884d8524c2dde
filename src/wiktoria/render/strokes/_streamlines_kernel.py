"""Internal: the Jobard–Lefer kernel of :func:`wiktoria.render.strokes.streamlines.evenly_spaced`.

These functions are plain Python on flat, indexable buffers (numpy arrays or Python lists) and
scalar float64 arithmetic only. The numba backend (:func:`._jit.compiled`) compiles *these
same functions* with ``njit``; the pure-Python backend runs them as they are. Both therefore do
the same float operations in the same order (no fast-math, no fused multiply-add), so their
output is bit-identical.

Buffers (all flat; pixel ``(j, i)`` is index ``j * w + i``; cell ``(cy, cx)`` is ``cy * ncx + cx``)
------------------------------------------------------------------------------------------
ux, uy : unit direction per pixel (0, 0 where the field vanishes).
scale : local spacing factor per pixel (>= 1), 0 where the region is empty.
lab : integer label per pixel. rejected : 1 where a seed was tried and dropped.
px, py : output points (capacity ``cap``). offs : line offsets (``offs[0] = 0``).
ghead, gnext : linked lists of finished points per grid cell (``-1`` ends a list). A search of
  radius ``r`` visits every cell that the square of half-side ``r`` meets, so the cell size only
  sets the speed, never the result.
ohead, onext, ox, oy, orank : the line being traced (its own grid), in trace order.
fbx, fby : the shuffled fallback seeds.
"""

from __future__ import annotations

import math

#: Below this length, a bilinear blend of unit directions counts as a singularity (stop).
MIN_NORM = 0.01
#: Relative tolerance of the seed test (``dist < d_sep * (1 - SEED_TOL)`` rejects a seed), so a
#: candidate placed at exactly ``d_sep`` from its parent line is never lost to rounding.
SEED_TOL = 1e-4


def sample(ux, uy, w, h, x, y, rx, ry, unoriented):  # type: ignore[no-untyped-def]
    """Bilinear unit direction at (x, y) (inside the domain); (0, 0) at a singularity.

    With ``unoriented``, each corner is flipped to agree with the reference (rx, ry) first (the
    field is defined mod pi); a zero reference takes the nearest corner's direction.
    """
    i0 = int(x)
    j0 = int(y)
    if i0 > w - 2:
        i0 = w - 2
    if j0 > h - 2:
        j0 = h - 2
    fx = x - i0
    fy = y - j0
    k = j0 * w + i0
    ax = ux[k]
    ay = uy[k]
    bx = ux[k + 1]
    by = uy[k + 1]
    cx = ux[k + w]
    cy = uy[k + w]
    dx = ux[k + w + 1]
    dy = uy[k + w + 1]
    if unoriented:
        if rx == 0.0 and ry == 0.0:
            n = int(y + 0.5) * w + int(x + 0.5)
            rx = ux[n]
            ry = uy[n]
        if ax * rx + ay * ry < 0.0:
            ax = -ax
            ay = -ay
        if bx * rx + by * ry < 0.0:
            bx = -bx
            by = -by
        if cx * rx + cy * ry < 0.0:
            cx = -cx
            cy = -cy
        if dx * rx + dy * ry < 0.0:
            dx = -dx
            dy = -dy
    gx = 1.0 - fx
    gy = 1.0 - fy
    vx = gy * (gx * ax + fx * bx) + fy * (gx * cx + fx * dx)
    vy = gy * (gx * ay + fx * by) + fy * (gx * cy + fx * dy)
    m = math.sqrt(vx * vx + vy * vy)
    if m < MIN_NORM:
        return 0.0, 0.0
    vx = vx / m
    vy = vy / m
    if unoriented and vx * rx + vy * ry < 0.0:
        vx = -vx
        vy = -vy
    return vx, vy


def cells_around(cell, ncx, ncy, x, y, r):  # type: ignore[no-untyped-def]
    """The first and last cell columns and rows that the square ``|dx|, |dy| <= r`` around
    (x, y) meets, clipped to the grid."""
    x0 = math.floor((x - r) / cell)
    x1 = int((x + r) / cell)
    y0 = math.floor((y - r) / cell)
    y1 = int((y + r) / cell)
    if x0 < 0:
        x0 = 0
    if y0 < 0:
        y0 = 0
    if x1 > ncx - 1:
        x1 = ncx - 1
    if y1 > ncy - 1:
        y1 = ncy - 1
    return x0, x1, y0, y1


def near_finished(ghead, gnext, px, py, cell, ncx, ncy, x, y, r):  # type: ignore[no-untyped-def]
    """Whether a finished point lies strictly closer than ``r`` to (x, y) (any ``r``: the cells
    searched are those the square of half-side ``r`` around (x, y) meets)."""
    x0, x1, y0, y1 = cells_around(cell, ncx, ncy, x, y, r)
    r2 = r * r
    for qy in range(y0, y1 + 1):
        for qx in range(x0, x1 + 1):
            k = ghead[qy * ncx + qx]
            while k != -1:
                ex = px[k] - x
                ey = py[k] - y
                if ex * ex + ey * ey < r2:
                    return True
                k = gnext[k]
    return False


def near_own(ohead, onext, ox, oy, orank, cell, ncx, ncy, x, y, r, rank, skip):  # type: ignore[no-untyped-def]
    """Whether a point of the current line, more than ``skip`` steps away along it, is < r."""
    x0, x1, y0, y1 = cells_around(cell, ncx, ncy, x, y, r)
    r2 = r * r
    for qy in range(y0, y1 + 1):
        for qx in range(x0, x1 + 1):
            e = ohead[qy * ncx + qx]
            while e != -1:
                gap = orank[e] - rank
                if gap < 0:
                    gap = -gap
                if gap > skip:
                    ex = ox[e] - x
                    ey = oy[e] - y
                    if ex * ex + ey * ey < r2:
                        return True
                e = onext[e]
    return False


def trace_half(  # type: ignore[no-untyped-def]
    ux, uy, scale, lab, w, h, unoriented, d_test, step, max_half, label0,
    ghead, gnext, px, py, cell, ncx, ncy,
    ohead, onext, ox, oy, orank, e0, half_cap, sign, x, y, dx, dy,
):
    """Trace one half-line from (x, y) with start direction (dx, dy); entries go from ``e0``.

    Returns the number of entries added and the half's arc length, or ``(-1, length)`` if
    the half needs more than ``half_cap`` entries (the caller retries with more room).
    """
    n = 0
    length = 0.0
    hs = 0.5 * step
    xmax = w - 1.0
    ymax = h - 1.0
    while length + step <= max_half:
        mx = x + hs * dx
        my = y + hs * dy
        if mx < 0.0 or mx > xmax or my < 0.0 or my > ymax:
            break
        d1x, d1y = sample(ux, uy, w, h, mx, my, dx, dy, unoriented)
        if d1x == 0.0 and d1y == 0.0:
            break
        nx = x + step * d1x
        ny = y + step * d1y
        if nx < 0.0 or nx > xmax or ny < 0.0 or ny > ymax:
            break
        pix = int(ny + 0.5) * w + int(nx + 0.5)
        s = scale[pix]
        if s == 0.0 or lab[pix] != label0:
            break
        dt = d_test * s
        if near_finished(ghead, gnext, px, py, cell, ncx, ncy, nx, ny, dt):
            break
        ratio = dt / step
        skip = int(ratio)
        if skip < ratio:
            skip += 1
        skip += 2
        rank = sign * (n + 1)
        if near_own(ohead, onext, ox, oy, orank, cell, ncx, ncy, nx, ny, dt, rank, skip):
            break
        d2x, d2y = sample(ux, uy, w, h, nx, ny, d1x, d1y, unoriented)
        if d2x == 0.0 and d2y == 0.0:
            break
        if n >= half_cap:
            return -1, length
        e = e0 + n
        ox[e] = nx
        oy[e] = ny
        orank[e] = rank
        c = int(ny / cell) * ncx + int(nx / cell)
        onext[e] = ohead[c]
        ohead[c] = e
        n += 1
        length += step
        x = nx
        y = ny
        dx = d2x
        dy = d2y
    return n, length


def seed_ok(  # type: ignore[no-untyped-def]
    scale, rejected, w, h, d_sep, ghead, gnext, px, py, cell, ncx, ncy, x, y
):
    """Whether (x, y) may seed a line: inside, not empty, not rejected, >= local d_sep away."""
    if x < 0.0 or x > w - 1.0 or y < 0.0 or y > h - 1.0:
        return False
    pix = int(y + 0.5) * w + int(x + 0.5)
    s = scale[pix]
    if s == 0.0 or rejected[pix] != 0:
        return False
    r = d_sep * s * (1.0 - SEED_TOL)
    return not near_finished(ghead, gnext, px, py, cell, ncx, ncy, x, y, r)


def run(  # type: ignore[no-untyped-def]
    ux, uy, scale, lab, rejected, w, h, unoriented, d_sep, d_test, step, max_half, min_len,
    cell, ncx, ncy, fbx, fby, nfb, px, py, cap, offs, lines_cap, ghead, gnext,
    ohead, onext, ox, oy, orank, half_cap,
):
    """Place all lines. Returns the number of lines, -1 if ``px``/``offs`` overflowed or -2 if
    a half-line outgrew ``half_cap`` (the caller retries with more room)."""
    nlines = 0
    npts = 0
    offs[0] = 0
    qline = 0
    qc = 0
    fb = 0
    while True:
        found = False
        sx = 0.0
        sy = 0.0
        while qline < nlines:  # candidates beside the oldest line still in the queue
            start = offs[qline]
            end = offs[qline + 1]
            while qc < 2 * (end - start):
                k = start + (qc >> 1)
                sgn = 1.0 if (qc & 1) == 0 else -1.0
                qc += 1
                ka = k - 1 if k > start else k
                kb = k + 1 if k < end - 1 else k
                tx = px[kb] - px[ka]
                ty = py[kb] - py[ka]
                tm = math.sqrt(tx * tx + ty * ty)
                if tm == 0.0:
                    continue
                s = scale[int(py[k] + 0.5) * w + int(px[k] + 0.5)]
                off = sgn * d_sep * s / tm
                sx = px[k] - off * ty
                sy = py[k] + off * tx
                if seed_ok(scale, rejected, w, h, d_sep, ghead, gnext, px, py, cell, ncx, ncy,
                           sx, sy):
                    found = True
                    break
            if found:
                break
            qline += 1
            qc = 0
        if not found:
            while fb < nfb:  # the shuffled grid of fallback seeds
                sx = fbx[fb]
                sy = fby[fb]
                fb += 1
                if seed_ok(scale, rejected, w, h, d_sep, ghead, gnext, px, py, cell, ncx, ncy,
                           sx, sy):
                    found = True
                    break
        if not found:
            break
        pix = int(sy + 0.5) * w + int(sx + 0.5)
        label0 = lab[pix]
        d0x, d0y = sample(ux, uy, w, h, sx, sy, 0.0, 0.0, unoriented)
        ox[0] = sx
        oy[0] = sy
        orank[0] = 0
        c0 = int(sy / cell) * ncx + int(sx / cell)
        onext[0] = ohead[c0]
        ohead[c0] = 0
        nf = 0
        nb = 0
        length = 0.0
        if d0x != 0.0 or d0y != 0.0:
            nf, lf = trace_half(ux, uy, scale, lab, w, h, unoriented, d_test, step, max_half,
                                label0, ghead, gnext, px, py, cell, ncx, ncy, ohead, onext, ox,
                                oy, orank, 1, half_cap, 1, sx, sy, d0x, d0y)
            if nf < 0:
                return -2
            nb, lb = trace_half(ux, uy, scale, lab, w, h, unoriented, d_test, step, max_half,
                                label0, ghead, gnext, px, py, cell, ncx, ncy, ohead, onext, ox,
                                oy, orank, 1 + nf, half_cap, -1, sx, sy, -d0x, -d0y)
            if nb < 0:
                return -2
            length = lf + lb
        total = 1 + nf + nb
        for e in range(total):  # clear the line's own grid
            ohead[int(oy[e] / cell) * ncx + int(ox[e] / cell)] = -1
        if length < min_len or total < 2:
            rejected[pix] = 1
            continue
        if npts + total > cap or nlines + 1 >= lines_cap:
            return -1
        k = npts
        for e in range(nf + nb, nf, -1):  # backward half, reversed
            px[k] = ox[e]
            py[k] = oy[e]
            k += 1
        for e in range(nf + 1):  # seed, forward half
            px[k] = ox[e]
            py[k] = oy[e]
            k += 1
        for k in range(npts, npts + total):  # the line is finished: register it
            c = int(py[k] / cell) * ncx + int(px[k] / cell)
            gnext[k] = ghead[c]
            ghead[c] = k
        npts += total
        nlines += 1
        offs[nlines] = npts
    return nlines
