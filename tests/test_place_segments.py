"""Lists of places written without commas, cut into members (geomap.nlp.place_segments).

Sentences written for these tests, in the style of Syrian war reporting whose copy lost its
commas.
"""

from __future__ import annotations

import pytest

from geomap import settings
from geomap.gazetteer import place_index
from geomap.nlp.pipeline import load_english_model
from geomap.nlp.place_segments import NAME_STARTS, list_members


@pytest.fixture(scope="module")
def nlp_real(places_nlp):
    """The shared model with geomap_places only (tests/pipeline_docs.py)."""
    return places_nlp


@pytest.fixture(scope="module")
def parse():
    nlp = load_english_model()
    return nlp


def _members(parse, text: str) -> list[str]:
    doc = parse(text)
    return [doc[m.start : m.end].text for m in list_members(doc, place_index(settings.gazetteer_dir))]


def test_name_starts_are_data():
    assert {"tal", "kafr", "deir", "khirbet"} <= NAME_STARTS


def test_article_led_words_and_name_starts_cut_members(parse):
    # "al-X al-Y": two names; "al-X Y al-Z": "Y al-Z" is one name after "al-X"
    assert _members(
        parse,
        "Mortars hit the neighborhoods of al-Qurayshiyeh al-Baydawiyeh Sahat al-Mashatil and al-Nuwairiyeh on Monday.",
    ) == [
        "al-Qurayshiyeh",
        "al-Baydawiyeh",
        "Sahat al-Mashatil",
        "al-Nuwairiyeh",
    ]
    # a word that starts place names starts the next member ("Tal X Tal Y")
    assert _members(
        parse, "Jets struck the surroundings of Tal Ghazwan Tal Sudaymeh and Kafr Dalbeh in the morning."
    ) == [
        "Tal Ghazwan",
        "Tal Sudaymeh",
        "Kafr Dalbeh",
    ]


def test_the_last_member_is_one_name(parse):
    # two unknown words after the last "and" are one name
    assert (
        _members(parse, "Shells fell on the neighborhoods of al-Qurayshiyeh and Qasr Nuwaydi destroying two houses.")[
            -1
        ]
        == "Qasr Nuwaydi"
    )
    # longer runs after the last "and": only a known first name, never "X Human Rights Watch"
    got = _members(parse, "Troops shelled the villages of al-Qurayshiyeh and Binnish Human Rights Monitor said.")
    assert got == ["al-Qurayshiyeh", "Binnish"]
    # a facility word ends the name ("Umm Hilal Mosque" is a mosque of Umm Hilal)
    assert _members(parse, "Clashes broke out in the surroundings of Umm Hilal Mosque on Friday.") == ["Umm Hilal"]


def test_unknown_members_are_unresolved_mentions(nlp_real):
    doc = nlp_real(
        "Government forces shelled the neighborhoods of al-Qurayshiyeh al-Baydawiyeh and Salah al-Din in Aleppo city "
        "killing two civilians."
    )
    places = {p.text: p for p in doc._.places}
    assert "al-Qurayshiyeh" in places and "al-Baydawiyeh" in places
    assert places["al-Qurayshiyeh"]._.place_id is None  # not in the gazetteer: no point invented
    assert "Salah al-Din" in places


def test_a_list_noun_keeps_readings_at_its_level(nlp_real):
    # "the neighborhoods of al-Rashidiyeh ...": the villages called Rashidiyah are no reading
    doc = nlp_real(
        "Government forces shelled the neighborhoods of al-Rashidiyeh al-Qurayshiyeh and al-Baydawiyeh in Hama city "
        "killing two civilians."
    )
    p = next(p for p in doc._.places if p.text == "al-Rashidiyeh")
    assert (p._.place or {}).get("level") in (None, "neighbourhood")


def test_a_place_name_inside_a_member_is_no_place_of_its_own(nlp_real):
    # "Sarmin" alone is a town in Idlib; "Mazraat Sarmin" (made up) is another place
    doc = nlp_real(
        "Shells fell in the surroundings of Mazraat Sarmin Jabal al-Ghazal and Kafr Halab in the Aleppo countryside "
        "killing several militants."
    )
    texts = [p.text for p in doc._.places]
    assert "Mazraat Sarmin" in texts and "Sarmin" not in texts
    assert "Jabal al-Ghazal" in texts and "Kafr Halab" in texts


def test_as_well_as_joins_a_list(parse):
    assert _members(parse, "Troops entered the areas of Tal Jabbarah as well as Kafr Ruma on Monday.") == [
        "Tal Jabbarah",
        "Kafr Ruma",
    ]


def test_place_shaped_names_are_no_persons(parse):
    from geomap.nlp.place_segments import place_shaped

    doc = parse("Shells hit Khirbet Ghazal and Rasm Tahtani while Abu Omar said nothing.")
    words = [t.text for t in doc]
    assert place_shaped(doc, words.index("Khirbet"), words.index("Khirbet") + 2)
    assert place_shaped(doc, words.index("Rasm"), words.index("Rasm") + 2)  # "Lower Rasm"
    assert not place_shaped(doc, words.index("Abu"), words.index("Abu") + 2)


def test_an_article_written_apart_still_opens_a_list_member(nlp_real):
    # "al- X" with a space, then a comma list whose last member the model calls a person
    doc = nlp_real("Warplanes struck the towns of al- Sqelbiyyah, Mhardeh and Salhab in Syria on Friday.")
    assert "Salhab" in [p.text for p in doc._.places]


def test_a_town_after_a_locative_preposition_is_a_place(nlp_real):
    # the small model calls "Dael" a person; after "in" a Syrian town spelled exactly is a place
    doc = nlp_real("Heavy clashes are under way in Dael and the surrounding farms, activists said.")
    assert "Dael" in [p.text for p in doc._.places if p._.place_id]


def test_a_full_stop_ends_a_listed_name(nlp_real):
    doc = nlp_real("In Syria the army took the villages of Jelbana and Binnish. Ahead of its operation jets struck.")
    texts = [p.text for p in doc._.places]
    assert "Binnish" in texts and not any("Ahead" in t for t in texts)


def test_an_unknown_name_ends_where_the_document_uses_it_alone(nlp_real):
    doc = nlp_real(
        "Shells hit the village of Umm Jelbana on Monday in the Syrian province of Hama. Families had fled to the "
        "village of Umm Jelbana Rami Abdulrahman told reporters."
    )
    texts = [p.text for p in doc._.places]
    assert texts.count("Umm Jelbana") == 2 and "Rami" not in " ".join(texts)


def test_a_place_noun_outweighs_the_models_person(nlp_real):
    doc = nlp_real(
        "Fighting went on in Syria on Sunday. Rebels took control of the nearby village of Jelbana after heavy "
        "fighting while a shell landed in al-Qutaifiyeh neighborhood killing a child."
    )
    texts = [p.text for p in doc._.places]
    assert "Jelbana" in texts and "al-Qutaifiyeh" in texts


def test_a_number_word_after_an_english_article_like_word_ends(nlp_real):
    # "at" is also an Arabic article's spelling; "Five" is a number word that starts no name:
    # the scan must move on (it looped forever here once)
    doc = nlp_real("The parade starts at Five Points on Monday near Aleppo.")
    assert "Aleppo" in [p.text for p in doc._.places]
