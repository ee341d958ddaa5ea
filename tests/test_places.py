"""Tests of the ``geomap_places`` component: recognition, filtering and resolution of places.

Two pipelines: one over a small hand-written gazetteer (so each rule is tested on rows we
control, including deliberately ambiguous names), and one over the project's gazetteer for
the seed articles (skipped while ``gazetteer/places.tsv`` is not built).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from geomap import settings
from geomap.nlp import load_english_model

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SHARED_SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

HEADER = "id\tname\taliases\tlat\tlon\tlevel\tfeature_code\tpopulation\tcountry_code\tadmin1\tsource\tcoord_note\n"
ROWS = [
    ("ctry:SY", "Syria", "Syrian Arab Republic", 35.0, 38.5, "country", "PCLI", 22000000, "SY", "", "", ""),
    ("ctry:IQ", "Iraq", "", 33.0, 44.0, "country", "PCLI", 40000000, "IQ", "", "", ""),
    ("ctry:TR", "Turkey", "Türkiye", 39.0, 35.0, "country", "PCLI", 84000000, "TR", "", "", ""),
    ("gn:170063", "Aleppo", "Halab|حلب", 36.2021, 37.1343, "town", "PPLA", 1600000, "SY", "Aleppo", "", ""),
    ("gn:170654", "Damascus", "Dimashq|Sham", 33.5102, 36.2913, "town", "PPLC", 1700000, "SY", "Damascus", "", ""),
    ("gn:169389", "Idlib", "Idleb", 35.9306, 36.6339, "town", "PPLA", 130000, "SY", "Idlib", "", ""),
    (
        "gn:173576",
        "Latakia",
        "Lattakia|Al-Ladhiqiyah",
        35.5317,
        35.7915,
        "town",
        "PPLA",
        380000,
        "SY",
        "Latakia",
        "",
        "",
    ),
    ("gn:170017", "Hama", "Hamah", 35.1318, 36.7578, "town", "PPLA", 700000, "SY", "Hama", "", ""),
    ("adm1:SY-02", "Aleppo Governorate", "Aleppo|Halab", 36.3, 37.5, "governorate", "ADM1", 0, "SY", "Aleppo", "", ""),
    ("adm1:SY-07", "Idlib Governorate", "Idlib|Idleb", 35.8, 36.6, "governorate", "ADM1", 0, "SY", "Idlib", "", ""),
    ("adm1:SY-05", "Hama Governorate", "Hama", 35.2, 36.9, "governorate", "ADM1", 0, "SY", "Hama", "", ""),
    (
        "adm1:SY-03",
        "Rif Dimashq",
        "Rural Damascus|Damascus Suburbs|Reef Dimashq",
        33.6,
        36.8,
        "governorate",
        "ADM1",
        0,
        "SY",
        "Rif Dimashq",
        "",
        "",
    ),
    ("cur:syrian-coast", "Syrian coast", "", 35.3, 35.95, "region", "RGN", 0, "SY", "", "", ""),
    ("cur:northern-syria", "northern Syria", "north Syria", 36.4, 38.0, "region", "RGN", 0, "SY", "", "", ""),
    # Two villages of one name in different governorates: containers must choose.
    ("cur:test-kafr-idlib", "Kafr Halab", "", 36.02, 36.83, "town", "PPL", 2000, "SY", "Idlib", "", ""),
    ("cur:test-kafr-hama", "Kafr Halab", "", 35.30, 36.60, "town", "PPL", 3000, "SY", "Hama", "", ""),
    # A village named like a person's name.
    ("cur:test-hamza", "Hamza", "", 35.0, 36.0, "town", "PPL", 500, "SY", "Hama", "", ""),
    ("cur:test-assad", "Assad", "al-Assad", 35.5, 36.5, "town", "PPL", 300, "SY", "Idlib", "", ""),
    ("gn:2660646", "Geneva", "Genève", 46.2, 6.15, "town", "PPLA", 180000, "CH", "Geneva", "", ""),
    ("gn:4140963", "Washington", "", 38.9, -77.04, "town", "PPLC", 700000, "US", "DC", "", ""),
]


@pytest.fixture(scope="module")
def nlp_small(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gaz")
    lines = ["\t".join(str(v) for v in r) for r in ROWS]
    (folder / "places.tsv").write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    (folder / "demonyms.tsv").write_text(
        "demonym\tcountry_code\nSyrian\tSY\nIraqi\tIQ\nTurkish\tTR\n", encoding="utf-8"
    )
    import geomap.nlp.places  # noqa: F401  (registers the factory)

    nlp = load_english_model()
    nlp.add_pipe("geomap_places", config={"gazetteer_dir": str(folder)})
    return nlp


def places(nlp, text):
    doc = nlp(text)
    return [(s.text, s._.place_id, s._.place_kind, s._.place_qualifier) for s in doc._.places], doc


def ids(nlp, text):
    return [p[1] for p in places(nlp, text)[0]]


# ------------------------------------------------------------------ hand-written sentences


def test_basic_places_and_offsets(nlp_small):
    text = "Government troops moved from Idlib to Aleppo on Tuesday."
    found, doc = places(nlp_small, text)
    assert [(t, i) for t, i, _, _ in found] == [("Idlib", "gn:169389"), ("Aleppo", "gn:170063")]
    for s in doc._.places:
        assert text[s.start_char : s.end_char] == s.text
        assert 0.35 <= s._.place_confidence <= 1.0


def test_spelling_variants_meet(nlp_small):
    assert ids(nlp_small, "Shelling hit Lattakia and Idleb overnight.") == ["gn:173576", "gn:169389"]


def test_demonyms(nlp_small):
    found, _ = places(nlp_small, "More than 10,000 Iraqi refugees left, and Syrian troops shelled the Turkish border.")
    by_text = {t: (i, k, q) for t, i, k, q in found}
    assert by_text["Iraqi"] == ("ctry:IQ", "demonym", None)
    assert by_text["Syrian"][:2] == ("ctry:SY", "demonym")
    assert by_text["Turkish"] == ("ctry:TR", "demonym", "border")


def test_people_are_not_places(nlp_small):
    text = (
        "Abu Hamza left the police. Bashar al-Assad spoke in Damascus. "
        '"We will fight," Hamza said. Assad\'s forces advanced.'
    )
    found, _ = places(nlp_small, text)
    assert [i for _, i, _, _ in found] == ["gn:170654"]


def test_organisations_and_treaties_are_not_places(nlp_small):
    text = (
        "The Free Syrian Army, the Syrian Observatory for Human Rights and the Aleppo Media "
        "Center said Syria signed the 1925 Geneva protocols. The Washington Institute for Near "
        "East Policy and the United Nations agreed."
    )
    found, _ = places(nlp_small, text)
    assert [(t, i) for t, i, _, _ in found] == [("Syria", "ctry:SY")]


def test_province_and_countryside(nlp_small):
    found, _ = places(nlp_small, "Clashes in Aleppo province and the Idlib countryside; shells hit Damascus Suburbs.")
    assert [(t, i) for t, i, _, _ in found] == [
        ("Aleppo province", "adm1:SY-02"),
        ("Idlib countryside", "adm1:SY-07"),
        ("Damascus Suburbs", "adm1:SY-03"),
    ]


def test_directional_qualifiers(nlp_small):
    found, _ = places(
        nlp_small, "Shelling of eastern Aleppo continued as the army entered the southern suburbs of Damascus."
    )
    assert found == [
        ("eastern Aleppo", "gn:170063", "qualified", "eastern"),
        ("southern suburbs of Damascus", "gn:170654", "qualified", "southern suburbs"),
    ]


def test_regions(nlp_small):
    found, _ = places(nlp_small, "Rebels hold enclaves in northern Syria and weapons went to the Syrian coast.")
    assert [(t, i) for t, i, _, _ in found] == [
        ("northern Syria", "cur:northern-syria"),
        ("Syrian coast", "cur:syrian-coast"),
    ]


def test_container_chooses_between_namesakes(nlp_small):
    a = places(nlp_small, "An air strike hit Kafr Halab, Idlib on Monday.")[0]
    b = places(nlp_small, "An air strike hit Kafr Halab in Hama province on Monday.")[0]
    assert a[0][:2] == ("Kafr Halab", "cur:test-kafr-idlib")
    assert b[0][:2] == ("Kafr Halab", "cur:test-kafr-hama")


def test_proximity_breaks_ties(nlp_small):
    found, _ = places(nlp_small, "Troops left Hama for Kafr Halab, then pushed on.")
    assert dict((t, i) for t, i, _, _ in found)["Kafr Halab"] == "cur:test-kafr-hama"


def test_unknown_place_stays_unresolved(nlp_small):
    found, doc = places(nlp_small, "Fighting spread to Zabadani and Madaya near the Lebanese border.")
    names = [t for t, _, _, _ in found]
    assert "Zabadani" in names
    for s in doc._.places:
        if s.text == "Zabadani":
            assert s._.place_id is None and s._.place is None


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n",
        "no places here at all.",
        "حلب مدينة سورية",
        "Les combats continuent à Alep et à Damas.",
        "!!!" * 100,
        "al-",
        "Aleppo" * 50,
    ],
)
def test_bad_input_does_not_crash(nlp_small, text):
    doc = nlp_small(text)
    assert isinstance(doc._.places, list)
    for s in doc._.places:
        assert text[s.start_char : s.end_char] == s.text


def test_arabic_name_resolves(nlp_small):
    assert "gn:170063" in ids(nlp_small, "قصف في حلب")


def test_long_single_line_is_handled(nlp_small):
    from geomap.nlp.places import PlacesComponent

    text = "Shelling hit Aleppo and Idlib again. " * 20000  # 740 kB, one line
    doc = nlp_small.make_doc(text)  # tokenizer only: the component must cope without NER
    comp = PlacesComponent(gazetteer_dir=nlp_small.get_pipe("geomap_places").gazetteer_dir)
    out = comp(doc)._.places
    assert len(out) == 40000
    assert {s._.place_id for s in out} == {"gn:170063", "gn:169389"}


def test_spans_sorted_and_disjoint(nlp_small):
    _, doc = places(nlp_small, "From northern Syria to eastern Aleppo, Aleppo province and Idlib, Syrian units moved.")
    prev_end = -1
    for s in doc._.places:
        assert s.start >= prev_end
        prev_end = s.end


# ------------------------------------------------------------------ seeds, real gazetteer


@pytest.fixture(scope="module")
def nlp_real(places_nlp):
    """The shared model with geomap_places only (tests/pipeline_docs.py), on the shipped gazetteer."""
    assert (Path(settings.gazetteer_dir) / "places.tsv").is_file(), "gazetteer/places.tsv ships with geomap"
    return places_nlp


def _seed(name):
    for folder in (SEEDS, SHARED_SEEDS):
        hits = sorted(folder.glob(f"{name}*.txt")) if folder.is_dir() else []
        if hits:
            return hits[0].read_text(encoding="utf-8")
    raise AssertionError(f"seed article {name} not found (seeds/ ships with geomap)")


def _resolved(doc):
    return {
        (s.text, (s._.place or {}).get("name"), (s._.place or {}).get("level"), (s._.place or {}).get("country_code"))
        for s in doc._.places
        if s._.place_id
    }


def test_seed_cnn(nlp_real):
    doc = nlp_real(_seed("cnn"))
    got = _resolved(doc)
    texts = {t for t, *_ in got}
    for must in ("Aleppo", "Damascus", "Idlib", "Syria", "Iraq", "northern Syria"):
        assert must in texts, must
    by = {}
    for t, name, level, cc in got:
        by.setdefault(t, set()).add((name, level, cc))
    assert by["Aleppo"] == {("Aleppo", "town", "SY")} or all(n == "Aleppo" and c == "SY" for n, _, c in by["Aleppo"])
    assert all(c == "SY" for _, _, c in by["Damascus"]) and all(c == "SY" for _, _, c in by["Idlib"])
    assert all(lvl == "country" and c == "IQ" for _, lvl, c in by["Iraq"])
    assert any("coast" in t.lower() for t in texts)
    forbidden = {
        "Geneva",
        "League of Nations",
        "United Nations",
        "VFW",
        "Abu Omar",
        "Abu Hamza",
        "Jihad Makdissi",
        "Makdissi",
        "Assad",
        "al-Assad",
        "Washington",
        "Omar",
        "Hamza",
        "Jihad",
    }
    all_texts = {s.text for s in doc._.places}
    assert not (all_texts & forbidden), all_texts & forbidden


def test_seed_csm(nlp_real):
    doc = nlp_real(_seed("csm"))
    got = _resolved(doc)
    texts = {t for t, *_ in got}
    for must in ("Aleppo", "Damascus", "Latakia", "northwest Syria"):
        assert must in texts, must
    all_texts = {s.text for s in doc._.places}
    assert not (all_texts & {"Abu Omar", "Abu Hamza", "Omar", "Hamza", "Assad"})


# ------------------------------------------------------------------ real gazetteer: rules added later


def _by_text(nlp, text):
    doc = nlp(text)
    return {s.text: s for s in doc._.places}


def test_common_words_are_not_places(nlp_real):
    text = (
        "Fierce fighting was reported. Killing continued as shelling hit civilians. Rebels retook "
        "the base and dropped barrels. On Dec. 3 Leon Panetta spoke to activists on Skype."
    )
    assert _by_text(nlp_real, text) == {}


def test_short_sentence_is_not_a_place_description(nlp_real):
    # Fourteen tokens, but a sentence: its lower-case verb must not meet a village by folding.
    got = _by_text(nlp_real, "Government forces shelled Maarat al-Numan and the Salaheddine district of Aleppo.")
    assert "shelled" not in got
    assert got["Maarat al-Numan"]._.place["name"].startswith("Maarat")


def test_area_word_of_a_name_is_not_a_qualifier(nlp_real):
    got = _by_text(
        nlp_real,
        "Government forces shelled the Salaheddine district of Aleppo on Monday, activists in the city told reporters.",
    )
    assert "Salaheddine district" in got and got["Salaheddine district"]._.place_id
    assert got["Aleppo"]._.place["name"] == "Aleppo"


def test_demonyms_and_faiths(nlp_real):
    got = _by_text(
        nlp_real,
        "Syrian troops, Iraqi militias and Turkish tanks surrounded the Shiite "
        "villages of Foua and Kefraya in Idlib province, state media said on Monday.",
    )
    assert {t: s._.place_id for t, s in got.items() if s._.place_kind == "demonym"} == {
        "Syrian": "ctry:SY",
        "Iraqi": "ctry:IQ",
        "Turkish": "ctry:TR",
    }
    assert "Shiite" not in got
    foua = got.get("Foua")
    assert foua is None or foua._.place is None or foua._.place["country_code"] == "SY"


def test_person_named_like_a_town(nlp_real):
    got = _by_text(
        nlp_real,
        "CNN's Salma Abdelaziz reported from Beirut on Tuesday. Clashes erupted in "
        "Latakia province near the town of Salma, she said.",
    )
    salma = got["Salma"]
    assert salma.start_char > 60 and salma._.place_id  # the town, not the reporter
    doc = nlp_real("CNN's Salma Abdelaziz reported from Beirut on Tuesday.")
    assert [s.text for s in doc._.places] == ["Beirut"]


def test_directional_regions_keep_their_direction(nlp_real):
    got = _by_text(
        nlp_real,
        "Fighting in northeastern Syria and in northwestern Syria went on, the Syrian Observatory said on Monday.",
    )
    ne, nw = got["northeastern Syria"]._.place, got["northwestern Syria"]._.place
    assert ne["level"] == nw["level"] == "region"
    assert float(ne["lon"]) > float(nw["lon"]) + 2


def test_list_of_provinces_reads_governorates(nlp_real):
    doc = nlp_real("Clashes were reported in the provinces of Aleppo, Hama and Idlib.")
    levels = {s.text: (s._.place or {}).get("level") for s in doc._.places}
    assert levels == {"Aleppo": "governorate", "Hama": "governorate", "Idlib": "governorate"}
    doc = nlp_real("Clashes were reported in Aleppo, Hama and Idlib.")
    assert {(s._.place or {}).get("level") for s in doc._.places} == {"town"}


def test_place_descriptions(nlp_real):
    def one(text):
        return [(s.text, (s._.place or {}).get("name")) for s in nlp_real(text)._.places if s._.place_id]

    assert one("Deir Izzor") == [("Deir Izzor", "Deir ez-Zor")]  # near-miss spelling, vowels kept
    assert all(n != "Daraa" for _, n in one("city of Kobani and Deir-e-Zour."))
    assert one("city of al-Tel") and "Tal" in one("city of al-Tel")[0][1]
    assert one("Damascus Suburbs : Harasta")[-1] == ("Harasta", "Harasta")


def test_place_list_outweighs_person_guess(nlp_real):
    # The small model labels "Taftanaz" PERSON here; the list of towns says otherwise.
    doc = nlp_real(
        "Troops entered the towns of Saraqeb, Binnish and Taftanaz in Idlib, and Barack Obama and Vladimir Putin spoke."
    )
    got = {s.text: (s._.place or {}).get("country_code") for s in doc._.places}
    assert got.get("Taftanaz") == "SY" and "Obama" not in " ".join(got)


def test_near_miss_outside_its_container_stays_unresolved(nlp_real):
    doc = nlp_real(
        "The Shiite villages of Foua and Kefraya in Idlib province were besieged by rebels, state media said on Monday."
    )
    for s in doc._.places:
        if s._.place_id and s.text in ("Foua", "Kefraya"):
            assert s._.place["admin1"] == "Idlib", (s.text, s._.place)


# ------------------------------------------------------------------ session 2: running news text


def test_lone_homonyms_in_news_from_elsewhere_are_not_places(nlp_real):
    # GeoNames alternate names make "Man" Amman and "Berea" Aleppo; with nothing else in the
    # region the words are not read as places at all.
    assert (
        _by_text(nlp_real, "Man booked for teen assault. The Athens Police Department arrested him on Friday.").get(
            "Man"
        )
        is None
    )
    got = _by_text(
        nlp_real, "A Berea man was charged with robbery after fighting with Walmart employees and Berea police."
    )
    assert all(s._.place is None or s._.place["country_code"] != "SY" for s in got.values())


def test_homonyms_anchored_in_the_region_stay(nlp_real):
    got = _by_text(nlp_real, "Syrian government forces shelled Duma on Monday, activists said.")
    assert got["Duma"]._.place["name"] == "Douma"
    # A town's own name needs no anchor, whatever the small model calls it (here ORG / nothing).
    assert _by_text(nlp_real, "Tanks shelled Rastan on Saturday.")["Rastan"]._.place["name"] == "Rastan"
    assert _by_text(nlp_real, "Rebels captured Azaz on Friday.")["Azaz"]._.place["name"] == "Azaz"


def test_dateline_in_capitals(nlp_real):
    got = _by_text(
        nlp_real,
        "BEIRUT — A cease-fire to evacuate rebel fighters from the opposition-held "
        "neighborhoods of Aleppo was agreed on Tuesday, the rebels said.",
    )
    assert got["BEIRUT"]._.place["name"] == "Beirut"
    aleppo = got["neighborhoods of Aleppo"]
    assert aleppo._.place["name"] == "Aleppo" and aleppo._.place["level"] == "town"
    assert aleppo._.place_qualifier == "neighborhoods"


def test_street_named_after_a_place_is_not_the_place(nlp_real):
    got = _by_text(
        nlp_real,
        "Police found the body inside her Van Dorn Street apartment in Alexandria, near West Palestine Avenue.",
    )
    assert all(s._.place is None or s._.place["country_code"] not in {"TR", "PS"} for s in got.values())


def test_titles_are_not_places(nlp_real):
    doc = nlp_real(
        "The Benue State Commissioner for Health and Human Services, Dr, Cecilia Ojabo, spoke to newsmen on Monday."
    )
    assert all(s._.place is None for s in doc._.places)


def test_multi_country_region_stays_unresolved(nlp_real):
    got = _by_text(nlp_real, "The war in Syria has drawn in powers from across the Middle East.")
    assert "Middle East" in got and got["Middle East"]._.place is None
    assert got["Syria"]._.place_id == "ctry:SY"


def test_a_town_does_not_contain_a_country(nlp_real):
    got = _by_text(nlp_real, "Russian aircraft bombed hospitals in Syria, in Aleppo, the senator said.")
    assert got["Syria"]._.place_id == "ctry:SY"
    assert got["Aleppo"]._.place["name"] == "Aleppo"


def test_first_word_shortcut_keeps_outputs(nlp_real):
    # The matcher skips runs whose first word starts no alias; names glued to punctuation
    # and multi-word aliases must still be found.
    got = _by_text(
        nlp_real,
        "Fighters moved from Deir ez-Zor to Ras al-Ain (Hasakah) and to Tal Abyad, the Syrian Observatory said.",
    )
    assert got["Deir ez-Zor"]._.place["name"] == "Deir ez-Zor"
    assert got["Ras al-Ain"]._.place_id and got["Tal Abyad"]._.place_id


def test_place_noun_outweighs_person_guess(nlp_real):
    # The small model calls "Jenin" a person here; "camp" after it says it is a place.
    got = _by_text(
        nlp_real,
        "Younis said she would perform for the survivors. Residents of the Jenin camp are descendants of refugees.",
    )
    assert got["Jenin"]._.place["country_code"] == "PS"


def test_organisation_rule_reads_a_bounded_window():
    """The organisation rule reads at most ``SCAN_WINDOW`` tokens on either side of a name, so
    a run of capitalised words costs time linear in its length, not quadratic: a head word
    ("Army") beyond the window no longer turns the name into part of an organisation's."""
    import spacy

    from geomap.nlp import place_rules as rules

    nlp = spacy.blank("en")
    ents = lambda doc: [None] * len(doc)  # noqa: E731
    near = nlp("Aleppo Free Army said")
    assert rules.org_context(near[0:1], ents(near))
    filler = " ".join(["Aleppo"] * (rules.SCAN_WINDOW + 2))
    far = nlp(f"Aleppo {filler} Army said")
    assert not rules.org_context(far[0:1], ents(far))
    assert rules.SCAN_WINDOW <= 16


