"""The mood records (:class:`Mood`, :class:`Motion`) and their TOML file format.

A mood file is human-editable TOML::

    name = "seething"
    aliases = ["fury", "rage"]
    description = "Emotions seething under the surface: embers flaring to molten orange."

    [affect]                   # circumplex coordinates in [-1, 1]
    valence = -0.70
    arousal = 1.00
    source = "NRC-VAD 'seething'; Warriner 'rage', 'fury'; z-averaged"

    [ramp]
    space = "oklab"            # oklab | oklch (then also: hue = shorter|longer|increasing|...)
    shape = "sequential"       # sequential | diverging | cyclic
    stops = [                  # a stop: color = "#rrggbb" OR oklch = [L, C, h] OR oklab = [L, a, b]
      { color = "#160304", name = "ash" },            # pos (0..1) optional: missing positions
      { oklch = [0.70, 0.18, 50.0], name = "ember" }, # are spread by perceptual distance
    ]

    [motion]                   # all optional; missing keys follow from the affect (see Motion)
    speed = 0.32

Reading is strict: a malformed file, a missing or unknown key, a wrong type, an out-of-range
number or a bad colour raises :class:`MoodFileError` (a ``ValueError``) with one line naming the
file, the key and the value. Writing (:meth:`Mood.to_toml`) needs no TOML library: the format
is small, and floats are written with ``repr`` so a mood round-trips exactly.
"""

from __future__ import annotations

import difflib
import math
import os
import re
import tomllib
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, ClassVar

from wiktoria.colour.ramp import HUE_PATHS, SHAPES, SPACES, Palette, Stop, warn_if_failing
from wiktoria.common.atomicio import atomic_write_text
from wiktoria.common.toml import TomlWriter, toml_value

