"""``wiktoria moods`` and ``wiktoria palette show|export|import``, and the terminal table of
moods."""

from __future__ import annotations

import os
import sys

import click
import numpy as np

from wiktoria.cli.app import cli, reports
from wiktoria.cli.options import MOOD_HELP, complete_mood, one_mood

__all__ = ["mood_table", "truecolor_terminal"]


def truecolor_terminal() -> bool:
    """Whether stdout is a terminal that announces 24-bit colour (``COLORTERM``)."""
    colorterm = os.environ.get("COLORTERM", "").lower()
    return colorterm in ("truecolor", "24bit") and sys.stdout.isatty()


def mood_table(*, color: bool = False, width: int = 24) -> str:
    """A table of all moods: name, valence, arousal and a colour strip.

    With ``color`` the strip is ``width`` cells of 24-bit ANSI background colour; without, it
    is five hex colours sampled along the ramp. User moods are marked ``(user)``.

    Examples
    --------
    >>> mood_table().splitlines()[0]
    'name           valence  arousal  colours'
    """
    from wiktoria.moods import all_moods
    from wiktoria.moods.userdirs import shipped_palette_dir

    shipped = shipped_palette_dir().resolve()
    rows = ["name           valence  arousal  colours"]
    for m in all_moods():
        if color:
            cells = m.palette(np.linspace(0.0, 1.0, width))
            strip = "".join(f"\x1b[48;2;{r};{g};{b}m " for r, g, b in cells.tolist()) + "\x1b[0m"
        else:
            strip = " ".join(m.palette.sample_hexes(5))
        user = m.path is not None and m.path.resolve().parent != shipped
        rows.append(
            f"{m.name:<14} {m.valence:+7.2f}  {m.arousal:+7.2f}  {strip}"
            + ("  (user)" if user else "")
        )
    return "\n".join(rows) + "\n"


@cli.command("moods")
@click.option("--color/--no-color", "color", default=None,
              help="Colour strips [default: if the terminal supports true colour].")
@reports
def moods_cmd(color: bool | None) -> None:
    """List the moods: name, valence, arousal and colours.

    \b
    Examples:
      wiktoria moods
      wiktoria moods --no-color
    """
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


def _mood_argument(func: object) -> object:
    func = click.option("--mood", "mood_opt", metavar="MOOD", help=MOOD_HELP,
                        shell_complete=complete_mood)(func)  # type: ignore[arg-type]
    return click.argument("name", metavar="MOOD", required=False,
                          shell_complete=complete_mood)(func)


@palette_group.command("show", context_settings={"ignore_unknown_options": True})
@_mood_argument
@click.option("-o", "--output", type=click.Path(dir_okay=False), default="ramp.png",
              show_default=True, help="PNG file to write.")
@click.option("--width", type=click.IntRange(64, 8192), default=512, show_default=True,
              help="Image width in pixels.")
@reports
def palette_show_cmd(name: str | None, mood_opt: str | None, output: str, width: int) -> None:
    """Write a mood's ramp above Kovesi's sine-ramp test image as a PNG.

    \b
    Examples:
      wiktoria palette show seething -o ramp.png
      wiktoria palette show --mood 0.3,-0.5 -o between.png
    """
    from wiktoria.io.formats import is_stream
    from wiktoria.moods.palettes import save_palette_png

    if output == "-":
        output = "/dev/stdout"  # the PNG to standard output, as paint -o - does
    path = save_palette_png(one_mood(name, mood_opt), output, width=width)
    click.echo(f"wrote {path}", err=is_stream(path))


@palette_group.command("export", context_settings={"ignore_unknown_options": True})
@_mood_argument
@click.option("-f", "--format", "fmt", type=click.Choice(["gpl", "hex", "css"]), default="gpl",
              show_default=True, help="GIMP palette, lospec hex list or CSS gradient.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="File to write, or - for standard output  [default: standard output].")
@click.option("--samples", type=click.IntRange(2, 1024), default=None,
              help="Export this many evenly spaced colours instead of the stops.")
@reports
def palette_export_cmd(name: str | None, mood_opt: str | None, fmt: str, output: str | None,
                       samples: int | None) -> None:
    """Export a mood's palette as .gpl, .hex or a CSS gradient.

    \b
    Examples:
      wiktoria palette export serene --format css
      wiktoria palette export seething --format gpl -o seething.gpl
    """
    from wiktoria.io.formats import is_stream
    from wiktoria.moods.palettes import export_palette

    if output == "-":  # standard output, as without -o
        output = None
    text = export_palette(one_mood(name, mood_opt), fmt, output=output, samples=samples)
    if output is None:
        click.echo(text, nl=False)
    else:  # a report after the palette on /dev/stdout or a pipe would corrupt it: stderr
        click.echo(f"wrote {output}", err=is_stream(output))


@palette_group.command("import")
@click.argument("source", metavar="FILE_OR_URL")
@click.option("--name", required=True, help="Name of the new mood (also its file name).")
@click.option("--force", is_flag=True, help="Replace an existing mood file of that name.")
@click.option("--keep-order", is_flag=True,
              help="Keep the colours' order instead of sorting them dark to light.")
@reports
def palette_import_cmd(source: str, name: str, force: bool, keep_order: bool) -> None:
    """Turn a .gpl or .hex file or a coolors URL into a mood file in your palette folder.

    The folder is $WIKTORIA_PALETTES, else your config folder (e.g. ~/.config/wiktoria/palettes).
    A name or alias another mood already has is refused (--force replaces your own file only).
    Valence and arousal are estimated from the colours; edit the file to taste.

    \b
    Examples:
      wiktoria palette import https://coolors.co/264653-2a9d8f-e9c46a --name sea
      wiktoria palette import sunset.gpl --name sunset
    """
    from wiktoria.moods.palettes import import_palette

    new = import_palette(source, name, overwrite=force, sort=not keep_order)
    click.echo(f"wrote {new.path} (valence {new.valence:+.2f}, arousal {new.arousal:+.2f}, "
               "estimated from the colours)")


@palette_group.command("remove")
@click.argument("name", metavar="MOOD", shell_complete=complete_mood)
@reports
def palette_remove_cmd(name: str) -> None:
    """Delete one of your own palettes (its mood file); shipped moods stay.

    \b
    Examples:
      wiktoria palette remove sea
    """
    from wiktoria.moods.palettes import remove_palette

    click.echo(f"removed {remove_palette(name)}")