def test_names_of_people_in_a_short_description_are_not_hamlets(nlp_real):
    """A list of victims' names is a short text without a verb, read as a place description;
    a hamlet's name inside a person's name is still the person's ("al-Ibrahim")."""
    doc = nlp_real("Ahmad Abdulrahman al-Llouz Khaled Moukhles Mohamid Ali al-Ibrahim al-Mashhadany")
    assert not [s.text for s in doc._.places if s._.place_id and (s._.place or {}).get("population", 0) < 1000]


# ------------------------------------------------------------------ lists of places (issue 15)


def _names(nlp, text):
    doc = nlp(text)
    return {s.text: (s._.place or {}).get("admin1") for s in doc._.places}


def test_list_without_commas_after_a_place_noun(nlp_real):
    # Copies of reports often lose their commas; every name of the list is still a place.
    got = _names(nlp_real, "Government shelling hit the towns of Douma Harasta Zamalka and Ein Tarma on Monday.")
    for name in ("Douma", "Harasta", "Zamalka", "Ein Tarma"):
        assert got.get(name) == "Rif Dimashq", (name, got)
    got = _names(nlp_real, "Rebels shelled the villages of Nubl Zahraa and Mayer north of Aleppo.")
    assert {"Nubl", "Zahraa", "Mayer"} <= set(got), got


