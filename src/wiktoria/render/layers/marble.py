"""Marble: multi-level domain warp (Quilez) with ridged veins where the warp folds."""

from __future__ import annotations

import numpy as np

from wiktoria import noise
from wiktoria.render.layer import F32, Band, LayerRenderer, smoothstep
from wiktoria.scene.layers import MarbleLayer

__all__ = ["MarbleRenderer"]


class MarbleRenderer(LayerRenderer):
    """Colours each band by the warped value and the warp vectors, then adds the veins."""
    concurrent_bands = True  # band() reads what prepare() left, writes its band

    layer: MarbleLayer

    def band(self, band: Band) -> None:
        fr, layer = self.frame, self.layer
        x, y = fr.xy(band.rows, band.cols, layer.frequency)
        seed = self.seed("marble")
        t, period = fr.time(layer.speed)
        value, qx, qy = noise.warp(x, y, t, depth=layer.depth, strength=layer.warp,
                                   octaves=layer.octaves, seed=seed, period=(None, None, period),
                                   return_offsets=True)
        fold = np.hypot(qx, qy)
        # Fine veins where the warp folds: ridged noise sampled in the warped domain.
        vx = x + F32(layer.warp) * qx
        vy = y + F32(layer.warp) * qy
        veins = noise.ridged(vx * 1.7, vy * 1.7, t, octaves=3, seed=seed + 7,
                             period=(None, None, period))
        veins = smoothstep(veins, 0.8, 0.99) * F32(layer.veins)
        span = F32(layer.high - layer.low)
        base = F32(layer.low) + span * np.clip(F32(0.5) + F32(1.8) * value, 0, 1)
        alt = F32(layer.low) + span * np.clip(F32(0.25) + F32(1.2) * qx + F32(0.6) * fold, 0, 1)
        mix = np.clip(F32(1.4) * fold, 0, 1)[..., None]
        col = fr.ramp(base)
        col += (fr.ramp(alt) - col) * mix
        col += (fr.ramp(F32(layer.high) * np.ones_like(base)) - col) * veins[..., None]
        band.rgb[...] = col

