"""Render the README gallery from the library.

    python docs/gallery.py [-o docs/gallery] [--size 320x180] [--frames 36] [--seed 7]

Writes three files:

* ``moods.png``: every mood as a landscape at two seeds (one above the other), labelled with
  its name and place on the valence/arousal plane, in a 7-column grid from calm to agitated:
  the seed changes the composition, the mood its layouts, light and key;
* ``styles.png``: the styles (rows) for four moods (columns);
* ``loop.gif``: one seamless loop of the seething mood (one global palette, ordered dither).

They are small on purpose (the repository stays light): a few MiB at the defaults. Rendering
takes about a minute.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

import wiktoria

GALLERY = Path(__file__).resolve().parent / "gallery"


def mood_sheet(size: tuple[int, int], seeds: tuple[int, ...], columns: int = 7) -> Image.Image:
    """Every mood's landscape at ``size`` and each of ``seeds`` (stacked), labelled, calm to
    agitated in rows of ``columns``."""
    moods = sorted((wiktoria.mood(n) for n in wiktoria.moods()), key=lambda m: m.arousal)
    w, h = size
    label, gap = 20, 4
    cell = label + len(seeds) * (h + gap)
    rows = -(-len(moods) // columns)
    sheet = Image.new("RGB", (columns * (w + gap) + gap, rows * cell + gap), (18, 18, 20))
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default()
    for i, m in enumerate(moods):
        x = gap + (i % columns) * (w + gap)
        y = gap + (i // columns) * cell
        for k, seed in enumerate(seeds):
            sheet.paste(wiktoria.paint(m, size=size, seed=seed).image,
                        (x, y + label + k * (h + gap)))
        draw.text((x + 4, y + 4), f"{m.name}  v{m.valence:+.2f} a{m.arousal:+.2f}",
                  fill=(225, 225, 225), font=font)
    return sheet


STYLE_MOODS = ("serene", "haunting", "labyrinthine", "seething")


def style_sheet(size: tuple[int, int], seed: int) -> Image.Image:
    """Each style (rows) for the moods of :data:`STYLE_MOODS` (columns), labelled."""
    from wiktoria.scene.styles import STYLES

    w, h = size
    label, gap, side = 20, 4, 70
    sheet = Image.new("RGB", (side + len(STYLE_MOODS) * (w + gap) + gap,
                              label + len(STYLES) * (h + gap) + gap), (18, 18, 20))
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default()
    for j, mood in enumerate(STYLE_MOODS):
        draw.text((side + gap + j * (w + gap) + 4, 4), mood, fill=(225, 225, 225), font=font)
    for i, style in enumerate(STYLES):
        y = label + i * (h + gap)
        draw.text((6, y + h // 2 - 6), style, fill=(225, 225, 225), font=font)
        for j, mood in enumerate(STYLE_MOODS):
            sheet.paste(wiktoria.paint(mood, size=size, seed=seed, style=style).image,
                        (side + gap + j * (w + gap), y))
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
    mood_sheet(size, (args.seed, args.seed + 1)).save(moods, optimize=True)
    print(f"wrote {moods} ({moods.stat().st_size / 2**20:.2f} MiB)")
    styles = args.output / "styles.png"
    style_sheet(size, args.seed).save(styles, optimize=True)
    print(f"wrote {styles} ({styles.stat().st_size / 2**20:.2f} MiB)")

    loop = wiktoria.animate(args.mood, size=size, frames=args.frames, fps=18, seed=args.seed)
    path = loop.save(args.output / "loop.gif", dither="ordered")
    print(f"wrote {path} ({path.stat().st_size / 2**20:.2f} MiB)")


if __name__ == "__main__":
    main()
