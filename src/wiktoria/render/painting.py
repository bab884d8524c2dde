"""Paintings: ``wiktoria.paint()`` and the :class:`Painting` it returns.

A painting knows its scene. Saved as PNG it carries the scene (TOML), the mood definition and
the Wiktoria version in text chunks, so :func:`reproduce` renders the same pixels again.
"""

from __future__ import annotations

import io
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, PngImagePlugin

from wiktoria import __version__
from wiktoria.common import validate
from wiktoria.common.atomicio import atomic_path, check_output_dir
from wiktoria.moods.mood import Mood
from wiktoria.moods.moodfile import parse_mood
from wiktoria.moods.registry import resolve_mood
from wiktoria.render.compositor import check_memory, render
from wiktoria.scene import Canvas, Scene, check_size
from wiktoria.scene.styles import check_style, layers_for

__all__ = ["FORMATS", "Painting", "default_filename", "paint", "paint_scene", "read_scene",
           "reproduce"]

#: File formats by extension (Pillow format names).
FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP", ".tif": "TIFF",
           ".tiff": "TIFF"}

SCENE_KEY = "wiktoria:scene"
MOOD_KEY = "wiktoria:mood"
VERSION_KEY = "wiktoria:version"


def _format_for(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ValueError(f"cannot save {str(path)!r}: unknown extension {path.suffix!r}; "
                         f"valid: {', '.join(FORMATS)}")
    return fmt


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

    def __init__(self, scene: Scene, mood: Mood, pixels: np.ndarray) -> None:
        self.scene = scene
        self.mood = mood
        self._pixels = pixels
        self._pixels.flags.writeable = False
        self._image: Image.Image | None = None

    @property
    def image(self) -> Image.Image:
        if self._image is None:
            self._image = Image.fromarray(self._pixels, mode="RGB")
        return self._image

    @property
    def size(self) -> tuple[int, int]:
        return self.scene.size

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
        info = PngImagePlugin.PngInfo()
        info.add_itxt(SCENE_KEY, self.scene.to_toml(), zip=True)
        info.add_itxt(MOOD_KEY, self.mood.to_toml(), zip=True)
        info.add_text(VERSION_KEY, __version__)
        info.add_text("Software", f"Wiktoria {__version__}")
        for k, v in (extra or {}).items():
            info.add_itxt(k, v, zip=True)
        return info

    def png_bytes(self) -> bytes:
        """The painting as PNG bytes, scene included."""
        bio = io.BytesIO()
        self.image.save(bio, format="PNG", pnginfo=self.pnginfo())
        return bio.getvalue()

    def _repr_png_(self) -> bytes:
        return self.png_bytes()

    def save(self, path: str | os.PathLike[str], *, quality: int = 92) -> Path:
        """Write the painting, the format chosen by the extension (PNG, JPEG, WebP, TIFF).

        PNG carries the whole scene; JPEG and WebP carry it as a comment / XMP-free
        description where the format allows. The file is written atomically.

        Returns
        -------
        pathlib.Path
        """
        target = Path(path)
        fmt = _format_for(target)
        check_output_dir(target)
        with atomic_path(target) as tmp:
            if fmt == "PNG":
                self.image.save(tmp, format="PNG", pnginfo=self.pnginfo())
            elif fmt == "JPEG":
                self.image.save(tmp, format="JPEG", quality=quality,
                                comment=self.scene.to_toml().encode())
            elif fmt == "WEBP":
                self.image.save(tmp, format="WEBP", quality=quality)
            else:
                self.image.save(tmp, format=fmt)
        return target


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
    scene = Scene(Canvas(w, h, _seed(seed)), resolved, style, layers_for(resolved, style))
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
    check_memory(*scene.size)
    return Painting(scene, scene.mood, render(scene))


def read_scene(path: str | os.PathLike[str]) -> tuple[Scene, Mood | None]:
    """The scene (and embedded mood) of a Wiktoria PNG, or of a scene ``.toml`` file.

    Raises
    ------
    ValueError
        The file is not a PNG written by Wiktoria, or its scene is malformed.
    """
    p = Path(path)
    if not p.exists():
        raise ValueError(f"{str(p)!r} does not exist")
    if p.suffix.lower() == ".toml":
        scene = Scene.from_toml(p.read_text(encoding="utf-8"), origin=str(p))
        return scene, scene.mood
    try:
        with Image.open(p) as im:
            text = dict(getattr(im, "text", {}) or {})
    except (OSError, SyntaxError) as exc:
        raise ValueError(f"{str(p)!r} is not an image Wiktoria can read: {exc}") from None
    if SCENE_KEY not in text:
        raise ValueError(f"{str(p)!r} carries no Wiktoria scene (no {SCENE_KEY!r} text chunk); "
                         "only PNGs written by Wiktoria can be reproduced")
    # Version 0.1 named the mood in the scene and carried its definition beside it.
    mood = parse_mood(text[MOOD_KEY], origin=f"{p} ({MOOD_KEY})") if MOOD_KEY in text else None
    scene = Scene.from_toml(text[SCENE_KEY], origin=f"{p} ({SCENE_KEY})", mood=mood)
    return scene, scene.mood


def reproduce(source: str | os.PathLike[str], output: str | os.PathLike[str]) -> Painting:
    """Render the scene embedded in a Wiktoria PNG again and save it to ``output``."""
    scene, mood = read_scene(source)
    painting = paint_scene(scene, mood)
    painting.save(output)
    return painting


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9+.-]+", "-", text.lower()).strip("-") or "painting"


