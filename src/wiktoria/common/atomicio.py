"""Atomic file output: write to a temporary file beside the target, then ``os.replace``.

A failed or interrupted write never leaves a partial file at the target path.

What an output path may be
--------------------------
=============================================  ================================================
the path (after following symlinks)            what happens
=============================================  ================================================
a regular file, or nothing yet                 written atomically (a temporary file beside it,
                                               renamed over it); an existing file keeps its
                                               mode (and, as root, its owner), a new one gets
                                               what ``open()`` gives under the umask (0644
                                               under umask 022)
a symlink to a regular file (or to nothing)    the link's target is written atomically; the
                                               link stays
a character device (``/dev/null``, a tty), a   *written through*: the output is completed in a
FIFO, or a path through ``/proc`` (such as     private temporary file first, then copied into
``/dev/stdout`` -> ``/proc/self/fd/1``)        it, so a failed run writes nothing there; the
                                               device node, FIFO or link is never replaced. A
                                               FIFO nobody reads is refused rather than waited
                                               on
a folder, a block device, a socket             refused (one-line ``ValueError``)
=============================================  ================================================

Temporary files are named ``.{name}.{pid}_{host}_{random}.part`` beside the target. A run
that was killed (``SIGKILL``) leaves its part behind: the next write of the same target name
removes such stale parts: those whose writer (same host) is gone, or older than
:data:`STALE_SECONDS`.

:func:`together` groups writes so that they are committed together: both or neither.
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import os
import re
import secrets
import socket
import stat
import tempfile
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

__all__ = [
    "STALE_SECONDS",
    "OutputTarget",
    "atomic_path",
    "atomic_write_bytes",
    "atomic_write_text",
    "check_output_dir",
    "output_target",
    "remove_stale_parts",
    "same_file",
    "together",
]

#: A part file (of any host) untouched for this long is stale.
STALE_SECONDS = 6 * 3600
_LEGACY_STALE_SECONDS = 3600  # parts of older versions carry no pid: only age tells

_HOST = format(zlib.crc32(socket.gethostname().encode("utf-8", "replace")), "08x")
_PART_RE = re.compile(r"^\.(?P<name>.+)\.(?P<pid>[0-9]+)_(?P<host>[0-9a-f]{8})_[0-9a-f]+\.part$")
_LEGACY_RE = re.compile(r"^\.(?P<name>.+)\.[a-z0-9_]{8}\.part$")  # tempfile.mkstemp's names


@dataclass(frozen=True)
class OutputTarget:
    """Where an output path leads.

    Attributes
    ----------
    path : pathlib.Path
        The path as given.
    real : pathlib.Path
        The file to write: for ``"atomic"`` the regular file (or new file) after following
        symlinks; for ``"stream"`` the path as given.
    kind : {"atomic", "stream"}
        ``"atomic"``: temporary file beside ``real``, renamed over it. ``"stream"``: written
        through (a character device, FIFO, or a path through ``/proc``).
    """

    path: Path
    real: Path
    kind: str


def _resolve(path: Path) -> tuple[Path, bool]:
    """The path after following every symlink, and whether it went through ``/proc``."""
    through_proc = False
    current = Path(os.path.abspath(path))
    for _ in range(40):
        parent = Path(os.path.realpath(current.parent))
        if parent.parts[1:2] == ("proc",):
            through_proc = True
        current = parent / current.name
        try:
            link = os.readlink(current)
        except OSError:  # not a link, or nothing there
            return current, through_proc or current.parts[1:2] == ("proc",)
        if Path(link).parts[1:2] == ("proc",):
            through_proc = True
        current = Path(os.path.normpath(current.parent / link))
    raise ValueError(f"cannot write {str(path)!r}: too many levels of symbolic links")


def output_target(path: str | os.PathLike[str]) -> OutputTarget:
    """Classify an output path (see the module docstring), checking its folder.

    Raises
    ------
    ValueError
        The path is a folder, a block device or a socket; a symlink loop; or (for a new or
        regular file) its folder does not exist, is not a folder or is not writable.
    """
    given = Path(path)
    if str(path) == "":
        raise ValueError("the output path is empty")
    real, through_proc = _resolve(given)
    try:  # /proc's links (/proc/self/fd/1 -> 'pipe:[123]') are followed by the kernel only
        st = os.stat(given if through_proc else real)
    except (FileNotFoundError, NotADirectoryError):
        st = None  # the folder checks below say what is wrong
    except OSError as exc:
        raise ValueError(f"cannot write {str(given)!r}: {exc.strerror or exc}") from None
    if st is not None:
        mode = st.st_mode
        if stat.S_ISDIR(mode):
            raise ValueError(f"cannot write {str(given)!r}: it is a folder; give a file name")
        if stat.S_ISBLK(mode):
            raise ValueError(f"cannot write {str(given)!r}: it is a block device; give a "
                             "file name")
        if stat.S_ISSOCK(mode):
            raise ValueError(f"cannot write {str(given)!r}: it is a socket; give a file name")
        if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) or through_proc:
            return OutputTarget(given, given, "stream")
    elif through_proc:
        raise ValueError(f"cannot write {str(given)!r}: it leads into /proc to nothing")
    parent = real.parent
    shown = str(given.parent) if real == Path(os.path.abspath(given)) else str(parent)
    if not parent.exists():
        raise ValueError(f"output folder {shown!r} does not exist; create it first")
    if not parent.is_dir():
        raise ValueError(f"output folder {shown!r} is not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ValueError(f"output folder {shown!r} is not writable")
    return OutputTarget(given, real, "atomic")


def check_output_dir(path: str | os.PathLike[str]) -> Path:
    """Return ``path`` as a :class:`~pathlib.Path` after checking it can be written.

    Its folder must take a new file, or it must be a file that can be written through (see
    :func:`output_target`).

    Raises
    ------
    ValueError
        If the parent folder does not exist, is not a folder, or is not writable, or the path
        is a folder, a block device or a socket.
    """
    output_target(path)
    return Path(path)


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether two output paths lead to the same file (through symlinks, ``..``, hard links).

    Examples
    --------
    >>> same_file("x.png", "./x.png"), same_file("x.png", "y.png")
    (True, False)
    """
    ra, _ = _resolve(Path(a))
    rb, _ = _resolve(Path(b))
    if ra == rb:
        return True
    try:
        return os.path.samefile(ra, rb)
    except OSError:
        return False


