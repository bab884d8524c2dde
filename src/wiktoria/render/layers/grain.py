"""Grain: seeded film grain in linear light, and a vignette."""

from __future__ import annotations

import numpy as np

from wiktoria.render.layer import F32, Band, LayerRenderer, smoothstep
from wiktoria.scene.layers import GrainLayer

__all__ = ["GrainRenderer"]


class GrainRenderer(LayerRenderer):
    """Multiplies each band by grain (one generator per band, so bands are independent) and
    by the vignette."""

    layer: GrainLayer

    def band(self, band: Band) -> None:
        fr, layer = self.frame, self.layer
        W, H = fr.width, fr.height
        rows, buf = band.rows, band.rgb
        if layer.amount > 0:
            g = self.rng("grain", band.index).standard_normal((len(rows), W), dtype=F32)
            g *= F32(layer.amount)
            g += F32(1)
            buf *= g[..., None]
        if layer.vignette > 0:
            yy = ((rows + 0.5) / H - 0.5).astype(F32).reshape(-1, 1)
            xx = ((np.arange(W) + 0.5) / W - 0.5).astype(F32).reshape(1, -1)
            aspect = F32(W / H)
            r2 = (xx * aspect) ** 2 + yy**2
            r2 /= F32(0.25 * aspect**2 + 0.25)
            v = F32(1) - F32(layer.vignette) * smoothstep(r2, 0.25, 1.1)
            buf *= v[..., None]

