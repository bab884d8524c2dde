"""The mood records: :class:`Mood` (affect, a colour ramp and motion) and :class:`Motion`.

Moods are read from and written to TOML by :mod:`wiktoria.moods.moodfile`, which documents the
file format; ``Mood.to_toml`` and :func:`~wiktoria.moods.moodfile.parse_mood` round-trip
exactly.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from wiktoria.colour.ramp import Palette
from wiktoria.common import validate
from wiktoria.common.atomicio import atomic_write_text
from wiktoria.moods.prior import Prior

__all__ = [
    "CHARACTER_FIELDS",
    "DURATION_LIMITS",
    "LEGACY_MOTION_KEYS",
    "MOTION_FIELDS",
    "Mood",
    "MoodFileError",
    "MoodFileWarning",
    "Motion",
]

NAME_RE = re.compile(r"^[a-z][a-z0-9_.+@-]{0,199}$")
"""Mood names and aliases: lowercase, starting with a letter; no spaces, commas or slashes."""

NAME_RULE = "use lowercase letters, digits and '-', '_', '.', '+', '@', starting with a letter"


class MoodFileError(ValueError):
    """A mood file (or mood text) is malformed; the message names the file, key and value."""

    def __init__(self, origin: str, key: str | None, value: Any, problem: str) -> None:
        self.origin, self.key, self.value, self.problem = origin, key, value, problem
        if key is None:
            message = f"{origin}: {problem}"
        elif value is _MISSING:
            message = f"{origin}: missing key {key!r}: {problem}"
        else:
            message = f"{origin}: {key} = {_show(value)}: {problem}"
        super().__init__(message)


class MoodFileWarning(UserWarning):
    """A mood file holds something Wiktoria reads but ignores (a key of an older version)."""


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


_MISSING: Any = _Missing()


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


# --------------------------------------------------------------------------------------------
# Motion

MOTION_FIELDS: dict[str, tuple[float, float, str]] = {
    "speed": (0.001, 4.0, "how fast the layers evolve (each layer's speed scales it)"),
    "octaves": (1.0, 10.0, "detail: each layer rounds its own share to whole fBm octaves"),
    "warp": (0.0, 4.0, "domain-warp strength, in noise cells"),
    "turbulence": (0.0, 1.0, "0 smooth fBm, 1 fully ridged/turbulent (abs) noise"),
    "stroke_density": (0.0, 1.0, "fraction of the maximum number of flow strokes"),
    "stroke_length": (0.0, 1.0, "stroke length, relative to the longest the painter draws"),
    "stroke_curl": (0.0, 1.0, "0 laminar strokes, 1 tightly curled ones"),
}
"""Motion parameter ``name: (minimum, maximum, meaning)``."""

CHARACTER_FIELDS: dict[str, tuple[float, float, str]] = {
    "rise": (-1.0, 1.0, "the wind's upward share: 1 boils straight up from below, 0 level"),
    "stall": (0.0, 1.0, "0 a steady pace, 1 motion that creeps and stops once every few "
                        "seconds"),
    "rhythm": (0.0, 4.0, "beats per second of a rhythmic sway of the strokes (0: none)"),
}
"""The character of a mood's motion, ``name: (minimum, maximum, meaning)``: optional in a
mood file (0 when missing, and left out when 0, so older files keep their bytes)."""

_RANGES = {**MOTION_FIELDS, **CHARACTER_FIELDS}

DURATION_LIMITS: tuple[float, float] = (1.0, 120.0)
"""Seconds: the shortest and longest a mood's loop ``duration`` range may reach."""

DURATION_RULE = ("expected [shortest, longest] seconds of one loop, each from "
                 f"{DURATION_LIMITS[0]:g} to {DURATION_LIMITS[1]:g}, shortest first")


def duration_for_arousal(arousal: float) -> tuple[float, float]:
    """The loop duration range that follows from arousal: calm moods loop slowly.

    With ``u = (arousal + 1) / 2`` the middle is ``20 * 4 ** -u`` seconds (20 s at the calmest,
    5 s at the most aroused, log-spaced as perceived time is), the range that middle divided
    and multiplied by 1.25, each end rounded to 0.1 s.

    Examples
    --------
    >>> duration_for_arousal(1.0)
    (4.0, 6.2)
    >>> duration_for_arousal(-0.65)
    (12.6, 19.6)
    """
    u = (validate.number(arousal, "arousal", -1.0, 1.0) + 1.0) / 2.0
    mid = 20.0 * 4.0**-u
    return (round(mid / 1.25, 1), round(mid * 1.25, 1))


def check_duration(value: Any, name: str = "motion.duration") -> tuple[float, float]:
    """``value`` as a ``(shortest, longest)`` pair of seconds within :data:`DURATION_LIMITS`,
    else a one-line ``ValueError`` naming ``name``, the value and what is allowed."""
    lo, hi = DURATION_LIMITS
    if (isinstance(value, str | bytes) or not hasattr(value, "__len__") or len(value) != 2
            or not all(validate.is_number(v) for v in value)):
        raise ValueError(f"{name} = {_show(value)}: {DURATION_RULE}")
    a, b = float(value[0]), float(value[1])
    if not (lo <= a <= b <= hi):
        raise ValueError(f"{name} = {_show(value)}: {DURATION_RULE}")
    return (a, b)


