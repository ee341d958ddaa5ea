"""Articles → tables: run geomap's spaCy pipeline over many articles, locally or on Dask.

The unit of work is a *batch* of ``(doc_id, text, meta)`` items; :func:`process_batch`
(:mod:`geomap.batch`) turns it into small picklable records (``geomap.doc_records``) and
per-document outcomes. The same function runs in this process, in ``multiprocessing`` workers
(``workers=N``) and on Dask workers (``engine="dask"``), so every engine gives the same tables.
Docs never outlive their batch: a corpus of any size streams through in bounded memory.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import math
import multiprocessing as mp
import os
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from geomap import settings
from geomap.batch import MAX_CHUNK_CHARS, Item, _pipeline, pipeline_components, process_batch, split_text
from geomap.errors import GeomapError
from geomap.tables import ExtractResult, build_tables

__all__ = [
    "extract",
    "ExtractResult",
    "process_batch",
    "split_text",
    "MAX_CHUNK_CHARS",
    "iter_items",
    "pipeline_components",
    "settings_snapshot",
    "apply_settings",
    "open_engine",
    "collect",
    "Engine",
    "LocalEngine",
    "DaskEngine",
]


# --------------------------------------------------------------------------- inputs


def _meta(row: dict) -> dict:
    published = row.get("date")
    if isinstance(published, pd.Timestamp):
        published = None if pd.isna(published) else published.date()
    elif isinstance(published, _dt.datetime):
        published = published.date()
    elif isinstance(published, str):
        # A table built by hand carries dates as text ("2016-05-02"): read them as the reader
        # does, never guessing from a partial date.
        from geomap.publication_date import parse_date

        published = parse_date(published)
    elif not isinstance(published, _dt.date):
        published = None

    def clean(v):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return None
        return v

    return {
        "doc_id": row["doc_id"],
        "published": published,
        "outlet": clean(row.get("source")),
        "title": clean(row.get("title")),
        "url": clean(row.get("url")),
    }


def _as_articles(articles: Any) -> pd.DataFrame:
    if isinstance(articles, pd.DataFrame):
        if "text" not in articles.columns:
            raise GeomapError("the articles table needs a 'text' column (use geomap.read_articles)")
        df = articles
        if "doc_id" not in df.columns:
            df = df.copy()
            if "id" in df.columns:
                # The user's own ids become doc_ids (path-safe, unique) and stay verbatim in source_id.
                from geomap.read import assign_doc_ids, source_id_of

                df["doc_id"], df.attrs["id_collisions"] = assign_doc_ids(df["id"])
                df["source_id"] = [source_id_of({"id": v}) for v in df["id"]]
            else:
                df["doc_id"] = [f"doc-{i}" for i in range(len(df))]
        return df
    if isinstance(articles, (str, os.PathLike)):
        from geomap.read import read_articles

        return read_articles(articles)
    # A list of plain texts.
    texts = list(articles)
    return pd.DataFrame({"doc_id": [f"doc-{i:06d}" for i in range(len(texts))], "text": texts, "date": None})


def iter_items(articles: pd.DataFrame) -> Iterator[Item]:
    """``(doc_id, text, meta)`` for each article, in ``doc_id`` order."""
    cols = [c for c in ("doc_id", "text", "date", "source", "title", "url") if c in articles.columns]
    order = articles["doc_id"].astype(str).sort_values(kind="stable").index
    for rec in articles.loc[order, cols].to_dict("records"):
        rec["doc_id"] = str(rec["doc_id"])
        text = rec.get("text")
        yield rec["doc_id"], text if isinstance(text, str) else "", _meta(rec)


def _batches(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    it = iter(items)
    while batch := list(itertools.islice(it, size)):
        yield batch


# --------------------------------------------------------------------------- settings

#: ``geomap.settings`` that change what the pipeline finds. They are sent with every task, because
#: a worker started on its own (``dask worker``, a spawned process) never sees settings changed at
#: run time in the calling process.
SHIPPED_SETTINGS = ("gazetteer_dir", "data_dir", "spacy_models", "min_place_confidence")

_APPLIED: dict = {}


def settings_snapshot() -> dict:
    """The calling process's values of :data:`SHIPPED_SETTINGS` (picklable; folders made absolute)."""
    snap = {k: getattr(settings, k) for k in SHIPPED_SETTINGS if hasattr(settings, k)}
    for key in ("gazetteer_dir", "data_dir"):
        if snap.get(key) is not None:
            # A worker's working directory is not the caller's: a relative folder would move.
            snap[key] = Path(os.path.abspath(snap[key]))
    return snap


