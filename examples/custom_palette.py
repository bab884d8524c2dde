"""Import a GIMP ``.gpl`` palette as a new mood and paint with it.

    python examples/custom_palette.py [OUTDIR] [--palette examples/dusk.gpl] [--name dusk]
                                      [--size 480x270] [--seed 7]

``wiktoria palette import dusk.gpl --name dusk`` does the same from the shell. The mood file is
written to ``OUTDIR/palettes/`` (not your own palette folder), which this script puts first in
``WIKTORIA_PALETTES`` so the new mood is found by name. Writes ``OUTDIR/palettes/NAME.toml``,
``OUTDIR/NAME.png`` and ``OUTDIR/NAME-flow.png`` (default OUTDIR: ``custom_palette/``).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import wiktoria
from wiktoria.moods import import_palette

here = Path(__file__).resolve().parent
parser = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("outdir", nargs="?", default="custom_palette", help="output folder")
parser.add_argument("--palette", default=str(here / "dusk.gpl"), help="a .gpl or .hex file")
parser.add_argument("--name", default="dusk", help="the new mood's name")
parser.add_argument("--size", default="480x270", help="WIDTHxHEIGHT")
parser.add_argument("--seed", type=int, default=7)
args = parser.parse_args()
width, height = (int(v) for v in args.size.lower().split("x"))
out = Path(args.outdir)
folder = out / "palettes"

# Keep the example away from your real palette folder: user moods are looked up in
# $WIKTORIA_PALETTES first (read on every lookup, so setting it here is enough).
os.environ["WIKTORIA_PALETTES"] = str(folder.resolve())

# The colours are sorted dark to light; valence, arousal and motion are estimated from them.
mood = import_palette(args.palette, args.name, folder=folder, overwrite=True)
print(f"wrote {mood.path}: valence {mood.valence:+.2f}, arousal {mood.arousal:+.2f}")

# The new mood is now a mood like any other: by name, or as the Mood object itself.
wiktoria.paint(args.name, size=(width, height), seed=args.seed).save(out / f"{args.name}.png")
flow = wiktoria.paint(mood, size=(width, height), seed=args.seed, style="flow")
flow.save(out / f"{args.name}-flow.png")
print(f"wrote {out / (args.name + '.png')} and {out / (args.name + '-flow.png')}")
