"""Where a live session's scene comes from: a scene file or a Python sketch, read afresh.

A **sketch** is a Python file that may register layers of its own
(:func:`wiktoria.register_layer`) and defines ``scene``: a :class:`~wiktoria.Scene`, or a
function of no arguments returning one. Each load executes the file as a fresh module (never
``importlib.reload``, whose stale references survive), after removing from ``sys.modules`` the
modules imported from the sketch's folder, so helpers beside it are read afresh too. The
working directory is never changed. A load that fails puts back the layer types the previous
load registered, so the last good scene still renders.

A **scene file** is read with :func:`wiktoria.io.metadata.read_scene` (a ``.toml`` scene, or
a still or loop Wiktoria wrote).
"""

from __future__ import annotations

import importlib.util
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from wiktoria.io.metadata import read_scene
from wiktoria.render import register_layer, renderer_for
from wiktoria.scene import Scene, layer_types

__all__ = ["is_sketch", "load_scene", "module_name", "watched"]


def is_sketch(path: str | Path) -> bool:
    """Whether ``path`` is a Python sketch (``.py``) rather than a scene file."""
    return Path(path).suffix == ".py"


def module_name(path: str | Path) -> str:
    """The module name a sketch is executed under (stable across loads, so the layer types it
    registers replace their earlier selves)."""
    stem = re.sub(r"\W", "_", Path(path).stem)
    return f"wiktoria_sketch_{stem}"


def watched(source: Path, changed: Path) -> bool:
    """Whether a change to ``changed`` should reload ``source``: the source itself, and for a
    sketch any ``.py`` file in its folder or below."""
    if changed.name == source.name and changed.parent == source.parent:
        return True
    if not is_sketch(source) or changed.suffix != ".py" or changed.name.startswith("."):
        return False
    return source.parent in changed.parents


def _purge(folder: Path, keep: str) -> None:
    """Forget modules imported from ``folder`` (helpers of the sketch), never Wiktoria's."""
    for name, module in list(sys.modules.items()):
        if name == keep or name.split(".")[0] == "wiktoria":
            continue
        file = getattr(module, "__file__", None)
        if not file:
            continue
        try:
            if folder in Path(file).resolve().parents:
                del sys.modules[name]
        except (OSError, ValueError):
            continue


@contextmanager
def _on_path(folder: Path) -> Iterator[None]:
    entry = str(folder)
    sys.path.insert(0, entry)
    try:
        yield
    finally:
        with suppress(ValueError):
            sys.path.remove(entry)


def _registered_by(name: str) -> list[tuple[type, type]]:
    """``(spec, renderer)`` of the layer types module ``name`` registered."""
    out = []
    for spec in layer_types().values():
        if spec.__module__ == name:
            try:
                out.append((spec, renderer_for(spec())))
            except (ValueError, TypeError):
                continue
    return out


def load_sketch(path: str | Path) -> Scene:
    """Execute the sketch at ``path`` as a fresh module and return its ``scene``.

    Raises
    ------
    Exception
        Whatever the sketch raises (a ``SyntaxError``...); a sketch without ``scene`` or whose
        ``scene`` is no Scene raises ``TypeError`` naming what it got.
    """
    path = Path(path).resolve()
    name = module_name(path)
    before = _registered_by(name)
    old = sys.modules.pop(name, None)
    _purge(path.parent, name)
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ValueError(f"cannot load {str(path)!r} as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    try:
        with _on_path(path.parent):
            spec.loader.exec_module(module)
            found: Any = getattr(module, "scene", None)
            if callable(found) and not isinstance(found, Scene):
                found = found()
        if not isinstance(found, Scene):
            raise TypeError(f"{path.name} must define scene: a wiktoria.Scene or a function "
                            f"returning one, got {found!r}")
        return found
    except BaseException:
        if old is not None:
            sys.modules[name] = old
        else:
            sys.modules.pop(name, None)
        for spec_cls, renderer in before:  # the last good scene keeps its layer types
            register_layer(spec_cls, renderer, replace=True)
        raise


def load_scene(path: str | Path) -> Scene:
    """The scene of ``path``: a sketch's ``scene``, or the scene a scene file holds."""
    if is_sketch(path):
        return load_sketch(path)
    scene, _ = read_scene(path)
    return scene
