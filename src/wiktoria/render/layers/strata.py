"""Strata: stacked ridgelines from far to near, with atmospheric perspective."""

from __future__ import annotations

import numpy as np

from wiktoria import noise
from wiktoria.render.layer import (
    F32,
    Band,
    LayerRenderer,
    interp_grid,
    smoothstep,
)
from wiktoria.scene.layers import StrataLayer

__all__ = ["StrataRenderer"]


class StrataRenderer(LayerRenderer):
    """Lays out the ridgelines (publishing ``horizon``, ``ridges`` and ``depths``), then paints
    each stratum with a lighter rim, a darker valley, the inks of the strokes above it and the
    haze of distance; publishes the band's ``cover``."""
    concurrent_bands = True  # but see prepare(): not without a sky

    layer: StrataLayer

    def layout(self) -> None:
        fr, layer = self.frame, self.layer
        n = layer.count
        W, H = fr.width, fr.height
        depths = np.linspace(0.0, 1.0, n) if n > 1 else np.ones(1)
        hz = layer.horizon
        cols = np.arange(W, dtype=np.float64)
        ridges = np.empty((n, W), dtype=F32)
        t, period = fr.time(layer.speed)
        per = (None, None, period)
        for i, d in enumerate(depths):  # one ridgeline per stratum (a handful), not per pixel
            base = H * (hz + layer.spread * (1 - hz) * d**1.35)
            freq = layer.frequency * (1.0 + 0.5 * d)
            x = (cols + 0.5) / W * freq
            seed = self.seed("strata", i)
            # A gentle sideways warp keeps the ridges from looking like audio waveforms.
            xw = x + layer.warp * 0.35 * noise.fbm(x * 0.7, 0.37 + i, t, octaves=3,
                                                   seed=seed + 1, period=per, dtype=np.float64)
            octaves = max(2, layer.octaves - (n - 1 - i))
            # Time moves the ridges gently: they breathe rather than slide.
            rolling = noise.fbm(xw, 0.5 + 3.1 * i, t, octaves=octaves, seed=seed, period=per,
                                dtype=np.float64)
            peaks = noise.ridged(xw * 0.8, 7.3 + i, t, octaves=octaves, seed=seed + 2,
                                 period=per, dtype=np.float64)
            height = 1.6 * rolling + 0.9 * (peaks - 0.45)
            amp = layer.roughness * H * (0.05 + 0.07 * d)
            ridges[i] = base - amp * height
        self.ridges = ridges
        self.depths = depths.astype(F32)
        fr.shared["horizon"] = hz
        fr.shared["ridges"] = ridges
        fr.shared["depths"] = self.depths

    def prepare(self) -> None:
        # Without a sky below, the haze takes the colour of the first band the strata reach
        # (_haze_colour), which only painting the bands in order makes well defined.
        self.concurrent_bands = self.frame.shared.get("sky") is not None

    def _haze_colour(self, band: Band) -> np.ndarray:
        """The colour of the air: the sky at the horizon, smoothed along it, shape (1, W, 3).

        Without a sky the mean colour of what lies below (in the first band the strata
        reach) is used.
        """
        fr = self.frame
        key = self.name("haze")
        if key not in fr.shared:
            sky = fr.shared.get("sky")
            if sky is not None:
                pos, gy, gx = sky
                row = interp_grid(pos, gy, gx, np.array([fr.horizon * fr.height]),
                                  np.arange(fr.width))[0]
                k = max(3, fr.width // 6) | 1
                pad = np.pad(row, k // 2, mode="edge")
                smooth = np.convolve(pad, np.ones(k, dtype=F32) / F32(k), mode="valid")
                fr.shared[key] = fr.ramp(smooth.astype(F32))[None]
            else:
                fr.shared[key] = band.rgb.mean(axis=(0, 1), keepdims=True)
        return fr.shared[key]  # type: ignore[no-any-return]

    def band(self, band: Band) -> None:
        fr, layer = self.frame, self.layer
        W, H = fr.width, fr.height
        rows, buf = band.rows, band.rgb
        r = rows.astype(F32).reshape(-1, 1)
        if r[-1, 0] + 1 < self.ridges.min():
            return  # the whole band is sky
        haze_col = self._haze_colour(band)
        x, y = fr.xy(rows, np.arange(W), 3.0)
        t, period = fr.time(layer.speed)
        tex = noise.fbm(x * 0.6, y * 1.8, t, octaves=5, seed=self.seed("strata-texture"),
                        period=(None, None, period))
        n = len(self.depths)
        inks = [ink(rows) for ink in fr.shared.get("inks", ())]
        covered = np.zeros((len(rows), W), dtype=F32)
        for i, d in enumerate(self.depths):  # a handful of strata, each a whole-band array op
            ridge = self.ridges[i].reshape(1, -1)
            below = r - ridge  # rows below the ridge line
            cover = np.clip(below + F32(0.5), 0, 1)
            if not cover.any():
                continue
            pos = F32(layer.far + (layer.near - layer.far) * d) + F32(layer.texture) * (
                F32(0.4 + 0.8 * d) * tex)
            # A lighter rim along the ridge line: small bright accents carry the shape.
            rim = np.exp(-np.maximum(below, 0) / F32(0.006 * H + 1.0))
            pos = pos + F32(0.18 * (1 - 0.5 * d)) * rim
            # Deeper in a stratum it darkens a little (the valley before the next ridge).
            pos = pos - F32(0.06) * smoothstep(below, 0, 0.2 * H)
            for lift, alpha in inks:
                # Strokes are part of the stratum's surface: they pull its ramp position
                # towards their own (in a perceptual ramp, so no mud), before the haze.
                pos = pos + lift * alpha
            col = fr.ramp(pos)
            haze = F32(layer.haze * (1 - d) ** 1.3)
            if n > 1 and haze > 0:
                col += (haze_col - col) * haze
            a = cover[..., None]
            buf += (col - buf) * a
            np.maximum(covered, cover, out=covered)
        band.shared["cover"] = covered

