"""``geomap resolve NAME`` and ``geomap gazetteer info | search | import``."""

from __future__ import annotations

import argparse
import inspect
import json
from pathlib import Path
from typing import Any

from geomap.cli_common import EXIT_OK
from geomap.errors import GeomapError


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
