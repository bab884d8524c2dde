"""``wiktoria layers``: the layer types, and every parameter of one."""

from __future__ import annotations

import click

from wiktoria.cli.app import cli, friendly_errors

__all__ = ["layers_group"]


def _origin(spec: type) -> str:
    from wiktoria.scene.layers import LEGACY_LAYERS

    module = spec.__module__
    if spec in LEGACY_LAYERS:
        return "0.2 scenes"
    return "built-in" if module.startswith("wiktoria.") else module.split(".")[0]


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = []
    for row in rows:
        cells = [cell.ljust(w) for cell, w in zip(row, widths, strict=False)] + [row[-1]]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


@cli.group("layers", invoke_without_command=True)
@click.pass_context
@friendly_errors
def layers_group(ctx: click.Context) -> None:
    """List the layer types a scene can hold: built-in ones and those of installed plug-ins.

    \b
    Examples:
      wiktoria layers
      wiktoria layers show land
    """
    if ctx.invoked_subcommand is not None:
        return
    from wiktoria.scene import layer_types

    rows = [["type", "from", "parameters", "what it paints"]]
    for name, spec in layer_types().items():
        rows.append([name, _origin(spec), str(len(spec.params())), spec.summary()])
    click.echo(_table(rows))
    click.echo("")
    click.echo("Layers from '0.2 scenes' paint the scenes written before version 0.3. The "
               "composition (layout, light, value key) is shown by: wiktoria layers show "
               "composition")


def _complete_type(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    from wiktoria.scene import layer_types

    return [name for name in layer_types() if name.startswith(incomplete)]


@layers_group.command("show")
@click.argument("layer_type", metavar="TYPE", shell_complete=_complete_type)
@friendly_errors
def layers_show_cmd(layer_type: str) -> None:
    """Every parameter of a layer type: its type, range, default and meaning.

    \b
    Examples:
      wiktoria layers show land
      wiktoria layers show composition
    """
    from wiktoria.scene import layer_class
    from wiktoria.scene.composition import Composition

    spec = Composition if layer_type == "composition" else layer_class(layer_type)
    click.echo(f"{spec.type} ({_origin(spec)}): {spec.summary()}")
    click.echo("")
    rows = [["parameter", "type", "range", "default", "meaning"]]
    for info in spec.describe():
        default = (str(info.default).lower() if info.kind == "bool" else str(info.default)
                   if info.kind == "str" else f"{info.default:g}")
        rows.append([info.name, info.kind, info.range, default, info.doc])
    click.echo(_table(rows))
    click.echo("")
    if spec is Composition:
        click.echo("Set one with --set composition.PARAM=VALUE (paint, animate, frames); a new "
                   "layout is planned afresh from the seed, then the other values apply.")
        return
    click.echo(f"Set one with --set {spec.type}.PARAM=VALUE (paint, animate, frames); a scene "
               f"with several {spec.type} layers names them {spec.type}[0].PARAM, "
               f"{spec.type}[1].PARAM, ...")
