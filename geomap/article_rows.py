"""Articles as rows: ids, the field names accepted for each column, and the one place where an
article's metadata and date are decided (:class:`_Reader`, used by :mod:`geomap.read`).

Date precedence: metadata (``articles.csv``, jsonl/csv fields, HTML meta), front matter, the
article's own dateline or text, then ``--date``; a dateline more than a day from the metadata
date wins. A ``doc_id`` is path-safe and unique in the run; the user's own ``id`` is kept
verbatim as ``source_id``.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from geomap.encoding import Decoded, strip_invisible
from geomap.folders import printable
from geomap.publication_date import PUBLISHED_YEARS, find_text_date, parse_date, plausible_date

# Field names accepted for the standard columns in jsonl/csv/front matter/metadata.
_ALIASES = {
    "date": ("date", "published", "publication_date", "pub_date", "publish_date", "datetime"),
    "source": ("source", "outlet", "publisher", "site"),
    "title": ("title", "headline"),
    "url": ("url", "link"),
}
_STANDARD_KEYS = {k for names in _ALIASES.values() for k in names} | {"text", "id"}

_SAFE_ID = re.compile(r"[^A-Za-z0-9._-]+")


def safe_id(*parts: Any) -> str:
    """Join parts into an id made only of ``A-Za-z0-9._-`` (safe in file names and URLs)."""
    raw = "-".join(str(p) for p in parts if p is not None and str(p) != "")
    out = _SAFE_ID.sub("_", raw).strip("._-")
    return out[:150] or "doc"


def source_id_of(fields: Mapping[str, Any]) -> str | None:
    """The record's own ``id`` (jsonl/csv field, front matter), verbatim as text, or None."""
    v = fields.get("id")
    if v is None or isinstance(v, (dict, list)):
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    s = str(v).strip()
    return s or None


def assign_doc_ids(source_ids: Iterable[Any]) -> tuple[list[str], list[dict]]:
    """Path-safe, unique ``doc_id``s from user ids (a DataFrame's ``id`` column).

    Returns
    -------
    (list of str, list of dict)
        One ``doc_id`` per id (``doc-N`` where an id is empty) and the collisions that were
        disambiguated (``source_id``, ``doc_id``, ``clashes_with``).
    """
    r = _Reader(None, {})
    out = []
    for i, v in enumerate(source_ids):
        sid = source_id_of({"id": v})
        out.append(r.unique_id(safe_id(sid) if sid is not None else f"doc-{i}", sid))
    return out, r.id_collisions


def _pick(fields: Mapping[str, Any], key: str) -> Any:
    for name in _ALIASES[key]:
        if name in fields:
            v = fields[name]
            if v is None:
                continue
            try:
                if pd.isna(v):
                    continue
            except (TypeError, ValueError):
                pass
            if isinstance(v, str) and not v.strip():
                continue
            return v
    return None


def _clean_str(v: Any) -> str | None:
    if v is None:
        return None
    s = str(v).strip()
    return s or None


def publication_date(claims: list[tuple[Any, str]], text: str, notes: list[str]) -> tuple[_dt.date | None, str]:
    """An article's publication date and where it comes from.

    ``claims`` are the raw dates given for it, best first (metadata, then its own fields), with
    their source; the first that parses to a plausible date wins, else the article's own
    dateline or text. A dateline more than a day from the claimed date wins over it. Dates
    ignored (implausible, unparseable) and overruled are noted in ``notes``.
    """
    date, date_source = None, "none"
    for raw, src in claims:
        if raw is None:
            continue
        d = parse_date(raw)
        if d and not plausible_date(d):
            notes.append(f"date {d.isoformat()} outside {PUBLISHED_YEARS[0]}-{PUBLISHED_YEARS[1]} ignored ({src})")
            continue
        if d:
            date, date_source = d, src
            break
        notes.append(f"unparseable date {printable(str(raw)[:40])!r} ({src})")
    own, how = find_text_date(text)
    if date is None:
        return own, (how if own is not None else "none")
    if how == "dateline" and own is not None and plausible_date(own) and abs((own - date).days) > 1:
        # The article's own dateline is better evidence than a feed's or a scraper's date.
        notes.append(
            f"date {date.isoformat()} ({date_source}) disagrees with the article's "
            f"dateline {own.isoformat()}: the dateline is used"
        )
        return own, "dateline"
    return date, date_source