def test_list_without_commas_shares_its_container(nlp_real):
    doc = nlp_real("Regime aircraft struck the districts of Jobar Qaboun and Barzeh in eastern Damascus.")
    got = {s.text: s._.place_id for s in doc._.places}
    assert {"Jobar", "Qaboun", "Barzeh"} <= set(got), got
    assert all(got[n] for n in ("Jobar", "Qaboun", "Barzeh")), got


def test_names_coordinated_before_a_plural_place_noun(nlp_real):
    got = _names(nlp_real, "Regime forces shelled the Jobar and Ain Tarma districts of Damascus on Sunday.")
    assert "Jobar" in got and "Ain Tarma" in got, got


def test_list_member_with_a_lower_case_article(nlp_real):
    doc = nlp_real("Air strikes targeted the villages of al-Hbeit Kafr Sijna and al-Tamanah in southern Idlib.")
    texts = [s.text for s in doc._.places]
    assert "al-Hbeit" in texts and "al-Tamanah" in texts, texts


def test_peoples_before_a_plural_place_noun_are_no_places(nlp_real):
    doc = nlp_real("Gunmen attacked Sunni and Alawite villages near the coast.")
    assert not [s for s in doc._.places if s.text in ("Sunni", "Alawite") and s._.place_id], doc._.places


