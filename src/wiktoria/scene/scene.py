"""Scenes as data: the canvas, the resolved mood, the style, the layers and the loop.

A :class:`Scene` is a frozen dataclass that round-trips through TOML (:meth:`Scene.to_toml`,
:meth:`Scene.from_toml`) and fully describes a painting: the mood is embedded as data (its
ramp's stops and its motion), not named, and every parameter of every layer is written out
with its range and meaning as a comment. A scene therefore reproduces the same pixels on a
machine without the user palette, blend or ``mood_at`` point it was made from, and whatever
the defaults of a later version.

Layer parameters are addressed as ``layer.param`` (``strata.count``), or ``layer[i].param``
when a scene holds several layers of one type; :meth:`Scene.override` applies such overrides
with validation and one-line errors that list the valid keys.

Scenes written by version 0.1 (``mood = "seething"``, a loop's ``to = "serene"``) still load:
the names are looked up in the mood registry (never as file paths).
"""

from __future__ import annotations

import difflib
import functools
import re
import tomllib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np

from wiktoria.common import validate
from wiktoria.common.toml import TomlWriter, check_toml_text
from wiktoria.moods.mood import Mood
from wiktoria.moods.moodfile import write_mood
from wiktoria.scene.composition import Composition, composition_from_dict
from wiktoria.scene.layer import Layer

__all__ = ["MAX_FPS", "MAX_FRAMES", "MAX_LAYERS", "MAX_SIDE", "MAX_TEXT", "MIN_FPS", "Canvas",
           "Loop", "Scene", "check_size", "frames_for_duration"]

MAX_SIDE = 16384
MAX_FRAMES = 100_000
MAX_FPS = 100.0
#: Slowest frame rate: one frame in 1000 s. Slower loops last so long that the whole number of
#: noise cells a layer travels per loop overflows.
MIN_FPS = 0.001
#: Most layers in a scene.
MAX_LAYERS = 256
#: Largest scene text read, in bytes (a scene with its mood is about 10 KB).
MAX_TEXT = 2**20
#: Deepest nesting of arrays and tables in a scene or mood text (a scene needs 3).
MAX_DEPTH = 16


def frames_for_duration(duration: Any, fps: Any) -> int:
    """Frames of a loop of ``duration`` seconds at ``fps``: ``round(duration * fps)``, at
    least 1.

    Raises
    ------
    TypeError, ValueError
        One line naming the value and what is allowed: a number of seconds above 0 giving at
        most 100,000 frames (and ``fps`` from 0.001 to 100).

    Examples
    --------
    >>> frames_for_duration(2.5, 24), frames_for_duration(0.01, 24)
    (60, 1)
    """
    rate = validate.number(fps, "fps", MIN_FPS, MAX_FPS)
    longest = MAX_FRAMES / rate
    allowed = (f"duration must be a number of seconds above 0 and at most {longest:g} "
               f"(at {rate:g} fps, {MAX_FRAMES} frames), got {validate.show(duration)}")
    if not validate.is_number(duration):
        raise TypeError(allowed)
    seconds = float(duration)
    if not (0.0 < seconds <= longest) or round(seconds * rate) > MAX_FRAMES:
        raise ValueError(allowed)
    return max(1, round(seconds * rate))


def check_size(size: Any) -> tuple[int, int]:
    """Validate ``(width, height)``: whole numbers of pixels from 1 to 16384.

    Raises
    ------
    TypeError
        ``size`` is not a pair of numbers.
    ValueError
        A side is not whole or is out of range; the message names the value and the range.

    Examples
    --------
    >>> check_size((640.0, 480))
    (640, 480)
    """
    try:
        w, h = size
    except (TypeError, ValueError):
        raise TypeError(f"size must be (width, height) in pixels, got {size!r}") from None
    for v in (w, h):
        if isinstance(v, bool) or not isinstance(v, int | float | np.integer | np.floating):
            raise TypeError(f"size must be (width, height) in pixels, got {size!r}")
        if not float(v).is_integer():
            raise ValueError(f"size must be whole pixels (width, height), got {size!r}")
    w, h = int(w), int(h)
    if not (1 <= w <= MAX_SIDE and 1 <= h <= MAX_SIDE):
        raise ValueError(f"size must be 1 to {MAX_SIDE} pixels per side, got {w}x{h}")
    return w, h


