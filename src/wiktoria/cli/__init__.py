"""The ``wiktoria`` command: a thin click layer over the library.

Every command parses its options, calls one library function and reports. Errors from the
library (``ValueError``, ``TypeError``, ``OSError``) become a one-line message and exit
status 2, without a traceback.
"""

from __future__ import annotations

import functools
import os
import sys
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

import click

from wiktoria import __version__

F = TypeVar("F", bound=Callable[..., Any])


def friendly_errors(func: F) -> F:
    """Turn library errors into ``Error: ...`` on stderr and exit status 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (ValueError, TypeError, OSError, KeyError, LookupError, ImportError) as exc:
            message = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
            first = message.splitlines()[0] if message else type(exc).__name__
            click.echo(f"Error: {first}", err=True)
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


def parse_size(value: str) -> tuple[int, int]:
    """Parse ``WIDTHxHEIGHT`` (e.g. ``1920x1080``) into ``(width, height)``."""
    parts = value.lower().replace("×", "x").split("x")
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        raise click.BadParameter(f"{value!r} is not WIDTHxHEIGHT, e.g. 1920x1080")
    return int(parts[0]), int(parts[1])


class SizeType(click.ParamType):
    """click parameter type for ``WIDTHxHEIGHT``."""

    name = "WIDTHxHEIGHT"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, tuple):
            return value
        try:
            return parse_size(str(value))
        except click.BadParameter as exc:
            self.fail(exc.message, param, ctx)


SIZE = SizeType()


class OneLineErrorGroup(click.Group):
    """A click group whose usage errors are one line (``Error: ...``) with exit status 2."""

    def main(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        standalone = kwargs.pop("standalone_mode", True)
        if not standalone:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            rv = super().main(*args, standalone_mode=False, **kwargs)
        except click.UsageError as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":  # bare 'wiktoria': show the help
                click.echo(exc.format_message())
                sys.exit(0)
            hint = ""
            if exc.ctx is not None and not isinstance(exc, click.NoSuchOption):
                hint = f" (see '{exc.ctx.command_path} --help')"
            click.echo(f"Error: {exc.format_message()}{hint}", err=True)
            sys.exit(2)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("Aborted.", err=True)
            sys.exit(130)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(130)
        sys.exit(rv if isinstance(rv, int) else 0)


@click.group(cls=OneLineErrorGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="wiktoria")
def cli() -> None:
    """Wiktoria paints abstract landscapes that shift and writhe.

    \b
    Examples:
      wiktoria paint --mood seething
      wiktoria paint --mood 0.3,-0.5 --style flow -o calm.png
      wiktoria animate --mood seething -o seething.gif
      wiktoria frames --mood serene --frames 240 -o frames/
      wiktoria moods
      wiktoria reproduce seething-1234.png -o copy.png
    """


@cli.command("noise")
@click.option("--kind", type=click.Choice(["perlin", "simplex"]), default="simplex",
              show_default=True, help="Base noise.")
@click.option("--size", type=SIZE, default="512x512", show_default=True,
              help="WIDTHxHEIGHT in pixels.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the noise field.")
@click.option("--scale", type=float, default=96.0, show_default=True,
              help="Pixels per noise cell.")
@click.option("--octaves", type=int, default=6, show_default=True, help="Octaves of fBm.")
@click.option("--tile/--no-tile", default=False, show_default=True,
              help="Make the image tile seamlessly.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default="noise.png",
              show_default=True, help="PNG file to write.")
@friendly_errors
def noise_cmd(kind: str, size: tuple[int, int], seed: int, scale: float, octaves: int,
              tile: bool, output: str) -> None:
    """Write a greyscale fractal-noise PNG.

    \b
    Examples:
      wiktoria noise -o noise.png
      wiktoria noise --kind perlin --size 1024x512 --seed 7 --tile -o tile.png
    """
    from wiktoria.io.texture import save_noise_png

    path = save_noise_png(output, size=size, kind=kind, seed=seed, scale=scale,
                          octaves=octaves, tileable=tile)
    click.echo(f"wrote {path}")


def echo_warnings(func: F) -> F:
    """Show the library's warnings (a palette failing its checks, a shadowed mood) as
    ``Warning: ...`` lines on stderr."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                return func(*args, **kwargs)
            finally:
                for w in caught:
                    click.echo(f"Warning: {w.message}", err=True)

    return wrapper  # type: ignore[return-value]


def truecolor_terminal() -> bool:
    """Whether stdout is a terminal that announces 24-bit colour (``COLORTERM``)."""
    colorterm = os.environ.get("COLORTERM", "").lower()
    return colorterm in ("truecolor", "24bit") and sys.stdout.isatty()


