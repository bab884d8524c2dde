"""``wiktoria encode``: a folder of frames written by ``wiktoria frames`` into one animation."""

from __future__ import annotations

from pathlib import Path

import click

from wiktoria.cli.app import cli, reports
from wiktoria.cli.options import encoder_options
from wiktoria.cli.progress import ProgressBar

__all__: list[str] = []

_ADVICE = {"resume": "render them with wiktoria frames --resume (same options)",
           "pattern": "give the --pattern they were written with"}


@cli.command("encode")
@click.argument("frames_dir", metavar="FRAMES_DIR", type=click.Path(file_okay=False))
@encoder_options()
@click.option("--pattern", default=None,
              help="File names of the frames, as given to wiktoria frames  "
                   "[default: frame_{index:05d}.png]")
@click.option("-o", "--output", type=click.Path(dir_okay=False), required=True,
              help=".gif, .png (APNG), .webp or .mp4")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@reports
def encode_cmd(frames_dir: str, dither: str | None, quality: int | None, pattern: str | None,
               output: str, quiet: bool) -> None:
    """Encode the frames of FRAMES_DIR (written by 'wiktoria frames') into one animation.

    The frames carry their scene: the frame count and rate come from them, and the file embeds
    the scene like 'wiktoria animate' does (the same bytes, for the same options), so
    'wiktoria reproduce' reads it. Missing frames, frames of another scene and foreign files
    are refused before anything is written.

    \b
    Examples:
      wiktoria frames --mood serene --frames 240 --seed 7 -o frames/
      wiktoria frames --mood serene --frames 240 --seed 7 --resume -o frames/
      wiktoria encode frames/ -o serene.mp4
      wiktoria encode frames/ --quality 90 -o serene.webp
    """
    from wiktoria.io.formats import is_stream
    from wiktoria.run.assemble import FramesFolderError, encode_frames

    options = {k: v for k, v in (("dither", dither), ("quality", quality),
                                 ("pattern", pattern)) if v is not None}
    try:
        with ProgressBar(label="frames", quiet=quiet) as bar:
            path = encode_frames(frames_dir, output, progress=bar, **options)
    except FramesFolderError as exc:
        raise ValueError(f"{exc.detail}; {_ADVICE[exc.fix]}") from None
    click.echo(f"wrote {Path(path)}", err=is_stream(path))
