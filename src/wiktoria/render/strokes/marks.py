"""Marks: evenly spaced streamlines cut into strokes with a hierarchy of lengths and widths.

A streamline runs until it meets another, an outline or an empty area, so its length says
nothing about a brush. :func:`cut` walks every line by arc length and cuts it into strokes whose
lengths come from a heavy-tailed (log-normal) distribution, leaving a small gap between them: a
few long strokes and many short ones. :func:`widths` draws their widths from another
log-normal, wider for longer strokes. Both are whole-array numpy operations over all the points
of all the lines at once, and every draw comes from the generator given.

Examples
--------
>>> import numpy as np
>>> from wiktoria.render.strokes.streamlines import Streamlines
>>> line = np.stack([np.arange(0, 400, 1.0), np.zeros(400)], 1).astype(np.float32)
>>> s = Streamlines(line, np.array([0, 400]))
>>> m = cut(s, np.random.default_rng(1), median=60.0, spread=0.8, gap=4.0, shortest=8.0)
>>> len(m) > 2, bool((m.lengths() >= 8.0 - 1e-3).all())
(True, True)
"""

from __future__ import annotations

import numpy as np

from wiktoria.render.strokes.streamlines import Streamlines

__all__ = ["cut", "widths"]


def cut(lines: Streamlines, rng: np.random.Generator, *, median: float, spread: float,
        gap: float, shortest: float, return_lines: bool = False, return_starts: bool = False
        ) -> Streamlines | tuple[Streamlines, np.ndarray] | tuple[Streamlines, np.ndarray,
                                                                     np.ndarray]:
    """Cut ``lines`` into strokes of log-normal lengths (``median`` pixels, log-sd ``spread``)
    separated by ``gap`` pixels; strokes shorter than ``shortest`` are dropped.

    A stroke never runs from one line into the next: a cut falls at every line's start. With
    ``return_lines``, also the index of the line each stroke was cut from; with
    ``return_starts`` (and ``return_lines``), also the index in ``lines.points`` of each
    stroke's first point (a stroke is the run of its line's points from there).
    """
    pts, off = lines.points, lines.offsets
    n, count = len(pts), len(lines)
    if n == 0 or count == 0:
        empty = Streamlines(np.zeros((0, 2), np.float32), np.zeros(1, np.int64))
        if return_starts:
            return empty, np.zeros(0, np.int64), np.zeros(0, np.int64)
        return (empty, np.zeros(0, np.int64)) if return_lines else empty
    line_of = np.repeat(np.arange(count), np.diff(off))
    seg = np.hypot(*np.diff(pts.astype(np.float64), axis=0).T)
    seg[np.diff(line_of) != 0] = 0.0  # no length across a line's end
    arc = np.concatenate([[0.0], np.cumsum(seg)])
    total = float(arc[-1])
    # One global sequence of strokes and gaps along the concatenated arc length; a stroke
    # that would cross a line's start is cut there.
    k = int(total / max(1e-6, median * 0.3 + gap)) + 16
    lengths = median * np.exp(spread * rng.standard_normal(k))
    while lengths.sum() + gap * k < total:  # rare: draw more
        lengths = np.concatenate([lengths, median * np.exp(spread * rng.standard_normal(k))])
        k = len(lengths)
    ends = np.cumsum(lengths + gap)  # end of each stroke + its gap
    begin = ends - lengths - gap
    piece = np.searchsorted(ends, arc, side="right")
    into = arc - begin[np.minimum(piece, len(begin) - 1)]
    keep = into <= lengths[np.minimum(piece, len(lengths) - 1)]  # not in a gap
    # A stroke id that also changes at every line start.
    sid = piece.astype(np.int64) * (count + 1) + line_of
    new = np.ones(n, bool)
    new[1:] = (sid[1:] != sid[:-1]) | (~keep[:-1])
    new &= keep
    start_idx = np.flatnonzero(new)
    ids = np.cumsum(new) - 1
    ids[~keep] = -1
    counts = np.bincount(ids[keep], minlength=len(start_idx))
    # Length of each stroke: arc difference between its last and first point.
    length = arc[start_idx + counts - 1] - arc[start_idx]
    good = (counts >= 2) & (length >= shortest)
    take = keep & good[np.maximum(ids, 0)]
    points = pts[take]
    sizes = counts[good]
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    out = Streamlines(points.astype(np.float32), offsets)
    if return_starts:
        return out, line_of[start_idx[good]].astype(np.int64), start_idx[good].astype(np.int64)
    return (out, line_of[start_idx[good]].astype(np.int64)) if return_lines else out


def widths(strokes: Streamlines, rng: np.random.Generator, *, median: float, spread: float,
           length_median: float) -> np.ndarray:
    """Width of each stroke, pixels: log-normal (``median``, log-sd ``spread``), times
    ``(length / length_median) ** 0.35`` so long strokes are broader; at least 0.5 px.

    Examples
    --------
    >>> import numpy as np
    >>> from wiktoria.render.strokes.streamlines import Streamlines
    >>> s = Streamlines(np.zeros((4, 2), np.float32) + [[0, 0], [9, 0], [0, 5], [40, 5]],
    ...                 np.array([0, 2, 4]))
    >>> w = widths(s, np.random.default_rng(0), median=2.0, spread=0.0, length_median=9.0)
    >>> bool(w[1] > w[0])
    True
    """
    if len(strokes) == 0:
        return np.zeros(0, np.float32)
    w = median * np.exp(spread * rng.standard_normal(len(strokes)))
    w *= (np.maximum(strokes.lengths(), 1e-3) / max(1e-3, length_median)) ** 0.35
    return np.maximum(w, 0.5).astype(np.float32)
