"""Loops rendered in parallel ahead of their encoder: :class:`FramesAhead` and :func:`write_loop`.

See :mod:`wiktoria.run.batch` for how work is spread over processes and executors.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import numpy as np

from wiktoria.common.parallel import usable_cpus
from wiktoria.common.progress import Progress
from wiktoria.io.encode import write_animation
from wiktoria.motion.animation import Animation, FramePlan, PlanView
from wiktoria.run.executors import (
    broken,
    check_executor,
    check_jobs,
    executor_workers,
    pool_workers,
    process_pool,
)
from wiktoria.run.tasks import frame_array, plan_and_count

__all__ = ["FramesAhead", "write_loop"]


class FramesAhead(PlanView):
    """An animation whose frames are rendered in parallel, ahead of the one reading them.

    It has what :func:`wiktoria.io.encode.write_animation` uses of an
    :class:`~wiktoria.Animation` (``len``, ``fps``, ``size``, ``scene``, ``mood``,
    ``frame_array``), so an encoder that reads frames one at a time gets them from a pool,
    identical to ``anim.frame_array(i)``.

    Read-ahead: after each read of frame ``i`` it starts the frames the reader will probably
    want next, first along the reader's stride (``i + s, i + 2s, ...`` after reads ``i - s``,
    ``i``), then in index order after ``i`` (wrapping round), skipping frames already read
    (an encoder that sampled frames for its palette keeps them; once a frame is read twice,
    read frames are predicted too). At most ``window`` frames render at once and at most
    ``keep`` frames are held (rendering, or rendered and not yet read); when a frame is read
    that is not held and ``keep`` is reached, the held frame the reader would reach last is
    dropped. So every frame is rendered once for readers that read each frame once, in any
    order, as long as their reads do not run ``keep`` frames ahead of each other; the GIF
    encoder's palette pass followed by its writing pass is such a reader.

    Use it as a context manager (or call :meth:`close`) to shut its pool down.

    Parameters
    ----------
    source : Animation or FramePlan
    jobs : int, optional
        Worker processes (default: usable CPUs); ``1`` renders in the calling process, on
        demand.
    executor : concurrent.futures.Executor, optional
        As :func:`render_frames`; not shut down by :meth:`close`.
    window : int, optional
        Frames rendering at once, at most (default ``2 * workers``).
    keep_bytes : int
        Memory for held frames: ``keep`` is ``max(window, keep_bytes // frame bytes)``
        (default 128 MiB: 170 frames of 512x512).
    """

    def __init__(self, source: Animation | FramePlan, *, jobs: int | None = None,
                 executor: Executor | None = None, window: int | None = None,
                 keep_bytes: int = 128 * 2**20) -> None:
        self._plan, self._n = plan_and_count(source)
        if jobs is not None:
            jobs = check_jobs(jobs)
        self._executor = check_executor(executor)
        if executor is not None:
            self.workers = jobs or executor_workers(executor) or usable_cpus()
        else:
            self.workers = pool_workers(jobs, self._n, self._plan.scene.size)
        if window is not None:
            window = check_jobs(window)
        self.window = window or 2 * self.workers
        w, h = self._plan.scene.size
        self.keep = max(self.window, int(keep_bytes) // (w * h * 3))
        self._own: ProcessPoolExecutor | None = None
        self._held: dict[int, Future[np.ndarray]] = {}
        self._read: set[int] = set()
        self._skip_read = True
        self._last: int | None = None
        self._lock = threading.Lock()
        self._closed = False

    # ---- what encoders use (plan, scene, mood, fps, size, len: from PlanView) -----------

    def frame_array(self, index: int) -> np.ndarray:
        """Frame ``index`` (modulo the frame count) as (H, W, 3) uint8."""
        if isinstance(index, bool) or not isinstance(index, int | np.integer):
            raise TypeError(f"frame index must be an integer, got {index!r}")
        i = int(index) % self._n
        with self._lock:
            if self._closed:
                raise ValueError("FramesAhead is closed")
            executor = self._pool()
            fut = None if executor is None else self._schedule(executor, i)
        if fut is None:
            return self._plan.render(i)
        try:
            return fut.result()
        except BrokenProcessPool as exc:
            raise broken(exc, f"frame {i}") from None

    @property
    def held(self) -> int:
        """Frames held now: rendering, or rendered and not yet read."""
        return len(self._held)

    def _pool(self) -> Executor | None:
        if self._executor is not None:
            return self._executor
        if self.workers <= 1:
            return None
        if self._own is None:
            self._own = process_pool(self.workers)
        return self._own

    def _candidates(self, i: int, stride: int) -> Iterable[int]:
        n = self._n
        if stride > 1:
            k = i + stride
            for _ in range(self.window):
                if k >= n:
                    break
                yield k
                k += stride
        for step in range(1, min(n, 4 * self.keep + len(self._read) + 1)):
            yield (i + step) % n

    def _schedule(self, executor: Executor, i: int) -> Future[np.ndarray]:
        n = self._n
        last, self._last = self._last, i
        stride = i - last if last is not None and i > last else 1
        if i in self._read:  # the reader does not keep frames: predict read ones too
            self._skip_read = False
        self._read.add(i)
        fut = self._held.pop(i, None)
        if fut is None:
            if len(self._held) >= self.keep:
                far = max(self._held, key=lambda j: (j - i) % n)
                self._held.pop(far).cancel()
            fut = executor.submit(frame_array, self._plan, i)
        running = sum(not f.done() for f in self._held.values())
        for k in self._candidates(i, stride):
            if running >= self.window or len(self._held) >= self.keep:
                break
            if k == i or k in self._held or (self._skip_read and k in self._read):
                continue
            self._held[k] = executor.submit(frame_array, self._plan, k)
            running += 1
        return fut

    # ---- life cycle -------------------------------------------------------------------------

    def close(self) -> None:
        """Cancel the read-ahead, drop held frames, shut down the pool this object started."""
        with self._lock:
            self._closed = True
            for fut in self._held.values():
                fut.cancel()
            self._held.clear()
            own, self._own = self._own, None
        if own is not None:
            own.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> FramesAhead:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return (f"<FramesAhead {self._n} frames, {self.workers} workers, window {self.window}, "
                f"keep {self.keep}>")


def write_loop(
    source: Animation | FramePlan,
    path: str | os.PathLike[str],
    *,
    jobs: int | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
    **options: Any,
) -> Path:
    """:func:`wiktoria.io.encode.write_animation` with the frames rendered in parallel.

    The file is byte for byte what ``write_animation(anim, path, **options)`` writes; only the
    rendering is spread over ``jobs`` processes (or ``executor``) by :class:`FramesAhead`.

    Parameters
    ----------
    source : Animation or FramePlan
    path : path
        ``.gif``, ``.png`` (APNG), ``.webp`` or ``.mp4``, as ``write_animation``.
    jobs, executor
        As :func:`render_frames`.
    progress : wiktoria.common.progress.Progress, optional
        As ``write_animation``: ``start(frames)``, then ``progress(n)`` as frames are encoded.
    **options
        ``dither``, ``quality``, ``loop``: as ``write_animation``.

    Returns
    -------
    pathlib.Path
    """
    with FramesAhead(source, jobs=jobs, executor=executor) as ahead:
        return write_animation(ahead, path, progress=progress, **options)