def test_names_side_by_side_after_a_preposition_are_a_list(nlp_real):
    # Three or more names spelled as Syrian places, joined by "and": a list, not a person.
    got = _names(nlp_real, "Clashes broke out in Saraqeb Binnish Taftanaz and Sarmin in Idlib countryside.")
    for name in ("Saraqeb", "Binnish", "Taftanaz", "Sarmin"):
        assert got.get(name) == "Idlib", (name, got)


def test_the_last_member_of_a_list_is_one_name(nlp_real):
    # After the list's "and" the capitalised words are one name: "Qastal" is no village here.
    doc = nlp_real("Army units hit the neighbourhoods of al-Shaar Qadi Askar and Qastal Harami in Aleppo city.")
    got = {s.text: s._.place_id for s in doc._.places}
    assert got.get("Qadi Askar") and got.get("al-Shaar"), got
    assert "Qastal" not in got, got


def test_a_town_after_a_preposition_of_motion_is_a_place(nlp_real):
    # The small model often calls "Palmyra" a person; after "from"/"towards" it is a movement's end.
    doc = nlp_real("Syrian troops advanced towards Deir ez-Zor from Palmyra on Monday.")
    assert "Palmyra" in {s.text for s in doc._.places if s._.place_id}
    doc = nlp_real("The letter came from Hassan on Monday.")
    assert not [s for s in doc._.places if s._.place_id], doc._.places


