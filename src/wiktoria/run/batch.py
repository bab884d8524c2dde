"""Batch rendering: frame sequences of a loop and seed sweeps of stills, in parallel, bounded.

:func:`render_frames` writes an animation as numbered PNG frames, :func:`render_sweep` paints
one mood with many seeds (and optionally a labelled contact sheet), :func:`write_loop` is
:func:`wiktoria.io.encode.write_animation` with the frames rendered in parallel (by
:class:`FramesAhead`, in :mod:`wiktoria.run.ahead`). The executors are in
:mod:`wiktoria.run.executors`, the worker tasks in :mod:`wiktoria.run.tasks`, output folder
checks in :mod:`wiktoria.run.folders`.

Parallelism
-----------
A frame (or a still) is a pure function of its scene and index, so it can be rendered in any
process, in any order, with identical bytes. Work goes to a
:class:`concurrent.futures.Executor`:

* ``jobs=N`` (default: every CPU this process may use, as many as fit in memory; ``N`` above
  the usable CPUs is capped to them, and ``N`` renders at once must fit in memory,
  :mod:`wiktoria.common.memory`) starts a
  :class:`~concurrent.futures.ProcessPoolExecutor` of ``N`` workers with the **spawn** start
  method (see :func:`process_pool`): fresh interpreters inherit no threads or locks from the
  parent (``fork`` would, and the noise core keeps a thread pool), it behaves the same on
  Linux, macOS and Windows, and the workers are plain children of the caller. Starting two
  workers costs about 0.25 s once per call. Each worker sets ``WIKTORIA_NUM_THREADS`` to
  ``max(1, cpus // N)`` (so 1 when there is a worker per CPU, and the noise core does not
  oversubscribe) unless the variable is already set in the parent, and never sees SIGINT
  (started with it blocked, then ignoring it), so Ctrl-C is handled by the parent alone.
  ``jobs=1`` renders in the calling process.
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

import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wiktoria.common import validate
from wiktoria.common.atomicio import atomic_write_bytes
from wiktoria.common.parallel import usable_cpus
from wiktoria.common.progress import Progress, check_progress, started
from wiktoria.io.contact_sheet import CONTACT_SHEET, CONTACT_SHEET_KEY, ContactSheet, sheet_meta
from wiktoria.io.formats import slug
from wiktoria.io.metadata import SCENE_KEY
from wiktoria.moods.mood import Mood
from wiktoria.motion.animation import Animation, FramePlan
from wiktoria.render.compositor import check_memory
from wiktoria.render.painting import build_scene
from wiktoria.run.ahead import FramesAhead, write_loop
from wiktoria.run.executors import (
    check_executor,
    check_jobs,
    dispatch,
    pool_workers,
    process_pool,
)
from wiktoria.run.folders import (
    DEFAULT_PATTERN,
    frame_is_complete,
    frame_names,
    make_folder,
    max_frame_bytes,
    own_temps,
    png_text,
    prepare_folder,
    remove,
    scan_frames_folder,
    unmake_folder,
)
from wiktoria.run.tasks import (
    SharedFolderError,
    frame_file,
    frame_png,
    plan_and_count,
    still_png,
)
from wiktoria.scene import Scene

__all__ = [
    "CONTACT_SHEET",
    "CONTACT_SHEET_KEY",
    "DEFAULT_PATTERN",
    "MAX_SEEDS",
    "FramesAhead",
    "FramesReport",
    "MixedFolderError",
    "SharedFolderError",
    "SweepReport",
    "process_pool",
    "render_frames",
    "render_sweep",
    "usable_cpus",
    "write_loop",
]

#: Most seeds in one sweep.
MAX_SEEDS = 10_000


# ------------------------------------------------------------------------------------ reports


class MixedFolderError(ValueError):
    """The frames folder holds frames of another scene, and neither ``resume`` nor
    ``overwrite`` was given (:func:`render_frames`).

    Attributes
    ----------
    detail : str
        What is in the way, without advice (the CLI adds its own, naming its flags).
    """

    ADVICE = ("resume=True keeps the complete frames of this animation and renders the others "
              "over, overwrite=True renders over them; or choose another folder")

    def __init__(self, detail: str) -> None:
        super().__init__(f"{detail}; {self.ADVICE}")
        self.detail = detail

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self.detail,)


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


def render_frames(
    source: Animation | FramePlan,
    out_dir: str | os.PathLike[str],
    *,
    frames: range | slice | None = None,
    pattern: str = DEFAULT_PATTERN,
    executor: Executor | None = None,
    jobs: int | None = None,
    resume: bool = False,
    overwrite: bool = False,
    progress: Progress | None = None,
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
        Worker processes (default: the CPUs this process may use, and no more renders at once
        than fit in memory). ``jobs`` above the usable CPUs is capped to them (the report's
        ``workers`` says how many ran); ``jobs`` renders at once that do not fit in memory
        are a ValueError before anything starts. ``1``, or only one frame to write, renders
        in the calling process.
    resume : bool
        Keep frames already in the folder that are complete and match (see Notes); render
        only the others. Without ``resume`` the selected frames are all rendered again.
    overwrite : bool
        Allow frames of another scene (or another frame's file) in the folder: the selected
        ones are rendered over. Without ``resume`` or ``overwrite``, a frame file in the
        folder must carry this animation's scene for its index (or be broken), so that a
        run never leaves a folder that mixes two animations.
    progress : wiktoria.common.progress.Progress, optional
        ``progress.start(total)`` first (if it has ``start``) with the number of frames to
        render, then ``progress(1)`` after each frame is written (in the calling thread).
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
    plan, n = plan_and_count(source)
    names = frame_names(pattern, n)
    selection = _check_selection(frames, n)
    if jobs is not None:
        jobs = check_jobs(jobs)
    executor = check_executor(executor)
    if not isinstance(resume, bool):
        raise TypeError(f"resume must be True or False, got {resume!r}")
    if not isinstance(overwrite, bool):
        raise TypeError(f"overwrite must be True or False, got {overwrite!r}")
    if resume and overwrite:
        raise ValueError("resume keeps complete frames and overwrite renders them all again: "
                         "choose one")
    if not isinstance(write_on_workers, bool):
        raise TypeError(f"write_on_workers must be True or False, got {write_on_workers!r}")
    check_progress(progress)
    if executor is None:
        jobs = pool_workers(jobs, len(selection), plan.scene.size)
    else:
        check_memory(*plan.scene.size)

    path, exists = prepare_folder(out_dir)
    existing: dict[int, Path] = {}
    temps: list[tuple[str, Path]] = []
    if exists:
        existing, temps, scenes = scan_frames_folder(path, names,
                                                     max_frame_bytes(plan.scene.size))
        if not (resume or overwrite):
            _check_same_scene(path, names, plan, scenes)
    make_folder(path, exists)
    wanted = {names[i] for i in selection}
    removed = remove(t for name, t in temps if name in wanted)

    skipped: list[int] = []
    if resume:
        fixed_mood = plan.mood.to_toml() if plan.to_mood is None else None

        def complete(i: int) -> bool:
            scene, mood = plan.frame_scene(i)
            mood_toml = fixed_mood if fixed_mood is not None else mood.to_toml()
            return frame_is_complete(existing[i], scene.to_toml(), mood_toml, scene.size)

        candidates = [i for i in selection if i in existing]
        # Pillow decodes without the GIL: check the frames on threads.
        with ThreadPoolExecutor(min(usable_cpus(), 8)) as checkers:
            skipped = [i for i, ok in zip(candidates, checkers.map(complete, candidates),
                                          strict=True) if ok]
    kept = set(skipped)
    todo = [i for i in selection if i not in kept]
    started(progress, len(todo))

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
            raise SharedFolderError(
                f"a worker wrote frame {i} to {str(target)!r} ({size} bytes) but "
                f"{'it is not there' if found < 0 else f'it has {found} bytes'} here")
        written.append(i)
        if progress is not None:
            progress(1)

    task: Callable[..., Any]
    if write_on_workers:
        task, on_result = frame_file, check
        tasks: Iterable[tuple[int, tuple[Any, ...]]] = (
            (i, (plan, i, folder, names[i])) for i in todo)
    else:
        task, on_result = frame_png, write
        tasks = ((i, (plan, i)) for i in todo)

    try:
        workers = dispatch(executor, jobs, len(todo), task, tasks, on_result,
                            lambda i: f"frame {i}")
    except BaseException:
        remove(own_temps(path, wanted))
        unmake_folder(path, exists)
        raise
    return FramesReport(
        out_dir=path,
        written=tuple(path / names[i] for i in sorted(written)),
        skipped=tuple(path / names[i] for i in skipped),
        removed=tuple(removed),
        seconds=time.perf_counter() - t0,
        workers=workers,
    )



def _check_same_scene(path: Path, names: list[str], plan: FramePlan,
                      scenes: dict[int, str]) -> None:
    """Raise when a frame in the folder carries another scene than this animation's frame."""
    other = [i for i in sorted(scenes) if scenes[i] != plan.frame_scene(i)[0].to_toml()]
    if other:
        more = f" (and {len(other) - 1} more)" if len(other) > 1 else ""
        raise MixedFolderError(f"output folder {str(path)!r} holds {names[other[0]]!r}{more}, "
                               "a frame of another scene")


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
    start, stop, step = (validate.integer(v, f"frame {name}") for name, v in
                         (("start", start), ("stop", stop), ("step", step)))
    if not 0 <= start < n:
        raise ValueError(f"start {start} is outside the animation's frames: choose 0 to {n - 1}")
    if not start < stop <= n:
        raise ValueError(f"stop {stop} must be from {start + 1} to {n} (after start {start}, "
                         f"at most the animation's {n} frames)")
    if step < 1:
        raise ValueError(f"frame step must be at least 1, got {step}")
    return range(start, stop, step)


