"""``wiktoria live``: serve a page that plays a scene's loop and changes it live."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from wiktoria.cli.app import cli, reports
from wiktoria.cli.options import (
    MOOD_HELP,
    SIZE,
    complete_mood,
    complete_style,
    note_jobs,
    parse_overrides,
)
from wiktoria.scene.styles import STYLES

__all__ = ["live_cmd"]

#: Full size of a scene made from a mood (a scene file or sketch keeps its own).
DEFAULT_SIZE = (768, 768)


@cli.command("live")
@click.argument("source", required=False, type=click.Path(dir_okay=False),
                metavar="[SCENE.toml | SKETCH.py]")
@click.option("--mood", "-m", default=None, shell_complete=complete_mood,
              help=MOOD_HELP + "  [default: seething]")
@click.option("--style", default=None, shell_complete=complete_style,
              help=f"{', '.join(STYLES)}  [default: landscape]")
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), default=None,
              help="Seed; drawn and printed when omitted.")
@click.option("--size", type=SIZE, default=None,
              help="Full size of stills and saved loops, WIDTHxHEIGHT  [default: the scene's, "
                   "else 768x768]")
@click.option("--set", "sets", multiple=True, metavar="LAYER.PARAM=VALUE",
              help="Start with this layer parameter (repeatable).")
@click.option("--preview", type=click.IntRange(16, 4096), default=256, show_default=True,
              metavar="PIXELS", help="Long side of the frames played live.")
@click.option("--quality", type=click.IntRange(1, 95), default=85, show_default=True,
              help="JPEG quality of the frames played live.")
@click.option("--jobs", "-j", type=int, default=None, metavar="N",
              help="Processes rendering the playing loop: 1 renders in the server's process; "
                   "N >= 2 starts N worker processes that render the frames ahead (a change's "
                   "first frame is still rendered in the server's process; a sketch's own "
                   "layer types always are), at most the usable CPUs  [default: 2 with 2 "
                   "CPUs or more, else 1]")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port to serve on (0: any free port).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to serve on; anything but this machine's loopback lets other "
                   "machines watch and change the scene.")
@click.option("--no-open", is_flag=True, help="Do not open the page in the browser.")
@reports
def live_cmd(source: str | None, mood: str | None, style: str | None, seed: int | None,
             size: tuple[int, int] | None, sets: tuple[str, ...], preview: int, quality: int,
             jobs: int | None, port: int, host: str, no_open: bool) -> None:
    """Play a scene's loop in the browser and change it live: mood, seed, style, every layer
    parameter, the loop's duration. Saving the scene file or the sketch reloads it; an error
    shows on the page and the last good painting stays. Files are saved in the current
    folder only.

    \b
    Examples:
      wiktoria live --mood serene
      wiktoria live scene.toml
      wiktoria live sketch.py --port 9000 --no-open

    \b
    HTTP interface (what the page uses; scripts may too):
      GET /            the page          GET /frame.png    the current frame
      GET /scene.toml  the scene         GET /state.json   the controls and their values
      POST /set        JSON {"layer.param": value, "seed": 7, "mood": "serene", ...}
      POST /save       JSON {"what": "still" | "loop" | "scene", "name": "file.png"}
    """
    from wiktoria.live import check_installed

    check_installed()
    import webbrowser

    from wiktoria.live.server import LiveServer, bind, is_loopback, serve
    from wiktoria.live.session import Session
    from wiktoria.live.source import load_scene
    from wiktoria.live.workers import check_live_jobs
    from wiktoria.moods.registry import resolve_mood
    from wiktoria.render.painting import build_scene

    if jobs is not None:
        check_live_jobs(jobs)  # before anything starts
        note_jobs(jobs)
    overrides = parse_overrides(sets)
    choices: dict[str, Any] = {}
    if source is not None:
        if not os.path.isfile(source):
            raise ValueError(f"no such file: {source!r}; give a scene (.toml) or a sketch (.py)")
        base = load_scene(source)
        mood_given = None if mood is None else resolve_mood(mood)  # a mood file, too
        choices.update({k: v for k, v in (("mood", mood_given), ("style", style),
                                           ("seed", seed), ("size", size)) if v is not None})
    else:
        base, _ = build_scene(mood or "seething", size or DEFAULT_SIZE, seed,
                              style or "landscape")
        if seed is None:
            click.echo(f"seed: {base.seed}")
    session = Session(base, Path.cwd(), preview=preview, source=source)
    if choices or overrides:
        session.set({**choices, **overrides})
    hosts = ["127.0.0.1", "localhost"]
    if host != "127.0.0.1":
        hosts = ["*"] if host in ("0.0.0.0", "::") else [host, *hosts]
        if not is_loopback(host):
            click.echo(f"Warning: serving on {host}: other machines can watch and change the "
                       "scene, and save files in this folder", err=True)
    sock = bind(host, port)
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else shown}:{bound}/"
    server = LiveServer(session, source=source, hosts=hosts, quality=quality, jobs=jobs)

    def started() -> None:
        click.echo(f"Wiktoria live at {url}  (Ctrl-C stops)")
        if not no_open:
            webbrowser.open(url)

    serve(server, sock, on_started=started)
    click.echo("Stopped.")