# ------------------------------------------------------------------ place nouns: one data file


def test_area_word_after_a_name_follows_its_row_in_place_nouns(nlp_small):
    """Every area word of vocab/place_nouns.tsv, after a name that is both a town and a
    governorate, acts as its row says: "Idlib province" / "Idlib region" is the governorate,
    "Idlib countryside" the land around the town (governorate, qualified), "Idlib city" the town."""
    from geomap.nlp import place_nouns

    governorate_uses = {"admin", "rural", "whole_governorate"}
    for row in place_nouns.ROWS:
        if not row["area"]:
            continue
        found, _ = places(nlp_small, f"Government forces shelled Idlib {row['word']} on Monday.")
        uses = set(row["uses"].split(","))
        want = "adm1:SY-07" if uses & governorate_uses else "gn:169389"
        assert [f[1] for f in found] == [want], (row["word"], found)
        if "rural" in uses:
            assert found[0][3] == row["area"], (row["word"], found)


def test_place_nouns_file_documents_every_use():
    """A coder reads what each use means in the file's header: no use goes unexplained."""
    from geomap.nlp import place_nouns

    header = "".join(line for line in place_nouns.PATH.read_text(encoding="utf-8").splitlines(True) if line[:1] == "#")
    uses = {u for row in place_nouns.ROWS for u in row["uses"].split(",") if u}
    assert uses and all(f"#     {u} " in header for u in uses), sorted(u for u in uses if f"#     {u} " not in header)


