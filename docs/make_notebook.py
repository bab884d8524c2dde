"""Write ``examples/wiktoria.ipynb`` (without outputs) from the cells below.

    python docs/make_notebook.py [-o examples/wiktoria.ipynb]

Edit the notebook here, not in Jupyter, so it is committed clean: no outputs, no execution
counts, stable cell ids. ``tests/test_notebook.py`` runs it with a real kernel. Needs
``nbformat`` (in the ``test`` extra).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

NOTEBOOK = Path(__file__).resolve().parents[1] / "examples" / "wiktoria.ipynb"

CELLS: list[tuple[str, str]] = [
    ("md", """\
# Wiktoria in a notebook

Wiktoria paints abstract landscapes from *moods*. In Jupyter a painting shows itself inline
(it has `_repr_png_`) and a loop plays inline (an animated WebP from `_repr_html_`): make one
the last expression of a cell. Everything here is small, so the notebook runs in seconds."""),
    ("code", """\
import numpy as np
from PIL import Image, ImageDraw, ImageFont

import wiktoria
from wiktoria import compat, noise

print(wiktoria.__version__, wiktoria.moods())"""),
    ("md", """\
## A still

`wiktoria.paint(mood, size, seed, style)` returns a `Painting`. The same arguments always give
the same pixels; `painting.scene` holds every parameter the painter used."""),
    ("code", """\
painting = wiktoria.paint("seething", size=(480, 270), seed=7)
painting"""),
    ("code", """\
painting.save("seething.png")  # the PNG carries its scene: `wiktoria reproduce seething.png`
pixels = np.asarray(painting)
pixels.shape, pixels.dtype"""),
    ("md", """\
## Anywhere on the valence/arousal plane, and between two moods

`wiktoria.mood_at(valence, arousal)` blends the moods nearest to a point (both coordinates in
[-1, 1]); `wiktoria.blend(a, b, t)` mixes two moods. Layer parameters are overridden with
`layer__param=value`."""),
    ("code", """\
calm = wiktoria.mood_at(0.6, -0.4)
print(calm.description)
wiktoria.paint(calm, size=(480, 270), seed=7, style="flow")"""),
    ("code", """\
dusk = wiktoria.blend("seething", "serene", 0.3)
wiktoria.paint(dusk, size=(480, 270), seed=7, land__roughness=1.2)"""),
    ("md", """\
## Composition, light and styles

Before any texture, a planner chooses the composition from the seed and the mood: the layout
(low or high horizon, tilted, valley, monolith, enclosure, vortex, rhythm), the focal point, the
light (sun, moon, rift, glow, lightning) and the value key. It is part of the scene, and every
value can be set with `composition__param=value`."""),
    ("code", """\
p = wiktoria.paint("haunting", size=(480, 270), seed=4)
print(p.scene.composition.layout, p.scene.composition.light)
wiktoria.paint("haunting", size=(480, 270), seed=4, composition__layout="valley",
               composition__light="moon")"""),
    ("code", """\
wiktoria.paint("writhing", size=(480, 270), seed=2, style="storm")"""),
    ("code", """\
wiktoria.paint("melancholy", size=(480, 270), seed=3, style="field")"""),
    ("md", """\
## A seamless loop

`wiktoria.animate` returns an `Animation`; frame access is periodic (`loop.frame(12)` is
`loop.frame(0)`), so the loop has no seam. Its length is the mood's (a time in the mood's
`motion.duration` range, chosen by the seed) unless you give `duration=` seconds or
`frames=`. As the last expression of a cell it plays inline, with a progress bar while it
renders (the `notebook` extra: `pip install 'wiktoria[notebook]'`)."""),
    ("code", """\
loop = wiktoria.animate("seething", size=(128, 128), duration=1.0, fps=12, seed=7)
loop"""),
    ("md", """\
The loop keeps the frames it rendered to show itself, so saving it renders nothing again
(`.gif`, `.png` APNG, `.webp`, `.mp4`); `jobs=4` would render frames not yet kept in 4
processes, with the same bytes."""),
    ("code", """\
loop.save("seething.gif")"""),
    ("md", """\
## Explore

`wiktoria.explore` returns a widget with the controls of `wiktoria live`: a mood (a named one,
or any point of the valence/arousal plane), the seed (previous, next, random, typed), the
style, every layer parameter with its range, the loop's duration, play and a frame slider,
above a preview that renders in the background with the newest values. From Python, `.set()`
changes values as the controls do, `.scene` is the scene shown (it reproduces the painting)
and `.painting()` renders the frame shown at full size."""),
    ("code", """\
explorer = wiktoria.explore("serene", seed=7, size=(480, 270), preview=240)
explorer"""),
    ("code", """\
explorer.set({"air.clouds": 0.6, "seed": 8})
explorer.painting()"""),
    ("md", """\
## A layer of your own

A layer is a spec (a frozen dataclass of parameters with ranges and meanings) and a renderer
(here a function that paints one band of rows in linear light). `wiktoria.register_layer`
registers both, as it registers the built-in air, land and light. The scene then holds the
new layer beside the built-in ones, its PNG reproduces it, and a loop animates it."""),
    ("code", """\
from dataclasses import dataclass, replace
from typing import ClassVar


