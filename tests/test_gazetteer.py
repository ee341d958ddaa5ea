"""Gazetteer: loading, lookup/search across spellings, the geopy interface, polygons, errors."""

import json
from pathlib import Path

import pytest
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from geomap import settings
from geomap.errors import GazetteerError
from geomap.gazetteer import COLUMNS, OVERLAY_FILENAME, Candidate, Gazetteer

HEADER = "\t".join(COLUMNS)
ROWS = [
    "gn:170063\tAleppo\tHalab|\u062d\u0644\u0628|Alep\t36.20124\t37.16117\ttown\tPPLA\t1602264\tSY\tAleppo\ttest\t",
    "adm1:SY-02\tAleppo Governorate\tAleppo|Halab\t36.2\t37.5\tgovernorate\tADM1\t0\tSY\tAleppo\ttest\t",
    "gn:170654\tDamascus\tDimashq|\u062f\u0645\u0634\u0642|Ash Sham\t33.5102\t36.29128\ttown\tPPLC\t1569394\tSY\tDamascus\ttest\t",
    "gn:169577\tHoms\tHims|\u062d\u0645\u0635\t34.72682\t36.72339\ttown\tPPLA\t775404\tSY\tHoms\ttest\t",
    "gn:170017\tHama\tHamah\t35.13179\t36.75783\ttown\tPPLA\t696863\tSY\tHama\ttest\t",
    "gn:170794\tDeir ez-Zor\tDayr az Zawr|\u062f\u064a\u0631 \u0627\u0644\u0632\u0648\u0631\t35.33588\t40.14084\ttown\tPPLA\t242565\tSY\tDeir ez-Zor\ttest\t",
    "gn:170592\tDaraa\tDar'a\t32.61889\t36.10213\ttown\tPPLA\t97969\tSY\tDaraa\ttest\t",
    "gn:99532\tBasra\tAl Basrah\t30.50852\t47.7804\ttown\tPPLA\t2600000\tIQ\tBasra\ttest\t",
    "gn:170000\tBusra al-Sham\tBosra|Busra\t32.5176\t36.4817\ttown\tPPL\t20000\tSY\tDaraa\ttest\t",
    "ctry:SY\tSyria\tSyrian Arab Republic\t35.0\t38.0\tcountry\tPCLI\t22000000\tSY\t\ttest\t",
]


def _square(lon0, lat0, lon1, lat1):
    return {"type": "Polygon", "coordinates": [[[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]]}


@pytest.fixture()
def gaz_dir(tmp_path, monkeypatch):
    d = tmp_path / "gaz"
    d.mkdir()
    (d / "places.tsv").write_text(HEADER + "\n" + "\n".join(ROWS) + "\n", encoding="utf-8")
    gov = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"id": "adm1:SY-02", "name": "Aleppo"},
                "geometry": _square(36.5, 35.6, 38.5, 36.8),
            },
            {
                "type": "Feature",
                "properties": {"id": "adm1:SY-99", "name": "Nowhere"},
                "geometry": _square(39.0, 34.5, 41.0, 36.0),
            },
        ],
    }
    (d / "governorates.geojson").write_text(json.dumps(gov), encoding="utf-8")
    ctry = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"iso_a2": "SY", "name": "Syria"},
                "geometry": _square(35.7, 32.3, 42.4, 37.3),
            }
        ],
    }
    (d / "countries.geojson").write_text(json.dumps(ctry), encoding="utf-8")
    monkeypatch.setattr(settings, "data_dir", tmp_path / "data")
    monkeypatch.setattr(settings, "gazetteer_dir", d)
    return d


@pytest.fixture()
def gaz(gaz_dir):
    return Gazetteer(gaz_dir)


