"""Render the README gallery from the library.

    python docs/gallery.py [-o docs/gallery] [--size 320x180] [--frames 36] [--seed 7]

Writes two files:

* ``moods.png``: every mood as a landscape thumbnail, labelled with its name and place on the
  valence/arousal plane, in a 7-column grid sorted from calm to agitated;
* ``loop.gif``: one seamless loop of the seething mood (one global palette, ordered dither).

Both are small on purpose (the repository stays light): at the defaults about 1.0 MiB and
1.6 MiB. Rendering takes about ten seconds.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

import wiktoria

GALLERY = Path(__file__).resolve().parent / "gallery"


def mood_sheet(size: tuple[int, int], seed: int, columns: int = 7) -> Image.Image:
    """Every mood's landscape at ``size``, labelled, calm to agitated in rows of ``columns``."""
    moods = sorted((wiktoria.mood(n) for n in wiktoria.moods()), key=lambda m: m.arousal)
    w, h = size
    label, gap = 20, 4
    rows = -(-len(moods) // columns)
    sheet = Image.new("RGB", (columns * (w + gap) + gap, rows * (h + label + gap) + gap),
                      (18, 18, 20))
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default()
    for i, m in enumerate(moods):
        x = gap + (i % columns) * (w + gap)
        y = gap + (i // columns) * (h + label + gap)
        sheet.paste(wiktoria.paint(m, size=size, seed=seed).image, (x, y + label))
        draw.text((x + 4, y + 4), f"{m.name}  v{m.valence:+.2f} a{m.arousal:+.2f}",
                  fill=(225, 225, 225), font=font)
    return sheet


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-o", "--output", type=Path, default=GALLERY, help="output folder")
    parser.add_argument("--size", default="320x180", help="WIDTHxHEIGHT of thumbnails and loop")
    parser.add_argument("--frames", type=int, default=36)
    parser.add_argument("--mood", default="seething", help="the mood of the loop")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.lower().split("x"))
    args.output.mkdir(parents=True, exist_ok=True)

    moods = args.output / "moods.png"
    mood_sheet(size, args.seed).save(moods, optimize=True)
    print(f"wrote {moods} ({moods.stat().st_size / 2**20:.2f} MiB)")

    loop = wiktoria.animate(args.mood, size=size, frames=args.frames, fps=18, seed=args.seed)
    path = loop.save(args.output / "loop.gif", dither="ordered")
    print(f"wrote {path} ({path.stat().st_size / 2**20:.2f} MiB)")


if __name__ == "__main__":
    main()
