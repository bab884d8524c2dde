"""Batch rendering: frame sequences of a loop and seed sweeps of stills, in parallel, bounded.

:func:`render_frames` writes an animation as numbered PNG frames, :func:`render_sweep` paints
one mood with many seeds (and optionally a labelled contact sheet), :func:`parse_seeds` reads
``"0..99"``-style seed lists, :func:`write_loop` is :func:`wiktoria.io.encode.write_animation`
with the frames rendered in parallel (by :class:`FramesAhead`). Each matches one CLI command.

Parallelism
-----------
A frame (or a still) is a pure function of its scene and index, so it can be rendered in any
process, in any order, with identical bytes. Work goes to a
:class:`concurrent.futures.Executor`:

* ``jobs=N`` (default: every CPU this process may use) starts a
  :class:`~concurrent.futures.ProcessPoolExecutor` of ``N`` workers with the **spawn** start
  method (see :func:`process_pool`): fresh interpreters inherit no threads or locks from the
  parent (``fork`` would, and the noise core keeps a thread pool), it behaves the same on
  Linux, macOS and Windows, and the workers are plain children of the caller. Starting two
  workers costs about 0.25 s once per call. Each worker sets ``WIKTORIA_NUM_THREADS`` to
  ``max(1, cpus // N)`` (so 1 when there is a worker per CPU, and the noise core does not
  oversubscribe) unless the variable is already set in the parent, and ignores SIGINT, so
  Ctrl-C is handled by the parent alone. ``jobs=1`` renders in the calling process.
* ``executor=`` takes any :class:`~concurrent.futures.Executor`, e.g. a Dask
  ``client.get_executor()``, or a ``dask.distributed.Client`` itself (recognised without
  importing Dask; its ``get_executor()`` is used). The task functions live in this module,
  so the workers (and a remote scheduler, which unpickles the graph) need Wiktoria
  installed, the same version. Such workers keep their own environment: set
  ``WIKTORIA_NUM_THREADS=1`` there, and do not set ``MALLOC_TRIM_THRESHOLD_`` (Dask's nanny
  default), which made numpy frame functions about 3x slower in our measurements
  (:mod:`wiktoria.run.cluster` has the dask config that does both).

Frame sequences and sweeps ship only compressed PNG bytes back (``write_loop`` ships raw
frames, which its encoder needs). The parent writes each file atomically (temporary file
beside it, then ``os.replace``) as soon as its result arrives; with
``render_frames(..., write_on_workers=True)`` the workers write the files the same way into a
folder every machine shares, and the parent checks each one. At most ``2 * workers`` tasks
are in flight (submitted and not yet written): tasks are submitted lazily, so memory does not
grow with the number of frames.

Ctrl-C (``KeyboardInterrupt``), or any error, cancels the pending tasks, shuts the pool down
(waiting for the frames being rendered, at most one per worker), removes temporary files and
re-raises: the folder then holds only complete frames.
"""

from __future__ import annotations

