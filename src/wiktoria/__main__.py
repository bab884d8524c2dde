"""``python -m wiktoria`` is the same program as the ``wiktoria`` command."""

from wiktoria.cli import main

if __name__ == "__main__":  # pragma: no branch
    main(prog_name="wiktoria")
