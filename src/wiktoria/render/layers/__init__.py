"""The built-in layers' renderers, one module per layer kind.

Importing this package registers them, each through :func:`wiktoria.render.register_layer`,
the same call a user's own layer makes, in the order ``wiktoria layers`` lists them.
"""

from wiktoria.render.layer import register_layer
from wiktoria.render.layers.air import AirRenderer
from wiktoria.render.layers.brush import BrushRenderer
from wiktoria.render.layers.grain import GrainRenderer
from wiktoria.render.layers.land import LandRenderer
from wiktoria.render.layers.light import LightRenderer
from wiktoria.render.layers.lines import LinesRenderer
from wiktoria.render.layers.marble import MarbleRenderer
from wiktoria.render.layers.paper import PaperRenderer
from wiktoria.render.layers.sky import SkyRenderer
from wiktoria.render.layers.stone import StoneRenderer
from wiktoria.render.layers.strata import StrataRenderer
from wiktoria.render.layers.strokes import StrokesRenderer
from wiktoria.render.layers.veils import VeilsRenderer
from wiktoria.render.layers.vortex import VortexRenderer
from wiktoria.render.layers.wash import WashRenderer
from wiktoria.scene.layers import (
    AirLayer,
    BrushLayer,
    GrainLayer,
    LandLayer,
    LightLayer,
    LinesLayer,
    MarbleLayer,
    PaperLayer,
    SkyLayer,
    StoneLayer,
    StrataLayer,
    StrokesLayer,
    VeilsLayer,
    VortexLayer,
    WashLayer,
)

__all__ = [
    "AirRenderer",
    "BrushRenderer",
    "GrainRenderer",
    "LandRenderer",
    "LightRenderer",
    "LinesRenderer",
    "MarbleRenderer",
    "PaperRenderer",
    "SkyRenderer",
    "StoneRenderer",
    "StrataRenderer",
    "StrokesRenderer",
    "VeilsRenderer",
    "VortexRenderer",
    "WashRenderer",
]

#: The layers of version 0.3 first, then those of 0.1 and 0.2 (kept so old scenes paint).
_BUILTIN = ((AirLayer, AirRenderer), (LandLayer, LandRenderer), (LightLayer, LightRenderer),
            (PaperLayer, PaperRenderer), (VortexLayer, VortexRenderer),
            (VeilsLayer, VeilsRenderer), (LinesLayer, LinesRenderer),
            (StoneLayer, StoneRenderer), (BrushLayer, BrushRenderer),
            (StrokesLayer, StrokesRenderer), (SkyLayer, SkyRenderer),
            (StrataLayer, StrataRenderer), (WashLayer, WashRenderer),
            (MarbleLayer, MarbleRenderer), (GrainLayer, GrainRenderer))

for _spec, _renderer in _BUILTIN:
    register_layer(_spec, _renderer)
