"""The light itself: a sun's or moon's disc, the seam of a rift or a bolt, a glow; and bloom.

The source is painted with the value of light (above 1, towards white) where nothing stands in
front of it: a disc or a bolt behind the land is hidden by it (the band's ``cover``), while a
rift that splits the land is in front. The bloom, in the light role's colour, spills over
everything in linear light.
"""

from __future__ import annotations

import numpy as np

from wiktoria.render.layer import F32, Band, LayerRenderer
from wiktoria.render.light import light_of
from wiktoria.scene.layers import LightLayer

__all__ = ["LightRenderer"]


class LightRenderer(LayerRenderer):
    """Paints the composition's light over the layers below it."""

    layer: LightLayer

    def band(self, band: Band) -> None:
        fr, layer = self.frame, self.layer
        W = fr.width
        light = light_of(fr)
        rows, buf = band.rows, band.rgb
        dist = light.distance(rows, W)
        cover = band.shared.get("cover")
        hidden = np.zeros_like(dist) if cover is None or light.in_front else cover
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
            # A rift burns: its heat spreads wider than a bolt's flash.
            spread = 14.0 if light.kind == "rift" else 5.0
            halo = (F32(0.6) * np.exp(-dist / F32(spread * light.width + 1.0))
                    + F32(0.4) * light.falloff(dist, 1.0))
        glow_col = fr.roles.linear("light")
        bloom = F32(layer.bloom * layer.intensity) * halo * (F32(1) - F32(0.6) * hidden)
        buf += glow_col * (F32(0.5) * bloom)[..., None]
        if core is not None and core.any():
            hot = fr.colour(np.full((1, 1), 1.45 * min(1.0, 0.5 + 0.5 * layer.intensity), F32))
            a = (core * (F32(1) - hidden) * F32(min(1.0, layer.intensity)))[..., None]
            buf += (hot - buf) * a
        np.clip(buf, 0, 1, out=buf)
