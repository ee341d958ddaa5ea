"""The place nouns ("village", "suburbs of", "Idlib countryside"): one data file, read once.

Every place and scene rule takes its nouns from ``geomap/vocab/place_nouns.tsv`` through the
functions below, so an ACLED coder edits one list (its header explains each column and use).
"""

from __future__ import annotations

import csv
from pathlib import Path

PATH = Path(__file__).resolve().parents[1] / "vocab" / "place_nouns.tsv"


def _read(path: Path = PATH) -> list[dict[str, str]]:
    """The rows of the file, comment lines skipped, cells stripped."""
    with path.open(encoding="utf-8") as f:
        lines = [line for line in f if line.strip() and not line.startswith("#")]
    return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(lines, delimiter="\t")]


ROWS = _read()


def words(use: str) -> frozenset[str]:
    """The words whose ``uses`` cell names ``use`` ("announces", "list_opens", ...)."""
    return frozenset(r["word"] for r in ROWS if use in r["uses"].split(","))


def levels() -> dict[str, frozenset[str]]:
    """Word -> the gazetteer levels a name it announces can have ("village" -> {"town"})."""
    return {r["word"]: frozenset(r["levels"].split(",")) for r in ROWS if r["levels"]}


def areas() -> dict[str, str]:
    """Word -> the qualifier it gives the place it follows ("suburb" -> "suburbs")."""
    return {r["word"]: r["area"] for r in ROWS if r["area"]}


def scene_levels() -> dict[str, str]:
    """Word -> the level of the earlier place it points back to ("the town" -> "town")."""
    return {r["word"]: r["scene_level"] for r in ROWS if r["scene_level"]}


def area_values(use: str) -> frozenset[str]:
    """The qualifiers (``area`` cells) of the words with ``use`` ("admin" -> province, governorate)."""
    return frozenset(r["area"] for r in ROWS if r["area"] and use in r["uses"].split(","))
