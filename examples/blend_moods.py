"""Blend two moods: a strip of paintings from one mood to another.

    python examples/blend_moods.py [OUTDIR] [--from seething] [--to serene] [--steps 5]
                                   [--size 192x108] [--seed 7]

``wiktoria.blend(a, b, t)`` mixes the palettes in OKLab and the motion numerically: ``t = 0``
is ``a``, ``t = 1`` is ``b``. Writes one PNG per step, ``OUTDIR/blend-K.png``, and all of them
side by side in ``OUTDIR/strip.png`` (default OUTDIR: ``blend_moods/``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from PIL import Image

import wiktoria

parser = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("outdir", nargs="?", default="blend_moods", help="output folder")
parser.add_argument("--from", dest="a", default="seething", help="the mood at t = 0")
parser.add_argument("--to", dest="b", default="serene", help="the mood at t = 1")
parser.add_argument("--steps", type=int, default=5, help="paintings in the strip (>= 2)")
parser.add_argument("--size", default="192x108", help="WIDTHxHEIGHT of each painting")
parser.add_argument("--seed", type=int, default=7)
args = parser.parse_args()
width, height = (int(v) for v in args.size.lower().split("x"))
out = Path(args.outdir)
out.mkdir(parents=True, exist_ok=True)

strip = Image.new("RGB", (args.steps * width, height))
for k in range(args.steps):
    t = k / (args.steps - 1)
    mood = wiktoria.blend(args.a, args.b, t)  # a Mood, usable wherever a mood name is
    # The same seed keeps the composition, so only colour and motion change along the strip.
    painting = wiktoria.paint(mood, size=(width, height), seed=args.seed)
    painting.save(out / f"blend-{k}.png")
    strip.paste(painting.image, (k * width, 0))
    print(f"t = {t:.2f}: {mood.name} (valence {mood.valence:+.2f}, arousal {mood.arousal:+.2f})")
strip.save(out / "strip.png")
print(f"wrote {out / 'strip.png'}")
