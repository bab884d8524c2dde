"""Executors for batch rendering: our own spawn process pool, any ``Executor``, or Dask.

:func:`process_pool` starts the pool :mod:`wiktoria.run.batch` uses; :func:`dispatch` runs tasks
on it (or on a given executor, or in this process) with at most ``2 * workers`` in flight,
handing each result to a callback in the calling thread, and cancels what is pending on any
error or Ctrl-C.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import (
    FIRST_COMPLETED,
    CancelledError,
    Executor,
    Future,
    ProcessPoolExecutor,
    wait,
)
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from wiktoria.common import memory, validate
from wiktoria.common.parallel import usable_cpus
from wiktoria.render import compositor

__all__ = ["broken", "check_executor", "check_jobs", "dispatch", "executor_workers",
           "pool_workers", "process_pool"]


def _worker_init(threads: str, initializer: Callable[..., Any] | None = None,
                 initargs: tuple[Any, ...] = ()) -> None:
    """Initializer of pool workers: noise-core threads, and leave Ctrl-C to the parent; then
    the caller's ``initializer(*initargs)``, if any.

    SIGINT is already blocked since the worker was started (:class:`_WorkerPool`); ignoring
    it here also drops a Ctrl-C that arrived while the worker was starting.
    """
    os.environ["WIKTORIA_NUM_THREADS"] = threads
    with contextlib.suppress(ValueError, AttributeError):  # not the main thread / no SIGINT
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    if initializer is not None:
        initializer(*initargs)


@contextlib.contextmanager
def _sigint_deferred() -> Iterator[None]:
    """Start worker processes without Ctrl-C getting in the way, on either side.

    SIGINT is blocked in this thread, so a process started meanwhile inherits the mask
    (which survives ``exec``, as for multiprocessing's resource tracker). And in the main
    thread, a Ctrl-C meanwhile (taken by another thread of this process) is held back until
    the worker is started and its pool manages it, then raised: interrupted halfway, the
    worker would be left unknown to the pool (or the pool without the thread that shuts its
    workers down) and fail reading what it was never sent.
    """
    mask = getattr(signal, "pthread_sigmask", None)
    caught: list[int] = []
    previous: Any = None
    try:
        previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    except (ValueError, AttributeError):  # not the main thread: blocking is all we can do
        previous = None
    old = mask(signal.SIG_BLOCK, {signal.SIGINT}) if mask is not None else None
    try:
        yield
    finally:
        if mask is not None and old is not None:
            mask(signal.SIG_SETMASK, old)
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
            if caught:
                if callable(previous):
                    previous(signal.SIGINT, None)
                elif previous == signal.SIG_DFL:
                    raise KeyboardInterrupt


class _WorkerPool(ProcessPoolExecutor):
    """A process pool whose workers never see Ctrl-C, from their first instruction on.

    Ctrl-C goes to the whole process group, workers included; an initializer that ignores
    SIGINT runs too late for a worker still importing (a ``KeyboardInterrupt`` traceback).
    Workers are therefore started with SIGINT blocked and the parent's Ctrl-C held back
    (:func:`_sigint_deferred`); they then ignore it for good in :func:`_worker_init`.
    """

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        # submit starts the workers (and the thread that manages them): as one step.
        with _sigint_deferred():
            return super().submit(fn, *args, **kwargs)


def process_pool(jobs: int, *, initializer: Callable[..., Any] | None = None,
                 initargs: tuple[Any, ...] = ()) -> ProcessPoolExecutor:
    """The process pool :func:`render_frames` uses for ``jobs`` workers.

    Spawn start method; each worker sets ``WIKTORIA_NUM_THREADS`` to ``max(1, cpus // jobs)``
    (unless the parent's environment sets it) and ignores SIGINT.

    Parameters
    ----------
    jobs : int
        Number of worker processes, at least 1.
    initializer, initargs
        Run in each worker after that, as ``ProcessPoolExecutor``'s (the live page passes a
        shared value this way, which only a starting process may receive).

    Returns
    -------
    concurrent.futures.ProcessPoolExecutor
        The caller shuts it down (use it as a context manager).
    """
    jobs = check_jobs(jobs)
    threads = os.environ.get("WIKTORIA_NUM_THREADS", "").strip() or str(
        max(1, usable_cpus() // jobs))
    return _WorkerPool(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
                       initializer=_worker_init, initargs=(threads, initializer, initargs))


def check_jobs(jobs: Any) -> int:
    """``jobs`` as an int of at least 1 (one-line TypeError/ValueError otherwise)."""
    return validate.integer(jobs, "jobs", 1)


def pool_workers(jobs: int | None, count: int, size: tuple[int, int] | None = None) -> int:
    """Worker processes for ``count`` renders of ``size`` with ``jobs`` asked for.

    The policy: never more workers than renders, nor than the CPUs this process may use
    (``jobs`` above that is capped, silently: the report says the workers used). Without
    ``jobs``, no more than fit in memory at once (at least 1). Then the memory check for that
    many renders at once (:func:`wiktoria.render.compositor.check_memory`): an explicit
    ``jobs`` that does not fit is a ValueError, raised before anything starts.
    """
    cpus = usable_cpus()
    workers = max(1, min(cpus if jobs is None else jobs, cpus, count))
    if size is not None:
        if jobs is None and workers > 1 and compositor.available_memory is memory.available_memory:
            workers = memory.workers_that_fit(*size, workers)
        compositor.check_memory(*size, workers)
    return workers


def check_executor(executor: Any) -> Executor | None:
    if executor is not None and not callable(getattr(executor, "submit", None)):
        raise TypeError("executor must be a concurrent.futures.Executor (with submit) or a "
                        f"dask.distributed.Client, got {type(executor).__name__}")
    if _is_dask_client(executor):
        return executor.get_executor()  # type: ignore[no-any-return]
    return executor


def _is_dask_client(obj: Any) -> bool:
    """Whether ``obj`` is a ``dask.distributed.Client`` (duck-typed: Dask is not imported)."""
    return all(callable(getattr(obj, name, None)) for name in ("get_executor", "nthreads",
                                                                "gather"))


def executor_workers(executor: Executor) -> int | None:
    """How many tasks ``executor`` runs at once, if it says."""
    n = getattr(executor, "_max_workers", None)
    if isinstance(n, int) and n >= 1:
        return n
    client = getattr(executor, "_client", None)  # Dask's ClientExecutor
    if _is_dask_client(client):
        try:
            return max(1, sum(client.nthreads().values()))
        except Exception:  # pragma: no cover - a client that lost its scheduler
            return None
    return None


def broken(exc: BaseException, what: str) -> OSError:
    return OSError(f"a worker process died while rendering {what} (out of memory?); "
                   f"try fewer jobs: {exc}".splitlines()[0])


def _run_windowed(
    executor: Executor,
    fn: Callable[..., Any],
    tasks: Iterable[tuple[Any, tuple[Any, ...]]],
    window: int,
    on_result: Callable[[Any, Any], None],
    what: Callable[[Any], str],
) -> None:
    """Run ``fn(*args)`` for ``(key, args)`` in ``tasks``, at most ``window`` in flight,
    calling ``on_result(key, result)`` in the caller's thread as results complete.

    On any exception (including KeyboardInterrupt) the tasks not yet finished are cancelled
    before re-raising.
    """
    it = iter(tasks)
    pending: dict[Future[Any], Any] = {}

    def fill() -> None:
        while len(pending) < window:
            try:
                key, args = next(it)
            except StopIteration:
                return
            pending[executor.submit(fn, *args)] = key

    try:
        fill()
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in sorted(done, key=pending.__getitem__):
                key = pending.pop(fut)
                try:
                    data = fut.result()
                except BrokenProcessPool as exc:
                    raise broken(exc, what(key)) from None
                except CancelledError:
                    raise OSError(f"{what(key)} was cancelled by the executor (did the Dask "
                                  "scheduler go away?)") from None
                except Exception as exc:
                    if type(exc).__name__ == "KilledWorker":  # Dask gave up on the task
                        raise broken(exc, what(key)) from None
                    raise
                on_result(key, data)
            fill()
    except BaseException:
        for fut in pending:
            fut.cancel()
        raise


def dispatch(
    executor: Executor | None,
    jobs: int | None,
    count: int,
    fn: Callable[..., Any],
    tasks: Iterable[tuple[Any, tuple[Any, ...]]],
    on_result: Callable[[Any, Any], None],
    what: Callable[[Any], str],
) -> int:
    """Run ``tasks`` on ``executor``, in this process (one worker), or on a process pool of
    our own that is shut down afterwards (pending work cancelled on any exception).

    Returns the number of workers used.
    """
    if executor is not None:
        workers = jobs or executor_workers(executor) or usable_cpus()
        _run_windowed(executor, fn, tasks, 2 * workers, on_result, what)
        return workers
    workers = pool_workers(jobs, count)
    if workers <= 1:
        for key, args in tasks:
            on_result(key, fn(*args))
        return 1
    own = process_pool(workers)
    try:
        _run_windowed(own, fn, tasks, 2 * workers, on_result, what)
    except BaseException:
        own.shutdown(wait=True, cancel_futures=True)
        raise
    own.shutdown(wait=True)
    return workers
