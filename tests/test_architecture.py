"""The package's layering, read from its source with ``ast`` (no import is executed).

Data flows one way: read -> nlp -> tables -> store/write -> map, with the shared modules and the
gazetteer below every stage and the command line on top (DEVELOPERS.md's module table). A module
imports its own layer or a lower one, never a higher one, and no set of modules imports each other
in a circle. Every import counts: module-level ones and those inside functions (a function-level
import that goes the wrong way is the same design cycle, only deferred). Imports under
``if TYPE_CHECKING:`` count for the layering but not for cycles, since they never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "geomap"

# Lowest layer first. A module belongs to the layer of its longest listed prefix; a new module
# (or a new subpackage) must be added here, test_every_module_has_a_layer says so.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("shared", ("settings", "errors", "schema", "text", "transliteration")),
    ("gazetteer", ("gazetteer", "gazetteer_admin", "gazetteer_import", "geonames_dump")),
    (
        "read",
        (
            "read",
            "read_formats",
            "article_rows",
            "encoding",
            "folders",
            "front_matter",
            "publication_date",
            "html_article",
        ),
    ),
    ("nlp", ("nlp",)),
    ("tables", ("tables", "doc_records", "same_event", "batch", "extraction")),
    ("store/write", ("write", "store", "store_layout", "store_merge", "gpkg", "outdir")),
    ("map", ("map", "mapping", "edited", "export")),
    ("cli", ("cli", "cli_common", "cli_run", "cli_store", "cli_gazetteer")),
]
RANK = {prefix: rank for rank, (_, prefixes) in enumerate(LAYERS) for prefix in prefixes}
ROOT = "geomap"


def module_names(package: Path) -> dict[str, Path]:
    """Dotted module name -> source file, for every ``.py`` file under ``package``."""
    names = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        names[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return names


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    """ids of the import nodes inside ``if TYPE_CHECKING:`` blocks."""
    inside = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else test.attr if isinstance(test, ast.Attribute) else ""
            if name == "TYPE_CHECKING":
                for stmt in node.body:
                    inside.update(id(n) for n in ast.walk(stmt))
    return inside


def imports(package: Path) -> list[tuple[str, str, bool]]:
    """Every import between the package's own modules: (importer, imported, runs_at_run_time).

    ``from a.b import c`` names the module ``a.b.c`` when it exists, else ``a.b``; relative
    imports are resolved against the importer's package.
    """
    names = module_names(package)

    def resolve(dotted: str) -> str | None:
        while dotted and dotted not in names:
            dotted = dotted.rpartition(".")[0]
        return dotted or None

    found = []
    for module, path in names.items():
        own_package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        tree = ast.parse(path.read_text("utf-8"))
        type_only = _type_checking_nodes(tree)
        for node in ast.walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = own_package.split(".")
                    parts = parts[: len(parts) - (node.level - 1)]
                    base = ".".join(parts + ([node.module] if node.module else []))
                targets = [f"{base}.{alias.name}" for alias in node.names]
            for target in targets:
                imported = resolve(target) if target.split(".")[0] == package.name else None
                if imported and imported != module:
                    found.append((module, imported, id(node) not in type_only))
    return sorted(set(found))


def layer_rank(module: str) -> int | None:
    """The layer of a dotted module name (``None``: not listed in ``LAYERS``)."""
    parts = module.split(".")[1:]
    if not parts:
        return len(LAYERS) - 1  # the package itself: the public facade, on top with the cli
    for n in range(len(parts), 0, -1):
        rank = RANK.get(".".join(parts[:n]))
        if rank is not None:
            return rank
    return None


def later_stage_imports(edges: list[tuple[str, str, bool]]) -> list[str]:
    """Imports of a higher layer. The root package is imported for its metadata only
    (``__version__``; ``test_root_package_eagerly_imports_shared_modules_only`` keeps it so)."""
    wrong = []
    for importer, imported, _ in edges:
        if imported == ROOT:
            continue
        mine, theirs = layer_rank(importer), layer_rank(imported)
        if mine is not None and theirs is not None and theirs > mine:
            wrong.append(f"{importer} ({LAYERS[mine][0]}) imports {imported} ({LAYERS[theirs][0]})")
    return wrong


def import_cycles(edges: list[tuple[str, str, bool]]) -> list[list[str]]:
    """Sets of modules that import each other in a circle (Tarjan's strongly connected components),
    counting the imports that run (not ``TYPE_CHECKING`` ones, not the root package's metadata)."""
    graph: dict[str, set[str]] = {}
    for importer, imported, runs in edges:
        graph.setdefault(importer, set())
        graph.setdefault(imported, set())
        if runs and imported.count(".") > 0:
            graph[importer].add(imported)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles = []
    for start in sorted(graph):
        if start in index:
            continue
        # iterative DFS: (node, iterator over its successors)
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for nxt in successors:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        cycles.append(sorted(component))
    return sorted(cycles)


@pytest.fixture(scope="module")
def edges():
    return imports(PACKAGE)


def test_every_module_has_a_layer():
    unplaced = [m for m in module_names(PACKAGE) if layer_rank(m) is None]
    assert unplaced == [], "add these modules to LAYERS in tests/test_architecture.py and DEVELOPERS.md"


def test_no_stage_imports_a_later_one(edges):
    assert later_stage_imports(edges) == []


def test_no_import_cycle(edges):
    assert import_cycles(edges) == []


def test_root_package_eagerly_imports_shared_modules_only():
    """``import geomap`` stays cheap and below every stage: the rest is loaded on first use."""
    tree = ast.parse((PACKAGE / "__init__.py").read_text("utf-8"))
    eager = []
    for node in tree.body:  # module level only: __getattr__'s imports run on first use
        if isinstance(node, ast.ImportFrom) and node.module:
            eager += [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            eager += [alias.name for alias in node.names]
    ranks = {name: layer_rank(name) for name in eager if name.startswith("geomap.")}
    assert ranks and all(rank == 0 for rank in ranks.values()), ranks


def test_the_checks_find_a_cycle_and_a_backward_import(tmp_path):
    """The checker itself, on a small package laid out like geomap with two planted faults."""
    pkg = tmp_path / "geomap"
    (pkg / "nlp").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "nlp" / "__init__.py").write_text("")
    (pkg / "nlp" / "places.py").write_text("from typing import TYPE_CHECKING\nfrom .dates import x\n")
    (pkg / "nlp" / "dates.py").write_text("def f():\n    from geomap.nlp import places\n    import geomap.map\n")
    (pkg / "map.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from geomap import tables\n")
    (pkg / "tables.py").write_text("import geomap.map\n")
    found = imports(pkg)
    assert ("geomap.nlp.places", "geomap.nlp.dates", True) in found
    assert ("geomap.map", "geomap.tables", False) in found
    assert later_stage_imports(found) == [
        "geomap.nlp.dates (nlp) imports geomap.map (map)",
        "geomap.tables (tables) imports geomap.map (map)",
    ]
    # map -> tables is for type checking only: no cycle there; places <-> dates is one
    assert import_cycles(found) == [["geomap.nlp.dates", "geomap.nlp.places"]]


# ----------------------------------------------------------------------------- size and complexity

#: Issue 12: a module a newcomer can read holds at most this many lines (after ``ruff format``),
#: a function at most this mccabe complexity (ruff's C901, ``max-complexity`` in pyproject.toml).
MAX_MODULE_LINES = 600
MAX_COMPLEXITY = 15
#: What is still over the bar, each owned by the issue splitting it (paths relative to geomap/).
#: Nothing else may cross it; take an entry out once its module or function is split.
OVERSIZE_MODULES: set[str] = set()
COMPLEX_FUNCTIONS: set[tuple[str, str]] = set()


def long_modules(package: Path, limit: int = MAX_MODULE_LINES) -> dict[str, int]:
    """Modules of more than ``limit`` lines: path relative to ``package`` -> lines."""
    lengths = {p.relative_to(package).as_posix(): len(p.read_text("utf-8").splitlines()) for p in package.rglob("*.py")}
    return {path: n for path, n in sorted(lengths.items()) if n > limit}


def complex_functions(package: Path, limit: int = MAX_COMPLEXITY) -> dict[tuple[str, str], int]:
    """Functions above mccabe ``limit`` by ruff's C901, ``# noqa`` or not: (path, name) -> complexity."""
    import json
    import re
    import shutil
    import subprocess
    import sys

    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed (pip install -e '.[test]')")
    cmd = [ruff, "check", "--no-cache", "--exit-zero", "--ignore-noqa", "--select", "C901", "--output-format", "json"]
    cmd += ["--config", f"lint.mccabe.max-complexity = {limit}", str(package)]
    found = {}
    for d in json.loads(subprocess.run(cmd, capture_output=True, text=True, check=True).stdout):
        m = re.match(r"`([^`]+)` is too complex \((\d+) > \d+\)", d["message"])
        assert m, d["message"]
        found[(Path(d["filename"]).resolve().relative_to(package.resolve()).as_posix(), m[1])] = int(m[2])
    return found


def test_no_module_over_600_lines():
    over = {path: n for path, n in long_modules(PACKAGE).items() if path not in OVERSIZE_MODULES}
    assert over == {}, "split these modules along the seams of the domain (DEVELOPERS.md)"


def test_no_function_over_mccabe_15():
    over = {key: n for key, n in complex_functions(PACKAGE).items() if key not in COMPLEX_FUNCTIONS}
    assert over == {}, "split these functions (complexity above 15)"


def test_the_size_and_complexity_checks_find_a_planted_module(tmp_path):
    pkg = tmp_path / "geomap"
    pkg.mkdir()
    branches = "".join(f"    if x == {i}:\n        return {i}\n" for i in range(16))
    (pkg / "tangled.py").write_text(f"def tangled(x):\n{branches}    return -1\n\n\ndef plain(x):\n    return x\n")
    (pkg / "long.py").write_text("x = 1\n" * (MAX_MODULE_LINES + 1))
    assert long_modules(pkg) == {"long.py": MAX_MODULE_LINES + 1}
    assert complex_functions(pkg) == {("tangled.py", "tangled"): 17}


def undocumented_modules(package: Path, developers_md: str) -> list[str]:
    """Modules of ``package`` that DEVELOPERS.md's module table does not name (as ``geomap/x/y.py``,
    ``y.py`` in a row that lists several, or ``y`` in the ``geomap/mapping/`` row)."""
    out = []
    for path in sorted(package.rglob("*.py")):
        if path.name == "__init__.py":
            continue
        rel = path.relative_to(package.parent).as_posix()
        if not any(f"`{name}`" in developers_md for name in (rel, path.name, path.stem)):
            out.append(rel)
    return out


def test_every_module_has_a_row_in_developers_md(tmp_path):
    text = (PACKAGE.parent / "DEVELOPERS.md").read_text("utf-8")
    assert undocumented_modules(PACKAGE, text) == [], "add a row for each to DEVELOPERS.md's module table"
    # the check finds a module nobody described
    (tmp_path / "geomap" / "nlp").mkdir(parents=True)
    (tmp_path / "geomap" / "nlp" / "zzyzx_rules.py").write_text("x = 1\n")
    assert undocumented_modules(tmp_path / "geomap", text) == ["geomap/nlp/zzyzx_rules.py"]
