"""Merge Who's On First's Syrian localities into the gazetteer rows and give every Syrian row
its district (``admin2``).

Used by ``gazetteer/build.py``; the input is the in-repository copy
``gazetteer/sources/wof-sy-places.tsv`` (see ``gazetteer/sources/README.md`` for what it holds
and ``gazetteer/README.md`` for the licences). Who's On First lists every GeoNames populated
place in Syria (10,595 localities against cities500's 308), each with its GeoNames id, its
governorate (``region_id``) and, for most, its district (``county_id``).

Rules
-----
* One row per GeoNames id: a locality whose ``gn:<geonameid>`` row already exists (cities500)
  only adds its names to that row; the others become new ``gn:<geonameid>`` rows.
* Deprecated or superseded records are dropped, and so are points outside Syria (one Turkish
  village near Qamishli is filed under Syria); records without a GeoNames id are dropped too
  (they are Who's On First's own duplicates of GeoNames places: "Tartus", "Mezze", "Darayya").
* The GeoNames feature code is kept: ``PPLQ`` (abandoned), ``PPLW`` (destroyed) and ``PPLH``
  (historical) let the ranking put such villages last.
* A curated town whose GeoNames twin (same folded name within ``TWIN_KM``) now arrives keeps
  its id, name and spellings, gains the twin's names and takes the GeoNames point: a sourced
  point beats an editor's estimate (the policy of ``gazetteer/README.md``).
"""

from __future__ import annotations

import csv
import math
import re
import sys
from pathlib import Path

SOURCE_WOF = "whosonfirst-sy-2024-03-05"

#: Who's On First region (governorate) record -> ISO 3166-2, through the GeoNames id both carry.
_REGION_GEONAMEID_TO_ISO = {
    "163342": "SY-TA",
    "167541": "SY-DI",
    "169387": "SY-ID",
    "169575": "SY-HI",
    "170015": "SY-HM",
    "170062": "SY-HL",
    "170652": "SY-RD",
    "170792": "SY-DY",
    "170903": "SY-DR",
    "172410": "SY-SU",
    "172957": "SY-RA",
    "173336": "SY-QU",
    "173578": "SY-LA",
    "173813": "SY-HA",
}

#: Who's On First county names that no spelling rule links to the ``adm2:`` row's name
#: (the county's name -> the adm2 row's name); the others match after folding.
_COUNTY_NAMES = {
    "Jebel Saman": "Mount Simeon District",
    "Rural Damascus": "Markaz Rif Dimashq District",
    "Quneitra": "Quneitra Governorate District",
    "Ain Al Arab": "Ayn al-Arab District",
    "Al Ma'ra": "Maarrat al-Nu'man District",
    "Quamishli": "Al-Qamishli District",
    "Al Makhrim": "Al-Mukharram District",
    "Tartous": "Tartus District",
    "Tadmor": "Tadmur District",
    "Dreikish": "Duraykish District",
    "Idleb": "Idlib District",
    "Izra'": "Izra District",
    "Menbij": "Manbij District",
    "Muhradah": "Mhardeh District",
    "Tall Kalakh": "Talkalakh District",
    "Harim": "Harem District",
    "Jisr-Ash-Shugur": "Jisr al-Shughur District",
    "Al-Malikeyyeh": "Al-Malikiyah District",
    "Tell Abiad": "Tell Abyad District",
    "Lattakia": "Latakia District",
    "Jablah": "Jableh District",
    "Banyas": "Baniyas District",
    "Yabroud": "Yabrud District",
    "A'zaz": "Azaz District",
    "Jarablus": "Jarabulus District",
    "As-Salamiyeh": "Al-Salamiyah District",
    "Dar'a": "Daraa District",
    "As-Sweida": "As-Suwayda District",
    "Duma": "Douma District",
    "Ras Al Ain": "Ras al-Ayn District",
    "Az-Zabdani": "Al-Zabadani District",
    "Sheikh Badr": "Al-Shaykh Badr District",
    "Al-Haffa": "Al-Haffah District",
    "Ar-Raqqa": "Ar-Raqqah District",
    "Al-Hasakeh": "Al-Hasakah District",
}

#: A curated town and a GeoNames village of the same folded name closer than this are one place
#: (3 km for a curated neighbourhood).
TWIN_KM = 12.0


def read_wof(path: Path) -> list[dict]:
    """The rows of ``wof-sy-places.tsv`` (tab-separated, no quoting)."""
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def _split(s: str) -> list[str]:
    return [p.strip() for p in (s or "").split("|") if p.strip()]


