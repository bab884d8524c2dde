"""Internal: the kernel of :func:`wiktoria.render.strokes.raster.paint_strokes`.

These functions are plain Python on flat, indexable buffers (numpy arrays or Python lists) and
scalar float64 arithmetic only. The numba backend (:func:`._jit.compiled`) compiles *these same
functions* with ``njit``; the pure-Python backend runs them as they are. Both therefore do the
same float operations in the same order (no fast-math, no fused multiply-add), so their output
is bit-identical.

Buffers (all flat; band pixel ``(r, i)`` is index ``r * w + i``, frame row ``row0 + r``)
----------------------------------------------------------------------------------------
px, py : point coordinates (float64). hw : half-width at each point (float64, already tapered).
arc : arc length of each point from its stroke's first point. offs : stroke offsets (int64).
order : the strokes to paint, in painting order. alpha : opacity per stroke. col : RGB per
stroke (``3 * s + c``). rgb : the band's linear RGB (``3 * k + c``), composited in place.
cov : union coverage of the band. patch : one stroke's coverage (all 0 between strokes).
touched : the band pixels of ``patch`` that are non-zero (``ntouched`` of them).
"""

from __future__ import annotations

import math


def segment(  # type: ignore[no-untyped-def]
    patch,
    touched,
    nt,
    w,
    rows,
    row0,
    ax,
    ay,
    bx,
    by,
    ha,
    hb,
    ext_a,
    ext_b,
    skip_a,
    cut_a,
    cax,
    cay,
    cnx,
    cny,
    cut_b,
    cbx,
    cby,
    cnx2,
    cny2,
):
    """Max-accumulate the coverage of one segment into ``patch``; return the new ``nt``.

    Coverage is ``clip(h - d + 0.5, 0, 1)``, ``d`` the distance from the pixel centre to the
    segment and ``h`` the half-width interpolated linearly at the projection (clamped to the
    segment). With ``ext_a`` (``ext_b``) the projection is not clamped before ``a`` (after
    ``b``) for the distance (a square end instead of a round cap). With ``skip_a`` the pixels
    behind ``a`` (projection < 0) are skipped: the caller knows that the previous segment
    covers them at least as much (same half-width at both, so its round cap at ``a`` is the
    same disc). ``cut_a`` multiplies by
    ``clip(0.5 - (p - c) . n, 0, 1)`` (the anti-aliased half-plane behind a blunt start point
    ``c`` with outward unit normal ``n``); likewise ``cut_b`` for the end.
    """
    dx = bx - ax
    dy = by - ay
    l2 = dx * dx + dy * dy
    hm = ha
    if hb > hm:
        hm = hb
    pad = hm + 0.5
    xmin = ax
    xmax = bx
    if bx < ax:
        xmin = bx
        xmax = ax
    ymin = ay
    ymax = by
    if by < ay:
        ymin = by
        ymax = ay
    if ext_a or ext_b:
        # a square end reaches as far as a round cap would along the axis, but its corners reach
        # further sideways: pad by the half-diagonal of the end square
        pad = pad * 1.4143
    # coverage > 0 needs d < h + 0.5 <= pad, so |i - x| < pad for some x of the segment
    ilo = math.floor(xmin - pad) + 1
    ihi = math.ceil(xmax + pad) - 1
    jlo = math.floor(ymin - pad) + 1
    jhi = math.ceil(ymax + pad) - 1
    if ilo < 0:
        ilo = 0
    if ihi > w - 1:
        ihi = w - 1
    if jlo < row0:
        jlo = row0
    if jhi > row0 + rows - 1:
        jhi = row0 + rows - 1
    inv = 0.0
    if l2 > 0.0:
        inv = 1.0 / l2
    dh = hb - ha
    pad2 = (hm + 0.5) * (hm + 0.5)
    for j in range(jlo, jhi + 1):
        qy = j - ay
        base = (j - row0) * w
        for i in range(ilo, ihi + 1):
            qx = i - ax
            t = (qx * dx + qy * dy) * inv
            if skip_a and t < 0.0:
                continue
            tc = t
            if tc < 0.0:
                tc = 0.0
            elif tc > 1.0:
                tc = 1.0
            td = tc
            if ext_a and t < 0.0:
                td = t
            if ext_b and t > 1.0:
                td = t
            ex = qx - td * dx
            ey = qy - td * dy
            e2 = ex * ex + ey * ey
            if e2 >= pad2:
                continue
            c = ha + tc * dh - math.sqrt(e2) + 0.5
            if c <= 0.0:
                continue
            if c > 1.0:
                c = 1.0
            if cut_a:
                f = 0.5 - ((i - cax) * cnx + (j - cay) * cny)
                if f <= 0.0:
                    continue
                if f < c:
                    c = f
            if cut_b:
                f = 0.5 - ((i - cbx) * cnx2 + (j - cby) * cny2)
                if f <= 0.0:
                    continue
                if f < c:
                    c = f
            k = base + i
            old = patch[k]
            if old == 0.0:
                touched[nt] = k
                nt += 1
                patch[k] = c
            elif c > old:
                patch[k] = c
    return nt


