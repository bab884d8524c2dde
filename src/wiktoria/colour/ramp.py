"""Colour ramps: stops interpolated in OKLab, baked into a lookup table, and checked by numbers.

A :class:`Palette` is an immutable description of a colour ramp (its :class:`Stop` list, the
interpolation space and the ramp's shape) plus three lookup tables built from it once:

* ``lut``: uint8 sRGB, shape ``(LUT_SIZE, 3)``; ``palette(values)`` gathers from it;
* ``linear_lut``: float32 linear-light RGB, shape ``(LUT_SIZE, 3)``, for compositing in linear
  light;
* ``oklab_lut``: float32 OKLab, shape ``(LUT_SIZE, 3)``, after gamut mapping.

Building the table: the ramp is sampled at ``LUT_SIZE`` evenly spaced positions, interpolated in
OKLab (or in OKLCh along an explicit hue path), and **every entry is gamut-mapped by chroma
reduction** (:func:`wiktoria.colour.gamut_map`). Stop positions that are not given are placed
at even perceptual spacing: proportional to the cumulative ΔE_OK along the ramp.

:func:`check` measures a palette against the ramp checks of the colour research note (§2.7):
gamut, even speed, flat spots, lightness shape, kinks, contrast and colour-vision deficiency. It
lives in :mod:`wiktoria.colour.ramp_checks` with the test images and is re-exported here.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

import numpy as np
from numpy.typing import ArrayLike, NDArray

from wiktoria.colour.ramp_checks import (
    CheckResult,
    PaletteReport,
    PaletteWarning,
    check,
    ramp_image,
    sine_ramp,
    warn_if_failing,
)
from wiktoria.colour.spaces import (
    delta_e,
    gamut_map,
    hex_to_srgb,
    linear_to_srgb,
    oklab_to_linear,
    oklab_to_oklch,
    oklch_to_oklab,
    srgb_to_hex,
    srgb_to_oklab,
    srgb_to_uint8,
)
from wiktoria.common import validate

__all__ = [
    "LUT_SIZE",
    "CheckResult",
    "Palette",
    "PaletteReport",
    "PaletteWarning",
    "Stop",
    "check",
    "mix",
    "ramp_image",
    "sine_ramp",
    "warn_if_failing",
]

LUT_SIZE: int = 1024
"""Entries in every palette's lookup tables (``1024``: steps far below a just-noticeable
difference, and a 3 KiB uint8 table that stays in cache during the per-pixel gather)."""

Space = Literal["oklab", "oklch"]
HuePath = Literal["shorter", "longer", "increasing", "decreasing"]
Shape = Literal["sequential", "diverging", "cyclic"]

SPACES: tuple[str, ...] = get_args(Space)
HUE_PATHS: tuple[str, ...] = get_args(HuePath)
SHAPES: tuple[str, ...] = get_args(Shape)

_ACHROMATIC = 1e-6  # chroma below which a stop's hue is "powerless" (CSS Color 4)



def _triple(value: Any, what: str, names: tuple[str, str, str],
            ranges: tuple[tuple[float | None, float | None], ...]) -> tuple[float, float, float]:
    """Three numbers ``value``, each checked against its range (``what`` and ``names`` name
    them in messages: ``oklch chroma must be a number from 0 to 0.5, got 0.9``)."""
    try:
        items = tuple(value)
    except TypeError:
        raise TypeError(f"{what} must be 3 numbers, got {validate.show(value)}") from None
    if len(items) != 3 or not all(validate.is_number(v) for v in items):
        raise TypeError(f"{what} must be 3 numbers, got {validate.show(value)}")
    return tuple(  # type: ignore[return-value]
        validate.number(v, f"{what} {name}", lo, hi)
        for v, name, (lo, hi) in zip(items, names, ranges, strict=True)
    )


@dataclass(frozen=True)
class Stop:
    """One colour stop of a ramp, given as exactly one of ``color``, ``oklch`` or ``oklab``.

    Attributes
    ----------
    color : str or None
        sRGB hex, ``#RRGGBB`` or ``#RGB``.
    oklch : tuple of 3 floats or None
        ``(L, C, h)``: lightness in ``[0, 1]``, chroma ``>= 0`` (about ``<= 0.37`` in sRGB),
        hue in degrees. May lie outside sRGB; the ramp is gamut-mapped.
    oklab : tuple of 3 floats or None
        ``(L, a, b)``.
    pos : float or None
        Position in ``[0, 1]``; ``None`` lets the palette place the stop by perceptual spacing.
    name : str
        Optional label (exported into ``.gpl`` colour names).
    """

    color: str | None = None
    oklch: tuple[float, float, float] | None = None
    oklab: tuple[float, float, float] | None = None
    pos: float | None = None
    name: str = ""

    def __post_init__(self) -> None:
        given = [k for k in ("color", "oklch", "oklab") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(
                "a stop needs exactly one of 'color', 'oklch' or 'oklab'"
                + (f", got {' and '.join(given)}" if given else "")
            )
        if self.color is not None:
            hex_to_srgb(self.color)  # validates
            object.__setattr__(self, "color", self.color.strip().lower())
        if self.oklch is not None:
            lch = _triple(self.oklch, "oklch", ("lightness", "chroma", "hue"),
                          ((0.0, 1.0), (0.0, 0.5), (None, None)))
            object.__setattr__(self, "oklch", lch)
        if self.oklab is not None:
            lab = _triple(self.oklab, "oklab", ("lightness", "a", "b"),
                          ((0.0, 1.0), (-0.5, 0.5), (-0.5, 0.5)))
            object.__setattr__(self, "oklab", lab)
        if self.pos is not None:
            object.__setattr__(self, "pos", validate.number(self.pos, "pos", 0.0, 1.0))
        if not isinstance(self.name, str):
            raise TypeError(f"a stop name must be a string, got {validate.show(self.name)}")

    @property
    def lab(self) -> NDArray[np.float64]:
        """The stop's OKLab colour as authored (before gamut mapping), shape ``(3,)``."""
        if self.color is not None:
            return srgb_to_oklab(hex_to_srgb(self.color))
        if self.oklch is not None:
            return oklch_to_oklab(np.array(self.oklch))
        return np.array(self.oklab, dtype=np.float64)


