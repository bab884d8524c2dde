"""Output folders of batch renders: checking them, naming frames, finding our own files.

A folder may hold only what the render would write (frames of this animation, stills of this
sweep: Wiktoria PNGs), hidden files, and our temporary files (``.{name}.{random}.part``, left by
an interrupted run); anything else is an error raised before anything is written.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import string
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from PIL import Image

from wiktoria.io.formats import ANIMATION_FORMATS, STILL_FORMATS
from wiktoria.io.metadata import MOOD_KEY, SCENE_KEY

__all__ = [
    "DEFAULT_PATTERN",
    "FOREIGN_SLACK",
    "MAX_NAME_BYTES",
    "frame_is_complete",
    "frame_names",
    "make_folder",
    "max_frame_bytes",
    "own_temps",
    "png_text",
    "prepare_folder",
    "remove",
    "scan_frames_folder",
    "unmake_folder",
]

#: File names of frames: ``str.format`` with the field ``index``.
DEFAULT_PATTERN = "frame_{index:05d}.png"

#: Longest frame name, in bytes: most file systems take 255, and the temporary file written
#: beside a frame (``.{name}.{8 random characters}.part``) adds 15.
MAX_NAME_BYTES = 240
#: A frame file this much larger than its pixels can be is not one of ours.
FOREIGN_SLACK = 64 * 2**20
# Names that are files, not folders, for the output folder of a batch.
_FILE_SUFFIXES = frozenset({*STILL_FORMATS, *ANIMATION_FORMATS, ".apng", ".toml"})

# atomicio's temporary files: ".{name}.{random}.part" beside the target.
_TEMP_RE = re.compile(r"^\.(?P<name>.+)\.[A-Za-z0-9_]+\.part$")


def prepare_folder(out_dir: Any) -> tuple[Path, bool]:
    """Check ``out_dir`` can be used (it exists as a writable folder, or its parent exists and
    its name is not that of an image, animation or scene file: ``one.png``); return it and
    whether it exists. Nothing is created here."""
    if not isinstance(out_dir, str | os.PathLike):
        raise TypeError(f"output folder must be a path, got {type(out_dir).__name__}")
    path = Path(out_dir)
    if path.exists():
        if not path.is_dir():
            raise ValueError(f"output folder {str(path)!r} is a file, not a folder; give a "
                             "folder name")
        if not os.access(path, os.W_OK | os.X_OK):
            raise ValueError(f"output folder {str(path)!r} is not writable")
        return path, True
    if path.suffix.lower() in _FILE_SUFFIXES:
        raise ValueError(f"output folder {str(path)!r} is named like a {path.suffix} file; a "
                         "batch writes a folder of files: give a folder name")
    if path.is_symlink():
        raise ValueError(f"output folder {str(path)!r} is a broken symbolic link")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise ValueError(f"cannot create output folder {str(path)!r}: its parent "
                         f"{str(parent)!r} does not exist; create it first")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ValueError(f"cannot create output folder {str(path)!r}: {str(parent)!r} is not "
                         "writable")
    return path, False


def make_folder(path: Path, exists: bool) -> None:
    """Create ``path`` unless it ``exists`` (see :func:`prepare_folder`)."""
    if not exists:
        path.mkdir(exist_ok=True)


def unmake_folder(path: Path, existed: bool) -> None:
    """After a failed run: remove ``path`` if this run created it and it is still empty."""
    if not existed:
        with contextlib.suppress(OSError):
            path.rmdir()


def png_text(path: Path) -> tuple[str, dict[str, str]] | None:
    """``(format, text chunks)`` of an image file from its header, or None if unreadable."""
    try:
        with Image.open(path) as im:
            info = {k: v for k, v in im.info.items() if isinstance(v, str)}
            return str(im.format), info
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None


def frame_names(pattern: Any, n: int) -> list[str]:
    """File names of frames ``0 .. n-1``, checking the pattern."""
    if not isinstance(pattern, str):
        raise TypeError(f"pattern must be a string such as {DEFAULT_PATTERN!r}, got "
                        f"{type(pattern).__name__}")
    fmt = pattern
    hashes = re.findall(r"#+", pattern)
    if hashes and "{" not in pattern:
        if len(hashes) != 1:
            raise ValueError(f"pattern {_short(pattern)} has more than one run of '#'")
        fmt = pattern.replace(hashes[0], f"{{index:0{len(hashes[0])}d}}")
    if "/" in pattern or "\\" in pattern or os.sep in pattern:
        raise ValueError(f"pattern {_short(pattern)} must be a file name, without folders")
    if not pattern.lower().endswith(".png"):
        raise ValueError(f"pattern {_short(pattern)} must end with .png")
    if pattern.startswith("."):
        raise ValueError(f"pattern {_short(pattern)} must not start with '.' (hidden files are "
                         "reserved for temporary files)")
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(fmt) if f is not None]
    except ValueError as exc:
        raise ValueError(f"pattern {_short(pattern)} is not a valid format string: {exc}") from None
    if "index" not in fields:
        raise ValueError(f"pattern {_short(pattern)} must contain the field {{index}}, e.g. "
                         f"{DEFAULT_PATTERN!r} (or a run of '#', e.g. 'frame_#####.png')")
    other = sorted(set(fields) - {"index"})
    if other:
        raise ValueError(f"pattern {_short(pattern)} may only use the field {{index}}, not "
                         f"{{{other[0]}}}")
    for _, _, spec, _ in string.Formatter().parse(fmt):
        # A width is a count of characters to build: bound it before formatting anything.
        widths = re.findall(r"[0-9]+", spec or "")
        if "{" in (spec or "") or any(len(w.lstrip("0")) > 3 or int(w) > MAX_NAME_BYTES
                                      for w in widths):
            raise ValueError(f"pattern {_short(pattern)} has a format {spec[:40]!r} wider than a "
                             f"frame name can be ({MAX_NAME_BYTES} bytes)")

    def name_of(i: int) -> str:
        try:
            name = fmt.format(index=i)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
            raise ValueError(f"pattern {_short(pattern)} cannot format a frame index: "
                             f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
                             ) from None
        if "/" in name or os.sep in name or name.startswith(".") or not name.isprintable():
            raise ValueError(f"pattern {_short(pattern)} gives frame {i} the name "
                             f"{_short(name)}, which is not a plain file name")
        if len(name.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
            raise ValueError(f"pattern {_short(pattern)} gives frame {i} a name of "
                             f"{len(name.encode('utf-8', 'surrogatepass'))} bytes; frame names "
                             f"have at most {MAX_NAME_BYTES} (255 with the temporary file's "
                             "additions)")
        return name

    name_of(0)  # the first and the last index first: cheap checks before the whole list
    name_of(n - 1)
    names = [name_of(i) for i in range(n)]
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        if name in seen:
            raise ValueError(f"pattern {_short(pattern)} gives frames {seen[name]} and {i} the "
                             f"same name {name!r}")
        seen[name] = i
    return names


def _short(text: str) -> str:
    return repr(text) if len(text) <= 60 else repr(text[:57]) + "..."


def max_frame_bytes(size: tuple[int, int]) -> int:
    """Largest PNG frame of ``size`` we could have written: its raw pixels, one filter byte a
    row, zlib's overhead, plus :data:`FOREIGN_SLACK` for the chunks and text."""
    w, h = size
    raw = (w * 3 + 1) * h
    return raw + raw // 100 + FOREIGN_SLACK


