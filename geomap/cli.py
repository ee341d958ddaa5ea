"""``geomap`` command line: map, extract, render, resolve, gazetteer.

Exit codes: 0 done; 1 done, but some inputs were skipped (each listed on stderr and in
``run.json``); 2 usage error or a geomap error that stopped the run; 130 interrupted.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import inspect
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from geomap import __version__
from geomap.errors import GeomapError

EXIT_OK, EXIT_SKIPPED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

_EPILOG = """\
exit codes:
  0    done
  1    done, but some inputs were skipped (listed on stderr and in DIR/run.json)
  2    usage error, or an error that stopped the run (one line on stderr says what to do)

examples:
  geomap map seeds/ -o output/                 articles -> tables + output/map.html
  geomap map reports.jsonl --workers 2         the same with 2 processes
  geomap extract feed.csv --date 2012-07-30    tables only; articles without a date get this one
  geomap render output/                        redraw output/map.html from (edited) tables
  geomap update syria.gpkg today/              add today's articles to a standing store (QGIS opens it)
  geomap export syria.gpkg -f acled -o a.csv   the store's incidents in ACLED's columns
  geomap resolve "Deir ez-Zor"                 gazetteer candidates, best first
  geomap gazetteer import SY.zip               add a GeoNames dump to the gazetteer
