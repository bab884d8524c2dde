"""Stone: polished marble from a multi-level domain warp, with continuous networks of veins,
lit by the composition's light.

The smooth fields are computed once, at half resolution, in :meth:`StoneRenderer.prepare`:

* the warp (Quilez): ``q = fbm(p)``, ``r = fbm(p + k q)``, ``f = fbm(p + k r)`` (two fields each
  for ``q`` and ``r``, one level more or less with ``depth``), in coordinates turned to the
  stone's bedding and stretched along it (swirled round the core for a vortex);
* the **value**: the composition's big shape in the stone (a dark mass under a horizon, a dark
  inclusion, walls round an opening, spiral arms, bands), broad masses, the final field ``f``'s
  clouds, relief shading from the gradient of ``f`` lit from the light's direction, and the
  polished sheen where the composition puts the light; its range is set by ``spread`` round
  ``tone`` (measured in the stone's deviations, so a loop does not pulse), and the source's
  soft reflection rises above it;
* the **hue** from the intermediate fields ``q`` and ``r`` (two colour axes, through
  :meth:`~wiktoria.render.layer.Frame.colour`);
* the veins' **phases**, Perlin's marble in Quilez's warp: bands across the bedding, folded by
  the warp and creased by turbulence (the main veins), a sparser family across them and a
  finer one along them; and slow masks (where the finer veins run, how wide the veins swell,
  where they fade, the quiet share).

The veins are drawn band by band at full resolution. A vein is an isoline of its family's
phase (where it crosses a whole number), so it never breaks off: veins are continuous curves
that fold with the stone, bunch, merge into a tone where the warp packs them, and meet the
other families in junctions. Many bands carry no vein (each band's strength, width and
softness come from an integer hash), so veins are irregularly spaced. A pixel's distance to a
vein is its phase offset over the phase's slope, which gives anti-aliased veins of an exact
width in pixels (never under a pixel, so a thin vein stays unbroken), crisp or soft, bleeding
into the stone on one side, swollen and thinned along their length by a slow field. Near the
light the main veins take the accent colour; a rift or a bolt of lightning is a luminous
fissure through the stone.

In a loop the warp's fields and the slow masks at the stone's own coordinates evolve on the
layer's clock (:meth:`~wiktoria.render.layer.Frame.clock`: 4-D noise, two coordinates on a
circle, at any speed); the fields read at warped coordinates are 2-D and travel with the warp,
so the stone flows rather than dissolving, at about the cost of the former 3-D noise.
"""

from __future__ import annotations

import math

import numpy as np

from wiktoria import noise
from wiktoria.colour.roles import LIGHT_MAX
from wiktoria.render.layer import F32, Band, LayerRenderer, interp_grid, smoothstep
from wiktoria.render.light import light_of
from wiktoria.scene.layers import StoneLayer

__all__ = ["STONE_SCALE", "StoneRenderer"]

#: The smooth fields are computed at this fraction of the resolution, then interpolated.
STONE_SCALE = 0.5

#: The vein families: half-width (relative to the main veins'), opacity, how soft they may
#: be, how rare strong ones are (the exponent of their strength), the share of the phase's
#: bands that carry no vein, and whether the network mask thins them.
_FAMILIES = ((1.0, 1.0, 1.0, 1.3, 0.3, False), (0.5, 0.7, 0.1, 1.5, 0.4, True),
             (0.3, 0.55, 0.0, 2.5, 0.55, True))


def _normalised(a: np.ndarray) -> np.ndarray:
    sd = float(a.std())
    return ((a - a.mean()) / (sd if sd > 1e-9 else 1.0)).astype(F32)


