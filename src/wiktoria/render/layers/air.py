"""Air: the sky lit by the composition's light, with clouds that catch it.

The value rises from the top of the frame towards the horizon and towards the light (a broad
and a tight falloff); clouds from a horizontally stretched domain warp move it, and their
edges that face the light brighten. Hue comes from the warp's offset field, not from the value
(two colour axes). The composition's ``empty`` share of the sky is kept quiet: there the clouds
fade out.
"""

from __future__ import annotations

import functools
import math
import threading
from typing import Any

import numpy as np

from wiktoria import noise
from wiktoria.common import cache, parallel
from wiktoria.common.cache import LoopCache
from wiktoria.render import flowmap
from wiktoria.render.forms import covered
from wiktoria.render.layer import (
    F32,
    Band,
    LayerRenderer,
    box_smooth,
    interp_grid,
    interp_grids,
    smoothstep,
)
from wiktoria.render.light import light_of
from wiktoria.render.strokes.field import sample_stack
from wiktoria.scene.layers import AirLayer

__all__ = ["AIR_GRID", "AIR_SCALE", "WIND_PACE", "AirRenderer"]

#: The air is smooth: it is computed on a grid of at most this fraction of the resolution,
#: and at most :data:`AIR_GRID` samples along its longer side, then interpolated.
AIR_SCALE = 0.5
AIR_GRID = 640
#: The clouds travel this share of the layer's ``speed`` (cells a second): ``speed`` is the
#: rate at which the field changes, and a texture carried that far reads as a time-lapse.
WIND_PACE = 0.25


def _normalised(a: np.ndarray) -> np.ndarray:
    sd = float(a.std())
    return ((a - a.mean()) / (sd if sd > 1e-9 else 1.0)).astype(F32)


#: The air's still terms on its grid, per painting (a few MB at most).
_STATIC = LoopCache("air-static", groups=2, max_bytes=32 * 2**20)

#: The textures of the sky's recent generations in this process (loops' frames share them).
_TEXTURES: dict[tuple, _Texture] = {}
_TEXTURES_LOCK = threading.Lock()

def _warped(xx: np.ndarray, yy: np.ndarray, *, strength: float, octaves: int,
            seed: int) -> tuple[np.ndarray, ...]:
    """The clouds' warped fBm and its last displacement at ``xx`` by ``yy``."""
    return noise.warp(xx, yy, 0.0, depth=2, strength=strength,  # type: ignore[return-value]
                      octaves=octaves, seed=seed, return_offsets=True)


#: Side of a tile of a cloud texture, in cells of the air's grid.
TILE = 32