# --------------------------------------------------------------------------- stale parts

_scanned: dict[Path, tuple[float, dict[str, list[str]]]] = {}
_scan_lock = threading.Lock()
_RESCAN_SECONDS = 60.0


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True
    return True


def _is_stale(folder: Path, name: str) -> bool:
    try:
        st = os.lstat(folder / name)
    except OSError:
        return False
    if not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid():
        return False  # only regular files of ours
    age = time.time() - st.st_mtime
    m = _PART_RE.match(name)
    if m is None:
        return age > _LEGACY_STALE_SECONDS
    pid = int(m.group("pid"))
    if m.group("host") == _HOST and pid != os.getpid() and not _pid_alive(pid):
        return True
    return age > STALE_SECONDS


def _parts_by_name(folder: Path) -> dict[str, list[str]]:
    """Part files in ``folder`` by target name: scanned once a minute per folder and process
    (a folder of 10 000 frames is not listed 10 000 times)."""
    with _scan_lock:
        when, found = _scanned.get(folder, (0.0, {}))
        if time.monotonic() - when > _RESCAN_SECONDS:
            found = {}
            with contextlib.suppress(OSError), os.scandir(folder) as entries:
                for entry in entries:
                    if entry.name.startswith(".") and entry.name.endswith(".part"):
                        m = _PART_RE.match(entry.name) or _LEGACY_RE.match(entry.name)
                        if m is not None:
                            found.setdefault(m.group("name"), []).append(entry.name)
            _scanned[folder] = (time.monotonic(), found)
        return found


