"""Frames of an animation as the encoders see them: checked, in order, and compared.

:class:`AnimationLike` is what every encoder uses of an :class:`~wiktoria.Animation` (a
:class:`~wiktoria.run.batch.FramesAhead` is one too); :func:`frame_durations` turns a frame rate
into whole time units without drift.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

__all__ = ["AnimationLike", "changed_box", "check_animation", "check_frame", "frame_durations",
           "iter_frames"]


class AnimationLike(Protocol):
    """What the encoders use of an :class:`~wiktoria.Animation`."""

    @property
    def fps(self) -> float: ...

    @property
    def size(self) -> tuple[int, int]: ...

    @property
    def scene(self) -> Any: ...

    def __len__(self) -> int: ...

    def frame_array(self, index: int) -> np.ndarray: ...


def check_animation(anim: AnimationLike) -> tuple[int, int, int, float]:
    """``(frames, width, height, fps)`` of ``anim``, checked (one-line ``ValueError``)."""
    n = len(anim)
    w, h = anim.size
    fps = float(anim.fps)
    if n < 1:
        raise ValueError(f"the animation has no frames ({n})")
    if not (np.isfinite(fps) and fps > 0):
        raise ValueError(f"fps must be positive, got {anim.fps!r}")
    return n, int(w), int(h), fps


def frame_durations(n: int, fps: float, units_per_second: int) -> NDArray[np.int64]:
    """Integer frame durations whose running sum tracks ``i / fps`` to the nearest unit.

    Parameters
    ----------
    n : int
        Number of frames.
    fps : float
        Frames per second, > 0.
    units_per_second : int
        100 for GIF centiseconds, 1000 for milliseconds.

    Returns
    -------
    ndarray, shape (n,), int64
        Frame ``i`` ends at ``floor((i + 1) * units / fps + 0.5)``: e.g. 24 fps in centiseconds
        is 4, 4, 5, 4, 4, 4, ... (25 cs per 6 frames, exactly 24 fps on average).

    Examples
    --------
    >>> frame_durations(6, 24, 100).tolist()
    [4, 4, 5, 4, 4, 4]
    """
    ends = np.floor(np.arange(1, n + 1, dtype=np.float64) * units_per_second / fps + 0.5)
    return np.diff(ends.astype(np.int64), prepend=0)


def check_frame(frame: np.ndarray, index: int, w: int, h: int) -> np.ndarray:
    """``frame`` as a contiguous (h, w, 3) uint8 array, or a one-line ``ValueError``."""
    arr = np.asarray(frame)
    if arr.shape != (h, w, 3) or arr.dtype != np.uint8:
        raise ValueError(f"frame {index} is {arr.dtype} {arr.shape}, expected uint8 ({h}, {w}, 3)")
    return np.ascontiguousarray(arr)


def iter_frames(anim: AnimationLike, cache: dict[int, np.ndarray] | None = None
                ) -> Iterator[np.ndarray]:
    """Frames 0..n-1 in order, rendered lazily (or popped from ``cache``)."""
    n, w, h, _ = check_animation(anim)
    for i in range(n):
        frame = cache.pop(i) if cache and i in cache else anim.frame_array(i)
        yield check_frame(frame, i, w, h)


def changed_box(a: np.ndarray, b: np.ndarray) -> tuple[int, int, int, int] | None:
    """Bounding box ``(x0, y0, x1, y1)`` of the pixels where ``a`` and ``b`` differ, or None."""
    diff = a != b
    if diff.ndim == 3:
        diff = diff.any(axis=2)
    rows = np.flatnonzero(diff.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(diff.any(axis=0))
    return int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1
