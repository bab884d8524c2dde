"""Wiktoria: generative abstract landscapes that shift and writhe.

The public API, importable from ``wiktoria``:

* moods: :func:`moods` lists them, :func:`mood` finds one by name or alias, :func:`mood_at`
  makes one for any (valence, arousal), :func:`blend` mixes two; each is a :class:`Mood` with a
  colour ramp and :class:`Motion`;
* paintings: :func:`paint` renders a mood as a :class:`Painting` (a PIL image that knows its
  :class:`Scene`, saves with the scene embedded and shows itself in Jupyter);
  :func:`paint_scene` renders a scene of one's own;
* loops: :func:`animate` and :func:`animate_scene` make an :class:`Animation`;
  :func:`render_frames` writes its frames in parallel (process pool, any executor, Dask);
* scenes and layers: :class:`Scene`, :class:`Canvas`, :class:`Loop`; a layer of one's own is a
  :class:`Layer` spec with :func:`param` fields and a renderer registered with
  :func:`register_layer`; :func:`layer_types` lists them all;
* the noise core is :mod:`wiktoria.noise`, the ``noise`` package's functions on arrays are
  :mod:`wiktoria.compat`.

The sub-packages, from the interface down to the maths: ``cli``, ``run``, ``motion``,
``render``, ``io``, ``scene``, ``moods``, ``colour``, ``noise``, ``common``; each imports only
those after it.

``import wiktoria`` itself is light: it imports no numpy, Pillow, numba or click. Every name
above loads its module on first use (``wiktoria.paint`` the renderer, ``wiktoria.Scene`` the
scene data), and so do the sub-packages as attributes (``wiktoria.noise``). The built-in layers
are registered before the layer registry first answers, however it is reached.
"""

from __future__ import annotations

import importlib
import os
import signal
import sys
import types
from typing import TYPE_CHECKING, Any


def _quiet_interrupt_while_the_command_starts() -> None:
    """In the ``wiktoria`` command (console script or ``python -m wiktoria``), a Ctrl-C while
    its modules are still importing exits 130 without a traceback; ``wiktoria.cli.main``
    restores the usual handling once it runs. A library import is left alone."""
    argv = list(getattr(sys, "orig_argv", sys.argv))
    command = os.path.basename(sys.argv[0]) if sys.argv else ""
    as_module = any(argv[i] == "-m" and argv[i + 1] == "wiktoria" for i in range(len(argv) - 1))
    if (command == "wiktoria" or as_module) and signal.getsignal(
            signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, lambda signum, frame: os._exit(130))


_quiet_interrupt_while_the_command_starts()

from wiktoria import _aliases  # noqa: E402

_aliases.install()

from wiktoria.common import builtin_layers as _builtin_layers  # noqa: E402
from wiktoria.common import workers as _workers  # noqa: E402


def _frames_ahead(source: Any, jobs: int | None) -> Any:
    from wiktoria.run.ahead import FramesAhead

    return FramesAhead(source, jobs=jobs)


_workers.register_frames_ahead(_frames_ahead)  # Animation.save(jobs=N), see common.workers


def _register_builtin_layers() -> None:
    import wiktoria.render.layers  # noqa: F401  (registers them)


# The layer registry (wiktoria.scene) registers the built-in layers before it first answers,
# however it is reached (layer_types, a scene file, register_layer): see common.builtin_layers.
_builtin_layers.register_loader(_register_builtin_layers)

if TYPE_CHECKING:  # what type checkers and IDEs see; at run time __getattr__ imports them
    from wiktoria.common.version import __version__
    from wiktoria.live.notebook import explore
    from wiktoria.moods import Mood, Motion, blend, mood, mood_at, moods
    from wiktoria.motion.animation import Animation, animate, animate_scene
    from wiktoria.render import register_layer, unregister_layer
    from wiktoria.render.painting import Painting, paint, paint_scene
    from wiktoria.run.batch import render_frames
    from wiktoria.scene import Canvas, Layer, Loop, Scene, layer_types, param

#: Every public name, and the module it comes from: each loads on first use, so
#: ``import wiktoria`` imports no numpy, Pillow, numba or click (see the module docstring).
_LAZY = {
    "Mood": "wiktoria.moods",
    "Motion": "wiktoria.moods",
    "blend": "wiktoria.moods",
    "mood": "wiktoria.moods",
    "mood_at": "wiktoria.moods",
    "moods": "wiktoria.moods",
    "register_layer": "wiktoria.render",
    "unregister_layer": "wiktoria.render",
    "Canvas": "wiktoria.scene",
    "Layer": "wiktoria.scene",
    "Loop": "wiktoria.scene",
    "Scene": "wiktoria.scene",
    "layer_types": "wiktoria.scene",
    "param": "wiktoria.scene",
    "Animation": "wiktoria.motion.animation",
    "animate": "wiktoria.motion.animation",
    "animate_scene": "wiktoria.motion.animation",
    "Painting": "wiktoria.render.painting",
    "paint": "wiktoria.render.painting",
    "paint_scene": "wiktoria.render.painting",
    "render_frames": "wiktoria.run.batch",
    "explore": "wiktoria.live.notebook",
    "__version__": "wiktoria.common.version",
}

#: The sub-packages, also reachable as attributes (``wiktoria.noise.fbm`` after ``import
#: wiktoria``), imported on first use; ``wiktoria.moods`` is the function, not the package.
_SUBPACKAGES = ("cli", "colour", "common", "io", "live", "motion", "noise", "render", "run",
                "scene")

__all__ = ["Animation", "Canvas", "Layer", "Loop", "Mood", "Motion", "Painting", "Scene",
           "__version__", "animate", "animate_scene", "blend", "explore", "layer_types", "mood",
           "mood_at",
           "moods", "paint", "paint_scene", "param", "register_layer", "render_frames",
           "unregister_layer"]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is not None:
        value = getattr(importlib.import_module(module), name)
        globals()[name] = value
        return value
    if name in _SUBPACKAGES:
        return importlib.import_module(f"{__name__}.{name}")  # which binds the attribute
    raise AttributeError(f"module 'wiktoria' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY) | set(_SUBPACKAGES))


class _Package(types.ModuleType):
    """The ``wiktoria`` module's class: importing the sub-package ``wiktoria.moods`` (which
    any scene or painting does) would bind the attribute ``wiktoria.moods`` to it, hiding the
    function :func:`moods`; that one binding is skipped."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "moods" and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
