"""Resolution: ``geomap.gazetteer.ranking``, the context rules of ``geomap.nlp.place_context``,
the spelling key of ``geomap.text``, and one ranking for the pipeline and ``Gazetteer.search``.

Every name here is a gazetteer place picked for the rule it exercises (common Syrian towns,
governorates and neighbourhoods), not taken from any evaluation data.
"""

from __future__ import annotations

import pytest
from pipeline_docs import NEEDS_GAZETTEER

from geomap import settings
from geomap.gazetteer.index import FOLDED_MATCH
from geomap.gazetteer.ranking import Mention, rank_mentions
from geomap.nlp.place_context import _compatible, _has_rural_governorate
from geomap.text import compact, fold

pytestmark = NEEDS_GAZETTEER


@pytest.fixture(scope="module")
def nlp(places_nlp):
    """The shared model with geomap_places only (tests/pipeline_docs.py)."""
    return places_nlp


def _sy(index, name: str, level: str | None = None) -> str:
    """The id of the best-known Syrian entry a name folds to (the test fails if there is none)."""
    ids = [
        (-q, -float(index.entry(p).get("population") or 0), p)
        for p, q in index.candidates(name)
        if index.entry(p).get("country_code") == "SY" and (level is None or index.entry(p).get("level") == level)
    ]
    assert ids, f"{name!r} is not in the gazetteer"
    return min(ids)[2]  # a verbatim spelling first, then the best-known namesake


def _read(nlp, text: str) -> dict[str, str | None]:
    return {s.text: s._.place_id for s in nlp(text)._.places}


# ------------------------------------------------------------------ spelling key


@pytest.mark.parametrize(
    "a, b",
    [
        ("Kfar Nabl", "Kafr Nabl"),
        ("Kafar Nabl", "Kafr Nabl"),
        ("Jiser al-Shughur", "Jisr al-Shughur"),
        ("Kafar Takharim", "Kfar Takharim"),
        ("Qal'at al-Madiq", "Qalaat al-Madiq"),
        ("Qalat al-Madiq", "Qal’at al-Madiq"),
        ("Dar al-Kabira", "Dar Kabira"),
        ("Ma`arrat al-Nu´man", "Maarrat al-Numan"),
        ("Salamiyeh", "Salamiyah"),
        ("Talbiseh", "Talbisa"),
        ("Suwayda", "Sweida"),
        ("Yabrood", "Yabrud"),
    ],
)
def test_transliteration_variants_share_a_key(a, b):
    assert fold(a) == fold(b)


@pytest.mark.parametrize(
    "a, b",
    [
        ("Hasan", "Hisn"),
        ("Homs", "Hama"),
        ("Kafr", "Kafra"),
        ("Jabal", "Jabla"),
        ("Qusayr", "Qasr"),
        ("Jbeil", "Jabal"),
    ],
)
def test_distinct_words_stay_apart(a, b):
    assert fold(a) != fold(b)


def test_solid_abu_meets_the_spaced_name(index):
    assert compact("Abukamal") == compact("Abu Kamal") == compact("Al-Bukamal")
    target = _sy(index, "Abu Kamal")
    assert target in {p for p, _ in index.candidates("Abukamal")}


def test_compact_fallback_finds_a_name_written_solid(index):
    target = _sy(index, "Kafr Nabl")
    got = dict(index.candidates("Kafrnabl"))
    assert target in got and got[target] <= 1.0
    assert index.candidates("Kafr") == [] or all(p != target for p, _ in index.candidates("Kafr"))


# ------------------------------------------------------------------ containers and governorates


