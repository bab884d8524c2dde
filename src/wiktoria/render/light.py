"""The light of a painting: where it is, what shape it has, how far it reaches.

The composition places the light (:attr:`Composition.light`, ``light_x``, ``light_y``,
``light_size``); :func:`light_of` turns that into geometry in pixels, computed once per frame
(a loop's frames share it while the composition holds) and shared by every layer that is lit
by it (the sky's gradient, the rims and shadows of the land, the colour of the haze) and by the
layer that paints the light itself.

A sun, a moon and a glow are points; a rift and a lightning bolt are **seams**: jagged paths,
vertical (``x = path(y)``) or horizontal (``y = path(x)``), whose distance from a pixel is cheap
to compute on whole bands.

Examples
--------
>>> import wiktoria
>>> from wiktoria.render.layer import Frame
>>> scene = wiktoria.paint("seething", size=(96, 64), seed=3).scene
>>> frame = Frame(scene, scene.mood, 96, 64, scene.seed)
>>> light = light_of(frame)
>>> e = light.reach(np.arange(64), 96)
>>> e.shape, float(e.max()) <= 1.0
((64, 96), True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from wiktoria import noise
from wiktoria.common.cache import LoopCache

if TYPE_CHECKING:
    from wiktoria.render.layer import Frame

__all__ = ["Light", "light_of"]

F32 = np.float32


@dataclass
class Light:
    """Light geometry in pixels.

    Attributes
    ----------
    kind : str
        ``sun``, ``moon``, ``glow``, ``rift`` or ``lightning``.
    x, y : float
        The light's centre (for a seam, the point the composition chose on it).
    radius : float
        Disc radius (sun, moon) or the glow's reach, pixels.
    seam : ndarray of float32 or None
        For a rift or lightning: the path, one coordinate per row (``vertical``) or per column.
    seam_lo, seam_hi : int
        The rows (or columns) the seam spans.
    vertical : bool
    width : float
        Half-width of the seam's bright core, pixels.
    in_front : bool
        The seam splits the land (it is painted over it) rather than lying behind it.
    """

    kind: str
    x: float
    y: float
    radius: float
    height: int
    seam: np.ndarray | None = None
    seam_lo: int = 0
    seam_hi: int = 0
    vertical: bool = True
    width: float = 1.5
    in_front: bool = False

    def distance(self, rows: np.ndarray, width: int, exact: bool = False) -> np.ndarray:
        """Distance in pixels from every pixel of ``rows`` (all ``width`` columns) to the
        light: to its centre, or to its seam, shape (rows, width).

        A seam's distance is measured across it, row by row (or column by column): to the
        exact, jagged path with ``exact`` (for its bright core), otherwise to the path
        smoothed over about 3 % of the height, so the far light has no jagged stripes."""
        return self.distance_at(np.asarray(rows, np.float64) + 0.5,
                                np.arange(width, dtype=np.float64) + 0.5, exact)

    def distance_at(self, ys: np.ndarray, xs: np.ndarray, exact: bool = False) -> np.ndarray:
        """:meth:`distance` at pixel coordinates: rows ``ys`` by columns ``xs``."""
        r = np.asarray(ys, F32).reshape(-1, 1)
        c = np.asarray(xs, F32).reshape(1, -1)
        if self.seam is None:
            return np.hypot(c - F32(self.x), r - F32(self.y))
        s = self.seam if exact else self._smooth_seam()
        # Across a jagged core the slope matters; far from a smoothed path it would only
        # distort the distance.
        slopes = (np.gradient(s).astype(F32) if exact and len(s) > 1
                  else np.zeros_like(s))
        if self.vertical:
            idx = np.clip(np.floor(r[:, 0]).astype(np.intp), self.seam_lo, self.seam_hi - 1)
            px = s[idx - self.seam_lo].reshape(-1, 1)
            slope = slopes[idx - self.seam_lo].reshape(-1, 1)
            across = np.abs(c - px) / np.sqrt(F32(1) + slope * slope)
            beyond = np.maximum(F32(self.seam_lo) - r, 0) + np.maximum(r - F32(self.seam_hi), 0)
            return np.hypot(across, beyond).astype(F32)
        idx = np.clip(np.floor(c[0]).astype(np.intp), self.seam_lo, self.seam_hi - 1)
        py = s[idx - self.seam_lo].reshape(1, -1)
        slope = slopes[idx - self.seam_lo].reshape(1, -1)
        across = np.abs(r - py) / np.sqrt(F32(1) + slope * slope)
        beyond = np.maximum(F32(self.seam_lo) - c, 0) + np.maximum(c - F32(self.seam_hi), 0)
        return np.hypot(across, beyond).astype(F32)

    def _smooth_seam(self) -> np.ndarray:
        got = getattr(self, "_smooth", None)
        if got is None and self.seam is not None:
            from wiktoria.render.layer import box_smooth

            got = self._smooth = box_smooth(self.seam, max(3, self.height // 32), passes=2)
        return got  # type: ignore[return-value]

    @property
    def spread(self) -> float:
        """Reach of the light in pixels: how far its glow carries."""
        if self.kind in ("rift", "lightning"):
            return 0.07 * self.height
        return self.radius

    def core_width(self, rows: np.ndarray, width: int) -> np.ndarray | float:
        """Half-width of the seam's bright core over ``rows`` (a rift opens as it runs from
        its start; a bolt stays thin), broadcastable to (rows, width)."""
        if self.seam is None or self.kind != "rift":
            return self.width
        n = max(1, self.seam_hi - self.seam_lo)
        if self.vertical:
            t = np.clip((np.asarray(rows, np.float64) - self.seam_lo) / n, 0, 1).reshape(-1, 1)
        else:
            t = np.abs(np.arange(width) - (self.seam_lo + self.seam_hi) / 2) / (n / 2)
            t = np.clip(1.0 - t, 0, 1).reshape(1, -1)
        return (self.width * (0.25 + 0.75 * np.sqrt(t))).astype(F32)

    def reach(self, rows: np.ndarray, width: int, spread: float = 1.0) -> np.ndarray:
        """How much light reaches each pixel, 1 at the light falling smoothly to 0 (a broad
        Cauchy falloff over ``radius * spread``), shape (rows, width)."""
        return self.falloff(self.distance(rows, width), spread)

    def falloff(self, distance: np.ndarray, spread: float = 1.0) -> np.ndarray:
        """:meth:`reach` from distances already computed."""
        d = distance / F32(max(1.0, self.spread * spread))
        return (F32(1) / (F32(1) + d * d)).astype(F32)

    def direction(self, rows: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
        """Unit vectors ``(dx, dy)`` from each pixel towards the light (screen y down)."""
        r = rows.astype(F32).reshape(-1, 1) + F32(0.5)
        c = np.arange(width, dtype=F32).reshape(1, -1) + F32(0.5)
        if self.seam is not None and self.vertical:
            idx = np.clip(rows, self.seam_lo, self.seam_hi - 1)
            dx = self.seam[idx - self.seam_lo].reshape(-1, 1) - c
            dy = np.zeros_like(r) + F32(self.y) - r
            dy = dy * F32(0.25)
        elif self.seam is not None:
            idx = np.clip(np.arange(width), self.seam_lo, self.seam_hi - 1)
            dy = self.seam[idx - self.seam_lo].reshape(1, -1) - r
            dx = (F32(self.x) - c) * F32(0.25)
        else:
            dx, dy = F32(self.x) - c, F32(self.y) - r
        dx, dy = np.broadcast_arrays(dx, dy)
        n = np.hypot(dx, dy) + F32(1e-6)
        return (dx / n).astype(F32), (dy / n).astype(F32)


def _seam(frame: Frame, length: int, amplitude: float, jag: float, seed: int) -> np.ndarray:
    """A jagged path of ``length`` samples: offsets in pixels around 0."""
    t = np.arange(length, dtype=np.float64) / max(1, frame.height)
    smooth = noise.fbm(t * 3.0, 0.31, octaves=4, seed=seed, dtype=np.float64)
    sharp = noise.fbm(t * 24.0, 5.17, octaves=5, seed=seed + 1, dtype=np.float64)
    return (amplitude * (smooth + jag * sharp)).astype(F32)


def _bolt(length: int, height: int, seed: int) -> np.ndarray:
    """A lightning bolt's path: straight strokes between knots about 1/40 of the height apart,
    each knot thrown sideways from the last (a random walk with sharp corners)."""
    rng = np.random.default_rng(seed)
    step = max(2.0, height / 40)
    knots = int(np.ceil(length / step)) + 1
    kx = np.cumsum(rng.normal(0.0, 0.45 * step, knots))
    ky = np.linspace(0.0, (knots - 1) * step, knots)
    return np.interp(np.arange(length, dtype=np.float64), ky, kx).astype(F32)


#: A loop's light: the same in every frame that keeps the composition (its seam's path is a
#: few noise calls, 2-3 ms a frame at 384x384).
_LIGHTS = LoopCache("light", groups=4, max_bytes=2**20)


def light_of(frame: Frame) -> Light:
    """The light of ``frame`` (computed once, then shared through ``frame.shared``; a loop's
    frames share it while the composition holds)."""
    got = frame.shared.get("light")
    if isinstance(got, Light):
        return got
    c = frame.composition
    light = _LIGHTS.get((frame.seed, frame.width, frame.height, c), "light",
                        lambda: _light(frame), keep=frame.scene.loop is not None)
    frame.shared["light"] = light
    return light


def _light(frame: Frame) -> Light:
    """The light of ``frame``, computed: it depends on the canvas seed, size and composition."""
    c = frame.composition
    W, H = frame.width, frame.height
    x, y = c.light_x * W, c.light_y * H
    radius = max(1.0, c.light_size * H)
    light = Light(c.light, x, y, radius, H)
    from wiktoria.render.layer import stream_seed

    seed = stream_seed(frame.seed, "light-seam", c.variant)
    if c.light == "lightning":
        lo, hi = 0, max(2, int(min(H, max(y + 0.35 * H, c.horizon * H))))
        path = _bolt(hi - lo, H, seed)
        path -= path[int(min(hi - 1, max(0, y)))]
        light.seam, light.seam_lo, light.seam_hi = path + F32(x), lo, hi
        light.width = max(0.8, 0.0016 * H)
    elif c.light == "rift":
        if c.layout in ("high", "valley", "tilted", "rhythm") and y > c.horizon * H:
            lo = int(max(0, min(H - 2, y - radius)))  # down through the land to the bottom
            path = _seam(frame, H - lo, 0.05 * H, 0.35, seed)
            light.seam, light.seam_lo, light.seam_hi = path - path[0] + F32(x), lo, H
            light.vertical = light.in_front = True
        elif c.layout == "enclosure":  # a crack of light down the slot
            lo = int(max(0, min(H - 2, y - 1.5 * radius)))
            hi = int(min(H, max(lo + 2, y + 1.5 * radius)))
            path = _seam(frame, hi - lo, 0.03 * H, 0.35, seed)
            mid = min(hi - lo - 1, int(y) - lo)
            light.seam, light.seam_lo, light.seam_hi = path - path[mid] + F32(x), lo, hi
            light.vertical = True
        else:  # a tear through the cloud, across
            lo = int(max(0, x - 1.6 * radius))
            hi = int(min(W, max(lo + 2, x + 1.6 * radius)))
            path = _seam(frame, hi - lo, 0.04 * H, 0.3, seed)
            mid = (hi - lo) // 2
            light.seam, light.seam_lo, light.seam_hi = path - path[mid] + F32(y), lo, hi
            light.vertical = False
        light.width = max(1.0, 0.0045 * H)
    if light.seam is not None:
        light.seam.flags.writeable = False  # shared by the frames of a loop
    return light
