"""Anti-aliased rasterisation of variable-width polyline strokes, composited "over" in order.

:func:`paint_strokes` paints polylines (``points`` split by ``offsets``, the layout of
:class:`~wiktoria.render.strokes.streamlines.Streamlines`) into a float32 linear-RGB image in
place, and :func:`strokes_in_rows` culls the strokes that can touch a band of rows, so that a
compositor can paint a frame band by band.

Rules
-----
* **Pixels.** Pixel ``[j, i]`` of the frame is the point ``x = i, y = j`` (the convention of
  :mod:`~wiktoria.render.strokes.streamlines`); row ``r`` of ``out_rgb`` is frame row
  ``row0 + r``. Coverage is evaluated once, at the pixel centre (no super-sampling).
* **Half-width.** A stroke of width ``w`` has, at each point, the half-width ``h``:

  - ``"round"`` and ``"blunt"``: ``h = w / 2`` everywhere;
  - ``"taper"``: with ``t`` in [0, 1] the point's arc-length position along the stroke,
    ``h = max(w/2 * min(1, t/taper, (1-t)/taper) ** 0.6, min(0.35, w/2))``: pointed at both
    ends (down to 0.35 px, so a thin stroke stays visible but faint), full width in the
    middle ``1 - 2 taper`` of the length. A stroke of zero length has ``h = min(0.35, w/2)``.

  Between two points, ``h`` is interpolated linearly along the segment, so a taper is only
  as smooth as the polyline's sampling (a two-point stroke is a 0.35 px hairline: resample
  coarse polylines, e.g. every 2 px, before painting them with ``"taper"``).
* **Segment coverage.** For a pixel centre ``p`` and a segment ``ab``, let ``u`` be the
  projection parameter of ``p`` on ``ab`` clamped to [0, 1], ``d`` the distance from ``p`` to
  ``a + u (b - a)`` and ``h`` the half-width at ``u``; the coverage is
  ``clip(h - d + 0.5, 0, 1)``: an anti-aliased capsule (about one pixel of ramp across each
  edge, 0.5 on the exact edge).
* **Ends.** ``"taper"`` and ``"round"``: the capsules' round caps (radius ``h`` at the end
  point, 0.35 px for a taper) reach ``h`` beyond each end point. ``"blunt"``: the ends are cut
  square at the end points: the first (last) segment of non-zero length is extended as a
  strip of constant width before its start (after its end), and every segment within
  ``w/2 + 1`` of arc length from an end is multiplied by ``clip(0.5 - e, 0, 1)``, ``e`` the
  signed distance of the pixel centre beyond that end point along the end segment's
  direction (0.5 on the end line, 0 from half a pixel past it). Zero-length segments paint
  nothing with ``"blunt"`` and a disc of radius ``h`` otherwise.
* **Stroke coverage** is the **max** over the stroke's segments (never the sum, so the
  overlapping caps at the joints of a polyline do not bead).
* **Compositing.** Strokes are painted in order (``select`` order if given), each "over" the
  image: ``rgb += (colour - rgb) * (alpha * coverage)``. The returned coverage is the max of
  all painted strokes' coverages (alpha not applied). Strokes with fewer than two points,
  zero width or zero alpha paint nothing.

All arithmetic is in float64 (the image is converted to float64 for the call and rounded back
to float32 once). Backends: a numba kernel (the ``fast`` extra) and the same functions run as
pure Python (hundreds of times slower) give bit-identical images; ``backend=None`` follows
``WIKTORIA_BACKEND`` like :mod:`wiktoria.render.strokes.streamlines`.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from wiktoria.render.strokes import _raster_kernel as _core
from wiktoria.render.strokes._jit import backend as _backend
from wiktoria.render.strokes._jit import compiled

__all__ = ["ENDS", "MIN_HALF_WIDTH", "StrokeSet", "paint_strokes", "strokes_in_rows"]

#: The end styles of :func:`paint_strokes`.
ENDS = ("taper", "round", "blunt")
#: A tapered stroke's half-width never drops below this (pixels), unless the stroke is thinner.
MIN_HALF_WIDTH = 0.35
#: Exponent of the taper profile ``min(1, t/taper, (1-t)/taper) ** TAPER_POWER``.
TAPER_POWER = 0.6


def _floats(name: str, a: npt.ArrayLike, shape: tuple[int | None, ...]) -> np.ndarray:
    arr = np.asarray(a)
    if arr.dtype.kind != "f":
        raise TypeError(f"{name} must be a float array, got dtype {arr.dtype}")
    if arr.ndim != len(shape) or any(
        s is not None and s != n for s, n in zip(shape, arr.shape, strict=False)
    ):
        want = "x".join("?" if s is None else str(s) for s in shape)
        raise ValueError(f"{name} must have shape ({want}), got {arr.shape}")
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} has NaN or infinite values")
    return np.ascontiguousarray(arr, np.float64)


def _strokes(
    points: npt.ArrayLike, offsets: npt.ArrayLike, widths: npt.ArrayLike
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validated float64 points, int64 offsets and float64 widths."""
    pts = _floats("points", points, (None, 2))
    offs = np.asarray(offsets)
    if offs.dtype.kind not in "iu":
        raise TypeError(f"offsets must be an integer array, got dtype {offs.dtype}")
    if offs.ndim != 1 or offs.size < 1:
        raise ValueError(f"offsets must be 1-D with at least one entry, got shape {offs.shape}")
    offs = np.ascontiguousarray(offs, np.int64)
    if offs[0] != 0 or offs[-1] != len(pts) or (np.diff(offs) < 0).any():
        raise ValueError(
            f"offsets must rise from 0 to len(points) = {len(pts)}, got {offs[0]}..{offs[-1]}"
        )
    wid = _floats("widths", widths, (offs.size - 1,))
    if (wid < 0).any():
        raise ValueError(f"widths must be >= 0, got min {wid.min()}")
    return pts, offs, wid