__all__ = [
    "LEGACY_MOTION_KEYS",
    "MOTION_FIELDS",
    "Mood",
    "MoodFileError",
    "MoodFileWarning",
    "Motion",
    "load_mood",
    "mood_from_dict",
    "parse_mood",
    "write_mood",
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
    """

    speed: float
    octaves: float
    warp: float
    turbulence: float
    stroke_density: float
    stroke_length: float
    stroke_curl: float

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            lo, hi, _ = MOTION_FIELDS[f.name]
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TypeError(f"motion.{f.name} must be a number, got {value!r}")
            if not (math.isfinite(value) and lo <= value <= hi):
                raise ValueError(f"motion.{f.name} = {value!r} is out of range [{lo:g}, {hi:g}]")
            object.__setattr__(self, f.name, float(value))

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
        )

    @classmethod
    def mix(cls, motions: list[Motion], weights: list[float]) -> Motion:
        """Weighted mean of motions: geometric for ``speed`` (perceived speed is logarithmic),
        arithmetic for everything else. ``weights`` are normalised."""
        total = float(sum(weights))
        if not motions or len(motions) != len(weights) or total <= 0:
            raise ValueError("Motion.mix needs as many positive-sum weights as motions")
        w = [x / total for x in weights]
        values: dict[str, float] = {}
        pairs = list(zip(w, motions, strict=True))
        for f in fields(cls):
            if f.name == "speed":
                values[f.name] = math.exp(sum(wi * math.log(m.speed) for wi, m in pairs))
            else:
                values[f.name] = sum(wi * getattr(m, f.name) for wi, m in pairs)
            lo, hi, _ = MOTION_FIELDS[f.name]
            values[f.name] = min(max(values[f.name], lo), hi)  # rounding at the range ends
        return cls(**values)


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
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{what} must be a number, got {value!r}")
    if not (math.isfinite(value) and -1.0 <= value <= 1.0):
        raise ValueError(f"{what} {value!r} is outside the allowed range [-1, 1]")
    return float(value)


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
    aliases : tuple of str
        Other names that find this mood.
    description : str
        What the mood evokes.
    source : str
        Where the affect coordinates come from.
    path : pathlib.Path or None
        The file it was loaded from, if any.

    Examples
    --------
    >>> from wiktoria.colour.ramp import Palette
    >>> m = Mood("dusk", -0.2, -0.3, Palette.from_colors(["#101020", "#c0a0b0"]),
    ...          Motion.for_affect(-0.2, -0.3))
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

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", _check_name(self.name, "name"))
        object.__setattr__(self, "valence", _check_affect(self.valence, "valence"))
        object.__setattr__(self, "arousal", _check_affect(self.arousal, "arousal"))
        if not isinstance(self.palette, Palette):
            raise TypeError(f"palette must be a Palette, got {type(self.palette).__name__}")
        if not isinstance(self.motion, Motion):
            raise TypeError(f"motion must be a Motion, got {type(self.motion).__name__}")
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
        return _dump(self)

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write :meth:`to_toml` to ``path`` atomically; returns the path."""
        return atomic_write_text(path, self.to_toml())


# --------------------------------------------------------------------------------------------
# writing


def _stop_value(stop: Stop) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if stop.pos is not None:
        out["pos"] = float(stop.pos)
    if stop.color is not None:
        out["color"] = stop.color
    elif stop.oklch is not None:
        out["oklch"] = [float(v) for v in stop.oklch]
    elif stop.oklab is not None:
        out["oklab"] = [float(v) for v in stop.oklab]
    if stop.name:
        out["name"] = stop.name
    return out


def write_mood(writer: TomlWriter, mood: Mood, table: str = "") -> None:
    """Write ``mood`` into a TOML document: at the top level, or as the table ``table``.

    A scene embeds its mood this way (``table="mood"``), so it reproduces without the mood
    file; :func:`mood_from_dict` reads either form back equal.
    """
    prefix = f"{table}." if table else ""
    if table:
        writer.table(table)
    writer.pair("name", mood.name)
    writer.pair("aliases", list(mood.aliases))
    writer.pair("description", mood.description)
    writer.table(f"{prefix}affect")
    writer.pair("valence", mood.valence)
    writer.pair("arousal", mood.arousal)
    writer.pair("source", mood.source)
    pal = mood.palette
    writer.table(f"{prefix}ramp")
    writer.pair("space", pal.space)
    writer.pair("hue", pal.hue)
    writer.pair("shape", pal.shape)
    writer.raw("stops = [")
    for stop in pal.stops:
        writer.raw(f"  {toml_value(_stop_value(stop))},")
    writer.raw("]")
    writer.table(f"{prefix}motion")
    for name, (lo, hi, meaning) in MOTION_FIELDS.items():
        writer.pair(name, getattr(mood.motion, name), comment=f"{lo:g} to {hi:g}: {meaning}")


def _dump(mood: Mood) -> str:
    writer = TomlWriter()
    writer.comment("Wiktoria mood file: see the palettes folder's files for the format")
    write_mood(writer, mood)
    return writer.text()


# --------------------------------------------------------------------------------------------
# reading


class _Reader:
    """Validates a parsed TOML document, raising :class:`MoodFileError` with key paths."""

    TOP: ClassVar[tuple[str, ...]] = ("name", "aliases", "description", "affect", "ramp", "motion")
    AFFECT: ClassVar[tuple[str, ...]] = ("valence", "arousal", "source")
    RAMP: ClassVar[tuple[str, ...]] = ("space", "hue", "shape", "stops")
    STOP: ClassVar[tuple[str, ...]] = ("pos", "color", "oklch", "oklab", "name")

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.legacy: list[str] = []

    def fail(self, key: str | None, value: Any, problem: str) -> MoodFileError:
        return MoodFileError(self.origin, key, value, problem)

    def known(self, table: dict[str, Any], allowed: tuple[str, ...], prefix: str) -> None:
        for key, value in table.items():
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = (f"; did you mean {close[0]!r}?" if close
                        else f"; allowed: {', '.join(allowed)}")
                raise self.fail(prefix + key, value, "unknown key" + hint)

    def table(self, doc: dict[str, Any], key: str, required: bool) -> dict[str, Any]:
        value = doc.get(key, _MISSING)
        if value is _MISSING:
            if required:
                raise self.fail(key, _MISSING, f"the file needs a [{key}] table")
            return {}
        if not isinstance(value, dict):
            raise self.fail(key, value, f"expected a table ([{key}])")
        return value

    def string(self, table: dict[str, Any], key: str, path: str, default: str | None = None) -> str:
        value = table.get(key, _MISSING)
        if value is _MISSING:
            if default is None:
                raise self.fail(path, _MISSING, "expected a string")
            return default
        if not isinstance(value, str):
            raise self.fail(path, value, "expected a string")
        return value

    def number(self, table: dict[str, Any], key: str, path: str, lo: float, hi: float,
               default: float | None = None) -> float:
        value = table.get(key, _MISSING)
        if value is _MISSING:
            if default is None:
                raise self.fail(path, _MISSING, f"expected a number from {lo:g} to {hi:g}")
            return default
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(path, value, f"expected a number from {lo:g} to {hi:g}")
        if not (math.isfinite(value) and lo <= value <= hi):
            raise self.fail(path, value, f"out of range, must be from {lo:g} to {hi:g}")
        return float(value)

    def choice(self, table: dict[str, Any], key: str, path: str, choices: tuple[str, ...]) -> str:
        value = self.string(table, key, path, default=choices[0])
        if value not in choices:
            raise self.fail(path, value, f"expected one of {', '.join(choices)}")
        return value

    def mood_name(self, value: Any, path: str) -> str:
        try:
            return _check_name(value, "name")
        except (TypeError, ValueError) as exc:
            if isinstance(exc, TypeError):
                raise self.fail(path, value, "expected a string") from None
            raise self.fail(path, value, f"not a valid mood name: {NAME_RULE}") from None

    def stop(self, item: Any, path: str) -> Stop:
        if not isinstance(item, dict):
            raise self.fail(path, item, "expected a table like { color = \"#rrggbb\" }")
        self.known(item, self.STOP, path + ".")
        colours = [k for k in ("color", "oklch", "oklab") if k in item]
        if len(colours) != 1:
            raise self.fail(path, item, "a stop needs exactly one of color, oklch or oklab")
        ckey = colours[0]
        cval = item[ckey]
        pos = None
        if "pos" in item:
            pos = self.number(item, "pos", path + ".pos", 0.0, 1.0)
        name = self.string(item, "name", path + ".name", default="")
        if ckey == "color" and not isinstance(cval, str):
            raise self.fail(f"{path}.color", cval, "expected a hex colour string like '#1a2b3c'")
        if ckey != "color" and not (
            isinstance(cval, list) and len(cval) == 3
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in cval)
        ):
            raise self.fail(f"{path}.{ckey}", cval, "expected 3 numbers")
        try:
            if ckey == "color":
                return Stop(color=cval, pos=pos, name=name)
            if ckey == "oklch":
                return Stop(oklch=tuple(cval), pos=pos, name=name)  # type: ignore[arg-type]
            return Stop(oklab=tuple(cval), pos=pos, name=name)  # type: ignore[arg-type]
        except (TypeError, ValueError) as exc:
            raise self.fail(f"{path}.{ckey}", cval, str(exc)) from None

    def read(self, doc: dict[str, Any], path: Path | None) -> Mood:
        self.known(doc, self.TOP, "")
        if "name" not in doc:
            raise self.fail("name", _MISSING, "every mood file needs a name")
        name = self.mood_name(doc["name"], "name")
        raw_aliases = doc.get("aliases", [])
        if not isinstance(raw_aliases, list):
            raise self.fail("aliases", raw_aliases, "expected a list of names")
        aliases: list[str] = []
        for i, alias in enumerate(raw_aliases):
            clean = self.mood_name(alias, f"aliases[{i}]")
            if clean == name or clean in aliases:
                raise self.fail(f"aliases[{i}]", alias, "duplicate name or alias in this file")
            aliases.append(clean)
        description = self.string(doc, "description", "description", default="")

        affect = self.table(doc, "affect", required=True)
        self.known(affect, self.AFFECT, "affect.")
        valence = self.number(affect, "valence", "affect.valence", -1.0, 1.0)
        arousal = self.number(affect, "arousal", "affect.arousal", -1.0, 1.0)
        source = self.string(affect, "source", "affect.source", default="")

        ramp = self.table(doc, "ramp", required=True)
        self.known(ramp, self.RAMP, "ramp.")
        space = self.choice(ramp, "space", "ramp.space", SPACES)
        hue = self.choice(ramp, "hue", "ramp.hue", HUE_PATHS)
        shape = self.choice(ramp, "shape", "ramp.shape", SHAPES)
        raw_stops = ramp.get("stops", _MISSING)
        if raw_stops is _MISSING:
            raise self.fail("ramp.stops", _MISSING, "expected a list of colour stops")
        if not isinstance(raw_stops, list) or not 2 <= len(raw_stops) <= 1024:
            raise self.fail("ramp.stops", raw_stops, "expected a list of 2 to 1024 colour stops")
        stops = tuple(self.stop(item, f"ramp.stops[{i}]") for i, item in enumerate(raw_stops))
        try:
            palette = Palette(stops, space=space, hue=hue, shape=shape)  # type: ignore[arg-type]
        except (TypeError, ValueError) as exc:
            given = [s.pos for s in stops]
            raise self.fail("ramp.stops", given if "position" in str(exc) else raw_stops,
                            str(exc)) from None

        motion_table = self.table(doc, "motion", required=False)
        self.legacy = [k for k in LEGACY_MOTION_KEYS if k in motion_table]
        motion_table = {k: v for k, v in motion_table.items() if k not in LEGACY_MOTION_KEYS}
        self.known(motion_table, tuple(MOTION_FIELDS), "motion.")
        default = Motion.for_affect(valence, arousal)
        motion = Motion(**{
            key: self.number(motion_table, key, f"motion.{key}", lo, hi,
                             default=getattr(default, key))
            for key, (lo, hi, _) in MOTION_FIELDS.items()
        })
        return Mood(name, valence, arousal, palette, motion, tuple(aliases), description,
                    source, path)