def test_is_a_geopy_geocoder_and_loads_entries(gaz):
    assert isinstance(gaz, Geocoder)
    assert list(gaz.entries.columns) == COLUMNS
    assert len(gaz.entries) == len(ROWS)
    assert gaz.get("gn:170063")["name"] == "Aleppo"
    assert isinstance(gaz.get("gn:170063")["lat"], float)
    assert gaz.get("nope") is None and gaz.get(None) is None


@pytest.mark.parametrize(
    "query,expected",
    [
        ("Deir ez-Zor", "gn:170794"),
        ("Dayr az Zawr", "gn:170794"),
        ("Deir Ezzor", "gn:170794"),
        ("Deir al-Zour", "gn:170794"),
        ("\u062f\u064a\u0631 \u0627\u0644\u0632\u0648\u0631", "gn:170794"),
        ("Deraa", "gn:170592"),
        ("Dera'a", "gn:170592"),
        ("Hims", "gn:169577"),
        ("Hamah", "gn:170017"),
        ("Halab", "gn:170063"),
        ("\u062d\u0644\u0628", "gn:170063"),
        ("Aleppo", "gn:170063"),  # the city before the governorate of the same name
        ("Dimashq", "gn:170654"),
        ("Basra", "gn:99532"),  # verbatim spelling beats a folded-only match
        ("Bosra", "gn:170000"),
        ("Syria", "ctry:SY"),
    ],
)
def test_search_spellings(gaz, query, expected):
    cands = gaz.search(query)
    assert cands, query
    assert cands[0].entry["id"] == expected
    assert all(isinstance(c, Candidate) and 0 <= c.score <= 1 for c in cands)
    assert [c.score for c in cands] == sorted((c.score for c in cands), reverse=True)


def test_homs_and_hama_do_not_meet(gaz):
    assert {e["id"] for e in gaz.lookup("Homs")} == {"gn:169577"}
    assert {e["id"] for e in gaz.lookup("Hama")} == {"gn:170017"}


def test_match_kinds(gaz):
    assert gaz.search("Aleppo")[0].match == "exact"
    assert gaz.search("Halab")[0].match == "alias"
    assert gaz.search("Damaskus")[0].match == "exact"  # c/k fold: not a typo at all
    assert gaz.search("Damscus", fuzzy=False) == []
    fuzzy = gaz.search("Damscus")
    assert fuzzy and fuzzy[0].entry["id"] == "gn:170654" and fuzzy[0].match == "fuzzy"
    assert fuzzy[0].score < gaz.search("Damascus")[0].score


def test_filters_and_near(gaz):
    assert [c.entry["id"] for c in gaz.search("Aleppo", level="governorate")] == ["adm1:SY-02"]
    assert gaz.search("Basra", country_code="SY")[0].entry["id"] == "gn:170000"
    assert gaz.search("Aleppo", country_code=["IQ"]) == []
    # near the governorate's point rather than the city's: still a valid ranking, both present
    ids = [c.entry["id"] for c in gaz.search("Aleppo", near=(36.2, 37.5))]
    assert set(ids[:2]) == {"gn:170063", "adm1:SY-02"}


@pytest.mark.parametrize("bad", ["", "   ", None, 42, "x" * 10_000, "zzqqxx", "\x00\x01", "!!!"])
def test_bad_input_gives_nothing(gaz, bad):
    assert gaz.search(bad) == []
    assert gaz.lookup(bad) == []
    assert gaz.geocode(bad) is None


def test_geocode_returns_location_with_raw(gaz):
    loc = gaz.geocode("Deir ez-Zor")
    assert isinstance(loc, Location)
    assert loc.raw["id"] == "gn:170794"
    assert (round(loc.latitude, 3), round(loc.longitude, 3)) == (35.336, 40.141)
    assert loc.raw["match"] == "exact"
    many = gaz.geocode("Aleppo", exactly_one=False)
    assert isinstance(many, list) and [loc.raw["id"] for loc in many][:2] == ["gn:170063", "adm1:SY-02"]
    assert gaz.geocode("nowhere-at-all", exactly_one=False) is None


