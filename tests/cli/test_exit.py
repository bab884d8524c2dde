"""The ``wiktoria`` command leaves without the interpreter's teardown (``app._leave``): the
exit functions still run, the streams are flushed, the status is the command's."""

from __future__ import annotations

import subprocess
import sys

import pytest

PROBE = ("import atexit, sys\n"
         "atexit.register(lambda: print('exit functions ran', flush=True))\n"
         "sys.argv = ['wiktoria', *{args!r}]\n"
         "from wiktoria.cli import app\n"
         "app.main()\n"
         "print('not reached')\n")


@pytest.mark.parametrize(("args", "status"), [
    (["--version"], 0), (["moods", "--bogus"], 2), (["paint", "--mood", "nope"], 2)])
def test_the_command_exits_with_its_status_after_the_exit_functions(
        args: list[str], status: int) -> None:
    proc = subprocess.run([sys.executable, "-c", PROBE.format(args=args)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == status, proc.stderr
    assert proc.stdout.rstrip().endswith("exit functions ran")
    assert "not reached" not in proc.stdout and "Traceback" not in proc.stderr


def test_a_message_exit_prints_it_with_status_1() -> None:
    code = ("import sys\n"
            "sys.argv = ['wiktoria']\n"
            "from wiktoria.cli import app\n"
            "def boom(**kwargs): sys.exit('gave up')\n"
            "app.cli.main = boom\n"
            "app.main()\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.returncode == 1 and proc.stderr == "gave up\n"


def test_called_with_arguments_it_raises_system_exit() -> None:
    from wiktoria.cli import app

    with pytest.raises(SystemExit) as err:
        app.main(["--version"])
    assert err.value.code == 0
