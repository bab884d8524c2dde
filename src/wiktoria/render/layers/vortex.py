"""Vortex: a storm of mist and light wound around a luminous core (the ``storm`` style).

The core sits at the composition's light. Around it the air turns as a Lamb-Oseen vortex
(solid rotation inside the core, differential outside), elliptical and tilted along a diagonal
of the frame. Everything is sampled in **swirled polar coordinates**: the angle about the core
plus a winding ``twist * log(r)`` (logarithmic spiral arms), displaced by a turbulence that is
calm in the eye and grows towards the periphery. From those coordinates come

* broad arms of light (a cosine in the swirled angle, broken by a slow field), fed by the
  core's glow, which spills further on one side (a crescent, not a target);
* cloud masses (noise in swirled Cartesian coordinates: noise advected by the turn) that
  darken and churn the periphery, and veils of mist drawn over everything but the core;
* streaks of mist along the spiral, in patches, one width from the eye to the corners;
* the hue, from a field of its own wound with the arms (two colour axes).

The smooth fields are computed once at :data:`VORTEX_SCALE` of the resolution and the streaks
at down to 0.4 of it (:func:`streak_scale`), then interpolated per band. In a loop the arms turn
rigidly (a whole number of arm spacings per loop) and the streaks are advected by the vortex's
angular velocity in two phases half a life apart (Neyret's advected textures): each is
regenerated when its weight is zero and they are blended without loss of contrast, so the
streaks travel without pulsing and the loop closes exactly. The turbulence, clouds, veils and
hue evolve on the layer's clock (:meth:`~wiktoria.render.layer.Frame.clock`: 4-D noise, two
coordinates on a circle), at any speed, with no whole-cell period.
"""

from __future__ import annotations

import math

import numpy as np

from wiktoria import noise
from wiktoria.render.layer import F32, Band, LayerRenderer, box_smooth, interp_grid, smoothstep
from wiktoria.render.light import light_of
from wiktoria.scene.layers import VortexLayer

__all__ = ["VORTEX_SCALE", "VortexRenderer", "streak_scale"]

#: The smooth fields of the vortex are computed at this fraction of the resolution.
VORTEX_SCALE = 0.25
TAU = 2.0 * math.pi
_CHUNK = 96  # rows of the streak grid computed at once (bounds the temporaries)


def streak_scale(height: int) -> float:
    """Fraction of the resolution the streaks are computed at: full up to 432 rows, then
    falling to 0.4 (streaks are a few dozen pixels wide at 1080 rows).

    Examples
    --------
    >>> streak_scale(270), streak_scale(1080), streak_scale(4320)
    (1.0, 0.4, 0.4)
    """
    return float(min(1.0, max(0.4, 432.0 / max(1, height))))


def _normalised(a: np.ndarray) -> np.ndarray:
    sd = float(a.std())
    return ((a - a.mean()) / (sd if sd > 1e-9 else 1.0)).astype(F32)


def _grid(n: int, scale: float) -> np.ndarray:
    """Pixel coordinates of a reduced grid spanning ``-1 .. n`` (so interpolation never
    extrapolates)."""
    return np.linspace(-1.0, n, max(8, math.ceil(n * scale) + 2))