def _check_seeds(seeds: Any) -> list[int]:
    if isinstance(seeds, str) or not isinstance(seeds, range | Sequence):
        raise TypeError(f"seeds must be a range or a list of integers, got "
                        f"{validate.show(seeds)}")
    try:
        count: int | str = len(seeds)
    except OverflowError:  # a range of more than sys.maxsize seeds
        count = validate.show(seeds)
    if count == 0:
        raise ValueError("seeds is empty: give at least one seed")
    if isinstance(count, str) or count > MAX_SEEDS:
        raise ValueError(f"a sweep takes at most {MAX_SEEDS} seeds, got {count}")
    out: list[int] = []
    seen: set[int] = set()
    for s in seeds:
        s = validate.seed(s, "seeds")
        if s in seen:
            raise ValueError(f"seed {s} appears twice in the sweep")
        seen.add(s)
        out.append(int(s))
    return out


def render_sweep(
    mood: str | Mood,
    seeds: range | Sequence[int],
    out_dir: str | os.PathLike[str],
    *,
    size: tuple[int, int] = (1920, 1080),
    style: str = "landscape",
    overrides: Mapping[str, Any] | None = None,
    jobs: int | None = None,
    executor: Executor | None = None,
    contact_sheet: bool = False,
    progress: Progress | None = None,
) -> SweepReport:
    """Paint one mood with many seeds, ``{mood}-{seed}.png`` each, to choose from.

    Seeds in the names are zero-padded to the width of the largest seed of the sweep
    (``seething-007.png`` in a sweep up to 100), so that they sort in seed order.

    Each file is byte for byte ``wiktoria.paint(mood, size, seed, style, **overrides)``
    saved as PNG (scene embedded), whatever ``jobs``.

    Parameters
    ----------
    mood : str or Mood
        As :func:`wiktoria.paint`.
    seeds : str, range or sequence of int
        ``range(0, 100)`` or ``[1, 5, 9]``; at
        most :data:`MAX_SEEDS`, no repeats.
    out_dir : path
        Created if missing (its parent must exist; not named like a file, ``one.png``). Other
        files may be there, but a file
        this sweep would write over must be a Wiktoria PNG (a still carrying its scene, or a
        contact sheet), never anything else.
    size, style
        As :func:`wiktoria.paint` (default 1920x1080, landscape).
    overrides : mapping, optional
        Layer and composition parameters, ``{"land.octaves": 5}``.
    jobs, executor
        As :func:`render_frames`.
    contact_sheet : bool
        Also write ``contact-sheet.png``: every still as a thumbnail (at most 256 px, smaller
        for very large sweeps) in a grid, in seed order, labelled with its seed.
    progress : wiktoria.common.progress.Progress, optional
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
    if overrides is not None and not isinstance(overrides, Mapping):
        raise TypeError("overrides must be a mapping such as {'land.octaves': 5}, got "
                        f"{overrides!r}")
    over = dict(overrides or {})
    if jobs is not None:
        jobs = check_jobs(jobs)
    executor = check_executor(executor)
    check_progress(progress)
    if not isinstance(contact_sheet, bool):
        raise TypeError(f"contact_sheet must be True or False, got {contact_sheet!r}")
    first, resolved = build_scene(mood, size, seed_list[0], style, over)
    if executor is None:
        jobs = pool_workers(jobs, len(seed_list), first.size)
    else:
        check_memory(*first.size)
    label = first.mood.name
    stem = slug(label)
    width = len(str(max(seed_list)))  # zero-padded, so that the names sort as the seeds
    names = {s: f"{stem}-{s:0{width}d}.png" for s in seed_list}

    path, exists = prepare_folder(out_dir)
    if exists:
        targets = [names[s] for s in seed_list] + ([CONTACT_SHEET] if contact_sheet else [])
        for name in targets:
            p = path / name
            if not p.exists() and not p.is_symlink():
                continue
            header = png_text(p) if p.is_file() else None
            key = CONTACT_SHEET_KEY if name == CONTACT_SHEET else SCENE_KEY
            if header is None or header[0] != "PNG" or key not in header[1]:
                raise ValueError(f"output folder {str(path)!r} holds {name!r}, which is not a "
                                 "Wiktoria image; the sweep would overwrite it: move it away or "
                                 "choose another folder")
    make_folder(path, exists)

    def scene_of(seed: int) -> Scene:
        # build_scene(mood, size, seed, style, over): the canvas seed differs, and the
        # composition the planner chooses for it.
        return first.with_seed(seed, over)

    sheet = (ContactSheet(f"{label} \u00b7 {first.style} \u00b7 "
                           f"{first.size[0]}x{first.size[1]}", seed_list, first.size)
             if contact_sheet else None)
    started(progress, len(seed_list))
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
        workers = dispatch(executor, jobs, len(seed_list), still_png, tasks, write,
                            lambda s: f"seed {s}")
        sheet_path = None
        if sheet is not None:
            meta = sheet_meta(label, first.style, first.size, seed_list)
            sheet_path = atomic_write_bytes(path / CONTACT_SHEET, sheet.png_bytes(meta))
    except BaseException:
        remove(own_temps(path, wanted))
        unmake_folder(path, exists)
        raise
    return SweepReport(
        out_dir=path,
        written=tuple(path / names[s] for s in seed_list if s in written),
        seeds=tuple(seed_list),
        contact_sheet=sheet_path,
        seconds=time.perf_counter() - t0,
        workers=workers,
    )
