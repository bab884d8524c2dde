"""Animations: seamless loops of paintings, rendered lazily frame by frame.

Time is a periodic axis of every layer (see :meth:`wiktoria.render.Frame.time`): frame
``i + len(anim)`` is frame ``i`` exactly, so a loop has no seam. A frame is a pure function of
the scene and its index, so frames can be rendered in any order, in any process, with
identical bytes.
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from wiktoria.common import validate
from wiktoria.common.progress import TqdmProgress, check_progress, notebook_progress
from wiktoria.moods.mood import Mood
from wiktoria.moods.registry import resolve_mood
from wiktoria.render.compositor import render
from wiktoria.render.painting import Painting, build_scene
from wiktoria.scene import MAX_FPS, MAX_FRAMES, Loop, Scene
from wiktoria.scene.scene import MIN_FPS, frames_for_duration
from wiktoria.scene.styles import retarget

__all__ = ["CACHE_BYTES", "HTML_CAP_BYTES", "Animation", "FramePlan", "PlanView", "animate",
           "animate_scene", "animation_from_scene", "default_duration", "loop_frames",
           "with_loop"]

#: Largest animated image ``_repr_html_`` embeds in a notebook.
HTML_CAP_BYTES = 12 * 2**20

#: Largest loop (raw RGB bytes of all its frames) whose rendered frames an
#: :class:`Animation` keeps, so showing it and then saving it renders once.
CACHE_BYTES = 256 * 2**20


def default_duration(mood: Mood, seed: int) -> float:
    """Seconds of a loop of ``mood`` made without a frame count or a duration: a point of the
    mood's ``motion.duration`` range chosen by ``seed``, uniformly.

    The choice has a stream of its own (a hash of the seed), so it moves no other random
    choice of the painting; the same mood and seed always loop for the same time.

    Examples
    --------
    >>> import wiktoria
    >>> lo, hi = wiktoria.mood("serene").motion.duration
    >>> lo <= default_duration(wiktoria.mood("serene"), 7) <= hi
    True
    """
    lo, hi = mood.motion.duration or (2.0, 2.0)
    digest = hashlib.blake2b(f"wiktoria loop duration {int(seed)}".encode("ascii"),
                             digest_size=8).digest()
    u = int.from_bytes(digest, "big") / 2.0**64
    return lo + (hi - lo) * u


def loop_frames(mood: Mood, seed: int, fps: float, *, frames: int | None = None,
                duration: float | None = None) -> int:
    """The frame count of a loop at ``fps``: ``frames``, else ``round(duration * fps)`` (at
    least 1), else that of :func:`default_duration`.

    Raises
    ------
    ValueError
        Both ``frames`` and ``duration`` given, or a duration that is not a positive number
        of seconds giving at most 100,000 frames (one line naming the value).

    Examples
    --------
    >>> import wiktoria
    >>> loop_frames(wiktoria.mood("serene"), 1, 24, duration=2.5)
    60
    """
    if frames is not None and duration is not None:
        raise ValueError(f"give frames or duration, not both (got frames={frames!r}, "
                         f"duration={duration!r})")
    fps = validate.number(fps, "fps", MIN_FPS, MAX_FPS)
    if frames is not None:
        return validate.integer(frames, "frames", 1, MAX_FRAMES)
    return frames_for_duration(default_duration(mood, seed) if duration is None else duration,
                               fps)


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

    Rendered frames are kept, so a loop shown in a notebook and then saved (or saved twice)
    renders once: when the whole loop's raw frames (``frames x width x height x 3`` bytes) fit
    in ``cache_bytes`` (default :data:`CACHE_BYTES`, 256 MiB: 341 frames of 512x512, 42 of
    1280x720), every frame rendered is kept; a larger loop keeps none and renders again each
    time it is read. ``cache_bytes=0`` keeps nothing; :meth:`clear_cache` frees the frames.
    """

    def __init__(self, plan: FramePlan, *, cache_bytes: int | None = None) -> None:
        self._plan = plan
        self.cache_bytes = CACHE_BYTES if cache_bytes is None else validate.integer(
            cache_bytes, "cache_bytes", 0)
        self._frames: dict[int, np.ndarray] = {}

    # ---- the frame cache -------------------------------------------------------------------

    @property
    def keeps_frames(self) -> bool:
        """Whether the whole loop fits in ``cache_bytes``, so rendered frames are kept."""
        w, h = self.size
        return len(self) * w * h * 3 <= self.cache_bytes

    @property
    def cached(self) -> int:
        """Frames rendered and kept now."""
        return len(self._frames)

    def clear_cache(self) -> None:
        """Drop the kept frames."""
        self._frames.clear()

    def _keep(self, index: int, pixels: np.ndarray) -> None:
        if self.keeps_frames and index not in self._frames:
            kept = np.array(pixels, dtype=np.uint8, copy=True)
            kept.flags.writeable = False
            self._frames[index] = kept

    def _kept(self, index: int) -> np.ndarray | None:
        pixels = self._frames.get(index)
        return None if pixels is None else pixels.copy()

    # ---- frames ------------------------------------------------------------------------------

    def frame(self, index: int) -> Painting:
        """Frame ``index`` (any integer; ``frame(i + len(self))`` equals ``frame(i)``)."""
        if isinstance(index, bool) or not isinstance(index, int | np.integer):
            raise TypeError(f"frame index must be an integer, got {index!r}")
        i = int(index) % len(self)
        scene, mood = self._plan.frame_scene(i)
        return Painting(scene, mood, self.frame_array(i))

    def frame_array(self, index: int) -> np.ndarray:
        """Frame ``index`` as an (H, W, 3) uint8 array (a copy of the kept frame, if any)."""
        i = int(index) % len(self)
        pixels = self._kept(i)
        if pixels is None:
            pixels = self._plan.render(i)
            self._keep(i, pixels)
        return pixels

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
                f"{len(self)} frames at {self.fps:g} fps ({len(self) / self.fps:g} s) "
                f"seed={self.scene.seed}>")

    # ---- output ------------------------------------------------------------------------------

    def save(self, path: str | os.PathLike[str], *, jobs: int | None = 1,
             progress: Any = None, **options: Any) -> Path:
        """Write the loop; the format is chosen by the extension (.gif, .png (APNG), .webp,
        .mp4).

        Parameters
        ----------
        path : path
        jobs : int or None
            Worker processes rendering the frames not yet kept (default 1: in this process;
            None: every usable CPU, as :func:`wiktoria.run.batch.write_loop`). The file is the
            same, byte for byte, for any ``jobs``; kept frames are not rendered again.
        progress : Progress, bool or None
            A :class:`~wiktoria.common.progress.Progress`; ``True`` a ``tqdm`` bar (the
            ``notebook`` extra); ``False`` none; None (default): a ``tqdm`` bar in a Jupyter
            notebook when ``tqdm`` is installed, else none.
        **options
            ``dither``, ``quality``, ``loop``: as :func:`wiktoria.io.encode.write_animation`.
        """
        from wiktoria.io.encode import write_animation

        if jobs is not None:
            jobs = validate.integer(jobs, "jobs", 1)
        bar = _progress(progress, "saving")
        try:
            if jobs == 1 or len(self._frames) == len(self):
                return write_animation(self, path, progress=bar, **options)
            from wiktoria.common.workers import frames_ahead

            with frames_ahead(self._plan, jobs) as ahead:
                return write_animation(_Filling(self, ahead), path, progress=bar, **options)
        finally:
            if isinstance(bar, TqdmProgress):
                bar.close()

    def _repr_html_(self) -> str:
        from wiktoria.io.encode import encode_animation

        bar = _progress(None, "rendering")
        try:
            data = encode_animation(self, ".webp", quality=80, progress=bar)
        finally:
            if bar is not None:
                bar.close()
        if len(data) > HTML_CAP_BYTES:
            return (f"<p>{self!r}: the loop is {len(data) / 2**20:.1f} MiB, above the "
                    f"{HTML_CAP_BYTES / 2**20:.0f} MiB inline limit; save it with "
                    "<code>.save('loop.webp')</code> instead.</p>")
        b64 = base64.b64encode(data).decode("ascii")
        w, h = self.size
        return f'<img src="data:image/webp;base64,{b64}" width="{w}" height="{h}" />'


