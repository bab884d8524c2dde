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

In an animation the strokes keep their identity from frame to frame (issue 15): they are
placed once, at rest (in the still's frame: a still is frame 0 of its loop), cached per process
for the loop's other frames, and then glide along their own streamlines, are born and die
gently and sway (:mod:`wiktoria.render.strokes.motion`). Each frame is still computed on its
own (any frame in any process, in any order, gives the same bytes). The land breathes under
them: a land stroke shows only where the land covers the frame now, an air stroke only where
it does not. Stills are painted exactly as before.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Generic, TypeVar

import numpy as np

from wiktoria.colour import linear_to_srgb, srgb_to_uint8
from wiktoria.colour.roles import LIGHT_MAX
from wiktoria.common.cache import LoopCache, fingerprint
from wiktoria.render import flowmap
from wiktoria.render.layer import F32, Band, Frame, LayerRenderer, renderer_for
from wiktoria.render.light import light_of
from wiktoria.render.strokedata import Strokes
from wiktoria.render.strokes._jit import warm_up
from wiktoria.render.strokes.guide import guide
from wiktoria.render.strokes.marks import cut, widths
from wiktoria.render.strokes.motion import Glide, sway, travel_per_loop
from wiktoria.render.strokes.raster import StrokeSet
from wiktoria.render.strokes.streamlines import evenly_spaced
from wiktoria.scene.layers import BrushLayer

__all__ = ["LAND_GLIDE", "LAND_SWAY", "RHYTHM", "SLOPE", "SWAY", "SWAY_FREQUENCY", "BrushRenderer",
           "select"]

#: How far strokes sway in an animation: frame heights per noise cell per second of the
#: layer's speed (at most; less near an outline, and never so far that the sway's slope
#: passes SLOPE).
SWAY = 0.02
#: The steepest slope of the sway (displacement per pixel): far below 1, so strokes never
#: cross. The sway's slope at unit amplitude is below ``9.5 * frequency`` per frame height.
SLOPE = 0.25
#: The sway on the land, relative to the air's (the land holds still).
LAND_SWAY = 0.3
#: How far a stroke on the land glides, relative to one in the air (which travels with the
#: wind): the land's strokes creep, the air's stream past.
LAND_GLIDE = 0.15
#: Share of the sway that dances to the layer's ``rhythm`` (when it has one).
RHYTHM = 0.75
#: Cells per frame height of the sway, relative to the layer's ``frequency``.
SWAY_FREQUENCY = 0.5


@dataclass
class _Rest:
    """The strokes as a still places them, and how they glide through a loop."""

    guide: Any
    points: np.ndarray
    offsets: np.ndarray
    widths: np.ndarray
    lift: np.ndarray
    shift: np.ndarray
    accented: np.ndarray
    form_depth: np.ndarray | None
    line_of_stroke: np.ndarray
    glide: Glide | None = None


class _Now:
    """The strokes of one frame (at rest in a still, moved in a loop's frame), and what the
    bands paint them with: :meth:`BrushRenderer.prepare` sets them as the renderer's
    attributes."""

    def __init__(self, guide: Any, form_depth: np.ndarray | None) -> None:
        self.guide = guide
        self.form_depth = form_depth
        self.fade: np.ndarray | None = None
        self.points = self.offsets = self.widths = np.zeros(0)
        self.lift = self.shift = self.accented = self.line_of_stroke = np.zeros(0)
        self.set: StrokeSet | None = None
        self.channels = self.white = self.ones = np.zeros(0)
        self.mid_x = self.mid_y = self.mid_surface = np.zeros(0)


#: The strokes at rest of the last loops painted in this process, by their still scene
#: (consecutive frames of one loop share them)...
_CACHE: dict[Any, _Rest] = {}
_CACHE_LOCK = threading.Lock()  # renders on several threads (the live page's, a notebook's)


T = TypeVar("T")


class _Placing(Generic[T]):
    """``work()`` running on its own thread (a daemon: a render given up leaves it to end);
    :meth:`result` waits for it and returns its value or raises its exception."""

    def __init__(self, work: Callable[[], T]) -> None:
        self._work = work
        self._value: T | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="wiktoria-placing", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._value = self._work()
        except BaseException as exc:  # handed to result()
            self._error = exc

    def result(self) -> T:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._value is not None
        return self._value
#: ... and by exactly what placing them reads (:meth:`BrushRenderer._placement`), so a change
#: of something else (the clouds' amount, a light's bloom) finds them again.
_PLACED = LoopCache("brush-placed", groups=4)


def _outline_room(points: np.ndarray, g: Any, sx: float, sy: float, amp: float) -> np.ndarray:
    """How far each point (frame pixels) may sway, of ``amp``: less within ``4 * amp`` of
    another form's outline (so a stroke never leaves its form: it moves less than a quarter
    of its distance to the outline), and ``LAND_SWAY`` on the land."""
    gh, gw = g.labels.shape
    p = points.astype(np.float64)

    def label(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        i = np.clip(np.rint((x + 0.5) / sx - 0.5).astype(np.intp), 0, gw - 1)
        j = np.clip(np.rint((y + 0.5) / sy - 0.5).astype(np.intp), 0, gh - 1)
        return g.labels[j, i]  # type: ignore[no-any-return]

    own = label(p[:, 0], p[:, 1])
    far = 4.0 * amp
    dist = np.full(len(p), far)
    angles = np.arange(8) * (np.pi / 4)
    for r in far * np.array([1.0, 0.75, 0.5, 0.33, 0.2, 0.1]):  # nearest last
        for a in angles:  # 8 directions x 6 radii: a few lookups per point, once per loop
            other = label(p[:, 0] + r * np.cos(a), p[:, 1] + r * np.sin(a)) != own
            dist[other] = np.minimum(dist[other], r)
    room = dist / far
    room = room * room * (3.0 - 2.0 * room)
    return np.where(own > 0, LAND_SWAY, 1.0) * room  # type: ignore[no-any-return]


def select(points: np.ndarray, offsets: np.ndarray, idx: np.ndarray
           ) -> tuple[np.ndarray, np.ndarray]:
    """The points and offsets of strokes ``idx`` (in order), gathered without a loop."""
    counts = np.diff(offsets)[idx]
    new = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    total = int(new[-1])
    within = np.arange(total, dtype=np.int64) - np.repeat(new[:-1], counts)
    return points[np.repeat(offsets[:-1][idx], counts) + within], new


class BrushRenderer(LayerRenderer):
    """Places the strokes once per still (once per loop in an animation, then moves them),
    then paints those that meet each band."""
    concurrent_bands = True  # band() reads what prepare() left, writes its band

    layer: BrushLayer

    def layout(self) -> None:
        warm_up()  # the first painting compiles the stroke kernels while the others prepare

    def begin(self) -> None:
        """Place the strokes (a still's) or move them to this frame (a loop's) on a thread
        while the layers below prepare: that reads only what the layouts published (the
        land's forms, the air's wind) and the light, which the composition fixes
        (:meth:`_placement`), so the strokes are the same either way."""
        self._placing = _Placing(self._strokes_now)

    def _at_rest(self) -> _Rest:
        """The strokes at rest: a still's, or those of this frame's loop."""
        fr, layer = self.frame, self.layer
        if fr.scene.loop is None or layer.speed <= 0:
            return self._place(fr, layer, glide=False)
        return self._rest()

    def prepare(self) -> None:
        placing: _Placing[_Now] | None = getattr(self, "_placing", None)
        now = self._strokes_now() if placing is None else placing.result()
        for name, value in vars(now).items():
            setattr(self, name, value)

    def _strokes_now(self) -> _Now:
        """The strokes of this frame, and what the bands paint them with."""
        fr, layer = self.frame, self.layer
        W, H = fr.width, fr.height
        loop = fr.scene.loop
        rest = self._at_rest()
        now = _Now(guide=rest.guide, form_depth=rest.form_depth)
        if loop is None or layer.speed <= 0:
            now.fade = None
            now.points, now.offsets = rest.points, rest.offsets
            now.widths, now.lift, now.shift = rest.widths, rest.lift, rest.shift
            now.accented = rest.accented
            now.line_of_stroke = rest.line_of_stroke
        else:
            # An animation frame: the strokes placed at rest glide along their streamlines,
            # fade in and out, and sway (wiktoria.render.strokes.motion).
            # A mood that stalls glides at a pace that stops and starts (as its sky does); one
            # with a rhythm sways to its beat, a whole number of beats a loop.
            clock = fr.clock(layer.speed)
            g = rest.glide
            beats = max(1, round(layer.rhythm * loop.duration)) if layer.rhythm > 0 else 0
            move = sway(W, H, clock.u, clock.v, frequency=SWAY_FREQUENCY * layer.frequency,
                        seed=self.seed("brush-sway", fr.composition.variant),
                        beat=2.0 * np.pi * beats * clock.phase,
                        rhythm=RHYTHM if beats else 0.0)
            phase = flowmap.pace(clock.phase, layer.stall, flowmap.stalls(loop.duration))
            pts, offs, fade, keep = g.at(phase, move)
            now.points, now.offsets = pts, offs
            now.widths = rest.widths[keep]
            now.lift, now.shift = rest.lift[keep], rest.shift[keep]
            now.accented = rest.accented[keep]
            now.line_of_stroke = rest.line_of_stroke[keep]
            if now.form_depth is not None:
                now.form_depth = now.form_depth[keep]
            now.fade = fade.astype(F32)
        n = len(now.widths)
        # Checked once, painted band by band.
        now.set = StrokeSet(now.points, now.offsets, now.widths, ends=layer.ends)
        now.channels = np.stack([now.lift, now.shift, np.ones(n, F32)], 1)
        now.white = np.ones((n, 3), F32)
        now.ones = np.ones(n, F32) if now.fade is None else now.fade
        # The pixel at each stroke's middle, and the surface's value and hue there, which the
        # bands record as they paint (for the strokes as data; NaN until painted).
        mid = now.points[(now.offsets[:-1] + now.offsets[1:]) // 2]
        now.mid_x = np.clip(np.rint(mid[:, 0]).astype(np.intp), 0, W - 1)
        now.mid_y = np.clip(np.rint(mid[:, 1]).astype(np.intp), 0, H - 1)
        now.mid_surface = np.full((n, 2), np.nan, F32)
        return now

    def _rest(self) -> _Rest:
        """The strokes at rest of this frame's loop: placed in the still's frame (the scene
        without its loop, whose layers below lay out again), once per process and loop."""
        fr = self.frame
        scene = fr.scene
        still = replace(scene, loop=None)
        # The glide depends on the loop's duration, not on the rest of the loop.
        key = (still, scene.loop.duration, fr.width, fr.height, fr.seed, self.occurrence)
        with _CACHE_LOCK:
            got = _CACHE.get(key)
        if got is not None:
            return got
        mood, layers = still.frame_state()
        rest_frame = Frame(scene=still, mood=mood, width=fr.width, height=fr.height,
                           seed=fr.seed)
        counts: dict[str, int] = {}
        spec = None
        for layer in layers:
            occurrence = counts.get(layer.type, 0)
            counts[layer.type] = occurrence + 1
            if layer.type == self.layer.type and occurrence == self.occurrence:
                spec = layer
                break
            renderer_for(layer)(layer, rest_frame, occurrence).layout()
        if spec is None:  # not in the scene's own stack: place with this frame's spec
            spec = self.layer
        duration = scene.loop.duration
        placement = self._placement(rest_frame, spec, duration)

        def place() -> _Rest:
            return self._place(rest_frame, spec, glide=True, duration=duration)

        got = place() if placement is None else _PLACED.get(placement, "rest", place)
        with _CACHE_LOCK:
            while len(_CACHE) >= 2:
                _CACHE.pop(next(iter(_CACHE)))
            _CACHE[key] = got
        return got

    def _placement(self, fr: Frame, spec: BrushLayer, duration: float) -> Any:
        """Everything :meth:`_place` reads of the still's frame ``fr`` (its layers below laid
        out) with ``glide``: the spec, the loop's duration, the frame's size, seed, mood and
        composition, this layer's occurrence (its seeds) and all the layers below published
        (the land's forms, the air's wind); the light it reads is the composition's. None
        when what they published cannot be told apart by its data (then the placement is
        kept only for this still scene)."""
        composition = fr.composition
        try:
            published = fingerprint(fr.shared)
        except TypeError:
            return None
        return (spec, duration, fr.width, fr.height, fr.seed, fr.mood, composition,
                self.occurrence, published)

    def _place(self, fr: Frame, layer: BrushLayer, *, glide: bool, duration: float = 0.0
               ) -> _Rest:
        """The strokes of ``fr`` as a still places them (with ``glide``, also how they glide
        through a loop of ``duration`` seconds)."""
        W, H = fr.width, fr.height
        px = H / 1080.0
        c = fr.composition
        t, period = fr.time(layer.speed)
        g = guide(fr, follow=layer.follow, frequency=layer.frequency, octaves=layer.octaves,
                  seed=self.seed("brush-field", c.variant), t=t, period=period, air=layer.air,
                  turn=layer.turn, angle=float(np.radians(layer.angle)))
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
        marks, line_of_stroke, first = cut(lines, rng, median=median, spread=layer.variety,
                                           gap=0.6 * spacing, shortest=max(2.0, 1.2 * spacing),
                                           return_lines=True, return_starts=True)
        points, offsets = marks.points, marks.offsets
        n = len(marks)
        wid = widths(marks, rng, median=layer.width * px, spread=0.45 * layer.variety,
                     length_median=median)
        lift = (layer.lift + layer.jitter * rng.standard_normal(n)).astype(F32)
        shift = (layer.jitter * 1.5 * rng.standard_normal(n)).astype(F32)
        # The form each stroke lies on (its depth; -1 in the air), for the strokes as data.
        forms = fr.shared.get("forms") or []
        form_depth = None
        if n and forms:
            mid = points[(offsets[:-1] + offsets[1:]) // 2]
            gi = np.clip(((mid[:, 0] + 0.5) / sx - 0.5).round().astype(np.intp), 0, gw - 1)
            gj = np.clip(((mid[:, 1] + 0.5) / sy - 0.5).round().astype(np.intp), 0, gh - 1)
            lab = g.labels[gj, gi]
            depths = np.array([-1.0] + [f.depth for f in forms], np.float32)
            form_depth = depths[lab]
        # A few strokes near the light take the accent.
        light = light_of(fr)
        if n:
            mid = points[(offsets[:-1] + offsets[1:]) // 2].astype(np.float64)
            d = np.hypot(mid[:, 0] - light.x, mid[:, 1] - light.y)
            # Near means within a fifth of the frame at most, even of a broad glow: the accent
            # stays rare and by the light.
            reach = max(1.0, min(6.0 * light.spread, 0.2 * max(W, H)))
            near = np.exp(-((d / reach) ** 2))
            accented = rng.random(n) < layer.accent * 3.0 * near
        else:
            accented = np.zeros(0, bool)
        rest = _Rest(g, points, offsets, wid, lift, shift, accented, form_depth, line_of_stroke)
        if glide:
            # A dance swings as far as the strokes may without crossing.
            steepest = SLOPE / (9.5 * SWAY_FREQUENCY * layer.frequency)
            reach = H * (steepest if layer.rhythm > 0 else min(SWAY * layer.speed, steepest))
            amp = reach * _outline_room(lines.points, g, sx, sy, reach)
            # Strokes in the air travel with the wind (the air's, when there is one), those
            # on the land creep (the land holds still, and its strokes with it).
            travel = travel_per_loop(layer.speed, duration, H)
            angle = flowmap.wind(fr) + float(np.radians(layer.angle))
            wind = fr.shared.get("wind")
            if wind is not None:
                angle, travel = wind[0] + float(np.radians(layer.angle)), wind[1] * duration
            if form_depth is not None:
                travel = travel * np.where(form_depth >= 0, LAND_GLIDE, 1.0)
            rest.glide = Glide(lines, line_of_stroke, first, np.diff(offsets),
                               rng=self.rng("brush-glide", c.variant),
                               travel=travel,
                               angle=angle, median=median, sway=amp)
        return rest

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
        cover = band.shared.get("cover")
        if self.fade is not None and cover is not None and self.form_depth is not None:
            # An animation frame: the land breathes, so its strokes, placed at rest, show
            # only where it covers the frame now, and the air's only where it does not.
            land = self.form_depth[idx] >= 0
            c = np.clip(cover, 0, 1).astype(F32)
            lo, hi = float(c.min()), float(c.max())
            if lo < 1 and hi > 0:
                self.set.paint(chans, self.channels, self.ones, row0=r0, select=idx[land])
                air = np.zeros_like(chans)
                self.set.paint(air, self.channels, self.ones, row0=r0, select=idx[~land])
                chans *= c[..., None]
                chans += air * (F32(1) - c)[..., None]
            else:  # all land, or all air: only its strokes show
                self.set.paint(chans, self.channels, self.ones, row0=r0,
                               select=idx[land] if lo >= 1 else idx[~land])
        else:
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
        fr.paint(v, h, buf, alpha * F32(layer.opacity), at=on)
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
