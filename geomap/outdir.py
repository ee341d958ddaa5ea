"""Replace a run's output set all at once, keeping the previous set in ``DIR/.previous/``.

A run writes every file into a staging folder inside ``DIR`` (same file system, so moves are
renames). Only when the whole set is written is a manifest saved in it; then the files of the
previous run move to ``DIR/.previous-new/``, the new ones into ``DIR``, and ``.previous-new``
becomes ``.previous``. A run killed or out of disk before the manifest leaves ``DIR`` as it was
(the staging folder is removed by the next run); one killed during the moves (a few renames) is
rolled forward by the next run, or by :func:`recover`. ``DIR/.previous/`` holds the set the last
run replaced, so a bad run is undone with :func:`undo` (``mv DIR/.previous/* DIR/`` by hand).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from geomap.errors import GeomapError

#: Files a run of ``geomap map``/``extract`` owns in its output folder, with whatever a run
#: writes (its manifest); nothing else in the folder is moved.
OWNED = (
    "incidents.csv",
    "incidents.geojson",
    "incidents.parquet",
    "movements.csv",
    "movements.geojson",
    "movements.parquet",
    "mentions.csv",
    "sentences.csv",
    "geomap.gpkg",
    "map.html",
    "run.json",
)
PREVIOUS = ".previous"
_PREVIOUS_NEW = ".previous-new"
_STAGE_PREFIX = ".geomap-staging-"
_MANIFEST = ".manifest.json"

__all__ = ["OWNED", "PREVIOUS", "staged_outputs", "recover", "undo", "check_output_dir"]


def check_output_dir(out_dir: str | os.PathLike, inputs: list[str]) -> None:
    """Refuse an output folder that is one of the inputs (its articles would be skipped as output).

    Raises
    ------
    GeomapError
        When ``out_dir`` is an input folder or an input file.
    """
    out = Path(out_dir).resolve()
    if out.exists() and not out.is_dir():
        raise GeomapError(f"output {out_dir} exists and is not a folder; give another with -o DIR")
    for item in inputs:
        if Path(item).resolve() == out:
            raise GeomapError(
                f"-o {out_dir} is also an input: its articles would be mixed with geomap's "
                "outputs; write to another folder, e.g. -o output"
            )


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _swap(out_dir: Path, stage: Path) -> None:
    """Move the previous set aside and the staged set in (idempotent: safe to run again)."""
    names = json.loads((stage / _MANIFEST).read_text(encoding="utf-8"))
    prev_new = out_dir / _PREVIOUS_NEW
    prev_new.mkdir(exist_ok=True)
    for name in sorted(set(OWNED) | set(names)):
        current = out_dir / name
        already_new = name in names and not (stage / name).exists()
        if current.exists() and not already_new and not (prev_new / name).exists():
            os.replace(current, prev_new / name)
    for name in names:
        if (stage / name).exists():
            os.replace(stage / name, out_dir / name)
    _fsync_dir(out_dir)
    if any(prev_new.iterdir()):
        shutil.rmtree(out_dir / PREVIOUS, ignore_errors=True)
        os.replace(prev_new, out_dir / PREVIOUS)
    else:  # a first run replaced nothing: an earlier .previous (if any) stays the one to restore
        prev_new.rmdir()
    shutil.rmtree(stage, ignore_errors=True)


def recover(out_dir: str | os.PathLike) -> None:
    """Finish a swap that was interrupted; drop staging folders of runs that never completed."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        return
    for stage in sorted(out_dir.glob(_STAGE_PREFIX + "*")):
        if (stage / _MANIFEST).is_file():
            _swap(out_dir, stage)
        else:
            shutil.rmtree(stage, ignore_errors=True)
    if (out_dir / _PREVIOUS_NEW).is_dir():
        # A swap finished its moves but died before renaming the kept set.
        shutil.rmtree(out_dir / PREVIOUS, ignore_errors=True)
        os.replace(out_dir / _PREVIOUS_NEW, out_dir / PREVIOUS)


@contextlib.contextmanager
def staged_outputs(out_dir: str | os.PathLike) -> Iterator[Path]:
    """Yield a staging folder; when the block succeeds, its files replace geomap's files in ``out_dir``.

    Parameters
    ----------
    out_dir : path
        The output folder (created if missing).

    Yields
    ------
    pathlib.Path
        The folder to write every output into (plain file names).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    recover(out_dir)
    stage = Path(tempfile.mkdtemp(prefix=_STAGE_PREFIX, dir=out_dir))
    try:
        yield stage
        names = sorted(p.name for p in stage.iterdir() if p.is_file() and not p.name.startswith("."))
        manifest = stage / _MANIFEST
        with open(manifest, "w", encoding="utf-8") as fh:
            json.dump(names, fh)
            fh.flush()
            os.fsync(fh.fileno())
        _fsync_dir(stage)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    _swap(out_dir, stage)


def undo(out_dir: str | os.PathLike) -> list[str]:
    """Put the previous set back (the current one goes to ``.previous``: undo twice to redo).

    Returns
    -------
    list of str
        The file names restored.
    """
    out_dir = Path(out_dir)
    prev = out_dir / PREVIOUS
    if not prev.is_dir():
        raise GeomapError(f"{out_dir} has no previous run to restore ({prev} is missing)")
    recover(out_dir)
    with staged_outputs(out_dir) as stage:
        for p in prev.iterdir():
            if p.name in OWNED:
                shutil.copy2(p, stage / p.name)
    return sorted(p.name for p in out_dir.iterdir() if p.name in OWNED)