def _progress(progress: Any, label: str) -> Any:
    """What ``progress=`` of :meth:`Animation.save` means (see there)."""
    if progress is None:
        return notebook_progress(label)
    if progress is False:
        return None
    if progress is True:
        try:
            return TqdmProgress(label)
        except ImportError:
            return None
    return check_progress(progress)


class _Filling(PlanView):
    """An animation's frames read from what it keeps, else from ``source`` (rendering them in
    worker processes), kept as they arrive."""

    def __init__(self, anim: Animation, source: Any) -> None:
        self._plan = anim.plan
        self._anim = anim
        self._source = source

    def frame_array(self, index: int) -> np.ndarray:
        i = int(index) % len(self)
        pixels = self._anim._kept(i)
        if pixels is None:
            pixels = self._source.frame_array(i)
            self._anim._keep(i, pixels)
        return pixels


def animate(
    mood: str | Mood = "seething",
    size: tuple[int, int] = (512, 512),
    frames: int | None = None,
    fps: float = 24,
    seed: int | None = None,
    style: str = "landscape",
    to: str | Mood | None = None,
    pingpong: bool = True,
    duration: float | None = None,
    **overrides: Any,
) -> Animation:
    """A seamless loop of a mood's painting, evolving through time.

    Parameters
    ----------
    mood, size, seed, style, **overrides
        As :func:`wiktoria.paint`.
    frames : int, optional
        Frames in the loop, 1 to 100,000.
    fps : float
        Frames per second, from 0.001 to 100.
    duration : float, optional
        Seconds of one loop instead of ``frames``: ``round(duration * fps)`` frames (at
        least 1; the scene records frames and fps, so the loop lasts ``frames / fps``).
        Give one of ``frames`` and ``duration``; with neither the loop lasts a time in the
        mood's ``motion.duration`` range chosen by the seed (:func:`default_duration`; with
        ``to``, the range of ``mood``, where the loop starts).
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
    n = loop_frames(scene.mood, scene.seed, fps, frames=frames, duration=duration)
    to_mood = to_layers = None
    if to is not None:
        to_mood = resolve_mood(to)
        to_layers = build_scene(to_mood, size, scene.seed, style, overrides)[0].layers
    loop = Loop(frames=n, fps=fps, frame=0, to=to_mood, pingpong=pingpong,
                to_layers=to_layers)
    return Animation(FramePlan(replace(scene, loop=loop)))


def with_loop(scene: Scene, *, frames: int | None = None, fps: float | None = None,
              to: str | Mood | None = None, pingpong: bool | None = None,
              duration: float | None = None) -> Scene:
    """``scene`` with a ``[loop]`` at frame 0: the given values, else those of its loop, else
    24 fps, no ``to``, pingpong and the frames of a time in the mood's duration range chosen
    by the seed (:func:`loop_frames`). ``duration`` (seconds) replaces ``frames``: give one.

    A new ``to`` mood gets the target layers :func:`animate` would give it: its default layers
    for the scene's style, with the parameters this scene changed from its own defaults
    (:func:`wiktoria.scene.styles.retarget`) changed the same way.

    Examples
    --------
    >>> import wiktoria
    >>> scene = wiktoria.paint("serene", size=(8, 8), seed=1).scene
    >>> with_loop(scene, frames=12).loop.frames, with_loop(scene).loop.fps
    (12, 24.0)
    >>> with_loop(scene, duration=1.5, fps=10).loop.frames
    15
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
    rate = fps if fps is not None else (old.fps if old else 24.0)
    if frames is None and duration is None and old is not None:
        n = old.frames
    else:
        n = loop_frames(scene.mood, scene.seed, rate, frames=frames, duration=duration)
    loop = Loop(frames=n, fps=rate, frame=0,
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
