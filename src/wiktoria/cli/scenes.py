"""Scenes from the command line: ``--scene FILE`` merged with explicit options, ``--dump-scene``.

The rule, for ``paint``, ``animate`` and ``frames``: options given on the command line override
the scene file's values; options not given keep them. A new ``--style`` rebuilds the layers
from the mood's defaults; ``--set`` applies last. The dump is the scene actually rendered
(with its ``[loop]`` for animations).

``--dump-scene -`` writes the scene to standard output. The dump and the image must be
different files (:func:`check_dump`); write both inside :func:`wiktoria.common.atomicio.together`
so that a failed dump leaves no image either.
"""

from __future__ import annotations

import os
import stat
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from wiktoria.common.atomicio import (
    atomic_write_text,
    check_output_dir,
    output_target,
    same_file,
)
from wiktoria.io.metadata import read_scene
from wiktoria.moods.mood import Mood
from wiktoria.moods.registry import resolve_mood
from wiktoria.render.painting import build_scene
from wiktoria.scene import Canvas, Scene, check_size
from wiktoria.scene.composition import plan
from wiktoria.scene.styles import check_style, layers_for, style_layouts

__all__ = ["STDOUT", "check_dump", "scene_from_options", "write_dump"]

#: The output path meaning standard output.
STDOUT = "-"


def _from_file(scene_file: str | os.PathLike[str], mood: str | None,
               size: tuple[int, int] | None, seed: int | None, style: str | None,
               overrides: dict[str, Any]) -> tuple[Scene, Mood]:
    base, _ = read_scene(scene_file)
    changes: dict[str, Any] = {}
    if size is not None:
        w, h = check_size(size)
        changes["canvas"] = Canvas(w, h, base.seed if seed is None else seed)
    elif seed is not None:
        changes["canvas"] = Canvas(base.canvas.width, base.canvas.height, seed)
    new_mood = resolve_mood(mood) if mood is not None else base.mood
    if base.composition is not None and (seed is not None or mood is not None or (
            style is not None and style != base.style)):
        # Another seed, mood or style is another painting: the planner chooses its
        # composition (a --set composition.* below still applies).
        changes["composition"] = plan(base.seed if seed is None else seed, new_mood,
                                      layouts=style_layouts(style or base.style))
    if style is not None and style != base.style:
        style = check_style(style)
        changes["layers"] = layers_for(new_mood, style)
        changes["style"] = style
        if base.loop is not None and base.loop.to is not None:  # the new stack's targets
            target = replace(base, layers=layers_for(base.loop.to, style), loop=None)
            changes["loop"] = replace(base.loop, to_layers=target.override(overrides).layers)
    changes["mood"] = new_mood
    scene = replace(base, **changes)
    if overrides:
        scene = scene.override(overrides)
        loop = scene.loop
        if loop is not None and loop.to_layers is not None:  # --set holds at both ends
            target = replace(scene, layers=loop.to_layers, loop=None).override(overrides)
            scene = replace(scene, loop=replace(loop, to_layers=target.layers))
    return scene, scene.mood


def scene_from_options(*, scene_file: str | os.PathLike[str] | None, mood: str | None,
                       size: tuple[int, int] | None, seed: int | None, style: str | None,
                       overrides: dict[str, Any], default_size: tuple[int, int]
                       ) -> tuple[Scene, Mood]:
    """The scene to render and its mood: from ``scene_file`` with the given options over it,
    or built from the options (``None``: the defaults)."""
    if scene_file is not None:
        return _from_file(scene_file, mood, size, seed, style, overrides)
    return build_scene(mood or "seething", size or default_size, seed, style or "landscape",
                       overrides)


def check_dump(path: str | os.PathLike[str] | None,
               image: str | os.PathLike[str] | None = None) -> None:
    """Check ``--dump-scene`` before rendering: its folder, and that it is not ``image``.

    Raises
    ------
    ValueError
        The dump's folder cannot take it, or the dump and the image are the same file (the
        same path, or one reached through a symlink, ``..`` or a hard link).
    """
    if path is None or str(path) == STDOUT:
        if path is not None and image is not None and (
                str(image) == STDOUT or (same_file("/dev/stdout", image)
                and not _is_char_device(image))):
            raise ValueError("the image and --dump-scene - both write to standard output; "
                             "give one of them a file")
        return
    check_output_dir(path)
    if image is not None:
        other = "/dev/stdout" if str(image) == STDOUT else image
        if same_file(path, other) and not _is_char_device(path):  # /dev/null twice is fine
            raise ValueError(f"--dump-scene {str(path)!r} is the image file {str(image)!r}; "
                             "give the scene its own file, e.g. scene.toml")
    _not_an_image(path)


_IMAGE_MAGIC = (b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"II*\0", b"MM\0*")


def _not_an_image(path: str | os.PathLike[str]) -> None:
    """Refuse to replace an existing image by a scene dump (``-o x.gif --dump-scene x.gif``
    in a command that writes the image first)."""
    try:
        if output_target(path).kind != "atomic" or not stat.S_ISREG(os.stat(path).st_mode):
            return  # a stream (/dev/stdout...) is never read
        with open(path, "rb") as f:
            head = f.read(12)
    except (OSError, ValueError):
        return
    if head.startswith(_IMAGE_MAGIC) or head[8:12] == b"WEBP" or head[4:8] == b"ftyp":
        raise ValueError(f"--dump-scene {str(path)!r} is an image; give the scene its own "
                         "file, e.g. scene.toml")


def _is_char_device(path: str | os.PathLike[str]) -> bool:
    try:
        return stat.S_ISCHR(os.stat(path).st_mode)
    except OSError:
        return False


def write_dump(path: str | os.PathLike[str] | None, scene: Scene) -> Path | None:
    """Write ``scene`` as TOML to ``path`` (atomically), if a path is given; ``-`` writes it
    to standard output (and returns None).

    Raises
    ------
    ValueError
        ``path`` is an existing image (the image just written, when a command passed the
        same path for both): it is never replaced by a scene.
    """
    if path is None:
        return None
    if str(path) == STDOUT:
        click.echo(scene.to_toml(), nl=False)
        return None
    _not_an_image(path)
    return atomic_write_text(path, scene.to_toml())
