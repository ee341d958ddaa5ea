"""``geomap map`` and ``geomap extract``: read the inputs, extract, write every output as one set
(tables, ``geomap.gpkg``, ``map.html``, ``run.json``) into the output folder."""

from __future__ import annotations

import argparse
import datetime as _dt
import sys
import time
from pathlib import Path

from geomap.cli_common import EXIT_OK, EXIT_SKIPPED, EXIT_USAGE, _err, _note_folder_docs, _progress_bar
from geomap.cli_store import _store_map
from geomap.errors import GeomapError


def _article_entries(articles, documents: list[dict]) -> list[dict]:
    by_id = {d["doc_id"]: d for d in documents}
    out = []
    cols = [
        c
        for c in ("doc_id", "source_id", "path", "date", "date_source", "source", "title", "url", "encoding", "notes")
        if c in articles.columns
    ]
    for rec in articles[cols].to_dict("records"):
        doc = by_id.get(rec["doc_id"], {})
        entry = {k: v for k, v in rec.items() if v is not None and not (isinstance(v, float) and v != v)}
        entry["outcome"] = doc.get("outcome", "skipped")
        for k in ("reason", "words", "incidents", "movements", "mentions"):
            if k in doc:
                entry[k] = doc[k]
        out.append(entry)
    return out


def _run_extract(args: argparse.Namespace, with_map: bool) -> int:
    from geomap.extraction import extract
    from geomap.outdir import check_output_dir, staged_outputs
    from geomap.read import read_articles

    started = _dt.datetime.now(_dt.UTC)
    timings: dict[str, float] = {}
    engine = "dask" if args.scheduler else args.engine
    out_dir = Path(args.output) if args.output else Path("output")
    if (
        with_map
        and len(args.inputs) == 1
        and args.inputs[0].lower().endswith(".gpkg")
        and Path(args.inputs[0]).is_file()
    ):
        out_dir.mkdir(parents=True, exist_ok=True)
        return _store_map(args, Path(args.inputs[0]), out_dir / "map.html")
    # Usage errors come before anything is written: a typo must never cost the last run's outputs.
    missing = [i for i in args.inputs if not Path(i).exists()]
    if missing:
        raise GeomapError(f"no such file or folder: {', '.join(missing)} (nothing was written)")
    check_output_dir(out_dir, args.inputs)

    t = time.perf_counter()
    articles = read_articles(*args.inputs, date=args.date, metadata=args.metadata, exclude=[out_dir])
    timings["read_s"] = time.perf_counter() - t
    skipped = list(articles.attrs.get("skipped", []))
    if len(articles) == 0:
        for s in skipped:
            _err(f"skipped {s['input']}: {s['reason']}")
        _note_folder_docs(articles, args.quiet)
        _err(f"no article could be read from {', '.join(args.inputs)}: nothing was written to {out_dir}/")
        return EXIT_SKIPPED

    bar = _progress_bar(len(articles), args.quiet)
    try:
        result = extract(
            articles,
            workers=args.workers,
            engine=engine,
            scheduler=args.scheduler,
            progress=bar.update if bar else None,
        )
    finally:
        if bar:
            bar.close()
    timings["nlp_s"] = result.run["timings"]["nlp_s"]
    timings["tables_s"] = result.run["timings"]["tables_s"]
    for doc in result.run["documents"]:
        if doc["outcome"] != "done":
            skipped.append({"input": doc["doc_id"], "reason": f"extraction failed: {doc.get('reason')}"})
    if not any(doc["outcome"] == "done" for doc in result.run["documents"]):
        for s in skipped:
            _err(f"skipped {s['input']}: {s['reason']}")
        _err(f"no article could be processed: nothing was written to {out_dir}/")
        return EXIT_SKIPPED
    with staged_outputs(out_dir) as stage:
        map_error = _write_run_outputs(args, with_map, result, articles, skipped, timings, started, out_dir, stage)
        if map_error is not None:
            # Leaving the block by an error discards the new set: the folder keeps the previous one whole.
            raise GeomapError(
                f"the map could not be drawn ({type(map_error).__name__}: {map_error}); "
                f"nothing in {out_dir}/ was changed"
            ) from map_error
    for s in skipped:
        _err(f"skipped {s['input']}: {s['reason']}")
    _note_folder_docs(articles, args.quiet)
    if not args.quiet:
        counts = result.run["counts"]
        made = "tables and map.html" if with_map else "tables"
        _err(
            f"{_many(counts['articles_done'], 'article')} -> {_many(counts['incidents'], 'incident')}, "
            f"{_many(counts['movements'], 'movement')}, {_many(counts['mentions'], 'mention')}; "
            f"{made} in {out_dir}/ ({timings['total_s']:.1f} s)"
            + (f"; {len(skipped)} skipped (see run.json)" if skipped else "")
        )
    return EXIT_SKIPPED if skipped else EXIT_OK