def apply_settings(snapshot: dict | None) -> None:
    """Make this process's ``geomap.settings`` match ``snapshot`` (in a worker, before a batch).

    A folder that does not exist here (a worker on another machine, the package installed at
    another path) is left at this process's own value rather than pointed at nothing; any other
    change drops the cached pipeline, whose components read the settings when they are built.
    """
    if not snapshot or snapshot == _APPLIED.get("snapshot"):
        return
    changed = False
    for key, value in snapshot.items():
        if key in ("gazetteer_dir", "data_dir") and not os.path.isdir(value) and os.path.isdir(getattr(settings, key)):
            continue
        if getattr(settings, key, None) != value:
            setattr(settings, key, value)
            changed = True
    if changed:
        from geomap.nlp.pipeline import cached_pipeline

        cached_pipeline.cache_clear()
    _APPLIED["snapshot"] = snapshot


# --------------------------------------------------------------------------- engines

_WORKER: dict = {}


def _worker_init(model, exclude, batch_size, snapshot=None):
    _WORKER.update(model=model, exclude=exclude, batch_size=batch_size)
    apply_settings(snapshot)
    _pipeline(model, exclude)


def _worker_batch(items):
    return process_batch(items, _WORKER["model"], _WORKER["exclude"], _WORKER["batch_size"])


class Engine:
    """A started engine: ``run(batches)`` streams per-batch results in input order; ``close()``.

    ``extract`` opens one per call; a caller that feeds a corpus in several parts (the corpus
    benchmark) keeps one open so the workers and their pipelines are started once.
    """

    def run(self, batches: Iterable[list[Item]]) -> Iterator[list[dict]]:  # pragma: no cover - interface
        raise NotImplementedError

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class LocalEngine(Engine):
    """This process (``workers=1``) or a ``multiprocessing`` pool of ``workers`` processes."""

    def __init__(self, workers: int, model: str | None, exclude: tuple[str, ...], batch_size: int | None):
        self.batch_size, self.pool, self.nlp = batch_size, None, None
        if workers <= 1:
            self.nlp = _pipeline(model, exclude)
            return
        # fork shares the loaded interpreter state cheaply; each worker still builds its own pipeline.
        method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
        self.pool = mp.get_context(method).Pool(
            workers, initializer=_worker_init, initargs=(model, exclude, batch_size, settings_snapshot())
        )

    def run(self, batches):
        if self.pool is None:
            for batch in batches:
                yield process_batch(batch, nlp=self.nlp, batch_size=self.batch_size)
            return
        # imap keeps input order; the pool's task handler queues the batches ahead of the workers.
        yield from self.pool.imap(_worker_batch, batches, chunksize=1)

    def close(self):
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None


def _dask_batch(items, model, exclude, batch_size, snapshot=None):
    apply_settings(snapshot)
    return process_batch(items, model, exclude, batch_size)


#: Seconds to wait for a scheduler to answer, and for its first worker to join.
DASK_CONNECT_TIMEOUT = 30
DASK_WORKER_TIMEOUT = 120