def _norm(s: str) -> str:
    # compare district names without the article, punctuation and "District"
    from unidecode import unidecode

    s = unidecode(s).lower().replace("'", "").replace("`", "")
    s = re.sub(r"\bdistrict\b", " ", s)
    s = re.sub(r"(^|[\s-])(al|el|as|ar|ad|an|at|az|ash|ath|es|ed|ez|er)[- ]", " ", s)
    return re.sub(r"[^a-z]", "", s)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, a)))


def county_districts(wof: list[dict], rows: dict, governorate_names: dict) -> dict[str, str]:
    """Who's On First county id -> name of the ``adm2:`` row it is.

    A county matches the district of its governorate whose name folds the same (or the one
    ``_COUNTY_NAMES`` names). Counties that are not Syrian districts (Lebanon's Akkar, Rashaya;
    Turkey's Merkez, which Who's On First files under Syrian regions) match nothing and are left out.
    """
    districts = [r for r in rows.values() if r["level"] == "district" and r["country_code"] == "SY"]
    by_gov_key = {(r["admin1"], _norm(r["name"])): r["name"] for r in districts}
    names = {r["name"] for r in districts}
    region_gov = {}
    for w in wof:
        if w["placetype"] == "region" and w["geonameid"] in _REGION_GEONAMEID_TO_ISO:
            region_gov[w["wof_id"]] = governorate_names[_REGION_GEONAMEID_TO_ISO[w["geonameid"]]]
    out = {}
    for w in wof:
        if w["placetype"] != "county" or w["deprecated"] == "1":
            continue
        gov = region_gov.get(w["region_id"], "")
        name = _COUNTY_NAMES.get(w["name"]) or by_gov_key.get((gov, _norm(w["name"])))
        if name and name in names:
            out[w["wof_id"]] = name
    return out


def wof_aliases(w: dict, keep) -> set[str]:
    """Every name a Who's On First record gives a place, filtered by ``keep(alias)``."""
    own = {w["name"], w["gn_name"], w["gn_asciiname"]}
    # other languages' short forms ("Dar" for Mazra'at Haydar Basha, "Cum", "Gid") are
    # English words or fragments, not names anyone reports; the village's own name is kept
    others = {a for a in (*_split(w["names_en"]), *_split(w["names_latin_other"])) if len(a) >= 4}
    names = own | others | set(_split(w["names_ar"]))
    return {a for a in names if a and keep(a)}


def merge_localities(
    rows: dict, wof: list[dict], *, governorate_names: dict, governorate_at, keep_alias, plain, new_row
) -> dict[str, str]:
    """Add Who's On First's localities to ``rows`` (in place).

    Parameters
    ----------
    rows : dict
        id -> row, as ``build.py`` assembles them (aliases as sets).
    wof : list of dict
        The rows of ``wof-sy-places.tsv``.
    governorate_names : dict
        ISO 3166-2 -> the English governorate name of ``admin1``.
    governorate_at : callable
        ``(lat, lon) -> governorate name`` by polygon, for records without a region.
    keep_alias, plain, new_row : callable
        ``build.py``'s alias filter, ASCII transliteration and row constructor.

    Returns
    -------
    dict
        ``gn:<id>`` -> Who's On First county id, for :func:`assign_districts`.
    """
    region_gov = {
        w["wof_id"]: governorate_names[_REGION_GEONAMEID_TO_ISO[w["geonameid"]]]
        for w in wof
        if w["placetype"] == "region" and w["geonameid"] in _REGION_GEONAMEID_TO_ISO
    }
    county_of = {}
    for w in sorted(wof, key=lambda w: int(w["wof_id"])):
        if w["placetype"] not in ("locality", "neighbourhood") or w["deprecated"] == "1":
            continue
        if not w["geonameid"]:
            continue
        rid = f"gn:{w['geonameid']}"
        aliases = wof_aliases(w, keep_alias)
        county_of[rid] = w["county_id"]
        if rid in rows:
            rows[rid]["aliases"] |= aliases
            continue
        lat, lon = float(w["lat"]), float(w["lon"])
        polygon_gov = governorate_at(lat, lon)
        if not polygon_gov:
            continue  # outside Syria (and the Golan) by more than ~5 km: a Turkish village
        fcode = w["gn_feature_code"] or "PPL"
        admin1 = region_gov.get(w["region_id"]) or polygon_gov
        name = plain(w["gn_name"] or w["name"])
        rows[rid] = new_row(
            id=rid,
            name=name,
            aliases=aliases | {w["gn_name"] or w["name"]},
            lat=lat,
            lon=lon,
            level="neighbourhood" if fcode == "PPLX" else "town",
            feature_code=fcode,
            population=int(w["population"] or 0),
            country_code="SY",
            admin1=admin1,
            source=SOURCE_WOF,
        )
    return county_of


