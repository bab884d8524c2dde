"""The built-in layers' renderers, one module per layer kind.

Importing this package registers them, each through :func:`wiktoria.render.register_layer`,
the same call a user's own layer makes, in the order ``wiktoria layers`` lists them.
"""

from wiktoria.render.layer import register_layer
from wiktoria.render.layers.air import AirRenderer
from wiktoria.render.layers.land import LandRenderer
from wiktoria.render.layers.light import LightRenderer
from wiktoria.render.layers.paper import PaperRenderer
from wiktoria.render.layers.grain import GrainRenderer
from wiktoria.render.layers.marble import MarbleRenderer
from wiktoria.render.layers.sky import SkyRenderer
from wiktoria.render.layers.stone import StoneRenderer
from wiktoria.render.layers.strata import StrataRenderer
from wiktoria.render.layers.strokes import StrokesRenderer
from wiktoria.render.layers.wash import WashRenderer
from wiktoria.scene.layers import (
    AirLayer,
    GrainLayer,
    LandLayer,
    LightLayer,
    PaperLayer,
    MarbleLayer,
    SkyLayer,
    StoneLayer,
    StrataLayer,
    StrokesLayer,
    WashLayer,
)

__all__ = ["AirRenderer", "GrainRenderer", "LandRenderer", "LightRenderer", "PaperRenderer", "MarbleRenderer", "SkyRenderer", "StrataRenderer",
           "StoneRenderer",
           "StrokesRenderer", "WashRenderer"]

for _spec, _renderer in ((AirLayer, AirRenderer), (LandLayer, LandRenderer),
                         (LightLayer, LightRenderer), (PaperLayer, PaperRenderer),
                         (SkyLayer, SkyRenderer), (StrataLayer, StrataRenderer),
                         (StrokesLayer, StrokesRenderer), (WashLayer, WashRenderer),
                         (MarbleLayer, MarbleRenderer), (GrainLayer, GrainRenderer),
                         (StoneLayer, StoneRenderer)):
    register_layer(_spec, _renderer)
