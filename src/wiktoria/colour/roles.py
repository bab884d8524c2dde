"""Colour in two axes: value from one field, hue from another; and a palette's roles.

A one-dimensional ramp indexed by one number makes a painting a false-colour map. Here a
colour is chosen by two numbers: the **value** ``v`` (light and dark: the structure) sets OKLab
lightness through the painting's key, and the **hue field** ``h`` moves the point of the ramp
the chroma and hue are taken from, so hue wanders independently of lightness (Quilez colours his
warps from their intermediate fields the same way). Values above 1 are light itself: lightness
rises past the key's top towards white while chroma fades (a sun, a rift).

:class:`TwoAxis` tabulates this once per painting (a few thousand gamut-mapped OKLab colours) and
looks pixels up in float32: linear interpolation along value, the nearest of 65 entries along
the hue field. :func:`roles` names a palette's ground,
mid, light and accent colours, built from its ramp and stops.

Examples
--------
>>> from wiktoria.colour.ramp import Palette
>>> pal = Palette.from_colors(["#160304", "#6c0910", "#c92516", "#f37513"])
>>> t = TwoAxis(pal, key=0.2, contrast=0.8, hue=0.4)
>>> rgb = t(np.array([[0.0, 0.5, 1.0]], np.float32), np.array([[0.5, 0.5, 0.5]], np.float32))
>>> rgb.shape, rgb.dtype
((1, 3, 3), dtype('float32'))
>>> lab = linear_to_oklab(rgb[0])
>>> bool(lab[0, 0] < lab[1, 0] < lab[2, 0])
True
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from wiktoria.colour.ramp import Palette
from wiktoria.colour.spaces import gamut_map, linear_to_oklab, oklab_to_linear
from wiktoria.noise import _accel

__all__ = ["LIGHT_MAX", "Roles", "TwoAxis", "key_range", "roles"]

#: Largest value the table holds: 1 is the key's brightest surface, beyond it is light itself.
LIGHT_MAX = 1.5
_NV = 384  # value entries over [0, LIGHT_MAX]
_NH = 65   # hue-field entries over [0, 1] (nearest: a step moves hue by under 1 % of the ramp)

F32 = np.float32


def key_range(key: float, contrast: float) -> tuple[float, float, float]:
    """OKLab lightness of value 0 and value 1, and the curve's exponent, for a value key.

    A low key (0) starts near black and bends the curve so most values stay dark; a high key
    (1) ends near white and lifts the mids. ``contrast`` is the span between the two ends.

    Examples
    --------
    >>> [round(x, 3) for x in key_range(0.0, 0.8)]
    [0.08, 0.88, 1.45]
    >>> [round(x, 3) for x in key_range(1.0, 0.5)]
    [0.46, 0.96, 0.65]
    """
    span = min(max(contrast, 0.0), 0.9)
    lo = 0.08 + key * max(0.0, 0.88 - span)
    return lo, min(0.97, lo + span), 1.45 - 0.8 * key


@dataclass(frozen=True)
class Roles:
    """A palette's colours by role, in OKLab: ``ground`` (the dark mass, about 60 % of a
    picture), ``mid`` (the secondary 30 %), ``light`` (what the light looks like) and
    ``accent`` (the rare, most saturated colour)."""

    ground: NDArray[np.float64]
    mid: NDArray[np.float64]
    light: NDArray[np.float64]
    accent: NDArray[np.float64]

    def linear(self, role: str) -> NDArray[np.float32]:
        """A role's colour in linear-light RGB, float32, shape (3,)."""
        return _linear(tuple(float(x) for x in getattr(self, role))).copy()


@functools.lru_cache(maxsize=256)
def _linear(lab: tuple[float, ...]) -> NDArray[np.float32]:
    """An OKLab colour, gamut-mapped, in linear-light RGB (a painting asks every band for
    its accent: the gamut search is done once)."""
    return np.clip(oklab_to_linear(gamut_map(np.array(lab))), 0, 1).astype(F32)


def roles(palette: Palette) -> Roles:
    """The roles of ``palette``: ground, mid and light from its ramp (at 0.1, 0.5 and the
    lightest end, lifted towards white and softened), accent from its most chromatic stop
    (chroma raised by a quarter, lightness at least 0.62).

    Examples
    --------
    >>> from wiktoria.colour.ramp import Palette
    >>> r = roles(Palette.from_colors(["#101820", "#3a6080", "#e0b040"]))
    >>> bool(r.light[0] > r.mid[0] > r.ground[0])
    True
    """
    lut = palette.oklab_lut.astype(np.float64)
    n = len(lut) - 1
    ground, mid = lut[round(0.1 * n)], lut[round(0.5 * n)]
    top = lut[int(np.argmax(lut[:, 0]))]
    light = np.array([0.5 * (top[0] + 1.0) if top[0] < 0.97 else top[0], 0.6 * top[1],
                      0.6 * top[2]])
    stops = np.array([s.lab for s in palette.stops], dtype=np.float64)
    vivid = stops[int(np.argmax(np.hypot(stops[:, 1], stops[:, 2])))]
    accent = np.array([max(0.62, vivid[0]), 1.25 * vivid[1], 1.25 * vivid[2]])
    return Roles(ground, mid, light, gamut_map(accent))


