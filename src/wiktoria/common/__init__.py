"""Shared infrastructure, written once: atomic files, threads, argument checks, TOML writing.

* :mod:`wiktoria.common.atomicio`: files written atomically (no partial file on failure);
* :mod:`wiktoria.common.parallel`: the CPU count and the one thread pool;
* :mod:`wiktoria.common.validate`: argument checks with one-line errors;
* :mod:`wiktoria.common.toml`: the TOML writer.

Nothing here imports another Wiktoria sub-package.
"""