def test_container_compatibility(index):
    idlib = index.entry("adm1:SY-ID")
    damascus_gov = index.entry("adm1:SY-DI")
    rif = index.entry("adm1:SY-RD")
    saraqeb = index.entry(_sy(index, "Saraqeb"))
    qusayr = index.entry(_sy(index, "Qusayr"))
    syria = index.entry(index.country_id("SY"))
    lebanon = index.entry(index.country_id("LB"))
    assert _compatible(saraqeb, idlib, index)
    assert not _compatible(qusayr, idlib, index)
    assert not _compatible(lebanon, idlib, index)  # a country is never inside a governorate
    assert _compatible(saraqeb, syria, index) and not _compatible(saraqeb, lebanon, index)
    jobar = index.entry(_sy(index, "Jobar (Damascus)") if index.ids(fold("Jobar (Damascus)")) else "cur:damascus-jobar")
    if jobar:
        assert _compatible(jobar, rif, index)  # Damascus lies inside Rif Dimashq
    assert _compatible(index.entry(_sy(index, "Douma")), damascus_gov, index)


def test_only_damascus_has_a_countryside_governorate(index):
    assert _has_rural_governorate(index, "adm1:SY-DI")
    assert not _has_rural_governorate(index, "adm1:SY-HL")
    assert not _has_rural_governorate(index, "adm1:SY-HM")


# ------------------------------------------------------------------ ranking without a Doc


def _jobar_ids(index):
    ids = [p for p in index.ids(fold("Jobar")) if index.entry(p).get("level") == "neighbourhood"]
    if len(ids) < 2:
        pytest.skip("the gazetteer holds one Jobar only")
    return ids


def test_ambiguous_neighbourhood_needs_its_city(index):
    ids = _jobar_ids(index)
    alone = [Mention(0, 1, fold("Jobar"), [(p, 1.0) for p in ids])]
    rank_mentions(alone, index)
    assert alone[0].chosen is None
    damascus = _sy(index, "Damascus", "town")
    with_city = [
        Mention(0, 1, fold("Damascus"), [(damascus, 1.0)]),
        Mention(3, 4, fold("Jobar"), [(p, 1.0) for p in ids]),
    ]
    rank_mentions(with_city, index)
    assert index.entry(with_city[1].chosen).get("admin1") == "Damascus"


def test_single_neighbourhood_reading_is_kept(index):
    pid = _sy(index, "Baba Amr", "neighbourhood")
    ms = [Mention(0, 2, fold("Baba Amr"), [(pid, 1.0)])]
    rank_mentions(ms, index)
    assert ms[0].chosen == pid


# ------------------------------------------------------------------ the pipeline, real sentences


def test_neighbourhood_of_city_both_orders(nlp, index):
    homs_jobar = [p for p in _jobar_ids(index) if index.entry(p).get("admin1") == "Homs"][0]
    assert _read(nlp, "Fighting in the Jobar neighbourhood of Homs.")["Jobar"] == homs_jobar
    assert _read(nlp, "Fighting in the Homs neighbourhood of Jobar.")["Jobar"] == homs_jobar
    assert _read(nlp, "Fighting in the Jobar neighbourhood of Homs.")["Homs"] == _sy(index, "Homs", "town")


def test_ambiguous_neighbourhood_without_city_stays_unresolved(nlp, index):
    _jobar_ids(index)
    assert _read(nlp, "Shelling hit the Jobar neighbourhood.").get("Jobar") is None


def test_place_noun_sets_the_level(nlp, index):
    # Saraqeb is a town: "the Saraqeb neighbourhood" names some other place.
    assert _read(nlp, "Shelling hit the Saraqeb neighbourhood.").get("Saraqeb") is None
    assert _read(nlp, "Shelling hit the town of Saraqeb.")["Saraqeb"] == _sy(index, "Saraqeb")
    got = _read(nlp, "Shelling hit the villages of Kafr Nabl, Tunisia and Hass.")
    assert got.get("Tunisia") is None  # a country is no village
    assert got["Kafr Nabl"] == _sy(index, "Kafr Nabl")


def test_place_noun_for_a_part_of_a_city_keeps_the_city(nlp, index):
    aleppo = _sy(index, "Aleppo", "town")
    damascus = _sy(index, "Damascus", "town")
    assert _read(nlp, "Government forces took two Aleppo neighbourhoods on Sunday.")["Aleppo"] == aleppo
    assert _read(nlp, "Fighting raged in a neighbourhood of Damascus.")["Damascus"] == damascus
    assert _read(nlp, "Shelling hit the towns of Hama.")["Hama"] in {_sy(index, "Hama", "town"), "adm1:SY-HM"}


