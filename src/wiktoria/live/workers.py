"""Worker processes that render the playing loop ahead of the live page's clock.

:class:`LoopWorkers` keeps ``jobs + 1`` frames of the current state in flight on a process
pool (:func:`wiktoria.run.executors.process_pool`, started when playing first needs it and
kept across state changes), each aimed at the frame the loop will have reached when it is
done, so the page gets frames at the workers' combined rate (capped by the loop's fps). The
render thread of :class:`wiktoria.live.server.LiveServer` hands it the state to render
(:meth:`LoopWorkers.switch`), keeps it busy (:meth:`LoopWorkers.fill`) and asks it for a
finished frame due now (:meth:`LoopWorkers.take`).

A new state cancels the frames still queued; the ones rendering stop at their next band: the
workers share a value with the server saying which state it wants
(:func:`wiktoria.run.tasks.follow_version`). Workers run at a lower CPU priority (``nice``),
so that a change's first frame, rendered in the server's process, is not slowed by the
workers finishing a layer's ``prepare`` for a state nobody wants any more.

Why not :class:`wiktoria.run.ahead.FramesAhead`: its reader blocks on the frame it asks for
and its read-ahead follows the reader's stride; the page's reader is the wall clock, which
wants whichever frame is current, never waits for an old one, and skips frames when the
workers fall behind.

Scenes with layers a fresh process cannot load (a sketch's own layer types, see
:func:`worker_safe`) are not sent to the workers: the render thread renders them itself. Should
a worker fail to load a scene anyway, the task says so (:class:`~wiktoria.run.tasks.
WorkerCannotLoad`) instead of breaking the pool.
"""

from __future__ import annotations

import collections
import logging
import math
import multiprocessing
import pickle
import statistics
import sys
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import numpy as np

from wiktoria.common import validate
from wiktoria.common.parallel import usable_cpus
from wiktoria.render.layer import renderer_for
from wiktoria.run.executors import process_pool
from wiktoria.run.tasks import WorkerCannotLoad, follow_version, live_frame
from wiktoria.scene import Scene

__all__ = ["LoopWorkers", "Playback", "check_live_jobs", "default_jobs", "worker_safe"]

log = logging.getLogger("wiktoria.live")


def default_jobs() -> int:
    """Worker processes ``wiktoria live`` starts by default: 2 when at least 2 CPUs are
    usable, else 1 (which means none: frames are rendered in the server's process)."""
    return 2 if usable_cpus() >= 2 else 1


def check_live_jobs(jobs: object) -> int:
    """``jobs`` as an int from 1 to 64 (one-line TypeError/ValueError otherwise)."""
    return validate.integer(jobs, "jobs", 1, 64)


def _loadable(module: str, folder: Path | None) -> bool:
    """Whether a fresh worker process can import ``module`` by name: not ``__main__``, not a
    sketch (``wiktoria_sketch_*``, executed from its file), not a helper module from the
    sketch's folder (which is on ``sys.path`` only while the sketch loads)."""
    if module == "__main__" or module.startswith("wiktoria_sketch_"):
        return False
    mod = sys.modules.get(module)
    file = getattr(mod, "__file__", None)
    if mod is None or file is None:
        return False
    if folder is not None:
        try:
            Path(file).resolve().relative_to(folder)
        except ValueError:
            return True
        return False
    return True


def worker_safe(scene: Scene, folder: str | Path | None = None) -> bool:
    """Whether ``scene`` can be rendered in a fresh worker process: the spec class and the
    renderer of each of its layers (and of its loop's target layers) come from modules the
    worker can import by name (Wiktoria's, a plug-in's), not from a sketch or the folder of
    the sketch (``folder``)."""
    where = None if folder is None else Path(folder).resolve()
    layers = list(scene.layers)
    if scene.loop is not None and scene.loop.to_layers is not None:
        layers += list(scene.loop.to_layers)
    for layer in layers:
        try:
            renderer = renderer_for(layer)
        except (LookupError, ValueError):
            return False
        if not (_loadable(type(layer).__module__, where)
                and _loadable(renderer.__module__, where)):
            return False
        if "<locals>" in type(layer).__qualname__:  # defined in a function: not picklable
            return False
    return True


