"""Contact sheet: every mood in every style, labelled, from the library.

    python examples/contact_sheet.py -o sheet.png [--size 384x216] [--seed 7]
           [--styles landscape flow marble] [--sort arousal]

A stranger should be able to sort the thumbnails from calm to agitated and from dark to
bright; no two moods should look alike.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

import wiktoria


def contact_sheet(size: tuple[int, int], seed: int, styles: list[str], sort: str) -> Image.Image:
    names = wiktoria.moods()
    if sort != "name":
        names.sort(key=lambda n: getattr(wiktoria.mood(n), sort))
    w, h = size
    label = 18
    sheet = Image.new("RGB", (len(styles) * w, len(names) * (h + label)), (18, 18, 20))
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default()
    for row, name in enumerate(names):
        m = wiktoria.mood(name)
        y = row * (h + label)
        for col, style in enumerate(styles):
            painting = wiktoria.paint(name, size=size, seed=seed, style=style)
            sheet.paste(painting.image, (col * w, y + label))
            draw.text((col * w + 6, y + 3),
                      f"{name}  {style}  v{m.valence:+.2f} a{m.arousal:+.2f}",
                      fill=(225, 225, 225), font=font)
    return sheet


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-o", "--output", default="contact_sheet.png")
    ap.add_argument("--size", default="384x216", help="thumbnail WIDTHxHEIGHT")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--styles", nargs="+", default=["landscape", "flow", "marble"])
    ap.add_argument("--sort", choices=["name", "valence", "arousal"], default="arousal")
    args = ap.parse_args()
    w, h = (int(v) for v in args.size.lower().split("x"))
    sheet = contact_sheet((w, h), args.seed, args.styles, args.sort)
    out = Path(args.output)
    sheet.save(out)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
