"""Paint any point of the valence/arousal plane, and a 3x3 map of the plane.

    python examples/paint_plane.py [OUTDIR] [--mood 0.3,-0.5] [--size 240x135] [--seed 7]

Valence runs from unpleasant (-1) to pleasant (+1), arousal from calm (-1) to agitated (+1).
``wiktoria.mood_at(v, a)`` blends the moods nearest to the point; the string ``"v,a"`` (what
``wiktoria paint --mood 0.3,-0.5`` takes) means the same. Writes ``OUTDIR/point.png`` and
``OUTDIR/plane.png`` (default OUTDIR: ``paint_plane/``). A negative valence needs
``--mood=-0.4,0.7`` (with ``=``: argparse takes ``-0.4,0.7`` alone for an option).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from PIL import Image

import wiktoria

parser = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("outdir", nargs="?", default="paint_plane", help="output folder")
parser.add_argument("--mood", default="0.3,-0.5", help="VALENCE,AROUSAL, each in [-1, 1]")
parser.add_argument("--size", default="240x135", help="WIDTHxHEIGHT of each painting")
parser.add_argument("--seed", type=int, default=7)
args = parser.parse_args()
size = tuple(int(v) for v in args.size.lower().split("x"))
out = Path(args.outdir)
out.mkdir(parents=True, exist_ok=True)

# One point: "v,a" is resolved by mood_at, so these two paintings are identical.
valence, arousal = (float(v) for v in args.mood.split(","))
mood = wiktoria.mood_at(valence, arousal)
print(f"{mood.name}: {mood.description}")
point = wiktoria.paint(mood, size=size, seed=args.seed)
point.save(out / "point.png")
same = np.array_equal(np.asarray(point), np.asarray(wiktoria.paint(args.mood, size, args.seed)))
print(f"paint({args.mood!r}) gives the same pixels: {same}")

# The plane: pleasant to the right, agitated at the top (as in Russell's circumplex).
steps = [-0.8, 0.0, 0.8]
plane = Image.new("RGB", (3 * size[0], 3 * size[1]))
for row, a in enumerate(reversed(steps)):
    for col, v in enumerate(steps):
        painting = wiktoria.paint(wiktoria.mood_at(v, a), size=size, seed=args.seed)
        plane.paste(painting.image, (col * size[0], row * size[1]))
plane.save(out / "plane.png")
print(f"wrote {out / 'point.png'} and {out / 'plane.png'}")
