"""Greyscale noise textures: the quickest picture of the noise core, optionally tileable."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

import numpy as np
from PIL import Image

from wiktoria import noise
from wiktoria.common import validate
from wiktoria.common.atomicio import atomic_path
from wiktoria.common.memory import check_memory
from wiktoria.scene import check_size

__all__ = ["noise_image", "noise_memory", "save_noise_png"]


def noise_memory(width: int, height: int) -> int:
    """Bytes :func:`noise_image` needs at its peak (above what was measured: about 30 bytes
    per pixel beyond the interpreter, simplex at 3000x3000)."""
    return int(width * height * 40 + 64 * 2**20)

def noise_image(
    size: tuple[int, int] = (512, 512),
    *,
    kind: Literal["perlin", "simplex"] = "simplex",
    seed: int = 0,
    scale: float = 96.0,
    octaves: int = 6,
    tileable: bool = False,
) -> Image.Image:
    """Render fractal noise as an 8-bit greyscale image.

    Parameters
    ----------
    size : (int, int)
        Width and height in pixels, 1 to 16384 each. A size that does not fit in the memory
        this process may use (:mod:`wiktoria.common.memory`) is a ValueError, raised before
        anything is allocated.
    kind : {'perlin', 'simplex'}
        Base noise.
    seed : int
        Seed of the field (and of the dither), 0 to 2**63-1.
    scale : float
        Pixels per noise cell, > 0.
    octaves : int
        Octaves of fBm, 1 to 32.
    tileable : bool
        Make the image tile seamlessly: the noise period equals the image size (the cell size
        is adjusted so that a whole number of cells fits).

    Returns
    -------
    PIL.Image.Image
        Mode ``"L"``, of the given size. fBm values in [-1, 1] map to grey with a fixed
        contrast; a triangular dither of one code value keeps gradients free of banding.

    Examples
    --------
    >>> from wiktoria.io.texture import noise_image
    >>> noise_image((64, 32), seed=1).size
    (64, 32)
    """
    w, h = check_size(size)
    seed = validate.seed(seed)
    if not (isinstance(scale, int | float) and np.isfinite(scale) and scale > 0):
        raise ValueError(f"scale must be a positive number of pixels per cell, got {scale!r}")
    check_memory(w, h, need=noise_memory(w, h), what="noise image")
    if tileable:
        px, py = max(1, round(w / scale)), max(1, round(h / scale))
        x = (np.arange(w) * (px / w)).reshape(1, -1)
        y = (np.arange(h) * (py / h)).reshape(-1, 1)
        period: tuple[int | None, ...] | None = (px, py)
    else:
        x = (np.arange(w) / scale).reshape(1, -1)
        y = (np.arange(h) / scale).reshape(-1, 1)
        period = None
    if kind == "simplex" and tileable:
        field = noise.fbm(x, y, kind=kind, octaves=octaves, seed=seed, period=period)
    else:
        field = noise.fbm(x, y, 0.5, kind=kind, octaves=octaves, seed=seed,
                          period=None if period is None else (*period, None))
    rng = np.random.default_rng(seed)
    grey = field * np.float32(1.6 * 127.5) + np.float32(127.5)
    grey += rng.random(grey.shape, dtype=np.float32) - rng.random(grey.shape, dtype=np.float32)
    np.clip(grey, 0, 255, out=grey)
    return Image.fromarray(np.rint(grey).astype(np.uint8), mode="L")


def save_noise_png(path: str | os.PathLike[str], size: tuple[int, int] = (512, 512),
                   **options: object) -> Path:
    """Render :func:`noise_image` and write it to ``path`` as PNG, atomically.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    target = Path(path)
    if target.suffix.lower() != ".png":
        raise ValueError(f"output must be a .png file, got {str(target)!r}")
    image = noise_image(size, **options)  # type: ignore[arg-type]
    with atomic_path(target) as tmp:
        image.save(tmp, format="PNG")
    return target
