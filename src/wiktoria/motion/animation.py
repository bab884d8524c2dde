"""Animations: seamless loops of paintings, rendered lazily frame by frame.

Time is a periodic axis of every layer (see :meth:`wiktoria.render.Frame.time`): frame
``i + len(anim)`` is frame ``i`` exactly, so a loop has no seam. A frame is a pure function of
the scene and its index, so frames can be rendered in any order, in any process, with
identical bytes.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from wiktoria.moods.mood import Mood
from wiktoria.moods.registry import resolve_mood
from wiktoria.render.compositor import render
from wiktoria.render.painting import Painting, build_scene
from wiktoria.scene import Loop, Scene
from wiktoria.scene.styles import retarget

__all__ = ["HTML_CAP_BYTES", "Animation", "FramePlan", "PlanView", "animate", "animate_scene",
           "animation_from_scene", "with_loop"]

#: Largest animated image ``_repr_html_`` embeds in a notebook.
HTML_CAP_BYTES = 12 * 2**20


@dataclass(frozen=True)
class FramePlan:
    """Everything needed to render any frame: picklable, so workers can take it.

    It is the loop's scene at frame 0; frame ``i`` is the same scene with ``loop.frame = i``
    (the scene itself says how its mood and layers move, see
    :meth:`wiktoria.Scene.frame_state`).
    """

    scene: Scene

    @property
    def mood(self) -> Mood:
        """The mood at the start of the loop."""
        return self.scene.mood

    @property
    def to_mood(self) -> Mood | None:
        """The mood the loop moves to, if any."""
        assert self.scene.loop is not None
        return self.scene.loop.to

    def frame_scene(self, index: int) -> tuple[Scene, Mood]:
        """The scene of frame ``index`` (modulo the frame count) and the mood it paints with."""
        assert self.scene.loop is not None
        n = self.scene.loop.frames
        scene = replace(self.scene, loop=replace(self.scene.loop, frame=index % n))
        return scene, scene.frame_state()[0]

    def render(self, index: int) -> np.ndarray:
        """Frame ``index`` (taken modulo the frame count) as (H, W, 3) uint8."""
        scene, _ = self.frame_scene(index)
        return render(scene)

    def painting(self, index: int) -> Painting:
        """Frame ``index`` as a :class:`Painting` whose scene carries the frame index."""
        scene, mood = self.frame_scene(index)
        return Painting(scene, mood, render(scene))

    def png_bytes(self, index: int) -> bytes:
        """Frame ``index`` as PNG bytes carrying its scene (with ``loop.frame``)."""
        return self.painting(index).png_bytes()


class PlanView:
    """What an animation shows of its :class:`FramePlan`: ``scene``, ``mood``, ``fps``, ``size``
    and ``len``. Subclasses set ``self._plan``."""

    _plan: FramePlan

    @property
    def scene(self) -> Scene:
        """The scene of frame 0 (its ``loop`` gives frames and fps)."""
        return self._plan.scene

    @property
    def mood(self) -> Mood:
        return self._plan.mood

    @property
    def plan(self) -> FramePlan:
        """A picklable object whose ``render(i)`` / ``png_bytes(i)`` render frame ``i``:
        hand it to worker processes."""
        return self._plan

    @property
    def fps(self) -> float:
        assert self._plan.scene.loop is not None
        return self._plan.scene.loop.fps

    @property
    def size(self) -> tuple[int, int]:
        return self._plan.scene.size

    def __len__(self) -> int:
        assert self._plan.scene.loop is not None
        return self._plan.scene.loop.frames


class Animation(PlanView):
    """A seamless loop of paintings.

    ``len(anim)`` is the number of frames; ``anim[i]`` and ``anim.frame(i)`` are
    :class:`~wiktoria.render.painting.Painting` objects (``frame`` accepts any integer, periodic);
    iteration renders frames lazily, one at a time.
    """

    def __init__(self, plan: FramePlan) -> None:
        self._plan = plan

    def frame(self, index: int) -> Painting:
        """Frame ``index`` (any integer; ``frame(i + len(self))`` equals ``frame(i)``)."""
        if isinstance(index, bool) or not isinstance(index, int | np.integer):
            raise TypeError(f"frame index must be an integer, got {index!r}")
        return self._plan.painting(int(index) % len(self))

    def frame_array(self, index: int) -> np.ndarray:
        """Frame ``index`` as an (H, W, 3) uint8 array."""
        return self._plan.render(int(index) % len(self))

    def __getitem__(self, index: int) -> Painting:
        n = len(self)
        if isinstance(index, bool) or not isinstance(index, int | np.integer):
            raise TypeError(f"frame index must be an integer, got {index!r}")
        if not -n <= index < n:
            raise IndexError(f"frame {index} out of range for {n} frames")
        return self.frame(int(index) % n)

    def __iter__(self) -> Iterator[Painting]:
        for i in range(len(self)):
            yield self.frame(i)

    def __repr__(self) -> str:
        w, h = self.size
        return (f"<Animation {self.scene.style} {self.scene.mood.name!r} {w}x{h} "
                f"{len(self)} frames at {self.fps:g} fps seed={self.scene.seed}>")

    def save(self, path: str | os.PathLike[str], **options: Any) -> Path:
        """Write the loop; the format is chosen by the extension (.gif, .png (APNG), .webp,
        .mp4). Options go to :func:`wiktoria.io.encode.write_animation`."""
        from wiktoria.io.encode import write_animation

        return write_animation(self, path, **options)

    def _repr_html_(self) -> str:
        from wiktoria.io.encode import encode_animation

        data = encode_animation(self, ".webp", quality=80)
        if len(data) > HTML_CAP_BYTES:
            return (f"<p>{self!r}: the loop is {len(data) / 2**20:.1f} MiB, above the "
                    f"{HTML_CAP_BYTES / 2**20:.0f} MiB inline limit; save it with "
                    "<code>.save('loop.webp')</code> instead.</p>")
        b64 = base64.b64encode(data).decode("ascii")
        w, h = self.size
        return f'<img src="data:image/webp;base64,{b64}" width="{w}" height="{h}" />'


def animate(
    mood: str | Mood = "seething",
    size: tuple[int, int] = (512, 512),
    frames: int = 48,
    fps: float = 24,
    seed: int | None = None,
    style: str = "landscape",
    to: str | Mood | None = None,
    pingpong: bool = True,
    **overrides: Any,
) -> Animation:
    """A seamless loop of a mood's painting, evolving through time.

    Parameters
    ----------
    mood, size, seed, style, **overrides
        As :func:`wiktoria.paint`.
    frames : int
        Frames in the loop, 1 to 100,000.
    fps : float
        Frames per second, from 0.001 to 100.
    to : str or Mood, optional
        Move palette and motion from ``mood`` to this mood across the loop.
    pingpong : bool
        With ``to``: go there and back, so the transition still loops (default). Without it
        the last frame is ``to``.

    Returns
    -------
    Animation

    Examples
    --------
    >>> import wiktoria
    >>> anim = wiktoria.animate("serene", size=(64, 48), frames=8, fps=8, seed=1)
    >>> len(anim), anim.frame(3).scene.loop.frame
    (8, 3)
    """
    scene, _ = build_scene(mood, size, seed, style, overrides)
    to_mood = to_layers = None
    if to is not None:
        to_mood = resolve_mood(to)
        to_layers = build_scene(to_mood, size, scene.seed, style, overrides)[0].layers
    loop = Loop(frames=frames, fps=fps, frame=0, to=to_mood, pingpong=pingpong,
                to_layers=to_layers)
    return Animation(FramePlan(replace(scene, loop=loop)))


def with_loop(scene: Scene, *, frames: int | None = None, fps: float | None = None,
              to: str | Mood | None = None, pingpong: bool | None = None) -> Scene:
    """``scene`` with a ``[loop]`` at frame 0: the given values, else those of its loop, else
    48 frames at 24 fps, no ``to``, pingpong.

    A new ``to`` mood gets the target layers :func:`animate` would give it: its default layers
    for the scene's style, with the parameters this scene changed from its own defaults
    (:func:`wiktoria.scene.styles.retarget`) changed the same way.

    Examples
    --------
    >>> import wiktoria
    >>> scene = wiktoria.paint("serene", size=(8, 8), seed=1).scene
    >>> with_loop(scene, frames=12).loop.frames, with_loop(scene).loop.fps
    (12, 24.0)
    >>> with_loop(scene, to="seething").loop.to.name
    'seething'
    """
    old = scene.loop
    if to is None:
        target, to_layers = (old.to, old.to_layers) if old is not None else (None, None)
    else:
        target = resolve_mood(to)
        # None for a stack of one's own: then only the mood moves.
        to_layers = retarget(scene.layers, scene.mood, scene.style, target)
    loop = Loop(frames=frames if frames is not None else (old.frames if old else 48),
                fps=fps if fps is not None else (old.fps if old else 24.0), frame=0,
                to=target, to_layers=to_layers,
                pingpong=pingpong if pingpong is not None else (old.pingpong if old else True))
    return replace(scene, loop=loop)


def animate_scene(scene: Scene, mood: Mood | None = None) -> Animation:
    """The :class:`Animation` of a scene that has a ``loop``: a scene read from a GIF or a
    frame PNG, or one of your own (with layers of your own).

    Parameters
    ----------
    scene : Scene
        Its ``loop`` gives the frame count, the rate and any transition; the loop starts at
        frame 0 whatever ``loop.frame`` says.
    mood : Mood, optional
        Replaces the scene's mood.

    Raises
    ------
    ValueError
        The scene has no loop.

    Examples
    --------
    >>> import dataclasses, wiktoria
    >>> scene = wiktoria.paint("serene", size=(48, 32), seed=3).scene
    >>> anim = wiktoria.animate_scene(dataclasses.replace(scene, loop=wiktoria.Loop(4, 8)))
    >>> len(anim), anim.fps
    (4, 8.0)
    """
    if scene.loop is None:
        raise ValueError("the scene has no [loop]: it is a still, not an animation")
    scene = replace(scene, loop=replace(scene.loop, frame=0))
    if mood is not None:
        scene = replace(scene, mood=mood)
    return Animation(FramePlan(scene))


animation_from_scene = animate_scene  # the 0.1 name