def remove_stale_parts(path: str | os.PathLike[str], *, rescan: bool = False) -> list[Path]:
    """Remove the stale temporary files left beside ``path`` by killed writers.

    Only hidden ``.{name}.*.part`` files for this target name, regular files of this user,
    whose writer on this host is gone or which are older than :data:`STALE_SECONDS` (one
    hour for parts of earlier versions) are removed. The folder is listed at most once a
    minute per process, unless ``rescan``.

    Returns
    -------
    list of pathlib.Path
        The files removed.
    """
    target = Path(path)
    folder = Path(os.path.abspath(target.parent))
    if rescan:
        with _scan_lock:
            _scanned.pop(folder, None)
    parts = _parts_by_name(folder)
    removed = []
    with _scan_lock:
        names = parts.pop(target.name, [])
    for name in names:
        if _is_stale(folder, name):
            with contextlib.suppress(FileNotFoundError):
                (folder / name).unlink()
                removed.append(folder / name)
    return removed


# --------------------------------------------------------------------------- writing


def _new_part(target: Path) -> Path:
    """Create an empty part file beside ``target``, with the mode ``open()`` would give."""
    for _ in range(100):
        tmp = target.parent / f".{target.name}.{os.getpid()}_{_HOST}_{secrets.token_hex(4)}.part"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0),
                         0o666)  # the umask applies, as for open()
        except FileExistsError:
            continue
        try:
            with contextlib.suppress(FileNotFoundError):
                st = os.stat(target)
                if stat.S_ISREG(st.st_mode):  # an existing file keeps its mode and owner
                    os.fchmod(fd, stat.S_IMODE(st.st_mode))
                    if (st.st_uid, st.st_gid) != (os.geteuid(), os.getegid()):
                        with contextlib.suppress(OSError):
                            os.fchown(fd, st.st_uid, st.st_gid)
        finally:
            os.close(fd)
        return tmp
    raise FileExistsError(errno.EEXIST, "cannot create a temporary file", str(target.parent))


@dataclass
class _Group:
    """Writes committed together by :func:`together`."""

    pending: list[tuple[Path, OutputTarget]] = field(default_factory=list)


_group: contextvars.ContextVar[_Group | None] = contextvars.ContextVar("wiktoria_atomic_group",
                                                                       default=None)


def _open_stream(target: Path) -> int:
    """Open a character device, FIFO or ``/proc`` path for writing (never creating it)."""
    flags = os.O_WRONLY | getattr(os, "O_CLOEXEC", 0)
    try:
        if stat.S_ISFIFO(os.stat(target).st_mode):
            try:  # a FIFO nobody reads: refuse instead of waiting forever
                fd = os.open(target, flags | os.O_NONBLOCK)
            except OSError as exc:
                if exc.errno == errno.ENXIO:
                    raise ValueError(f"cannot write {str(target)!r}: it is a FIFO that nobody "
                                     "reads") from None
                raise
            os.set_blocking(fd, True)
            return fd
        return os.open(target, flags | os.O_TRUNC)
    except FileNotFoundError:
        raise ValueError(f"cannot write {str(target)!r}: it disappeared") from None


def _failed(target: Path, exc: OSError) -> OSError:
    """``exc`` as a one-line error naming the target (not a hidden temporary file)."""
    reason = "the reader went away" if isinstance(exc, BrokenPipeError) else (
        exc.strerror or str(exc))
    new = OSError(f"cannot write {str(target)!r}: {reason}")
    new.errno = exc.errno
    return new


def _stream(tmp: Path, target: Path) -> None:
    """Copy the finished output into the stream, unbuffered (every error surfaces here)."""
    try:
        fd = _open_stream(target)
    except OSError as exc:
        raise _failed(target, exc) from None
    try:
        with open(tmp, "rb") as src:
            while block := src.read(1 << 20):
                view = memoryview(block)
                while view:
                    view = view[os.write(fd, view):]
    except OSError as exc:
        raise _failed(target, exc) from None
    finally:
        os.close(fd)


def _commit(tmp: Path, out: OutputTarget) -> None:
    if out.kind == "stream":
        _stream(tmp, out.real)
        return
    try:
        os.replace(tmp, out.real)
    except OSError as exc:
        raise _failed(out.path, exc) from None