def scan_frames_folder(path: Path, names: list[str], max_bytes: int | None = None
                        ) -> tuple[dict[int, Path], list[tuple[str, Path]], dict[int, str]]:
    """Existing frame files by index, temporary files of ours, and the scene TOML each
    existing frame carries (when readable); raise on foreign files.

    Allowed in a frames folder: files named by the pattern for an index of the animation that
    are PNGs carrying a Wiktoria scene (or are not readable images at all: broken frames,
    which get rendered again); hidden temporary files ``.{frame name}.*.part`` left by an
    interrupted run; other hidden files (``.DS_Store``, ``.gitkeep``), never touched.
    Anything else (other files, folders, unrelated PNGs, frames beyond the animation's
    length, a frame file over ``max_bytes``, which is never read) is foreign.
    """
    index = {name: i for i, name in enumerate(names)}
    scenes: dict[int, str] = {}
    existing: dict[int, Path] = {}
    temps: list[tuple[str, Path]] = []
    foreign: list[str] = []
    with os.scandir(path) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            name = entry.name
            if name.startswith("."):
                m = _TEMP_RE.match(name)
                if m and m.group("name") in index and entry.is_file(follow_symlinks=False):
                    temps.append((m.group("name"), Path(entry.path)))
                continue
            i = index.get(name)
            if i is None or not entry.is_file():
                foreign.append(name)
                continue
            try:
                too_big = max_bytes is not None and entry.stat().st_size > max_bytes
            except OSError:
                too_big = False
            if too_big:
                foreign.append(name)
                continue
            header = png_text(Path(entry.path))
            if header is not None and (header[0] != "PNG" or SCENE_KEY not in header[1]):
                foreign.append(name)
                continue
            existing[i] = Path(entry.path)
            if header is not None:
                scenes[i] = header[1][SCENE_KEY]
    if foreign:
        more = f" (and {len(foreign) - 1} more)" if len(foreign) > 1 else ""
        raise ValueError(
            f"output folder {str(path)!r} holds {foreign[0]!r}{more}, which is not a Wiktoria "
            f"frame of this animation ({names[0]} to {names[-1]}); move it away or choose "
            "another folder")
    return existing, temps, scenes


def frame_is_complete(path: Path, scene_toml: str, mood_toml: str,
                       size: tuple[int, int]) -> bool:
    """Whether ``path`` is a complete, decodable RGB PNG of ``size`` carrying exactly this
    scene and mood. A file over :func:`max_frame_bytes` is not, and is not read."""
    try:
        if path.stat().st_size > max_frame_bytes(size):
            return False
        data = path.read_bytes()
    except OSError:
        return False
    if not data.startswith(b"\x89PNG\r\n\x1a\n") or not data.endswith(
        b"\x00\x00\x00\x00IEND\xaeB`\x82"
    ):
        return False
    try:
        with Image.open(io.BytesIO(data)) as im:
            im.load()
            if im.format != "PNG" or im.mode != "RGB" or im.size != size:
                return False
            text = getattr(im, "text", {}) or {}
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return False
    return text.get(SCENE_KEY) == scene_toml and text.get(MOOD_KEY) == mood_toml


def remove(paths: Iterable[Path]) -> list[Path]:
    removed = []
    for p in paths:
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
            removed.append(p)
    return removed


def own_temps(path: Path, wanted: set[str]) -> list[Path]:
    """Our temporary files in ``path`` for the file names in ``wanted``."""
    out = []
    with contextlib.suppress(OSError), os.scandir(path) as entries:
        for entry in entries:
            m = _TEMP_RE.match(entry.name)
            if m and m.group("name") in wanted:
                out.append(Path(entry.path))
    return out
