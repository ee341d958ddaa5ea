"""``geomap update`` (a standing store), ``geomap render`` (the map from tables, edited or not, or
from a store) and ``geomap export``."""

from __future__ import annotations

import argparse
from pathlib import Path

from geomap.cli_common import EXIT_OK, EXIT_SKIPPED, _err, _note_folder_docs, _progress_bar
from geomap.errors import GeomapError


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
    _note_folder_docs(articles, args.quiet)
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


def _export(args: argparse.Namespace) -> int:
    from geomap.export import export

    out = export(args.source, args.format, args.output, layer=args.layer)
    if not args.quiet:
        _err(f"{args.format} written to {out}")
    return EXIT_OK