def test_generic_phrase_names_nothing(nlp):
    for text in ("Rebels shelled the military airport.", "Shelling near the military airport on Monday."):
        assert not any(s._.place_id for s in nlp(text)._.places)


def test_name_head_before_a_known_name(nlp, index):
    # "Tell Harasta" is not Harasta: the name is longer than what the gazetteer holds.
    assert _read(nlp, "Clashes broke out in Tell Harasta.").get("Harasta") is None
    assert _read(nlp, "Clashes broke out in Harasta.")["Harasta"] == _sy(index, "Harasta")


def test_explicit_container_rejects_readings_outside_it(nlp, index):
    assert _read(nlp, "Clashes in Qusayr in Idlib province.").get("Qusayr") is None
    assert _read(nlp, "Clashes in Kafr Nabl in Idlib province.")["Kafr Nabl"] == _sy(index, "Kafr Nabl")
    assert _read(nlp, "Clashes in Qusayr in Homs province.")["Qusayr"] == _sy(index, "Qusayr")


def test_foreign_alias_after_a_given_name_is_a_person(nlp, index):
    # A casualty-list headline: "Samir" is an alias of Shamir (Israel) and a given name.
    got = _read(nlp, "Saturday 5 May 2012;Ahmad Samir\n\nDouma")
    assert got.get("Samir") is None and got.get("Douma") == _sy(index, "Douma")
    # The same kind of alias in a list of places stays a place.
    got = _read(nlp, "Strikes in Aleppo; Turkish troops massed near Antakya and Urfa.")
    assert got.get("Urfa") is not None


def test_governorate_only_container(nlp, index):
    assert _read(nlp, "Fighting in Qusayr, Rif Dimashq").get("Qusayr") is None
    assert _read(nlp, "Rif Dimashq: Qusayr").get("Qusayr") is None  # governorate-first notation
    assert _read(nlp, "Rif Dimashq: Douma")["Douma"] == _sy(index, "Douma")
    assert _read(nlp, "Douma, Reef Dimashq")["Douma"] == _sy(index, "Douma")
    # In a list the comma separates siblings, not a place and its container.
    assert _read(nlp, "Shelling in Homs, Rif Dimashq and Daraa").get("Homs") is not None


def test_and_its_countryside_is_the_governorate(nlp):
    assert _read(nlp, "Hama and its countryside")["Hama and its countryside"] == "adm1:SY-HM"
    assert _read(nlp, "Shelling on Aleppo and its countryside.")["Aleppo and its countryside"] == "adm1:SY-HL"


def test_countryside_of_a_town_is_read_at_the_town(nlp, index):
    docs = nlp("Clashes in Saraqeb countryside.")
    span = [s for s in docs._.places if s.text.startswith("Saraqeb")][0]
    assert span._.place_id == _sy(index, "Saraqeb") and span._.place_qualifier == "countryside"
    # A governorate's name keeps the governorate reading.
    idl = [s for s in nlp("Clashes in Idlib countryside.")._.places if s.text.startswith("Idlib")][0]
    assert index.entry(idl._.place_id).get("level") in ("governorate", "region")


def test_far_member_of_a_tight_list_is_unresolved(nlp, index):
    got = _read(nlp, "Shelling hit the towns of Douma, Harasta, Arbin, Zamalka and Tal Abyad.")
    assert got["Douma"] == _sy(index, "Douma") and got["Harasta"] == _sy(index, "Harasta")
    assert got.get("Tal Abyad") is None
    # A list spread over the country is no cluster: every member keeps its reading.
    spread = _read(nlp, "Clashes in Douma, Tal Abyad, Saraqeb and Qusayr.")
    assert spread.get("Tal Abyad") is not None and spread.get("Qusayr") is not None


