"""The example notebook runs top to bottom in a fresh kernel of this venv."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "examples" / "explore.ipynb"


@pytest.fixture()
def kernel_name(tmp_path, monkeypatch):
    """A kernelspec for *this* interpreter in a private JUPYTER_PATH (no user-wide install)."""
    pytest.importorskip("ipykernel")
    spec_dir = tmp_path / "jupyter" / "kernels" / "geomap-test"
    spec_dir.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "geomap test",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter-data"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    return "geomap-test"


@pytest.mark.slow
def test_notebook_executes_and_shows_tables_and_map(kernel_name):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(nb, kernel_name=kernel_name, timeout=600,
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    # The articles table shows both seeds with their dates.
    assert any("cnn-2012-07-25" in h and "2012-07-30" in h for h in html)
    # The groupby by governorate and week produced a table with those columns.
    assert any("admin1" in h and "week" in h and "Aleppo" in h for h in html)
    # The last cell renders the folium map inline (an iframe holding the map document).
    last = nb.cells[-1]["outputs"][-1]["data"]["text/html"]
    assert "iframe" in last or "leaflet" in last.lower()
