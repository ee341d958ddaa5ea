"""The event-type vocabulary, defined once: types, labels, colours and the ACLED mapping.

The data lives in ``geomap/vocab/`` (tab-separated, ``#`` comment lines, a header row) so that a
coder can change a label, a colour or an ACLED equivalent without reading Python:

``event_types.tsv``
    one row per incident ``event_type`` in legend order: label, colour, marker glyph, whether a
    toll may belong to it (``violent``), and a description (docs/event-types.md shows it).
``acled_types.tsv``
    ``(event_type, sub_type[, actor1])`` -> ACLED ``event_type`` and ``sub_event_type``, first
    matching row wins (``*`` matches any sub-type).
``movement_kinds.tsv``
    one row per movement ``kind``: label, colour, the noun its count counts, whether it is drawn
    as an arc.

nlp, tables, map and docs all read these through this module. It imports nothing of geomap's,
so any stage may use it.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

VOCAB_DIR = Path(__file__).with_name("vocab")

__all__ = [
    "EVENT_TYPES",
    "EVENT_STYLES",
    "VIOLENT_TYPES",
    "MOVEMENT_KINDS",
    "MOVEMENT_STYLES",
    "acled_types",
    "read_table",
    "VOCAB_DIR",
]


def read_table(path: Path) -> list[dict[str, str]]:
    """Rows of a vocabulary TSV as dicts (comment lines starting with ``#`` skipped).

    Parameters
    ----------
    path : Path
        A tab-separated file whose first non-comment line is the header.

    Returns
    -------
    list of dict
        One dict per row, header -> cell text (stripped; a missing cell is ``""``).
    """
    with open(path, encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if line.strip() and not line.startswith("#")]
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    header = [h.strip() for h in next(reader)]
    return [{h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)} for row in reader]


_EVENT_ROWS = read_table(VOCAB_DIR / "event_types.tsv")
_MOVE_ROWS = read_table(VOCAB_DIR / "movement_kinds.tsv")
_ACLED_ROWS = read_table(VOCAB_DIR / "acled_types.tsv")

#: Incident event types in legend order.
EVENT_TYPES: list[str] = [r["event_type"] for r in _EVENT_ROWS]
#: event_type -> {"label", "single", "color", "glyph", "description"}
EVENT_STYLES: dict[str, dict[str, str]] = {
    r["event_type"]: {k: r[k] for k in ("label", "single", "color", "glyph", "description")} for r in _EVENT_ROWS
}
#: Event types a death toll may belong to (a bare toll merges into one of these).
VIOLENT_TYPES: frozenset[str] = frozenset(r["event_type"] for r in _EVENT_ROWS if r["violent"] == "yes")
#: Movement kinds in legend order.
MOVEMENT_KINDS: list[str] = [r["kind"] for r in _MOVE_ROWS]
#: kind -> {"label", "single", "color", "noun", "curved"}
MOVEMENT_STYLES: dict[str, dict[str, str]] = {
    r["kind"]: {k: r[k] for k in ("label", "single", "color", "noun", "curved")} for r in _MOVE_ROWS
}


@lru_cache(maxsize=512)
def acled_types(
    event_type: str | None, sub_type: str | None = None, actor1: str | None = None
) -> tuple[str | None, str | None]:
    """ACLED's ``event_type`` and ``sub_event_type`` for a geomap record.

    Parameters
    ----------
    event_type : str
        geomap's ``event_type`` (or a movement ``kind``).
    sub_type : str, optional
        geomap's ``sub_type``.
    actor1 : str, optional
        The record's first actor (who regained or overtook territory).

    Returns
    -------
    (str or None, str or None)
        ``(None, None)`` when ACLED has no equivalent (a bare toll, a flow of people).

    Examples
    --------
    >>> acled_types("bombardment", "air strike")
    ('Explosions/Remote violence', 'Air/drone strike')
    >>> acled_types("control_change", "gained", "government forces")
    ('Battles', 'Government regains territory')
    """
    sub = sub_type or ""
    for row in _ACLED_ROWS:
        if row["event_type"] != event_type:
            continue
        if row["sub_type"] != "*" and row["sub_type"] != sub:
            continue
        if row["actor1"] and row["actor1"] != (actor1 or ""):
            continue
        return row["acled_event_type"] or None, row["acled_sub_event_type"] or None
    return None, None
