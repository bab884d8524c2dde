"""Forms: the big shapes of a composition as outlines, and their signed distance on bands.

A :class:`Form` is one mass of land, given by a one-dimensional outline:

* ``bottom``: land below ``y = outline(x)`` (a range, a monolith, a valley's flank);
* ``top``: land above it (an overhang);
* ``left``, ``right``: land left or right of ``x = outline(y)`` (the walls of a canyon);
* ``ring``: land outside ``r = outline(angle)`` around a centre (the arms of a vortex, whose
  angle is swirled with the distance).

:func:`forms_for` lays out the forms of a :class:`~wiktoria.scene.Composition`: uneven
spacing (a massive near form, thin far ranges, gaps), a tilt, the flanks of a valley, a
pillar in a void, forms in rhythm, canyon walls or spiral arms. Outlines are a few thousand
numbers; :meth:`Form.distance` turns one into a signed distance in pixels over a band of rows
(positive inside the form), and its gradient direction, with whole-array operations.

Examples
--------
>>> import wiktoria
>>> from wiktoria.render.layer import Frame
>>> scene = wiktoria.paint("serene", size=(96, 64), seed=2).scene
>>> frame = Frame(scene, scene.mood, 96, 64, scene.seed)
>>> forms = forms_for(frame, roughness=0.5, frequency=2.5, octaves=5, t=0.0, period=None)
>>> [f.depth for f in forms] == sorted(f.depth for f in forms)
True
>>> d, inside, gx, gy = forms[0].distance(np.arange(64), 96)
>>> d.shape
(64, 96)
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from wiktoria import noise
from wiktoria.render.layer import box_smooth, gradient

if TYPE_CHECKING:
    from wiktoria.render.layer import Frame

__all__ = ["Form", "Lines", "covered", "forms_for", "swayed"]

F32 = np.float32
_RING = 2048  # samples of a ring's outline around the circle


class Lines(NamedTuple):
    """A range's or a wall's outline terms per sample (:meth:`Form.lines`), float32 arrays
    over the outline's samples (columns of a range, rows of a wall)."""

    across: bool  # a range (the outline runs across the frame), else a wall
    sign: np.float32  # +1 where the land lies below (right of) the outline, else -1
    outline: np.ndarray
    n: np.ndarray  # the exact distance's slope factor, sqrt(1 + min(slope^2, 400))
    so: np.ndarray  # the smoothed outline
    ns: np.ndarray  # its slope factor, sqrt(1 + smooth^2)
    gx: np.ndarray  # the unit direction into the form
    gy: np.ndarray
    fx: np.ndarray  # the unit direction along the smoothed outline (along's)
    fy: np.ndarray
    rim: np.ndarray  # the rim's slope factor, |1 / fx| of a range, |1 / fy| of a wall


