"""``wiktoria paint`` (a still, or a seed sweep) and ``wiktoria reproduce``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from wiktoria.cli.app import cli, reports
from wiktoria.cli.options import (
    MOOD_HELP,
    SIZE,
    complete_mood,
    complete_set,
    complete_style,
    encoder_options,
    is_sweep,
    parse_overrides,
    parse_seeds,
    worker_options,
)
from wiktoria.cli.progress import ProgressBar
from wiktoria.cli.scenes import STDOUT, check_dump, scene_from_options, write_dump
from wiktoria.common.atomicio import check_output_dir, together
from wiktoria.io.formats import default_filename, is_stream, still_format
from wiktoria.render.painting import Painting, paint_scene
from wiktoria.scene.styles import STYLES

__all__ = ["paint_to_file"]


def paint_to_file(
    *,
    mood: str | None = None,
    size: tuple[int, int] | None = None,
    seed: int | None = None,
    style: str | None = None,
    sets: list[str] | tuple[str, ...] = (),
    scene_file: str | os.PathLike[str] | None = None,
    output: str | os.PathLike[str] | None = None,
    dump_scene_to: str | os.PathLike[str] | None = None,
    svg: dict[str, Any] | None = None,
) -> tuple[Painting, Path, Path | None]:
    """What ``wiktoria paint`` does for one painting: build or load the scene, render, write.

    Explicit ``mood``/``size``/``seed``/``style`` override those of ``scene_file``. Without
    ``output`` the painting is written to ``{mood}-{seed}.png`` in the current folder, never
    over an existing file. Output folders are checked before rendering. ``output`` ``-``
    writes the PNG to standard output; a FIFO, ``/dev/stdout`` or another character device
    is written through (a PNG when it has no extension). The image and the dump are
    committed together: if the dump cannot be written, no image is left either. ``svg``:
    the options of an ``.svg`` output (``page``, ``margin_mm``, ``pens``), refused for others.

    Returns
    -------
    (Painting, Path, Path or None)
        The painting, the image path and the scene path (when ``dump_scene_to`` is given).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p, path, _ = paint_to_file(mood="serene", size=(32, 16), seed=2,
    ...                                output=pathlib.Path(d) / "s.png")
    ...     path.name, p.scene.seed
    ('s.png', 2)
    """
    overrides = parse_overrides(list(sets))
    to_stdout = output is not None and str(output) == STDOUT
    svg = {k: v for k, v in (svg or {}).items() if v is not None}
    if output is not None and not to_stdout:
        still_format(output)
        check_output_dir(output)
    if svg:
        if output is None or to_stdout or still_format(output) != "SVG":
            raise ValueError("--pens, --page and --margin are for an SVG: -o FILE.svg")
        from wiktoria.io.svg import check_svg_options

        check_svg_options(**{"page": "a4", **svg})
    check_dump(dump_scene_to, output)
    scene, resolved = scene_from_options(scene_file=scene_file, mood=mood, size=size, seed=seed,
                                         style=style, overrides=overrides,
                                         default_size=(1920, 1080))
    path = Path(output) if output is not None else default_filename(scene)
    check_dump(dump_scene_to, path)
    painting = paint_scene(scene, resolved)
    dumped = None
    with together():  # the image and the scene dump: both or neither
        if to_stdout:
            data = painting.png_bytes()
        else:
            painting.save(path, **svg)
        if dump_scene_to is not None and str(dump_scene_to) != STDOUT:
            dumped = write_dump(dump_scene_to, scene)
    if to_stdout:
        click.echo(data, nl=False)  # bytes go to the binary stream
    elif dump_scene_to is not None and str(dump_scene_to) == STDOUT:
        write_dump(dump_scene_to, scene)
    return painting, path, dumped


def _sweep(mood: str | None, size: tuple[int, int] | None, seeds: str, style: str | None,
           sets: tuple[str, ...], scene_file: str | None, dump: str | None,
           output: str | None, contact_sheet: bool, jobs: int | None, quiet: bool) -> None:
    from wiktoria.run.batch import render_sweep

    if scene_file is not None or dump is not None:
        raise ValueError("a seed sweep takes --mood/--size/--style/--set, not --scene or "
                         "--dump-scene")
    if output is None or output == STDOUT:
        raise ValueError("a seed sweep needs an output folder: -o FOLDER")
    with ProgressBar(label="paintings", quiet=quiet) as bar:
        report = render_sweep(mood or "seething", parse_seeds(seeds), output,
                              size=size or (1920, 1080), style=style or "landscape",
                              overrides=parse_overrides(sets), jobs=jobs,
                              contact_sheet=contact_sheet, progress=bar)
    click.echo(f"wrote {len(report.written)} paintings to {report.out_dir}")
    if report.contact_sheet is not None:
        click.echo(f"wrote {report.contact_sheet}")


@cli.command("paint")
@click.option("--mood", "-m", default=None, help=MOOD_HELP + "  [default: seething]",
              shell_complete=complete_mood)
@click.option("--size", type=SIZE, default=None, help="WIDTHxHEIGHT  [default: 1920x1080]")
@click.option("--seed", default=None, metavar="N|A..B|A,B,...",
              help="Seed; drawn and printed when omitted. A range (0..99) or list (1,5,9) "
                   "renders a sweep into the -o folder, in parallel.")
@click.option("--style", default=None, shell_complete=complete_style,
              help=f"{', '.join(STYLES)}  [default: landscape]")
@click.option("--set", "sets", multiple=True, metavar="LAYER.PARAM=VALUE",
              shell_complete=complete_set,
              help="Override a layer parameter (repeatable), e.g. --set strata.count=4.")
@click.option("--scene", "scene_file", type=click.Path(dir_okay=False), default=None,
              help="Render a scene file (.toml) or the scene inside a file Wiktoria wrote; "
                   "options given override its values.")
@click.option("--dump-scene", type=click.Path(dir_okay=False), default=None,
              help="Also write the scene of this render as TOML (- for standard output).")
@click.option("-o", "--output", type=click.Path(), default=None,
              help="Image file (.png, .jpg, .webp, .tif; .svg: the strokes, for a plotter), "
                   "or - for a PNG on standard "
                   "output  [default: MOOD-SEED.png, never overwriting]; a folder for a seed "
                   "sweep.")
@click.option("--contact-sheet", is_flag=True,
              help="With a seed sweep: also write contact-sheet.png, labelled by seed.")
@click.option("--pens", type=int, default=None, metavar="N",
              help="SVG: reduce the strokes' colours to N pens (one layer each)  [default: 6]")
@click.option("--page", default=None, metavar="a4|a3|letter|WxHmm",
              help="SVG: the page, turned to fit the canvas  [default: a4]")
@click.option("--margin", "margin_mm", type=float, default=None, metavar="MM",
              help="SVG: the margin round the drawing, in millimetres  [default: 10]")
@worker_options(" for a sweep")
@reports
def paint_cmd(mood: str | None, size: tuple[int, int] | None, seed: str | None,
              style: str | None, sets: tuple[str, ...], scene_file: str | None,
              dump_scene: str | None, output: str | None, contact_sheet: bool,
              pens: int | None, page: str | None, margin_mm: float | None,
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
      wiktoria paint --style lines -o plot.svg --pens 3 --page a3
    """
    svg = {"pens": pens, "page": page, "margin_mm": margin_mm}
    if is_sweep(seed):
        if any(v is not None for v in svg.values()):
            raise ValueError("a seed sweep writes PNGs: --pens, --page and --margin are for "
                             "one SVG")
        assert seed is not None
        _sweep(mood, size, seed, style, sets, scene_file, dump_scene, output, contact_sheet,
               jobs, quiet)
        return
    if contact_sheet:
        raise ValueError("--contact-sheet needs several seeds, e.g. --seed 0..99")
    value = None if seed is None else parse_seeds(seed)[0]
    painting, path, dumped = paint_to_file(mood=mood, size=size, seed=value, style=style,
                                           sets=sets, scene_file=scene_file, output=output,
                                           dump_scene_to=dump_scene, svg=svg)
    # with the image on standard output (-o -, /dev/stdout, a pipe), the reports go to stderr
    err = (output is not None and (output == STDOUT or is_stream(output))) or dump_scene == STDOUT
    if seed is None and scene_file is None:
        click.echo(f"seed: {painting.scene.seed}", err=err)
    click.echo(f"wrote {'standard output' if output == STDOUT else path}", err=err)
    if dumped is not None:
        click.echo(f"wrote {dumped}", err=err)


