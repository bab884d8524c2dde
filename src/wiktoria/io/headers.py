"""Reading the scene text of an untrusted file from its header, without decoding any pixels.

Each reader walks the container (PNG chunks, GIF blocks, JPEG segments, WebP RIFF chunks,
MP4 boxes) with seeks, reads only the payload that holds Wiktoria's text, and stops at the
image data where the format puts text before it (PNG before ``IDAT``, GIF before the first
image, JPEG before the scan). Nothing is ever decoded but zlib-compressed PNG text, whose
output is capped: a decompression bomb, a zip bomb, a truncated or corrupt file are each a
one-line ``ValueError``. No text over :data:`MAX_TEXT_BYTES` is read, from a chunk or a
scene ``.toml`` file (:func:`read_text`), so a multi-GB input is never read whole.

Inputs must be regular files: a folder, a FIFO (which would block), a device or a symlink
loop is refused before anything is read (:func:`open_input`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import struct
import zlib
from collections.abc import Iterator
from typing import BinaryIO

__all__ = ["MAX_TEXT_BYTES", "Header", "open_input", "read_header", "read_text"]

#: The largest scene or mood text read from a file or an embedded chunk (1 MiB).
MAX_TEXT_BYTES = 1 << 20
#: Structural elements (chunks, blocks, segments, boxes) walked before giving up: a WebP
#: loop has a chunk per frame; other headers have a handful before the image data.
_MAX_ELEMENTS = 1_000_000
_MAX_HEADER_ELEMENTS = 10_000
_MAX_SUBBLOCKS = 1_000_000
#: An XMP packet escapes ``<>&``: it may be this many times the scene.
_XMP_FACTOR = 6

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class Header:
    """The texts found in a file's header.

    Attributes
    ----------
    format : str
        ``"PNG"``, ``"GIF"``, ``"JPEG"``, ``"WEBP"`` or ``"MP4"``.
    texts : dict of str to str
        Text chunks by keyword (PNG), or ``{"comment": ...}`` (GIF, JPEG, MP4) or
        ``{"xmp": ...}`` (WebP): only the keys asked for.
    animated : bool
        An APNG (``acTL`` before the image data), GIF, WebP or MP4.
    """

    def __init__(self, fmt: str, texts: dict[str, str], animated: bool) -> None:
        self.format = fmt
        self.texts = texts
        self.animated = animated


def _bad(name: str, what: str) -> ValueError:
    return ValueError(f"{name!r} is not an image Wiktoria can read: {what}")


def _too_big(name: str, what: str) -> ValueError:
    return ValueError(f"{name!r}: its {what} is over {MAX_TEXT_BYTES // 2**20} MB; a scene is "
                      "at most that")


@contextlib.contextmanager
def open_input(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """Open ``path`` for reading if it is a regular file, else a one-line ``ValueError``.

    A FIFO is opened without blocking and refused; symlinks are followed (a loop is refused).
    """
    name = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
                     | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise ValueError(f"{name!r} does not exist") from None
    except IsADirectoryError:
        raise ValueError(f"{name!r} is a folder, not a file") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ValueError(f"{name!r} is a symlink loop") from None
        raise ValueError(f"cannot read {name!r}: {exc.strerror or exc}") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise ValueError(f"{name!r} is a folder, not a file")
        if not stat.S_ISREG(mode):
            raise ValueError(f"{name!r} is not a regular file (a FIFO, device or socket); "
                             "give a file")
        os.set_blocking(fd, True)
        f = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with f:
        yield f


def _decode(data: bytes, name: str, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{name!r}: its {what} is not UTF-8 text (byte {exc.start})") from None


def read_text(f: BinaryIO, name: str, what: str = "scene") -> str:
    """At most :data:`MAX_TEXT_BYTES` of ``f`` as UTF-8 text (one-line errors beyond)."""
    data = f.read(MAX_TEXT_BYTES + 1)
    if len(data) > MAX_TEXT_BYTES:
        raise _too_big(name, what)
    return _decode(data, name, what)


def _read_exact(f: BinaryIO, n: int, name: str, where: str) -> bytes:
    data = f.read(n)
    if len(data) != n:
        raise _bad(name, f"it is truncated ({where})")
    return data


def _inflate(data: bytes, name: str, what: str) -> bytes:
    d = zlib.decompressobj()
    try:
        out = d.decompress(data, MAX_TEXT_BYTES + 1)
    except zlib.error as exc:
        raise _bad(name, f"its {what} is corrupt ({exc})") from None
    if len(out) > MAX_TEXT_BYTES:
        raise _too_big(name, what)
    if not d.eof:
        raise _bad(name, f"its {what} is corrupt (truncated zlib data)")
    return out


def _png_text(ctype: bytes, body: bytes, name: str, what: str) -> str:
    rest = body.partition(b"\0")[2]
    if ctype == b"tEXt":
        return rest.decode("latin-1")
    if ctype == b"zTXt":
        if rest[:1] != b"\0":
            raise _bad(name, f"its {what} has an unknown compression method")
        return _inflate(rest[1:], name, what).decode("latin-1")
    # iTXt: flag, method, language\0, translated keyword\0, text
    if len(rest) < 2:
        raise _bad(name, f"its {what} is corrupt")
    flag, method = rest[0], rest[1]
    _, _, rest = rest[2:].partition(b"\0")
    _, _, text = rest.partition(b"\0")
    if flag:
        if method != 0:
            raise _bad(name, f"its {what} has an unknown compression method")
        text = _inflate(text, name, what)
    return _decode(text, name, what)


def _png(f: BinaryIO, name: str, keys: frozenset[str]) -> Header:
    texts: dict[str, str] = {}
    animated = False
    for _ in range(_MAX_HEADER_ELEMENTS):
        length, ctype = struct.unpack(">I4s", _read_exact(f, 8, name, "chunk header"))
        if length > 0x7FFFFFFF:
            raise _bad(name, f"chunk {ctype!r} has a bad length")
        if ctype in (b"IDAT", b"IEND", b"fdAT"):  # Wiktoria writes its texts before the image
            return Header("PNG", texts, animated)
        if ctype == b"acTL":
            animated = True
        if ctype in (b"tEXt", b"zTXt", b"iTXt"):
            head = _read_exact(f, min(length, 80), name, f"{ctype.decode()} chunk")
            keyword = head.partition(b"\0")[0].decode("latin-1")
            if keyword in keys and keyword not in texts:
                what = f"{keyword!r} chunk"
                if length > MAX_TEXT_BYTES + 1024:
                    raise _too_big(name, what)
                body = head + _read_exact(f, length - len(head), name, what)
                (crc,) = struct.unpack(">I", _read_exact(f, 4, name, what))
                if zlib.crc32(ctype + body) & 0xFFFFFFFF != crc:
                    raise _bad(name, f"its {what} is corrupt (CRC mismatch)")
                texts[keyword] = _png_text(ctype, body, name, what)
                continue
            f.seek(length - len(head) + 4, os.SEEK_CUR)
            continue
        f.seek(length + 4, os.SEEK_CUR)
    raise _bad(name, "too many chunks before the image data")


def _gif_blocks(f: BinaryIO, name: str, keep: bool, limit: int) -> bytes | None:
    out = bytearray()
    for _ in range(_MAX_SUBBLOCKS):
        (size,) = _read_exact(f, 1, name, "sub-block")
        if size == 0:
            return bytes(out) if keep else None
        if keep:
            out += _read_exact(f, size, name, "comment")
            if len(out) > limit:
                raise _too_big(name, "comment")
        else:
            f.seek(size, os.SEEK_CUR)
    raise _bad(name, "too many sub-blocks")


def _gif(f: BinaryIO, name: str) -> Header:
    lsd = _read_exact(f, 7, name, "screen descriptor")
    flags = lsd[4]
    if flags & 0x80:
        f.seek(3 << ((flags & 7) + 1), os.SEEK_CUR)
    for _ in range(_MAX_HEADER_ELEMENTS):
        (kind,) = _read_exact(f, 1, name, "block")
        if kind == 0x21:
            (label,) = _read_exact(f, 1, name, "extension")
            data = _gif_blocks(f, name, label == 0xFE, MAX_TEXT_BYTES)
            if data is not None:
                return Header("GIF", {"comment": _decode(data, name, "comment")}, True)
        elif kind in (0x2C, 0x3B):  # the first image, or the end: no comment before it
            return Header("GIF", {}, True)
        else:
            raise _bad(name, f"it is corrupt (block 0x{kind:02x})")
    raise _bad(name, "too many blocks before the first image")


def _jpeg(f: BinaryIO, name: str) -> Header:
    for _ in range(_MAX_HEADER_ELEMENTS):
        marker = _read_exact(f, 2, name, "marker")
        if marker[0] != 0xFF:
            raise _bad(name, "it is corrupt (no JPEG marker)")
        code = marker[1]
        if code in (0xD8, 0x01, 0xFF) or 0xD0 <= code <= 0xD7:
            if code == 0xFF:
                f.seek(-1, os.SEEK_CUR)
            continue
        if code in (0xDA, 0xD9):  # the scan starts, or the end: no comment before it
            return Header("JPEG", {}, False)
        (length,) = struct.unpack(">H", _read_exact(f, 2, name, "segment length"))
        if length < 2:
            raise _bad(name, "it is corrupt (segment length)")
        if code == 0xFE:
            data = _read_exact(f, length - 2, name, "comment")
            return Header("JPEG", {"comment": _decode(data, name, "comment")}, False)
        f.seek(length - 2, os.SEEK_CUR)
    raise _bad(name, "too many segments before the image data")


def _webp(f: BinaryIO, name: str, size: int) -> Header:
    end = min(size, 8 + struct.unpack("<I", _read_exact(f, 8, name, "RIFF header")[4:])[0])
    f.seek(12)
    for _ in range(_MAX_ELEMENTS):
        if f.tell() + 8 > end:
            return Header("WEBP", {}, True)
        fourcc, length = struct.unpack("<4sI", _read_exact(f, 8, name, "chunk header"))
        if fourcc == b"XMP ":
            if length > MAX_TEXT_BYTES * _XMP_FACTOR:
                raise _too_big(name, "XMP packet")
            data = _read_exact(f, length, name, "XMP packet")
            return Header("WEBP", {"xmp": data.decode("utf-8", "replace")}, True)
        f.seek(length + (length & 1), os.SEEK_CUR)
    raise _bad(name, "too many chunks")


def _mp4_boxes(f: BinaryIO, start: int, end: int, name: str) -> Iterator[tuple[bytes, int, int]]:
    """``(type, payload start, payload end)`` of the boxes from ``start`` to ``end``."""
    pos = start
    for _ in range(_MAX_ELEMENTS):
        if pos + 8 > end:
            return
        f.seek(pos)
        size, kind = struct.unpack(">I4s", _read_exact(f, 8, name, "box header"))
        header = 8
        if size == 1:
            (size,) = struct.unpack(">Q", _read_exact(f, 8, name, "box header"))
            header = 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            raise _bad(name, f"box {kind!r} has a bad size")
        yield kind, pos + header, pos + size
        pos += size
    raise _bad(name, "too many boxes")


def _mp4_find(f: BinaryIO, path: list[bytes], start: int, end: int,
              name: str) -> tuple[int, int] | None:
    for kind, a, b in _mp4_boxes(f, start, end, name):
        if kind == path[0]:
            if kind == b"meta":  # a full box: version and flags first
                a += 4
            if len(path) == 1:
                return a, b
            found = _mp4_find(f, path[1:], a, b, name)
            if found is not None:
                return found
    return None


def _mp4(f: BinaryIO, name: str, size: int) -> Header:
    found = _mp4_find(f, [b"moov", b"udta", b"meta", b"ilst", b"\xa9cmt", b"data"], 0, size,
                      name)
    if found is None:
        return Header("MP4", {}, True)
    a, b = found
    if b - a - 8 > MAX_TEXT_BYTES:
        raise _too_big(name, "comment")
    f.seek(a + 8)  # type indicator and locale
    data = _read_exact(f, b - a - 8, name, "comment")
    return Header("MP4", {"comment": _decode(data, name, "comment")}, True)


def read_header(f: BinaryIO, name: str, keys: frozenset[str] = frozenset()) -> Header:
    """The texts in the header of an open file, found by its signature (not its name).

    Parameters
    ----------
    f : binary file
        Open for reading, seekable.
    name : str
        For messages.
    keys : frozenset of str
        The PNG text chunk keywords to read (others are skipped).

    Raises
    ------
    ValueError
        The file is none of PNG, GIF, JPEG, WebP, MP4; or it is truncated or corrupt where
        its texts are; or a text is over :data:`MAX_TEXT_BYTES`.
    """
    size = os.fstat(f.fileno()).st_size
    magic = f.read(12)
    f.seek(0)
    if magic.startswith(_PNG_SIGNATURE):
        f.seek(8)
        return _png(f, name, keys)
    if magic[:6] in (b"GIF87a", b"GIF89a"):
        f.seek(6)
        return _gif(f, name)
    if magic.startswith(b"\xff\xd8\xff"):
        f.seek(2)
        return _jpeg(f, name)
    if magic[:4] == b"RIFF" and magic[8:12] == b"WEBP":
        return _webp(f, name, size)
    if magic[4:8] == b"ftyp":
        return _mp4(f, name, size)
    from wiktoria.io.svg import looks_like_svg, svg_scene_text

    if looks_like_svg(magic):  # an SVG of strokes (wiktoria.io.svg): its <metadata>
        text = svg_scene_text(f, name)
        return Header("SVG", {} if text is None else {"comment": text}, False)
    if not magic:
        raise _bad(name, "it is empty")
    raise _bad(name, "it is not a PNG, JPEG, GIF, WebP or MP4 file")