MOOD_HELP = "Mood: a name or alias, a .toml mood file, or 'valence,arousal' such as 0.3,-0.5."


def one_mood(name: str | None, option: str | None) -> str:
    """The mood given either as the MOOD argument or with ``--mood``, exactly once."""
    if name is not None and option is not None:
        raise click.UsageError("give the mood once: as MOOD or with --mood")
    if name is None and option is None:
        raise click.UsageError("missing MOOD: a name, a .toml file or --mood VALENCE,AROUSAL")
    return name if name is not None else option  # type: ignore[return-value]


@cli.command("moods")
@click.option("--color/--no-color", "color", default=None,
              help="Colour strips [default: if the terminal supports true colour].")
@friendly_errors
@echo_warnings
def moods_cmd(color: bool | None) -> None:
    """List the moods: name, valence, arousal and colours.

    \b
    Examples:
      wiktoria moods
      wiktoria moods --no-color
    """
    from wiktoria.moods.registry import mood_table

    use_color = truecolor_terminal() if color is None else color
    click.echo(mood_table(color=use_color), nl=False, color=use_color)


@cli.group("palette", context_settings={"help_option_names": ["-h", "--help"]})
def palette_group() -> None:
    """Show, export and import mood palettes.

    \b
    Examples:
      wiktoria palette show seething -o ramp.png
      wiktoria palette export serene --format css
      wiktoria palette import https://coolors.co/264653-2a9d8f-e9c46a --name sea
    """


@palette_group.command("show", context_settings={"ignore_unknown_options": True})
@click.argument("name", metavar="MOOD", required=False)
@click.option("--mood", "mood_opt", metavar="MOOD", help=MOOD_HELP)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default="ramp.png",
              show_default=True, help="PNG file to write.")
@click.option("--width", type=click.IntRange(64, 8192), default=512, show_default=True,
              help="Image width in pixels.")
@friendly_errors
@echo_warnings
def palette_show_cmd(name: str | None, mood_opt: str | None, output: str, width: int) -> None:
    """Write a mood's ramp above Kovesi's sine-ramp test image as a PNG.

    \b
    Examples:
      wiktoria palette show seething -o ramp.png
      wiktoria palette show --mood 0.3,-0.5 -o between.png
    """
    from wiktoria.moods.registry import save_palette_png

    path = save_palette_png(one_mood(name, mood_opt), output, width=width)
    click.echo(f"wrote {path}")