class TwoAxis:
    """The colour table of one painting: ``(value, hue field) -> linear RGB``.

    Parameters
    ----------
    palette : Palette
    key, contrast : float
        The value key (0 low .. 1 high) and the lightness span (see :func:`key_range`).
    hue : float
        How far, along the ramp, the hue field moves the point chroma and hue come from: at 0
        hue follows value exactly (a ramp); at 1 the field can move it by a whole ramp.
    """

    def __init__(self, palette: Palette, key: float, contrast: float, hue: float) -> None:
        lo, hi, gamma = key_range(key, contrast)
        v = np.linspace(0.0, LIGHT_MAX, _NV)
        h = np.linspace(0.0, 1.0, _NH)
        surface = np.clip(v, 0.0, 1.0) ** gamma
        L = lo + (hi - lo) * surface
        beyond = np.clip((v - 1.0) / (LIGHT_MAX - 1.0), 0.0, 1.0)
        L = L + (0.985 - hi) * (1.0 - (1.0 - beyond) ** 2)  # light itself, towards white
        lut = palette.oklab_lut.astype(np.float64)
        n = len(lut) - 1
        # The ramp point each (value, hue) takes its chroma and hue from.
        pos = np.clip(np.clip(v, 0, 1)[:, None] + hue * (h[None, :] - 0.5), 0.0, 1.0)
        ab = lut[np.rint(pos * n).astype(np.intp), 1:]
        # Chroma follows the ramp's own at that point, fading in the light and at the ends of
        # the lightness scale, where sRGB has little room.
        fade = (1.0 - 0.85 * beyond)[:, None, None]
        lab = np.concatenate([np.broadcast_to(L[:, None, None], (_NV, _NH, 1)), ab * fade],
                             axis=-1)
        self.lab = gamut_map(lab, iterations=16)
        self.table = np.clip(oklab_to_linear(self.lab), 0.0, 1.0).astype(F32)
        self._planes = [np.ascontiguousarray(self.table[..., c]).ravel() for c in range(3)]
        # The compiled look-up's table: an entry's three channels side by side (one cache
        # line for the three, not three).
        self._entries = np.ascontiguousarray(self.table.reshape(-1, 3))
        self._entries.flags.writeable = False
        self.lightness = (lo, hi)

    def __call__(self, value: NDArray[np.floating], hue: NDArray[np.floating] | None = None
                 ) -> NDArray[np.float32]:
        """Linear RGB of ``value`` (clipped to ``[0, LIGHT_MAX]``) at hue field ``hue``
        (clipped to ``[0, 1]``; None is 0.5), shape ``value.shape + (3,)``."""
        value = np.asarray(value, dtype=F32)
        out = np.empty((*value.shape, 3), F32)
        if _kernel() is not None and value.size:
            self.paint(value, hue, out)
            return out
        v = np.clip(value, 0, LIGHT_MAX) * F32((_NV - 1) / LIGHT_MAX)
        iv = np.minimum(v.astype(np.int32), _NV - 2)
        fv = v - iv
        if hue is None:
            idx = iv * _NH + (_NH - 1) // 2
        else:
            hh = np.clip(np.asarray(hue, dtype=F32), 0, 1) * F32(_NH - 1) + F32(0.5)
            idx = iv * _NH + np.broadcast_to(hh, v.shape).astype(np.int32)
        for c in range(3):  # three colour planes, two 1-D gathers each
            plane = self._planes[c]
            a = np.take(plane, idx)
            b = np.take(plane, idx + _NH)
            b -= a
            b *= fv
            a += b
            out[..., c] = a
        return out

    def paint(self, value: NDArray[np.floating], hue: NDArray[np.floating] | None,
              out: NDArray[np.float32], weight: NDArray[np.floating] | None = None, *,
              accent: NDArray[np.floating] | None = None,
              accent_weight: NDArray[np.floating] | None = None,
              at: NDArray[np.integer] | None = None) -> None:
        """Paint the colours of ``value`` at ``hue`` (as :meth:`__call__`) into ``out`` in
        place, in one pass: each colour mixed towards ``accent`` by ``accent_weight``
        (``col + (accent - col) * accent_weight``), then written, or with ``weight`` mixed
        into what ``out`` holds (``out + (col - out) * weight``), all in float32.

        ``out`` is float32 with 3 channels last. Without ``at``, ``value``, ``hue`` (or
        None), ``weight`` and ``accent_weight`` have ``out``'s shape without its channels;
        with ``at``, they are flat and ``at`` gives the flat pixel of ``out`` each one
        paints. The same bytes as the numpy operations it stands for.

        Examples
        --------
        >>> from wiktoria.colour.ramp import Palette
        >>> table = TwoAxis(Palette.from_colors(["#101820", "#3a6080", "#e0b040"]), 0.5, 0.6, 0.3)
        >>> out = np.zeros((1, 2, 3), np.float32)
        >>> table.paint(np.array([[0.2, 0.9]], np.float32), None, out,
        ...             np.array([[1.0, 0.5]], np.float32))
        >>> bool(np.allclose(out[0, 0], table(np.float32(0.2)), atol=1e-6))
        True
        """
        value = np.asarray(value, dtype=F32)
        shape = value.shape
        hue_f = None if hue is None else np.broadcast_to(np.asarray(hue, dtype=F32), shape)
        w = None if weight is None else np.broadcast_to(np.asarray(weight, dtype=F32), shape)
        aw = (None if accent is None or accent_weight is None
              else np.broadcast_to(np.asarray(accent_weight, dtype=F32), shape))
        flat = out.reshape(-1, 3) if out.flags.c_contiguous else None
        kernel = _kernel()
        if kernel is not None and flat is not None and out.dtype == F32 and value.size:
            v = _flat(value)
            idx = _NO_INDEX if at is None else _flat(np.asarray(at, dtype=np.intp))
            kernel(v, v if hue_f is None else _flat(hue_f), hue_f is not None, self._entries,
                   _NO_ACCENT if aw is None else _flat(np.asarray(accent, F32).reshape(3)),
                   v if aw is None else _flat(aw), aw is not None,
                   v if w is None else _flat(w), w is not None, idx, at is not None, flat)
            return
        col = self(value, hue_f)
        if aw is not None:
            col += (np.asarray(accent, F32) - col) * aw[..., None]
        if at is None:
            if w is None:
                out[...] = col
            else:
                out += (col - out) * w[..., None]
            return
        dest = out.reshape(-1, 3)  # a view when out is contiguous (a copy is written back)
        if w is None:
            dest[at] = col
        else:
            below = dest[at]
            dest[at] = below + (col - below) * w[:, None]
        if not np.shares_memory(dest, out):
            out[...] = dest.reshape(out.shape)


