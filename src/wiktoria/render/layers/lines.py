"""Lines: horizontal lines displaced by a terrain, hiding one another (Joy Division, Meridian).

Line ``k`` (``k = 0`` the nearest, at the bottom of the frame, up to the farthest, at the
composition's horizon) is drawn at ``y_k(x) = base_k(x) - relief_k * h_k(x)``, where the
terrain ``h`` is noise shaped by the composition: an envelope centred on its focus (a low
horizon), flanks around it (a valley), walls (an enclosure), one massive peak (a monolith),
peaks in rhythm, a land rising to one side (tilted), a wall of ridges (a high horizon).

Occlusion is the *floating horizon*: screen y points down, so the horizon of the lines nearer
than ``k`` is their running minimum, and a point of line ``k`` is visible where it lies above it
(:func:`horizons`). Isolated visible specks (runs of fewer than three samples) are pressed down
onto the horizon first (:func:`remove_dust`), so the raster and the plotter output agree.

The raster is the painter's algorithm done per pixel: each line fills the ground beneath it,
so a pixel shows the fill of the nearest line above it and, at most, the strokes of the two
visible lines around it: the one above (the surface) and the one below. Both are found at once
by a binary search of the pixel's row in its column's running minimum (a monotone sequence).
Strokes are anti-aliased from their distance to the pixel across the line (a box filter of the
line's width), with the width of the nearest line about 1.5 px at 1080 rows.

:func:`visible_runs` returns the visible parts as polylines cut exactly where they pass behind
a nearer line, for plotter output; :func:`polylines_of` gives them for a scene.
"""

from __future__ import annotations

import numpy as np

from wiktoria import noise
from wiktoria.colour import linear_to_srgb
from wiktoria.colour.roles import LIGHT_MAX
from wiktoria.render.layer import (
    F32,
    Band,
    Frame,
    LayerRenderer,
    box_smooth,
    gradient,
    smoothstep,
)
from wiktoria.render.layers.occlusion import MIN_SAMPLES, horizons, remove_dust, visible_runs
from wiktoria.render.light import light_of
from wiktoria.render.strokedata import Strokes
from wiktoria.scene.layers import LinesLayer
from wiktoria.scene.scene import Scene

__all__ = ["MIN_SAMPLES", "LinesRenderer", "horizons", "polylines_of", "remove_dust",
           "visible_runs"]

#: Samples per pixel across the width (the geometry and the polylines; the raster uses the
#: samples at the pixel centres).
OVERSAMPLE = 2


def _gauss(u: np.ndarray, centre: float, width: float) -> np.ndarray:
    return np.exp(-(((u - centre) / max(1e-3, width)) ** 2))


