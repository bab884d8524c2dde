"""A layer of one's own: a glowing sun disc, painted beside the built-in layers.

    python examples/custom_layer.py [OUTDIR] [--mood serene] [--size 480x270] [--seed 7]
                                    [--frames 24]

A layer is a spec (a frozen dataclass of parameters with ranges and meanings) and a renderer
(here a function that paints one band of rows). ``wiktoria.register_layer`` registers both,
exactly as the built-in sky, strata and strokes are registered. The script then

1. paints a scene with the sun between the sky and the strata, and saves it (``sun.png``:
   the PNG carries the scene, sun included);
2. animates the same scene as a seamless loop in which the sun bobs (``sun.gif``);
3. reproduces the PNG from its embedded scene and checks the pixels are identical;
4. writes the scene file (``sun.toml``), where ``[[layers]] type = "sun"`` appears with every
   parameter's range and meaning.

To ship such a layer to others, put it in a package and name a function that registers it
in the entry-point group ``wiktoria.layers``; ``wiktoria layers`` then lists it.
"""

from __future__ import annotations

import argparse
import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import ClassVar

import numpy as np

import wiktoria
from wiktoria.render import Band, Frame
from wiktoria.render.painting import reproduce


@dataclass(frozen=True)
class SunLayer(wiktoria.Layer):
    """A glowing sun disc with a halo, coloured from the bright end of the mood's ramp."""

    type: ClassVar[str] = "sun"
    x: float = wiktoria.param(0.72, 0.0, 1.0, "centre, fraction of the width from the left")
    y: float = wiktoria.param(0.17, 0.0, 1.0, "centre, fraction of the height from the top")
    radius: float = wiktoria.param(0.06, 0.005, 0.5, "disc radius, fraction of the height")
    halo: float = wiktoria.param(4.0, 1.0, 20.0, "halo reach, in disc radii")
    glow: float = wiktoria.param(0.8, 0.0, 2.0, "brightness of the halo")
    position: float = wiktoria.param(0.97, 0.0, 1.0, "ramp position of the disc's colour")
    bob: float = wiktoria.param(0.03, 0.0, 0.5, "rise and fall over a loop, fraction of height")


@wiktoria.register_layer(SunLayer)
def paint_sun(layer: SunLayer, frame: Frame, band: Band) -> None:
    """Paint the disc and its halo into one band, in linear light (no loop over pixels)."""
    h = frame.height
    loop = frame.scene.loop
    phase = 0.0 if loop is None else loop.phase  # frame ``frames`` equals frame 0: seamless
    cy = (layer.y + layer.bob * math.sin(2 * math.pi * phase)) * h
    cx = layer.x * frame.width
    r = layer.radius * h
    dy = (band.rows[:, None] + 0.5 - cy).astype(np.float32)
    dx = (band.cols[None, :] + 0.5 - cx).astype(np.float32)
    d = np.hypot(dx, dy) / np.float32(r)  # distance in radii
    colour = frame.ramp(np.full((1, 1), layer.position, np.float32))  # (1, 1, 3)
    halo = np.float32(layer.glow) * np.exp(-np.float32(4.0 / layer.halo) * np.maximum(d - 1, 0))
    disc = np.clip((1.0 - d) * np.float32(r), 0.0, 1.0)  # one-pixel anti-aliased edge
    band.rgb += (colour - band.rgb) * disc[..., None]  # the disc, then light on top of it
    band.rgb += colour * halo[..., None]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("outdir", nargs="?", default="custom_layer", help="output folder")
    parser.add_argument("--mood", default="serene", help="a mood name (see `wiktoria moods`)")
    parser.add_argument("--size", default="480x270", help="WIDTHxHEIGHT")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--frames", type=int, default=24, help="frames of the loop")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.lower().split("x"))
    out = Path(args.outdir)
    out.mkdir(parents=True, exist_ok=True)

    # Start from the mood's landscape and put the sun behind the strata.
    base = wiktoria.paint(args.mood, size=(width, height), seed=args.seed).scene
    sky, *rest = base.layers
    scene = replace(base, layers=(sky, SunLayer(), *rest))
    painting = wiktoria.paint_scene(scene)
    png = painting.save(out / "sun.png")
    (out / "sun.toml").write_text(scene.to_toml(), encoding="utf-8")

    # The same scene as a loop: the sun bobs, and the loop closes without a seam.
    loop = wiktoria.Loop(frames=args.frames, fps=12)
    anim = wiktoria.animate_scene(replace(scene, loop=loop))
    gif = anim.save(out / "sun.gif")

    # The PNG carries its scene, the sun included: render it again from the file alone.
    again = reproduce(png, out / "sun-again.png")
    same = np.array_equal(np.asarray(again), np.asarray(painting))
    print(f"wrote {png}, {gif} ({len(anim)} frames) and {out / 'sun.toml'}; "
          f"reproduced identically: {same}")
    if not same:
        raise SystemExit("the reproduced painting differs")


if __name__ == "__main__":
    main()
