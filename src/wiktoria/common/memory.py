"""How much memory a render may use, from every source that limits it, checked before allocating.

A render's need is estimated from its size (:func:`estimate_memory`) and compared with each
limit this process is under (:func:`memory_limits`):

* ``MemAvailable`` of ``/proc/meminfo``: memory the whole machine can still give (shared by
  every worker process);
* the **cgroup** of this process (from ``/proc/self/cgroup`` and the cgroup mounts in
  ``/proc/self/mountinfo``), at its own level and every ancestor: v2 ``memory.max`` minus
  ``memory.current``, v1 ``memory.limit_in_bytes`` minus ``memory.usage_in_bytes``, in both
  cases giving back the inactive page cache (``inactive_file`` in ``memory.stat``), which the
  kernel reclaims before failing an allocation; shared by every worker (children stay in the
  cgroup);
* ``RLIMIT_AS`` and ``RLIMIT_DATA`` (:func:`resource.getrlimit`) minus this process's address
  space (``VmSize``) or data segment (``VmData``) from ``/proc/self/status``: per process, so
  each worker has the whole limit for itself.

Every reader takes its file paths (and ``getrlimit``) as arguments, so tests can point them at
fake trees. A reader that cannot read its source returns nothing: the check never fails
because a file is missing (macOS, Windows, a locked-down container).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["MemoryLimit", "available_memory", "cgroup_limits", "check_memory",
           "estimate_memory", "meminfo_limit", "memory_limits", "rlimit_limits",
           "workers_that_fit"]

# cgroup v1 reports "no limit" as a huge page-aligned number.
_UNLIMITED = 2**60


@dataclass(frozen=True)
class MemoryLimit:
    """Bytes still available under one limit.

    Attributes
    ----------
    available : int
        Bytes that can still be allocated under this limit (0 when it is already reached).
    source : str
        Where the limit comes from, for messages: ``"MemAvailable"``, ``"cgroup memory.max"``,
        ``"cgroup memory.limit_in_bytes"``, ``"RLIMIT_AS"``, ``"RLIMIT_DATA"``.
    per_process : bool
        Each process has the whole limit (rlimits), rather than all workers sharing it.
    """

    available: int
    source: str
    per_process: bool = False


def estimate_memory(width: int, height: int) -> int:
    """Bytes a render of this size needs at its peak (a little above what was measured).

    Measured peak RSS (benchmarks/paint_bench.py): 0.25 GB at 1920x1080, 0.50 GB at
    3840x2160, 1.61 GB at 7680x4320, i.e. about 48 bytes per pixel plus ~150 MB: the output,
    the stroke buffers (density, tone, weight, splat classes) and the low-resolution sky.
    """
    return int(width * height * 52 + 200 * 2**20)


def _read(path: str | os.PathLike[str]) -> str | None:
    try:
        with open(path, encoding="ascii", errors="replace") as fh:
            return fh.read()
    except OSError:
        return None


def _int(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        return int(text.strip())
    except ValueError:
        return None


def meminfo_limit(path: str | os.PathLike[str] = "/proc/meminfo") -> MemoryLimit | None:
    """``MemAvailable`` of ``path``, or None when it cannot be read."""
    text = _read(path)
    for line in (text or "").splitlines():
        if line.startswith("MemAvailable:"):
            fields = line.split()
            if len(fields) >= 2 and fields[1].isdecimal() and fields[1].isascii():
                return MemoryLimit(int(fields[1]) * 1024, "MemAvailable")
    return None


def _stat_value(folder: Path, key: str) -> int:
    for line in (_read(folder / "memory.stat") or "").splitlines():
        name, _, value = line.partition(" ")
        if name == key:
            return _int(value) or 0
    return 0


def _mounts(mountinfo: str) -> list[tuple[str, str, str, str]]:
    """``(fstype, root, mount point, super options)`` of the cgroup mounts."""
    out = []
    for line in (_read(mountinfo) or "").splitlines():
        left, sep, right = line.partition(" - ")
        a, b = left.split(), right.split()
        if not sep or len(a) < 5 or len(b) < 3:
            continue
        if b[0] in ("cgroup", "cgroup2"):
            point = a[4].replace("\\040", " ")
            out.append((b[0], a[3], point, b[2]))
    return out


def _levels(mount: str, root: str, path: str) -> list[Path]:
    """The folders of cgroup ``path`` and its ancestors under a mount (its own level first)."""
    if root != "/" and (path == root or path.startswith(root.rstrip("/") + "/")):
        path = path[len(root.rstrip("/")):] or "/"
    parts = [p for p in path.split("/") if p and p not in (".", "..")]
    base = Path(mount)
    folders = [base.joinpath(*parts[:k]) for k in range(len(parts), -1, -1)]
    found = [f for f in folders if f.is_dir()]
    return found or [base]


def cgroup_limits(proc_cgroup: str | os.PathLike[str] = "/proc/self/cgroup",
                  mountinfo: str | os.PathLike[str] = "/proc/self/mountinfo"
                  ) -> list[MemoryLimit]:
    """Memory left under the cgroup limits of this process (v2 and v1), at every level.

    Parameters
    ----------
    proc_cgroup : path
        The process's cgroup membership (``/proc/self/cgroup``).
    mountinfo : path
        Its mounts (``/proc/self/mountinfo``), where the cgroup hierarchies are.

    Returns
    -------
    list of MemoryLimit
        One per level that sets a limit (``"max"`` and v1's huge "unlimited" are skipped).
    """
    text = _read(proc_cgroup)
    if text is None:
        return []
    v2_path = v1_path = None
    for line in text.splitlines():
        hid, _, rest = line.partition(":")
        controllers, _, path = rest.partition(":")
        if hid == "0" and controllers == "":
            v2_path = path
        elif "memory" in controllers.split(","):
            v1_path = path
    out: list[MemoryLimit] = []
    for fstype, root, point, options in _mounts(str(mountinfo)):
        if fstype == "cgroup2" and v2_path is not None:
            for folder in _levels(point, root, v2_path):
                limit = _int(_read(folder / "memory.max"))
                used = _int(_read(folder / "memory.current"))
                if limit is None or used is None:
                    continue  # "max", or no memory controller at this level
                used -= _stat_value(folder, "inactive_file")
                out.append(MemoryLimit(max(0, limit - max(0, used)), "cgroup memory.max"))
        elif fstype == "cgroup" and v1_path is not None and "memory" in options.split(","):
            for folder in _levels(point, root, v1_path):
                limit = _int(_read(folder / "memory.limit_in_bytes"))
                used = _int(_read(folder / "memory.usage_in_bytes"))
                if limit is None or used is None or limit >= _UNLIMITED:
                    continue
                used -= _stat_value(folder, "total_inactive_file")
                out.append(MemoryLimit(max(0, limit - max(0, used)),
                                       "cgroup memory.limit_in_bytes"))
    return out


def _getrlimit(which: str) -> tuple[int, int]:
    import resource

    return resource.getrlimit(getattr(resource, which))


def rlimit_limits(getrlimit: Callable[[str], tuple[int, int]] | None = None,
                  status: str | os.PathLike[str] = "/proc/self/status") -> list[MemoryLimit]:
    """Memory left under ``RLIMIT_AS`` and ``RLIMIT_DATA`` (soft limits), per process.

    Parameters
    ----------
    getrlimit : callable, optional
        ``getrlimit("RLIMIT_AS") -> (soft, hard)``; default :func:`resource.getrlimit`.
    status : path
        ``/proc/self/status``, whose ``VmSize`` and ``VmData`` are what is already used.
    """
    get = getrlimit or _getrlimit
    used: dict[str, int] = {}
    for line in (_read(status) or "").splitlines():
        key, _, value = line.partition(":")
        fields = value.split()
        if key in ("VmSize", "VmData") and fields and fields[0].isdecimal():
            used[key] = int(fields[0]) * 1024
    out = []
    for which, field in (("RLIMIT_AS", "VmSize"), ("RLIMIT_DATA", "VmData")):
        try:
            soft, _ = get(which)
        except (ImportError, AttributeError, OSError, ValueError):
            continue
        if soft is None or soft < 0 or soft >= _UNLIMITED:  # RLIM_INFINITY is -1
            continue
        out.append(MemoryLimit(max(0, soft - used.get(field, 0)), which, per_process=True))
    return out


def memory_limits() -> list[MemoryLimit]:
    """Every limit this process is under, read now (see the module docstring)."""
    found = [meminfo_limit()]
    if found[0] is None:
        try:
            found = [MemoryLimit(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"),
                                 "free physical memory")]
        except (ValueError, OSError, AttributeError):
            found = []
    return [lim for lim in found if lim is not None] + cgroup_limits() + rlimit_limits()


def available_memory() -> int | None:
    """Bytes one render in this process may still allocate (the tightest limit), or None."""
    limits = memory_limits()
    return min(lim.available for lim in limits) if limits else None


def _need(limit: MemoryLimit, each: int, workers: int) -> int:
    return each if limit.per_process else each * workers


def workers_that_fit(width: int, height: int, workers: int,
                     limits: Iterable[MemoryLimit] | None = None) -> int:
    """How many of ``workers`` processes, each rendering a ``width`` x ``height`` frame, fit
    under every limit (at least 1: :func:`check_memory` reports when even one does not)."""
    each = estimate_memory(width, height)
    lims = memory_limits() if limits is None else list(limits)
    fit = workers
    for lim in lims:
        if not lim.per_process:
            fit = min(fit, lim.available // each)
    return max(1, fit)


def check_memory(width: int, height: int, *, workers: int = 1,
                 limits: Iterable[MemoryLimit] | None = None, need: int | None = None,
                 what: str = "painting") -> None:
    """Raise ValueError, before any allocation, when ``workers`` renders of this size at once
    would not fit under one of ``limits`` (default: :func:`memory_limits`, read now).

    ``need`` is the bytes one render takes (default :func:`estimate_memory`), ``what`` names
    it in the message: one line naming the size, the need, the limit and where it comes from.
    """
    each = estimate_memory(width, height) if need is None else need
    for lim in memory_limits() if limits is None else limits:
        need = _need(lim, each, workers)
        if need > lim.available:
            many = (f" ({workers} at once, {each / 2**30:.1f} GiB each)"
                    if workers > 1 and not lim.per_process else "")
            raise ValueError(
                f"a {width}x{height} {what} needs about {need / 2**30:.1f} GiB{many} but only "
                f"{lim.available / 2**30:.1f} GiB is available ({lim.source}); choose a "
                f"smaller size{' or fewer jobs' if many else ''}")
