"""Composition: what a painter decides before the first stroke, and the planner that decides it.

A :class:`Composition` holds the chosen values of one painting: the layout (low or high
horizon, tilted, a valley, a monolith, an enclosure, a vortex, forms in rhythm), where the
horizon and the focal point are, how many ranges and how massive the nearest, what the light is
and where, the value key and contrast, how much is left empty, the accent's share and how far
hue wanders from value. It is part of the :class:`~wiktoria.scene.Scene` (its ``[composition]``
table), so a painting reproduces from its scene and every value can be overridden
(``composition.layout=valley``, ``composition.horizon=0.8``).

:func:`plan` chooses the values from the seed and the mood's :class:`~wiktoria.moods.prior.Prior`
(its weights over layouts and lights, its key): a weighted draw of the layout, then values
from ranges that belong to that layout, with the focal point and the light on power points
(thirds or the golden section), never centred. Every draw comes from its own stream of the
seed, so adding a choice later does not reshuffle the others.

Examples
--------
>>> from wiktoria.moods import mood
>>> c = plan(7, mood("labyrinthine"))
>>> c.layout in LAYOUTS, c == plan(7, mood("labyrinthine"))
(True, True)
>>> plan(7, mood("serene"), layout="valley").layout
'valley'
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, fields, replace
from typing import Any, ClassVar

import numpy as np

from wiktoria.common import validate
from wiktoria.moods.mood import Mood
from wiktoria.moods.prior import LAYOUTS, LIGHTS
from wiktoria.scene.layer import Spec, param

__all__ = ["LAYOUTS", "LIGHTS", "POWER_POINTS", "Composition", "plan"]

#: Fractions of a side where a painter puts what matters: the thirds and the golden section.
POWER_POINTS = (1 / 3, 2 / 3, 0.382, 0.618)


@dataclass(frozen=True)
class Composition(Spec):
    """The chosen composition of one painting (every value overridable).

    Fractions are of the frame's width (x) and height (y), from the top left corner.
    """

    type: ClassVar[str] = "composition"
    layout: str = param("low", doc="the arrangement of the big forms", choices=tuple(LAYOUTS))
    horizon: float = param(0.66, 0.05, 0.95, "height of the horizon, fraction from the top")
    tilt: float = param(0.0, -0.4, 0.4, "how far the horizon rises across the width")
    ranges: int = param(3, 1, 9, "number of ranges or forms")
    near: float = param(0.15, 0.0, 0.7, "how high the nearest form rises, fraction of height")
    scale: float = param(0.25, 0.02, 1.0, "size of the main form: valley, monolith, core, beat")
    focus_x: float = param(0.382, 0.0, 1.0, "focal point, fraction of the width")
    focus_y: float = param(0.5, 0.0, 1.0, "focal point, fraction of the height")
    light: str = param("sun", doc="kind of light", choices=tuple(LIGHTS))
    light_x: float = param(0.618, -0.5, 1.5, "where the light is, fraction of the width")
    light_y: float = param(0.4, -0.5, 1.5, "where the light is, fraction of the height")
    light_size: float = param(0.06, 0.005, 0.6, "radius of the light's disc or glow, fraction of "
                              "height")
    key: float = param(0.5, 0.0, 1.0, "value key: 0 low (mostly dark) .. 1 high (mostly light)")
    contrast: float = param(0.6, 0.3, 0.98, "OKLab lightness span the painting uses")
    empty: float = param(0.4, 0.0, 0.9, "share of the picture left quiet")
    accent: float = param(0.03, 0.0, 0.1, "share of the picture in the accent colour")
    hue: float = param(0.25, 0.0, 1.0, "how far hue wanders from value, independently")
    variant: int = param(0, 0, 2**31 - 1, "which of its many shapes the layout takes (the "
                         "forms' random details)")

    def override(self, values: dict[str, Any], seed: int, mood: Mood,
                 layouts: tuple[str, ...] | None = None) -> Composition:
        """A copy with ``{param: value}`` applied. A new ``layout`` is planned afresh (the
        other values follow the layout, from the same seed) before the rest apply.

        Raises
        ------
        ValueError
            An unknown parameter (listing the valid ones) or a bad value.
        """
        for name in values:
            if name not in self.params():
                import difflib

                close = difflib.get_close_matches(str(name), list(self.params()), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise ValueError(f"unknown composition parameter {name!r}{hint}; valid: "
                                 f"{', '.join(self.params())}")
        base = self
        if "layout" in values and values["layout"] != self.layout:
            layout = validate.choice(values["layout"], "composition.layout", LAYOUTS)
            base = plan(seed, mood, layout=layout, layouts=layouts)
        rest = {k: v for k, v in values.items() if k != "layout"}
        return replace(base, **rest) if rest else base


def _rng(seed: int, purpose: str, mood: Mood) -> np.random.Generator:
    """The stream of one choice: of the seed and the mood (one seed paints each mood its own
    way), never of the other choices."""
    return np.random.default_rng(np.random.SeedSequence(
        [seed, zlib.crc32(f"composition/{purpose}".encode()), zlib.crc32(mood.name.encode())]))


def _power(rng: np.random.Generator, jitter: float = 0.02) -> float:
    return float(np.clip(rng.choice(POWER_POINTS) + rng.normal(0, jitter), 0.05, 0.95))


def _weighted(rng: np.random.Generator, pairs: tuple[tuple[str, float], ...],
              allowed: tuple[str, ...] | None) -> str:
    names = [n for n, w in pairs if w > 0 and (allowed is None or n in allowed)]
    if not names:  # the style allows none the mood likes: any allowed one, evenly
        names = list(allowed) if allowed else [n for n, _ in pairs]
        weights = np.ones(len(names))
    else:
        weights = np.array([dict(pairs)[n] for n in names], dtype=np.float64)
    return str(names[int(rng.choice(len(names), p=weights / weights.sum()))])


def plan(seed: int, mood: Mood, *, layout: str | None = None,
         layouts: tuple[str, ...] | None = None) -> Composition:
    """Choose a composition for ``seed`` and ``mood``.

    Parameters
    ----------
    seed : int
    mood : Mood
        Its :attr:`~wiktoria.moods.Mood.prior` weighs the layouts and lights and centres the
        key, contrast, empty space, accent and hue spread.
    layout : str, optional
        Plan this layout instead of drawing one.
    layouts : tuple of str, optional
        The layouts a style can paint (the draw is restricted to them).

    Returns
    -------
    Composition
    """
    seed = validate.seed(seed)
    pr = mood.prior
    if layout is None:
        layout = _weighted(_rng(seed, "layout", mood), pr.layouts, layouts)
    else:
        layout = validate.choice(layout, "composition.layout", LAYOUTS)
    r = _rng(seed, f"values/{layout}", mood)
    u = lambda lo, hi: float(r.uniform(lo, hi))  # noqa: E731
    calm = 1.0 - (mood.arousal + 1) / 2
    fx = _power(r)
    fy = _power(r)
    tilt = 0.0
    scale = u(0.15, 0.3)
    near = u(0.1, 0.25)
    if layout == "low":
        horizon, ranges, near = u(0.62, 0.8), int(r.integers(2, 4)), u(0.08, 0.26)
        fy = u(0.22, 0.4)
    elif layout == "high":
        horizon, ranges, near = u(0.16, 0.32), int(r.integers(4, 8)), u(0.35, 0.6)
        fy = u(0.45, 0.72)
    elif layout == "tilted":
        horizon, ranges = u(0.38, 0.62), int(r.integers(3, 6))
        tilt = float(r.choice([-1, 1])) * u(0.12, 0.32)
        fy = horizon - u(0.1, 0.2)
    elif layout == "valley":
        horizon, ranges, near = u(0.38, 0.62), int(r.integers(3, 6)), u(0.2, 0.45)
        fx = float(np.clip(0.5 + r.choice([-1, 1]) * u(0.06, 0.26), 0.22, 0.78))
        fy, scale = horizon - u(0.02, 0.06), u(0.08, 0.3)
        tilt = float(r.normal(0, 0.06))
    elif layout == "monolith":
        horizon, ranges = u(0.56, 0.88), int(r.integers(1, 3))
        # The emptier the mood, the smaller and farther the form.
        near = min(0.7, u(0.15, 0.55) * (1.5 - pr.empty))  # within the parameter's range
        scale = u(0.04, 0.14) * (1.4 - pr.empty)
        fy = horizon - near * u(0.4, 0.7)
    elif layout == "enclosure":
        horizon, ranges, scale = u(0.55, 0.7), int(r.integers(4, 8)), u(0.12, 0.25)
    elif layout == "vortex":
        horizon, ranges, scale = u(0.6, 0.8), int(r.integers(3, 7)), u(0.08, 0.16)
        fx, fy = _power(r, 0.06), _power(r, 0.06)
    else:  # rhythm
        horizon, ranges, scale = u(0.35, 0.7), int(r.integers(3, 6)), u(0.07, 0.22)
        fy = horizon - u(0.08, 0.16)
        tilt = float(r.normal(0, 0.08))
    rl = _rng(seed, f"light/{layout}", mood)
    light = _weighted(rl, pr.lights, None)
    ul = lambda lo, hi: float(rl.uniform(lo, hi))  # noqa: E731
    if layout in ("enclosure", "vortex"):
        lx, ly = fx + rl.normal(0, 0.02), fy + rl.normal(0, 0.02)
    elif layout == "valley":
        lx, ly = fx + rl.normal(0, 0.03), horizon - ul(0.03, 0.3)
    elif layout == "monolith":
        # Backlight: the light sits behind and beside the form, so its edges glow.
        lx = fx + rl.choice([-1, 1]) * ul(0.08, 0.3)
        ly = fy - ul(0.05, 0.35)
    elif light == "rift" and layout == "high":
        lx, ly = fx, horizon + ul(0.15, 0.35)  # the rift splits the land
    else:
        lx = _power(rl, 0.04) if layout != "tilted" else 1.0 - fx
        lx = float(np.clip(lx + rl.choice([-1, 1]) * ul(0.0, 0.12), 0.08, 0.92))
        ly = min(horizon - ul(0.06, 0.5) * horizon, horizon - 0.05)
    # Never in the middle of the picture: a light near the centre moves out to a third.
    if math.hypot(lx - 0.5, ly - 0.5) < 0.1:
        lx = 0.5 + (1 if lx >= 0.5 else -1) * ul(1 / 6, 0.2)
    size = {"sun": ul(0.035, 0.07), "moon": ul(0.02, 0.04), "rift": ul(0.1, 0.3),
            "glow": ul(0.18, 0.4), "lightning": ul(0.25, 0.5)}[light]
    rv = _rng(seed, "values", mood)
    jit = lambda v, s, lo, hi: float(np.clip(v + rv.normal(0, s), lo, hi))  # noqa: E731
    return Composition(
        layout=layout,
        horizon=round(horizon, 4),
        tilt=round(tilt, 4),
        ranges=ranges,
        near=round(near, 4),
        scale=round(float(np.clip(scale, 0.02, 1.0)), 4),
        focus_x=round(float(np.clip(fx, 0.05, 0.95)), 4),
        focus_y=round(float(np.clip(fy, 0.05, 0.95)), 4),
        light=light,
        light_x=round(float(np.clip(lx, -0.4, 1.4)), 4),
        light_y=round(float(np.clip(ly, -0.4, 1.4)), 4),
        light_size=round(size, 4),
        key=round(jit(pr.key, 0.04, 0.0, 1.0), 4),
        contrast=round(jit(pr.contrast, 0.03 * (1 + calm), 0.35, 0.95), 4),
        empty=round(jit(pr.empty, 0.05, 0.0, 0.9), 4),
        accent=round(jit(pr.accent, 0.005, 0.0, 0.1), 4),
        hue=round(jit(pr.hue, 0.05, 0.0, 1.0), 4),
        variant=int(rv.integers(0, 2**31)),
    )


def composition_from_dict(raw: Any, origin: str) -> Composition:
    """A composition from the ``[composition]`` table of a scene, with one-line errors."""
    if not isinstance(raw, dict):
        raise ValueError(f"{origin}: [composition] must be a table, got {raw!r}")
    names = {f.name for f in fields(Composition)}
    unknown = sorted(set(raw) - names)
    if unknown:
        raise ValueError(f"{origin}: unknown composition key {unknown[0]!r}; valid: "
                         f"{', '.join(Composition.params())}")
    try:
        return Composition(**raw)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{origin}: {exc}") from None
