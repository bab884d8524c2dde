"""Styles: the layer stack of each style, with defaults chosen by the mood.

A mood's affect (valence, arousal) and motion (speed, octaves, warp, turbulence, stroke hints)
choose every layer's default parameters: a seething landscape is dark, turbulent and dense; a
serene one is pale, calm and sparse. Every parameter can then be overridden. The composition
(layout, light, key) is chosen separately, by :func:`wiktoria.scene.composition.plan`, from the
layouts a style can paint (:func:`style_layouts`).

The stacks of version 0.2 (``LEGACY_STYLES``) are kept: a version 0.1 loop that moves to
another mood names only that mood, and its far end is computed from them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from wiktoria.moods.mood import Mood
from wiktoria.scene.layer import Layer
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

__all__ = ["LEGACY_STYLES", "STYLES", "check_style", "layers_for", "retarget", "style_layouts"]


def _clamp(v: float, lo: float, hi: float) -> float:
    return min(hi, max(lo, v))


def _u(m: Mood) -> float:
    """Arousal mapped to [0, 1]."""
    return (m.arousal + 1) / 2


def _sky(m: Mood) -> SkyLayer:
    u = _u(m)
    mo = m.motion
    return SkyLayer(
        frequency=round(0.8 + 0.7 * u, 3),
        octaves=int(_clamp(round(mo.octaves), 3, 6)),
        warp=round(0.4 + 1.4 * mo.warp, 3),
        depth=1 if u < 0.35 else 2,
        low=round(_clamp(0.30 + 0.15 * m.valence, 0.05, 0.6), 3),
        high=0.97,
        contrast=round(0.16 + 0.16 * u, 3),
        glow=round(0.8 - 0.3 * u, 3),
        speed=round(3.0 * mo.speed, 4),
    )


def _strata(m: Mood) -> StrataLayer:
    u = _u(m)
    mo = m.motion
    return StrataLayer(
        count=int(_clamp(round(3 + 3.4 * u), 3, 7)),
        horizon=round(0.36 - 0.06 * u + 0.04 * m.valence, 3),
        spread=0.6,
        roughness=round(0.25 + 0.9 * mo.turbulence * u + 0.1, 3),
        frequency=round(1.6 + 3.0 * u, 3),
        octaves=int(_clamp(round(mo.octaves) + 1, 3, 8)),
        warp=round(0.15 + 0.9 * mo.warp, 3),
        haze=round(0.8 - 0.35 * u, 3),
        near=round(_clamp(0.04 + 0.12 * max(m.valence, 0.0), 0.0, 0.3), 3),
        far=0.58,
        texture=round(0.06 + 0.14 * mo.turbulence, 3),
        speed=round(1.2 * mo.speed, 4),
    )


def _strokes(m: Mood, clip: float, boost: float = 1.0, lift: float = 0.3,
             ink: float = 1.0) -> StrokesLayer:
    u = _u(m)
    mo = m.motion
    return StrokesLayer(
        density=round(boost * (20000 + 30000 * mo.stroke_density), 1),
        length=round(18 + 150 * mo.stroke_length, 2),
        width=round(0.9 + 0.8 * (1 - u), 3),
        curl=round(mo.stroke_curl, 3),
        frequency=round(1.2 + 2.4 * u, 3),
        octaves=int(_clamp(round(mo.octaves / 2), 2, 4)),
        opacity=round(min(1.0, ink * (0.5 + 0.5 * u)), 3),
        clip=clip,
        lift=lift,
        contrast=0.7,
        gain=round(ink * (0.5 + 1.0 * mo.stroke_density), 3),
        speed=round(4.0 * mo.speed, 4),
        life=round(0.6 + 1.8 * (1 - u), 3),
    )


def _grain(m: Mood) -> GrainLayer:
    u = _u(m)
    return GrainLayer(amount=round(0.012 + 0.025 * u, 4),
                      vignette=round(0.22 + 0.25 * max(-m.valence, 0.0), 3))


def _landscape(m: Mood) -> tuple[Layer, ...]:
    return (_sky(m), _strata(m), _strokes(m, clip=1.0), _grain(m))


def _flow(m: Mood) -> tuple[Layer, ...]:
    return (WashLayer(position=0.04, variation=0.05, speed=round(2.0 * m.motion.speed, 4)),
            _strokes(m, clip=0.0, boost=1.6, lift=0.9, ink=2.0), _grain(m))


def _marble(m: Mood) -> tuple[Layer, ...]:
    u = _u(m)
    mo = m.motion
    marble = MarbleLayer(
        frequency=round(0.8 + 0.5 * u, 3),
        octaves=int(_clamp(round(mo.octaves) - 1, 3, 5)),
        warp=round(1.2 + 2.2 * mo.warp, 3),
        depth=3 if u > 0.4 else 2,
        veins=round(0.25 + 0.5 * mo.turbulence, 3),
        speed=round(3.0 * mo.speed, 4),
    )
    return (marble, _grain(m))


LEGACY_STYLES: dict[str, Callable[[Mood], tuple[Layer, ...]]] = {
    "landscape": _landscape,
    "flow": _flow,
    "marble": _marble,
}
"""The layer stacks of versions 0.1 and 0.2."""


def _air(m: Mood) -> AirLayer:
    u = _u(m)
    mo = m.motion
    return AirLayer(
        frequency=round(0.8 + 0.9 * u, 3),
        octaves=int(_clamp(round(mo.octaves), 3, 6)),
        warp=round(0.5 + 1.3 * mo.warp, 3),
        stretch=round(2.8 - 1.4 * u, 3),
        clouds=round(0.2 + 0.5 * u, 3),
        glow=round(0.55 + 0.25 * (1 - u), 3),
        gradient=round(0.25 + 0.3 * max(-m.valence, 0.0), 3),
        speed=round(3.0 * mo.speed, 4),
        rise=mo.rise,
        stall=mo.stall,
    )


def _land(m: Mood) -> LandLayer:
    u = _u(m)
    mo = m.motion
    return LandLayer(
        roughness=round(0.3 + 0.9 * mo.turbulence * u + 0.1, 3),
        frequency=round(1.4 + 3.2 * u, 3),
        octaves=int(_clamp(round(mo.octaves) + 1, 3, 8)),
        relief=round(0.25 + 0.35 * mo.turbulence, 3),
        rim=round(0.45 + 0.4 * u, 3),
        shade=round(0.4 + 0.3 * max(-m.valence, 0.0) + 0.2 * u, 3),
        fog=round(0.75 - 0.3 * u, 3),
        # A high key lifts the land too: a pale painting is pale all through.
        tone=round(_clamp(0.06 + 0.05 * max(m.valence, 0.0) + 0.3 * m.prior.key**2, 0.0, 0.5),
                   3),
        speed=round(0.6 * mo.speed, 4),
    )


def _light(m: Mood) -> LightLayer:
    u = _u(m)
    return LightLayer(intensity=round(0.8 + 0.4 * u, 3), bloom=round(0.35 + 0.4 * u, 3),
                      speed=round(2.0 * m.motion.speed, 4))


def _paper(m: Mood) -> PaperLayer:
    u = _u(m)
    return PaperLayer(tooth=round(0.03 + 0.02 * (1 - u), 4), grain=round(0.008 + 0.02 * u, 4),
                      vignette=round(0.18 + 0.25 * max(-m.valence, 0.0), 3))


def _brush(m: Mood, flow: bool = False) -> BrushLayer:
    u = _u(m)
    mo = m.motion
    return BrushLayer(
        spacing=round((9.0 + 8.0 * (1 - u)) * (0.8 if flow else 1.0), 3),
        length=round(60.0 + 200.0 * mo.stroke_length, 2),
        variety=round(0.6 + 0.4 * u, 3),
        width=round(2.6 + 3.0 * (1 - u), 3),
        follow=round(0.9 - 0.4 * mo.stroke_curl, 3),
        frequency=round(0.8 + 1.6 * u, 3),
        octaves=int(_clamp(round(mo.octaves / 2), 2, 4)),
        turn=round(0.25 + 1.1 * mo.stroke_curl, 3),
        # The flow style's strokes rise along a diagonal; a landscape's wind is level.
        angle=-25.0 if flow else 0.0,
        air=1.0 if flow else 0.35,
        # Light strokes over a dark key, dark ones over a light key.
        lift=round(0.12 - 0.24 * m.prior.key, 3),
        jitter=round(0.04 + 0.06 * u, 3),
        accent=round(0.02 + 0.03 * u, 3),
        opacity=round((0.8 if flow else 0.5) + 0.3 * u, 3) if not flow else 0.9,
        speed=round(4.0 * mo.speed, 4),
        stall=mo.stall,
        rhythm=mo.rhythm,
    )


def _landscape3(m: Mood) -> tuple[Layer, ...]:
    return (_air(m), _land(m), _brush(m), _light(m), _paper(m))


def _flow3(m: Mood) -> tuple[Layer, ...]:
    # The strokes cover the whole frame and carry the picture: the air below carries the value
    # range (a darker top, a wide glow round the light); the strokes contrast with it, lighter
    # over the air of a low-key mood, darker over a high-key one.
    air = replace(_air(m), clouds=0.3, glow=0.65, gradient=0.85)
    brush = replace(_brush(m, flow=True), lift=0.22 if m.prior.key < 0.5 else -0.3)
    return (air, brush, _light(m), _paper(m))


def _marble3(m: Mood) -> tuple[Layer, ...]:
    u = _u(m)
    mo = m.motion
    stone = StoneLayer(
        frequency=round(0.8 + 0.6 * u, 3),
        octaves=int(_clamp(round(mo.octaves) + 2, 5, 7)),
        warp=round(0.9 + 1.3 * mo.warp, 3),
        depth=2,
        stretch=round(1.1 + 0.9 * (1 - u), 3),
        spread=round(1.0 + 0.05 * u, 3),
        tone=round(_clamp(0.5 + 0.22 * m.valence - 0.12 * u, 0.15, 0.85), 3),
        veins=round(0.75 + 0.2 * mo.turbulence, 3),
        count=round(2.5 + 3.0 * u, 3),
        vein_width=round(1.4 + 2.6 * (1 - u), 3),
        vein_tone=round(_clamp(-0.75 * m.valence + 0.35 * u, -0.8, 0.9), 3),
        network=round(0.25 + 0.65 * mo.turbulence, 3),
        relief=round(0.05 + 0.2 * u, 3),
        sheen=round(0.45 + 0.3 * (1 - u), 3),
        speed=round(1.2 * mo.speed, 4),
    )
    return (stone, replace(_paper(m), tooth=0.02))


def _veils(m: Mood) -> VeilsLayer:
    u = _u(m)
    mo = m.motion
    return VeilsLayer(
        glazes=int(_clamp(round(26 - 8 * u), 14, 30)),
        opacity=round(0.96 + 0.03 * u, 3),
        softness=round(0.02 - 0.008 * u, 4),
        breathing=round(0.006 + 0.008 * mo.turbulence * u, 4),
        frequency=round(2.0 + 2.5 * u, 3),
        margin=round(0.095 - 0.02 * u, 3),
        gap=round(0.05 - 0.015 * u, 3),
        glow=round(0.3 + 0.2 * u, 3),
        texture=round(0.3 + 0.4 * mo.turbulence, 3),
        vibration=round(0.35 + 0.4 * u, 3),
        speed=round(1.5 * mo.speed, 4),
    )


def _field(m: Mood) -> tuple[Layer, ...]:
    paper = replace(_paper(m), tooth=round(_paper(m).tooth * 0.7, 4))
    return (_veils(m), paper)


def _lines(m: Mood) -> tuple[Layer, ...]:
    u = _u(m)
    mo = m.motion
    lines = LinesLayer(
        count=int(_clamp(round(60 + 60 * u), 60, 120)),
        relief=round(0.09 + 0.1 * u + 0.03 * mo.turbulence, 3),
        frequency=round(2.8 + 3.0 * u, 3),
        octaves=int(_clamp(round(mo.octaves), 2, 6)),
        sharpness=round(_clamp(0.05 + 0.9 * mo.turbulence * u, 0.0, 1.0), 3),
        coherence=round(3.0 + 14.0 * (1 - u), 3),
        perspective=round(_clamp(0.35 + 0.35 * max(-m.valence, 0.0) - 0.2 * u + 0.15, 0, 1), 3),
        width=round(1.2 + 0.8 * (1 - u), 3),
        fog=round(0.7 - 0.35 * u, 3),
        glow=round(0.45 + 0.3 * u, 3),
        shade=round(0.3 + 0.3 * max(-m.valence, 0.0), 3),
        speed=round(0.8 * mo.speed, 4),
    )
    paper = replace(_paper(m), tooth=round(0.015 + 0.015 * (1 - u), 4))
    return (lines, paper)


def _storm(m: Mood) -> tuple[Layer, ...]:
    """A vortex of mist and light over calm, low ground."""
    u = _u(m)
    mo = m.motion
    vortex = VortexLayer(
        core=round(0.09 + 0.04 * (1 - u), 3),
        twist=round(0.9 + 1.2 * u, 3),
        arms=int(_clamp(1 + 2.4 * u + 1.5 * max(m.valence, 0.0) * u, 1, 5)),  # calm: a sweep
        streaks=int(_clamp(round(7 + 10 * u), 4, 40)),
        texture=round(0.35 + 0.55 * u, 3),
        mist=round(0.3 + 0.5 * (1 - u), 3),
        turbulence=round(0.45 + 0.95 * mo.turbulence, 3),
        frequency=round(1.2 + 1.2 * u, 3),
        glow=round(0.75 + 0.2 * u, 3),
        darkness=round(0.4 + 0.25 * max(-m.valence, 0.0) + 0.25 * u, 3),
        squash=round(1.3 + 0.5 * u, 3),
        speed=round(3.0 * mo.speed, 4),
        spin=round(0.05 + 0.6 * mo.speed, 4),
    )
    # Calm ground: low, smooth outlines, soft relief and faint rims, so the ranges do not
    # step like stairs under the weather.
    land = replace(_land(m), roughness=round(0.25 + 0.1 * u, 3), relief=round(0.15 + 0.1 * u, 3),
                   rim=round(0.15 + 0.15 * u, 3), speed=round(0.3 * mo.speed, 4))
    # The vortex paints its own glow: the light adds its source and a little bloom.
    light = replace(_light(m), bloom=round(0.08 + 0.14 * u, 3))
    return (vortex, land, light, _paper(m))


STYLES: dict[str, Callable[[Mood], tuple[Layer, ...]]] = {
    "landscape": _landscape3,
    "storm": _storm,
    "field": _field,
    "lines": _lines,
    "marble": _marble3,
    "flow": _flow3,
}

#: Layouts each style can paint (None: all of them).
_STYLE_LAYOUTS: dict[str, tuple[str, ...] | None] = {
    "lines": ("low", "high", "valley", "tilted", "rhythm", "monolith"),
    "storm": ("low", "tilted", "monolith"),
}


def style_layouts(style: str) -> tuple[str, ...] | None:
    """The layouts ``style`` can paint, which the composition planner chooses from (None:
    every layout)."""
    return _STYLE_LAYOUTS.get(style)


def check_style(style: object) -> str:
    """Validate a style name; the error lists the valid ones."""
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}; valid styles: {', '.join(STYLES)}")
    return str(style)


def layers_for(mood: Mood, style: str) -> tuple[Layer, ...]:
    """The default layer stack of ``style`` for ``mood``."""
    return STYLES[check_style(style)](mood)


def retarget(layers: tuple[Layer, ...], mood: Mood, style: str,
             target: Mood) -> tuple[Layer, ...] | None:
    """``style``'s default layers for ``target``, with every parameter that ``layers`` changed
    from the defaults for ``mood`` changed the same way: the far end of a move from ``mood``
    to ``target`` that keeps the user's overrides.

    Returns None when ``layers`` is not ``style``'s stack (an unknown style, or layers of
    one's own), for which no defaults exist.

    Examples
    --------
    >>> from dataclasses import replace
    >>> from wiktoria.moods import mood
    >>> serene, seething = mood("serene"), mood("seething")
    >>> mine = layers_for(serene, "flow")
    >>> mine = (mine[0], replace(mine[1], turn=0.1), *mine[2:])
    >>> far = retarget(mine, serene, "flow", seething)
    >>> far[1].turn, far[1].spacing == layers_for(seething, "flow")[1].spacing
    (0.1, True)
    """
    if style not in STYLES:
        return None
    start, far = layers_for(mood, style), layers_for(target, style)
    if [x.type for x in start] != [x.type for x in layers] and style in LEGACY_STYLES:
        start, far = LEGACY_STYLES[style](mood), LEGACY_STYLES[style](target)
    if [x.type for x in start] != [x.type for x in layers]:
        return None
    out = []
    for default, actual, other in zip(start, layers, far, strict=True):
        changed = {name: getattr(actual, name) for name in actual.params()
                   if getattr(actual, name) != getattr(default, name)}
        out.append(replace(other, **changed) if changed else other)
    return tuple(out)
