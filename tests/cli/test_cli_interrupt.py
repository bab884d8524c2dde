"""Ctrl-C while the ``wiktoria`` command starts: exit 130, no traceback."""

from __future__ import annotations

import subprocess
import sys


def test_ctrl_c_while_the_command_imports_exits_quietly() -> None:
    """In the command, SIGINT exits 130 at once until ``main`` runs; a library import keeps
    Python's own handler. (Checked through the handlers: the race itself is not testable.)"""
    probe = ("import signal, sys; sys.argv[0] = '/usr/bin/wiktoria'; import wiktoria; "
             "h = signal.getsignal(signal.SIGINT); print(h is signal.default_int_handler); "
             "from wiktoria.cli import app; app.cli.main = lambda **k: None; app.main([]); "
             "print(signal.getsignal(signal.SIGINT) is signal.default_int_handler)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         timeout=120, check=True).stdout.split()
    assert out == ["False", "True"]
    quiet = ("import os, signal, sys; sys.argv[0] = '/usr/bin/wiktoria'; import wiktoria; "
             "os.kill(os.getpid(), signal.SIGINT); import time; time.sleep(5); print('alive')")
    proc = subprocess.run([sys.executable, "-c", quiet], capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.returncode == 130 and proc.stdout == "" and "Traceback" not in proc.stderr
    library = "import signal, wiktoria; print(signal.getsignal(signal.SIGINT).__name__)"
    out = subprocess.run([sys.executable, "-c", library], capture_output=True, text=True,
                         timeout=120, check=True).stdout.strip()
    assert out == "default_int_handler"
