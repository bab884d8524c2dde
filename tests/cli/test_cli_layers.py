"""``wiktoria layers``: listing layer types and showing their parameters."""

from __future__ import annotations

import re
import subprocess
import sys

from click.testing import CliRunner

from wiktoria.cli import cli
from wiktoria.scene import layer_types


def test_layers_lists_every_registered_type() -> None:
    result = CliRunner().invoke(cli, ["layers"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["type", "from", "parameters", "what", "it", "paints"]
    table = lines[1:lines.index("")]
    listed = [line.split()[0] for line in table]
    assert listed == list(layer_types())
    assert re.search(r"^land +built-in +9 +The land: ", result.output, re.M)
    assert re.search(r"^strata +0.2 scenes +12 +Stacked ridgelines", result.output, re.M)
    assert "wiktoria layers show composition" in result.output


def test_layers_show_composition() -> None:
    result = CliRunner().invoke(cli, ["layers", "show", "composition"])
    assert result.exit_code == 0, result.output
    assert re.search(r"^layout +str +one of low, high, tilted, valley, monolith, enclosure, "
                     r"vortex, rhythm +low", result.output, re.M)
    assert "--set composition.PARAM=VALUE" in result.output


def test_layers_show_prints_every_parameter() -> None:
    result = CliRunner().invoke(cli, ["layers", "show", "strata"])
    assert result.exit_code == 0, result.output
    spec = layer_types()["strata"]
    for info in spec.describe():
        line = next(x for x in result.output.splitlines() if x.startswith(info.name + " "))
        assert info.kind in line and info.range in line and info.doc in line
    assert re.search(r"^count +int +1 to 9 +5 +number of ridgelines$", result.output, re.M)
    assert "--set strata.PARAM=VALUE" in result.output


def test_unknown_layer_type_is_one_line_and_exit_2() -> None:
    result = CliRunner().invoke(cli, ["layers", "show", "strato"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "Error: unknown layer type 'strato' (did you mean 'strata'?); registered types: "
        + ", ".join(layer_types())]


def test_layers_in_a_real_process() -> None:
    proc = subprocess.run([sys.executable, "-m", "wiktoria", "layers", "show", "grain"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("grain (0.2 scenes): Film grain")

