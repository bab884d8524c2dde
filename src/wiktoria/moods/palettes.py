"""Palettes of one's own: import them (with their affect estimated), export, remove.

Imported palettes are mood files written to the user's palette folder
(:mod:`wiktoria.moods.userdirs`); the registry (:mod:`wiktoria.moods.registry`) finds them.
A name or alias another mood has is refused, so an import never hides a mood.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np

from wiktoria.colour.formats import (
    EXPORT_FORMATS,
    read_palette_source,
    to_css,
    to_gpl,
    to_hex,
)
from wiktoria.colour.ramp import Palette, ramp_image
from wiktoria.common import validate
from wiktoria.common.atomicio import atomic_path, atomic_write_text, check_output_dir
from wiktoria.moods.mood import Mood, Motion
from wiktoria.moods.moodfile import load_mood
from wiktoria.moods.registry import _FILE_CACHE, _registry, mood, resolve_mood
from wiktoria.moods.userdirs import shipped_palette_dir, user_palette_dirs

__all__ = ["arousal_cue", "estimate_affect", "export_palette", "import_palette",
           "remove_palette", "save_palette_png"]


# --------------------------------------------------------------------------------------------
# users' own palettes


def arousal_cue(palette: Palette) -> float:
    """Colour cue for arousal: mean OKLab chroma + (L max − L min) over the lookup table.

    Saturation and contrast are the arousal correlates that replicate across studies
    (Valdez & Mehrabian 1994; Wilms & Oberfeld 2018).
    """
    lab = palette.oklab_lut.astype(np.float64)
    chroma = np.hypot(lab[:, 1], lab[:, 2])
    return float(chroma.mean() + lab[:, 0].max() - lab[:, 0].min())


def estimate_affect(palette: Palette) -> tuple[float, float]:
    """Estimate ``(valence, arousal)`` from a palette's colours.

    Valence from mean OKLab lightness, arousal from :func:`arousal_cue` (the research note's
    correlates, §1.5), each by a straight line fitted to the shipped moods and clipped to
    ``[-1, 1]``. An estimate for importing palettes, not a measurement.
    """
    lab = palette.oklab_lut.astype(np.float64)
    valence = _VALENCE_FIT[0] + _VALENCE_FIT[1] * float(lab[:, 0].mean())
    arousal = _AROUSAL_FIT[0] + _AROUSAL_FIT[1] * arousal_cue(palette)
    return (round(min(max(valence, -1.0), 1.0), 2), round(min(max(arousal, -1.0), 1.0), 2))


# Least-squares lines over the 14 shipped moods (r = 0.77 for valence, 0.66 for arousal).
_VALENCE_FIT = (-1.263, 2.380)
_AROUSAL_FIT = (-0.883, 2.032)

_SLUG_RE = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")


def import_palette(
    source: str,
    name: str,
    *,
    folder: str | os.PathLike[str] | None = None,
    overwrite: bool = False,
    sort: bool = True,
) -> Mood:
    """Turn a ``.gpl`` / ``.hex`` file or a coolors URL into a mood file in a user folder.

    Parameters
    ----------
    source : str
        Path of a ``.gpl`` or ``.hex`` file, or a coolors.co URL (read from the URL, not
        fetched).
    name : str
        The new mood's name: lowercase letters, digits, ``-`` and ``_``; also the file name.
    folder : path, optional
        Where to write; default: the first user palette folder (``$WIKTORIA_PALETTES`` or the
        platform's config folder), created if needed.
    overwrite : bool
        Replace an existing file of that name.
    sort : bool
        Order the colours dark to light (so the ramp's lightness is its structure); False keeps
        the source's order.

    Returns
    -------
    Mood
        As written, with ``path`` set. Valence and arousal are estimated from the colours
        (:func:`estimate_affect`) and marked as estimated in ``source``; motion follows from them.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     m = import_palette("https://coolors.co/03045e-0077b6-48cae4", "sea", folder=tmp)
    ...     m.path.name
    'sea.toml'
    """
    slug = name.strip().lower() if isinstance(name, str) else name
    if not isinstance(slug, str) or not _SLUG_RE.match(slug):
        raise ValueError(
            f"mood name {name!r} is not usable as a file name: use lowercase letters, digits, "
            "'-' and '_', starting with a letter"
        )
    existing = _registry().by_key.get(slug)
    if existing is not None and not (overwrite and existing.path is not None
                                     and existing.path.stem == slug
                                     and _is_user_file(existing.path)):
        if existing.name != slug:
            raise ValueError(f"mood name {slug!r} is already an alias of {existing.name!r}; "
                             "choose another name")
        if not _is_user_file(existing.path):
            raise ValueError(f"mood name {slug!r} is a shipped mood's; choose another name")
        raise ValueError(f"mood name {slug!r} is taken by your mood file "
                         f"{str(existing.path)!r}; choose another name (or overwrite it)")
    imported = read_palette_source(source)
    colors = list(imported.colors)
    names = list(imported.names)
    palette = Palette.from_colors(colors, names=names)
    if sort:
        light = [float(s.lab[0]) for s in palette.stops]
        order = sorted(range(len(colors)), key=lambda i: light[i])
        colors = [colors[i] for i in order]
        names = [names[i] for i in order]
        palette = Palette.from_colors(colors, names=names)
    valence, arousal = estimate_affect(palette)
    new = Mood(
        name=slug,
        valence=valence,
        arousal=arousal,
        palette=palette,
        motion=Motion.for_affect(valence, arousal),
        description=f"Imported from {_printable(imported.origin)}",
        source="estimated from the colours by wiktoria (valence from mean OKLab lightness, "
        "arousal from mean chroma plus lightness range); edit to taste",
    )
    target_dir = Path(folder) if folder is not None else user_palette_dirs()[0]
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"{slug}.toml"
    if target.exists() and not overwrite:
        raise FileExistsError(f"mood file {str(target)!r} already exists; choose another name")
    check_output_dir(target)
    new.save(target)
    return load_mood(target)


def _printable(text: str) -> str:
    """``text`` with undecodable file-name bytes (surrogate escapes) shown as U+FFFD."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _is_user_file(path: Path | None) -> bool:
    if path is None:
        return False
    shipped = shipped_palette_dir().resolve()
    try:
        return not path.resolve().is_relative_to(shipped)
    except (OSError, RuntimeError):
        return False


def remove_palette(name: str) -> Path:
    """Delete the user's mood file of a mood (shipped moods cannot be removed).

    Parameters
    ----------
    name : str
        The mood's name or alias.

    Returns
    -------
    pathlib.Path
        The file removed. A shipped mood that this file shadowed is back.

    Raises
    ------
    UnknownMoodError
        No mood has this name.
    ValueError
        The mood is a shipped one.

    Examples
    --------
    >>> import os, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     os.environ["WIKTORIA_PALETTES"] = tmp
    ...     _ = import_palette("https://coolors.co/03045e-0077b6-48cae4", "sea")
    ...     removed = remove_palette("sea")
    ...     del os.environ["WIKTORIA_PALETTES"]
    >>> removed.name
    'sea.toml'
    """
    found = mood(name)
    if not _is_user_file(found.path):
        raise ValueError(f"{found.name!r} is a shipped mood; only your own palettes (in "
                         f"{', '.join(repr(str(d)) for d in user_palette_dirs())}) can be "
                         "removed")
    assert found.path is not None
    found.path.unlink()
    _FILE_CACHE.pop(found.path.resolve(), None)
    return found.path


# --------------------------------------------------------------------------------------------
# what the CLI shows


def export_palette(
    spec: str | Mood,
    fmt: str,
    *,
    output: str | os.PathLike[str] | None = None,
    samples: int | None = None,
) -> str:
    """A mood's palette as ``.gpl``, ``.hex`` or CSS text, written to ``output`` if given.

    Parameters
    ----------
    spec : str or Mood
        Anything :func:`resolve_mood` accepts.
    fmt : {"gpl", "hex", "css"}
    output : path, optional
        Written atomically.
    samples : int, optional
        Export this many evenly spaced colours instead of the stops.

    Examples
    --------
    >>> export_palette("serene", "css").startswith("linear-gradient(in oklab to right, #")
    True
    """
    if fmt not in EXPORT_FORMATS:
        choices = ", ".join(EXPORT_FORMATS)
        raise ValueError(f"unknown palette format {fmt!r}; choose one of {choices}")
    m = resolve_mood(spec)
    if fmt == "gpl":
        text = to_gpl(m.palette, m.name, samples)
    elif fmt == "hex":
        text = to_hex(m.palette, samples)
    else:
        text = to_css(m.palette, samples)
    if output is not None:
        atomic_write_text(output, text)
    return text


def save_palette_png(spec: str | Mood, output: str | os.PathLike[str], *, width: int = 512) -> Path:
    """Write a mood's ramp above Kovesi's sine-ramp test image as a PNG (atomically).

    The image is ``width`` wide: a 64-pixel ramp over a 256-pixel sine ramp
    (:func:`wiktoria.colour.ramp.ramp_image`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     save_palette_png("haunting", pathlib.Path(tmp) / "ramp.png").name
    'ramp.png'
    """
    width = validate.integer(width, "width", 64, 8192)
    from PIL import Image

    m = resolve_mood(spec)
    image = Image.fromarray(ramp_image(m.palette, width=width))
    with atomic_path(output) as tmp:
        image.save(tmp, format="PNG")
    return Path(output)
