"""Read articles from files and folders into one ``pandas.DataFrame`` (one row per article).

Supported inputs (see CONTRACT.md): ``.txt`` / ``.md`` with optional YAML front matter,
``.html`` / ``.htm`` pages, ``.jsonl`` (one article per line), ``.csv`` with a ``text`` column,
and folders of those (recursively) with an optional ``articles.csv`` metadata file.

A bad input never stops a run: it is skipped and the reason recorded in
``df.attrs["skipped"]``; ``df.attrs["inputs"]`` lists every input file with its outcome.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from geomap.article_rows import _Reader, assign_doc_ids, safe_id, source_id_of
from geomap.errors import InputError
from geomap.folders import printable, special_kind, walk
from geomap.front_matter import split_front_matter
from geomap.html_article import html_to_article
from geomap.publication_date import PUBLISHED_YEARS, find_text_date, parse_date, plausible_date
from geomap.read_formats import (
    _READERS,
    CSV_SUFFIXES,
    HTML_SUFFIXES,
    JSONL_SUFFIXES,
    MAX_FILE_BYTES,
    SUPPORTED,
    TEXT_SUFFIXES,
    _read_text_file,
    decode_bytes,
)

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

METADATA_FILE = "articles.csv"

#: A folder's own documentation, not reporting: a ``.txt`` / ``.md`` / ``.html`` file inside a
#: folder whose name, up to its first ".", is one of these (any case: ``README.md``,
#: ``readme.txt``, ``README.fr.md``, ``SOURCES.md``) is not read as an article. It is listed in
#: ``run.json`` as ignored, with the reason. Named as an input itself, such a file is read.
FOLDER_DOC_NAMES = frozenset(
    {"README", "LICENSE", "LICENCE", "COPYING", "CHANGELOG", "CONTRIBUTING", "AUTHORS", "SOURCES", "EXPECTED"}
)


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


def _base_id(path: Path, root: Path | None) -> str:
    rel = path.relative_to(root) if root is not None else Path(path.name)
    # The suffix is dropped for readability; a clash (a.txt and a.html) gets "-2" appended.
    return safe_id(rel.with_suffix("").as_posix().replace("/", "."))


def folder_doc_name(path: Path) -> str | None:
    """The documentation name ``path`` carries (``README`` for ``readme.fr.md``), else None.

    Only document-like files (text, Markdown, HTML) count: a ``SOURCES.jsonl`` is data.
    """
    if path.suffix.lower() not in TEXT_SUFFIXES | HTML_SUFFIXES:
        return None
    stem = path.name.split(".", 1)[0].upper()
    return stem if stem in FOLDER_DOC_NAMES else None


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
        doc_name = folder_doc_name(f)
        if doc_name is not None:
            reason = f"the folder's {doc_name} file, not an article (name it as an input to read it)"
            r.log(f, "ignored", 0, reason)
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
        its files; a folder's README, LICENSE, SOURCES... files are not articles, see
        ``FOLDER_DOC_NAMES``).
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
    "source_id_of",
    "assign_doc_ids",
    "PUBLISHED_YEARS",
    "MAX_FILE_BYTES",
    "SUPPORTED",
    "TEXT_SUFFIXES",
    "HTML_SUFFIXES",
    "JSONL_SUFFIXES",
    "CSV_SUFFIXES",
]