class StoneRenderer(LayerRenderer):
    """Prepares the stone's smooth fields at half resolution; each band interpolates them,
    draws the veins at full resolution and colours the result in two axes.

    Examples
    --------
    >>> import wiktoria
    >>> im = wiktoria.paint("serene", size=(96, 54), seed=1, style="marble")
    >>> [layer.type for layer in im.scene.layers][0]
    'stone'
    """
    concurrent_bands = True  # band() reads what prepare() left, writes its band

    layer: StoneLayer

    def _coords(self, gy: np.ndarray, gx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Noise coordinates of the grid: turned to the bedding, stretched along it, swirled
        round the core in a vortex."""
        fr, layer = self.frame, self.layer
        c = fr.composition
        W, H = fr.width, fr.height
        rng = self.rng("stone-bedding")
        X = (gx + 0.5).reshape(1, -1) - 0.5 * W
        Y = (gy + 0.5).reshape(-1, 1) - 0.5 * H
        X, Y = np.broadcast_arrays(X, Y)
        if c.layout == "vortex":
            cx, cy = c.focus_x * W - 0.5 * W, c.focus_y * H - 0.5 * H
            dx, dy = X - cx, Y - cy
            rad = np.hypot(dx, dy)
            r0 = max(4.0, 2.5 * c.scale * H)
            twist = float(rng.choice([-1.0, 1.0])) * float(rng.uniform(2.5, 4.0))
            a = twist * r0 / (rad + r0)
            ca, sa = np.cos(a), np.sin(a)
            X, Y = cx + ca * dx - sa * dy, cy + sa * dx + ca * dy
            angle = float(rng.uniform(0, math.pi))
        elif c.layout == "tilted":
            angle = math.atan(c.tilt) + float(rng.normal(0, 0.08))
        elif c.layout in ("monolith", "enclosure"):
            angle = float(rng.uniform(0, math.pi))
        else:
            angle = float(rng.normal(0, 0.3))
        ca, sa = math.cos(angle), math.sin(angle)
        s = layer.frequency / H
        u = (ca * X + sa * Y) * (s / layer.stretch)
        v = (-sa * X + ca * Y) * s
        off = rng.uniform(-50, 50, 2)
        return u + off[0], v + off[1]

    def _shape(self, gy: np.ndarray, gx: np.ndarray, qx: np.ndarray, qy: np.ndarray,
               py: np.ndarray, ry: np.ndarray, f: np.ndarray) -> np.ndarray:
        """The composition's big shape in the stone, -1 dark .. 1 light, its edges warped by
        ``q``: a dark lower mass under a horizon (a landscape stone), a dark inclusion in a
        pale void (monolith), dark walls round a pale opening (enclosure), spiral arms round a
        pale core (vortex), or bands (rhythm)."""
        fr, layer = self.frame, self.layer
        c = fr.composition
        W, H = fr.width, fr.height
        amp = H * (0.012 + 0.008 * min(layer.warp, 4.0))
        qx, qy = _normalised(qx), _normalised(qy)
        X = (gx + 0.5).reshape(1, -1) + F32(amp) * qx
        Y = (gy + 0.5).reshape(-1, 1) + F32(amp) * qy
        fx, fy = c.focus_x * W, c.focus_y * H
        if c.layout == "monolith":
            R = max(0.16, 2.6 * c.scale) * H
            X = X + F32(4.0 * amp) * qy
            Y = Y - F32(4.0 * amp) * qx
            r = np.hypot((X - fx) / 0.8, (Y - fy) / 1.2) / R + F32(0.06) * f  # a rough rim
            return (F32(0.3) - F32(0.6) * (F32(1) + np.tanh((F32(1) - r) / F32(0.12)))
                    * F32(0.5)).astype(F32)
        if c.layout == "enclosure":
            R = (0.25 + 1.5 * c.scale) * H
            r = np.hypot((X - fx) / 1.3, Y - fy) / R
            return (F32(1) - F32(2) * smoothstep(r, 0.5, 1.6)).astype(F32)
        if c.layout == "vortex":
            r0 = max(4.0, c.scale * H)
            rad = np.hypot(X - fx, Y - fy)
            ang = np.arctan2(Y - fy, X - fx)
            arms = np.cos(2 * ang + F32(2.5) * np.log1p(rad / r0))
            core = np.exp(-((rad / (2.5 * r0)) ** 2))
            return (F32(0.8) * arms * (F32(1) - core) + core).astype(F32)
        if c.layout == "rhythm":
            cells = max(0.15, 2.5 * c.scale) * layer.frequency
            beat = F32(2 * math.pi / cells) * (py + F32(0.35 * layer.warp) * ry)
            return np.tanh(F32(1.8) * np.cos(beat + F32(0.7) * np.sin(F32(0.43) * beat))
                           ).astype(F32)
        line = c.horizon * H + c.tilt * H * ((gx + 0.5) / W - 0.5)
        if c.layout == "valley":
            side = (gx + 0.5) / W - c.focus_x
            line = line - 0.3 * H * (1 - np.exp(-((side / max(0.05, c.scale)) ** 2)))
        return -np.tanh((Y - line.reshape(1, -1)) / F32(0.08 * H)).astype(F32)

    def prepare(self) -> None:
        fr, layer = self.frame, self.layer
        c = fr.composition
        W, H = fr.width, fr.height
        w = max(8, math.ceil(W * STONE_SCALE) + 2)
        h = max(8, math.ceil(H * STONE_SCALE) + 2)
        gx = np.linspace(-1.0, W, w)
        gy = np.linspace(-1.0, H, h)
        px, py = self._coords(gy, gx)
        # Time: two noise coordinates on the layer's clock (continuous at any speed, exact
        # loops; a still is (0, 0)). Only the warp's fields and the slow masks at the stone's
        # own coordinates are on the clock (4-D noise); the fields sampled at warped
        # coordinates are 2-D, and move because the warp carries their coordinates: the
        # stone flows instead of dissolving, and 4-D noise is paid for only where needed.
        clock = fr.clock(layer.speed)
        k = F32(layer.warp)

        def fbm(x: np.ndarray, y: np.ndarray, name: str, octaves: int = layer.octaves,
                timed: bool = False) -> np.ndarray:
            if timed:
                return noise.fbm(x, y, clock.u, clock.v, octaves=octaves, seed=self.seed(name))
            return noise.fbm(x, y, octaves=octaves, seed=self.seed(name))

        # The warp: q, then r = fbm(p + k q) (and one more level at depth 3), f = fbm(p + k r).
        # The warp's own fields need fewer octaves than the final one (which carries detail).
        wo = max(2, layer.octaves - 2)
        qx, qy = fbm(px, py, "stone-qx", wo, True), fbm(px, py, "stone-qy", wo, True)
        rx, ry = qx, qy
        for level in range(1, layer.depth):
            wx, wy = px + k * rx, py + k * ry
            rx = fbm(wx, wy, f"stone-rx{level}", wo, True)
            ry = fbm(wx, wy, f"stone-ry{level}", wo, True)
        vx, vy = px + k * rx, py + k * ry
        f = _normalised(fbm(vx, vy, "stone-f"))
        fold = _normalised(np.hypot(qx, qy))
        light = light_of(fr)
        dist = light.distance_at(gy + 0.5, gx + 0.5)
        broad = light.falloff(dist, 4.0)
        tight = light.falloff(dist, 1.2)
        # The quiet share of the stone: calmer value, fewer veins.
        quiet_f = fbm(px * 0.3 + 3.1, py * 0.3 - 1.7, "stone-quiet", 2, True)
        cut = float(np.quantile(quiet_f, min(0.95, c.empty)))
        busy = F32(0.2) + F32(0.8) * smoothstep(quiet_f, cut - 0.15, cut + 0.15)
        busy = np.maximum(busy, tight)
        # Value: broad masses of light and dark (slightly warped), the final field's clouds
        # over them, calmer in the quiet share.
        mass = np.tanh(F32(0.8) * _normalised(fbm(px * 0.3 + 0.25 * k * qx,
                                                   py * 0.3 + 0.25 * k * qy, "stone-mass", 3)))
        shape = self._shape(gy, gx, qx, qy, py, ry, f)
        # (The dark masses of the shape are rock with texture of their own, not flat shadow.)
        texture = F32(0.25) * (F32(0.5) + F32(0.5) * busy) + F32(0.25) * np.clip(-shape, 0, 1)
        value = (F32(0.55) * shape + F32(0.4) * mass + texture * np.tanh(F32(0.9) * f)
                 + F32(0.03) * np.tanh(fold))
        # Relief: the final field as a height, lit from the light's direction.
        dfy, dfx = np.gradient(f)
        ldx = F32(light.x) - gx.reshape(1, -1).astype(F32)
        ldy = F32(light.y) - gy.reshape(-1, 1).astype(F32)
        norm = np.hypot(ldx, ldy) + F32(1e-6)
        lit = np.tanh(F32(1.2) * _normalised(-(dfx * ldx + dfy * ldy) / norm))
        value = value + F32(0.3 * layer.relief) * lit * (F32(0.6) + F32(0.8) * broad)
        # The value range is a decision: the lit stone spans about ``spread`` (two deviations
        # either side) round ``tone`` (the source's reflection and the veins reach beyond).
        # The stone's own structure is measured in its deviations (which hardly move from
        # frame to frame of a loop) and the light, which stands still, added in those units,
        # so nothing pulses.
        value = (value - F32(value.mean())) / F32(max(float(value.std()), 1e-3))
        # The polished sheen: the stone glows broadly where the light falls.
        glow = F32(layer.sheen) * (F32(1.4) * broad + F32(1.2) * tight)
        glow -= F32(glow.mean())
        # A composition of low contrast gets a wider value range, so its lightness still
        # spans enough.
        span = layer.spread * min(1.3, max(1.0, 0.5 / c.contrast))
        centre = min(max(layer.tone, 0.5 * span), 1.02 - 0.5 * span)
        scale = span / (3.6 * math.sqrt(1.0 + float(glow.var())))
        value = F32(centre) + (value + glow) * F32(scale)
        # The brightest stone rolls off softly below the light's own values and the darkest
        # above black, each keeping its texture and veins.
        top, low = F32(0.9), F32(0.1)
        value = np.where(value > top, top + F32(0.1) * np.tanh((value - top) / F32(0.1)),
                         value)
        value = np.where(value < low, low * np.exp((np.minimum(value, low) - low) / low), value)
        sheen = F32(layer.sheen)
        if light.seam is None:  # the source's soft reflection, broken by the relief
            spot = np.exp(-(dist / F32(max(2.0, 1.6 * light.radius))) ** 2)
            value = value + sheen * F32(0.35) * spot * (F32(0.8) + F32(0.2) * lit)
        # Hue from the intermediate fields, not from the value.
        hue = F32(0.5) + F32(0.4) * np.tanh(F32(0.9) * _normalised(qx - F32(0.7) * ry))
        # The veins' phases: bands across the bedding folded by the warp and crinkled by the
        # final field (Perlin's marble, in Quilez's warp), and a sparser family across them.
        s = layer.stretch
        crease = _normalised(noise.turbulence(vx * 1.5 + 5.5, vy * 1.5 - 3.3, octaves=4,
                                              seed=self.seed("stone-crease")))
        rough = F32(0.08 + 0.04 * layer.warp)
        beta = float(self.rng("stone-cross").uniform(0.7, 1.2)) * float(
            self.rng("stone-cross-side").choice([-1.0, 1.0]))
        cb, sb = math.cos(beta), math.sin(beta)
        n0 = layer.count / layer.frequency
        phases = (np.pi * (n0 * vy + 0.25 * f + rough * crease),
                  np.pi * (0.35 * n0 * (s * vx * sb + vy * cb) + 0.3 * f + rough * crease),
                  np.pi * (2.0 * n0 * (vy - 0.15 * s * vx) + 0.25 * f + 1.5 * rough * crease))
        # Slow masks: where the finer veins run, and how wide the veins swell.
        net = fbm(px * 0.45 - 7.3, py * 0.45 + 2.2, "stone-network", 3, True)
        fx_, fy_ = c.focus_x * W, c.focus_y * H
        near_focus = np.exp(-(((gx.reshape(1, -1) - fx_) ** 2 + (gy.reshape(-1, 1) - fy_) ** 2)
                              / (0.35 * H) ** 2)).astype(F32)
        net = _normalised(net) + F32(1.2) * near_focus
        ncut = float(np.quantile(net, 1.0 - min(0.98, max(0.02, layer.network))))
        network = smoothstep(net, ncut - 0.6, ncut + 0.6) * busy
        swell = fbm(vx * 2.0 + 13.1, vy * 2.0 - 4.4, "stone-swell", 2, True)
        swell = np.clip(F32(0.5) + F32(1.8) * swell, 0, 1)
        fade = fbm(vx * 0.6 - 2.9, vy * 0.6 + 8.1, "stone-fade", 3, True)
        # (Veins run on into the quiet share, fainter: it makes the busy share read.)
        fade = (F32(0.7) + F32(0.3) * smoothstep(fade, -0.25, 0.3)) * (F32(0.6) + F32(0.4) * busy)
        self.grid = (gy, gx)
        step_x, step_y = float(gx[1] - gx[0]), float(gy[1] - gy[0])
        fields = {"value": np.clip(value, 0, LIGHT_MAX), "hue": hue, "network": network,
                  "swell": swell, "fade": fade, "near": tight}
        for i, ph in enumerate(phases):
            dpy, dpx = np.gradient(ph)
            fields[f"phase{i}"] = ph
            fields[f"slope{i}"] = np.hypot(dpx / step_x, dpy / step_y)
        # Typical slopes of the phases: where a phase is much flatter (a fold's turning line)
        # the distance to its vein is ill-defined and the vein would smear, so it fades.
        self.typical = [float(np.median(fields[f"slope{i}"])) / math.pi for i in range(len(phases))]
        self.fields = {name: np.ascontiguousarray(a, dtype=F32) for name, a in fields.items()}

    def _at(self, name: str, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        gy, gx = self.grid
        return interp_grid(self.fields[name], gy, gx, rows, cols)

    @staticmethod
    def _vein(off: np.ndarray, inv: np.ndarray, idx: np.ndarray, table: tuple[np.ndarray, ...],
              base: np.ndarray, px: np.float32) -> np.ndarray:
        """Coverage of one vein of a family at signed phase offset ``off`` from it (``inv``:
        pixels per unit of phase): the vein's strength, width and softness are entry ``idx``
        of ``table`` (``px``: pixels per pixel at 1080 lines)."""
        strength, size, soft = (np.take(t, idx) for t in table)
        half = base * (F32(0.3) + F32(1.5) * size)
        sd = off * inv  # signed distance in pixels
        d = np.abs(sd)
        # A crisp vein, or a soft one (a blurred band), and the colour it bleeds into the
        # stone, mostly on one side. A crisp vein is never drawn thinner than a pixel across,
        # so a thin one stays one unbroken line (a little fainter).
        crisp = np.clip(np.maximum(half, F32(1)) - d + F32(0.5), 0, 1)
        crisp *= np.sqrt(np.clip(half, 0.25, 1))
        blur = np.exp(-np.square(d / (half * (F32(1) + F32(6) * soft) + F32(0.5) * px)))
        blur -= crisp
        blur *= soft
        blur += crisp
        side = F32(0.22) + F32(0.13) * np.clip(sd / (half + F32(1)), -1, 1)
        bleed = np.exp(-d / (F32(6) * half + F32(2) * px))
        bleed *= side
        np.maximum(blur, bleed, out=blur)
        blur *= strength
        return blur

    def _veins(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Coverage of all the veins and of the main ones over ``rows``, anti-aliased."""
        fr, layer = self.frame, self.layer
        W, H = fr.width, fr.height
        cols = np.arange(W)
        swell = self._at("swell", rows, cols)
        fade = self._at("fade", rows, cols)
        network = self._at("network", rows, cols)
        px = F32(H / 1080)
        clear = np.ones((len(rows), W), F32)
        main = clear
        salt = self.seed("stone-veins") & 0xFFFF
        for i, (wid, alpha, softness, power, present, netted) in enumerate(_FAMILIES):
            if netted and layer.network <= 0:
                continue
            ph = self._at(f"phase{i}", rows, cols) * F32(1 / math.pi)
            slope = np.maximum(self._at(f"slope{i}", rows, cols) * F32(1 / math.pi), F32(1e-6))
            inv = F32(1) / slope
            base = F32(layer.vein_width * wid) * px * (F32(0.2) + swell)
            # Each pixel lies between two veins of the family; it takes the stronger of the
            # two (so nothing jumps where the nearest vein changes). The veins' own numbers
            # come from a table over the few veins in the band.
            below = np.floor(ph)
            first = int(below.min())
            idx = (below - F32(first)).astype(np.intp)
            table = _table(first, int(below.max()) + 2 - first, salt + 97 * i, present, power,
                           softness)
            off = ph - below
            a = self._vein(off, inv, idx, table, base, px)
            off -= F32(1)
            np.maximum(a, self._vein(off, inv, idx + 1, table, base, px), out=a)
            # Where the warp packs veins closer than they are wide they merge into a tone.
            fam = base * F32(1.05)
            dense = smoothstep(inv, 2.0 * fam + 1.0, 5.0 * fam + 2.0)
            mean = np.minimum(F32(1), (F32(2) * fam + px) * slope) * F32(0.45)
            a = a * dense + mean * (F32(1) - dense)
            a *= smoothstep(slope, 0.04 * self.typical[i], 0.15 * self.typical[i])
            mask = network * fade if netted else fade
            a = a * F32(alpha * layer.veins) * mask
            clear *= F32(1) - a
            if i == 0:
                main = a
        return F32(1) - clear, main

    def band(self, band: Band) -> None:
        fr, layer = self.frame, self.layer
        c = fr.composition
        W = fr.width
        rows, cols = band.rows, band.cols
        V = self._at("value", rows, cols)
        Hf = self._at("hue", rows, cols)
        near = self._at("near", rows, cols)
        veins, main = self._veins(rows)
        tone = F32(layer.vein_tone)
        # Light veins rise towards the light's value (brighter near it), dark ones fall.
        target = V + tone * (F32(1.0) + F32(0.3) * near - V) if tone >= 0 else V * (F32(1) + tone)
        V = V + (target - V) * veins
        Hf = Hf + (F32(1) - Hf - Hf) * veins * F32(0.6)
        light = light_of(fr)
        if light.seam is not None:  # a rift or a bolt: a luminous fissure through the stone
            dist = light.distance(rows, W, exact=True)
            width = light.core_width(rows, W) * F32(0.4 if light.kind == "rift" else 1.0)
            core = np.clip(width - dist + F32(0.5), 0, 1)
            inner = np.exp(-dist / (F32(1.5) * width + F32(1.0)))
            outer = np.exp(-light.distance(rows, W) / F32(6.0 * light.width + 2.0))
            V = V + (F32(1.25) - V) * (F32(0.6) * inner + F32(0.35) * outer * F32(
                min(1.0, layer.sheen + 0.3)))
            V = V + (F32(1.45) - V) * core
        col = fr.colour(np.clip(V, 0, LIGHT_MAX), Hf)
        gain = F32(c.accent / 0.03)
        if gain > 0:
            a = np.clip((near - F32(0.35)) * F32(2.0), 0, 1) * main * gain
            a = np.minimum(a * F32(0.8), F32(0.85))[..., None]
            col += (fr.roles.linear("accent") - col) * a
        band.rgb[...] = col
        band.shared["value"] = V
        band.shared["hue"] = Hf


def _table(first: int, count: int, salt: int, present: float, power: float,
           softness: float) -> tuple[np.ndarray, ...]:
    """Strength, width and softness of the veins ``first .. first + count - 1`` of a family,
    three arrays of ``count``. Many bands of the phase carry no vein, so veins are irregularly
    spaced."""
    strength, size, soft = _hash(np.arange(first, first + count), salt)
    strength = smoothstep(strength, present, present + 0.12) * (
        F32(0.45) + F32(0.55) * size ** F32(power))
    return strength.astype(F32), size, (soft * F32(softness)).astype(F32)


def _hash(n: np.ndarray, salt: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Three numbers in [0, 1) for each vein index ``n`` (an integer hash, the same on every
    machine): the vein's strength, its width and its softness."""
    x = (n.astype(np.int64).astype(np.uint64) * np.uint64(2654435761) + np.uint64(salt))
    x &= np.uint64(0xFFFFFFFF)
    x ^= x >> np.uint64(15)
    x = (x * np.uint64(2246822519)) & np.uint64(0xFFFFFFFF)
    x ^= x >> np.uint64(13)
    y = (x * np.uint64(3266489917)) & np.uint64(0xFFFFFFFF)
    y ^= y >> np.uint64(16)
    scale = F32(1 / 65536)
    return ((x & np.uint64(0xFFFF)).astype(F32) * scale,
            (x >> np.uint64(16)).astype(F32) * scale,
            (y & np.uint64(0xFFFF)).astype(F32) * scale)
