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
    "check_address",
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
        Nothing listening at the address fails at once (a TCP probe before Dask starts).
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
    address = address.strip()
    host_port = check_address(address)
    distributed = _distributed()
    if host_port is not None:
        _probe(address, host_port, timeout)
    # Build the client in two steps so that a failed one can be disarmed: otherwise its
    # __del__ tries to close it, waits twice the timeout and prints a traceback.
    client = distributed.Client.__new__(distributed.Client)
    try:
        client.__init__(address, timeout=timeout, set_as_default=False)
    except BaseException as exc:
        _disarm(client)
        if isinstance(exc, OSError | TimeoutError):
            raise OSError(f"cannot reach the Dask scheduler at {address} within {timeout:g} s: "
                          f"{_first_line(exc)}") from None
        if isinstance(exc, ValueError):  # a malformed address
            raise ValueError(f"bad Dask scheduler address {address!r}: "
                             f"{_first_line(exc)}") from None
        if isinstance(exc, Exception):  # e.g. another server answered, with garbage
            raise OSError(f"no Dask scheduler answered at {address}: "
                          f"{type(exc).__name__}: {_first_line(exc)}"[:300]) from None
        raise
    return client


#: Address schemes of Dask's comms that take ``host:port``.
_HOST_PORT_SCHEMES = ("tcp", "tls", "ws", "wss", "ucx")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def check_address(address: str) -> tuple[str, int] | None:
    """Check a scheduler address (``tcp://host:8786``, ``tls://...``, ``inproc://...``) without
    Dask; return ``(host, port)`` for the schemes that take them.

    Raises
    ------
    ValueError
        A scheme Dask does not know, or no host, or a port that is not 1 to 65535; one line.
    """
    scheme, sep, rest = address.partition("://")
    if not sep:
        scheme, rest = "tcp", address
    allowed = (*_HOST_PORT_SCHEMES, "inproc")
    if scheme not in allowed:
        raise ValueError(f"bad Dask scheduler address {address!r}: unknown scheme {scheme!r} "
                         f"(valid: {', '.join(allowed)})")
    if scheme == "inproc":
        return None
    host, colon, port = rest.rpartition(":")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    usage = "give HOST:PORT (an ASCII host, a port from 1 to 65535), e.g. tcp://127.0.0.1:8786"
    if not colon or not host or not host.isascii() or "/" in host or not host.isprintable() \
            or any(c.isspace() for c in host):
        raise ValueError(f"bad Dask scheduler address {address!r}: {usage}")
    if not (port.isascii() and port.isdecimal() and len(port) <= 5 and 1 <= int(port) <= 65535):
        raise ValueError(f"bad Dask scheduler address {address!r}: port {port!r} is not a "
                         f"number from 1 to 65535; {usage}")
    return host, int(port)


def _probe(address: str, host_port: tuple[str, int], timeout: float) -> None:
    """Fail fast, with one line, when nothing listens at the scheduler's host and port."""
    import socket

    try:
        with socket.create_connection(host_port, timeout=timeout):
            pass
    except (OSError, UnicodeError) as exc:
        detail = "timed out" if isinstance(exc, TimeoutError) else (
            exc.strerror or _first_line(exc)) if isinstance(exc, OSError) else _first_line(exc)
        raise OSError(f"cannot reach the Dask scheduler at {address} within {timeout:g} s: "
                      f"{detail}") from None


def _disarm(client: Any) -> None:
    """Mark a client whose construction failed as closed, so its __del__ does nothing."""
    with contextlib.suppress(Exception):
        client.status = "closed"
    with contextlib.suppress(Exception):
        client._loop_runner.stop()


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