@dataclass
class Form:
    """One mass of land.

    Attributes
    ----------
    kind : str
        ``bottom``, ``top`` (an overhang: land above the outline), ``left`` or ``right`` (a
        wall: land left or right of the outline) or ``ring``.
    outline : ndarray of float32
        ``bottom``, ``top``: the outline's row for each column. ``left``, ``right``: its
        column for each row. ``ring``: its radius in pixels for each of ``_RING`` angles.
    depth : float
        0 farthest .. 1 nearest.
    cx, cy, aspect, twist : float
        ``ring`` only: centre, horizontal squeeze of the rings, swirl per log-radius.
    """

    kind: str
    outline: np.ndarray
    depth: float
    cx: float = 0.0
    cy: float = 0.0
    aspect: float = 1.0
    twist: float = 0.0

    def _smoothed(self) -> tuple[np.ndarray, np.ndarray]:
        got = getattr(self, "_smooth", None)
        if got is None:
            got = self._smooth = _smoothed(self.outline)
        return got

    def top(self) -> float:
        """The highest row the form reaches (for skipping bands above it)."""
        if self.kind == "bottom":
            got = getattr(self, "_top", None)
            if got is None:
                got = self._top = float(self.outline.min())
            return got
        return -math.inf

    def bottom(self) -> float:
        """The lowest row the form reaches (for skipping bands below it)."""
        if self.kind == "top":
            got = getattr(self, "_bottom", None)
            if got is None:
                got = self._bottom = float(self.outline.max())
            return got
        return math.inf

    def lines(self) -> Lines:
        """The outline's terms per sample of a range or a wall (kept: a form's outline does
        not change), from which :meth:`distance`, :meth:`along` and :meth:`rim_distance`
        are made pixel by pixel (and the land's compiled kernel the same way)."""
        got = getattr(self, "_lines", None)
        if got is None:
            if self.kind == "ring":
                raise ValueError("a ring has no lines: its distance is polar")
            across = self.kind in ("bottom", "top")  # the outline runs across the frame
            sign = F32(1) if self.kind in ("bottom", "right") else F32(-1)
            slope = gradient(self.outline).astype(F32)
            so, smooth = (a[0] for a in self._smoothed())
            ns = np.sqrt(F32(1) + smooth * smooth)
            if across:  # d = sign (y - o(x)): gradient sign * (-o', 1)
                gx, gy = -sign * smooth / ns, sign / ns
                fx, fy = (sign / ns).astype(F32), (sign * smooth / ns).astype(F32)
            else:  # d = sign (x - o(y)): gradient sign * (1, -o')
                gx, gy = sign / ns, -sign * smooth / ns
                fx, fy = (-sign * smooth / ns).astype(F32), (-sign / ns).astype(F32)
            got = self._lines = Lines(
                across, sign, self.outline, np.sqrt(F32(1) + np.minimum(slope * slope, F32(400))),
                so, ns, np.asarray(gx, F32), np.asarray(gy, F32), fx, fy,
                np.abs(F32(1) / (fx if across else fy)))
        return got

    def distance(self, rows: np.ndarray, width: int) -> tuple[np.ndarray, ...]:
        """Signed distance (pixels, positive inside) over ``rows``; the depth inside the form,
        measured from the outline smoothed over about 2 % of the width; and the unit
        direction ``(gx, gy)`` in which the smoothed distance grows (into the form), each of
        shape (rows, width).

        The exact distance draws the outline; the smoothed depth and direction are what light
        and mist model (a jagged outline's column-to-column slope would streak the shading
        below it)."""
        r = rows.astype(F32).reshape(-1, 1) + F32(0.5)
        if self.kind != "ring":
            ln = self.lines()
            if ln.across:
                at: Any = slice(None)
                pos, shape_of = r, (1, -1)
            else:
                at = np.clip(rows, 0, len(self.outline) - 1)
                pos, shape_of = np.arange(width, dtype=F32).reshape(1, -1) + F32(0.5), (-1, 1)
            o, n, so, ns, gx, gy = (a[at].reshape(shape_of)
                                    for a in (ln.outline, ln.n, ln.so, ln.ns, ln.gx, ln.gy))
            sign = ln.sign
            d = sign * (pos - o) / n
            inside = np.maximum(sign * (pos - so) / ns, 0).astype(F32)
            shape = np.broadcast_shapes(d.shape, inside.shape)
            # C order: astype of a broadcast row keeps its zero stride's order (Fortran),
            # which slows every operation that mixes it with the band's C-ordered arrays.
            return (np.array(np.broadcast_to(d, shape), F32, order="C"),
                    np.broadcast_to(inside, shape),
                    np.array(np.broadcast_to(gx, shape), F32, order="C"),
                    np.array(np.broadcast_to(gy, shape), F32, order="C"))
        dx, dy, rad, ang = _polar(rows, width, self.cx, self.cy, self.aspect)
        if self.twist:
            ang = ang + F32(self.twist) * np.log1p(rad / F32(max(1.0, self.outline.mean())))
        k = (ang * F32(_RING / (2 * math.pi))) % F32(_RING)
        i0 = k.astype(np.intp) % _RING
        f = k - np.floor(k)
        o = self.outline
        R = o[i0] + (o[(i0 + 1) % _RING] - o[i0]) * f
        d = (rad - R).astype(F32)
        return d, np.maximum(d, 0), (dx / rad).astype(F32), (dy / rad).astype(F32)


    def along(self, rows: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """How deep each pixel of ``rows`` lies in the form, and the unit direction along its
        smoothed outline ``(tx, ty)`` (the gradient of :meth:`distance` turned a quarter:
        ``tx = gy, ty = -gx``).

        The depth is positive exactly where :meth:`distance` is (inside the form); for a range
        or a wall it is the distance from the outline along the vertical (horizontal), for a
        ring the distance itself. Cheaper than :meth:`distance`: the outline of a range or a
        wall depends on one coordinate only, so its direction comes as a row or a column
        that broadcasts over ``(rows, width)``.
        """
        if self.kind == "ring":
            d, _, gx, gy = self.distance(rows, width)
            return d, gy, -gx
        ln = self.lines()
        depth = self._depth(rows, np.arange(width))
        if ln.across:
            return depth, ln.fx.reshape(1, -1), ln.fy.reshape(1, -1)
        idx = np.clip(rows, 0, len(self.outline) - 1)
        return depth, ln.fx[idx].reshape(-1, 1), ln.fy[idx].reshape(-1, 1)

    def _depth(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """A range's or a wall's depth (:meth:`along`'s) at pixel ``rows`` by ``cols``: a
        row's worth for a range, a column's for a wall, broadcasting to both."""
        ln = self.lines()
        if ln.across:
            r = rows.astype(F32).reshape(-1, 1) + F32(0.5)
            return ln.sign * (r - ln.outline[cols].reshape(1, -1))  # type: ignore[no-any-return]
        pos = cols.astype(F32).reshape(1, -1) + F32(0.5)
        at = np.clip(rows, 0, len(self.outline) - 1)
        return ln.sign * (pos - ln.outline[at].reshape(-1, 1))  # type: ignore[no-any-return]

    def rim_distance(self, rows: np.ndarray, width: int) -> np.ndarray:
        """Distance from the outline inside the form for light that hugs its edge (a rim):
        the offset from the outline along the vertical (horizontal, for a wall) over the
        *smoothed* outline's slope factor, so that one jagged, steep column does not carry a
        rim far down into the form (as :meth:`distance`, normalised by that column's own
        slope, would: vertical streaks under jagged peaks). A ring's is its distance."""
        if self.kind == "ring":
            return self.distance(rows, width)[0]
        depth = self.along(rows, width)[0]
        # along's direction is (1, slope) / ns for a range and (slope, 1) / ns for a wall
        ln = self.lines()
        rim = ln.rim.reshape(1, -1) if ln.across else ln.rim[
            np.clip(rows, 0, len(self.outline) - 1)].reshape(-1, 1)
        return (depth / rim).astype(F32)  # type: ignore[no-any-return]


#: The last ring geometry of each thread (bands painted on threads each keep their own).
_POLAR = threading.local()


def _polar(rows: np.ndarray, width: int, cx: float, cy: float, aspect: float
           ) -> tuple[np.ndarray, ...]:
    """``dx, dy, rad, ang`` of the pixels of ``rows`` around a ring's centre (float32).

    The rings of a composition share their centre, so the last result is kept (one entry per
    thread, read-only arrays) and the next ring over the same rows reuses it."""
    key = (rows.tobytes(), width, cx, cy, aspect)
    last = getattr(_POLAR, "last", None)
    got = last[1] if last is not None and last[0] == key else None
    if got is None:
        r = rows.astype(F32).reshape(-1, 1) + F32(0.5)
        c = np.arange(width, dtype=F32).reshape(1, -1) + F32(0.5)
        dx = (c - F32(cx)) * F32(aspect)
        dy = r - F32(cy)
        rad = np.hypot(dx, dy) + F32(1e-3)
        ang = np.arctan2(dy, dx)
        got = tuple(np.broadcast_to(a, rad.shape) for a in (dx, dy, rad, ang))
        _POLAR.last = (key, got)
    return got


def covered(forms: list[Form], rows: np.ndarray, cols: np.ndarray, width: int) -> np.ndarray:
    """Whether any of ``forms`` covers the pixels of ``rows`` by ``cols`` (integer pixel
    indices of a frame ``width`` wide), a boolean array (len(rows), len(cols))."""
    rows = np.asarray(rows, np.intp)
    cols = np.asarray(cols, np.intp)
    out = np.zeros((len(rows), len(cols)), bool)
    for form in forms:  # a handful of forms
        if form.kind == "ring":
            depth = np.broadcast_to(form.along(rows, width)[0], (len(rows), width))[:, cols]
        else:  # along's depth at these columns only
            depth = form._depth(rows, cols)
        out |= depth > 0
    return out


def swayed(forms: list[Form], clock: Any, height: int, *, seed: int,
           amplitude: float = 0.006) -> list[Form]:
    """The forms of a loop's frame: the still's outlines moved by a slow, low-frequency sway
    (``amplitude`` of the frame's height at most, about one swell across a range), evolving
    on the loop's time circle (``clock``, a :class:`~wiktoria.render.layer.Clock`). The sway
    is zero at frame 0, so the land holds still apart from it and a loop's frame 0 is its
    still. A ring swells and shrinks by the same share of its radius."""
    if clock.still:
        return forms
    # One noise call for every form's outline (the values are per point, so this is what a
    # call per form gives, at a fraction of the calls' overhead).
    pxs, pys = [], []
    for k, form in enumerate(forms):
        n = len(form.outline)
        a = np.arange(n, dtype=np.float64) / n
        if form.kind == "ring":  # around the circle: periodic in the angle
            pxs.append(np.cos(2 * np.pi * a) * 0.8)
            pys.append(np.sin(2 * np.pi * a) * 0.8 + 3.1 * k)
        else:
            pxs.append(a * 1.2)
            pys.append(np.full(n, 3.1 * k))
    px, py = np.concatenate(pxs), np.concatenate(pys)

    def at(u: float, v: float) -> np.ndarray:
        return noise.fbm(px, py, np.full(len(px), u), np.full(len(px), v), octaves=2,
                         seed=seed, dtype=np.float64)

    every = at(clock.u, clock.v) - at(0.0, 0.0)
    out = []
    start = 0
    for form in forms:
        n = len(form.outline)
        d = every[start : start + n]
        start += n
        scale = amplitude * (form.outline.astype(np.float64) if form.kind == "ring" else height)
        outline = (form.outline + scale * d * (0.6 + 0.4 * form.depth)).astype(F32)
        out.append(Form(form.kind, outline, form.depth, form.cx, form.cy, form.aspect,
                        form.twist))
    return out


def _smoothed(outline: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The outline smoothed over about 2 % of its length (two box passes), and its slope."""
    sm = box_smooth(outline, max(3, len(outline) // 50), passes=2)
    return sm.reshape(1, -1), gradient(sm).astype(F32).reshape(1, -1)


def _profile(x: np.ndarray, seed: int, octaves: int, t: float, period: int | None,
             turbulence: float) -> np.ndarray:
    """A ridge profile in about [-1, 1]: rolling fBm with ridged crests."""
    per = (None, None, period)
    rolling = noise.fbm(x, 0.5, t, octaves=octaves, seed=seed, period=per, dtype=np.float64)
    crests = noise.ridged(x * 0.8, 7.3, t, octaves=octaves, seed=seed + 2, period=per,
                          dtype=np.float64)
    return 1.4 * rolling + turbulence * 0.9 * (crests - 0.45)


def _smooth(a: float, b: float, x: np.ndarray) -> np.ndarray:
    s = np.clip((x - a) / (b - a), 0, 1)
    return s * s * (3 - 2 * s)


def forms_for(frame: Frame, roughness: float, frequency: float, octaves: int, t: float,
              period: int | None) -> list[Form]:
    """The forms of ``frame``'s composition, far (first) to near (last)."""
    from wiktoria.render.layer import stream_rng, stream_seed

    c = frame.composition
    W, H = frame.width, frame.height
    rng = stream_rng(frame.seed, "forms", c.variant)
    turb = 0.4 + 0.8 * frame.mood.motion.turbulence
    if c.layout == "vortex":
        return _rings(frame, rng, roughness, t, period, turb)
    if c.layout == "enclosure":
        return _canyon(frame, rng, roughness, octaves, t, period, turb)
    n = c.ranges
    cols = np.arange(W, dtype=np.float64) + 0.5
    u = cols / W
    hz = c.horizon
    # Uneven spacing: gaps from a Dirichlet draw, the nearest range pushed to the bottom.
    gaps = rng.dirichlet(np.full(max(1, n - 1), 0.8)) if n > 1 else np.ones(1)
    s = np.concatenate([[0.0], np.cumsum(gaps)])[:n] if n > 1 else np.ones(1)
    reach = {"low": 0.55, "high": 0.75, "monolith": 0.35}.get(c.layout, 0.7)
    heavy = rng.choice([-1.0, 1.0]) if c.focus_x == 0.5 else (1.0 if c.focus_x < 0.5 else -1.0)
    forms: list[Form] = []
    for k in range(n):
        d = k / (n - 1) if n > 1 else 1.0
        seed = stream_seed(frame.seed, "forms", k, frame.composition.variant)
        freq = frequency * (1.0 + 0.6 * d)
        x = u * freq + 11.7 * k
        xw = x + 0.3 * noise.fbm(x * 0.7, 0.37 + k, t, octaves=3, seed=seed + 1,
                                 period=(None, None, period), dtype=np.float64)
        prof = _profile(xw, seed, max(2, octaves - (n - 1 - k)), t, period, turb)
        base = H * (hz + (1 - hz) * reach * s[k])
        base = base + c.tilt * H * (u - 0.5) * (1.0 - 0.4 * s[k])
        amp = roughness * H * (0.012 + 0.05 * d * d)
        y = base - amp * prof
        if c.layout == "rhythm":
            # Rounded forms on a beat, every third one stronger (a metre), each range
            # offset by half a beat from the last.
            beat_len = max(0.02, c.scale) * (0.8 + 0.4 * d)
            phase = u / beat_len + 0.5 * k + 0.13 * k * k
            beat = 0.5 + 0.5 * np.cos(2 * np.pi * phase)
            metre = 0.65 + 0.35 * np.cos(2 * np.pi * phase / 3.0 + 1.3 * k)
            y = y - H * (0.05 + 0.08 * d) * (0.6 + roughness) * metre * beat**1.4
        if c.layout == "valley":
            w = max(0.03, c.scale)
            flank = np.abs(u - c.focus_x) / w
            walls = 1.0 - np.exp(-(flank**1.6))
            y = y - H * (0.06 + 0.32 * d**1.2) * walls * (0.7 + 0.3 * prof.clip(-1, 1))
        if k == n - 1 and n > 1 and c.layout not in ("monolith", "rhythm"):
            # The nearest form is the heavy one: it rises on the side away from the focus.
            side = _smooth(0.15, 0.85, u if heavy < 0 else 1.0 - u)
            mass = c.near * H * (0.25 + 0.75 * side) * (0.85 + 0.15 * prof.clip(-1, 1))
            y = np.minimum(y, H * 1.02 - mass)
        forms.append(Form("bottom", y.astype(F32), float(d)))
    if c.layout == "monolith":
        forms = _monolith(frame, rng, forms, roughness, octaves, t, period, turb)
    return forms


def _monolith(frame: Frame, rng: np.random.Generator, ground: list[Form], roughness: float,
              octaves: int, t: float, period: int | None, turb: float) -> list[Form]:
    """One pillar or peak standing in the void, between the far ground and a low near lip."""
    from wiktoria.render.layer import stream_seed

    c = frame.composition
    W, H = frame.width, frame.height
    u = (np.arange(W, dtype=np.float64) + 0.5) / W
    w = max(0.012, c.scale) * H / W
    lean = rng.uniform(-0.35, 0.35)
    base = H * c.horizon
    height = max(H * c.horizon - H * c.focus_y + 0.35 * max(0.08, c.near) * H,
                 0.6 * max(0.08, c.near) * H)
    # A peak (power near 1.3), a spire, or a flat-topped pillar (8); it may lean.
    power = float(rng.choice([1.3, 2.2, 4.0, 8.0]))
    pu = (u - c.focus_x) / w
    shape = np.exp(-np.abs(pu) ** power)
    seed = stream_seed(frame.seed, "monolith", frame.composition.variant)
    prof = _profile(u * 9.0, seed, octaves, t, period, turb)
    crags = _profile(u * 40.0, seed + 7, octaves, t, period, turb)
    y = base - height * (shape * (1.0 + 0.06 * roughness * prof)
                         + 0.025 * (0.5 + roughness) * np.sqrt(shape) * crags)
    # Lean: shift each row of the form sideways in proportion to its height.
    y = np.interp(u - lean * w * (base - y) / max(1.0, height), u, y)
    y = np.minimum(y, base + 0.02 * H)  # it stands on the ground: its foot hides in it
    # Small and low means far: the form takes more of the haze.
    pillar = Form("bottom", y.astype(F32), float(np.clip(0.25 + c.near, 0.3, 0.85)))
    far = [Form(g.kind, g.outline, 0.5 * g.depth) for g in ground]
    lip_seed = stream_seed(frame.seed, "monolith-lip", frame.composition.variant)
    lip = H * (c.horizon + 0.45 * (1 - c.horizon)) - 0.02 * H * _profile(
        u * 3.0, lip_seed, octaves, t, period, turb)
    return [*far, pillar, Form("bottom", lip.astype(F32), 1.0)]


def _canyon(frame: Frame, rng: np.random.Generator, roughness: float, octaves: int, t: float,
            period: int | None, turb: float) -> list[Form]:
    """Walls closing in from both sides on a slot of light, receding in depth, over a floor
    and, often, under an overhang: an enclosure with no horizon."""
    from wiktoria.render.layer import stream_seed

    c = frame.composition
    W, H = frame.width, frame.height
    n = max(2, c.ranges)
    ys = (np.arange(H, dtype=np.float64) + 0.5) / H
    xs = (np.arange(W, dtype=np.float64) + 0.5) / W
    slot = c.focus_x
    first = rng.choice([0, 1])
    forms = []
    half = max(0.02, c.scale * 0.3)
    for k in range(n):
        d = k / (n - 1)
        seed = stream_seed(frame.seed, "canyon", k, frame.composition.variant)
        left = (k + first) % 2 == 0
        # Far walls crowd the slot; near ones stand back at the frame's edges, taller in the
        # picture because nearer.
        gap = half * (0.4 + 0.6 * rng.uniform(0.6, 1.4)) + (0.5 - half) * d**1.4
        prof = _profile(ys * (2.0 + 4.0 * (1 - d)) + 5.3 * k, seed, octaves, t, period, turb)
        lean = rng.normal(0, 0.08)
        x = (slot - gap if left else slot + gap) + lean * (ys - c.focus_y)
        x = x + (0.02 + 0.05 * d) * roughness * prof
        forms.append(Form("left" if left else "right", (x * W).astype(F32), float(d)))
    floor_seed = stream_seed(frame.seed, "canyon-floor", frame.composition.variant)
    floor = H * (c.focus_y + (1 - c.focus_y) * rng.uniform(0.35, 0.7))
    floor = floor - 0.03 * H * roughness * _profile(xs * 3.0, floor_seed, octaves, t, period,
                                                      turb)
    forms.insert(n // 2, Form("bottom", floor.astype(F32), 0.5))
    if rng.uniform() < 0.6:
        arch_seed = stream_seed(frame.seed, "canyon-arch", frame.composition.variant)
        top = c.focus_y * H - H * rng.uniform(0.2, 0.4)
        arch = top - 0.9 * H * ((xs - slot) ** 2) - 0.04 * H * roughness * _profile(
            xs * 4.0, arch_seed, octaves, t, period, turb)
        forms.append(Form("top", arch.astype(F32), 0.95))
    return forms


def _rings(frame: Frame, rng: np.random.Generator, roughness: float, t: float,
           period: int | None, turb: float) -> list[Form]:
    """Canyon walls around an opening (enclosure), or spiral arms around a core (vortex)."""
    from wiktoria.render.layer import stream_seed

    c = frame.composition
    W, H = frame.width, frame.height
    n = c.ranges
    cx, cy = c.focus_x * W, c.focus_y * H
    far_corner = max(math.hypot(cx - x, cy - y) for x in (0, W) for y in (0, H))
    r0 = max(4.0, c.scale * H)
    vortex = c.layout == "vortex"
    twist = (rng.choice([-1.0, 1.0]) * rng.uniform(3.5, 6.0)) if vortex else 0.0
    arms = int(rng.integers(2, 5))
    ang = np.arange(_RING) * (2 * math.pi / _RING)
    forms = []
    gaps = np.cumsum(rng.dirichlet(np.full(n, 1.2)))
    for k in range(n):
        d = k / (n - 1) if n > 1 else 1.0
        seed = stream_seed(frame.seed, "rings", k, frame.composition.variant)
        radius = r0 + (0.85 * far_corner - r0) * (gaps[k] - gaps[0]) / max(1e-9, 1 - gaps[0])
        radius = max(r0, radius * (0.55 + 0.45 * d))
        f = 1.5 + 2.5 * (1 - d)
        jag = noise.fbm(np.cos(ang) * f, np.sin(ang) * f, 3.1 * k + t, octaves=5, seed=seed,
                        dtype=np.float64)
        wob = roughness * (0.35 if not vortex else 0.25) * (0.6 + 0.4 * turb) * jag
        if vortex:
            wob = wob + 0.6 * np.cos(arms * ang + 2.4 * k) * (0.6 + 0.4 * d)
        outline = radius * np.exp(wob)
        forms.append(Form("ring", outline.astype(F32), float(d), cx, cy,
                          aspect=0.75 if not vortex else 1.0, twist=twist))
    return forms
