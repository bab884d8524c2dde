"""The functions worker processes run, at module level so they pickle by reference.

Workers (and a remote Dask scheduler, which unpickles the task graph) import this module:
they need the same Wiktoria version installed.
"""

from __future__ import annotations

import os
import time
from typing import Any

import numpy as np

from wiktoria.common.atomicio import atomic_write_bytes
from wiktoria.moods.mood import Mood
from wiktoria.motion.animation import Animation, FramePlan
from wiktoria.render.compositor import Cancelled, render
from wiktoria.render.painting import Painting
from wiktoria.scene import Scene

__all__ = ["SharedFolderError", "WorkerCannotLoad", "follow_version", "frame_array",
           "frame_file", "frame_png", "live_frame", "plan_and_count", "still_png"]


class SharedFolderError(OSError):
    """Workers write into a folder this machine does not see (``write_on_workers=True``).

    Attributes
    ----------
    detail : str
        What went wrong, without advice (the CLI adds its own, naming its flag).
    """

    ADVICE = ("with write_on_workers=True the output folder must be shared by every machine, "
              "at the same path")

    def __init__(self, detail: str) -> None:
        super().__init__(f"{detail}; {self.ADVICE}")
        self.detail = detail

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self.detail,)


def frame_png(plan: FramePlan, index: int) -> bytes:
    """Task: frame ``index`` of ``plan`` as PNG bytes (module level, so workers import it)."""
    return plan.png_bytes(index)


def frame_file(plan: FramePlan, index: int, folder: str, name: str) -> tuple[str, int]:
    """Task: render frame ``index`` and write it atomically as ``folder/name`` (temporary file
    in that folder, then ``os.replace``), in the worker; return ``(name, size in bytes)``."""
    data = plan.png_bytes(index)
    if not os.path.isdir(folder):
        raise SharedFolderError(f"output folder {folder!r} does not exist on worker host "
                                f"{_hostname()}")
    atomic_write_bytes(os.path.join(folder, name), data)
    return name, len(data)


def _hostname() -> str:
    import socket

    return socket.gethostname()


def frame_array(plan: FramePlan, index: int) -> np.ndarray:
    """Task: frame ``index`` of ``plan`` as an (H, W, 3) uint8 array."""
    return plan.render(index)


class WorkerCannotLoad(RuntimeError):
    """A worker could not unpickle the scene it was sent (a layer type it cannot import)."""


_loaded: tuple[bytes, FramePlan] | None = None
_version: Any = None


def follow_version(shared: Any, nice: int = 0) -> None:
    """Worker initializer: ``shared`` (a ``multiprocessing`` value, ``.value`` an int) says
    which state the parent wants; :func:`live_frame` gives up a frame of another.
    ``nice``: lower the worker's CPU priority by that much (``os.nice``; where it exists)."""
    global _version
    _version = shared
    if nice > 0 and hasattr(os, "nice"):
        os.nice(nice)


def live_frame(data: bytes, index: int,
               version: int | None = None) -> tuple[np.ndarray, float]:
    """Task: frame ``index`` of the loop of the pickled :class:`~wiktoria.Scene` ``data``, as
    :func:`frame_array`, and the seconds the worker took. The scene travels pickled so that
    one a worker cannot load (its layer types defined where the worker cannot import them)
    raises :class:`WorkerCannotLoad` in the task instead of breaking the pool (a call the pool
    itself cannot unpickle kills the worker). The last scene is kept: consecutive frames of
    one state unpickle it once.

    With ``version``, in a worker started with :func:`follow_version`: the render stops
    (:class:`~wiktoria.render.compositor.Cancelled`) as soon as the parent's shared value
    is another version (its state changed: the frame would be thrown away).
    """
    global _loaded
    if _loaded is None or _loaded[0] != data:
        import pickle

        try:
            scene = pickle.loads(data)
        except Exception as exc:
            raise WorkerCannotLoad(f"a worker cannot load the scene: {exc}") from None
        _loaded = (data, FramePlan(scene))
    start = time.perf_counter()
    shared = _version
    if version is None or shared is None:
        return _loaded[1].render(index), time.perf_counter() - start
    if shared.value != version:
        raise Cancelled
    frame, _ = _loaded[1].frame_scene(index)
    pixels = render(frame, cancel=lambda: shared.value != version)
    return pixels, time.perf_counter() - start


def still_png(scene: Scene, mood: Mood) -> bytes:
    """Task: a still of ``scene`` as PNG bytes, the same bytes as ``paint(...).png_bytes()``."""
    return Painting(scene, mood, render(scene, mood)).png_bytes()


def plan_and_count(source: Any) -> tuple[FramePlan, int]:
    """The :class:`FramePlan` of an Animation (or the plan itself) and its number of frames."""
    if isinstance(source, Animation):
        plan = source.plan
    elif isinstance(source, FramePlan):
        plan = source
    else:
        raise TypeError("source must be a wiktoria Animation or FramePlan, got "
                        f"{type(source).__name__}")
    assert plan.scene.loop is not None
    return plan, plan.scene.loop.frames