_NO_INDEX = np.zeros(0, np.intp)
_NO_INDEX.flags.writeable = False
_NO_ACCENT = np.zeros(3, F32)
_NO_ACCENT.flags.writeable = False


def _flat(a: NDArray[Any]) -> NDArray[Any]:
    """``a`` flat, C-contiguous and read-only (a view unless it must be copied): the kernel
    has one signature whatever the caller passes."""
    b = np.ascontiguousarray(a).reshape(-1).view()
    b.flags.writeable = False
    return b


def _paint(v: NDArray[np.float32], h: NDArray[np.float32], has_hue: bool,
           entries: NDArray[np.float32], accent: NDArray[np.float32],
           aw: NDArray[np.float32], has_accent: bool,
           w: NDArray[np.float32], blend: bool, at: NDArray[np.intp], indexed: bool,
           out: NDArray[np.float32]) -> None:
    """:meth:`TwoAxis.paint`'s numpy path (:meth:`TwoAxis.__call__`'s look-up, the accent,
    the mix), pixel by pixel in the same operations and precisions (float32, except the
    value's fraction, which numpy takes in float64): the same bytes; compiled with numba by
    :func:`_kernel`. ``entries`` is the table, (value, hue field) entries by 3 channels.
    ``v``, ``h`` (ignored without ``has_hue``), ``aw`` (without
    ``has_accent``), ``w`` (without ``blend``) and ``at`` (without ``indexed``) are flat;
    ``out`` is (n, 3)."""
    zero = np.float32(0.0)
    one = np.float32(1.0)
    top = np.float32(LIGHT_MAX)
    scale = np.float32((_NV - 1) / LIGHT_MAX)
    hscale = np.float32(_NH - 1)
    half = np.float32(0.5)
    mid = np.int32((_NH - 1) // 2)
    for k in range(v.shape[0]):
        if blend and w[k] == zero:
            continue  # out + (col - out) * 0 is out
        x = min(max(v[k], zero), top) * scale
        iv = min(np.int32(x), np.int32(_NV - 2))
        fv = np.float64(x) - np.float64(iv)
        if has_hue:
            idx = iv * np.int32(_NH) + np.int32(min(max(h[k], zero), one) * hscale + half)
        else:
            idx = iv * np.int32(_NH) + mid
        i = at[k] if indexed else k
        for c in range(3):
            a = entries[idx, c]
            b = entries[idx + _NH, c] - a
            b = np.float32(np.float64(b) * fv)
            col = a + b
            if has_accent:
                col = col + (accent[c] - col) * aw[k]
            if blend:
                o = out[i, c]
                out[i, c] = o + (col - o) * w[k]
            else:
                out[i, c] = col


def _kernel() -> Any:
    """:func:`_paint` compiled with numba (releasing the GIL), or None under the numpy
    backend (``WIKTORIA_BACKEND``) or without numba."""
    return _accel.compiled(_paint)


def lightness(rgb: NDArray[np.floating]) -> NDArray[np.floating]:
    """OKLab lightness of linear RGB (a helper for tests and metrics)."""
    return np.asarray(linear_to_oklab(rgb))[..., 0]