@dataclass(frozen=True)
class Palette:
    """An immutable colour ramp with lookup tables; call it to colour an array.

    Parameters
    ----------
    stops : sequence of Stop
        At least 2 and at most 1024 stops, in ramp order. Given positions must increase
        strictly; the first and last stops default to positions 0 and 1, and missing positions
        in between are spread by cumulative ΔE_OK between their neighbours that have one.
    space : {"oklab", "oklch"}
        Interpolation space between stops.
    hue : {"shorter", "longer", "increasing", "decreasing"}
        Hue path for ``space="oklch"`` (as CSS Color 4 hue interpolation); ignored for OKLab.
    shape : {"sequential", "diverging", "cyclic"}
        What the ramp is meant to be; selects the lightness-shape checks of :func:`check`.

    Attributes
    ----------
    lut : ndarray, shape (LUT_SIZE, 3), uint8
        sRGB codes; read-only.
    linear_lut : ndarray, shape (LUT_SIZE, 3), float32
        Linear-light RGB in ``[0, 1]``; read-only.
    oklab_lut : ndarray, shape (LUT_SIZE, 3), float32
        Gamut-mapped OKLab; read-only.
    positions : tuple of float
        Resolved stop positions in ``[0, 1]``.

    Notes
    -----
    Values are clipped to ``[0, 1]`` before lookup; ``NaN`` and ``-inf`` map to position 0,
    ``+inf`` to 1. Value ``v`` uses table entry ``round(v * (LUT_SIZE - 1))``.

    Palettes compare and hash by their stops, space, hue path and shape, and pickle as that
    description (the tables are rebuilt, deterministically, on unpickling).

    Examples
    --------
    >>> ramp = Palette.from_colors(["#160304", "#c92516", "#f37513"])
    >>> ramp(np.zeros((1080, 1920), np.float32)).shape
    (1080, 1920, 3)
    >>> ramp([0.0, 1.0]).tolist()
    [[22, 3, 4], [243, 117, 19]]
    >>> ramp.linear(0.5).dtype
    dtype('float32')
    """

    stops: tuple[Stop, ...]
    space: Space = "oklab"
    hue: HuePath = "shorter"
    shape: Shape = "sequential"
    positions: tuple[float, ...] = field(init=False, repr=False, compare=False)
    lut: NDArray[np.uint8] = field(init=False, repr=False, compare=False)
    linear_lut: NDArray[np.float32] = field(init=False, repr=False, compare=False)
    oklab_lut: NDArray[np.float32] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        stops = tuple(self.stops)
        if not all(isinstance(s, Stop) for s in stops):
            raise TypeError("stops must be Stop objects")
        if not 2 <= len(stops) <= 1024:
            raise ValueError(f"a palette needs 2 to 1024 stops, got {len(stops)}")
        validate.choice(self.space, "space", SPACES)
        validate.choice(self.hue, "hue", HUE_PATHS)
        validate.choice(self.shape, "shape", SHAPES)
        object.__setattr__(self, "stops", stops)
        lab = np.array([s.lab for s in stops])
        object.__setattr__(self, "_stop_lab", lab)
        object.__setattr__(self, "_lch", self._stop_lch(lab))
        positions = self._resolve_positions()
        object.__setattr__(self, "positions", tuple(float(p) for p in positions))
        object.__setattr__(self, "_pos", positions)
        self._build_tables()

    # -- construction helpers -------------------------------------------------------------

    @classmethod
    def from_colors(
        cls,
        colors: Sequence[str],
        *,
        positions: Sequence[float | None] | None = None,
        names: Sequence[str] | None = None,
        space: Space = "oklab",
        hue: HuePath = "shorter",
        shape: Shape = "sequential",
    ) -> Palette:
        """Make a palette from hex colours (and optional positions and names).

        Examples
        --------
        >>> Palette.from_colors(["#000", "#fff"]).positions
        (0.0, 1.0)
        """
        n = len(colors)
        pos = list(positions) if positions is not None else [None] * n
        labels = list(names) if names is not None else [""] * n
        if len(pos) != n or len(labels) != n:
            raise ValueError("colors, positions and names must have the same length")
        stops = tuple(
            Stop(color=c, pos=p, name=nm) for c, p, nm in zip(colors, pos, labels, strict=True)
        )
        return cls(stops, space=space, hue=hue, shape=shape)

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.__class__, (self.stops, self.space, self.hue, self.shape))

    def _stop_lch(self, lab: NDArray[np.float64]) -> NDArray[np.float64]:
        lch = oklab_to_oklch(lab)
        chromatic = lch[:, 1] > _ACHROMATIC
        if np.any(chromatic) and not np.all(chromatic):
            # a powerless hue takes its nearest chromatic neighbour's (CSS Color 4 "missing" hue)
            idx = np.arange(len(lch))
            good = idx[chromatic]
            nearest = good[np.argmin(np.abs(idx[:, None] - good[None, :]), axis=1)]
            lch[~chromatic, 2] = lch[nearest[~chromatic], 2]
        # unwrap hues along the chosen path, so segment k runs from h[k] to h[k+1] linearly
        h = lch[:, 2].copy()
        for k in range(1, len(h)):
            d = (h[k] - h[k - 1]) % 360.0
            if self.hue == "shorter":
                d = d - 360.0 if d > 180.0 else d
            elif self.hue == "longer":
                d = d - 360.0 if 0.0 < d < 180.0 else d
                d = 360.0 if d == 0.0 else d
            elif self.hue == "decreasing":
                d = d - 360.0 if d > 0.0 else d
            h[k] = h[k - 1] + d
        lch[:, 2] = h
        return lch

    def _segment(self, k: NDArray[np.intp], f: NDArray[np.float64]) -> NDArray[np.float64]:
        """OKLab at fraction ``f`` of segment ``k`` (stop k to stop k+1), before gamut mapping."""
        f = f[..., None]
        if self.space == "oklab":
            lab: NDArray[np.float64] = self._stop_lab  # type: ignore[attr-defined]
            return lab[k] + f * (lab[k + 1] - lab[k])
        lch: NDArray[np.float64] = self._lch  # type: ignore[attr-defined]
        return oklch_to_oklab(lch[k] + f * (lch[k + 1] - lch[k]))

    def _segment_lengths(self) -> NDArray[np.float64]:
        """Arc length in ΔE_OK of each segment along the interpolation path."""
        n = len(self.stops) - 1
        samples = 2 if self.space == "oklab" else 65
        f = np.linspace(0.0, 1.0, samples)
        k = np.repeat(np.arange(n), samples)
        pts = self._segment(k, np.tile(f, n)).reshape(n, samples, 3)
        return np.sum(delta_e(pts[:, 1:], pts[:, :-1]), axis=1)

    def _resolve_positions(self) -> NDArray[np.float64]:
        given: list[float | None] = [s.pos for s in self.stops]
        if given[0] is None:
            given[0] = 0.0
        if given[-1] is None:
            given[-1] = 1.0
        anchors = [i for i, p in enumerate(given) if p is not None]
        values = [given[i] for i in anchors]
        if any(b <= a for a, b in itertools.pairwise(values)):  # type: ignore[operator]
            raise ValueError(f"stop positions must increase strictly, got {given}")
        lengths = self._segment_lengths()
        pos = np.zeros(len(given))
        for a, b in itertools.pairwise(anchors):
            pa, pb = float(given[a]), float(given[b])  # type: ignore[arg-type]
            seg = lengths[a:b]
            total = float(seg.sum())
            frac = np.cumsum(seg) / total if total > 1e-12 else np.arange(1, b - a + 1) / (b - a)
            pos[a] = pa
            pos[a + 1 : b + 1] = pa + (pb - pa) * frac
            pos[b] = pb
        if anchors[0] != 0 or anchors[-1] != len(given) - 1:  # pragma: no cover - defaults set
            raise AssertionError("first and last stops always have positions")
        return pos

    def _build_tables(self) -> None:
        t = np.linspace(0.0, 1.0, LUT_SIZE)
        raw = self.curve(t)
        mapped = gamut_map(raw)
        linear = np.clip(oklab_to_linear(mapped), 0.0, 1.0)
        srgb = linear_to_srgb(linear)
        tables = {
            "_raw": raw,
            "_mapped": mapped,
            "lut": srgb_to_uint8(srgb),
            "linear_lut": linear.astype(np.float32),
            "oklab_lut": mapped.astype(np.float32),
        }
        for name, arr in tables.items():
            arr.flags.writeable = False
            object.__setattr__(self, name, arr)

    # -- evaluation -----------------------------------------------------------------------

    def curve(self, t: ArrayLike) -> NDArray[np.float64]:
        """OKLab along the ramp at positions ``t`` (any shape, clipped to [0, 1]), before
        gamut mapping; returns shape ``t.shape + (3,)``, float64.

        Examples
        --------
        >>> Palette.from_colors(["#000000", "#ffffff"]).curve([0.0, 0.5]).round(3).tolist()
        [[0.0, 0.0, 0.0], [0.5, 0.0, 0.0]]
        """
        tt = np.clip(np.nan_to_num(np.asarray(t, dtype=np.float64), nan=0.0), 0.0, 1.0)
        pos: NDArray[np.float64] = self._pos  # type: ignore[attr-defined]
        k = np.clip(np.searchsorted(pos, tt, side="right") - 1, 0, len(pos) - 2)
        f = np.clip((tt - pos[k]) / (pos[k + 1] - pos[k]), 0.0, 1.0)
        return self._segment(k, f)

    def index(self, values: ArrayLike) -> NDArray[np.intp]:
        """Lookup-table indices for ``values`` (any shape): ``round(clip(v, 0, 1) * (N - 1))``,
        with ``NaN`` → 0. Returns an intp array of the same shape."""
        x = np.asarray(values)
        if not np.issubdtype(x.dtype, np.floating):
            x = x.astype(np.float32)
        scaled = np.asarray(x * x.dtype.type(LUT_SIZE - 1))
        np.fmax(scaled, 0.0, out=scaled)  # fmax/fmin drop NaN: NaN -> 0
        np.fmin(scaled, LUT_SIZE - 1, out=scaled)
        scaled += 0.5
        return scaled.astype(np.intp)

    def __call__(self, values: ArrayLike) -> NDArray[np.uint8]:
        """Colour ``values`` in ``[0, 1]`` (any shape) as sRGB uint8, shape ``values.shape + (3,)``.

        Out-of-range values are clipped to [0, 1]; ``NaN`` maps to 0. The per-pixel cost is
        one index computation and one gather from the uint8 table.

        Examples
        --------
        >>> grey = Palette.from_colors(["#000000", "#ffffff"])
        >>> grey([[0.0, 1.0], [2.0, float("nan")]]).tolist()
        [[[0, 0, 0], [255, 255, 255]], [[255, 255, 255], [0, 0, 0]]]
        """
        return np.take(self.lut, self.index(values), axis=0)

    def linear(self, values: ArrayLike) -> NDArray[np.float32]:
        """Colour ``values`` (any shape) as linear-light RGB, float32 in ``[0, 1]``,
        shape ``values.shape + (3,)``; same clipping as :meth:`__call__`."""
        return np.take(self.linear_lut, self.index(values), axis=0)

    # -- descriptions ---------------------------------------------------------------------

    def stop_hexes(self) -> list[str]:
        """The stops' colours after gamut mapping, as ``#rrggbb``."""
        mapped = gamut_map(self._stop_lab)  # type: ignore[attr-defined]
        srgb = linear_to_srgb(np.clip(oklab_to_linear(mapped), 0.0, 1.0))
        return [srgb_to_hex(c) for c in srgb]

    def sample_hexes(self, n: int) -> list[str]:
        """``n >= 2`` evenly spaced colours from the lookup table, as ``#rrggbb``."""
        n = validate.integer(n, "samples", 2, LUT_SIZE)
        codes = self(np.linspace(0.0, 1.0, n))
        return ["#{:02x}{:02x}{:02x}".format(*(int(c) for c in row)) for row in codes]

    @property
    def lut_sha256(self) -> str:
        """SHA-256 of the uint8 table: a fingerprint for reproducible renders."""
        return hashlib.sha256(self.lut.tobytes()).hexdigest()


