"""Contact sheets: the stills of a seed sweep as labelled thumbnails in one PNG.

Examples
--------
>>> import wiktoria
>>> from wiktoria.io.contact_sheet import ContactSheet
>>> p = wiktoria.paint("serene", size=(64, 40), seed=1)
>>> sheet = ContactSheet("serene", [1], p.size)
>>> sheet.add(1, p.png_bytes())
>>> sheet.png_bytes(sheet_meta("serene", "landscape", p.size, [1]))[:4]
b'\x89PNG'
"""

from __future__ import annotations

import io
import math

from PIL import Image, ImageDraw, ImageFont, PngImagePlugin

from wiktoria.common.toml import toml_value

__all__ = ["CONTACT_SHEET", "CONTACT_SHEET_KEY", "ContactSheet", "sheet_meta"]

#: File name of a sweep's contact sheet.
CONTACT_SHEET = "contact-sheet.png"
#: PNG text chunk that marks a contact sheet written by Wiktoria.
CONTACT_SHEET_KEY = "wiktoria:contact-sheet"


def _thumb_size(size: tuple[int, int], cols: int) -> tuple[int, int]:
    w, h = size
    side = max(48, min(256, 8192 // cols))
    s = min(1.0, side / max(w, h))
    return max(1, round(w * s)), max(1, round(h * s))


class ContactSheet:
    """A labelled grid of thumbnails, filled as stills arrive, in seed order."""

    PAD = 8
    BG = (22, 22, 26)
    FG = (214, 214, 220)

    def __init__(self, title: str, seeds: list[int], size: tuple[int, int]) -> None:
        self.seeds = seeds
        self.cols = max(1, math.ceil(math.sqrt(len(seeds))))
        self.rows = math.ceil(len(seeds) / self.cols)
        self.tw, self.th = _thumb_size(size, self.cols)
        self.font = ImageFont.load_default(size=12)
        self.label_h = 16
        self.cell_w = self.tw + self.PAD
        self.cell_h = self.th + self.label_h + self.PAD
        self.head = 24
        width = max(self.cols * self.cell_w + self.PAD, 240)
        height = self.head + self.rows * self.cell_h + self.PAD
        self.image = Image.new("RGB", (width, height), self.BG)
        self.draw = ImageDraw.Draw(self.image)
        self.draw.text((self.PAD, 6), title, fill=self.FG, font=self.font)
        self.slot = {s: k for k, s in enumerate(seeds)}

    def add(self, seed: int, png: bytes) -> None:
        k = self.slot[seed]
        r, c = divmod(k, self.cols)
        x = self.PAD + c * self.cell_w
        y = self.head + r * self.cell_h
        with Image.open(io.BytesIO(png)) as im:
            thumb = im.convert("RGB").resize((self.tw, self.th), Image.Resampling.LANCZOS)
        self.image.paste(thumb, (x, y))
        label = f"seed {seed}"
        if self.draw.textlength(label, font=self.font) > self.tw:
            label = str(seed)
        tx = x + (self.tw - self.draw.textlength(label, font=self.font)) / 2
        self.draw.text((round(tx), y + self.th + 2), label, fill=self.FG, font=self.font)

    def png_bytes(self, meta: str) -> bytes:
        info = PngImagePlugin.PngInfo()
        info.add_itxt(CONTACT_SHEET_KEY, meta, zip=True)
        bio = io.BytesIO()
        self.image.save(bio, format="PNG", pnginfo=info)
        return bio.getvalue()


def sheet_meta(mood: str, style: str, size: tuple[int, int], seeds: list[int]) -> str:
    """The TOML stored in a contact sheet's ``wiktoria:contact-sheet`` chunk.

    Examples
    --------
    >>> print(sheet_meta("serene", "flow", (64, 40), [1, 2]), end="")
    mood = "serene"
    style = "flow"
    size = [64, 40]
    seeds = [1, 2]
    """
    w, h = size
    return (f"mood = {toml_value(mood)}\nstyle = {toml_value(style)}\nsize = [{w}, {h}]\n"
            f"seeds = [{', '.join(map(str, seeds))}]\n")