def _arc(pts: np.ndarray, offs: np.ndarray) -> np.ndarray:
    """Arc length of each point from the first point of its stroke (float64)."""
    n = len(pts)
    seg = np.hypot(np.diff(pts[:, 0]), np.diff(pts[:, 1])) if n > 1 else np.zeros(0)
    starts = offs[:-1][np.diff(offs) > 0]
    seg[starts[starts > 0] - 1] = 0.0  # the gaps between consecutive strokes
    cs = np.concatenate([[0.0], np.cumsum(seg)])
    first = np.repeat(offs[:-1], np.diff(offs))
    return cs - cs[first]


def _half_widths(
    pts: np.ndarray, offs: np.ndarray, wid: np.ndarray, arc: np.ndarray, ends: str, taper: float
) -> np.ndarray:
    """Half-width at each point (float64), following the rules of the module docstring."""
    counts = np.diff(offs)
    half = np.repeat(0.5 * wid, counts)
    if ends != "taper" or len(pts) == 0:
        return half
    last = np.repeat(offs[1:] - 1, counts)
    total = arc[last]
    t = np.where(total > 0, arc / np.where(total > 0, total, 1.0), 0.0)
    prof = np.minimum(1.0, np.minimum(t, 1.0 - t) / taper) ** TAPER_POWER
    return np.maximum(half * prof, np.minimum(MIN_HALF_WIDTH, half))


def strokes_in_rows(
    points: npt.ArrayLike, offsets: npt.ArrayLike, widths: npt.ArrayLike, row0: int, row1: int
) -> np.ndarray:
    """Indices of the strokes that can paint a pixel of frame rows ``row0 <= j < row1``.

    A stroke is kept when it has at least two points, a width > 0, and its y-range padded by
    ``w/2 + 0.5`` (the farthest any of its coverage reaches), the open interval
    ``(ymin - w/2 - 0.5, ymax + w/2 + 0.5)``, meets ``[row0, row1 - 1]``. Fully vectorised.

    Parameters
    ----------
    points : array_like of float, shape (N, 2)
        (x, y) pixel coordinates.
    offsets : array_like of int, shape (S + 1,)
        Stroke ``s`` is ``points[offsets[s]:offsets[s + 1]]``.
    widths : array_like of float, shape (S,)
        Full widths in pixels (>= 0).
    row0, row1 : int
        The band of frame rows, ``row0 <= row1``.

    Returns
    -------
    numpy.ndarray of int64
        Increasing stroke indices.

    Examples
    --------
    >>> import numpy as np
    >>> from wiktoria.render.strokes.raster import strokes_in_rows
    >>> pts = np.array([[0, 2], [9, 2], [0, 20], [9, 21]], np.float32)
    >>> strokes_in_rows(pts, np.array([0, 2, 4]), np.array([2, 2], np.float32), 0, 10)
    array([0])
    """
    pts, offs, wid = _strokes(points, offsets, widths)
    for name, v in (("row0", row0), ("row1", row1)):
        if isinstance(v, bool) or not isinstance(v, int | np.integer):
            raise TypeError(f"{name} must be an int, got {v!r}")
    if row1 < row0:
        raise ValueError(f"row1 must be >= row0 ({row0}), got {row1}")
    return _in_rows(_reach(pts[:, 1], offs, wid), row0, row1)


