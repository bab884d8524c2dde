"""Photosensitivity check: WCAG 2.x success criterion 2.3.1 (three flashes or below).

A *general flash* is a pair of opposing changes in relative luminance of at least 0.1 (of the
maximum 1.0) where the darker state is below 0.8. A *red flash* is a pair of opposing changes
in saturated red: ``R / (R + G + B) >= 0.8`` in one of the states and a change of
``(R - G - B) * 320`` of more than 20 (linear RGB, as in the WCAG definition). A flash counts
only where it covers 25 % of a 10 degree field of view, operationalised as a 341x256 pixel
rectangle: frames are cut into tiles of that size (a smaller frame is one tile) and each tile's
mean is followed through time. No tile may show more than 3 flashes in any 1 s window.

This is a conservative, simplified version of tools such as PEAT: it follows tile means, not
every possible rectangle, and counts a transition whenever the value has moved by the
threshold in the opposite direction of the previous one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

__all__ = ["TILE", "FlashReport", "flash_report"]

#: Width and height of the area threshold rectangle, in pixels.
TILE = (341, 256)


@dataclass(frozen=True)
class FlashReport:
    """Worst flash rates of a sequence.

    Attributes
    ----------
    general_per_s, red_per_s : int
        The largest number of general / red flashes in any 1 s window of any tile.
    ok : bool
        Both are at most 3.
    """

    general_per_s: int
    red_per_s: int

    @property
    def ok(self) -> bool:
        return self.general_per_s <= 3 and self.red_per_s <= 3


def _linear(srgb: np.ndarray) -> np.ndarray:
    c = srgb.astype(np.float32) / np.float32(255)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4).astype(np.float32)


def _tile_means(frame: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-tile mean luminance, red-saturation share and red excess ``(R - G - B) * 320``."""
    lin = _linear(frame)
    h, w = lin.shape[:2]
    tw, th = min(TILE[0], w), min(TILE[1], h)
    ny, nx = max(1, h // th), max(1, w // tw)
    crop = lin[: ny * th, : nx * tw].reshape(ny, th, nx, tw, 3).mean(axis=(1, 3))
    r, g, b = crop[..., 0], crop[..., 1], crop[..., 2]
    lum = 0.2126 * r + 0.7152 * g + 0.0722 * b
    share = r / np.maximum(r + g + b, 1e-6)
    excess = (r - g - b) * 320
    return lum.ravel(), share.ravel(), excess.ravel()


def _transitions(series: np.ndarray, threshold: float, darker_below: float | None,
                 gate: np.ndarray | None = None) -> list[int]:
    """Frame indices at which a significant opposing change completes, for one tile."""
    out: list[int] = []
    extreme = series[0]
    direction = 0
    for i in range(1, len(series)):
        v = series[i]
        if (direction == 1 and v > extreme) or (direction == -1 and v < extreme):
            extreme = v  # still moving the same way: extend the current change
            continue
        delta = v - extreme
        if abs(delta) >= threshold:
            darker = min(v, extreme)
            counts = darker_below is None or darker < darker_below
            if gate is not None:
                counts = counts and bool(gate[i] or gate[i - 1])
            if counts:
                out.append(i)
            direction = 1 if delta > 0 else -1
            extreme = v
    return out


def _max_per_window(times: list[int], window: int) -> int:
    best = 0
    for k, start in enumerate(times):
        n = sum(1 for t in times[k:] if t - start < window)
        best = max(best, n // 2)
    return best


def flash_report(frames: Iterable[np.ndarray], fps: float, *, loop: bool = True) -> FlashReport:
    """Count the worst flash rates of a frame sequence.

    Parameters
    ----------
    frames : iterable of ndarray, uint8, shape (H, W, 3)
        sRGB frames, in order.
    fps : float
        Frames per second.
    loop : bool
        The sequence loops: the wrap from the last frame to the first counts too (the
        sequence is followed for two rounds).

    Returns
    -------
    FlashReport
    """
    lums, shares, excesses = [], [], []
    for frame in frames:
        lum, share, excess = _tile_means(np.asarray(frame))
        lums.append(lum)
        shares.append(share)
        excesses.append(excess)
    if not lums:
        return FlashReport(0, 0)
    lum = np.stack(lums)
    share = np.stack(shares)
    excess = np.stack(excesses)
    if loop:
        lum, share, excess = (np.concatenate([a, a]) for a in (lum, share, excess))
    window = max(1, round(fps))
    general = red = 0
    for tile in range(lum.shape[1]):
        t = _transitions(lum[:, tile], 0.1, 0.8)
        general = max(general, _max_per_window(t, window))
        r = _transitions(excess[:, tile], 20.0, None, gate=share[:, tile] >= 0.8)
        red = max(red, _max_per_window(r, window))
    return FlashReport(general, red)
