"""A battery of crafted input files and bad output paths, through the CLI.

Every case must end with exit status 2, exactly one ``Error:`` line on stderr, no traceback,
nothing new in the output folder (hidden parts included), no secret echoed, and no file opened
outside the inputs, the output folder and the program's own files (recorded with an audit
hook). Most cases run through CliRunner; a handful run as real subprocesses.

The cases that first failed because of code outside files and outputs (deep nesting, tiny
frame rates, 10,000 layers, a dump that names the image) now run with the others.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import wiktoria
from tests.io import crafted
from wiktoria.cli import cli
from wiktoria.io.headers import MAX_TEXT_BYTES
from wiktoria.io.metadata import MOOD_KEY, SCENE_KEY, xmp_packet

SECRET = "wiktoria-fuzz-secret-4f1c9e"

# --------------------------------------------------------------------------- opened files

_recording: list[str] | None = None


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _recording is not None and event == "open" and args and isinstance(args[0], str | bytes):
        _recording.append(os.fsdecode(args[0]))


sys.addaudithook(_audit)

_ALLOWED_ROOTS = tuple({os.path.realpath(p) for p in (
    sys.prefix, sys.base_prefix, sysconfig.get_paths()["stdlib"],
    sysconfig.get_paths()["purelib"], os.path.dirname(wiktoria.__file__),
    os.path.dirname(os.path.dirname(wiktoria.__file__)))})


_CGROUP_FILES = {"memory.max", "memory.current", "memory.stat", "memory.limit_in_bytes",
                 "memory.usage_in_bytes"}


def outside(opened: list[str], roots: tuple[str, ...]) -> list[str]:
    bad = []
    for p in opened:
        real = os.path.realpath(p)
        if real in ("/dev/null", "/dev/full", "/dev/urandom", "/proc/meminfo") or real.startswith(
                _ALLOWED_ROOTS + roots):
            continue
        # The memory check reads this process's own limits (cgroup, rlimits, its status).
        if real in ("/proc/self/cgroup", "/proc/self/mountinfo", "/proc/self/status") or (
                real.startswith("/sys/fs/cgroup/") and os.path.basename(real) in _CGROUP_FILES):
            continue
        if re.fullmatch(r"/proc/\d+/(cgroup|mountinfo|status)", real):
            continue
        if real.startswith(os.path.join(tempfile.gettempdir(), "wiktoria-")):  # stream output
            continue
        bad.append(p)
    return bad


# --------------------------------------------------------------------------- cases


def scene_with(pattern: str, replacement: str, loop: bool = False) -> str:
    text = crafted.loop_scene() if loop else crafted.still_scene()
    new, n = re.subn(pattern, replacement, text, count=1, flags=re.M)
    assert n == 1, pattern
    return new


def mood_path_scene(path: str) -> str:
    """A 0.1-style scene naming its mood by a path, with no mood chunk beside it."""
    text = scene_with(r'^wiktoria = ".*"$', 'wiktoria = "0.1.0"')
    start, end = text.index("[mood]"), text.index("[[layers]]")
    head = text[:start].replace('style = "landscape"', f'mood = "{path}"\nstyle = "landscape"')
    assert head != text[:start]
    return head + text[end:]


#: Paths the crafted texts may name, set by the ``env_dirs`` fixture: ``{secret}``, ``{huge}``.
PLACES: dict[str, str] = {}


def placed(text: str) -> str:
    for key, value in PLACES.items():
        text = text.replace("{" + key + "}", value)
    return text


Maker = Callable[[Path], None]


def file(name: str, data: bytes | Callable[[], bytes]) -> Maker:
    def make(folder: Path) -> None:
        (folder / name).write_bytes(data() if callable(data) else data)
    return make


def png_scene(name: str, scene: str | Callable[[], str], mood: str | None = None) -> Maker:
    return file(name, lambda: crafted.scene_png(placed(scene() if callable(scene) else scene),
                                                mood))


def sparse(name: str, size: int) -> Maker:
    def make(folder: Path) -> None:
        with open(folder / name, "wb") as f:
            f.truncate(size)
    return make


def fifo(name: str) -> Maker:
    return lambda folder: os.mkfifo(folder / name)


def folder_named(name: str) -> Maker:
    return lambda folder: (folder / name).mkdir()


def loop_link(name: str) -> Maker:
    def make(folder: Path) -> None:
        (folder / name).symlink_to(name + ".2")
        (folder / (name + ".2")).symlink_to(name)
    return make


def block_device(name: str) -> Maker:
    return lambda folder: os.mknod(folder / name, 0o600 | stat.S_IFBLK, os.makedev(7, 0))


@dataclass
class Case:
    args: list[str]
    inputs: list[Maker] = field(default_factory=list)
    outputs: list[Maker] = field(default_factory=list)  # made in the output folder first
    match: str = ""
    root: bool = False  # needs root (device nodes)


def still(name: str = "s.png") -> Maker:
    return file(name, lambda: wiktoria.paint("serene", size=(16, 8), seed=1).png_bytes())


DEEP = "a = " + "[" * 50_000 + "]" * 50_000 + "\n"
MANY_LAYERS = ("".join('[[layers]]\ntype = "sky"\n' for _ in range(200_000)))

CASES: dict[str, Case] = {
    # --- scene chunks in PNGs: reproduce and paint --scene
    "png-malformed-toml": Case(["reproduce", "{in}/a.png", "o.png"],
                               [png_scene("a.png", "mood = [\n")], match="malformed TOML"),
    "png-wrong-type": Case(["reproduce", "{in}/a.png", "o.png"],
                           [png_scene("a.png", lambda: scene_with(r"^width = 16", 'width = "x"'))]),
    "png-width-huge": Case(["reproduce", "{in}/a.png", "o.png"],
                           [png_scene("a.png", lambda: scene_with(r"^width = 16", "width = 1e9"))]),
    "png-unknown-layer": Case(["paint", "--scene", "{in}/a.png", "-o", "o.png"],
                              [png_scene("a.png", lambda: scene_with(r'^type = "air"',
                                                                     'type = "volcano"'))]),
    "png-mood-etc-passwd": Case(["reproduce", "{in}/a.png", "o.png"],
                                [png_scene("a.png", lambda: mood_path_scene("/etc/passwd"))],
                                match="is a path"),
    "png-mood-proc-environ": Case(["paint", "--scene", "{in}/a.png", "-o", "o.png"],
                                  [png_scene("a.png",
                                             lambda: mood_path_scene("/proc/self/environ"))],
                                  match="is a path"),
    "png-mood-secret-file": Case(["reproduce", "{in}/a.png", "o.png"],
                                 [png_scene("a.png", lambda: mood_path_scene("{secret}"))],
                                 match="is a path"),
    "png-mood-huge-file": Case(["reproduce", "{in}/a.png", "o.png"],
                               [png_scene("a.png", lambda: mood_path_scene("{huge}"))],
                               match="is a path"),
    "png-mood-relative": Case(["reproduce", "{in}/a.png", "o.png"],
                              [png_scene("a.png", lambda: mood_path_scene("../secret.toml"))],
                              match="is a path"),
    "png-mood-chunk-malformed": Case(["reproduce", "{in}/a.png", "o.png"],
                                     [png_scene("a.png", lambda: mood_path_scene("serene"),
                                                mood="name = [")]),
    "png-mood-chunk-huge": Case(["reproduce", "{in}/a.png", "o.png"], [file(
        "a.png", lambda: crafted.png(crafted.itxt(SCENE_KEY, crafted.still_scene()),
                                     crafted.itxt(MOOD_KEY, b"#" * (MAX_TEXT_BYTES + 1))))],
        match="'wiktoria:mood' chunk is over 1 MB"),
    "png-zip-bomb": Case(["reproduce", "{in}/a.png", "o.png"], [file(
        "a.png", lambda: crafted.png(crafted.itxt(SCENE_KEY, b" " * (64 * MAX_TEXT_BYTES))))],
        match="over 1 MB"),
    "png-200k-layers": Case(["reproduce", "{in}/a.png", "o.png"], [png_scene(
        "a.png", lambda: crafted.still_scene().split("[[layers]]")[0] + MANY_LAYERS)],
        match="over 1 MB"),
    "png-huge-plain-chunk": Case(["paint", "--scene", "{in}/a.png", "-o", "o.png"], [file(
        "a.png", lambda: crafted.png(crafted.itxt(SCENE_KEY, b"#" * (2 * MAX_TEXT_BYTES),
                                                  zipped=False)))], match="over 1 MB"),
    "png-bomb-header-no-scene": Case(["reproduce", "{in}/a.png", "o.png"],
                                     [file("a.png", lambda: crafted.png(w=20000, h=20000))],
                                     match="carries no Wiktoria scene"),
    "png-truncated": Case(["reproduce", "{in}/a.png", "o.png"],
                          [file("a.png", lambda: crafted.scene_png(crafted.still_scene())[:60])],
                          match="truncated"),
    "png-crc": Case(["reproduce", "{in}/a.png", "o.png"], [file(
        "a.png", crafted.png(crafted.chunk(b"iTXt", crafted.itxt(SCENE_KEY, "x")[8:-4], 7)))],
        match="CRC mismatch"),
    "png-not-png": Case(["reproduce", "{in}/a.png", "o.png"], [file("a.png", b"hello\n")],
                        match="not a PNG, JPEG"),
    "png-empty": Case(["paint", "--scene", "{in}/a.png", "-o", "o.png"], [file("a.png", b"")],
                      match="it is empty"),
    "png-not-utf8": Case(["reproduce", "{in}/a.png", "o.png"], [file(
        "a.png", crafted.png(crafted.itxt(SCENE_KEY, b"\xff\xfe", zipped=False)))],
        match="not UTF-8"),
    "png-dir": Case(["reproduce", "{in}/a.png", "o.png"], [folder_named("a.png")],
                    match="is a directory"),
    "png-dir-scene": Case(["animate", "--scene", "{in}/a.png", "-o", "o.gif"],
                          [folder_named("a.png")], match="is a directory"),
    "png-fifo": Case(["reproduce", "{in}/a.png", "o.png"], [fifo("a.png")],
                     match="not a regular file"),
    "png-symlink-loop": Case(["paint", "--scene", "{in}/a.png", "-o", "o.png"],
                             [loop_link("a.png")], match="symlink loop"),
    "png-missing": Case(["reproduce", "{in}/none.png", "o.png"], match="does not exist"),
    "png-dev-zero": Case(["reproduce", "/dev/zero", "o.png"], match="not a regular file"),
    # --- other containers
    "gif-truncated": Case(["reproduce", "{in}/a.gif", "o.gif"],
                          [file("a.gif", crafted.gif(b"x" * 600)[:300])], match="truncated"),
    "gif-huge-comment": Case(["animate", "--scene", "{in}/a.gif", "-o", "o.gif"],
                             [file("a.gif", lambda: crafted.gif(b"#" * (MAX_TEXT_BYTES + 1)))],
                             match="over 1 MB"),
    "jpeg-no-comment": Case(["reproduce", "{in}/a.jpg", "o.png"],
                            [file("a.jpg", crafted.jpeg(None))], match="carries no"),
    "webp-huge-xmp": Case(["reproduce", "{in}/a.webp", "o.webp"], [file(
        "a.webp", lambda: crafted.riff((b"XMP ", xmp_packet("#" * (MAX_TEXT_BYTES + 5)))))],
        match="over 1 MB"),
    "mp4-bad-box": Case(["reproduce", "{in}/a.mp4", "o.mp4"],
                        [file("a.mp4", crafted.box(b"ftyp", b"isom") + b"\0\0\0\x04moov")],
                        match="bad size"),
    "mp4-mood-path": Case(["reproduce", "{in}/a.mp4", "o.mp4"], [file(
        "a.mp4", lambda: crafted.mp4(mood_path_scene("/etc/passwd").encode()))],
        match="is a path"),
    # --- scene .toml files
    "toml-malformed": Case(["paint", "--scene", "{in}/s.toml", "-o", "o.png"],
                           [file("s.toml", b"[canvas\n")], match="malformed TOML"),
    "toml-sparse-8gib": Case(["paint", "--scene", "{in}/s.toml", "-o", "o.png"],
                             [sparse("s.toml", 8 * 2**30)], match="over 1 MB"),
    "toml-binary": Case(["reproduce", "{in}/s.toml", "o.png"],
                        [file("s.toml", bytes(range(256)))], match="not UTF-8"),
    "toml-mood-passwd": Case(["paint", "--scene", "{in}/s.toml", "-o", "o.png"],
                             [file("s.toml", lambda: mood_path_scene("/etc/passwd").encode())],
                             match="is a path"),
    "toml-fifo": Case(["paint", "--scene", "{in}/s.toml", "-o", "o.png"], [fifo("s.toml")],
                      match="not a regular file"),
    "toml-fps-zero": Case(["reproduce", "{in}/s.toml", "o.gif"], [file(
        "s.toml", lambda: scene_with(r"^fps = .*$", "fps = 0.0", loop=True).encode())]),
    # --- outputs
    "out-dump-same": Case(["paint", "--size", "16x8", "--seed", "1", "-o", "x.png",
                           "--dump-scene", "x.png"], match="is the image file"),
    "out-dump-dot": Case(["paint", "--size", "16x8", "--seed", "1", "-o", "x.png",
                          "--dump-scene", "./x.png"], match="is the image file"),
    "out-dump-symlink": Case(["paint", "--size", "16x8", "--seed", "1", "-o", "x.png",
                              "--dump-scene", "l.png"],
                             outputs=[lambda d: (d / "l.png").symlink_to("x.png")],
                             match="is the image file"),
    "out-dump-hardlink": Case(["paint", "--size", "16x8", "--seed", "1", "-o", "x.png",
                               "--dump-scene", "h.png"],
                              outputs=[still("x.png"), lambda d: os.link(d / "x.png", d / "h.png")],
                              match="is the image file"),
    "out-dump-over-an-image": Case(["paint", "--size", "16x8", "--seed", "1", "-o", "x.png",
                                    "--dump-scene", "old.png"], outputs=[still("old.png")],
                                   match="is an image; give the scene its own file"),
    "out-animate-dump-over-an-image": Case(
        ["animate", "--size", "16x8", "--frames", "2", "-o", "a.gif", "--dump-scene", "old.gif"],
        outputs=[file("old.gif", crafted.gif(None))], match="is an image"),
    "out-both-stdout": Case(["paint", "--size", "16x8", "--seed", "1", "-o", "-",
                             "--dump-scene", "-"], match="both write to standard output"),
    "out-folder": Case(["paint", "--size", "16x8", "--seed", "1", "-o", "x.png"],
                       outputs=[folder_named("x.png")], match="is a folder"),
    "out-block-device": Case(["paint", "--size", "16x8", "--seed", "1", "-o", "disk.png"],
                             outputs=[block_device("disk.png")], match="block device", root=True),
    "out-fifo-no-reader": Case(["paint", "--size", "16x8", "--seed", "1", "-o", "f.png"],
                               outputs=[fifo("f.png")], match="FIFO that nobody reads"),
    "out-missing-folder": Case(["paint", "--size", "16x8", "--seed", "1", "-o", "no/x.png"],
                               match="does not exist; create it first"),
    "out-dump-missing-folder": Case(["paint", "--size", "16x8", "--seed", "1", "-o", "x.png",
                                     "--dump-scene", "no/s.toml"], match="does not exist"),
    "out-dev-full": Case(["paint", "--size", "16x8", "--seed", "1", "-o", "/dev/full"],
                         match=r"^Error: cannot write '/dev/full': No space left on device$"),
    "out-palette-dev-full": Case(["palette", "export", "serene", "-o", "/dev/full"],
                                 match="No space left on device"),
    "out-stdout-twice": Case(["paint", "--size", "16x8", "--seed", "1", "-o", "-",
                              "--dump-scene", "/dev/stdout"], match="is the image file '-'"),
    "out-extension": Case(["paint", "--size", "16x8", "--seed", "1", "-o", "x.bmp"],
                          match="unknown extension"),
    "out-no-extension": Case(["paint", "--size", "16x8", "--seed", "1", "-o", "x"],
                             match="unknown extension"),
    "out-symlink-loop": Case(["paint", "--size", "16x8", "--seed", "1", "-o", "x.png"],
                             outputs=[loop_link("x.png")], match="symbolic links"),
    "out-reproduce-still-as-gif": Case(["reproduce", "{in}/s.png", "o.gif"], [still()],
                                       match="is a still"),
    "out-palette-folder": Case(["palette", "export", "serene", "-o", "p.gpl"],
                               outputs=[folder_named("p.gpl")], match="is a directory"),
    "out-palette-block": Case(["palette", "export", "serene", "-o", "disk"],
                              outputs=[block_device("disk")], match="block device", root=True),
    "out-animate-folder": Case(["animate", "--size", "16x8", "--frames", "2", "-o", "a.gif"],
                               outputs=[folder_named("a.gif")], match="is a directory"),
}

CASES.update({
    "png-deep-nesting": Case(["reproduce", "{in}/a.png", "o.png"], [png_scene("a.png", DEEP)],
                             match="nest deeper than 16 levels"),
    "toml-deep-nesting": Case(["paint", "--scene", "{in}/s.toml", "-o", "o.png"],
                              [file("s.toml", DEEP.encode())], match="nest deeper than 16 levels"),
    "out-animate-dump-same": Case(["animate", "--size", "16x8", "--frames", "2", "-o", "a.gif",
                                   "--dump-scene", "a.gif"], match="is the image file"),
    "out-frames-dump-in-folder": Case(["frames", "--size", "16x8", "--frames", "2", "-o", "fr",
                                       "--dump-scene", "fr/frame_00000.png"],
                                      outputs=[folder_named("fr")],
                                      match="is inside the frames folder"),
    "toml-fps-tiny": Case(["reproduce", "{in}/s.toml", "o.gif"], [file(
        "s.toml", lambda: scene_with(r"^fps = .*$", "fps = 1e-310", loop=True).encode())],
        match="fps must be a number from 0.001 to 100, got 1e-310"),
    "toml-10k-layers": Case(["reproduce", "{in}/s.toml", "o.png"], [file(
        "s.toml", lambda: crafted.still_scene().split("[[layers]]")[0].replace(
            'style = "landscape"\n', 'style = "landscape"\nlayers = ['
            + ",".join(['{type="sky"}'] * 10_000) + "]\n").encode())],
        match="a scene holds at most 256 layers, got 10000"),
})


# --------------------------------------------------------------------------- running


@pytest.fixture(scope="module")
def env_dirs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    base = tmp_path_factory.mktemp("fuzz-shared")
    secret = base / "secret.toml"
    secret.write_text(f'name = "{SECRET}"\n')
    huge = base / "huge.toml"
    with open(huge, "wb") as f:
        f.truncate(4 * 2**30)
    palettes = base / "palettes"
    palettes.mkdir()
    PLACES.update(secret=str(secret), huge=str(huge))
    return {"secret": str(secret), "huge": str(huge), "palettes": str(palettes),
            "base": str(base)}


def prepare(case: Case, tmp_path: Path, dirs: dict[str, str]) -> tuple[Path, Path, list[str]]:
    if case.root and os.geteuid() != 0:
        pytest.skip("needs root")
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    out.mkdir()
    for make in case.inputs:
        make(inp)
    for make in case.outputs:
        make(out)
    return inp, out, [a.replace("{in}", str(inp)) for a in case.args]


def listing(folder: Path) -> list[tuple[str, int]]:
    """Every entry under ``folder`` (hidden ones too), with its type and mode."""
    out = []
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            p = Path(root, name)
            out.append((str(p.relative_to(folder)), p.lstat().st_mode))
    return sorted(out)


def check(name: str, code: int, stderr: str, stdout: str, out: Path,
          before: list[tuple[str, int]], case: Case) -> None:
    lines = stderr.splitlines()
    assert code == 2, f"{name}: exit {code}\n{stderr}"
    assert "Traceback" not in stderr, f"{name}:\n{stderr}"
    assert len(lines) == 1 and lines[0].startswith("Error: "), f"{name}: {stderr!r}"
    assert re.search(case.match, lines[0]), f"{name}: {lines[0]!r} !~ {case.match!r}"
    assert SECRET not in stderr + stdout and "root:x:0" not in stderr + stdout
    assert listing(out) == before, f"{name}: left {listing(out)} (was {before})"


def run_cli(name: str, case: Case, tmp_path: Path, dirs: dict[str, str],
            monkeypatch: pytest.MonkeyPatch) -> None:
    global _recording
    inp, out, args = prepare(case, tmp_path, dirs)
    before = listing(out)
    monkeypatch.chdir(out)
    monkeypatch.setenv("WIKTORIA_FUZZ_SECRET", SECRET)
    monkeypatch.setenv("WIKTORIA_PALETTES", dirs["palettes"])
    opened: list[str] = []
    _recording = opened
    try:
        res = CliRunner().invoke(cli, args)
    finally:
        _recording = None
    check(name, res.exit_code, res.stderr, res.stdout, out, before, case)
    strays = outside(opened, (str(inp), str(out), os.path.realpath(inp), os.path.realpath(out),
                              dirs["palettes"], "/dev/zero"))
    assert strays == [], f"{name}: opened {strays}"


@pytest.mark.parametrize("name", sorted(CASES))
def test_fuzz_cli(name: str, tmp_path: Path, env_dirs: dict[str, str],
                  monkeypatch: pytest.MonkeyPatch) -> None:
    run_cli(name, CASES[name], tmp_path, env_dirs, monkeypatch)


def test_the_audit_hook_sees_what_the_cli_opens(tmp_path: Path, env_dirs: dict[str, str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    global _recording
    (tmp_path / "s.toml").write_text(crafted.still_scene())
    monkeypatch.chdir(tmp_path)
    opened: list[str] = []
    _recording = opened
    try:
        res = CliRunner().invoke(cli, ["paint", "--scene", "s.toml", "-o", "a.png"])
    finally:
        _recording = None
    assert res.exit_code == 0, res.stderr
    assert "s.toml" in [os.path.basename(p) for p in opened]
    assert outside(opened, (str(tmp_path),)) == []


SUBPROCESS = ["png-mood-etc-passwd", "png-mood-proc-environ", "png-zip-bomb", "png-fifo",
              "toml-sparse-8gib", "out-dump-same"]


@pytest.mark.parametrize("name", SUBPROCESS)
def test_fuzz_subprocess(name: str, tmp_path: Path, env_dirs: dict[str, str]) -> None:
    case = CASES[name]
    _, out, args = prepare(case, tmp_path, env_dirs)
    before = listing(out)
    env = {**os.environ, "WIKTORIA_FUZZ_SECRET": SECRET, "WIKTORIA_PALETTES":
           env_dirs["palettes"]}
    cmd = [sys.executable, "-m", "wiktoria", *args]
    trace = tmp_path / "trace"
    strace = shutil.which("strace")
    if strace:
        cmd = [strace, "-f", "-qq", "-e", "trace=open,openat,openat2", "-o", str(trace), *cmd]
    proc = subprocess.run(cmd, cwd=out, env=env, capture_output=True, text=True, timeout=120,
                          check=False)
    check(name, proc.returncode, proc.stderr, proc.stdout, out, before, case)
    if strace:
        opened = re.findall(r'open(?:at2?)?\((?:AT_FDCWD, )?"([^"]+)"', trace.read_text())
        assert opened, "strace recorded nothing"
        for forbidden in ("/etc/passwd", "/proc/self/environ", env_dirs["secret"],
                          env_dirs["huge"]):
            assert forbidden not in opened, f"{name}: opened {forbidden}"
