"""Read articles from files and folders into one ``pandas.DataFrame`` (one row per article).

Supported inputs (see CONTRACT.md): ``.txt`` / ``.md`` with optional YAML front matter,
``.html`` / ``.htm`` pages, ``.jsonl`` (one article per line), ``.csv`` with a ``text`` column,
and folders of those (recursively) with an optional ``articles.csv`` metadata file.

A bad input never stops a run: it is skipped and the reason recorded in
``df.attrs["skipped"]``; ``df.attrs["inputs"]`` lists every input file with its outcome.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from geomap.encoding import Decoded, decode, strip_invisible
from geomap.errors import InputError
from geomap.folders import printable, special_kind, walk
from geomap.front_matter import split_front_matter
from geomap.html_article import html_to_article
from geomap.publication_date import PUBLISHED_YEARS, find_text_date, parse_date, plausible_date

#: Columns every articles frame has, in this order; extra jsonl/csv fields follow.
COLUMNS = [
    "doc_id",
    "source_id",
    "text",
    "date",
    "date_source",
    "source",
    "title",
    "url",
    "path",
    "encoding",
    "encoding_confidence",
]

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
CSV_SUFFIXES = {".csv"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | CSV_SUFFIXES

METADATA_FILE = "articles.csv"

#: Larger files are skipped (with that reason) instead of being read whole into memory.
MAX_FILE_BYTES = 512 * 2**20

# Field names accepted for the standard columns in jsonl/csv/front matter/metadata.
_ALIASES = {
    "date": ("date", "published", "publication_date", "pub_date", "publish_date", "datetime"),
    "source": ("source", "outlet", "publisher", "site"),
    "title": ("title", "headline"),
    "url": ("url", "link"),
}
_STANDARD_KEYS = {k for names in _ALIASES.values() for k in names} | {"text", "id"}

_SAFE_ID = re.compile(r"[^A-Za-z0-9._-]+")

# --------------------------------------------------------------------------- decoding


def decode_bytes(data: bytes) -> tuple[str | None, str | None, str | None]:
    """Decode file bytes into text (see :mod:`geomap.encoding` for how the encoding is found).

    Returns
    -------
    (text, encoding, reason)
        ``text`` is None when the bytes are not text; ``reason`` then says why.
    """
    d = decode(data)
    return d.text, d.encoding, d.reason


def _read_decoded(path: Path) -> Decoded:
    special = special_kind(str(path))
    if special is not None:
        # A FIFO would block the run forever; a device never ends.
        return Decoded(None, reason=special)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return Decoded(
                None, reason=f"file too large ({size // 2**20} MiB > {MAX_FILE_BYTES // 2**20} MiB); split it"
            )
        data = path.read_bytes()
    except OSError as exc:
        return Decoded(None, reason=f"cannot read: {exc.strerror or exc}")
    return decode(data)


def _read_text_file(path: Path) -> tuple[str | None, str | None, str | None]:
    d = _read_decoded(path)
    return d.text, d.encoding, d.reason


# --------------------------------------------------------------------------- formats


# --------------------------------------------------------------------------- helpers


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
        date, date_source = None, "none"
        # Precedence: metadata (articles.csv / jsonl / csv / html meta), front matter, text, --date.
        raw_meta_date = _pick(file_meta, "date")
        raw_own_date = _pick(fields, "date")
        for raw, src in ((raw_meta_date, "metadata"), (raw_own_date, field_source)):
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
        if date is None:
            date, date_source = find_text_date(text)
            if date is None:
                date_source = "none"
        else:
            own, how = find_text_date(text)
            if how == "dateline" and own is not None and plausible_date(own) and abs((own - date).days) > 1:
                # The article's own dateline is better evidence than a feed's or a scraper's date.
                notes.append(
                    f"date {date.isoformat()} ({date_source}) disagrees with the article's "
                    f"dateline {own.isoformat()}: the dateline is used"
                )
                date, date_source = own, "dateline"
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


def _load_metadata_csv(path: Path) -> dict[str, dict]:
    """Read ``articles.csv`` (``file,date,source,title,url``) keyed by resolved file path."""
    text, _enc, reason = _read_text_file(path)
    if text is None:
        raise InputError(f"{path}: metadata file cannot be read ({reason})")
    out: dict[str, dict] = {}
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "file" not in [f.strip().lower() for f in reader.fieldnames]:
        raise InputError(f"{path}: metadata file needs a 'file' column (file,date,source,title,url)")
    for rec in reader:
        rec = {str(k).strip().lower(): (v.strip() if isinstance(v, str) else v) for k, v in rec.items() if k}
        name = rec.get("file")
        if not name:
            continue
        target = (path.parent / name).resolve()
        out[str(target)] = {k: v for k, v in rec.items() if k != "file" and v not in (None, "")}
    return out


def _metadata_arg(metadata: Any) -> dict[str, dict]:
    if metadata is None:
        return {}
    if isinstance(metadata, (str, os.PathLike)):
        return _load_metadata_csv(Path(metadata))
    if isinstance(metadata, pd.DataFrame):
        metadata = metadata.to_dict("records")
        metadata = {r["file"]: r for r in metadata if r.get("file")}
    out = {}
    for name, rec in dict(metadata).items():
        p = Path(name)
        out[str(p.resolve())] = dict(rec)
        out.setdefault(p.name, dict(rec))
    return out


# --------------------------------------------------------------------------- per format


def _read_txt(r: _Reader, path: Path, base: str) -> None:
    dec = _read_decoded(path)
    text, enc, reason = dec.text, dec.encoding, dec.reason
    if text is None:
        r.skip(str(path), reason)
        r.log(path, "text", 0, reason)
        return
    fields, body, problem = split_front_matter(text)
    notes = [problem] if problem else []
    body = body.strip("\n")
    if not body.strip():
        r.skip(str(path), "no article text")
        r.log(path, "text", 0, "no article text")
        return
    extra = {k: v for k, v in fields.items() if k not in _STANDARD_KEYS}
    extra = {k: (v.isoformat() if isinstance(v, (_dt.date, _dt.datetime)) else v) for k, v in extra.items()}
    doc_id = r.add(
        base_id=base,
        text=body,
        path=path,
        encoding=dec,
        fields=fields,
        field_source="front_matter",
        extra=extra,
        notes=notes,
    )
    r.log(path, "text", 1, encoding=enc, encoding_confidence=dec.confidence, doc_id=doc_id)


def _read_html(r: _Reader, path: Path, base: str) -> None:
    dec = _read_decoded(path)
    markup, enc, reason = dec.text, dec.encoding, dec.reason
    if markup is None:
        r.skip(str(path), reason)
        r.log(path, "html", 0, reason)
        return
    try:
        text, meta = html_to_article(markup)
    except Exception as exc:  # noqa: BLE001 - a broken page must not stop the run
        r.skip(str(path), f"cannot parse HTML: {exc}")
        r.log(path, "html", 0, "cannot parse HTML")
        return
    if not text.strip():
        r.skip(str(path), "no article text in HTML")
        r.log(path, "html", 0, "no article text in HTML")
        return
    doc_id = r.add(base_id=base, text=text, path=path, encoding=dec, fields=meta, field_source="metadata")
    r.log(path, "html", 1, encoding=enc, encoding_confidence=dec.confidence, doc_id=doc_id)


def _record_fields(rec: Mapping[str, Any]) -> tuple[dict, dict]:
    fields = {str(k).lower(): v for k, v in rec.items()}
    extra = {k: v for k, v in rec.items() if str(k).lower() not in _STANDARD_KEYS}
    if "id" in rec:
        extra["id"] = rec["id"]
    return fields, extra


def _read_jsonl(r: _Reader, path: Path, base: str) -> None:
    dec = _read_decoded(path)
    data, enc, reason = dec.text, dec.encoding, dec.reason
    if data is None:
        r.skip(str(path), reason)
        r.log(path, "jsonl", 0, reason)
        return
    n = 0
    # Only "\n" ends a record: str.splitlines() would also break at U+2028 and friends, which
    # JSON allows raw inside strings.
    for lineno, line in enumerate(data.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            r.skip(where, f"invalid JSON ({exc.msg}; truncated line?)")
            continue
        if not isinstance(rec, dict):
            r.skip(where, "line is not a JSON object")
            continue
        text = rec.get("text")
        if not isinstance(text, str) or not text.strip():
            r.skip(where, "no 'text' field" if "text" not in rec else "empty text")
            continue
        fields, extra = _record_fields(rec)
        r.add(
            base_id=f"{base}-L{lineno}",
            text=text,
            path=path,
            encoding=dec,
            fields=fields,
            field_source="metadata",
            extra=extra,
        )
        n += 1
    r.log(
        path, "jsonl", n, None if n else "no readable article lines", encoding=enc, encoding_confidence=dec.confidence
    )


def _read_csv(r: _Reader, path: Path, base: str) -> None:
    dec = _read_decoded(path)
    data, enc, reason = dec.text, dec.encoding, dec.reason
    if data is None:
        r.skip(str(path), reason)
        r.log(path, "csv", 0, reason)
        return
    # csv refuses fields over 128 KiB by default; one long article must not lose the file.
    csv.field_size_limit(max(csv.field_size_limit(), len(data) + 1))
    try:
        reader = csv.DictReader(io.StringIO(data, newline=""))
        fieldnames = reader.fieldnames or []
    except csv.Error as exc:
        r.skip(str(path), f"not a readable CSV ({exc})")
        r.log(path, "csv", 0, "not a readable CSV")
        return
    lowered = {f: f.strip().lower() for f in fieldnames if f is not None}
    text_col = next((f for f, low in lowered.items() if low == "text"), None)
    if text_col is None:
        reason = f"CSV has no 'text' column (columns: {', '.join(fieldnames)[:120]})"
        r.skip(str(path), reason)
        r.log(path, "csv", 0, reason)
        return
    n = 0
    try:
        for rowno, rec in enumerate(reader, start=1):
            where = f"{path}:row {rowno}"
            if None in rec:
                r.skip(where, "more fields than the header")
                continue
            text = rec.get(text_col)
            if not text or not text.strip():
                r.skip(where, "empty text")
                continue
            rec = {k.strip(): v for k, v in rec.items()}
            fields, extra = _record_fields(rec)
            r.add(
                base_id=f"{base}-R{rowno}",
                text=text,
                path=path,
                encoding=dec,
                fields=fields,
                field_source="metadata",
                extra=extra,
            )
            n += 1
    except csv.Error as exc:
        r.skip(str(path), f"CSV broken after {n} rows ({exc})")
    r.log(path, "csv", n, None if n else "no readable rows", encoding=enc, encoding_confidence=dec.confidence)


_READERS = {
    **{s: _read_txt for s in TEXT_SUFFIXES},
    **{s: _read_html for s in HTML_SUFFIXES},
    **{s: _read_jsonl for s in JSONL_SUFFIXES},
    **{s: _read_csv for s in CSV_SUFFIXES},
}


def _base_id(path: Path, root: Path | None) -> str:
    rel = path.relative_to(root) if root is not None else Path(path.name)
    # The suffix is dropped for readability; a clash (a.txt and a.html) gets "-2" appended.
    return safe_id(rel.with_suffix("").as_posix().replace("/", "."))


def _read_file(r: _Reader, path: Path, root: Path | None) -> None:
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        reason = f"unsupported file type {path.suffix or '(none)'!r}"
        r.skip(str(path), reason)
        r.log(path, "unknown", 0, reason)
        return
    try:
        reader(r, path, _base_id(path, root))
    except Exception as exc:  # noqa: BLE001 - one bad input never stops the run
        r.skip(str(path), f"{type(exc).__name__}: {exc}")
        r.log(path, path.suffix.lower().lstrip("."), 0, f"{type(exc).__name__}: {exc}")


def _read_folder(r: _Reader, root: Path, exclude: Iterable[str | os.PathLike]) -> None:
    """Read every supported file under ``root``; list everything else with a reason."""
    for entry in walk(root, {os.fspath(p) for p in exclude}):
        f = Path(entry.path)
        if entry.kind == "folder_error":
            # An unreadable folder hides inputs: it counts as skipped (exit code 1).
            r.skip(entry.path, entry.reason or "cannot read folder")
            r.log(f, "folder", 0, entry.reason)
            continue
        if f.name == METADATA_FILE and f.parent == root:
            continue
        if f.suffix.lower() not in SUPPORTED:
            # Folders hold stray files (images, .DS_Store, pipes...); note, don't warn loudly.
            r.log(f, "ignored", 0, entry.reason or f"unsupported file type {printable(f.suffix) or '(none)'!r}")
            r.inputs[-1]["outcome"] = "ignored"
            continue
        if entry.kind == "special":
            r.skip(entry.path, entry.reason or "not a regular file")
            r.log(f, f.suffix.lower().lstrip("."), 0, entry.reason)
            continue
        _read_file(r, f, root)


def read_articles(
    *inputs: str | os.PathLike | Iterable,
    date: Any = None,
    metadata: Any = None,
    exclude: Iterable[str | os.PathLike] = (),
) -> pd.DataFrame:
    """Read articles from files and folders.

    Parameters
    ----------
    *inputs : str or path-like (or lists of them)
        Files (``.txt``, ``.md``, ``.html``, ``.jsonl``, ``.csv``) and folders (read
        recursively; an ``articles.csv`` in a folder gives ``file,date,source,title,url`` for
        its files).
    date : str or datetime.date, optional
        Publication date for articles that carry none (``--date``); ``date_source`` "option".
    metadata : path, DataFrame or dict, optional
        Extra metadata keyed by file (an ``articles.csv``-like table); wins over everything else.
    exclude : iterable of paths, optional
        Folders not to enter (the CLI passes its output folder). Folders holding a geomap
        ``run.json`` and ``incidents.csv`` are never read either.

    Returns
    -------
    pandas.DataFrame
        One row per article, columns ``doc_id, source_id, text, date, date_source, source,
        title, url, path, encoding`` then any extra jsonl/csv/front-matter fields, sorted by ``doc_id``.
        ``date`` holds ``datetime.date`` or None; ``date_source`` one of ``metadata,
        front_matter, dateline, text, option, none``. ``.attrs["skipped"]`` lists
        ``{"input", "reason"}`` for everything not read; ``.attrs["inputs"]`` every input
        file with ``outcome`` done/skipped. ``doc_id`` is the record's own ``id`` (jsonl/csv
        field, front matter) made path-safe, else one made from the file name; ``source_id``
        keeps that ``id`` verbatim; ``.attrs["id_collisions"]`` lists ids disambiguated.

    Raises
    ------
    InputError
        When ``date`` is given but is not a date, or a metadata file given explicitly is unusable.
    """
    default_date = None
    if date is not None:
        default_date = parse_date(date)
        if default_date is None:
            raise InputError(f"--date {date!r} is not a date; use YYYY-MM-DD, e.g. --date 2012-07-30")
        if not plausible_date(default_date):
            raise InputError(
                f"--date {default_date.isoformat()} is outside {PUBLISHED_YEARS[0]}-{PUBLISHED_YEARS[1]}; "
                "give the articles' publication date, e.g. --date 2012-07-30"
            )
    r = _Reader(default_date, _metadata_arg(metadata))
    flat: list[Any] = []
    for item in inputs:
        if isinstance(item, pd.DataFrame):
            # Iterating a DataFrame yields its column names, which would be read as missing files.
            raise InputError(
                "read_articles reads files and folders; pass a DataFrame of articles "
                "(a 'text' column, optional 'id', 'date', 'source', 'title', 'url') "
                "to geomap.extract directly"
            )
        if isinstance(item, (str, os.PathLike)):
            flat.append(item)
        elif isinstance(item, Iterable):
            flat.extend(item)
        else:
            flat.append(item)
    for item in flat:
        path = Path(item)
        if path.is_dir():
            meta_file = path / METADATA_FILE
            if meta_file.is_file():
                try:
                    folder_meta = _load_metadata_csv(meta_file)
                except InputError as exc:
                    r.skip(str(meta_file), str(exc))
                    folder_meta = {}
                # Explicit metadata (the argument) keeps precedence over the folder's file.
                r.metadata = {**folder_meta, **r.metadata}
            _read_folder(r, path, exclude)
        elif path.is_file():
            _read_file(r, path, None)
        else:
            reason = special_kind(str(path)) or "not a regular file"
            reason = "no such file or folder" if reason == "no such file" else reason
            r.skip(str(path), reason)
            r.log(path, "missing", 0, reason)
    df = pd.DataFrame(r.rows)
    if df.empty:
        df = pd.DataFrame(columns=COLUMNS)
    extra_cols = [c for c in df.columns if c not in COLUMNS]
    df = df[COLUMNS + extra_cols]
    df = df.sort_values("doc_id", kind="stable").reset_index(drop=True)
    df["date"] = df["date"].astype(object)
    df.attrs["skipped"] = r.skipped
    df.attrs["inputs"] = r.inputs
    df.attrs["id_collisions"] = r.id_collisions
    return df


__all__ = [
    "read_articles",
    "parse_date",
    "find_text_date",
    "decode_bytes",
    "html_to_article",
    "split_front_matter",
    "safe_id",
]