LEGACY_MOTION_KEYS: tuple[str, ...] = ("persistence", "lacunarity", "jitter")
"""Motion keys of version 0.1 mood files that never reached a painting: read and ignored."""


@dataclass(frozen=True)
class Motion:
    """How a mood moves: parameters for the noise field, its animation and the flow strokes.

    All are floats; ranges are in :data:`MOTION_FIELDS`. Every field reaches the painting
    through the default layer parameters a style derives from it
    (:mod:`wiktoria.scene.styles`).

    Attributes
    ----------
    speed : float
        ``[0.001, 4]``; each layer's ``speed`` is a multiple of it; perceived speed is roughly
        logarithmic.
    octaves : float
        ``[1, 10]``: the detail of the painting. It may be fractional (blends are): each layer
        rounds its own share to whole octaves (the sky ``octaves``, the strata one more, the
        strokes about half), so a fraction can tip some layers and not others.
    warp : float
        Domain-warp strength in noise cells, ``[0, 4]``.
    turbulence : float
        ``[0, 1]``: blend from smooth fBm to ridged ``abs`` turbulence.
    stroke_density, stroke_length, stroke_curl : float
        ``[0, 1]`` hints for flow strokes: how many, how long, how tightly curled.
    duration : (float, float) or None
        Seconds of one loop, shortest and longest (within :data:`DURATION_LIMITS`): a loop made
        without a frame count or duration lasts a time in this range, chosen by its seed.
        None (a motion made without it): the mood fills it in from its arousal
        (:func:`duration_for_arousal`).
    rise, stall, rhythm : float
        The motion's character (:data:`CHARACTER_FIELDS`), 0 by default: how far the air
        rises, how often the pace stalls, the beat of a rhythmic sway.
    """

    speed: float
    octaves: float
    warp: float
    turbulence: float
    stroke_density: float
    stroke_length: float
    stroke_curl: float
    duration: tuple[float, float] | None = None
    rise: float = 0.0
    stall: float = 0.0
    rhythm: float = 0.0

    def __post_init__(self) -> None:
        if self.duration is not None:
            object.__setattr__(self, "duration", check_duration(self.duration))
        for f in fields(self):
            if f.name == "duration":
                continue
            value = getattr(self, f.name)
            lo, hi, _ = _RANGES[f.name]
            object.__setattr__(self, f.name, validate.number(value, f"motion.{f.name}", lo, hi))

    @classmethod
    def for_affect(cls, valence: float, arousal: float) -> Motion:
        """Motion that follows from affect, by the research note's §5.4 mapping (extended).

        With ``u = (arousal + 1) / 2`` and ``neg = max(-valence, 0)``:

        ==================  ===========================================
        speed               ``0.02 * 16 ** u`` (log-spaced, 0.02–0.32)
        octaves             ``2 + 4 u``
        warp                ``0.10 + 0.60 u + 0.30 neg u``
        turbulence          ``0.05 + 0.70 u + 0.20 neg u``
        stroke_density      ``0.15 + 0.80 u``
        stroke_length       ``0.20 + 0.70 u``
        stroke_curl         ``0.05 + 0.60 u + 0.30 neg u``
        duration            :func:`duration_for_arousal` (20 s calm .. 5 s aroused, middle)
        ==================  ===========================================

        Speed, turbulence, stroke density and length rise with arousal; negative, aroused moods
        (writhing, seething) twist most (Toet et al. 2011: speed and irregular
        motion are arousing and unpleasant).

        Examples
        --------
        >>> round(Motion.for_affect(-0.7, 1.0).speed, 3)
        0.32
        """
        u = (arousal + 1.0) / 2.0
        neg = max(-valence, 0.0)
        return cls(
            speed=0.02 * 16.0**u,
            octaves=2.0 + 4.0 * u,
            warp=0.10 + 0.60 * u + 0.30 * neg * u,
            turbulence=0.05 + 0.70 * u + 0.20 * neg * u,
            stroke_density=0.15 + 0.80 * u,
            stroke_length=0.20 + 0.70 * u,
            stroke_curl=0.05 + 0.60 * u + 0.30 * neg * u,
            duration=duration_for_arousal(arousal),
        )

    @classmethod
    def mix(cls, motions: list[Motion], weights: list[float]) -> Motion:
        """Weighted mean of motions: geometric for ``speed`` and for each end of ``duration``
        (perceived speed and time are logarithmic), arithmetic for everything else (None if
        any duration is None). ``weights`` are normalised."""
        total = float(sum(weights))
        if not motions or len(motions) != len(weights) or total <= 0:
            raise ValueError("Motion.mix needs as many positive-sum weights as motions")
        w = [x / total for x in weights]
        values: dict[str, float] = {}
        pairs = list(zip(w, motions, strict=True))
        for f in fields(cls):
            if f.name == "duration":
                continue
            if f.name == "speed":
                values[f.name] = math.exp(sum(wi * math.log(m.speed) for wi, m in pairs))
            else:
                values[f.name] = sum(wi * getattr(m, f.name) for wi, m in pairs)
            lo, hi, _ = _RANGES[f.name]
            values[f.name] = min(max(values[f.name], lo), hi)  # rounding at the range ends
        duration = None
        if all(m.duration is not None for m in motions):
            dlo, dhi = DURATION_LIMITS
            ends = [min(max(math.exp(sum(wi * math.log(m.duration[k])  # type: ignore[index]
                                         for wi, m in pairs)), dlo), dhi) for k in (0, 1)]
            duration = (ends[0], max(ends))
        return cls(**values, duration=duration)


