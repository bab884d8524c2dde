"""File formats by extension, and file names.

Two small tables, as imageio and Pillow keep them: :data:`STILL_FORMATS` (what
:meth:`wiktoria.render.painting.Painting.save` writes) and :data:`ANIMATION_FORMATS` (what
:func:`wiktoria.io.encode.write_animation` writes). The writers themselves are registered
beside their code (:data:`wiktoria.io.still.WRITERS`, :data:`wiktoria.io.encode.WRITERS`); an
unknown extension is a one-line ``ValueError`` listing the valid ones.

Examples
--------
>>> still_format("a.JPG"), animation_format("loop.png")
('JPEG', 'APNG')
>>> animation_format("a.avi")  # doctest: +ELLIPSIS
Traceback (most recent call last):
ValueError: cannot write an animation to 'a.avi': unknown extension '.avi'; valid: .gif, ...
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from wiktoria.common.atomicio import output_target
from wiktoria.scene import Scene

__all__ = ["ANIMATION_FORMATS", "STILL_FORMATS", "STREAM_DEFAULTS", "animation_format",
           "default_filename", "is_stream", "output_suffix", "slug", "still_format"]

#: Still image formats by extension (Pillow format names; SVG is the painting's strokes,
#: :mod:`wiktoria.io.svg`).
STILL_FORMATS: dict[str, str] = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP",
                                 ".tif": "TIFF", ".tiff": "TIFF",
                                 ".svg": "SVG"}
#: Animation formats by extension.
ANIMATION_FORMATS: dict[str, str] = {".gif": "GIF", ".png": "APNG", ".webp": "WebP",
                                     ".mp4": "MP4"}


#: Extensions used for a stream without one (``-o /dev/stdout``, a FIFO): still, animation.
STREAM_DEFAULTS = (".png", ".gif")


def is_stream(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is written through rather than replaced: a character device, a FIFO or
    a path through ``/proc`` such as ``/dev/stdout`` (see :mod:`wiktoria.common.atomicio`)."""
    try:
        return output_target(path).kind == "stream"
    except ValueError:
        return False


def output_suffix(path: str | os.PathLike[str], animation: bool = False) -> str:
    """The extension of ``path`` (lower case); a stream without one is ``.png`` (``.gif`` for
    an animation).

    Examples
    --------
    >>> output_suffix("A.PNG"), output_suffix("/dev/null"), output_suffix("/dev/null", True)
    ('.png', '.png', '.gif')
    """
    suffix = Path(path).suffix.lower()
    if not suffix and is_stream(path):
        return STREAM_DEFAULTS[1 if animation else 0]
    return suffix


def _lookup(table: dict[str, str], path: str | os.PathLike[str], what: str,
            ext: str | None) -> str:
    suffix = output_suffix(path, table is ANIMATION_FORMATS) if ext is None else ext
    fmt = table.get(suffix.lower())
    if fmt is None:
        raise ValueError(f"cannot {what} {str(path)!r}: unknown extension {suffix!r}; "
                         f"valid: {', '.join(table)}")
    return fmt


def still_format(path: str | os.PathLike[str], ext: str | None = None) -> str:
    """The still format of ``path`` by its extension (or by ``ext``): ``"PNG"``, ``"JPEG"``..."""
    return _lookup(STILL_FORMATS, path, "save", ext)


def animation_format(path: str | os.PathLike[str], ext: str | None = None) -> str:
    """The animation format of ``path`` by its extension (or by ``ext``): ``"GIF"``, ..."""
    return _lookup(ANIMATION_FORMATS, path, "write an animation to", ext)


def slug(text: str) -> str:
    """``text`` as a file-name part: lower case, runs of other characters become ``-``.

    Examples
    --------
    >>> slug("0.3,-0.5"), slug("Deep Sea!")
    ('0.3--0.5', 'deep-sea')
    """
    return re.sub(r"[^a-z0-9+.-]+", "-", text.lower()).strip("-") or "painting"


def default_filename(scene: Scene, folder: str | os.PathLike[str] = ".",
                     ext: str = ".png") -> Path:
    """``{mood}-{seed}.png`` in ``folder``, with ``-1``, ``-2``... if it exists already.

    Examples
    --------
    >>> import tempfile, wiktoria
    >>> scene = wiktoria.paint("serene", size=(8, 8), seed=4).scene
    >>> with tempfile.TemporaryDirectory() as d:
    ...     default_filename(scene, d, ext=".gif").name
    'serene-4.gif'
    """
    base = f"{slug(scene.mood.name)}-{scene.seed}"
    folder = Path(folder)
    candidate = folder / f"{base}{ext}"
    k = 1
    while candidate.exists():
        candidate = folder / f"{base}-{k}{ext}"
        k += 1
    return candidate
