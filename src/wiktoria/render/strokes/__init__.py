"""Flow-field strokes: a swarm of particles advected through curl noise, splatted as soft lines.

This is the "writhing" texture of a painting (Tyler Hobbs' flow fields, vectorised). The module
is a pure array library: it returns float32 buffers and never draws with PIL.

Pipeline of :func:`render_strokes`:

1. **Field.** :func:`flow_field` evaluates a velocity field once on a coarse grid (every 4 px,
   through the separable grid path of :mod:`wiktoria.noise`), extended by a margin beyond the
   canvas. It blends a laminar angle field (a mean ``direction`` bent by fBm; where the bend
   converges, strokes gather into denser lanes) with curl noise (divergence-free: strokes swirl
   around its eddies without gathering); ``curl`` chooses the mix. The result is a
   :class:`VectorField`, sampled bilinearly at particle positions (:func:`sample_bilinear`).
2. **Tracing.** :func:`trace` advances the whole swarm at once with midpoint (RK2) steps of a
   fixed length in pixels along the field's direction. Only the loop over steps is in Python.
3. **Splatting.** Each step's straight segment is sampled where it crosses the pixel-centre
   lines of its major axis (one sample per pixel column of a shallow segment, per row of a
   steep one; samples are at most sqrt(2) px apart along the path, 1 px along the axis) and
   each sample is splatted with bilinear (sub-pixel) weights into float32 buffers with
   ``np.bincount``, one buffer per stroke-width class. Since a sample sits on a pixel centre
   along the major axis, its bilinear weights there are exactly 1 and 0, so only two corners
   get ink (Xiaolin Wu's anti-aliased line): every column (row) receives exactly the ink of
   the length crossing it, with no beading at any angle. A sample's weight is the stroke's
   opacity times its width, times a taper that fades the stroke in and out along its length,
   times the arc length it stands for; a stroke that winds several times round an eddy's eye
   is thinned in proportion, so eyes stay rings instead of burnt dots. Wider classes are then
   softened with a separable box blur whose radius is the class's half-width.
4. **Lifetimes (animations).** With ``cycles >= 1`` strokes are particles with finite,
   staggered lives, ``cycles`` per loop: stroke ``i`` is ``age = frac(phase * cycles +
   offset_i)`` of its life old, its opacity fades in and out over the life (0 at birth and
   death), and each life starts from a new seed drawn for ``(i, life)``. As it ages the stroke
   slides along the field: it is traced from its seed moved ``(age - 1/2) * travel`` pixels
   along the flow, so it crawls forward instead of sliding with the image. Offsets and seeds
   come from a low-discrepancy sequence, so at every phase strokes are at all ages and evenly
   spread (steady ink, no empty start), and everything is exactly periodic in ``phase``.
5. **Tone mapping.** Raw density (in units of stroke opacity: one stroke of opacity ``a`` leaves
   about ``a`` on its core) maps to ``1 - exp(-gain * density)``: sparse single strokes stay
   translucent, overlaps build up smoothly and dense regions approach 1 without clipping flat.

The stages are modules of this package: :mod:`~wiktoria.render.strokes.params`,
:mod:`~wiktoria.render.strokes.field` (1), :mod:`~wiktoria.render.strokes.tracing` (2),
:mod:`~wiktoria.render.strokes.seeding` (the swarm and its lifetimes, 4),
:mod:`~wiktoria.render.strokes.splatting` (3) and :mod:`~wiktoria.render.strokes.layer` (the
driver, and 5). The public names are all importable from here.

Coordinates are pixels with pixel centres at integers: pixel ``[j, i]`` (row, column) is
centred at ``x = i, y = j`` and the canvas spans ``[-0.5, width - 0.5] x [-0.5, height - 0.5]``.

Every random choice comes from ``numpy.random.default_rng`` streams spawned from
``StrokeParams.seed``; results are bit-for-bit reproducible and independent of the thread
count. Stroke streams are spawned per quantity, so raising ``count`` keeps the existing strokes
(the first ``n`` strokes of a larger swarm are the ``n`` strokes of the smaller one).

Examples
--------
>>> from wiktoria.render.strokes import StrokeParams, render_strokes
>>> layer = render_strokes(160, 90, StrokeParams(count=400, length=30.0, seed=3))
>>> layer.density.shape, layer.density.dtype, layer.tone.dtype
((90, 160), dtype('float32'), dtype('float32'))
>>> bool(0.0 <= layer.density.min() and layer.density.max() <= 1.0)
True
"""

from __future__ import annotations

from wiktoria.render.strokes.field import VectorField, flow_field, sample_bilinear
from wiktoria.render.strokes.layer import render_strokes
from wiktoria.render.strokes.params import StrokeLayer, StrokeParams
from wiktoria.render.strokes.tracing import trace

__all__ = [
    "StrokeLayer",
    "StrokeParams",
    "VectorField",
    "flow_field",
    "render_strokes",
    "sample_bilinear",
    "trace",
]
