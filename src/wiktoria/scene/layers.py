"""The built-in layer specs (pure data).

The layers of version 0.3 paint a :class:`~wiktoria.scene.Composition` in two colour axes
under a light: ``air``, ``land``, ``light`` and ``paper`` (the landscape), ``stone`` (marble),
``vortex`` (storm), ``veils`` (field) and ``lines``. The layers of versions 0.1 and 0.2 (``sky``,
``strata``, ``strokes``, ``wash``, ``marble`` and ``grain``) stay, unchanged, so every scene
written before paints the same pixels; ``strokes`` is still the flow style's.

Each is a frozen dataclass of parameters with ranges and meanings (see
:mod:`wiktoria.scene.layer`); :mod:`wiktoria.render.layers` gives each its renderer and
registers the pair through :func:`wiktoria.render.register_layer`, the same call a user's
own layer makes.

Examples
--------
>>> StrataLayer(count=4).count
4
>>> [p.name for p in GrainLayer.describe()]
['amount', 'vignette']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from wiktoria.scene.layer import Layer, param

__all__ = [
    "BUILTIN_LAYERS",
    "LEGACY_LAYERS",
    "AirLayer",
    "BrushLayer",
    "GrainLayer",
    "LandLayer",
    "LightLayer",
    "LinesLayer",
    "MarbleLayer",
    "PaperLayer",
    "SkyLayer",
    "StoneLayer",
    "StrataLayer",
    "StrokesLayer",
    "VeilsLayer",
    "VortexLayer",
    "WashLayer",
]


@dataclass(frozen=True)
class SkyLayer(Layer):
    """A large, calm, domain-warped field: the sky (or the whole ground of a painting).

    Its value picks a ramp position between ``low`` (top of the frame) and ``high`` (the glow
    at the horizon); the warp's folds add slow, crawling structure.
    """

    type: ClassVar[str] = "sky"
    frequency: float = param(1.4, 0.05, 40.0, "noise cells per canvas height")
    octaves: int = param(5, 1, 10, "octaves of each fBm")
    warp: float = param(1.2, 0.0, 20.0, "domain-warp strength, noise cells")
    depth: int = param(2, 0, 3, "levels of domain warp")
    low: float = param(0.35, 0.0, 1.0, "ramp position at the top of the frame")
    high: float = param(0.95, 0.0, 1.0, "ramp position of the glow at the horizon")
    contrast: float = param(0.35, 0.0, 1.0, "how far the field moves the ramp position")
    glow: float = param(0.6, 0.0, 1.0, "strength of the brightening towards the horizon")
    speed: float = param(0.5, 0.0, 50.0, "noise cells per second the field evolves (animations)")


@dataclass(frozen=True)
class StrataLayer(Layer):
    """Stacked ridgelines from far to near, with atmospheric perspective.

    Far strata are smoother, hazier and close to the sky's colour; near ones are darker, more
    saturated and more detailed.
    """

    type: ClassVar[str] = "strata"
    count: int = param(5, 1, 9, "number of ridgelines")
    horizon: float = param(0.38, 0.05, 0.95, "height of the farthest ridge, fraction from the top")
    spread: float = param(0.55, 0.05, 1.0, "share of the space below the horizon the ridges fill")
    roughness: float = param(0.5, 0.0, 2.0, "ridge amplitude")
    frequency: float = param(2.5, 0.2, 40.0, "ridge undulations per canvas width")
    octaves: int = param(6, 1, 10, "octaves of the nearest ridge (far ones use fewer)")
    warp: float = param(0.4, 0.0, 5.0, "sideways warp: ridges that do not look like waveforms")
    haze: float = param(0.6, 0.0, 1.0, "atmospheric perspective: far strata mix with the sky")
    near: float = param(0.05, 0.0, 1.0, "ramp position of the nearest stratum")
    far: float = param(0.55, 0.0, 1.0, "ramp position of the farthest stratum")
    texture: float = param(0.12, 0.0, 1.0, "ramp movement by the texture inside a stratum")
    speed: float = param(0.3, 0.0, 50.0, "noise cells per second the ridges breathe (animations)")


@dataclass(frozen=True)
class StrokesLayer(Layer):
    """Flow-field strokes: particles traced through curl noise, splatted anti-aliased."""

    type: ClassVar[str] = "strokes"
    density: float = param(20000.0, 0.0, 400000.0, "strokes per megapixel at 1080 lines")
    length: float = param(60.0, 2.0, 2000.0, "mean stroke length, pixels at 1080 lines")
    width: float = param(1.2, 0.3, 20.0, "mean stroke width, pixels at 1080 lines")
    curl: float = param(0.6, 0.0, 1.0, "0 laminar .. 1 tightly curled")
    frequency: float = param(2.0, 0.1, 40.0, "flow-field cells per canvas height")
    octaves: int = param(3, 1, 8, "octaves of the flow potential")
    opacity: float = param(0.6, 0.0, 1.0, "opacity of the strokes over the layers below")
    clip: float = param(1.0, 0.0, 1.0, "how strictly strokes stay inside the strata (0: anywhere)")
    lift: float = param(0.3, -1.0, 1.0, "how far along the ramp strokes move the surface below")
    contrast: float = param(0.6, 0.0, 1.0, "how much the strokes' tone varies their lift")
    gain: float = param(1.2, 0.05, 50.0, "tone-mapping gain of the stroke density")
    speed: float = param(0.5, 0.0, 50.0, "noise cells per second the flow field evolves")
    life: float = param(1.0, 0.05, 60.0, "seconds a stroke lives in a loop (fading in and out)")


@dataclass(frozen=True)
class WashLayer(Layer):
    """A quiet, nearly flat wash from one end of the ramp (the ground of the ``flow`` style)."""

    type: ClassVar[str] = "wash"
    position: float = param(0.05, 0.0, 1.0, "ramp position of the wash")
    variation: float = param(0.06, 0.0, 0.5, "ramp movement by a very soft noise")
    frequency: float = param(1.0, 0.05, 20.0, "noise cells per canvas height")
    speed: float = param(0.2, 0.0, 50.0, "noise cells per second the wash evolves (animations)")


@dataclass(frozen=True)
class MarbleLayer(Layer):
    """Multi-level domain warp (Quilez) coloured by the final value and the warp vectors,
    with fine ridged veins where the warp folds."""

    type: ClassVar[str] = "marble"
    frequency: float = param(1.6, 0.05, 40.0, "noise cells per canvas height")
    octaves: int = param(5, 1, 10, "octaves of each fBm")
    warp: float = param(2.5, 0.0, 20.0, "domain-warp strength, noise cells")
    depth: int = param(3, 1, 3, "levels of domain warp")
    veins: float = param(0.5, 0.0, 1.0, "strength of the ridged veins")
    low: float = param(0.0, 0.0, 1.0, "ramp position of the darkest areas")
    high: float = param(1.0, 0.0, 1.0, "ramp position of the brightest areas")
    speed: float = param(0.5, 0.0, 50.0, "noise cells per second the marble evolves (animations)")


@dataclass(frozen=True)
class GrainLayer(Layer):
    """Film grain (seeded, in linear light) and a vignette."""

    type: ClassVar[str] = "grain"
    amount: float = param(0.025, 0.0, 0.5, "grain strength")
    vignette: float = param(0.3, 0.0, 1.0, "darkening of the corners")


@dataclass(frozen=True)
class AirLayer(Layer):
    """The sky and the air: a value gradient lit by the composition's light, with clouds from
    a stretched domain warp whose edges catch the light, and hue from the warp's own fold.

    Quiet areas (the composition's ``empty`` share) keep the clouds down.
    """

    type: ClassVar[str] = "air"
    frequency: float = param(1.2, 0.05, 40.0, "cloud cells per canvas height")
    octaves: int = param(5, 1, 10, "octaves of each fBm")
    warp: float = param(1.0, 0.0, 20.0, "domain-warp strength, noise cells")
    stretch: float = param(2.2, 0.25, 8.0, "horizontal stretch of the clouds")
    clouds: float = param(0.3, 0.0, 1.0, "how far the clouds move the value")
    glow: float = param(0.6, 0.0, 1.0, "brightening of the air around the light")
    gradient: float = param(0.3, 0.0, 1.0, "darkening of the sky away from the horizon")
    speed: float = param(0.5, 0.0, 50.0, "noise cells per second the air evolves (animations)")
    rise: float = param(0.0, -1.0, 1.0, "upward share of the wind: 1 boils straight up, 0 level "
                        "(animations)")
    stall: float = param(0.0, 0.0, 1.0, "0 a steady drift, 1 a pace that stops once every few "
                         "seconds (animations)")


@dataclass(frozen=True)
class LandLayer(Layer):
    """The land: the composition's forms (ranges, walls, a monolith, a valley, a spiral), far
    to near, with relief shaded by the light, rims on the edges that face it and depth fog
    that takes the air's colour and glows towards the light."""

    type: ClassVar[str] = "land"
    roughness: float = param(0.5, 0.0, 2.0, "amplitude of the outlines")
    frequency: float = param(2.5, 0.2, 40.0, "undulations of the outlines per canvas width")
    octaves: int = param(6, 1, 10, "octaves of the outlines and the relief")
    relief: float = param(0.35, 0.0, 1.0, "how much the surface relief moves the value")
    rim: float = param(0.6, 0.0, 1.0, "brightness of the rims that face the light")
    shade: float = param(0.5, 0.0, 1.0, "darkness of the sides turned from the light")
    fog: float = param(0.65, 0.0, 1.0, "depth fog: far forms take the air's value")
    tone: float = param(0.12, 0.0, 1.0, "value of the nearest form before light")
    speed: float = param(0.2, 0.0, 50.0, "noise cells per second the land breathes (animations)")


@dataclass(frozen=True)
class LightLayer(Layer):
    """The light itself: the disc of a sun or moon, the seam of a rift or a bolt, the broad
    glow, each with a bloom that spills over what lies below."""

    type: ClassVar[str] = "light"
    intensity: float = param(1.0, 0.0, 2.0, "brightness of the source")
    bloom: float = param(0.5, 0.0, 1.0, "the halo spilling over the painting")
    speed: float = param(0.3, 0.0, 50.0, "how fast a rift or a bolt flickers (animations)")


@dataclass(frozen=True)
class PaperLayer(Layer):
    """Paper and pigment: a fibrous tooth and fine grain scaled to the value under them (so
    pale areas show paper, not sensor noise), and a vignette."""

    type: ClassVar[str] = "paper"
    tooth: float = param(0.05, 0.0, 0.5, "strength of the paper's fibrous tooth")
    grain: float = param(0.012, 0.0, 0.2, "strength of the fine pigment grain")
    vignette: float = param(0.25, 0.0, 1.0, "darkening of the corners")


@dataclass(frozen=True)
class VeilsLayer(Layer):
    """Soft colour fields (Rothko): two or three rectangles stacked on a ground, each built
    from many thin translucent glazes whose noise-displaced, feathered edges breathe and glow.

    The seed chooses how many fields there are and their proportions; the composition's key
    and contrast choose their values; neighbouring fields lie close in value and apart in hue,
    so that they vibrate.
    """

    type: ClassVar[str] = "veils"
    blocks: int = param(0, 0, 3, "number of fields (0: the seed chooses two or three)")
    arrangement: str = param("seed", doc="fields stacked, side by side (columns), as windows "
                             "inside a field (nested), or as the seed and the composition "
                             "choose", choices=("seed", "stacked", "columns", "nested"))
    glazes: int = param(22, 4, 48, "translucent glazes each field is built from")
    opacity: float = param(0.93, 0.3, 1.0, "how fully the glazes cover the ground at a "
                           "field's heart")
    softness: float = param(0.012, 0.0, 0.1, "feather of the edges, fraction of height")
    breathing: float = param(0.012, 0.0, 0.08, "how far the edges wander, fraction of height")
    frequency: float = param(5.0, 0.5, 40.0, "edge undulations per canvas height")
    margin: float = param(0.08, 0.02, 0.2, "outer margin, fraction of width")
    gap: float = param(0.045, 0.0, 0.15, "gap between fields, fraction of height")
    glow: float = param(0.35, 0.0, 1.0, "how much the brighter underlayer lights the edges")
    texture: float = param(0.4, 0.0, 1.0, "mottling of the glazes")
    vibration: float = param(0.5, 0.0, 1.0, "hue distance between neighbouring fields")
    speed: float = param(0.15, 0.0, 50.0, "noise cells per second the edges breathe "
                         "(animations)")


@dataclass(frozen=True)
class LinesLayer(Layer):
    """Horizontal lines displaced by a terrain and hiding one another, near to far (the Joy
    Division cover, Meridian): the composition shapes the terrain, the light brightens the
    lines near it and shades the slopes turned from it, far lines fade into the haze.

    On a dark ground the lines are light; in a high key they are ink on a pale ground.
    """

    type: ClassVar[str] = "lines"
    count: int = param(80, 4, 400, "number of lines")
    relief: float = param(0.12, 0.0, 1.0, "height of the terrain's peaks, fraction of height")
    frequency: float = param(4.0, 0.5, 40.0, "features of the terrain across the width")
    octaves: int = param(4, 1, 8, "octaves of the terrain")
    sharpness: float = param(0.4, 0.0, 1.0, "0 rolling hills .. 1 spiky pulses")
    coherence: float = param(6.0, 0.5, 100.0, "lines one feature of the terrain spans in depth")
    perspective: float = param(0.5, 0.0, 1.0, "how much the lines crowd towards the horizon")
    width: float = param(1.5, 0.3, 8.0, "width of the nearest line, pixels at 1080 lines")
    fog: float = param(0.5, 0.0, 1.0, "how far the farthest lines fade into the haze")
    glow: float = param(0.5, 0.0, 1.0, "brightening of the lines near the light")
    shade: float = param(0.4, 0.0, 1.0, "darkening of the slopes turned from the light")
    speed: float = param(0.2, 0.0, 50.0, "noise cells per second the terrain breathes")


@dataclass(frozen=True)
class VortexLayer(Layer):
    """A storm: a vortex of mist and light wound around a luminous core at the composition's
    light, elliptical and tilted along a diagonal, with spiral arms and streaks of mist, a
    calm eye and a darker, writhing periphery (Turner's *Snow Storm*).

    Value peaks at the core; hue comes from a separate field wound with the arms.
    """

    type: ClassVar[str] = "vortex"
    core: float = param(0.09, 0.02, 0.4, "radius of the calm, luminous core, fraction of height")
    twist: float = param(1.6, 0.0, 6.0, "winding of the spiral, radians per e-fold of radius "
                         "(pitch atan(1/twist))")
    arms: int = param(2, 1, 6, "broad arms of light wound around the core")
    streaks: int = param(12, 2, 64, "streaks of mist around the core (their width follows)")
    texture: float = param(0.6, 0.0, 1.0, "strength of the streaks of mist")
    mist: float = param(0.5, 0.0, 1.0, "thickness of the veils of mist drawn over the storm")
    turbulence: float = param(0.5, 0.0, 1.5, "writhing of the periphery (the eye stays calm)")
    frequency: float = param(1.6, 0.2, 20.0, "turbulence cells per canvas height")
    glow: float = param(0.8, 0.0, 1.5, "brightness of the core and of the arms it feeds")
    darkness: float = param(0.5, 0.0, 1.0, "darkening of the periphery")
    squash: float = param(1.5, 1.0, 3.0, "elongation of the vortex along its diagonal")
    opacity: float = param(1.0, 0.0, 1.0, "opacity over the layers below")
    speed: float = param(0.3, 0.0, 50.0, "noise cells per second the turbulence evolves "
                         "(animations)")
    spin: float = param(0.1, 0.0, 10.0, "arm spacings per second the vortex turns (animations; "
                        "whole spacings per loop)")


@dataclass(frozen=True)
class StoneLayer(Layer):
    """Polished stone: a two-level domain warp (Quilez) whose final field sets the value and
    whose intermediate fields set the hue, crossed by continuous networks of veins of varying
    width, with relief and a polished sheen from the composition's light."""

    type: ClassVar[str] = "stone"
    frequency: float = param(1.2, 0.05, 40.0, "noise cells per canvas height")
    octaves: int = param(5, 1, 8, "octaves of each fBm")
    warp: float = param(2.0, 0.0, 8.0, "domain-warp strength, noise cells")
    depth: int = param(2, 1, 3, "levels of domain warp")
    stretch: float = param(1.6, 1.0, 4.0, "elongation of the stone's grain along its bedding")
    spread: float = param(0.9, 0.0, 1.5, "value range of the stone (2nd to 98th percentile)")
    tone: float = param(0.5, 0.0, 1.0, "middle value of the stone")
    veins: float = param(0.7, 0.0, 1.0, "opacity of the veins")
    count: float = param(4.0, 0.5, 40.0, "main veins across the height of the stone")
    vein_width: float = param(2.5, 0.3, 20.0, "half-width of the main veins, pixels at 1080 lines")
    vein_tone: float = param(0.5, -1.0, 1.0, "veins darker (< 0) or lighter (> 0) than the stone")
    network: float = param(0.5, 0.0, 1.0, "density of the finer veins that join the main ones")
    relief: float = param(0.3, 0.0, 1.0, "relief shading of the field, lit from the light")
    sheen: float = param(0.5, 0.0, 1.0, "polished glow where the light falls on the stone")
    speed: float = param(0.5, 0.0, 50.0, "noise cells per second the stone evolves (animations)")


@dataclass(frozen=True)
class BrushLayer(Layer):
    """Strokes you can see: evenly spaced streamlines (Jobard-Lefer) that follow the forms and
    stop at their outlines, cut into a few long, broad strokes and many short, thin ones, each
    lit by the painting below it with its own small shift of value and hue.

    The composition's empty share stays free of strokes; strokes thin away from the light.
    """

    type: ClassVar[str] = "brush"
    spacing: float = param(9.0, 2.0, 200.0, "distance between strokes, pixels at 1080 lines")
    test: float = param(0.5, 0.05, 1.0, "how close a stroke may come to another, of spacing")
    length: float = param(90.0, 4.0, 4000.0, "median stroke length, pixels at 1080 lines")
    variety: float = param(0.8, 0.0, 2.0, "spread of lengths and widths (log-normal sd)")
    width: float = param(2.2, 0.3, 40.0, "median stroke width, pixels at 1080 lines")
    ends: str = param("taper", doc="ends of a stroke", choices=("taper", "round", "blunt"))
    follow: float = param(0.75, 0.0, 1.0, "how much strokes in a form follow its outline")
    frequency: float = param(2.0, 0.1, 40.0, "cells per canvas height of the noise field")
    octaves: int = param(3, 1, 8, "octaves of the noise field")
    turn: float = param(0.6, 0.0, 3.0, "how far the noise turns strokes from the main "
                        "direction, half-turns")
    angle: float = param(0.0, -90.0, 90.0, "main direction of the strokes, degrees")
    air: float = param(0.4, 0.0, 1.0, "density of strokes in the air, relative to the land")
    lift: float = param(0.08, -1.0, 1.0, "value strokes add to the surface below them")
    jitter: float = param(0.06, 0.0, 0.5, "spread of each stroke's value and hue")
    accent: float = param(0.02, 0.0, 0.5, "share of strokes near the light in the accent")
    opacity: float = param(0.85, 0.0, 1.0, "opacity of the strokes")
    speed: float = param(0.5, 0.0, 50.0, "noise cells per second the field evolves (animations)")
    stall: float = param(0.0, 0.0, 1.0, "0 strokes glide steadily, 1 they stop once every few "
                         "seconds (animations)")
    rhythm: float = param(0.0, 0.0, 4.0, "beats per second of a rhythmic sway of the strokes, "
                          "0 none (animations)")


BUILTIN_LAYERS: tuple[type[Layer], ...] = (AirLayer, LandLayer, LightLayer, PaperLayer,
                                            VortexLayer, VeilsLayer, LinesLayer, StoneLayer,
                                            BrushLayer,
                                            StrokesLayer, SkyLayer, StrataLayer, WashLayer,
                                            MarbleLayer, GrainLayer)
"""The layer specs Wiktoria ships, in the order ``wiktoria layers`` lists them."""

LEGACY_LAYERS: tuple[type[Layer], ...] = (SkyLayer, StrataLayer, WashLayer, MarbleLayer,
                                           GrainLayer)
"""Layers that only scenes written before version 0.3 use (kept, unchanged, so they paint)."""
