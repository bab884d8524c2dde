"""Strokes: flow-field particles traced through curl noise, splatted anti-aliased.

The stroke engine itself is :mod:`wiktoria.render.strokes`; this module turns a
:class:`~wiktoria.scene.layers.StrokesLayer` into its parameters and composites the result.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from wiktoria.render.layer import F32, Band, LayerRenderer
from wiktoria.scene.layers import StrokesLayer

__all__ = ["StrokesRenderer"]


class StrokesRenderer(LayerRenderer):
    """Renders the strokes' density and tone once, offers them as an ``ink`` to the strata
    (which fold the strokes into their own surface), and paints them where no stratum is."""
    concurrent_bands = True  # band() reads what prepare() left, writes its band

    layer: StrokesLayer

    def prepare(self) -> None:
        from wiktoria.render.strokes import StrokeParams, render_strokes

        fr, layer = self.frame, self.layer
        W, H = fr.width, fr.height
        weight = None
        ridges = fr.shared.get("ridges")
        if layer.clip > 0 and ridges is not None:
            rows = np.arange(H, dtype=F32).reshape(-1, 1)
            inside = np.clip(rows - ridges[0].reshape(1, -1) + F32(0.5), 0, 1)
            weight = (F32(layer.clip) * inside + F32(1 - layer.clip)).astype(F32)
        scale = H / 1080
        # The same strokes at any resolution: count per megapixel at 1080 lines; lengths and
        # widths scale with the height. A 4K render is the 1080p painting, sharper. Below 270
        # lines (thumbnails, tests) the count falls with the area instead: strokes there are
        # thinner than a pixel and tens of thousands of them would cost time for nothing.
        count = max(1, round(layer.density * W * H / 1e6 / max(scale, 0.25) ** 2))
        t, period = fr.time(layer.speed)
        loop = fr.scene.loop
        # In a loop strokes live staggered lives of about ``layer.life`` seconds (a whole
        # number per loop, so the loop stays seamless), fading in and out while they slide
        # along the flow at the field's speed (``speed`` cells per second, a cell is
        # ``H / frequency`` pixels).
        cycles, travel = 0, None
        if loop is not None:
            cycles = min(100_000, max(1, round(loop.duration / layer.life)))
            travel = min(1e5, layer.speed * loop.duration / cycles * H / layer.frequency)
        w = layer.width * scale
        params = StrokeParams(
            count=count,
            length=max(1.0, layer.length * scale),
            width=(min(32.0, max(0.25, 0.6 * w)), min(32.0, max(0.25, 3.5 * w))),
            curl=layer.curl,
            frequency=layer.frequency,
            octaves=layer.octaves,
            gain=layer.gain,
            seed=self.seed("strokes"),
            t=t,
            period=period,
            phase=0.0 if loop is None else loop.phase,
            cycles=cycles,
            travel=travel,
        )
        out = render_strokes(W, H, params, weight=weight)
        self.density, self.tone = out.density, out.tone
        fr.shared.setdefault("inks", []).append(self.ink)

    def ink(self, rows: np.ndarray) -> tuple[Any, np.ndarray]:
        """Ramp lift and opacity of the strokes in the rows ``rows``.

        A stroke moves the ramp position of the surface below by ``lift`` (scaled by its
        tone), so strokes on a far, pale stratum stay pale and strokes on a near, dark one stay
        dark: the landscape's depth survives the texture.
        """
        layer = self.layer
        d = self.density[rows[0] : rows[-1] + 1]
        t = self.tone[rows[0] : rows[-1] + 1]
        lift = F32(layer.lift) * (F32(1 - layer.contrast) + F32(layer.contrast) * t)
        return lift, F32(layer.opacity) * d

    def band(self, band: Band) -> None:
        """Strokes outside the strata (inside them the strata have drawn them)."""
        lift, alpha = self.ink(band.rows)
        if not alpha.any():
            return
        fr, buf = self.frame, band.rgb
        cover = band.shared.get("cover")
        free = F32(1) - cover if cover is not None else np.ones_like(alpha)
        base = band.shared.get("pos")
        if base is not None:
            # Over a ramp-coloured ground, move along the ramp (perceptual, no mud).
            col = fr.ramp(base + lift * alpha)
            buf += (col - buf) * (free * (alpha > 0))[..., None]
        else:
            col = fr.ramp(F32(0.5) + lift)
            buf += (col - buf) * (alpha * free)[..., None]