def fold_curated_twins(rows: dict, new_ids: set[str], fold) -> list[tuple[str, str]]:
    """Fold each new Who's On First village into the curated town it duplicates.

    A curated ``cur:`` inhabited place (feature code ``PPL*``) in Syria and a new village whose folded names meet
    and whose points are within ``TWIN_KM`` are one place: the curated row keeps its id, name,
    level and spellings, adds the village's names and takes the GeoNames point. Returns the
    ``(curated id, "folded village id, name, code and distance")`` pairs.
    """
    by_key: dict[str, list[str]] = {}
    for rid in sorted(new_ids):
        r = rows[rid]
        for n in {r["name"], *r["aliases"]}:
            k = fold(n).replace(" ", "")
            if k:
                by_key.setdefault(k, []).append(rid)
    folded = []
    for cid in sorted(rows):
        if not cid.startswith("cur:"):
            continue
        c = rows[cid]
        # only inhabited places: an air base, crossing or camp named after its village
        # (Hmeimim, Nasib, Neirab) is a different place from the village
        if c["country_code"] != "SY" or not c["feature_code"].startswith("PPL"):
            continue
        keys = {fold(n).replace(" ", "") for n in {c["name"], *c["aliases"]}} - {""}
        # a neighbourhood's twin must be in the same quarter, not a village outside the city
        limit = TWIN_KM if c["level"] == "town" else 3.0
        near = sorted(
            {
                rid
                for k in keys
                for rid in by_key.get(k, ())
                if rid in rows and _km(c["lat"], c["lon"], rows[rid]["lat"], rows[rid]["lon"]) <= limit
            },
            key=lambda rid: _km(c["lat"], c["lon"], rows[rid]["lat"], rows[rid]["lon"]),
        )
        if not near:
            continue
        twin = rows.pop(near[0])
        km = _km(c["lat"], c["lon"], twin["lat"], twin["lon"])
        c["aliases"] |= twin["aliases"] | {twin["name"]}
        c["coord_note"] = (
            f"GeoNames point of {twin['name']} ({twin['id']}, via Who's On First); "
            f"was the editor's estimate ({c['coord_note']})"
        )
        c["lat"], c["lon"] = twin["lat"], twin["lon"]
        if not c["population"]:
            c["population"] = twin["population"]
        folded.append((cid, f"{twin['id']} {twin['name']} ({twin['feature_code']}) {km:.1f} km"))
    return folded


def assign_districts(rows: dict, county_of: dict, county_district: dict) -> None:
    """Fill ``admin2`` of every Syrian row below the district level.

    A Who's On First locality takes its county's district. Any other Syrian town or
    neighbourhood (a curated place, an airport, a locality Who's On First files under no county)
    takes the district of the nearest locality that has one in the same governorate: the
    source carries no district polygons, and the nearest village's district is the
    point-in-Voronoi-cell answer. District rows name themselves; governorates and regions
    (which span districts) stay empty.
    """
    known = []
    for rid, r in rows.items():
        if r["country_code"] != "SY":
            continue
        if r["level"] == "district":
            r["admin2"] = r["name"]
        d = county_district.get(county_of.get(rid, ""), "")
        if d and r["level"] in ("town", "neighbourhood"):
            r["admin2"] = d
            known.append((float(r["lat"]), float(r["lon"]), r["admin1"], d))
    if not known:
        sys.exit("no Who's On First locality carries a district: is the source file complete?")
    for rid in sorted(rows):
        r = rows[rid]
        if r["country_code"] != "SY" or r["level"] not in ("town", "neighbourhood") or r.get("admin2"):
            continue
        lat, lon = float(r["lat"]), float(r["lon"])
        same = [k for k in known if k[2] == r["admin1"]] or known
        best = min(same, key=lambda k: ((k[0] - lat) ** 2 + ((k[1] - lon) * math.cos(math.radians(lat))) ** 2, k[3]))
        r["admin2"] = best[3]
