"""``geomap`` command line: map, extract, render, resolve, gazetteer.

Exit codes: 0 done; 1 done, but some inputs were skipped (each listed on stderr and in
``run.json``); 2 usage error or a geomap error that stopped the run; 130 interrupted.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import sys

from geomap import __version__
from geomap.cli_common import EXIT_INTERRUPTED, EXIT_OK, EXIT_SKIPPED, EXIT_USAGE, _err
from geomap.cli_gazetteer import _gazetteer_cmd, _resolve
from geomap.cli_run import _run_extract
from geomap.cli_store import _export, _render, _update
from geomap.errors import GeomapError

__all__ = ["main", "build_parser", "EXIT_OK", "EXIT_SKIPPED", "EXIT_USAGE", "EXIT_INTERRUPTED"]


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
        choices=("incidents", "movements", "mentions", "sentences"),
        default="incidents",
        help="table for csv/geojson/parquet (default incidents; sentences: csv or parquet)",
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
        return _export(args)
    if args.command == "gazetteer":
        return _gazetteer_cmd(args)
    return None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
