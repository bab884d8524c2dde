"""Occlusion of lines by nearer lines: the floating horizon, dust, and the visible runs.

Lines are rows of y values at common x samples, nearest first; screen y points down, so a
line is hidden where it lies below the running minimum of the nearer lines (the horizon in
front of it). This module is pure geometry on such arrays: :mod:`wiktoria.render.layers.lines`
rasterises with it, and plotter or SVG output takes :func:`visible_runs` as polylines.

Examples
--------
>>> ys = np.array([[5.0, 5.0, 5.0, 5.0, 5.0], [6.0, 4.0, 3.0, 4.0, 6.0]])
>>> bool((ys[1] < horizons(ys)[1]).sum() == 3)
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["MIN_SAMPLES", "horizons", "remove_dust", "visible_runs"]

#: Visible runs with fewer samples than this are dust: pressed onto the horizon / dropped.
MIN_SAMPLES = 3


def horizons(ys: np.ndarray) -> np.ndarray:
    """The horizon in front of each line: the running minimum of the nearer lines' y.

    Parameters
    ----------
    ys : ndarray, shape (K, N)
        Line ``k``'s y at N sample points, nearest line first (screen y points down).

    Returns
    -------
    ndarray, shape (K, N)
        Row ``k`` is ``min(ys[:k])`` (``inf`` for the nearest line); line ``k`` is visible
        where ``ys[k] < horizons(ys)[k]``.

    Examples
    --------
    >>> ys = np.array([[5.0, 5.0, 5.0], [6.0, 3.0, 6.0]])
    >>> horizons(ys)
    array([[inf, inf, inf],
           [ 5.,  5.,  5.]])
    """
    ys = np.asarray(ys)
    inf = np.full((1, ys.shape[1]), np.inf, ys.dtype)
    return np.vstack([inf, np.minimum.accumulate(ys, axis=0)[:-1]])


def _short_runs(visible: np.ndarray, min_samples: int) -> np.ndarray:
    """Mask of the samples of ``visible`` (1-D) lying in runs shorter than ``min_samples``."""
    v = np.concatenate([[False], visible, [False]]).astype(np.int8)
    d = np.diff(v)
    starts, ends = np.flatnonzero(d == 1), np.flatnonzero(d == -1)
    short = (ends - starts) < min_samples
    mark = np.zeros(len(visible) + 1, np.int32)
    np.add.at(mark, starts[short], 1)
    np.add.at(mark, ends[short], -1)
    return np.cumsum(mark[:-1]) > 0


def remove_dust(ys: np.ndarray, min_samples: int = MIN_SAMPLES) -> np.ndarray:
    """``ys`` with every visible run shorter than ``min_samples`` samples pressed down onto
    the horizon of the nearer lines (so it is hidden), line by line from the front.

    Parameters
    ----------
    ys : ndarray, shape (K, N)
        Nearest line first.
    min_samples : int

    Returns
    -------
    ndarray, shape (K, N), a copy.

    Examples
    --------
    >>> ys = np.array([[5.0, 5.0, 5.0, 5.0], [6.0, 4.0, 6.0, 6.0]])
    >>> remove_dust(ys)[1]
    array([6., 5., 6., 6.])
    """
    out = np.array(ys, copy=True)
    if len(out) == 0:
        return out
    front = out[0].copy()
    for k in range(1, len(out)):  # one whole-row step per line
        row = out[k]
        short = _short_runs(row < front, min_samples)
        if short.any():
            row[short] = front[short]
        np.minimum(front, row, out=front)
    return out


def visible_runs(ys: np.ndarray, xs: np.ndarray, min_samples: int = MIN_SAMPLES,
                 with_lines: bool = False) -> Any:
    """The visible parts of occluding lines as polylines (for a plotter).

    A run of visible samples is extended at each end to where the line crosses the horizon
    of the nearer lines (:func:`horizons`), found by linear interpolation of their distance;
    runs of fewer than ``min_samples`` visible samples are dropped.

    Parameters
    ----------
    ys : ndarray, shape (K, N)
        Nearest line first.
    xs : ndarray, shape (N,)
        Increasing x of the samples.
    min_samples : int
    with_lines : bool
        Also return the index of the line each run belongs to.

    Returns
    -------
    list of ndarray of float32, shape (n, 2)
        ``(x, y)`` vertices, nearest line first, left to right.
    ndarray of int
        With ``with_lines``: each run's line.

    Examples
    --------
    >>> ys = np.array([[5.0, 5.0, 5.0, 5.0, 5.0], [6.0, 4.0, 3.0, 4.0, 6.0]])
    >>> [r.tolist() for r in visible_runs(ys, np.arange(5.0))][1]
    [[0.5, 5.0], [1.0, 4.0], [2.0, 3.0], [3.0, 4.0], [3.5, 5.0]]
    """
    ys = np.asarray(ys, np.float64)
    xs = np.asarray(xs, np.float64)
    K, N = ys.shape
    d = horizons(ys) - ys  # > 0 where visible
    vis = d > 0
    pad = np.zeros((K, 1), bool)
    edge = np.diff(np.hstack([pad, vis, pad]).astype(np.int8), axis=1)
    ks, starts = np.nonzero(edge == 1)
    _, ends = np.nonzero(edge == -1)  # same row-major order: run i is (ks[i], starts, ends)
    keep = (ends - starts) >= min_samples
    ks, starts, ends = ks[keep], starts[keep], ends[keep]
    if len(ks) == 0:
        return ([], ks) if with_lines else []
    lens = ends - starts
    # Interior vertices of all runs at once, then a crossing vertex before and after each.
    run = np.repeat(np.arange(len(ks)), lens)
    offs = np.arange(len(run)) - np.repeat(np.cumsum(lens) - lens, lens)
    cols = starts[run] + offs
    body = np.stack([xs[cols], ys[ks[run], cols]], axis=1)

    def crossing(i0: np.ndarray, i1: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        ok = (i0 >= 0) & (i1 < N)
        a, b = np.clip(i0, 0, N - 1), np.clip(i1, 0, N - 1)
        da, db = d[ks, a], d[ks, b]
        with np.errstate(invalid="ignore", divide="ignore"):
            t = np.where(np.isfinite(da) & np.isfinite(db), da / (da - db), 0.5)
        t = np.clip(np.nan_to_num(t, nan=0.5), 0.0, 1.0)
        x = xs[a] + t * (xs[b] - xs[a])
        y = ys[ks, a] + t * (ys[ks, b] - ys[ks, a])
        return ok, x, y

    lok, lx, ly = crossing(starts - 1, starts)
    rok, rx, ry = crossing(ends - 1, ends)
    # Assemble: each run is [left crossing?] + body + [right crossing?].
    total = lens + lok + rok
    out = np.empty((int(total.sum()), 2), np.float64)
    first = np.cumsum(total) - total
    out[first[lok]] = np.stack([lx[lok], ly[lok]], axis=1)
    body_at = np.repeat(first + lok, lens) + offs
    out[body_at] = body
    last = first + total - 1
    out[last[rok]] = np.stack([rx[rok], ry[rok]], axis=1)
    runs = np.split(out.astype(np.float32), np.cumsum(total)[:-1])
    return (runs, ks) if with_lines else runs
