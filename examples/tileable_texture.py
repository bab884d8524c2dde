"""Use the noise core directly: a tileable fractal-noise texture, and a 2x2 tiling of it.

    python examples/tileable_texture.py [OUTDIR] [--size 256] [--cells 4] [--kind perlin]
                                        [--seed 3]

``wiktoria.noise.fbm(x, y, period=(P, P))`` is exactly periodic with period ``P`` along both
axes, so sampling ``[0, P)`` on a grid gives a texture whose right edge continues into its left
edge and its bottom into its top. Writes ``OUTDIR/texture.png`` and ``OUTDIR/tiled.png`` (the
texture repeated 2x2: no seams) (default OUTDIR: ``tileable_texture/``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from PIL import Image

from wiktoria import noise

parser = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("outdir", nargs="?", default="tileable_texture", help="output folder")
parser.add_argument("--size", type=int, default=256, help="side of the square tile in pixels")
parser.add_argument("--cells", type=int, default=4, help="noise period: lattice cells per tile")
parser.add_argument("--kind", default="perlin", choices=["perlin", "simplex"])
parser.add_argument("--seed", type=int, default=3)
args = parser.parse_args()
out = Path(args.outdir)
out.mkdir(parents=True, exist_ok=True)

# A regular grid over one period: x of shape (1, W), y of shape (H, 1) broadcast to (H, W).
# endpoint=False: the pixel after the last one is the first one again.
p, n = args.cells, args.size
x = np.linspace(0, p, n, endpoint=False).reshape(1, -1)
y = np.linspace(0, p, n, endpoint=False).reshape(-1, 1)
options = {"kind": args.kind, "octaves": 5, "seed": args.seed, "period": (p, p)}
field = noise.fbm(x, y, **options)  # (n, n) float32

# The period is exact: one period further along (or back) gives the same values.
same = np.allclose(noise.fbm(x + p, y - p, **options), field, atol=1e-6)
print(f"fbm(x + {p}, y - {p}) equals fbm(x, y): {same}")

# fbm lies in [-1, 1]; stretch to the range actually used for a contrasty greyscale tile.
grey = ((field - field.min()) / (np.ptp(field) or 1.0) * 255).astype(np.uint8)
Image.fromarray(grey).save(out / "texture.png")
Image.fromarray(np.tile(grey, (2, 2))).save(out / "tiled.png")
print(f"wrote {out / 'texture.png'} ({n}x{n}) and {out / 'tiled.png'} ({2 * n}x{2 * n})")
