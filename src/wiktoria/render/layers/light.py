"""The light itself: a sun's or moon's disc, the seam of a rift or a bolt, a glow; and bloom.

The source is painted with the value of light (above 1, towards white) where nothing stands in
front of it: a disc or a bolt behind the land is hidden by it (the band's ``cover``), while a
rift that splits the land is in front. The bloom, in the light role's colour, spills over
everything in linear light.

In a loop a seam flickers: its core and the glow that hugs it brighten and dim along its
length, a noise on the loop's time circle at the layer's ``speed`` (a rift smoulders slowly;
a bolt crackles, more deeply, along its filaments). The broad halo stays steady, so the frame's
mean does not pulse with it; frame 0 is the still.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from wiktoria import noise
from wiktoria.common.cache import LoopCache
from wiktoria.noise import _accel
from wiktoria.render.layer import F32, Band, LayerRenderer, interp_grid, kernel_array
from wiktoria.render.light import light_of
from wiktoria.scene.layers import LightLayer

__all__ = ["FLICKER", "LightRenderer"]

#: How deeply a seam's core flickers in a loop (share of its brightness), by kind.
FLICKER = {"rift": 0.35, "lightning": 0.6}
#: Flicker cells along the frame's height: each stretch of a seam flickers on its own.
FLICKER_FREQUENCY = 3.0

#: The light's core and halo per band: its geometry holds still in a loop (two arrays of the
#: band's size: ~2 MB a frame at 512x512, ~18 MB at 1920x1080).
_STATIC = LoopCache("light-static", groups=2, max_bytes=64 * 2**20)


class LightRenderer(LayerRenderer):
    """Paints the composition's light over the layers below it."""
    concurrent_bands = True  # band() reads what prepare() left, writes its band

    layer: LightLayer
    flicker: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def prepare(self) -> None:
        fr, layer = self.frame, self.layer
        light = light_of(fr)
        clock = fr.clock(layer.speed)
        depth = FLICKER.get(light.kind, 0.0)
        if light.seam is None or clock.still or depth == 0.0:
            return
        W, H = fr.width, fr.height
        gy = np.linspace(-1.0, H, max(8, math.ceil(12 * FLICKER_FREQUENCY)))
        gx = np.linspace(-1.0, W, max(8, math.ceil(12 * FLICKER_FREQUENCY * W / H)))
        x = ((gx + 0.5) * FLICKER_FREQUENCY / H).reshape(1, -1)
        y = ((gy + 0.5) * FLICKER_FREQUENCY / H).reshape(-1, 1)
        seed = self.seed("light-flicker", fr.composition.variant)
        # The flicker is 0 at the loop's start: the field there is the same in every frame.
        rest = _STATIC.get((fr.seed, W, H, fr.composition), ("flicker-rest", seed),
                           lambda: noise.fbm(x, y, 0.0, 0.0, octaves=2, seed=seed,
                                             dtype=np.float32))
        n = noise.fbm(x, y, clock.u, clock.v, octaves=2, seed=seed, dtype=np.float32) - rest
        # fBm's values stay within about +-1; the core keeps at least a fifth of its light.
        self.flicker = (np.clip(F32(1.0) + F32(depth) * n, 0.2, 1.0 + depth).astype(F32),
                        gy, gx)

    def _static(self, rows: np.ndarray) -> tuple[np.ndarray | None, np.ndarray]:
        """The source's core (None for a glow) and its halo over ``rows``: they depend on the
        light's geometry only."""
        fr = self.frame
        W = fr.width
        light = light_of(fr)
        dist = light.distance(rows, W)
        if light.seam is None:
            disc = {"sun": 0.45, "moon": 0.5, "glow": 0.0}.get(light.kind, 0.0) * light.radius
            core = np.clip(F32(disc) - dist + F32(0.5), 0, 1) if disc > 0 else None
            halo = (F32(0.55) * np.exp(-(dist / F32(max(1.0, 2.2 * max(disc, 0.25 *
                                                                        light.radius))))**2)
                    + F32(0.45) * light.falloff(dist, 2.5))
        else:
            exact = light.distance(rows, W, exact=True)
            width = light.core_width(rows, W)
            core = np.clip(width - exact + F32(0.5), 0, 1)
            # A tight glow hugs the jagged core; the wide halo below follows the smoothed
            # path (the jagged one, row by row, would streak it).
            core = np.maximum(core, F32(0.55) * np.exp(-exact / (F32(1.5) * width + F32(0.5))))
            # Far from the seam the glow's exp falls below float32's normal range; arithmetic
            # on subnormal numbers is tens of times slower, and they add nothing visible.
            core[core < F32(1e-30)] = 0
            # A rift burns: its heat spreads wider than a bolt's flash.
            spread = 14.0 if light.kind == "rift" else 5.0
            halo = (F32(0.6) * np.exp(-dist / F32(spread * light.width + 1.0))
                    + F32(0.4) * light.falloff(dist, 1.0))
        return core, np.broadcast_to(halo, dist.shape)

    def band(self, band: Band) -> None:
        fr, layer = self.frame, self.layer
        light = light_of(fr)
        rows, buf = band.rows, band.rgb
        core, halo = _STATIC.get((fr.seed, fr.width, fr.height, fr.composition),
                                 (int(rows[0]), len(rows)), lambda: self._static(rows),
                                 keep=fr.scene.loop is not None)
        if self.flicker is not None and core is not None:  # a seam's flicker, this frame's
            f, gy, gx = self.flicker
            core = np.minimum(core * interp_grid(f, gy, gx, rows, np.arange(fr.width)),
                              F32(1.0))
        cover = band.shared.get("cover")
        hidden = np.zeros(halo.shape, F32) if cover is None or light.in_front else cover
        glow_col = fr.roles.linear("light")
        lit = core is not None and bool(core.any())
        hot = (fr.colour(np.full((1, 1), 1.45 * min(1.0, 0.5 + 0.5 * layer.intensity), F32))
               if lit else None)
        kernel = _kernel()
        if kernel is not None and buf.flags.c_contiguous:
            shape = halo.shape
            kernel(kernel_array(halo, shape), kernel_array(hidden, shape),
                   kernel_array(core if lit else halo, shape), lit,
                   np.ascontiguousarray(glow_col, F32),
                   np.ascontiguousarray(glow_col if hot is None else hot.reshape(3), F32),
                   F32(layer.bloom * layer.intensity), F32(min(1.0, layer.intensity)), buf)
            return
        bloom = F32(layer.bloom * layer.intensity) * halo * (F32(1) - F32(0.6) * hidden)
        buf += glow_col * (F32(0.5) * bloom)[..., None]
        if lit:
            a = (core * (F32(1) - hidden) * F32(min(1.0, layer.intensity)))[..., None]
            buf += (hot - buf) * a
        np.clip(buf, 0, 1, out=buf)