@palette_group.command("export", context_settings={"ignore_unknown_options": True})
@click.argument("name", metavar="MOOD", required=False)
@click.option("--mood", "mood_opt", metavar="MOOD", help=MOOD_HELP)
@click.option("-f", "--format", "fmt", type=click.Choice(["gpl", "hex", "css"]), default="gpl",
              show_default=True, help="GIMP palette, lospec hex list or CSS gradient.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="File to write [default: stdout].")
@click.option("--samples", type=click.IntRange(2, 1024), default=None,
              help="Export this many evenly spaced colours instead of the stops.")
@friendly_errors
@echo_warnings
def palette_export_cmd(name: str | None, mood_opt: str | None, fmt: str, output: str | None,
                       samples: int | None) -> None:
    """Export a mood's palette as .gpl, .hex or a CSS gradient.

    \b
    Examples:
      wiktoria palette export serene --format css
      wiktoria palette export seething --format gpl -o seething.gpl
    """
    from wiktoria.moods.registry import export_palette

    text = export_palette(one_mood(name, mood_opt), fmt, output=output, samples=samples)
    if output is None:
        click.echo(text, nl=False)
    else:
        click.echo(f"wrote {output}")


@palette_group.command("import")
@click.argument("source", metavar="FILE_OR_URL")
@click.option("--name", required=True, help="Name of the new mood (also its file name).")
@click.option("--force", is_flag=True, help="Replace an existing mood file of that name.")
@click.option("--keep-order", is_flag=True,
              help="Keep the colours' order instead of sorting them dark to light.")
@friendly_errors
@echo_warnings
def palette_import_cmd(source: str, name: str, force: bool, keep_order: bool) -> None:
    """Turn a .gpl or .hex file or a coolors URL into a mood file in your palette folder.

    The folder is $WIKTORIA_PALETTES, else your config folder (e.g. ~/.config/wiktoria/palettes).
    Valence and arousal are estimated from the colours; edit the file to taste.

    \b
    Examples:
      wiktoria palette import https://coolors.co/264653-2a9d8f-e9c46a --name sea
      wiktoria palette import sunset.gpl --name sunset
    """
    from wiktoria.moods.registry import import_palette

    new = import_palette(source, name, overwrite=force, sort=not keep_order)
    click.echo(f"wrote {new.path} (valence {new.valence:+.2f}, arousal {new.arousal:+.2f}, "
               "estimated from the colours)")


@cli.command("paint")
@click.option("--mood", "-m", default=None, help=MOOD_HELP + "  [default: seething]")
@click.option("--size", type=SIZE, default=None, help="WIDTHxHEIGHT  [default: 1920x1080]")
@click.option("--seed", default=None, metavar="N|A..B|A,B,...",
              help="Seed; drawn and printed when omitted. A range (0..99) or list (1,5,9) "
                   "renders a sweep into the -o folder, in parallel.")
@click.option("--style", default=None,
              help="landscape, flow or marble  [default: landscape]")
@click.option("--set", "sets", multiple=True, metavar="LAYER.PARAM=VALUE",
              help="Override a layer parameter (repeatable), e.g. --set strata.count=4.")
@click.option("--scene", "scene_file", type=click.Path(dir_okay=False), default=None,
              help="Render a scene file (.toml) or the scene inside a Wiktoria PNG.")
@click.option("--dump-scene", type=click.Path(dir_okay=False), default=None,
              help="Also write the scene of this render as TOML.")
@click.option("-o", "--output", type=click.Path(), default=None,
              help="Image file (.png, .jpg, .webp, .tif)  [default: MOOD-SEED.png, never "
                   "overwriting]; a folder for a seed sweep.")
@click.option("--contact-sheet", is_flag=True,
              help="With a seed sweep: also write contact-sheet.png, labelled by seed.")
@click.option("--jobs", "-j", type=int, default=None,
              help="Worker processes for a sweep  [default: all cores]")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@friendly_errors
@echo_warnings
def paint_cmd(mood: str | None, size: tuple[int, int] | None, seed: str | None,
              style: str | None, sets: tuple[str, ...], scene_file: str | None,
              dump_scene: str | None, output: str | None, contact_sheet: bool,
              jobs: int | None, quiet: bool) -> None:
    """Paint a mood as an abstract landscape.

    The PNG carries its whole scene: `wiktoria reproduce` renders it again.

    \b
    Examples:
      wiktoria paint --mood seething
      wiktoria paint --mood serene --size 3840x2160 --seed 7 -o serene.png
      wiktoria paint --mood 0.3,-0.5 --style flow --set strokes.curl=0.9
      wiktoria paint --scene scene.toml --dump-scene again.toml
      wiktoria paint --mood seething --seed 0..99 -o sweep/ --contact-sheet
    """
    from wiktoria.cli.commands import paint_command
    from wiktoria.cli.progress import ProgressBar

    with ProgressBar(label="paintings", quiet=quiet) as bar:
        kind, result = paint_command(mood=mood, size=size, seed=seed, style=style, sets=sets,
                                     scene_file=scene_file, output=output,
                                     dump_scene=dump_scene, contact_sheet=contact_sheet,
                                     jobs=jobs, progress=bar)
    if kind == "sweep":
        click.echo(f"wrote {len(result.written)} paintings to {result.out_dir}")
        if result.contact_sheet is not None:
            click.echo(f"wrote {result.contact_sheet}")
        return
    painting, path, dumped = result
    if seed is None and scene_file is None:
        click.echo(f"seed: {painting.scene.seed}")
    click.echo(f"wrote {path}")
    if dumped is not None:
        click.echo(f"wrote {dumped}")


def loop_options(func: Any) -> Any:
    """Options shared by ``animate`` and ``frames``."""
    options = [
        click.option("--mood", "-m", default="seething", show_default=True, help=MOOD_HELP),
        click.option("--to", default=None, metavar="MOOD",
                     help="Move palette and motion to this mood across the loop."),
        click.option("--pingpong/--one-way", default=True, show_default=True,
                     help="With --to: there and back (still loops), or one way."),
        click.option("--frames", "-n", type=int, default=48, show_default=True,
                     help="Frames in the loop."),
        click.option("--fps", type=float, default=24.0, show_default=True,
                     help="Frames per second (at most 100)."),
        click.option("--size", type=SIZE, default="512x512", show_default=True,
                     help="WIDTHxHEIGHT"),
        click.option("--seed", type=click.IntRange(0, 2**63 - 1), default=None,
                     help="Seed; drawn and printed when omitted."),
        click.option("--style", default="landscape", show_default=True,
                     help="landscape, flow or marble"),
        click.option("--set", "sets", multiple=True, metavar="LAYER.PARAM=VALUE",
                     help="Override a layer parameter (repeatable)."),
        click.option("--jobs", "-j", type=int, default=None,
                     help="Worker processes  [default: all cores]"),
        click.option("--quiet", "-q", is_flag=True, help="No progress bar."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@cli.command("animate")
@loop_options
@click.option("--dither", type=click.Choice(["none", "ordered", "floyd"]), default=None,
              help="GIF dithering  [default: none]")
@click.option("--quality", type=int, default=None,
              help="WebP: lossy quality 1-100  [default: lossless]")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help=".gif, .png (APNG), .webp or .mp4  [default: MOOD-SEED.gif]")
@friendly_errors
@echo_warnings
def animate_cmd(mood: str, to: str | None, pingpong: bool, frames: int, fps: float,
                size: tuple[int, int], seed: int | None, style: str, sets: tuple[str, ...],
                jobs: int | None, quiet: bool, dither: str | None, quality: int | None,
                output: str | None) -> None:
    """Render a seamless loop: the landscape writhes, and frame N is frame 0.

    \b
    Examples:
      wiktoria animate --mood seething -o seething.gif
      wiktoria animate --mood serene --frames 96 --fps 24 --size 720x405 -o serene.webp
      wiktoria animate --mood seething --to serene -o turn.gif
      wiktoria animate --mood electric --style flow -o electric.mp4
    """
    from wiktoria.cli.commands import animate_to_file
    from wiktoria.cli.progress import ProgressBar

    with ProgressBar(label="frames", quiet=quiet) as bar:
        anim, path = animate_to_file(mood=mood, to=to, pingpong=pingpong, frames=frames,
                                     fps=fps, size=size, seed=seed, style=style, sets=sets,
                                     output=output, dither=dither, quality=quality,
                                     jobs=jobs, progress=bar)
    if seed is None:
        click.echo(f"seed: {anim.scene.seed}")
    click.echo(f"wrote {path}")


@cli.command("frames")
@loop_options
@click.option("--start", type=int, default=None, help="First frame to render  [default: 0]")
@click.option("--stop", type=int, default=None,
              help="Frame to stop before  [default: the frame count]")
@click.option("--resume", is_flag=True,
              help="Keep frames already complete in the folder; re-render broken ones.")
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
@friendly_errors
@echo_warnings
def frames_cmd(mood: str, to: str | None, pingpong: bool, frames: int, fps: float,
               size: tuple[int, int], seed: int | None, style: str, sets: tuple[str, ...],
               jobs: int | None, quiet: bool, start: int | None, stop: int | None,
               resume: bool, pattern: str | None, output: str, scheduler: str | None,
               write_on_workers: bool, connect_timeout: float | None) -> None:
    """Write a loop as numbered PNG frames, each carrying its scene and frame index.

    \b
    Examples:
      wiktoria frames --mood seething --frames 240 -o frames/
      wiktoria frames --mood seething --frames 240 --seed 7 --start 0 --stop 120 -o frames/
      wiktoria frames --mood seething --frames 240 --seed 7 --resume -o frames/
      wiktoria frames --mood seething --frames 240 --seed 7 \\
          --scheduler tcp://head:8786 --write-on-workers -o /shared/frames/
    """
    from wiktoria.cli.commands import frames_to_folder
    from wiktoria.cli.progress import ProgressBar

    with ProgressBar(label="frames", quiet=quiet) as bar:
        anim, report = frames_to_folder(mood=mood, to=to, pingpong=pingpong, frames=frames,
                                        fps=fps, size=size, seed=seed, style=style, sets=sets,
                                        output=output, start=start, stop=stop,
                                        pattern=pattern, resume=resume, jobs=jobs,
                                        progress=bar, scheduler=scheduler or None,
                                        write_on_workers=write_on_workers,
                                        connect_timeout=connect_timeout)
    if seed is None:
        click.echo(f"seed: {anim.scene.seed}")
    click.echo(f"wrote {len(report.written)} frames to {report.out_dir}"
               + (f" ({len(report.skipped)} already complete)" if report.skipped else ""))


@cli.command("reproduce")
@click.argument("source", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True,
              help="Where to write the new render.")
@friendly_errors
@echo_warnings
def reproduce_cmd(source: str, output: str) -> None:
    """Render the scene embedded in a Wiktoria PNG again, pixel for pixel.

    \b
    Examples:
      wiktoria reproduce seething-1234.png -o copy.png
    """
    from wiktoria.render.painting import reproduce

    reproduce(source, output)
    click.echo(f"wrote {output}")


def main(args: list[str] | None = None, prog_name: str | None = None) -> None:
    """Entry point of the ``wiktoria`` console script."""
    cli.main(args=args, prog_name=prog_name or "wiktoria")
