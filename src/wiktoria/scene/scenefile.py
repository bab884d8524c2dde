"""Reading the tables of a scene file: canvas, mood, layers and loop, with one-line errors
that name the file and the key (:meth:`wiktoria.scene.Scene.from_dict` uses them), and
writing one layer's table."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from wiktoria.common.toml import TomlWriter
from wiktoria.moods.mood import Mood, MoodFileError
from wiktoria.moods.moodfile import mood_from_dict
from wiktoria.scene.layer import Layer, UnknownLayerError, layer_from_dict
from wiktoria.scene.scene import (  # noqa: F401
    MAX_FRAMES,
    Canvas,
    Loop,
    _as_mood,
    frames_for_duration,
)

__all__ = [
    "legacy_transition",
    "read_canvas",
    "read_layers",
    "read_loop",
    "read_mood",
    "write_layer",
]


def legacy_transition(loop: Loop, mood: Mood, style: str, layers: tuple[Layer, ...],
                       embedded: bool) -> Loop:
    """The transition of a version 0.1 loop, which named its target mood only.

    A 0.1 frame other than frame 0 stored that frame's own blended mood (beside the scene) and
    mixed layers: it is painted as it is, without the transition. Otherwise the target layers
    are what 0.1 computed: the style's defaults for the target mood, with the parameters this
    scene changed from its own defaults changed the same way.
    """
    if embedded and loop.frame != 0:
        return replace(loop, to=None)
    from wiktoria.scene.styles import retarget

    if loop.to is None:
        return loop
    return replace(loop, to_layers=retarget(layers, mood, style, loop.to))


def write_layer(w: TomlWriter, layer: Layer) -> None:
    w.pair("type", layer.type, comment=layer.summary())
    for info in layer.describe():
        w.pair(info.name, getattr(layer, info.name), comment=f"{info.range}: {info.doc}")


def read_canvas(raw: Any, origin: str) -> Canvas:
    if not isinstance(raw, Mapping):
        raise ValueError(f"{origin}: [canvas] must be a table, got {raw!r}")
    extra = set(raw) - {"width", "height", "seed"}
    if extra:
        raise ValueError(f"{origin}: unknown canvas key {sorted(extra)[0]!r}; valid: "
                         "width, height, seed")
    try:
        return Canvas(raw["width"], raw["height"], raw["seed"])
    except KeyError as exc:
        raise ValueError(f"{origin}: missing key 'canvas.{exc.args[0]}'") from None
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{origin}: canvas: {exc}") from None


def read_mood(raw: Any, origin: str, key: str, given: Mood | None) -> Mood:
    if isinstance(raw, Mapping):
        try:
            return mood_from_dict(raw, f"{origin} [{key}]")
        except MoodFileError as exc:
            raise ValueError(str(exc)) from None
    if isinstance(raw, str):  # version 0.1: a mood named, not embedded
        if given is not None:
            return given
        try:
            return _as_mood(raw, f"{origin}: {key}")
        except TypeError as exc:
            raise ValueError(str(exc)) from None
    raise ValueError(f"{origin}: {key} must be a mood table (or a registered mood's name), "
                     f"got {raw!r}")


def read_layers(raw: Any, origin: str, key: str) -> tuple[Layer, ...]:
    if not isinstance(raw, list):
        raise ValueError(f"{origin}: {key} must be an array of tables, got {raw!r}")
    layers = []
    for i, item in enumerate(raw):
        if not isinstance(item, Mapping):
            raise ValueError(f"{origin}: {key}[{i}] must be a table, got {item!r}")
        try:
            layers.append(layer_from_dict(item, where=f"{key}[{i}]"))
        except UnknownLayerError as exc:
            raise UnknownLayerError(f"{origin}: {exc}") from None
        except (ValueError, TypeError) as exc:
            raise ValueError(f"{origin}: {key}[{i}]: {exc}") from None
    return tuple(layers)


_LOOP_KEYS = ("frames", "duration", "fps", "frame", "to", "pingpong", "layers")


def read_loop(raw: Any, origin: str, n_layers: int) -> Loop:
    if not isinstance(raw, Mapping):
        raise ValueError(f"{origin}: [loop] must be a table, got {raw!r}")
    extra = set(raw) - set(_LOOP_KEYS)
    if extra:
        raise ValueError(f"{origin}: unknown loop key {sorted(extra)[0]!r}; valid: "
                         f"{', '.join(_LOOP_KEYS)}")
    if "fps" not in raw:
        raise ValueError(f"{origin}: missing key 'loop.fps'")
    if "frames" not in raw and "duration" not in raw:
        raise ValueError(f"{origin}: missing key 'loop.frames' (or 'loop.duration', seconds)")
    if "frames" in raw and "duration" in raw:
        raise ValueError(f"{origin}: give loop.frames or loop.duration, not both (got frames = "
                         f"{raw['frames']!r}, duration = {raw['duration']!r})")
    to = None
    if "to" in raw and raw["to"] != "":
        to = read_mood(raw["to"], origin, "loop.to", None)
    to_layers = read_layers(raw["layers"], origin, "loop.layers") if "layers" in raw else None
    if to_layers is not None and len(to_layers) != n_layers:
        raise ValueError(f"{origin}: loop.layers must hold {n_layers} layers (one per layer), "
                         f"got {len(to_layers)}")
    args = {k: raw[k] for k in ("frames", "fps", "frame", "pingpong") if k in raw}
    try:
        if "duration" in raw:  # a hand-written scene; it is written back as frames
            args["frames"] = frames_for_duration(raw["duration"], raw["fps"])
        return Loop(**args, to=to, to_layers=to_layers)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{origin}: loop.{exc}") from None