@dataclass(frozen=True)
class Canvas:
    """Size and seed of a painting.

    Attributes
    ----------
    width, height : int
        Pixels, 1 to 16384 each.
    seed : int
        Seed of every random choice (0 to 2**63 - 1).
    """

    width: int
    height: int
    seed: int

    def __post_init__(self) -> None:
        w, h = check_size((self.width, self.height))
        object.__setattr__(self, "width", w)
        object.__setattr__(self, "height", h)
        object.__setattr__(self, "seed", validate.seed(self.seed))


def _as_mood(value: Any, what: str) -> Mood:
    """A Mood, or a registered mood's name / ``"valence,arousal"`` (as version 0.1 wrote)."""
    if isinstance(value, Mood):
        return value
    if isinstance(value, str) and value.strip():
        from wiktoria.moods.registry import resolve_mood

        try:
            return resolve_mood(value, files=False)
        except LookupError as exc:
            raise ValueError(f"{what}: {exc.args[0] if exc.args else exc}") from None
    raise TypeError(f"{what} must be a Mood or the name of a registered mood, got {value!r}")


@dataclass(frozen=True)
class Loop:
    """Time of an animation frame: frame ``frame`` of a seamless loop of ``frames`` at ``fps``.

    Time is a periodic axis: frame ``frames`` equals frame 0 exactly. With ``to`` the mood moves
    to another one across the loop (there and back when ``pingpong``, so it still loops), and
    the layers' real-valued parameters move towards ``to_layers`` (the same stack for the
    other mood; None keeps them still).

    Attributes
    ----------
    frames : int
        1 to 100,000.
    fps : float
        In (0, 100].
    frame : int
        0 to ``frames - 1``.
    to : Mood or None
        The mood the loop moves to (a registered mood's name is accepted and resolved).
    pingpong : bool
    to_layers : tuple of Layer or None
        Layer parameters at the far end of the transition, one per layer of the scene.
    """

    frames: int
    fps: float
    frame: int = 0
    to: Mood | None = None
    pingpong: bool = True
    to_layers: tuple[Layer, ...] | None = None

    def __post_init__(self) -> None:
        f = validate.integer(self.frames, "frames", 1, MAX_FRAMES)
        object.__setattr__(self, "frames", f)
        object.__setattr__(self, "fps", validate.number(self.fps, "fps", MIN_FPS, MAX_FPS))
        object.__setattr__(self, "frame", validate.integer(self.frame, "frame", 0, f - 1))
        object.__setattr__(self, "pingpong", validate.boolean(self.pingpong, "pingpong"))
        to = self.to
        if isinstance(to, str) and not to.strip():
            to = None
        if to is not None:
            to = _as_mood(to, "loop.to")
        object.__setattr__(self, "to", to)
        if self.to_layers is not None:
            layers = tuple(self.to_layers)
            for layer in layers:
                if not isinstance(layer, Layer):
                    raise TypeError(f"loop.to_layers must hold layers, got {layer!r}")
            object.__setattr__(self, "to_layers", layers)

    @property
    def duration(self) -> float:
        """Seconds of one loop: ``frames / fps`` (the scene records frames and fps)."""
        return self.frames / self.fps

    @classmethod
    def from_duration(cls, duration: float, fps: float, **kwargs: Any) -> Loop:
        """A loop of ``duration`` seconds at ``fps``: :func:`frames_for_duration` frames;
        ``kwargs`` as the constructor (``frame``, ``to``, ``pingpong``, ``to_layers``).

        Examples
        --------
        >>> Loop.from_duration(1.5, 12).frames
        18
        """
        return cls(frames_for_duration(duration, fps), fps, **kwargs)

    @property
    def phase(self) -> float:
        """Position in the loop, in [0, 1)."""
        return self.frame / self.frames

    def blend_t(self) -> float:
        """How far the mood has moved towards ``to`` at this frame, in [0, 1]."""
        if self.pingpong:
            return 1.0 - abs(2.0 * self.phase - 1.0)
        return self.frame / max(1, self.frames - 1)


_KEY_RE = re.compile(r"^(?P<type>[a-z][a-z0-9_-]*)(?:\[(?P<index>\d+)\])?\.(?P<param>\w+)$")


