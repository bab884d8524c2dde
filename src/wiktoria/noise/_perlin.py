"""Internal: improved gradient (Perlin) noise kernels, element-wise and on separable grids.

Both kernels compute the same function; ``tests/test_noise.py`` checks that they agree to float
rounding. Values are scaled to span about [-1, 1] and clipped to it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from wiktoria.noise._lattice import MASK, Tables, fade, fade_into, workspace, wrap_index

CLIP = 1.0
#: Points per chunk times corners: keeps every temporary under ~128 KiB, in cache and below
#: malloc's mmap threshold (allocations above it page-fault on every call).
CHUNK = 1 << 17
__all__ = ["SCALE", "lattice_span", "perlin_grid", "perlin_points"]

#: Output scale per dimension, measured so that the extremes of the field reach about ±1.
SCALE = {1: 2.0, 2: 1.4142135, 3: 1.0, 4: 0.86}


def perlin_points(
    coords: list[np.ndarray],
    tab: Tables,
    periods: tuple[int | None, ...],
    dtype: np.dtype[Any],
) -> np.ndarray:
    """Perlin noise at scattered points.

    Parameters
    ----------
    coords : list of 1-D float64 arrays, all of length n
        One array per dimension (1 to 4).
    tab : Tables
        Hash tables of the seed.
    periods : tuple
        Period of each axis or None.
    dtype : dtype
        float32 or float64, the dtype of the arithmetic and of the result.

    Returns
    -------
    ndarray of dtype, shape (n,), values in [-1, 1]

    Notes
    -----
    Points are processed in chunks; within a chunk all ``2**d`` corners form one stacked array,
    so a chunk costs a few dozen numpy calls whatever its dimension, and every temporary lives in
    a reused per-thread buffer.
    """
    n = coords[0].shape[0]
    out = np.empty(n, dtype=dtype)
    step = CHUNK >> len(coords)
    for a in range(0, n, step):
        _perlin_chunk([c[a : a + step] for c in coords], tab, periods, dtype, out[a : a + step])
    return out


def _perlin_chunk(
    coords: list[np.ndarray],
    tab: Tables,
    periods: tuple[int | None, ...],
    dtype: np.dtype[Any],
    out: np.ndarray,
) -> None:
    d = len(coords)
    n = coords[0].shape[0]
    perm = tab.perm
    grads = tab.grad(d, dtype)
    ws = workspace
    cs = ws("p.cs", (d, n), np.float64)
    for a in range(d):
        cs[a] = coords[a]
    fl = ws("p.fl", (d, n), np.float64)
    np.floor(cs, out=fl)
    np.subtract(cs, fl, out=cs)
    offsets = ws("p.off", (d, 2, n), dtype)
    frac = offsets[:, 0]
    frac[...] = cs
    np.subtract(frac, 1, out=offsets[:, 1])
    cells = ws("p.cells", (d, n), np.intp)
    cells[...] = fl
    corners = ws("p.corners", (d, 2, n), np.intp)
    if all(p is None for p in periods):
        np.bitwise_and(cells, MASK, out=corners[:, 0])
        cells += 1
        np.bitwise_and(cells, MASK, out=corners[:, 1])
    else:
        for a, p in enumerate(periods):
            corners[a, 0] = wrap_index(cells[a], p)
            corners[a, 1] = wrap_index(cells[a] + 1, p)
    # Hash chain; corner axes end up in coordinate order (axis 0 outermost).
    keys = corners[0]
    for a in range(1, d):
        m = 1 << a
        hashed = ws(f"p.h{a}", (m, n), np.intp)
        np.take(perm, keys, out=hashed, mode="wrap")
        nxt = ws(f"p.k{a}", (m, 2, n), np.intp)
        np.add(hashed[:, None, :], corners[a][None, :, :], out=nxt)
        keys = nxt.reshape(2 * m, n)
    cshape = (2,) * d + (n,)
    dot = ws("p.dot", (1 << d, n), dtype)
    term = ws("p.term", (1 << d, n), dtype)
    dotc = dot.reshape(cshape)
    termc = term.reshape(cshape)
    for a in range(d):
        off = offsets[a].reshape((1,) * a + (2,) + (1,) * (d - 1 - a) + (n,))
        if a == 0:
            np.take(grads[a], keys, out=dot, mode="wrap")
            np.multiply(dotc, off, out=dotc)
        else:
            np.take(grads[a], keys, out=term, mode="wrap")
            np.multiply(termc, off, out=termc)
            np.add(dot, term, out=dot)
    u = ws("p.u", (d, n), dtype)
    fade_into(frac, u)
    v = dotc
    for a in range(d - 1, -1, -1):
        v0 = v[..., 0, :]
        v1 = v[..., 1, :]
        np.subtract(v1, v0, out=v1)
        np.multiply(v1, u[a], out=v1)
        np.add(v1, v0, out=v1)
        v = v1
    np.multiply(v.reshape(n), dtype.type(SCALE[d]), out=out)
    np.clip(out, -CLIP, CLIP, out=out)


def _lattice(
    v: np.ndarray, period: int | None, dtype: np.dtype[Any]
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """Lattice of one axis vector: table indices of the cells touched, local index, weights."""
    fl = np.floor(v)
    f = (v - fl).astype(dtype, copy=False)
    i = fl.astype(np.intp)
    imin = int(i.min())
    imax = int(i.max())
    lat = wrap_index(np.arange(imin, imax + 2, dtype=np.intp), period)
    local = i - imin
    u = fade(f)
    w0 = 1 - u
    weights = {"w0": w0, "w1": u, "d0": w0 * f, "d1": u * (f - 1)}
    return lat, local, weights


def lattice_span(v: np.ndarray) -> int:
    """Number of lattice cells an axis vector touches (for choosing the grid path)."""
    fl = np.floor(v)
    return int(fl.max() - fl.min()) + 2


def _expand(
    t: np.ndarray, axis: int, local: np.ndarray, wa: np.ndarray, wb: np.ndarray
) -> np.ndarray:
    """``wa * t[local] + wb * t[local + 1]`` along ``axis`` (weights broadcast along it)."""
    shape = [1] * t.ndim
    shape[axis] = -1
    a = np.take(t, local, axis=axis)
    a *= wa.reshape(shape)
    b = np.take(t, local + 1, axis=axis)
    b *= wb.reshape(shape)
    a += b
    return a


def perlin_grid(
    vecs: list[np.ndarray],
    axes: list[int | None],
    out_ndim: int,
    tab: Tables,
    periods: tuple[int | None, ...],
    dtype: np.dtype[Any],
) -> np.ndarray:
    """Perlin noise on a separable grid, hashing each lattice cell once.

    Parameters
    ----------
    vecs : list of 1-D float64 arrays
        Coordinate ``a`` takes the values ``vecs[a]`` along output axis ``axes[a]`` (a scalar
        coordinate has one value and axis None). No two coordinates share an output axis.
    axes : list of int or None
    out_ndim : int
        Number of axes of the result.

    Returns
    -------
    ndarray of dtype
        Shape: ``len(vecs[a])`` along ``axes[a]``, 1 elsewhere; values in [-1, 1].

    Notes
    -----
    Perlin noise is a sum over corners of products of per-axis weights and a dot product, so
    it factors into per-axis expansions of the lattice's gradient tensor. Axes are expanded from
    the innermost output axis outwards; the last expansion copies whole rows.
    """
    d = len(vecs)
    perm = tab.perm
    grads = tab.grad(d, dtype)
    lats, locals_, weights = [], [], []
    for v, p in zip(vecs, periods, strict=True):
        lat, local, w = _lattice(v, p, dtype)
        lats.append(lat)
        locals_.append(local)
        weights.append(w)

    # Gradient tensor over the lattice, in coordinate order (axis a of the tensor = coord a).
    def shaped(x: np.ndarray, a: int) -> np.ndarray:
        s = [1] * d
        s[a] = -1
        return x.reshape(s)

    if d == 1:
        keys = lats[0]
    else:
        h = perm.take(shaped(lats[0], 0))
        for a in range(1, d - 1):
            h = perm.take(h + shaped(lats[a], a))
        keys = h + shaped(lats[d - 1], d - 1)
    gten = [g.take(keys) for g in grads]

    # Tensor axis order: scalar coordinates first, then varying ones by output axis.
    scalars = [a for a in range(d) if axes[a] is None]
    varying = sorted((a for a in range(d) if axes[a] is not None), key=lambda a: axes[a])
    order = scalars + varying
    gten = [np.ascontiguousarray(np.transpose(t, order)) for t in gten]
    pos = {a: i for i, a in enumerate(order)}

    # Contract scalar axes: every term uses E (weights), the term of the same axis uses D.
    terms: dict[int, np.ndarray] = dict(enumerate(gten))
    for a in scalars:
        w = weights[a]
        ax = pos[a]
        for m, t in terms.items():
            wa, wb = (w["d0"], w["d1"]) if m == a else (w["w0"], w["w1"])
            terms[m] = _expand(t, ax, locals_[a], wa, wb)
    summed: np.ndarray | None = None
    for m in scalars:
        summed = terms.pop(m) if summed is None else summed + terms.pop(m)
    # Expand varying axes from the innermost output axis outwards.
    for a in reversed(varying):
        w = weights[a]
        ax = pos[a]
        local = locals_[a]
        own = terms.pop(a)
        expanded = _expand(own, ax, local, w["d0"], w["d1"])
        if summed is not None:
            expanded += _expand(summed, ax, local, w["w0"], w["w1"])
        summed = expanded
        for m in list(terms):
            terms[m] = _expand(terms[m], ax, local, w["w0"], w["w1"])
    assert summed is not None and not terms
    out = summed.reshape([len(vecs[a]) for a in varying])
    shape = [1] * out_ndim
    for a in varying:
        shape[axes[a]] = len(vecs[a])  # type: ignore[index]
    out = out.reshape(shape)
    out *= dtype.type(SCALE[d])
    np.clip(out, -CLIP, CLIP, out=out)
    return out
