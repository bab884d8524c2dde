"""Paintings: ``wiktoria.paint()`` and the :class:`Painting` it returns.

A painting knows its scene. Saved as PNG it carries the scene (TOML), the mood definition and
the Wiktoria version in text chunks, so :func:`reproduce` renders the same pixels again.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, PngImagePlugin

from wiktoria.common import validate
from wiktoria.io.formats import STILL_FORMATS as FORMATS
from wiktoria.io.formats import default_filename, still_format
from wiktoria.io.metadata import MOOD_KEY, SCENE_KEY, VERSION_KEY, png_info, read_scene
from wiktoria.io.still import png_bytes, save_still
from wiktoria.moods.mood import Mood
from wiktoria.moods.registry import resolve_mood
from wiktoria.render.compositor import render_layers
from wiktoria.render.layer import LayerRenderer
from wiktoria.render.strokedata import STROKE_STYLES, Strokes, collect, strokes_of
from wiktoria.scene import Canvas, Scene, check_size
from wiktoria.scene.composition import plan
from wiktoria.scene.styles import check_style, layers_for, style_layouts

# FORMATS, the metadata keys, read_scene and default_filename live in wiktoria.io; they are
# re-exported here for 0.1 code.
__all__ = ["FORMATS", "MOOD_KEY", "SCENE_KEY", "VERSION_KEY", "Painting", "default_filename",
           "paint", "paint_scene", "read_scene", "reproduce"]


class Painting:
    """A rendered painting.

    Attributes
    ----------
    scene : Scene
        What was painted; ``scene.to_toml()`` reproduces it.
    mood : Mood
        The resolved mood.
    image : PIL.Image.Image
        RGB image of the scene's size.

    ``np.asarray(painting)`` is the (height, width, 3) uint8 array; in Jupyter the painting
    shows itself inline.
    """

    def __init__(self, scene: Scene, mood: Mood, pixels: np.ndarray,
                 renderers: Sequence[LayerRenderer] = ()) -> None:
        self.scene = scene
        self.mood = mood
        self._pixels = pixels
        self._pixels.flags.writeable = False
        self._image: Image.Image | None = None
        self._strokes: Strokes | None = None
        # The renderers of the render that made it which draw strokes (already prepared).
        self._stroke_renderers = [r for r in renderers
                                  if type(r).strokes is not LayerRenderer.strokes]
        self._prepared = bool(renderers)

    @property
    def image(self) -> Image.Image:
        if self._image is None:
            self._image = Image.fromarray(self._pixels, mode="RGB")
        return self._image

    @property
    def size(self) -> tuple[int, int]:
        return self.scene.size

    @property
    def strokes(self) -> Strokes:
        """The painting's polylines as :class:`~wiktoria.render.strokedata.Strokes` (pixels),
        from the layers that draw strokes (``brush``, in the landscape and flow styles, and
        ``lines``); empty for the others. Computed on first use."""
        if self._strokes is None:
            self._strokes = (collect(self._stroke_renderers) if self._prepared
                             else strokes_of(self.scene, self.mood))
            self._stroke_renderers = []
        return self._strokes

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        arr = self._pixels
        if dtype is not None and np.dtype(dtype) != arr.dtype:
            return arr.astype(dtype)
        return arr.copy() if copy else arr

    def __repr__(self) -> str:
        w, h = self.size
        return (f"<Painting {self.scene.style} {self.scene.mood.name!r} {w}x{h} "
                f"seed={self.scene.seed}>")

    def pnginfo(self, extra: Mapping[str, str] | None = None) -> PngImagePlugin.PngInfo:
        """PNG text chunks: the scene, the mood definition and the version (UTF-8, zipped)."""
        return png_info(self.scene.to_toml(), self.mood.to_toml(), extra)

    def png_bytes(self) -> bytes:
        """The painting as PNG bytes, scene included."""
        return png_bytes(self.image, self.scene.to_toml(), self.mood.to_toml())

    def _repr_png_(self) -> bytes:
        return self.png_bytes()

    def save(self, path: str | os.PathLike[str], *, quality: int = 92, page: str | None = "a4",
             margin_mm: float = 10.0, pens: int | None = 6) -> Path:
        """Write the painting, the format chosen by the extension (PNG, JPEG, WebP, TIFF, SVG).

        PNG carries the whole scene and the mood; JPEG carries the scene as its comment; WebP
        and TIFF carry none (:func:`wiktoria.io.still.save_still`). An SVG is the painting's
        :attr:`strokes` on a ``page`` with a margin, in at most ``pens`` colours (None: one
        pen per colour), its scene and these options in its metadata
        (:func:`wiktoria.io.svg.write_svg`); a painting without strokes is refused.
        The file is written atomically.

        Returns
        -------
        pathlib.Path
        """
        if still_format(path) == "SVG":
            from wiktoria.io.svg import check_svg_options, write_svg

            check_svg_options(page, margin_mm, pens)
            if len(self.strokes) == 0:
                raise ValueError(f"this {self.scene.style} painting draws no strokes to write "
                                 f"as SVG; the styles that do: {', '.join(STROKE_STYLES)}")
            out = write_svg(self.strokes, self.scene.to_toml(), path, size=self.size, page=page,
                            margin_mm=margin_mm, pens=pens)
            assert out is not None
            return out
        return save_still(self.image, path, scene_toml=self.scene.to_toml(),
                          mood_toml=self.mood.to_toml(), quality=quality)


def _overrides(kw: Mapping[str, Any]) -> dict[str, Any]:
    return {k.replace("__", "."): v for k, v in kw.items()}


def _seed(seed: int | None) -> int:
    if seed is None:
        return secrets.randbelow(2**31)
    return validate.seed(seed)


def build_scene(
    mood: str | Mood = "seething",
    size: tuple[int, int] = (1920, 1080),
    seed: int | None = None,
    style: str = "landscape",
    overrides: Mapping[str, Any] | None = None,
) -> tuple[Scene, Mood]:
    """The scene ``paint`` would render (mood defaults, then overrides), and its mood."""
    w, h = check_size(size)
    style = check_style(style)
    resolved = resolve_mood(mood)
    canvas = Canvas(w, h, _seed(seed))
    scene = Scene(canvas, resolved, style, layers_for(resolved, style),
                  composition=plan(canvas.seed, resolved, layouts=style_layouts(style)))
    if overrides:
        scene = scene.override(_overrides(overrides))
    return scene, resolved


def paint(
    mood: str | Mood = "seething",
    size: tuple[int, int] = (1920, 1080),
    seed: int | None = None,
    style: str = "landscape",
    **overrides: Any,
) -> Painting:
    """Paint a mood.

    Parameters
    ----------
    mood : str or Mood
        A mood name or alias, ``"valence,arousal"``, a mood file path, or a :class:`Mood`
        (e.g. from :func:`wiktoria.mood_at` or :func:`wiktoria.blend`).
    size : (int, int)
        Width and height in pixels, 1 to 16384 each.
    seed : int, optional
        Seed of every random choice; drawn at random (and recorded in the scene) if None.
    style : {'landscape', 'flow', 'marble'}
    **overrides
        Layer parameters, ``strata__count=5`` (or ``**{"strata.count": 5}``).

    Returns
    -------
    Painting

    Examples
    --------
    >>> import numpy as np, wiktoria
    >>> p = wiktoria.paint("serene", size=(96, 64), seed=1)
    >>> np.asarray(p).shape, p.scene.seed
    ((64, 96, 3), 1)
    """
    scene, resolved = build_scene(mood, size, seed, style, overrides)
    return paint_scene(scene, resolved)


def paint_scene(scene: Scene, mood: Mood | None = None) -> Painting:
    """Render a :class:`Scene`.

    Parameters
    ----------
    scene : Scene
        Everything the painting is made of, its mood included.
    mood : Mood, optional
        Paint with this mood instead of the scene's (the scene then records it).

    Returns
    -------
    Painting
        Whose ``mood`` is the mood painted with: for a frame of a loop moving to another mood,
        that frame's blend.

    Examples
    --------
    >>> import wiktoria
    >>> p = wiktoria.paint("serene", size=(64, 48), seed=2)
    >>> q = wiktoria.paint_scene(wiktoria.Scene.from_toml(p.scene.to_toml()))
    >>> q.png_bytes() == p.png_bytes()
    True
    """
    if mood is not None and mood != scene.mood:
        scene = replace(scene, mood=mood)
    pixels, renderers = render_layers(scene)  # checks the memory first
    return Painting(scene, scene.frame_state()[0], pixels, renderers)


def reproduce(source: str | os.PathLike[str], output: str | os.PathLike[str]) -> Painting:
    """Render the scene embedded in a Wiktoria still again and save it to ``output``.

    :func:`wiktoria.run.reproduce.reproduce` also renders animations again.
    """
    scene, mood = read_scene(source)
    painting = paint_scene(scene, mood)
    painting.save(output)
    return painting
