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
from collections.abc import Callable, Iterable
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

from wiktoria.common import validate
from wiktoria.common.parallel import usable_cpus

__all__ = ["broken", "check_executor", "check_jobs", "dispatch", "executor_workers",
           "process_pool"]


def _worker_init(threads: str) -> None:
    """Initializer of pool workers: noise-core threads, and leave Ctrl-C to the parent."""
    os.environ["WIKTORIA_NUM_THREADS"] = threads
    with contextlib.suppress(ValueError, AttributeError):  # not the main thread / no SIGINT
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def process_pool(jobs: int) -> ProcessPoolExecutor:
    """The process pool :func:`render_frames` uses for ``jobs`` workers.

    Spawn start method; each worker sets ``WIKTORIA_NUM_THREADS`` to ``max(1, cpus // jobs)``
    (unless the parent's environment sets it) and ignores SIGINT.

    Parameters
    ----------
    jobs : int
        Number of worker processes, at least 1.

    Returns
    -------
    concurrent.futures.ProcessPoolExecutor
        The caller shuts it down (use it as a context manager).
    """
    jobs = check_jobs(jobs)
    threads = os.environ.get("WIKTORIA_NUM_THREADS", "").strip() or str(
        max(1, usable_cpus() // jobs))
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_worker_init, initargs=(threads,))


def check_jobs(jobs: Any) -> int:
    return validate.integer(jobs, "jobs", 1)


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
    workers = min(jobs or usable_cpus(), count)
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