class VortexRenderer(LayerRenderer):
    """Prepares the vortex's geometry, its smooth fields and its streaks (publishing the
    ``haze`` along the horizon, which the land's depth fog takes), then paints each band in two
    colour axes (publishing the band's ``value`` and ``hue`` for the layers above).

    Examples
    --------
    >>> import numpy as np
    >>> import wiktoria
    >>> p = wiktoria.paint("seething", size=(96, 54), seed=2, style="storm")
    >>> [layer.type for layer in p.scene.layers][:2]
    ['vortex', 'land']
    >>> np.asarray(p).shape
    (54, 96, 3)
    """
    concurrent_bands = True  # band() reads what prepare() left, writes its band

    layer: VortexLayer

    # ------------------------------------------------------------------ geometry
    def _geometry(self) -> None:
        fr, layer = self.frame, self.layer
        W, H = fr.width, fr.height
        light = light_of(fr)
        self.cx, self.cy = float(light.x), float(light.y)
        rng = self.rng("vortex-shape")
        # Each seed winds its own storm around the mood's defaults.
        self.twist = layer.twist * float(rng.uniform(0.6, 1.4))
        self.sq = math.sqrt(max(1.0, layer.squash * float(rng.uniform(0.85, 1.2))))
        self.sense = float(rng.choice([-1.0, 1.0]))
        # The long axis lies along a diagonal, towards the middle of the frame.
        dx, dy = 0.5 * W - self.cx, 0.5 * H - self.cy
        slope = (1.0 if dx * dy > 0 else -1.0) if abs(dx * dy) > 1e-3 * W * H else float(
            rng.choice([-1.0, 1.0]))
        tilt = slope * float(rng.uniform(0.35, 0.8))
        self.cos, self.sin = math.cos(tilt), math.sin(tilt)
        size = fr.composition.light_size
        self.rc = max(1.5, layer.core * H * (0.9 + min(size, 0.4)) * float(rng.uniform(0.75, 1.35)))
        # Towards the middle of the frame in the vortex's own angle, and how far that is.
        _, _, r0, phi0 = self._polar_at(np.array([[0.5 * H]]), np.array([[0.5 * W]]))
        self.toward = float(phi0[0, 0]) if float(r0[0, 0]) > self.rc else float(
            rng.uniform(-math.pi, math.pi))
        reach = max(float(r0[0, 0]), 0.35 * H)
        # A bright arm heads for the middle of the frame, a little off it; the light spills
        # further on that side.
        self.phase = (-layer.arms * (self.toward + float(self._winding(np.float32(0.6 * reach))))
                      + float(rng.normal(0.0, 0.35)))
        self.spill = self.toward + float(rng.normal(0.0, 0.5))
        self.lopsided = float(rng.uniform(0.25, 0.75))
        self.arm_gain = float(rng.uniform(0.5, 1.25))
        # Beyond its reach the storm settles into quiet mist (far in an empty composition).
        self.reach = self.rc * (3.0 + 12.0 * (1.0 - fr.composition.empty)) * float(
            rng.uniform(0.8, 1.25))
        self.far = float(max(math.hypot(x - self.cx, y - self.cy)
                             for x in (0, W) for y in (0, H))) / self.sq

    def _polar_at(self, ys: np.ndarray, xs: np.ndarray) -> tuple[np.ndarray, ...]:
        """Ellipse coordinates ``(u, v)``, radius and angle at pixel coordinates ``ys`` by
        ``xs`` (arrays that broadcast); radii in pixels of the round vortex."""
        dx = xs.astype(F32) - F32(self.cx)
        dy = ys.astype(F32) - F32(self.cy)
        u = (dx * F32(self.cos) + dy * F32(self.sin)) / F32(self.sq)
        v = (dy * F32(self.cos) - dx * F32(self.sin)) * F32(self.sq)
        r = np.hypot(u, v)
        phi = np.arctan2(v, u) * F32(self.sense)
        return u, v, r, phi

    def _winding(self, r: np.ndarray) -> np.ndarray:
        """Angle the spiral has wound at radius ``r``: ``twist * log(r / rc)`` far out,
        vanishing smoothly in the core."""
        q = r / F32(self.rc)
        return (F32(0.5 * self.twist) * np.log1p(q * q)).astype(F32)

    def _omega(self, r: np.ndarray) -> np.ndarray:
        """Lamb-Oseen angular velocity relative to the core's: 1 inside, ``~rc^2/r^2`` far,
        softened (``r^-1.3``) so the whole frame still turns."""
        q2 = (r / F32(self.rc)) ** 2 + F32(1e-6)
        lamb = (F32(1) - np.exp(-q2)) / q2
        soft = (F32(1) + q2) ** F32(-0.65)
        return np.maximum(lamb, soft).astype(F32)

    # ------------------------------------------------------------------ prepare
    def prepare(self) -> None:
        fr, layer = self.frame, self.layer
        W, H = fr.width, fr.height
        c = fr.composition
        self._geometry()
        gx, gy = _grid(W, VORTEX_SCALE), _grid(H, VORTEX_SCALE)
        u, v, r, phi = self._polar_at((gy + 0.5).reshape(-1, 1), (gx + 0.5).reshape(1, -1))
        # Time: two noise coordinates on the layer's clock (continuous at any speed, exact
        # loops; a still is (0, 0)).
        clock = fr.clock(layer.speed)
        tu, tv = clock.u, clock.v
        rc = F32(self.rc)
        # Turbulence: calm in the eye, full beyond two core radii.
        beta = F32(layer.turbulence) * np.clip(r / (F32(2.0) * rc), 0.15, 1.0)
        f = F32(layer.frequency / H)
        w_phi = beta * F32(0.8) * noise.fbm(u * f, v * f, tu, tv, octaves=4,
                                             seed=self.seed("v-wphi"))
        w_r = beta * F32(0.5) * noise.fbm(u * f + F32(3.7), v * f - F32(1.3), tu, tv,
                                           octaves=3, seed=self.seed("v-wr"))
        swirl = phi + self._winding(r) + w_phi
        # The turn: a whole number of arm spacings per loop (none for a slow, short loop).
        loop = fr.scene.loop
        self.loop_phase = 0.0 if loop is None else loop.phase
        spacings = 0 if loop is None else round(layer.spin * loop.duration)
        self.arm_speed = TAU * spacings / layer.arms  # radians per loop
        self.max_lives = 2 if loop is None else max(2, loop.frames // 4)  # never strobe
        arm_turn = F32(self.arm_speed * self.loop_phase)
        lr = np.log1p(r / rc)
        # Broad arms of light, broken by a slow field so no two are alike.
        nm = max(2, layer.streaks // 5)
        slow = _normalised(noise.fbm(swirl * F32(nm / TAU), lr * F32(1.1) + w_r, tu, tv,
                                     octaves=3, seed=self.seed("v-veil"),
                                     period=(nm, None, None, None)))
        arms = np.cos(F32(layer.arms) * (swirl + arm_turn) + F32(self.phase))
        arms = F32(0.5) + F32(0.5) * np.tanh(F32(1.6) * (arms + F32(0.5) * slow))
        # Cloud masses: noise advected by the turn of the vortex (swirled Cartesian).
        a = phi + F32(0.7) * self._winding(r) + w_phi
        rr = r * F32(1.3 * layer.frequency / H)
        cloud = _normalised(noise.fbm(rr * np.cos(a), rr * np.sin(a), tu, tv, octaves=5,
                                      seed=self.seed("v-cloud")))
        # Light: the core, its halo (spilling further on one side), the arms it feeds.
        eye = smoothstep(r, 0.5 * self.rc, 2.5 * self.rc)
        lop = F32(1) + F32(self.lopsided) * eye * np.cos(phi - F32(self.spill))
        core = np.exp(-(r / (F32(1.6) * rc)) ** 3)  # an opening of light, flat-topped
        r_light = np.hypot(u / F32(1.3), v * F32(1.3))  # the light spreads along the diagonal
        halo = lop / (F32(1) + (r_light / (F32(3.5) * rc * lop)) ** 2)
        wide = F32(1) / (F32(1) + (r / F32(0.5 * H)) ** 2)
        rim = smoothstep(r, 1.5 * self.rc, max(3.0 * self.rc, 0.8 * self.far))
        quiet = smoothstep(r, self.reach, 2.2 * self.reach)
        busy = F32(1) - F32(0.7) * quiet
        g = F32(layer.glow)
        arm_dev = F32(self.arm_gain) * (arms - F32(0.5)) * eye * busy
        value = (F32(0.08) + F32(0.22) * wide
                 + g * F32(0.5) * halo * (F32(1) - F32(0.05) * eye + F32(1.6) * arm_dev)
                 + F32(0.45) * wide * arm_dev
                 + F32(0.14 * layer.turbulence) * cloud * (F32(0.3) + F32(0.7) * rim) * busy)
        dark = F32(layer.darkness) * rim * (F32(0.65) + F32(0.35) * np.tanh(cloud))
        value = value * (F32(1) - dark)
        # Veils of mist drawn over it, lit by the core; thickest in the composition's quiet
        # share.
        cut = float(np.quantile(slow, min(0.9, 0.3 + 0.5 * c.empty)))
        veil = smoothstep(slow - F32(0.4) * cloud, cut - 0.7, cut + 0.7)
        veil = np.maximum(veil, F32(0.6) * quiet) * F32(0.75 * layer.mist) * eye
        mist_v = F32(0.2) + F32(0.55) * halo + F32(0.15) * wide
        value = value + (mist_v - value) * veil
        # Only the core is light itself: the lit mist and arms bend under a knee at 0.7.
        knee = F32(0.7)
        value = np.where(value > knee, knee + F32(0.25) * np.tanh((value - knee) / F32(0.25)),
                         value)
        surface = value
        value = value + g * F32(0.85) * core
        # Hue: its own field wound with the arms, shifted towards the light's.
        hn = max(2, layer.arms + 1)
        hue_f = noise.fbm(swirl * F32(hn / TAU), lr * F32(0.8), tu, tv, octaves=2,
                          seed=self.seed("v-hue"), period=(hn, None, None, None))
        hue = (F32(0.5) + F32(0.32) * np.tanh(F32(1.1) * _normalised(hue_f))
               + F32(0.12) * (arms - F32(0.5)) * eye - F32(0.15) * core)
        # How strongly the streaks show: in patches along the spiral, in the light, out of
        # the eye, under the veils less.
        patch = _normalised(noise.fbm(swirl * F32(nm * 2 / TAU), lr * F32(2.5) - w_r, tu, tv,
                                      octaves=2, seed=self.seed("v-patch"),
                                      period=(nm * 2, None, None, None)))
        patch = smoothstep(patch, -0.5, 0.9)
        gain = (F32(layer.texture) * eye * (F32(0.035) + F32(0.16) * halo)
                * (F32(0.15) + F32(0.85) * patch) * (F32(1) - F32(0.5) * dark)
                * (F32(0.6) + F32(0.8) * arms)
                * (F32(1) - F32(0.6) * veil) * busy)
        # Where the accent may touch: a ring round the core.
        ring = np.exp(-((r - F32(2.0 * self.rc)) / F32(1.2 * self.rc)) ** 2)
        self.fields = tuple(x.astype(F32) for x in (value, hue, gain, ring))
        self.grid = (gy, gx)
        self.streaks = self._streak_grid(w_phi, w_r, gy, gx)
        # The haze along the horizon (for the land's depth fog), smoothed: the lit mist, not
        # the core, which is light itself and would turn the fog into a second sun.
        hz_rows = np.array([c.horizon * H - 0.5])
        cols = np.arange(W)
        fr.shared["haze"] = tuple(
            box_smooth(interp_grid(fld.astype(F32), gy, gx, hz_rows, cols)[0], max(3, W // 8))
            for fld in (surface, hue))

    # ------------------------------------------------------------------ streaks
    def _streak_grid(self, w_phi: np.ndarray, w_r: np.ndarray, gy: np.ndarray,
                     gx: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The streaks on their own grid, computed in chunks of rows."""
        fr = self.frame
        scale = streak_scale(fr.height)
        sx, sy = _grid(fr.width, scale), _grid(fr.height, scale)
        out = np.empty((len(sy), len(sx)), F32)
        for lo in range(0, len(sy), _CHUNK):
            ys = sy[lo:lo + _CHUNK]
            _, _, r, phi = self._polar_at((ys + 0.5).reshape(-1, 1), (sx + 0.5).reshape(1, -1))
            # Grid rows and columns are pixel coordinates (not centres): interpolate there.
            wp = interp_grid(w_phi, gy, gx, ys, sx)
            wr = interp_grid(w_r, gy, gx, ys, sx)
            out[lo:lo + _CHUNK] = self._streaks(r, phi, wp, wr)
        return out, sy, sx

    def _streaks(self, r: np.ndarray, phi: np.ndarray, w_phi: np.ndarray,
                 w_r: np.ndarray) -> np.ndarray:
        """Streaks of mist along the spiral, about unit variance.

        Noise in swirled polar coordinates grows with the radius; here each radius takes the
        scale whose streaks are about ``2 pi rc / streaks`` pixels across (scales blended
        smoothly in log radius), so the streaks keep one width from the eye to the corners.
        In a loop, two advected phases are blended without loss of contrast."""
        layer = self.layer
        n = layer.streaks
        base = phi + self._winding(r) + w_phi
        lr2 = np.log2(np.maximum(r, F32(1e-3)) / F32(self.rc))
        y0 = np.log1p(r / F32(self.rc)) * F32(n / (2.0 * math.pi * (1.0 + self.twist))) + w_r
        top = max(1, math.ceil(math.log2(max(2.0, self.far / self.rc))))
        weights = []
        for k in range(top + 1):
            wk = np.exp(F32(-0.5) * ((lr2 - F32(k)) / F32(0.6)) ** 2)
            wk = np.maximum(wk - F32(0.1), F32(0))  # a scale far from its radius is skipped
            if k == 0:
                wk = np.where(lr2 < 0, F32(1), wk)
            if k == top:
                wk = np.where(lr2 > top, F32(1), wk)
            weights.append(wk)
        norm = np.sqrt(sum(wk * wk for wk in weights) + F32(1e-6))
        # Regenerations per loop: the streaks travel at most ~3 streak widths per life (a
        # storm that does not turn keeps one generation, which writhes with the turbulence).
        lives = max(2, min(self.max_lives, math.ceil(self.arm_speed * n / (3.0 * TAU))))
        p = self.loop_phase * lives if self.arm_speed > 0 else 0.0
        out = np.zeros(r.shape, F32)
        total = 0.0
        for i in (0, 1):
            age = (p + 0.5 * i) % 1.0
            wgt = 1.0 - abs(2.0 * age - 1.0)
            if wgt <= 0.0:
                continue
            gen = math.floor(p + 0.5 * i) % lives
            turn = self._omega(r) * F32((age - 0.5) * self.arm_speed / lives)
            x = (base - turn) * F32(n / TAU)
            acc = np.zeros(r.shape, F32)
            for k, wk in enumerate(weights):
                on = wk > F32(0)
                if not on.any():
                    continue
                m = 2**k
                s = noise.fbm(x[on] * F32(m), y0[on] * F32(m) + F32(3.1 * k), octaves=2,
                              seed=self.seed("v-streaks", i, gen, k), period=(n * m, None))
                acc[on] += wk[on] * s
            out += F32(wgt) * acc / norm
            total += wgt * wgt
        return (out * F32(1.0 / (0.24 * math.sqrt(total)))).astype(F32)

    # ------------------------------------------------------------------ band
    def band(self, band: Band) -> None:
        fr, layer = self.frame, self.layer
        rows, cols = band.rows, band.cols
        gy, gx = self.grid
        value, hue, gain, ring = (interp_grid(f, gy, gx, rows, cols) for f in self.fields)
        grid, sy, sx = self.streaks
        s = interp_grid(grid, sy, sx, rows, cols)
        # Filaments: bright streaks of spray on the mist, and fewer, deeper dark ones.
        lit = np.maximum(s - F32(0.2), 0) * F32(1.5) - np.maximum(-s - F32(0.7), 0)
        V = np.clip(value + gain * lit, 0.0, 1.5)
        Hf = np.clip(hue + F32(0.12) * np.tanh(s) * gain, 0.0, 1.0)
        col = fr.colour(V, Hf)
        # The accent: bright streak crests in the ring round the core.
        c = fr.composition
        if c.accent > 0:
            a = smoothstep(s, 0.6, 2.4) * ring * F32(min(0.55, 0.5 * c.accent / 0.03))
            col += (fr.roles.linear("accent") - col) * a[..., None]
        op = F32(layer.opacity)
        below_v, below_h = band.shared.get("value"), band.shared.get("hue")
        if op >= 1.0:
            band.rgb[...] = col
        else:
            band.rgb += (col - band.rgb) * op
            if below_v is not None:
                V = below_v + (V - below_v) * op
            if below_h is not None:
                Hf = below_h + (Hf - below_h) * op
        band.shared["value"] = V.astype(F32)
        band.shared["hue"] = Hf.astype(F32)