def _connect(scheduler: str):
    from distributed import Client

    try:
        client = Client(scheduler, timeout=DASK_CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        raise GeomapError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
    try:
        # A scheduler without workers would take the tasks and wait for ever.
        client.wait_for_workers(1, timeout=DASK_WORKER_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        client.close()
        raise GeomapError(
            f"the Dask scheduler at {scheduler} has no workers "
            f"(none joined in {DASK_WORKER_TIMEOUT} s): start some with `dask worker {scheduler}`"
        ) from exc
    return client


class DaskEngine(Engine):
    """``process_batch`` on dask.distributed: a running scheduler, or a LocalCluster of ``workers``."""

    def __init__(
        self, workers: int, scheduler: str | None, model: str | None, exclude: tuple[str, ...], batch_size: int | None
    ):
        from distributed import Client, LocalCluster

        self.args = (model, exclude, batch_size, settings_snapshot())
        self.cluster = None
        if scheduler:
            self.client = _connect(scheduler)
        else:
            self.cluster = LocalCluster(
                n_workers=max(1, workers), threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
            )
            self.client = Client(self.cluster)

    def run(self, batches: Iterable[list[Item]]) -> Iterator[list[dict]]:
        from distributed import as_completed

        client = self.client
        # Two tasks per worker thread keep every worker busy without shipping the whole corpus.
        in_flight = max(2, 2 * sum(client.nthreads().values()))
        it = iter(enumerate(batches))
        pending: dict[int, list[dict]] = {}
        next_out = 0
        ac = as_completed()

        def submit(idx, batch):
            fut = client.submit(_dask_batch, batch, *self.args, pure=False)
            fut.idx = idx
            ac.add(fut)

        for idx, batch in itertools.islice(it, in_flight):
            submit(idx, batch)
        for fut in ac:
            pending[fut.idx] = fut.result()
            fut.release()
            nxt = next(it, None)
            if nxt is not None:
                submit(*nxt)
            # Yield in input order so the result never depends on worker timing.
            while next_out in pending:
                yield pending.pop(next_out)
                next_out += 1

    def close(self):
        if self.client is not None:
            self.client.close()
            self.client = None
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None


def open_engine(
    engine: str = "local",
    workers: int = 1,
    scheduler: str | None = None,
    model: str | None = None,
    exclude: tuple[str, ...] = (),
    batch_size: int | None = None,
) -> Engine:
    """Start an engine (pipeline loaded, pool or cluster up) for :func:`collect`.

    Parameters
    ----------
    engine : {"local", "dask"}
    workers : int
        Local processes, or LocalCluster workers when ``engine="dask"`` and no ``scheduler``.
    scheduler : str, optional
        Address of a running Dask scheduler.
    model, exclude, batch_size :
        As for :func:`process_batch`.

    Returns
    -------
    Engine
        Use as a context manager, or call ``close()``.
    """
    if engine == "dask":
        return DaskEngine(workers, scheduler, model, exclude, batch_size)
    if engine == "local":
        return LocalEngine(workers, model, exclude, batch_size)
    raise GeomapError(f"unknown engine {engine!r}: use 'local' or 'dask'")


def collect(results: Iterable[list[dict]], tick: Callable[[int], None] | None = None) -> dict:
    """Gather per-batch results into records for ``build_tables`` and per-document outcomes.

    Returns
    -------
    dict
        ``records`` (one ``doc_records`` dict per finished document), ``documents`` (outcome
        entries for ``run.json``), ``words`` and ``chars``.
    """
    records, documents = [], []
    words = chars = 0
    for batch in results:
        for res in batch:
            entry = {
                "doc_id": res["doc_id"],
                "outcome": "done" if res["error"] is None else "skipped",
                "words": res["words"],
            }
            if res["error"] is not None:
                entry["reason"] = res["error"]
            else:
                records.append(res["records"])
                entry.update({k: len(v) for k, v in res["records"].items()})
            documents.append(entry)
            words += res["words"]
            chars += res["chars"]
        if tick:
            tick(len(batch))
    return {"records": records, "documents": documents, "words": words, "chars": chars}


def _progress_fn(progress, total: int) -> Callable[[int], None] | None:
    if progress is None or progress is False:
        return None
    if progress is True:
        from tqdm.auto import tqdm

        bar = tqdm(total=total, unit="article")
        return bar.update
    if hasattr(progress, "update"):
        return progress.update
    if callable(progress):
        return progress
    raise TypeError("progress must be None, True, a tqdm bar or a callable taking a count")


def extract(
    articles: Any,
    workers: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
    progress: Any = None,
    batch_size: int | None = None,
    model: str | None = None,
    dedupe: bool = True,
    items_per_task: int | None = None,
) -> ExtractResult:
    """Extract incidents, movements and place mentions from articles.

    Parameters
    ----------
    articles : pandas.DataFrame, path or list of str
        What ``geomap.read_articles`` returns (a path is read with it; plain texts get ids
        ``doc-000000``...).
    workers : int
        Processes to use (``engine="local"``) or Dask workers to start (``engine="dask"``
        without ``scheduler``).
    engine : {"local", "dask"}
        ``"dask"`` runs the same per-batch function on dask.distributed.
    scheduler : str, optional
        Address of a running Dask scheduler (``tcp://host:8786``); a LocalCluster otherwise.
    progress : None, True, tqdm bar or callable
        Told how many articles finished after each batch.
    batch_size : int, optional
        ``nlp.pipe`` batch size (``settings.batch_size``).
    model : str, optional
        spaCy model name (``settings.spacy_models`` by default).
    dedupe : bool
        Merge the same incident reported by several articles.
    items_per_task : int, optional
        Articles sent to a worker at a time (default: ``batch_size``).

    Returns
    -------
    ExtractResult
        ``.incidents``, ``.movements`` (GeoDataFrames, EPSG:4326), ``.mentions``, ``.articles``
        (without text) and ``.run`` (per-document outcomes, counts, timings).
    """
    if engine not in ("local", "dask"):
        raise GeomapError(f"unknown engine {engine!r}: use 'local' or 'dask'")
    workers = max(1, int(workers or 1))
    df = _as_articles(articles)
    bs = batch_size or settings.batch_size
    exclude, problems = pipeline_components()
    tick = _progress_fn(progress, len(df))

    t0 = time.perf_counter()
    per_task = items_per_task or bs
    batches = _batches(iter_items(df), per_task)
    if engine == "local":
        # Starting a worker costs a pipeline load: never start more than there are batches.
        workers_started = min(workers, max(1, math.ceil(len(df) / per_task)))
    else:
        workers_started = workers
    with open_engine(engine, workers_started, scheduler, model, exclude, bs) as eng:
        got = collect(eng.run(batches), tick)
    records, documents, words, chars = got["records"], got["documents"], got["words"], got["chars"]
    t1 = time.perf_counter()
    result = build_tables(records, articles=df, dedupe=dedupe)
    t2 = time.perf_counter()
    nlp_s = t1 - t0
    result.run = {
        "engine": engine,
        "workers": workers,
        "scheduler": scheduler,
        "batch_size": bs,
        "components_excluded": problems,
        "documents": documents,
        "counts": {
            "articles": len(df),
            "articles_done": sum(d["outcome"] == "done" for d in documents),
            "articles_skipped": sum(d["outcome"] != "done" for d in documents),
            "words": words,
            "chars": chars,
            "incidents": len(result.incidents),
            "movements": len(result.movements),
            "mentions": len(result.mentions),
        },
        "timings": {
            "nlp_s": round(nlp_s, 3),
            "tables_s": round(t2 - t1, 3),
            "words_per_s": round(words / nlp_s, 1) if nlp_s > 0 else None,
            "articles_per_s": round(len(df) / nlp_s, 2) if nlp_s > 0 else None,
        },
    }
    return result
