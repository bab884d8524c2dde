"""The built-in layers' renderers, one module per layer kind.

Importing this package registers them, each through :func:`wiktoria.render.register_layer`,
the same call a user's own layer makes.
"""

from wiktoria.render.layers import grain, marble, sky, strata, strokes, wash
from wiktoria.render.layers.grain import GrainRenderer
from wiktoria.render.layers.marble import MarbleRenderer
from wiktoria.render.layers.sky import SkyRenderer
from wiktoria.render.layers.strata import StrataRenderer
from wiktoria.render.layers.strokes import StrokesRenderer
from wiktoria.render.layers.wash import WashRenderer

__all__ = ["GrainRenderer", "MarbleRenderer", "SkyRenderer", "StrataRenderer",
           "StrokesRenderer", "WashRenderer", "grain", "marble", "sky", "strata", "strokes",
           "wash"]
