"""The library side of the ``animate`` and ``frames`` commands and of seed sweeps.

Each function does what one CLI command does (build the animation, render, write, report), so
``cli.py`` stays a thin layer that parses options, calls one of these and prints the result.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from wiktoria.io.encode import EXTENSIONS as ANIMATION_FORMATS
from wiktoria.motion.animation import Animation, animate
from wiktoria.render.painting import default_filename, paint_to_file, parse_overrides
from wiktoria.run.batch import FramesReport, SweepReport, parse_seeds, render_frames, render_sweep

__all__ = ["animate_to_file", "frames_to_folder", "paint_command"]


def _animation(mood: str, to: str | None, pingpong: bool, frames: int, fps: float,
               size: tuple[int, int], seed: int | None, style: str,
               sets: tuple[str, ...] | list[str]) -> Animation:
    return animate(mood, size=size, frames=frames, fps=fps, seed=seed, style=style, to=to,
                   pingpong=pingpong, **parse_overrides(list(sets)))


def animate_to_file(
    *,
    mood: str = "seething",
    to: str | None = None,
    pingpong: bool = True,
    frames: int = 48,
    fps: float = 24,
    size: tuple[int, int] = (512, 512),
    seed: int | None = None,
    style: str = "landscape",
    sets: tuple[str, ...] | list[str] = (),
    output: str | os.PathLike[str] | None = None,
    dither: str | None = None,
    quality: int | None = None,
    jobs: int | None = None,
    progress: Any = None,
) -> tuple[Animation, Path]:
    """What ``wiktoria animate`` does: a seamless loop written as GIF, APNG, WebP or MP4.

    Without ``output`` the loop goes to ``{mood}-{seed}.gif`` in the current folder, never
    over an existing file. The output's extension and folder are checked before rendering.
    """
    from wiktoria.common.atomicio import check_output_dir
    from wiktoria.run.batch import write_loop

    if output is not None:
        ext = Path(output).suffix.lower()
        if ext not in ANIMATION_FORMATS:
            raise ValueError(f"cannot write an animation to {str(output)!r}: unknown extension "
                             f"{ext!r}; valid: {', '.join(ANIMATION_FORMATS)}")
        check_output_dir(output)
    anim = _animation(mood, to, pingpong, frames, fps, size, seed, style, sets)
    path = Path(output) if output is not None else default_filename(anim.scene, ext=".gif")
    options: dict[str, Any] = {}
    if dither is not None:
        options["dither"] = dither
    if quality is not None:
        options["quality"] = quality
    write_loop(anim, path, jobs=jobs, progress=progress, **options)
    return anim, path


def frames_to_folder(
    *,
    mood: str = "seething",
    to: str | None = None,
    pingpong: bool = True,
    frames: int = 48,
    fps: float = 24,
    size: tuple[int, int] = (512, 512),
    seed: int | None = None,
    style: str = "landscape",
    sets: tuple[str, ...] | list[str] = (),
    output: str | os.PathLike[str] = "frames",
    start: int | None = None,
    stop: int | None = None,
    pattern: str | None = None,
    resume: bool = False,
    jobs: int | None = None,
    progress: Any = None,
    scheduler: str | None = None,
    write_on_workers: bool = False,
    connect_timeout: float | None = None,
) -> tuple[Animation, FramesReport]:
    """What ``wiktoria frames`` does: numbered PNG frames of a loop, each carrying its scene.

    ``start``/``stop`` select a slice of the loop (so a batch can be split across jobs);
    ``resume`` keeps complete frames already written. ``scheduler`` (``tcp://host:8786``)
    renders on that Dask cluster (the ``distributed`` extra), waiting at most
    ``connect_timeout`` seconds (default 10) for it; ``write_on_workers`` has the workers
    write the frames into the (shared) folder themselves.
    """
    anim = _animation(mood, to, pingpong, frames, fps, size, seed, style, sets)
    n = len(anim)
    lo = 0 if start is None else start
    hi = n if stop is None else stop
    for name, value in (("--start", lo), ("--stop", hi)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{name} must be a frame number, got {value!r}")
    if not 0 <= lo < n:
        raise ValueError(f"--start must be from 0 to {n - 1} (the loop has {n} frames), got {lo}")
    if not lo < hi <= n:
        raise ValueError(f"--stop must be from {lo + 1} to {n} (after --start {lo}), got {hi}")
    options: dict[str, Any] = {}
    if pattern is not None:
        options["pattern"] = pattern
    if scheduler is None:
        if connect_timeout is not None:
            raise ValueError("--connect-timeout needs --scheduler (or DASK_SCHEDULER_ADDRESS)")
        report = render_frames(anim, output, frames=range(lo, hi), resume=resume, jobs=jobs,
                               progress=progress, write_on_workers=write_on_workers, **options)
        return anim, report
    from wiktoria.run.cluster import DEFAULT_CONNECT_TIMEOUT, connect

    timeout = DEFAULT_CONNECT_TIMEOUT if connect_timeout is None else connect_timeout
    with connect(scheduler, timeout=timeout) as client:
        report = render_frames(anim, output, frames=range(lo, hi), resume=resume, jobs=jobs,
                               progress=progress, write_on_workers=write_on_workers,
                               executor=client, **options)
    return anim, report


def paint_command(
    *,
    mood: str | None = None,
    size: tuple[int, int] | None = None,
    seed: str | None = None,
    style: str | None = None,
    sets: tuple[str, ...] | list[str] = (),
    scene_file: str | os.PathLike[str] | None = None,
    output: str | os.PathLike[str] | None = None,
    dump_scene: str | os.PathLike[str] | None = None,
    contact_sheet: bool = False,
    jobs: int | None = None,
    progress: Any = None,
) -> tuple[str, Any]:
    """What ``wiktoria paint`` does: one painting, or a seed sweep when ``seed`` is a range
    (``"0..99"``) or a list (``"1,5,9"``).

    Returns
    -------
    ("still", (Painting, Path, Path or None)) or ("sweep", SweepReport)
    """
    seeds = parse_seeds(seed) if seed is not None else None
    sweep = seed is not None and (".." in seed or "," in seed)
    if not sweep:
        if contact_sheet:
            raise ValueError("--contact-sheet needs several seeds, e.g. --seed 0..99")
        value = None if seeds is None else next(iter(seeds))
        return "still", paint_to_file(mood=mood, size=size, seed=value, style=style, sets=sets,
                                      scene_file=scene_file, output=output,
                                      dump_scene=dump_scene)
    if scene_file is not None or dump_scene is not None:
        raise ValueError("a seed sweep takes --mood/--size/--style/--set, not --scene or "
                         "--dump-scene")
    if output is None:
        raise ValueError("a seed sweep needs an output folder: -o FOLDER")
    report: SweepReport = render_sweep(
        mood or "seething", seeds, output, size=size or (1920, 1080),
        style=style or "landscape", overrides=list(sets), jobs=jobs,
        contact_sheet=contact_sheet, progress=progress)
    return "sweep", report