def _reach(y: np.ndarray, offs: np.ndarray, wid: np.ndarray
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The strokes that can paint (at least two points, a width > 0) and the rows their
    coverage reaches: ``(idx, low, high)``, coverage only strictly between low and high."""
    counts = np.diff(offs)
    live = (counts >= 2) & (wid > 0)
    idx = np.flatnonzero(live)
    if not len(idx):
        return idx.astype(np.int64), np.zeros(0), np.zeros(0)
    # reduceat over the live strokes' starts: each segment runs to the next live start, so
    # reduce over a compacted copy of the live points instead
    yl = y[np.repeat(live, counts)]
    ls = np.concatenate([[0], np.cumsum(counts[idx])[:-1]])
    pad = 0.5 * wid[idx] + 0.5
    return (idx.astype(np.int64), np.minimum.reduceat(yl, ls) - pad,
            np.maximum.reduceat(yl, ls) + pad)


def _in_rows(reach: tuple[np.ndarray, np.ndarray, np.ndarray], row0: int, row1: int
             ) -> np.ndarray:
    idx, low, high = reach
    if row1 == row0 or not len(idx):
        return np.zeros(0, np.int64)
    return idx[(high > row0) & (low < row1 - 1)]


def paint_strokes(
    points: npt.ArrayLike,
    offsets: npt.ArrayLike,
    widths: npt.ArrayLike,
    colours: npt.ArrayLike,
    alphas: npt.ArrayLike,
    out_rgb: np.ndarray,
    *,
    row0: int = 0,
    ends: str = "taper",
    taper: float = 0.3,
    select: npt.ArrayLike | None = None,
    backend: str | None = None,
) -> np.ndarray:
    """Paint anti-aliased polyline strokes "over" ``out_rgb`` in place (rules: module docstring).

    Parameters
    ----------
    points : array_like of float, shape (N, 2)
        (x, y) frame pixel coordinates; pixel ``[j, i]`` is at ``x = i, y = j``.
    offsets : array_like of int, shape (S + 1,)
        Stroke ``s`` is ``points[offsets[s]:offsets[s + 1]]`` (rising from 0 to N).
    widths : array_like of float, shape (S,)
        Full width of each stroke at its widest, in pixels (>= 0).
    colours : array_like of float, shape (S, 3)
        Linear RGB of each stroke.
    alphas : array_like of float, shape (S,)
        Opacity of each stroke, in [0, 1].
    out_rgb : numpy.ndarray of float32, shape (rows, W, 3), C-contiguous
        Linear RGB, painted in place.
    row0 : int
        Frame row of ``out_rgb[0]`` (paint a frame band by band).
    ends : {"taper", "round", "blunt"}
        End style (module docstring).
    taper : float
        Fraction of the length over which each end of a ``"taper"`` stroke narrows, in
        (0, 0.5].
    select : array_like of int, optional
        Paint only these strokes, in this order (e.g. :func:`strokes_in_rows`); default all, in
        index order.
    backend : {None, "numba", "python"}
        None follows ``WIKTORIA_BACKEND``; the backends give identical pixels.

    Returns
    -------
    numpy.ndarray of float32, shape (rows, W)
        The union (max) coverage of the painted strokes, in [0, 1], alpha not applied.

    Raises
    ------
    ValueError, TypeError
        For a bad argument, naming it.

    Examples
    --------
    >>> import numpy as np
    >>> from wiktoria.render.strokes.raster import paint_strokes
    >>> img = np.zeros((12, 40, 3), np.float32)
    >>> pts = np.array([[4, 6], [20, 6], [36, 6]], np.float32)
    >>> cov = paint_strokes(pts, np.array([0, 3]), np.array([4], np.float32),
    ...                     np.array([[1, 0.5, 0]], np.float32), np.array([1], np.float32),
    ...                     img, ends="round")
    >>> float(cov[:, 20].sum()), img[6, 20].tolist()
    (4.0, [1.0, 0.5, 0.0])
    """
    if ends not in ENDS:
        raise ValueError(f"ends must be one of {', '.join(ENDS)}, got {ends!r}")
    strokes = StrokeSet(points, offsets, widths, ends=ends, taper=taper)
    return strokes.paint(out_rgb, colours, alphas, row0=row0, select=select, backend=backend)


class StrokeSet:
    """Strokes checked once, with their arc lengths and half-widths, to paint band by band.

    :func:`paint_strokes` checks its strokes and computes their arc lengths and half-widths on
    every call; a layer that paints the same strokes into many bands builds one ``StrokeSet``
    and calls :meth:`paint` for each band with the strokes that meet it (``select``), and gets
    the same pixels.

    Parameters
    ----------
    points, offsets, widths, ends, taper
        As for :func:`paint_strokes`.

    Examples
    --------
    >>> import numpy as np
    >>> from wiktoria.render.strokes.raster import StrokeSet, strokes_in_rows
    >>> pts = np.array([[4, 3], [36, 3], [4, 20], [36, 21]], np.float32)
    >>> strokes = StrokeSet(pts, np.array([0, 2, 4]), np.array([3, 3], np.float32),
    ...                     ends="round")
    >>> band = np.zeros((8, 40, 3), np.float32)  # frame rows 16 to 23
    >>> sel = strokes_in_rows(pts, strokes.offsets, strokes.widths, 16, 24)
    >>> cov = strokes.paint(band, np.ones((2, 3), np.float32), np.ones(2, np.float32),
    ...                     row0=16, select=sel)
    >>> sel.tolist(), round(float(cov.max()), 2)
    ([1], 1.0)
    """

    def __init__(self, points: npt.ArrayLike, offsets: npt.ArrayLike, widths: npt.ArrayLike,
                 *, ends: str = "taper", taper: float = 0.3) -> None:
        pts, offs, wid = _strokes(points, offsets, widths)
        if ends not in ENDS:
            raise ValueError(f"ends must be one of {', '.join(ENDS)}, got {ends!r}")
        if (
            isinstance(taper, bool)
            or not isinstance(taper, int | float | np.floating)
            or not (math.isfinite(taper) and 0 < taper <= 0.5)
        ):
            raise ValueError(f"taper must be a number in (0, 0.5], got {taper!r}")
        self.offsets, self.widths, self.ends = offs, wid, ends
        self.x = np.ascontiguousarray(pts[:, 0])
        self.y = np.ascontiguousarray(pts[:, 1])
        self.arc = _arc(pts, offs)
        self.half = _half_widths(pts, offs, wid, self.arc, ends, float(taper))

    def __len__(self) -> int:
        return int(self.offsets.size - 1)

    def in_rows(self, row0: int, row1: int) -> np.ndarray:
        """:func:`strokes_in_rows` for these strokes (their extents are found once)."""
        if getattr(self, "_reach", None) is None:
            self._reach = _reach(self.y, self.offsets, self.widths)
        return _in_rows(self._reach, int(row0), int(row1))

    def paint(self, out_rgb: np.ndarray, colours: npt.ArrayLike, alphas: npt.ArrayLike, *,
              row0: int = 0, select: npt.ArrayLike | None = None,
              backend: str | None = None) -> np.ndarray:
        """Paint the strokes (``select``, in order; default all) over ``out_rgb`` in place and
        return their union coverage; the arguments are those of :func:`paint_strokes`."""
        ns = len(self)
        col = _floats("colours", colours, (ns, 3))
        alp = _floats("alphas", alphas, (ns,))
        if (alp < 0).any() or (alp > 1).any():
            raise ValueError(f"alphas must lie in [0, 1], got [{alp.min()}, {alp.max()}]")
        if not isinstance(out_rgb, np.ndarray) or out_rgb.dtype != np.float32:
            got = out_rgb.dtype if isinstance(out_rgb, np.ndarray) else type(out_rgb).__name__
            raise TypeError(f"out_rgb must be a float32 numpy array, got {got}")
        if out_rgb.ndim != 3 or out_rgb.shape[2] != 3:
            raise ValueError(f"out_rgb must have shape (rows, W, 3), got {out_rgb.shape}")
        if not out_rgb.flags.c_contiguous or not out_rgb.flags.writeable:
            raise ValueError(
                "out_rgb must be a writeable C-contiguous array (it is painted in place)")
        if isinstance(row0, bool) or not isinstance(row0, int | np.integer):
            raise TypeError(f"row0 must be an int, got {row0!r}")
        if select is None:
            order = np.arange(ns, dtype=np.int64)
        else:
            order = np.asarray(select)
            if order.dtype.kind not in "iu" or order.ndim != 1:
                raise TypeError(
                    f"select must be a 1-D integer array, got {order.dtype} {order.shape}")
            order = np.ascontiguousarray(order, np.int64)
            if order.size and (order.min() < 0 or order.max() >= ns):
                raise ValueError(
                    f"select must index the {ns} strokes, got [{order.min()}, {order.max()}]"
                )
        which = _backend(backend)
        rows, w = out_rgb.shape[:2]
        rgb = out_rgb.astype(np.float64).ravel()
        cov = np.zeros(rows * w)
        buffers = [
            self.x,
            self.y,
            self.half,
            self.arc,
            self.offsets,
            order,
            order.size,
            alp,
            col.ravel(),
            self.ends == "blunt",
            w,
            rows,
            int(row0),
            rgb,
            cov,
            np.zeros(rows * w),
            np.zeros(rows * w, np.int64),
        ]
        if rows and w and order.size:
            if which == "numba":
                compiled(_core, ("segment", "run"))(*buffers)
            else:
                lists = [b.tolist() if isinstance(b, np.ndarray) else b for b in buffers]
                _core.run(*lists)
                rgb = np.asarray(lists[13], np.float64)
                cov = np.asarray(lists[14], np.float64)
        out_rgb[...] = rgb.reshape(out_rgb.shape)
        return cov.reshape(rows, w).astype(np.float32)