def _toml_error(origin: str, text: str, exc: tomllib.TOMLDecodeError) -> MoodFileError:
    message = str(exc)
    match = re.search(r"line (\d+)", message)
    if match:
        lines = text.splitlines()
        lineno = int(match.group(1))
        if 1 <= lineno <= len(lines):
            return MoodFileError(origin, None, None,
                                 f"malformed TOML: {message}: {lines[lineno - 1].strip()!r}")
    return MoodFileError(origin, None, None, f"malformed TOML: {message}")


def parse_mood(text: str, origin: str = "<mood text>", *, path: Path | None = None,
               check: bool = False) -> Mood:
    """Read a mood from the text of a mood file.

    Parameters
    ----------
    text : str
        TOML text.
    origin : str
        How error messages name the text (a file path, usually).
    path : pathlib.Path, optional
        Stored as the mood's ``path``.
    check : bool
        Run the ramp checks and warn (:class:`~wiktoria.colour.ramp.PaletteWarning`) on failures.

    Raises
    ------
    MoodFileError
        One line naming ``origin``, the key and the value.
    """
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _toml_error(origin, text, exc) from None
    reader = _Reader(origin)
    mood = reader.read(doc, path)
    if check:
        if reader.legacy:
            warnings.warn(f"{origin}: motion.{reader.legacy[0]} is ignored since Wiktoria 0.2 "
                          "(it never changed the painting); delete the line",
                          MoodFileWarning, stacklevel=3)
        warn_if_failing(mood.palette, origin, arousal=mood.arousal, stacklevel=3)
    return mood