# --------------------------------------------------------------------------------------------
# mixing


def mix(palettes: Sequence[Palette], weights: Sequence[float], *, grid: int = 65) -> Palette:
    """Weighted mix of palettes in OKLab, position by position, keeping chroma from collapsing.

    At each position the OKLab colours of the palettes (before gamut mapping) are averaged with
    ``weights``. Averaging different hues shrinks chroma (two complementary colours average to
    grey, the "mud" of the art direction), so the mixed ``(a, b)`` is scaled by
    ``1 + (C_w - C_m) / (C_m + 0.02)``, where ``C_m`` is the chroma of the average and ``C_w``
    the weighted mean of the palettes' chromas. This brings chroma back towards ``C_w`` while
    staying continuous in the weights (it vanishes smoothly where ``C_m`` does), and is the
    identity when all palettes agree.

    The result has a stop at every position of a ``grid``-point even grid and at every stop
    position of the inputs, each gamut-mapped, so a single palette with weight 1 is reproduced.

    Parameters
    ----------
    palettes : sequence of Palette
    weights : sequence of float
        Non-negative, not all zero; normalised to sum 1.
    grid : int
        Number of evenly spaced positions always sampled.

    Returns
    -------
    Palette

    Examples
    --------
    >>> a = Palette.from_colors(["#000000", "#ff0000"])
    >>> b = Palette.from_colors(["#000000", "#0000ff"])
    >>> mixed = mix([a, b], [0.5, 0.5])
    >>> mixed.stop_hexes()[-1]
    '#a600d2'
    """
    if len(palettes) == 0 or len(palettes) != len(weights):
        raise ValueError("mix needs as many weights as palettes, and at least one of each")
    grid = validate.integer(grid, "grid", 2)
    w = np.asarray(weights, dtype=np.float64)
    if not np.all(np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0:
        raise ValueError(f"mix weights must be finite, non-negative and not all zero: {weights}")
    w = w / w.sum()
    pos = np.concatenate([np.linspace(0.0, 1.0, grid), *[np.array(p.positions) for p in palettes]])
    pos = np.unique(np.round(pos, 9))
    labs = np.stack([p.curve(pos) for p in palettes])  # (k, n, 3)
    light = np.tensordot(w, labs[..., 0], axes=1)
    ab = np.tensordot(w, labs[..., 1:], axes=1)
    c_target = np.tensordot(w, np.hypot(labs[..., 1], labs[..., 2]), axes=1)
    c_mix = np.hypot(ab[:, 0], ab[:, 1])
    gain = 1.0 + (c_target - c_mix) / (c_mix + 0.02)
    lab = gamut_map(np.column_stack([light, ab * gain[:, None]]))
    lab[:, 0] = np.clip(lab[:, 0], 0.0, 1.0)
    lab[:, 1:] = np.clip(lab[:, 1:], -0.5, 0.5)
    stops = tuple(
        Stop(oklab=(float(c[0]), float(c[1]), float(c[2])), pos=float(p))
        for c, p in zip(lab, pos, strict=True)
    )
    shapes = {p.shape for p in palettes}
    return Palette(stops, shape=shapes.pop() if len(shapes) == 1 else "sequential")