# --------------------------------------------------------------------------------------------
# Mood


def _check_name(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a string, got {value!r}")
    name = value.strip().lower()
    if not NAME_RE.match(name):
        raise ValueError(f"{what} {value!r} is not a valid mood name: {NAME_RULE}")
    return name


def _check_affect(value: Any, what: str) -> float:
    return validate.number(value, what, -1.0, 1.0)


@dataclass(frozen=True)
class Mood:
    """A named mood: affect coordinates, a colour ramp and motion.

    Moods are immutable, hashable, picklable and compare by value (``path`` is not compared).

    Attributes
    ----------
    name : str
        Lowercase name (see :data:`NAME_RE`); lookups are case-insensitive.
    valence, arousal : float
        Russell circumplex coordinates in ``[-1, 1]``.
    palette : Palette
        Callable: ``mood.palette(values)`` maps values in [0, 1] to uint8 RGB.
    motion : Motion
        Its ``duration`` is always set: a motion without one gets the mood's
        :func:`duration_for_arousal`.
    aliases : tuple of str
        Other names that find this mood.
    description : str
        What the mood evokes.
    source : str
        Where the affect coordinates come from.
    path : pathlib.Path or None
        The file it was loaded from, if any.
    prior : Prior
        What the mood asks of a composition (layouts, lights, value key); without one it
        follows from the affect (:meth:`Prior.for_affect`).

    Examples
    --------
    >>> from wiktoria.colour.ramp import Palette
    >>> m = Mood("dusk", -0.2, -0.3, Palette.from_colors(["#101020", "#c0a0b0"]),
    ...          Motion.for_affect(-0.2, -0.3))
    >>> from wiktoria.moods.moodfile import parse_mood
    >>> parse_mood(m.to_toml()) == m
    True
    """

    name: str
    valence: float
    arousal: float
    palette: Palette
    motion: Motion
    aliases: tuple[str, ...] = ()
    description: str = ""
    source: str = ""
    path: Path | None = field(default=None, compare=False, repr=False)
    prior: Prior = None  # type: ignore[assignment]  # None: Prior.for_affect

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", _check_name(self.name, "name"))
        object.__setattr__(self, "valence", _check_affect(self.valence, "valence"))
        object.__setattr__(self, "arousal", _check_affect(self.arousal, "arousal"))
        if not isinstance(self.palette, Palette):
            raise TypeError(f"palette must be a Palette, got {type(self.palette).__name__}")
        if not isinstance(self.motion, Motion):
            raise TypeError(f"motion must be a Motion, got {type(self.motion).__name__}")
        if self.motion.duration is None:
            object.__setattr__(self, "motion", replace(
                self.motion, duration=duration_for_arousal(self.arousal)))
        if isinstance(self.aliases, str):
            raise TypeError(f"aliases must be a sequence of names, got the string {self.aliases!r}")
        aliases = tuple(_check_name(a, "alias") for a in self.aliases)
        seen = {self.name}
        for alias in aliases:
            if alias in seen:
                raise ValueError(f"alias {alias!r} of mood {self.name!r} is a duplicate")
            seen.add(alias)
        object.__setattr__(self, "aliases", aliases)
        for attr in ("description", "source"):
            if not isinstance(getattr(self, attr), str):
                raise TypeError(f"{attr} must be a string, got {getattr(self, attr)!r}")
        if self.path is not None:
            object.__setattr__(self, "path", Path(self.path))
        if self.prior is None:
            object.__setattr__(self, "prior", Prior.for_affect(self.valence, self.arousal))
        elif not isinstance(self.prior, Prior):
            raise TypeError(f"prior must be a Prior, got {type(self.prior).__name__}")

    @property
    def keys(self) -> tuple[str, ...]:
        """The name and aliases, casefolded: every string that finds this mood."""
        return (self.name.casefold(), *(a.casefold() for a in self.aliases))

    def to_toml(self) -> str:
        """The mood as the text of a mood file; :func:`parse_mood` reads it back equal.

        Examples
        --------
        >>> from wiktoria.colour.ramp import Palette
        >>> m = Mood("dusk", 0.0, 0.0, Palette.from_colors(["#000", "#fff"]),
        ...          Motion.for_affect(0.0, 0.0))
        >>> m.to_toml().splitlines()[1]
        'name = "dusk"'
        """
        from wiktoria.moods.moodfile import dump_mood

        return dump_mood(self)

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write :meth:`to_toml` to ``path`` atomically; returns the path."""
        return atomic_write_text(path, self.to_toml())