def mood_from_dict(doc: Mapping[str, Any], origin: str = "<mood>") -> Mood:
    """A mood from the parsed TOML of a mood file or of a scene's ``[mood]`` table.

    Raises
    ------
    MoodFileError
        One line naming ``origin``, the key and the value.
    """
    if not isinstance(doc, Mapping):
        raise MoodFileError(origin, None, None, f"a mood must be a table, got {doc!r}")
    return _Reader(origin).read(dict(doc), None)


def load_mood(path: str | os.PathLike[str], *, check: bool = True) -> Mood:
    """Load a mood file.

    Parameters
    ----------
    path : str or path-like
        A ``.toml`` mood file.
    check : bool
        Run the ramp checks of :func:`wiktoria.colour.ramp.check`; failures give one
        :class:`~wiktoria.colour.ramp.PaletteWarning` (the mood still loads).

    Returns
    -------
    Mood
        With ``path`` set.

    Raises
    ------
    FileNotFoundError
        If there is no such file.
    MoodFileError
        If the file is malformed (one line naming the file, the key and the value).

    Examples
    --------
    >>> from wiktoria.moods.userdirs import shipped_palette_dir
    >>> load_mood(shipped_palette_dir() / "serene.toml").name
    'serene'
    """
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"mood file {str(p)!r} does not exist")
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise MoodFileError(str(p), None, None, f"not UTF-8 text ({exc.reason})") from None
    return parse_mood(text, str(p), path=p, check=check)
