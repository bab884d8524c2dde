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

from wiktoria._lattice import MASK, Tables

CLIP = 1.0
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
    d = len(coords)
    f_skew = (math.sqrt(d + 1) - 1) / d
    g_skew = (1 - 1 / math.sqrt(d + 1)) / d
    s = coords[0].copy()
    for c in coords[1:]:
        s += c
    s *= f_skew
    cells = [np.floor(c + s) for c in coords]
    t = cells[0].copy()
    for c in cells[1:]:
        t += c
    t *= g_skew
    x0 = [(c - (i - t)).astype(dtype, copy=False) for c, i in zip(coords, cells, strict=True)]
    idx = [i.astype(np.intp) & MASK for i in cells]
    del s, t, cells
    # Rank of each axis among the offsets decides the order in which corners are visited.
    rank = [np.zeros(x0[0].shape, dtype=np.intp) for _ in range(d)]
    for a in range(d):
        for b in range(a + 1, d):
            gt = x0[a] > x0[b]
            rank[a] += gt
            rank[b] += ~gt
    perm = tab.perm
    grads = tab.grad(d, dtype)
    out = np.zeros(x0[0].shape, dtype=dtype)
    g = dtype.type(g_skew)
    for n in range(d + 1):
        if n == 0:
            offs: list[np.ndarray | int] = [0] * d
        elif n == d:
            offs = [1] * d
        else:
            offs = [(r >= d - n).astype(np.intp) for r in rank]
        pos = [x - o + dtype.type(n) * g if n else x for x, o in zip(x0, offs, strict=True)]
        r2 = pos[0] * pos[0]
        for p in pos[1:]:
            r2 += p * p
        tt = dtype.type(0.5) - r2
        np.maximum(tt, 0, out=tt)
        # Hash: P[I0 + o0 + P[I1 + o1 + ... P[I_{d-1} + o_{d-1}]]]
        key = idx[d - 1] + offs[d - 1]
        for a in range(d - 2, -1, -1):
            key = idx[a] + offs[a] + perm.take(key)
        dot = grads[0].take(key) * pos[0]
        for a in range(1, d):
            dot += grads[a].take(key) * pos[a]
        tt *= tt
        tt *= tt
        tt *= dot
        out += tt
    out *= dtype.type(SCALE[d])
    np.clip(out, -CLIP, CLIP, out=out)
    return out
