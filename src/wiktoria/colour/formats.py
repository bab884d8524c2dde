"""Palette exchange formats: GIMP ``.gpl``, lospec ``.hex``, coolors URLs and CSS gradients.

Reading gives a list of hex colours (and names); writing takes a
:class:`~wiktoria.colour.ramp.Palette`.
Mood files (TOML) stay the source of truth: ``.gpl`` and ``.hex`` cannot hold positions or
affect, so positions are written into the ``.gpl`` colour names (``ash @0.362``).

* GIMP Palette (format version 2): line 1 ``GIMP Palette``; optional ``Name:`` and
  ``Columns:`` headers; ``#`` comments and blank lines; body lines ``R G B<whitespace>name``.
* lospec ``.hex``: one ``RRGGBB`` per line (a leading ``#`` is accepted).
* coolors: ``https://coolors.co/264653-2a9d8f-e9c46a`` or ``https://coolors.co/palette/...``;
  the colours are parsed from the URL, nothing is fetched.
* CSS: ``linear-gradient(in oklab to right, #160304 0%, ...)`` (CSS Color 4 interpolation).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from wiktoria.colour.ramp import Palette

__all__ = [
    "EXPORT_FORMATS",
    "ImportedColours",
    "parse_coolors_url",
    "parse_gpl",
    "parse_hex_list",
    "read_palette_source",
    "to_css",
    "to_gpl",
    "to_hex",
]

EXPORT_FORMATS: tuple[str, ...] = ("gpl", "hex", "css")

_HEX6 = re.compile(r"^#?([0-9a-fA-F]{6})$")


@dataclass(frozen=True)
class ImportedColours:
    """Colours read from a palette file or URL: ``#rrggbb`` strings, names, and where from."""

    colors: tuple[str, ...]
    names: tuple[str, ...]
    origin: str


def parse_gpl(text: str, origin: str = "<gpl>") -> ImportedColours:
    """Parse a GIMP palette.

    Raises
    ------
    ValueError
        One line naming ``origin``, the line number and the offending line.

    Examples
    --------
    >>> parse_gpl("GIMP Palette\\nName: x\\n#\\n 22   3   4\\tash\\n255 255 255\\n").colors
    ('#160304', '#ffffff')
    """
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "GIMP Palette":
        first = lines[0] if lines else ""
        raise ValueError(f"{origin}: line 1 = {first!r}: a .gpl file starts with 'GIMP Palette'")
    colors: list[str] = []
    names: list[str] = []
    for number, line in enumerate(lines[1:], start=2):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if re.match(r"^(Name|Columns):", stripped):
            continue
        parts = stripped.split(None, 3)
        try:
            rgb = [int(p) for p in parts[:3]]
            if len(rgb) != 3 or not all(0 <= c <= 255 for c in rgb):
                raise ValueError
        except ValueError:
            raise ValueError(
                f"{origin}: line {number} = {line!r}: expected 'R G B name' with R, G, B "
                "from 0 to 255"
            ) from None
        colors.append("#{:02x}{:02x}{:02x}".format(*rgb))
        names.append(parts[3].strip() if len(parts) > 3 else "")
    if not colors:
        raise ValueError(f"{origin}: no colours in this GIMP palette")
    return ImportedColours(tuple(colors), tuple(names), origin)


def parse_hex_list(text: str, origin: str = "<hex>") -> ImportedColours:
    """Parse a lospec ``.hex`` file: one ``RRGGBB`` per line.

    Examples
    --------
    >>> parse_hex_list("264653\\n#2A9D8F\\n").colors
    ('#264653', '#2a9d8f')
    """
    colors = []
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        match = _HEX6.match(stripped)
        if not match:
            raise ValueError(f"{origin}: line {number} = {line!r}: expected a hex colour RRGGBB")
        colors.append("#" + match.group(1).lower())
    if not colors:
        raise ValueError(f"{origin}: no colours in this .hex file")
    return ImportedColours(tuple(colors), ("",) * len(colors), origin)


