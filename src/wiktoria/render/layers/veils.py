"""Veils: soft colour fields after Rothko, built from many thin translucent glazes.

A ground colour and two or three rectangles (the *fields*), stacked, side by side, or as
windows inside a field (Rothko's Seagram murals). The seed chooses how many fields there are,
their arrangement, proportions, margins and gaps (:func:`plan_fields`), leaning on the
composition's layout (a ``low`` layout puts the largest field on top, ``rhythm`` makes three
near-equal ones, ``enclosure`` nests windows, ``monolith`` lets one dominate) and widening the
margins with its ``empty`` share. The composition's key and the mood's arousal choose their
values (:func:`plan_tones`): calm moods keep most of the canvas near the key's end and give the
opposite value to a small field, agitated ones set a bright field against a dark ground, a
middle key puts a mid ground between a light field and a dark one. Neighbouring fields lie
close in value and apart in hue, so that they vibrate; the hue spread is the composition's hue
and the layer's ``vibration`` together.

Each field is painted as ``glazes`` thin layers: layer ``k`` covers a rounded box whose signed
distance is displaced by noise (the edge breathes), feathered by a noise-varying width. The
first third is the underlayer: a little larger, brighter and shifted in hue, evenly laid and
covering the ground; the rest alternate between two close colours, each mottled where the
other is not (a scumble). The spread of edge positions makes the edge soft, and the underlayer
shows round it as a glow; the field nearest the light takes the accent into its underlayer.
Glazes are composited in linear RGB on a grid of at most :data:`VEIL_ROWS` rows (the fields are
soft, so nothing is lost), which each band interpolates. The fields are published as
``fields`` in :attr:`~wiktoria.render.layer.Frame.shared`.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass

import numpy as np

from wiktoria import noise
from wiktoria.colour.roles import LIGHT_MAX, TwoAxis
from wiktoria.render.layer import F32, Band, LayerRenderer, interp_grid
from wiktoria.scene.layers import VeilsLayer

__all__ = ["VEIL_ROWS", "Field", "VeilsRenderer", "plan_fields", "plan_tones"]

#: Rows of the grid the glazes are composited on, at most (smaller frames: full resolution).
VEIL_ROWS = 360


@dataclass(frozen=True)
class Field:
    """One soft rectangle, in pixels from the top left corner.

    Attributes
    ----------
    x0, x1, y0, y1 : float
        The box's nominal edges (the glazes breathe around them).
    radius : float
        Corner rounding, pixels.
    """

    x0: float
    x1: float
    y0: float
    y1: float
    radius: float

    @property
    def area(self) -> float:
        """Nominal area, square pixels."""
        return (self.x1 - self.x0) * (self.y1 - self.y0)


def _shares(rng: np.random.Generator, n: int, layout: str | None) -> np.ndarray:
    """Proportions of ``n`` fields along the stack (summing to 1), top to bottom.

    The composition's layout leans them: ``low`` puts the largest field on top (a low
    horizon under a big sky), ``high`` at the bottom, ``rhythm`` makes them nearly equal,
    ``monolith`` lets one field dominate.
    """
    if n == 1:
        return np.array([1.0])
    if rng.random() < 0.25:
        layout = None  # the layout leans the proportions, it does not dictate them
    if layout == "rhythm":
        shares = rng.dirichlet([14.0] * n)
    elif layout == "monolith":
        big = rng.uniform(0.68, 0.82)
        shares = np.append(big, rng.dirichlet([3.0] * (n - 1)) * (1 - big))
        shares = np.roll(shares, int(rng.integers(0, n)))
    elif n == 2:
        first = rng.uniform(0.26, 0.74)
        shares = np.array([first, 1.0 - first])
    else:
        shares = rng.dirichlet([2.2] * n)
        if rng.random() < 0.4:  # one thin band between or beside broad fields
            thin = int(rng.integers(0, n))
            band = rng.uniform(0.07, 0.14)
            rest = rng.dirichlet([3.0] * (n - 1)) * (1 - band)
            shares = np.insert(rest, thin, band)
    if layout == "low":
        shares = np.sort(shares)[::-1]
    elif layout == "high":
        shares = np.sort(shares)
    shares = np.maximum(shares, 0.07)
    return shares / shares.sum()  # type: ignore[no-any-return]


def _nested(rng: np.random.Generator, outer: Field, n: int, H: float) -> list[Field]:
    """An outer field and ``n - 1`` windows inside it, side by side (Rothko's Seagram
    murals)."""
    w, h = outer.x1 - outer.x0, outer.y1 - outer.y0
    t = rng.uniform(0.14, 0.24) * min(w, h)
    ty = t * rng.uniform(0.8, 1.3)
    x0, x1 = outer.x0 + t, outer.x1 - t
    y0, y1 = outer.y0 + ty, outer.y1 - ty * rng.uniform(0.8, 1.4)
    k = max(1, n - 1)
    gap = t * rng.uniform(0.7, 1.2)
    span = (x1 - x0 - gap * (k - 1)) / k
    out = [outer]
    for j in range(k):
        a = x0 + j * (span + gap)
        out.append(Field(float(a), float(a + span), float(y0), float(y1),
                         float(H * rng.uniform(0.006, 0.02))))
    return out


def plan_fields(rng: np.random.Generator, width: int, height: int, blocks: int, margin: float,
                gap: float, arrangement: str = "seed", layout: str | None = None,
                empty: float = 0.4) -> list[Field]:
    """Lay out the fields of one painting: count, arrangement, proportions, margins, gaps.

    Parameters
    ----------
    rng : numpy.random.Generator
        The layout's stream (every choice is drawn from it).
    width, height : int
        The frame, pixels.
    blocks : int
        Number of fields; 0 lets ``rng`` choose two or three (three for ``rhythm``).
    margin : float
        Side margin, fraction of the width (jittered, and widened by ``empty``); the top and
        bottom margins are of a similar size in pixels.
    gap : float
        Gap between fields, fraction of the height (jittered).
    arrangement : {'seed', 'stacked', 'columns', 'nested'}
        Fields stacked top to bottom, side by side, or one inside another (windows in a
        field); ``seed`` chooses, mostly stacked, nested for an ``enclosure``.
    layout : str, optional
        The composition's layout, which leans the choices (see :func:`_shares`).
    empty : float
        The composition's share of quiet: the emptier, the wider the margins.

    Returns
    -------
    list of Field
        Top to bottom (or left to right; an outer field before its windows).

    Examples
    --------
    >>> import numpy as np
    >>> fs = plan_fields(np.random.default_rng(1), 1920, 1080, 0, 0.08, 0.045, "stacked")
    >>> len(fs) in (2, 3), all(a.y1 < b.y0 for a, b in zip(fs, fs[1:]))
    (True, True)
    >>> outer, window = plan_fields(np.random.default_rng(1), 1920, 1080, 2, 0.08, 0.045,
    ...                             "nested")
    >>> outer.x0 < window.x0 < window.x1 < outer.x1
    True
    """
    W, H = float(width), float(height)
    n = int(blocks) or (3 if layout == "rhythm" else int(rng.choice([2, 3])))
    wide = W > 1.15 * H
    if arrangement == "seed":
        pick = rng.random()
        if layout == "enclosure" and pick < 0.7:
            arrangement = "nested"
        elif wide and pick < (0.45 if layout == "rhythm" else 0.15):
            arrangement = "columns"
        else:
            arrangement = "stacked"
    margin = margin * (0.75 + 0.6 * empty)
    side = margin * W * rng.uniform(0.7, 1.3)
    top = max(0.08 * H, margin * math.sqrt(W * H) * rng.uniform(0.7, 1.05))
    bottom = max(0.08 * H, top * rng.uniform(0.9, 1.4))
    if arrangement == "nested":
        outer = Field(side, W - side * rng.uniform(0.85, 1.15), top, H - bottom,
                      H * rng.uniform(0.008, 0.03))
        return _nested(rng, outer, n, H)
    columns = arrangement == "columns"
    if rng.random() < 0.15:
        gap *= 0.15  # fields that nearly touch, divided by a soft seam
    long, across = (W, H) if columns else (H, W)
    lo, hi = (side, side * rng.uniform(0.85, 1.15)) if columns else (top, bottom)
    edge = (top, bottom) if columns else (side, side)
    gaps = [gap * long * rng.uniform(0.6, 1.4) for _ in range(n - 1)]
    room = long - lo - hi - sum(gaps)
    shares = _shares(rng, n, None if columns else layout)
    fields = []
    pos = lo
    for i in range(n):
        size = room * float(shares[i])
        # Fields share their width, give or take; now and then one is narrower.
        narrow = 0.05 if rng.random() < 0.2 else 0.015
        inset = across * rng.uniform(-0.008, narrow, 2)
        a0, a1 = edge[0] + inset[0], across - edge[1] - inset[1]
        radius = H * rng.uniform(0.008, 0.03)
        box = (pos, pos + size, a0, a1) if columns else (a0, a1, pos, pos + size)
        fields.append(Field(*(float(b) for b in box), float(radius)))
        pos += size + (gaps[i] if i < n - 1 else 0.0)
    return fields


def plan_tones(rng: np.random.Generator, fields: list[Field], width: int, height: int,
               key: float, arousal: float, light: tuple[float, float]
               ) -> tuple[tuple[float, float], list[tuple[float, float]]]:
    """Choose the value and hue field of the ground and of each field.

    The key decides which end of the value scale most of the canvas lies at. The opposite
    end goes to one field: the smallest in a calm or a light-keyed painting (a thin dark band
    in a pale one, a glowing band in a dark one), the largest in an agitated dark one (a
    bright field against a dark ground); in between, the field nearest the light (``light``,
    fractions of the width and height). The other fields step a little from the ground's
    value; neighbours alternate their hue field, so they differ in hue more than in value.

    Returns
    -------
    ((ground value, ground hue), [(value, hue) per field])

    Examples
    --------
    >>> import numpy as np
    >>> fs = plan_fields(np.random.default_rng(2), 960, 540, 2, 0.08, 0.045)
    >>> ground, tones = plan_tones(np.random.default_rng(3), fs, 960, 540, 0.2, 1.0,
    ...                            (0.6, 0.4))
    >>> ground[0] < 0.3, max(v for v, _ in tones) > 0.7
    (True, True)
    """
    n = len(fields)
    u = float(np.clip(arousal, 0.0, 1.0))
    sizes = np.array([f.area for f in fields])
    cx = np.array([(f.x0 + f.x1) / 2 / width for f in fields])
    cy = np.array([(f.y0 + f.y1) / 2 / height for f in fields])
    lit = int(np.argmin(np.hypot(cx - light[0], cy - light[1])))
    step = rng.uniform(0.08, 0.13) * (1.0 + 1.4 * u)
    bright = rng.uniform(0.92, 1.01) - 0.15 * u
    dark = rng.uniform(0.0, 0.05)
    values = np.zeros(n)
    if abs(key - 0.5) < 0.13 and rng.random() < 0.6:
        # A middle key: a mid ground between the field nearest the light and a dark one.
        ground = rng.uniform(0.38, 0.55)
        pick = int(np.argmax(sizes)) if u > 0.75 else lit
        rest = [i for i in range(n) if i != pick]
        for i in range(n):
            values[i] = ground + rng.choice([-1, 1]) * step * rng.uniform(0.8, 1.3)
        values[pick] = bright
        if rest:
            low = rest[int(np.argmin(sizes[rest]))] if u < 0.4 else int(rng.choice(rest))
            values[low] = dark
    else:
        light_key = key + rng.normal(0.0, 0.07) > 0.5
        s = -1.0 if light_key else 1.0  # from the key's end towards the other
        ground = rng.uniform(0.9, 1.02) if light_key else rng.uniform(0.02, 0.12) - 0.02 * u
        if u > 0.75 and not light_key:  # a bright field against a dark ground
            pick = int(np.argmax(sizes))
        elif u < 0.4 or light_key:
            pick = int(np.argmin(sizes))
        else:  # the field nearest the light, or the smallest
            pick = lit if rng.random() < 0.5 else int(np.argmin(sizes))
        for i in range(n):
            values[i] = ground + s * step * rng.uniform(1.0, 1.7)
        values[pick] = dark if light_key else bright
    hue_g = rng.uniform(0.3, 0.7)
    tones = []
    for i in range(n):
        # Fields at an end of the scale take their hue from that end of the ramp; the
        # others alternate, so that neighbours differ in hue.
        v = float(values[i])
        if v > 0.85 or v < 0.1:
            sign = 1.0 if v > 0.5 else -1.0
        else:
            sign = (1.0 if values[pick] > 0.5 else -1.0) * (-1.0) ** abs(i - pick)
        mag = rng.uniform(0.25, 0.45)
        if sign > 0 and v < 0.85:
            mag *= 0.3  # a light colour at a darker value is mud
        tones.append((v, float(np.clip(0.5 + sign * mag, 0.0, 1.0))))
    return (float(ground), float(hue_g)), tones


def _unit(a: np.ndarray) -> np.ndarray:
    sd = float(a.std())
    return ((a - a.mean()) / (sd if sd > 1e-9 else 1.0)).astype(F32)


def _round_box(gx: np.ndarray, gy: np.ndarray, f: Field, inset: float) -> np.ndarray:
    """Signed distance (pixels, negative inside) to ``f`` shrunk by ``inset``, rounded."""
    cx, cy = (f.x0 + f.x1) / 2, (f.y0 + f.y1) / 2
    r = min(f.radius, 0.45 * min(f.x1 - f.x0, f.y1 - f.y0))
    hx = max(1.0, (f.x1 - f.x0) / 2 - inset - r)
    hy = max(1.0, (f.y1 - f.y0) / 2 - inset - r)
    qx = (np.abs(gx - F32(cx)) - F32(hx)).reshape(1, -1)
    qy = (np.abs(gy - F32(cy)) - F32(hy)).reshape(-1, 1)
    out = np.hypot(np.maximum(qx, 0), np.maximum(qy, 0))
    out += np.minimum(np.maximum(qx, qy), 0)
    out -= F32(r)
    return out


class VeilsRenderer(LayerRenderer):
    """Composites the ground and the fields' glazes on a coarse grid in ``prepare``; each band
    interpolates it."""
    concurrent_bands = True  # band() reads what prepare() left, writes its band

    layer: VeilsLayer

    def prepare(self) -> None:
        fr, layer = self.frame, self.layer
        c = fr.composition
        W, H = fr.width, fr.height
        u = (fr.mood.arousal + 1) / 2
        mood_key = zlib.crc32(fr.scene.mood.name.encode())
        self.fields = plan_fields(self.rng("veils-layout", mood_key), W, H, layer.blocks,
                                  layer.margin, layer.gap, layer.arrangement, c.layout,
                                  c.empty)
        (g_v, g_h), tones = plan_tones(self.rng("veils-tones", mood_key), self.fields, W, H,
                                       c.key, u, (c.light_x, c.light_y))
        spread = min(0.75, 0.4 * c.hue + 0.6 * layer.vibration)
        self.table = TwoAxis(fr.palette, c.key, c.contrast, spread)
        # The grid: pixel coordinates of its samples, one beyond each edge.
        self.step = max(1.0, H / VEIL_ROWS)
        gx = np.linspace(-1.0, W, max(8, math.ceil(W / self.step) + 2)).astype(F32)
        gy = np.linspace(-1.0, H, max(8, math.ceil(H / self.step) + 2)).astype(F32)
        self.gx, self.gy = gx, gy
        freq = layer.frequency
        # Edges breathe at the layer's speed; the paint inside drifts at half of it.
        self.edges = [self._noise(f"veils-edge{i}", freq, 1.6, 2, 1.0) for i in range(2)]
        self.edges += [self._noise(f"veils-fringe{i}", 3.0 * freq, 1.3, 3, 1.0)
                       for i in range(2)]
        self.mottle = [self._noise(f"veils-mottle{i}", 2.2, 2.0, 3, 0.5) for i in range(2)]
        self.mottle += [self._noise(f"veils-brush{i}", 9.0, 5.0, 3, 0.5) for i in range(2)]
        img = self._ground(g_v, g_h)
        far = int(np.argmax([abs(v - g_v) for v, _ in tones]))
        lit = int(np.argmin([math.hypot((f.x0 + f.x1) / 2 / W - c.light_x,
                                        (f.y0 + f.y1) / 2 / H - c.light_y)
                             for f in self.fields]))
        rng = self.rng("veils-glazes", mood_key)
        for i, (f, (v, hue)) in enumerate(zip(self.fields, tones, strict=True)):
            self._glaze(img, rng, f, v, hue, far=i == far, lit=i == lit)
        self.grid = [np.ascontiguousarray(img[..., i]) for i in range(3)]
        fr.shared["fields"] = self.fields

    def _noise(self, purpose: str, freq: float, stretch: float, octaves: int,
               pace: float) -> np.ndarray:
        """A normalised fBm over the grid, ``freq`` cells per height, stretched sideways,
        evolving at ``pace`` times the layer's speed (on its clock: continuous at any speed,
        and a still is frame 0 of every loop)."""
        fr = self.frame
        clock = fr.clock(self.layer.speed * pace)
        fx = ((self.gx + 0.5) / fr.height).reshape(1, -1)
        fy = ((self.gy + 0.5) / fr.height).reshape(-1, 1)
        return _unit(noise.fbm(fx * freq / stretch, fy * freq, clock.u, clock.v,
                               octaves=octaves, seed=self.seed(purpose)))

    def _ground(self, value: float, hue: float) -> np.ndarray:
        """The ground: a stained, quiet colour, a little lighter in an aura round each field."""
        layer, H = self.layer, self.frame.height
        gx, gy = self.gx, self.gy
        aura = np.zeros((len(gy), len(gx)), F32)
        reach = F32(0.05 * H)
        for f in self.fields:
            d = _round_box(gx, gy, f, 0.0)
            np.maximum(aura, np.exp(-np.maximum(d, 0) / reach), out=aura)
        gv = (F32(value) + F32(0.03) * self._noise("veils-ground", 1.3, 1.4, 3, 0.5)
              + F32(0.05 * layer.glow) * aura)
        gh = F32(hue) + F32(0.08) * self._noise("veils-ground-hue", 1.0, 1.0, 2, 0.5)
        return self.table(np.clip(gv, 0, LIGHT_MAX), gh)

    def _glaze(self, img: np.ndarray, rng: np.random.Generator, f: Field, v: float,
               hue: float, far: bool, lit: bool) -> None:
        """Paint one field into ``img`` (the grid's linear RGB), glaze by glaze."""
        fr, layer = self.frame, self.layer
        H, K = fr.height, layer.glazes
        gx, gy = self.gx, self.gy
        amp = F32(layer.breathing * H)
        soft = layer.softness * H
        min_w = F32(0.8 * self.step)
        spread_px = 2.2 * soft + 0.6 * layer.breathing * H
        pad = 4.0 * layer.breathing * H + 4.0 * soft + spread_px + 2 * self.step
        tex = layer.texture
        # The field that carries the painting's value range covers the ground fully.
        cover_to = min(0.999, max(layer.opacity, 0.985) if far else layer.opacity)
        r0, r1 = int(np.searchsorted(gy, f.y0 - pad)), int(np.searchsorted(gy, f.y1 + pad)) + 1
        c0, c1 = int(np.searchsorted(gx, f.x0 - pad)), int(np.searchsorted(gx, f.x1 + pad)) + 1
        sl = (slice(r0, r1), slice(c0, c1))
        sx, sy = gx[c0:c1], gy[r0:r1]
        e = [a[sl] for a in self.edges]
        m = [a[sl] for a in self.mottle]
        common_dir = rng.normal(size=2)
        common_dir /= np.linalg.norm(common_dir)
        common = F32(common_dir[0]) * e[0] + F32(common_dir[1]) * e[1]
        # The underlayer's own wander (independent of the common one): its glow round the
        # field swells and vanishes along the edge instead of drawing an even outline.
        rim = (F32(0.35 * spread_px) * (F32(common_dir[0]) * e[1] - F32(common_dir[1]) * e[0])
               - F32(0.1 * spread_px))
        # Glaze colours: the first third is the underlayer (brighter, shifted in hue, spread
        # wider); then two close colours alternate.
        f_k = np.linspace(0.0, 1.0, K)
        shift = rng.choice([-1.0, 1.0])
        if far:  # its glazes vary towards its own end of the scale, never back
            shift = 1.0 if v > 0.5 else -1.0
        under = np.clip(1.0 - f_k / 0.35, 0, 1)
        # The underlayer alone covers the ground as far as ``cover_to`` (a little ground
        # through a dark glaze turns it to mud); the mottled glazes over it change its
        # colour, more where they gather.
        n_under = max(1, int((under > 0).sum()))
        a_under = 1.0 - (1.0 - cover_to) ** (1.0 / n_under)
        a_top = 1.0 - 0.06 ** (1.0 / max(1, K - n_under))
        a_k = np.where(under > 0, a_under, a_top)
        alt = np.arange(K) % 2
        step, turn = (0.05, -0.15) if far else (0.08, -0.25)  # the far field keeps nearer
        vk = (v + layer.glow * 0.16 * under + step * shift * alt * (1 - under)  # its end
              + rng.normal(0, 0.02, K))
        hk = (hue + layer.glow * 0.3 * shift * under + turn * shift * alt * (1 - under)
              + rng.normal(0, 0.05, K))
        cols = self.table(np.clip(vk, 0, LIGHT_MAX).astype(F32)[:, None],
                          np.clip(hk, 0, 1).astype(F32)[:, None])[:, 0]
        if lit:  # the field nearest the light: its underlayer takes the accent
            acc = min(0.4, 0.22 * fr.composition.accent / 0.03)
            cols += (fr.roles.linear("accent") - cols) * (
                F32(acc) * under.astype(F32) ** 1.5)[:, None]
        angles = rng.uniform(0, 2 * np.pi, (K, 4))
        # The two alternating colours gather in opposite places: a scumble, not a blend.
        base = rng.uniform(0, 2 * np.pi, 2)
        angles[:, 2:] = base + np.pi * alt[:, None] + rng.normal(0, 0.6, (K, 2))
        insets = spread_px * (f_k - 0.25) + rng.normal(0, 0.12 * spread_px + 0.1, K)
        cos, sin = np.cos(angles).astype(F32), np.sin(angles).astype(F32)
        part = img[sl]
        for k in range(K):
            ca, sa = cos[k], sin[k]
            wob = ca[0] * e[2] + sa[0] * e[3]
            width = np.maximum(min_w, F32(soft) * (F32(0.4) + F32(0.8) * np.abs(
                ca[1] * e[0] - sa[1] * e[3])))
            d = _round_box(sx, sy, f, float(insets[k]))
            d += amp * (common + F32(0.25) * wob)
            if under[k] > 0:
                d += F32(under[k]) * rim
            cover = np.clip(F32(0.5) - d / (F32(2) * width), 0, 1)
            cover = cover * cover * (F32(3) - F32(2) * cover)
            mot = (ca[2] * m[0] + sa[2] * m[1]) + F32(0.6) * (ca[3] * m[2] + sa[3] * m[3])
            # The underlayer is laid evenly; the glazes over it are mottled.
            mot = np.clip(F32(1) + F32(tex * 1.8 * (1 - under[k])) * mot, 0, 3)
            alpha = np.minimum(F32(a_k[k]) * cover * mot, F32(1))[..., None]
            part += (cols[k] - part) * alpha

    def band(self, band: Band) -> None:
        for i in range(3):
            band.rgb[..., i] = interp_grid(self.grid[i], self.gy, self.gx, band.rows, band.cols)
