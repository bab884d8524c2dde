"""The wash: a quiet, nearly flat ground from one end of the ramp."""

from __future__ import annotations

from wiktoria import noise
from wiktoria.render.layer import F32, Band, LayerRenderer
from wiktoria.scene.layers import WashLayer

__all__ = ["WashRenderer"]


class WashRenderer(LayerRenderer):
    """Paints each band from a very soft fBm; publishes the band's ramp positions as ``pos``."""
    concurrent_bands = True  # band() reads what prepare() left, writes its band

    layer: WashLayer

    def band(self, band: Band) -> None:
        fr, layer = self.frame, self.layer
        x, y = fr.xy(band.rows, band.cols, layer.frequency)
        t, period = fr.time(layer.speed)
        v = noise.fbm(x, y, t, octaves=3, seed=self.seed("wash"), period=(None, None, period))
        p = F32(layer.position) + F32(layer.variation) * F32(2) * v
        band.shared["pos"] = p
        band.rgb[...] = fr.ramp(p)

