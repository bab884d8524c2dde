"""Brush: strokes you can see, placed as evenly spaced streamlines that follow the forms.

``prepare`` builds the guide fields (:mod:`wiktoria.render.strokes.guide`: direction along the
forms blended with the mood's noise, labels that stop a stroke at its form's outline, a density
with the composition's empty share left bare), places evenly spaced streamlines in them
(:func:`~wiktoria.render.strokes.streamlines.evenly_spaced`), cuts them into strokes of
log-normal lengths and widths (:mod:`wiktoria.render.strokes.marks`) and gives each stroke its
own small shift of value and hue, and a few near the light the accent.

``band`` rasterises the strokes that meet the band (:mod:`wiktoria.render.strokes.raster`:
anti-aliased capsules, coverage the maximum over a stroke's segments so joints do not bead,
tapered ends) into three channels: the strokes' value shift, hue shift and opacity. A stroke's
colour is then the colour of the surface below it (the ``value`` and ``hue`` the air and the
land published for the band) shifted by its own amounts, so strokes are lit like the forms they
lie on. The strokes are available as data through :meth:`BrushRenderer.strokes`.
"""

from __future__ import annotations

import numpy as np

from wiktoria.colour import linear_to_srgb, srgb_to_uint8
from wiktoria.colour.roles import LIGHT_MAX
from wiktoria.render.layer import F32, Band, LayerRenderer
from wiktoria.render.light import light_of
from wiktoria.render.strokedata import Strokes
from wiktoria.render.strokes._jit import warm_up
from wiktoria.render.strokes.guide import guide
from wiktoria.render.strokes.marks import cut, widths
from wiktoria.render.strokes.raster import StrokeSet
from wiktoria.render.strokes.streamlines import evenly_spaced
from wiktoria.scene.layers import BrushLayer

__all__ = ["BrushRenderer", "select"]


def select(points: np.ndarray, offsets: np.ndarray, idx: np.ndarray
           ) -> tuple[np.ndarray, np.ndarray]:
    """The points and offsets of strokes ``idx`` (in order), gathered without a loop."""
    counts = np.diff(offsets)[idx]
    new = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    total = int(new[-1])
    within = np.arange(total, dtype=np.int64) - np.repeat(new[:-1], counts)
    return points[np.repeat(offsets[:-1][idx], counts) + within], new


