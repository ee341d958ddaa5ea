"""geomap.tables on hand-filled Docs: flattening, geometry, cross-article merging, stable ids."""

from datetime import date

import pytest
import spacy

from geomap.nlp import extensions  # noqa: F401
from geomap.tables import build_tables, doc_records

ALEPPO = {
    "id": "gn:170063",
    "name": "Aleppo",
    "lat": 36.20124,
    "lon": 37.16117,
    "level": "town",
    "country_code": "SY",
    "admin1": "Aleppo",
}
IDLIB = {
    "id": "gn:169389",
    "name": "Idlib",
    "lat": 35.93062,
    "lon": 36.63393,
    "level": "town",
    "country_code": "SY",
    "admin1": "Idlib",
}

nlp = spacy.blank("en")
nlp.add_pipe("sentencizer")


def make_doc(text, doc_id, outlet, published):
    doc = nlp(text)
    doc._.meta = {"doc_id": doc_id, "outlet": outlet, "published": published, "url": None, "title": "t"}
    return doc


def place(doc, word, entry):
    start = doc.text.index(word)
    span = doc.char_span(start, start + len(word))
    span._.place = entry
    span._.place_id = entry["id"] if entry else None
    span._.place_confidence = 0.9 if entry else 0.1
    return span


def report(doc_id, outlet, killed, day):
    text = f"Shelling killed {killed} people in Aleppo on Tuesday. Troops moved from Idlib to Aleppo."
    doc = make_doc(text, doc_id, outlet, date(2012, 7, 25))
    aleppo, idlib = place(doc, "Aleppo", ALEPPO), place(doc, "Idlib", IDLIB)
    doc._.places = [aleppo, idlib]
    sent = list(doc.sents)[0]
    doc._.incidents = [
        {
            "event_type": "bombardment",
            "sub_type": "shelling",
            "date_start": day,
            "date_end": day,
            "date_precision": "day",
            "place": aleppo,
            "actor1": "government forces",
            "actor2": None,
            "count_type": "killed",
            "count_low": killed,
            "count_best": killed,
            "count_high": killed,
            "count_qualifier": None,
            "source_attribution": "activists",
            "claim_status": "reported",
            "evidence": sent.text,
            "char_start": sent.start_char,
            "char_end": sent.end_char,
            "confidence": 0.8,
        }
    ]
    sent2 = list(doc.sents)[1]
    doc._.movements = [
        {
            "kind": "troop_movement",
            "actor": "government forces",
            "origin": idlib,
            "destination": None,
            "count_type": "troops",
            "count_low": None,
            "count_best": None,
            "count_high": None,
            "count_qualifier": None,
            "date_start": None,
            "date_end": None,
            "date_precision": "unknown",
            "source_attribution": None,
            "claim_status": "reported",
            "evidence": sent2.text,
            "char_start": sent2.start_char,
            "char_end": sent2.end_char,
            "confidence": 0.7,
        }
    ]
    return doc


def test_doc_records_are_flat_and_exact():
    doc = report("a", "CNN", 21, date(2012, 7, 24))
    rec = doc_records(doc)
    inc = rec["incidents"][0]
    assert inc["gazetteer_id"] == "gn:170063" and inc["lat"] == pytest.approx(36.20124)
    assert doc.text[inc["char_start"] : inc["char_end"]] == inc["evidence"]
    assert inc["outlet"] == "CNN" and inc["place_text"] == "Aleppo"
    mov = rec["movements"][0]
    assert mov["origin_id"] == "gn:169389" and mov["destination_id"] is None
    assert [m["text"] for m in rec["mentions"]] == ["Aleppo", "Idlib"]
    assert rec["mentions"][0]["sentence"].startswith("Shelling killed")


def test_same_incident_from_two_outlets_merges_with_count_range():
    a = doc_records(report("a", "CNN", 21, date(2012, 7, 24)))
    b = doc_records(report("b", "Reuters", 30, date(2012, 7, 25)))
    result = build_tables([b, a])
    inc = result.incidents
    assert len(inc) == 1
    row = inc.iloc[0]
    assert row["n_sources"] == 2 and row["sources"] == "CNN; Reuters"
    assert (row["count_low"], row["count_high"]) == (21, 30)
    assert inc.crs.to_epsg() == 4326 and inc.geometry.iloc[0].x == pytest.approx(37.16117)
    # A movement with an unknown destination has no line, and keeps its known end.
    mov = result.movements
    assert mov.geometry.isna().all() and mov["destination_lat"].isna().all()
    assert mov["origin_lat"].iloc[0] == pytest.approx(35.93062)


def test_different_counts_or_days_stay_apart():
    a = doc_records(report("a", "CNN", 21, date(2012, 7, 24)))
    b = doc_records(report("b", "Reuters", 200, date(2012, 7, 24)))
    c = doc_records(report("c", "AP", 21, date(2012, 7, 20)))
    assert len(build_tables([a, b, c]).incidents) == 3