def test_head_word_variant_resolves_in_text(nlp, index):
    assert _read(nlp, "Government jets shelled Kfar Nabl in Idlib province.").get("Kfar Nabl") == _sy(
        index, "Kafr Nabl"
    )


def test_folded_match_quality_constant_is_below_verbatim():
    assert 0 < FOLDED_MATCH < 1.0


# ------------------------------------------------------------------ one ranking everywhere


@pytest.mark.parametrize("name", ["Deir ez-Zor", "Aleppo", "Homs", "Raqqa", "Idlib"])
def test_search_reports_the_pipelines_confidence(nlp, name):
    """``Gazetteer.search`` (what ``geomap resolve`` prints) and the pipeline rank with one code:
    the best candidate's score is the confidence the pipeline gives the mention."""
    from geomap.gazetteer import Gazetteer

    best = Gazetteer.default().search(name)[0]
    spans = [s for s in nlp(f"Clashes were reported in {name} on Monday.")._.places if s.text == name]
    assert spans and spans[0]._.place_id == best.id
    assert spans[0]._.place_confidence == pytest.approx(best.score, abs=1e-9)


def test_cli_resolve_prints_the_pipelines_confidence(nlp, capsys):
    import json

    from geomap.cli import main

    assert main(["resolve", "Deir ez-Zor", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    span = [s for s in nlp("Shelling hit Deir ez-Zor.")._.places if s.text == "Deir ez-Zor"][0]
    assert rows[0]["id"] == span._.place_id and rows[0]["score"] == pytest.approx(span._.place_confidence)


def test_context_names_rank_through_the_document_ranking():
    """``resolve`` with context: a homonym near the other places named there wins."""
    from geomap.gazetteer import Gazetteer

    gaz = Gazetteer.default()
    plain = gaz.resolve("Aleppo")
    assert plain and plain[0].entry["level"] == "town"
    with_gov = gaz.resolve("Aleppo", context="Fighting in Aleppo province and Idlib province.")
    assert with_gov and with_gov[0].entry["country_code"] == "SY"


@pytest.mark.parametrize("nonsense", ["Atlantis", "Xyzzy", "Nowhere", "Qwertyuiop", "Hogwarts"])
def test_geocoder_never_guesses(nonsense, capsys):
    from geomap.cli import main
    from geomap.gazetteer import Gazetteer

    gaz = Gazetteer.default()
    assert gaz.geocode(nonsense) is None
    assert gaz.search(nonsense) == []
    assert main(["gazetteer", "search", nonsense]) == 0
    assert capsys.readouterr().out.strip() == "no candidates"


def test_spelling_threshold_is_a_setting(monkeypatch):
    """A looser ``min_spelling_closeness`` lets a folded-only spelling through again."""
    from geomap.gazetteer import Gazetteer

    gaz = Gazetteer.default()
    assert gaz.search("Nowhere") == []
    monkeypatch.setattr(settings, "min_spelling_closeness", 0.0)
    monkeypatch.setattr(settings, "min_place_confidence", 0.0)
    assert gaz.search("Nowhere", fuzzy=False) != []


# ------------------------------------------------------------------ ten thousand villages


def _admin1(nlp, text: str, name: str) -> str | None:
    span = [s for s in nlp(text)._.places if s.text == name]
    assert span, (text, name)
    return (span[0]._.place or {}).get("admin1") if span[0]._.place_id else None


@pytest.mark.parametrize(
    "text, governorate",
    [
        ("Government forces shelled Balat town in Idlib countryside.", "Idlib"),
        ("Shelling hit Balat, Idlib, on Monday.", "Idlib"),
        ("Shelling hit the Aleppo village of Balat on Monday.", "Aleppo"),
        ("Shelling hit the Idlib village of Balat on Monday.", "Idlib"),
        ("Clashes in Balat in northern Aleppo killed two.", "Aleppo"),
    ],
)
def test_container_picks_among_homonyms(nlp, index, text, governorate):
    """Villages named Balat lie in Aleppo and in Idlib governorates: the container decides."""
    balats = {index.entry(p).get("admin1") for p in index.ids(fold("Balat"))}
    if not {"Aleppo", "Idlib"} <= balats:
        pytest.skip("the gazetteer lacks the Balat villages")
    assert _admin1(nlp, text, "Balat") == governorate


def test_tied_homonyms_resolve_at_the_unit_they_share(nlp, index):
    """Two villages of one name in one governorate and nothing else: the governorate, no pick;
    homonyms in different governorates and countries: no village at all."""
    from geomap.gazetteer import Gazetteer

    nasih = [index.entry(p) for p in index.ids(fold("Kafr Nasih"))]
    if len(nasih) < 2 or len({e.get("admin1") for e in nasih}) != 1:
        pytest.skip("the gazetteer lacks the two Kafr Nasih villages")
    loc = Gazetteer.default().geocode("Kafr Nasih")
    assert loc is not None and loc.raw["level"] == "governorate" and loc.raw["match"] == "shared"
    span = [s for s in nlp("Shelling hit Kafr Nasih on Monday.")._.places if s.text == "Kafr Nasih"][0]
    assert span._.place_id == loc.raw["id"]
    balat = [s for s in nlp("Clashes in Balat killed two.")._.places if s.text == "Balat"]
    assert not balat or not balat[0]._.place or balat[0]._.place["level"] != "town"


@pytest.mark.parametrize(
    "text, word",
    [
        ("A Man was arrested after the fight, police said.", "Man"),
        ("Saida said she would come to the meeting.", "Saida"),
        ("Rebels entered Banan on Monday.", "Banan"),
        ("Abu Omar said the talks would resume.", "Abu Omar"),
        ("Personnel were recruited into the Navy, the Army and the police.", "Navy"),
    ],
)
def test_words_that_are_village_names_need_place_evidence(nlp, text, word):
    assert word not in {s.text for s in nlp(text)._.places if s._.place_id}


def test_place_evidence_makes_a_village_of_a_weak_name(nlp, index):
    if not any(index.entry(p).get("level") == "town" for p in index.ids(fold("Banan"))):
        pytest.skip("the gazetteer lacks Banan")
    # (A locative preposition is evidence too, but the small model's PERSON label on "Banan"
    # still outweighs it.)
    for text in ("Rebels entered the village of Banan.", "Shelling hit Banan village on Monday."):
        assert "Banan" in {s.text for s in nlp(text)._.places if s._.place_id}, text


def test_abandoned_villages_rank_last():
    from geomap.gazetteer.ranking import prior_score

    living = {"level": "town", "population": 0, "country_code": "SY", "feature_code": "PPL"}
    assert prior_score({**living, "feature_code": "PPLQ"}, 1.0) < prior_score(living, 0.75)


@pytest.mark.parametrize(
    "written, romanised",
    [("Big Orm", "Urum al Kubra"), ("Small Orm", "Urum as Sughra"), ("Husn Castle", "Qal'at al Hisn")],
)
def test_translated_names_resolve_through_the_spelling_key(index, written, romanised):
    """A qualifier or head noun English translates ("Big", "Castle") is no spelling difference:
    the transliteration key finds the place and the spelling check compares what is left."""
    from geomap.gazetteer import Gazetteer

    if not index.ids(fold(romanised)):
        pytest.skip(f"the gazetteer lacks {romanised}")
    found = Gazetteer.default().search(written)
    assert found and fold(romanised) in {fold(n) for n in index.light_names(found[0].id)}, found[:2]


def test_a_translated_name_in_text_resolves_like_the_cli(nlp, index):
    from geomap.gazetteer import Gazetteer

    if not index.ids(fold("Urum al Kubra")):
        pytest.skip("the gazetteer lacks Urum al Kubra")
    best = Gazetteer.default().search("Big Orm")[0]
    spans = [
        s for s in nlp("Shelling hit the village of Big Orm in Aleppo countryside.")._.places if s.text == "Big Orm"
    ]
    assert spans and spans[0]._.place_id == best.id


@pytest.mark.parametrize(
    "text, span, gid",
    [
        ("Jets struck ISIS positions in the Homs region on Friday.", "Homs region", "adm1:SY-HI"),
        ("Patrols searched the Deir ez-Zor desert for cells.", "Deir ez-Zor desert", "adm1:SY-DY"),
    ],
)
def test_a_governorate_name_with_region_or_desert_is_the_governorate(nlp, text, span, gid):
    places = {s.text: s._.place_id for s in nlp(text)._.places}
    assert places.get(span) == gid


def test_a_region_that_is_no_governorate_stays_itself(nlp):
    ids = [s._.place_id for s in nlp("Clashes went on in the Qalamoun region.")._.places]
    assert ids and not any(str(i).startswith("adm1:") for i in ids)


def test_a_governorate_sits_at_its_polygon_centroid(index):
    # The point UCDP GED uses for a governorate-level event; Natural Earth's label point for Homs
    # lay 38 km away from it, in the desert south-west of Palmyra.
    from geomap.gazetteer.regions import haversine_km

    e = index.entry("adm1:SY-HI")
    assert haversine_km(float(e["lat"]), float(e["lon"]), 34.339, 38.299) < 2.0


@pytest.mark.parametrize(
    "text, name",
    [
        ("Shelling hit Zamalka.", "Zamalka"),
        ("Clashes erupted in Hish on Monday.", "Hish"),
        ("Fighting raged around Hish.", "Hish"),
        ("Air strikes on Hish killed five civilians.", "Hish"),
    ],
)
def test_an_event_governing_a_lone_village_name_makes_it_a_place(nlp, text, name):
    # No other place in the text anchors it in Syria: the event word is the evidence.
    places = {s.text: s._.place_id for s in nlp(text)._.places}
    assert places.get(name)


@pytest.mark.parametrize(
    "text",
    ["The State Duma voted on Friday.", "Police arrested Ali on Monday.", "Gunmen killed Hish in an ambush."],
)
def test_no_event_or_a_person_verb_gives_no_place_evidence(nlp, text):
    # "killed X" and "arrested X" name people; a vote is no event that places a name.
    assert not [s for s in nlp(text)._.places if s._.place_id]


def test_a_town_geonames_lists_wins_over_a_hamlet_namesake(index):
    # Mleiha (cities500, no census figure) and a hamlet of Aleppo that only Who's On First
    # carries are both "al-Malihah"; the listed town is the reading, not a tie.
    m = Mention(0, 1, fold("al-Malihah"), [("gn:173434", 1.0), ("gn:173532", 1.0)])
    rank_mentions([m], index)
    assert m.chosen == "gn:173434"


def test_the_province_refers_back_to_the_governorate_named_last(nlp):
    # Husseiniyeh is a Damascus suburb (curated) and a Deir ez-Zor village; "the province" here is
    # Deir ez-Zor, named in the sentence before.
    doc = nlp(
        "The army struck ISIS in the eastern Deir Ezzor province. Sorties targeted ISIS positions "
        "in al-Husseiniyeh village in the western countryside of the province."
    )
    place = {s.text: s._.place for s in doc._.places}["al-Husseiniyeh"]
    assert place and place["admin1"] == "Deir ez-Zor"


def test_hamlets_in_a_text_about_another_country_are_not_placed(nlp):
    # "Haram" is an alias of a Syrian hamlet, "Abbassiya" folds to several: in a report on Cairo
    # they are Cairo's districts, which the gazetteer does not hold, so no point at all.
    doc = nlp(
        "A bomb exploded in a church in Cairo's Abbassiya district on Sunday. Later a blast in "
        "Giza's Haram district killed six, Egyptian officials said."
    )
    got = {s.text: s._.place_id for s in doc._.places}
    assert got.get("Cairo") and got.get("Giza")
    assert got.get("Haram") is None and got.get("Abbassiya") is None


def test_hamlets_stay_places_in_a_text_about_syria(nlp):
    got = {
        s.text: s._.place_id for s in nlp("Talks in Geneva stalled as Syrian troops fought rebels in Hish.")._.places
    }
    assert got.get("Geneva") and got.get("Hish")


@pytest.mark.parametrize(
    "text, name",
    [
        ("A man from Paris, Missouri, was arrested on Monday.", "Paris"),
        ("William Smith, 26, of Edmonton, Ky., was arrested.", "Edmonton"),
    ],
)
def test_a_town_followed_by_a_us_state_is_the_american_one(nlp, text, name):
    # The gazetteer holds Paris (France) and Edmonton (Canada), not the American towns.
    got = {s.text: s._.place_id for s in nlp(text)._.places}
    assert name in got and got[name] is None


def test_a_us_state_abbreviation_needs_its_period(nlp):
    got = {s.text: s._.place_id for s in nlp("In Aleppo, Del Ponte said the siege must end.")._.places}
    assert got.get("Aleppo")


def test_an_age_is_no_old_town(nlp):
    spans = [s.text for s in nlp("A 25-year-old Paris resident was hurt.")._.places]
    assert "Paris" in spans and "old Paris" not in spans


def test_a_country_by_its_own_name_beats_a_namesake_village(nlp):
    # Al Qatar is a village of Aleppo governorate; a text about Aleppo still means the country.
    doc = nlp("Government forces in Aleppo clashed with rebels. The deal was brokered by Qatar.")
    assert {s.text: s._.place_id for s in doc._.places}.get("Qatar") == "ctry:QA"


def test_twin_rows_of_one_place_do_not_split_its_confidence(index):
    # Two rows for one spot (within 5 km) tie; the tie says nothing against the place.
    m = Mention(0, 1, fold("Tafas"), [("gn:163806", 1.0)])
    rank_mentions([m], index)
    single = m.confidence
    twin = dict(index.entry("gn:163806"))
    twin["id"] = "test:twin"
    index.entries["test:twin"] = twin
    try:
        m2 = Mention(0, 1, fold("Tafas"), [("gn:163806", 1.0), ("test:twin", 1.0)])
        rank_mentions([m2], index)
    finally:
        del index.entries["test:twin"]
    assert m2.chosen in ("gn:163806", "test:twin") and m2.confidence >= single - 1e-9


# ------------------------------------------------------------------ name endings


@pytest.mark.parametrize(
    "name, village",
    [
        ("Hamza", "Al Hamziyah"),  # a person's name is no nisba village
        ("Mahmoud", "Mahmudiyah"),
        ("al-Ja'abi", "Jaba"),  # a final -i is no final -a
    ],
)
def test_a_lost_ending_is_no_reading(index, name, village):
    from geomap.gazetteer.endings import endings_agree
    from geomap.gazetteer.ranking import check_spelling

    assert not endings_agree(name, [village])
    cands = index.readings(name)
    kept, _ = check_spelling(index, name, cands)
    assert all(index.entry(p)["name"] != village for p, _ in kept)


@pytest.mark.parametrize(
    "a, b",
    [
        ("Salamiyeh", "Salamiyah"),
        ("Shifouneih", "Ash Shaffuniyah"),
        ("Latakia", "Al Ladhiqiyah"),
        ("Sfireh", "As Safirah"),
        ("Izra'", "Izraa"),
        ("Kobanê", "Kobani"),
    ],
)
def test_written_endings_of_one_name_agree(a, b):
    from geomap.gazetteer.endings import endings_agree

    assert endings_agree(a, [b])


def test_a_sentence_with_a_person_places_no_nisba_village(nlp):
    read = _read(nlp, "Hamza told reporters that shelling hit the town of Salamiyeh on Monday.")
    assert "Hamza" not in read or read["Hamza"] is None
    assert read.get("Salamiyeh")


@pytest.mark.parametrize("name, village", [("Rashidin", "Ar Rushdi"), ("Satar", "Sa'ta")])
def test_a_near_miss_on_another_final_consonant_is_no_reading(index, name, village):
    from geomap.gazetteer.endings import skeleton_ends_agree
    from geomap.gazetteer.ranking import check_spelling

    assert not skeleton_ends_agree(name, [village])
    kept, _ = check_spelling(index, name, index.readings(name))
    assert all(index.entry(p)["name"] != village for p, _ in kept)


def test_a_near_miss_keeping_both_ends_may_be_the_name():
    from geomap.gazetteer.endings import skeleton_ends_agree

    assert skeleton_ends_agree("Bsonqul", ["Basnaqul"])
    assert skeleton_ends_agree("Big Orm", ["Urum al Kubra"])


@pytest.mark.parametrize(
    "text, name, level",
    [
        ("SDF fighters advanced in eastern Deir ez-Zor on Tuesday.", "eastern Deir ez-Zor", "governorate"),
        ("Clashes in northern Hama killed five fighters.", "northern Hama", "governorate"),
        ("Government forces shelled northern Idlib city on Monday.", "northern Idlib city", "town"),
        ("Rebels held the eastern Aleppo districts until December.", "eastern Aleppo", "town"),
    ],
)
def test_a_direction_before_a_governorate_name_is_part_of_the_province(nlp, index, text, name, level):
    read = _read(nlp, text)
    assert index.entry(read[name])["level"] == level


def test_a_loose_reading_on_the_other_side_of_its_reference_is_dropped(nlp, index):
    # Al Muwaylah, which "al-Malaah" only meets through folding, lies east of Aleppo.
    assert _read(nlp, "Fighting raged in al-Malaah, northwest of Aleppo.")["al-Malaah"] is None
    east = _read(nlp, "Clashes erupted in al-Malaah, east of Aleppo.")["al-Malaah"]
    assert east is not None and index.entry(east)["admin1"] == "Aleppo"


def test_a_place_on_the_stated_side_keeps_its_reading(nlp, index):
    read = _read(nlp, "Rebels shelled Nubl, north of Aleppo.")
    assert index.entry(read["Nubl"])["admin1"] == "Aleppo"


def test_compass_bearings():
    from geomap.gazetteer.regions import direction_bearing, lies_against

    assert direction_bearing("north-west") == 315.0 and direction_bearing("southeastern") == 135.0
    aleppo = (36.20, 37.16)
    assert lies_against(aleppo, (35.77, 38.16), "northwest")  # 100 km east-south-east
    assert not lies_against(aleppo, (36.50, 37.00), "northwest")
    assert not lies_against(aleppo, (36.21, 37.17), "south")  # too close to tell


def test_a_word_starting_with_a_vowel_is_no_word_starting_with_a_consonant(index):
    from geomap.gazetteer.endings import initials_agree
    from geomap.gazetteer.ranking import check_spelling

    assert not initials_agree("Osman", ["Seman"])
    assert initials_agree("Orm", ["Urum"]) and initials_agree("Edleb", ["Idlib"])
    assert initials_agree("Deir Ezzor", ["Deir ez-Zor"]) and initials_agree("Ezzedine", ["Izz ad Din"])
    kept, _ = check_spelling(index, "Tel Osman", index.readings("Tel Osman"))
    assert all(index.entry(p)["name"] != "Tall Samn Missak" for p, _ in kept)
    kept, _ = check_spelling(index, "Big Orm", index.readings("Big Orm"))
    assert any(index.entry(p)["name"] == "Urum al Kubra" for p, _ in kept)


def test_names_listed_together_are_read_as_neighbours(nlp, index):
    # Two Idlib villages are spelled Kafrayya/Kafraya; only one lies beside al-Fu'ah.
    read = _read(nlp, "Rebels attacked the towns of Kafrayya and al-Fou'aa on Monday.")
    kafraya = index.entry(read["Kafrayya"])
    fuah = index.entry(read["Fou'aa"])
    from geomap.gazetteer.regions import coords, haversine_km

    assert haversine_km(*coords(kafraya), *coords(fuah)) < 10
    read = _read(nlp, "Clashes erupted in Damascus and Homs.")
    assert index.entry(read["Damascus"])["population"] > 1_000_000
