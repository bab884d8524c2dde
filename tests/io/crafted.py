"""Crafted files for the untrusted-input tests: PNG chunks, GIF blocks, JPEG segments, WebP
and MP4 containers built by hand, and a real scene to put in them."""

from __future__ import annotations

import struct
import zlib
from functools import cache

import wiktoria

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def chunk(ctype: bytes, payload: bytes, crc: int | None = None) -> bytes:
    value = zlib.crc32(ctype + payload) & 0xFFFFFFFF if crc is None else crc
    return struct.pack(">I", len(payload)) + ctype + payload + struct.pack(">I", value)


def ihdr(w: int = 4, h: int = 4) -> bytes:
    return chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))


def idat(w: int = 4, h: int = 4) -> bytes:
    return chunk(b"IDAT", zlib.compress(b"".join(b"\0" + b"\0" * 3 * w for _ in range(h))))


def itxt(key: str, text: str | bytes, zipped: bool = True) -> bytes:
    data = text.encode() if isinstance(text, str) else text
    body = zlib.compress(data) if zipped else data
    return chunk(b"iTXt", key.encode() + b"\0" + bytes([int(zipped), 0]) + b"\0\0" + body)


def png(*texts: bytes, w: int = 4, h: int = 4, image: bool = True) -> bytes:
    """A PNG whose header claims ``w`` x ``h`` (the image data is for 4x4: never decoded)."""
    return (PNG_SIGNATURE + ihdr(w, h) + b"".join(texts)
            + (idat() + chunk(b"IEND", b"") if image else b""))


def scene_png(scene: str, mood: str | None = None, **kw: int) -> bytes:
    texts = [itxt("wiktoria:scene", scene)]
    if mood is not None:
        texts.append(itxt("wiktoria:mood", mood))
    return png(*texts, **kw)  # type: ignore[arg-type]


@cache
def still_scene() -> str:
    """A small, valid still scene (TOML)."""
    return wiktoria.paint("serene", size=(16, 8), seed=1).scene.to_toml()


@cache
def loop_scene() -> str:
    """A small, valid loop scene (TOML)."""
    return str(wiktoria.animate("serene", size=(16, 8), frames=2, seed=1).scene.to_toml())


def gif(comment: bytes | None, subblock: int = 255) -> bytes:
    out = bytearray(b"GIF89a" + struct.pack("<HHBBB", 4, 4, 0x80, 0, 0) + b"\0" * 6)
    if comment is not None:
        out += b"!\xfe"
        for i in range(0, len(comment), subblock):
            part = comment[i:i + subblock]
            out += bytes([len(part)]) + part
        out += b"\0"
    out += b",\0\0\0\0\x04\0\x04\0\0\x02\x02\x44\x01\0;"
    return bytes(out)


def jpeg(comment: bytes | None) -> bytes:
    out = bytearray(b"\xff\xd8")
    out += b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"
    if comment is not None:
        out += b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment
    return bytes(out + b"\xff\xda\0\x08\x01\x01\0\0\x3f\0\xff\xd9")


def riff(*chunks: tuple[bytes, bytes]) -> bytes:
    body = b"WEBP" + b"".join(c + struct.pack("<I", len(p)) + p + b"\0" * (len(p) & 1)
                              for c, p in chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def mp4(comment: bytes | None) -> bytes:
    ilst = box(b"ilst", box(b"\xa9cmt", box(b"data", b"\0\0\0\x01\0\0\0\0" + comment))
               if comment is not None else b"")
    moov = box(b"moov", box(b"udta", box(b"meta", b"\0\0\0\0" + ilst)))
    return box(b"ftyp", b"isom\0\0\x02\0isom") + moov + box(b"mdat", b"\0" * 16)
