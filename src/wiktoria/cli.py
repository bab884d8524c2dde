"""The ``wiktoria`` command: a thin click layer over the library.

Every command parses its options, calls one library function and reports. Errors from the
library (``ValueError``, ``TypeError``, ``OSError``) become a one-line message and exit
status 2, without a traceback.
"""

from __future__ import annotations

import functools
import sys
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
        except (ValueError, TypeError, OSError, KeyError, LookupError) as exc:
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
      wiktoria noise -o noise.png
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
    from wiktoria.texture import save_noise_png

    path = save_noise_png(output, size=size, kind=kind, seed=seed, scale=scale,
                          octaves=octaves, tileable=tile)
    click.echo(f"wrote {path}")


def main(args: list[str] | None = None, prog_name: str | None = None) -> None:
    """Entry point of the ``wiktoria`` console script."""
    cli.main(args=args, prog_name=prog_name or "wiktoria")
