"""Internal: simplex noise kernel (Gustavson's construction) in 2 to 4 dimensions, vectorised.

The skewing and the lattice split run in float64, so far-away coordinates keep their detail;
the kernel itself runs in the requested dtype. Corners are hashed with the same permutation
tables as Perlin noise. The kernel radius squared is 0.5 in every dimension, so the field is
continuous (``noise`` uses 0.6 in 3D and 4D, which leaves small jumps).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from wiktoria.noise._lattice import MASK, Tables, workspace

CLIP = 1.0
#: Points per chunk times (dims + 1): bounds the per-thread scratch buffers.
CHUNK = 1 << 16
__all__ = ["SCALE", "simplex_points"]

#: Output scale per dimension, measured so that the extremes of the field reach about ±1.
SCALE = {2: 99.2, 3: 76.5, 4: 62.5}


def simplex_points(coords: list[np.ndarray], tab: Tables, dtype: np.dtype[Any]) -> np.ndarray:
    """Simplex noise at scattered points.

    Parameters
    ----------
    coords : list of 1-D float64 arrays of equal length n
        One array per dimension (2 to 4).
    tab : Tables
        Hash tables of the seed.
    dtype : dtype
        float32 or float64.

    Returns
    -------
    ndarray of dtype, shape (n,), values in [-1, 1]
    """
    n = coords[0].shape[0]
    out = np.empty(n, dtype=dtype)
    step = CHUNK // (len(coords) + 1)
    for a in range(0, n, step):
        _simplex_chunk([c[a : a + step] for c in coords], tab, dtype, out[a : a + step])
    return out


def _simplex_chunk(
    coords: list[np.ndarray], tab: Tables, dtype: np.dtype[Any], out: np.ndarray
) -> None:
    d = len(coords)
    n = coords[0].shape[0]
    ws = workspace
    f_skew = (math.sqrt(d + 1) - 1) / d
    g_skew = (1 - 1 / math.sqrt(d + 1)) / d
    cs = ws("s.cs", (d, n), np.float64)
    for a in range(d):
        cs[a] = coords[a]
    s = ws("s.s", (n,), np.float64)
    np.sum(cs, axis=0, out=s)
    s *= f_skew
    cells = ws("s.cells", (d, n), np.float64)
    np.add(cs, s, out=cells)
    np.floor(cells, out=cells)
    np.sum(cells, axis=0, out=s)
    s *= g_skew
    # x0 = x - (cell - t): the position inside the simplex cell, unskewed.
    np.subtract(cs, cells, out=cs)
    cs += s
    x0 = ws("s.x0", (d, n), dtype)
    x0[...] = cs
    idx = ws("s.idx", (d, n), np.intp)
    idx[...] = cells
    idx &= MASK
    # Rank of each axis among the offsets decides the order in which corners are visited.
    rank = ws("s.rank", (d, n), np.intp)
    rank[...] = 0
    gt = ws("s.gt", (n,), np.bool_)
    for a in range(d):
        for b in range(a + 1, d):
            np.greater(x0[a], x0[b], out=gt)
            rank[a] += gt
            np.logical_not(gt, out=gt)
            rank[b] += gt
    offs = ws("s.offs", (d + 1, d, n), np.bool_)
    offs[0] = False
    offs[d] = True
    for k in range(1, d):
        np.greater_equal(rank, d - k, out=offs[k])
    pos = ws("s.pos", (d + 1, d, n), dtype)
    np.subtract(x0[None], offs, out=pos)
    pos += (np.arange(d + 1, dtype=dtype) * dtype.type(g_skew)).reshape(d + 1, 1, 1)
    sq = ws("s.sq", (d + 1, d, n), dtype)
    np.multiply(pos, pos, out=sq)
    t = ws("s.t", (d + 1, n), dtype)
    np.sum(sq, axis=1, out=t)
    np.subtract(dtype.type(0.5), t, out=t)
    np.maximum(t, 0, out=t)
    t *= t
    t *= t
    # Hash: P[I0 + o0 + P[I1 + o1 + ... P[I_{d-1} + o_{d-1}]]], all corners at once.
    key = ws("s.key", (d + 1, n), np.intp)
    tmp = ws("s.tmp", (d + 1, n), np.intp)
    np.add(idx[d - 1], offs[:, d - 1], out=key)
    for a in range(d - 2, -1, -1):
        np.take(tab.perm, key, out=tmp, mode="wrap")
        np.add(tmp, offs[:, a], out=key)
        key += idx[a]
    grads = tab.grad(d, dtype)
    dot = ws("s.dot", (d + 1, n), dtype)
    term = ws("s.term", (d + 1, n), dtype)
    np.take(grads[0], key, out=dot, mode="wrap")
    dot *= pos[:, 0]
    for a in range(1, d):
        np.take(grads[a], key, out=term, mode="wrap")
        term *= pos[:, a]
        dot += term
    dot *= t
    np.sum(dot, axis=0, out=out)
    out *= dtype.type(SCALE[d])
    np.clip(out, -CLIP, CLIP, out=out)