def run(  # type: ignore[no-untyped-def]
    px,
    py,
    hw,
    arc,
    offs,
    order,
    nsel,
    alpha,
    col,
    blunt,
    w,
    rows,
    row0,
    rgb,
    cov,
    patch,
    touched,
):
    """Paint the strokes ``order[:nsel]`` in order into ``rgb``; return the painted count.

    Each stroke's coverage is the max over its segments (:func:`segment`); it is then
    composited "over": ``rgb += (col - rgb) * (alpha * coverage)``, and ``cov`` keeps the max.
    Strokes with fewer than two points, or with zero alpha or zero half-widths, are skipped.
    With ``blunt``, zero-length segments paint nothing, the first and last segments of
    non-zero length get square ends, and every segment whose start lies within ``h + 1`` of
    the stroke's start (end) along the arc is cut by the half-plane beyond that end point.
    """
    painted = 0
    for q in range(nsel):
        s = order[q]
        p0 = offs[s]
        p1 = offs[s + 1]
        if p1 - p0 < 2 or alpha[s] <= 0.0:
            continue
        hmax = 0.0
        for p in range(p0, p1):
            if hw[p] > hmax:
                hmax = hw[p]
        if hmax <= 0.0:
            continue
        # first / last segments of non-zero length (for blunt ends)
        fa = -1
        fb = -1
        for p in range(p0, p1 - 1):
            if px[p + 1] != px[p] or py[p + 1] != py[p]:
                if fa < 0:
                    fa = p
                fb = p
        if blunt and fa < 0:
            continue
        cnx = 0.0
        cny = 0.0
        cnx2 = 0.0
        cny2 = 0.0
        reach_a = 0.0
        reach_b = 0.0
        total = arc[p1 - 1]
        if blunt:
            ux = px[fa + 1] - px[fa]
            uy = py[fa + 1] - py[fa]
            m = math.sqrt(ux * ux + uy * uy)
            cnx = -ux / m
            cny = -uy / m
            ux = px[fb + 1] - px[fb]
            uy = py[fb + 1] - py[fb]
            m = math.sqrt(ux * ux + uy * uy)
            cnx2 = ux / m
            cny2 = uy / m
            reach_a = hmax + 1.0
            reach_b = hmax + 1.0
        nt = 0
        for p in range(p0, p1 - 1):
            ax = px[p]
            ay = py[p]
            bx = px[p + 1]
            by = py[p + 1]
            cut_a = False
            cut_b = False
            ext_a = False
            ext_b = False
            if blunt:
                if ax == bx and ay == by:
                    continue
                ext_a = p == fa
                ext_b = p == fb
                cut_a = arc[p] < reach_a
                cut_b = total - arc[p + 1] < reach_b
            elif hw[p] <= 0.0 and hw[p + 1] <= 0.0:
                continue
            # the previous segment's cap at this segment's start already gives the max there
            # (unless a blunt end cuts either of them)
            skip_a = (
                p > p0
                and not cut_a
                and not cut_b
                and arc[p - 1] >= reach_a
                and total - arc[p] >= reach_b
                and (px[p - 1] != ax or py[p - 1] != ay)
                and hw[p - 1] == hw[p]
                and hw[p + 1] == hw[p]
            )
            nt = segment(
                patch,
                touched,
                nt,
                w,
                rows,
                row0,
                ax,
                ay,
                bx,
                by,
                hw[p],
                hw[p + 1],
                ext_a,
                ext_b,
                skip_a,
                cut_a,
                px[p0],
                py[p0],
                cnx,
                cny,
                cut_b,
                px[p1 - 1],
                py[p1 - 1],
                cnx2,
                cny2,
            )
        if nt == 0:
            continue
        a = alpha[s]
        cr = col[3 * s]
        cg = col[3 * s + 1]
        cb = col[3 * s + 2]
        for n in range(nt):
            k = touched[n]
            c = patch[k]
            patch[k] = 0.0
            f = a * c
            r = 3 * k
            rgb[r] = rgb[r] + (cr - rgb[r]) * f
            rgb[r + 1] = rgb[r + 1] + (cg - rgb[r + 1]) * f
            rgb[r + 2] = rgb[r + 2] + (cb - rgb[r + 2]) * f
            if c > cov[k]:
                cov[k] = c
        painted += 1
    return painted
