"""Wiktoria: generative abstract landscapes that shift and writhe.

The public API is small and flat:

* noise: :func:`wiktoria.noise.perlin`, :func:`wiktoria.noise.simplex`, fractal sums,
  domain warping and curl fields (module :mod:`wiktoria.noise`);
* :mod:`wiktoria.noise.compat`: the ``noise`` package's functions, vectorised;
* moods: :func:`moods` lists them, :func:`mood` finds one by name or alias, :func:`mood_at`
  makes one for any (valence, arousal), :func:`blend` mixes two; each is a :class:`Mood` with
  a colour ramp (``mood.palette(values)``) and :class:`Motion` (modules :mod:`wiktoria.colour.ramp`,
  :mod:`wiktoria.colour`);
* paintings: :func:`paint` renders a mood as a :class:`Painting` (a PIL image that knows its
  :class:`Scene`, saves with the scene embedded and shows itself in Jupyter);
* frames: :func:`render_frames` writes a loop's frames as numbered PNGs, in parallel, on a
  process pool, any ``concurrent.futures.Executor`` or a Dask cluster.
"""

from __future__ import annotations

from wiktoria import _aliases
from wiktoria.common.version import __version__

_aliases.install()

from wiktoria.moods import Mood, Motion, blend, mood, mood_at, moods  # noqa: E402
from wiktoria.motion.animation import Animation, animate, animate_scene  # noqa: E402
from wiktoria.render import register_layer, unregister_layer  # noqa: E402
from wiktoria.render.painting import Painting, paint, paint_scene  # noqa: E402
from wiktoria.run.batch import render_frames  # noqa: E402
from wiktoria.scene import Canvas, Layer, Loop, Scene, layer_types, param  # noqa: E402

__all__ = ["Animation", "Canvas", "Layer", "Loop", "Mood", "Motion", "Painting", "Scene",
           "__version__", "animate", "animate_scene", "blend", "layer_types", "mood", "mood_at",
           "moods", "paint", "paint_scene", "param", "register_layer", "render_frames",
           "unregister_layer"]
