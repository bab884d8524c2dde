"""Contact sheet of every mood's ramp: name, affect, the ramp and Kovesi's sine-ramp test.

Look at it as a painter would: does each ramp read as its name? Do two look alike? Is there mud
(greyish mixes)? Does the sine wave stay equally visible across each ramp (no flat spots)?

Usage::

    python examples/palette_sheet.py -o moods.png
    python examples/palette_sheet.py --sort arousal -o by-arousal.png
"""

from __future__ import annotations

import argparse

import numpy as np
from PIL import Image, ImageDraw, ImageFont

import wiktoria
from wiktoria.colour.ramp import ramp_image
from wiktoria.common.atomicio import atomic_path

LABEL_WIDTH = 150
RAMP_WIDTH = 512
RAMP_HEIGHT = 36
SINE_HEIGHT = 72
GAP = 8
BACKGROUND = (24, 24, 26)


def contact_sheet(sort: str = "name") -> Image.Image:
    """One row per mood: label on the left, ramp above its sine-ramp test on the right."""
    found = [wiktoria.mood(name) for name in wiktoria.moods()]
    if sort == "valence":
        found.sort(key=lambda m: (m.valence, m.arousal))
    elif sort == "arousal":
        found.sort(key=lambda m: (m.arousal, m.valence))
    row_height = RAMP_HEIGHT + SINE_HEIGHT + GAP
    sheet = Image.new("RGB", (LABEL_WIDTH + RAMP_WIDTH + GAP, GAP + row_height * len(found)),
                      BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default()
    for i, m in enumerate(found):
        top = GAP + i * row_height
        ramp = ramp_image(m.palette, width=RAMP_WIDTH, ramp_height=RAMP_HEIGHT,
                          sine_height=SINE_HEIGHT)
        sheet.paste(Image.fromarray(np.ascontiguousarray(ramp)), (LABEL_WIDTH, top))
        draw.text((GAP, top + 4), m.name, fill=(235, 235, 235), font=font)
        draw.text((GAP, top + 22), f"valence {m.valence:+.2f}", fill=(165, 165, 170), font=font)
        draw.text((GAP, top + 38), f"arousal {m.arousal:+.2f}", fill=(165, 165, 170), font=font)
        draw.text((GAP, top + 54), f"speed {m.motion.speed:.3f}", fill=(120, 120, 128), font=font)
    return sheet


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", default="moods.png", help="PNG to write")
    parser.add_argument("--sort", choices=["name", "valence", "arousal"], default="name")
    args = parser.parse_args()
    sheet = contact_sheet(args.sort)
    with atomic_path(args.output) as tmp:
        sheet.save(tmp, format="PNG")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
