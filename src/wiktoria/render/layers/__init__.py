"""The built-in layers' renderers, one module per layer kind.

Importing this package registers them, each through :func:`wiktoria.render.register_layer`,
the same call a user's own layer makes, in the order ``wiktoria layers`` lists them.
"""

from wiktoria.render.layer import register_layer
from wiktoria.render.layers.grain import GrainRenderer
from wiktoria.render.layers.marble import MarbleRenderer
from wiktoria.render.layers.sky import SkyRenderer
from wiktoria.render.layers.strata import StrataRenderer
from wiktoria.render.layers.strokes import StrokesRenderer
from wiktoria.render.layers.wash import WashRenderer
from wiktoria.scene.layers import (
    GrainLayer,
    MarbleLayer,
    SkyLayer,
    StrataLayer,
    StrokesLayer,
    WashLayer,
)

__all__ = ["GrainRenderer", "MarbleRenderer", "SkyRenderer", "StrataRenderer",
           "StrokesRenderer", "WashRenderer"]

for _spec, _renderer in ((SkyLayer, SkyRenderer), (StrataLayer, StrataRenderer),
                         (StrokesLayer, StrokesRenderer), (WashLayer, WashRenderer),
                         (MarbleLayer, MarbleRenderer), (GrainLayer, GrainRenderer)):
    register_layer(_spec, _renderer)
