"""The stderr progress bar (cli.progress) and the progress protocol (common.progress)."""

from __future__ import annotations

import io
import threading

import pytest

from wiktoria.cli.progress import ProgressBar
from wiktoria.common.progress import Counter, Progress, check_progress, started


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_draws_on_a_terminal() -> None:
    out = Tty()
    bar = ProgressBar(label="frames", file=out, delay=0, min_interval=0)
    bar.start(4)
    for _ in range(4):
        bar.update()
    text = out.getvalue()
    assert bar.shown and text.endswith("\n") and text.count("\n") == 1
    assert "frames [" in text and "4/4 100%" in text and "\r" in text
    assert "2/4  50%" in text and "left" in text


def test_progress_bar_is_silent_when_not_wanted() -> None:
    for bar in (ProgressBar(3, file=io.StringIO(), delay=0),  # not a terminal
                ProgressBar(3, file=Tty(), delay=0, quiet=True),
                ProgressBar(3, file=Tty(), delay=60)):  # quick work
        for _ in range(3):
            bar.update()
        bar.close()
        assert not bar.shown and bar.done == 3
        assert bar.file is not None and bar.file.getvalue() == ""  # type: ignore[attr-defined]


def test_progress_bar_threads_and_close() -> None:
    out = Tty()
    bar = ProgressBar(4000, "x", file=out, delay=0)

    def work() -> None:
        for _ in range(1000):
            bar(1)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert bar.done == 4000 and out.getvalue().endswith("\n")
    with ProgressBar(10, file=Tty(), delay=0) as b2:
        b2.update(3)
    assert b2.file.getvalue().endswith("\n")  # type: ignore[union-attr]
    assert ProgressBar(label="n").line().startswith("n 0 ")  # unknown total
    with pytest.raises(ValueError, match="total must be a whole number of at least 0"):
        ProgressBar(-1)


def test_the_protocol() -> None:
    assert isinstance(ProgressBar(), Progress) and isinstance(Counter(), Progress)
    assert started(None, 3) is None and check_progress(None) is None
    c = Counter()
    assert started(c, 4) is c and c.total == 4
    seen: list[int] = []
    started(seen.append, 2)  # a plain function has no start: fine
    with pytest.raises(TypeError, match="progress must be a callable taking a count, got int"):
        check_progress(3)
