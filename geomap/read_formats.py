"""One input file -> articles, per format: ``.txt``/``.md`` (with YAML front matter), ``.html``,
``.jsonl`` and ``.csv``. Each reader decodes the file (:mod:`geomap.encoding`), adds its
articles to the :class:`~geomap.article_rows._Reader` and logs the file's outcome; a bad file or
line is skipped with its reason, never raised.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from geomap.article_rows import _STANDARD_KEYS, _Reader
from geomap.encoding import Decoded, decode
from geomap.folders import special_kind
from geomap.front_matter import split_front_matter
from geomap.html_article import html_to_article

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
CSV_SUFFIXES = {".csv"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | CSV_SUFFIXES

#: Larger files are skipped (with that reason) instead of being read whole into memory.
MAX_FILE_BYTES = 512 * 2**20


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


def _open(r: _Reader, path: Path, kind: str) -> Decoded | None:
    """The decoded file, or None when it is not text (skipped, with the reason)."""
    dec = _read_decoded(path)
    if dec.text is None:
        r.skip_file(path, kind, dec.reason)
        return None
    return dec


def _log_read(r: _Reader, path: Path, kind: str, dec: Decoded, n: int, why_none: str | None = None, **extra) -> None:
    r.log(path, kind, n, None if n else why_none, encoding=dec.encoding, encoding_confidence=dec.confidence, **extra)


def _read_txt(r: _Reader, path: Path, base: str) -> None:
    dec = _open(r, path, "text")
    if dec is None:
        return
    fields, body, problem = split_front_matter(dec.text or "")
    notes = [problem] if problem else []
    body = body.strip("\n")
    if not body.strip():
        r.skip_file(path, "text", "no article text")
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
    _log_read(r, path, "text", dec, 1, doc_id=doc_id)


def _read_html(r: _Reader, path: Path, base: str) -> None:
    dec = _open(r, path, "html")
    if dec is None:
        return
    try:
        text, meta = html_to_article(dec.text or "")
    except Exception as exc:  # noqa: BLE001 - a broken page must not stop the run
        r.skip(str(path), f"cannot parse HTML: {exc}")
        r.log(path, "html", 0, "cannot parse HTML")
        return
    if not text.strip():
        r.skip_file(path, "html", "no article text in HTML")
        return
    doc_id = r.add(base_id=base, text=text, path=path, encoding=dec, fields=meta, field_source="metadata")
    _log_read(r, path, "html", dec, 1, doc_id=doc_id)


def _add_record(r: _Reader, path: Path, dec: Decoded, base_id: str, text: str, rec: Mapping[str, Any]) -> None:
    """One jsonl line or csv row: its known fields read as metadata, the others carried through."""
    fields = {str(k).lower(): v for k, v in rec.items()}
    extra = {k: v for k, v in rec.items() if str(k).lower() not in _STANDARD_KEYS}
    if "id" in rec:
        extra["id"] = rec["id"]
    r.add(base_id=base_id, text=text, path=path, encoding=dec, fields=fields, field_source="metadata", extra=extra)


def _read_jsonl(r: _Reader, path: Path, base: str) -> None:
    dec = _open(r, path, "jsonl")
    if dec is None:
        return
    n = 0
    # Only "\n" ends a record: str.splitlines() would also break at U+2028 and friends, which
    # JSON allows raw inside strings.
    for lineno, line in enumerate((dec.text or "").split("\n"), start=1):
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
        _add_record(r, path, dec, f"{base}-L{lineno}", text, rec)
        n += 1
    _log_read(r, path, "jsonl", dec, n, "no readable article lines")


def _read_csv(r: _Reader, path: Path, base: str) -> None:
    dec = _open(r, path, "csv")
    if dec is None:
        return
    data = dec.text or ""
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
        r.skip_file(path, "csv", f"CSV has no 'text' column (columns: {', '.join(fieldnames)[:120]})")
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
            _add_record(r, path, dec, f"{base}-R{rowno}", text, {k.strip(): v for k, v in rec.items()})
            n += 1
    except csv.Error as exc:
        r.skip(str(path), f"CSV broken after {n} rows ({exc})")
    _log_read(r, path, "csv", dec, n, "no readable rows")


_READERS = {
    **{s: _read_txt for s in TEXT_SUFFIXES},
    **{s: _read_html for s in HTML_SUFFIXES},
    **{s: _read_jsonl for s in JSONL_SUFFIXES},
    **{s: _read_csv for s in CSV_SUFFIXES},
}
