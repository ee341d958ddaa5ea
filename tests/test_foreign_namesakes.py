"""Syrian namesakes in texts about another country, and the possessive countryside
(``geomap.gazetteer.foreign_texts``, ``geomap.nlp.place_qualify``).

Every sentence here was written for these tests (the places are real, the events invented); none
is taken from any evaluation data.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from geomap import settings
from geomap.gazetteer import place_index

pytestmark = pytest.mark.skipif(
    not (Path(settings.gazetteer_dir) / "places.tsv").is_file(), reason="gazetteer/places.tsv not built yet"
)


@pytest.fixture(scope="module")
def index():
    return place_index()


@pytest.fixture(scope="module")
def nlp(places_nlp):
    """The shared model with geomap_places only (tests/pipeline_docs.py)."""
    return places_nlp


def _read(nlp, index, text: str) -> dict[str, tuple[str | None, str | None]]:
    """Mention text -> (place id, its country code)."""
    out = {}
    for s in nlp(text)._.places:
        pid = s._.place_id
        out[s.text] = (pid, index.entry(pid).get("country_code") if pid else None)
    return out


def test_a_province_no_syrian_governorate_is_named_for_is_no_syrian_place(nlp, index):
    # "Salah Al Din" is also an Aleppo neighbourhood; "province" says it is none.
    got = _read(nlp, index, "Gunmen fired on a police patrol in Salah Al Din province, Iraqi officials said.")
    assert all(cc != "SY" for _, cc in got.values()), got
    got = _read(nlp, index, "Tribal fighters seized two hills in Abyan governorate, east of Aden, on Sunday.")
    assert all(cc != "SY" for _, cc in got.values()), got


def test_syrian_namesakes_in_a_text_about_another_country_stay_unresolved(nlp, index):
    got = _read(nlp, index, "Militants attacked an army checkpoint in Ar Rutba district, Anbar, Iraqi police said.")
    assert all(cc != "SY" for _, cc in got.values()), got


def test_a_firm_syrian_place_keeps_the_syrian_readings_of_a_text_naming_other_countries(nlp, index):
    got = _read(nlp, index, "Turkish artillery shelled villages near Tal Abyad and Ain Issa on Tuesday.")
    assert got["Tal Abyad"][1] == "SY"
    got = _read(nlp, index, "Shelling hit Raqqa province and Hasakeh province, Turkish media said.")
    assert got["Raqqa province"][0] == "adm1:SY-RA"


def test_a_possessive_countryside_is_the_governorate(nlp, index):
    got = _read(nlp, index, "The army drove militants out of three farms in Homs' eastern countryside.")
    assert got["Homs' eastern countryside"][0] == "adm1:SY-HI"
    got = _read(nlp, index, "Artillery hit several villages in Hama's northern countryside overnight.")
    assert got["Hama's northern countryside"][0] == "adm1:SY-HM"
    # A possessive before another noun is the city's: "Homs' old souk" is in the city.
    got = _read(nlp, index, "Shops reopened in Homs' old souk after repairs.")
    assert index.entry(got["Homs"][0]).get("level") == "town"
