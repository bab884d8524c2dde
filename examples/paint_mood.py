"""Paint one mood as a still PNG.

    python examples/paint_mood.py [OUTDIR] [--mood seething] [--style landscape]
                                  [--size 480x270] [--seed 7]

Writes ``OUTDIR/MOOD-STYLE.png`` (default OUTDIR: ``paint_mood/``). The PNG carries its scene,
so ``wiktoria reproduce`` can render it again at any size.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

import wiktoria

parser = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("outdir", nargs="?", default="paint_mood", help="output folder")
parser.add_argument("--mood", default="seething", help="a mood name (see `wiktoria moods`)")
parser.add_argument("--style", default="landscape", choices=["landscape", "flow", "marble"])
parser.add_argument("--size", default="480x270", help="WIDTHxHEIGHT")
parser.add_argument("--seed", type=int, default=7)
args = parser.parse_args()
width, height = (int(v) for v in args.size.lower().split("x"))

out = Path(args.outdir)
out.mkdir(parents=True, exist_ok=True)

# One call renders the painting; the same mood, size, seed and style give the same pixels.
painting = wiktoria.paint(args.mood, size=(width, height), seed=args.seed, style=args.style)

# A Painting is a PIL image that knows its scene: save it, or look at its pixels with numpy.
path = painting.save(out / f"{args.mood}-{args.style}.png")
pixels = np.asarray(painting)
print(f"wrote {path}: {pixels.shape[1]}x{pixels.shape[0]}, mean brightness {pixels.mean():.0f}")

# The scene is plain data: every parameter the painter used, as TOML.
print(painting.scene.to_toml().splitlines()[0], "...")
