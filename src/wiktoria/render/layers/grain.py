"""Grain: seeded film grain in linear light, and a vignette."""

from __future__ import annotations

from wiktoria.render.layer import F32, Band, LayerRenderer, vignette
from wiktoria.scene.layers import GrainLayer

__all__ = ["GrainRenderer"]


class GrainRenderer(LayerRenderer):
    """Multiplies each band by grain (one generator per band, so bands are independent) and
    by the vignette."""
    concurrent_bands = True  # band() reads what prepare() left, writes its band

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
            buf *= vignette(rows, W, H, layer.vignette)[..., None]