def test_reverse(gaz):
    loc = gaz.reverse((36.21, 37.15))
    assert isinstance(loc, Location) and loc.raw["id"] == "gn:170063"
    assert loc.raw["distance_km"] < 2
    locs = gaz.reverse("33.5, 36.3", exactly_one=False, limit=3)
    assert [loc.raw["id"] for loc in locs][0] == "gn:170654"
    assert len(locs) == 3
    assert gaz.reverse((10.0, 10.0), max_distance_km=50) is None
    assert gaz.reverse((36.2, 37.2), level="country").raw["id"] == "ctry:SY"


def test_no_network_adapter(gaz):
    # geopy's base class would create an HTTP adapter; ours never does
    assert gaz.adapter is None


def test_governorate_and_country_at(gaz):
    g = gaz.governorate_at(36.2, 37.16)
    assert g is not None and g["id"] == "adm1:SY-02" and g["name"] == "Aleppo Governorate"
    other = gaz.governorate_at(35.0, 40.0)
    assert other == {"id": "adm1:SY-99", "name": "Nowhere"}  # not in places.tsv: the properties
    assert gaz.governorate_at(31.0, 30.0) is None
    assert gaz.governorate_at(float("nan"), 1.0) is None
    assert gaz.country_at(35.0, 38.0)["iso_a2"] == "SY"
    assert gaz.country_at(48.0, 2.0) is None


def test_polygons_absent_give_none(gaz_dir, tmp_path):
    (gaz_dir / "governorates.geojson").unlink()
    (gaz_dir / "countries.geojson").unlink()
    g = Gazetteer(gaz_dir)
    assert g.governorate_at(36.2, 37.16) is None and g.country_at(35.0, 38.0) is None


def test_aliases_cover_names_and_aliases(gaz):
    pairs = set(gaz.aliases())
    assert ("Aleppo", "gn:170063") in pairs and ("Halab", "gn:170063") in pairs
    assert ("Aleppo", "adm1:SY-02") in pairs
    assert ("\u062f\u0645\u0634\u0642", "gn:170654") in pairs


def test_info(gaz):
    info = gaz.info()
    assert info["entries"] == len(ROWS)
    assert info["by_level"]["town"] == 8 and info["by_country"]["IQ"] == 1
    assert info["names"] >= len(ROWS)
    assert any(f.endswith("places.tsv") for f in info["files"])


def test_missing_directory_says_what_to_do(tmp_path):
    with pytest.raises(GazetteerError, match="places.tsv is missing"):
        Gazetteer(tmp_path / "nothing")


@pytest.mark.parametrize(
    "content,message",
    [
        ("id\tname\n1\tx\n", "lacks the column"),
        (HEADER + "\n" + ROWS[0] + "\n" + ROWS[1].replace("36.2\t", "north\t", 1) + "\n", "line 3"),
        (HEADER + "\n" + ROWS[0].replace("36.20124", "123.0") + "\n", "line 2"),
    ],
)
def test_corrupt_places_file(tmp_path, content, message):
    (tmp_path / "places.tsv").write_text(content, encoding="utf-8")
    with pytest.raises(GazetteerError, match=message):
        Gazetteer(tmp_path, overlay=False)


def test_not_utf8(tmp_path):
    (tmp_path / "places.tsv").write_bytes(HEADER.encode() + b"\n\xff\xfe\x00bad\n")
    with pytest.raises(GazetteerError):
        Gazetteer(tmp_path, overlay=False)


