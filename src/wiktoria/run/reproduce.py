"""Render a file Wiktoria wrote again, from the scene it carries.

The rule (:func:`reproduce`):

* an **animation** (a GIF, APNG, animated WebP or MP4 written by Wiktoria, or a scene ``.toml``
  with a ``[loop]`` table) renders the whole loop again, frame for frame, into an animation
  file (``.gif``, ``.png`` = APNG, ``.webp``, ``.mp4``); with ``frame=N``, frame ``N`` of it as
  a still (``.png``, ``.jpg``, ``.webp``, ``.tif``), the same as ``wiktoria frames`` writes;
* a **still** (a Wiktoria PNG or JPEG, a frame PNG of ``wiktoria frames``, or a scene
  ``.toml`` without ``[loop]``) renders that still again, pixel for pixel, into a still file.

Encoder settings (GIF dither, WebP and MP4 quality) are not recorded in the file: pass them again.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from wiktoria.common import validate
from wiktoria.common.atomicio import check_output_dir
from wiktoria.common.progress import Progress
from wiktoria.io.formats import (
    ANIMATION_FORMATS,
    STILL_FORMATS,
    animation_format,
    output_suffix,
    still_format,
)
from wiktoria.io.metadata import SceneSource, read_source
from wiktoria.motion.animation import Animation, animation_from_scene
from wiktoria.render.painting import Painting, paint_scene
from wiktoria.run.ahead import write_loop

__all__ = ["reproduce", "source_animation"]


def source_animation(source: SceneSource) -> Animation:
    """The :class:`~wiktoria.Animation` of an animated source, as it was rendered."""
    return animation_from_scene(source.scene, source.mood)


def _frame_index(frame: Any, n: int) -> int:
    frame = validate.integer(frame, "frame")
    if not 0 <= frame < n:
        raise ValueError(f"frame must be from 0 to {n - 1} (the loop has {n} frames), got "
                         f"{frame}")
    return frame


def reproduce(
    source: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    frame: int | None = None,
    jobs: int | None = None,
    progress: Progress | None = None,
    **options: Any,
) -> Path:
    """Render the scene a Wiktoria file carries again and write it to ``output``.

    Parameters
    ----------
    source : path
        A file Wiktoria wrote (PNG, JPEG, GIF, APNG, WebP, MP4) or a scene ``.toml``.
    output : path
        An animation file for an animated source, a still file for a still (module docstring).
    frame : int, optional
        Write frame ``frame`` of an animated source as a still instead.
    jobs : int, optional
        Worker processes for an animation (as :func:`wiktoria.run.batch.write_loop`).
    progress : wiktoria.common.progress.Progress, optional
        Frames of an animation as they are encoded.
    **options
        ``dither``, ``quality``: as :func:`wiktoria.io.encode.write_animation`.

    Returns
    -------
    pathlib.Path
        ``output``, written atomically.

    Raises
    ------
    ValueError
        The source carries no scene; the output's extension does not fit the source; ``frame``
        for a still or out of range.

    Examples
    --------
    >>> import tempfile, pathlib, numpy as np, wiktoria
    >>> from PIL import Image
    >>> with tempfile.TemporaryDirectory() as d:
    ...     a = wiktoria.animate("serene", size=(32, 16), frames=3, seed=1).save(f"{d}/a.gif")
    ...     b = reproduce(a, f"{d}/b.gif", jobs=1)
    ...     a.read_bytes() == b.read_bytes()
    True
    """
    src = read_source(source)
    name = str(source)
    if not src.animated:
        if frame is not None:
            raise ValueError(f"{name!r} is a still, not an animation: it has no frame {frame}")
        if output_suffix(output) in set(ANIMATION_FORMATS) - set(STILL_FORMATS):
            raise ValueError(f"{name!r} is a still: write it as one of "
                             f"{', '.join(STILL_FORMATS)}, not {output_suffix(output)!r}")
        still_format(output)
        check_output_dir(output)
        painting: Painting = paint_scene(src.scene, src.mood)
        plot: dict[str, Any] = {}
        if still_format(output) == "SVG":
            from wiktoria.io.headers import open_input
            from wiktoria.io.svg import looks_like_svg, svg_plot_options

            with open_input(source) as f:  # an SVG source: the same page, margin and pens
                if looks_like_svg(f.read(12)):
                    f.seek(0)
                    plot = svg_plot_options(f, name)
        return painting.save(output, **plot)
    anim = source_animation(src)
    if frame is not None:
        index = _frame_index(frame, len(anim))
        still_format(output)
        check_output_dir(output)
        return anim.frame(index).save(output)
    if output_suffix(output, animation=True) not in ANIMATION_FORMATS:
        raise ValueError(f"{name!r} is an animation: write it as one of "
                         f"{', '.join(ANIMATION_FORMATS)} (or one frame of it as a still), not "
                         f"{output_suffix(output, animation=True)!r}")
    animation_format(output)
    return write_loop(anim, output, jobs=jobs, progress=progress, **options)
