"""Scenes: what a painting is made of, as pure data (no rendering, no files).

* :mod:`wiktoria.scene.scene`: :class:`Scene`, :class:`Canvas`, :class:`Loop` and their TOML;
* :mod:`wiktoria.scene.layer`: the :class:`Layer` spec base, :func:`param` and the registry of
  layer types (``wiktoria.layers`` entry points included);
* :mod:`wiktoria.scene.layers`: the built-in layer specs;
* :mod:`wiktoria.scene.styles`: the layer stack each style builds for a mood.
"""

from wiktoria.scene.layer import (
    ENTRY_POINT_GROUP,
    Layer,
    LayerPluginWarning,
    ParamInfo,
    UnknownLayerError,
    layer_class,
    layer_from_dict,
    layer_types,
    param,
)
from wiktoria.scene.layers import (
    BUILTIN_LAYERS,
    GrainLayer,
    MarbleLayer,
    SkyLayer,
    StrataLayer,
    StrokesLayer,
    WashLayer,
)
from wiktoria.scene.scene import MAX_FPS, MAX_FRAMES, MAX_SIDE, Canvas, Loop, Scene, check_size

__all__ = [
    "BUILTIN_LAYERS",
    "ENTRY_POINT_GROUP",
    "MAX_FPS",
    "MAX_FRAMES",
    "MAX_SIDE",
    "Canvas",
    "GrainLayer",
    "Layer",
    "LayerPluginWarning",
    "Loop",
    "MarbleLayer",
    "ParamInfo",
    "Scene",
    "SkyLayer",
    "StrataLayer",
    "StrokesLayer",
    "UnknownLayerError",
    "WashLayer",
    "check_size",
    "layer_class",
    "layer_from_dict",
    "layer_types",
    "param",
]