@cli.command("reproduce")
@click.argument("source", type=click.Path(dir_okay=False))
@click.argument("out", type=click.Path(dir_okay=False), required=False)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="Where to write the new render (or give it as OUT).")
@click.option("--frame", type=click.IntRange(0), default=None, metavar="N",
              help="Write frame N of an animated source as a still (.png, .jpg, .webp, .tif).")
@encoder_options(", as the source was written")
@worker_options(" for an animation")
@reports
def reproduce_cmd(source: str, out: str | None, output: str | None, frame: int | None,
                  dither: str | None, quality: int | None, jobs: int | None,
                  quiet: bool) -> None:
    """Render the scene a Wiktoria file carries again: the same pixels, the same frames.

    SOURCE is a PNG, JPEG, GIF, APNG, WebP, MP4 or SVG that Wiktoria wrote, or a scene
    .toml. An SVG written again as SVG keeps its page, margin and pens.

    \b
    An animated SOURCE (GIF, APNG, WebP, MP4, or a .toml with [loop]) renders the
    whole loop again: OUT is .gif, .png (APNG), .webp or .mp4. With --frame N,
    OUT is frame N as a still (.png, .jpg, .webp, .tif).
    A still SOURCE (a PNG or JPEG still, a frame of `wiktoria frames`, a .toml
    without [loop]) renders that still again: OUT is .png, .jpg, .webp or .tif.
    GIF dithering and WebP or MP4 quality are not recorded: give --dither/--quality again.

    \b
    Examples:
      wiktoria reproduce seething-1234.png -o copy.png
      wiktoria reproduce seething-1234.gif again.gif
      wiktoria reproduce seething-1234.gif --frame 12 -o frame12.png
      wiktoria reproduce scene.toml -o loop.mp4
    """
    from wiktoria.run.reproduce import reproduce

    if (out is None) == (output is None):
        raise click.UsageError("give the output once: as OUT or with -o")
    target = out if out is not None else output
    assert target is not None
    options = {k: v for k, v in (("dither", dither), ("quality", quality)) if v is not None}
    with ProgressBar(label="frames", quiet=quiet) as bar:
        path = reproduce(source, target, frame=frame, jobs=jobs, progress=bar, **options)
    click.echo(f"wrote {path}", err=is_stream(target))  # not into the image on /dev/stdout