def _nearest(word: str, options: list[str]) -> str:
    close = difflib.get_close_matches(word, options, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


@dataclass(frozen=True)
class Scene:
    """Everything a painting is made of.

    Attributes
    ----------
    canvas : Canvas
    mood : Mood
        The resolved mood the scene paints with (a registered mood's name, or a
        ``"valence,arousal"`` point, is accepted and resolved on construction).
    style : str
        The style whose layer stack this started from (``landscape``, ``flow``, ``marble``).
    layers : tuple of Layer
        Rendered in order, bottom first. A type may appear several times.
    loop : Loop or None
        Set for a frame of an animation.
    composition : Composition or None
        The painting's layout, light and value key (:func:`~wiktoria.scene.composition.plan`
        chooses it). None in scenes of versions before 0.3, whose layers need none.

    Examples
    --------
    >>> import wiktoria
    >>> from wiktoria.scene.layers import GrainLayer, WashLayer
    >>> s = Scene(Canvas(64, 48, 1), wiktoria.blend("serene", "seething", 0.5), "flow",
    ...           (WashLayer(), GrainLayer()))
    >>> Scene.from_toml(s.to_toml()) == s
    True
    >>> s.override({"wash.position": 0.5}).layer("wash").position
    0.5
    """

    canvas: Canvas
    mood: Mood
    style: str
    layers: tuple[Layer, ...]
    loop: Loop | None = None
    composition: Composition | None = None

    def __post_init__(self) -> None:
        if self.composition is not None and not isinstance(self.composition, Composition):
            raise TypeError(f"composition must be a Composition or None, got "
                            f"{self.composition!r}")
        if not isinstance(self.canvas, Canvas):
            raise TypeError(f"canvas must be a Canvas, got {self.canvas!r}")
        object.__setattr__(self, "mood", _as_mood(self.mood, "mood"))
        if not isinstance(self.style, str) or not self.style:
            raise TypeError(f"style must be a style name, got {self.style!r}")
        layers = tuple(self.layers)
        if len(layers) > MAX_LAYERS:
            raise ValueError(f"a scene holds at most {MAX_LAYERS} layers, got {len(layers)}")
        for layer in layers:
            if not isinstance(layer, Layer):
                raise TypeError(f"layers must be wiktoria.Layer specs, got {layer!r}")
        object.__setattr__(self, "layers", layers)
        loop = self.loop
        if loop is not None:
            if not isinstance(loop, Loop):
                raise TypeError(f"loop must be a Loop or None, got {loop!r}")
            if loop.to_layers is not None and [x.type for x in loop.to_layers] != [
                x.type for x in layers
            ]:
                raise ValueError("loop.to_layers must hold one layer of the same type per "
                                 "layer of the scene, in the same order")

    @property
    def size(self) -> tuple[int, int]:
        """``(width, height)``."""
        return self.canvas.width, self.canvas.height

    @property
    def seed(self) -> int:
        """The canvas seed."""
        return self.canvas.seed

    def layer(self, kind: str, index: int = 0) -> Layer | None:
        """The ``index``-th layer of type ``kind`` (bottom first), or None."""
        found = [layer for layer in self.layers if layer.type == kind]
        return found[index] if 0 <= index < len(found) else None

    def frame_state(self) -> tuple[Mood, tuple[Layer, ...]]:
        """The mood and the layers painted at this scene's frame.

        Without a transition they are the scene's own. In a loop moving to ``loop.to``, the
        mood is the blend ``t`` of the way there (:func:`wiktoria.blend`, ``t`` from
        :meth:`Loop.blend_t`), and the real-valued parameters of each layer move the same way
        towards ``loop.to_layers``; integer parameters (counts, octaves, depths) and the
        speeds stay, since they define structure and the time axis.

        Computed once per scene object (a frame's blend is needed by the renderer and by the
        painting that records it).
        """
        return self._frame_state

    @functools.cached_property
    def _frame_state(self) -> tuple[Mood, tuple[Layer, ...]]:
        loop = self.loop
        if loop is None or loop.to is None:
            return self.mood, self.layers
        from wiktoria.moods.registry import blend

        t = loop.blend_t()
        mood = blend(self.mood, loop.to, t)
        if loop.to_layers is None:
            return mood, self.layers
        return mood, tuple(_mix_layer(a, b, t) for a, b in zip(self.layers, loop.to_layers,
                                                               strict=True))

    def _addresses(self) -> list[tuple[str, int]]:
        """``(prefix, position)`` per layer: ``"sky"`` or ``"strokes[1]"`` when repeated."""
        types = [layer.type for layer in self.layers]
        total = Counter(types)
        seen: dict[str, int] = {}
        out = []
        for pos, kind in enumerate(types):
            k = seen.get(kind, 0)
            seen[kind] = k + 1
            out.append((kind if total[kind] == 1 else f"{kind}[{k}]", pos))
        return out

    def override_keys(self) -> list[str]:
        """All override keys of this scene: ``composition.param``, then ``layer.param``, or
        ``layer[i].param`` for types that appear more than once."""
        own = ([f"composition.{p}" for p in Composition.params()]
               if self.composition is not None else [])
        return own + [f"{prefix}.{p}" for prefix, pos in self._addresses()
                      for p in self.layers[pos].params()]

    def override(self, overrides: Mapping[str, Any]) -> Scene:
        """Return a copy with ``{"layer.param": value}`` overrides applied and validated.

        Keys may also be written ``layer__param`` (for Python keyword arguments); a scene with
        several layers of one type addresses them as ``strokes[0].density``,
        ``strokes[1].density``.

        Raises
        ------
        ValueError
            An unknown or ambiguous layer, an unknown parameter (listing the valid ones) or a
            bad value.
        TypeError
            A value of the wrong type.
        """
        if not isinstance(overrides, Mapping):
            raise TypeError(f"overrides must be a mapping of 'layer.param' keys to values, got "
                            f"{overrides!r}")
        layers = list(self.layers)
        addresses = dict(self._addresses())
        planned: dict[str, Any] = {}
        for raw_key, value in overrides.items():
            key = str(raw_key).replace("__", ".")
            m = _KEY_RE.fullmatch(key)
            if m is not None and m.group("type") == "composition" and m.group("index") is None \
                    and self.composition is not None and "composition" not in addresses:
                planned[m.group("param")] = value
                continue
            if m is None:
                raise ValueError(f"override key {raw_key!r} must be layer.param, e.g. "
                                 f"'strata.count'; valid keys: {', '.join(self.override_keys())}")
            kind, param = m.group("type"), m.group("param")
            prefix = kind if m.group("index") is None else f"{kind}[{int(m.group('index'))}]"
            if prefix not in addresses:
                present = [p for p, _ in self._addresses()]
                repeated = [f"{p}.{param}" for p in present if p.startswith(f"{kind}[")]
                if repeated and m.group("index") is None:
                    raise ValueError(f"override key {raw_key!r} is ambiguous: this scene has "
                                     f"several {kind} layers; use {', '.join(repeated)}")
                raise ValueError(f"unknown layer {prefix!r} in override {raw_key!r}"
                                 f"{_nearest(prefix, present)}; this {self.style} scene has "
                                 f"layers: {', '.join(present)}")
            idx = addresses[prefix]
            layer = layers[idx]
            if param not in layer.params():
                raise ValueError(f"unknown {kind} parameter {param!r}"
                                 f"{_nearest(param, list(layer.params()))}; valid: "
                                 f"{', '.join(layer.params())}")
            layers[idx] = replace(layer, **{param: value})
        composition = self.composition
        if planned and composition is not None:
            from wiktoria.scene.styles import style_layouts

            composition = composition.override(planned, self.seed, self.mood,
                                               style_layouts(self.style))
        return replace(self, layers=tuple(layers), composition=composition)

    def with_seed(self, seed: int, overrides: Mapping[str, Any] | None = None) -> Scene:
        """This scene with another canvas seed, and the composition the planner chooses for
        that seed (its ``composition.*`` entries of ``overrides`` applied again, so a layout
        the user chose holds). A scene without a composition (before version 0.3) only
        changes its seed.

        Examples
        --------
        >>> import wiktoria
        >>> s = wiktoria.paint("aloof", size=(32, 24), seed=1, composition__layout="low").scene
        >>> t = s.with_seed(2, {"composition.layout": "low"})
        >>> t.seed, t.composition.layout
        (2, 'low')
        """
        canvas = Canvas(self.canvas.width, self.canvas.height, seed)
        if self.composition is None:
            return replace(self, canvas=canvas)
        from wiktoria.scene.composition import plan
        from wiktoria.scene.styles import style_layouts

        out = replace(self, canvas=canvas,
                      composition=plan(canvas.seed, self.mood, layouts=style_layouts(self.style)))
        mine = {k: v for k, v in (overrides or {}).items()
                if str(k).replace("__", ".").startswith("composition.")}
        return out.override(mine) if mine else out

    # ---- TOML ------------------------------------------------------------------------------

    def to_toml(self, version: str | None = None) -> str:
        """The scene as a TOML document, with the Wiktoria version that wrote it.

        Each layer parameter carries its range and meaning as a comment.
        """
        from wiktoria.scene.scenefile import write_layer

        if version is None:
            from wiktoria.common.version import __version__ as version
        w = TomlWriter()
        w.comment("A Wiktoria scene: everything this painting is made of. Paint it again with\n"
                  "the wiktoria command (paint, animate or frames) or wiktoria.paint_scene.")
        w.pair("wiktoria", version)
        w.pair("style", self.style)
        if not self.layers:
            w.pair("layers", [])
        w.table("canvas")
        w.pair("width", self.canvas.width, comment="pixels, 1 to 16384")
        w.pair("height", self.canvas.height, comment="pixels, 1 to 16384")
        w.pair("seed", self.canvas.seed, comment="seed of every random choice")
        write_mood(w, self.mood, "mood")
        if self.composition is not None:
            w.table("composition")
            for info in self.composition.describe():
                w.pair(info.name, getattr(self.composition, info.name),
                       comment=f"{info.range}: {info.doc}")
        if self.loop is not None:
            lp = self.loop
            w.table("loop")
            w.pair("frames", lp.frames, comment=f"frames in the loop, 1 to {MAX_FRAMES}")
            w.pair("fps", lp.fps, comment=f"frames per second, up to {MAX_FPS:g}")
            w.pair("frame", lp.frame, comment="this frame, 0 to frames - 1")
            w.pair("pingpong", lp.pingpong, comment="with to: there and back")
            if lp.to_layers == ():
                w.pair("layers", [])
            if lp.to is not None:
                write_mood(w, lp.to, "loop.to")
            for layer in lp.to_layers or ():
                w.array_table("loop.layers")
                write_layer(w, layer)
        for layer in self.layers:
            w.array_table("layers")
            write_layer(w, layer)
        return w.text()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], origin: str = "scene",
                  mood: Mood | None = None) -> Scene:
        """Build a scene from the dict form of its TOML, with one-line errors naming the key.

        ``mood`` is the mood to use for a version 0.1 scene that names its mood (a 0.1 PNG
        carries the mood's definition beside the scene); without it the name is looked up in
        the registry.
        """
        from wiktoria.scene.scenefile import (
            legacy_transition,
            read_canvas,
            read_layers,
            read_loop,
            read_mood,
        )

        for key in ("canvas", "mood", "style", "layers"):
            if key not in data:
                raise ValueError(f"{origin}: missing key {key!r}")
        unknown = set(data) - {"canvas", "mood", "style", "layers", "wiktoria", "loop",
                               "composition"}
        if unknown:
            raise ValueError(f"{origin}: unknown key {sorted(unknown)[0]!r}; valid: canvas, "
                             "mood, style, composition, layers, loop, wiktoria")
        cv = read_canvas(data["canvas"], origin)
        resolved = read_mood(data["mood"], origin, "mood", mood)
        layers = read_layers(data["layers"], origin, "layers")
        style = data["style"]
        if not isinstance(style, str) or not style:
            raise ValueError(f"{origin}: style must be a style name, got {style!r}")
        loop = read_loop(data["loop"], origin, len(layers)) if "loop" in data else None
        if isinstance(data["mood"], str) and loop is not None and loop.to is not None:
            loop = legacy_transition(loop, resolved, style, layers, embedded=mood is not None)
        composition = (composition_from_dict(data["composition"], origin)
                       if "composition" in data else None)
        try:
            return cls(canvas=cv, mood=resolved, style=style, layers=layers, loop=loop,
                       composition=composition)
        except (ValueError, TypeError) as exc:
            raise ValueError(f"{origin}: {exc}") from None

    @classmethod
    def from_toml(cls, text: str, origin: str = "scene", mood: Mood | None = None) -> Scene:
        """Parse a scene TOML document (see :meth:`from_dict` for ``mood``).

        Raises
        ------
        ValueError
            Malformed TOML or a bad key or value, in one line naming ``origin`` and the key.
        """
        check_toml_text(text, origin, MAX_TEXT, MAX_DEPTH)
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{origin}: malformed TOML: {exc}") from None
        return cls.from_dict(data, origin, mood)


def _mix_layer(a: Layer, b: Layer, t: float) -> Layer:
    """``a`` with its real-valued parameters moved ``t`` of the way to ``b``'s."""
    changes = {}
    for f in fields(a):
        va, vb = getattr(a, f.name), getattr(b, f.name)
        if f.name in ("speed", "life") or isinstance(va, int) or not isinstance(va, float):
            continue
        changes[f.name] = va + (vb - va) * t
    return replace(a, **changes) if changes else a