class BrushRenderer(LayerRenderer):
    """Places the strokes once per frame, then paints those that meet each band."""

    layer: BrushLayer

    def layout(self) -> None:
        warm_up()  # the first painting compiles the stroke kernels while the others prepare

    def prepare(self) -> None:
        fr, layer = self.frame, self.layer
        W, H = fr.width, fr.height
        px = H / 1080.0
        c = fr.composition
        t, period = fr.time(layer.speed)
        g = guide(fr, follow=layer.follow, frequency=layer.frequency, octaves=layer.octaves,
                  seed=self.seed("brush-field", c.variant), t=t, period=period, air=layer.air,
                  turn=layer.turn, angle=float(np.radians(layer.angle)))
        self.guide = g
        gh, gw = g.u.shape
        d_sep = max(1.5, layer.spacing * px * g.scale)
        # Steps of half the spacing: a stroke bends over tens of pixels, so its chords stray
        # a tenth of a pixel at most, and there are half as many points to test and paint
        # as at the usual quarter.
        lines = evenly_spaced(g.u, g.v, d_sep, d_test=layer.test * d_sep, step=0.5 * d_sep,
                              density=g.density if g.density.any() else None, labels=g.labels,
                              seed=self.seed("brush-seeds", c.variant))
        rng = self.rng("brush-marks", c.variant)
        # Grid coordinates to frame pixels (grid samples sit at their cells' centres).
        sx, sy = W / gw, H / gh
        pts = lines.points.astype(np.float64)
        pts = np.stack([(pts[:, 0] + 0.5) * sx - 0.5, (pts[:, 1] + 0.5) * sy - 0.5], 1)
        lines = type(lines)(pts.astype(np.float32), lines.offsets)
        spacing = layer.spacing * px
        median = layer.length * px
        marks, self.line_of_stroke = cut(lines, rng, median=median, spread=layer.variety,
                                         gap=0.6 * spacing, shortest=max(2.0, 1.2 * spacing),
                                         return_lines=True)
        self.points, self.offsets = marks.points, marks.offsets
        n = len(marks)
        self.widths = widths(marks, rng, median=layer.width * px, spread=0.45 * layer.variety,
                             length_median=median)
        self.lift = (layer.lift + layer.jitter * rng.standard_normal(n)).astype(F32)
        self.shift = (layer.jitter * 1.5 * rng.standard_normal(n)).astype(F32)
        # The form each stroke lies on (its depth; -1 in the air), for the strokes as data.
        forms = fr.shared.get("forms") or []
        self.form_depth = None
        if n and forms:
            mid = self.points[(self.offsets[:-1] + self.offsets[1:]) // 2]
            gi = np.clip(((mid[:, 0] + 0.5) / sx - 0.5).round().astype(np.intp), 0, gw - 1)
            gj = np.clip(((mid[:, 1] + 0.5) / sy - 0.5).round().astype(np.intp), 0, gh - 1)
            lab = g.labels[gj, gi]
            depths = np.array([-1.0] + [f.depth for f in forms], np.float32)
            self.form_depth = depths[lab]
        # A few strokes near the light take the accent.
        light = light_of(fr)
        if n:
            mid = self.points[(self.offsets[:-1] + self.offsets[1:]) // 2].astype(np.float64)
            d = np.hypot(mid[:, 0] - light.x, mid[:, 1] - light.y)
            # Near means within a fifth of the frame at most, even of a broad glow: the accent
            # stays rare and by the light.
            reach = max(1.0, min(6.0 * light.spread, 0.2 * max(W, H)))
            near = np.exp(-((d / reach) ** 2))
            self.accented = rng.random(n) < layer.accent * 3.0 * near
        else:
            self.accented = np.zeros(0, bool)
        # Checked once, painted band by band.
        self.set = StrokeSet(self.points, self.offsets, self.widths, ends=layer.ends)
        self.channels = np.stack([self.lift, self.shift, np.ones(n, F32)], 1)
        self.white = np.ones((n, 3), F32)
        self.ones = np.ones(n, F32)
        # The pixel at each stroke's middle, and the surface's value and hue there, which the
        # bands record as they paint (for the strokes as data; NaN until painted).
        mid = self.points[(self.offsets[:-1] + self.offsets[1:]) // 2]
        self.mid_x = np.clip(np.rint(mid[:, 0]).astype(np.intp), 0, W - 1)
        self.mid_y = np.clip(np.rint(mid[:, 1]).astype(np.intp), 0, H - 1)
        self.mid_surface = np.full((n, 2), np.nan, F32)

    def strokes(self) -> Strokes:
        """The strokes as data (frame pixels). A stroke's colour in the data is the colour it
        is painted in at its middle: the value and hue of the surface there (as the layers
        below left them for the band) shifted by the stroke's own amounts, or the accent.
        Before the bands have run, the surface is estimated: the air's value there, or for a
        stroke on the land its form's tone seen through the form's depth fog."""
        fr = self.frame
        n = len(self.widths)
        if n == 0:
            return Strokes.empty()
        seen = ~np.isnan(self.mid_surface[:, 0])
        if seen.all():
            value, hue = self.mid_surface[:, 0], self.mid_surface[:, 1]
            rgb = fr.colour(np.clip(value + self.lift, 0, LIGHT_MAX)[None],
                            np.clip(hue + self.shift, 0, 1)[None])[0]
            rgb = np.where(self.accented[:, None], fr.roles.linear("accent")[None], rgb)
            return Strokes(self.points, self.offsets, self.widths,
                           srgb_to_uint8(linear_to_srgb(rgb)))
        mid = self.points[(self.offsets[:-1] + self.offsets[1:]) // 2].astype(np.float64)
        value = np.full(n, 0.5, F32)
        air = fr.shared.get("air")
        if air is not None:
            v, _, gy, gx = air
            iy = np.clip(np.searchsorted(gy, mid[:, 1]), 0, len(gy) - 1)
            ix = np.clip(np.searchsorted(gx, mid[:, 0]), 0, len(gx) - 1)
            value = v[iy, ix].astype(F32)
        land = next((x for x in fr.scene.frame_state()[1] if x.type == "land"), None)
        if land is not None and self.form_depth is not None:
            depth = self.form_depth
            on = depth >= 0
            tone = land.tone + 0.25 * (1 - depth)
            fog = np.clip(land.fog * (1 - depth) ** 1.3, 0, 1)
            value = np.where(on, tone + (value - tone) * fog, value).astype(F32)
        rgb = fr.colour(np.clip(value + self.lift, 0, LIGHT_MAX)[None],
                        np.clip(0.5 + self.shift, 0, 1)[None])[0]
        rgb = np.where(self.accented[:, None], fr.roles.linear("accent")[None], rgb)
        return Strokes(self.points, self.offsets, self.widths,
                       srgb_to_uint8(linear_to_srgb(rgb)))

    def band(self, band: Band) -> None:
        fr, layer = self.frame, self.layer
        rows, buf = band.rows, band.rgb
        if len(self.widths) == 0:
            return
        r0, r1 = int(rows[0]), int(rows[-1]) + 1
        value = band.shared.get("value")
        hue = band.shared.get("hue")
        here = np.flatnonzero((self.mid_y >= r0) & (self.mid_y < r1))
        if len(here):  # the surface under the middles of the strokes in this band
            at = (self.mid_y[here] - r0, self.mid_x[here])
            self.mid_surface[here, 0] = value[at] if value is not None else 0.5
            self.mid_surface[here, 1] = hue[at] if hue is not None else 0.5
        if layer.opacity <= 0:
            return
        idx = self.set.in_rows(r0, r1)
        if len(idx) == 0:
            return
        W = buf.shape[1]
        # Three channels: the stroke's value shift, its hue shift and its opacity.
        chans = np.zeros((len(rows), W, 3), F32)
        self.set.paint(chans, self.channels, self.ones, row0=r0, select=idx)
        # Only the pixels a stroke touches are coloured (a fraction of the band).
        flat = chans.reshape(-1, 3)
        on = np.flatnonzero(flat[:, 2])
        if not len(on):
            return
        alpha = flat[on, 2]
        inv = F32(1) / np.maximum(alpha, F32(1e-6))
        v = (value.reshape(-1)[on] if value is not None else F32(0.5)) + flat[on, 0] * inv
        h = (hue.reshape(-1)[on] if hue is not None else F32(0.5)) + flat[on, 1] * inv
        col = fr.colour(np.clip(v, 0, LIGHT_MAX)[None], np.clip(h, 0, 1)[None])[0]
        out = buf.reshape(-1, 3)  # a view of the band's contiguous buffer
        below = out[on]
        out[on] = below + (col - below) * (alpha * F32(layer.opacity))[:, None]
        if not np.shares_memory(out, buf):
            buf[...] = out.reshape(buf.shape)
        acc = idx[self.accented[idx]]
        if len(acc):
            apts, _ = select(self.points, self.offsets, acc)
            # Only the rows the accented strokes can reach.
            pad = 0.5 * float(self.widths[acc].max()) + 1.0
            a0 = max(r0, int(np.floor(apts[:, 1].min() - pad)))
            a1 = min(r1, int(np.ceil(apts[:, 1].max() + pad)) + 1)
            if a1 <= a0:
                return
            mask = np.zeros((a1 - a0, W, 3), F32)
            self.set.paint(mask, self.white, self.ones, row0=a0, select=acc)
            accent = fr.roles.linear("accent")
            sub = buf[a0 - r0 : a1 - r0]
            sub += (accent - sub) * (mask[..., :1] * F32(layer.opacity))
