"""Generate the README's table of moods from the mood files in ``palettes/``.

    python docs/readme_moods.py           # rewrite the table in README.md
    python docs/readme_moods.py --check   # exit 1 if README.md is out of date

The table sits between the markers ``<!-- moods:start -->`` and ``<!-- moods:end -->``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import wiktoria

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- moods:start -->", "<!-- moods:end -->"


def table() -> str:
    """The markdown table: one row per mood, calm to agitated."""
    moods = sorted((wiktoria.mood(n) for n in wiktoria.moods()), key=lambda m: m.arousal)
    rows = ["| mood | aliases | valence | arousal | speed | loop (s) | colours | evokes |",
            "|---|---|---|---|---|---|---|---|"]
    for m in moods:
        colours = " ".join(f"`{h}`" for h in m.palette.sample_hexes(5))
        aliases = ", ".join(m.aliases) or "-"
        lo, hi = m.motion.duration or (0.0, 0.0)
        rows.append(f"| {m.name} | {aliases} | {m.valence:+.2f} | {m.arousal:+.2f} | "
                    f"{m.motion.speed:.3f} | {lo:g}-{hi:g} | {colours} | {m.description} |")
    return "\n".join(rows)


def render(text: str) -> str:
    """``text`` with the block between the markers replaced by the current table."""
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{table()}\n{END}{tail}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="only check that README.md is current")
    args = ap.parse_args()
    text = README.read_text(encoding="utf-8")
    if START not in text or END not in text:
        print(f"README.md has no {START} ... {END} block", file=sys.stderr)
        return 1
    new = render(text)
    if args.check:
        if new != text:
            print("README.md's table of moods is out of date: run docs/readme_moods.py",
                  file=sys.stderr)
            return 1
        return 0
    README.write_text(new, encoding="utf-8")
    print(f"wrote the table of {len(wiktoria.moods())} moods into {README}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
