"""``wiktoria noise``: a greyscale fractal-noise PNG."""

from __future__ import annotations

import click

from wiktoria.cli.app import cli, friendly_errors
from wiktoria.cli.options import SIZE

__all__ = ["noise_cmd"]


@cli.command("noise")
@click.option("--kind", type=click.Choice(["perlin", "simplex"]), default="simplex",
              show_default=True, help="Base noise.")
@click.option("--size", type=SIZE, default="512x512", show_default=True,
              help="WIDTHxHEIGHT in pixels.")
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), default=0, show_default=True,
              help="Seed of the noise field, 0 to 2**63-1.")
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
