"""``wiktoria animate`` (one animation file) and ``wiktoria frames`` (a folder of PNG frames)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from wiktoria.cli.app import cli, reports
from wiktoria.cli.options import (
    MOOD_HELP,
    SIZE,
    complete_mood,
    complete_set,
    complete_style,
    encoder_options,
    parse_overrides,
    worker_options,
)
from wiktoria.cli.progress import ProgressBar
from wiktoria.cli.scenes import check_dump, scene_from_options, write_dump
from wiktoria.scene.styles import STYLES

if TYPE_CHECKING:
    from wiktoria.motion.animation import Animation

__all__ = ["loop_animation"]


def loop_animation(*, scene_file: str | None, mood: str | None, to: str | None,
                   pingpong: bool | None, frames: int | None, fps: float | None,
                   size: tuple[int, int] | None, seed: int | None, style: str | None,
                   sets: tuple[str, ...] | list[str],
                   duration: float | None = None) -> Animation:
    """The loop ``animate`` and ``frames`` render: built from the options (``None``: the
    default), or read from ``scene_file`` with the options given over its values.

    ``--frames`` and ``--duration`` together are a usage error (exit 2); with neither, a new
    loop lasts a time in its mood's duration range chosen by the seed, and a scene file's loop
    keeps its frame count.

    Examples
    --------
    >>> anim = loop_animation(scene_file=None, mood="serene", to=None, pingpong=None,
    ...                       frames=4, fps=None, size=(16, 8), seed=1, style=None, sets=())
    >>> len(anim), anim.fps
    (4, 24.0)
    """
    from wiktoria.motion.animation import animate, animation_from_scene, with_loop

    if frames is not None and duration is not None:
        raise click.UsageError(f"give --frames or --duration, not both (got --frames {frames} "
                               f"and --duration {duration:g})")
    overrides = parse_overrides(list(sets))
    if scene_file is None:
        return animate(mood or "seething", size=size or (512, 512), frames=frames,
                       fps=24 if fps is None else fps, duration=duration,
                       seed=seed, style=style or "landscape", to=to,
                       pingpong=True if pingpong is None else pingpong, **overrides)
    scene, resolved = scene_from_options(scene_file=scene_file, mood=mood, size=size, seed=seed,
                                         style=style, overrides=overrides,
                                         default_size=(512, 512))
    scene = with_loop(scene, frames=frames, fps=fps, to=to, pingpong=pingpong,
                      duration=duration)
    return animation_from_scene(scene, resolved)


def loop_options(func: Any) -> Any:
    """Options shared by ``animate`` and ``frames``."""
    options = [
        click.option("--mood", "-m", default=None, help=MOOD_HELP + "  [default: seething]",
                     shell_complete=complete_mood),
        click.option("--to", default=None, metavar="MOOD", shell_complete=complete_mood,
                     help="Move palette and motion to this mood across the loop."),
        click.option("--pingpong/--one-way", default=None,
                     help="With --to: there and back (still loops), or one way  "
                          "[default: pingpong]"),
        click.option("--frames", "-n", type=int, default=None,
                     help="Frames in the loop  [default: from the duration]"),
        click.option("--duration", "-d", type=click.FloatRange(0, min_open=True), default=None,
                     metavar="SECONDS",
                     help="Seconds of one loop, instead of --frames: round(SECONDS x fps) "
                          "frames  [default: the mood's duration range, chosen by the seed]"),
        click.option("--fps", type=float, default=None,
                     help="Frames per second, at most 100  [default: 24]"),
        click.option("--size", type=SIZE, default=None, help="WIDTHxHEIGHT  [default: 512x512]"),
        click.option("--seed", type=click.IntRange(0, 2**63 - 1), default=None,
                     help="Seed; drawn and printed when omitted."),
        click.option("--style", default=None, shell_complete=complete_style,
                     help=f"{', '.join(STYLES)}  [default: landscape]"),
        click.option("--set", "sets", multiple=True, metavar="LAYER.PARAM=VALUE",
                     shell_complete=complete_set,
                     help="Override a layer parameter (repeatable)."),
        click.option("--scene", "scene_file", type=click.Path(dir_okay=False), default=None,
                     help="Start from a scene file (.toml) or the scene inside a file Wiktoria "
                          "wrote (PNG, GIF, WebP, MP4); options given override its values."),
        click.option("--dump-scene", type=click.Path(dir_okay=False), default=None,
                     help="Also write the scene of this loop (with its [loop]) as TOML."),
        worker_options(""),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _report_seed(seed: int | None, scene_file: str | None, anim: Animation) -> None:
    if seed is None and scene_file is None:
        click.echo(f"seed: {anim.scene.seed}")


@cli.command("animate")
@loop_options
@encoder_options()
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help=".gif, .png (APNG), .webp or .mp4  [default: MOOD-SEED.gif]")
@reports
def animate_cmd(mood: str | None, to: str | None, pingpong: bool | None, frames: int | None,
                duration: float | None, fps: float | None, size: tuple[int, int] | None,
                seed: int | None,
                style: str | None, sets: tuple[str, ...], scene_file: str | None,
                dump_scene: str | None, jobs: int | None, quiet: bool, dither: str | None,
                quality: int | None, output: str | None) -> None:
    """Render a seamless loop: the landscape writhes, and frame N is frame 0.

    \b
    Examples:
      wiktoria animate --mood seething -o seething.gif
      wiktoria animate --mood serene --frames 96 --fps 24 --size 720x405 -o serene.webp
      wiktoria animate --mood serene --duration 15 --fps 12 -o serene.gif
      wiktoria animate --mood seething --to serene -o turn.gif
      wiktoria animate --mood electric --style flow -o electric.mp4
      wiktoria animate --scene seething-1234.gif --size 1280x720 -o big.mp4
    """
    from wiktoria.common.atomicio import check_output_dir, together
    from wiktoria.io.formats import animation_format, default_filename, is_stream
    from wiktoria.run.batch import write_loop

    if output is not None:
        animation_format(output)
        check_output_dir(output)
    check_dump(dump_scene, output)
    anim = loop_animation(scene_file=scene_file, mood=mood, to=to, pingpong=pingpong,
                          frames=frames, fps=fps, size=size, seed=seed, style=style, sets=sets,
                          duration=duration)
    path = Path(output) if output is not None else default_filename(anim.scene, ext=".gif")
    options = {k: v for k, v in (("dither", dither), ("quality", quality)) if v is not None}
    # the loop and the dump: both or neither
    with together(), ProgressBar(label="frames", quiet=quiet) as bar:
        write_loop(anim, path, jobs=jobs, progress=bar, **options)
        dumped = write_dump(dump_scene, anim.scene)
    to_stderr = is_stream(path)  # the image went to a stream: keep it clean
    _report_seed(seed, scene_file, anim)
    click.echo(f"wrote {path}", err=to_stderr)
    if dumped is not None:
        click.echo(f"wrote {dumped}", err=to_stderr)


def _frame_range(start: int | None, stop: int | None, n: int) -> range:
    lo = 0 if start is None else start
    hi = n if stop is None else stop
    if not 0 <= lo < n:
        raise ValueError(f"--start must be from 0 to {n - 1} (the loop has {n} frames), got {lo}")
    if not lo < hi <= n:
        raise ValueError(f"--stop must be from {lo + 1} to {n} (after --start {lo}), got {hi}")
    return range(lo, hi)


@cli.command("frames")
@loop_options
@click.option("--start", type=int, default=None, help="First frame to render  [default: 0]")
@click.option("--stop", type=int, default=None,
              help="Frame to stop before  [default: the frame count]")
@click.option("--resume", is_flag=True,
              help="Keep frames already complete in the folder; re-render broken ones.")
@click.option("--overwrite", is_flag=True,
              help="Render over frames of another scene in the folder (refused otherwise).")
@click.option("--pattern", default=None,
              help="File names, e.g. frame_{index:05d}.png or f_####.png")
@click.option("-o", "--output", type=click.Path(file_okay=False), required=True,
              help="Folder of frames (created if missing).")
@click.option("--scheduler", default=None, envvar="DASK_SCHEDULER_ADDRESS",
              metavar="tcp://HOST:PORT",
              help="Render on this Dask cluster (extra 'distributed'; env "
                   "DASK_SCHEDULER_ADDRESS).")
@click.option("--write-on-workers", is_flag=True,
              help="Workers write the frames into the folder, which every machine shares.")
@click.option("--connect-timeout", type=click.FloatRange(0, 3600, min_open=True), default=None,
              metavar="SECONDS", help="Wait this long for the scheduler  [default: 10]")
@reports
def frames_cmd(mood: str | None, to: str | None, pingpong: bool | None, frames: int | None,
               duration: float | None, fps: float | None, size: tuple[int, int] | None,
               seed: int | None,
               style: str | None, sets: tuple[str, ...], scene_file: str | None,
               dump_scene: str | None, jobs: int | None, quiet: bool, start: int | None,
               stop: int | None, resume: bool, overwrite: bool, pattern: str | None,
               output: str,
               scheduler: str | None, write_on_workers: bool,
               connect_timeout: float | None) -> None:
    """Write a loop as numbered PNG frames, each carrying its scene and frame index.

    \b
    Examples:
      wiktoria frames --mood seething --frames 240 -o frames/
      wiktoria frames --mood seething --frames 240 --seed 7 --start 0 --stop 120 -o frames/
      wiktoria frames --mood seething --frames 240 --seed 7 --resume -o frames/
      wiktoria frames --mood serene --frames 240 --seed 7 --overwrite -o frames/
      wiktoria frames --scene loop.toml --dump-scene used.toml -o frames/
      wiktoria frames --mood seething --frames 240 --seed 7 \\
          --scheduler tcp://head:8786 --write-on-workers -o /shared/frames/
    """
    import contextlib

    from wiktoria.run.batch import MixedFolderError, render_frames

    if resume and overwrite:
        raise click.UsageError("give --resume or --overwrite, not both")
    scheduler = scheduler or None
    if scheduler is None and connect_timeout is not None:
        raise ValueError("--connect-timeout needs --scheduler (or DASK_SCHEDULER_ADDRESS)")
    if output == "-":
        raise ValueError("frames are written to a folder, not to standard output; give -o DIR")
    check_dump(dump_scene, output)
    if dump_scene is not None and str(dump_scene) != "-" and Path(dump_scene).resolve(
            ).parent == Path(output).resolve():
        raise ValueError(f"--dump-scene {str(dump_scene)!r} is inside the frames folder "
                         f"{str(output)!r}; give the scene a place of its own")
    anim = loop_animation(scene_file=scene_file, mood=mood, to=to, pingpong=pingpong,
                          frames=frames, fps=fps, size=size, seed=seed, style=style, sets=sets,
                          duration=duration)
    selection = _frame_range(start, stop, len(anim))
    options: dict[str, Any] = {} if pattern is None else {"pattern": pattern}
    with contextlib.ExitStack() as stack:
        if scheduler is not None:
            from wiktoria.run.cluster import DEFAULT_CONNECT_TIMEOUT, connect

            timeout = DEFAULT_CONNECT_TIMEOUT if connect_timeout is None else connect_timeout
            options["executor"] = stack.enter_context(connect(scheduler, timeout=timeout))
        bar = stack.enter_context(ProgressBar(label="frames", quiet=quiet))
        try:
            report = render_frames(anim, output, frames=selection, resume=resume,
                                   overwrite=overwrite, jobs=jobs, progress=bar,
                                   write_on_workers=write_on_workers, **options)
        except MixedFolderError as exc:
            raise ValueError(f"{exc.detail}; --resume keeps the complete frames of this loop "
                             "and renders the others over, --overwrite renders over them; or "
                             "choose another folder") from None
    dumped = write_dump(dump_scene, anim.scene)
    _report_seed(seed, scene_file, anim)
    click.echo(f"wrote {len(report.written)} frames to {report.out_dir}"
               + (f" ({len(report.skipped)} already complete)" if report.skipped else ""))
    if dumped is not None:
        click.echo(f"wrote {dumped}")
