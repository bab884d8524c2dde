"""What a mood asks of a composition: its priors over layouts and lights, and its value key.

A mood file's ``[composition]`` table holds a :class:`Prior`; the composition planner
(:func:`wiktoria.scene.composition.plan`) draws a painting's layout and light from it with the
seed, and takes the key, contrast, empty-space budget, accent share and hue spread as the
centres of its own choices. A mood file without the table gets :meth:`Prior.for_affect`.

Examples
--------
>>> p = Prior.for_affect(-0.7, 1.0)
>>> p.weight("enclosure") > 0, 0.35 <= p.contrast <= 0.95
(True, True)
>>> Prior.mix([p, Prior.for_affect(0.6, -0.6)], [1, 1]).key == round((p.key +
...     Prior.for_affect(0.6, -0.6).key) / 2, 6)
True
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from wiktoria.common import validate

__all__ = ["LAYOUTS", "LIGHTS", "PRIOR_FIELDS", "Prior"]

LAYOUTS: dict[str, str] = {
    "low": "a low horizon under a huge sky",
    "high": "a high horizon: a wall of land",
    "tilted": "a tilted, broken horizon",
    "valley": "a valley (V or U) opening to a light",
    "monolith": "one massive form in a void",
    "enclosure": "walls and canyons around an opening, no horizon",
    "vortex": "forms spiralling around a luminous core",
    "rhythm": "repeated forms in rhythm",
}
"""Layouts the composition planner chooses from: ``name: what it looks like``."""

LIGHTS: dict[str, str] = {
    "sun": "a warm disc, low in the sky, with sharp rims",
    "moon": "a small cool disc, soft light",
    "rift": "a bright tear through cloud or land",
    "glow": "a broad soft glow with no source seen",
    "lightning": "a jagged bright seam",
}
"""Kinds of light: ``name: what it looks like``."""

PRIOR_FIELDS: dict[str, tuple[float, float, str]] = {
    "key": (0.0, 1.0, "value key: 0 low (mostly dark) .. 1 high (mostly light)"),
    "contrast": (0.35, 0.95, "OKLab lightness span the painting uses (2nd to 98th percentile)"),
    "empty": (0.0, 0.9, "share of the picture left quiet"),
    "accent": (0.0, 0.1, "share of the picture in the accent colour, near the light"),
    "hue": (0.0, 1.0, "how far hue wanders from value along the ramp, independently"),
}
"""Number fields of a prior: ``name: (minimum, maximum, meaning)``."""


def _weights(raw: Any, names: Mapping[str, str], what: str) -> tuple[tuple[str, float], ...]:
    if not isinstance(raw, Mapping):
        raise TypeError(f"{what} must map names to weights, got {validate.show(raw)}")
    for name in raw:
        validate.choice(name, f"{what} name", names)
    out = tuple((name, validate.number(raw.get(name, 0.0), f"{what}.{name}", 0.0, 1000.0))
                for name in names)
    if not any(w > 0 for _, w in out):
        raise ValueError(f"{what} needs at least one positive weight, got {dict(raw)!r}")
    return out


@dataclass(frozen=True)
class Prior:
    """A mood's priors for the composition planner.

    Attributes
    ----------
    layouts : tuple of (str, float)
        A weight per layout of :data:`LAYOUTS` (relative, at least one positive). A mapping
        is accepted and completed with zeros.
    lights : tuple of (str, float)
        A weight per kind of :data:`LIGHTS`.
    key, contrast, empty, accent, hue : float
        See :data:`PRIOR_FIELDS`.
    """

    layouts: tuple[tuple[str, float], ...]
    lights: tuple[tuple[str, float], ...]
    key: float = 0.5
    contrast: float = 0.6
    empty: float = 0.4
    accent: float = 0.03
    hue: float = 0.25

    def __post_init__(self) -> None:
        object.__setattr__(self, "layouts", _weights(dict(self.layouts) if not isinstance(
            self.layouts, Mapping) else self.layouts, LAYOUTS, "composition.layouts"))
        object.__setattr__(self, "lights", _weights(dict(self.lights) if not isinstance(
            self.lights, Mapping) else self.lights, LIGHTS, "composition.lights"))
        for name, (lo, hi, _) in PRIOR_FIELDS.items():
            value = validate.number(getattr(self, name), f"composition.{name}", lo, hi)
            object.__setattr__(self, name, value)

    def weight(self, layout: str) -> float:
        """The weight of one layout."""
        return dict(self.layouts)[layout]

    @classmethod
    def for_affect(cls, valence: float, arousal: float) -> Prior:
        """Priors that follow from affect alone (for mood files without a composition table).

        Calm, pleasant moods open up (low horizons, a sun or a glow, a high key); aroused ones
        crowd and tilt (high horizons, vortices, rifts and lightning, full contrast); unpleasant
        calm ones enclose and darken.
        """
        v = validate.number(valence, "valence", -1.0, 1.0)
        a = validate.number(arousal, "arousal", -1.0, 1.0)
        u, pos, neg = (a + 1) / 2, max(v, 0.0), max(-v, 0.0)
        layouts = {
            "low": 0.5 + 2.0 * pos * (1 - u), "high": 0.3 + 1.2 * u, "tilted": 0.2 + 1.0 * u,
            "valley": 0.6 + 0.6 * pos, "monolith": 0.3 + 0.8 * (1 - u),
            "enclosure": 0.1 + 1.2 * neg * (1 - u), "vortex": 0.1 + 1.2 * u * neg,
            "rhythm": 0.1 + 1.0 * u * pos,
        }
        lights = {"sun": 0.4 + 1.2 * pos, "moon": 0.2 + 1.0 * neg * (1 - u),
                  "rift": 0.1 + 1.2 * neg * u, "glow": 0.6, "lightning": 0.05 + 0.6 * u * neg}
        return cls(
            layouts={k: round(w, 3) for k, w in layouts.items()},
            lights={k: round(w, 3) for k, w in lights.items()},
            key=round(min(1.0, max(0.0, 0.45 + 0.3 * v - 0.1 * u)), 3),
            contrast=round(0.4 + 0.4 * u, 3),
            empty=round(0.55 - 0.35 * u, 3),
            accent=round(0.015 + 0.03 * u, 4),
            hue=round(0.15 + 0.25 * u, 3),
        )

    @classmethod
    def mix(cls, priors: list[Prior], weights: list[float]) -> Prior:
        """Weighted mean of priors (weights normalised): a blend of moods asks for a blend."""
        total = float(sum(weights))
        if not priors or len(priors) != len(weights) or total <= 0:
            raise ValueError("Prior.mix needs as many positive-sum weights as priors")
        w = [x / total for x in weights]

        def mean(get: Any) -> float:
            return round(math.fsum(wi * get(p) for wi, p in zip(w, priors, strict=True)), 6)

        values: dict[str, Any] = {
            "layouts": {k: mean(lambda p, k=k: dict(p.layouts)[k]) for k in LAYOUTS},
            "lights": {k: mean(lambda p, k=k: dict(p.lights)[k]) for k in LIGHTS},
        }
        for f in fields(cls):
            if f.name in PRIOR_FIELDS:
                lo, hi, _ = PRIOR_FIELDS[f.name]
                values[f.name] = min(hi, max(lo, mean(lambda p, n=f.name: getattr(p, n))))
        return cls(**values)