"""


def _date_arg(value: str) -> _dt.date:
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date: use YYYY-MM-DD, e.g. 2012-07-30") from None


def _workers_arg(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of workers") from None
    if n < 1:
        raise argparse.ArgumentTypeError("--workers must be 1 or more")
    return n


def _common(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("common options")
    g.add_argument(
        "--date",
        type=_date_arg,
        metavar="YYYY-MM-DD",
        help="publication date for articles that carry none (no metadata, front matter or dateline); "
        "relative dates ('yesterday', 'Tuesday') are resolved against it",
    )
    g.add_argument(
        "--workers",
        type=_workers_arg,
        default=1,
        metavar="N",
        help="processes (local engine) or Dask workers to start (default 1)",
    )
    g.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help="local: this machine's processes; dask: dask.distributed (default local)",
    )
    g.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="address of a running Dask scheduler (tcp://host:8786); implies --engine dask",
    )
    g.add_argument(
        "--online-tiles",
        action="store_true",
        help="use OpenStreetMap tiles from the network (the default map needs no network)",
    )
    g.add_argument("--quiet", "-q", action="store_true", help="no progress bar and no summary (errors still shown)")
    g.add_argument(
        "--metadata",
        metavar="CSV",
        help="an articles.csv (file,date,source,title,url) for the inputs; wins over everything else",
    )


def build_parser() -> argparse.ArgumentParser:
    """The ``geomap`` argument parser (exposed for documentation and tests)."""
    parser = argparse.ArgumentParser(
        prog="geomap",
        description="Turn English news reporting on the Syrian civil war into dated, sourced, layered maps - offline.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"geomap {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    inputs_help = (
        "articles: .txt/.md (optional YAML front matter: date, source, title, url), .html, "
        ".jsonl (id, text, date...), .csv with a text column, or folders of them (with an "
        "optional articles.csv: file,date,source,title,url)"
    )
    for name, desc in (
        ("map", "read articles, extract incidents/movements/mentions, write the tables and DIR/map.html"),
        ("extract", "the same as map, without the map"),
    ):
        p = sub.add_parser(
            name,
            help=desc,
            description=desc + ". Writes incidents.{csv,geojson,parquet}, "
            "movements.{csv,geojson,parquet}, mentions.csv and run.json (every input with its "
            "outcome, counts, timings, versions).",
            epilog=_EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        p.add_argument("inputs", nargs="+", metavar="INPUT", help=inputs_help)
        p.add_argument("-o", "--output", metavar="DIR", help="output folder (default: output/)")
        if name == "map":
            p.add_argument("--title", help="map title")
        _common(p)

    p = sub.add_parser(
        "render",
        help="draw DIR/map.html from tables already in DIR (edit them, then redraw)",
        description="Draw the map from the incidents/movements tables in DIR, e.g. after editing them.",
    )
    p.add_argument("directory", metavar="DIR")
    p.add_argument("-o", "--output", metavar="FILE", help="map file to write (default: DIR/map.html)")
    p.add_argument("--title", help="map title (default: the title the run recorded in DIR/run.json, if any)")
    p.add_argument("--online-tiles", action="store_true", help="use OpenStreetMap tiles from the network")
    p.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")

    p = sub.add_parser(
        "update",
        help="add articles to a standing GeoPackage store (seen articles are skipped)",
        description="Add the articles of INPUT to STORE.gpkg (created if missing) in one transaction: "
        "articles seen before are skipped, changed ones replaced, new incidents and movements merged "
        "with the stored ones; records edited in QGIS are kept. Draw it with `geomap render STORE.gpkg`.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("store", metavar="STORE.gpkg")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help=inputs_help)
    p.add_argument(
        "--wait",
        type=float,
        default=600.0,
        metavar="SECONDS",
        help="how long to wait for another update of the same store (default 600)",
    )
    _common(p)

    p = sub.add_parser(
        "export",
        help="write a store's or an output folder's tables as ACLED columns, CSV, GeoJSON, GeoParquet or GeoPackage",
        description="Export the tables of SOURCE (a store .gpkg or an "
        "output folder) to one file. --format acled writes the incidents in ACLED's columns "
        "(docs/columns.md says which are approximations).",
    )
    p.add_argument("source", metavar="SOURCE")
    p.add_argument("--format", "-f", required=True, choices=("acled", "csv", "geojson", "parquet", "gpkg"))
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.add_argument(
        "--layer",
        choices=("incidents", "movements", "mentions"),
        default="incidents",
        help="table for csv/geojson/parquet (default incidents)",
    )
    p.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")

    p = sub.add_parser(
        "resolve",
        help="gazetteer candidates for one place name, best first, with scores",
        description="Look a place name up in the offline gazetteer; candidates best first.",
    )
    p.add_argument("name", metavar="NAME")
    p.add_argument("--context", metavar="TEXT", help="the sentence the name appears in, to help choose")
    p.add_argument("--limit", type=_workers_arg, default=10, metavar="N", help="candidates to show (default 10)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")

    p = sub.add_parser(
        "gazetteer",
        help="what the gazetteer holds; fuzzy search; import a GeoNames dump",
        description="Inspect and extend the offline gazetteer.",
    )
    gsub = p.add_subparsers(dest="gaz_command", metavar="ACTION", required=True)
    gsub.add_parser("info", help="sources, counts and versions of the gazetteer")
    gs = gsub.add_parser("search", help="fuzzy search by name")
    gs.add_argument("text", metavar="TEXT")
    gs.add_argument("--limit", type=_workers_arg, default=10, metavar="N")
    gs.add_argument("--json", action="store_true", help="print JSON instead of a table")
    gi = gsub.add_parser("import", help="add a GeoNames dump (SY.zip, SY.txt, alternateNamesV2) to the overlay")
    gi.add_argument("file", metavar="FILE")
    gi.add_argument("--data-dir", metavar="DIR", help="overlay folder (default: geomap.settings.data_dir)")
    gi.add_argument(
        "--all",
        action="store_true",
        help="keep every place of the dump (default: Syria and the borderlands, plus countries, "
        "capitals, governorate seats and cities of 100,000+ elsewhere)",
    )
    return parser


# --------------------------------------------------------------------------- helpers


def _err(msg: str) -> None:
    from geomap.folders import printable

    # File names and reasons come from the inputs: escape sequences in them never reach the terminal.
    print(f"geomap: {printable(msg)}", file=sys.stderr)


def _progress_bar(total: int, quiet: bool):
    if quiet or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="article", desc="extracting", file=sys.stderr, dynamic_ncols=True)


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
    if not args.quiet:
        counts = result.run["counts"]
        made = "tables and map.html" if with_map else "tables"
        _err(
            f"{counts['articles_done']} articles -> {counts['incidents']} incidents, {counts['movements']} movements, "
            f"{counts['mentions']} mentions; {made} in {out_dir}/ ({timings['total_s']:.1f} s)"
            + (f"; {len(skipped)} skipped (see run.json)" if skipped else "")
        )
    return EXIT_SKIPPED if skipped else EXIT_OK


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


def _update(args: argparse.Namespace) -> int:
    from geomap.read import read_articles
    from geomap.store import Store

    missing = [i for i in args.inputs if not Path(i).exists()]
    if missing:
        raise GeomapError(f"no such file or folder: {', '.join(missing)} (the store was not changed)")
    # An existing file is checked first (a foreign or newer file stops here, untouched); a new
    # store is created only once there is something to put in it.
    store = Store(args.store, timeout=args.wait, create=False) if Path(args.store).exists() else None
    articles = read_articles(*args.inputs, date=args.date, metadata=args.metadata)
    skipped = list(articles.attrs.get("skipped", []))
    for s in skipped:
        _err(f"skipped {s['input']}: {s['reason']}")
    if len(articles) == 0:
        _err(f"no article could be read: {args.store} was not changed")
        return EXIT_SKIPPED
    store = store or Store(args.store, timeout=args.wait)
    bar = _progress_bar(len(articles), args.quiet)
    try:
        report = store.update(
            articles,
            workers=args.workers,
            engine="dask" if args.scheduler else args.engine,
            scheduler=args.scheduler,
            progress=bar.update if bar else None,
        )
    finally:
        if bar:
            bar.close()
    for doc_id, reason in report["failed"].items():
        _err(f"skipped {doc_id}: extraction failed: {reason}")
    if not args.quiet:
        _err(
            f"{args.store}: {report['articles_new']} new, {report['articles_changed']} changed, "
            f"{report['articles_seen']} already seen; incidents +{report['incidents_added']} "
            f"(merged {report['incidents_merged']}), movements +{report['movements_added']} "
            f"(merged {report['movements_merged']}), mentions +{report['mentions_added']}"
            + (
                f"; {report['kept_edited']} reports of hand-edited records left as edited"
                if report["kept_edited"]
                else ""
            )
        )
    return EXIT_SKIPPED if skipped or report["failed"] else EXIT_OK


def _store_map(args: argparse.Namespace, store_path: Path, target: Path) -> int:
    """Draw the map of a store (``geomap map STORE.gpkg`` / ``geomap render STORE.gpkg``)."""
    from geomap.map import make_map
    from geomap.store import Store
    from geomap.write import write_map

    store = Store(store_path, create=False)

    class _Tables:
        incidents, movements, mentions = store.incidents, store.movements, store.mentions

    m = make_map(_Tables, title=args.title or store_path.stem, online_tiles=args.online_tiles)
    out = write_map(m, target.parent if str(target.parent) else Path("."), name=target.name)
    if not args.quiet:
        _err(f"map of {store_path} written to {out}")
    return EXIT_OK


def _render(args: argparse.Namespace) -> int:
    from geomap import map as gmap
    from geomap.write import write_map

    directory = Path(args.directory)
    if directory.is_file() and directory.suffix.lower() == ".gpkg":
        return _store_map(args, directory, Path(args.output) if args.output else directory.with_suffix(".html"))
    if not directory.is_dir():
        raise GeomapError(f"{directory} is not a folder: give the output folder of `geomap map` or `geomap extract`")
    tables = gmap.load_tables(directory)
    problems = _check_edited(tables)
    # Drawn here (not render_dir) so the file is replaced atomically like every other output.
    m = gmap.make_map(tables, title=args.title, online_tiles=args.online_tiles)
    target = Path(args.output) if args.output else directory / "map.html"
    out = write_map(m, target.parent if str(target.parent) else Path("."), name=target.name)
    if not args.quiet:
        _err(
            f"map written to {out}"
            + (f"; {len(problems)} problem(s) in the tables, those rows left out" if problems else "")
        )
    return EXIT_SKIPPED if problems else EXIT_OK


def _check_edited(tables) -> list:
    """Report rows of hand-edited tables that cannot be drawn and leave them out of ``tables``.

    Raises GeomapError when rows exist but none can be drawn (no blank map with exit 0).
    """
    from geomap.edited import check_tables

    problems, bad = check_tables(tables)
    for p in problems[:50]:
        _err(str(p))
    if len(problems) > 50:
        _err(f"... and {len(problems) - 50} more problems")
    total = sum(len(getattr(tables, n)) for n in ("incidents", "movements") if getattr(tables, n, None) is not None)
    if problems and total and sum(len(rows) for rows in bad.values()) == total:
        raise GeomapError("no row of the edited tables can be drawn (see above); fix them, nothing was written")
    for name, rows in bad.items():
        if rows:
            setattr(tables, name, getattr(tables, name).drop(index=rows))
    return problems


def _gazetteer():
    from geomap.gazetteer import Gazetteer

    return Gazetteer.default() if hasattr(Gazetteer, "default") else Gazetteer()


def _candidate_row(c: Any) -> dict:
    entry = getattr(c, "entry", None)
    if entry is None and isinstance(c, tuple):
        entry = c[0]
    entry = dict(entry) if entry is not None else {}
    row = {k: entry.get(k) for k in ("id", "name", "level", "admin1", "country_code", "lat", "lon", "population")}
    row["score"] = getattr(c, "score", None)
    row["match"] = getattr(c, "match", None)
    return row


def _search(gaz, name: str, limit: int, context: str | None = None) -> list:
    fn = gaz.search
    params = inspect.signature(fn).parameters
    kwargs: dict[str, Any] = {}
    if "limit" in params:
        kwargs["limit"] = limit
    if context and "context" in params:
        kwargs["context"] = context
    elif context and hasattr(gaz, "resolve"):
        rparams = inspect.signature(gaz.resolve).parameters
        if "context" in rparams:
            res = gaz.resolve(name, context=context, **({"limit": limit} if "limit" in rparams else {}))
            return list(res)[:limit] if isinstance(res, (list, tuple)) else [res] if res is not None else []
    return list(fn(name, **kwargs))[:limit]


def _print_candidates(rows: list[dict], as_json: bool) -> None:
    if as_json:
        from geomap.write import jsonable

        print(json.dumps(jsonable(rows), ensure_ascii=False, indent=2))
        return
    if not rows:
        print("no candidates")
        return
    for i, r in enumerate(rows, 1):
        score = f"{r['score']:.3f}" if isinstance(r.get("score"), (int, float)) else "-"
        lat = f"{r['lat']:.4f}" if isinstance(r.get("lat"), (int, float)) else "?"
        lon = f"{r['lon']:.4f}" if isinstance(r.get("lon"), (int, float)) else "?"
        where = ", ".join(str(x) for x in (r.get("admin1"), r.get("country_code")) if x)
        print(
            f"{i:2d}. {score}  {r.get('name')}  [{r.get('id')}]  {r.get('level') or ''}  {where}  ({lat}, {lon})"
            + (f"  match: {r['match']}" if r.get("match") else "")
        )


def _resolve(args: argparse.Namespace) -> int:
    rows = [_candidate_row(c) for c in _search(_gazetteer(), args.name, args.limit, args.context)]
    _print_candidates(rows, args.json)
    return EXIT_OK


def _gazetteer_cmd(args: argparse.Namespace) -> int:
    from geomap.write import jsonable

    if args.gaz_command == "info":
        print(json.dumps(jsonable(_gazetteer().info()), ensure_ascii=False, indent=2))
    elif args.gaz_command == "search":
        rows = [_candidate_row(c) for c in _search(_gazetteer(), args.text, args.limit)]
        _print_candidates(rows, args.json)
    else:
        from geomap.gazetteer_import import import_geonames

        path = Path(args.file)
        if not path.exists():
            raise GeomapError(f"{path}: no such file (give SY.zip, SY.txt or alternateNamesV2 from GeoNames)")
        report = import_geonames(path, data_dir=args.data_dir, keep_all=args.all)
        print(json.dumps(jsonable(report), ensure_ascii=False, indent=2))
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``geomap`` console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)  # exits with 2 on usage errors
    try:
        code = _dispatch(args)
        if code is not None:
            sys.stdout.flush()  # a closed pipe shows here, inside the handlers below
            return code
    except GeomapError as exc:
        _err(f"error: {exc}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        _err("interrupted")
        return EXIT_INTERRUPTED
    except (ImportError, ModuleNotFoundError) as exc:
        _err(f"error: this part of geomap is not available ({exc})")
        return EXIT_USAGE
    except BrokenPipeError:
        # `geomap gazetteer info | head`: the reader has all it wanted; not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:
        _err(f"error: {exc.filename or ''}: {exc.strerror or exc}")
        return EXIT_USAGE
    parser.error(f"unknown command {args.command!r}")
    return EXIT_USAGE


def _dispatch(args: argparse.Namespace) -> int | None:
    """Run the command; None when the command is unknown."""
    if args.command in ("map", "extract"):
        return _run_extract(args, with_map=args.command == "map")
    if args.command == "render":
        return _render(args)
    if args.command == "resolve":
        return _resolve(args)
    if args.command == "update":
        return _update(args)
    if args.command == "export":
        from geomap.export import export

        out = export(args.source, args.format, args.output, layer=args.layer)
        if not args.quiet:
            _err(f"{args.format} written to {out}")
        return EXIT_OK
    if args.command == "gazetteer":
        return _gazetteer_cmd(args)
    return None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