class _Texture:
    """One generation's cloud texture (the warped fBm and its two offsets, float32) on its
    widened grid ``tx`` by ``ty``, made tile by tile as the frames that sample it reach the
    tiles: a new painting's first frame makes the part it shows (about half of the grid),
    and the travel brings in the rest a little at a time. A noise value does not depend on
    the block it is computed in, so the tiles hold what one call over the whole grid would:
    that holds while the finest octave steps at most 4 lattice cells from one grid cell to
    the next (``tiled``), for then every block of every extent takes the separable grid path
    (:func:`wiktoria.noise._perlin.lattice_span`); a grid sampled more coarsely is made
    whole, in one call."""

    def __init__(self, make: Any, tx: np.ndarray, ty: np.ndarray, tiled: bool = True) -> None:
        self.make, self.tx, self.ty, self.tiled = make, tx, ty, tiled
        self.data: np.ndarray | None = None
        self.done = np.zeros((-(-len(ty) // TILE), -(-len(tx) // TILE)), bool)
        self.lock = threading.Lock()

    def window(self, fx: np.ndarray, fy: np.ndarray) -> np.ndarray:
        """The texture, made at least where bilinear sampling at columns ``fx`` and rows
        ``fy`` reads it (each position's node and the next, clamped to the grid)."""
        n, m = len(self.ty), len(self.tx)
        c0, c1 = (int(np.clip(math.floor(float(v)), 0, m - 1)) for v in (fx.min(), fx.max()))
        r0, r1 = (int(np.clip(math.floor(float(v)), 0, n - 1)) for v in (fy.min(), fy.max()))
        c1, r1 = min(c1 + 1, m - 1), min(r1 + 1, n - 1)
        if not self.tiled:  # the whole grid, in one call
            c0, r0, c1, r1 = 0, 0, m - 1, n - 1
        tc0, tc1, tr0, tr1 = c0 // TILE, c1 // TILE, r0 // TILE, r1 // TILE
        with self.lock:
            todo = ~self.done[tr0 : tr1 + 1, tc0 : tc1 + 1]
            if todo.all():  # nothing of it made yet (a new painting): one call
                self._make(tr0, tr1, tc0, tc1)
            else:
                for tr in range(tr0, tr1 + 1):  # each row of tiles: its runs still to make
                    missing = np.flatnonzero(~self.done[tr, tc0 : tc1 + 1]) + tc0
                    for run in np.split(missing, np.flatnonzero(np.diff(missing) > 1) + 1):
                        if len(run):
                            self._make(tr, tr, int(run[0]), int(run[-1]))
            assert self.data is not None
            return self.data

    def _make(self, tr0: int, tr1: int, tc0: int, tc1: int) -> None:
        rows = slice(tr0 * TILE, min((tr1 + 1) * TILE, len(self.ty)))
        cols = slice(tc0 * TILE, min((tc1 + 1) * TILE, len(self.tx)))
        parts = self.make(self.tx[cols].reshape(1, -1), self.ty[rows].reshape(-1, 1))
        if self.data is None:
            self.data = np.zeros((len(parts), len(self.ty), len(self.tx)), parts[0].dtype)
        for k, part in enumerate(parts):
            self.data[k, rows, cols] = part
        self.done[tr0 : tr1 + 1, tc0 : tc1 + 1] = True


class AirRenderer(LayerRenderer):
    """Prepares the value and hue fields at half resolution (publishing ``air`` and the
    ``haze`` along the horizon); each band interpolates them (publishing the band's ``value``
    and ``hue``) and colours them in two axes."""
    concurrent_bands = True  # band() reads what prepare() left, writes its band

    layer: AirLayer

    def layout(self) -> None:
        """Publish the wind (``wind``): its direction in the frame, radians (y down), and the
        pixels a second the clouds travel with it, for the strokes that travel with them."""
        fr, layer = self.frame, self.layer
        angle = flowmap.wind(fr, layer.rise)
        # Noise x is stretched: a cell of x is ``stretch`` cells of y wide on the frame.
        ex, ey = math.cos(angle) * layer.stretch, math.sin(angle)
        cell = fr.height / layer.frequency  # pixels per noise cell (y)
        fr.shared["wind"] = (math.atan2(ey, ex),
                             WIND_PACE * layer.speed * math.hypot(ex, ey) * cell)

    def prepare(self) -> None:
        fr, layer = self.frame, self.layer
        c = fr.composition
        W, H = fr.width, fr.height
        scale = min(AIR_SCALE, AIR_GRID / max(W, H))
        w = max(8, math.ceil(W * scale) + 2)
        h = max(8, math.ceil(H * scale) + 2)
        gx = np.linspace(-1.0, W, w)
        gy = np.linspace(-1.0, H, h)
        s = layer.frequency / H
        x = ((gx + 0.5) * s / layer.stretch).reshape(1, -1)
        y = ((gy + 0.5) * s).reshape(-1, 1)
        value, qx, qy = self._clouds(x, y)
        cloud = _normalised(value)
        hue = (F32(0.5) + F32(0.5) * np.tanh(F32(0.6) * _normalised(qx - F32(0.6) * qy)))
        # What holds still in a loop (the light's gradient and glow, the quiet areas) is kept
        # for the loop's next frames in this process.
        # Keyed by what _static reads: the canvas, the composition (and the light it
        # places), the grid's noise coordinates (frequency, stretch), gradient and glow.
        broad, v, busy, ldx, ldy, norm, haze = _STATIC.get(
            (fr.seed, W, H, self.occurrence, c, layer.frequency, layer.stretch,
             layer.gradient, layer.glow), "air",
            lambda: self._static(gx, gy, x, y), keep=fr.scene.loop is not None)
        # Edges of the clouds that face the light catch it.
        dy, dx = np.gradient(cloud)
        lit = _normalised(-(dx * ldx + dy * ldy) / norm)
        amp = F32(layer.clouds) * busy
        clouds = amp * (F32(0.16) * cloud + F32(0.035) * lit * (F32(0.3) + broad))
        # The clouds add nothing on average where the eye weighs them most (round the light,
        # where values are brightest): clouds drifting into the glow must not brighten the
        # whole frame, a pulse in a loop.
        weight = F32(0.3) + broad
        forms = fr.shared.get("forms")
        if forms:  # only the open sky is seen
            rr = np.clip(np.rint(gy).astype(np.intp), 0, H - 1)
            cc = np.clip(np.rint(gx).astype(np.intp), 0, W - 1)
            weight = weight * (F32(0.02) + (~covered(forms, rr, cc, W)).astype(F32))
        clouds -= F32(float((clouds * weight).sum() / weight.sum()))
        v = v + clouds
        # The air stays below the light's own value, so a disc or a seam reads against it.
        self.field = (np.clip(v, 0.0, 1.06).astype(F32), hue.astype(F32), gy, gx)
        fr.shared["air"] = self.field
        # The haze: the clear air along the horizon (the land's fog does not flicker with the
        # clouds passing over it) and the clouds' hue, smoothed so fog never streaks by column.
        fr.shared["haze"] = (haze, self._horizon(
            np.full_like(self.field[1], float(self.field[1].mean())), gy, gx))

    def _horizon(self, f: np.ndarray, gy: np.ndarray, gx: np.ndarray) -> np.ndarray:
        """``f`` (on the air's grid) along the horizon, smoothed over an eighth of the width."""
        fr = self.frame
        W, H = fr.width, fr.height
        hz_rows = np.array([fr.composition.horizon * H - 0.5])
        return box_smooth(interp_grid(f, gy, gx, hz_rows, np.arange(W))[0],  # type: ignore[no-any-return]
                          max(3, W // 8))

    def _static(self, gx: np.ndarray, gy: np.ndarray, x: np.ndarray, y: np.ndarray
                ) -> tuple:
        """The air's still terms on its grid: the light's broad fall-off, the clear sky's
        value, where clouds may be busy, the direction to the light (x, y, length) and the
        clear sky's haze along the horizon."""
        fr, layer = self.frame, self.layer
        c = fr.composition
        H = fr.height
        light = light_of(fr)
        dist = light.distance_at(gy + 0.5, gx + 0.5)
        broad = light.falloff(dist, 5.0)
        tight = light.falloff(dist, 1.3)
        yy = ((gy + 0.5) / H).reshape(-1, 1).astype(F32)
        hz = F32(max(0.1, min(0.95, c.horizon)))
        top = F32(0.32 + 0.3 * c.key - 0.25 * layer.gradient)
        low = F32(0.55 + 0.25 * c.key)
        vertical = top + (low - top) * smoothstep(yy, 0.0, float(hz)) ** F32(0.8)
        # A painter's sky is brightest towards its light and darkens away from it, sideways
        # as much as upwards.
        around = np.clip(dist / F32(1.0 * H), 0, 1) ** F32(0.7)
        radial = low - (low - top) * F32(1.5) * around
        base = vertical + (radial - vertical) * F32(0.85)
        # A seam (rift, bolt) lights the air less than a disc or a glow: it must read as a
        # line against it.
        glow = F32(layer.glow * (0.45 if light.seam is not None else 1.0))
        v = base + glow * (F32(0.55) * broad + F32(0.3) * tight)
        # Quiet areas: a slow field thresholded at the composition's empty share.
        quiet_f = noise.fbm(x * 0.35, y * 0.5, 3.7, octaves=2,
                            seed=self.seed("air-quiet", c.variant), dtype=np.float32)
        cut = float(np.quantile(quiet_f, min(0.95, c.empty)))
        busy = F32(0.15) + F32(0.85) * smoothstep(quiet_f, cut - 0.08, cut + 0.08)
        busy = np.maximum(busy, tight)  # the air round the light always moves
        ldx, ldy = (F32(light.x) - gx.reshape(1, -1).astype(F32),
                    F32(light.y) - gy.reshape(-1, 1).astype(F32))
        norm = np.hypot(ldx, ldy) + F32(1e-6)
        haze = self._horizon(np.clip(v, 0.0, 1.06).astype(F32), gy, gx)
        return broad, v, busy, ldx, ldy, norm, haze

    def _clouds(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, ...]:
        """The warped fBm of the clouds and its last displacement, at noise coordinates
        ``x`` (a row) by ``y`` (a column). In a loop the clouds travel: their coordinates are
        carried along a slowly turning, divergence-free wind (:mod:`wiktoria.render.flowmap`),
        ``speed / 4`` cells a second, two phases cross-faded; frame 0 is the still. The wind
        rises by the layer's ``rise`` and its pace stalls by its ``stall``."""
        fr, layer = self.frame, self.layer
        c = fr.composition

        # (a partial, not a closure: a texture kept for later frames keeps no renderer alive)
        clouds = functools.partial(_warped, strength=layer.warp, octaves=layer.octaves,
                                   seed=self.seed("air", c.variant))

        clock = fr.clock(layer.speed)
        loop = fr.scene.loop
        if clock.still or loop is None:
            return clouds(x, y)
        travel = WIND_PACE * layer.speed * loop.duration
        k = flowmap.generations(travel)
        step = travel / k  # cells of wind in a generation
        turb = float(fr.mood.motion.turbulence)
        angle = flowmap.wind(fr, layer.rise)
        # The wind carries the clouds ``step`` cells a generation; the curl field turns as
        # slowly as the wind carries them and carries them at most CURL_REACH cells a
        # generation (more for a turbulent mood). Displacement per unit of age (a
        # generation's ages run from -1/2 to 1/2), cells.
        turning = fr.clock(WIND_PACE * layer.speed)
        curl = min(step, flowmap.CURL_REACH) * (0.35 + 0.65 * turb)
        vx, vy = flowmap.velocity(x, y, turning.u, turning.v,
                                  seed=self.seed("air-flow", c.variant), curl=curl, wind=step,
                                  angle=angle, frequency=0.5)
        phase = flowmap.pace(clock.phase, layer.stall, flowmap.stalls(loop.duration))
        # Each generation's texture is computed once on the grid (the fast separable path),
        # widened by the farthest the flow carries it (the curl's speed stays under about 3),
        # and looked up at the carried coordinates; a process keeps the last few, which its
        # next frames share.
        xs, ys = x.ravel().astype(np.float64), y.ravel().astype(np.float64)
        dx = float(xs[1] - xs[0]) if len(xs) > 1 else 1.0
        dy = float(ys[1] - ys[0]) if len(ys) > 1 else 1.0
        rx = 0.5 * (step * abs(math.cos(angle)) + 3.0 * curl)
        ry = 0.5 * (step * abs(math.sin(angle)) + 3.0 * curl)
        px, py = math.ceil(rx / abs(dx)) + 2, math.ceil(ry / abs(dy)) + 2
        # The finest octave's step between grid cells, in lattice cells (see _Texture).
        tiled = max(abs(dx), abs(dy)) * 2.0 ** (layer.octaves - 1) <= 4.0
        ex = xs[0] + dx * np.arange(-px, len(xs) + px)
        ey = ys[0] + dy * np.arange(-py, len(ys) + py)
        # The two generations' textures are made on two threads (each one's noise runs
        # inline on its thread), then sampled where the flow has carried them.
        layers: list[Any] = []
        sampled: list[tuple[int, _Texture, np.ndarray, np.ndarray]] = []
        for i, (w, age, g) in enumerate(flowmap.phases(phase, k)):
            if w == 0.0:
                layers.append((w, None))
                continue
            ox, oy = flowmap.offset(g, i)
            if age == 0.0 and ox == 0.0 and oy == 0.0:
                layers.append((w, clouds(x, y)))
                continue
            # Keyed by exactly what the texture is made of: the noise's seed, warp and
            # octaves and the coordinates it is sampled at (so a change of what it does not
            # read, the clouds' amount, a glow, another layer, keeps it).
            tx, ty = ex + ox, ey + oy
            key = (self.seed("air", c.variant), layer.warp, layer.octaves,
                   tx.tobytes(), ty.tobytes())
            if not cache.enabled():  # caching(False): made afresh, and not kept
                texture = _Texture(clouds, tx, ty, tiled=tiled)
            else:
                with _TEXTURES_LOCK:
                    texture = _TEXTURES.get(key)
                    if texture is None:
                        while len(_TEXTURES) >= 8:
                            _TEXTURES.pop(next(iter(_TEXTURES)))
                        texture = _TEXTURES[key] = _Texture(clouds, tx, ty, tiled=tiled)
            d = F32(age)
            fx = (np.arange(len(xs), dtype=F32)[None, :] + F32(px)) - d * vx / F32(dx)
            fy = (np.arange(len(ys), dtype=F32)[:, None] + F32(py)) - d * vy / F32(dy)
            sampled.append((len(layers), texture, fx, fy))
            layers.append((w, None))
        made: list[Any] = [None] * len(sampled)

        def make(j: int) -> None:
            made[j] = sampled[j][1].window(sampled[j][2], sampled[j][3])

        parallel.run([functools.partial(make, j) for j in range(len(sampled))])
        for (at, _, fx, fy), tex in zip(sampled, made, strict=True):
            layers[at] = (layers[at][0], tuple(sample_stack(tex, fx, fy)))
        (wa, a), (wb, b) = layers
        if a is None:
            return b  # type: ignore[return-value]
        if b is None:
            return a
        return tuple(flowmap.blend(p, q, wa, wb) for p, q in zip(a, b, strict=True))

    def band(self, band: Band) -> None:
        v, hue, gy, gx = self.field
        V, Hf = interp_grids([v, hue], gy, gx, band.rows, band.cols)
        band.shared["value"] = V
        band.shared["hue"] = Hf
        self.frame.paint(V, Hf, band.rgb)
