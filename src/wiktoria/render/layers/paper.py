"""Paper: a fibrous tooth and a fine pigment grain, scaled to the value under them, and a
vignette.

Film grain of equal strength everywhere reads as sensor noise on a pale painting. Here the
tooth is a tileable fibre texture (long horizontal fibres, made once per painting from
periodic noise) that darkens the paper slightly, and the fine grain is strongest in the mid
values and fades in the lights and darks, as pigment on paper does.
"""

from __future__ import annotations

import numpy as np

from wiktoria import noise
from wiktoria.common.cache import LoopCache
from wiktoria.noise import _accel
from wiktoria.render.layer import F32, Band, LayerRenderer, kernel_array, vignette
from wiktoria.scene.layers import PaperLayer

__all__ = ["TILE", "PaperRenderer"]

#: Side of the paper tile, pixels (periodic noise, so it tiles without a seam).
TILE = 512

#: The paper's tile, and per band its tooth, grain and vignette: the same in every frame of a
#: loop (three arrays of the band's size: ~3 MB a frame at 512x512, ~28 MB at 1920x1080).
_TILES = LoopCache("paper-tile", groups=4, max_bytes=8 * 2**20)
_STATIC = LoopCache("paper-static", groups=2, max_bytes=96 * 2**20)


class PaperRenderer(LayerRenderer):
    """Multiplies each band by the paper's tooth and grain, then by the vignette."""
    concurrent_bands = True  # band() reads what prepare() left, writes its band

    layer: PaperLayer

    def prepare(self) -> None:
        if self.layer.tooth <= 0:
            self.tile = None
            return
        self.tile = _TILES.get((self.frame.seed, self.occurrence), "tile", self._tile)

    def _tile(self) -> np.ndarray:
        """The tooth's tileable fibre texture, normalised (mean 0, deviation 1)."""
        i = np.arange(TILE, dtype=np.float32) + 0.5
        x = (i * (32.0 / TILE)).reshape(1, -1)
        y = (i * (64.0 / TILE)).reshape(-1, 1)
        fibres = noise.fbm(x, y, octaves=3, seed=self.seed("paper"), period=(32, 64))
        blots = noise.fbm(x * 0.5, y * 0.125, octaves=2, seed=self.seed("paper-blots"),
                          period=(8, 8))
        tile = 0.7 * fibres + 0.3 * blots
        tile = (tile - tile.mean()) / max(1e-6, float(tile.std()))
        return tile.astype(F32)  # type: ignore[no-any-return]

    def _static(self, band: Band) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
        """The factor of the tooth (1 without it), the grain's draws (None without grain) and
        the vignette (None without) over ``band``'s rows."""
        fr, layer = self.frame, self.layer
        W, H = fr.width, fr.height
        rows = band.rows
        factor = np.ones((len(rows), W), F32)
        if self.tile is not None:
            t = self.tile[np.ix_(rows % TILE, np.arange(W) % TILE)]
            factor += F32(layer.tooth) * F32(0.5) * t
        g = None
        if layer.grain > 0:
            g = self.rng("paper-grain", band.index).standard_normal((len(rows), W), dtype=F32)
        vig = vignette(rows, W, H, layer.vignette, 0.3, 1.2) if layer.vignette > 0 else None
        return factor, g, vig

    def band(self, band: Band) -> None:
        fr, layer = self.frame, self.layer
        W, H = fr.width, fr.height
        rows, buf = band.rows, band.rgb
        base, g, vig = _STATIC.get(
            # What _static reads: the grain's amount scales its draws later, so a change of
            # it keeps them.
            (fr.seed, W, H, self.occurrence, layer.tooth, layer.grain > 0, layer.vignette,
             self.tile is not None),
            (band.index, int(rows[0]), len(rows)), lambda: self._static(band),
            keep=fr.scene.loop is not None)
        kernel = _accel.compiled(_apply)
        if kernel is not None and buf.flags.c_contiguous:
            shape = base.shape
            kernel(kernel_array(base, shape), g is not None,
                   kernel_array(base if g is None else g, shape), F32(layer.grain),
                   vig is not None, kernel_array(base if vig is None else vig, shape), buf)
            return
        factor = base.copy()
        if g is not None:
            lum = (F32(0.2126) * buf[..., 0] + F32(0.7152) * buf[..., 1]
                   + F32(0.0722) * buf[..., 2])
            mid = F32(4) * np.sqrt(lum) * (F32(1) - np.sqrt(lum))  # 0 at black and white
            factor += F32(layer.grain) * mid * g
        if vig is not None:
            factor *= vig
        buf *= factor[..., None]


def _apply(base: np.ndarray, has_grain: bool, g: np.ndarray, grain: np.float32,
           has_vignette: bool, vig: np.ndarray, buf: np.ndarray) -> None:
    """:meth:`PaperRenderer.band`'s numpy path, pixel by pixel in the same float32 operations
    and order (the same bytes; compiled with numba by :func:`wiktoria.noise._accel.compiled`):
    the tooth's factor, plus the grain scaled by the value under it, times the vignette,
    multiplied into ``buf`` in place."""
    one = np.float32(1.0)
    n, m = base.shape
    for i in range(n):
        for j in range(m):
            f = base[i, j]
            if has_grain:
                lum = (np.float32(0.2126) * buf[i, j, 0] + np.float32(0.7152) * buf[i, j, 1]
                       + np.float32(0.0722) * buf[i, j, 2])
                s = np.sqrt(lum)
                mid = np.float32(4) * s * (one - s)
                f = f + grain * mid * g[i, j]
            if has_vignette:
                f = f * vig[i, j]
            for c in range(3):
                buf[i, j, c] = buf[i, j, c] * f