def _discard(tmp: Path, out: OutputTarget) -> None:
    with contextlib.suppress(OSError):
        tmp.unlink()
    if out.kind == "stream":
        with contextlib.suppress(OSError):
            tmp.parent.rmdir()


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it is renamed onto ``path``.

    On any exception (including ``KeyboardInterrupt``) the temporary file is removed and
    ``path`` is left untouched. Special files are written through or refused (see the module
    docstring); stale parts of killed runs beside ``path`` are removed first. Inside
    :func:`together`, the rename waits for the group.

    Parameters
    ----------
    path : str or os.PathLike
        The output.

    Yields
    ------
    pathlib.Path
        An empty file to write (beside the target; in a private folder for a stream), with
        the mode the target will have.

    Raises
    ------
    ValueError
        ``path`` cannot be written (see :func:`output_target`), or it is a FIFO nobody reads.
    OSError
        Writing failed (the disk is full...): one line naming ``path``.
    """
    out = output_target(path)
    if out.kind == "stream":
        folder = Path(tempfile.mkdtemp(prefix="wiktoria-"))
        tmp = folder / ("out" + "".join(out.path.suffixes[-1:]))
        tmp.touch()
    else:
        remove_stale_parts(out.real)
        tmp = _new_part(out.real)
    group = _group.get()
    try:
        try:
            yield tmp
        except OSError as exc:  # the disk is full: say so of the target, not of the part
            if exc.filename is None or Path(os.fsdecode(exc.filename)) != tmp:
                raise
            raise _failed(out.path, exc) from None
        if group is not None:
            group.pending.append((tmp, out))
            return
        _commit(tmp, out)
    except BaseException:
        _discard(tmp, out)
        raise
    if out.kind == "stream":
        _discard(tmp, out)


@contextlib.contextmanager
def together() -> Iterator[None]:
    """Commit the atomic writes made inside the block together, at its end: both or neither.

    Each write goes to its temporary file as usual; at the end of the block every file is
    renamed onto its target. If the block fails, no target is touched. If a rename fails,
    the targets already replaced get their previous file back (or are removed if they were
    new), and the error is raised. Files written through (a FIFO, ``/dev/stdout``) are
    committed last, as they cannot be taken back.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     with together():
    ...         a = atomic_write_text(pathlib.Path(d) / "a.txt", "a")
    ...         b = atomic_write_text(pathlib.Path(d) / "b.txt", "b")
    ...         print(sorted(p.name for p in pathlib.Path(d).iterdir() if p.name[0] != "."))
    ...     sorted(p.name for p in pathlib.Path(d).iterdir())
    []
    ['a.txt', 'b.txt']
    """
    group = _Group()
    token = _group.set(group)
    try:
        yield
    except BaseException:
        _group.reset(token)
        for tmp, out in group.pending:
            _discard(tmp, out)
        raise
    _group.reset(token)
    pending = sorted(group.pending, key=lambda p: p[1].kind == "stream")
    done: list[tuple[OutputTarget, Path | None]] = []
    try:
        for i, (tmp, out) in enumerate(pending):
            backup = None
            if out.kind == "atomic" and out.real.exists():
                backup = out.real.parent / f".{out.real.name}.{os.getpid()}_{_HOST}_" \
                                           f"{secrets.token_hex(4)}.part"
                try:
                    os.link(out.real, backup)
                except OSError:
                    backup = None
            try:
                _commit(tmp, out)
            except BaseException:
                if backup is not None:
                    with contextlib.suppress(OSError):
                        backup.unlink()
                for later_tmp, later in pending[i:]:
                    _discard(later_tmp, later)
                raise
            done.append((out, backup))
            if out.kind == "stream":
                _discard(tmp, out)
    except BaseException:
        for out, backup in reversed(done):
            if out.kind != "atomic":
                continue
            with contextlib.suppress(OSError):
                if backup is not None:
                    os.replace(backup, out.real)
                else:
                    out.real.unlink()
        raise
    for _, backup in done:
        if backup is not None:
            with contextlib.suppress(OSError):
                backup.unlink()


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_path`) and return the path."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically (see :func:`atomic_path`) and return the path."""
    with atomic_path(path) as tmp:
        f: IO[str]
        with open(tmp, "w", encoding=encoding, newline="\n") as f:
            f.write(text)
    return Path(path)
