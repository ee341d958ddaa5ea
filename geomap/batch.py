"""One batch of articles through geomap's spaCy pipeline, into plain records.

:func:`process_batch` is the unit of work of every engine of :mod:`geomap.extraction` (this
process, ``multiprocessing`` workers, Dask workers): ``(doc_id, text, meta)`` items in, picklable
``geomap.doc_records`` outputs and per-document outcomes out. Long texts are cut into chunks
(:func:`split_text`) whose offsets are shifted back into place.
"""

from __future__ import annotations

import importlib

from spacy.attrs import IS_PUNCT, IS_SPACE

from geomap import settings
from geomap.doc_records import doc_records
from geomap.errors import GeomapError

#: Texts longer than this are split (at paragraph, then sentence boundaries) before parsing:
#: spaCy's parser needs about 1 GB per 100,000 characters, and ``nlp.max_length`` is a hard limit.
MAX_CHUNK_CHARS = 100_000

Item = tuple[str, str, dict]


def pipeline_components() -> tuple[tuple[str, ...], dict[str, str]]:
    """Check that every geomap component imports; a broken one fails the run.

    A component that silently dropped out would leave a run without its places, dates or
    events while reporting success. To run without a component, say so:
    ``load_pipeline(exclude=("geomap_events",))``.

    Returns
    -------
    (exclude, problems)
        Always empty (kept for callers that record them in ``run.json``).

    Raises
    ------
    GeomapError
        Naming the component and the import error.
    """
    from geomap.nlp.pipeline import COMPONENTS, PRE_PARSER_COMPONENTS

    for name, module in PRE_PARSER_COMPONENTS + COMPONENTS:
        try:
            importlib.import_module(module)
        except Exception as exc:  # noqa: BLE001 - any failure is reported the same way
            raise GeomapError(
                f"pipeline component {name} ({module}) cannot be loaded: {type(exc).__name__}: {exc}. "
                "Reinstall geomap (make install) or fix that module; nothing was extracted."
            ) from exc
    return (), {}


def _pipeline(model: str | None, exclude: tuple[str, ...]):
    from geomap.nlp.pipeline import cached_pipeline

    return cached_pipeline(model, tuple(exclude))


# --------------------------------------------------------------------------- per document


def split_text(text: str, limit: int = MAX_CHUNK_CHARS) -> list[tuple[int, str]]:
    """Split a long text into ``(offset, chunk)`` pieces no longer than ``limit``.

    Cuts fall on a blank line if one exists in the second half of the window, else at a
    sentence end, else at whitespace, else hard. ``text[offset:offset + len(chunk)] == chunk``
    for every piece, so character offsets stay exact.
    """
    if len(text) <= limit:
        return [(0, text)]
    out, start = [], 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        half = limit // 2
        cut = -1
        for sep in ("\n\n", "\n", ". ", "! ", "? ", " "):
            pos = window.rfind(sep, half)
            if pos != -1:
                cut = pos + len(sep)
                break
        if cut <= 0:
            cut = limit
        out.append((start, text[start : start + cut]))
        start += cut
    out.append((start, text[start:]))
    return out


def _shift(records: dict[str, list[dict]], offset: int) -> dict[str, list[dict]]:
    if offset:
        for rows in records.values():
            for row in rows:
                for key in ("char_start", "char_end", "sentence_start", "sentence_end"):
                    if isinstance(row.get(key), int):
                        row[key] += offset
    return records


def _merge(parts: list[dict[str, list[dict]]]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {"incidents": [], "movements": [], "mentions": []}
    for part in parts:
        for key, rows in part.items():
            out.setdefault(key, []).extend(rows)
    return out


def _words(doc) -> int:
    # Non-space, non-punctuation tokens, counted on the token array (no Token objects).
    if not len(doc):
        return 0
    arr = doc.to_array([IS_SPACE, IS_PUNCT])
    return int(((arr[:, 0] == 0) & (arr[:, 1] == 0)).sum())


def _make_doc(nlp, text: str, meta: dict):
    doc = nlp.make_doc(text)
    # Components read the publication date from meta, so it must be set before they run.
    doc._.meta = dict(meta)
    return doc


def _run_one(nlp, text: str, meta: dict) -> tuple[dict, int]:
    parts, words = [], 0
    for offset, chunk in split_text(text, min(MAX_CHUNK_CHARS, nlp.max_length - 1)):
        doc = nlp(_make_doc(nlp, chunk, meta))
        words += _words(doc)
        parts.append(_shift(doc_records(doc), offset))
    return _merge(parts), words


def process_batch(
    items: list[Item], model: str | None = None, exclude: tuple[str, ...] = (), batch_size: int | None = None, nlp=None
) -> list[dict]:
    """Run the pipeline over one batch of articles.

    Parameters
    ----------
    items : list of (doc_id, text, meta)
        ``meta`` is ``Doc._.meta`` (``doc_id, published, outlet, title, url``).
    model, exclude :
        Passed to ``geomap.nlp.cached_pipeline`` (loaded once per process).
    batch_size : int, optional
        ``nlp.pipe`` batch size.
    nlp : spacy.Language, optional
        A pipeline to use instead of the cached one.

    Returns
    -------
    list of dict
        One per item, in order: ``doc_id``, ``records`` (``doc_records`` output or None),
        ``words``, ``chars``, ``error`` (None, or why the document was skipped).
    """
    nlp = nlp if nlp is not None else _pipeline(model, exclude)
    bs = batch_size or settings.batch_size
    out: list[dict] = [{"doc_id": d, "records": None, "words": 0, "chars": len(t), "error": None} for d, t, _ in items]
    short = [i for i, (_, t, _) in enumerate(items) if len(t) <= MAX_CHUNK_CHARS]
    long_ = [i for i, (_, t, _) in enumerate(items) if len(t) > MAX_CHUNK_CHARS]
    try:
        docs = nlp.pipe((_make_doc(nlp, items[i][1], items[i][2]) for i in short), batch_size=bs)
        for i, doc in zip(short, docs):
            try:
                out[i]["records"] = doc_records(doc)
                out[i]["words"] = _words(doc)
            except Exception as exc:  # noqa: BLE001
                out[i]["error"] = f"{type(exc).__name__}: {exc}"
    except Exception:  # noqa: BLE001 - find the document that broke the batch, keep the rest
        long_ = sorted(set(long_) | {i for i in short if out[i]["records"] is None and out[i]["error"] is None})
    for i in long_:
        try:
            out[i]["records"], out[i]["words"] = _run_one(nlp, items[i][1], items[i][2])
        except Exception as exc:  # noqa: BLE001 - one bad document never kills the run
            out[i]["error"] = f"{type(exc).__name__}: {exc}"
    return out