def _paint(halo: np.ndarray, hidden: np.ndarray, core: np.ndarray, lit: bool,
           glow_col: np.ndarray, hot: np.ndarray, bloom: np.float32, intensity: np.float32,
           buf: np.ndarray) -> None:
    """:meth:`LightRenderer.band`'s numpy path, pixel by pixel in the same float32 operations
    and order (the same bytes; compiled with numba by :func:`_kernel`): the bloom added in
    the light's colour, the core (when ``lit``) mixed towards ``hot``, then clipped to
    [0, 1], in place in ``buf``."""
    zero = np.float32(0.0)
    one = np.float32(1.0)
    n, m = halo.shape
    for i in range(n):
        for j in range(m):
            hid = hidden[i, j]
            b = np.float32(0.5) * (bloom * halo[i, j] * (one - np.float32(0.6) * hid))
            a = core[i, j] * (one - hid) * intensity
            for c in range(3):
                x = buf[i, j, c] + glow_col[c] * b
                if lit:
                    x = x + (hot[c] - x) * a
                buf[i, j, c] = min(max(x, zero), one)


def _kernel() -> Any:
    """:func:`_paint` compiled with numba, or None under the numpy backend
    (``WIKTORIA_BACKEND``) or without numba."""
    return _accel.compiled(_paint)