def _many(n: int, noun: str) -> str:
    """``1 article``, ``2 articles``, ``0 movements``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _write_run_outputs(args, with_map, result, articles, skipped, timings, started, out_dir, stage_dir):
    """Write every output of a map/extract run into ``stage_dir`` (moved into ``out_dir`` as one set).

    Returns the exception that stopped the map, if any (the tables and run.json are written).
    """
    from geomap.export import write_gpkg
    from geomap.extraction import pipeline_components
    from geomap.write import versions, write_map, write_outputs, write_run

    engine = "dask" if args.scheduler else args.engine

    def stage(name, secs):
        timings[f"{name}_s"] = secs

    title = getattr(args, "title", None)
    written = write_outputs(result, stage_dir, on_stage=stage)
    t = time.perf_counter()
    written["geomap.gpkg"] = write_gpkg(result, stage_dir / "geomap.gpkg")
    timings["gpkg_s"] = time.perf_counter() - t
    map_error = None
    if with_map:
        t = time.perf_counter()
        try:
            from geomap.map import make_map

            drawn = make_map(result, title=title, online_tiles=args.online_tiles)
            written["map.html"] = write_map(drawn, stage_dir)
        except Exception as exc:  # noqa: BLE001 - the tables are written; run.json must still say what happened
            map_error = exc
        timings["map_s"] = time.perf_counter() - t

    nlp = None
    try:
        from geomap.nlp.pipeline import cached_pipeline

        exclude, _ = pipeline_components()
        if engine == "local" and args.workers == 1:
            nlp = cached_pipeline(None, exclude)
    except Exception:  # noqa: BLE001 - versions are informative only
        nlp = None
    finished = _dt.datetime.now(_dt.UTC)
    timings["total_s"] = (finished - started).total_seconds()
    counts = dict(result.run["counts"])
    counts["inputs"] = len(articles.attrs.get("inputs", []))
    counts["skipped"] = len(skipped)
    run = {
        "command": args.command,
        "argv": sys.argv[1:],
        "started": started.isoformat(timespec="seconds"),
        "finished": finished.isoformat(timespec="seconds"),
        "output_dir": str(out_dir.resolve()),
        "options": {
            "date": args.date,
            "workers": args.workers,
            "engine": engine,
            "scheduler": args.scheduler,
            "online_tiles": args.online_tiles,
            "metadata": args.metadata,
            "title": title,
        },
        "versions": versions(nlp),
        "components_excluded": result.run.get("components_excluded", {}),
        "exit_code": EXIT_SKIPPED if skipped else EXIT_OK,
        "counts": counts,
        "timings": {k: round(v, 3) for k, v in timings.items()},
        "rates": {
            "words_per_s": result.run["timings"].get("words_per_s"),
            "articles_per_s": result.run["timings"].get("articles_per_s"),
        },
        "inputs": articles.attrs.get("inputs", []),
        "articles": _article_entries(articles, result.run["documents"]),
        "id_collisions": articles.attrs.get("id_collisions", []),
        "skipped": skipped,
        "outputs": sorted([*written, "run.json"]),
    }
    if map_error is not None:
        run["map_error"] = f"{type(map_error).__name__}: {map_error}"
        run["exit_code"] = EXIT_USAGE
    write_run(run, stage_dir)
    return map_error
