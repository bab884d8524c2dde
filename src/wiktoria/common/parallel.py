"""Internal: splitting large arrays into cache-sized blocks and running them on threads.

numpy releases the GIL inside its ufuncs and gathers, so noise blocks evaluated on a small
thread pool use every core. The split never changes a value: every element is computed by the
same arithmetic whatever the block it falls in, so results are identical for any thread count.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor

__all__ = ["blocks", "num_threads", "run", "serial", "usable_cpus"]

_lock = threading.Lock()
_local = threading.local()
_pool: ThreadPoolExecutor | None = None
_pool_pid: int | None = None
_pool_size = 0


def num_threads() -> int:
    """Number of threads used for large arrays.

    ``WIKTORIA_NUM_THREADS`` overrides the default, which is the number of CPUs this process
    may use. Rendering in worker processes sets it to 1 to avoid oversubscription.
    """
    env = os.environ.get("WIKTORIA_NUM_THREADS", "").strip()
    if env:
        try:
            return max(1, int(env))
        except ValueError:
            pass
    return usable_cpus()


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity mask), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _get_pool(n: int) -> ThreadPoolExecutor:
    global _pool, _pool_pid, _pool_size
    with _lock:
        if _pool is None or _pool_pid != os.getpid() or _pool_size != n:
            _pool = ThreadPoolExecutor(max_workers=n, thread_name_prefix="wiktoria")
            _pool_pid = os.getpid()
            _pool_size = n
        return _pool


def run(tasks: Iterable[Callable[[], None]]) -> None:
    """Run independent tasks: on the thread pool when there are several tasks and CPUs."""
    tasks = list(tasks)
    n = num_threads()
    if len(tasks) <= 1 or n <= 1 or getattr(_local, "inside", False):
        # Nested calls from a worker thread run inline: the pool is already busy.
        for task in tasks:
            task()
        return
    pool = _get_pool(n)
    futures = [pool.submit(_mark_inside, task) for task in tasks]
    for fut in futures:
        fut.result()


@contextlib.contextmanager
def serial() -> Iterator[None]:
    """Within it, :func:`run` called from this thread runs its tasks inline, on this thread
    only (the live page renders so while its worker processes warm up, leaving them a CPU)."""
    old = getattr(_local, "inside", False)
    _local.inside = True
    try:
        yield
    finally:
        _local.inside = old


def _mark_inside(task: Callable[[], None]) -> None:
    _local.inside = True
    try:
        task()
    finally:
        _local.inside = False


def blocks(shape: tuple[int, ...], target: int) -> list[tuple[slice | int, ...]]:
    """Split an array of ``shape`` into index tuples of about ``target`` elements each.

    Blocks are bands along the outermost axis with more than one element; an axis whose rows
    are themselves too large is split recursively. Indices are tuples of slices, usable as
    ``out[idx]``.
    """
    if not shape:
        return [()]
    total = 1
    for s in shape:
        total *= s
    if total <= target:
        return [tuple(slice(None) for _ in shape)]
    axis = next(i for i, s in enumerate(shape) if s > 1)
    inner = 1
    for s in shape[axis + 1 :]:
        inner *= s
    lead = tuple(slice(None) for _ in shape[:axis])
    if inner <= target:
        step = max(1, target // inner)
        return [
            (*lead, slice(a, min(a + step, shape[axis])), *(slice(None) for _ in shape[axis + 1 :]))
            for a in range(0, shape[axis], step)
        ]
    out: list[tuple[slice | int, ...]] = []
    for a in range(shape[axis]):
        for sub in blocks(shape[axis + 1 :], target):
            out.append((*lead, slice(a, a + 1), *sub))
    return out
