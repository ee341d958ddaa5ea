"""Pickled caches of the gazetteer's indexes: read fast, written atomically, never trusted.

Both the name index (``name_index``) and the pipeline's place index (``index_cache``) keep
their build on disk this way; a cache that is missing, stale or half-written is rebuilt.
"""

from __future__ import annotations

import gc
import os
import pickle
import tempfile
from pathlib import Path

__all__ = ["load_pickle", "save_pickle"]


def load_pickle(path: Path) -> object | None:
    """The object pickled at ``path``, or None when the file is absent or unreadable."""
    if not path.is_file():
        return None
    gc_was_on = gc.isenabled()
    gc.disable()  # many small objects: the cyclic GC would scan them over and over
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except Exception:  # noqa: BLE001 - a corrupt or partial cache is rebuilt, never trusted
        return None
    finally:
        if gc_was_on:
            gc.enable()


def save_pickle(obj: object, path: Path) -> bool:
    """Write ``obj`` to ``path`` atomically (a temporary file, then ``os.replace``).

    Returns False when it could not be written: a read-only data dir only costs a rebuild.
    """
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        tmp = None
        return True
    except OSError:
        return False
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
