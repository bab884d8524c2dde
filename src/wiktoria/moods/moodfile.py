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
    duration = [4.0, 6.0]      # seconds of one loop: a loop's length is chosen in it by seed

    [composition]              # all optional; missing keys follow from the affect (see Prior)
    layouts = { high = 3, valley = 2, vortex = 1 }   # relative weights of the layouts
    lights = { rift = 3, lightning = 1 }             # and of the lights
    key = 0.25                 # 0 low key (mostly dark) .. 1 high key (mostly light)

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
from pathlib import Path
from typing import Any, ClassVar

from wiktoria.colour.ramp import HUE_PATHS, SHAPES, SPACES, Palette, Stop, warn_if_failing
from wiktoria.common.toml import TomlWriter, check_toml_text, toml_value
from wiktoria.moods.mood import (
    _MISSING,
    CHARACTER_FIELDS,
    DURATION_LIMITS,
    DURATION_RULE,
    LEGACY_MOTION_KEYS,
    MOTION_FIELDS,
    NAME_RULE,
    Mood,
    MoodFileError,
    MoodFileWarning,
    Motion,
    _check_name,
    check_duration,
    duration_for_arousal,
)
from wiktoria.moods.prior import LAYOUTS, LIGHTS, PRIOR_FIELDS, Prior

__all__ = ["MAX_DEPTH", "MAX_TEXT", "dump_mood", "load_mood", "mood_from_dict", "parse_mood",
           "write_mood"]

#: Largest mood text read, in bytes (a mood file is about 2 KB; 1024 stops fit easily).
MAX_TEXT = 2**20
#: Deepest nesting of arrays and tables in a mood text (a mood file needs 3).
MAX_DEPTH = 16


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
    file; :func:`mood_from_dict` reads either form back equal. ``motion.duration`` is left out
    when it is the one the arousal gives (:func:`~wiktoria.moods.mood.duration_for_arousal`,
    which reading fills in), so a mood whose range follows from its arousal (every shipped
    mood, and every mood read from a file older than the range) is written as before the range
    existed, and the files made then reproduce byte for byte.
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
    for name, (lo, hi, meaning) in CHARACTER_FIELDS.items():
        if getattr(mood.motion, name) != 0.0:
            writer.pair(name, getattr(mood.motion, name),
                        comment=f"{lo:g} to {hi:g}: {meaning}")
    duration = mood.motion.duration
    if duration is not None and duration != duration_for_arousal(mood.arousal):
        writer.pair("duration", list(duration),
                    comment=f"seconds of one loop, shortest and longest, "
                            f"{DURATION_LIMITS[0]:g} to {DURATION_LIMITS[1]:g}")
    prior = mood.prior
    writer.table(f"{prefix}composition")
    writer.pair("layouts", dict(prior.layouts), comment="relative weights of the layouts")
    writer.pair("lights", dict(prior.lights), comment="relative weights of the lights")
    for name, (lo, hi, meaning) in PRIOR_FIELDS.items():
        writer.pair(name, getattr(prior, name), comment=f"{lo:g} to {hi:g}: {meaning}")


def dump_mood(mood: Mood) -> str:
    """The text of a mood file for ``mood`` (what :meth:`Mood.to_toml` returns)."""
    writer = TomlWriter()
    writer.comment("Wiktoria mood file: see the palettes folder's files for the format")
    write_mood(writer, mood)
    return writer.text()


# --------------------------------------------------------------------------------------------
# reading


class _Reader:
    """Validates a parsed TOML document, raising :class:`MoodFileError` with key paths."""

    TOP: ClassVar[tuple[str, ...]] = ("name", "aliases", "description", "affect", "ramp", "motion",
                                      "composition")
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
        self.known(motion_table, (*MOTION_FIELDS, *CHARACTER_FIELDS, "duration"), "motion.")
        default = Motion.for_affect(valence, arousal)
        duration = default.duration
        if "duration" in motion_table:
            try:
                duration = check_duration(motion_table["duration"])
            except ValueError:
                raise self.fail("motion.duration", motion_table["duration"],
                                DURATION_RULE) from None
        motion = Motion(**{
            key: self.number(motion_table, key, f"motion.{key}", lo, hi,
                             default=getattr(default, key))
            for key, (lo, hi, _) in MOTION_FIELDS.items()
        }, duration=duration, **{
            key: self.number(motion_table, key, f"motion.{key}", lo, hi, default=0.0)
            for key, (lo, hi, _) in CHARACTER_FIELDS.items()
        })
        return Mood(name, valence, arousal, palette, motion, tuple(aliases), description,
                    source, path, prior=self.prior(doc, valence, arousal))

    def weights(self, table: dict[str, Any], key: str, names: Mapping[str, str],
                default: tuple[tuple[str, float], ...]) -> dict[str, float]:
        raw = table.get(key, _MISSING)
        path = f"composition.{key}"
        if raw is _MISSING:
            return dict(default)
        if not isinstance(raw, dict):
            raise self.fail(path, raw, f"expected a table of weights, e.g. {{ {next(iter(names))}"
                            " = 1.0 }")
        self.known(raw, tuple(names), path + ".")
        out = {name: self.number(raw, name, f"{path}.{name}", 0.0, 1000.0, default=0.0)
               for name in names}
        if not any(w > 0 for w in out.values()):
            raise self.fail(path, raw, "needs at least one positive weight")
        return out

    def prior(self, doc: dict[str, Any], valence: float, arousal: float) -> Prior:
        table = self.table(doc, "composition", required=False)
        self.known(table, ("layouts", "lights", *PRIOR_FIELDS), "composition.")
        default = Prior.for_affect(valence, arousal)
        values: dict[str, Any] = {
            "layouts": self.weights(table, "layouts", LAYOUTS, default.layouts),
            "lights": self.weights(table, "lights", LIGHTS, default.lights),
        }
        for name, (lo, hi, _) in PRIOR_FIELDS.items():
            values[name] = self.number(table, name, f"composition.{name}", lo, hi,
                                       default=getattr(default, name))
        return Prior(**values)


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
        check_toml_text(text, origin, MAX_TEXT, MAX_DEPTH)
    except (TypeError, ValueError) as exc:
        raise MoodFileError(origin, None, None, str(exc).removeprefix(f"{origin}: ")) from None
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
        raise FileNotFoundError(f"mood file {str(p)!r} does not exist or is not a file")
    with p.open("rb") as fh:  # a bounded read: a huge file is refused, not read whole
        data = fh.read(MAX_TEXT + 1)
    if len(data) > MAX_TEXT:
        raise MoodFileError(str(p), None, None, f"larger than {MAX_TEXT} bytes: not a mood file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MoodFileError(str(p), None, None, f"not UTF-8 text ({exc.reason})") from None
    return parse_mood(text, str(p), path=p, check=check)
