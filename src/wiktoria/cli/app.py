"""The click group ``wiktoria`` and what every command shares: one-line errors and warnings.

Commands live in :mod:`wiktoria.cli.paint` (``paint``, ``reproduce``),
:mod:`wiktoria.cli.loops` (``animate``, ``frames``), :mod:`wiktoria.cli.encode` (``encode``),
:mod:`wiktoria.cli.palette` (``moods``, ``palette``) and :mod:`wiktoria.cli.noise` (``noise``);
importing :mod:`wiktoria.cli` registers them all.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import signal
import sys
import warnings
from collections.abc import Callable
from typing import Any, TypeVar

import click

from wiktoria.common.version import __version__

__all__ = ["cli", "echo_warnings", "friendly_errors", "main", "reports"]

F = TypeVar("F", bound=Callable[..., Any])


def _message(exc: BaseException) -> str:
    """The first line of a library error, in the CLI's words."""
    # wiktoria.run.tasks (the batch machinery, which most commands never load) is looked up,
    # not imported: where it was never imported, no SharedFolderError was raised either.
    tasks = sys.modules.get("wiktoria.run.tasks")
    if tasks is not None and isinstance(exc, tasks.SharedFolderError):
        return (f"{exc.detail}; with --write-on-workers the output folder must be shared by "
                "every machine, at the same path")
    message = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
    return message.splitlines()[0] if message else type(exc).__name__


def friendly_errors(func: F) -> F:
    """Turn library errors into ``Error: ...`` on stderr and exit status 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (ValueError, TypeError, OSError, KeyError, LookupError, ImportError) as exc:
            click.echo(f"Error: {_message(exc)}", err=True)
            sys.exit(2)
        except MemoryError:
            # The checks before rendering estimate; a render that still runs out of memory
            # (another process took it meanwhile) ends here, its temporary files removed.
            click.echo("Error: out of memory while rendering; choose a smaller --size, fewer "
                       "--jobs, or free some memory", err=True)
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


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


def reports(func: F) -> F:
    """:func:`friendly_errors` and :func:`echo_warnings`: what every command that calls the
    library wears."""
    return friendly_errors(echo_warnings(func))


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
      wiktoria encode frames/ -o serene.mp4
      wiktoria moods
      wiktoria reproduce seething-1234.png -o copy.png

    \b
    Shell completion (moods, styles, --set keys):
      eval "$(_WIKTORIA_COMPLETE=bash_source wiktoria)"
    """


def main(args: list[str] | None = None, prog_name: str | None = None) -> None:
    """Entry point of the ``wiktoria`` console script (and ``python -m wiktoria``).

    Called with ``args`` (from Python), it ends with ``SystemExit`` as click's commands do.
    As the command itself (``args`` None: the arguments are the process's), it leaves the
    process when the command is done (:func:`_leave`).
    """
    # While the modules imported, a Ctrl-C exited quietly (see wiktoria/__init__); from here
    # on it is a KeyboardInterrupt that the group reports as one line, exit 130.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    if args is not None:
        cli.main(args=args, prog_name=prog_name or "wiktoria")
        return
    try:
        cli.main(args=None, prog_name=prog_name or "wiktoria")
        code: Any = 0
    except SystemExit as exc:
        code = exc.code
    _leave(code)


def _leave(code: Any) -> None:
    """Exit the process with ``code`` (as ``sys.exit`` takes it) without the interpreter's
    teardown: the exit functions run (``atexit``: logging, process pools, temporary folders)
    and the standard streams are flushed, then the process ends (``os._exit``). Once numba
    has loaded, the teardown disposes of its compiled code object by object, 0.12-0.15 s of
    every command that paints, for memory the system frees anyway."""
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"): the message on standard error, status 1
        print(code, file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        # A closed pipe (| head) or stream: nothing more can reach it.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(status)