import contextlib
import io
import math
import multiprocessing
import os
import re
import signal
import string
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import (
    FIRST_COMPLETED,
    CancelledError,
    Executor,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFont, PngImagePlugin

from wiktoria.common.atomicio import atomic_write_bytes
from wiktoria.common.parallel import usable_cpus
from wiktoria.moods.mood import Mood
from wiktoria.motion.animation import Animation, FramePlan
from wiktoria.render.compositor import check_memory, render
from wiktoria.render.painting import (
    MOOD_KEY,
    SCENE_KEY,
    Painting,
    _slug,
    build_scene,
    parse_overrides,
)
from wiktoria.scene import Canvas, Scene

__all__ = [
    "CONTACT_SHEET",
    "CONTACT_SHEET_KEY",
    "DEFAULT_PATTERN",
    "MAX_SEEDS",
    "FramesAhead",
    "FramesReport",
    "SweepReport",
    "parse_seeds",
    "process_pool",
    "render_frames",
    "render_sweep",
    "usable_cpus",
    "write_loop",
]

#: File names of frames: ``str.format`` with the field ``index``.
DEFAULT_PATTERN = "frame_{index:05d}.png"
#: File name of a sweep's contact sheet.
CONTACT_SHEET = "contact-sheet.png"
#: PNG text chunk that marks a contact sheet written by Wiktoria.
CONTACT_SHEET_KEY = "wiktoria:contact-sheet"
#: Most seeds in one sweep.
MAX_SEEDS = 10_000
#: Largest seed plus one.
_SEED_END = 2**63

#: A progress callback: called with the number of items just finished. If it has a
#: ``start(total)`` method, that is called first with the number of items to render.
ProgressCallback = Callable[[int], object]

# atomicio's temporary files: ".{name}.{random}.part" beside the target.
_TEMP_RE = re.compile(r"^\.(?P<name>.+)\.[A-Za-z0-9_]+\.part$")


# ------------------------------------------------------------------------------------ reports


@dataclass(frozen=True)
class FramesReport:
    """What :func:`render_frames` did.

    Attributes
    ----------
    out_dir : pathlib.Path
    written : tuple of pathlib.Path
        Frames rendered and written, in frame order.
    skipped : tuple of pathlib.Path
        Complete, matching frames kept by ``resume``, in frame order.
    removed : tuple of pathlib.Path
        Temporary files of an interrupted run that were deleted.
    seconds : float
        Wall time of the whole call.
    workers : int
        Frames rendered at once: processes (1: in the calling process), or the concurrency
        assumed for a given executor.
    """

    out_dir: Path
    written: tuple[Path, ...]
    skipped: tuple[Path, ...]
    removed: tuple[Path, ...]
    seconds: float
    workers: int


@dataclass(frozen=True)
class SweepReport:
    """What :func:`render_sweep` did.

    Attributes
    ----------
    out_dir : pathlib.Path
    written : tuple of pathlib.Path
        The stills, in the order of the seeds.
    seeds : tuple of int
    contact_sheet : pathlib.Path or None
    seconds : float
        Wall time of the whole call.
    workers : int
        Stills rendered at once (see :class:`FramesReport`).
    """

    out_dir: Path
    written: tuple[Path, ...]
    seeds: tuple[int, ...]
    contact_sheet: Path | None
    seconds: float
    workers: int


# ------------------------------------------------------------------------------ executors


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
    jobs = _check_jobs(jobs)
    threads = os.environ.get("WIKTORIA_NUM_THREADS", "").strip() or str(
        max(1, usable_cpus() // jobs))
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_worker_init, initargs=(threads,))


def _check_jobs(jobs: Any) -> int:
    if isinstance(jobs, bool) or not isinstance(jobs, int):
        raise TypeError(f"jobs must be a whole number of at least 1, got {jobs!r}")
    if jobs < 1:
        raise ValueError(f"jobs must be a whole number of at least 1, got {jobs!r}")
    return jobs


def _check_executor(executor: Any) -> Executor | None:
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


def _executor_workers(executor: Executor) -> int | None:
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


def _frame_png(plan: FramePlan, index: int) -> bytes:
    """Task: frame ``index`` of ``plan`` as PNG bytes (module level, so workers import it)."""
    return plan.png_bytes(index)


def _frame_file(plan: FramePlan, index: int, folder: str, name: str) -> tuple[str, int]:
    """Task: render frame ``index`` and write it atomically as ``folder/name`` (temporary file
    in that folder, then ``os.replace``), in the worker; return ``(name, size in bytes)``."""
    data = plan.png_bytes(index)
    if not os.path.isdir(folder):
        raise OSError(f"output folder {folder!r} does not exist on worker host "
                      f"{_hostname()}; with --write-on-workers it must be shared by every "
                      "machine, at the same path")
    atomic_write_bytes(os.path.join(folder, name), data)
    return name, len(data)


def _hostname() -> str:
    import socket

    return socket.gethostname()


def _frame_array(plan: FramePlan, index: int) -> np.ndarray:
    """Task: frame ``index`` of ``plan`` as an (H, W, 3) uint8 array."""
    return plan.render(index)


def _still_png(scene: Scene, mood: Mood) -> bytes:
    """Task: a still of ``scene`` as PNG bytes, the same bytes as ``paint(...).png_bytes()``."""
    return Painting(scene, mood, render(scene, mood)).png_bytes()


def _broken(exc: BaseException, what: str) -> OSError:
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
                    raise _broken(exc, what(key)) from None
                except CancelledError:
                    raise OSError(f"{what(key)} was cancelled by the executor (did the Dask "
                                  "scheduler go away?)") from None
                except Exception as exc:
                    if type(exc).__name__ == "KilledWorker":  # Dask gave up on the task
                        raise _broken(exc, what(key)) from None
                    raise
                on_result(key, data)
            fill()
    except BaseException:
        for fut in pending:
            fut.cancel()
        raise


def _dispatch(
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
        workers = jobs or _executor_workers(executor) or usable_cpus()
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


def _start(progress: ProgressCallback | None, total: int) -> None:
    if progress is None:
        return
    start = getattr(progress, "start", None)
    if callable(start):
        start(total)


def _plan_and_count(source: Any) -> tuple[FramePlan, int]:
    if isinstance(source, Animation):
        plan = source.plan
    elif isinstance(source, FramePlan):
        plan = source
    else:
        raise TypeError("source must be a wiktoria Animation or FramePlan, got "
                        f"{type(source).__name__}")
    assert plan.scene.loop is not None
    return plan, plan.scene.loop.frames


# ------------------------------------------------------------------------------ folders


def _prepare_folder(out_dir: Any) -> tuple[Path, bool]:
    """Check ``out_dir`` can be used (it exists as a writable folder, or its parent exists);
    return it and whether it exists. Nothing is created here."""
    if not isinstance(out_dir, str | os.PathLike):
        raise TypeError(f"output folder must be a path, got {type(out_dir).__name__}")
    path = Path(out_dir)
    if path.exists():
        if not path.is_dir():
            raise ValueError(f"output folder {str(path)!r} is a file, not a folder")
        if not os.access(path, os.W_OK | os.X_OK):
            raise ValueError(f"output folder {str(path)!r} is not writable")
        return path, True
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise ValueError(f"cannot create output folder {str(path)!r}: its parent "
                         f"{str(parent)!r} does not exist; create it first")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ValueError(f"cannot create output folder {str(path)!r}: {str(parent)!r} is not "
                         "writable")
    return path, False


def _make_folder(path: Path, exists: bool) -> None:
    if not exists:
        path.mkdir(exist_ok=True)


def _png_text(path: Path) -> tuple[str, dict[str, str]] | None:
    """``(format, text chunks)`` of an image file from its header, or None if unreadable."""
    try:
        with Image.open(path) as im:
            info = {k: v for k, v in im.info.items() if isinstance(v, str)}
            return str(im.format), info
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None


# ------------------------------------------------------------------------------ frames


def _frame_names(pattern: Any, n: int) -> list[str]:
    """File names of frames ``0 .. n-1``, checking the pattern."""
    if not isinstance(pattern, str):
        raise TypeError(f"pattern must be a string such as {DEFAULT_PATTERN!r}, got "
                        f"{type(pattern).__name__}")
    fmt = pattern
    hashes = re.findall(r"#+", pattern)
    if hashes and "{" not in pattern:
        if len(hashes) != 1:
            raise ValueError(f"pattern {pattern!r} has more than one run of '#'")
        fmt = pattern.replace(hashes[0], f"{{index:0{len(hashes[0])}d}}")
    if "/" in pattern or "\\" in pattern or os.sep in pattern:
        raise ValueError(f"pattern {pattern!r} must be a file name, without folders")
    if not pattern.lower().endswith(".png"):
        raise ValueError(f"pattern {pattern!r} must end with .png")
    if pattern.startswith("."):
        raise ValueError(f"pattern {pattern!r} must not start with '.' (hidden files are "
                         "reserved for temporary files)")
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(fmt) if f is not None]
    except ValueError as exc:
        raise ValueError(f"pattern {pattern!r} is not a valid format string: {exc}") from None
    if "index" not in fields:
        raise ValueError(f"pattern {pattern!r} must contain the field {{index}}, e.g. "
                         f"{DEFAULT_PATTERN!r} (or a run of '#', e.g. 'frame_#####.png')")
    other = sorted(set(fields) - {"index"})
    if other:
        raise ValueError(f"pattern {pattern!r} may only use the field {{index}}, not "
                         f"{{{other[0]}}}")
    try:
        names = [fmt.format(index=i) for i in range(n)]
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        raise ValueError(f"pattern {pattern!r} cannot format a frame index: {exc}") from None
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        if "/" in name or os.sep in name or name.startswith("."):
            raise ValueError(f"pattern {pattern!r} gives frame {i} the name {name!r}, which is "
                             "not a plain file name")
        if name in seen:
            raise ValueError(f"pattern {pattern!r} gives frames {seen[name]} and {i} the same "
                             f"name {name!r}")
        seen[name] = i
    return names


def _check_selection(frames: Any, n: int) -> range:
    """The selected frame indices as a range, checked against ``n`` frames."""
    if frames is None:
        return range(n)
    if isinstance(frames, slice):
        start, stop, step = frames.start, frames.stop, frames.step
        start = 0 if start is None else start
        stop = n if stop is None else stop
        step = 1 if step is None else step
    elif isinstance(frames, range):
        start, stop, step = frames.start, frames.stop, frames.step
    else:
        raise TypeError("frames must be a range (or slice) of frame indices, e.g. range(0, 24), "
                        f"got {type(frames).__name__}")
    for name, v in (("start", start), ("stop", stop), ("step", step)):
        if isinstance(v, bool) or not isinstance(v, int):
            raise TypeError(f"frame {name} must be a whole number, got {v!r}")
    if not 0 <= start < n:
        raise ValueError(f"start {start} is outside the animation's frames: choose 0 to {n - 1}")
    if not start < stop <= n:
        raise ValueError(f"stop {stop} must be from {start + 1} to {n} (after start {start}, "
                         f"at most the animation's {n} frames)")
    if step < 1:
        raise ValueError(f"frame step must be at least 1, got {step}")
    return range(start, stop, step)


def _scan_frames_folder(path: Path, names: list[str]
                        ) -> tuple[dict[int, Path], list[tuple[str, Path]]]:
    """Existing frame files by index, and temporary files of ours; raise on foreign files.

    Allowed in a frames folder: files named by the pattern for an index of the animation that
    are PNGs carrying a Wiktoria scene (or are not readable images at all: broken frames,
    which get rendered again); hidden temporary files ``.{frame name}.*.part`` left by an
    interrupted run; other hidden files (``.DS_Store``, ``.gitkeep``), never touched.
    Anything else (other files, folders, unrelated PNGs, frames beyond the animation's
    length) is foreign.
    """
    index = {name: i for i, name in enumerate(names)}
    existing: dict[int, Path] = {}
    temps: list[tuple[str, Path]] = []
    foreign: list[str] = []
    with os.scandir(path) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            name = entry.name
            if name.startswith("."):
                m = _TEMP_RE.match(name)
                if m and m.group("name") in index and entry.is_file(follow_symlinks=False):
                    temps.append((m.group("name"), Path(entry.path)))
                continue
            i = index.get(name)
            if i is None or not entry.is_file():
                foreign.append(name)
                continue
            header = _png_text(Path(entry.path))
            if header is not None and (header[0] != "PNG" or SCENE_KEY not in header[1]):
                foreign.append(name)
                continue
            existing[i] = Path(entry.path)
    if foreign:
        more = f" (and {len(foreign) - 1} more)" if len(foreign) > 1 else ""
        raise ValueError(
            f"output folder {str(path)!r} holds {foreign[0]!r}{more}, which is not a Wiktoria "
            f"frame of this animation ({names[0]} to {names[-1]}); move it away or choose "
            "another folder")
    return existing, temps


def _frame_is_complete(path: Path, scene_toml: str, mood_toml: str,
                       size: tuple[int, int]) -> bool:
    """Whether ``path`` is a complete, decodable RGB PNG of ``size`` carrying exactly this
    scene and mood."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    if not data.startswith(b"\x89PNG\r\n\x1a\n") or not data.endswith(
        b"\x00\x00\x00\x00IEND\xaeB`\x82"
    ):
        return False
    try:
        with Image.open(io.BytesIO(data)) as im:
            im.load()
            if im.format != "PNG" or im.mode != "RGB" or im.size != size:
                return False
            text = getattr(im, "text", {}) or {}
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return False
    return text.get(SCENE_KEY) == scene_toml and text.get(MOOD_KEY) == mood_toml


def _remove(paths: Iterable[Path]) -> list[Path]:
    removed = []
    for p in paths:
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
            removed.append(p)
    return removed


def _own_temps(path: Path, wanted: set[str]) -> list[Path]:
    """Our temporary files in ``path`` for the file names in ``wanted``."""
    out = []
    with contextlib.suppress(OSError), os.scandir(path) as entries:
        for entry in entries:
            m = _TEMP_RE.match(entry.name)
            if m and m.group("name") in wanted:
                out.append(Path(entry.path))
    return out


def render_frames(
    source: Animation | FramePlan,
    out_dir: str | os.PathLike[str],
    *,
    frames: range | slice | None = None,
    pattern: str = DEFAULT_PATTERN,
    executor: Executor | None = None,
    jobs: int | None = None,
    resume: bool = False,
    progress: ProgressCallback | None = None,
    write_on_workers: bool = False,
) -> FramesReport:
    """Write an animation's frames as numbered PNGs, each carrying its scene and frame index.

    Parameters
    ----------
    source : Animation or FramePlan
        The loop, e.g. ``wiktoria.animate("seething", size=(512, 512), frames=48)``.
    out_dir : path
        The folder of frames. It is created if missing (its parent must exist). It may hold
        only frames of this pattern and animation length (see Notes); anything else is an
        error, raised before anything is written.
    frames : range or slice, optional
        The frames to write (default all): ``range(start, stop)`` with ``0 <= start < len``
        and ``start < stop <= len``; a positive step is allowed.
    pattern : str
        File names: a format string with the field ``index``, e.g. ``"frame_{index:05d}.png"``
        (the default), or a run of ``#`` (``"f_####.png"``: zero-padded to its length).
    executor : concurrent.futures.Executor or dask.distributed.Client, optional
        Render on this executor (any ``Executor``, e.g. Dask's ``client.get_executor()``, or a
        Dask ``Client`` itself) instead of a process pool; it is not shut down. ``jobs`` then
        only sets how many frames are in flight (``2 * jobs``; default the executor's
        ``_max_workers``, or the total threads of a Dask cluster, else the CPU count).
    jobs : int, optional
        Worker processes (default: the CPUs this process may use). ``1``, or only one frame to
        write, renders in the calling process.
    resume : bool
        Keep frames already in the folder that are complete and match (see Notes); render
        only the others. Without ``resume`` the selected frames are all rendered again.
    progress : callable, optional
        Called with ``1`` after each frame is written (in the calling thread); if it has
        ``start(total)``, that is called first with the number of frames to render. A
        :class:`wiktoria.cli.progress.ProgressBar` fits.
    write_on_workers : bool
        Workers write the frame files themselves (each atomically, a temporary file in the
        folder then ``os.replace``) and send back only the size; this process then checks
        the file is there. For a Dask cluster whose machines all see ``out_dir`` at the same
        path (shared storage). Default: frames come back as PNG bytes and this process
        writes them.

    Returns
    -------
    FramesReport

    Raises
    ------
    ValueError, TypeError
        Bad arguments or output folder, with a one-line message naming the value.
    OSError
        Writing failed, or a worker process died.
    KeyboardInterrupt
        Re-raised after stopping cleanly: pending frames cancelled, pool shut down, temporary
        files removed. Every frame file left is complete.

    Notes
    -----
    *Folder contents.* Allowed: files named by the pattern for an index ``0 .. len-1`` that
    are PNGs carrying a Wiktoria scene, or that are not readable images at all (broken
    frames, rendered again); hidden files. Hidden temporary files of an interrupted run
    (``.frame_00007.png.*.part``) are deleted when their frame is selected (others may belong
    to a concurrent run writing other frames into the same folder). Foreign: any other file
    or folder, including unrelated PNGs, a non-Wiktoria PNG named like a frame, and frames
    beyond this animation's length.

    *Resume.* A frame is kept when its file is a complete PNG (signature, final IEND chunk,
    fully decodable, RGB, the scene's size) whose embedded scene TOML and mood TOML are
    exactly those of this frame: same loop index, seed, layers, mood and Wiktoria version.
    Anything else (truncated, corrupt, another frame's or another animation's) is rendered
    again.

    Frames are a pure function of (scene, index): the bytes are identical whatever ``jobs``
    or executor.

    Examples
    --------
    >>> import tempfile, wiktoria
    >>> from wiktoria.run.batch import render_frames
    >>> anim = wiktoria.animate("serene", size=(48, 32), frames=4, fps=8, seed=1)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     report = render_frames(anim, d, jobs=1)
    ...     [p.name for p in report.written]
    ['frame_00000.png', 'frame_00001.png', 'frame_00002.png', 'frame_00003.png']
    """
    t0 = time.perf_counter()
    plan, n = _plan_and_count(source)
    names = _frame_names(pattern, n)
    selection = _check_selection(frames, n)
    if jobs is not None:
        jobs = _check_jobs(jobs)
    executor = _check_executor(executor)
    if not isinstance(resume, bool):
        raise TypeError(f"resume must be True or False, got {resume!r}")
    if not isinstance(write_on_workers, bool):
        raise TypeError(f"write_on_workers must be True or False, got {write_on_workers!r}")
    if progress is not None and not callable(progress):
        raise TypeError(f"progress must be a callable taking a count, got "
                        f"{type(progress).__name__}")
    check_memory(*plan.scene.size)

    path, exists = _prepare_folder(out_dir)
    existing: dict[int, Path] = {}
    temps: list[tuple[str, Path]] = []
    if exists:
        existing, temps = _scan_frames_folder(path, names)
    _make_folder(path, exists)
    wanted = {names[i] for i in selection}
    removed = _remove(t for name, t in temps if name in wanted)

    skipped: list[int] = []
    if resume:
        fixed_mood = plan.mood.to_toml() if plan.to_mood is None else None

        def complete(i: int) -> bool:
            scene, mood = plan.frame_scene(i)
            mood_toml = fixed_mood if fixed_mood is not None else mood.to_toml()
            return _frame_is_complete(existing[i], scene.to_toml(), mood_toml, scene.size)

        candidates = [i for i in selection if i in existing]
        # Pillow decodes without the GIL: check the frames on threads.
        with ThreadPoolExecutor(min(usable_cpus(), 8)) as checkers:
            skipped = [i for i, ok in zip(candidates, checkers.map(complete, candidates),
                                          strict=True) if ok]
    kept = set(skipped)
    todo = [i for i in selection if i not in kept]
    _start(progress, len(todo))

    written: list[int] = []

    def write(i: int, data: bytes) -> None:
        atomic_write_bytes(path / names[i], data)
        written.append(i)
        if progress is not None:
            progress(1)

    folder = str(path.absolute())

    def check(i: int, result: tuple[str, int]) -> None:
        # The worker wrote the file; make sure this machine sees it, complete.
        name, size = result
        target = path / names[i]
        try:
            found = target.stat().st_size
        except OSError:
            found = -1
        if name != names[i] or found != size:
            raise OSError(f"a worker wrote frame {i} to {str(target)!r} ({size} bytes) but "
                          f"{'it is not there' if found < 0 else f'it has {found} bytes'} "
                          "here: with --write-on-workers the output folder must be shared by "
                          "every machine, at the same path")
        written.append(i)
        if progress is not None:
            progress(1)

    task: Callable[..., Any]
    if write_on_workers:
        task, on_result = _frame_file, check
        tasks: Iterable[tuple[int, tuple[Any, ...]]] = (
            (i, (plan, i, folder, names[i])) for i in todo)
    else:
        task, on_result = _frame_png, write
        tasks = ((i, (plan, i)) for i in todo)

    try:
        workers = _dispatch(executor, jobs, len(todo), task, tasks, on_result,
                            lambda i: f"frame {i}")
    except BaseException:
        _remove(_own_temps(path, wanted))
        raise
    return FramesReport(
        out_dir=path,
        written=tuple(path / names[i] for i in sorted(written)),
        skipped=tuple(path / names[i] for i in skipped),
        removed=tuple(removed),
        seconds=time.perf_counter() - t0,
        workers=workers,
    )


# ------------------------------------------------------------------------------ seeds


_SEEDS_HELP = "use N, A..B (inclusive, e.g. 0..99) or a comma list such as 1,5,9"


def parse_seeds(text: str) -> range | list[int]:
    """Parse a seed list: ``"7"``, ``"0..99"`` (inclusive, as vsketch) or ``"1,5,9"``.

    Items of a comma list may be ranges too (``"0..3,10"``).

    Parameters
    ----------
    text : str

    Returns
    -------
    range or list of int
        A range for ``N`` or ``A..B``; a list for a comma list.

    Raises
    ------
    ValueError
        Garbage, a negative or too large seed (seeds go from 0 to 2**63-1), an empty range
        (``9..3``), a repeated seed, or more than :data:`MAX_SEEDS` seeds in a comma list;
        one line naming the value and the accepted forms.

    Examples
    --------
    >>> parse_seeds("0..99"), parse_seeds("7"), parse_seeds("1, 5, 9")
    (range(0, 100), range(7, 8), [1, 5, 9])
    """
    if not isinstance(text, str):
        raise TypeError(f"seeds must be given as text ({_SEEDS_HELP}), got "
                        f"{type(text).__name__}")
    items = [item.strip() for item in text.split(",")]
    parts: list[range] = []
    for item in items:
        m = re.fullmatch(r"(\d+)(?:\s*\.\.\s*(\d+))?", item)
        if m is None:
            detail = f" ({item!r} is not a seed or range)" if len(items) > 1 else ""
            raise ValueError(f"{text!r} is not a seed list{detail}; {_SEEDS_HELP}")
        a = int(m.group(1))
        b = int(m.group(2)) if m.group(2) is not None else a
        for v in (a, b):
            if v >= _SEED_END:
                raise ValueError(f"seed {v} in {text!r} is too large: seeds go from 0 to "
                                 "2**63-1")
        if b < a:
            raise ValueError(f"seed range {item!r} is empty: write the smaller seed first, "
                             f"e.g. {b}..{a}")
        parts.append(range(a, b + 1))
    if len(parts) == 1:
        return parts[0]
    if sum(len(p) for p in parts) > MAX_SEEDS:
        raise ValueError(f"{text!r} lists more than {MAX_SEEDS} seeds")
    out: list[int] = []
    seen: set[int] = set()
    for p in parts:
        for s in p:
            if s in seen:
                raise ValueError(f"seed {s} appears twice in {text!r}")
            seen.add(s)
            out.append(s)
    return out


def _check_seeds(seeds: Any) -> list[int]:
    if isinstance(seeds, str):
        seeds = parse_seeds(seeds)
    if not isinstance(seeds, range | Sequence):
        raise TypeError(f"seeds must be a range, a list of integers or text such as '0..99', "
                        f"got {seeds!r}")
    if len(seeds) == 0:
        raise ValueError("seeds is empty: give at least one seed")
    if len(seeds) > MAX_SEEDS:
        raise ValueError(f"a sweep takes at most {MAX_SEEDS} seeds, got {len(seeds)}")
    out: list[int] = []
    seen: set[int] = set()
    for s in seeds:
        if isinstance(s, bool) or not isinstance(s, int) or not 0 <= s < _SEED_END:
            raise ValueError(f"seeds must be integers from 0 to 2**63-1, got {s!r}")
        if s in seen:
            raise ValueError(f"seed {s} appears twice in the sweep")
        seen.add(s)
        out.append(int(s))
    return out


# ------------------------------------------------------------------------------ sweeps


def _thumb_size(size: tuple[int, int], cols: int) -> tuple[int, int]:
    w, h = size
    side = max(48, min(256, 8192 // cols))
    s = min(1.0, side / max(w, h))
    return max(1, round(w * s)), max(1, round(h * s))


class _ContactSheet:
    """A labelled grid of thumbnails, filled as stills arrive, in seed order."""

    PAD = 8
    BG = (22, 22, 26)
    FG = (214, 214, 220)

    def __init__(self, title: str, seeds: list[int], size: tuple[int, int]) -> None:
        self.seeds = seeds
        self.cols = max(1, math.ceil(math.sqrt(len(seeds))))
        self.rows = math.ceil(len(seeds) / self.cols)
        self.tw, self.th = _thumb_size(size, self.cols)
        self.font = ImageFont.load_default(size=12)
        self.label_h = 16
        self.cell_w = self.tw + self.PAD
        self.cell_h = self.th + self.label_h + self.PAD
        self.head = 24
        width = max(self.cols * self.cell_w + self.PAD, 240)
        height = self.head + self.rows * self.cell_h + self.PAD
        self.image = Image.new("RGB", (width, height), self.BG)
        self.draw = ImageDraw.Draw(self.image)
        self.draw.text((self.PAD, 6), title, fill=self.FG, font=self.font)
        self.slot = {s: k for k, s in enumerate(seeds)}

    def add(self, seed: int, png: bytes) -> None:
        k = self.slot[seed]
        r, c = divmod(k, self.cols)
        x = self.PAD + c * self.cell_w
        y = self.head + r * self.cell_h
        with Image.open(io.BytesIO(png)) as im:
            thumb = im.convert("RGB").resize((self.tw, self.th), Image.Resampling.LANCZOS)
        self.image.paste(thumb, (x, y))
        label = f"seed {seed}"
        if self.draw.textlength(label, font=self.font) > self.tw:
            label = str(seed)
        tx = x + (self.tw - self.draw.textlength(label, font=self.font)) / 2
        self.draw.text((round(tx), y + self.th + 2), label, fill=self.FG, font=self.font)

    def png_bytes(self, meta: str) -> bytes:
        info = PngImagePlugin.PngInfo()
        info.add_itxt(CONTACT_SHEET_KEY, meta, zip=True)
        bio = io.BytesIO()
        self.image.save(bio, format="PNG", pnginfo=info)
        return bio.getvalue()


def _sheet_meta(scene: Scene, seeds: list[int]) -> str:
    w, h = scene.size
    return (f'mood = "{scene.mood.name}"\nstyle = "{scene.style}"\nsize = [{w}, {h}]\n'
            f"seeds = [{', '.join(map(str, seeds))}]\n")


def render_sweep(
    mood: str | Mood,
    seeds: str | range | Sequence[int],
    out_dir: str | os.PathLike[str],
    *,
    size: tuple[int, int] = (1920, 1080),
    style: str = "landscape",
    overrides: Mapping[str, Any] | Sequence[str] | None = None,
    jobs: int | None = None,
    executor: Executor | None = None,
    contact_sheet: bool = False,
    progress: ProgressCallback | None = None,
) -> SweepReport:
    """Paint one mood with many seeds, ``{mood}-{seed}.png`` each, to choose from.

    Each file is byte for byte ``wiktoria.paint(mood, size, seed, style, **overrides)``
    saved as PNG (scene embedded), whatever ``jobs``.

    Parameters
    ----------
    mood : str or Mood
        As :func:`wiktoria.paint`.
    seeds : str, range or sequence of int
        ``range(0, 100)``, ``[1, 5, 9]``, or text for :func:`parse_seeds` (``"0..99"``); at
        most :data:`MAX_SEEDS`, no repeats.
    out_dir : path
        Created if missing (its parent must exist). Other files may be there, but a file
        this sweep would write over must be a Wiktoria PNG (a still carrying its scene, or a
        contact sheet), never anything else.
    size, style
        As :func:`wiktoria.paint` (default 1920x1080, landscape).
    overrides : mapping or sequence of str, optional
        Layer parameters, ``{"strata.count": 5}`` or ``["strata.count=5"]`` (as ``--set``).
    jobs, executor
        As :func:`render_frames`.
    contact_sheet : bool
        Also write ``contact-sheet.png``: every still as a thumbnail (at most 256 px, smaller
        for very large sweeps) in a grid, in seed order, labelled with its seed.
    progress : callable, optional
        As :func:`render_frames`, once per still.

    Returns
    -------
    SweepReport

    Raises
    ------
    ValueError, TypeError
        Bad mood, seeds, size, style, overrides or folder (one line), before anything is
        written.
    OSError, KeyboardInterrupt
        As :func:`render_frames`: stills already written are complete; no temporary files
        remain.
    """
    t0 = time.perf_counter()
    seed_list = _check_seeds(seeds)
    if overrides is None:
        over: dict[str, Any] = {}
    elif isinstance(overrides, Mapping):
        over = dict(overrides)
    elif isinstance(overrides, Sequence) and not isinstance(overrides, str):
        over = parse_overrides(list(overrides))
    else:
        raise TypeError("overrides must be a mapping such as {'strata.count': 5} or a list of "
                        f"'LAYER.PARAM=VALUE' strings, got {overrides!r}")
    if jobs is not None:
        jobs = _check_jobs(jobs)
    executor = _check_executor(executor)
    if progress is not None and not callable(progress):
        raise TypeError(f"progress must be a callable taking a count, got "
                        f"{type(progress).__name__}")
    if not isinstance(contact_sheet, bool):
        raise TypeError(f"contact_sheet must be True or False, got {contact_sheet!r}")
    first, resolved = build_scene(mood, size, seed_list[0], style, over)
    check_memory(*first.size)
    stem = _slug(first.mood.name)
    names = {s: f"{stem}-{s}.png" for s in seed_list}

    path, exists = _prepare_folder(out_dir)
    if exists:
        targets = [names[s] for s in seed_list] + ([CONTACT_SHEET] if contact_sheet else [])
        for name in targets:
            p = path / name
            if not p.exists() and not p.is_symlink():
                continue
            header = _png_text(p) if p.is_file() else None
            key = CONTACT_SHEET_KEY if name == CONTACT_SHEET else SCENE_KEY
            if header is None or header[0] != "PNG" or key not in header[1]:
                raise ValueError(f"output folder {str(path)!r} holds {name!r}, which is not a "
                                 "Wiktoria image; the sweep would overwrite it: move it away or "
                                 "choose another folder")
    _make_folder(path, exists)

    def scene_of(seed: int) -> Scene:
        # build_scene(mood, size, seed, style, over): only the canvas seed differs.
        return replace(first, canvas=Canvas(first.canvas.width, first.canvas.height, seed))

    sheet = (_ContactSheet(f"{first.mood} \u00b7 {first.style} \u00b7 "
                           f"{first.size[0]}x{first.size[1]}", seed_list, first.size)
             if contact_sheet else None)
    _start(progress, len(seed_list))
    written: set[int] = set()

    def write(seed: int, data: bytes) -> None:
        atomic_write_bytes(path / names[seed], data)
        written.add(seed)
        if sheet is not None:
            sheet.add(seed, data)
        if progress is not None:
            progress(1)

    tasks = ((s, (scene_of(s), resolved)) for s in seed_list)
    wanted = set(names.values()) | {CONTACT_SHEET}
    try:
        workers = _dispatch(executor, jobs, len(seed_list), _still_png, tasks, write,
                            lambda s: f"seed {s}")
        sheet_path = None
        if sheet is not None:
            sheet_path = atomic_write_bytes(path / CONTACT_SHEET,
                                            sheet.png_bytes(_sheet_meta(first, seed_list)))
    except BaseException:
        _remove(_own_temps(path, wanted))
        raise
    return SweepReport(
        out_dir=path,
        written=tuple(path / names[s] for s in seed_list if s in written),
        seeds=tuple(seed_list),
        contact_sheet=sheet_path,
        seconds=time.perf_counter() - t0,
        workers=workers,
    )


# ------------------------------------------------------------------------------ loops


class FramesAhead:
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
        self._plan, self._n = _plan_and_count(source)
        if jobs is not None:
            jobs = _check_jobs(jobs)
        self._executor = _check_executor(executor)
        if executor is not None:
            self.workers = jobs or _executor_workers(executor) or usable_cpus()
        else:
            self.workers = min(jobs or usable_cpus(), self._n)
        if window is not None:
            window = _check_jobs(window)
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

    # ---- what encoders use ------------------------------------------------------------------

    @property
    def plan(self) -> FramePlan:
        return self._plan

    @property
    def scene(self) -> Scene:
        return self._plan.scene

    @property
    def mood(self) -> Mood:
        return self._plan.mood

    @property
    def fps(self) -> float:
        assert self._plan.scene.loop is not None
        return self._plan.scene.loop.fps

    @property
    def size(self) -> tuple[int, int]:
        return self._plan.scene.size

    def __len__(self) -> int:
        return self._n

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
            raise _broken(exc, f"frame {i}") from None

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
            fut = executor.submit(_frame_array, self._plan, i)
        running = sum(not f.done() for f in self._held.values())
        for k in self._candidates(i, stride):
            if running >= self.window or len(self._held) >= self.keep:
                break
            if k == i or k in self._held or (self._skip_read and k in self._read):
                continue
            self._held[k] = executor.submit(_frame_array, self._plan, k)
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
    progress: Callable[..., object] | None = None,
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
    progress : callable, optional
        ``progress(done, total)`` after each frame is encoded (``write_animation``'s
        convention; a :class:`wiktoria.cli.progress.ProgressBar` accepts it).
    **options
        ``dither``, ``quality``, ``loop``: as ``write_animation``.

    Returns
    -------
    pathlib.Path
    """
    from wiktoria.io.encode import write_animation

    with FramesAhead(source, jobs=jobs, executor=executor) as ahead:
        return write_animation(ahead, path, progress=progress, **options)
