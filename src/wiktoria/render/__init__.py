"""Rendering: the band compositor, the layer API and one renderer module per layer kind.

* :mod:`wiktoria.render.layer`: :class:`Frame`, :class:`Band`, :class:`LayerRenderer` and
  :func:`register_layer`, the public API a layer of one's own is written against;
* :mod:`wiktoria.render.compositor`: :func:`render`, which paints a scene band by band;
* :mod:`wiktoria.render.layers`: the built-in layers' renderers (registered on import);
* :mod:`wiktoria.render.strokes`: the flow-field stroke engine;
* :mod:`wiktoria.render.painting`: :func:`paint`, :func:`paint_scene` and :class:`Painting`.
"""

from wiktoria.render import layers as _builtin_layers  # noqa: F401  (registers them)
from wiktoria.render.compositor import render
from wiktoria.render.layer import (
    BAND,
    Band,
    Frame,
    LayerRenderer,
    register_layer,
    renderer_for,
    unregister_layer,
)

__all__ = ["BAND", "Band", "Frame", "LayerRenderer", "register_layer", "render", "renderer_for",
           "unregister_layer"]