def default_filename(scene: Scene, folder: str | os.PathLike[str] = ".", ext: str = ".png") -> Path:
    """``{mood}-{seed}.png`` in ``folder``, with ``-1``, ``-2``... if it exists already."""
    base = f"{_slug(scene.mood.name)}-{scene.seed}"
    folder = Path(folder)
    candidate = folder / f"{base}{ext}"
    k = 1
    while candidate.exists():
        candidate = folder / f"{base}-{k}{ext}"
        k += 1
    return candidate


def parse_overrides(items: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """Parse ``["strata.count=5", "sky.warp=2.5"]`` into ``{"strata.count": 5, ...}``.

    Values are read as int, then float, then ``true``/``false``, else kept as text (the layer
    then rejects what it cannot take, naming the key).
    """
    out: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip() or not raw.strip():
            raise ValueError(f"--set expects LAYER.PARAM=VALUE, e.g. strata.count=5, got {item!r}")
        text = raw.strip()
        value: Any
        try:
            value = int(text)
        except ValueError:
            try:
                value = float(text)
            except ValueError:
                value = {"true": True, "false": False}.get(text.lower(), text)
        out[key.strip()] = value
    return out


def paint_to_file(
    *,
    mood: str | None = None,
    size: tuple[int, int] | None = None,
    seed: int | None = None,
    style: str | None = None,
    sets: list[str] | tuple[str, ...] = (),
    scene_file: str | os.PathLike[str] | None = None,
    output: str | os.PathLike[str] | None = None,
    dump_scene: str | os.PathLike[str] | None = None,
) -> tuple[Painting, Path, Path | None]:
    """What ``wiktoria paint`` does: build or load the scene, render, write the files.

    Explicit ``mood``/``size``/``seed``/``style`` override those of ``scene_file``. Without
    ``output`` the painting is written to ``{mood}-{seed}.png`` in the current folder, never
    over an existing file. Output folders are checked before rendering.

    Returns
    -------
    (Painting, Path, Path or None)
        The painting, the image path and the scene path (when ``dump_scene`` is given).
    """
    overrides = parse_overrides(list(sets))
    if output is not None:
        _format_for(Path(output))
        check_output_dir(output)
    if dump_scene is not None:
        check_output_dir(dump_scene)
    if scene_file is not None:
        base, _ = read_scene(scene_file)
        changes: dict[str, Any] = {}
        if size is not None:
            w, h = check_size(size)
            changes["canvas"] = Canvas(w, h, base.seed if seed is None else _seed(seed))
        elif seed is not None:
            changes["canvas"] = Canvas(base.canvas.width, base.canvas.height, _seed(seed))
        if style is not None and style != base.style:
            style = check_style(style)
            new_mood = resolve_mood(mood if mood is not None else base.mood)
            changes["layers"] = layers_for(new_mood, style)
            changes["style"] = style
        if mood is not None:
            changes["mood"] = resolve_mood(mood)
        scene = replace(base, **changes)
        if overrides:
            scene = scene.override(overrides)
        resolved = scene.mood
    else:
        scene, resolved = build_scene(mood or "seething", size or (1920, 1080), seed,
                                      style or "landscape", overrides)
    painting = paint_scene(scene, resolved)
    path = Path(output) if output is not None else default_filename(scene)
    painting.save(path)
    dumped = None
    if dump_scene is not None:
        from wiktoria.common.atomicio import atomic_write_text

        dumped = atomic_write_text(dump_scene, scene.to_toml())
    return painting, path, dumped