def test_order_and_ids_are_stable():
    recs = [doc_records(report(d, "X", 5 * (i + 1) ** 3, date(2012, 7, 1 + i))) for i, d in enumerate("abc")]
    first = build_tables(recs).incidents
    second = build_tables(list(reversed(recs))).incidents
    assert list(first["incident_id"]) == list(second["incident_id"])
    assert first.drop(columns="geometry").equals(second.drop(columns="geometry"))


def test_empty_input_gives_empty_tables_with_columns():
    result = build_tables([])
    assert len(result.incidents) == 0 and "incident_id" in result.incidents.columns
    assert "destination_lat" in result.movements.columns and "sentence" in result.mentions.columns


def test_blocked_merge_equals_full_comparison():
    """Comparing a row only with groups of its own event type gives the same merge."""
    import random

    from geomap import tables as T

    rng = random.Random(3)
    kinds = [("clash", None), ("bombardment", "shelling"), ("bombardment", "air strike"), ("casualties", None)]
    rows = []
    for i in range(400):
        et, st = rng.choice(kinds)
        rows.append(
            {
                "doc_id": f"d{rng.randint(0, 60)}",
                "event_type": et,
                "sub_type": st,
                "date_start": rng.choice([None, "2013-03-01", "2013-03-02", "2013-03-09"]),
                "lat": 35 + rng.random() * 0.2,
                "lon": 36 + rng.random() * 0.2,
                "gazetteer_id": rng.choice([None, "gn:1", "gn:2"]),
                "count_type": rng.choice([None, "killed"]),
                "count_best": rng.choice([None, 3, 5, 12]),
                "char_start": i,
                "evidence": "e",
                "outlet": rng.choice(["a", "b"]),
            }
        )
    full = T._dedupe(rows, T._same_incident)
    blocked = T._dedupe(rows, T._same_incident, T._incident_block)
    assert blocked == full
    assert len(full) < len(rows)  # some rows did merge, so the comparison means something


def test_acled_types_columns_from_the_schema():
    rec = doc_records(report("a", "CNN", 21, date(2012, 7, 24)))
    inc, mov = rec["incidents"][0], rec["movements"][0]
    assert (inc["acled_event_type"], inc["acled_sub_event_type"]) == (
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
    )
    # troop movements are ACLED's "Movement of forces" notes: a change to group/activity
    assert (mov["acled_event_type"], mov["acled_sub_event_type"]) == (
        "Strategic developments",
        "Change to group/activity",
    )
    table = build_tables([rec]).incidents
    assert {"acled_event_type", "acled_sub_event_type", "injured_best", "other_evidence"} <= set(table.columns)


def test_place_named_keeps_the_texts_name_on_the_areas_point():
    doc = report("a", "CNN", 21, date(2012, 7, 24))
    doc._.incidents[0]["place_named"] = "al-Mreiiyeh"
    inc = doc_records(doc)["incidents"][0]
    assert inc["place_text"] == "al-Mreiiyeh" and inc["location_name"] == "Aleppo"
    assert "place_named" not in inc


@pytest.mark.parametrize(
    "args,expected",
    [
        (("clash", None), ("Battles", "Armed clash")),
        (("bombardment", "air strike"), ("Explosions/Remote violence", "Air/drone strike")),
        (("bombardment", "suicide bomb"), ("Explosions/Remote violence", "Suicide bomb")),
        (("bombardment", "explosion"), ("Explosions/Remote violence", "Remote explosive/landmine/IED")),
        (("control_change", "gained", "government forces"), ("Battles", "Government regains territory")),
        (("control_change", "gained", "rebels"), ("Battles", "Non-state actor overtakes territory")),
        (("attack_on_civilians", "abduction"), ("Violence against civilians", "Abduction/forced disappearance")),
        (("strategic_development", "arrests"), ("Strategic developments", "Arrests")),
        (("protest", "mob violence"), ("Riots", "Mob violence")),
        (("casualties", None), (None, None)),
    ],
)
def test_schema_maps_geomap_types_to_acled(args, expected):
    from geomap.schema import acled_types

    assert acled_types(*args) == expected


def test_schema_vocabulary_is_complete():
    from geomap.schema import EVENT_STYLES, EVENT_TYPES, MOVEMENT_KINDS, acled_types

    assert EVENT_TYPES[:2] == ["clash", "bombardment"] and set(EVENT_TYPES) == set(EVENT_STYLES)
    assert MOVEMENT_KINDS == ["troop_movement", "weapons_movement", "displacement", "refugee_return"]
    for t in EVENT_TYPES:
        assert EVENT_STYLES[t]["color"].startswith("#") and EVENT_STYLES[t]["label"]
        if t != "casualties":
            assert acled_types(t, None)[0] is not None, t