class _Reader:
    """Accumulates articles, skipped inputs and the per-input log for one ``read_articles`` call."""

    def __init__(self, date: _dt.date | None, metadata: dict[str, dict]):
        self.default_date = date
        self.metadata = metadata
        self.rows: list[dict] = []
        self.skipped: list[dict] = []
        self.inputs: list[dict] = []
        self.ids: set[str] = set()
        self.id_collisions: list[dict] = []

    # -- bookkeeping
    def skip(self, where: str, reason: str | None) -> None:
        self.skipped.append({"input": printable(where), "reason": printable(reason)})

    def skip_file(self, path: Path, kind: str, reason: str | None) -> None:
        """A whole input file skipped: listed in ``skipped`` and logged with no article."""
        self.skip(str(path), reason)
        self.log(path, kind, 0, reason)

    def log(self, path: Path | str, kind: str, n: int, reason: str | None = None, **extra) -> None:
        entry = {"input": printable(path), "kind": kind, "articles": n, "outcome": "done" if n else "skipped"}
        if reason:
            entry["reason"] = printable(reason)
        entry.update({k: v for k, v in extra.items() if v is not None})
        self.inputs.append(entry)

    def unique_id(self, base: str, source_id: str | None = None) -> str:
        doc_id, n = base, 1
        while doc_id in self.ids:
            n += 1
            doc_id = f"{base}-{n}"
        self.ids.add(doc_id)
        if source_id is not None and doc_id != base:
            # The user's own id clashed (a repeat, or two ids equal once made path-safe): say so.
            self.id_collisions.append({"source_id": source_id, "doc_id": doc_id, "clashes_with": base})
        return doc_id

    def add(
        self,
        *,
        base_id: str,
        text: str,
        path: Path,
        encoding: str | Decoded | None,
        fields: Mapping[str, Any],
        field_source: str,
        meta_keys: Iterable[str] = (),
        extra: Mapping[str, Any] | None = None,
        notes: list[str] | None = None,
    ) -> str:
        """Append one article; ``fields`` are its own metadata, tagged ``field_source``.

        ``encoding`` is the file's :class:`~geomap.encoding.Decoded` (name, confidence, notes).
        Invisible characters are removed from ``text`` here, so every offset computed later is
        exact against the text stored in the row.
        """
        notes = list(notes or [])
        confidence = None
        if isinstance(encoding, Decoded):
            notes += encoding.notes
            confidence = encoding.confidence
            encoding = encoding.encoding
        text, invisible = strip_invisible(text)
        if invisible:
            notes.append(f"{invisible} invisible character(s) removed (zero-width, soft hyphen, direction marks)")
        file_meta = self.metadata.get(str(path.resolve())) or self.metadata.get(path.name) or {}
        date, date_source = publication_date(
            [(_pick(file_meta, "date"), "metadata"), (_pick(fields, "date"), field_source)], text, notes
        )
        if date is None and self.default_date is not None:
            date, date_source = self.default_date, "option"
        source_id = source_id_of(fields)
        if source_id is not None:
            base_id = safe_id(source_id)
        row: dict[str, Any] = {
            "doc_id": self.unique_id(base_id, source_id),
            "source_id": source_id,
            "text": text,
            "date": date,
            "date_source": date_source,
            "source": _clean_str(_pick(file_meta, "source") or _pick(fields, "source")),
            "title": _clean_str(_pick(file_meta, "title") or _pick(fields, "title")),
            "url": _clean_str(_pick(file_meta, "url") or _pick(fields, "url")),
            "path": printable(path),
            "encoding": encoding,
            "encoding_confidence": confidence,
        }
        for k, v in (extra or {}).items():
            key = k if k not in row else f"orig_{k}"
            row[key] = v
        if notes:
            row["notes"] = "; ".join(notes)
        self.rows.append(row)
        return row["doc_id"]