def test_overlay_replaces_and_adds(gaz_dir):
    overlay = settings.data_dir / OVERLAY_FILENAME
    overlay.parent.mkdir(parents=True, exist_ok=True)
    overlay.write_text(
        HEADER
        + "\n"
        + "gn:170017\tHama\tHamah|Hamath\t35.1\t36.7\ttown\tPPLA\t700000\tSY\tHama\tgeonames\t\n"
        + "gn:1\tKafr Nubl\tKafranbel\t35.61\t36.56\ttown\tPPL\t30000\tSY\tIdlib\tgeonames\t\n",
        encoding="utf-8",
    )
    g = Gazetteer(gaz_dir)
    assert len(g.entries) == len(ROWS) + 1
    assert g.get("gn:170017")["source"] == "geonames"
    assert g.search("Hamath")[0].entry["id"] == "gn:170017"
    assert g.search("Kafranbel")[0].entry["id"] == "gn:1"
    assert len(Gazetteer(gaz_dir, overlay=False).entries) == len(ROWS)


def test_corrupt_overlay_is_reported(gaz_dir):
    overlay = settings.data_dir / OVERLAY_FILENAME
    overlay.parent.mkdir(parents=True, exist_ok=True)
    overlay.write_text("garbage\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match=OVERLAY_FILENAME):
        Gazetteer(gaz_dir)


def test_default_is_cached_and_reloads_on_change(gaz_dir):
    a = Gazetteer.default()
    assert Gazetteer.default() is a
    import os
    import time

    p = gaz_dir / "places.tsv"
    p.write_text(
        p.read_text(encoding="utf-8") + "gn:2\tSaraqib\t\t35.86\t36.8\ttown\tPPL\t0\tSY\tIdlib\ttest\t\n",
        encoding="utf-8",
    )
    os.utime(p, ns=(time.time_ns(), time.time_ns() + 10**9))
    b = Gazetteer.default()
    assert b is not a and b.get("gn:2") is not None


def test_index_cache_is_reused(gaz_dir):
    g1 = Gazetteer(gaz_dir)
    g1.search("Damscus")  # a near miss: read through the compact-key index
    cached = list((settings.data_dir / "cache").glob("gazetteer-index-*.pickle"))
    assert len(cached) == 1
    g2 = Gazetteer(gaz_dir)
    assert g2.search("Dayr az Zawr")[0].entry["id"] == "gn:170794"


def test_from_dataframe(gaz):
    g = Gazetteer.from_dataframe(gaz.entries.head(3))
    assert len(g) == 3 and g.search("Halab")[0].entry["id"] == "gn:170063"


def test_resolve_with_context(gaz):
    plain = gaz.resolve("Aleppo")
    assert plain[0].entry["id"] == "gn:170063"
    ctx = gaz.resolve("Bosra", context="Shelling hit Bosra and Daraa on Tuesday.")
    assert ctx[0].entry["id"] == "gn:170000"


# --------------------------------------------------------------------- the real gazetteer
REAL = Path(settings.gazetteer_dir) / "places.tsv"
REAL_CASES = [
    (["Aleppo", "Halab", "\u062d\u0644\u0628"], "Aleppo", "SY"),
    (["Damascus", "Dimashq", "\u062f\u0645\u0634\u0642"], "Damascus", "SY"),
    (["Homs", "Hims"], "Homs", "SY"),
    (["Hama", "Hamah"], "Hama", "SY"),
    (["Raqqa", "Ar-Raqqah", "Rakka", "Raqqah"], "Raqqa", "SY"),
    (["Deir ez-Zor", "Dayr az Zawr", "Deir Ezzor", "Deir al-Zour"], "Deir ez-Zor", "SY"),
    (["Abu Kamal", "Al-Bukamal"], "Abu Kamal", "SY"),
    (["Tal Abyad", "Tell Abiad"], "Tal Abyad", "SY"),
    (["Jisr al-Shughour", "Jisr ash-Shugur"], "Jisr al-Shughur", "SY"),
    (["Qusayr", "Al-Qusayr", "Qusair"], "Qusayr", "SY"),
    (["Daraa", "Deraa", "Dera'a", "Dar'a"], "Daraa", "SY"),
    (["Idlib", "Idleb"], "Idlib", "SY"),
    (["Latakia", "Lattakia"], "Latakia", "SY"),
    (["Qamishli", "Kamishli", "al-Qamishli"], "Qamishli", "SY"),
    (["Hasakah", "Hassakeh", "al-Hasakah"], "Hasakah", "SY"),
    (["Maarat al-Numan", "Ma\u2018arrat an Nu\u2018m\u0101n"], "Maarat al-Numan", "SY"),
]


@pytest.fixture(scope="module")
def real_gaz(tmp_path_factory):
    assert REAL.is_file(), "gazetteer/places.tsv ships with geomap"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(settings, "data_dir", tmp_path_factory.mktemp("data"))
        g = Gazetteer(REAL.parent, overlay=False)
        g.lookup("Aleppo")  # build the index once for the module
        yield g


@pytest.mark.parametrize("spellings,canonical,cc", REAL_CASES, ids=[c[1] for c in REAL_CASES])
def test_real_gazetteer_spellings(spellings, canonical, cc, real_gaz):
    g = real_gaz
    ref = g.search(canonical)
    assert ref, canonical
    ref_id = ref[0].entry["id"]
    assert ref[0].entry["country_code"] == cc
    for s in spellings:
        got = g.search(s)
        assert got and got[0].entry["id"] == ref_id, (s, [c.entry["id"] for c in got[:3]], ref_id)
        assert got[0].entry["level"] in ("town", "governorate", "district")


def test_real_gazetteer_geopy(real_gaz):
    g = real_gaz
    loc = g.geocode("Deir ez-Zor")
    assert abs(loc.latitude - 35.33) < 0.2 and abs(loc.longitude - 40.14) < 0.2
    assert g.reverse((36.2, 37.16)).raw["country_code"] == "SY"
    if (REAL.parent / "governorates.geojson").is_file():
        gov = g.governorate_at(36.2, 37.16)
        assert gov is not None and "aleppo" in gov["name"].lower()


def test_real_gazetteer_distinct_places_stay_apart(real_gaz):
    homs, hama = real_gaz.search("Homs")[0].entry, real_gaz.search("Hama")[0].entry
    assert homs["id"] != hama["id"]
    assert real_gaz.search("Bosra")[0].entry["country_code"] == "SY"
    assert real_gaz.search("Basra")[0].entry["country_code"] == "IQ"
    assert real_gaz.search("qwxzvbn") == []


def test_records_match_entries(gaz):
    recs = gaz.records()
    assert len(recs) == len(gaz.entries)
    assert recs[0] == gaz.get(recs[0]["id"])
    assert set(recs[0]) == set(COLUMNS)


@hsettings(max_examples=150, deadline=None)
@given(q=st.text(max_size=60))
def test_search_never_raises(q):
    g = _HYPO_GAZ
    cands = g.search(q)
    assert all(0.0 <= c.score <= 1.0 for c in cands)
    assert g.geocode(q) is None or g.geocode(q).raw["id"]


_HYPO_GAZ = Gazetteer.from_dataframe(__import__("pandas").DataFrame([dict(zip(COLUMNS, r.split("\t"))) for r in ROWS]))


def test_generic_suffix_words(gaz):
    prov = gaz.search("Aleppo province")
    assert prov[0].entry["id"] == "adm1:SY-02" and all(c.entry["level"] == "governorate" for c in prov)
    assert gaz.search("Homs city")[0].entry["id"] == "gn:169577"
    assert gaz.search("Nowhere province") == []


def test_never_opens_a_socket(gaz_dir, monkeypatch):
    import socket

    def refuse(*a, **k):
        raise AssertionError("the gazetteer tried to use the network")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    g = Gazetteer(gaz_dir)
    assert g.geocode("Aleppo").raw["id"] == "gn:170063"
    assert g.reverse((33.5, 36.3)).raw["id"] == "gn:170654"
    assert g.search("Damscus") and g.governorate_at(36.2, 37.16) is not None
