"""``wiktoria encode FRAMES_DIR -o loop.EXT``: a folder of ``wiktoria frames`` into one file.

The file is byte for byte what ``wiktoria animate`` writes for the same scene and options
(every encoder is deterministic), carries the scene (``reproduce`` gives it again), and every
refused folder gives one line, exit status 2 and no output file.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from wiktoria.cli import cli

HAS_MP4 = importlib.util.find_spec("imageio_ffmpeg") is not None
LOOP = ["--mood", "serene", "--frames", "4", "--size", "32x24", "--seed", "3", "--jobs", "1",
        "--quiet"]


def run(args: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(cwd)
    return CliRunner().invoke(cli, args)


@pytest.fixture(scope="module")
def frames_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("frames")
    res = CliRunner().invoke(cli, ["frames", *LOOP, "-o", str(root / "fr")])
    assert res.exit_code == 0, res.output
    other = CliRunner().invoke(cli, ["frames", *LOOP[:-5], "--seed", "4", "--jobs", "1",
                                     "--quiet", "-o", str(root / "seed4")])
    assert other.exit_code == 0, other.output
    big = CliRunner().invoke(cli, ["frames", *LOOP[:4], "--size", "16x12", "--seed", "3",
                                   "--jobs", "1", "--quiet", "-o", str(root / "small")])
    assert big.exit_code == 0, big.output
    return root


@pytest.fixture
def work(tmp_path: Path, frames_dir: Path) -> Path:
    for name in ("fr", "seed4", "small"):
        shutil.copytree(frames_dir / name, tmp_path / name)
    return tmp_path


@pytest.mark.parametrize(("ext", "options"), [
    (".gif", []), (".gif", ["--dither", "ordered"]), (".png", []), (".webp", []),
    (".webp", ["--quality", "100"]), (".mp4", []), (".mp4", ["--quality", "40"]),
])
def test_encode_is_what_animate_writes(work: Path, monkeypatch: pytest.MonkeyPatch, ext: str,
                                       options: list[str]) -> None:
    if ext == ".mp4" and not HAS_MP4:
        pytest.skip("needs the mp4 extra")
    res = run(["encode", "fr", *options, "-q", "-o", f"enc{ext}"], work, monkeypatch)
    assert res.exit_code == 0, res.output
    assert res.output == f"wrote enc{ext}\n"
    assert run(["animate", *LOOP, *options, "-o", f"anim{ext}"], work,
               monkeypatch).exit_code == 0
    assert (work / f"enc{ext}").read_bytes() == (work / f"anim{ext}").read_bytes()
    # it carries the scene: reproduce renders the same file again
    res = run(["reproduce", f"enc{ext}", f"again{ext}", "-j", "1", *options], work, monkeypatch)
    assert res.exit_code == 0, res.output
    assert (work / f"again{ext}").read_bytes() == (work / f"enc{ext}").read_bytes()


def test_a_resumed_render_encodes_to_the_whole_loop(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(["frames", *LOOP, "--stop", "2", "-o", "fr"], tmp_path, monkeypatch).exit_code == 0
    res = run(["encode", "fr", "-o", "a.gif"], tmp_path, monkeypatch)
    assert res.exit_code == 2
    assert res.output == ("Error: 'fr' misses 2 of the 4 frames: 2-3 (frame_00002.png, "
                          "frame_00003.png); render them with wiktoria frames --resume (same "
                          "options)\n")
    assert not (tmp_path / "a.gif").exists()
    assert run(["frames", *LOOP, "--resume", "-o", "fr"], tmp_path, monkeypatch).exit_code == 0
    assert run(["encode", "fr", "-o", "a.gif"], tmp_path, monkeypatch).exit_code == 0
    assert run(["animate", *LOOP, "-o", "b.gif"], tmp_path, monkeypatch).exit_code == 0
    assert (tmp_path / "a.gif").read_bytes() == (tmp_path / "b.gif").read_bytes()


def test_a_custom_pattern(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(["frames", *LOOP, "--pattern", "f_###.png", "-o", "fr"], tmp_path,
               monkeypatch).exit_code == 0
    res = run(["encode", "fr", "-o", "a.png"], tmp_path, monkeypatch)
    assert res.exit_code == 2 and "give the --pattern they were written with" in res.output
    res = run(["encode", "fr", "--pattern", "f_###.png", "-o", "a.png"], tmp_path, monkeypatch)
    assert res.exit_code == 0, res.output
    assert run(["animate", *LOOP, "-o", "b.png"], tmp_path, monkeypatch).exit_code == 0
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()


def _missing(root: Path) -> None:
    (root / "fr" / "frame_00001.png").unlink()
    (root / "fr" / "frame_00002.png").unlink()


def _other_scene(root: Path) -> None:
    shutil.copy(root / "seed4" / "frame_00002.png", root / "fr" / "frame_00002.png")


def _other_size(root: Path) -> None:
    shutil.copy(root / "small" / "frame_00001.png", root / "fr" / "frame_00001.png")


def _empty(root: Path) -> None:
    shutil.rmtree(root / "fr")
    (root / "fr").mkdir()
    (root / "fr" / ".DS_Store").write_bytes(b"")  # hidden files do not count


def _foreign(root: Path) -> None:
    (root / "fr" / "notes.txt").write_text("hello")


def _renamed(root: Path) -> None:
    shutil.copy(root / "fr" / "frame_00002.png", root / "fr" / "frame_00003.png")


def _truncated(root: Path) -> None:
    frame = root / "fr" / "frame_00003.png"
    frame.write_bytes(frame.read_bytes()[:-200])


@pytest.mark.parametrize(("break_it", "args", "message"), [
    (_missing, [], "Error: 'fr' misses 2 of the 4 frames: 1-2 (frame_00001.png, "
                   "frame_00002.png); render them with wiktoria frames --resume (same "
                   "options)"),
    (_other_scene, [], "Error: frames of different scenes in 'fr': 'frame_00000.png' is serene "
                       "seed 3, 32x24, 4 frames at 24 fps; 'frame_00002.png' is serene seed 4, "
                       "32x24, 4 frames at 24 fps"),
    (_other_size, [], "Error: frames of different sizes in 'fr': 'frame_00000.png' is 32x24, "
                      "'frame_00001.png' is 16x12"),
    (_empty, [], "Error: frames folder 'fr' is empty: write frames into it with wiktoria "
                 "frames first"),
    (_foreign, [], "Error: 'notes.txt' in 'fr' is not a Wiktoria frame (a PNG written by "
                   "wiktoria frames); move it away"),
    (_renamed, [], "Error: 'frame_00003.png' in 'fr' carries frame 2 of the loop, not the "
                   "frame its name says; frames must keep the names wiktoria frames gave them"),
    (_truncated, [], "Error: frame 'frame_00003.png' in 'fr' cannot be read ("),
    (None, ["-o", "out.bmp"], "Error: cannot write an animation to 'out.bmp': unknown "
                              "extension '.bmp'; valid: .gif, .png, .webp, .mp4"),
    (None, ["-o", "fr/out.gif"], "Error: write 'fr/out.gif' outside the frames folder 'fr' "
                                 "(resuming its render would refuse a foreign file there)"),
    (None, ["--quality", "50"], "Error: quality applies to .webp and .mp4 only, got "
                                "quality=50 for .gif"),
    (None, ["--dither", "floyd", "-o", "out.webp"], "Error: dither applies to .gif only"),
    (lambda root: shutil.rmtree(root / "fr"), [], "Error: frames folder 'fr' does not exist"),
])
def test_refused(work: Path, monkeypatch: pytest.MonkeyPatch, break_it, args: list[str],
                 message: str) -> None:
    if break_it is not None:
        break_it(work)
    before = sorted(p.relative_to(work) for p in work.rglob("*"))
    res = run(["encode", "fr", *(args if "-o" in args else [*args, "-o", "out.gif"])], work,
              monkeypatch)
    assert res.exit_code == 2
    assert res.output.startswith(message), res.output
    assert res.output.count("\n") == 1 and "Traceback" not in res.output
    assert sorted(p.relative_to(work) for p in work.rglob("*")) == before  # no output, no temp


def test_encode_as_a_real_subprocess(work: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "wiktoria", "encode", "fr", "-o", "a.webp"],
                          cwd=work, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "wrote a.webp\n"
    res = subprocess.run([sys.executable, "-m", "wiktoria", "reproduce", "a.webp", "b.webp",
                          "-j", "1"], cwd=work, capture_output=True, text=True, timeout=300,
                         check=False)
    assert res.returncode == 0, res.stderr
    assert (work / "a.webp").read_bytes() == (work / "b.webp").read_bytes()
    proc = subprocess.run([sys.executable, "-m", "wiktoria", "encode", "seed4", "small", "-o",
                           "x.gif"], cwd=work, capture_output=True, text=True, timeout=300,
                          check=False)
    assert proc.returncode == 2 and proc.stderr.startswith("Error: Got unexpected extra argument")
    (work / "fr" / "frame_00000.png").unlink()
    proc = subprocess.run([sys.executable, "-m", "wiktoria", "encode", "fr", "-o", "c.mp4"],
                          cwd=work, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 2
    assert proc.stderr == ("Error: 'fr' misses 1 of the 4 frames: 0 (frame_00000.png); render "
                           "them with wiktoria frames --resume (same options)\n")
    assert not (work / "c.mp4").exists()
