"""Incidents and movements from sentences (geomap_events), through the full pipeline."""

from __future__ import annotations

import datetime as dt

import pytest

from geomap.nlp.event_lexicon import normalise_actor

PUB = dt.date(2012, 7, 30)  # a Monday


@pytest.fixture(scope="module")
def nlp():
    from geomap.nlp import load_pipeline

    return load_pipeline()


def run(nlp, text, pub=PUB):
    doc = nlp.make_doc(text)
    doc._.meta = {"doc_id": "t", "published": pub}
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def name(span):
    return span.text if span is not None else None


def test_shelling_with_toll_and_source(nlp):
    doc = run(nlp, "Government forces shelled the town of Rastan in Homs province on Sunday, "
                   "killing at least 12 civilians, activists said.")
    (r,) = doc._.incidents
    assert (r["event_type"], r["sub_type"]) == ("bombardment", "shelling")
    assert name(r["place"]) == "Rastan"
    assert (r["count_best"], r["count_qualifier"], r["count_type"]) == (12, "at least", "killed")
    assert r["date_start"] == dt.date(2012, 7, 29) and r["date_precision"] == "day"
    assert r["actor1"] == "government forces"
    assert r["source_attribution"] == "activists" and r["claim_status"] == "reported"
    assert doc.text[r["char_start"]:r["char_end"]] == r["evidence"]


@pytest.mark.parametrize(
    "text,etype,sub,place,count",
    [
        ("Activists said 15 people were killed when government warplanes struck a market in Douma.",
         "bombardment", "air strike", "Douma", 15),
        ("Security forces opened fire on protesters in Daraa, killing five.", "attack_on_civilians", None, "Daraa", 5),
        ("Regime forces retook the town of Qusayr from rebels on June 5, 2013.", "control_change", "gained", "Qusayr", None),
        ("Thousands of protesters took to the streets of Hama on Friday.", "protest", None, "Hama", 2000),
        ("At least 30 people were killed in clashes between rebels and government forces in Hama.",
         "clash", None, "Hama", 30),
        ("Three people were injured in a mortar attack on Damascus.", "bombardment", "shelling", "Damascus", 3),
        ("A suicide bomber blew himself up at a checkpoint in Qamishli on Monday.", "bombardment", None, "Qamishli", None),
    ],
)
def test_common_report_shapes(nlp, text, etype, sub, place, count):
    doc = run(nlp, text)
    (r,) = doc._.incidents
    assert (r["event_type"], r["sub_type"], name(r["place"]), r["count_best"]) == (etype, sub, place, count)


def test_displaced_by_fighting(nlp):
    doc = run(nlp, "The UN said 400,000 people had been displaced by the fighting in Idlib.")
    (m,) = doc._.movements
    assert (m["kind"], name(m["origin"]), m["destination"], m["count_best"]) == ("displacement", "Idlib", None, 400000)


def test_displaced_people_come_from_their_town(nlp):
    doc = run(nlp, "Residents of Qusayr fled to Lebanon last week, the UNHCR said.")
    (m,) = doc._.movements
    assert (name(m["origin"]), (m["destination"]._.place or {}).get("country_code")) == ("Qusayr", "LB")
    assert m["date_precision"] == "week" and m["source_attribution"] == "the UNHCR"


def test_control_change_according_to(nlp):
    doc = run(nlp, "Rebels captured the town of Azaz near the Turkish border on Friday, "
                   "according to the Syrian Observatory for Human Rights.")
    (r,) = doc._.incidents
    assert (r["event_type"], r["sub_type"], r["actor1"]) == ("control_change", "gained", "rebels")
    assert name(r["place"]) == "Azaz"
    assert r["date_start"] == dt.date(2012, 7, 27)
    assert "Syrian Observatory" in r["source_attribution"]


def test_killing_civilians_is_attack_on_civilians(nlp):
    doc = run(nlp, "Syrian troops killed 20 civilians in Houla on Friday, the UN said.")
    (r,) = doc._.incidents
    assert r["event_type"] == "attack_on_civilians"
    assert (r["actor1"], r["actor2"]) == ("government forces", "civilians")
    assert name(r["place"]) == "Houla" and r["count_best"] == 20


def test_history_keeps_its_year(nlp):
    doc = run(nlp, "In 1982, the army killed thousands of people in Hama.")
    (r,) = doc._.incidents
    assert r["date_start"] == dt.date(1982, 1, 1) and r["date_precision"] == "year"
    assert name(r["place"]) == "Hama"