class LinesRenderer(LayerRenderer):
    """Lays out the lines (the occluded geometry, published as ``lines``), colours each line
    along its length, then paints the bands (publishing the land's ``cover``).

    Attributes
    ----------
    ys : ndarray of float64, shape (count, OVERSAMPLE * width + 1)
        After :meth:`layout`: each line's y at ``xs``, nearest line first, dust pressed down.
    xs : ndarray of float64
        The sample x, pixel coordinates: the pixels' edges and centres.

    Examples
    --------
    >>> import wiktoria
    >>> from wiktoria.render.layer import Frame
    >>> scene = wiktoria.paint("seething", size=(96, 54), seed=2, style="lines").scene
    >>> r = LinesRenderer(scene.layers[0], Frame(scene, scene.mood, 96, 54, scene.seed))
    >>> r.layout()
    >>> r.ys.shape == (scene.layers[0].count, 2 * 96 + 1)
    True
    >>> visible = r.ys < horizons(r.ys)
    >>> bool(visible[0].all()), bool(visible.mean() < 1.0)  # the nearest hides others
    (True, True)
    """
    concurrent_bands = True  # band() reads what prepare() left, writes its band

    layer: LinesLayer

    # ----------------------------------------------------------------- geometry
    def layout(self) -> None:
        fr, layer = self.frame, self.layer
        c = fr.composition
        W, H = fr.width, fr.height
        K = layer.count
        n = OVERSAMPLE * W + 1
        self.xs = np.arange(n, dtype=np.float64) / OVERSAMPLE  # pixel x, edges and centres
        u = (self.xs / W).reshape(1, -1)
        k = np.arange(K, dtype=np.float64).reshape(-1, 1)
        s = 1.0 - k / max(1, K - 1)  # 1 nearest .. 0 farthest
        q = 3.0 * layer.perspective
        dist = 1.0 + q * (1.0 - s)  # world distance, 1 at the nearest line
        f = (1.0 / dist - 1.0 / (1.0 + q)) / (1.0 - 1.0 / (1.0 + q)) if q > 0 else s
        scale = 1.0 / dist  # how much a height shrinks with distance
        y_far, y_near = c.horizon * H, H * 0.985
        base = y_far + (y_near - y_far) * f + c.tilt * H * (u - 0.5) * (1.0 - 0.4 * f)
        # Time: two noise coordinates on the layer's clock (continuous at any speed, exact
        # loops; a still is (0, 0)).
        clock = fr.clock(layer.speed)
        tu, tv = clock.u, clock.v
        zw = k / layer.coherence
        xw = (u - c.focus_x) * layer.frequency * dist**0.6
        hills = noise.fbm(xw, zw, tu, tv, octaves=layer.octaves, seed=self.seed("lines-terrain"),
                          dtype=np.float64)
        h = np.clip(0.4 + 1.7 * hills, 0.0, None) ** (1.0 + 1.2 * layer.sharpness)
        if layer.sharpness > 0:
            spikes = noise.ridged(xw * 2.2 + 5.3, zw * 1.6, tu, tv,
                                  octaves=max(1, layer.octaves - 1),
                                  seed=self.seed("lines-spikes"), dtype=np.float64)
            h = h + layer.sharpness * 0.9 * np.clip(spikes - 0.3, 0, None) ** 2
        h = h / (float(np.quantile(h, 0.995)) or 1.0)
        env, extra = self._envelope(u, s, hills)
        ys = base - (layer.relief * H * scale) * (env * h) - extra * scale
        # Keep the nearest line near the bottom of the frame: lower the lines by most of the
        # front's typical lift (more for the nearer lines, none at the horizon).
        lift = float(np.median(base[0] - ys[0]))
        ys = ys + f * min(max(lift, 0.0) * 0.8, 0.2 * H)
        self.s, self.dist = s[:, 0], dist[:, 0]
        self.ys = remove_dust(ys)
        fr.shared["horizon"] = c.horizon
        fr.shared["lines"] = self.ys

    def _envelope(self, u: np.ndarray, s: np.ndarray, hills: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray]:
        """The composition's shape of the terrain: a factor on the noise's relief (0 flat ..
        1 full) and the height in pixels of the big forms (valley flanks, walls, a
        monolith), each broadcastable to (K, N)."""
        fr = self.frame
        c = fr.composition
        H = fr.height
        fx = c.focus_x
        floor = 0.06 + 0.3 * (1.0 - c.empty)
        rough = np.clip(hills, -1.0, 1.0)
        # The big forms' height at the nearest line: constant in the world, so the lines'
        # perspective shrinks it with distance as it shrinks their spacing.
        big = c.near * H
        lay = c.layout
        extra: np.ndarray = np.zeros((1, 1))
        if lay == "high":
            # Ranges behind ranges at uneven depths, the nearest heaviest, each higher on
            # one side; the lines climb over them.
            env = 0.55 + 0.45 * _gauss(u, fx, 0.3)
            rng = self.rng("lines-ranges")
            n = max(2, c.ranges)
            depths = np.sort(rng.uniform(0.05, 0.95, n))
            extra = np.zeros((len(s), u.shape[1]))
            for sd in depths:  # a few ranges, whole-array each
                lean = smoothstep(u if rng.random() < 0.5 else 1.0 - u, -0.2, 1.2)
                ridge = (0.35 + 0.65 * lean) * (0.75 + 0.25 * rough)
                rise = smoothstep(s, sd - 0.05, sd) * (1.0 - smoothstep(s, sd, sd + 0.14))
                extra = np.maximum(extra, big * (0.25 + 0.5 * sd) * ridge * rise)
        elif lay == "valley":
            w = max(0.05, 0.7 * c.scale)
            flank = 1.0 - np.exp(-((np.abs(u - fx) / w) ** 1.6))
            env = floor * 0.5 + (1.0 - floor * 0.5) * (0.3 + 0.7 * flank)
            extra = big * 0.7 * flank * (0.8 + 0.2 * rough)
        elif lay == "enclosure":
            w = max(0.08, c.scale)
            wall = 1.0 - np.exp(-((np.abs(u - fx) / w) ** 2.5))
            env = floor * 0.5 + (1.0 - floor * 0.5) * wall
            extra = max(c.near, 0.45) * H * wall * (0.8 + 0.2 * rough)
        elif lay == "tilted":
            side = smoothstep(u if c.tilt > 0 else 1.0 - u, 0.0, 1.0)
            env = floor + (1.0 - floor) * (0.65 * (1.0 - side) + 0.35 * _gauss(u, fx, 0.2))
            extra = 0.5 * big * (1.0 - side) ** 1.5 * (0.8 + 0.2 * rough)
        elif lay == "rhythm":
            period = max(0.05, c.scale)
            rng = self.rng("lines-rhythm")
            lean = float(rng.uniform(-0.5, 0.5)) * period
            phase = (u - fx - lean * (1.0 - s)) / period
            beat = (0.5 + 0.5 * np.cos(2 * np.pi * phase)) ** 3
            swell = 0.55 + 0.45 * np.cos(2 * np.pi * (u - fx) / (period * rng.uniform(2.6, 3.4)))
            env = floor * 0.5 + (1.0 - floor * 0.5) * beat * swell
        elif lay == "monolith":
            rng = self.rng("lines-monolith")
            s0 = float(rng.uniform(0.35, 0.6))
            d0 = 1.0 + 3.0 * self.layer.perspective * (1.0 - s0)
            w = max(0.06, 2.2 * c.scale * H / fr.width)
            side = float(rng.choice([-1.0, 1.0]))
            wu = np.where((u - fx) * side > 0, w * rng.uniform(0.5, 0.75), w)
            r = np.sqrt(((u - fx) / wu) ** 2 + ((s - s0) / 0.16) ** 2)
            shape = int(rng.integers(3))
            if shape == 0:  # a spire
                mass = np.clip(1.0 - r, 0.0, None) ** 1.2
            elif shape == 1:  # a dome
                mass = np.sqrt(np.clip(1.0 - r * r, 0.0, None))
            else:  # a massif: a broad, lower ridge
                r = np.sqrt(((u - fx) / (1.8 * wu)) ** 2 + ((s - s0) / 0.16) ** 2)
                mass = 0.75 * np.clip(1.0 - r, 0.0, None) ** 0.8
            crags = noise.ridged((u - fx) / w * 1.7, (s - s0) / 0.16 * 1.7, 3.3, octaves=4,
                                 seed=self.seed("lines-crags"), dtype=np.float64)
            extra = big * d0 * mass * (0.55 + 0.2 * rough + 0.5 * crags)
            env = floor * 0.7 + (1.0 - floor) * 0.35 * _gauss(u, fx, 0.3)
        else:  # low, and anything else: a central band, as on the record's cover
            # A band of peaks round the focus, as on the record's cover, at a depth and with
            # a second, smaller band beside it, chosen by the seed.
            rng = self.rng("lines-band")
            w = 0.1 + 0.6 * c.scale
            sd, sw = rng.uniform(0.3, 1.0), rng.uniform(0.35, 0.8)
            depth = 0.35 + 0.65 * np.exp(-(((s - sd) / sw) ** 2))
            band = _gauss(u, fx, w)
            if rng.random() < 0.5:
                other = fx + float(rng.choice([-1, 1])) * rng.uniform(0.28, 0.42)
                band = np.maximum(band, rng.uniform(0.3, 0.6) * _gauss(u, other, 0.5 * w))
            env = 2.2 * (floor * 0.7 + (1.0 - floor * 0.7) * band * depth)
        return np.broadcast_to(env, (len(s), u.shape[1])), extra

    def polylines(self) -> list[np.ndarray]:
        """The visible runs of the lines, ``(x, y)`` in pixels (after :meth:`layout`)."""
        return visible_runs(self.ys, self.xs)

    def strokes(self) -> Strokes:
        """The visible runs (:meth:`polylines`) as strokes (after :meth:`prepare`): each
        with its line's width, and the mean of the raster's stroke colour over the pixel
        columns the run spans (in linear light, then sRGB). The raster varies the colour
        along a line (light, grain, accent); a plotted stroke has one, so that is its
        average; the fills, the sky and the light are not strokes and are left out."""
        runs, ks = visible_runs(self.ys, self.xs, with_lines=True)
        W = self.frame.width
        colours = np.empty((len(runs), 3), np.float64)
        table = self.stroke.reshape(-1, W, 3)
        for i, (run, k) in enumerate(zip(runs, ks, strict=True)):
            lo = int(np.clip(np.floor(run[0, 0]), 0, W - 1))
            hi = int(np.clip(np.ceil(run[-1, 0]), lo + 1, W))
            colours[i] = table[k, lo:hi].astype(np.float64).mean(axis=0)
        srgb = np.clip(linear_to_srgb(np.clip(colours, 0.0, 1.0)), 0.0, 1.0)
        codes = np.round(srgb * 255.0).astype(np.uint8).reshape(-1, 3)
        return Strokes.from_polylines(runs, self.width[ks], codes)

    # ----------------------------------------------------------------- colour
    def prepare(self) -> None:
        fr, layer = self.frame, self.layer
        c = fr.composition
        W, H = fr.width, fr.height
        K = layer.count
        ys = self.ys
        yc = ys[:, 1::OVERSAMPLE].astype(F32)  # pixel centres, (K, W)
        yl, yr = ys[:, 0:-1:OVERSAMPLE].astype(F32), ys[:, 2::OVERSAMPLE].astype(F32)
        vis_c = yc < horizons(yc)
        M = np.minimum.accumulate(yc, axis=0)
        self.dark = c.key < 0.5
        light = light_of(fr)
        self.light = light
        s = self.s.astype(F32).reshape(-1, 1)
        cols = np.arange(W, dtype=F32) + F32(0.5)
        # How much light reaches each line's points, and whether its slope faces the light.
        dx = cols.reshape(1, -1) - F32(light.x)
        dy = yc - F32(light.y)
        if light.seam is None:
            dist = np.hypot(dx, dy)
        elif light.vertical:
            dist = np.hypot(dx, F32(0.3) * dy)
        else:
            dist = np.hypot(F32(0.3) * dx, dy)
        broad = light.falloff(dist, 4.0)
        tight = light.falloff(dist, 1.2)
        slope = (yr - yl).astype(F32)
        nrm = np.sqrt(F32(1) + slope * slope)
        facing = (slope * (-dx) + dy) / (nrm * (np.hypot(dx, dy) + F32(1e-3)))
        lit = F32(0.5) + F32(0.5) * np.tanh(F32(2.5) * facing)
        # The same for the land under each line, from its slope smoothed over ~2 % of the
        # width (column-to-column slopes would streak the fills).
        # Three boxes: nearly a Gaussian, so the slope has no kinks.
        sl = gradient(box_smooth(yc, max(3, W // 80), passes=3, axis=1), axis=1).astype(F32)
        fac_s = (sl * (-dx) + dy) / (np.sqrt(F32(1) + sl * sl) * (np.hypot(dx, dy) + F32(1e-3)))
        lit_s = F32(0.5) + F32(0.5) * np.tanh(F32(3.0) * fac_s)
        clock = fr.clock(layer.speed)
        k = np.arange(K, dtype=F32).reshape(-1, 1)
        zw = k / F32(layer.coherence)
        ux = (cols / F32(W)).reshape(1, -1)
        grain = noise.fbm(ux * F32(6.0), zw * F32(0.7) + F32(3.1), clock.u, clock.v, octaves=3,
                          seed=self.seed("lines-value"))
        hue_n = noise.fbm(ux * F32(1.6), zw * F32(0.05) + F32(7.7), clock.u, clock.v, octaves=2,
                          seed=self.seed("lines-hue"))
        hue = (F32(0.5) + F32(0.3) * np.tanh(F32(2.0) * hue_n) + F32(0.15) * (s - F32(0.5))
               - F32(0.15) * tight)
        # The haze at the horizon: the sky's value there, which far lines and fills fade to.
        self.sky_lo, self.sky_hi = (0.03, 0.22) if self.dark else (0.86, 0.95)
        haze = F32(self.sky_hi) + F32(0.35 if self.dark else 0.12) * broad
        far = (F32(1) - s) ** F32(1.4) * F32(layer.fog)
        glow = F32(layer.glow)
        shade = F32(layer.shade)
        if self.dark:
            v = F32(0.8) + F32(0.3) * s + F32(0.06) * grain
            v = v * (F32(1) - shade * F32(0.65) * (F32(1) - lit))
            v = v + glow * (F32(0.3) * broad + F32(0.6) * tight)
            # The land is dark; its slopes facing the light catch a little of it.
            fill = (F32(0.02) + F32(0.1) * broad) * (F32(0.4) + F32(1.2) * lit_s)
        else:
            v = F32(0.04) + F32(0.1) * (F32(1) - s) + F32(0.05) * grain
            v = v + shade * F32(0.3) * (F32(1) - lit)
            v = v + glow * F32(0.6) * tight * (haze - v)
            # The land under the ink is a wash that deepens towards the front, pale on the
            # slopes that face the light and deep on the others.
            near_fill = F32(0.4 - 0.35 * c.contrast - 1.0 * max(0.0, c.key - 0.7))
            tone = near_fill * (F32(1) - (F32(0.15) + F32(0.5) * shade) * (F32(1) - lit_s))
            fill = F32(self.sky_hi) + (tone - F32(self.sky_hi)) * s**F32(1.4)
            fill = fill + F32(0.2) * broad * lit_s
        v = v + (haze - v) * far
        fill = fill + (haze - fill) * far * F32(0.8)
        stroke = fr.colour(np.clip(v, 0, LIGHT_MAX), hue)
        if c.accent > 0:
            a = np.clip((tight - F32(0.45)) * F32(2.5), 0, 1) * F32(min(1.5, c.accent / 0.03))
            a = (np.minimum(a * F32(0.75), F32(0.85)) * vis_c)[..., None]
            stroke += (fr.roles.linear("accent") - stroke) * a
        fillc = fr.colour(np.clip(fill, 0, LIGHT_MAX), hue * F32(0.6) + F32(0.2))
        # Tables with a sentinel row K (the sky, substituted per pixel) for the gathers.
        self.stroke = np.concatenate([stroke, np.zeros((1, W, 3), F32)]).reshape(-1, 3)
        self.fill = np.concatenate([fillc, np.zeros((1, W, 3), F32)]).reshape(-1, 3)
        # Widths: near lines heavier; at least a third of a pixel.
        w = F32(layer.width * H / 1080.0) * (F32(0.5) + F32(0.5) * s) / np.sqrt(
            self.dist.astype(F32)).reshape(-1, 1)
        self.width = np.concatenate([np.maximum(w, F32(0.5)).ravel(), [F32(1)]]).astype(F32)
        # Downward and upward extents of each line within its pixel column, for distances.
        ext_dn = np.maximum(np.maximum(yl, yr) - yc, 0)
        ext_up = np.maximum(yc - np.minimum(yl, yr), 0)
        self.ext = (np.concatenate([ext_dn, np.zeros((1, W), F32)]).ravel(),
                    np.concatenate([ext_up, np.zeros((1, W), F32)]).ravel())
        # Running minimum with sentinels: Mx[0] = +inf (nothing nearer), Mx[k + 1] = M_k,
        # Mx[K + 1] = -inf (nothing farther).
        big = F32(8 * H + 8)
        self.Mx = np.concatenate([np.full((1, W), big), M, np.full((1, W), -big)]).ravel()
        # Line ids: Lx[j] = the visible line at M_{j-1} (-1: none); Nx[j] = the first visible
        # line at or beyond j (K: the sky).
        idx = np.where(vis_c, np.arange(K).reshape(-1, 1), -1)
        L = np.maximum.accumulate(idx, axis=0)
        self.Lx = np.concatenate([np.full((1, W), K), L]).ravel()  # K: none (sentinel row)
        nxt = np.where(vis_c, np.arange(K).reshape(-1, 1), K)
        N = np.minimum.accumulate(nxt[::-1], axis=0)[::-1]
        self.Nx = np.concatenate([N, np.full((2, W), K)]).ravel()
        # Search keys: per column the running minimum, increasing, offset by column.
        self.span = float(4 * H + 8)
        lo, hi = -1.5 * H - 2, 2.5 * H + 2
        keys = np.clip(M[::-1].T.astype(np.float64), lo, hi)
        self.keys = (keys + (np.arange(W) * self.span).reshape(-1, 1)).ravel()
        self.K, self.top = K, float(M[-1].min())
        # The sky's value: dark at the top, brighter towards the horizon and the light.
        hz = F32(c.horizon)
        self.sky = (F32(self.sky_lo), F32(self.sky_hi), hz, glow)
        # A rift below the horizon splits the land: it is painted in front of the lines.
        self.in_front = (light.kind == "rift" and light.seam is not None and light.vertical
                         and light.y > c.horizon * H)
        # In a high key a sun is a disc of the accent on the pale sky; a moon, a ring of ink.
        self.moon_ring = light.kind == "moon" and not self.dark
        if self.moon_ring:
            self.disc = fr.colour(np.full((1, 1), 0.08, F32))[0, 0]
        else:
            self.disc = fr.roles.linear("accent")

    # ----------------------------------------------------------------- bands
    def _glow_distance(self, rows: np.ndarray) -> np.ndarray:
        """Distance of the band's pixels to the light for its broad glow: to its centre, or,
        for a seam, to its centre with the distance along the seam shrunk (a smooth, long
        glow: the seam's own jagged distance would streak the sky row by row)."""
        light, W = self.light, self.frame.width
        r = (rows.astype(F32) + F32(0.5)).reshape(-1, 1) - F32(light.y)
        cx = np.arange(W, dtype=F32).reshape(1, -1) + F32(0.5) - F32(light.x)
        if light.seam is None:
            return np.hypot(cx, r)
        if light.vertical:
            return np.hypot(cx, F32(0.3) * r)
        return np.hypot(F32(0.3) * cx, r)

    def _source(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        """The light itself over the band: its core (0 .. 1) and a narrow halo, or None
        where it is far from the band."""
        light, W = self.light, self.frame.width
        if light.seam is None:
            disc = {"sun": 0.45, "moon": 0.5}.get(light.kind, 0.0) * light.radius
            reach = 3.0 * max(disc, 0.25 * light.radius) + 2.0
            if rows[-1] + 1 < light.y - reach or rows[0] > light.y + reach:
                return None
            d = np.hypot(np.arange(W, dtype=F32).reshape(1, -1) + F32(0.5) - F32(light.x),
                         (rows.astype(F32) + F32(0.5)).reshape(-1, 1) - F32(light.y))
            core = np.clip(F32(disc) - d + F32(0.5), 0, 1) if disc > 0 else np.zeros_like(d)
            halo = np.exp(-((d / F32(max(1.0, 1.6 * max(disc, 0.2 * light.radius)))) ** 2))
            return core, halo.astype(F32)
        d = light.distance(rows, W, exact=True)
        # A tear across the sky stays thin (a wide one reads as a tube); its halo is broad.
        if light.vertical:
            # The halo from the seam smoothed: the exact, jagged one would streak row by row.
            core = np.clip(light.core_width(rows, W) - d + F32(0.5), 0, 1)
            halo = np.exp(-light.distance(rows, W) / F32(2.0 * light.width + 1.0))
            return core.astype(F32), halo.astype(F32)
        # A tear across the sky: thin, fading out towards both ends (a wide, blunt one reads
        # as a tube).
        n = max(1, light.seam_hi - light.seam_lo)
        t = 1.0 - np.abs(np.arange(W) + 0.5 - (light.seam_lo + light.seam_hi) / 2) / (n / 2)
        taper = smoothstep(np.clip(t, 0, 1), 0.0, 0.8).astype(F32).reshape(1, -1)
        core = np.clip(F32(0.45) * light.core_width(rows, W) - d + F32(0.5), 0, 1) * taper
        halo = np.exp(-d / F32(1.2 * light.width + 1.0)) * np.sqrt(taper)
        return core.astype(F32), halo.astype(F32)

    def _sky(self, rows: np.ndarray) -> np.ndarray:
        """The sky over the band: a gradient towards the horizon, a broad glow round the
        light, and the light itself (hidden wherever the land's fill covers the sky)."""
        fr = self.frame
        lo, hi, hz, glow = self.sky
        yy = ((rows + 0.5) / fr.height).astype(F32).reshape(-1, 1)
        v = lo + (hi - lo) * smoothstep(yy, 0.0, float(hz)) ** F32(0.9)
        dist = self._glow_distance(rows)
        reach = F32(0.55) * self.light.falloff(dist, 4.0) + F32(0.45) * self.light.falloff(
            dist, 1.2)
        v = v + (F32(0.65) if self.dark else F32(0.3)) * (F32(0.5) + glow) * reach
        hue = F32(0.5) - F32(0.2) * reach
        src = None if self.in_front else self._source(rows)
        if src is not None:
            core, halo = src
            v = v + (F32(0.55) if self.dark else F32(0.1)) * halo
            if self.dark or self.light.seam is not None:
                v = v + (F32(1.45) - v) * core
            elif self.moon_ring:
                v = v + F32(0.12) * core
        col = fr.colour(np.clip(v, 0, LIGHT_MAX), hue)
        if src is not None and not self.dark and self.light.seam is None:
            if self.moon_ring:
                core = self._ring(rows)
            col += (self.disc - col) * core[..., None]
        return col

    def _ring(self, rows: np.ndarray) -> np.ndarray:
        """A circle of ink round a moon's disc (a high key), as wide as the nearest line."""
        light, W = self.light, self.frame.width
        d = np.hypot(np.arange(W, dtype=F32).reshape(1, -1) + F32(0.5) - F32(light.x),
                     (rows.astype(F32) + F32(0.5)).reshape(-1, 1) - F32(light.y))
        return _coverage(np.abs(d - F32(0.5 * light.radius)), self.width[:1] * F32(0.8))

    def band(self, band: Band) -> None:
        fr = self.frame
        W, K = fr.width, self.K
        rows, buf = band.rows, band.rgb
        R = len(rows)
        y = (rows.astype(np.float64) + 0.5).reshape(1, -1)  # (1, R), queries column-major
        colw = np.arange(W).reshape(-1, 1)
        q = (y + colw * self.span).ravel()
        cnt = np.searchsorted(self.keys, q, side="right").reshape(W, R) - colw * K
        s = (K - cnt).T  # (R, W): the surface line (K: the sky)
        c = np.arange(W).reshape(1, -1)
        y = y.T.astype(F32)  # (R, 1)
        Mx = self.Mx
        m_above = Mx[(s + 1) * W + c]  # y of the surface line (-inf: none)
        m_below = Mx[s * W + c]  # y of the visible line below (+inf: none)
        below = self.Lx[s * W + c]  # its id (K: none)
        above = s  # the surface line's id (K: the sky)
        upper = self.Nx[(s + 1) * W + c]  # the surface above the surface line (K: the sky)
        ia, ib, iu = above * W + c, below * W + c, upper * W + c
        da = y - m_above  # >= 0
        db = m_below - y  # > 0
        ext_dn, ext_up = self.ext
        wa = self.width[above]
        wb = self.width[below]
        da = _across(da, ext_dn[ia])
        db = _across(db, ext_up[ib])
        # The ground: the surface's fill, the one above at the top of the pixel, the one
        # below at its bottom.
        a_top = np.clip(F32(0.5) - da, 0, 1)
        a_bot = np.clip(F32(0.5) - db, 0, 1)
        a_mid = np.clip(F32(1) - a_top - a_bot, 0, 1)
        sky_mid, sky_top = above == K, upper == K
        need_sky = bool(sky_mid.any() or (sky_top & (a_top > 0)).any())
        fill = self.fill
        col = np.take(fill, ia, axis=0) * a_mid[..., None]
        col += np.take(fill, iu, axis=0) * a_top[..., None]
        col += np.take(fill, ib, axis=0) * a_bot[..., None]
        if need_sky:
            sky = self._sky(rows)
            sk = (sky_mid * a_mid + sky_top * a_top)[..., None]
            col += sky * sk
            band.shared["cover"] = np.clip(F32(1) - sk[..., 0], 0, 1)
        else:
            band.shared["cover"] = np.ones((R, W), F32)
        # Strokes: the surface line's, then the nearer one's over it.
        ca = _coverage(da, wa) * (above < K)
        cb = _coverage(db, wb) * (below < K)
        col += (np.take(self.stroke, ia, axis=0) - col) * ca[..., None]
        col += (np.take(self.stroke, ib, axis=0) - col) * cb[..., None]
        if self.in_front:
            src = self._source(rows)
            if src is not None:
                core, halo = src
                hot = fr.colour(np.full((1, 1), 1.45, F32))[0, 0]
                col += fr.roles.linear("light") * (F32(0.6) * halo)[..., None]
                col += (hot - col) * core[..., None]
                np.clip(col, 0, 1, out=col)
        buf[...] = col


def _across(d: np.ndarray, extent: np.ndarray) -> np.ndarray:
    """Distance across a line from a pixel ``d`` rows away from its centre sample, where the
    line runs ``extent`` rows further that way within the pixel's column (steep flanks)."""
    slope2 = F32(4) * extent * extent
    return np.maximum(d / np.sqrt(F32(1) + slope2), d - extent).astype(F32)


def _coverage(d: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Share of a pixel covered by a line of width ``w`` whose centre is ``d`` away (a box
    filter: the overlap of ``[d - 1/2, d + 1/2]`` with ``[-w/2, w/2]``)."""
    half = w * F32(0.5)
    return np.clip(np.minimum(d + F32(0.5), half) - np.maximum(d - F32(0.5), -half), 0, 1)


def polylines_of(scene: Scene) -> list[np.ndarray]:
    """The visible runs of the first ``lines`` layer of ``scene``, as ``(n, 2)`` float32
    arrays of pixel ``(x, y)`` (for plotter or SVG output).

    Examples
    --------
    >>> import wiktoria
    >>> scene = wiktoria.paint("serene", size=(96, 54), seed=1, style="lines").scene
    >>> runs = polylines_of(scene)
    >>> len(runs) > 0 and all(r.shape[1] == 2 and len(r) >= 3 for r in runs)
    True
    """
    W, H = scene.size
    mood, layers = scene.frame_state()
    layer = next((x for x in layers if isinstance(x, LinesLayer)), None)
    if layer is None:
        raise ValueError(f"scene has no lines layer (its layers: "
                         f"{', '.join(x.type for x in layers)})")
    frame = Frame(scene=scene, mood=mood, width=W, height=H, seed=scene.seed)
    r = LinesRenderer(layer, frame)
    r.layout()
    return r.polylines()
