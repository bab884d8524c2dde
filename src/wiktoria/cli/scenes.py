"""Scenes from the command line: ``--scene FILE`` merged with explicit options, ``--dump-scene``.

The rule, for ``paint``, ``animate`` and ``frames``: options given on the command line override
the scene file's values; options not given keep them. A new ``--style`` rebuilds the layers
from the mood's defaults; ``--set`` applies last. The dump is the scene actually rendered
(with its ``[loop]`` for animations).
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from wiktoria.common.atomicio import atomic_write_text, check_output_dir
from wiktoria.io.metadata import read_scene
from wiktoria.moods.mood import Mood
from wiktoria.moods.registry import resolve_mood
from wiktoria.render.painting import build_scene
from wiktoria.scene import Canvas, Scene, check_size
from wiktoria.scene.styles import check_style, layers_for

__all__ = ["check_dump", "scene_from_options", "write_dump"]


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


def check_dump(path: str | os.PathLike[str] | None) -> None:
    """Check ``--dump-scene``'s folder before rendering."""
    if path is not None:
        check_output_dir(path)


def write_dump(path: str | os.PathLike[str] | None, scene: Scene) -> Path | None:
    """Write ``scene`` as TOML to ``path`` (atomically), if a path is given."""
    if path is None:
        return None
    return atomic_write_text(path, scene.to_toml())