@dataclass(frozen=True)
class Rings(wiktoria.Layer):
    \"\"\"Concentric rings of light around a point.\"\"\"

    type: ClassVar[str] = "rings"
    count: int = wiktoria.param(7, 1, 40, "rings from the centre to the corner")
    width: float = wiktoria.param(0.15, 0.0, 1.0, "ring width, fraction of the spacing")
    light: float = wiktoria.param(0.35, 0.0, 1.0, "how much light a ring adds")


@wiktoria.register_layer(Rings)
def rings(layer, frame, band):
    phase = frame.scene.loop.phase if frame.scene.loop else 0.0  # rings drift outwards
    d = np.hypot(band.rows[:, None] - 0.6 * frame.height, band.cols[None, :] - 0.3 * frame.width)
    d = d / frame.height * layer.count - phase
    ring = np.clip(1 - np.abs((d % 1) - 0.5) / (layer.width / 2), 0, 1).astype(np.float32)
    band.rgb += frame.ramp(np.full((1, 1), 0.95, np.float32)) * (layer.light * ring[..., None])


base = wiktoria.paint("haunting", size=(480, 270), seed=3).scene
ringed = replace(base, layers=(base.layers[0], Rings(), *base.layers[1:]))
wiktoria.paint_scene(ringed)"""),
    ("code", """\
print(wiktoria.layer_types().keys())
wiktoria.animate_scene(replace(ringed, canvas=wiktoria.Canvas(160, 90, 3),
                               loop=wiktoria.Loop(frames=12, fps=12)))"""),
    ("md", """\
## The moods on the plane

Each mood sits at its place on Russell's circumplex: valence (unpleasant to pleasant) across,
arousal (calm to agitated) up. Here each is drawn at its point with its name and a strip of its
colour ramp (`mood.palette(values)` maps values in [0, 1] to sRGB)."""),
    ("code", """\
side, pad = 640, 60
plane = Image.new("RGB", (side, side), (18, 18, 20))
draw = ImageDraw.Draw(plane)
font = ImageFont.load_default()
draw.line([(pad, side // 2), (side - pad, side // 2)], fill=(90, 90, 96))
draw.line([(side // 2, pad), (side // 2, side - pad)], fill=(90, 90, 96))
draw.text((side - pad - 40, side // 2 + 6), "pleasant", fill=(150, 150, 156), font=font)
draw.text((side // 2 + 6, pad - 14), "agitated", fill=(150, 150, 156), font=font)


def to_pixel(valence, arousal):
    scale = (side - 2 * pad) / 2
    return side / 2 + valence * scale, side / 2 - arousal * scale


def overlaps(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


ramp = np.linspace(0.0, 1.0, 48)
placed = []  # label boxes so far: each label goes to the first free spot around its point
for name in wiktoria.moods():
    m = wiktoria.mood(name)
    x, y = to_pixel(m.valence, m.arousal)
    w = max(48, int(draw.textlength(name, font=font)))
    for dx, dy in [(8, -11), (-w - 8, -11), (8, 6), (-w - 8, 6), (8, -30), (-w - 8, -30),
                   (8, 25), (-w - 8, 25)]:
        box = (x + dx, y + dy, x + dx + w, y + dy + 22)
        if not any(overlaps(box, other) for other in placed):
            break
    placed.append(box)
    strip = Image.fromarray(np.repeat(m.palette(ramp)[None], 8, axis=0))  # (8, 48, 3) uint8
    plane.paste(strip, (int(box[0]), int(box[1]) + 13))
    draw.ellipse([x - 3, y - 3, x + 3, y + 3], fill=(235, 235, 235))
    draw.text((box[0], box[1]), name, fill=(235, 235, 235), font=font)
plane"""),
    ("md", """\
## The noise core, and a drop-in for the `noise` package

`wiktoria.compat` reproduces the `noise` package's `pnoise1..3` and `snoise2..4` bit for bit,
but on whole arrays: a (1, W) row of x and an (H, 1) column of y broadcast to an (H, W) image in
one call, instead of a Python loop over pixels. `wiktoria.noise` is the native core (real
seeds, exact periods, fractal sums, warping, curl)."""),
    ("code", """\
x = np.linspace(0, 8, 512).reshape(1, -1)    # (1, W)
y = np.linspace(0, 4, 256).reshape(-1, 1)    # (H, 1)
field = compat.pnoise2(x, y, octaves=4)       # (H, W), like noise.pnoise2 at every pixel
grey = ((field - field.min()) / np.ptp(field) * 255).astype(np.uint8)
Image.fromarray(grey)"""),
    ("code", """\
tile = noise.fbm(x, y, kind="simplex", period=(8, None), seed=3)  # periodic along x
grey = ((tile + 1) * 127.5).astype(np.uint8)
Image.fromarray(np.hstack([grey, grey]))  # two tiles side by side: no seam in the middle"""),
]


def build() -> nbformat.NotebookNode:
    """The notebook, with deterministic cell ids and no outputs."""
    cells = []
    for i, (kind, source) in enumerate(CELLS):
        make = new_markdown_cell if kind == "md" else new_code_cell
        cells.append(make(source, id=f"cell-{i:02d}"))
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nbformat.validate(nb)
    return nb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-o", "--output", type=Path, default=NOTEBOOK)
    args = parser.parse_args()
    text = nbformat.writes(build()) + "\n"
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
