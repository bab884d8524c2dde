"""Dask clusters: connect to a scheduler, or start a local cluster tuned for rendering.

Everything here needs the optional extra ``distributed`` (``pip install
'wiktoria[distributed]'``, which installs ``dask[distributed]``); Dask is imported only when a
function here is called, so ``import wiktoria`` never needs it.

Two pitfalls, measured (see the README, "Rendering on a Dask cluster"):

* Dask's nanny starts worker processes with ``MALLOC_TRIM_THRESHOLD_=65536`` (dask config
  ``distributed.nanny.pre-spawn-environ``). With glibc that made a NumPy-heavy frame function
  about 3x slower. :func:`local_cluster` removes the variable (and sets
  ``WIKTORIA_NUM_THREADS=1``, one noise thread per worker thread); on a real cluster, start
  the workers with :data:`WORKER_CONFIG` (a dask config file).
* The scheduler deserialises the task graph, so it and every worker must be able to import
  the task functions (module level in :mod:`wiktoria.run.batch`): install the same Wiktoria
  version on the client, the scheduler and every worker.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Any

from wiktoria.common import validate

__all__ = [
    "DEFAULT_CONNECT_TIMEOUT",
    "DISTRIBUTED_EXTRA_MESSAGE",
    "WORKER_CONFIG",
    "WORKER_ENVIRON",
    "connect",
    "local_cluster",
]

#: Message of the ImportError raised when ``dask.distributed`` is missing.
DISTRIBUTED_EXTRA_MESSAGE = (
    "rendering on a Dask cluster needs the optional extra: pip install 'wiktoria[distributed]'")
#: Seconds :func:`connect` waits for a scheduler.
DEFAULT_CONNECT_TIMEOUT = 10.0
#: Changes to Dask's nanny ``pre-spawn-environ`` for rendering workers: ``None`` removes the
#: variable from the worker processes' environment.
WORKER_ENVIRON: dict[str, Any] = {"MALLOC_TRIM_THRESHOLD_": None, "WIKTORIA_NUM_THREADS": 1}
#: The same as a dask config file (put it in ``~/.config/dask/wiktoria.yaml`` on the worker
#: machines, or point ``DASK_CONFIG`` at it) before ``dask worker`` starts.
WORKER_CONFIG = """\
distributed:
  nanny:
    pre-spawn-environ:
      MALLOC_TRIM_THRESHOLD_: null
      WIKTORIA_NUM_THREADS: 1
"""


def _distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise ImportError(DISTRIBUTED_EXTRA_MESSAGE) from None
    return distributed


def _worker_config() -> dict[str, Any]:
    return {f"distributed.nanny.pre-spawn-environ.{k}": v for k, v in WORKER_ENVIRON.items()}


def connect(address: str | None = None, *, timeout: float = DEFAULT_CONNECT_TIMEOUT) -> Any:
    """A ``dask.distributed.Client`` connected to the scheduler at ``address``.

    Parameters
    ----------
    address : str, optional
        ``tcp://host:8786``; default ``DASK_SCHEDULER_ADDRESS`` from the environment.
    timeout : float
        Seconds to wait for the scheduler (default 10).

    Returns
    -------
    distributed.Client
        The caller closes it (use it as a context manager).

    Raises
    ------
    ImportError
        Without the ``distributed`` extra (:data:`DISTRIBUTED_EXTRA_MESSAGE`).
    ValueError
        No address given or in the environment, or a bad timeout.
    OSError
        The scheduler cannot be reached within ``timeout``: one line naming the address.
    """
    if address is None:
        address = os.environ.get("DASK_SCHEDULER_ADDRESS", "").strip() or None
    if address is None:
        raise ValueError("no Dask scheduler given: pass address='tcp://HOST:PORT' or set "
                         "DASK_SCHEDULER_ADDRESS")
    if not isinstance(address, str) or not address.strip():
        raise TypeError(f"scheduler address must be text such as 'tcp://host:8786', got "
                        f"{address!r}")
    timeout = validate.number(timeout, "timeout (seconds)", 0, 3600, lo_open=True)
    distributed = _distributed()
    address = address.strip()
    try:
        return distributed.Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise OSError(f"cannot reach the Dask scheduler at {address} within {timeout:g} s: "
                      f"{detail}") from None
    except ValueError as exc:  # a malformed address
        raise ValueError(f"bad Dask scheduler address {address!r}: "
                         f"{str(exc).splitlines()[0] if str(exc) else exc!r}") from None


@contextlib.contextmanager
def _restored_environ() -> Iterator[None]:
    # A nanny running in this process writes its pre-spawn-environ into os.environ before
    # starting its worker; do not let that leak into the caller.
    saved = dict(os.environ)
    try:
        yield
    finally:
        for key in set(os.environ) - set(saved):
            del os.environ[key]
        os.environ.update(saved)


def local_cluster(n_workers: int = 2, *, threads_per_worker: int = 1, **kwargs: Any) -> Any:
    """A ``distributed.LocalCluster`` of worker processes set up for rendering.

    Worker processes get :data:`WORKER_ENVIRON` (no ``MALLOC_TRIM_THRESHOLD_``, one noise
    thread); the dashboard (if installed) gets a free port unless ``dashboard_address`` is
    given. Other keyword arguments go to ``LocalCluster``. This process's environment is left
    as it was.

    Returns
    -------
    distributed.LocalCluster
        The caller closes it (use it as a context manager).
    """
    distributed = _distributed()
    import dask

    kwargs.setdefault("processes", True)
    kwargs.setdefault("dashboard_address", ":0")
    with _restored_environ(), dask.config.set(_worker_config()):
        return distributed.LocalCluster(n_workers=n_workers,
                                        threads_per_worker=threads_per_worker, **kwargs)
