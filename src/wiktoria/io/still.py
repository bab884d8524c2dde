"""Still images: PNG, JPEG, WebP and TIFF, written atomically with the scene embedded.

:data:`WRITERS` maps each format of :data:`wiktoria.io.formats.STILL_FORMATS` to its writer.
PNG carries the scene, the mood and the version (:func:`wiktoria.io.metadata.png_info`); JPEG
carries the scene as its comment; WebP and TIFF carry none.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

from wiktoria.common.atomicio import atomic_path, check_output_dir
from wiktoria.io import png
from wiktoria.io.formats import still_format
from wiktoria.io.metadata import png_info

__all__ = ["WRITERS", "png_bytes", "save_still"]

#: ``writer(image, target, scene_toml, mood_toml, quality)`` by Pillow format name.
Writer = Callable[[Image.Image, Path, str, str | None, int], None]


def _png(image: Image.Image, target: Path, scene: str, mood: str | None, quality: int) -> None:
    target.write_bytes(png_bytes(image, scene, mood))


def _jpeg(image: Image.Image, target: Path, scene: str, mood: str | None, quality: int) -> None:
    image.save(target, format="JPEG", quality=quality, comment=scene.encode())


def _webp(image: Image.Image, target: Path, scene: str, mood: str | None, quality: int) -> None:
    image.save(target, format="WEBP", quality=quality)


def _tiff(image: Image.Image, target: Path, scene: str, mood: str | None, quality: int) -> None:
    image.save(target, format="TIFF")


#: Still writers by Pillow format name.
WRITERS: dict[str, Writer] = {"PNG": _png, "JPEG": _jpeg, "WEBP": _webp, "TIFF": _tiff}


def save_still(image: Image.Image, path: str | os.PathLike[str], *, scene_toml: str,
               mood_toml: str | None = None, quality: int = 92) -> Path:
    """Write ``image``, the format chosen by the extension, atomically.

    Parameters
    ----------
    image : PIL.Image.Image
    path : path
        ``.png``, ``.jpg``/``.jpeg``, ``.webp`` or ``.tif``/``.tiff``; its folder must exist.
    scene_toml, mood_toml : str
        Embedded where the format allows (see the module docstring).
    quality : int
        JPEG and WebP quality.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from PIL import Image
    >>> with tempfile.TemporaryDirectory() as d:
    ...     save_still(Image.new("RGB", (4, 4)), pathlib.Path(d) / "a.jpg", scene_toml="").name
    'a.jpg'
    """
    target = Path(path)
    fmt = still_format(target)
    if fmt not in WRITERS:  # SVG: drawn from strokes, not pixels (Painting.save)
        raise ValueError(f"cannot save pixels as {fmt}: save the painting (Painting.save), "
                         "whose strokes an SVG is drawn from")
    writer = WRITERS[fmt]
    check_output_dir(target)
    with atomic_path(target) as tmp:
        writer(image, tmp, scene_toml, mood_toml, quality)
    return target


def png_bytes(image: Image.Image, scene_toml: str, mood_toml: str | None = None) -> bytes:
    """``image`` as PNG bytes with the scene and mood embedded (as :func:`save_still`),
    written by :func:`wiktoria.io.png.png_bytes` (8-bit grey, RGB and their alpha; Pillow
    writes other modes)."""
    info = png_info(scene_toml, mood_toml)
    if image.mode not in _MODES:
        bio = io.BytesIO()
        image.save(bio, format="PNG", pnginfo=info)
        return bio.getvalue()
    return png.png_bytes(np.asarray(image), info)


#: Image modes :func:`wiktoria.io.png.png_bytes` writes.
_MODES = ("L", "LA", "RGB", "RGBA")