class LoopWorkers:
    """Frames of the playing loop rendered by ``jobs`` worker processes, ahead of the clock.

    Not thread-safe: one thread (the render thread) calls everything but :meth:`close`.

    Parameters
    ----------
    jobs : int
        Worker processes, at least 2 (1 means none: do not make a LoopWorkers).
    executor : concurrent.futures.Executor, optional
        For tests: a pool to use instead of starting one (not shut down by :meth:`close`).
    nice : int
        How much lower the workers' CPU priority is (``os.nice``): a change's first frame,
        rendered in the server's process, then takes the CPU from workers still busy with
        what it made useless (they stop at their next band, but a layer's ``prepare`` for a
        new state runs to its end).
    """

    def __init__(self, jobs: int, executor: Executor | None = None, nice: int = 5) -> None:
        self.nice = validate.integer(nice, "nice", 0, 19)
        self.jobs = check_live_jobs(jobs)
        self._executor = executor
        self._own: Executor | None = None
        # The state wanted, shared with the workers: a frame of another stops rendering.
        self._shared = multiprocessing.get_context("spawn").RawValue("q", -1)
        self._lock = threading.Lock()
        self._closed = False
        self.version: int | None = None
        self._data = b""
        self._frames = 1
        self._fps = 24.0
        self._pending: dict[int, Future[tuple[np.ndarray, float]]] = {}
        self._last_shown: int | None = None
        self._next: int | None = None
        self._good: set[int] = set()  # frames of this state the workers finished
        #: Seconds a worker took for its last frames, for :attr:`interval`.
        self._costs: collections.deque[float] = collections.deque(maxlen=9)
        #: Frames of old states given up (cancelled while queued, discarded when done).
        self.dropped = 0

    # ---- the pool ------------------------------------------------------------------------

    @property
    def started(self) -> bool:
        return self._own is not None or self._executor is not None

    def _pool(self) -> Executor:
        if self._executor is not None:
            return self._executor
        with self._lock:
            if self._closed:
                raise RuntimeError("the live workers are shut down")
            if self._own is None:
                self._own = process_pool(self.jobs, initializer=follow_version,
                                         initargs=(self._shared, self.nice))
            return self._own

    def close(self) -> None:
        """Cancel what is queued and shut the pool down, waiting for its processes."""
        with self._lock:
            self._closed = True
            own, self._own = self._own, None
            pending, self._pending = self._pending, {}
        for fut in pending.values():
            fut.cancel()
        if own is not None:
            own.shutdown(wait=True, cancel_futures=True)

    # ---- the state ---------------------------------------------------------------------------

    def switch(self, version: int, scene: Scene) -> None:
        """Render ``scene`` (the preview, with its loop) from now on, as state ``version``:
        the frames of the previous state still queued are cancelled, those rendering are
        discarded when done. Nothing is submitted until :meth:`fill`."""
        self.drop()
        loop = scene.loop
        assert loop is not None
        self.version = version
        self._shared.value = version
        self._data = pickle.dumps(scene, protocol=pickle.HIGHEST_PROTOCOL)
        self._frames, self._fps = loop.frames, float(loop.fps)
        self._good = set()
        self._last_shown = None
        self._next = None

    def drop(self) -> None:
        """Give up every frame in flight (a new state, or frames rendered in process)."""
        for fut in self._pending.values():
            fut.cancel()
            self.dropped += 1
        self._pending.clear()
        self.version = None
        self._shared.value = -1  # the frames rendering stop at their next band

    def _rel(self, index: int, current: int) -> int:
        """``index - current`` in loop order, in ``(-n/2, n/2]``."""
        n = self._frames
        d = (index - current) % n
        return d - n if d > n // 2 else d

    @property
    def interval(self) -> float:
        """Seconds between two frames the pool finishes when kept busy (its throughput): the
        median time a worker took for its last frames, over the workers. Until a frame is
        done, a guess (1/fps)."""
        if not self._costs:
            return 1.0 / self._fps
        return statistics.median(self._costs) / self.jobs

    def _done(self, fut: Future[tuple[np.ndarray, float]]) -> None:  # in the pool's thread
        if not fut.cancelled() and fut.exception() is None:
            self._costs.append(fut.result()[1])

    def fill(self, current: int) -> None:
        """Keep ``jobs + 1`` frames in flight, aimed at where the loop (now at ``current``)
        will be when each is done; never more than ~0.5 s ahead."""
        if self.version is None:
            return
        n = self._frames
        inflight = sum(not f.done() for f in self._pending.values())
        interval = self.interval
        step = max(1, math.floor(self._fps * interval + 0.25))
        horizon = min(n // 2, max(2 * (self.jobs + 1), math.ceil(self._fps * 0.5)))
        for _ in range(n):
            if inflight >= self.jobs + 1:
                break
            lead = math.ceil(self._fps * interval * max(inflight + 1, self.jobs))
            aim = (current + min(lead, horizon)) % n
            if self._next is not None and self._rel(self._next, current) > self._rel(aim,
                                                                                    current):
                aim = self._next  # one after the last sent, not a frame sent already
            if self._rel(aim, current) > horizon or self._rel(aim, current) < 0 \
                    or len(self._pending) >= n:
                break  # far enough ahead of the clock (the workers outrun the loop's fps)
            if aim not in self._pending:
                fut = self._pool().submit(live_frame, self._data, aim, self.version)
                fut.add_done_callback(self._done)
                self._pending[aim] = fut
                inflight += 1
            self._next = (aim + step) % n

    @property
    def delivered(self) -> bool:
        """Whether the workers are warm for :attr:`version`: they finished as many of its
        frames as there are workers (a worker's first frame of a new state costs several
        times the next ones)."""
        return len(self._good) >= self.jobs

    @property
    def held(self) -> int:
        """Frames of :attr:`version` held: rendering, or done and not yet shown."""
        return len(self._pending)

    @property
    def busy(self) -> bool:
        """Whether frames of :attr:`version` are rendering."""
        return self.version is not None and any(not f.done() for f in self._pending.values())

    def shown(self, index: int) -> None:
        """Frame ``index`` was shown (rendered in process): worker frames before it are late."""
        self._last_shown = index

    def take(self, current: int) -> tuple[int, np.ndarray, float] | None:
        """A finished frame to show now, as ``(index, pixels, seconds the worker took)``:
        the newest one done that is after the last shown and not after ``current`` (else
        ``current + 1``, so that a page polling late still gets every frame); None when there
        is none. Frames passed over are dropped (they still count for :attr:`delivered`).

        Raises
        ------
        Exception
            What the worker raised rendering it (a layer failing on these values);
            :class:`concurrent.futures.process.BrokenProcessPool` when a worker died;
            :class:`~wiktoria.run.tasks.WorkerCannotLoad` when a worker cannot load the scene.
        """
        best: int | None = None
        for index, fut in list(self._pending.items()):
            if not fut.done():
                continue
            if fut.cancelled():
                del self._pending[index]
                continue
            exc = fut.exception()
            if exc is not None:
                del self._pending[index]
                raise exc
            self._good.add(index)
            rel = self._rel(index, current)
            behind = (self._last_shown is not None
                      and self._rel(index, self._last_shown) <= 0)
            if behind or rel < -self._frames // 4:
                del self._pending[index]  # late: passed over
                continue
            # The newest frame at or before the clock; one frame early when there is none.
            if rel <= 1 and (best is None or (rel <= 0, rel) > (
                    self._rel(best, current) <= 0, self._rel(best, current))):
                best = index
        if best is None:
            return None
        fut = self._pending.pop(best)
        for index in [k for k in self._pending
                      if self._pending[k].done() and self._rel(k, best) < 0]:
            del self._pending[index]
        pixels, seconds = fut.result()
        self._last_shown = best
        return best, pixels, seconds

    def wait(self, timeout: float) -> None:
        """Wait up to ``timeout`` seconds for a frame in flight to finish."""
        running = [f for f in self._pending.values() if not f.done()]
        if running:
            wait(running, timeout=timeout, return_when=FIRST_COMPLETED)
        else:
            time.sleep(timeout)

    def __repr__(self) -> str:
        return f"<LoopWorkers {self.jobs} jobs, state {self.version}, {len(self._pending)} held>"


class Playback:
    """The render thread's side of the workers: which states they render, and when.

    A state goes to the workers once it has held :attr:`SETTLE_S` seconds and when a fresh
    process can load it (:func:`worker_safe`, decided once a state); a worker's error sends
    it back to the server's process (which shows the error as ever), a broken pool sends
    every state back, said once in the log.

    Parameters
    ----------
    jobs : int
        As :class:`~wiktoria.live.server.LiveServer`: 1 makes no workers.
    folder : path, optional
        The sketch's folder (its modules cannot be loaded by a worker).
    """

    #: Seconds a state stays unchanged before the workers get its frames: a drag on the mood
    #: pad or a slider makes a new state every few frames, each rendered in the server's
    #: process (its caches are warm for what the change did not touch); warming the workers
    #: up on each would only take the CPU from it.
    SETTLE_S = 1.0

    def __init__(self, jobs: int, folder: str | Path | None = None) -> None:
        self.workers: LoopWorkers | None = LoopWorkers(jobs) if jobs > 1 else None
        self.folder = folder
        self._safe: tuple[int, bool] = (-1, False)
        self._since: tuple[int, float] = (-1, 0.0)  # a state's version, and when first seen

    def ahead(self, version: int, preview: Scene) -> LoopWorkers | None:
        """The workers, switched to state ``version`` (``preview``: its preview scene, with
        its loop); None when this state plays in the server's process."""
        workers = self.workers
        if workers is None:
            return None
        if self._safe[0] != version:
            self._safe = (version, worker_safe(preview, self.folder))
        if not self._safe[1]:
            return None
        if workers.version != version:
            try:
                workers.switch(version, preview)  # the old state's frames stop
            except (pickle.PicklingError, AttributeError, TypeError):  # cannot travel
                return self._here(version)
        if self._since[0] != version:
            self._since = (version, time.monotonic())
        return workers

    def _here(self, version: int) -> None:
        self._safe = (version, False)
        if self.workers is not None:
            self.workers.drop()

    def idle(self) -> None:
        """Nothing plays (paused, nobody watching, or a state rendered in the server)."""
        if self.workers is not None and self.workers.version is not None:
            self.workers.drop()

    def settled(self, version: int) -> bool:
        """Whether state ``version`` has held for :attr:`SETTLE_S`."""
        return self._since[0] == version and time.monotonic() - self._since[1] >= self.SETTLE_S

    def fill(self, version: int, current: int) -> None:
        """Keep the workers busy with state ``version`` (the loop now at ``current``), once
        it has settled."""
        if self.workers is None or not self.settled(version):
            return
        try:
            self.workers.fill(current)
        except Exception as exc:  # a broken pool refuses new work
            self.failed(exc)

    def take(self, version: int, current: int) -> tuple[int, np.ndarray, float] | None:
        """A frame of state ``version`` finished by the workers and due now (see
        :meth:`LoopWorkers.take`), or None; never raises."""
        workers = self.workers
        if workers is None or workers.version != version:
            return None
        try:
            taken = workers.take(current)
        except WorkerCannotLoad as exc:
            log.warning("wiktoria live: this scene plays in the server's process: %s", exc)
            return self._here(version)
        except BrokenProcessPool as exc:
            self.failed(exc)
            return None
        except Exception:  # a layer failing in a worker: the server renders it, shows it
            return self._here(version)
        self.fill(version, current)
        return taken

    def failed(self, exc: BaseException) -> None:
        """The pool broke (a worker was killed): every frame in the server's process."""
        workers, self.workers = self.workers, None
        text = (str(exc).strip().splitlines() or [""])[0]
        log.warning("wiktoria live: the worker processes failed (%s%s); rendering in the "
                    "server's process from now on", type(exc).__name__,
                    f": {text}" if text else "")
        if workers is not None:
            threading.Thread(target=workers.close, name="wiktoria-live-close",
                             daemon=True).start()

    def close(self) -> None:
        """Shut the workers down (waits for their processes)."""
        if self.workers is not None:
            self.workers.close()
