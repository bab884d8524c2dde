"""``examples/wiktoria.ipynb`` runs in a real Jupyter kernel and paints inline.

The kernel is the ``python3`` kernelspec that ipykernel installs into this interpreter's prefix
(``share/jupyter/kernels``); nbclient, ipykernel and nbformat are in the ``test`` extra. The
committed notebook must be clean (``docs/make_notebook.py`` writes it so) and equal to what
the generator writes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbclient
import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "examples" / "wiktoria.ipynb"


def _code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def test_committed_notebook_is_clean() -> None:
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    cells = _code_cells(nb)
    assert cells
    for cell in cells:
        assert cell["outputs"] == [], "commit the notebook without outputs"
        assert cell["execution_count"] is None, "commit the notebook without execution counts"
    nbformat.validate(nbformat.reads(NOTEBOOK.read_text(encoding="utf-8"), as_version=4))


def test_committed_notebook_matches_its_generator() -> None:
    sys.path.insert(0, str(ROOT / "docs"))
    try:
        import make_notebook
    finally:
        sys.path.remove(str(ROOT / "docs"))
    # Compare the content, not the bytes, so another nbformat version's layout does not matter.
    committed = nbformat.read(NOTEBOOK, as_version=4)
    generated = make_notebook.build()

    def content(nb: nbformat.NotebookNode) -> list[tuple[str, str, str]]:
        return [(c.cell_type, c.get("id", ""), c.source) for c in nb.cells]

    assert content(committed) == content(generated), \
        "examples/wiktoria.ipynb is stale: run python docs/make_notebook.py"
    assert committed.metadata["kernelspec"] == generated.metadata["kernelspec"]


@pytest.mark.slow
def test_notebook_executes_and_paints_inline(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    # Keep the user's own palette folders out of the kernel (it inherits this environment).
    monkeypatch.setenv("WIKTORIA_PALETTES", str(tmp_path / "user-palettes"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute(cwd=str(tmp_path))

    outputs = [o for cell in _code_cells(nb) for o in cell["outputs"]]
    errors = [o for o in outputs if o["output_type"] == "error"]
    assert not errors, errors
    stderr = [o["text"] for o in outputs
              if o["output_type"] == "stream" and o.get("name") == "stderr"]
    assert not stderr, stderr
    data = [o.get("data", {}) for o in outputs if o["output_type"] == "execute_result"]
    pngs = [d["image/png"] for d in data if "image/png" in d]
    html = [d["text/html"] for d in data if "text/html" in d]
    assert len(pngs) >= 4, "stills, the plane and the noise should display as PNG"
    assert any('<img src="data:image/' in h for h in html), "the loop should play inline"
    # The painting cell saved a file into the kernel's working folder, and the loop cell too.
    assert (tmp_path / "seething.png").is_file()
    assert (tmp_path / "seething.gif").is_file()
    # While the loop rendered for display a progress bar showed (the `notebook` extra, which
    # the test extra includes): a tqdm widget, and nothing on stderr (checked above).
    widgets = [o for o in outputs if o["output_type"] == "display_data"
               and "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert widgets, "the loop should show a progress bar while it renders"
    # The explorer displays as a widget (its cell shows a widget view, not a repr).
    explorer = next(c for c in _code_cells(nb) if "wiktoria.explore(" in c["source"])
    assert any(o["output_type"] == "display_data"
               and "application/vnd.jupyter.widget-view+json" in o.get("data", {})
               for o in explorer["outputs"]), "the explorer should display as a widget"