def test_no_place_module_defines_its_own_place_nouns():
    """The place nouns are defined once, in vocab/place_nouns.tsv: no set, list, dict or
    split string in the place modules holds two of them (lists of gazetteer level names,
    such as ("town", "neighbourhood"), are levels, not nouns)."""
    import ast

    from geomap.gazetteer.store import LEVELS
    from geomap.nlp import place_nouns

    announcing = {"announces", "announces_many", "list_opens", "list_ends", "and_its", "plural"}
    nouns = {r["word"] for r in place_nouns.ROWS if r["levels"] or r["area"] or announcing & set(r["uses"].split(","))}
    levels = set(LEVELS) | {"city"}
    nlp_dir = Path(__file__).resolve().parents[1] / "geomap" / "nlp"
    found = []
    for path in sorted([*nlp_dir.glob("place_*.py"), nlp_dir / "places.py"]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Set, ast.List, ast.Tuple, ast.Dict)):
                elts = node.keys if isinstance(node, ast.Dict) else node.elts
                words = {e.value for e in elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "split":
                value = node.func.value
                words = (
                    set(value.value.split())
                    if isinstance(value, ast.Constant) and isinstance(value.value, str)
                    else set()
                )
            else:
                continue
            if len(words & nouns) >= 2 and not words <= levels:
                found.append((path.name, node.lineno, sorted(words & nouns)))
    assert len(nouns) > 30 and not found, found


def test_a_name_after_a_place_noun_ends_before_an_organisation(nlp_real):
    # "the town of X Human Rights Watch said": the small model reads one organisation; a name
    # spelled exactly after the place noun is the place, the capitalised words after it another name.
    doc = nlp_real("Families fled to the town of Binnish Human Rights Watch reported on Monday.")
    assert "Binnish" in {s.text for s in doc._.places if s._.place_id}, doc._.places
    # Without a place noun before it, a village's name followed by a capitalised word stays a name's part.
    doc = nlp_real("Hamza Yusuf spoke on Monday.")
    assert not [s for s in doc._.places if s._.place_id], doc._.places


def test_the_object_of_an_attack_verb_is_a_place_whatever_the_ner_label(nlp_real):
    # The small model calls "Harasta" a person here; towns are stormed and shelled, people are not.
    doc = nlp_real("Rebels stormed Harasta at dawn on Tuesday.")
    assert "Harasta" in {s.text for s in doc._.places if s._.place_id}, doc._.places
    # A person after a verb that is no attack on a place stays a person.
    doc = nlp_real("Rebels captured Hassan at dawn on Tuesday.")
    assert not [s for s in doc._.places if s._.place_id], doc._.places


def test_names_in_a_comma_list_after_a_preposition_are_places(nlp_real):
    # Comma-separated too: three or more exact Syrian names after "in" are a list of places,
    # whatever the small model calls a member ("Hass", "Hish": PERSON).
    got = _names(nlp_real, "Air raids were reported on Tuesday in Kafranbel, Hass, Hish and Saraqeb.")
    assert {"Kafranbel", "Hass", "Hish", "Saraqeb"} <= set(got), got


def test_an_apposition_that_says_what_it_is_makes_a_name_a_place(nlp_real):
    # The small model calls "Sheikh Maqsoud" a person (a title word first); ", a ... district of
    # Aleppo" says it is a place. A place noun that only qualifies a person ("an area commander",
    # "a town resident") says nothing of the kind.
    got = _names(nlp_real, "Snipers fired on Sheikh Maqsoud, a mostly Kurdish district of Aleppo, overnight.")
    assert "Sheikh Maqsoud" in got, got
    assert "Abu Hamza" not in _names(nlp_real, "Abu Hamza, an area commander, said the road was open.")


def test_a_short_sentence_with_a_participle_and_its_object_is_no_place_description(nlp_real):
    # The tagger reads "killed" as a participle here; with its object it still tells an event,
    # so the English words around the town are not looked up as transliterated names.
    got = _names(nlp_real, "The Saraqeb car bomb killed at least twelve people in May.")
    assert not {"car", "killed", "people"} & set(got), got


def test_a_town_as_the_object_of_a_verb_of_motion_is_a_place(nlp_real):
    # The small model calls "Zabadani" a person here; a Syrian town spelled exactly that a bus
    # leaves is where the move starts (vocab/place_event_words.tsv, role move_object).
    got = _names(nlp_real, "Syrian state media said a bus left Zabadani on Sunday carrying only women.")
    assert "Zabadani" in got, got
    assert "Hassan" not in _names(nlp_real, "Syrian state media said he left Hassan at the door on Sunday.")


def test_the_plural_noun_ending_a_list_says_what_its_members_are(nlp_real):
    # "the A and B quarters": both are quarters; a quarter of that name the gazetteer lacks stays
    # unresolved rather than taking a town of the same name somewhere else.
    doc = nlp_real("In Homs, Syrian army tanks shelled the al-Waer and al-Hamra quarters on Tuesday.")
    got = {s.text: s._.place for s in doc._.places}
    assert (got.get("al-Waer") or {}).get("level") == "neighbourhood", got
    assert (got.get("al-Hamra") or {}).get("level") in (None, "neighbourhood"), got