def parse_coolors_url(url: str) -> ImportedColours:
    """Read the colours from a coolors.co palette URL, without fetching anything.

    Examples
    --------
    >>> parse_coolors_url("https://coolors.co/264653-2a9d8f-e9c46a-f4a261-e76f51").colors[-1]
    '#e76f51'
    """
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    if parts.scheme not in ("http", "https") or host != "coolors.co":
        raise ValueError(f"{url!r} is not a coolors.co URL; only coolors palette URLs are read")
    segment = parts.path.rstrip("/").rsplit("/", 1)[-1]
    tokens = segment.split("-")
    if len(tokens) < 2 or not all(_HEX6.match(t) for t in tokens):
        raise ValueError(
            f"{url!r}: expected the colours as RRGGBB-RRGGBB-... at the end of the URL path"
        )
    colors = tuple("#" + t.lower() for t in tokens)
    return ImportedColours(colors, ("",) * len(colors), url)


def read_palette_source(source: str) -> ImportedColours:
    """Read colours from a ``.gpl`` or ``.hex`` file, or a coolors URL.

    Raises
    ------
    FileNotFoundError
        If a file does not exist.
    ValueError
        For an unsupported kind of source or a malformed file.
    """
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", source.strip()):
        return parse_coolors_url(source)
    path = Path(source)
    suffix = path.suffix.lower()
    if suffix not in (".gpl", ".hex"):
        raise ValueError(
            f"{source!r}: cannot import this kind of palette; give a .gpl or .hex file "
            "or a coolors.co URL"
        )
    if not path.is_file():
        raise FileNotFoundError(f"palette file {source!r} does not exist")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{source}: not UTF-8 text ({exc.reason})") from None
    return parse_gpl(text, source) if suffix == ".gpl" else parse_hex_list(text, source)


def _colours(palette: Palette, samples: int | None) -> tuple[list[str], list[float], list[str]]:
    if samples is None:
        names = [s.name for s in palette.stops]
        return palette.stop_hexes(), list(palette.positions), names
    colors = palette.sample_hexes(samples)
    positions = [i / (samples - 1) for i in range(samples)]
    return colors, positions, [""] * samples


def to_gpl(palette: Palette, name: str, samples: int | None = None) -> str:
    """A GIMP palette of the stops (or ``samples`` evenly spaced colours).

    Colour names carry the position: ``ash @0.362``. Pillow's ``GimpPaletteFile`` reads it.

    Examples
    --------
    >>> text = to_gpl(Palette.from_colors(["#000000", "#ffffff"]), "grey")
    >>> text.splitlines()[:3]
    ['GIMP Palette', 'Name: grey', 'Columns: 2']
    >>> text.splitlines()[-1]
    '255 255 255\\t@1.000'
    """
    colors, positions, names = _colours(palette, samples)
    lines = [
        "GIMP Palette",
        f"Name: {name}",
        f"Columns: {min(len(colors), 16)}",
        "# Exported by wiktoria; the position on the ramp follows '@' in each name.",
    ]
    for hexcode, pos, label in zip(colors, positions, names, strict=True):
        r, g, b = (int(hexcode[i : i + 2], 16) for i in (1, 3, 5))
        lines.append(f"{r:3d} {g:3d} {b:3d}\t{(label + ' ') if label else ''}@{pos:.3f}")
    return "\n".join(lines) + "\n"


def to_hex(palette: Palette, samples: int | None = None) -> str:
    """A lospec ``.hex`` list: one ``rrggbb`` per line.

    Examples
    --------
    >>> to_hex(Palette.from_colors(["#000000", "#ffffff"]))
    '000000\\nffffff\\n'
    """
    colors, _, _ = _colours(palette, samples)
    return "".join(c[1:] + "\n" for c in colors)


def to_css(palette: Palette, samples: int | None = None) -> str:
    """A CSS Color 4 gradient interpolated like the engine: in OKLab (or OKLCh with its hue path).

    Examples
    --------
    >>> to_css(Palette.from_colors(["#000000", "#ffffff"]))
    'linear-gradient(in oklab to right, #000000 0%, #ffffff 100%)\\n'
    """
    colors, positions, _ = _colours(palette, samples)
    method = "in oklab" if palette.space == "oklab" else f"in oklch {palette.hue} hue"
    if samples is not None:
        method = "in oklab"
    stops = ", ".join(f"{c} {_percent(p)}" for c, p in zip(colors, positions, strict=True))
    return f"linear-gradient({method} to right, {stops})\n"


def _percent(pos: float) -> str:
    text = f"{pos * 100:.2f}".rstrip("0").rstrip(".")
    return f"{text}%"
