"""Atomic file output: write to a temporary file beside the target, then ``os.replace``.

A failed or interrupted write never leaves a partial file at the target path.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

__all__ = ["atomic_path", "atomic_write_bytes", "atomic_write_text", "check_output_dir"]


def check_output_dir(path: str | os.PathLike[str]) -> Path:
    """Return ``path`` as a :class:`~pathlib.Path` after checking its folder can take a new file.

    Raises
    ------
    ValueError
        If the parent folder does not exist, is not a folder, or is not writable.
    """
    target = Path(path)
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.exists():
        raise ValueError(f"output folder {str(parent)!r} does not exist; create it first")
    if not parent.is_dir():
        raise ValueError(f"output folder {str(parent)!r} is not a folder")
    if not os.access(parent, os.W_OK):
        raise ValueError(f"output folder {str(parent)!r} is not writable")
    return target


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it is renamed onto ``path``.

    On any exception (including ``KeyboardInterrupt``) the temporary file is removed and
    ``path`` is left untouched.
    """
    target = check_output_dir(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent or ".")
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically and return the path."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically and return the path."""
    with atomic_path(path) as tmp:
        f: IO[str]
        with open(tmp, "w", encoding=encoding, newline="\n") as f:
            f.write(text)
    return Path(path)
