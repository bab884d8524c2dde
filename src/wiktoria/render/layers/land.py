"""Land: the composition's forms, far to near, shaded and rimmed by the light, in depth fog.

Each form (:mod:`wiktoria.render.forms`) is painted with a value built from light, not from
its row: a base tone that deepens with nearness, a relief texture whose slopes facing the light
brighten and whose others fall into shadow, a soft rim along the outline where it faces the
light (strongest near the light), mist in its hollows, and depth fog that takes the value and
hue of the air along the horizon (so the haze glows towards the light). Hue comes from a
separate texture field. The accent colour touches only the rims nearest the light.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from wiktoria import noise
from wiktoria.common.cache import LoopCache
from wiktoria.noise import _accel
from wiktoria.render.forms import Form, Lines, forms_for, swayed
from wiktoria.render.layer import (
    F32,
    Band,
    LayerRenderer,
    gradient,
    kernel_array,
    smoothstep,
)
from wiktoria.render.light import light_of
from wiktoria.scene.layers import LandLayer

__all__ = ["LandRenderer"]

#: The still's forms of a painting (a loop's frames sway them; the still is the same).
_FORMS = LoopCache("land-forms", groups=4, max_bytes=16 * 2**20)
#: What a loop's frames share per band: the light's geometry, and each form's relief terms
#: (its slopes, base value and hue), which hold still in a loop. ~4 arrays of the band's size
#: per form the band meets: ~35 MB at 512x512, ~150 MB at 1920x1080 (beyond that the first
#: bands are kept).
_STATIC = LoopCache("land-static", groups=2, max_bytes=192 * 2**20)


class LandRenderer(LayerRenderer):
    """Lays out the forms (publishing ``forms`` and ``horizon``), then paints them band by
    band (publishing the band's ``cover``, and its ``value`` where the land covers it)."""
    concurrent_bands = True  # band() reads what prepare() left, writes its band

    layer: LandLayer

    def layout(self) -> None:
        fr, layer = self.frame, self.layer
        # The land holds still: the still's forms, swaying slowly in a loop (it is not
        # re-formed by time, which would make hills into peaks within a second).
        key = (fr.seed, fr.width, fr.height, fr.composition, fr.mood.motion.turbulence,
               layer.roughness, layer.frequency, layer.octaves)
        still = _FORMS.get(key, "still", lambda: _read_only(forms_for(
            fr, layer.roughness, layer.frequency, layer.octaves, 0.0, None)))
        self.forms: list[Form] = list(swayed(still, fr.clock(layer.speed), fr.height,
                                             seed=self.seed("land-sway",
                                                            fr.composition.variant)))
        fr.shared["forms"] = self.forms
        fr.shared["horizon"] = fr.composition.horizon
        rng = self.rng("land-angles", fr.composition.variant)
        self.angles = rng.uniform(0, 2 * np.pi, len(self.forms))

    def _textures(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Two decorrelated relief fields over ``rows`` plus one row above and below."""
        fr, layer = self.frame, self.layer
        ext = np.concatenate([[rows[0] - 1], rows, [rows[-1] + 1]])
        x, y = fr.xy(ext, np.arange(fr.width), 5.0)
        octaves = max(2, min(6, layer.octaves - 1))
        variant = fr.composition.variant
        # The relief is the land's own: it holds still in a loop.
        a = noise.fbm(x, y * 1.6, 0.0, octaves=octaves, seed=self.seed("land-relief", variant))
        b = noise.fbm(x * 0.7, y * 1.2, 0.0, octaves=max(2, octaves - 1),
                      seed=self.seed("land-relief2", variant))
        return a.astype(F32), b.astype(F32)

    def _group(self) -> tuple:
        """Everything the static terms of a band depend on, but its rows (and the forms it
        meets): the parameters :meth:`_static` reads and those the forms are made of, not
        the shading's (rim, shade, fog), which a live change may move without them."""
        fr, layer = self.frame, self.layer
        return (fr.seed, fr.width, fr.height, self.occurrence, fr.composition, layer.relief,
                layer.tone, layer.octaves, layer.roughness, layer.frequency, len(self.forms))

    def _static(self, rows: np.ndarray) -> tuple:
        """The terms of a band that hold still in a loop: the light's geometry (direction,
        falloffs, azimuth) and, per form (None for those the band does not meet),
        its relief's scaled slopes across and down, its base value and its hue."""
        fr, layer = self.frame, self.layer
        W, H = fr.width, fr.height
        last, first = float(rows[-1]) + 1.0, float(rows[0])
        light = light_of(fr)
        ldx, ldy = light.direction(rows, W)
        dist = light.distance(rows, W)
        broad = light.falloff(dist, 4.0)
        near_light = light.falloff(dist, 1.5)
        cols = np.arange(W, dtype=F32).reshape(1, -1)
        azimuth = np.exp(-(((cols - F32(light.x)) / F32(0.35 * W)) ** 2))
        ta, tb = self._textures(rows)
        scale = F32(H / 5.0 * 0.02 * (0.5 + layer.relief))
        terms: list[tuple[np.ndarray, ...] | None] = []
        for form, angle in zip(self.forms, self.angles, strict=True):
            if form.top() >= last or form.bottom() <= first:
                terms.append(None)
                continue
            depth = F32(form.depth)
            ca, sa = F32(np.cos(angle)), F32(np.sin(angle))
            tex = ca * ta + sa * tb
            tdy = (tex[2:] - tex[:-2]) * F32(0.5)
            tex = tex[1:-1]
            tdx = gradient(tex, axis=1)
            tone = F32(layer.tone) + F32(0.25) * (F32(1) - depth)
            v0 = tone * (F32(1) + F32(layer.relief) * F32(0.9) * tex)
            hue0 = F32(0.5) + F32(0.32) * (ca * tb[1:-1] - sa * ta[1:-1]) * F32(2.0) + F32(
                0.18) * (depth - F32(0.5))
            terms.append((tdx * scale * F32(12.0), tdy * scale * F32(12.0), v0, hue0))
        return ldx, ldy, broad, near_light, azimuth, terms

    def band(self, band: Band) -> None:
        fr, layer = self.frame, self.layer
        c = fr.composition
        W, H = fr.width, fr.height
        rows, buf = band.rows, band.rgb
        last, first = float(rows[-1]) + 1.0, float(rows[0])
        todo = [f for f in self.forms if f.top() < last and f.bottom() > first]
        if not todo:
            return
        # The static terms of the forms this band meets (a swaying outline may leave or enter
        # a band: the forms met are part of the key).
        ldx, ldy, broad, near_light, azimuth, terms = _STATIC.get(
            self._group(), (int(rows[0]), len(rows), tuple(
                f.top() < last and f.bottom() > first for f in self.forms)),
            lambda: self._static(rows), keep=fr.scene.loop is not None)
        haze = fr.shared.get("haze")
        if haze is None:
            haze_v = np.full((1, W), 0.6 + 0.3 * c.key, F32)
            haze_h = np.full((1, W), 0.5, F32)
        else:
            haze_v, haze_h = haze[0].reshape(1, -1), haze[1].reshape(1, -1)
        # The fog glows towards the light, and across the land below it (aerial perspective).
        # Fog is lit air, never light itself: it stays below the value of a lit surface.
        haze_v = np.minimum(haze_v + F32(0.35) * broad + F32(0.2) * azimuth, F32(0.97))
        value = band.shared.get("value")
        hue_out = band.shared.get("hue")
        covered = np.zeros((len(rows), W), F32)
        # The forms are composited in value and hue, far to near, and coloured once.
        land_v = np.zeros((len(rows), W), F32)
        land_h = np.full((len(rows), W), 0.5, F32)
        land_a = np.zeros((len(rows), W), F32)  # accent weight
        rim_w = F32(0.007 * H + 1.0)
        dome = F32(0.06 * H + 2.0)
        accent_gain = F32(c.accent / 0.03)
        kernel = _kernel()
        if kernel is not None:
            shape = land_v.shape
            hv, hh = kernel_array(haze_v, shape), kernel_array(haze_h, shape)
            shared = tuple(kernel_array(a, shape) for a in (ldx, ldy, broad, azimuth, near_light))
            ldx_b, ldy_b = shared[:2]
            # One set of working arrays for every form of the band (each is used up before
            # the next form's geometry overwrites it).
            work = [np.empty(shape, F32) for _ in range(7)]
            views = [kernel_array(a, shape) for a in work]  # read-only views, no copies
            pos_rows = rows.astype(F32) + F32(0.5)
            pos_cols = np.arange(W, dtype=F32) + F32(0.5)
        for form, term in zip(self.forms, terms, strict=True):
            if form.top() >= last or form.bottom() <= first:
                continue
            depth = F32(form.depth)
            assert term is not None
            tx, ty, v0, hue0 = term
            far = F32(1) - depth
            if kernel is not None:
                # exp and tanh from numpy (vectorised, and the numpy path's very bits), the
                # rest fused, pixel by pixel.
                geometry, slopes, composite = kernel
                d, inside, gx, gy, shoulder, glow, z = work
                if form.kind == "ring":
                    d[...], inside[...], gx[...], gy[...] = form.distance(rows, W)
                    np.negative(inside, out=shoulder)
                    shoulder /= dome
                    np.maximum(form.rim_distance(rows, W), 0, out=glow)
                    np.negative(glow, out=glow)
                    glow /= rim_w
                    part = slice(0, len(rows))
                else:  # a range or a wall: its distance, depth and rim in one pass
                    ln = form.lines()
                    # A range covers none of the rows beyond its outline: they are skipped
                    # (a form adds nothing where its cover is 0).
                    part = _reach(ln, pos_rows) if ln.across else slice(0, len(rows))
                    if part.start >= part.stop:
                        continue
                    at = rows if ln.across else np.clip(rows, 0, len(form.outline) - 1)
                    d, inside, gx, gy, shoulder, glow, z = (a[part] for a in work)
                    geometry(ln.across, ln.sign, pos_rows[part], pos_cols, at[part],
                             ln.outline, ln.n, ln.so, ln.ns, ln.gx, ln.gy, ln.rim, dome, rim_w,
                             d, inside, gx, gy, shoulder, glow)
                np.exp(shoulder, out=shoulder)  # exp(-inside / dome)
                np.exp(glow, out=glow)  # exp(-max(rim distance, 0) / rim_w)
                vd, vin, vgx, vgy, vsh, vglow, vz = (a[part] for a in views)
                ldx_p, ldy_p = ldx_b[part], ldy_b[part]
                slopes(vsh, vgx, vgy, kernel_array(tx, shape)[part],
                       kernel_array(ty, shape)[part], ldx_p, ldy_p, z)
                np.tanh(z, out=z)
                form_in = (vd, vin, vgx, vgy, vz, vglow, kernel_array(v0, shape)[part],
                           kernel_array(hue0, shape)[part])
                composite(*form_in, *(a[part] for a in shared), hv[part], hh[part],
                          F32(layer.shade) * F32(0.7),
                          F32(0.4) + F32(0.6) * depth, F32(layer.rim) * F32(0.55),
                          F32(layer.fog) * F32(0.45) * far, F32(0.12 * H),
                          F32(layer.fog) * far**F32(1.3), accent_gain,
                          land_v[part], land_h[part], land_a[part], covered[part])
                continue
            d, inside, gx, gy = form.distance(rows, W)
            cover = np.clip(d + F32(0.5), 0, 1)
            if not cover.any():
                continue
            # Slopes: a rounded shoulder under the outline, plus the relief texture.
            shoulder = F32(1.2) * np.exp(-inside / dome)
            sx = shoulder * gx + tx
            sy = shoulder * gy + ty
            facing_slope = -(sx * ldx + sy * ldy)
            lit = F32(0.5) + F32(0.5) * np.tanh(F32(1.6) * facing_slope)
            v = v0 * (F32(1) - F32(layer.shade) * F32(0.7) * (F32(1) - lit))
            v = v + F32(0.45) * lit * broad * (F32(0.4) + F32(0.6) * depth)
            # A pool of light on the land below the light, shadow away from it.
            v = v * (F32(0.7) + F32(0.6) * azimuth * lit)
            # The rim: the outline's edge where it faces the light, strongest near it.
            facing = np.clip(-(gx * ldx + gy * ldy), 0, 1)
            rim_d = np.maximum(form.rim_distance(rows, W), 0)
            rim = np.exp(-rim_d / rim_w) * facing * (F32(0.25) + F32(0.75) * broad)
            v = v + F32(layer.rim) * F32(0.55) * rim
            # Mist in the hollows of far forms, and depth fog towards the air's value.
            mist = F32(layer.fog) * F32(0.45) * far * smoothstep(inside, 0.0, 0.12 * H)
            fog = np.clip(F32(layer.fog) * far**F32(1.3) + mist, 0, 1)
            v = v + (haze_v - v) * fog
            hue = hue0 + (haze_h - hue0) * fog
            # Over land already painted a form mixes by its cover; where it is the first, its
            # value is taken whole (the blend with what lies behind happens once, below).
            w = np.where(covered > 0, cover, (cover > 0).astype(F32))
            land_v += (v - land_v) * w
            land_h += (hue - land_h) * w
            if accent_gain > 0:
                a = np.clip((rim * near_light - F32(0.2)) * F32(1.5), 0, 1) * accent_gain
                land_a += (np.minimum(a * F32(0.6), F32(0.7)) - land_a) * w
            np.maximum(covered, cover, out=covered)
        if not covered.any():
            return
        # The colour (towards the accent by its weight) over what is below, by the cover.
        accented = accent_gain > 0 and bool(land_a.any())
        fr.paint(land_v, land_h, buf, covered,
                 accent=fr.roles.linear("accent") if accented else None,
                 accent_weight=land_a if accented else None)
        if value is not None:
            value += (land_v - value) * covered
        if hue_out is not None:
            hue_out += (land_h - hue_out) * covered
        band.shared["cover"] = covered


def _read_only(forms: list[Form]) -> list[Form]:
    """``forms`` with their outlines made read-only (they are shared through the cache)."""
    for form in forms:
        form.outline.flags.writeable = False
    return forms


def _reach(ln: Lines, pos_rows: np.ndarray) -> slice:
    """The rows of a band (pixel centres ``pos_rows``, ascending) a range may cover: its
    cover ``clip(sign * (p - outline) / n + 0.5, 0, 1)`` is 0 on every other row (a pixel's
    margin left for rounding)."""
    reach = 0.5 * ln.n.astype(np.float64)
    outline = ln.outline.astype(np.float64)
    if ln.sign > 0:  # the land lies below the outline
        first = float((outline - reach).min()) - 1.0
        return slice(int(np.searchsorted(pos_rows, first, side="right")), len(pos_rows))
    last = float((outline + reach).max()) + 1.0
    return slice(0, int(np.searchsorted(pos_rows, last, side="left")))


def _slopes(shoulder: np.ndarray, gx: np.ndarray, gy: np.ndarray, tx: np.ndarray,
            ty: np.ndarray, ldx: np.ndarray, ldy: np.ndarray, out: np.ndarray) -> None:
    """``out = 1.6 * facing_slope`` of one form (the argument of the light's tanh), from
    ``shoulder = exp(-inside / dome)``: the numpy path's float32 operations, in its order."""
    n, m = out.shape
    for i in range(n):
        for j in range(m):
            sh = np.float32(1.2) * shoulder[i, j]
            sx = sh * gx[i, j] + tx[i, j]
            sy = sh * gy[i, j] + ty[i, j]
            out[i, j] = np.float32(1.6) * -(sx * ldx[i, j] + sy * ldy[i, j])


def _composite(d: np.ndarray, inside: np.ndarray, gx: np.ndarray, gy: np.ndarray,
               tanh: np.ndarray, glow: np.ndarray, v0: np.ndarray, hue0: np.ndarray,
               ldx: np.ndarray, ldy: np.ndarray, broad: np.ndarray, azimuth: np.ndarray,
               near_light: np.ndarray, haze_v: np.ndarray, haze_h: np.ndarray,
               shade: np.float32, lit_gain: np.float32, rim: np.float32, mist: np.float32,
               mist_span: np.float32, fog0: np.float32, accent_gain: np.float32,
               land_v: np.ndarray, land_h: np.ndarray, land_a: np.ndarray,
               covered: np.ndarray) -> None:
    """One form composited into ``land_v``, ``land_h``, ``land_a`` and ``covered`` in place:
    :meth:`LandRenderer.band`'s numpy loop body, pixel by pixel, in the same float32
    operations and order, so the same bits (compiled with numba by :func:`_kernel`). ``tanh``
    is the light's ``tanh(1.6 * facing_slope)`` and ``glow`` the rim's ``exp(-rim_d /
    rim_w)``, both from numpy; ``shade``, ``rim``, ``mist`` and ``fog0`` are the layer's
    factors multiplied out as the numpy path does; ``mist_span`` is the hollows' depth
    (``0.12 H``)."""
    zero = np.float32(0.0)
    one = np.float32(1.0)
    half = np.float32(0.5)
    n, m = land_v.shape
    for i in range(n):
        for j in range(m):
            cover = min(max(d[i, j] + half, zero), one)
            if cover == zero:
                continue  # the mixes below are by 0 and covered stays: nothing changes
            lit = half + half * tanh[i, j]
            v = v0[i, j] * (one - shade * (one - lit))
            v = v + np.float32(0.45) * lit * broad[i, j] * lit_gain
            v = v * (np.float32(0.7) + np.float32(0.6) * azimuth[i, j] * lit)
            facing = min(max(-(gx[i, j] * ldx[i, j] + gy[i, j] * ldy[i, j]), zero), one)
            r = glow[i, j] * facing * (np.float32(0.25) + np.float32(0.75) * broad[i, j])
            v = v + rim * r
            t = min(max((inside[i, j] - zero) / mist_span, zero), one)
            fog = min(max(fog0 + mist * (t * t * (np.float32(3) - np.float32(2) * t)), zero),
                      one)
            v = v + (haze_v[i, j] - v) * fog
            hue = hue0[i, j] + (haze_h[i, j] - hue0[i, j]) * fog
            c = covered[i, j]
            w = cover if c > zero else (one if cover > zero else zero)
            land_v[i, j] += (v - land_v[i, j]) * w
            land_h[i, j] += (hue - land_h[i, j]) * w
            if accent_gain > zero:
                a = min(max((r * near_light[i, j] - np.float32(0.2)) * np.float32(1.5),
                            zero), one) * accent_gain
                land_a[i, j] += (min(a * np.float32(0.6), np.float32(0.7)) - land_a[i, j]) * w
            covered[i, j] = max(c, cover)


def _geometry(across: bool, sign: np.float32, pos_rows: np.ndarray, pos_cols: np.ndarray,
              at: np.ndarray, outline: np.ndarray, n: np.ndarray, so: np.ndarray,
              ns: np.ndarray, gx1: np.ndarray, gy1: np.ndarray, rim1: np.ndarray,
              dome: np.float32, rim_w: np.float32, d: np.ndarray, inside: np.ndarray,
              gx: np.ndarray, gy: np.ndarray, shoulder: np.ndarray, glow: np.ndarray) -> None:
    """A range's or a wall's :meth:`~wiktoria.render.forms.Form.distance` (``d``,
    ``inside``, ``gx``, ``gy``), and the arguments of the land's two ``exp``:
    ``shoulder = -inside / dome`` and ``glow = -max(rim_distance, 0) / rim_w``, pixel by
    pixel in the float32 operations and order of the numpy path, from the outline's terms per
    sample (:class:`~wiktoria.render.forms.Lines`). A range's samples are the columns; a
    wall's are the rows, at the (clipped) indices ``at``."""
    zero = np.float32(0.0)
    rows, cols = d.shape
    for i in range(rows):
        if across:  # the terms vary along the row
            p = pos_rows[i]
            for j in range(cols):
                t = p - outline[j]
                d[i, j] = sign * t / n[j]
                v = sign * (p - so[j]) / ns[j]
                v = v if v >= zero else zero  # np.maximum(v, 0): -0.0 stays -0.0
                inside[i, j] = v
                gx[i, j] = gx1[j]
                gy[i, j] = gy1[j]
                shoulder[i, j] = -v / dome
                r = sign * t / rim1[j]
                r = r if r >= zero else zero
                glow[i, j] = -r / rim_w
        else:  # the terms are the row's
            k = at[i]
            o, nk, sok, nsk, rk = outline[k], n[k], so[k], ns[k], rim1[k]
            gxk, gyk = gx1[k], gy1[k]
            for j in range(cols):
                p = pos_cols[j]
                t = p - o
                d[i, j] = sign * t / nk
                v = sign * (p - sok) / nsk
                v = v if v >= zero else zero
                inside[i, j] = v
                gx[i, j] = gxk
                gy[i, j] = gyk
                shoulder[i, j] = -v / dome
                r = sign * t / rk
                r = r if r >= zero else zero
                glow[i, j] = -r / rim_w


def _kernel() -> Any:
    """:func:`_geometry`, :func:`_slopes` and :func:`_composite` compiled with numba, or None
    under the numpy backend (``WIKTORIA_BACKEND``) or without numba: the numpy loop then
    paints."""
    slopes = _accel.compiled(_slopes)
    if slopes is None:
        return None
    return _accel.compiled(_geometry), slopes, _accel.compiled(_composite)
