"""The sky: a large, calm, domain-warped field glowing towards the horizon."""

from __future__ import annotations

import math

import numpy as np

from wiktoria import noise
from wiktoria.render.layer import F32, Band, LayerRenderer, interp_grid
from wiktoria.scene.layers import SkyLayer

__all__ = ["SKY_SCALE", "SkyRenderer"]

#: The sky is smooth: it is computed at this fraction of the resolution, then interpolated.
SKY_SCALE = 0.5


class SkyRenderer(LayerRenderer):
    """Prepares the warped field at half resolution (publishing it as ``sky``); each band
    interpolates it to ramp positions (published as the band's ``pos``)."""
    concurrent_bands = True  # band() reads what prepare() left, writes its band

    layer: SkyLayer

    def prepare(self) -> None:
        fr, layer = self.frame, self.layer
        w = max(8, math.ceil(fr.width * SKY_SCALE) + 2)
        h = max(8, math.ceil(fr.height * SKY_SCALE) + 2)
        # Sample positions in full-resolution pixel units, covering the frame with a margin.
        gx = np.linspace(-1.0, fr.width, w)
        gy = np.linspace(-1.0, fr.height, h)
        x, y = fr.xy(gy, gx, layer.frequency)
        t, period = fr.time(layer.speed)
        value, qx, qy = noise.warp(x, y, t, depth=layer.depth, strength=layer.warp,
                                   octaves=layer.octaves, seed=self.seed("sky"),
                                   period=(None, None, period), return_offsets=True)
        yy = ((gy + 0.5) / fr.height).reshape(-1, 1)
        hz = fr.horizon
        # Brightest at the horizon, darkening upwards; the warp's folds move the ramp position.
        glow = np.exp(-(((yy - hz) / 0.3) ** 2)).astype(F32)
        glow = np.where(yy > hz, F32(1.0), glow)
        t = F32(0.5 * (1 - layer.glow)) + F32(layer.glow) * glow
        fold = np.hypot(qx, qy) if layer.depth else np.zeros_like(value)
        pos = (F32(layer.low) + F32(layer.high - layer.low) * t
               + F32(layer.contrast) * (F32(1.6) * value + F32(0.5) * (fold - fold.mean())))
        self.field = (np.clip(pos, 0, 1).astype(F32), gy, gx)
        fr.shared["sky"] = self.field

    def band(self, band: Band) -> None:
        pos, gy, gx = self.field
        p = interp_grid(pos, gy, gx, band.rows, band.cols)
        band.shared["pos"] = p
        band.rgb[...] = self.frame.ramp(p)

