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
those after it. The animation, batch and file-format machinery loads on first use.
"""

from __future__ import annotations

import importlib
import os
import signal
import sys
from typing import Any


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

from wiktoria.common import workers as _workers  # noqa: E402


def _frames_ahead(source: Any, jobs: int | None) -> Any:
    from wiktoria.run.ahead import FramesAhead

    return FramesAhead(source, jobs=jobs)


_workers.register_frames_ahead(_frames_ahead)  # Animation.save(jobs=N), see common.workers

from wiktoria.moods import Mood, Motion, blend, mood, mood_at, moods  # noqa: E402
from wiktoria.render import register_layer, unregister_layer  # noqa: E402  (built-ins too)
from wiktoria.scene import Canvas, Layer, Loop, Scene, layer_types, param  # noqa: E402

#: Names whose modules load on first use, so ``import wiktoria`` stays light: the animation and
#: batch machinery, Pillow and the file formats load only when a painting is made or saved.
_LAZY = {
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

__all__ = ["Animation", "Canvas", "Layer", "Loop", "Mood", "Motion", "Painting", "Scene",
           "__version__", "animate", "animate_scene", "blend", "explore", "layer_types", "mood",
           "mood_at",
           "moods", "paint", "paint_scene", "param", "register_layer", "render_frames",
           "unregister_layer"]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'wiktoria' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
