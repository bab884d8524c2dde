"""Render a seamless animated loop as a GIF.

    python examples/seamless_loop.py [OUTDIR] [--mood seething] [--to MOOD] [--frames 24]
                                     [--fps 12] [--size 160x160] [--seed 7]

Time is a periodic axis of every layer, so frame N is frame 0 and the loop has no seam. With
``--to`` the palette and motion travel to another mood and back. Writes ``OUTDIR/MOOD.gif``
(default OUTDIR: ``seamless_loop/``); ``.png`` (APNG), ``.webp`` and ``.mp4`` work the same.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

import wiktoria

parser = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("outdir", nargs="?", default="seamless_loop", help="output folder")
parser.add_argument("--mood", default="seething")
parser.add_argument("--to", default=None, help="travel to this mood and back across the loop")
parser.add_argument("--frames", type=int, default=24)
parser.add_argument("--fps", type=float, default=12)
parser.add_argument("--size", default="160x160", help="WIDTHxHEIGHT")
parser.add_argument("--seed", type=int, default=7)
args = parser.parse_args()
width, height = (int(v) for v in args.size.lower().split("x"))
out = Path(args.outdir)
out.mkdir(parents=True, exist_ok=True)

# An Animation is a recipe: frames are rendered when they are asked for.
loop = wiktoria.animate(args.mood, size=(width, height), frames=args.frames, fps=args.fps,
                        seed=args.seed, to=args.to)

# Frame access is periodic, which is what makes the loop seamless.
wraps = np.array_equal(loop.frame_array(args.frames), loop.frame_array(0))
print(f"{len(loop)} frames at {args.fps:g} fps; frame {args.frames} is frame 0: {wraps}")

# One palette for the whole GIF, so still areas do not flicker.
path = loop.save(out / f"{args.mood}.gif")
print(f"wrote {path} ({path.stat().st_size / 1024:.0f} KiB)")
