"""Scenes as data: the canvas, the mood, the style and an ordered list of layers.

A :class:`Scene` is a frozen dataclass that round-trips through TOML (:meth:`Scene.to_toml`,
:meth:`Scene.from_toml`). Every parameter of every layer is written out, so a scene file renders
the same painting whatever the defaults of a later version.

Layer parameters are addressed as ``layer.param`` (``strata.count``); :meth:`Scene.override`
applies such overrides with validation and one-line errors that list the valid keys.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any, ClassVar

__all__ = [
    "LAYER_TYPES",
    "MAX_FPS",
    "MAX_FRAMES",
    "MAX_SIDE",
    "Canvas",
    "GrainLayer",
    "Layer",
    "Loop",
    "MarbleLayer",
    "Scene",
    "SkyLayer",
    "StrataLayer",
    "StrokesLayer",
    "WashLayer",
    "check_size",
]

MAX_SIDE = 16384


def check_size(size: Any) -> tuple[int, int]:
    """Validate ``(width, height)``: integers from 1 to 16384.

    Raises
    ------
    ValueError
        Naming the value and the allowed range.
    """
    try:
        w, h = size
    except (TypeError, ValueError):
        raise ValueError(f"size must be (width, height) in pixels, got {size!r}") from None
    for v in (w, h):
        if isinstance(v, bool) or not isinstance(v, int | float) or not float(v).is_integer():
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
        check_size((self.width, self.height))
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or not (
            0 <= self.seed < 2**63
        ):
            raise ValueError(f"seed must be an integer from 0 to 2**63-1, got {self.seed!r}")


MAX_FRAMES = 100_000
MAX_FPS = 100.0


@dataclass(frozen=True)
class Loop:
    """Time of an animation frame: frame ``frame`` of a seamless loop of ``frames`` at ``fps``.

    Time is a periodic axis: frame ``frames`` equals frame 0 exactly. With ``to`` the mood moves
    to another one across the loop (there and back when ``pingpong``, so it still loops).
    """

    frames: int
    fps: float
    frame: int = 0
    to: str = ""
    pingpong: bool = True

    def __post_init__(self) -> None:
        f = self.frames
        if isinstance(f, bool) or not isinstance(f, int) or not 1 <= f <= MAX_FRAMES:
            raise ValueError(f"frames must be an integer from 1 to {MAX_FRAMES}, got {f!r}")
        fps = self.fps
        if isinstance(fps, bool) or not isinstance(fps, int | float) or not (
            math.isfinite(fps) and 0 < fps <= MAX_FPS
        ):
            raise ValueError(f"fps must be a number in (0, {MAX_FPS:g}], got {fps!r}")
        object.__setattr__(self, "fps", float(fps))
        i = self.frame
        if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < f:
            raise ValueError(f"frame must be an integer from 0 to {f - 1}, got {i!r}")

    @property
    def duration(self) -> float:
        """Seconds of one loop."""
        return self.frames / self.fps

    @property
    def phase(self) -> float:
        """Position in the loop, in [0, 1)."""
        return self.frame / self.frames

    def blend_t(self) -> float:
        """How far the mood has moved towards ``to`` at this frame, in [0, 1]."""
        if self.pingpong:
            return 1.0 - abs(2.0 * self.phase - 1.0)
        return self.frame / max(1, self.frames - 1)


# --------------------------------------------------------------------------- layers


@dataclass(frozen=True)
class Layer:
    """Base of all layers. Subclasses declare ``type`` and their parameters with ranges.

    Ranges live in each field's metadata (``lo``, ``hi``); integers are fields typed ``int``.
    """

    type: ClassVar[str] = ""

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            lo, hi = f.metadata.get("lo"), f.metadata.get("hi")
            where = f"{self.type}.{f.name}"
            if f.type in ("int", int):
                if isinstance(value, bool) or not isinstance(value, int):
                    if isinstance(value, float) and value.is_integer():
                        object.__setattr__(self, f.name, int(value))
                        value = int(value)
                    else:
                        raise ValueError(f"{where} must be an integer from {lo} to {hi}, "
                                         f"got {value!r}")
            elif f.type in ("float", float):
                if isinstance(value, bool) or not isinstance(value, int | float):
                    raise ValueError(f"{where} must be a number from {lo:g} to {hi:g}, "
                                     f"got {value!r}")
                value = float(value)
                object.__setattr__(self, f.name, value)
                if not math.isfinite(value):
                    raise ValueError(f"{where} must be a number from {lo:g} to {hi:g}, "
                                     f"got {value!r}")
            if lo is not None and not (lo <= value <= hi):
                raise ValueError(f"{where} must be from {lo:g} to {hi:g}, got {value!r}")

    @classmethod
    def params(cls) -> tuple[str, ...]:
        """Names of the parameters of this layer type."""
        return tuple(f.name for f in fields(cls))

    def to_dict(self) -> dict[str, Any]:
        """``{"type": ..., param: value, ...}``."""
        return {"type": self.type, **dataclasses.asdict(self)}


def _p(default: float, lo: float, hi: float, doc: str) -> Any:
    return field(default=default, metadata={"lo": lo, "hi": hi, "doc": doc})


@dataclass(frozen=True)
class SkyLayer(Layer):
    """A large, calm, domain-warped field: the sky (or the whole ground of a painting).

    Its value picks a ramp position between ``low`` (top of the frame) and ``high`` (the glow
    at the horizon); the warp's folds add slow, crawling structure.
    """

    type: ClassVar[str] = "sky"
    frequency: float = _p(1.4, 0.05, 40.0, "noise cells per canvas height")
    octaves: int = _p(5, 1, 10, "octaves of each fBm")
    warp: float = _p(1.2, 0.0, 20.0, "domain-warp strength, noise cells")
    depth: int = _p(2, 0, 3, "levels of domain warp")
    low: float = _p(0.35, 0.0, 1.0, "ramp position at the top of the frame")
    high: float = _p(0.95, 0.0, 1.0, "ramp position of the glow at the horizon")
    contrast: float = _p(0.35, 0.0, 1.0, "how far the field moves the ramp position")
    glow: float = _p(0.6, 0.0, 1.0, "strength of the brightening towards the horizon")
    speed: float = _p(0.5, 0.0, 50.0, "noise cells per second the field evolves (animations)")


@dataclass(frozen=True)
class StrataLayer(Layer):
    """Stacked ridgelines from far to near, with atmospheric perspective.

    Far strata are smoother, hazier and close to the sky's colour; near ones are darker, more
    saturated and more detailed.
    """

    type: ClassVar[str] = "strata"
    count: int = _p(5, 1, 9, "number of ridgelines")
    horizon: float = _p(0.38, 0.05, 0.95, "height of the farthest ridge, fraction from the top")
    spread: float = _p(0.55, 0.05, 1.0, "share of the space below the horizon the ridges fill")
    roughness: float = _p(0.5, 0.0, 2.0, "ridge amplitude")
    frequency: float = _p(2.5, 0.2, 40.0, "ridge undulations per canvas width")
    octaves: int = _p(6, 1, 10, "octaves of the nearest ridge (far ones use fewer)")
    warp: float = _p(0.4, 0.0, 5.0, "sideways warp that keeps ridges from looking like waveforms")
    haze: float = _p(0.6, 0.0, 1.0, "atmospheric perspective: far strata mix with the sky")
    near: float = _p(0.05, 0.0, 1.0, "ramp position of the nearest stratum")
    far: float = _p(0.55, 0.0, 1.0, "ramp position of the farthest stratum")
    texture: float = _p(0.12, 0.0, 1.0, "ramp movement by the texture inside a stratum")
    speed: float = _p(0.3, 0.0, 50.0, "noise cells per second the ridges breathe (animations)")


@dataclass(frozen=True)
class StrokesLayer(Layer):
    """Flow-field strokes: particles traced through curl noise, splatted anti-aliased."""

    type: ClassVar[str] = "strokes"
    density: float = _p(20000.0, 0.0, 400000.0, "strokes per megapixel at 1080 lines")
    length: float = _p(60.0, 2.0, 2000.0, "mean stroke length, pixels at 1080 lines")
    width: float = _p(1.2, 0.3, 20.0, "mean stroke width, pixels at 1080 lines")
    curl: float = _p(0.6, 0.0, 1.0, "0 laminar .. 1 tightly curled")
    frequency: float = _p(2.0, 0.1, 40.0, "flow-field cells per canvas height")
    octaves: int = _p(3, 1, 8, "octaves of the flow potential")
    opacity: float = _p(0.6, 0.0, 1.0, "opacity of the strokes over the layers below")
    clip: float = _p(1.0, 0.0, 1.0, "how strictly strokes stay inside the strata (0: anywhere)")
    lift: float = _p(0.3, -1.0, 1.0, "how far along the ramp strokes move the surface below")
    contrast: float = _p(0.6, 0.0, 1.0, "how much the strokes' tone varies their lift")
    gain: float = _p(1.2, 0.05, 50.0, "tone-mapping gain of the stroke density")
    speed: float = _p(0.5, 0.0, 50.0, "noise cells per second the flow field evolves")
    life: float = _p(1.0, 0.05, 60.0, "seconds a stroke lives in an animation (fading in and out)")


@dataclass(frozen=True)
class WashLayer(Layer):
    """A quiet, nearly flat wash from one end of the ramp (the ground of the ``flow`` style)."""

    type: ClassVar[str] = "wash"
    position: float = _p(0.05, 0.0, 1.0, "ramp position of the wash")
    variation: float = _p(0.06, 0.0, 0.5, "ramp movement by a very soft noise")
    frequency: float = _p(1.0, 0.05, 20.0, "noise cells per canvas height")
    speed: float = _p(0.2, 0.0, 50.0, "noise cells per second the wash evolves (animations)")


@dataclass(frozen=True)
class MarbleLayer(Layer):
    """Multi-level domain warp (Quilez) coloured by the final value and the warp vectors,
    with fine ridged veins where the warp folds."""

    type: ClassVar[str] = "marble"
    frequency: float = _p(1.6, 0.05, 40.0, "noise cells per canvas height")
    octaves: int = _p(5, 1, 10, "octaves of each fBm")
    warp: float = _p(2.5, 0.0, 20.0, "domain-warp strength, noise cells")
    depth: int = _p(3, 1, 3, "levels of domain warp")
    veins: float = _p(0.5, 0.0, 1.0, "strength of the ridged veins")
    low: float = _p(0.0, 0.0, 1.0, "ramp position of the darkest areas")
    high: float = _p(1.0, 0.0, 1.0, "ramp position of the brightest areas")
    speed: float = _p(0.5, 0.0, 50.0, "noise cells per second the marble evolves (animations)")


@dataclass(frozen=True)
class GrainLayer(Layer):
    """Film grain (seeded, in linear light) and a vignette."""

    type: ClassVar[str] = "grain"
    amount: float = _p(0.025, 0.0, 0.5, "grain strength")
    vignette: float = _p(0.3, 0.0, 1.0, "darkening of the corners")


LAYER_TYPES: dict[str, type[Layer]] = {
    cls.type: cls
    for cls in (SkyLayer, StrataLayer, StrokesLayer, WashLayer, MarbleLayer, GrainLayer)
}


def _nearest(word: str, options: list[str]) -> str:
    close = difflib.get_close_matches(word, options, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def layer_from_dict(data: Mapping[str, Any], where: str = "layer") -> Layer:
    """Build a layer from ``{"type": ..., params...}``, with one-line errors."""
    kind = data.get("type")
    if kind not in LAYER_TYPES:
        valid = ", ".join(LAYER_TYPES)
        hint = _nearest(str(kind), list(LAYER_TYPES))
        raise ValueError(f"{where}: unknown layer type {kind!r}{hint}; valid types: {valid}")
    cls = LAYER_TYPES[kind]
    params = {k: v for k, v in data.items() if k != "type"}
    unknown = [k for k in params if k not in cls.params()]
    if unknown:
        raise ValueError(f"{where}: unknown {kind} parameter {unknown[0]!r}"
                         f"{_nearest(unknown[0], list(cls.params()))}; valid: "
                         f"{', '.join(cls.params())}")
    return cls(**params)


# --------------------------------------------------------------------------- scene


@dataclass(frozen=True)
class Scene:
    """Everything a painting is made of.

    Attributes
    ----------
    canvas : Canvas
    mood : str
        A mood spec: a name or alias, a ``"valence,arousal"`` point, or a mood file path.
    style : str
        The style whose layer stack this is (``landscape``, ``flow``, ``marble``).
    layers : tuple of Layer
        Rendered in order, bottom first. Layer types are unique within a scene.
    """

    canvas: Canvas
    mood: str
    style: str
    layers: tuple[Layer, ...]
    loop: Loop | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.mood, str) or not self.mood.strip():
            raise ValueError(f"mood must be a non-empty mood spec string, got {self.mood!r}")
        names = [layer.type for layer in self.layers]
        dup = {n for n in names if names.count(n) > 1}
        if dup:
            raise ValueError(f"layer types must be unique in a scene, {sorted(dup)[0]!r} repeats")

    @property
    def size(self) -> tuple[int, int]:
        """``(width, height)``."""
        return self.canvas.width, self.canvas.height

    @property
    def seed(self) -> int:
        return self.canvas.seed

    def layer(self, kind: str) -> Layer | None:
        """The layer of type ``kind``, or None."""
        return next((layer for layer in self.layers if layer.type == kind), None)

    def override_keys(self) -> list[str]:
        """All override keys ``layer.param`` of this scene."""
        return [f"{layer.type}.{p}" for layer in self.layers for p in layer.params()]

    def override(self, overrides: Mapping[str, Any]) -> Scene:
        """Return a copy with ``{"layer.param": value}`` overrides applied and validated.

        Keys may also be written ``layer__param`` (for Python keyword arguments).

        Raises
        ------
        ValueError
            An unknown layer or parameter (listing the valid ones) or a bad value.
        """
        layers = list(self.layers)
        for raw_key, value in overrides.items():
            key = raw_key.replace("__", ".")
            if key.count(".") != 1:
                raise ValueError(f"override key {raw_key!r} must be layer.param, e.g. "
                                 f"'strata.count'; valid keys: {', '.join(self.override_keys())}")
            kind, param = key.split(".")
            idx = next((i for i, layer in enumerate(layers) if layer.type == kind), None)
            if idx is None:
                present = [layer.type for layer in layers]
                raise ValueError(f"unknown layer {kind!r} in override {raw_key!r}"
                                 f"{_nearest(kind, present)}; this {self.style} scene has "
                                 f"layers: {', '.join(present)}")
            layer = layers[idx]
            if param not in layer.params():
                raise ValueError(f"unknown {kind} parameter {param!r}"
                                 f"{_nearest(param, list(layer.params()))}; valid: "
                                 f"{', '.join(layer.params())}")
            layers[idx] = replace(layer, **{param: value})
        return replace(self, layers=tuple(layers))

    # ---- TOML ------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "canvas": dataclasses.asdict(self.canvas),
            "mood": self.mood,
            "style": self.style,
            "layers": [layer.to_dict() for layer in self.layers],
        }
        if self.loop is not None:
            out["loop"] = dataclasses.asdict(self.loop)
        return out

    def to_toml(self, version: str | None = None) -> str:
        """The scene as a TOML document (with the Wiktoria version that wrote it)."""
        if version is None:
            from wiktoria import __version__ as version
        lines = [
            "# A Wiktoria scene: render it with `wiktoria paint --scene FILE`.",
            f"wiktoria = {_toml_value(version)}",
            f"mood = {_toml_value(self.mood)}",
            f"style = {_toml_value(self.style)}",
            "",
            "[canvas]",
        ]
        for k, v in dataclasses.asdict(self.canvas).items():
            lines.append(f"{k} = {_toml_value(v)}")
        if self.loop is not None:
            lines += ["", "[loop]"]
            for k, v in dataclasses.asdict(self.loop).items():
                lines.append(f"{k} = {_toml_value(v)}")
        for layer in self.layers:
            lines += ["", "[[layers]]"]
            for k, v in layer.to_dict().items():
                lines.append(f"{k} = {_toml_value(v)}")
        return "\n".join(lines) + "\n"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], origin: str = "scene") -> Scene:
        """Build a scene from the dict form of its TOML, with one-line errors naming the key."""
        for key in ("canvas", "mood", "style", "layers"):
            if key not in data:
                raise ValueError(f"{origin}: missing key {key!r}")
        canvas = data["canvas"]
        if not isinstance(canvas, Mapping):
            raise ValueError(f"{origin}: [canvas] must be a table, got {canvas!r}")
        extra = set(canvas) - {"width", "height", "seed"}
        if extra:
            raise ValueError(f"{origin}: unknown canvas key {sorted(extra)[0]!r}; valid: "
                             "width, height, seed")
        try:
            cv = Canvas(canvas["width"], canvas["height"], canvas["seed"])
        except KeyError as exc:
            raise ValueError(f"{origin}: missing key 'canvas.{exc.args[0]}'") from None
        except ValueError as exc:
            raise ValueError(f"{origin}: {exc}") from None
        layers_raw = data["layers"]
        if not isinstance(layers_raw, list):
            raise ValueError(f"{origin}: layers must be an array of tables, got {layers_raw!r}")
        layers = []
        for i, raw in enumerate(layers_raw):
            if not isinstance(raw, Mapping):
                raise ValueError(f"{origin}: layers[{i}] must be a table, got {raw!r}")
            try:
                layers.append(layer_from_dict(raw, where=f"layers[{i}]"))
            except (ValueError, TypeError) as exc:
                raise ValueError(f"{origin}: {exc}") from None
        unknown = set(data) - {"canvas", "mood", "style", "layers", "wiktoria", "loop"}
        if unknown:
            raise ValueError(f"{origin}: unknown key {sorted(unknown)[0]!r}")
        loop = None
        if "loop" in data:
            raw_loop = data["loop"]
            if not isinstance(raw_loop, Mapping):
                raise ValueError(f"{origin}: [loop] must be a table, got {raw_loop!r}")
            extra = set(raw_loop) - {f.name for f in fields(Loop)}
            if extra:
                raise ValueError(f"{origin}: unknown loop key {sorted(extra)[0]!r}; valid: "
                                 f"{', '.join(f.name for f in fields(Loop))}")
            try:
                loop = Loop(**raw_loop)
            except TypeError:
                raise ValueError(f"{origin}: [loop] needs frames and fps") from None
            except ValueError as exc:
                raise ValueError(f"{origin}: loop.{exc}") from None
        return cls(canvas=cv, mood=str(data["mood"]), style=str(data["style"]),
                   layers=tuple(layers), loop=loop)

    @classmethod
    def from_toml(cls, text: str, origin: str = "scene") -> Scene:
        """Parse a scene TOML document.

        Raises
        ------
        ValueError
            Malformed TOML or a bad key or value, in one line naming ``origin`` and the key.
        """
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{origin}: malformed TOML: {exc}") from None
        return cls.from_dict(data, origin)


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ValueError(f"cannot write a non-finite number to TOML: {v!r}")
        return repr(v)
    if isinstance(v, str):
        out = v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'"{out}"'
    if isinstance(v, list | tuple):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    raise TypeError(f"cannot write {type(v).__name__} to TOML: {v!r}")