def test_displacement_unknown_origin_stays_empty(nlp):
    doc = run(nlp, "More than 5,000 Syrians fled to Turkey in the past 24 hours, Turkish officials said.")
    (m,) = doc._.movements
    assert m["kind"] == "displacement" and m["origin"] is None
    assert (m["destination"]._.place or {}).get("country_code") == "TR"
    assert m["count_best"] == 5000 and m["date_start"] == dt.date(2012, 7, 29)
    assert not doc._.incidents


@pytest.mark.parametrize(
    "text",
    [
        "The army could attack Homs if rebels do not surrender.",
        "The army did not shell Homs on Monday.",
        "Israel is preparing plans to attack Homs if it is threatened.",
        "Will the army storm Homs?",
        "16 months of civil war have left the country in ruins.",
        "Government troops, backed by tanks and artillery, waited outside Homs.",
        "",
    ],
)
def test_nothing_spurious(nlp, text):
    doc = run(nlp, text)
    assert doc._.incidents == [] and doc._.movements == []


def test_headline_lists(nlp):
    bullets = "- Clashes in Aleppo\n- Shelling in Homs\n- Protests in Daraa"
    # inside an article, highlights repeat the body and are skipped
    doc = run(nlp, "Story highlights\n" + bullets + "\n\nThe minister spoke on Monday.")
    assert doc._.incidents == [] and doc._.movements == []
    # a text made only of headlines is read line by line, one record per line at most
    doc = run(nlp, bullets)
    assert 1 <= len(doc._.incidents) <= 3
    for r in doc._.incidents:
        assert "\n" not in r["evidence"] and r["date_basis"] == "publication"


def test_denial_by_another_party_disputes(nlp):
    doc = run(nlp, "Yesterday state media reported government victories in two Aleppo neighborhoods, "
                   "but activists denied the reports.")
    r = next(r for r in doc._.incidents if r["event_type"] == "control_change")
    assert r["claim_status"] == "disputed" and r["sub_type"] == "claimed"
    assert r["date_start"] == dt.date(2012, 7, 29)


def test_one_event_reported_twice_is_one_record(nlp):
    text = ("Government forces shelled Rastan on Sunday, activists said. "
            "Government forces shelled Rastan on Sunday, the observatory said.")
    doc = run(nlp, text)
    (r,) = doc._.incidents
    assert "activists" in r["source_attribution"] and "observatory" in r["source_attribution"]


def test_retold_event_merges_with_its_details(nlp):
    text = ("Government forces shelled Rastan on Sunday, killing 12 people, activists said. "
            "Residents said the shelling of Rastan continued into the night.")
    doc = run(nlp, text)
    shell = [r for r in doc._.incidents if r["event_type"] == "bombardment"]
    assert len(shell) == 1
    assert shell[0]["count_best"] == 12 and shell[0]["date_start"] == dt.date(2012, 7, 29)


def test_no_publication_date(nlp):
    doc = run(nlp, "Rebels captured Azaz on Friday, activists said.", pub=None)
    (r,) = doc._.incidents
    assert r["date_start"] is None and r["date_precision"] == "unknown"


def test_publication_fallback_is_marked(nlp):
    doc = run(nlp, "Rebels captured Azaz, activists said.")
    (r,) = doc._.incidents
    assert r["date_basis"] == "publication" and r["date_precision"] == "week"
    assert r["date_end"] == PUB


def test_long_sentence_and_nested_quotes_do_not_crash(nlp):
    long = ("Government troops, backed by tanks, helicopters and artillery, stormed several districts of "
            "the city of Homs on Saturday morning, " * 30) + "residents said."
    doc = run(nlp, long + ' He said: "They told me \'the army shelled Hama yesterday\' and I believed them."')
    for r in doc._.incidents + doc._.movements:
        assert doc.text[r["char_start"]:r["char_end"]] == r["evidence"]
    assert any(name(r["place"]) == "Homs" for r in doc._.incidents)


def test_actor_vocabulary(nlp):
    doc = nlp.make_doc("x")
    toks = nlp("the Syrian regime").__iter__()
    assert normalise_actor(list(nlp("the Syrian regime"))) == "government forces"
    assert normalise_actor(list(nlp("hundreds of rebels"))) == "rebels"
    assert normalise_actor(list(nlp("Israeli jets"))) == "Israel"
    assert normalise_actor(list(nlp("the Free Syrian Army"))) == "rebels"
    assert normalise_actor(list(nlp("a journalist"))) is None
    del doc, toks
